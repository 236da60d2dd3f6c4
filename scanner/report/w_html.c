/*
 * w_html.c - the report as one self-contained HTML page: inline CSS, no script,
 * no external resource (a Content-Security-Policy says so to the browser too).
 * Per model: verdict, a lineage picture (an inline SVG drawing of the graph, one
 * box per model, arrows from a model to its parents), the same lineage as nested
 * lists, the licenses and obligations tables and the findings grouped by severity.
 *
 * Everything a model repository supplies is untrusted and goes through esc(),
 * which writes HTML entities for & < > " ' and replaces control characters and
 * bidirectional overrides; the same escaping is valid inside the inline SVG. The
 * page is assembled in memory and written once, at end.
 */
#include "report.h"
#include "aiact_view.h"
#include "assessment.h"
#include "core/buf.h"
#include "core/str.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Lineage picture geometry, in px. */
#define BOX_W 240
#define BOX_H 46
#define COL_W 270
#define ROW_H 100
#define PAD 20
#define BACK_W 120 /* room on the right for edges that go back up (cycles) */
#define LABEL_CHARS 32

struct htmlw {
	struct buf summary;
	struct buf body;
	size_t nmodels;
	int full;
	size_t dropped;
};

static void esc(struct buf *b, const char *s)
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

/* esc() of at most max characters (code points), "…" when cut. */
static void esc_trunc(struct buf *b, const char *s, size_t max)
{
	size_t chars = 0, i;
	char *cut;

	if (!s)
		return;
	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
			break;
	if (!s[i]) {
		esc(b, s);
		return;
	}
	cut = lt_strndup(s, i);
	esc(b, cut);
	buf_adds(b, "\xE2\x80\xA6");
	free(cut);
}

static void where(struct buf *b, const char *file, int line)
{
	if (!file || !*file) {
		buf_adds(b, "&mdash;");
		return;
	}
	buf_adds(b, "<code>");
	esc(b, file);
	if (line > 0)
		buf_printf(b, ":%d", line);
	buf_adds(b, "</code>");
}

static const char *status_class(const struct lnode *n, int root)
{
	return report_node_status(n, root);
}

static int h_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct htmlw *h = calloc(1, sizeof(*h));

	w->ctx = ctx;
	w->impl = h;
	if (!h)
		return -1;
	buf_init(&h->summary, REPORT_MAX_SECTION);
	buf_init(&h->body, REPORT_MAX_BYTES);
	return 0;
}

/* --- the lineage picture ------------------------------------------------ */

static size_t index_of(const struct lnode *const *nodes, size_t n, const struct lnode *x)
{
	for (size_t i = 0; i < n; i++)
		if (nodes[i] == x)
			return i;
	return n;
}

static void svg_node(struct buf *b, const struct lnode *n, int root, enum verdict v, int x, int y)
{
	char *lics = report_node_licenses(n);

	buf_printf(b, "<g class=\"n %s%s%s\"><title>", status_class(n, root), root ? " root v-" : "",
		   root ? verdict_name(v) : "");
	esc(b, n->id);
	buf_adds(b, " \xE2\x80\x94 ");
	esc(b, lics ? lics : "?");
	if (n->error) {
		buf_adds(b, " \xE2\x80\x94 ");
		esc(b, n->error);
	}
	buf_printf(b, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>", x, y,
		   BOX_W, BOX_H);
	buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"id\">", x + 10, y + 19);
	esc_trunc(b, n->id, LABEL_CHARS);
	buf_printf(b, "</text><text x=\"%d\" y=\"%d\" class=\"lic\">", x + 10, y + 36);
	esc_trunc(b, lics ? lics : "?", LABEL_CHARS + 4);
	buf_adds(b, "</text></g>\n");
	free(lics);
}

