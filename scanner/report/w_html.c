/*
 * w_html.c - the report as one self-contained HTML page a reviewer (a lawyer)
 * reads: inline CSS and one inline script allowed by its hash, no external
 * resource (a Content-Security-Policy says so to the browser too).
 *
 * The page opens with the verdict in plain words ("Not cleared for use,
 * because ..."). One model: that sentence is the page's heading. Several (an
 * audit): an inventory dashboard first (counts by verdict, a sortable and
 * filterable table of models), then each model. Per model: the verdict and why,
 * the profile's answer and the EU AI Act view when asked for, the findings (each
 * with the line of the card it is about, quoted), the obligations as a checklist
 * grouped by the license they come from, the lineage (html_lineage.c) and the
 * licenses table. Fix texts are Markdown: `code`, **bold** and [links](https://...)
 * are rendered, after escaping, so no markup from a rule or repository gets in.
 * The page reads the same without script and prints whole (@media print).
 *
 * The page is assembled in memory and written once, at end.
 */
#include "report.h"
#include "aiact_view.h"
#include "assessment.h"
#include "html.h"
#include "summary.h"
#include "core/buf.h"
#include "core/str.h"
#include "findings/assess.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Reasons named under a verdict; the rest are counted ("and 4 more"). */
#define SAY_MAX 5
/* A quoted evidence line is cut after this many characters. */
#define QUOTE_CHARS 240

struct htmlw {
	struct buf summary; /* the inventory table's rows */
	struct buf body;
	struct buf say;     /* the first model's verdict in plain words (one-model pages) */
	const char *say_css;
	struct buf say_id;  /* and its id, escaped */
	size_t nmodels;
	struct summary *sum; /* the inventory's digest (summary.h) */
	int full;
	size_t dropped;
};

void html_esc(struct buf *b, const char *s)
{
	if (!s)
		return;
	for (const char *p = s; *p;) {
		const char *repl;
		size_t n = report_char(p, &repl);
		if (repl || n > 1) {
			if (repl)
				buf_adds(b, repl);
			else
				buf_add(b, p, n);
			p += n;
			continue;
		}
		switch (*p) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *p); break;
		}
		p++;
	}
}

void html_esc_trunc(struct buf *b, const char *s, size_t max)
{
	size_t chars = 0, i;
	char *cut;

	if (!s)
		return;
	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
			break;
	if (!s[i]) {
		html_esc(b, s);
		return;
	}
	cut = lt_strndup(s, i);
	html_esc(b, cut);
	buf_adds(b, "\xE2\x80\xA6");
	free(cut);
}

/* The end of a [text](https://...) link starting at p (escaped text), or NULL;
 * *t_end and *u are where its text ends and its address starts. */
static const char *md_link(const char *p, const char **t_end, const char **u)
{
	const char *q = strstr(p, "](");
	const char *e;

	if (!q || memchr(p, '\n', (size_t)(q - p)) || q == p + 1)
		return NULL;
	for (const char *x = p + 1; x < q; x++)
		if (*x == '[' || *x == ']')
			return NULL;
	if (!lt_starts_with(q + 2, "https://") && !lt_starts_with(q + 2, "http://"))
		return NULL;
	for (e = q + 2; *e && *e != ')'; e++)
		if (*e == ' ' || *e == '\t' || *e == '\n')
			return NULL;
	if (*e != ')')
		return NULL;
	*t_end = q;
	*u = q + 2;
	return e;
}

/* s as HTML with a little Markdown: `code`, and with rich set (texts of the
 * project's own rules) **bold** and [text](https://...) links too; text that a
 * repository can put words into (finding messages) gets code spans only, so it
 * cannot dress up a link. s is escaped first; the markup is only ever added
 * around escaped text, so nothing from s can open a tag or an attribute.
 * Unpaired marks stay as they are. */
