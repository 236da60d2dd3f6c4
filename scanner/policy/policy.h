/*
 * policy.h - an organisation's policy (YAML) applied to findings: allow / review /
 * deny by license id, category, obligation kind, licensor, territory or finding
 * id; per-model exceptions with a reason, an approver and an expiry date; then a
 * verdict per model.
 *
 * The built-in default (used without --policy) fails closed: it changes nothing,
 * so any error-level finding fails, any warning needs review, and any finding
 * that marks something as unknown makes the verdict `incomplete`.
 *
 * Policy file:
 *   rules:                       # first matching rule wins for each subject
 *     - license: [cc-by-nc-4.0]  # or category:, obligation:, licensor:, territory:, finding:
 *       action: deny             # allow | review | deny
 *       reason: text
 *   # obligation: matches the duties that bind the model (its own license's and the
 *   # flowing ones of its ancestors); allowing one also accepts the finding that acts on
 *   # it (obligation: [registration] + allow accepts registration-required).
 *   exceptions:
 *     - model: org/name
 *       findings: [relicensed-restricted-base]   # optional: all findings when absent
 *       reason: ...
 *       approver: ...
 *       expires: 2027-06-30      # YYYY-MM-DD; expired exceptions are ignored and reported
 *   profile:                     # the organisation's profile (profile/profile.h);
 *     users: 40M                 # flags of the same names win, key by key
 *     revenue: 200M
 *     use: commercial            # commercial | noncommercial | research
 *     distribution: hosted       # internal | hosted | weights
 *     train_on_outputs: false
 *     jurisdiction: [DE]
 */
#ifndef LT_POLICY_H
#define LT_POLICY_H

#include "findings/findings.h"

struct policy;
struct lt_error;

enum fail_level { FAIL_ON_REVIEW, FAIL_ON_FAIL };

/* Load a policy file; NULL path gives the built-in default. */
int policy_load(struct policy **out, const char *path, struct lt_error *err);
void policy_free(struct policy *p);
struct profile;
/* The policy file's `profile:` section (every field unset when it has none). */
const struct profile *policy_profile(const struct policy *p);
/* Apply rules and exceptions to m's findings (may add policy-denied /
 * policy-review findings), then set m->verdict. today is "YYYY-MM-DD". */
int policy_apply(const struct policy *p, const struct licensedb *db, struct model_report *m,
		 const char *today);
/* Exit code for an overall verdict: 0 pass, 1 fail (and review when level is
 * FAIL_ON_REVIEW), 3 incomplete. */
int policy_exit_code(enum verdict v, enum fail_level level);
enum verdict verdict_worst(enum verdict a, enum verdict b);

#endif
