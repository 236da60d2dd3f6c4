/* assessment.c - the pre-adoption answer in every format; see assessment.h. */
#include "assessment.h"
#include "report.h"
#include "core/buf.h"
#include "findings/assess.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

void report_assessment_sentence(const struct assessment *a, char *out, size_t size)
{
	snprintf(out, size, "%s: %s", a->question, assess_answer_words(a->answer));
}

json_t *report_assessment_json(const struct assessment *a)
{
	json_t *o, *rs, *td;

	if (!a)
		return NULL;
	o = json_object();
	rs = json_array();
	td = json_array();
	json_object_set_new(o, "question", report_json_str(a->question));
	json_object_set_new(o, "answer", json_string(assess_answer_name(a->answer)));
	for (size_t i = 0; i < a->nreasons; i++) {
		const struct assess_reason *r = &a->reasons[i];
		json_t *x = json_object();
		json_object_set_new(x, "duty", report_json_str(r->duty));
		json_object_set_new(x, "license", report_json_str(r->license));
		json_object_set_new(x, "clause", report_json_str(r->clause));
		json_object_set_new(x, "model", report_json_str(r->model));
		json_object_set_new(x, "outcome", json_string(assess_outcome_name(r->outcome)));
		json_object_set_new(x, "why", report_json_str(r->why));
		json_array_append_new(rs, x);
	}
	for (size_t i = 0; i < a->ntodo; i++)
		json_array_append_new(td, report_json_str(a->todo[i]));
	json_object_set_new(o, "reasons", rs);
	json_object_set_new(o, "todo", td);
	return o;
}

static void text_reason(FILE *o, const struct assess_reason *r)
{
	fprintf(o, "  %-6s  %s", assess_outcome_name(r->outcome), r->duty);
	if (r->license) {
		fputs(" (", o);
		report_put_safe(o, r->license);
		if (r->clause) {
			fputc(' ', o);
			report_put_safe(o, r->clause);
		}
		fputc(')', o);
	}
	fputs(": ", o);
	report_put_safe(o, r->why);
	if (r->model) {
		fputs(" [via ", o);
		report_put_safe(o, r->model);
		fputc(']', o);
	}
	fputc('\n', o);
}

void report_assessment_text(FILE *o, const struct assessment *a, const char *bold, const char *reset)
{
	if (!a)
		return;
	fprintf(o, "\n%sAnswer%s\n  ", bold, reset);
	report_put_safe(o, a->question);
	fprintf(o, ": %s%s%s\n", bold, assess_answer_words(a->answer), reset);
	for (size_t i = 0; i < a->nreasons; i++)
		text_reason(o, &a->reasons[i]);
	if (a->ntodo) {
		fprintf(o, "  to do:\n");
		for (size_t i = 0; i < a->ntodo; i++) {
			fputs("    - ", o);
			report_put_safe(o, a->todo[i]);
			fputc('\n', o);
		}
	}
}

void report_assessment_md(struct buf *b, const struct assessment *a, void (*esc)(struct buf *, const char *))
{
	if (!a)
		return;
	buf_adds(b, "\n### Answer\n\n");
	esc(b, a->question);
	buf_printf(b, ": **%s**\n\n", assess_answer_words(a->answer));
	if (a->nreasons)
		buf_adds(b, "| Outcome | Duty | License | Clause | Why |\n| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < a->nreasons; i++) {
		const struct assess_reason *r = &a->reasons[i];
		buf_printf(b, "| %s | ", assess_outcome_name(r->outcome));
		esc(b, r->duty);
		buf_adds(b, " | ");
		if (r->license)
			esc(b, r->license);
		buf_adds(b, " | ");
		if (r->clause)
			esc(b, r->clause);
		buf_adds(b, " | ");
		esc(b, r->why);
		if (r->model) {
			buf_adds(b, " (via ");
			esc(b, r->model);
			buf_addc(b, ')');
		}
		buf_adds(b, " |\n");
	}
	if (a->ntodo) {
		buf_adds(b, "\n**To do:**\n\n");
		for (size_t i = 0; i < a->ntodo; i++) {
			buf_adds(b, "- ");
			esc(b, a->todo[i]);
			buf_addc(b, '\n');
		}
	}
}

void report_assessment_html(struct buf *b, const struct assessment *a, void (*esc)(struct buf *, const char *))
{
	static const char *const vclass[] = { "pass", "review", "fail" };

	if (!a)
		return;
	buf_adds(b, "<h3>Answer</h3>\n<p class=\"answer\">");
	esc(b, a->question);
	buf_printf(b, ": <span class=\"v v-%s\">%s</span></p>\n", vclass[a->answer], assess_answer_words(a->answer));
	if (a->nreasons)
		buf_adds(b, "<table><thead><tr><th>Outcome</th><th>Duty</th><th>License</th><th>Clause</th>"
			    "<th>Why</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < a->nreasons; i++) {
		const struct assess_reason *r = &a->reasons[i];
		buf_printf(b, "<tr><td><span class=\"v v-%s\">%s</span></td><td>", vclass[r->outcome],
			   assess_outcome_name(r->outcome));
		esc(b, r->duty);
		buf_adds(b, "</td><td>");
		if (r->license)
			esc(b, r->license);
		buf_adds(b, "</td><td>");
		if (r->clause)
			esc(b, r->clause);
		buf_adds(b, "</td><td>");
		esc(b, r->why);
		if (r->model) {
			buf_adds(b, " (via ");
			esc(b, r->model);
			buf_addc(b, ')');
		}
		buf_adds(b, "</td></tr>\n");
	}
	if (a->nreasons)
		buf_adds(b, "</tbody></table>\n");
	if (a->ntodo) {
		buf_adds(b, "<p>To do:</p>\n<ul class=\"todo\">\n");
		for (size_t i = 0; i < a->ntodo; i++) {
			buf_adds(b, "<li>");
			esc(b, a->todo[i]);
			buf_adds(b, "</li>\n");
		}
		buf_adds(b, "</ul>\n");
	}
}
