/*
 * audit_tools.h - private to the `audit diff` and `audit merge` commands
 * (cmd_audit_tools.c, cmd_audit_merge.c): reading finished JSON reports.
 */
#ifndef LT_CLI_AUDIT_TOOLS_H
#define LT_CLI_AUDIT_TOOLS_H

#include "cmd.h"

#include <stdio.h>

struct json_t;

/* A report bigger than this is refused: it is read whole, and jansson's tree
 * takes several times the text. */
#define AUDIT_TOOLS_MAX_REPORT (1024u * 1024u * 1024u)
/* More reports than this in one merge is a mistake (shards are at most 100,000). */
#define AUDIT_TOOLS_MAX_INPUTS 100000

struct tool_opts {
	struct common_opts c;
	const char *inventory;
};

/* A lictrace JSON report read whole (at most AUDIT_TOOLS_MAX_REPORT bytes) and
 * checked for its shape; NULL after printing why. */
struct json_t *at_load_report(const char *path);
/* The string member k of o, or NULL. */
const char *at_sget(const struct json_t *o, const char *k);
/* s (text from a report: model ids come from model repositories) made safe for a
 * terminal; "?" for NULL. */
void at_put_safe(FILE *out, const char *s);
/* j as compact JSON (the layout of an audit's report). 0 or -1. */
int at_put_json(FILE *out, const struct json_t *j);

int cmd_audit_merge(int argc, char **argv);

#endif
