/*
 * html_lineage.c - the lineage of a model in the HTML report: an inline SVG
 * picture (one box per model, arrows from a model to its parents) that always
 * fits the page, then the same lineage as nested lists.
 *
 * A level wider than LINE_MAX boxes is first folded: siblings with the same
 * licenses and status whose one child in the picture is the same box become one
 * box ("36 parents, all apache-2.0"), their edges merged. What is still wider
 * wraps into rows of at most LINE_MAX boxes. The folded members are listed in a
 * <details> under the picture, open in the markup (no script, print), folded by
 * the page script, opened by a click on the box (data-g names its list).
 */
#include "html.h"
#include "report.h"
#include "core/buf.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Geometry, in px. */
#define BOX_W 240
#define BOX_H 46
#define COL_W 270
#define ROW_H 100
#define PAD 20
#define BACK_W 120    /* room on the right for edges that go back up (cycles) */
#define LABEL_CHARS 32
#define LINE_MAX 4    /* boxes in one row of the picture */
#define FOLD_MIN 3    /* siblings folded into one box from this many */

struct pic {
	const struct model_report *m;
	const struct lnode **nodes;
	size_t n;
	char **lics;   /* report_node_licenses() of each node */
	int *level;
	int *box;      /* index of the node whose box draws node i */
	int *members;  /* for a representative: how many nodes its box draws */
	int *child;    /* the one child drawn above node i, -1 for none or several */
	int *x, *y;    /* box position of a representative */
	int width, height;
};

static size_t index_of(const struct lnode *const *nodes, size_t n, const struct lnode *x)
{
	for (size_t i = 0; i < n; i++)
		if (nodes[i] == x)
			return i;
	return n;
}

static int same_group(const struct pic *p, size_t i, size_t j)
{
	return p->level[i] == p->level[j] && p->child[i] >= 0 && p->child[j] >= 0 &&
	       p->box[p->child[i]] == p->box[p->child[j]] && !strcmp(p->lics[i], p->lics[j]) &&
	       !strcmp(report_node_status(p->nodes[i], 0), report_node_status(p->nodes[j], 0));
}

/* Fold wide levels, then place each box; levels in order so a child's box is
 * known before its parents are grouped. */
static void layout(struct pic *p)
{
	int maxl = 0, cols = 1, y = PAD;

	for (size_t i = 0; i < p->n; i++) {
		p->box[i] = (int)i;
		p->members[i] = 1;
		p->child[i] = -2; /* no child yet */
		if (p->level[i] > maxl)
			maxl = p->level[i];
	}
	for (size_t i = 0; i < p->n; i++)
		for (size_t e = 0; e < p->nodes[i]->nparents; e++) {
			const struct ledge *ed = &p->nodes[i]->parents[e];
			size_t j = index_of(p->nodes, p->n, ed->to);
			if (j < p->n && !ed->closes_cycle && j != i)
				p->child[j] = p->child[j] == -2 ? (int)i : -1;
		}
	for (size_t i = 0; i < p->n; i++)
		if (p->child[i] == -2)
			p->child[i] = -1;
	for (int l = 0; l <= maxl; l++) {
		int width = 0, row = 0, nrows;
		for (size_t i = 0; i < p->n; i++)
			width += p->level[i] == l;
		if (width > LINE_MAX) {
			for (size_t i = 0; i < p->n; i++) {
				if (p->level[i] != l)
					continue;
				for (size_t j = 0; j < i; j++)
					if (p->box[j] == (int)j && same_group(p, i, j)) {
						p->box[i] = (int)j;
						p->members[j]++;
						break;
					}
			}
			/* groups too small to fold are drawn box by box */
			for (size_t i = 0; i < p->n; i++)
				if (p->level[i] == l && p->members[p->box[i]] < FOLD_MIN)
					p->box[i] = (int)i;
			for (size_t i = 0; i < p->n; i++)
				if (p->level[i] == l && p->box[i] == (int)i && p->members[i] < FOLD_MIN)
					p->members[i] = 1;
		}
		width = 0;
		for (size_t i = 0; i < p->n; i++)
			width += p->level[i] == l && p->box[i] == (int)i;
		nrows = (width + LINE_MAX - 1) / LINE_MAX;
		if (width > cols)
			cols = width < LINE_MAX ? width : LINE_MAX;
		for (size_t i = 0, k = 0; i < p->n; i++) {
			int inrow;
			if (p->level[i] != l || p->box[i] != (int)i)
				continue;
			row = (int)(k / LINE_MAX);
			inrow = width - row * LINE_MAX < LINE_MAX ? width - row * LINE_MAX : LINE_MAX;
			p->x[i] = (int)(k % LINE_MAX) * COL_W - inrow * COL_W / 2; /* centred later */
			p->y[i] = y + row * ROW_H;
			k++;
		}
		y += (nrows ? nrows : 1) * ROW_H;
	}
	p->width = PAD * 2 + cols * COL_W - (COL_W - BOX_W) + BACK_W;
	p->height = y - (ROW_H - BOX_H) + PAD;
	for (size_t i = 0; i < p->n; i++)
		if (p->box[i] == (int)i)
			p->x[i] += PAD + cols * COL_W / 2;
}

