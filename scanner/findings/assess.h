/*
 * assess.h - the pre-adoption answer: every duty that reaches a model (its own
 * licenses' and the flowing ones of its whole lineage) judged against the
 * organisation's profile (profile/profile.h).
 *
 * A condition the profile satisfies passes with a line saying why ("40M users <
 * 700M"); one it breaks fails with the clause and the license's note; one the
 * profile does not cover (a threshold and no --users) is a review item naming the
 * missing field. Duties the organisation performs (display a line, follow the
 * acceptable use policy, keep notices) go to its to-do list and do not block a
 * "yes". Findings that no profile decides (an unknown license, an unresolved
 * parent, a policy denial) still count: an error fails, a warning or anything
 * unknown asks for review. Without a profile nothing here runs.
 *
 * Ownership: an assessment owns its strings; assessment_free() accepts NULL.
 */
#ifndef LT_ASSESS_H
#define LT_ASSESS_H

#include <stddef.h>

struct model_report;
struct licensedb;
struct profile;
struct check_opts;

enum assess_outcome { AO_PASS, AO_REVIEW, AO_FAIL };
enum assess_answer { ANSWER_YES, ANSWER_REVIEW, ANSWER_NO };

struct assess_reason {
	char *duty;     /* obligation kind ("user-threshold") or finding id */
	char *license;  /* license id, or NULL */
	char *clause;   /* "§2", or NULL */
	char *model;    /* the model whose license binds (an ancestor for inherited duties) */
	enum assess_outcome outcome;
	char *why;
};

struct assessment {
	char *question; /* "Cleared for commercial hosted use by an organisation in DE with 40M users" */
	enum assess_answer answer;
	struct assess_reason *reasons; /* failures first, then review items, then passes */
	size_t nreasons;
	char **todo;                   /* the organisation's duties, once each */
	size_t ntodo;
};

/* Judge m (findings and policy applied) against p. NULL when out of memory. */
struct assessment *assess_model(const struct model_report *m, const struct profile *p);
void assessment_free(struct assessment *a);

const char *assess_answer_name(enum assess_answer a);   /* yes, review, no */
const char *assess_answer_words(enum assess_answer a);  /* yes, needs review, no */
const char *assess_outcome_name(enum assess_outcome o); /* pass, review, fail */

/* 1 when the jurisdictions of opts (its profile's) fall in territory code. */
int assess_in_territory(const struct check_opts *opts, const char *code);

#endif
