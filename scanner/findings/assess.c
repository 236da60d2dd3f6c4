/* assess.c - duties judged against the organisation's profile; see assess.h. */
#include "assess.h"
#include "duties.h"
#include "findings.h"
#include "core/iso3166.h"
#include "core/str.h"
#include "profile/profile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WHY_MAX 1024

const char *assess_answer_name(enum assess_answer a)
{
	return a == ANSWER_YES ? "yes" : a == ANSWER_NO ? "no" : "review";
}

const char *assess_answer_words(enum assess_answer a)
{
	return a == ANSWER_YES ? "yes" : a == ANSWER_NO ? "no" : "needs review";
}

const char *assess_outcome_name(enum assess_outcome o)
{
	return o == AO_PASS ? "pass" : o == AO_FAIL ? "fail" : "review";
}

int assess_in_territory(const struct check_opts *opts, const char *code)
{
	if (!opts)
		return 0;
	if (opts->profile && opts->profile->njuris)
		return profile_in(opts->profile, code, NULL);
	return opts->jurisdiction && iso3166_within(opts->jurisdiction, code);
}

struct judge {
	struct assessment *a;
	const struct model_report *m;
	const struct profile *p;
	const struct obligation **seen; /* each obligation judged once, however many chains bring it */
	size_t nseen;
	int oom;
};

static void reason(struct judge *j, const struct eff_ob *e, const char *duty, enum assess_outcome o,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void reason(struct judge *j, const struct eff_ob *e, const char *duty, enum assess_outcome o,
		   const char *fmt, ...)
{
	struct assessment *a = j->a;
	struct assess_reason *r;
	char why[WHY_MAX];
	size_t w;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* a failure quotes the license's own explanation of the clause */
	w = strlen(why);
	if (o == AO_FAIL && e && e->ob && e->ob->note && w + 3 < sizeof(why))
		snprintf(why + w, sizeof(why) - w, " (%s)", e->ob->note);
	r = realloc(a->reasons, (a->nreasons + 1) * sizeof(*r));
	if (!r) {
		j->oom = 1;
		return;
	}
	a->reasons = r;
	r = &r[a->nreasons++];
	memset(r, 0, sizeof(*r));
	r->duty = lt_strdup(duty);
	r->license = e ? lt_strdup(e->lic->id) : NULL;
	r->clause = e && e->ob && e->ob->clause ? lt_strdup(e->ob->clause) : NULL;
	r->model = e && !e->self ? lt_strdup(e->model) : NULL; /* inherited: the ancestor */
	r->outcome = o;
	r->why = lt_strdup(why);
}

static void todo(struct judge *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void todo(struct judge *j, const char *fmt, ...)
{
	char t[WHY_MAX];
	char **v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t, sizeof(t), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < j->a->ntodo; i++)
		if (!strcmp(j->a->todo[i], t))
			return;
	v = realloc(j->a->todo, (j->a->ntodo + 1) * sizeof(*v));
	if (!v) {
		j->oom = 1;
		return;
	}
	j->a->todo = v;
	v[j->a->ntodo++] = lt_strdup(t);
}

/* The finding of this id about this license (its effective severity decides). */
static const struct finding *finding_about(const struct model_report *m, const char *id,
					   const char *lic)
{
	for (size_t i = 0; i < m->nf; i++)
		if (!strcmp(m->f[i].def->id, id) && m->f[i].subject && lic && !strcmp(m->f[i].subject, lic))
			return &m->f[i];
	return NULL;
}

static enum assess_outcome finding_outcome(const struct finding *f)
{
	if (f->exception || f->severity == SEV_INFO)
		return AO_PASS;
	return f->severity == SEV_ERROR ? AO_FAIL : AO_REVIEW;
}

static void count(unsigned long long v, char *out, size_t n)
{
	profile_fmt_count(v, out, n);
}

/* Where the profile stands against a threshold: UNKNOWN without the figure. */
enum side { BELOW, ABOVE, UNSURE, UNKNOWN };

static enum side side_of(const struct profile *p, const struct obligation *ob)
{
	int per_month = ob->period && !strcmp(ob->period, "monthly");

	if (ob->kind == OB_USER_THRESHOLD) {
		if (!p->has_users)
			return UNKNOWN;
		/* monthly users above a daily threshold: the daily figure decides */
		return p->users <= ob->value ? BELOW : ob->period && !strcmp(ob->period, "daily") ? UNSURE : ABOVE;
	}
	if (!p->has_revenue)
		return UNKNOWN;
	/* --revenue is annual: against a monthly limit, a year below it keeps every
	 * month below it; a year above twelve times it has some month above it;
	 * between, the monthly figures decide */
	return p->revenue <= ob->value ? BELOW : !per_month || p->revenue / 12 > ob->value ? ABOVE : UNSURE;
}

/* A display trigger (ob_display_trigger): crossing it starts a duty to display a
 * text, a to-do; staying below it owes nothing. Triggers of one text are
 * alternatives: one crossed decides for all. */
static void judge_display(struct judge *j, const struct eff_ob *e, const char *have, const char *lim)
{
	const struct obligation *ob = e->ob;
	const char *duty = ob->kind == OB_USER_THRESHOLD ? "user-threshold" : "revenue-threshold";
	const struct ob_summary *s = &j->m->ob;
	enum side side = side_of(j->p, ob);

	/* the text shows on commercial products or services offered to their users */
	if (j->p->use != PUSE_UNSET && j->p->use != PUSE_COMMERCIAL) {
		reason(j, e, duty, AO_PASS, "the display duty binds commercial products or services; %s use owes none",
		       profile_use_name(j->p->use));
		return;
	}
	if (j->p->dist == PDIST_INTERNAL) {
		reason(j, e, duty, AO_PASS, "the display duty binds products or services offered to users; internal use owes none");
		return;
	}
	if (side == ABOVE) {
		reason(j, e, duty, AO_PASS, "%s, above %s: display \"%s\": on the to-do list", have, lim, ob->text);
		todo(j, "display \"%s\" on the user interface of products or services using it (%s%s%s)", ob->text,
		     e->lic->name, ob->clause ? " " : "", ob->clause ? ob->clause : "");
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].lic == e->lic && s->v[i].ob != ob && ob_display_trigger(s->v[i].ob) &&
		    !strcmp(s->v[i].ob->text, ob->text) && side_of(j->p, s->v[i].ob) == ABOVE) {
			reason(j, e, duty, AO_PASS, "\"%s\" must be displayed anyway: the %s is above its trigger", ob->text,
			       s->v[i].ob->kind == OB_USER_THRESHOLD ? "user count" : "revenue");
			return;
		}
	if (side == UNKNOWN)
		reason(j, e, duty, AO_REVIEW, "no --%s given: above %s, products or services using it must display \"%s\" (%s)",
		       ob->kind == OB_USER_THRESHOLD ? "users" : "revenue", lim, ob->text, e->lic->name);
	else if (side == BELOW)
		reason(j, e, duty, AO_PASS, "%s, not above %s: no display duty", have, lim);
	else
		reason(j, e, duty, AO_REVIEW, "%s could pass %s: the exact figures decide whether \"%s\" must be displayed",
		       have, lim, ob->text);
}

