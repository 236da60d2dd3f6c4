/*
 * findings.c - checks on one scanned model and its chain; see findings.h.
 *
 * The checks fail closed: when a fact is missing (no license, an unknown text, an
 * ancestor that cannot be resolved) the finding says what is missing and the
 * verdict can never be `pass`.
 */
#include "findings.h"
#include "datasets.h"
#include "aiact.h"
#include "assess.h"
#include "compat.h"
#include "licensedb/family.h"
#include "duties.h"
#include "obchecks.h"
#include "core/err.h"
#include "core/str.h"
#include "core/vec.h"
#include "core/iso3166.h"
#include "record/record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LICS 64

const char *const findings_ids[] = {
	"no-license", "unknown-declared-license", "family-license-id", "license-needs-review",
	"other-without-name", "license-link-missing", "declared-detected-mismatch", "third-party-license",
	"ancestor-mislabelled", "config-unreadable", "incompatible-parents",
	"dataset-noncommercial", "dataset-output-restricted", "dataset-license-unknown",
	"dataset-attribution", "dataset-share-alike", "dataset-unresolved",
	"declared-conflict", "unknown-license-text", "modified-license-text",
	"license-file-unreadable", "licence-key-misspelt", "prose-license-only", "card-malformed",
	"card-duplicate-key",
	"source-problem", "gated-repository", "weights-license-differs",
	"relicensed-restricted-base", "missing-license-copy", "missing-notice", "name-prefix",
	"attribution-required", "non-commercial-inherited", "research-only-inherited",
	"user-threshold", "revenue-threshold", "territory-excluded", "territory-restriction",
	"use-restrictions-passthrough", "output-restriction", "parent-unresolved",
	"parent-local-path", "lineage-cycle", "lineage-too-deep", "ancestor-license-unknown",
	"policy-denied", "policy-review", "target-unreadable",
	/* duties.c */
	"registration-required", "no-derivatives-violated", "share-alike-conflict",
	"guardrails-removed", "checklist-keep-notices", "checklist-mark-modifications",
	"checklist-no-sublicense", "checklist-acceptable-use", "checklist-disclose-source", NULL,
};

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "pass";
	case VERDICT_REVIEW: return "review";
	case VERDICT_INCOMPLETE: return "incomplete";
	case VERDICT_FAIL: return "fail";
	}
	return "fail";
}

/* A finding's strings, copied into one block headed by model (the one freed,
 * see findings.h); NULL parts stay NULL. 0, or -1 out of memory. */
static int set_strings(struct finding *f, const char *model, const char *subject, const char *message,
		       const char *file, const char *chain)
{
	const char *parts[5] = { model, subject, message, file, chain };
	char **to[5] = { &f->model, &f->subject, &f->message, &f->file, &f->chain };
	size_t len[5], total = 0;
	char *b;

	for (int k = 0; k < 5; k++)
		total += (len[k] = parts[k] ? strlen(parts[k]) + 1 : 0);
	if (!(b = malloc(total)))
		return -1;
	for (int k = 0; k < 5; k++)
		if (parts[k]) {
			memcpy(b, parts[k], len[k]);
			*to[k] = b;
			b += len[k];
		}
	return 0;
}

struct finding *findings_add(struct model_report *m, const struct licensedb *db, const char *id,
			     const char *subject, const char *file, int line, const char *chain,
			     const char *fmt, ...)
{
	const struct finding_def *def = licensedb_finding(db, id);
	struct finding *f;
	char msg[1024];
	va_list ap;

	if (!def)
		return NULL; /* rules check guarantees every id the code uses exists */
	for (size_t i = 0; i < m->nf; i++) /* the same finding about the same thing once */
		if (m->f[i].def == def && ((!subject && !m->f[i].subject) ||
					   (subject && m->f[i].subject && !strcmp(subject, m->f[i].subject))) &&
		    ((!file && !m->f[i].file) || (file && m->f[i].file && !strcmp(file, m->f[i].file))))
			return NULL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (m->nf == m->fcap && vec_grow_((void **)&m->f, &m->fcap, sizeof(*m->f)))
		return NULL;
	f = &m->f[m->nf];
	memset(f, 0, sizeof(*f));
	if (set_strings(f, m->node && m->node->id ? m->node->id : "", subject, msg,
			file && *file ? file : NULL, chain))
		return NULL;
	m->nf++;
	f->def = def;
	f->severity = def->severity;
	f->line = line;
	return f;
}

