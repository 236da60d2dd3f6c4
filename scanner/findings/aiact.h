/*
 * aiact.h - the EU AI Act view: do a model's effective licenses look like a
 * "free and open-source licence" in the sense of Regulation (EU) 2024/1689
 * (Art. 2(12), Art. 53(2), recitals 102-104)? Such a licence lets anyone access,
 * use, modify and distribute the model, with conditions limited to attribution
 * and distribution under the same terms; monetisation, commercial or
 * field-of-use restrictions and user or revenue thresholds disqualify it.
 *
 * Computed when the jurisdiction is the EU, the EEA or a member state. It is an
 * indicator for legal review, not legal advice, and every report says so.
 */
#ifndef LT_FINDINGS_AIACT_H
#define LT_FINDINGS_AIACT_H

#include <stddef.h>

struct model_report;
struct check_opts;

enum aiact_value { AIACT_LIKELY, AIACT_UNLIKELY, AIACT_UNKNOWN };

struct aiact_reason {
	const char *license;  /* license id (borrowed from the license database) */
	const char *clause;   /* the clause that decides, or NULL */
	char *why;            /* plain words */
};

struct aiact {
	enum aiact_value value;
	struct aiact_reason *v; /* disqualifying or unknown licenses; for `likely`, none */
	size_t n;
};

/* The view for m when opts' jurisdiction falls in the EU or EEA; NULL otherwise
 * (or out of memory). Caller frees with aiact_free. */
struct aiact *aiact_assess(const struct model_report *m, const struct check_opts *opts);
void aiact_free(struct aiact *a);
const char *aiact_value_name(enum aiact_value v);

/* The sentence every report prints with the view. */
#define AIACT_DISCLAIMER                                                                      \
	"An indicator for legal review, not legal advice: whether the model's licenses look like " \
	"a free and open-source licence under Regulation (EU) 2024/1689 (Art. 2(12), Art. 53(2), " \
	"recitals 102-104)."

#endif