static void md_inline(struct buf *b, const char *s, int rich)
{
	struct buf e;
	const char *p;

	if (!s)
		return;
	buf_init(&e, 1024 * 1024);
	html_esc(&e, s);
	for (p = buf_cstr(&e); *p;) {
		const char *end, *t_end, *u;
		if (*p == '`' && (end = strchr(p + 1, '`')) != NULL && end > p + 1) {
			buf_adds(b, "<code>");
			buf_add(b, p + 1, (size_t)(end - p - 1));
			buf_adds(b, "</code>");
			p = end + 1;
		} else if (rich && lt_starts_with(p, "**") && (end = strstr(p + 2, "**")) != NULL && end > p + 2 &&
			   !memchr(p + 2, '`', (size_t)(end - p - 2))) {
			buf_adds(b, "<strong>");
			buf_add(b, p + 2, (size_t)(end - p - 2));
			buf_adds(b, "</strong>");
			p = end + 2;
		} else if (rich && *p == '[' && (end = md_link(p, &t_end, &u)) != NULL) {
			buf_adds(b, "<a class=\"url\" rel=\"noopener noreferrer\" href=\"");
			buf_add(b, u, (size_t)(end - u));
			buf_adds(b, "\">");
			buf_add(b, p + 1, (size_t)(t_end - p - 1));
			buf_adds(b, "</a>");
			p = end + 1;
		} else {
			buf_addc(b, *p++);
		}
	}
	buf_release(&e);
}

static void where(struct buf *b, const char *file, int line)
{
	if (!file || !*file) {
		buf_adds(b, "&mdash;");
		return;
	}
	buf_adds(b, "<code class=\"id\">");
	html_esc(b, file);
	if (line > 0)
		buf_printf(b, ":%d", line);
	buf_adds(b, "</code>");
}

/* The text of line `line` of the model's file `file`, when the record kept that
 * file's text (the card, notices) or the line a license was detected on (license
 * files, whose text is not kept); NULL otherwise. Caller frees. */
static char *line_of(const struct model_record *r, const char *file, int line)
{
	const char *text = NULL, *p, *e;

	if (!r || !file || line < 1)
		return NULL;
	if (!strcmp(file, "README.md"))
		text = r->card_text;
	for (size_t i = 0; !text && i < r->nfiles; i++)
		if (r->files[i].text && r->files[i].path && !strcmp(r->files[i].path, file))
			text = r->files[i].text;
	for (size_t i = 0; !text && i < r->ndetected; i++)
		if (r->detected[i].quote && r->detected[i].at.line == line && r->detected[i].at.file &&
		    !strcmp(r->detected[i].at.file, file))
			return lt_strdup(r->detected[i].quote);
	if (!text)
		return NULL;
	for (p = text; line > 1 && p; line--) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p || !*p)
		return NULL;
	e = strchr(p, '\n');
	if (!e)
		e = p + strlen(p);
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return e > p ? lt_strndup(p, (size_t)(e - p)) : NULL;
}

/* "README.md:2" and, when its text is known, the line itself quoted. */
static void evidence(struct buf *b, const struct model_record *r, const char *file, int line)
{
	char *text = line_of(r, file, line);

	where(b, file, line);
	if (text) {
		buf_adds(b, "<blockquote class=\"ev\">");
		html_esc_trunc(b, text, QUOTE_CHARS);
		buf_adds(b, "</blockquote>");
	}
	free(text);
}

/* --- the verdict in plain words ------------------------------------------ */

static const char *verdict_css(const struct model_report *m)
{
	static const char *const answer[] = { "pass", "review", "fail" };

	return m->assessment ? answer[m->assessment->answer] : verdict_name(m->verdict);
}

/* The answer as one sentence: the profile's question answered when there is a
 * profile, else what the verdict means for using the model. */
static void say_sentence(struct buf *b, const struct model_report *m)
{
	const struct assessment *a = m->assessment;

	if (a && a->question) {
		const char *q = a->question;
		int cleared = lt_starts_with(q, "Cleared ");
		if (a->answer == ANSWER_YES) {
			html_esc(b, q);
		} else if (a->answer == ANSWER_NO) {
			buf_adds(b, cleared ? "Not c" : "Not cleared: ");
			html_esc(b, cleared ? q + 1 : q);
		} else {
			buf_adds(b, cleared ? "Needs legal review before it is c" : "Needs legal review: ");
			html_esc(b, cleared ? q + 1 : q);
		}
		return;
	}
	switch (m->verdict) {
	case VERDICT_FAIL:
		buf_adds(b, "Not cleared for use");
		break;
	case VERDICT_INCOMPLETE:
		buf_adds(b, "Not cleared yet: part of its licensing could not be established");
		break;
	case VERDICT_REVIEW:
		buf_adds(b, "Needs legal review before use");
		break;
	default:
		buf_adds(b, "No license problem found");
		break;
	}
}

