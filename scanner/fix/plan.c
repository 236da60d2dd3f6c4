/* plan.c - the changes that satisfy what a model inherits; see plan.h. */
#include "plan.h"
#include "frontmatter.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "evidence/card.h"
#include "findings/duties.h"
#include "findings/findings.h"
#include "licensedb/licensedb.h"
#include "lineage/graph.h"
#include "record/record.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 64

static const char *const resolved_ids[] = { "missing-notice", "missing-license-copy",
					    "relicensed-restricted-base", "other-without-name", NULL };

int fix_resolves(const char *id)
{
	for (int i = 0; resolved_ids[i]; i++)
		if (!strcmp(id, resolved_ids[i]))
			return 1;
	return 0;
}

/* --- the plan's lists --- */

static int add_str(char ***v, size_t *n, char *s)
{
	char **nv;

	if (!s)
		return LT_ENOMEM;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		free(s);
		return LT_ENOMEM;
	}
	*v = nv;
	(*v)[(*n)++] = s;
	return 0;
}

static void manual(struct fix_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void manual(struct fix_plan *p, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < p->nmanual; i++)
		if (!strcmp(p->manual[i], msg))
			return;
	add_str(&p->manual, &p->nmanual, lt_strdup(msg));
}

/* Takes new_text (malloc'd) whatever happens. */
static int add_change(struct fix_plan *p, const char *path, const char *old, size_t old_len,
		      char *new_text, size_t new_len, const char *why)
{
	struct fix_change *nv, *c;

	if (old && old_len == new_len && !memcmp(old, new_text, new_len)) {
		free(new_text);
		return 0;
	}
	nv = realloc(p->changes, (p->nchanges + 1) * sizeof(*nv));
	if (!nv) {
		free(new_text);
		return LT_ENOMEM;
	}
	p->changes = nv;
	c = &p->changes[p->nchanges++];
	memset(c, 0, sizeof(*c));
	c->path = lt_strdup(path);
	c->old = old ? lt_strndup(old, old_len) : NULL;
	c->old_len = old ? old_len : 0;
	c->new_text = new_text;
	c->new_len = new_len;
	c->why = lt_strdup(why);
	return c->path && c->why && (!old || c->old) ? 0 : LT_ENOMEM;
}

void fix_plan_release(struct fix_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nchanges; i++) {
		free(p->changes[i].path);
		free(p->changes[i].old);
		free(p->changes[i].new_text);
		free(p->changes[i].why);
	}
	free(p->changes);
	for (size_t i = 0; i < p->nmanual; i++)
		free(p->manual[i]);
	free(p->manual);
	for (size_t i = 0; i < p->nsuggest; i++)
		free(p->suggest[i]);
	free(p->suggest);
	memset(p, 0, sizeof(*p));
}

/* --- reading the folder --- */

/* 1 with *data (caller frees) when path exists, 0 when it does not, <0 on error. */
static int read_current(const struct fix_reader *rd, const char *path, char **data, size_t *len,
			struct lt_error *err)
{
	struct buf b;
	int rc;

	*data = NULL;
	*len = 0;
	buf_init(&b, LT_MAX_CARD_BYTES > LT_MAX_LICENSE_BYTES ? LT_MAX_CARD_BYTES : LT_MAX_LICENSE_BYTES);
	rc = rd->read(rd->ctx, path, &b, err);
	if (rc == LT_ENOTFOUND) {
		buf_release(&b);
		lt_error_clear(err);
		return 0;
	}
	if (rc) {
		buf_release(&b);
		return rc;
	}
	if (buf_error(&b)) {
		buf_release(&b);
		return lt_error_set(err, LT_ETOOBIG, path, 0, "'%s' is too large to edit", path);
	}
	buf_cstr(&b);
	*data = buf_detach(&b, len);
	if (!*data)
		*data = lt_strdup("");
	return *data ? 1 : LT_ENOMEM;
}

