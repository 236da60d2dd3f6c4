/*
 * findings.h - judge one scanned model: its own card and files, its lineage and
 * the obligations that reach it. Each finding carries a stable id from
 * rules/findings.yaml, a severity, evidence (file:line or API field), the chain
 * that brought it, and a sentence specific to this model.
 *
 * Ownership: a model_report owns its findings, ancestors list and obligations;
 * graph nodes and license definitions are borrowed and must outlive it.
 */
#ifndef LT_FINDINGS_H
#define LT_FINDINGS_H

#include <stddef.h>

#include "licensedb/licensedb.h"
#include "lineage/graph.h"
#include "obligations/obligations.h"

struct lt_error;
struct aiact;

/* In order of precedence: a model with something unknown is `incomplete` even
 * when other findings fail, because its full set of duties is not known. */
enum verdict { VERDICT_PASS, VERDICT_REVIEW, VERDICT_FAIL, VERDICT_INCOMPLETE };

struct finding {
	const struct finding_def *def;
	enum severity severity; /* effective severity (policy may change it) */
	/* model, subject, message, file and chain share one allocation, headed by
	 * model: never freed or replaced one by one (model_report_release) */
	char *model;            /* the scanned model */
	char *subject;          /* license id or ancestor id the finding is about, or NULL */
	char *message;          /* specific sentence */
	char *file;             /* evidence file ("README.md", "LICENSE", "api"), or NULL */
	int line;
	char *chain;            /* lineage chain, when inherited */
	int incomplete;         /* something could not be known: verdict incomplete */
	char *exception;        /* set when a policy exception accepted it */
};

struct report_dataset;

struct model_report {
	struct lnode *node;            /* the scanned model */
	struct lancestor *anc;         /* ancestors, breadth-first */
	size_t nanc;
	const struct licdef **own;     /* the model's own licenses (declared and detected) */
	size_t nown;
	const struct licdef **effective; /* own and every ancestor's licenses, once each */
	size_t neffective;
	struct ob_summary ob;
	struct finding *f;
	size_t nf, fcap;
	enum verdict verdict;
	struct assessment *assessment; /* the answer for the organisation's profile (assess.h), or NULL */
	struct aiact *aiact;           /* the EU AI Act view (aiact.h), or NULL outside the EU/EEA */
	struct report_dataset *datasets; /* the training data named along the lineage (datasets.h) */
	size_t ndatasets;
};

struct profile;
struct check_opts {
	const char *jurisdiction; /* EU, UK, KR, ... or NULL (the profile's codes win) */
	const struct profile *profile; /* the organisation's profile (profile/profile.h), or NULL */
};

int findings_check(struct model_report *out, const struct licensedb *db, const struct lgraph *g,
		   struct lnode *root, const struct check_opts *opts, struct lt_error *err);
void model_report_release(struct model_report *m);

/* Licenses of a record: resolved declared ids and detected license texts, once each. */
size_t record_licenses(const struct model_record *r, const struct licdef **out, size_t max);
/* The detection of r's own license text that overrides declared license D (same
 * family, another version, confident), or NULL. */
const struct detected *record_text_overrides(const struct model_record *r, const struct licdef *D);
/* Add a finding (used by policy too). Returns the new finding or NULL. */
struct finding *findings_add(struct model_report *m, const struct licensedb *db, const char *id,
			     const char *subject, const char *file, int line, const char *chain,
			     const char *fmt, ...) __attribute__((format(printf, 8, 9)));
const char *verdict_name(enum verdict v);
/* The verdict a name (as verdict_name() gives it) stands for; anything else is
 * VERDICT_INCOMPLETE: an unknown verdict is never a pass. */
enum verdict verdict_parse(const char *name);
/* Every finding id the scanner can raise (NULL-terminated); `rules check` makes
 * sure rules/ defines each. */
extern const char *const findings_ids[];

#endif