static void judge_users(struct judge *j, const struct eff_ob *e)
{
	const struct obligation *ob = e->ob;
	char have[32], lim[32], when[160] = "", h[80], l[80];
	int daily = ob->period && !strcmp(ob->period, "daily");

	count(ob->value, lim, sizeof(lim));
	if (ob_display_trigger(ob)) {
		snprintf(l, sizeof(l), "%s %s active users", lim, daily ? "daily" : "monthly");
		count(j->p->users, have, sizeof(have));
		snprintf(h, sizeof(h), "%s monthly users", have);
		judge_display(j, e, h, l);
		return;
	}
	if (ob->note && strstr(ob->note, "release date"))
		snprintf(when, sizeof(when), "; the license counts the users of the calendar month before its release date%s%s%s",
			 e->lic->date ? " (" : "", e->lic->date ? e->lic->date : "", e->lic->date ? ")" : "");
	if (!j->p->has_users) {
		reason(j, e, "user-threshold", AO_REVIEW, "no --users given: %s needs a separate license above %s %s active users%s",
		       e->lic->name, lim, daily ? "daily" : "monthly", when);
		return;
	}
	count(j->p->users, have, sizeof(have));
	if (j->p->users <= ob->value)
		reason(j, e, "user-threshold", AO_PASS, "%s monthly users %s %s %s active users%s", have,
		       j->p->users < ob->value ? "<" : "=", lim, daily ? "daily" : "monthly", when);
	else if (daily)
		/* monthly users above a daily threshold: the daily figure decides */
		reason(j, e, "user-threshold", AO_REVIEW, "%s monthly users > %s, but the threshold counts daily active users: the daily figure decides",
		       have, lim);
	else
		reason(j, e, "user-threshold", AO_FAIL, "%s monthly users > %s: a separate license from the licensor is needed%s",
		       have, lim, when);
}

