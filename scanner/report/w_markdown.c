/*
 * w_markdown.c - the report as (GitHub-flavoured) Markdown, for a pull request
 * comment or a legal memo: a summary table, then per model its verdict, the
 * lineage as nested bullets with the license at each node, a licenses table, an
 * obligations table and the findings grouped by severity with where, why and fix.
 *
 * Everything a model repository supplies is untrusted: md() backslash-escapes
 * the characters that would start markup (emphasis, links, HTML, table pipes,
 * mentions) and replaces line breaks and other control characters, so a value
 * can neither leave its table cell or bullet nor inject a link or raw HTML; a
 * web address is written unescaped as an autolink so it goes where it says.
 * Untrusted text never starts a line. The document is assembled in memory and
 * written once, at end, so with more than one model the inventory's summary
 * (summary.h) comes first, before the table of models.
 */
#include "report.h"
#include "aiact_view.h"
#include "assessment.h"
#include "summary.h"
#include "core/buf.h"
#include "core/str.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct mdw {
	struct buf summary; /* one table row per model */
	struct buf body;    /* the model sections */
	size_t nmodels;
	int full;           /* body cap reached: later models are left out */
	size_t dropped;
	struct summary *sum; /* the inventory's digest, written first */
};

/* Length of the web address at p ("http://" or "https://" and what follows
 * up to a space, a character that cannot be in an autolink or ends a table
 * cell, or the end), without trailing punctuation that ends a sentence; 0 when
 * p does not start one. */
static size_t url_len(const char *p)
{
	size_t n, open = 0, close = 0;

	if (strncmp(p, "https://", 8) && strncmp(p, "http://", 7))
		return 0;
	for (n = 0; p[n] > 0x20 && p[n] < 0x7f && !strchr("<>\"|`\\{}^", p[n]); n++)
		;
	for (size_t i = 0; i < n; i++) {
		open += p[i] == '(';
		close += p[i] == ')';
	}
	while (n && (strchr(".,:;!?'*_~", p[n - 1]) || (p[n - 1] == ')' && close > open))) {
		close -= p[n - 1] == ')';
		n--;
	}
	return n > 8 ? n : 0;
}

/* Escaped inline text. A web address becomes an autolink, <https://...>,
 * written as it is: a backslash escape inside it would change where it goes
 * (llama3\_1 is not llama3_1). Credentials in it are dropped. */
static void md(struct buf *b, const char *s)
{
	static const char special[] = "\\`*_{}[]<>()#+!|~&$^@";

	if (!s)
		return;
	for (const char *p = s; *p;) {
		const char *repl;
		size_t n = url_len(p);
		if (n) {
			char *u = lt_strndup(p, n), *safe = u ? report_redact(u) : NULL;
			buf_addc(b, '<');
			buf_adds(b, safe ? safe : "");
			buf_addc(b, '>');
			free(safe);
			free(u);
			p += n;
			continue;
		}
		n = report_char(p, &repl);
		if (repl || n > 1) {
			if (repl)
				buf_adds(b, repl);
			else
				buf_add(b, p, n);
			p += n;
			continue;
		}
		if (strchr(special, *p))
			buf_addc(b, '\\');
		buf_addc(b, *p++);
	}
}

static void md_where(struct buf *b, const char *file, int line)
{
	if (!file || !*file) {
		buf_adds(b, "-");
		return;
	}
	md(b, file);
	if (line > 0)
		buf_printf(b, ":%d", line);
}

static int m_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct mdw *d = calloc(1, sizeof(*d));

	w->ctx = ctx;
	w->impl = d;
	if (!d)
		return -1;
	d->sum = summary_new(ctx->db); /* NULL: no summary */
	buf_init(&d->summary, REPORT_MAX_SECTION);
	buf_init(&d->body, REPORT_MAX_BYTES);
	return 0;
}

/* Nested bullets; each node's ancestors are listed the first time it is met,
 * later meetings say "see above" (a DAG printed as a tree would grow
 * exponentially). */
