/*
 * aiact_view.h - the EU AI Act view (findings/aiact.h) in each format: the
 * value (likely / unlikely / unknown), the clauses that decide it, and the
 * sentence that says it is an indicator for legal review, not legal advice.
 * Each writer calls one of these from its model function; all of them do
 * nothing when the model has no view (no EU or EEA jurisdiction given).
 */
#ifndef LT_REPORT_AIACT_VIEW_H
#define LT_REPORT_AIACT_VIEW_H

#include <stdio.h>

struct aiact;
struct buf;
struct json_t;

/* The JSON `ai_act` object (docs/REPORT.md), or NULL when a is NULL. */
struct json_t *report_aiact_json(const struct aiact *a);
void report_aiact_text(FILE *o, const struct aiact *a, const char *bold, const char *reset);
void report_aiact_md(struct buf *b, const struct aiact *a, void (*esc)(struct buf *, const char *));
void report_aiact_html(struct buf *b, const struct aiact *a, void (*esc)(struct buf *, const char *));
/* One plain line for an SPDX annotation: "EU AI Act view: open_source_licence=VALUE;
 * reasons; the disclaimer". Nothing is added when a is NULL. */
void report_aiact_plain(struct buf *b, const struct aiact *a);

#endif