int fix_read_record(void *ctx, const char *path, struct buf *out, struct lt_error *err)
{
	const struct model_record *r = ctx;

	if (!strcmp(path, "README.md")) {
		if (!r->card_text)
			return LT_ENOTFOUND;
		return buf_adds(out, r->card_text);
	}
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, path)) {
			if (!r->files[i].text)
				return lt_error_set(err, LT_EUNSAFE, path, 0, "'%s' could not be read: %s", path,
						    r->files[i].why_unreadable ? r->files[i].why_unreadable : "unreadable");
			return buf_add(out, r->files[i].text, r->files[i].len);
		}
	return LT_ENOTFOUND;
}

/* --- licenses --- */

static int same_family(const struct licdef *a, const struct licdef *b)
{
	return a == b || (a->family && b->family && !strcmp(a->family, b->family));
}

/* "Llama-3.1", "Apache-2.0", "MIT": a license's name for a file name (its SPDX
 * id, else its family and version). */
static char *lic_slug(const struct licdef *l)
{
	const char *fam = l->family && *l->family ? l->family : l->id;
	char *s;

	if (l->spdx && *l->spdx && !lt_starts_with(l->spdx, "LicenseRef-"))
		s = lt_strdup(l->spdx);
	else
		s = lt_asprintf("%s%s%s", fam, l->version && *l->version ? "-" : "",
				l->version && *l->version ? l->version : "");
	if (!s)
		return NULL;
	s[0] = (char)toupper((unsigned char)s[0]);
	for (char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			*p = '-';
	return s;
}

/* The text of license l from an ancestor's own files: the first ancestor (nearest
 * first) holding a file detected as exactly l (or as its family when l names no
 * version). *from is that ancestor's id and file. NULL when none is kept. */
static const struct lic_file *ancestor_text(const struct model_report *m, const struct licdef *l,
					    const char **from_id)
{
	for (int exact = 1; exact >= 0; exact--) {
		if (!exact && l->version && *l->version)
			break;
		for (size_t i = 0; i < m->nanc; i++) {
			const struct model_record *r = m->anc[i].node->rec;
			if (!r)
				continue;
			for (size_t k = 0; k < r->ndetected; k++) {
				const struct detected *d = &r->detected[k];
				if (d->kind != RULE_LICENSE || d->third_party || !d->lic || !d->at.file ||
				    (exact ? d->lic != l : !same_family(d->lic, l)))
					continue;
				for (size_t f = 0; f < r->nfiles; f++)
					if (r->files[f].text && !strcmp(r->files[f].role, "license") &&
					    !strcmp(r->files[f].path, d->at.file)) {
						*from_id = m->anc[i].node->id;
						return &r->files[f];
					}
			}
		}
	}
	return NULL;
}

/* --- the steps --- */

struct ctx {
	const struct model_report *m;
	const struct model_record *r;
	const struct licensedb *db;
	const struct fix_reader *rd;
	struct fix_plan *p;
	struct lt_error *err;
	char *readme;              /* README.md as it is, or NULL */
	size_t readme_len;
	struct card *card;         /* parsed, or NULL without a README.md */
	const struct licdef *state; /* the license the card is to state, or NULL */
	/* license copies written by this plan: license -> file name */
	const struct licdef *copied[MAX_ITEMS];
	char *copied_as[MAX_ITEMS];
	size_t ncopied;
};

static int has_finding(const struct model_report *m, const char *id, const char *subject)
{
	for (size_t i = 0; i < m->nf; i++)
		if (!strcmp(m->f[i].def->id, id) &&
		    (!subject || (m->f[i].subject && !strcmp(m->f[i].subject, subject))))
			return 1;
	return 0;
}

/* NOTICE: every sentence a missing-notice finding asks for, appended once. */
static int plan_notice(struct ctx *c)
{
	const char *sent[MAX_ITEMS];
	const char *names[MAX_ITEMS];
	size_t ns = 0;
	const char *path = "NOTICE";
	char *old = NULL;
	size_t old_len = 0;
	struct buf b;
	int rc, exists;

	for (size_t i = 0; i < c->m->nf; i++) {
		const struct finding *f = &c->m->f[i];
		const struct licdef *l;
		if (strcmp(f->def->id, "missing-notice") || !f->subject ||
		    !(l = licensedb_get(c->db, f->subject)))
			continue;
		for (size_t k = 0; k < l->nobligations; k++) {
			const struct obligation *ob = &l->obligations[k];
			size_t j;
			if (ob->kind != OB_NOTICE || !ob->text)
				continue;
			for (j = 0; j < ns && strcmp(sent[j], ob->text); j++)
				;
			if (j == ns && ns < MAX_ITEMS) {
				names[ns] = l->name;
				sent[ns++] = ob->text;
			}
		}
	}
	if (!ns)
		return 0;
	/* the folder's own Notice file, if it has one at the top */
	for (size_t i = 0; i < c->r->nfiles; i++)
		if (!strcmp(c->r->files[i].role, "notice") && !strchr(c->r->files[i].path, '/') &&
		    lt_istarts_with(c->r->files[i].path, "notice")) {
			path = c->r->files[i].path;
			break;
		}
	if ((exists = read_current(c->rd, path, &old, &old_len, c->err)) < 0)
		return exists;
	buf_init(&b, LT_MAX_LICENSE_BYTES);
	if (old_len) {
		buf_add(&b, old, old_len);
		if (old[old_len - 1] != '\n')
			buf_addc(&b, '\n');
	}
	{
		int added = 0;
		for (size_t i = 0; i < ns; i++) {
			if (old && duties_has_sentence(old, sent[i]))
				continue;
			if (b.len)
				buf_addc(&b, '\n');
			buf_printf(&b, "%s\n", sent[i]);
			added++;
		}
		(void)names;
		if (!added) {
			buf_release(&b);
			free(old);
			return 0;
		}
	}
	if (buf_error(&b)) {
		free(old);
		rc = lt_error_set(c->err, buf_error(&b), path, 0, "'%s' would be too large", path);
		buf_release(&b);
		return rc;
	}
	{
		size_t n;
		char *t;
		buf_cstr(&b);
		t = buf_detach(&b, &n);
		rc = add_change(c->p, path, old, old_len, t, n,
				"the Notice sentences the inherited licenses require (missing-notice)");
	}
	free(old);
	return rc;
}

/* A license only the card declares, which the card edit replaces: its copy is
 * not needed (the ancestors' license is stated instead). */
static int replaced(const struct ctx *c, const struct licdef *l)
{
	const struct licdef *ls[MAX_ITEMS];

	if (!c->state || same_family(l, c->state))
		return 0;
	for (size_t i = 0; i < c->r->ndetected; i++)
		if (c->r->detected[i].lic == l)
			return 0;
	for (size_t i = 0; i < c->m->nanc; i++) {
		size_t n;
		if (!c->m->anc[i].node->rec)
			continue;
		n = record_licenses(c->m->anc[i].node->rec, ls, MAX_ITEMS);
		for (size_t k = 0; k < n; k++)
			if (ls[k] == l)
				return 0;
	}
	return 1;
}

/* LICENSE copies: each license a missing-license-copy finding names. */
static int plan_copies(struct ctx *c)
{
	const struct licdef *want[MAX_ITEMS];
	size_t nw = 0;
	char *cur = NULL;
	size_t cur_len = 0;
	int has_license;

	for (size_t i = 0; i < c->m->nf; i++) {
		const struct finding *f = &c->m->f[i];
		const struct licdef *l;
		size_t j;
		if (strcmp(f->def->id, "missing-license-copy") || !f->subject ||
		    !(l = licensedb_get(c->db, f->subject)))
			continue;
		for (j = 0; j < nw && want[j] != l; j++)
			;
		if (j == nw && nw < MAX_ITEMS && !replaced(c, l))
			want[nw++] = l;
	}
	/* one copy per family is what the check asks for: a family id (`gemma`) gives
	 * way to the exact version the lineage names */
	for (size_t i = 0; i < nw; i++) {
		int drop = 0;
		for (size_t j = 0; j < nw && !drop; j++)
			drop = j != i && same_family(want[i], want[j]) && (!want[i]->version || !*want[i]->version) &&
			       want[j]->version && *want[j]->version;
		if (drop) {
			memmove(&want[i], &want[i + 1], (nw - i - 1) * sizeof(*want));
			nw--;
			i--;
		}
	}
	if (!nw)
		return 0;
	has_license = read_current(c->rd, "LICENSE", &cur, &cur_len, c->err);
	free(cur);
	if (has_license < 0)
		return has_license;
	for (size_t i = 0; i < c->r->nfiles && !has_license; i++)
		has_license = !strcmp(c->r->files[i].role, "license") && !strchr(c->r->files[i].path, '/');
	for (size_t i = 0; i < nw; i++) {
		const struct licdef *l = want[i];
		const char *from = NULL, *text;
		size_t len;
		const struct lic_file *lf = ancestor_text(c->m, l, &from);
		char *name, *why, *copy;
		int rc, exists;

		if (lf) {
			text = lf->text;
			len = lf->len;
			why = lt_asprintf("the %s, copied from %s's %s (missing-license-copy)", l->name, from,
					  lf->path);
		} else if (l->ref_text) {
			text = l->ref_text;
			len = l->ref_len;
			why = lt_asprintf("the %s, lictrace's reference text (no ancestor's own copy was "
					  "available) (missing-license-copy)", l->name);
		} else {
			manual(c->p, "add the text of the %s: no ancestor's file holding it could be read, "
			       "and lictrace does not write license texts it has not got", l->name);
			continue;
		}
		if (nw == 1 && !has_license) {
			name = lt_strdup("LICENSE");
		} else {
			char *slug = lic_slug(l);
			name = slug ? lt_asprintf("LICENSE-%s", slug) : NULL;
			free(slug);
		}
		if (!name || !why || !(copy = lt_strndup(text, len))) {
			free(name);
			free(why);
			return lt_error_set(c->err, LT_ENOMEM, NULL, 0, "out of memory");
		}
		if ((exists = read_current(c->rd, name, &cur, &cur_len, c->err)) < 0) {
			free(name);
			free(why);
			free(copy);
			return exists;
		}
		if (exists && (cur_len != len || memcmp(cur, text, len))) {
			manual(c->p, "'%s' exists and is not the %s: add that license's text under another name",
			       name, l->name);
			free(copy);
			rc = 0;
		} else {
			rc = add_change(c->p, name, cur, cur_len, copy, len, why);
		}
		free(cur);
		cur = NULL;
		if (!rc && c->ncopied < MAX_ITEMS) {
			c->copied[c->ncopied] = l;
			c->copied_as[c->ncopied++] = name;
		} else {
			free(name);
		}
		free(why);
		if (rc)
			return rc;
	}
	return 0;
}

/* The license that binds the model through its ancestors and must be stated:
 * the nearest ancestor's license that a derivative may not drop. NULL when none,
 * or (with a manual item) when licenses of several families bind at once. */
static const struct licdef *binding_license(struct ctx *c, int *several)
{
	const struct licdef *b = NULL, *ls[MAX_ITEMS];

	*several = 0;
	for (size_t i = 0; i < c->m->nanc; i++) {
		const struct model_record *r = c->m->anc[i].node->rec;
		size_t n;
		if (!r)
			continue;
		n = record_licenses(r, ls, MAX_ITEMS);
		for (size_t k = 0; k < n; k++) {
			const struct licdef *l = ls[k];
			if (l->relicense == RELIC_ALLOWED || l->review || l->category == CAT_FAMILY ||
			    l->category == CAT_UNKNOWN)
				continue;
			if (!b)
				b = l;
			else if (!same_family(b, l))
				*several = 1;
		}
	}
	return b;
}

/* The one license every ancestor is under, when a derivative may take any license
 * (an Apache-2.0 base): what a card with no license of its own can state. */
static const struct licdef *single_ancestor_license(const struct model_report *m)
{
	const struct licdef *one = NULL, *ls[MAX_ITEMS];

	for (size_t i = 0; i < m->nanc; i++) {
		const struct model_record *r = m->anc[i].node->rec;
		size_t n;
		if (!r)
			return NULL;
		n = record_licenses(r, ls, MAX_ITEMS);
		for (size_t k = 0; k < n; k++) {
			if (ls[k]->review || ls[k]->category == CAT_FAMILY || ls[k]->category == CAT_UNKNOWN)
				return NULL;
			if (one && one != ls[k])
				return NULL;
			one = ls[k];
		}
	}
	return one;
}

/* `license: other` whose license_name does not name a license of B's family. */
static int other_unnamed(const struct ctx *c, const struct card *card, const struct licdef *B)
{
	const struct licdef *named;

	if (!c->r->other_declared)
		return 0;
	named = card->license_name.value ? licensedb_lookup(c->db, card->license_name.value) : NULL;
	return !named || !same_family(named, B);
}

/* Where the card's license_link should point: our copy, the folder's own file
 * holding the license, else the license's canonical URL. */
static const char *link_for(struct ctx *c, const struct licdef *l)
{
	for (size_t i = 0; i < c->ncopied; i++)
		if (c->copied[i] == l)
			return c->copied_as[i];
	for (size_t i = 0; i < c->r->ndetected; i++)
		if (c->r->detected[i].lic == l && c->r->detected[i].kind == RULE_LICENSE &&
		    !c->r->detected[i].third_party && c->r->detected[i].at.file)
			return c->r->detected[i].at.file;
	return l->url;
}

/* The license the card must state (c->state), or none: the ancestors' binding
 * license when the card states another, none, or an unnamed `other`; the one
 * license of every ancestor when the card states none. A license file of the
 * folder's own that says something else leaves the card alone (manual). */
static void decide_license(struct ctx *c)
{
	const struct model_record *r = c->r;
	const struct card *card = c->card;
	const struct licdef *B, *state = NULL;
	int several = 0;

	if (card && card->fm_error)
		return;
	B = binding_license(c, &several);
	if (several) {
		manual(c->p, "licenses of several families bind this model at once: state them in the "
		       "card by hand (`license: other` with a `license_name` and a LICENSE file for each)");
		return;
	}
	if (B && (has_finding(c->m, "relicensed-restricted-base", NULL) || !card || !card->nlicenses ||
		  other_unnamed(c, card, B)))
		state = B;
	else if (!B && (!card || !card->nlicenses) && c->m->nanc)
		state = single_ancestor_license(c->m);
	for (size_t i = 0; state && i < r->ndetected; i++) {
		const struct detected *d = &r->detected[i];
		if (d->kind == RULE_LICENSE && !d->third_party && d->lic && !same_family(d->lic, state) &&
		    d->lic->category != CAT_UNKNOWN) {
			manual(c->p, "'%s' is the %s but the model is bound by the %s: replace it, or say in "
			       "it and in the card what it covers; the card's license is left as it is",
			       d->at.file ? d->at.file : "a license file", d->lic->name, state->name);
			state = NULL;
		}
	}
	c->state = state;
}

/* The licensor's own release (its owner is one of the license's hub orgs) owes
 * itself no display line. */
static int licensors_release(const struct model_record *r, const struct licdef *l)
{
	for (size_t i = 0; r->owner && i < l->hub_orgs.n; i++)
		if (lt_strieq(r->owner, l->hub_orgs.v[i]))
			return 1;
	return 0;
}

/* The card: front matter that states the license and lineage, display lines. */
static int plan_card(struct ctx *c)
{
	const struct model_record *r = c->r;
	const struct card *card = c->card;
	const char *old = c->readme;
	size_t old_len = c->readme_len;
	char *cur_text;
	size_t cur_len;
	struct fm_kv kv[8];
	const char *lic_vals[1], *name_vals[1], *link_vals[1], *rel_vals[1];
	const char *bases[MAX_ITEMS];
	size_t nkv = 0, nbases = 0;
	const char *display[MAX_ITEMS];
	size_t ndisplay = 0;
	struct buf b;
	int rc = 0;
	const struct licdef *state = c->state;
	char why[512] = "";

	if (card && card->fm_error) {
		manual(c->p, "fix the card's front matter first (%s); then run lictrace fix again",
		       card->fm_error);
		return 0;
	}
	if (state) {
		int use_hub_id = state->hub_ids.n > 0 && !r->other_declared && !(card && card->license_name.value);
		if (use_hub_id) {
			lic_vals[0] = state->hub_ids.v[0];
			kv[nkv++] = (struct fm_kv){ "license", lic_vals, 1 };
		} else {
			const char *link = link_for(c, state);
			lic_vals[0] = "other";
			name_vals[0] = state->id;
			kv[nkv++] = (struct fm_kv){ "license", lic_vals, 1 };
			kv[nkv++] = (struct fm_kv){ "license_name", name_vals, 1 };
			if (link) {
				link_vals[0] = link;
				kv[nkv++] = (struct fm_kv){ "license_link", link_vals, 1 };
			}
		}
		snprintf(why, sizeof(why), "the card states the %s", state->name);
	}

	/* lineage the scan found outside the card */
	if (!card || !card->base_model_key) {
		const char *rel = NULL;
		int rel_same = 1;
		for (size_t e = 0; e < c->m->node->nparents; e++) {
			const struct ledge *ed = &c->m->node->parents[e];
			const struct parent *p = ed->p;
			if (!p || p->local_path || ed->to->status != LNODE_OK || !ed->to->rec ||
			    (p->at.file && !strcmp(p->at.file, "README.md")) || nbases >= MAX_ITEMS)
				continue;
			bases[nbases++] = ed->to->id;
			if (!rel)
				rel = p->relation;
			else if (!p->relation || strcmp(rel, p->relation))
				rel_same = 0;
		}
		if (nbases) {
			kv[nkv++] = (struct fm_kv){ "base_model", bases, nbases };
			if (rel && rel_same && !(card && card->base_model_relation.value) &&
			    (!strcmp(rel, "finetune") || !strcmp(rel, "adapter") || !strcmp(rel, "quantized") ||
			     !strcmp(rel, "merge"))) {
				rel_vals[0] = rel;
				kv[nkv++] = (struct fm_kv){ "base_model_relation", rel_vals, 1 };
			}
			snprintf(why + strlen(why), sizeof(why) - strlen(why), "%sthe base model%s found in %s",
				 *why ? "; " : "", nbases > 1 ? "s" : "", "the model's files");
		}
	}

	/* display lines the licenses ask for, when the card does not show them */
	for (size_t i = 0; i < c->m->nf; i++) {
		const struct finding *f = &c->m->f[i];
		const struct licdef *l;
		if (strcmp(f->def->id, "attribution-required") || !f->subject ||
		    !(l = licensedb_get(c->db, f->subject)))
			continue;
		for (size_t k = 0; k < l->nobligations; k++) {
			const struct obligation *ob = &l->obligations[k];
			size_t j;
			if (ob->kind != OB_ATTRIBUTION || !ob->text || !strstr(f->message, ob->text))
				continue;
			if ((card && card->body && duties_has_sentence(card->body, ob->text)) ||
			    licensors_release(r, l))
				continue;
			for (j = 0; j < ndisplay && strcmp(display[j], ob->text); j++)
				;
			if (j == ndisplay && ndisplay < MAX_ITEMS)
				display[ndisplay++] = ob->text;
		}
	}
	if (ndisplay)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%sthe display line%s the licenses ask for",
			 *why ? "; " : "", ndisplay > 1 ? "s" : "");

	if (!nkv && !ndisplay)
		goto done;
	buf_init(&b, LT_MAX_CARD_BYTES);
	if (nkv) {
		if ((rc = fm_set(&b, old ? old : "", old_len, kv, nkv, c->err)) != 0) {
			buf_release(&b);
			manual(c->p, "edit the card's front matter by hand: %s", c->err->message);
			lt_error_clear(c->err);
			rc = 0;
			goto done;
		}
	} else {
		buf_add(&b, old, old_len);
	}
	for (size_t i = 0; i < ndisplay; i++) {
		if (b.len && buf_cstr(&b)[b.len - 1] != '\n')
			buf_addc(&b, '\n');
		buf_printf(&b, "\n%s\n", display[i]);
	}
	if (buf_error(&b)) {
		buf_release(&b);
		manual(c->p, "the card is too large to edit: add %s by hand", why);
		goto done;
	}
	buf_cstr(&b);
	cur_text = buf_detach(&b, &cur_len);
	/* what we wrote must read back as meant */
	{
		struct card *check = NULL;
		struct lt_error e2;
		int ok = card_parse(&check, "README.md", cur_text, cur_len, &e2) == 0 && !check->fm_error;
		if (ok && state)
			ok = check->nlicenses == 1 && !strcmp(check->licenses[0].value, lic_vals[0]);
		if (ok && nbases)
			ok = check->nbase_models == nbases;
		card_free(check);
		if (!ok) {
			free(cur_text);
			manual(c->p, "edit the card by hand (the edit lictrace computed would not read back): %s", why);
			goto done;
		}
	}
	rc = add_change(c->p, "README.md", old, old_len, cur_text, cur_len, why);
	if (rc)
		lt_error_set(c->err, rc, NULL, 0, "out of memory");
done:
	return rc;
}

