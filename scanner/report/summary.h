/*
 * summary.h - what an inventory owner needs to see first: a digest of a whole
 * report, filled one model at a time, so writers stay streaming and memory stays
 * flat (counters and maps keyed by license, obligation kind and base id, never
 * the models themselves).
 *
 * The digest is filled either from a finished `struct model_report` (the writers)
 * or from a model object of lictrace's own JSON report (`audit diff`, `audit
 * merge`); both give the same digest for the same model, so a merged report's
 * summary equals a single run's. Rows come out in a stable order (most models
 * first, then by name), whatever order the models were added in.
 *
 * Tables (each row counts models, never findings, except `errors`):
 *   SUM_LICENSE     effective license ids (own and inherited)
 *   SUM_FAMILY      license families of those licenses ("unknown" when none)
 *   SUM_CATEGORY    license categories (public-domain ... unknown)
 *   SUM_OBLIGATION  obligation kinds binding the model (non-commercial,
 *                   research-only, user-threshold, revenue-threshold,
 *                   territory-exclusion, registration, ...); a threshold that
 *                   only starts a display duty is SUMMARY_DISPLAY_TRIGGER, so the
 *                   threshold rows count the caps that end a grant
 *   SUM_BASE        ancestors at any depth: how many of the inventory's models
 *                   inherit from each (top SUMMARY_TOP_BASES)
 *   SUM_RISK        riskiest lineages: bases ranked by how many of their
 *                   descendants in the inventory fail, then are incomplete,
 *                   then need review, then by the error findings those
 *                   descendants carry; only bases with at least one descendant
 *                   that does not pass (top SUMMARY_TOP_RISKS)
 *
 * Every function accepts a NULL summary (a failed summary_new): it counts
 * nothing and summary_json gives NULL, so a writer fails its report rather
 * than crash.
 *
 * Ownership: rows and their names belong to the summary and stay valid until
 * summary_free; rows from summary_rows until the next call for the same table
 * or summary_free.
 */
#ifndef LT_SUMMARY_H
#define LT_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "findings/findings.h"

/* The obligations row of a user or revenue threshold that starts a display duty. */
#define SUMMARY_DISPLAY_TRIGGER "display-trigger"

struct json_t;
struct licensedb;

/* How many rows of the two open-ended tables a report shows. */
#define SUMMARY_TOP_BASES 20
#define SUMMARY_TOP_RISKS 10
/* Ancestors of one model counted (the JSON report lists at most this many). */
#define SUMMARY_MAX_ANCESTORS 4096
/* Distinct bases remembered; beyond it new bases are counted in `bases_dropped`
 * (memory stays bounded however large the inventory). */
#define SUMMARY_MAX_BASES 200000

enum summary_table { SUM_LICENSE, SUM_FAMILY, SUM_CATEGORY, SUM_OBLIGATION, SUM_BASE, SUM_RISK, SUM__COUNT };

struct summary_row {
	const char *name;      /* license id, family, category, obligation kind or base id */
	size_t models;         /* inventory models counted under it (descendants for a base) */
	size_t verdicts[4];    /* of those, by enum verdict */
	size_t errors;         /* error-severity findings of those models */
};

struct summary;

/* db (borrowed, may be NULL) gives a JSON model's licenses their family and
 * category. NULL when out of memory. */
struct summary *summary_new(const struct licensedb *db);
void summary_free(struct summary *s);

/* Count one model. 0, or -1 when out of memory (the digest is then marked
 * incomplete, see summary_failed). */
int summary_add_report(struct summary *s, const struct model_report *m);
/* A model object of the JSON report (docs/REPORT.md); fields it lacks count as
 * unknown. 0, -1 when out of memory, -2 when it is not a model object. */
int summary_add_json(struct summary *s, const struct json_t *model);

size_t summary_models(const struct summary *s);
size_t summary_verdict(const struct summary *s, enum verdict v);
/* Findings of every model by severity: out[SEV_INFO], out[SEV_WARNING], out[SEV_ERROR]. */
void summary_findings(const struct summary *s, size_t out[3]);
/* Distinct bases seen (the SUM_BASE table shows the top ones). */
size_t summary_bases(const struct summary *s);
/* Whether something was lost (out of memory, or more than SUMMARY_MAX_BASES bases). */
int summary_failed(const struct summary *s);

/* The rows of table t in display order (a sorted copy: *out is valid until the
 * next call for the same table or summary_free; row names until summary_free). */
size_t summary_rows(struct summary *s, enum summary_table t, const struct summary_row **out);
/* The table's name in the JSON report and in headings: "licenses", "families",
 * "categories", "obligations", "bases", "risky_lineages". */
const char *summary_table_name(enum summary_table t);

/* The `summary` object of the JSON report (also SARIF and BOM properties); NULL
 * when out of memory. */
struct json_t *summary_json(struct summary *s);

/* The summary as plain text (the text report and `audit merge --format text`):
 * untrusted names are made safe for a terminal. 0, or -1 on a write error. */
int summary_write_text(struct summary *s, FILE *out);

#endif