static void judge_revenue(struct judge *j, const struct eff_ob *e)
{
	const struct obligation *ob = e->ob;
	char have[32], lim[32], h[80], l[80];
	int monthly = ob->period && !strcmp(ob->period, "monthly");
	enum side side = side_of(j->p, ob);

	count(ob->value, lim, sizeof(lim));
	count(j->p->revenue, have, sizeof(have));
	if (ob_display_trigger(ob)) {
		snprintf(l, sizeof(l), "USD %s %s", lim, monthly ? "a month" : "a year");
		snprintf(h, sizeof(h), "USD %s a year", have);
		judge_display(j, e, h, l);
		return;
	}
	if (!j->p->has_revenue)
		reason(j, e, "revenue-threshold", AO_REVIEW, "no --revenue given: %s sets a threshold of USD %s %s",
		       e->lic->name, lim, monthly ? "a month" : "a year");
	else if (!monthly)
		reason(j, e, "revenue-threshold", side == BELOW ? AO_PASS : AO_FAIL, "USD %s a year %s USD %s", have,
		       side == ABOVE ? ">" : j->p->revenue < ob->value ? "<" : "=", lim);
	else if (side == BELOW)
		reason(j, e, "revenue-threshold", AO_PASS, "USD %s a year, so no month above USD %s", have, lim);
	else if (side == ABOVE)
		reason(j, e, "revenue-threshold", AO_FAIL, "USD %s a year averages more than USD %s a month", have, lim);
	else
		reason(j, e, "revenue-threshold", AO_REVIEW, "USD %s a year could pass USD %s in some month: the monthly figures decide",
		       have, lim);
}

static void judge_territory(struct judge *j, const struct eff_ob *e)
{
	const struct obligation *ob = e->ob;
	char list[256] = "", who[4] = "", jt[80];
	int multimodal = ob->scope && !strcmp(ob->scope, "multimodal");

	for (size_t t = 0; t < ob->territories.n; t++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", t ? ", " : "",
			 ob->territories.v[t]);
	if (multimodal && !duties_lineage_multimodal(j->m, e->lic)) {
		reason(j, e, "territory-exclusion", AO_PASS, "%s excludes %s for multimodal models only; this model and its lineage are not multimodal",
		       e->lic->name, list);
		return;
	}
	if (!j->p->njuris) {
		reason(j, e, "territory-exclusion", AO_REVIEW, "no --jurisdiction given: %s grants no rights in %s%s",
		       e->lic->name, list, multimodal ? " for multimodal models" : "");
		return;
	}
	profile_juris_text(j->p, jt, sizeof(jt));
	for (size_t t = 0; t < ob->territories.n; t++)
		if (profile_in(j->p, ob->territories.v[t], who)) {
			if (lt_strieq(who, ob->territories.v[t]))
				reason(j, e, "territory-exclusion", AO_FAIL, "%s grants no rights in %s", e->lic->name, who);
			else
				reason(j, e, "territory-exclusion", AO_FAIL, "%s is in %s, where %s grants no rights", who,
				       ob->territories.v[t], e->lic->name);
			return;
		}
	reason(j, e, "territory-exclusion", AO_PASS, "%s %s outside %s", jt, j->p->njuris > 1 ? "are" : "is", list);
}

static void judge_use(struct judge *j, const struct eff_ob *e, const struct licdef *lic, int research)
{
	const char *duty = research ? "research-only" : "non-commercial";
	const char *use = profile_use_name(j->p->use);
	struct eff_ob tmp;

	if (!e) { /* the license's category, not an obligation: no clause */
		const struct ob_summary *s = &j->m->ob;
		const char *via = research ? (s->research_from == lic ? s->research_model : NULL)
					   : (s->nc_from == lic ? s->nc_model : NULL);
		memset(&tmp, 0, sizeof(tmp));
		tmp.lic = lic;
		tmp.model = via;
		/* the scanned model's own license: no "via" */
		tmp.self = !via || !strcmp(via, j->m->node->id);
		e = &tmp;
	}
	if (!use)
		reason(j, e, duty, AO_REVIEW, "no --use given: %s allows %s use only", lic->name,
		       research ? "research" : "non-commercial");
	else if (j->p->use == PUSE_RESEARCH || (!research && j->p->use == PUSE_NONCOMMERCIAL))
		reason(j, e, duty, AO_PASS, "%s use is within %s's %s limit", use, lic->name,
		       research ? "research-only" : "non-commercial");
	else
		reason(j, e, duty, AO_FAIL, "%s use: %s allows %s use only", use, lic->name,
		       research ? "research" : "non-commercial");
}