static void svg_edge(struct buf *b, const struct ledge *e, int x1, int y1, int l1, int x2, int y2,
		     int l2, int k)
{
	const char *rel = e->p && e->p->relation ? e->p->relation : "parent";
	int inferred = e->p && e->p->inferred;
	int lx, ly;

	buf_printf(b, "<g class=\"e%s%s\">", inferred ? " inferred" : "", e->closes_cycle ? " cycle" : "");
	if (l2 > l1) {
		/* down to a parent on a deeper row */
		int ax = x1 + BOX_W / 2, ay = y1 + BOX_H, bx = x2 + BOX_W / 2, by = y2;
		buf_printf(b, "<path d=\"M%d,%d L%d,%d\" marker-end=\"url(#%s%d)\"/>", ax, ay, bx, by,
			   e->closes_cycle ? "ahr" : "ah", k);
		lx = (ax + bx) / 2 + 4;
		ly = (ay + by) / 2;
	} else {
		/* back up (a cycle) or sideways: around the right of the boxes */
		int ax = x1 + BOX_W, ay = y1 + BOX_H / 2, bx = x2 + BOX_W, by = y2 + BOX_H / 2;
		int bend = 40 + 20 * (l1 - l2);
		buf_printf(b, "<path d=\"M%d,%d C%d,%d %d,%d %d,%d\" marker-end=\"url(#%s%d)\"/>", ax, ay,
			   ax + bend, ay, bx + bend, by, bx, by, e->closes_cycle ? "ahr" : "ah", k);
		lx = (ax > bx ? ax : bx) + bend * 3 / 4 + 4;
		ly = (ay + by) / 2;
	}
	buf_printf(b, "<text x=\"%d\" y=\"%d\">", lx, ly);
	esc_trunc(b, rel, 20);
	if (inferred)
		buf_adds(b, " (inferred)");
	buf_adds(b, "</text></g>\n");
}

static void picture(struct buf *b, const struct model_report *m, size_t k)
{
	const struct lnode **nodes;
	size_t n, maxn = 0;
	int *level = NULL, *pos = NULL, *count = NULL, maxl = 0, width, height;

	nodes = report_lineage_nodes(m, &n);
	if (!nodes)
		return;
	if (n > REPORT_MAX_DRAWN) {
		buf_printf(b, "<p class=\"note\">%zu models: too many to draw; see the list below.</p>\n", n);
		free(nodes);
		return;
	}
	level = calloc(n, sizeof(*level));
	pos = calloc(n, sizeof(*pos));
	count = calloc(n, sizeof(*count));
	if (!level || !pos || !count)
		goto done;
	for (size_t i = 1; i < n; i++) {
		int d = m->anc[i - 1].depth;
		level[i] = d > 0 && (size_t)d < n ? d : 1;
		if (level[i] > maxl)
			maxl = level[i];
	}
	for (size_t i = 0; i < n; i++) {
		pos[i] = count[level[i]]++;
		if ((size_t)count[level[i]] > maxn)
			maxn = (size_t)count[level[i]];
	}
	width = PAD * 2 + (int)maxn * COL_W - (COL_W - BOX_W) + BACK_W;
	height = PAD * 2 + (maxl + 1) * ROW_H - (ROW_H - BOX_H);
	buf_printf(b, "<div class=\"pic\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		      "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"lineage of ",
		   width, height, width, height);
	esc(b, m->node->id);
	buf_printf(b, "\">\n<defs><marker id=\"ah%zu\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
		      "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
		      "fill=\"#57606a\"/></marker><marker id=\"ahr%zu\" viewBox=\"0 0 10 10\" refX=\"10\" "
		      "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path "
		      "d=\"M0,0 L10,5 L0,10 z\" fill=\"#cf222e\"/></marker></defs>\n",
		   k, k);
#define X(i) (PAD + ((int)maxn - count[level[i]]) * COL_W / 2 + pos[i] * COL_W)
#define Y(i) (PAD + level[i] * ROW_H)
	for (size_t i = 0; i < n; i++)
		for (size_t e = 0; e < nodes[i]->nparents; e++) {
			size_t j = index_of(nodes, n, nodes[i]->parents[e].to);
			if (j < n)
				svg_edge(b, &nodes[i]->parents[e], X(i), Y(i), level[i], X(j), Y(j), level[j],
					 (int)k);
		}
	for (size_t i = 0; i < n; i++)
		svg_node(b, nodes[i], i == 0, m->verdict, X(i), Y(i));
#undef X
#undef Y
	buf_adds(b, "</svg></div>\n");
done:
	free(level);
	free(pos);
	free(count);
	free(nodes);
}