/* name-prefix: a name is suggested, never applied. */
static void plan_names(struct ctx *c)
{
	for (size_t i = 0; i < c->m->nf; i++) {
		const struct finding *f = &c->m->f[i];
		const struct licdef *l;
		char *s;
		if (strcmp(f->def->id, "name-prefix") || !f->subject || !(l = licensedb_get(c->db, f->subject)))
			continue;
		for (size_t k = 0; k < l->nobligations; k++) {
			const struct obligation *ob = &l->obligations[k];
			if (ob->kind != OB_NAME_PREFIX || !ob->text)
				continue;
			s = lt_asprintf("name the model '%s-%s' (the %s asks that a derived model's name begin "
					"with \"%s\"), and state it as model_name in the card; lictrace does not "
					"rename models", ob->text, c->r->name ? c->r->name : "NAME", l->name, ob->text);
			for (size_t j = 0; s && j < c->p->nsuggest; j++)
				if (!strcmp(c->p->suggest[j], s)) {
					free(s);
					s = NULL;
				}
			if (s)
				add_str(&c->p->suggest, &c->p->nsuggest, s);
		}
	}
}

int fix_plan_build(struct fix_plan *out, const struct model_report *m, const struct licensedb *db,
		   const struct fix_reader *rd, struct lt_error *err)
{
	struct ctx c;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	lt_error_clear(err);
	c.m = m;
	c.r = m->node->rec;
	c.db = db;
	c.rd = rd;
	c.p = out;
	c.err = err;
	if (!c.r)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "model '%s' was not read", m->node->id);
	if ((rc = read_current(rd, "README.md", &c.readme, &c.readme_len, err)) < 0)
		goto done;
	if (rc == 1 && (rc = card_parse(&c.card, "README.md", c.readme, c.readme_len, err)) != 0)
		goto done;
	decide_license(&c);
	if ((rc = plan_notice(&c)) || (rc = plan_copies(&c)) || (rc = plan_card(&c)))
		goto done;
	plan_names(&c);
done:
	for (size_t i = 0; i < c.ncopied; i++)
		free(c.copied_as[i]);
	card_free(c.card);
	free(c.readme);
	if (rc)
		fix_plan_release(out);
	return rc;
}