static int add_lic(const struct licdef **out, size_t n, size_t max, const struct licdef *l)
{
	if (!l)
		return (int)n;
	for (size_t i = 0; i < n; i++)
		if (out[i] == l)
			return (int)n;
	if (n < max)
		out[n++] = l;
	return (int)n;
}

/* A family named with no version (card `license: gemma`, `license_name:
 * tencent-hunyuan-community`, a family title) whose version the model's own
 * license text pins: the text's exact version stands for it. */
static int family_pinned_by_text(const struct model_record *r, const struct licdef *l)
{
	if (!l || (l->version && *l->version))
		return 0;
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct detected *t = &r->detected[i];
		if (t->kind == RULE_LICENSE && !t->third_party && t->lic && t->lic != l &&
		    t->lic->version && *t->lic->version && licdef_same_family(t->lic, l))
			return 1;
	}
	return 0;
}

/* The model's own license text says another version of the same family than
 * the declared id (card llama3, LICENSE the Llama 3.1 text): the text is the
 * stronger evidence. Returns that detection, or NULL. */
const struct detected *record_text_overrides(const struct model_record *r, const struct licdef *D)
{
	if (!D || !D->version || !*D->version)
		return NULL;
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct detected *t = &r->detected[i];
		if (t->kind == RULE_LICENSE && !t->third_party && t->lic && t->lic != D &&
		    t->confidence >= 0.9 && t->lic->version && *t->lic->version &&
		    licdef_same_family(D, t->lic) && strcmp(D->version, t->lic->version) != 0)
			return t;
	}
	return NULL;
}

size_t record_licenses(const struct model_record *r, const struct licdef **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->ndeclared; i++) {
		const char *field = r->declared[i].at.field ? r->declared[i].at.field : "";
		/* weight-file metadata is evidence, not the model's declaration */
		if (!strncmp(field, "general.", 8) || !strncmp(field, "modelspec.", 10))
			continue;
		if (family_pinned_by_text(r, r->declared[i].lic))
			continue;
		n = (size_t)add_lic(out, n, max, r->declared[i].lic);
	}
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct licdef *l = r->detected[i].lic;
		int subsumed = 0;
		if (r->detected[i].kind != RULE_LICENSE || r->detected[i].third_party)
			continue;
		/* a family guess (no version: a title or a Notice sentence naming the
		 * family) adds nothing when the same family's exact version is known:
		 * its worst-case facts must not stand beside the real ones */
		if (l && (!l->version || !*l->version)) {
			for (size_t j = 0; j < r->ndetected && !subsumed; j++)
				subsumed = r->detected[j].kind == RULE_LICENSE && r->detected[j].lic &&
					   r->detected[j].lic != l && r->detected[j].lic->version &&
					   *r->detected[j].lic->version && licdef_same_family(r->detected[j].lic, l);
			for (size_t j = 0; j < r->ndeclared && !subsumed; j++)
				subsumed = r->declared[j].lic && r->declared[j].lic->version &&
					   *r->declared[j].lic->version && licdef_same_family(r->declared[j].lic, l);
		}
		if (!subsumed)
			n = (size_t)add_lic(out, n, max, l);
	}
	/* `license: other` only says "see license_name / the text": once either names
	 * a known license, `other` adds nothing */
	if (n > 1) {
		size_t w = 0;
		int known = 0;
		for (size_t i = 0; i < n; i++)
			known |= out[i]->category != CAT_UNKNOWN;
		for (size_t i = 0; i < n; i++)
			if (!known || out[i]->category != CAT_UNKNOWN)
				out[w++] = out[i];
		n = w;
	}
	return n;
}

/* A family named with no version, found only in a text at low confidence (a
 * title or a Notice sentence): the license is shown and needs review, but its
 * worst-case facts (the family's strictest threshold) are no one's obligations. */