static void tree(struct buf *b, const struct lnode *n, const struct ledge *via, int depth,
		 const struct lnode **seen, size_t *nseen, size_t max)
{
	char *lics = report_node_licenses(n);
	int again = 0;

	for (size_t i = 0; i < *nseen; i++)
		again |= seen[i] == n;
	for (int i = 0; i < depth; i++)
		buf_adds(b, "  ");
	buf_adds(b, "- ");
	if (via) {
		md(b, via->p && via->p->relation ? via->p->relation : "parent");
		if (via->p && via->p->inferred)
			buf_adds(b, " (inferred)");
		buf_adds(b, ": ");
	}
	buf_adds(b, "**");
	md(b, n->id);
	buf_adds(b, "** \xE2\x80\x94 ");
	md(b, lics ? lics : "?");
	free(lics);
	if (n->status != LNODE_OK && n->error) {
		buf_adds(b, " \xE2\x80\x94 *");
		md(b, n->error);
		buf_adds(b, "*");
	}
	if (via && via->closes_cycle) {
		buf_adds(b, " \xE2\x80\x94 **cycle**: already in this chain\n");
		return;
	}
	if (again && n->nparents) {
		buf_adds(b, " (ancestors listed above)\n");
		return;
	}
	if (!strcmp(report_node_status(n, depth == 0), "not-expanded"))
		buf_adds(b, " (not followed: depth limit)");
	buf_addc(b, '\n');
	if (again || depth >= 64 || *nseen >= max)
		return;
	seen[(*nseen)++] = n;
	for (size_t i = 0; i < n->nparents; i++)
		tree(b, n->parents[i].to, &n->parents[i], depth + 1, seen, nseen, max);
}

static void licenses(struct buf *b, const struct model_record *r)
{
	buf_adds(b, "\n### Licenses\n\n");
	if (!r->ndeclared && !r->ndetected) {
		buf_adds(b, "None declared, none detected.\n");
		return;
	}
	buf_adds(b, "| Source | License | Name | Where | Details |\n| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < r->ndeclared; i++) {
		const struct declared *d = &r->declared[i];
		buf_adds(b, "| declared | ");
		md(b, d->value);
		buf_adds(b, " | ");
		if (d->lic)
			md(b, d->lic->name);
		else
			buf_adds(b, "*not a license lictrace knows*");
		buf_adds(b, " | ");
		md_where(b, d->at.file, d->at.line);
		buf_adds(b, " | ");
		md(b, d->at.field ? d->at.field : "");
		buf_adds(b, " |\n");
	}
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct detected *d = &r->detected[i];
		buf_adds(b, "| detected | ");
		md(b, d->lic->id);
		buf_adds(b, " | ");
		md(b, d->lic->name);
		buf_adds(b, d->kind == RULE_POLICY ? " (use policy)" : d->kind == RULE_NOTICE ? " (notice)" : "");
		buf_adds(b, " | ");
		md_where(b, d->at.file, d->at.line);
		buf_adds(b, " | rule ");
		md(b, d->rule);
		buf_printf(b, ", confidence %.2f |\n", d->confidence);
	}
	for (size_t i = 0; i < r->nfiles; i++) {
		if (!r->files[i].unknown && !r->files[i].unreadable)
			continue;
		buf_adds(b, "| file | \xE2\x80\x94 | ");
		buf_adds(b, r->files[i].unreadable ? "unreadable" : "text not recognised");
		buf_adds(b, " | ");
		md(b, r->files[i].path);
		buf_adds(b, " | ");
		md(b, r->files[i].unreadable ? r->files[i].why_unreadable : r->files[i].modified_from
								     ? "resembles a known license" : "");
		if (!r->files[i].unreadable && r->files[i].modified_from) {
			buf_adds(b, ": ");
			md(b, r->files[i].modified_from);
		}
		buf_adds(b, " |\n");
	}
}

static void obligations(struct buf *b, const struct model_report *m)
{
	buf_adds(b, "\n### Obligations\n\n");
	if (!m->ob.n) {
		buf_adds(b, "None known.\n");
		return;
	}
	buf_adds(b, "| Duty | License | Details | From |\n| --- | --- | --- | --- |\n");
	for (size_t i = 0; i < m->ob.n; i++) {
		const struct eff_ob *e = &m->ob.v[i];
		buf_adds(b, "| ");
		md(b, ob_kind_name(e->ob->kind));
		buf_adds(b, " | ");
		md(b, e->lic->id);
		buf_adds(b, " | ");
		if (e->ob->text) {
			buf_adds(b, "\xE2\x80\x9C");
			md(b, e->ob->text);
			buf_adds(b, "\xE2\x80\x9D ");
		}
		if (e->ob->value) {
			buf_printf(b, "%llu", e->ob->value);
			if (e->ob->period) {
				buf_addc(b, ' ');
				md(b, e->ob->period);
			}
			buf_addc(b, ' ');
		}
		for (size_t k = 0; k < e->ob->territories.n; k++) {
			buf_adds(b, k ? ", " : "territories: ");
			md(b, e->ob->territories.v[k]);
		}
		if (e->ob->url) {
			buf_adds(b, " ");
			md(b, e->ob->url);
		}
		buf_adds(b, " | ");
		if (e->self)
			buf_adds(b, "own license");
		else
			md(b, e->chain ? e->chain : e->model);
		buf_adds(b, " |\n");
	}
}

