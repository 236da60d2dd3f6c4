/*
 * w_csv.c - the CSV report: a header row, then one row per model, written as
 * each model comes (nothing is held). Rows are built the same way from a
 * model_report and from a model of the JSON report (audit merge), so both give
 * the same bytes. See csv.h for the quoting rules.
 */
#include "csv.h"
#include "report.h"
#include "core/buf.h"
#include "core/str.h"
#include "record/record.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* A row's cells can hold a model's every finding id and license: generous, but capped. */
#define CSV_MAX_ROW (4u * 1024u * 1024u)

enum { COL_ID, COL_REV, COL_VERDICT, COL_DECLARED, COL_EFFECTIVE, COL_CATEGORIES, COL_OBLIGATIONS,
       COL_FINDINGS, COL__COUNT };

static const char *const columns[COL__COUNT] = { "id", "revision", "verdict", "declared", "effective",
						 "categories", "obligations", "findings" };

/* One row's list cells: values once each, in order of first appearance. */
struct row {
	struct buf cell[COL__COUNT];
};

static void row_init(struct row *r)
{
	for (size_t i = 0; i < COL__COUNT; i++)
		buf_init(&r->cell[i], CSV_MAX_ROW);
}

static void row_release(struct row *r)
{
	for (size_t i = 0; i < COL__COUNT; i++)
		buf_release(&r->cell[i]);
}

static void row_set(struct row *r, int col, const char *s)
{
	buf_reset(&r->cell[col]);
	if (s)
		buf_adds(&r->cell[col], s);
}

/* Add s to a list cell unless it is already there. */
static void row_add(struct row *r, int col, const char *s)
{
	struct buf *b = &r->cell[col];
	const char *p = b->len ? buf_cstr(b) : NULL;
	size_t n;

	if (!s || !*s)
		return;
	n = strlen(s);
	while (p) {
		const char *end = strstr(p, "; ");
		size_t k = end ? (size_t)(end - p) : strlen(p);
		if (k == n && !memcmp(p, s, n))
			return;
		p = end ? end + 2 : NULL;
	}
	if (b->len)
		buf_adds(b, "; ");
	buf_adds(b, s);
}

void report_csv_cell(struct buf *b, const char *s)
{
	struct buf c;
	int quote = 0;

	if (!s)
		return;
	buf_init(&c, 2 * strlen(s) + 8);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		buf_addc(&c, '\''); /* a formula in a spreadsheet otherwise */
	for (const char *p = s; *p;) {
		const char *repl;
		size_t n = report_char(p, &repl);
		if (repl) {
			buf_adds(&c, repl);
		} else {
			quote |= *p == ',' || *p == '"';
			if (*p == '"')
				buf_addc(&c, '"');
			buf_add(&c, p, n);
		}
		p += n;
	}
	if (quote)
		buf_addc(b, '"');
	buf_add(b, buf_cstr(&c), c.len);
	if (quote)
		buf_addc(b, '"');
	buf_release(&c);
}

static int row_write(FILE *out, struct row *r)
{
	struct buf line;
	int rc;

	buf_init(&line, 2 * COL__COUNT * (size_t)CSV_MAX_ROW + 16);
	for (size_t i = 0; i < COL__COUNT; i++) {
		if (i)
			buf_addc(&line, ',');
		report_csv_cell(&line, buf_error(&r->cell[i]) ? "(too long)" : buf_cstr(&r->cell[i]));
	}
	buf_adds(&line, "\r\n");
	rc = buf_error(&line) || fwrite(buf_cstr(&line), 1, line.len, out) != line.len ? -1 : 0;
	buf_release(&line);
	return rc;
}

int report_csv_header(FILE *out)
{
	for (size_t i = 0; i < COL__COUNT; i++)
		fprintf(out, "%s%s", i ? "," : "", columns[i]);
	fputs("\r\n", out);
	return ferror(out) ? -1 : 0;
}

int report_csv_json_row(FILE *out, const json_t *model, const struct licensedb *db)
{
	struct row r;
	const json_t *x;
	size_t i;
	int rc;

	if (!json_is_object(model))
		return -1;
	row_init(&r);
	row_set(&r, COL_ID, json_string_value(json_object_get(model, "id")));
	row_set(&r, COL_REV, json_string_value(json_object_get(model, "revision")));
	row_set(&r, COL_VERDICT, json_string_value(json_object_get(model, "verdict")));
	json_array_foreach (json_object_get(model, "declared"), i, x) {
		const char *l = json_string_value(json_object_get(x, "license"));
		row_add(&r, COL_DECLARED, l ? l : json_string_value(json_object_get(x, "value")));
	}
	json_array_foreach (json_object_get(model, "effective"), i, x) {
		const char *id = json_string_value(x);
		const struct licdef *l = id && db ? licensedb_get(db, id) : NULL;
		row_add(&r, COL_EFFECTIVE, id);
		if (id)
			row_add(&r, COL_CATEGORIES, l ? lic_category_name(l->category) : "unknown");
	}
	json_array_foreach (json_object_get(model, "obligations"), i, x)
		row_add(&r, COL_OBLIGATIONS, json_string_value(json_object_get(x, "kind")));
	json_array_foreach (json_object_get(model, "findings"), i, x)
		row_add(&r, COL_FINDINGS, json_string_value(json_object_get(x, "id")));
	rc = row_write(out, &r);
	row_release(&r);
	return rc;
}

static int v_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	w->ctx = ctx;
	return report_csv_header(ctx->out);
}

static int v_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	const struct model_record *r = m->node->rec;
	struct row row;
	int rc;

	(void)g;
	row_init(&row);
	row_set(&row, COL_ID, m->node->id);
	row_set(&row, COL_REV, r ? r->revision : NULL);
	row_set(&row, COL_VERDICT, verdict_name(m->verdict));
	for (size_t i = 0; r && i < r->ndeclared; i++)
		row_add(&row, COL_DECLARED, r->declared[i].lic ? r->declared[i].lic->id : r->declared[i].value);
	for (size_t i = 0; i < m->neffective; i++) {
		row_add(&row, COL_EFFECTIVE, m->effective[i]->id);
		row_add(&row, COL_CATEGORIES, lic_category_name(m->effective[i]->category));
	}
	for (size_t i = 0; i < m->ob.n; i++)
		row_add(&row, COL_OBLIGATIONS, ob_kind_name(m->ob.v[i].ob->kind));
	for (size_t i = 0; i < m->nf; i++)
		row_add(&row, COL_FINDINGS, m->f[i].def->id);
	rc = row_write(w->ctx->out, &row);
	row_release(&row);
	return rc;
}

static int v_end(struct report_writer *w, enum verdict overall)
{
	(void)overall; /* the verdict of each model is its row's; a spreadsheet needs no total row */
	return ferror(w->ctx->out) ? -1 : 0;
}

struct report_writer *report_csv_new(void)
{
	return report_writer_make("csv", v_begin, v_model, v_end, NULL);
}