static void because_item(struct buf *b, size_t *n, const char *why, const char *lic, const char *clause)
{
	if (++*n > SAY_MAX)
		return;
	buf_adds(b, "<li>");
	md_inline(b, why, 0);
	if (lic) {
		buf_adds(b, " <span class=\"src\">(");
		html_esc(b, lic);
		if (clause) {
			buf_addc(b, ' ');
			html_esc(b, clause);
		}
		buf_adds(b, ")</span>");
	}
	buf_adds(b, "</li>\n");
}

/* What decides the answer, as a list: the failed or open conditions of the
 * profile, else the findings behind the verdict. */
static void say_because(struct buf *b, const struct model_report *m)
{
	const struct assessment *a = m->assessment;
	size_t n = 0;
	struct buf l;

	buf_init(&l, REPORT_MAX_SECTION);
	if (a) {
		enum assess_outcome want = a->answer == ANSWER_NO ? AO_FAIL : AO_REVIEW;
		for (size_t i = 0; a->answer != ANSWER_YES && i < a->nreasons; i++)
			if (a->reasons[i].outcome == want)
				because_item(&l, &n, a->reasons[i].why, a->reasons[i].license, a->reasons[i].clause);
	} else {
		for (size_t i = 0; i < m->nf; i++) {
			const struct finding *f = &m->f[i];
			int counts = m->verdict == VERDICT_FAIL ? f->severity == SEV_ERROR && !f->exception
				   : m->verdict == VERDICT_INCOMPLETE ? f->incomplete
				   : m->verdict == VERDICT_REVIEW ? f->severity >= SEV_WARNING && !f->exception
				   : 0;
			if (counts)
				because_item(&l, &n, f->message, NULL, NULL);
		}
	}
	if (n) {
		buf_adds(b, "<ul class=\"because\">\n");
		buf_add(b, buf_cstr(&l), l.len);
		if (n > SAY_MAX)
			buf_printf(b, "<li>and %zu more (see below)</li>\n", n - SAY_MAX);
		buf_adds(b, "</ul>\n");
	}
	buf_release(&l);
}

/* The sentence (", because:" when reasons follow) in a <tag>, then the reasons. */
static void say_block(struct buf *b, const struct model_report *m, const char *tag)
{
	struct buf l;

	buf_init(&l, REPORT_MAX_SECTION);
	say_because(&l, m);
	buf_printf(b, "<%s class=\"say s-%s\">", tag, verdict_css(m));
	say_sentence(b, m);
	buf_adds(b, l.len ? ", because:" : ".");
	buf_printf(b, "</%s>\n", tag);
	buf_add(b, buf_cstr(&l), l.len);
	buf_release(&l);
}

/* --- licenses, obligations, findings ------------------------------------- */

static void licenses(struct buf *b, const struct model_record *r)
{
	buf_adds(b, "<h3>Licenses</h3>\n");
	if (!r->ndeclared && !r->ndetected) {
		buf_adds(b, "<p>None declared, none detected.</p>\n");
		return;
	}
	buf_adds(b, "<table><thead><tr><th>Source</th><th>License</th><th>Name</th><th>Where</th>"
		    "<th>Details</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < r->ndeclared; i++) {
		const struct declared *d = &r->declared[i];
		buf_adds(b, "<tr><td>declared</td><td class=\"id\">");
		html_esc(b, d->value);
		buf_adds(b, "</td><td>");
		if (d->lic)
			html_esc(b, d->lic->name);
		else
			buf_adds(b, "<em>not a license lictrace knows</em>");
		buf_adds(b, "</td><td>");
		evidence(b, r, d->at.file, d->at.line);
		buf_adds(b, "</td><td>");
		html_esc(b, d->at.field);
		buf_adds(b, "</td></tr>\n");
	}
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct detected *d = &r->detected[i];
		buf_adds(b, "<tr><td>detected</td><td class=\"id\">");
		html_esc(b, d->lic->id);
		buf_adds(b, "</td><td>");
		html_esc(b, d->lic->name);
		buf_adds(b, d->kind == RULE_POLICY ? " (use policy)" : d->kind == RULE_NOTICE ? " (notice)" : "");
		buf_adds(b, "</td><td>");
		evidence(b, r, d->at.file, d->at.line);
		buf_adds(b, "</td><td>rule <span class=\"id\">");
		html_esc(b, d->rule);
		buf_printf(b, "</span>, confidence %.2f</td></tr>\n", d->confidence);
	}
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct lic_file *f = &r->files[i];
		if (!f->unknown && !f->unreadable)
			continue;
		buf_printf(b, "<tr><td>file</td><td>&mdash;</td><td>%s</td><td>",
			   f->unreadable ? "unreadable" : "text not recognised");
		where(b, f->path, 0);
		buf_adds(b, "</td><td>");
		if (f->unreadable)
			html_esc(b, f->why_unreadable);
		else if (f->modified_from) {
			buf_adds(b, "resembles ");
			html_esc(b, f->modified_from);
		}
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