/* Limits on what outputs may be used for that are about training other models. */
static int about_training(const struct obligation *ob)
{
	static const char *const words[] = { "train", "fine-tune", "distil", "improve", "develop" };

	if (ob->kind == OB_NO_IMPROVE_OTHER_MODELS || !ob->text)
		return 1;
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strcasestr(ob->text, words[i]))
			return 1;
	return 0;
}

static void judge_outputs(struct judge *j, const struct eff_ob *e)
{
	const char *text = e->ob->text ? e->ob->text : "outputs may not be used to improve other models";

	if (!about_training(e->ob)) {
		reason(j, e, "output-restriction", AO_PASS, "a limit on using outputs, on the to-do list");
		todo(j, "use outputs only as %s allows: %s", e->lic->name, text);
		return;
	}
	/* --train-on-outputs is a flag: a profile without it does not train on outputs */
	if (j->p->train == 1)
		reason(j, e, "output-restriction", AO_FAIL, "the outputs would train or improve other models: %s", text);
	else
		reason(j, e, "output-restriction", AO_PASS, "outputs do not train other models (no --train-on-outputs)");
}

static const char *dist_word(const struct profile *p)
{
	return profile_dist_name(p->dist);
}

/* Duties that bind whoever publishes the model files. */
static void judge_shipping(struct judge *j, const struct eff_ob *e, const char *duty, const char *finding,
			   const char *what)
{
	const struct finding *f;

	if (j->p->dist == PDIST_UNSET) {
		reason(j, e, duty, AO_REVIEW, "no --distribution given: %s: a duty of whoever publishes the model", what);
		return;
	}
	if (j->p->dist != PDIST_WEIGHTS) {
		reason(j, e, duty, AO_PASS, "%s: a duty of whoever publishes the model; %s use does not publish it", what,
		       dist_word(j->p));
		return;
	}
	if (!finding) {
		reason(j, e, duty, AO_PASS, "%s: on the to-do list", what);
		todo(j, "%s (%s%s%s)", what, e->lic->name, e->ob->clause ? " " : "", e->ob->clause ? e->ob->clause : "");
		return;
	}
	f = finding_about(j->m, finding, e->lic->id);
	if (f && finding_outcome(f) != AO_PASS)
		reason(j, e, duty, finding_outcome(f), "weights are published: %s", f->message);
	else
		reason(j, e, duty, AO_PASS, "weights are published and the repository meets it (%s)%s", what,
		       f && f->exception ? "; accepted by a policy exception" : "");
}

/* Duties that bind whoever offers the model to others (hosted or published). */
static void judge_offering(struct judge *j, const struct eff_ob *e, const char *duty, const char *what)
{
	if (j->p->dist == PDIST_UNSET)
		reason(j, e, duty, AO_REVIEW, "no --distribution given: %s: a duty of whoever offers the model to others", what);
	else if (j->p->dist == PDIST_INTERNAL)
		reason(j, e, duty, AO_PASS, "%s: a duty of whoever offers the model to others; internal use does not", what);
	else {
		reason(j, e, duty, AO_PASS, "%s: on the to-do list", what);
		todo(j, "%s (%s%s%s)", what, e->lic->name, e->ob->clause ? " " : "", e->ob->clause ? e->ob->clause : "");
	}
}

static int seen(struct judge *j, const struct obligation *ob)
{
	const struct obligation **v;

	for (size_t i = 0; i < j->nseen; i++)
		if (j->seen[i] == ob)
			return 1;
	v = realloc(j->seen, (j->nseen + 1) * sizeof(*v));
	if (!v) {
		j->oom = 1;
		return 1;
	}
	j->seen = v;
	v[j->nseen++] = ob;
	return 0;
}