static int family_guess_only(const struct model_record *r, const struct licdef *l)
{
	int seen = 0;

	if (!l || (l->version && *l->version))
		return 0;
	for (size_t i = 0; i < r->ndeclared; i++)
		if (r->declared[i].lic == l)
			return 0;
	for (size_t i = 0; i < r->ndetected; i++)
		if (r->detected[i].lic == l) {
			if (r->detected[i].confidence >= 0.9)
				return 0;
			seen = 1;
		}
	return seen;
}

/* An ancestor's licenses as they flow down: a declared id that its own license
 * text contradicts (another version of the family) gives way to the text. */
/* A version declared on ancestor n (no text of it in n) that n's own parent
 * contradicts: the parent carries another version of the same family (a card
 * saying `llama3` on a fine-tune of Llama 3.1). Returns that parent, or NULL. */
static const struct lnode *parent_contradicts(const struct lnode *n, const struct licdef *D)
{
	const struct model_record *r = n->rec;

	if (!D || !D->version || !*D->version)
		return NULL;
	for (size_t j = 0; j < r->ndetected; j++)
		if (r->detected[j].lic == D && !r->detected[j].third_party)
			return NULL;
	for (size_t e = 0; e < n->nparents; e++) {
		const struct lnode *p = n->parents[e].to;
		const struct licdef *pl[MAX_LICS];
		size_t np;
		if (!p->rec || n->parents[e].closes_cycle)
			continue;
		np = record_licenses(p->rec, pl, MAX_LICS);
		for (size_t k = 0; k < np; k++)
			if (pl[k] != D && pl[k]->version && *pl[k]->version && licdef_same_family(pl[k], D) &&
			    strcmp(pl[k]->version, D->version) != 0)
				return p;
	}
	return NULL;
}

static size_t ancestor_licenses(const struct lnode *node, const struct licdef **out, size_t max)
{
	const struct model_record *r = node->rec;
	size_t n = record_licenses(r, out, max), w = 0;

	for (size_t i = 0; i < n; i++) {
		int drop = 0;
		for (size_t j = 0; j < r->ndeclared && !drop; j++)
			drop = r->declared[j].lic == out[i] &&
			       (record_text_overrides(r, out[i]) != NULL || parent_contradicts(node, out[i]));
		/* kept when the text itself also is this license */
		for (size_t j = 0; j < r->ndetected && drop; j++)
			if (r->detected[j].lic == out[i] && !r->detected[j].third_party)
				drop = 0;
		if (!drop)
			out[w++] = out[i];
	}
	return w;
}

/* --- single-model checks --- */