static const char *ob_source(const struct eff_ob *e)
{
	return e->self ? "own license" : e->chain ? e->chain : e->model;
}

/* One duty of the checklist: what to do, its details and where the license says it. */
static void duty(struct buf *b, const struct obligation *ob)
{
	buf_adds(b, "<li><label><input type=\"checkbox\"> <strong>");
	html_esc(b, ob_kind_name(ob->kind));
	buf_adds(b, "</strong></label>");
	if (ob->clause) {
		buf_adds(b, " <span class=\"src\">(");
		html_esc(b, ob->clause);
		buf_adds(b, ")</span>");
	}
	if (ob->text) {
		buf_adds(b, ": &ldquo;");
		html_esc(b, ob->text);
		buf_adds(b, "&rdquo;");
	}
	if (ob->value) {
		buf_printf(b, " %llu ", ob->value);
		html_esc(b, ob->period);
	}
	for (size_t k = 0; k < ob->territories.n; k++) {
		buf_adds(b, k ? ", " : " territories: ");
		html_esc(b, ob->territories.v[k]);
	}
	if (ob->url && (lt_starts_with(ob->url, "https://") || lt_starts_with(ob->url, "http://"))) {
		/* a link the reader can follow (navigation, not a load) */
		char *u = report_redact(ob->url);
		buf_adds(b, " <a class=\"url\" rel=\"noopener noreferrer\" href=\"");
		html_esc(b, u);
		buf_adds(b, "\">");
		html_esc(b, u);
		buf_adds(b, "</a>");
		free(u);
	} else if (ob->url) {
		buf_adds(b, " <span class=\"url\">");
		html_esc(b, ob->url);
		buf_adds(b, "</span>");
	}
	buf_adds(b, "</li>\n");
}

/* The obligations as a checklist, one group per license they come from (each
 * duty once, with every model or chain that brings it). */
static void obligations(struct buf *b, const struct model_report *m)
{
	buf_adds(b, "<h3>Obligations</h3>\n");
	if (!m->ob.n) {
		buf_adds(b, "<p>None known.</p>\n");
		return;
	}
	buf_adds(b, "<p class=\"note\">What using this model commits you to, grouped by the license "
		    "each duty comes from; tick each one off when it is done.</p>\n");
	for (size_t i = 0; i < m->ob.n; i++) {
		const struct licdef *lic = m->ob.v[i].lic;
		size_t nsrc = 0;
		int first = 1;
		for (size_t j = 0; j < i && first; j++)
			first = m->ob.v[j].lic != lic;
		if (!first)
			continue;
		buf_adds(b, "<div class=\"obl\"><h4>");
		html_esc(b, lic->name);
		buf_adds(b, " <code class=\"id\">");
		html_esc(b, lic->id);
		buf_adds(b, "</code></h4>\n<p class=\"from\">From: ");
		for (size_t j = i; j < m->ob.n; j++) {
			int dup = m->ob.v[j].lic != lic;
			for (size_t k = i; k < j && !dup; k++)
				dup = m->ob.v[k].lic == lic && !strcmp(ob_source(&m->ob.v[k]), ob_source(&m->ob.v[j]));
			if (dup)
				continue;
			if (nsrc++ < SAY_MAX) {
				buf_adds(b, nsrc > 1 ? "; " : "");
				buf_adds(b, "<span class=\"id\">");
				html_esc(b, ob_source(&m->ob.v[j]));
				buf_adds(b, "</span>");
			}
		}
		if (nsrc > SAY_MAX)
			buf_printf(b, "; and %zu more", nsrc - SAY_MAX);
		buf_adds(b, "</p>\n<ul class=\"check\">\n");
		for (size_t j = i; j < m->ob.n; j++) {
			int dup = m->ob.v[j].lic != lic;
			for (size_t k = i; k < j && !dup; k++)
				dup = m->ob.v[k].lic == lic && m->ob.v[k].ob == m->ob.v[j].ob;
			if (!dup)
				duty(b, m->ob.v[j].ob);
		}
		buf_adds(b, "</ul></div>\n");
	}
}