static void judge_duty(struct judge *j, const struct eff_ob *e)
{
	const struct obligation *ob = e->ob;
	char what[WHY_MAX];

	if (ob->kind != OB_TERRITORY_EXCLUSION && !duties_scope_applies(j->m, e))
		return;
	switch (ob->kind) {
	case OB_USER_THRESHOLD:
		if (ob->value)
			judge_users(j, e);
		break;
	case OB_REVENUE_THRESHOLD:
		if (ob->value)
			judge_revenue(j, e);
		break;
	case OB_TERRITORY_EXCLUSION:
		judge_territory(j, e);
		break;
	case OB_NON_COMMERCIAL:
		judge_use(j, e, e->lic, 0);
		break;
	case OB_RESEARCH_ONLY:
		judge_use(j, e, e->lic, 1);
		break;
	case OB_OUTPUT_RESTRICTION:
	case OB_NO_IMPROVE_OTHER_MODELS:
		judge_outputs(j, e);
		break;
	case OB_LICENSE_COPY:
		judge_shipping(j, e, "license-copy", "missing-license-copy", "ship a copy of the license text");
		break;
	case OB_NOTICE:
		snprintf(what, sizeof(what), "ship a Notice file saying \"%s\"", ob->text ? ob->text : "");
		judge_shipping(j, e, "notice", ob->text ? "missing-notice" : NULL, what);
		break;
	case OB_NAME_PREFIX:
		snprintf(what, sizeof(what), "begin the published model's name with \"%s\"", ob->text ? ob->text : "");
		judge_shipping(j, e, "name-prefix", e->self ? NULL : "name-prefix", what);
		break;
	case OB_MARK_MODIFICATIONS:
		judge_shipping(j, e, "mark-modifications", NULL, "mark the files you modified");
		break;
	case OB_KEEP_NOTICES:
		judge_shipping(j, e, "keep-notices", NULL, "keep the copyright and license notices");
		break;
	case OB_SHARE_ALIKE:
		judge_shipping(j, e, "share-alike", "share-alike-conflict", "publish adaptations under the same license");
		break;
	case OB_NO_DERIVATIVES:
		judge_shipping(j, e, "no-derivatives", "no-derivatives-violated", "publish no adapted versions");
		break;
	case OB_ATTRIBUTION:
		/* owed only above a size: the display trigger judges it */
		if (duties_display_only_above(&j->m->ob, e))
			break;
		snprintf(what, sizeof(what), "display \"%s\"", ob->text ? ob->text : "the attribution the license asks for");
		judge_offering(j, e, "attribution", what);
		break;
	case OB_NO_SUBLICENSE:
		judge_offering(j, e, "no-sublicense", "grant users no sublicense");
		break;
	case OB_DISCLOSE_SOURCE:
		judge_offering(j, e, "disclose-source", "offer the corresponding source");
		break;
	case OB_USE_RESTRICTIONS:
		reason(j, e, "use-restrictions", AO_PASS, "use restrictions: on the to-do list");
		todo(j, "keep to %s's use restrictions%s", e->lic->name,
		     j->p->dist == PDIST_INTERNAL ? "" : " and make them part of the terms you give users");
		break;
	case OB_ACCEPTABLE_USE:
		reason(j, e, "acceptable-use", AO_PASS, "the acceptable use policy: on the to-do list");
		todo(j, "follow %s's acceptable use policy%s%s", e->lic->name, ob->url ? " " : "", ob->url ? ob->url : "");
		break;
	case OB_REGISTRATION:
		if (j->p->use == PUSE_UNSET)
			reason(j, e, "registration", AO_REVIEW, "no --use given: %s asks for registration before commercial use",
			       e->lic->name);
		else if (j->p->use != PUSE_COMMERCIAL)
			reason(j, e, "registration", AO_PASS, "registration is for commercial use; %s use needs none",
			       profile_use_name(j->p->use));
		else {
			reason(j, e, "registration", AO_PASS, "registration before commercial use: on the to-do list");
			todo(j, "register with the licensor before commercial use (%s%s%s)", e->lic->name,
			     ob->url ? ", " : "", ob->url ? ob->url : "");
		}
		break;
	case OB_GUARDRAILS: {
		const struct finding *f = finding_about(j->m, "guardrails-removed", e->lic->id);
		if (f && finding_outcome(f) != AO_PASS)
			reason(j, e, "guardrails", finding_outcome(f), "%s", f->message);
		else
			reason(j, e, "guardrails", AO_PASS, "no sign that the model's safety guardrails were removed");
		break;
	}
	default:
		break;
	}
}