static void svg_node(struct buf *b, const struct pic *p, size_t i, size_t k)
{
	const struct lnode *n = p->nodes[i];
	int root = i == 0, x = p->x[i], y = p->y[i];

	if (p->members[i] > 1) {
		const struct ledge *via = NULL;
		const struct lnode *c = p->nodes[p->child[i]];
		for (size_t e = 0; e < c->nparents; e++)
			if (c->parents[e].to == n)
				via = &c->parents[e];
		buf_printf(b, "<g class=\"n grp %s\" data-g=\"g%zu-%zu\"><title>", report_node_status(n, 0), k, i);
		buf_printf(b, "%d parents of ", p->members[i]);
		html_esc(b, c->id);
		buf_adds(b, ", all ");
		html_esc(b, p->lics[i]);
		buf_adds(b, " (listed below the picture)</title>");
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>", x, y, BOX_W, BOX_H);
		buf_printf(b, "<rect class=\"stack\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>",
			   x + 4, y + 4, BOX_W - 8, BOX_H - 8);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"id\">%d ", x + 10, y + 19, p->members[i]);
		html_esc_trunc(b, via && via->p && via->p->relation ? via->p->relation : "parent", 12);
		buf_adds(b, " parents &#9656;</text>");
		buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"lic\">all ", x + 10, y + 36);
		html_esc_trunc(b, p->lics[i], LABEL_CHARS);
		buf_adds(b, "</text></g>\n");
		return;
	}
	buf_printf(b, "<g class=\"n %s%s%s\"><title>", report_node_status(n, root), root ? " root v-" : "",
		   root ? verdict_name(p->m->verdict) : "");
	html_esc(b, n->id);
	buf_adds(b, " \xE2\x80\x94 ");
	html_esc(b, p->lics[i]);
	if (n->error) {
		buf_adds(b, " \xE2\x80\x94 ");
		html_esc(b, n->error);
	}
	buf_printf(b, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>", x, y, BOX_W, BOX_H);
	buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"id\">", x + 10, y + 19);
	html_esc_trunc(b, n->id, LABEL_CHARS);
	buf_printf(b, "</text><text x=\"%d\" y=\"%d\" class=\"lic\">", x + 10, y + 36);
	html_esc_trunc(b, p->lics[i], LABEL_CHARS + 4);
	buf_adds(b, "</text></g>\n");
}