static void findings(struct buf *b, const struct model_report *m)
{
	static const char *const heading[] = { "Info", "Warnings", "Errors" };
	const struct model_record *r = m->node->rec;
	size_t cnt[3];

	report_count(m, cnt);
	buf_adds(b, "<h3>Findings</h3>\n");
	if (!m->nf)
		buf_adds(b, "<p>No findings.</p>\n");
	for (int s = SEV_ERROR; s >= SEV_INFO; s--) {
		if (!cnt[s])
			continue;
		buf_printf(b, "<h4>%s (%zu)</h4>\n", heading[s], cnt[s]);
		for (size_t i = 0; i < m->nf; i++) {
			const struct finding *f = &m->f[i];
			const char *file;
			int line, own;
			if ((int)f->severity != s)
				continue;
			buf_printf(b, "<div class=\"f %s\"><p class=\"ft\"><code class=\"id\">",
				   severity_name(f->severity));
			html_esc(b, f->def->id);
			buf_adds(b, "</code> ");
			html_esc(b, f->def->title);
			buf_adds(b, "</p><dl><dt>What</dt><dd>");
			md_inline(b, f->message, 0);
			buf_adds(b, "</dd>");
			/* its own file and line, else the card line that names the base
			 * or license it is about (none: the card's first line, not shown) */
			own = f->file && *f->file && strcmp(f->file, "api") != 0;
			report_locate(m, f, &file, &line);
			if (own || line > 1 || strcmp(file, "README.md") != 0) {
				buf_adds(b, own ? "<dt>Where</dt><dd>" : "<dt>In the card</dt><dd>");
				evidence(b, r, file, line);
				buf_adds(b, "</dd>");
			}
			if (f->file && !strcmp(f->file, "api"))
				buf_adds(b, "<dt>Source</dt><dd>the Hub's API</dd>");
			if (f->chain) {
				buf_adds(b, "<dt>Chain</dt><dd class=\"id\">");
				html_esc(b, f->chain);
				buf_adds(b, "</dd>");
			}
			buf_adds(b, "<dt>Why</dt><dd>");
			md_inline(b, f->def->why, 1);
			buf_adds(b, "</dd><dt>Fix</dt><dd>");
			md_inline(b, f->def->fix, 1);
			buf_adds(b, "</dd>");
			if (f->exception) {
				buf_adds(b, "<dt>Accepted</dt><dd>");
				html_esc(b, f->exception);
				buf_adds(b, "</dd>");
			}
			buf_adds(b, "</dl></div>\n");
		}
	}
}

/* --- a model ------------------------------------------------------------- */

static int h_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct htmlw *h = calloc(1, sizeof(*h));

	w->ctx = ctx;
	w->impl = h;
	if (!h)
		return -1;
	buf_init(&h->summary, REPORT_MAX_SECTION);
	buf_init(&h->body, REPORT_MAX_BYTES);
	buf_init(&h->say, REPORT_MAX_SECTION);
	buf_init(&h->say_id, REPORT_MAX_SECTION);
	return (h->sum = summary_new(ctx->db)) ? 0 : -1;
}

