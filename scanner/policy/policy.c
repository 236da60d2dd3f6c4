/* policy.c - organisation policy and verdicts; see policy.h. */
#include "policy.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/str.h"
#include "profile/profile.h"
#include "record/record.h"
#include "yamlx/yamlx.h"

#include <stdlib.h>
#include <string.h>

/* A policy is a short list of rules; 1 MiB is a mistake. */
#define POLICY_MAX_BYTES (1u << 20)

enum action { ACT_ALLOW, ACT_REVIEW, ACT_DENY };
enum subj { S_LICENSE, S_CATEGORY, S_OBLIGATION, S_LICENSOR, S_TERRITORY, S_FINDING, S__COUNT };
static const char *const subj_names[S__COUNT] = { "license", "category", "obligation",
						  "licensor", "territory", "finding" };

struct prule {
	enum subj subj;
	struct strlist values;
	enum action action;
	char *reason;
	int line;
};

struct pexc {
	char *model;
	struct strlist findings;
	char *reason, *approver, *expires;
	int line;
};

struct policy {
	struct prule *rules;
	size_t nrules;
	struct pexc *exc;
	size_t nexc;
	char *path;
	struct profile profile; /* the `profile:` section; unset fields when absent */
};

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int list_of(const struct ynode *n, struct strlist *out)
{
	size_t k = n->kind == Y_SEQ ? yx_count(n) : 1;

	out->v = calloc(k ? k : 1, sizeof(*out->v));
	if (!out->v)
		return LT_ENOMEM;
	for (size_t i = 0; i < k; i++) {
		const char *s = yx_str(n->kind == Y_SEQ ? yx_item(n, i) : n);
		if (s)
			out->v[out->n++] = lt_strdup(s);
	}
	return out->n ? 0 : LT_EINVAL;
}

static int valid_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

