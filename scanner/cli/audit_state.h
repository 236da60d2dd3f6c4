/*
 * audit_state.h - the `audit --state FILE` resume file: one JSON line per
 * finished target, {"target": T, "verdict": V, "check": "fnv1a64:<16 hex>"}.
 *
 * The check is a 64-bit FNV-1a hash of "lictrace-state-1", T and V (NUL
 * separated). It detects a line that was edited (a "fail" turned into "pass" by
 * hand), corrupted, or written by something else; it is not a signature: someone
 * who recomputes it on purpose is not stopped (the state file is as trusted as the
 * folder it lives in).
 *
 * Reading never fails on content: every line that is not a verified record
 * (garbage, a torn last line left by a killed run, a line over
 * AUDIT_STATE_MAX_LINE bytes, a wrong or missing check, an unknown verdict) is
 * reported with its line number and ignored, and a target named by such a line is
 * never taken from the file, even when another line for it verifies: it is
 * scanned again.
 */
#ifndef LT_AUDIT_STATE_H
#define LT_AUDIT_STATE_H

#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/strmap.h"
#include "findings/findings.h"

/* A line longer than this was not written by lictrace (targets are paths or ids). */
#define AUDIT_STATE_MAX_LINE (32u * 1024u)
/* Problems reported one by one; the rest are counted. */
#define AUDIT_STATE_MAX_REPORTED 20

struct audit_state {
	struct strmap done;       /* target -> (verdict + 1) as a pointer */
	struct strmap distrusted; /* targets named by a line that did not verify */
	struct buf keep;          /* the verified lines, to rewrite the file without the bad ones */
	size_t lines, bad;        /* lines read; lines ignored */
	const char *name;         /* the file, in messages (borrowed) */
	FILE *log;                /* problems go here; NULL: silent */
};

void audit_state_init(struct audit_state *s, const char *name, FILE *log);
/* Read the records of f (from its current position to EOF). 0, or LT_ENOMEM. */
int audit_state_read(struct audit_state *s, FILE *f);
/* 1 and *v when target has a verified verdict and no unverified line. */
int audit_state_get(const struct audit_state *s, const char *target, enum verdict *v);
/* One record line, '\n'-terminated, for target and v (caller frees); NULL when
 * out of memory or when the line would exceed AUDIT_STATE_MAX_LINE. */
char *audit_state_format(const char *target, enum verdict v);
void audit_state_release(struct audit_state *s);

/* The targets of an inventory (one a line; blank lines and '#' comments skipped,
 * surrounding white space trimmed) appended to *v / *n as new strings. A NUL
 * byte is LT_EPARSE naming name and the line (never a silent end of the list);
 * LT_ENOMEM. On failure what was appended stays for the caller to free. */
int audit_inventory_parse(const char *data, size_t len, const char *name, char ***v, size_t *n,
			  struct lt_error *err);

#endif
