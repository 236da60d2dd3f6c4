/*
 * obchecks.h - findings about a model's effective obligations (its own
 * licenses' and the flowing ones of its ancestors): a copy of each license and
 * its notice shipped, the naming and attribution duties, use restrictions,
 * output limits, user and revenue thresholds (and the display triggers among
 * them), territories, non-commercial and research-only terms. Part of
 * findings_check (findings.h).
 */
#ifndef LT_FINDINGS_OBCHECKS_H
#define LT_FINDINGS_OBCHECKS_H

struct model_report;
struct licensedb;
struct check_opts;

void obchecks_check(struct model_report *m, const struct licensedb *db, const struct check_opts *opts);

#endif