static void check_own(struct model_report *m, const struct licensedb *db)
{
	const struct model_record *r = m->node->rec;
	int declared_any = 0, resolved_fam = 0;
	const struct declared *first_resolved = NULL;

	for (size_t i = 0; i < r->nnotes; i++) {
		struct finding *f = findings_add(m, db, r->notes[i].finding, NULL, r->notes[i].at.file,
						 r->notes[i].at.line, NULL, "%s", r->notes[i].message);
		if (f && (!strcmp(r->notes[i].finding, "target-unreadable") ||
			  !strcmp(r->notes[i].finding, "config-unreadable")))
			f->incomplete = 1;
	}

	for (size_t i = 0; i < r->ndeclared; i++) {
		const struct declared *d = &r->declared[i];
		const char *field = d->at.field ? d->at.field : "";
		int weights = !strncmp(field, "general.", 8) || !strncmp(field, "modelspec.", 10);

		if (!weights)
			declared_any = 1;
		if (!d->lic) {
			/* license_name is free text for `other`; unknown there means review */
			findings_add(m, db, strcmp(field, "license_name") == 0 ? "license-needs-review"
										 : "unknown-declared-license",
				     d->value, d->at.file, d->at.line, NULL,
				     "'%s' (%s) is not a license lictrace knows", d->value, field);
			continue;
		}
		if (family_pinned_by_text(r, d->lic))
			; /* the text says which version: nothing to review about the id */
		else if (d->lic->category == CAT_FAMILY)
			findings_add(m, db, "family-license-id", d->lic->id, d->at.file, d->at.line, NULL,
				     "'%s' names the %s family, not one license", d->value, d->lic->name);
		else if (d->lic->review && strcmp(d->lic->id, "other") != 0)
			findings_add(m, db, "license-needs-review", d->lic->id, d->at.file, d->at.line, NULL,
				     "'%s' (%s) needs a human review", d->value, d->lic->name);
		if (!strcmp(d->lic->id, "unknown"))
			findings_add(m, db, "license-needs-review", "unknown", d->at.file, d->at.line, NULL,
				     "the card declares the license as unknown");
		if (weights)
			continue;
		if (d->lic->category != CAT_FAMILY && d->lic->category != CAT_UNKNOWN) {
			if (first_resolved && !licdef_same_family(first_resolved->lic, d->lic))
				findings_add(m, db, "declared-conflict", d->lic->id, d->at.file, d->at.line, NULL,
					     "'%s' (%s) and '%s' (%s) name different licenses",
					     first_resolved->value, first_resolved->at.field ? first_resolved->at.field : "",
					     d->value, field);
			if (!first_resolved)
				first_resolved = d;
			resolved_fam++;
		}
	}
	if (r->other_declared && !r->has_license_name && !r->has_license_link)
		findings_add(m, db, "other-without-name", NULL, "README.md", 0, NULL,
			     "the card says `license: other` and names no license");
	if (r->other_declared) {
		int named = 0;
		for (size_t i = 0; i < m->nown; i++)
			named |= m->own[i]->category != CAT_UNKNOWN;
		if (!named)
			findings_add(m, db, "license-needs-review", "other", "README.md", 0, NULL,
				     "`license: other`: the terms are not on the Hub's list and need a review");
	}

	/* weight-file metadata that disagrees with the card */
	for (size_t i = 0; i < r->ndeclared; i++) {
		const struct declared *d = &r->declared[i];
		const char *field = d->at.field ? d->at.field : "";
		if (strncmp(field, "general.", 8) && strncmp(field, "modelspec.", 10))
			continue;
		if (first_resolved && d->lic && !licdef_same_family(first_resolved->lic, d->lic))
			findings_add(m, db, "weights-license-differs", d->lic->id, d->at.file, 0, NULL,
				     "%s in '%s' says '%s' but the card says '%s'", field, d->at.file,
				     d->value, first_resolved->value);
	}

	/* license texts */
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct lic_file *f = &r->files[i];
		if (f->modified_from)
			findings_add(m, db, "modified-license-text", f->modified_from, f->path, 1, NULL,
				     "'%s' resembles %s but differs from it", f->path, f->modified_from);
		else if (f->unknown && !f->unreadable)
			findings_add(m, db, "unknown-license-text", NULL, f->path, 1, NULL,
				     "the text of '%s' matches no known license", f->path);
	}

	/* a license found only in a text that needs review (a family named with no
	 * version, a definition marked review) and not declared: review, never pass */
	{
		const struct licdef *own[MAX_LICS];
		size_t no = record_licenses(r, own, MAX_LICS);
		for (size_t i = 0; i < no; i++) {
			int declared = 0;
			const struct detected *t = NULL;
			if (!own[i]->review || !strcmp(own[i]->id, "other"))
				continue;
			for (size_t j = 0; j < r->ndeclared; j++)
				declared |= r->declared[j].lic == own[i];
			for (size_t j = 0; j < r->ndetected && !t; j++)
				if (r->detected[j].lic == own[i] && !r->detected[j].third_party)
					t = &r->detected[j];
			if (declared || !t)
				continue;
			findings_add(m, db, "license-needs-review", own[i]->id, t->at.file, t->at.line, NULL,
				     (!own[i]->version || !*own[i]->version)
					     ? "'%s' names the %s but no version's text: which terms bind is not known"
					     : "'%s' holds the %s, which needs a human review",
				     t->at.file, own[i]->name);
		}
	}

	/* bundled third-party material: its license is not the model's; keep its notice */
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct detected *t = &r->detected[i];
		if (t->kind == RULE_LICENSE && t->third_party && t->lic)
			findings_add(m, db, "third-party-license", t->lic->id, t->at.file, t->at.line, NULL,
				     "'%s' includes the %s for bundled third-party material (line %d): keep "
				     "it and its notices with the model", t->at.file, t->lic->name, t->at.line);
	}

	/* declared vs detected */
	if (resolved_fam) {
		for (size_t i = 0; i < r->ndetected; i++) {
			const struct detected *t = &r->detected[i];
			int match = 0;
			if (t->kind != RULE_LICENSE || t->third_party)
				continue;
			for (size_t j = 0; j < r->ndeclared; j++) {
				const struct licdef *D = r->declared[j].lic;
				/* same family counts unless both name different versions
				 * (card llama3.1, text Llama 3: a mismatch) */
				if (D && licdef_same_family(D, t->lic) &&
				    (D == t->lic || !D->version || !*D->version || !t->lic->version ||
				     !*t->lic->version || !strcmp(D->version, t->lic->version)))
					match = 1;
			}
			if (!match && first_resolved)
				findings_add(m, db, "declared-detected-mismatch", t->lic->id, t->at.file,
					     t->at.line, NULL, "the card declares '%s' but '%s' is %s",
					     first_resolved->value, t->at.file, t->lic->name);
		}
	}

	if (!declared_any && r->ndetected == 0 && strcmp(r->source_kind, "unreadable")) {
		int files = 0;
		for (size_t i = 0; i < r->nfiles; i++)
			if (!strcmp(r->files[i].role, "license"))
				files++;
		if (!files) {
			const struct licdef *fam = r->name ? licensedb_family_of_name(db, r->name) : NULL;
			if (fam)
				findings_add(m, db, "no-license", NULL, r->has_card ? "README.md" : NULL, 0, NULL,
					     "no license is declared and no license file was found; the name "
					     "'%s' suggests a %s model by %s, whose models come under licenses "
					     "such as the %s: find which one binds it",
					     r->name, fam->family, fam->licensor ? fam->licensor : "its licensor",
					     fam->name);
			else
				findings_add(m, db, "no-license", NULL, r->has_card ? "README.md" : NULL, 0, NULL,
					     "no license is declared and no license file was found");
		}
	}
}

