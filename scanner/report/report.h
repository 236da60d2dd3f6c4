/*
 * report.h - report writers behind one interface.
 *
 * Compute, then write: the writers receive finished, const model reports and never
 * change them. Each format lives in its own file (w_<format>.c). JSON-based
 * formats are built with jansson, never with printf of strings.
 *
 * Lifecycle: report_writer_new(format) -> begin -> model (once per scanned model)
 * -> end(overall verdict) -> report_writer_free.
 */
#ifndef LT_REPORT_H
#define LT_REPORT_H

#include <stdio.h>
#include <time.h>

#include "findings/findings.h"

struct buf;
struct json_t;

/* A whole report is kept in memory until end() so the output is one document;
 * an audit of 10,000 models with deep chains stays well under this. A model's
 * own section is capped separately so one hostile model cannot crowd out the
 * rest: its section is replaced by a note instead. */
#define REPORT_MAX_BYTES (512u * 1024u * 1024u)
#define REPORT_MAX_SECTION (16u * 1024u * 1024u)
/* The HTML lineage picture draws at most this many nodes per model; larger
 * graphs are listed, not drawn. */
#define REPORT_MAX_DRAWN 400
/* Where SARIF viewers send users to learn about the tool (a placeholder until
 * the project has a public home). */
#define REPORT_INFO_URI "https://github.com/lictrace/lictrace"
/* Each finding id is documented under a heading of its own here: the page's
 * anchor for finding X is "#X" (SARIF helpUri, docs/REPORT.md "Finding ids"). */
#define REPORT_FINDINGS_URI REPORT_INFO_URI "/blob/main/docs/REPORT.md"

struct report_ctx {
	const struct licensedb *db;
	FILE *out;
	int color;            /* ANSI colours in text output */
	int quiet;            /* text: print nothing for passing models */
	const char *jurisdiction;
	const char *version;
	time_t now;           /* stamped into BOMs and the HTML footer; 0: the current time */
	int compact_json;     /* json: no indentation, one model a line (audits: a third
	                       * fewer bytes); the same document */
};

struct report_writer {
	const char *name;
	int (*begin)(struct report_writer *w, const struct report_ctx *ctx);
	int (*model)(struct report_writer *w, const struct model_report *m, const struct lgraph *g);
	int (*end)(struct report_writer *w, enum verdict overall);
	/* Optional (NULL: the format cannot): write a model given as its JSON report
	 * object (what the json writer writes for it), e.g. a model a resumed audit
	 * finished in an earlier run (cli/audit_state.h). text, when not NULL, is
	 * that object as the json writer wrote it in its compact layout (len bytes,
	 * one line): a compact json writer copies it instead of writing it again. */
	int (*model_json)(struct report_writer *w, const struct json_t *model, const char *text,
			  size_t len);
	/* Optional, json only, compact layout only: when set, each model's section
	 * (its object, as written) is also appended here, for an audit's state file. */
	struct buf *model_tap;
	void (*free_impl)(struct report_writer *w);
	const struct report_ctx *ctx;
	void *impl;
};

/* NULL for an unknown format. Formats: see report_formats(). */
struct report_writer *report_writer_new(const char *format);
void report_writer_free(struct report_writer *w);
/* For writers: a new writer with these callbacks (NULL when out of memory). */
struct report_writer *report_writer_make(const char *name,
					 int (*begin)(struct report_writer *, const struct report_ctx *),
					 int (*model)(struct report_writer *, const struct model_report *,
						      const struct lgraph *),
					 int (*end)(struct report_writer *, enum verdict),
					 void (*free_impl)(struct report_writer *));
const char *report_formats(void);

/* Shared helpers for writers. */
const char *report_spdx(const struct licdef *l);
/* Licenses of a graph node as "a, b" (or "no license found"); caller frees. */
char *report_node_licenses(const struct lnode *n);
/* The root of m then every ancestor, breadth-first, each once; caller frees the
 * array (not the nodes). NULL only when out of memory. */
const struct lnode **report_lineage_nodes(const struct model_report *m, size_t *n);
/* "ok", "unresolved", "local-path" or "not-expanded" (as in the JSON report). */
const char *report_node_status(const struct lnode *n, int root);
/* The node's revision: its record's, else the one its child asked for, or NULL. */
const char *report_node_rev(const struct lnode *n);
/* "pkg:huggingface/org/name[@rev]" when the node's id is a Hub id, else NULL;
 * caller frees. */
char *report_purl(const struct lnode *n);
/* Findings of m counted by severity: out[SEV_INFO], out[SEV_WARNING], out[SEV_ERROR]. */
void report_count(const struct model_report *m, size_t out[3]);
/* ctx->now, else SOURCE_DATE_EPOCH, else the current time, as
 * "YYYY-MM-DDThh:mm:ssZ"; size >= 21. */
void report_timestamp(const struct report_ctx *ctx, char *out, size_t size);
/* SOURCE_DATE_EPOCH (reproducible-builds.org: decimal seconds since the epoch)
 * into *out: 1 when it is set and well-formed, else 0 (a malformed value is
 * ignored, as if unset). */
int report_source_date(time_t *out);
/* A random RFC 4122 version 4 UUID, 36 characters; size >= 37. */
void report_uuid(char *out, size_t size);
/* A document's UUID: random, but with SOURCE_DATE_EPOCH set a version 5 UUID
 * of seed (what the document says), so two runs give identical bytes. */
void report_doc_uuid(const char *seed, char *out, size_t size);
/* A JSON string for s (json null for NULL). Strings from model repos may not be
 * UTF-8, which jansson refuses: each invalid byte becomes U+FFFD instead of the
 * field silently going missing. NULL only when out of memory. */
struct json_t *report_json_str(const char *s);
/* Length in bytes (1-4) of the character at s, a non-empty string. *repl is
 * set to what a human-readable report must show instead, or NULL when the
 * character may be copied as it is: a space for ASCII control characters and
 * DEL (they break lines and tables and move terminals), U+FFFD for invalid
 * UTF-8 and for line separators and bidirectional overrides (they reorder what a
 * reader sees). */
size_t report_char(const char *s, const char **repl);
/* s written to out as report_char() allows (text from model repositories made safe
 * for a terminal); nothing for NULL. */
void report_put_safe(FILE *out, const char *s);
/* Where a finding is best shown in the model's repository, always a file and a
 * 1-based line: its own evidence; for an inherited finding or one without a
 * file, the card line that names the base it came through or declares its
 * license; else the first declared license or base; else README.md line 1 (the
 * card, where the fix goes). *file is borrowed from f or m. */
void report_locate(const struct model_report *m, const struct finding *f, const char **file, int *line);
/* A copy of s with the user and password of every URL in it removed
 * ("https://user:secret@host/x" becomes "https://host/x"): credentials in a
 * target never reach a report. NULL for NULL or when out of memory; caller frees. */
char *report_redact(const char *s);
/* Append a finished section to a document body and release it. A section that
 * overflowed its cap is replaced by note. Returns 0, or -1 once the body is
 * full (the body then keeps every earlier section whole). */
int report_add_section(struct buf *body, struct buf *section, const char *note);

#endif
