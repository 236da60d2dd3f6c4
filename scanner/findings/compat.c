/* compat.c - parents whose terms cannot be combined; see compat.h. */
#include "compat.h"
#include "findings.h"
#include "core/str.h"
#include "licensedb/licensedb.h"
#include "lineage/graph.h"
#include "record/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMPAT_MAX_LICS 64     /* licenses reaching one parent side */
#define COMPAT_MAX_VISIT 4096  /* ancestors walked per side (bounded cost) */

/* Every license that binds one parent: its own and its ancestors'. */
struct side {
	const struct lnode *parent;
	const struct licdef *lic[COMPAT_MAX_LICS];
	const char *from[COMPAT_MAX_LICS]; /* the model each came from */
	size_t n;
};

static void add_lic(struct side *s, const struct licdef *l, const char *from)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->lic[i] == l)
			return;
	if (s->n < COMPAT_MAX_LICS) {
		s->lic[s->n] = l;
		s->from[s->n++] = from;
	}
}

static void collect(struct side *s, const struct lnode *start)
{
	/* read only below top and nseen: not zeroed (they are large) */
	const struct lnode **stack = malloc(COMPAT_MAX_VISIT * sizeof(*stack));
	const struct lnode **seen = malloc(COMPAT_MAX_VISIT * sizeof(*seen));
	size_t top = 0, nseen = 0;

	if (!stack || !seen) {
		free(stack);
		free(seen);
		return;
	}
	stack[top++] = start;
	while (top) {
		const struct lnode *n = stack[--top];
		const struct licdef *l[COMPAT_MAX_LICS];
		size_t k;
		int dup = 0;

		for (size_t i = 0; i < nseen && !dup; i++)
			dup = seen[i] == n;
		if (dup || nseen >= COMPAT_MAX_VISIT)
			continue;
		seen[nseen++] = n;
		if (!n->rec)
			continue;
		k = record_licenses(n->rec, l, COMPAT_MAX_LICS);
		for (size_t i = 0; i < k; i++)
			add_lic(s, l[i], n->id);
		for (size_t e = 0; e < n->nparents && top < COMPAT_MAX_VISIT; e++)
			if (!n->parents[e].closes_cycle)
				stack[top++] = n->parents[e].to;
	}
	free(stack);
	free(seen);
}

static const struct obligation *ob_of(const struct licdef *l, enum ob_kind k)
{
	for (size_t i = 0; i < l->nobligations; i++)
		if (l->obligations[i].kind == k)
			return &l->obligations[i];
	return NULL;
}

static const char *clause(const struct obligation *o)
{
	return o && o->clause ? o->clause : "clause not numbered";
}

/* CC BY-SA 4.0 §3(b) lets an adapter license its contribution under a
 * "BY-SA Compatible License"; Creative Commons lists GPLv3 as one (2015), so that
 * pair can be combined under GPLv3. */
static int sa_compatible(const struct licdef *a, const struct licdef *b)
{
	return (!strcmp(a->id, "cc-by-sa-4.0") && !strncmp(b->id, "gpl-3.0", 7)) ||
	       (!strcmp(b->id, "cc-by-sa-4.0") && !strncmp(a->id, "gpl-3.0", 7));
}

static int forbids_added_terms(const struct licdef *l)
{
	return l->relicense == RELIC_FORBIDDEN || ob_of(l, OB_USE_RESTRICTIONS) != NULL;
}

static int commercial_ok(enum lic_category c)
{
	return c != CAT_NON_COMMERCIAL && c != CAT_RESEARCH_ONLY && c != CAT_PROPRIETARY &&
	       c != CAT_FAMILY && c != CAT_UNKNOWN;
}

/* One finding per pair of parents and reason. */
static void report(struct model_report *m, const struct licensedb *db, const struct side *a,
		   size_t ia, const struct side *b, size_t ib, const char *why_a, const char *why_b,
		   const char *what)
{
	char subject[512];

	snprintf(subject, sizeof(subject), "%s + %s", a->parent->id, b->parent->id);
	for (size_t i = 0; i < m->nf; i++)
		if (!strcmp(m->f[i].def ? m->f[i].def->id : "", "incompatible-parents") && m->f[i].subject &&
		    !strcmp(m->f[i].subject, subject))
			return;
	findings_add(m, db, "incompatible-parents", subject, NULL, 0, NULL,
		     "'%s' brings the %s (from '%s': %s) and '%s' brings the %s (from '%s': %s): %s",
		     a->parent->id, a->lic[ia]->name, a->from[ia], why_a, b->parent->id, b->lic[ib]->name,
		     b->from[ib], why_b, what);
}

