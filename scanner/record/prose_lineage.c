/*
 * prose_lineage.c - the lineage a card states only in its text: the license
 * ("released under the NVIDIA Open Model License"), the base models ("a
 * fine-tuned version of LLAMA-2", a merge card's model list and printed mergekit
 * config, a family tag), and where they are placed once the whole repository is
 * read (record_build). See docs/REPORT.md, "Lineage evidence and relations".
 */
#include "record_int.h"
#include "core/err.h"
#include "core/str.h"
#include "evidence/card.h"
#include "evidence/mergekit.h"
#include "evidence/prose.h"
#include "licensedb/family.h"
#include "licensedb/licensedb.h"

#include <string.h>
#include <strings.h>

/* "released under the NVIDIA Open Model License": a name a definition answers
 * to (as written, or with "Agreement" added) becomes the prose declaration. */
void rec_prose_license(struct model_record *r, const struct licensedb *db, const struct card *c)
{
	struct prose_hit *h = NULL;
	size_t n = 0;

	if (prose_license_names(c, &h, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char *with = lt_asprintf("%s Agreement", h[i].value);
		const struct licdef *l = licensedb_lookup_exact(db, h[i].value);
		const char *v = h[i].value;
		if (!l && with && (l = licensedb_lookup_exact(db, with)) != NULL)
			v = with;
		if (l) {
			add_declared(r, db, v, "README.md", h[i].line, "prose");
			record_note(r, "prose-license-only", "README.md", h[i].line,
				    "the card states the license '%s' (%s) only in its text", h[i].value, l->name);
			free(with);
			break;
		}
		free(with);
	}
	prose_hits_free(h, n);
}

/* A mergekit config in a fenced ```yaml block of the card (merge cards print the
 * config they were made with): its models are parents, as in a config file. */
void rec_card_mergekit(struct model_record *r, const struct card *c)
{
	const char *text;
	size_t len;
	int line;
	struct mergekit *mk = NULL;
	struct lt_error err;

	if (prose_mergekit_block(c, &text, &len, &line) != 1)
		return;
	if (mergekit_parse(&mk, "README.md", text, len, &err) != 0)
		return; /* an example that does not parse is not evidence */
	for (size_t i = 0; i < mk->nmodels; i++)
		add_parent(r, mk->models[i].model, mk->nmodels > 1 ? "merge" : NULL, "README.md",
			   line + (mk->models[i].line > 0 ? mk->models[i].line - 1 : 0), "mergekit (card)", NULL);
	mergekit_free(mk);
}

/* Base models the prose names; placed by place_prose_parents(). */
void rec_collect_prose_bases(struct model_record *r, const struct card *c)
{
	struct prose_hit *h = NULL;
	size_t n = 0;

	if (prose_merge_list(c, &h, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct parent p;
			memset(&p, 0, sizeof(p));
			p.id = h[i].value;
			h[i].value = NULL;
			p.local_path = 1; /* a Hub id: taken as it is */
			p.relation = n > 1 ? lt_strdup("merge") : NULL;
			p.at = at("README.md", h[i].line, "prose");
			PUSH(r->prose_bases, r->nprose_bases, p);
		}
		prose_hits_free(h, n);
	}
	h = NULL;
	n = 0;
	if (prose_base_models(c, &h, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct parent p;
		memset(&p, 0, sizeof(p));
		p.id = h[i].value;
		h[i].value = NULL;
		p.local_path = h[i].link; /* reused below: 1 = from a Hub link */
		p.at = at("README.md", h[i].line, "prose");
		PUSH(r->prose_bases, r->nprose_bases, p);
	}
	prose_hits_free(h, n);
}

/* The licensor organisation a bare model name belongs to: the first hub
 * organisation of the license family whose name starts the model's name
 * ("Qwen-7B-Chat" -> Qwen), or NULL. */
static const char *family_org(const struct licensedb *db, const char *name, const char **family)
{
	const struct licdef *d = licensedb_family_of_name(db, name);

	if (!d)
		return NULL;
	*family = d->family;
	return d->hub_orgs.v[0];
}

/* A name that means license l describes the model itself, not a parent, when
 * the model is the licensor's own (its owner is one of l's hub organisations) or
 * already carries a license of l's family ("llama-3" on Meta's Llama 3.1 card). */
static int names_own_family(const struct model_record *r, const struct licdef *l)
{
	for (size_t i = 0; r->owner && i < l->hub_orgs.n; i++)
		if (lt_strieq(r->owner, l->hub_orgs.v[i]))
			return 1;
	for (size_t i = 0; i < r->ndeclared; i++)
		if (r->declared[i].lic && r->declared[i].lic->family && l->family &&
		    !strcmp(r->declared[i].lic->family, l->family))
			return 1;
	for (size_t i = 0; i < r->ndetected; i++)
		if (r->detected[i].lic && !r->detected[i].third_party && r->detected[i].lic->family &&
		    l->family && !strcmp(r->detected[i].lic->family, l->family))
			return 1;
	return 0;
}

static const char *last_segment(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/*
 * Base models named only in the prose count when nothing else names a parent:
 * a Hub id or link as it is; a name that means one license ("LLAMA-2") as a
 * named parent carrying that license; a model of a known licensor family
 * ("Qwen-7B-Chat") under that licensor's organisation, resolved like any id
 * (not found: unresolved, so incomplete). Names of no known family are not
 * guessed at. A config's local _name_or_path counts when nothing else does,
 * and is taken for the local copy of a parent whose name starts its own.
 */
void rec_place_prose_parents(struct model_record *r, const struct licensedb *db)
{
	int have = 0;
	size_t first_prose = r->nparents;

	for (size_t i = 0; i < r->nparents; i++)
		have |= !r->parents[i].local_path;
	for (size_t i = 0; !have && i < r->nprose_bases; i++) {
		const struct parent *b = &r->prose_bases[i];
		const struct licdef *l;
		const char *family = NULL, *org;
		char *why;

		/* a publisher's prose about its own family ("Yi-VL-34B is based on
		 * Yi-34B") is not this model's lineage */
		if (record_is_hub_id(b->id) && r->owner &&
		    !strncasecmp(b->id, r->owner, strlen(r->owner)) && b->id[strlen(r->owner)] == '/')
			continue;
		if (b->local_path || record_is_hub_id(b->id)) {
			add_parent(r, b->id, b->relation, b->at.file, b->at.line, b->at.field,
				   "named in the card's prose");
		} else if ((l = licensedb_lookup_exact(db, b->id)) != NULL && l->version && *l->version &&
			   !names_own_family(r, l)) {
			why = lt_asprintf("named in the card's %s as '%s', a name for the %s",
					  strcmp(b->at.field, "family tag") ? "prose" : "tags", b->id, l->name);
			add_parent(r, b->id, NULL, b->at.file, b->at.line, b->at.field, why);
			free(why);
			if (r->nparents && lt_strieq(r->parents[r->nparents - 1].id, b->id)) {
				r->parents[r->nparents - 1].local_path = 0;
				r->parents[r->nparents - 1].named_lic = l;
			}
		} else if ((org = family_org(db, b->id, &family)) != NULL &&
			   !(r->owner && lt_strieq(r->owner, org))) {
			char *id = lt_asprintf("%s/%s", org, b->id);
			why = lt_asprintf("named in the card's prose as '%s'; organisation of the %s licensor",
					  b->id, family);
			if (id)
				add_parent(r, id, NULL, b->at.file, b->at.line, "prose", why);
			free(why);
			free(id);
		}
	}
	if (r->local_origin) {
		struct parent *o = r->local_origin;
		const char *base = last_segment(o->id);
		const char *same = NULL;
		int any = 0;
		for (size_t i = 0; i < r->nparents; i++)
			any |= !r->parents[i].local_path;
		for (size_t i = first_prose; i < r->nparents && !same; i++) {
			const char *pn = last_segment(r->parents[i].id);
			if (strlen(pn) >= 3 && strncasecmp(base, pn, strlen(pn)) == 0)
				same = r->parents[i].id;
		}
		if (!any || same) {
			add_parent(r, o->id, NULL, o->at.file, o->at.line, o->at.field, NULL);
			if (same && r->nparents && r->parents[r->nparents - 1].local_path)
				r->parents[r->nparents - 1].same_as = lt_strdup(same);
		}
	}
}

struct model_record *record_named(const char *id, const struct licdef *lic, const struct where *w)
{
	struct model_record *r = calloc(1, sizeof(*r));
	struct declared d;

	if (!r)
		return NULL;
	r->id = lt_strdup(id);
	r->name = lt_strdup(id);
	r->name_from = "card prose";
	r->target = lt_strdup(id);
	r->source_kind = lt_strdup("named");
	memset(&d, 0, sizeof(d));
	d.value = lt_strdup(id);
	d.lic = lic;
	d.at = at(w && w->file ? w->file : "README.md", w ? w->line : 0, "prose");
	PUSH(r->declared, r->ndeclared, d);
	return r;
}