static void findings(struct buf *b, const struct model_report *m)
{
	static const char *const heading[] = { "Info", "Warnings", "Errors" };
	size_t cnt[3];

	report_count(m, cnt);
	buf_adds(b, "\n### Findings\n");
	if (!m->nf)
		buf_adds(b, "\nNo findings.\n");
	for (int s = SEV_ERROR; s >= SEV_INFO; s--) {
		if (!cnt[s])
			continue;
		buf_printf(b, "\n#### %s (%zu)\n\n", heading[s], cnt[s]);
		for (size_t i = 0; i < m->nf; i++) {
			const struct finding *f = &m->f[i];
			if ((int)f->severity != s)
				continue;
			buf_adds(b, "- **");
			md(b, f->def->id);
			buf_adds(b, "**: ");
			md(b, f->def->title);
			buf_adds(b, "\n  - What: ");
			md(b, f->message);
			if (f->file) {
				buf_adds(b, "\n  - Where: ");
				md_where(b, f->file, f->line);
			}
			if (f->chain) {
				buf_adds(b, "\n  - Chain: ");
				md(b, f->chain);
			}
			buf_adds(b, "\n  - Why: ");
			md(b, f->def->why);
			buf_adds(b, "\n  - Fix: ");
			md(b, f->def->fix);
			if (f->exception) {
				buf_adds(b, "\n  - Accepted by policy exception: ");
				md(b, f->exception);
			}
			buf_addc(b, '\n');
		}
	}
}

static int m_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct mdw *d = w->impl;
	const struct model_record *r = m->node->rec;
	const struct lnode **seen;
	struct buf b;
	size_t cnt[3], nseen = 0;

	(void)g;
	if (!d)
		return -1;
	summary_add_report(d->sum, m); /* out of memory: the summary says it is incomplete */
	d->nmodels++;
	report_count(m, cnt);
	buf_init(&b, 64 * 1024); /* a row is added whole or not at all */
	buf_adds(&b, "| ");
	md(&b, m->node->id);
	buf_printf(&b, " | **%s** | %zu | %zu | %zu |\n", verdict_name(m->verdict), cnt[SEV_ERROR],
		   cnt[SEV_WARNING], cnt[SEV_INFO]);
	report_add_section(&d->summary, &b, "| \xE2\x80\xA6 | | | | |\n");
	if (d->full) {
		d->dropped++;
		return -1;
	}

	buf_init(&b, REPORT_MAX_SECTION);
	buf_adds(&b, "\n## ");
	md(&b, m->node->id);
	buf_printf(&b, "\n\n- **Verdict:** %s\n- **Source:** ", verdict_name(m->verdict));
	md(&b, r->source_kind);
	buf_addc(&b, ' ');
	md(&b, r->target);
	if (r->revision) {
		buf_adds(&b, " @ ");
		md(&b, r->revision);
	}
	buf_printf(&b, "\n- **Findings:** %zu error%s, %zu warning%s, %zu info\n", cnt[SEV_ERROR],
		   cnt[SEV_ERROR] == 1 ? "" : "s", cnt[SEV_WARNING], cnt[SEV_WARNING] == 1 ? "" : "s",
		   cnt[SEV_INFO]);
	report_assessment_md(&b, m->assessment, md);
	report_aiact_md(&b, m->aiact, md);

	buf_adds(&b, "\n### Lineage\n\n");
	seen = malloc((m->nanc + 1) * sizeof(*seen));
	if (seen)
		tree(&b, m->node, NULL, 0, seen, &nseen, m->nanc + 1);
	free(seen);
	licenses(&b, r);
	obligations(&b, m);
	findings(&b, m);
	if (report_add_section(&d->body, &b, "\n*This model's section is too large to include.*\n")) {
		d->full = 1;
		d->dropped++;
		return -1;
	}
	return 0;
}