/* --- the lineage as nested lists (each node's ancestors once) ------------ */

static void tree(struct buf *b, const struct lnode *n, const struct ledge *via, int depth,
		 const struct lnode **seen, size_t *nseen, size_t max)
{
	char *lics = report_node_licenses(n);
	int again = 0;

	for (size_t i = 0; i < *nseen; i++)
		again |= seen[i] == n;
	buf_adds(b, "<li>");
	if (via) {
		buf_adds(b, "<span class=\"rel\">");
		esc(b, via->p && via->p->relation ? via->p->relation : "parent");
		if (via->p && via->p->inferred)
			buf_adds(b, " (inferred)");
		buf_adds(b, "</span> ");
	}
	buf_printf(b, "<span class=\"node %s\">", status_class(n, depth == 0));
	esc(b, n->id);
	buf_adds(b, "</span> <span class=\"lic\">");
	esc(b, lics ? lics : "?");
	buf_adds(b, "</span>");
	free(lics);
	if (n->status != LNODE_OK && n->error) {
		buf_adds(b, " <span class=\"err\">");
		esc(b, n->error);
		buf_adds(b, "</span>");
	}
	if (via && via->closes_cycle) {
		buf_adds(b, " <span class=\"cyc\">cycle: already in this chain</span></li>\n");
		return;
	}
	if (again && n->nparents) {
		buf_adds(b, " <span class=\"note\">(ancestors listed above)</span></li>\n");
		return;
	}
	if (!strcmp(report_node_status(n, depth == 0), "not-expanded"))
		buf_adds(b, " <span class=\"note\">(not followed: depth limit)</span>");
	if (!again && depth < 64 && *nseen < max && n->nparents) {
		seen[(*nseen)++] = n;
		buf_adds(b, "\n<ul>\n");
		for (size_t i = 0; i < n->nparents; i++)
			tree(b, n->parents[i].to, &n->parents[i], depth + 1, seen, nseen, max);
		buf_adds(b, "</ul>");
	}
	buf_adds(b, "</li>\n");
}

/* --- tables and findings ------------------------------------------------- */

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
		buf_adds(b, "<tr><td>declared</td><td>");
		esc(b, d->value);
		buf_adds(b, "</td><td>");
		if (d->lic)
			esc(b, d->lic->name);
		else
			buf_adds(b, "<em>not a license lictrace knows</em>");
		buf_adds(b, "</td><td>");
		where(b, d->at.file, d->at.line);
		buf_adds(b, "</td><td>");
		esc(b, d->at.field);
		buf_adds(b, "</td></tr>\n");
	}
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct detected *d = &r->detected[i];
		buf_adds(b, "<tr><td>detected</td><td>");
		esc(b, d->lic->id);
		buf_adds(b, "</td><td>");
		esc(b, d->lic->name);
		buf_adds(b, d->kind == RULE_POLICY ? " (use policy)" : d->kind == RULE_NOTICE ? " (notice)" : "");
		buf_adds(b, "</td><td>");
		where(b, d->at.file, d->at.line);
		buf_adds(b, "</td><td>rule ");
		esc(b, d->rule);
		buf_printf(b, ", confidence %.2f</td></tr>\n", d->confidence);
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
			esc(b, f->why_unreadable);
		else if (f->modified_from) {
			buf_adds(b, "resembles ");
			esc(b, f->modified_from);
		}
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

