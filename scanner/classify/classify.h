/*
 * classify.h - which license(s) a text is: phrase rules in one pass, versions
 * told apart, whole-text similarity for standard and modified licenses.
 *
 * How a text is classified (classify_text):
 *  1. Binary input (a NUL byte, or mostly control or undecodable bytes in the
 *     first 8 KiB) is not classified: binary = 1, n = 0.
 *  2. The text is normalised (normalize.h) and scanned once by an Aho-Corasick
 *     automaton holding every phrase of every detect rule; hits count only on
 *     word boundaries.
 *  3. A rule fires when all of its `all` phrases, at least one of its `any`
 *     phrases (if it has any) and none of its `none` phrases occur. A rule with
 *     `similar: {min: X}` also needs X of its license's reference text (the
 *     fraction of the reference's word 3-grams) to be present in the text.
 *  4. Per license the best fired rule counts: a `license` rule beats a `notice`
 *     rule beats a `policy` rule, then higher confidence wins.
 *  5. Every fired rule's `overrides` drop those licenses (Kimi's modified MIT
 *     drops mit).
 *  6. A `policy` detection (an acceptable-use policy) merges into a license or
 *     notice detection of the same family, when there is one.
 *  7. Within one family only the best detection stays (by kind, confidence,
 *     then the stricter category, more phrases, earlier position); the others go
 *     to alt, so a text reports one version per family. Different families are
 *     all reported (bundles), best first: by confidence, then stricter first.
 *  8. Modified standard licenses: when every detection is a standard license
 *     with a reference text, the words of the text covered by none of those
 *     references (no word 3-gram of theirs) are collected in runs; only runs that
 *     contain a term word ("shall", "must", "may", "not", "only", "display", ...)
 *     count, so holder lines and bundle headings do not. At least
 *     CLASSIFY_MOD_MIN_WORDS such words, making at least CLASSIFY_MOD_MIN_PERCENT
 *     of the text, with one run of CLASSIFY_MOD_MIN_RUN, mean extra terms were
 *     added: the license next to the longest run is moved to alt, its confidence
 *     scaled by the share of the text its reference covers, and named in
 *     modified_from (n may become 0). A modified MIT is never reported as mit.
 *  9. Nothing fired: n = 0 (unknown). The classifier never guesses.
 *
 * Ownership: a classify_ctx borrows the licensedb (which must outlive it) and
 * is read-only after classify_new(), so one context may serve many threads. A
 * result's arrays are owned by the result (classify_result_release); its
 * pointers into the database stay valid as long as the database.
 */
#ifndef LT_CLASSIFY_H
#define LT_CLASSIFY_H

#include <stddef.h>

#include "licensedb/licensedb.h"

struct lt_error;
struct classify_ctx;

/* Texts classified in one piece: license bundles are < 2 MiB; a model card that
 * pastes several licenses stays far below this. */
#define CLASSIFY_MAX_TEXT (16u * 1024u * 1024u)
/* Modified-license thresholds (step 8): a changed holder line or a markdown title
 * adds < 10 words; the shortest real extra clause (Kimi K2) adds ~60. */
#define CLASSIFY_MOD_MIN_WORDS 20
#define CLASSIFY_MOD_MIN_PERCENT 8
#define CLASSIFY_MOD_MIN_RUN 12

struct detection {
	const struct licdef *lic;
	const struct detect_rule *rule; /* the rule that decided it */
	double confidence;              /* 0..1 */
	enum rule_kind kind;            /* license text, notice, or use policy */
	int line; /* 1-based line in the original text of the first phrase of the rule */
};

struct classify_result {
	struct detection *v;     /* distinct licenses, best first */
	size_t n;
	struct detection *alt;   /* weaker candidates: other versions, modified, best first */
	size_t nalt;
	char *modified_from;     /* id of a standard license the text resembles but
				    extends with extra terms (step 8), or NULL */
	int binary;              /* input was binary: not classified */
};

struct classify_stats {
	size_t rules;      /* usable detect rules */
	size_t phrases;    /* distinct normalised phrases in the automaton */
	size_t states;     /* automaton states */
	size_t memory;     /* automaton bytes */
	size_t references; /* reference texts prepared for similarity */
};

/* Build the automaton and reference shingle sets from db's detect rules. Rules
 * whose license is unknown are skipped; so are phrases empty after
 * normalisation (classify_check_phrases reports both kinds of problem). */
int classify_new(struct classify_ctx **out, const struct licensedb *db, struct lt_error *err);
void classify_free(struct classify_ctx *ctx);
void classify_get_stats(const struct classify_ctx *ctx, struct classify_stats *out);

/* Classify text[0..len). out is filled (zeroed first) and must be released
 * even on error. LT_ETOOBIG past CLASSIFY_MAX_TEXT, LT_ENOMEM. */
int classify_text(const struct classify_ctx *ctx, const char *text, size_t len,
		  struct classify_result *out, struct lt_error *err);
void classify_result_release(struct classify_result *res);

/* For `lictrace rules check`: add a problem to db for every phrase that is empty
 * after normalisation or that normalisation changes beyond folding case,
 * punctuation and spacing (markup, entities: it could never match as written),
 * for a phrase listed in both `all` and `none` of a rule, and for a rule left
 * with no usable `all`/`any` phrase. Returns the number of problems added. */
int classify_check_phrases(struct licensedb *db);

#endif
