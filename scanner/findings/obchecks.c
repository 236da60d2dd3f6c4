/* obchecks.c - the checks of a model's effective obligations; see obchecks.h. */
#include "obchecks.h"
#include "assess.h"
#include "duties.h"
#include "findings.h"
#include "core/str.h"
#include "record/identity.h"
#include "record/record.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lower-case letters and digits only; "(c)" dropped: notice sentences are copied
 * with every kind of quote, dash, copyright sign and line wrap. */
static char *squash(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1), *w = o;

	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if ((s[i] == '(' || s[i] == '[') && (s[i + 1] == 'c' || s[i + 1] == 'C') &&
		    (s[i + 2] == ')' || s[i + 2] == ']')) {
			i += 2;
			continue;
		}
		if (isalnum((unsigned char)s[i]) && !((unsigned char)s[i] & 0x80))
			*w++ = (char)tolower((unsigned char)s[i]);
	}
	*w = '\0';
	return o;
}

static int has_copy(const struct model_record *r, const struct licdef *lic)
{
	for (size_t i = 0; i < r->ndetected; i++)
		if (r->detected[i].kind == RULE_LICENSE && licdef_same_family(r->detected[i].lic, lic))
			return 1;
	return 0;
}

static int has_notice(const struct model_record *r, const char *sentence)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (r->files[i].text && !strcmp(r->files[i].role, "notice") &&
		    duties_has_sentence(r->files[i].text, sentence))
			return 1;
	return 0;
}

static int name_has_prefix(const char *name, const char *prefix)
{
	char *n = squash(name), *p = squash(prefix);
	int ok = n && p && strncmp(n, p, strlen(p)) == 0;

	free(n);
	free(p);
	return ok;
}

/* The model is published by the license's own licensor (its owner is one of
 * the licensor's hub organisations): a licensor owes itself no copy, notice or
 * naming duty. */
static int is_licensors_release(const struct model_record *r, const struct licdef *lic)
{
	if (!r->owner)
		return 0;
	for (size_t i = 0; i < lic->hub_orgs.n; i++)
		if (lt_strieq(r->owner, lic->hub_orgs.v[i]))
			return 1;
	return 0;
}

static int own_has_category(const struct model_report *m, enum lic_category c)
{
	for (size_t i = 0; i < m->nown; i++)
		if (m->own[i]->category == c)
			return 1;
	return 0;
}

/* A size above which the text must be displayed (Kimi's modified MIT): what to
 * check before adoption, even on the licensor's own release. */
static void display_trigger(struct model_report *m, const struct licensedb *db, const struct eff_ob *e)
{
	const struct obligation *ob = e->ob;
	int users = ob->kind == OB_USER_THRESHOLD;
	const char *per = ob->period ? ob->period : users ? "monthly" : "annual";

	findings_add(m, db, users ? "user-threshold" : "revenue-threshold", e->lic->id, NULL, 0,
		     e->self ? NULL : e->chain,
		     "above %s%llu %s %s, a product or service using it must display \"%s\" (%s)",
		     users ? "" : "USD ", ob->value, per, users ? "active users" : "revenue", ob->text,
		     e->lic->name);
}

