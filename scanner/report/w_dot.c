/*
 * w_dot.c - the lineage of every scanned model as one Graphviz digraph: a node
 * per model (once however many scanned models share it) labelled with its id and
 * licenses, an edge from each model to each parent labelled with the relation.
 * Scanned models are filled in their verdict's colour; unresolved ancestors are
 * dashed red, local paths dashed amber, models beyond the depth limit dotted;
 * inferred relations are dashed edges and edges that close a cycle are red.
 *
 * Ids and labels are DOT quoted strings: q() escapes '"' and '\' (so no escString
 * sequence such as \N or \l can come from a model repository) and replaces line
 * breaks and other control characters. Written once, at end.
 */
#include "report.h"
#include "findings/datasets.h"
#include "lineage/datasets.h"
#include "core/buf.h"
#include "core/str.h"
#include "core/strmap.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct dotw {
	struct buf body;
	struct strmap seen; /* node keys already written (values unused) */
	int full;
	size_t dropped;
};

/* The inside of a quoted DOT string. */
static void qbody(struct buf *b, const char *s)
{
	for (const char *p = s ? s : ""; *p;) {
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
		if (*p == '"' || *p == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *p++);
	}
}

static void q(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	qbody(b, s);
	buf_addc(b, '"');
}

static const char *verdict_fill(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "fillcolor=\"#dafbe1\", color=\"#1a7f37\"";
	case VERDICT_REVIEW: return "fillcolor=\"#fff8c5\", color=\"#9a6700\"";
	case VERDICT_INCOMPLETE: return "fillcolor=\"#fbefff\", color=\"#8250df\"";
	case VERDICT_FAIL: return "fillcolor=\"#ffebe9\", color=\"#cf222e\"";
	}
	return "";
}

static const char *status_style(const char *status)
{
	if (!strcmp(status, "unresolved"))
		return "style=\"rounded,dashed,filled\", fillcolor=\"#ffebe9\", color=\"#cf222e\", "
		       "fontcolor=\"#cf222e\"";
	if (!strcmp(status, "local-path"))
		return "style=\"rounded,dashed,filled\", fillcolor=\"#fff8c5\", color=\"#bf8700\"";
	if (!strcmp(status, "not-expanded"))
		return "style=\"rounded,dotted,filled\", fillcolor=\"#f6f8fa\", color=\"#8c959f\"";
	return "";
}

/* label="id\nlicenses[\nextra]": the \n are DOT escapes written here, never
 * taken from the text (qbody doubles every backslash it is given). */
static void label(struct buf *b, const struct lnode *n, const char *extra)
{
	char *lics = report_node_licenses(n);

	buf_adds(b, "label=\"");
	qbody(b, n->id);
	buf_adds(b, "\\n");
	qbody(b, lics ? lics : "?");
	if (extra) {
		buf_adds(b, "\\n");
		qbody(b, extra);
	}
	buf_addc(b, '"');
	free(lics);
}

static int d_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct dotw *d = calloc(1, sizeof(*d));

	w->ctx = ctx;
	w->impl = d;
	if (!d)
		return -1;
	buf_init(&d->body, REPORT_MAX_BYTES);
	strmap_init(&d->seen);
	return 0;
}

static void node(struct buf *b, const struct lnode *n, int root)
{
	const char *st = status_style(report_node_status(n, root));

	buf_adds(b, "  ");
	q(b, n->key);
	buf_adds(b, " [");
	label(b, n, NULL);
	if (*st)
		buf_printf(b, ", %s", st);
	if (n->error) {
		buf_adds(b, ", tooltip=");
		q(b, n->error);
	}
	buf_adds(b, "];\n");
}

static void edge(struct buf *b, const struct lnode *from, const struct ledge *e)
{
	const char *rel = e->p && e->p->relation ? e->p->relation : "parent";
	int inferred = e->p && e->p->inferred;
	char *l = lt_asprintf("%s%s", rel, inferred ? " (inferred)" : "");

	buf_adds(b, "  ");
	q(b, from->key);
	buf_adds(b, " -> ");
	q(b, e->to->key);
	buf_adds(b, " [label=");
	q(b, l ? l : rel);
	if (inferred)
		buf_adds(b, ", style=dashed");
	if (e->closes_cycle)
		buf_adds(b, ", color=\"#cf222e\", fontcolor=\"#cf222e\", penwidth=2");
	buf_adds(b, "];\n");
	free(l);
}