static void obligations(struct buf *b, const struct model_report *m)
{
	buf_adds(b, "<h3>Obligations</h3>\n");
	if (!m->ob.n) {
		buf_adds(b, "<p>None known.</p>\n");
		return;
	}
	buf_adds(b, "<table><thead><tr><th>Duty</th><th>License</th><th>Details</th><th>From</th>"
		    "</tr></thead><tbody>\n");
	for (size_t i = 0; i < m->ob.n; i++) {
		const struct eff_ob *e = &m->ob.v[i];
		buf_adds(b, "<tr><td>");
		esc(b, ob_kind_name(e->ob->kind));
		buf_adds(b, "</td><td>");
		esc(b, e->lic->id);
		buf_adds(b, "</td><td>");
		if (e->ob->text) {
			buf_adds(b, "&ldquo;");
			esc(b, e->ob->text);
			buf_adds(b, "&rdquo; ");
		}
		if (e->ob->value) {
			buf_printf(b, "%llu ", e->ob->value);
			esc(b, e->ob->period);
		}
		for (size_t k = 0; k < e->ob->territories.n; k++) {
			buf_adds(b, k ? ", " : " territories: ");
			esc(b, e->ob->territories.v[k]);
		}
		if (e->ob->url && (lt_starts_with(e->ob->url, "https://") || lt_starts_with(e->ob->url, "http://"))) {
			/* a link the reader can follow (navigation, not a load) */
			char *u = report_redact(e->ob->url);
			buf_adds(b, " <a class=\"url\" rel=\"noopener noreferrer\" href=\"");
			esc(b, u);
			buf_adds(b, "\">");
			esc(b, u);
			buf_adds(b, "</a>");
			free(u);
		} else if (e->ob->url) {
			buf_adds(b, " <span class=\"url\">");
			esc(b, e->ob->url);
			buf_adds(b, "</span>");
		}
		buf_adds(b, "</td><td>");
		if (e->self)
			buf_adds(b, "own license");
		else
			esc(b, e->chain ? e->chain : e->model);
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

static void findings(struct buf *b, const struct model_report *m)
{
	static const char *const heading[] = { "Info", "Warnings", "Errors" };
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
			if ((int)f->severity != s)
				continue;
			buf_printf(b, "<div class=\"f %s\"><p class=\"ft\"><code>", severity_name(f->severity));
			esc(b, f->def->id);
			buf_adds(b, "</code> ");
			esc(b, f->def->title);
			buf_adds(b, "</p><dl><dt>What</dt><dd>");
			esc(b, f->message);
			buf_adds(b, "</dd>");
			if (f->file) {
				buf_adds(b, "<dt>Where</dt><dd>");
				where(b, f->file, f->line);
				buf_adds(b, "</dd>");
			}
			if (f->chain) {
				buf_adds(b, "<dt>Chain</dt><dd>");
				esc(b, f->chain);
				buf_adds(b, "</dd>");
			}
			buf_adds(b, "<dt>Why</dt><dd>");
			esc(b, f->def->why);
			buf_adds(b, "</dd><dt>Fix</dt><dd>");
			esc(b, f->def->fix);
			buf_adds(b, "</dd>");
			if (f->exception) {
				buf_adds(b, "<dt>Accepted</dt><dd>");
				esc(b, f->exception);
				buf_adds(b, "</dd>");
			}
			buf_adds(b, "</dl></div>\n");
		}
	}
}