/* Findings a profile decides: assess judges their duties itself. */
static int profile_decides(const char *id)
{
	static const char *const ids[] = {
		"user-threshold", "revenue-threshold", "territory-excluded", "territory-restriction",
		"non-commercial-inherited", "research-only-inherited", "output-restriction",
		"missing-license-copy", "missing-notice", "name-prefix", "attribution-required",
		"use-restrictions-passthrough", "registration-required", "no-derivatives-violated",
		"share-alike-conflict", "guardrails-removed",
	};

	if (lt_starts_with(id, "checklist-"))
		return 1;
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		if (!strcmp(ids[i], id))
			return 1;
	return 0;
}

static int has_kind(const struct ob_summary *s, const struct licdef *lic, enum ob_kind k)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].lic == lic && s->v[i].ob->kind == k)
			return 1;
	return 0;
}

static int rank(enum assess_outcome o)
{
	return o == AO_FAIL ? 0 : o == AO_REVIEW ? 1 : 2;
}

static int cmp_reason(const void *x, const void *y)
{
	const struct assess_reason *a = x, *b = y;
	return rank(a->outcome) - rank(b->outcome);
}

struct assessment *assess_model(const struct model_report *m, const struct profile *p)
{
	struct judge j;
	char q[512];
	const struct ob_summary *s = &m->ob;

	memset(&j, 0, sizeof(j));
	j.m = m;
	j.p = p;
	j.a = calloc(1, sizeof(*j.a));
	if (!j.a)
		return NULL;
	profile_describe(p, q, sizeof(q));
	j.a->question = lt_asprintf("Cleared for %s", q);
	for (size_t i = 0; i < s->n; i++)
		if (!seen(&j, s->v[i].ob))
			judge_duty(&j, &s->v[i]);
	/* a license whose category limits use, with no obligation saying so */
	for (size_t i = 0; i < m->neffective; i++) {
		const struct licdef *l = m->effective[i];
		if (l->category == CAT_NON_COMMERCIAL && !has_kind(s, l, OB_NON_COMMERCIAL) && s->non_commercial)
			judge_use(&j, NULL, l, 0);
		if (l->category == CAT_RESEARCH_ONLY && !has_kind(s, l, OB_RESEARCH_ONLY) && s->research_only)
			judge_use(&j, NULL, l, 1);
	}
	/* what no profile decides */
	for (size_t i = 0; i < m->nf; i++) {
		const struct finding *f = &m->f[i];
		struct assess_reason *r;
		enum assess_outcome o;
		if (f->exception || profile_decides(f->def->id))
			continue;
		if (f->incomplete)
			o = AO_REVIEW;
		else if (f->severity == SEV_INFO)
			continue;
		else
			o = f->severity == SEV_ERROR ? AO_FAIL : AO_REVIEW;
		reason(&j, NULL, f->def->id, o, "%s%s", f->incomplete ? "not known: " : "", f->message);
		if (j.oom)
			break;
		r = &j.a->reasons[j.a->nreasons - 1];
		r->license = f->subject ? lt_strdup(f->subject) : NULL;
	}
	free(j.seen);
	if (j.oom || !j.a->question) {
		assessment_free(j.a);
		return NULL;
	}
	j.a->answer = ANSWER_YES;
	for (size_t i = 0; i < j.a->nreasons; i++) {
		if (j.a->reasons[i].outcome == AO_FAIL)
			j.a->answer = ANSWER_NO;
		else if (j.a->reasons[i].outcome == AO_REVIEW && j.a->answer == ANSWER_YES)
			j.a->answer = ANSWER_REVIEW;
	}
	if (j.a->nreasons > 1) /* qsort is not stable: keep the order within an outcome */
		for (size_t i = 1; i < j.a->nreasons; i++)
			for (size_t k = i; k > 0 && cmp_reason(&j.a->reasons[k - 1], &j.a->reasons[k]) > 0; k--) {
				struct assess_reason t = j.a->reasons[k];
				j.a->reasons[k] = j.a->reasons[k - 1];
				j.a->reasons[k - 1] = t;
			}
	return j.a;
}

void assessment_free(struct assessment *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nreasons; i++) {
		free(a->reasons[i].duty);
		free(a->reasons[i].license);
		free(a->reasons[i].clause);
		free(a->reasons[i].model);
		free(a->reasons[i].why);
	}
	free(a->reasons);
	for (size_t i = 0; i < a->ntodo; i++)
		free(a->todo[i]);
	free(a->todo);
	free(a->question);
	free(a);
}