static void svg_edge(struct buf *b, const struct ledge *e, int x1, int y1, int x2, int y2, size_t k)
{
	const char *rel = e->p && e->p->relation ? e->p->relation : "parent";
	int inferred = e->p && e->p->inferred;
	int lx, ly;

	buf_printf(b, "<g class=\"e%s%s\">", inferred ? " inferred" : "", e->closes_cycle ? " cycle" : "");
	if (y2 > y1 + ROW_H) {
		/* down past rows in between (a wrapped level, a skipped level): along the
		 * gaps between rows and the picture's left margin, never through a box */
		int ax = x1 + BOX_W / 2, ay = y1 + BOX_H, bx = x2 + BOX_W / 2, by = y2;
		buf_printf(b, "<path d=\"M%d,%d V%d H%d V%d H%d V%d\" marker-end=\"url(#%s%zu)\"/>", ax, ay,
			   ay + 10, PAD / 2, by - 12, bx, by, e->closes_cycle ? "ahr" : "ah", k);
		lx = bx + 4;
		ly = by - 16;
	} else if (y2 > y1) {
		/* down to a parent on the next row */
		int ax = x1 + BOX_W / 2, ay = y1 + BOX_H, bx = x2 + BOX_W / 2, by = y2;
		buf_printf(b, "<path d=\"M%d,%d L%d,%d\" marker-end=\"url(#%s%zu)\"/>", ax, ay, bx, by,
			   e->closes_cycle ? "ahr" : "ah", k);
		lx = (ax + bx) / 2 + 4;
		ly = (ay + by) / 2;
	} else {
		/* back up (a cycle) or sideways: around the right of the boxes */
		int ax = x1 + BOX_W, ay = y1 + BOX_H / 2, bx = x2 + BOX_W, by = y2 + BOX_H / 2;
		int bend = 40 + (y1 - y2) / 5;
		buf_printf(b, "<path d=\"M%d,%d C%d,%d %d,%d %d,%d\" marker-end=\"url(#%s%zu)\"/>", ax, ay,
			   ax + bend, ay, bx + bend, by, bx, by, e->closes_cycle ? "ahr" : "ah", k);
		lx = (ax > bx ? ax : bx) + bend * 3 / 4 + 4;
		ly = (ay + by) / 2;
	}
	buf_printf(b, "<text x=\"%d\" y=\"%d\">", lx, ly);
	html_esc_trunc(b, rel, 20);
	if (inferred)
		buf_adds(b, " (inferred)");
	buf_adds(b, "</text></g>\n");
}

/* The members of each folded box, under the picture. */
static void folded_lists(struct buf *b, const struct pic *p, size_t k)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->box[i] != (int)i || p->members[i] < 2)
			continue;
		buf_printf(b, "<details class=\"grp\" id=\"g%zu-%zu\" open><summary>%d parents of ", k, i,
			   p->members[i]);
		html_esc(b, p->nodes[p->child[i]]->id);
		buf_adds(b, ", all <span class=\"lic\">");
		html_esc(b, p->lics[i]);
		buf_adds(b, "</span></summary><ul class=\"cols\">");
		for (size_t j = 0; j < p->n; j++)
			if (p->box[j] == (int)i) {
				buf_adds(b, "<li class=\"id\">");
				html_esc(b, p->nodes[j]->id);
				buf_adds(b, "</li>");
			}
		buf_adds(b, "</ul></details>\n");
	}
}

static int drawn(const int *pairs, size_t n, int a, int c)
{
	for (size_t i = 0; i < n; i++)
		if (pairs[2 * i] == a && pairs[2 * i + 1] == c)
			return 1;
	return 0;
}