static int h_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct htmlw *h = w->impl;
	const struct model_record *r = m->node->rec;
	const struct lnode **seen;
	struct buf b;
	size_t cnt[3], nseen = 0;
	const char *v = verdict_name(m->verdict);

	(void)g;
	if (!h)
		return -1;
	h->nmodels++;
	report_count(m, cnt);
	buf_init(&b, 64 * 1024);
	buf_printf(&b, "<tr><td><a href=\"#m%zu\">", h->nmodels);
	esc(&b, m->node->id);
	buf_printf(&b, "</a></td><td><span class=\"v v-%s\">%s</span></td><td>%zu</td><td>%zu</td>"
		       "<td>%zu</td></tr>\n", v, v, cnt[SEV_ERROR], cnt[SEV_WARNING], cnt[SEV_INFO]);
	report_add_section(&h->summary, &b, "<tr><td colspan=\"5\">&hellip;</td></tr>\n");
	if (h->full) {
		h->dropped++;
		return -1;
	}

	buf_init(&b, REPORT_MAX_SECTION);
	buf_printf(&b, "<section class=\"model\" id=\"m%zu\">\n<h2>", h->nmodels);
	esc(&b, m->node->id);
	buf_printf(&b, " <span class=\"v v-%s\">%s</span></h2>\n<dl class=\"meta\"><dt>Source</dt><dd>", v, v);
	esc(&b, r->source_kind);
	buf_adds(&b, " <code>");
	{
		char *target = report_redact(r->target); /* no credentials of a URL target */
		esc(&b, target);
		free(target);
	}
	buf_adds(&b, "</code></dd><dt>Revision</dt><dd>");
	if (r->revision) {
		buf_adds(&b, "<code>");
		esc(&b, r->revision);
		buf_adds(&b, "</code>");
	} else {
		buf_adds(&b, "unknown");
	}
	buf_printf(&b, "</dd><dt>Findings</dt><dd>%zu error%s, %zu warning%s, %zu info</dd></dl>\n",
		   cnt[SEV_ERROR], cnt[SEV_ERROR] == 1 ? "" : "s", cnt[SEV_WARNING],
		   cnt[SEV_WARNING] == 1 ? "" : "s", cnt[SEV_INFO]);
	report_assessment_html(&b, m->assessment, esc);
	report_aiact_html(&b, m->aiact, esc);

	buf_adds(&b, "<h3>Lineage</h3>\n");
	picture(&b, m, h->nmodels);
	seen = malloc((m->nanc + 1) * sizeof(*seen));
	if (seen) {
		buf_adds(&b, "<ul class=\"tree\">\n");
		tree(&b, m->node, NULL, 0, seen, &nseen, m->nanc + 1);
		buf_adds(&b, "</ul>\n");
	}
	free(seen);
	licenses(&b, r);
	obligations(&b, m);
	findings(&b, m);
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

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Helvetica,Arial,sans-serif;"
	"color:#1f2328;max-width:1100px;margin:2em auto;padding:0 1em}"
	"h1{font-size:1.6em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3em;margin-top:2em;"
	"word-break:break-all}"
	"table{border-collapse:collapse;margin:.5em 0 1em;width:100%}"
	"th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top;"
	"word-break:break-word}th{background:#f6f8fa}"
	"code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;"
	"padding:1px 4px;border-radius:4px;word-break:break-all}"
	".v{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8em;font-weight:600;"
	"color:#fff;vertical-align:middle}"
	".v-pass{background:#1a7f37}.v-review{background:#9a6700}.v-incomplete{background:#8250df}"
	".v-fail{background:#cf222e}"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}"
	"dl.meta dt{font-weight:600}dl.meta dd{margin:0}"
	".pic{overflow:auto;border:1px solid #d0d7de;border-radius:6px;background:#fbfcfd;margin:.5em 0}"
	".pic text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#57606a}"
	".pic .n rect{fill:#fff;stroke:#8c959f;stroke-width:1.2}"
	".pic .n text.id{fill:#1f2328;font-weight:600}"
	".pic .n.unresolved rect{fill:#ffebe9;stroke:#cf222e;stroke-dasharray:6 3}"
	".pic .n.local-path rect{fill:#fff8c5;stroke:#bf8700;stroke-dasharray:6 3}"
	".pic .n.not-expanded rect{fill:#f6f8fa;stroke:#8c959f;stroke-dasharray:2 3}"
	".pic .n.root rect{stroke-width:2.5}"
	".pic .n.v-pass rect{fill:#dafbe1;stroke:#1a7f37}.pic .n.v-review rect{fill:#fff8c5;stroke:#9a6700}"
	".pic .n.v-incomplete rect{fill:#fbefff;stroke:#8250df}.pic .n.v-fail rect{fill:#ffebe9;stroke:#cf222e}"
	".pic .e path{fill:none;stroke:#57606a;stroke-width:1.3}"
	".pic .e.inferred path{stroke-dasharray:5 4}.pic .e.cycle path{stroke:#cf222e}"
	".pic .e.cycle text{fill:#cf222e}"
	"ul.tree{list-style:none;padding-left:0}ul.tree ul{list-style:none;padding-left:1.4em;"
	"border-left:1px dotted #8c959f;margin-left:.4em}"
	".node{font-weight:600;word-break:break-all}.node.unresolved{color:#cf222e}"
	".node.local-path{color:#9a6700}.rel{color:#57606a;font-style:italic}.lic{color:#0550ae}"
	".err,.cyc{color:#cf222e}.note{color:#57606a}"
	".f{border-left:4px solid #8c959f;padding:2px 12px;margin:8px 0;background:#f6f8fa}"
	".f.error{border-color:#cf222e}.f.warning{border-color:#bf8700}.f.info{border-color:#0969da}"
	".f .ft{font-weight:600;margin:4px 0}.f dl{display:grid;grid-template-columns:max-content 1fr;"
	"gap:2px 12px;margin:4px 0}.f dt{color:#57606a}.f dd{margin:0;word-break:break-word}"
	"footer{margin-top:3em;color:#57606a;font-size:.85em}";

