/* obligations.c - inherit and combine duties; see obligations.h. */
#include "obligations.h"
#include "core/vec.h"
#include "core/err.h"
#include "core/str.h"
#include "licensedb/licensedb.h"

#include <stdlib.h>
#include <string.h>

static int push(struct ob_summary *s, const struct obligation *ob, const struct ob_input *in)
{
	struct eff_ob *p;

	for (size_t i = 0; i < s->n; i++) { /* one entry per duty; the first chain is the closest */
		if (s->v[i].ob != ob)
			continue;
		/* the model's own license is also an ancestor's: the duty is inherited
		 * (derivative-only duties such as the naming rule then apply) */
		if (s->v[i].self && !in->self) {
			s->v[i].self = 0;
			s->v[i].chain = in->chain;
			s->v[i].model = in->model ? in->model : "";
		}
		return 0;
	}
	if (VEC_GROW_(s))
		return LT_ENOMEM;
	p = s->v;
	p[s->n].ob = ob;
	p[s->n].lic = in->lic;
	p[s->n].model = in->model ? in->model : "";
	p[s->n].chain = in->chain;
	p[s->n].self = in->self;
	s->n++;
	return 0;
}

static void add_territory(struct ob_summary *s, const char *code, const char *scope,
			  const struct licdef *lic, const char *model)
{
	struct territory *p;
	const char *sc = scope ? scope : "all";

	for (size_t i = 0; i < s->nterritories; i++)
		if (lt_strieq(s->territories[i].code, code)) {
			/* "all" is wider than "multimodal": keep the wider scope */
			if (strcmp(sc, "all") == 0 && strcmp(s->territories[i].scope, "all") != 0) {
				free(s->territories[i].scope);
				s->territories[i].scope = lt_strdup("all");
				s->territories[i].lic = lic;
			}
			return;
		}
	p = realloc(s->territories, (s->nterritories + 1) * sizeof(*p));
	if (!p)
		return;
	s->territories = p;
	p[s->nterritories].code = lt_strdup(code);
	p[s->nterritories].scope = lt_strdup(sc);
	p[s->nterritories].lic = lic;
	p[s->nterritories].model = lt_strdup(model ? model : "");
	s->nterritories++;
}

int obligations_compute(struct ob_summary *s, const struct ob_input *in, size_t n)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		const struct licdef *lic = in[i].lic;
		if (!lic)
			continue;
		if (lic->category == CAT_NON_COMMERCIAL && !s->non_commercial) {
			s->non_commercial = 1;
			s->nc_from = lic;
			s->nc_model = lt_strdup(in[i].model);
		}
		if (lic->category == CAT_RESEARCH_ONLY && !s->research_only) {
			s->research_only = 1;
			s->research_from = lic;
			s->research_model = lt_strdup(in[i].model);
		}
		for (size_t j = 0; j < lic->nobligations; j++) {
			const struct obligation *ob = &lic->obligations[j];
			if (!in[i].self && !ob->flows)
				continue;
			if (push(s, ob, &in[i]))
				return LT_ENOMEM;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct eff_ob *e = &s->v[i];
		switch (e->ob->kind) {
		case OB_USER_THRESHOLD:
			/* a display trigger ends no grant: findings and assess judge it alone */
			if (e->ob->value && !ob_display_trigger(e->ob) && (!s->min_users || e->ob->value < s->min_users)) {
				s->min_users = e->ob->value;
				s->users_from = e;
			}
			break;
		case OB_REVENUE_THRESHOLD:
			if (e->ob->value && !ob_display_trigger(e->ob) && (!s->min_revenue || e->ob->value < s->min_revenue)) {
				s->min_revenue = e->ob->value;
				s->revenue_from = e;
			}
			break;
		case OB_TERRITORY_EXCLUSION:
			for (size_t t = 0; t < e->ob->territories.n; t++)
				add_territory(s, e->ob->territories.v[t], e->ob->scope, e->lic, e->model);
			break;
		case OB_NON_COMMERCIAL:
			if (!s->non_commercial) {
				s->non_commercial = 1;
				s->nc_from = e->lic;
				s->nc_model = lt_strdup(e->model);
			}
			break;
		case OB_RESEARCH_ONLY:
			if (!s->research_only) {
				s->research_only = 1;
				s->research_from = e->lic;
				s->research_model = lt_strdup(e->model);
			}
			break;
		case OB_USE_RESTRICTIONS:
		case OB_ACCEPTABLE_USE:
			s->use_restrictions = 1;
			break;
		case OB_OUTPUT_RESTRICTION:
		case OB_NO_IMPROVE_OTHER_MODELS:
			s->output_limits = 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

void obligations_release(struct ob_summary *s)
{
	free(s->v);
	for (size_t i = 0; i < s->nterritories; i++) {
		free(s->territories[i].code);
		free(s->territories[i].scope);
		free(s->territories[i].model);
	}
	free(s->territories);
	free(s->nc_model);
	free(s->research_model);
	memset(s, 0, sizeof(*s));
}
