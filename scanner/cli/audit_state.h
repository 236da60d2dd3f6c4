/*
 * audit_state.h - the `audit --state FILE` resume file: one JSON line per
 * finished target,
 *
 *   {"target": T, "verdict": V, "config": C, "model": M, "check": "fnv1a64:<16 hex>"}
 *
 * M is the model's object of the JSON report, exactly as the report gave it, so a
 * resumed audit reports every model of the inventory (those of earlier runs come
 * from here, not from a new scan). C is the configuration that decided the verdict
 * (lictrace version, license data versions, policy hash, jurisdictions, fail level,
 * profile, depth limit, revision; built by the caller). A line is at most
 * AUDIT_STATE_MAX_LINE bytes: a model whose line would be longer is not recorded
 * (it is scanned again on resume).
 *
 * The check is a 64-bit FNV-1a hash of "lictrace-state-2" and every byte of the
 * line before `,"check":`. It detects a line that was edited (a "fail" turned
 * into "pass" by hand, in the record or in its report section), corrupted, or
 * written by something else; it is not a signature: someone who recomputes it on
 * purpose is not stopped (the state file is as trusted as the folder it lives in).
 *
 * Reading never fails on content: every line that is not a verified record
 * (garbage, a torn last line left by a killed run, a line over
 * AUDIT_STATE_MAX_LINE bytes, a wrong or missing check, an unknown verdict, a
 * record of an older lictrace without its report section) is reported with its
 * line number and ignored, and a target named by such a line is never taken from
 * the file, even when another line for it verifies: it is scanned again. A
 * verified line written under another configuration is not a content problem but
 * a usage one: audit_state_read() keeps the first such configuration in
 * `other_config` and the caller stops (it never reuses those verdicts).
 */
#ifndef LT_AUDIT_STATE_H
#define LT_AUDIT_STATE_H

#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/strmap.h"
#include "findings/findings.h"

struct json_t;
struct audit_span {
	long long off;
	size_t len;
};

/* A line holds one model's report section: generous, but bounded (the report
 * caps a section at 16 MiB; a model this large is simply scanned again). */
#define AUDIT_STATE_MAX_LINE (4u * 1024u * 1024u)
/* Problems reported one by one; the rest are counted. */
#define AUDIT_STATE_MAX_REPORTED 20

struct audit_state {
	struct strmap done;       /* target -> struct audit_done * (owned) */
	struct strmap distrusted; /* targets named by a line that did not verify */
	struct audit_span *kept;  /* the verified lines in file order (for audit_state_compact) */
	size_t nkept, kept_cap;
	long long kept_bytes;     /* their bytes, line ends included */
	size_t lines, bad;        /* lines read; lines ignored */
	const char *name;         /* the file, in messages (borrowed) */
	FILE *log;                /* problems go here; NULL: silent */
	const char *config;       /* this run's configuration, compact JSON (borrowed) */
	char *other_config;       /* the first verified line's configuration when it is not config */
	size_t other_line;        /* ... and that line's number */
	int rewritten;            /* the file now holds only the verified lines (audit_state_compact) */
};

/* config: this run's configuration as a compact JSON object (borrowed; must
 * outlive s). */
void audit_state_init(struct audit_state *s, const char *name, FILE *log, const char *config);
/* Read the records of f (from its start to EOF). 0, or LT_ENOMEM. */
int audit_state_read(struct audit_state *s, FILE *f);
/* Rewrite the file fd (the one read, opened for writing) in place to hold only its
 * verified lines, in their order, and truncate it: each line moves towards the
 * start, read before anything is written over it, so nothing but the lines being
 * dropped is held in memory. A crash midway leaves the moved lines, then a line cut
 * where the old content resumes (reported and ignored next time), then old lines:
 * records can be lost, never altered. 0, or -1 with errno set. */
int audit_state_compact(struct audit_state *s, int fd);
/* 1 and *v when target has a verified verdict and no unverified line. */
int audit_state_get(const struct audit_state *s, const char *target, enum verdict *v);
/* The report section (JSON model object) recorded for target, read again from f
 * (the file audit_state_read read, or as audit_state_compact left it); the
 * caller releases it with json_decref. NULL when target has no usable record or
 * the line no longer verifies. */
struct json_t *audit_state_model(const struct audit_state *s, FILE *f, const char *target);
/* The same, and the section's text as the line holds it (*text malloc'd, caller
 * frees; NULL when the section is not returned or out of memory). */
struct json_t *audit_state_model_text(const struct audit_state *s, FILE *f, const char *target,
				      char **text, size_t *len);
/* One record line, '\n'-terminated, for target, v and its report section model
 * under s->config (caller frees); NULL when out of memory or when the line would
 * exceed AUDIT_STATE_MAX_LINE. */
char *audit_state_format(const struct audit_state *s, const char *target, enum verdict v,
			 const struct json_t *model);
/* The same with the section as its compact JSON text model[0..len) (what the
 * JSON writer wrote for it: report_writer.model_tap), inserted as it is. */
char *audit_state_format_text(const struct audit_state *s, const char *target, enum verdict v,
			      const char *model, size_t len);
/* The keys of two configuration objects (compact JSON) whose values differ, as
 * "key (was X, now Y); ..." in out (truncated to size). */
void audit_state_config_diff(const char *was, const char *now, char *out, size_t size);
void audit_state_release(struct audit_state *s);

/* The targets of an inventory (one a line; blank lines and '#' comments skipped,
 * surrounding white space trimmed) appended to *v / *n as new strings. A NUL
 * byte is LT_EPARSE naming name and the line (never a silent end of the list);
 * LT_ENOMEM. On failure what was appended stays for the caller to free. */
int audit_inventory_parse(const char *data, size_t len, const char *name, char ***v, size_t *n,
			  struct lt_error *err);

#endif
