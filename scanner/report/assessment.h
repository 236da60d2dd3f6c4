/*
 * assessment.h - the pre-adoption answer (findings/assess.h) in every format:
 * the question and its answer in plain words first, then the deciding clauses
 * (failures, review items, then what passes and why), then the organisation's
 * to-do list. Each writer calls one of these from its model function; all of
 * them do nothing when the model has no assessment (no profile was given).
 */
#ifndef LT_REPORT_ASSESSMENT_H
#define LT_REPORT_ASSESSMENT_H

#include <stdio.h>

struct assessment;
struct buf;
struct json_t;

/* "Cleared for ...: yes" as one sentence; out gets at most size bytes. */
void report_assessment_sentence(const struct assessment *a, char *out, size_t size);
/* The JSON `assessment` object (docs/REPORT.md), or NULL when a is NULL. */
struct json_t *report_assessment_json(const struct assessment *a);
/* Text: an "Answer" section; bold/reset are the writer's highlighting ("" for none). */
void report_assessment_text(FILE *o, const struct assessment *a, const char *bold, const char *reset);
/* Markdown and HTML sections; esc is the writer's escaping for its format. */
void report_assessment_md(struct buf *b, const struct assessment *a, void (*esc)(struct buf *, const char *));
void report_assessment_html(struct buf *b, const struct assessment *a, void (*esc)(struct buf *, const char *));

#endif