void obchecks_check(struct model_report *m, const struct licensedb *db,
			      const struct check_opts *opts)
{
	const struct model_record *r = m->node->rec;
	const struct ob_summary *s = &m->ob;
	char buf[64];

	for (size_t i = 0; i < s->n; i++) {
		const struct eff_ob *e = &s->v[i];
		const struct obligation *ob = e->ob;
		const char *chain = e->self ? NULL : e->chain;
		/* Shipping duties bind whoever distributes someone else's model: an
		 * ancestor's license always, the model's own license when the model derives
		 * from something or the license belongs to a model licensor (hub_orgs) that
		 * is not the publisher. A parentless model under a generic license (Apache,
		 * MIT) is taken to be its publisher's own work, and a licensor owes itself
		 * nothing. */
		int redistributes = !is_licensors_release(r, e->lic) &&
				    (!e->self || r->nparents > 0 || e->lic->hub_orgs.n > 0);

		switch (ob->kind) {
		case OB_LICENSE_COPY:
			if (redistributes && !has_copy(r, e->lic)) {
				struct finding *f = findings_add(m, db, "missing-license-copy", e->lic->id, NULL, 0, chain,
								 "%s requires shipping its text; no file in '%s' holds it",
								 e->lic->name, r->id);
				/* a standard permissive text anyone can find: a duty to meet, not
				 * a legal block (a restricted community license stays an error) */
				if (f && (e->lic->category == CAT_PERMISSIVE || e->lic->category == CAT_PUBLIC_DOMAIN))
					f->severity = SEV_WARNING;
			}
			break;
		case OB_NOTICE:
			if (redistributes && ob->text && !has_notice(r, ob->text))
				findings_add(m, db, "missing-notice", e->lic->id, NULL, 0, chain,
					     "%s requires a Notice file saying: \"%s\"", e->lic->name, ob->text);
			break;
		case OB_NAME_PREFIX:
			if (!e->self && redistributes && ob->text && r->name &&
			    !name_has_prefix(r->name, ob->text))
				findings_add(m, db, "name-prefix", e->lic->id, NULL, 0, chain,
					     "%s requires derived model names to begin with \"%s\"; this one is \"%s\" (%s%s)",
					     e->lic->name, ob->text, r->name,
					     r->name_from ? "name from the " : "name source unknown",
					     r->name_from ? (strcmp(r->name_from, IDENT_FOLDER) == 0
						     ? "folder name only: set model_name in the card to state the real name"
						     : r->name_from) : "");
			break;
		case OB_ATTRIBUTION:
			if (ob->text && duties_scope_applies(m, e))
				findings_add(m, db, "attribution-required", e->lic->id, NULL, 0, chain,
					     "%s requires displaying \"%s\"%s", e->lic->name, ob->text,
					     duties_display_only_above(s, e) ? " above a size (its user and revenue thresholds)" : "");
			break;
		case OB_USE_RESTRICTIONS: {
			struct finding *f = findings_add(m, db, "use-restrictions-passthrough", e->lic->id, NULL, 0,
							 chain, "%s's use restrictions must be part of any license for this model",
							 e->lic->name);
			/* the model carries the same license: the restrictions travel with it */
			if (f && (e->self || has_copy(r, e->lic)))
				f->severity = SEV_INFO;
			break;
		}
		case OB_OUTPUT_RESTRICTION:
		case OB_NO_IMPROVE_OTHER_MODELS:
			findings_add(m, db, "output-restriction", e->lic->id, NULL, 0, chain, "%s: %s", e->lic->name,
				     ob->text ? ob->text : "outputs may not be used to improve other models");
			break;
		default:
			break;
		}
	}
	if (s->min_users) {
		snprintf(buf, sizeof(buf), "%llu", s->min_users);
		findings_add(m, db, "user-threshold", s->users_from->lic->id, NULL, 0,
			     s->users_from->self ? NULL : s->users_from->chain,
			     "above %s %s active users a separate license is needed (%s)", buf,
			     s->users_from->ob->period && !strcmp(s->users_from->ob->period, "daily") ? "daily" : "monthly",
			     s->users_from->lic->name);
	}
	if (s->min_revenue) {
		findings_add(m, db, "revenue-threshold", s->revenue_from->lic->id, NULL, 0,
			     s->revenue_from->self ? NULL : s->revenue_from->chain,
			     "a revenue threshold of USD %llu (%s) applies (%s)", s->min_revenue,
			     s->revenue_from->ob->period ? s->revenue_from->ob->period : "annual",
			     s->revenue_from->lic->name);
	}
	/* after the thresholds that end a grant, which win the one finding per license */
	for (size_t i = 0; i < s->n; i++)
		if (ob_display_trigger(s->v[i].ob) && s->v[i].ob->value)
			display_trigger(m, db, &s->v[i]);
	if (s->non_commercial) {
		struct finding *f = findings_add(m, db, "non-commercial-inherited", s->nc_from->id, NULL, 0, NULL,
						 "%s (via '%s') allows non-commercial use only", s->nc_from->name,
						 s->nc_model ? s->nc_model : "");
		/* declared openly on the model itself: a limit to review, not a hidden taint */
		if (f && own_has_category(m, CAT_NON_COMMERCIAL))
			f->severity = SEV_WARNING;
	}
	if (s->research_only) {
		struct finding *f = findings_add(m, db, "research-only-inherited", s->research_from->id, NULL, 0,
						 NULL, "%s (via '%s') allows research use only",
						 s->research_from->name, s->research_model ? s->research_model : "");
		if (f && own_has_category(m, CAT_RESEARCH_ONLY))
			f->severity = SEV_WARNING;
	}
	/* one finding per license and scope, naming every territory it excludes */
	static const char *const tnames[][2] = {
		{ "EU", "the European Union" }, { "EEA", "the European Economic Area" },
		{ "UK", "the United Kingdom" }, { "GB", "the United Kingdom" },
		{ "KR", "South Korea" }, { "CN", "China" }, { "US", "the United States" },
	};
	for (size_t i = 0; i < s->nterritories; i++) {
		const struct territory *t = &s->territories[i];
		int scoped = strcmp(t->scope, "multimodal") == 0, seen = 0, here = 0;
		char codes[256] = "", here_codes[64] = "";

		for (size_t j = 0; j < i && !seen; j++)
			seen = s->territories[j].lic == t->lic && !strcmp(s->territories[j].scope, t->scope);
		if (seen)
			continue;
		for (size_t j = i; j < s->nterritories; j++) {
			const struct territory *u = &s->territories[j];
			if (u->lic != t->lic || strcmp(u->scope, t->scope))
				continue;
			if (assess_in_territory(opts, u->code) &&
			    (!scoped || duties_lineage_multimodal(m, u->lic))) {
				here = 1;
				snprintf(here_codes, sizeof(here_codes), "%s", u->code);
			}
			{
				const char *nm = NULL;
				for (size_t k = 0; k < sizeof(tnames) / sizeof(*tnames); k++)
					if (lt_strieq(tnames[k][0], u->code))
						nm = tnames[k][1];
				snprintf(codes + strlen(codes), sizeof(codes) - strlen(codes), "%s%s%s%s%s",
					 *codes ? ", " : "", u->code, nm ? " (" : "", nm ? nm : "", nm ? ")" : "");
			}
		}
		if (here)
			findings_add(m, db, "territory-excluded", t->lic->id, NULL, 0, NULL,
				     "%s grants no rights in %s%s (it excludes %s)", t->lic->name, here_codes,
				     scoped ? " for multimodal models" : "", codes);
		else
			findings_add(m, db, "territory-restriction", t->lic->id, NULL, 0, NULL,
				     "%s excludes %s%s", t->lic->name, codes,
				     scoped ? " (multimodal models)" : "");
	}
}