static int h_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct htmlw *h = w->impl;
	const struct model_record *r = m->node->rec;
	struct buf b;
	size_t cnt[3];
	const char *v = verdict_name(m->verdict);

	(void)g;
	if (!h)
		return -1;
	h->nmodels++;
	summary_add_report(h->sum, m); /* out of memory: the summary says it is incomplete */
	report_count(m, cnt);
	{
		struct buf row;
		buf_init(&row, 64 * 1024); /* a row is added whole or not at all */
		html_dash_row(&row, m, h->nmodels, cnt);
		report_add_section(&h->summary, &row, "<tr><td colspan=\"7\">&hellip;</td></tr>\n");
	}
	if (h->nmodels == 1) {
		say_sentence(&h->say, m);
		h->say_css = verdict_css(m);
		html_esc(&h->say_id, m->node->id);
	}
	if (h->full) {
		h->dropped++;
		return -1;
	}

	buf_init(&b, REPORT_MAX_SECTION);
	buf_printf(&b, "<section class=\"model\" id=\"m%zu\">\n<h2><span class=\"id\">", h->nmodels);
	html_esc(&b, m->node->id);
	buf_printf(&b, "</span> <span class=\"v v-%s\">%s</span></h2>\n", v, v);
	say_block(&b, m, "p");
	buf_adds(&b, "<dl class=\"meta\"><dt>Source</dt><dd>");
	html_esc(&b, r->source_kind);
	buf_adds(&b, " <code class=\"id\">");
	{
		char *target = report_redact(r->target); /* no credentials of a URL target */
		html_esc(&b, target);
		free(target);
	}
	buf_adds(&b, "</code></dd><dt>Revision</dt><dd>");
	if (r->revision) {
		buf_adds(&b, "<code class=\"id\">");
		html_esc(&b, r->revision);
		buf_adds(&b, "</code>");
	} else {
		buf_adds(&b, "unknown");
	}
	buf_printf(&b, "</dd><dt>Findings</dt><dd>%zu error%s, %zu warning%s, %zu info</dd></dl>\n",
		   cnt[SEV_ERROR], cnt[SEV_ERROR] == 1 ? "" : "s", cnt[SEV_WARNING],
		   cnt[SEV_WARNING] == 1 ? "" : "s", cnt[SEV_INFO]);
	report_assessment_html(&b, m->assessment, html_esc);
	report_aiact_html(&b, m->aiact, html_esc);
	findings(&b, m);
	obligations(&b, m);
	buf_adds(&b, "<h3>Lineage</h3>\n");
	html_lineage(&b, m, h->nmodels);
	licenses(&b, r);
	buf_adds(&b, "</section>\n");
	if (report_add_section(&h->body, &b,
			       "<section class=\"model\"><p class=\"note\">This model's section is too "
			       "large to include.</p></section>\n")) {
		h->full = 1;
		h->dropped++;
		return -1;
	}
	return 0;
}

/* --- the page ------------------------------------------------------------- */