static int d_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct dotw *d = w->impl;
	const struct lnode **nodes;
	struct buf b;
	size_t n, cnt[3];
	char extra[160];

	(void)g;
	if (!d)
		return -1;
	if (d->full) {
		d->dropped++;
		return -1;
	}
	if (!(nodes = report_lineage_nodes(m, &n)))
		return -1;
	buf_init(&b, REPORT_MAX_SECTION);
	for (size_t i = 0; i < n; i++) {
		if (strmap_get(&d->seen, nodes[i]->key))
			continue;
		if (strmap_put(&d->seen, nodes[i]->key, (void *)&d->seen))
			break;
		node(&b, nodes[i], i == 0);
		for (size_t e = 0; e < nodes[i]->nparents; e++)
			edge(&b, nodes[i], &nodes[i]->parents[e]);
	}
	free(nodes);
	/* training data: a dataset node (a cylinder) and a trained-on edge from the
	 * model whose card names it */
	for (size_t i = 0; i < m->ndatasets; i++) {
		const struct report_dataset *ds = &m->datasets[i];
		char *key = lt_asprintf("datasets/%s", ds->ds->id);
		if (!key)
			break;
		if (!strmap_get(&d->seen, key) && strmap_put(&d->seen, key, (void *)&d->seen) == 0) {
			buf_adds(&b, "  ");
			q(&b, key);
			buf_adds(&b, " [shape=cylinder, label=\"");
			qbody(&b, ds->ds->id);
			buf_adds(&b, "\\n");
			if (!ds->nlics)
				qbody(&b, ds->ds->rec ? "no known license" : report_dataset_status(ds));
			for (size_t k = 0; k < ds->nlics; k++) {
				if (k)
					buf_adds(&b, ", ");
				qbody(&b, ds->lics[k]->id);
			}
			buf_adds(&b, ds->ds->rec ? "\"];\n" : "\", style=dashed];\n");
		}
		buf_adds(&b, "  ");
		q(&b, ds->via_key);
		buf_adds(&b, " -> ");
		q(&b, key);
		buf_adds(&b, " [label=\"trained-on\", style=dotted];\n");
		free(key);
	}
	/* the scanned model's verdict (a later statement adds to an earlier one) */
	report_count(m, cnt);
	snprintf(extra, sizeof(extra), "verdict: %s (%zu E, %zu W, %zu I)", verdict_name(m->verdict),
		 cnt[SEV_ERROR], cnt[SEV_WARNING], cnt[SEV_INFO]);
	buf_adds(&b, "  ");
	q(&b, m->node->key);
	buf_adds(&b, " [");
	label(&b, m->node, extra);
	buf_printf(&b, ", style=\"rounded,filled\", penwidth=2, %s];\n", verdict_fill(m->verdict));
	if (report_add_section(&d->body, &b, "  // a model's lineage is too large to include\n")) {
		d->full = 1;
		d->dropped++;
		return -1;
	}
	return 0;
}

static int d_end(struct report_writer *w, enum verdict overall)
{
	struct dotw *d = w->impl;
	FILE *o = w->ctx->out;
	struct buf h;
	char *title;

	if (!d)
		return -1;
	buf_init(&h, 64 * 1024);
	title = lt_asprintf("lictrace %s: overall verdict %s%s%s", w->ctx->version ? w->ctx->version : "0",
			    verdict_name(overall), w->ctx->jurisdiction ? ", jurisdiction " : "",
			    w->ctx->jurisdiction ? w->ctx->jurisdiction : "");
	buf_adds(&h, "digraph lictrace {\n  graph [label=");
	q(&h, title ? title : "lictrace");
	buf_adds(&h, ", labelloc=t, fontname=\"Helvetica\", rankdir=TB];\n"
		     "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", "
		     "color=\"#57606a\", fontname=\"Helvetica\", fontsize=10];\n"
		     "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#57606a\"];\n");
	fwrite(buf_cstr(&h), 1, h.len, o);
	fwrite(buf_cstr(&d->body), 1, d->body.len, o);
	if (d->dropped)
		fprintf(o, "  // %zu model%s left out: the graph reached its size limit\n", d->dropped,
			d->dropped == 1 ? "" : "s");
	fputs("}\n", o);
	free(title);
	buf_release(&h);
	return ferror(o) ? -1 : 0;
}

static void d_free(struct report_writer *w)
{
	struct dotw *d = w->impl;

	if (d) {
		buf_release(&d->body);
		strmap_release(&d->seen);
	}
	free(d);
}

struct report_writer *report_dot_new(void)
{
	return report_writer_make("dot", d_begin, d_model, d_end, d_free);
}
