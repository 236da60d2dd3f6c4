/* aiact.c - the EU AI Act view of a model's effective licenses; see aiact.h. */
#include "aiact.h"
#include "assess.h"
#include "findings.h"
#include "core/str.h"
#include "licensedb/licensedb.h"

#include <stdlib.h>
#include <string.h>

const char *aiact_value_name(enum aiact_value v)
{
	return v == AIACT_LIKELY ? "likely" : v == AIACT_UNLIKELY ? "unlikely" : "unknown";
}

static int push(struct aiact *a, const struct licdef *l, const char *clause, const char *why)
{
	struct aiact_reason *v = realloc(a->v, (a->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	a->v = v;
	v[a->n].license = l->id;
	v[a->n].clause = clause;
	v[a->n].why = lt_strdup(why);
	a->n++;
	return 0;
}

/* Obligation kinds that a free and open-source licence does not impose. */
static const char *disqualifies(enum ob_kind k)
{
	switch (k) {
	case OB_NON_COMMERCIAL: return "commercial use is not allowed";
	case OB_RESEARCH_ONLY: return "only research use is allowed";
	case OB_USER_THRESHOLD: return "a user-count threshold limits the grant";
	case OB_REVENUE_THRESHOLD: return "a revenue threshold limits the grant";
	case OB_ACCEPTABLE_USE: return "an acceptable use policy restricts the fields of use";
	case OB_USE_RESTRICTIONS: return "use restrictions bind every user and derivative";
	case OB_TERRITORY_EXCLUSION: return "some territories are excluded";
	case OB_OUTPUT_RESTRICTION: return "the use of outputs is restricted";
	case OB_NO_IMPROVE_OTHER_MODELS: return "outputs may not improve other models";
	case OB_NO_DERIVATIVES: return "modified versions may not be distributed";
	case OB_REGISTRATION: return "commercial use needs registration with the licensor";
	case OB_GUARDRAILS: return "the grant ends when safety guardrails are removed";
	default: return NULL;
	}
}

static int in_eu(const struct check_opts *opts)
{
	return assess_in_territory(opts, "EU") || assess_in_territory(opts, "EEA");
}

struct aiact *aiact_assess(const struct model_report *m, const struct check_opts *opts)
{
	struct aiact *a;
	int unknown = 0, unlikely = 0;

	if (!opts || !in_eu(opts))
		return NULL;
	if (!(a = calloc(1, sizeof(*a))))
		return NULL;
	for (size_t i = 0; i < m->neffective; i++) {
		const struct licdef *l = m->effective[i];
		int bad = 0;

		if (l->category == CAT_UNKNOWN || l->category == CAT_FAMILY) {
			unknown = 1;
			push(a, l, NULL, "the license is not known, so its terms cannot be judged");
			continue;
		}
		if (l->category == CAT_NON_COMMERCIAL || l->category == CAT_RESEARCH_ONLY ||
		    l->category == CAT_PROPRIETARY) {
			bad = 1;
			push(a, l, NULL, l->category == CAT_PROPRIETARY ? "a proprietary license"
				: l->category == CAT_RESEARCH_ONLY ? "only research use is allowed"
								   : "commercial use is not allowed");
		}
		for (size_t k = 0; k < l->nobligations; k++) {
			/* a display duty above a size is attribution, which free licenses ask too */
			const char *why = ob_display_trigger(&l->obligations[k]) ? NULL
					  : disqualifies(l->obligations[k].kind);
			int dup = 0;
			if (!why)
				continue;
			for (size_t j = 0; j < a->n && !dup; j++)
				dup = a->v[j].license == l->id && !strcmp(a->v[j].why, why);
			if (!dup)
				push(a, l, l->obligations[k].clause, why);
			bad = 1;
		}
		unlikely |= bad;
	}
	if (!m->neffective) {
		unknown = 1;
	}
	a->value = unlikely ? AIACT_UNLIKELY : unknown ? AIACT_UNKNOWN : AIACT_LIKELY;
	return a;
}

void aiact_free(struct aiact *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].why);
	free(a->v);
	free(a);
}