/* The inventory's summary: verdicts, then a table per dimension (summary.h). */
static void md_summary(struct buf *b, struct summary *s)
{
	static const char *const titles[SUM__COUNT] = {
		"Licenses", "License families", "License categories", "Obligations",
		"Most used bases", "Riskiest lineages",
	};
	static const char *const what[SUM__COUNT] = {
		"Models bound by each license, own or inherited",
		"Models by license family",
		"Models by license category",
		"Models bound by each kind of obligation",
		"Models of this report inheriting from each base, at any depth",
		"Bases whose descendants fail most (then are incomplete, then need review)",
	};
	size_t sev[3];

	summary_findings(s, sev);
	buf_printf(b, "\n## Summary\n\n%zu models: %zu pass, %zu review, %zu fail, %zu incomplete \xC2\xB7 "
		   "findings: %zu error, %zu warning, %zu info\n", summary_models(s),
		   summary_verdict(s, VERDICT_PASS), summary_verdict(s, VERDICT_REVIEW),
		   summary_verdict(s, VERDICT_FAIL), summary_verdict(s, VERDICT_INCOMPLETE), sev[SEV_ERROR],
		   sev[SEV_WARNING], sev[SEV_INFO]);
	for (int t = 0; t < SUM__COUNT; t++) {
		const struct summary_row *r;
		size_t n = summary_rows(s, (enum summary_table)t, &r);
		if (!n)
			continue;
		buf_printf(b, "\n### %s\n\n%s", titles[t], what[t]);
		if (t == SUM_BASE)
			buf_printf(b, " (%zu distinct)", summary_bases(s));
		buf_adds(b, ".\n\n| Name | Models | Fail | Incomplete | Review | Error findings |\n"
			    "| --- | ---: | ---: | ---: | ---: | ---: |\n");
		for (size_t i = 0; i < n; i++) {
			buf_adds(b, "| ");
			md(b, r[i].name);
			buf_printf(b, " | %zu | %zu | %zu | %zu | %zu |\n", r[i].models, r[i].verdicts[VERDICT_FAIL],
				   r[i].verdicts[VERDICT_INCOMPLETE], r[i].verdicts[VERDICT_REVIEW], r[i].errors);
		}
	}
	if (summary_failed(s))
		buf_adds(b, "\n*The summary is incomplete: out of memory or too many bases.*\n");
	buf_adds(b, "\n## Models\n");
}

static int m_end(struct report_writer *w, enum verdict overall)
{
	struct mdw *d = w->impl;
	FILE *o = w->ctx->out;
	struct buf h;

	if (!d)
		return -1;
	buf_init(&h, 64 * 1024);
	buf_printf(&h, "# lictrace report\n\n**Overall verdict: %s** \xC2\xB7 %zu model%s \xC2\xB7 lictrace %s",
		   verdict_name(overall), d->nmodels, d->nmodels == 1 ? "" : "s",
		   w->ctx->version ? w->ctx->version : "0");
	if (w->ctx->jurisdiction) {
		buf_adds(&h, " \xC2\xB7 jurisdiction ");
		md(&h, w->ctx->jurisdiction);
	}
	buf_adds(&h, "\n");
	if (d->nmodels > 1) /* one model's report is its own summary */
		md_summary(&h, d->sum);
	if (d->nmodels)
		buf_adds(&h, "\n| Model | Verdict | Errors | Warnings | Info |\n| --- | --- | ---: | ---: | ---: |\n");
	fwrite(buf_cstr(&h), 1, h.len, o);
	fwrite(buf_cstr(&d->summary), 1, d->summary.len, o);
	if (buf_error(&d->summary))
		fputs("\n*The summary table is cut short: too many models.*\n", o);
	fwrite(buf_cstr(&d->body), 1, d->body.len, o);
	if (d->dropped)
		fprintf(o, "\n*%zu model section%s left out: the report reached its size limit.*\n", d->dropped,
			d->dropped == 1 ? "" : "s");
	buf_release(&h);
	return ferror(o) ? -1 : 0;
}

static void m_free(struct report_writer *w)
{
	struct mdw *d = w->impl;

	if (d) {
		summary_free(d->sum);
		buf_release(&d->summary);
		buf_release(&d->body);
	}
	free(d);
}

struct report_writer *report_markdown_new(void)
{
	return report_writer_make("markdown", m_begin, m_model, m_end, m_free);
}