static const char css[] =
	"body{font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Helvetica,Arial,sans-serif;"
	"color:#1f2328;max-width:1100px;margin:2em auto;padding:0 1em}"
	"h1{font-size:1.7em;line-height:1.25}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3em;"
	"margin-top:2em}h4{margin:1em 0 .3em}"
	/* words are never broken inside a cell; an id longer than its column wraps
	 * only where it would overflow, a web address anywhere */
	".id{overflow-wrap:break-word}.url,dl.meta code{overflow-wrap:anywhere}"
	"table{border-collapse:collapse;margin:.5em 0 1em;width:100%}"
	"th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top;"
	"hyphens:none}th{background:#f6f8fa}"
	"code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;"
	"padding:1px 4px;border-radius:4px}"
	".v{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8em;font-weight:600;"
	"color:#fff;vertical-align:middle;white-space:nowrap}"
	".v-pass{background:#1a7f37}.v-review{background:#9a6700}.v-incomplete{background:#8250df}"
	".v-fail{background:#cf222e}"
	".say{font-weight:600;border-left:6px solid #8c959f;padding:.3em .8em;background:#f6f8fa}"
	"h1.say{font-size:1.5em}.s-pass{border-color:#1a7f37}.s-review{border-color:#9a6700}"
	".s-incomplete{border-color:#8250df}.s-fail{border-color:#cf222e}"
	"ul.because li{margin:.2em 0}.src{color:#57606a}"
	"blockquote.ev{margin:.3em 0;padding:.2em .8em;border-left:3px solid #d0d7de;"
	"font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;"
	"overflow-wrap:anywhere;color:#1f2328;background:#fff}"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}"
	"dl.meta dt{font-weight:600}dl.meta dd{margin:0;min-width:0}"
	".obl{margin:.5em 0 1em}.obl .from{margin:.2em 0;color:#57606a}"
	"ul.check{list-style:none;padding-left:.5em}ul.check li{margin:.25em 0}"
	".tiles{display:flex;flex-wrap:wrap;gap:12px;list-style:none;padding:0}"
	".tiles li{border:1px solid #d0d7de;border-top:6px solid #8c959f;border-radius:6px;"
	"padding:.4em 1em;min-width:9em}.tiles b{display:block;font-size:1.8em}"
	".tiles .v-pass,.tiles .v-review,.tiles .v-incomplete,.tiles .v-fail{background:none;color:inherit}"
	".tiles .v-pass{border-top-color:#1a7f37}.tiles .v-review{border-top-color:#9a6700}"
	".tiles .v-incomplete{border-top-color:#8250df}.tiles .v-fail{border-top-color:#cf222e}"
	".digest{display:grid;grid-template-columns:repeat(auto-fill,minmax(28em,1fr));gap:0 1.5em}"
	".dig{min-width:0;overflow-x:auto}.dig h3{margin:.8em 0 0}.dig p{margin:0}"
	".dig td:not(:first-child),.dig th:not(:first-child){text-align:right}"
	".ctl{display:flex;gap:1em;align-items:center;flex-wrap:wrap}.ctl[hidden]{display:none}"
	"#inv th button{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer}"
	"#inv th[aria-sort=ascending] button::after{content:\" \\25B2\"}"
	"#inv th[aria-sort=descending] button::after{content:\" \\25BC\"}"
	".pic{overflow:auto;border:1px solid #d0d7de;border-radius:6px;background:#fbfcfd;margin:.5em 0}"
	".pic svg{display:block;max-width:100%;height:auto}"
	".pic text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#57606a}"
	".pic .n rect{fill:#fff;stroke:#8c959f;stroke-width:1.2}"
	".pic .n text.id{fill:#1f2328;font-weight:600}"
	".pic .n.grp rect{fill:#f6f8fa}.pic .n.grp rect.stack{fill:none;stroke-dasharray:3 3}"
	".pic .grp{cursor:pointer}.pic .grp:hover rect{stroke:#0969da}"
	".pic .n.unresolved rect{fill:#ffebe9;stroke:#cf222e;stroke-dasharray:6 3}"
	".pic .n.local-path rect{fill:#fff8c5;stroke:#bf8700;stroke-dasharray:6 3}"
	".pic .n.not-expanded rect{fill:#f6f8fa;stroke:#8c959f;stroke-dasharray:2 3}"
	".pic .n.root rect{stroke-width:2.5}"
	".pic .n.v-pass rect{fill:#dafbe1;stroke:#1a7f37}.pic .n.v-review rect{fill:#fff8c5;stroke:#9a6700}"
	".pic .n.v-incomplete rect{fill:#fbefff;stroke:#8250df}.pic .n.v-fail rect{fill:#ffebe9;stroke:#cf222e}"
	".pic .e path{fill:none;stroke:#57606a;stroke-width:1.3}"
	".pic .e.inferred path{stroke-dasharray:5 4}.pic .e.cycle path{stroke:#cf222e}"
	".pic .e.cycle text{fill:#cf222e}"
	"details.grp{margin:.3em 0 .8em}details.grp summary{cursor:pointer}"
	"ul.cols{columns:16em;font:12px ui-monospace,Menlo,Consolas,monospace}"
	"ul.tree{list-style:none;padding-left:0}ul.tree ul{list-style:none;padding-left:1.4em;"
	"border-left:1px dotted #8c959f;margin-left:.4em}"
	".node{font-weight:600;overflow-wrap:anywhere}.node.unresolved{color:#cf222e}"
	".node.local-path{color:#9a6700}.rel{color:#57606a;font-style:italic}.lic{color:#0550ae}"
	".err,.cyc{color:#cf222e}.note{color:#57606a}"
	".f{border-left:4px solid #8c959f;padding:2px 12px;margin:8px 0;background:#f6f8fa}"
	".f.error{border-color:#cf222e}.f.warning{border-color:#bf8700}.f.info{border-color:#0969da}"
	".f .ft{font-weight:600;margin:4px 0}.f dl{display:grid;grid-template-columns:max-content 1fr;"
	"gap:2px 12px;margin:4px 0}.f dt{color:#57606a}.f dd{margin:0;min-width:0}"
	"footer{margin-top:3em;color:#57606a;font-size:.85em}"
	"@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt}"
	".ctl,#inv th button::after{display:none}#inv th button{font-weight:600}"
	".pic{overflow:visible;border:0;background:none}"
	"section.model{break-before:page}header+section.model{break-before:auto}"
	"h1,h2,h3,h4,.say{break-after:avoid}tr,.f,ul.check li,blockquote,.tiles li{break-inside:avoid}"
	".pic{break-inside:avoid}thead{display:table-header-group}"
	".f,.say,th,code{background:none}.v{color:#000;border:1px solid #000;background:none}"
	"a{color:inherit}}";

