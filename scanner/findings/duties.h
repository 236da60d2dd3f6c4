/*
 * duties.h - the checks for obligation kinds that are neither shipping duties
 * nor thresholds: registration before commercial use, no-derivatives,
 * share-alike, safety guardrails, and the checklist items (keep notices, mark
 * modifications, no sublicensing, acceptable use, disclose source) that only a
 * person can confirm but a policy can act on. Which finding acts on which kind
 * is the table in licensedb.c (ob_kind_finding()); this file raises those ids.
 */
#ifndef LT_DUTIES_H
#define LT_DUTIES_H

#include <stddef.h>

struct model_report;
struct licensedb;

/* Add the duty findings for m's effective obligations (m->ob). */
void duties_check(struct model_report *m, const struct licensedb *db);

struct licdef;

/* 1 when a limit scoped to multimodal models reaches m: m itself is multimodal,
 * or an ancestor under a license of lic's family is (a text-only fine-tune of a
 * vision model is still a derivative of that vision model). */
int duties_lineage_multimodal(const struct model_report *m, const struct licdef *lic);

/* 1 when a duty limited by `scope:` to models of one kind (a word of their
 * names, e.g. "cosmos" for NVIDIA Cosmos models) reaches m: m's own id or the id
 * of an ancestor under a license of the duty's family contains the word. No
 * scope (or "all") applies to every model. */
struct eff_ob;
int duties_scope_applies(const struct model_report *m, const struct eff_ob *e);

/* 1 when the attribution e is owed only above a size: its license (in s) has a
 * display trigger (ob_display_trigger) for the same text. */
struct ob_summary;
int duties_display_only_above(const struct ob_summary *s, const struct eff_ob *e);

/* The first word or phrase in text that says a model's safety guardrails were
 * removed ("abliterated", "uncensored", ...), matched case-insensitively at word
 * starts; NULL when none. *line (when not NULL) gets its 1-based line. */
const char *duties_guardrails_claim(const char *text, int *line);

/* 1 when text holds the whole of sentence after both are normalised: ASCII
 * lower case, straight and curly quotes and backticks dropped, every dash and
 * hyphen folded to '-', the copyright sign and "(c)" dropped,
 * markdown emphasis ('*') dropped, whitespace runs folded to one space. The whole
 * sentence must occur: a file with only part of it does not hold the notice. */
int duties_has_sentence(const char *text, const char *sentence);

#endif