static void check_pair(struct model_report *m, const struct licensedb *db, const struct side *a,
		       const struct side *b)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct licdef *x = a->lic[i];
		const struct obligation *xsa = ob_of(x, OB_SHARE_ALIKE);
		for (size_t j = 0; j < b->n; j++) {
			const struct licdef *y = b->lic[j];
			const struct obligation *ysa = ob_of(y, OB_SHARE_ALIKE);
			char wa[160], wb[160];

			if (licdef_same_family(x, y))
				continue;
			if (xsa && ysa && !sa_compatible(x, y)) {
				snprintf(wa, sizeof(wa), "share-alike, %s", clause(xsa));
				snprintf(wb, sizeof(wb), "share-alike, %s", clause(ysa));
				report(m, db, a, i, b, j, wa, wb,
				       "two different share-alike licenses each require the whole model under "
				       "itself; no license can satisfy both");
			} else if (xsa && ysa) {
				continue; /* compatible share-alike pair */
			} else if (xsa && forbids_added_terms(y)) {
				snprintf(wa, sizeof(wa), "share-alike, %s", clause(xsa));
				snprintf(wb, sizeof(wb), "%s", ob_of(y, OB_USE_RESTRICTIONS)
							 ? clause(ob_of(y, OB_USE_RESTRICTIONS))
							 : "relicensing forbidden");
				report(m, db, a, i, b, j, wa, wb,
				       "share-alike forbids adding restrictions, while the other license's terms "
				       "must stay with every derivative");
			} else if (ysa && forbids_added_terms(x)) {
				snprintf(wa, sizeof(wa), "%s", ob_of(x, OB_USE_RESTRICTIONS)
							 ? clause(ob_of(x, OB_USE_RESTRICTIONS))
							 : "relicensing forbidden");
				snprintf(wb, sizeof(wb), "share-alike, %s", clause(ysa));
				report(m, db, a, i, b, j, wa, wb,
				       "share-alike forbids adding restrictions, while the other license's terms "
				       "must stay with every derivative");
			}
		}
	}
}

void compat_check(struct model_report *m, const struct licensedb *db)
{
	const struct lnode *root = m->node;
	struct side *sides;
	size_t n = 0;

	if (!root || root->nparents < 2)
		return;
	sides = calloc(root->nparents, sizeof(*sides));
	if (!sides)
		return;
	for (size_t e = 0; e < root->nparents; e++) {
		const struct lnode *p = root->parents[e].to;
		int dup = 0;
		for (size_t k = 0; k < n && !dup; k++)
			dup = sides[k].parent == p;
		/* an ancestor listed beside its own descendant is not a second parent */
		if (dup || (root->parents[e].p && root->parents[e].p->relation &&
			    !strcmp(root->parents[e].p->relation, "ancestor")))
			continue;
		sides[n].parent = p;
		collect(&sides[n], p);
		n++;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			check_pair(m, db, &sides[i], &sides[j]);
	/* a no-derivatives parent in any merge; a non-commercial parent under a child
	 * offered for commercial use */
	for (size_t i = 0; i < n && n >= 2; i++) {
		const struct side *s = &sides[i];
		const struct side *other = &sides[i == 0 ? 1 : 0];
		for (size_t k = 0; k < s->n; k++) {
			const struct obligation *nd = ob_of(s->lic[k], OB_NO_DERIVATIVES);
			if (nd)
				findings_add(m, db, "incompatible-parents", s->parent->id, NULL, 0, NULL,
					     "'%s' brings the %s (from '%s': no derivatives, %s), merged here with "
					     "'%s': material under a no-derivatives license may not be adapted, so "
					     "it cannot be merged with anything", s->parent->id, s->lic[k]->name,
					     s->from[k], clause(nd), other->parent->id);
			if ((s->lic[k]->category == CAT_NON_COMMERCIAL || s->lic[k]->category == CAT_RESEARCH_ONLY)) {
				for (size_t o = 0; o < m->nown; o++) {
					if (!commercial_ok(m->own[o]->category) || licdef_same_family(m->own[o], s->lic[k]))
						continue;
					findings_add(m, db, "incompatible-parents", s->parent->id, NULL, 0, NULL,
						     "'%s' brings the %s (from '%s': %s use only), but this merge is "
						     "offered under the %s, which allows commercial use",
						     s->parent->id, s->lic[k]->name, s->from[k],
						     s->lic[k]->category == CAT_RESEARCH_ONLY ? "research" : "non-commercial",
						     m->own[o]->name);
					break;
				}
			}
		}
	}
	free(sides);
}