/* --- lineage checks --- */

static int rank(const struct licdef *l)
{
	return (int)l->category;
}

static void check_lineage(struct model_report *m, const struct licensedb *db,
			  const struct check_opts *opts)
{
	const struct model_record *r = m->node->rec;
	const struct licdef *al[MAX_LICS];

	for (size_t i = 0; i < m->nanc; i++) {
		const struct lancestor *a = &m->anc[i];
		const struct lnode *n = a->node;
		size_t nal;

		if (n->status == LNODE_LOCAL_PATH) {
			/* what the model at a local path was bound by is unknown, unless the
			 * path is plainly a copy of a parent the card names */
			struct finding *f;
			if (n->same_as)
				f = findings_add(m, db, "parent-local-path", n->id, NULL, 0, a->chain,
						 "the base model '%s' is a local path, taken for a local copy of '%s'",
						 n->id, n->same_as);
			else
				f = findings_add(m, db, "parent-local-path", n->id, NULL, 0, a->chain,
						 "the base model '%s' is a local path: what it was bound by is unknown",
						 n->id);
			if (f) {
				f->incomplete = !n->same_as;
				if (n->same_as)
					f->severity = SEV_WARNING;
			}
			continue;
		}
		if (n->status == LNODE_UNRESOLVED || !n->rec) {
			/* named only in a card's prose: weaker than metadata, so a base that
			 * cannot be found asks for review (never a pass) rather than making
			 * the whole verdict incomplete */
			int prose = 0;
			for (size_t k = 0; k < m->nanc && !prose; k++)
				for (size_t e = 0; e < m->anc[k].node->nparents; e++)
					if (m->anc[k].node->parents[e].to == n && m->anc[k].node->parents[e].p &&
					    m->anc[k].node->parents[e].p->at.field &&
					    (!strcmp(m->anc[k].node->parents[e].p->at.field, "prose") ||
					     !strcmp(m->anc[k].node->parents[e].p->at.field, "family tag")))
						prose = 1;
			for (size_t e = 0; e < m->node->nparents && !prose; e++)
				if (m->node->parents[e].to == n && m->node->parents[e].p &&
				    m->node->parents[e].p->at.field &&
				    (!strcmp(m->node->parents[e].p->at.field, "prose") ||
				     !strcmp(m->node->parents[e].p->at.field, "family tag")))
					prose = 1;
			struct finding *f = findings_add(m, db, "parent-unresolved", n->id, NULL, 0, a->chain,
							 "the base model '%s'%s could not be resolved: %s", n->id,
							 prose ? " (named in the card's prose)" : "",
							 n->error ? n->error : "unknown error");
			if (f) {
				f->incomplete = !prose;
				if (prose)
					f->severity = SEV_WARNING;
			}
			continue;
		}
		if (n->rec->nparents && !n->expanded) {
			struct finding *f = findings_add(m, db, "lineage-too-deep", n->id, NULL, 0, a->chain,
							 "the chain was cut at '%s' (depth %d)", n->id, a->depth);
			if (f)
				f->incomplete = 1;
		}
		for (size_t e = 0; e < n->nparents; e++)
			if (n->parents[e].closes_cycle)
				findings_add(m, db, "lineage-cycle", n->parents[e].to->id, NULL, 0, a->chain,
					     "'%s' names '%s' as a base model, which leads back into the chain",
					     n->id, n->parents[e].to->id);
		for (size_t k = 0; k < n->rec->ndeclared; k++) {
			const struct declared *D = &n->rec->declared[k];
			const struct detected *t = record_text_overrides(n->rec, D->lic);
			const struct lnode *pc = t ? NULL : parent_contradicts(n, D->lic);
			if (t)
				findings_add(m, db, "ancestor-mislabelled", n->id, t->at.file, t->at.line, a->chain,
					     "'%s' declares '%s' (%s) but its %s is the %s; the text's terms are "
					     "what flow down", n->id, D->value, D->lic->name, t->at.file, t->lic->name);
			else if (pc)
				findings_add(m, db, "ancestor-mislabelled", n->id, D->at.file, D->at.line, a->chain,
					     "'%s' declares '%s' (%s) but derives from '%s', which is under another "
					     "version of that license; the parent's terms are what flow down",
					     n->id, D->value, D->lic->name, pc->id);
		}
		nal = ancestor_licenses(n, al, MAX_LICS);
		if (nal == 0)
			findings_add(m, db, "ancestor-license-unknown", n->id, NULL, 0, a->chain,
				     "the ancestor '%s' declares no license lictrace can read", n->id);
		for (size_t k = 0; k < nal; k++) {
			const struct licdef *A = al[k];
			if (A->review || A->category == CAT_FAMILY || A->category == CAT_UNKNOWN) {
				findings_add(m, db, "ancestor-license-unknown", n->id, NULL, 0, a->chain,
					     "the ancestor '%s' is under '%s', which needs review", n->id, A->id);
				continue;
			}
			if (A->relicense == RELIC_ALLOWED)
				continue;
			/* relicensing: a declared license more permissive than the ancestor's */
			for (size_t d = 0; d < r->ndeclared; d++) {
				const struct declared *D = &r->declared[d];
				const char *field = D->at.field ? D->at.field : "";
				int carried = 0;
				if (!D->lic || !strncmp(field, "general.", 8) || !strncmp(field, "modelspec.", 10))
					continue;
				if (D->lic->category == CAT_FAMILY || D->lic->category == CAT_UNKNOWN)
					continue;
				for (size_t x = 0; x < r->ndeclared; x++)
					if (r->declared[x].lic && licdef_same_family(r->declared[x].lic, A))
						carried = 1;
				if (carried)
					continue;
				if (rank(D->lic) < rank(A) ||
				    (A->relicense == RELIC_FORBIDDEN && !licdef_same_family(D->lic, A)))
					findings_add(m, db, "relicensed-restricted-base", A->id, D->at.file,
						     D->at.line, a->chain,
						     "the card declares '%s' but its ancestor '%s' is under %s, which %s",
						     D->value, n->id, A->name,
						     A->relicense == RELIC_FORBIDDEN
							     ? "does not allow another license"
							     : "keeps binding derivatives");
			}
		}
	}
	(void)opts;
}