int policy_load(struct policy **out, const char *path, struct lt_error *err)
{
	struct policy *p = calloc(1, sizeof(*p));
	struct buf b;
	struct ydoc *doc = NULL;
	const struct ynode *root, *rules, *exc;
	int rc = 0;

	*out = NULL;
	if (!p)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	profile_init(&p->profile);
	if (!path) {
		*out = p;
		return 0;
	}
	p->path = lt_strdup(path);
	buf_init(&b, POLICY_MAX_BYTES);
	if ((rc = lt_read_file(&b, path, POLICY_MAX_BYTES, err)))
		goto done;
	if ((rc = yx_parse(&doc, buf_cstr(&b), b.len, NULL, path, err)))
		goto done;
	root = yx_root(doc);
	if (!root || root->kind != Y_MAP) {
		rc = lt_error_set(err, LT_EINVAL, path, 1, "policy '%s' must be a mapping", path);
		goto done;
	}
	for (size_t i = 0; i < yx_count(root); i++) {
		const char *k = yx_str(yx_key(root, i));
		if (!k || (strcmp(k, "rules") && strcmp(k, "exceptions") && strcmp(k, "profile"))) {
			rc = lt_error_set(err, LT_EINVAL, path, yx_key(root, i)->line,
					  "unknown key '%s' in policy", k ? k : "?");
			goto done;
		}
	}
	if (yx_get(root, "profile") &&
	    (rc = profile_from_yaml(&p->profile, yx_get(root, "profile"), path, err)))
		goto done;
	rules = yx_get(root, "rules");
	for (size_t i = 0; i < yx_count(rules); i++) {
		const struct ynode *r = yx_item(rules, i);
		struct prule pr;
		int found = 0;
		const char *act = yx_str(yx_get(r, "action"));

		memset(&pr, 0, sizeof(pr));
		pr.line = r ? r->line : 0;
		for (int s = 0; s < S__COUNT; s++) {
			const struct ynode *v = yx_get(r, subj_names[s]);
			if (!v)
				continue;
			if (found++ || list_of(v, &pr.values)) {
				strlist_free(&pr.values);
				rc = lt_error_set(err, LT_EINVAL, path, pr.line,
						  "a policy rule needs exactly one non-empty subject (license, category, obligation, licensor, territory or finding)");
				goto done;
			}
			pr.subj = (enum subj)s;
		}
		if (!found) {
			rc = lt_error_set(err, LT_EINVAL, path, pr.line, "a policy rule names no subject");
			goto done;
		}
		if (act && !strcmp(act, "allow"))
			pr.action = ACT_ALLOW;
		else if (act && !strcmp(act, "review"))
			pr.action = ACT_REVIEW;
		else if (act && !strcmp(act, "deny"))
			pr.action = ACT_DENY;
		else {
			strlist_free(&pr.values);
			rc = lt_error_set(err, LT_EINVAL, path, pr.line, "policy rule action must be allow, review or deny");
			goto done;
		}
		pr.reason = lt_strdup(yx_str(yx_get(r, "reason")));
		struct prule *np = realloc(p->rules, (p->nrules + 1) * sizeof(*np));
		if (!np) {
			rc = LT_ENOMEM;
			goto done;
		}
		p->rules = np;
		p->rules[p->nrules++] = pr;
	}
	exc = yx_get(root, "exceptions");
	for (size_t i = 0; i < yx_count(exc); i++) {
		const struct ynode *e = yx_item(exc, i);
		struct pexc pe;
		const struct ynode *fl = yx_get(e, "findings");

		memset(&pe, 0, sizeof(pe));
		pe.line = e ? e->line : 0;
		pe.model = lt_strdup(yx_str(yx_get(e, "model")));
		pe.reason = lt_strdup(yx_str(yx_get(e, "reason")));
		pe.approver = lt_strdup(yx_str(yx_get(e, "approver")));
		pe.expires = lt_strdup(yx_str(yx_get(e, "expires")));
		if (fl)
			list_of(fl, &pe.findings);
		if (!pe.model || !pe.reason || !pe.approver || !valid_date(pe.expires)) {
			free(pe.model); free(pe.reason); free(pe.approver); free(pe.expires);
			strlist_free(&pe.findings);
			rc = lt_error_set(err, LT_EINVAL, path, pe.line,
					  "an exception needs model, reason, approver and expires (YYYY-MM-DD)");
			goto done;
		}
		struct pexc *np = realloc(p->exc, (p->nexc + 1) * sizeof(*np));
		if (!np) {
			rc = LT_ENOMEM;
			goto done;
		}
		p->exc = np;
		p->exc[p->nexc++] = pe;
	}
done:
	yx_free(doc);
	buf_release(&b);
	if (rc) {
		policy_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

const struct profile *policy_profile(const struct policy *p)
{
	return p ? &p->profile : NULL;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++) {
		strlist_free(&p->rules[i].values);
		free(p->rules[i].reason);
	}
	free(p->rules);
	for (size_t i = 0; i < p->nexc; i++) {
		free(p->exc[i].model); free(p->exc[i].reason); free(p->exc[i].approver);
		free(p->exc[i].expires);
		strlist_free(&p->exc[i].findings);
	}
	free(p->exc);
	free(p->path);
	free(p);
}

static int in_list(const struct strlist *l, const char *s)
{
	for (size_t i = 0; s && i < l->n; i++)
		if (lt_strieq(l->v[i], s) || !strcmp(l->v[i], "*"))
			return 1;
	return 0;
}

/* An `obligation:` rule that allows a duty accepts the findings that act on it
 * for that license (e.g. registration-required once the organisation registered). */
static void allow_duty(const struct policy *p, const struct prule *pr, struct model_report *m,
		       const struct licdef *l, const char *kind)
{
	int k = ob_kind_parse(kind);
	const char *fid = k < 0 ? NULL : ob_kind_finding((enum ob_kind)k);

	for (size_t i = 0; fid && i < m->nf; i++) {
		struct finding *f = &m->f[i];
		if (f->incomplete || strcmp(f->def->id, fid) || !f->subject || strcmp(f->subject, l->id))
			continue;
		f->severity = SEV_INFO;
		if (!f->exception)
			f->exception = lt_asprintf("allowed by policy rule at %s:%d%s%s", p->path, pr->line,
						   pr->reason ? ": " : "", pr->reason ? pr->reason : "");
	}
}

static void apply_rules(const struct policy *p, const struct licensedb *db, struct model_report *m)
{
	const struct licdef *const *lics = m->effective;
	size_t nl = m->neffective;

	for (size_t r = 0; r < p->nrules; r++) {
		const struct prule *pr = &p->rules[r];
		for (size_t i = 0; i < nl; i++) {
			const struct licdef *l = lics[i];
			int hit = 0;
			const char *what = NULL;
			switch (pr->subj) {
			case S_LICENSE:
				hit = in_list(&pr->values, l->id);
				what = l->id;
				break;
			case S_CATEGORY:
				hit = in_list(&pr->values, lic_category_name(l->category));
				what = lic_category_name(l->category);
				break;
			case S_LICENSOR:
				for (size_t v = 0; l->licensor && v < pr->values.n; v++)
					if (strstr(l->licensor, pr->values.v[v]))
						hit = 1;
				what = l->licensor;
				break;
			case S_OBLIGATION:
				/* the duties that bind this model (an ancestor's duty that
				 * does not flow is not one of them), checklist items included */
				for (size_t o = 0; o < m->ob.n && !hit; o++)
					if (m->ob.v[o].lic == l &&
					    in_list(&pr->values, ob_kind_name(m->ob.v[o].ob->kind))) {
						hit = 1;
						what = ob_kind_name(m->ob.v[o].ob->kind);
					}
				break;
			case S_TERRITORY:
				for (size_t t = 0; t < m->ob.nterritories && !hit; t++)
					if (m->ob.territories[t].lic == l &&
					    in_list(&pr->values, m->ob.territories[t].code)) {
						hit = 1;
						what = m->ob.territories[t].code;
					}
				break;
			default:
				break;
			}
			if (hit && pr->action == ACT_ALLOW && pr->subj == S_OBLIGATION)
				allow_duty(p, pr, m, l, what);
			if (!hit || pr->action == ACT_ALLOW)
				continue;
			findings_add(m, db, pr->action == ACT_DENY ? "policy-denied" : "policy-review",
				     l->id, p->path, pr->line, NULL, "policy %s %s '%s' (%s)%s%s",
				     pr->action == ACT_DENY ? "denies" : "asks review of",
				     subj_names[pr->subj], what ? what : l->id, l->name,
				     pr->reason ? ": " : "", pr->reason ? pr->reason : "");
		}
		if (pr->subj == S_FINDING) {
			for (size_t i = 0; i < m->nf; i++) {
				struct finding *f = &m->f[i];
				if (!in_list(&pr->values, f->def->id))
					continue;
				f->severity = pr->action == ACT_DENY ? SEV_ERROR
					      : pr->action == ACT_REVIEW ? SEV_WARNING : SEV_INFO;
				if (pr->action == ACT_ALLOW && !f->exception)
					f->exception = lt_asprintf("allowed by policy rule at %s:%d%s%s",
								   p->path, pr->line, pr->reason ? ": " : "",
								   pr->reason ? pr->reason : "");
			}
		}
	}
}

static void apply_exceptions(const struct policy *p, const struct licensedb *db,
			     struct model_report *m, const char *today)
{
	for (size_t e = 0; e < p->nexc; e++) {
		const struct pexc *x = &p->exc[e];
		if (!m->node->id || strcmp(x->model, m->node->id) != 0)
			continue;
		if (today && strcmp(x->expires, today) < 0) {
			findings_add(m, db, "policy-review", m->node->id, p->path, x->line, NULL,
				     "the exception approved by %s expired on %s", x->approver, x->expires);
			continue;
		}
		for (size_t i = 0; i < m->nf; i++) {
			struct finding *f = &m->f[i];
			if (f->incomplete) /* an exception cannot make unknown facts known */
				continue;
			if (x->findings.n && !in_list(&x->findings, f->def->id))
				continue;
			if (!strcmp(f->def->id, "policy-review"))
				continue;
			f->severity = SEV_INFO;
			free(f->exception);
			f->exception = lt_asprintf("exception approved by %s until %s: %s", x->approver,
						   x->expires, x->reason);
		}
	}
}

enum verdict verdict_worst(enum verdict a, enum verdict b)
{
	return a > b ? a : b;
}

int policy_apply(const struct policy *p, const struct licensedb *db, struct model_report *m,
		 const char *today)
{
	enum verdict v = VERDICT_PASS;

	if (p) {
		apply_rules(p, db, m);
		apply_exceptions(p, db, m, today);
	}
	for (size_t i = 0; i < m->nf; i++) {
		const struct finding *f = &m->f[i];
		if (f->incomplete)
			v = verdict_worst(v, VERDICT_INCOMPLETE);
		if (f->severity == SEV_ERROR)
			v = verdict_worst(v, VERDICT_FAIL);
		else if (f->severity == SEV_WARNING)
			v = verdict_worst(v, VERDICT_REVIEW);
	}
	m->verdict = v;
	return 0;
}

int policy_exit_code(enum verdict v, enum fail_level level)
{
	switch (v) {
	case VERDICT_PASS: return 0;
	case VERDICT_REVIEW: return level == FAIL_ON_REVIEW ? 1 : 0;
	case VERDICT_INCOMPLETE: return 3;
	case VERDICT_FAIL: return 1;
	}
	return 1;
}
