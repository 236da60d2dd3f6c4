/*
 * html_dash.c - the inventory dashboard of the HTML report (more than one model):
 * a headline in plain words, the counts by verdict and summary.h's tables, then
 * the table of models the page script sorts and filters (html_script.c).
 */
#include "html.h"
#include "report.h"
#include "summary.h"
#include "core/buf.h"

#include "core/banned.h"

/* Verdicts in the order a reviewer deals with them (the table sorts by it). */
static int verdict_rank(enum verdict v)
{
	return v == VERDICT_FAIL ? 0 : v == VERDICT_INCOMPLETE ? 1 : v == VERDICT_REVIEW ? 2 : 3;
}

/* The inventory's headline, in plain words. */
static const char *const vwords[4] = { "cleared", "need review", "not cleared", "incomplete" };
static const enum verdict vorder[] = { VERDICT_FAIL, VERDICT_INCOMPLETE, VERDICT_REVIEW, VERDICT_PASS };

void html_dash_headline(struct buf *t, struct summary *s)
{
	buf_printf(t, "<h1>Inventory of %zu models: ", summary_models(s));
	for (size_t i = 0, k = 0; i < 4; i++)
		if (summary_verdict(s, vorder[i]))
			buf_printf(t, "%s%zu %s", k++ ? ", " : "", summary_verdict(s, vorder[i]),
				   vwords[vorder[i]]);
	buf_adds(t, "</h1>\n");
}

/* One table of the digest: a name and its models by verdict. */
static void digest_table(struct buf *t, struct summary *s, enum summary_table k)
{
	static const char *const titles[SUM__COUNT] = {
		"Licenses", "License families", "License categories", "Obligations", "Most used bases",
		"Riskiest lineages",
	};
	static const char *const what[SUM__COUNT] = {
		"models bound by each license, own or inherited",
		"models by license family",
		"models by license category",
		"models bound by each kind of obligation",
		"models of this inventory inheriting from each base, at any depth",
		"bases whose descendants fail most, then are incomplete, then need review",
	};
	const struct summary_row *r;
	size_t n = summary_rows(s, k, &r);

	if (!n)
		return;
	buf_printf(t, "<div class=\"dig\"><h3>%s</h3><p class=\"note\">%s", titles[k], what[k]);
	if (k == SUM_BASE)
		buf_printf(t, " (%zu distinct)", summary_bases(s));
	buf_adds(t, "</p><table><thead><tr><th>Name</th><th>Models</th><th>Fail</th><th>Incomplete</th>"
		    "<th>Review</th><th>Errors</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		buf_adds(t, "<tr><td class=\"id\">");
		html_esc(t, r[i].name);
		buf_printf(t, "</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td></tr>\n", r[i].models,
			   r[i].verdicts[VERDICT_FAIL], r[i].verdicts[VERDICT_INCOMPLETE],
			   r[i].verdicts[VERDICT_REVIEW], r[i].errors);
	}
	buf_adds(t, "</tbody></table></div>\n");
}

/* The dashboard: counts by verdict, the digest's tables, then the table of
 * models (sorted and filtered by the page script). */
void html_dash_summary(struct buf *t, struct summary *s)
{
	size_t sev[3];

	summary_findings(s, sev);
	buf_adds(t, "<section class=\"dash\"><h2>Summary</h2>\n<ul class=\"tiles\">\n");
	for (size_t i = 0; i < 4; i++)
		buf_printf(t, "<li class=\"v-%s\"><b>%zu</b>%s (%s)</li>\n", verdict_name(vorder[i]),
			   summary_verdict(s, vorder[i]), vwords[vorder[i]], verdict_name(vorder[i]));
	buf_printf(t, "</ul>\n<p>Findings: %zu error%s, %zu warning%s, %zu info. Each table below counts "
		      "models; <em>Errors</em> is the error findings of those models.</p>\n<div class=\"digest\">\n",
		   sev[SEV_ERROR], sev[SEV_ERROR] == 1 ? "" : "s", sev[SEV_WARNING], sev[SEV_WARNING] == 1 ? "" : "s",
		   sev[SEV_INFO]);
	for (int k = 0; k < SUM__COUNT; k++)
		digest_table(t, s, (enum summary_table)k);
	buf_adds(t, "</div>\n");
	if (summary_failed(s))
		buf_adds(t, "<p class=\"note\">The summary is incomplete: out of memory or too many bases.</p>\n");
	buf_adds(t, "<h2>Models</h2>\n"
		    "<p class=\"ctl\" id=\"invctl\" hidden><label>Filter <input id=\"invq\" type=\"search\" "
		    "placeholder=\"model, license\"></label> <label>Verdict <select id=\"invv\">"
		    "<option value=\"\">any</option><option value=\"fail\">fail</option>"
		    "<option value=\"incomplete\">incomplete</option><option value=\"review\">review</option>"
		    "<option value=\"pass\">pass</option></select></label> <span id=\"invn\"></span></p>\n"
		    "<table id=\"inv\" class=\"summary\"><thead><tr><th data-k=\"model\">Model</th>"
		    "<th data-k=\"verdict\" data-num>Verdict</th><th data-k=\"licenses\">Licenses</th>"
		    "<th data-k=\"ancestors\" data-num>Ancestors</th><th data-k=\"errors\" data-num>Errors</th>"
		    "<th data-k=\"warnings\" data-num>Warnings</th><th data-k=\"info\" data-num>Info</th>"
		    "</tr></thead><tbody>\n");
}

/* The model's row in the inventory table; data-s holds what a column sorts by. */
void html_dash_row(struct buf *b, const struct model_report *m, size_t k, const size_t cnt[3])
{
	const char *v = verdict_name(m->verdict);

	buf_printf(b, "<tr data-i=\"%zu\" data-v=\"%s\"><td class=\"id\"><a href=\"#m%zu\">", k, v, k);
	html_esc(b, m->node->id);
	buf_printf(b, "</a></td><td data-s=\"%d\"><span class=\"v v-%s\">%s</span></td><td>",
		   verdict_rank(m->verdict), v, v);
	for (size_t i = 0; i < m->neffective; i++) {
		buf_adds(b, i ? ", <span class=\"id\">" : "<span class=\"id\">");
		html_esc(b, m->effective[i]->id);
		buf_adds(b, "</span>");
	}
	buf_printf(b, "</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td></tr>\n", m->nanc,
		   cnt[SEV_ERROR], cnt[SEV_WARNING], cnt[SEV_INFO]);
}