int findings_check(struct model_report *m, const struct licensedb *db, const struct lgraph *g,
		   struct lnode *root, const struct check_opts *opts, struct lt_error *err)
{
	const struct licdef *buf[MAX_LICS];
	struct ob_input *in = NULL;
	size_t nin = 0, cap;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	m->node = root;
	if (!root->rec)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "model '%s' has no record", root->id);
	lgraph_ancestors(g, root, &m->anc, &m->nanc);
	m->nown = record_licenses(root->rec, buf, MAX_LICS);
	m->own = calloc(m->nown ? m->nown : 1, sizeof(*m->own));
	if (!m->own)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	memcpy(m->own, buf, m->nown * sizeof(*buf));

	/* room for the usual one or two licenses a model, grown when an ancestor
	 * brings more: a block sized for the worst case (64 an ancestor) was a large
	 * allocation for every model, and each one made malloc consolidate its bins */
	cap = m->nown + 2 * (m->nanc + 1);
	in = malloc(cap * sizeof(*in));
	if (!in)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < m->nown; i++) {
		if (family_guess_only(root->rec, m->own[i]))
			continue;
		memset(&in[nin], 0, sizeof(*in));
		in[nin].lic = m->own[i];
		in[nin].model = root->id;
		in[nin].self = 1;
		nin++;
	}
	for (size_t i = 0; i < m->nanc; i++) {
		const struct lnode *n = m->anc[i].node;
		size_t k;
		if (!n->rec)
			continue;
		k = ancestor_licenses(n, buf, MAX_LICS);
		if (nin + k > cap) {
			struct ob_input *more;
			cap = 2 * cap + k;
			if (!(more = realloc(in, cap * sizeof(*in)))) {
				free(in);
				return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
			}
			in = more;
		}
		for (size_t j = 0; j < k; j++) {
			if (family_guess_only(n->rec, buf[j]))
				continue;
			memset(&in[nin], 0, sizeof(*in));
			in[nin].lic = buf[j];
			in[nin].model = n->id;
			in[nin].chain = m->anc[i].chain;
			in[nin].self = 0;
			nin++;
		}
	}
	rc = obligations_compute(&m->ob, in, nin);
	m->effective = calloc(nin ? nin : 1, sizeof(*m->effective));
	for (size_t i = 0; m->effective && i < nin; i++) {
		size_t j = 0;
		while (j < m->neffective && m->effective[j] != in[i].lic)
			j++;
		if (j == m->neffective)
			m->effective[m->neffective++] = in[i].lic;
	}
	free(in);
	if (rc || !m->effective)
		return lt_error_set(err, rc ? rc : LT_ENOMEM, NULL, 0, "out of memory");
	check_own(m, db);
	check_lineage(m, db, opts);
	obchecks_check(m, db, opts);
	duties_check(m, db);
	compat_check(m, db);
	if (root->rec->truncated) {
		struct finding *f = findings_add(m, db, "source-problem", NULL, NULL, 0, NULL,
						 "some input of '%s' was truncated", root->id);
		if (f)
			f->incomplete = 1;
	}
	return 0;
}

void model_report_release(struct model_report *m)
{
	for (size_t i = 0; i < m->nf; i++) {
		struct finding *f = &m->f[i];
		free(f->model); /* and subject, message, file, chain: one block (findings_add) */
		free(f->exception);
	}
	free(m->f);
	lgraph_ancestors_free(m->anc, m->nanc);
	free(m->own);
	free(m->effective);
	obligations_release(&m->ob);
	assessment_free(m->assessment);
	aiact_free(m->aiact);
	findings_datasets_release(m);
	memset(m, 0, sizeof(*m));
}

enum verdict verdict_parse(const char *v)
{
	if (v && !strcmp(v, "pass"))
		return VERDICT_PASS;
	if (v && !strcmp(v, "review"))
		return VERDICT_REVIEW;
	if (v && !strcmp(v, "fail"))
		return VERDICT_FAIL;
	return VERDICT_INCOMPLETE;
}