static void picture(struct buf *b, const struct model_report *m, size_t k)
{
	struct pic p = { .m = m };
	int *pairs = NULL;
	size_t npairs = 0, nedges = 0;

	p.nodes = report_lineage_nodes(m, &p.n);
	if (!p.nodes)
		return;
	if (p.n > REPORT_MAX_DRAWN) {
		buf_printf(b, "<p class=\"note\">%zu models: too many to draw; see the list below.</p>\n", p.n);
		free(p.nodes);
		return;
	}
	for (size_t i = 0; i < p.n; i++)
		nedges += p.nodes[i]->nparents;
	p.lics = calloc(p.n, sizeof(*p.lics));
	p.level = calloc(p.n, sizeof(int));
	p.box = calloc(p.n, sizeof(int));
	p.members = calloc(p.n, sizeof(int));
	p.child = calloc(p.n, sizeof(int));
	p.x = calloc(p.n, sizeof(int));
	p.y = calloc(p.n, sizeof(int));
	pairs = calloc(2 * nedges + 2, sizeof(int));
	if (!p.lics || !p.level || !p.box || !p.members || !p.child || !p.x || !p.y || !pairs)
		goto done;
	for (size_t i = 0; i < p.n; i++) {
		p.lics[i] = report_node_licenses(p.nodes[i]);
		if (!p.lics[i])
			goto done;
	}
	for (size_t i = 1; i < p.n; i++) {
		int d = m->anc[i - 1].depth;
		p.level[i] = d > 0 && (size_t)d < p.n ? d : 1;
	}
	layout(&p);
	buf_printf(b, "<div class=\"pic\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		      "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"lineage of ",
		   p.width, p.height, p.width, p.height);
	html_esc(b, m->node->id);
	buf_printf(b, "\">\n<defs><marker id=\"ah%zu\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
		      "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
		      "fill=\"#57606a\"/></marker><marker id=\"ahr%zu\" viewBox=\"0 0 10 10\" refX=\"10\" "
		      "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path "
		      "d=\"M0,0 L10,5 L0,10 z\" fill=\"#cf222e\"/></marker></defs>\n",
		   k, k);
	for (size_t i = 0; i < p.n; i++)
		for (size_t e = 0; e < p.nodes[i]->nparents; e++) {
			size_t j = index_of(p.nodes, p.n, p.nodes[i]->parents[e].to);
			int a, c;
			if (j >= p.n)
				continue;
			a = p.box[i];
			c = p.box[j];
			if (drawn(pairs, npairs, a, c))
				continue;
			pairs[2 * npairs] = a;
			pairs[2 * npairs + 1] = c;
			npairs++;
			svg_edge(b, &p.nodes[i]->parents[e], p.x[a], p.y[a], p.x[c], p.y[c], k);
		}
	for (size_t i = 0; i < p.n; i++)
		if (p.box[i] == (int)i)
			svg_node(b, &p, i, k);
	buf_adds(b, "</svg></div>\n");
	folded_lists(b, &p, k);
done:
	for (size_t i = 0; p.lics && i < p.n; i++)
		free(p.lics[i]);
	free(p.lics);
	free(p.level);
	free(p.box);
	free(p.members);
	free(p.child);
	free(p.x);
	free(p.y);
	free(pairs);
	free(p.nodes);
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
		html_esc(b, via->p && via->p->relation ? via->p->relation : "parent");
		if (via->p && via->p->inferred)
			buf_adds(b, " (inferred)");
		buf_adds(b, "</span> ");
	}
	buf_printf(b, "<span class=\"node %s\">", report_node_status(n, depth == 0));
	html_esc(b, n->id);
	buf_adds(b, "</span> <span class=\"lic\">");
	html_esc(b, lics ? lics : "?");
	buf_adds(b, "</span>");
	free(lics);
	if (n->status != LNODE_OK && n->error) {
		buf_adds(b, " <span class=\"err\">");
		html_esc(b, n->error);
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

void html_lineage(struct buf *b, const struct model_report *m, size_t k)
{
	const struct lnode **seen;
	size_t nseen = 0;

	picture(b, m, k);
	seen = malloc((m->nanc + 1) * sizeof(*seen));
	if (!seen)
		return;
	buf_adds(b, "<ul class=\"tree\">\n");
	tree(b, m->node, NULL, 0, seen, &nseen, m->nanc + 1);
	buf_adds(b, "</ul>\n");
	free(seen);
}
