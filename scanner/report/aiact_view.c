/* aiact_view.c - the EU AI Act view in each format; see aiact_view.h. */
#include "aiact_view.h"
#include "core/buf.h"
#include "findings/aiact.h"

#include <jansson.h>

static const char *words(const struct aiact *a)
{
	return a->value == AIACT_LIKELY ? "likely a free and open-source licence"
	       : a->value == AIACT_UNLIKELY ? "unlikely to be a free and open-source licence"
					    : "unknown (a license could not be judged)";
}

json_t *report_aiact_json(const struct aiact *a)
{
	json_t *o, *r;

	if (!a)
		return NULL;
	o = json_object();
	r = json_array();
	json_object_set_new(o, "open_source_licence", json_string(aiact_value_name(a->value)));
	for (size_t i = 0; i < a->n; i++)
		json_array_append_new(r, json_pack("{s:s, s:o, s:s}", "license", a->v[i].license, "clause",
						   a->v[i].clause ? json_string(a->v[i].clause) : json_null(),
						   "why", a->v[i].why ? a->v[i].why : ""));
	json_object_set_new(o, "reasons", r);
	json_object_set_new(o, "note", json_string(AIACT_DISCLAIMER));
	return o;
}

void report_aiact_text(FILE *o, const struct aiact *a, const char *bold, const char *reset)
{
	if (!a)
		return;
	fprintf(o, "\n%sEU AI Act view%s  %s\n", bold, reset, words(a));
	for (size_t i = 0; i < a->n; i++)
		fprintf(o, "  - %s%s%s: %s\n", a->v[i].license, a->v[i].clause ? " " : "",
			a->v[i].clause ? a->v[i].clause : "", a->v[i].why ? a->v[i].why : "");
	fprintf(o, "  %s\n", AIACT_DISCLAIMER);
}

/* "license clause: why", escaped for the writer's format. */
static void reason(struct buf *b, const struct aiact_reason *r, void (*esc)(struct buf *, const char *))
{
	esc(b, r->license);
	if (r->clause) {
		buf_adds(b, " ");
		esc(b, r->clause);
	}
	buf_adds(b, ": ");
	esc(b, r->why ? r->why : "");
}

void report_aiact_md(struct buf *b, const struct aiact *a, void (*esc)(struct buf *, const char *))
{
	if (!a)
		return;
	buf_adds(b, "\n### EU AI Act view\n\n");
	buf_printf(b, "**%s**\n\n", words(a));
	for (size_t i = 0; i < a->n; i++) {
		buf_adds(b, "- ");
		reason(b, &a->v[i], esc);
		buf_adds(b, "\n");
	}
	buf_adds(b, "\n_");
	esc(b, AIACT_DISCLAIMER);
	buf_adds(b, "_\n");
}

void report_aiact_html(struct buf *b, const struct aiact *a, void (*esc)(struct buf *, const char *))
{
	if (!a)
		return;
	buf_adds(b, "<section class=\"aiact\"><h3>EU AI Act view</h3><p><strong>");
	esc(b, words(a));
	buf_adds(b, "</strong></p>");
	if (a->n) {
		buf_adds(b, "<ul>");
		for (size_t i = 0; i < a->n; i++) {
			buf_adds(b, "<li>");
			reason(b, &a->v[i], esc);
			buf_adds(b, "</li>");
		}
		buf_adds(b, "</ul>");
	}
	buf_adds(b, "<p><em>");
	esc(b, AIACT_DISCLAIMER);
	buf_adds(b, "</em></p></section>\n");
}

static void plain(struct buf *b, const char *s)
{
	buf_adds(b, s);
}

void report_aiact_plain(struct buf *b, const struct aiact *a)
{
	if (!a)
		return;
	buf_printf(b, "EU AI Act view: open_source_licence=%s (%s)", aiact_value_name(a->value),
		   words(a));
	for (size_t i = 0; i < a->n; i++) {
		buf_adds(b, i ? "; " : ". ");
		reason(b, &a->v[i], plain);
	}
	buf_adds(b, ". ");
	buf_adds(b, AIACT_DISCLAIMER);
}
