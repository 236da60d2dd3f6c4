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

#include "findings/findings.h"

struct report_ctx {
	const struct licensedb *db;
	FILE *out;
	int color;            /* ANSI colours in text output */
	int quiet;            /* text: print nothing for passing models */
	const char *jurisdiction;
	const char *version;
};

struct report_writer {
	const char *name;
	int (*begin)(struct report_writer *w, const struct report_ctx *ctx);
	int (*model)(struct report_writer *w, const struct model_report *m, const struct lgraph *g);
	int (*end)(struct report_writer *w, enum verdict overall);
	void (*free_impl)(struct report_writer *w);
	const struct report_ctx *ctx;
	void *impl;
};

/* NULL for an unknown format. Formats: text, json (more in report_formats()). */
struct report_writer *report_writer_new(const char *format);
void report_writer_free(struct report_writer *w);
const char *report_formats(void);

/* Shared helpers for writers. */
const char *report_spdx(const struct licdef *l);
/* Licenses of a graph node as "a, b" (or "no license found"); caller frees. */
char *report_node_licenses(const struct lnode *n);

#endif