static int h_end(struct report_writer *w, enum verdict overall)
{
	struct htmlw *h = w->impl;
	FILE *o = w->ctx->out;
	struct buf t;
	char ts[32], hash[64];
	const char *v = verdict_name(overall);

	if (!h)
		return -1;
	report_timestamp(w->ctx, ts, sizeof(ts));
	html_script_hash(hash, sizeof(hash));
	buf_init(&t, 64 * 1024);
	buf_printf(&t, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		       "style-src 'unsafe-inline'; script-src %s\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<title>lictrace report</title>\n<style>",
		   hash);
	buf_adds(&t, css);
	buf_adds(&t, "</style>\n</head>\n<body>\n<header>\n");
	if (h->nmodels > 1) {
		html_dash_headline(&t, h->sum);
	} else if (h->nmodels == 1) {
		buf_printf(&t, "<h1 class=\"say s-%s\">", h->say_css);
		buf_add(&t, buf_cstr(&h->say), h->say.len);
		buf_adds(&t, "</h1>\n");
	} else {
		buf_adds(&t, "<h1>No model was scanned</h1>\n");
	}
	buf_adds(&t, "<p>lictrace report");
	if (h->nmodels == 1) {
		buf_adds(&t, " on <span class=\"id\">");
		buf_add(&t, buf_cstr(&h->say_id), h->say_id.len);
		buf_adds(&t, "</span>");
	}
	buf_printf(&t, " &middot; overall verdict <span class=\"v v-%s\">%s</span> &middot; %zu model%s", v, v,
		   h->nmodels, h->nmodels == 1 ? "" : "s");
	if (w->ctx->jurisdiction) {
		buf_adds(&t, " &middot; jurisdiction ");
		html_esc(&t, w->ctx->jurisdiction);
	}
	buf_adds(&t, "</p>\n</header>\n");
	if (h->nmodels > 1)
		html_dash_summary(&t, h->sum);
	fwrite(buf_cstr(&t), 1, t.len, o);
	if (h->nmodels > 1) {
		fwrite(buf_cstr(&h->summary), 1, h->summary.len, o);
		fputs("</tbody></table>\n</section>\n", o);
	}
	fwrite(buf_cstr(&h->body), 1, h->body.len, o);
	if (h->dropped)
		fprintf(o, "<p class=\"note\">%zu model section%s left out: the report reached its size "
			   "limit.</p>\n", h->dropped, h->dropped == 1 ? "" : "s");
	buf_reset(&t);
	buf_adds(&t, "<footer>Generated by lictrace ");
	html_esc(&t, w->ctx->version ? w->ctx->version : "0");
	buf_printf(&t, " at %s. Text from model repositories is shown as found and is not "
		       "verified. This report is an aid for legal review, not legal advice.</footer>\n<script>",
		   ts);
	buf_adds(&t, html_script);
	buf_adds(&t, "</script>\n</body>\n</html>\n");
	fwrite(buf_cstr(&t), 1, t.len, o);
	buf_release(&t);
	return ferror(o) ? -1 : 0;
}

static void h_free(struct report_writer *w)
{
	struct htmlw *h = w->impl;

	if (h) {
		buf_release(&h->summary);
		buf_release(&h->body);
		buf_release(&h->say);
		buf_release(&h->say_id);
		summary_free(h->sum);
	}
	free(h);
}

struct report_writer *report_html_new(void)
{
	return report_writer_make("html", h_begin, h_model, h_end, h_free);
}
