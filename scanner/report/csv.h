/*
 * csv.h - the CSV report (w_csv.c): one row per model for a spreadsheet, with a
 * header row: id, revision, verdict, declared, effective, categories,
 * obligations, findings. A list cell holds its values once each, joined by
 * "; ". Cells follow RFC 4180 (quoted when they hold a comma or a double
 * quote, quotes doubled, CRLF line ends); text from model repositories has
 * control characters and line breaks turned into spaces and invalid UTF-8 into
 * U+FFFD; and a cell that starts with =, +, - or @ gets a leading ' so that no
 * spreadsheet runs it as a formula.
 */
#ifndef LT_CSV_H
#define LT_CSV_H

#include <stdio.h>

struct buf;
struct json_t;
struct licensedb;

/* Append one cell (quoted, guarded as above; NULL is an empty cell) to b. */
void report_csv_cell(struct buf *b, const char *s);
/* The header row. 0, or -1 on a write error. */
int report_csv_header(FILE *out);
/* The row of a model object of the JSON report (`audit merge --format csv`); db
 * (may be NULL) gives the effective licenses' categories. 0, or -1. */
int report_csv_json_row(FILE *out, const struct json_t *model, const struct licensedb *db);

#endif