static int h_end(struct report_writer *w, enum verdict overall)
{
	struct htmlw *h = w->impl;
	FILE *o = w->ctx->out;
	struct buf t;
	char ts[32];
	const char *v = verdict_name(overall);

	if (!h)
		return -1;
	report_timestamp(w->ctx, ts, sizeof(ts));
	buf_init(&t, 64 * 1024);
	buf_adds(&t, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		     "style-src 'unsafe-inline'\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		     "<title>lictrace report</title>\n<style>");
	buf_adds(&t, css);
	buf_printf(&t, "</style>\n</head>\n<body>\n<header>\n<h1>lictrace report</h1>\n"
		       "<p>Overall verdict <span class=\"v v-%s\">%s</span> &middot; %zu model%s",
		   v, v, h->nmodels, h->nmodels == 1 ? "" : "s");
	if (w->ctx->jurisdiction) {
		buf_adds(&t, " &middot; jurisdiction ");
		esc(&t, w->ctx->jurisdiction);
	}
	buf_adds(&t, "</p>\n</header>\n");
	if (h->nmodels)
		buf_adds(&t, "<table class=\"summary\"><thead><tr><th>Model</th><th>Verdict</th>"
			     "<th>Errors</th><th>Warnings</th><th>Info</th></tr></thead><tbody>\n");
	fwrite(buf_cstr(&t), 1, t.len, o);
	fwrite(buf_cstr(&h->summary), 1, h->summary.len, o);
	if (h->nmodels)
		fputs("</tbody></table>\n", o);
	fwrite(buf_cstr(&h->body), 1, h->body.len, o);
	if (h->dropped)
		fprintf(o, "<p class=\"note\">%zu model section%s left out: the report reached its size "
			   "limit.</p>\n", h->dropped, h->dropped == 1 ? "" : "s");
	buf_reset(&t);
	buf_adds(&t, "<footer>Generated by lictrace ");
	esc(&t, w->ctx->version ? w->ctx->version : "0");
	buf_printf(&t, " at %s. Text from model repositories is shown as found and is not "
		       "verified.</footer>\n</body>\n</html>\n", ts);
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
	}
	free(h);
}

struct report_writer *report_html_new(void)
{
	return report_writer_make("html", h_begin, h_model, h_end, h_free);
}
