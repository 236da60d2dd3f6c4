/* graph.c - memoised lineage graph; see graph.h. */
#include "graph.h"
#include "resolver.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/strmap.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

/* Hub ids are case-insensitive ("meta-llama/Llama-3.1-8B" and
 * "meta-llama/llama-3.1-8b" are one repo), so the memo key folds case; the node
 * keeps the spelling it was first named with. Revisions keep their case. */
static char *make_key(const char *id, const char *rev)
{
	char *k = rev && *rev ? lt_asprintf("%s@%s", id, rev) : lt_strdup(id);

	for (char *p = k; p && *p && *p != '@'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return k;
}

int lgraph_init(struct lgraph *g, struct resolver *res, int max_depth)
{
	struct strmap *m = calloc(1, sizeof(*m));

	memset(g, 0, sizeof(*g));
	if (!m)
		return LT_ENOMEM;
	strmap_init(m);
	g->index_ = m;
	g->res = res;
	g->max_depth = max_depth > 0 ? max_depth : LT_LINEAGE_MAX_DEPTH;
	return 0;
}

static void node_free(struct lnode *n)
{
	if (!n)
		return;
	free(n->key);
	free(n->id);
	free(n->rev);
	free(n->error);
	free(n->same_as);
	free(n->parents);
	record_free(n->rec);
	free(n);
}

void lgraph_release(struct lgraph *g)
{
	for (size_t i = 0; i < g->nnodes; i++)
		node_free(g->nodes[i]);
	free(g->nodes);
	if (g->index_) {
		strmap_release(g->index_);
		free(g->index_);
	}
	memset(g, 0, sizeof(*g));
}

static struct lnode *node_new(struct lgraph *g, const char *id, const char *rev, int depth)
{
	struct lnode *n;
	struct lnode **p;

	if (g->nnodes >= LT_MAX_MODELS)
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	/* capacity: 16, then doubled each time nnodes reaches it (a power of two) */
	if (!g->nnodes || (g->nnodes >= 16 && !(g->nnodes & (g->nnodes - 1)))) {
		p = realloc(g->nodes, (g->nnodes ? 2 * g->nnodes : 16) * sizeof(*p));
		if (!p) {
			free(n);
			return NULL;
		}
		g->nodes = p;
	}
	n->id = lt_strdup(id);
	n->rev = rev ? lt_strdup(rev) : NULL;
	n->key = make_key(id, rev);
	n->depth = depth;
	if (!n->id || !n->key || strmap_put(g->index_, n->key, n)) {
		node_free(n);
		return NULL;
	}
	g->nodes[g->nnodes++] = n;
	return n;
}

int lgraph_add_root(struct lgraph *g, struct model_record *rec, struct lnode **out)
{
	char *key = make_key(rec->id ? rec->id : rec->target, NULL);
	struct lnode *n = key ? strmap_get(g->index_, key) : NULL;

	/* A root named like a known node replaces an unresolved placeholder. */
	if (n && n->rec) {
		record_free(rec);
	} else {
		if (!n)
			n = node_new(g, rec->id ? rec->id : rec->target, NULL, 0);
		if (!n) {
			free(key);
			record_free(rec);
			return LT_ENOMEM;
		}
		n->rec = rec;
		n->status = LNODE_OK;
		free(n->error);
		n->error = NULL;
	}
	n->depth = 0;
	free(key);
	*out = n;
	return 0;
}

static int add_edge(struct lnode *from, struct lnode *to, const struct parent *p)
{
	struct ledge *e = realloc(from->parents, (from->nparents + 1) * sizeof(*e));

	if (!e)
		return LT_ENOMEM;
	from->parents = e;
	e[from->nparents].to = to;
	e[from->nparents].p = p;
	e[from->nparents].closes_cycle = 0;
	from->nparents++;
	return 0;
}

static void resolve_node(struct lgraph *g, struct lnode *n)
{
	struct lt_error err;
	struct model_record *rec = NULL;
	int rc;

	if (n->status != LNODE_OK || n->rec)
		return;
	lt_error_clear(&err);
	rc = resolver_resolve(g->res, n->id, n->rev, &rec, &err);
	if (rc == 0 && rec) {
		n->rec = rec;
		return;
	}
	n->status = LNODE_UNRESOLVED;
	n->error_code = rc ? rc : LT_ENOTFOUND;
	n->error = lt_strdup(err.message[0] ? err.message
					   : "not found by any resolver (mirror, cache or hub)");
}

/* The nodes one expansion coloured, so that only they are reset (not the whole
 * graph: that made an audit quadratic in its models). */
struct visited {
	struct lnode **v;
	size_t n, cap;
	int oom; /* some coloured node is not listed: reset the whole graph */
};

static void visited_add(struct visited *vs, struct lnode *n)
{
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? 2 * vs->cap : 64;
		struct lnode **v = realloc(vs->v, cap * sizeof(*v));
		if (!v) {
			vs->oom = 1;
			return;
		}
		vs->v = v;
		vs->cap = cap;
	}
	vs->v[vs->n++] = n;
}

/* Depth-first colouring: an edge to a node on the current path closes a cycle. */
static void mark_cycles(struct lnode *n, struct visited *vs)
{
	n->color_ = 1;
	visited_add(vs, n);
	for (size_t i = 0; i < n->nparents; i++) {
		struct lnode *t = n->parents[i].to;
		if (t->color_ == 1)
			n->parents[i].closes_cycle = 1;
		else if (t->color_ == 0)
			mark_cycles(t, vs);
	}
	n->color_ = 2;
}

/* 1 when want is reachable from n along parent edges (colour 3 = visited). */
static int reaches(struct lnode *n, const struct lnode *want, struct lnode ***seen, size_t *nseen)
{
	if (n == want)
		return 1;
	if (n->color_ == 3)
		return 0;
	{
		struct lnode **v = realloc(*seen, (*nseen + 1) * sizeof(**seen));
		if (!v)
			return 0;
		*seen = v;
		v[(*nseen)++] = n;
	}
	n->color_ = 3; /* only once listed, so that it is reset */
	for (size_t i = 0; i < n->nparents; i++)
		if (!n->parents[i].closes_cycle && reaches(n->parents[i].to, want, seen, nseen))
			return 1;
	return 0;
}

/*
 * A card's base_model list whose entries form a chain (Llama-3.1-8B and its
 * Instruct fine-tune) is ancestry, not a merge: an entry that is an ancestor of
 * another listed entry becomes an "ancestor" edge, and when one parent is left,
 * an inferred "merge" becomes what that one parent is.
 */
static void collapse_chain(struct lgraph *g, struct lnode *n)
{
	size_t direct = 0;
	struct model_record *rec = n->rec;

	(void)g;
	if (!rec || n->nparents < 2)
		return;
	for (size_t i = 0; i < n->nparents; i++) {
		struct ledge *ei = &n->parents[i];
		int anc = 0;
		for (size_t j = 0; j < n->nparents && !anc; j++) {
			struct lnode **seen = NULL;
			size_t nseen = 0;
			if (j == i || n->parents[j].to == ei->to)
				continue;
			anc = reaches(n->parents[j].to, ei->to, &seen, &nseen) && n->parents[j].to != ei->to;
			for (size_t k = 0; k < nseen; k++)
				seen[k]->color_ = 0;
			free(seen);
		}
		for (size_t k = 0; anc && k < rec->nparents; k++) {
			struct parent *p = &rec->parents[k];
			if (p == ei->p && p->inferred) {
				free(p->relation);
				p->relation = lt_strdup("ancestor");
				free(p->why);
				p->why = lt_strdup("listed beside its own descendant: ancestry, not a merge");
			}
		}
		direct += !anc;
	}
	if (direct == 1)
		for (size_t k = 0; k < rec->nparents; k++) {
			struct parent *p = &rec->parents[k];
			if (p->inferred && p->relation && !strcmp(p->relation, "merge")) {
				free(p->relation);
				free(p->why);
				p->relation = lt_strdup(rec->adapter_evidence ? "adapter"
							: rec->quantized_evidence ? "quantized" : "finetune");
				p->why = lt_strdup("the other base models listed are its ancestors");
			}
		}
}

/* Breadth-first from the nodes of level (taken), one resolver round per level for
 * all of them together. */
static int expand_levels(struct lgraph *g, struct lnode **level, size_t nlevel,
			 struct lt_error *err)
{
	struct lnode **next = NULL;
	size_t nnext = 0;
	int rc = 0;

	for (int depth = 0; nlevel && !rc; depth++) {
		const char **ids = calloc(nlevel + 1, sizeof(*ids));
		const char **revs = calloc(nlevel + 1, sizeof(*revs));
		size_t nids = 0;

		/* resolve this level (prefetch lets the backend do it concurrently) */
		for (size_t i = 0; i < nlevel; i++)
			if (!level[i]->rec && level[i]->status == LNODE_OK && ids) {
				ids[nids] = level[i]->id;
				revs[nids++] = level[i]->rev;
			}
		if (nids && g->res && g->res->prefetch)
			g->res->prefetch(g->res, ids, revs, nids);
		free(ids);
		free(revs);
		for (size_t i = 0; i < nlevel; i++)
			resolve_node(g, level[i]);

		/* collect the next level */
		for (size_t i = 0; i < nlevel && !rc; i++) {
			struct lnode *n = level[i];
			if (n->expanded || !n->rec)
				continue;
			if (depth >= g->max_depth) {
				if (n->rec->nparents)
					n->status = n->status == LNODE_OK ? LNODE_OK : n->status;
				continue; /* findings report the cut (lineage-too-deep) */
			}
			n->expanded = 1;
			for (size_t j = 0; j < n->rec->nparents && !rc; j++) {
				const struct parent *p = &n->rec->parents[j];
				char *key = make_key(p->id, p->revision);
				struct lnode *t = key ? strmap_get(g->index_, key) : NULL;
				int fresh = 0;

				if (!t) {
					t = node_new(g, p->id, p->revision, depth + 1);
					fresh = 1;
					if (t && p->local_path) {
						t->status = LNODE_LOCAL_PATH;
						t->error = lt_asprintf("'%s' is a local path, not a model id", p->id);
						if (p->same_as)
							t->same_as = lt_strdup(p->same_as);
					} else if (t && p->named_lic) {
						/* a name that means one license: no repo behind it */
						t->rec = record_named(p->id, p->named_lic, &p->at);
						if (!t->rec) {
							t->status = LNODE_UNRESOLVED;
							t->error = lt_strdup("out of memory");
						}
					}
				}
				free(key);
				if (!t) {
					rc = lt_error_set(err, LT_ETOOBIG, NULL, 0,
							  "lineage graph is over %d models", LT_MAX_MODELS);
					break;
				}
				if (add_edge(n, t, p)) {
					rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
					break;
				}
				if ((fresh || !t->expanded) && t->status == LNODE_OK) {
					struct lnode **q = realloc(next, (nnext + 1) * sizeof(*q));
					if (!q) {
						rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
						break;
					}
					next = q;
					/* a node already queued this level stays once */
					int dup = 0;
					for (size_t k = 0; k < nnext; k++)
						if (next[k] == t)
							dup = 1;
					if (!dup)
						next[nnext++] = t;
				}
				if (t->depth > depth + 1)
					t->depth = depth + 1;
			}
		}
		free(level);
		level = next;
		nlevel = nnext;
		next = NULL;
		nnext = 0;
	}
	free(level);
	free(next);
	return rc;
}

int lgraph_expand(struct lgraph *g, struct lnode *root, struct lt_error *err)
{
	struct lnode **level = malloc(sizeof(*level));
	int rc;

	if (!level)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	level[0] = root;
	rc = expand_levels(g, level, 1, err);
	/* Colours are 0 between expansions: mark_cycles leaves them at 2 on what it
	 * visited (collapse_chain's searches reset theirs), and only those are reset. */
	{
		struct visited vs = { NULL, 0, 0, 0 };

		mark_cycles(root, &vs);
		collapse_chain(g, root);
		for (size_t i = 0; i < vs.n; i++)
			vs.v[i]->color_ = 0;
		if (vs.oom)
			for (size_t i = 0; i < g->nnodes; i++)
				g->nodes[i]->color_ = 0;
		free(vs.v);
	}
	return rc;
}

struct lnode *lgraph_find(const struct lgraph *g, const char *id)
{
	char *key = make_key(id, NULL);
	struct lnode *n = key ? strmap_get(g->index_, key) : NULL;

	free(key);
	return n;
}

int lgraph_prefetch(struct lgraph *g, const char *const *ids, const char *const *revs, size_t n,
		    struct lt_error *err)
{
	struct lnode **level = malloc((n ? n : 1) * sizeof(*level));
	size_t nlevel = 0;

	if (!level)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	for (size_t i = 0; i < n; i++) {
		/* keyed as lgraph_add_root keys a root: by id alone */
		char *key = make_key(ids[i], NULL);
		struct lnode *t = key ? strmap_get(g->index_, key) : NULL;
		const char *rev = revs ? revs[i] : NULL;

		free(key);
		if (!t && (t = node_new(g, ids[i], NULL, 0)) && rev && *rev &&
		    !(t->rev = lt_strdup(rev))) {
			t->status = LNODE_UNRESOLVED;
			t->error = lt_strdup("out of memory");
		}
		if (!t) {
			free(level);
			return lt_error_set(err, LT_ETOOBIG, NULL, 0,
					    "lineage graph is over %d models", LT_MAX_MODELS);
		}
		if (t->status != LNODE_OK || t->expanded)
			continue;
		t->depth = 0;
		level[nlevel++] = t;
		for (size_t k = 0; k + 1 < nlevel; k++)
			if (level[k] == t) {
				nlevel--; /* named twice */
				break;
			}
	}
	return expand_levels(g, level, nlevel, err);
}

/* "chain -> id (relation)", or NULL when out of memory. */
static char *chain_step(const char *chain, const char *id, const char *relation)
{
	size_t a = strlen(chain), b = strlen(id), c = strlen(relation);
	char *s = malloc(a + b + c + 8);

	if (s) {
		char *p = s;
		memcpy(p, chain, a);
		p += a;
		memcpy(p, " -> ", 4);
		p += 4;
		memcpy(p, id, b);
		p += b;
		*p++ = ' ';
		*p++ = '(';
		memcpy(p, relation, c);
		p += c;
		*p++ = ')';
		*p = '\0';
	}
	return s;
}

/* Breadth-first from root, each ancestor once (the first path found): nodes
 * are marked seen with colour 4 and every mark is undone before returning
 * (colours are 0 between operations; the graph is used by one thread). */
int lgraph_ancestors(const struct lgraph *g, struct lnode *root, struct lancestor **out,
		     size_t *n)
{
	struct lancestor *a = NULL;
	size_t na = 0, cap = 0, head = 0;
	int oom = 0, root_color = root->color_;

	(void)g;
	*out = NULL;
	*n = 0;
	root->color_ = 4;
	/* the queue is the result array itself; the root comes first, unlisted */
	for (size_t q = 0; !oom; q++) {
		struct lnode *cur;
		const char *chain;
		int depth;

		if (q == 0) {
			cur = root;
			chain = root->id;
			depth = 0;
		} else {
			if (head >= na)
				break;
			cur = a[head].node;
			chain = a[head].chain ? a[head].chain : "";
			depth = a[head].depth;
			head++;
		}
		for (size_t i = 0; i < cur->nparents; i++) {
			struct lnode *t = cur->parents[i].to;
			if (t->color_ == 4)
				continue;
			if (na == cap) {
				size_t ncap = cap ? 2 * cap : 8;
				struct lancestor *p = realloc(a, ncap * sizeof(*p));
				if (!p) {
					oom = 1;
					break;
				}
				a = p;
				cap = ncap;
			}
			t->color_ = 4;
			a[na].node = t;
			a[na].depth = depth + 1;
			a[na].relation = cur->parents[i].p ? cur->parents[i].p->relation : NULL;
			a[na].chain = chain_step(chain, t->id, a[na].relation ? a[na].relation : "parent");
			na++;
		}
	}
	for (size_t i = 0; i < na; i++)
		a[i].node->color_ = 0;
	root->color_ = root_color;
	*out = a;
	*n = na;
	return 0;
}

void lgraph_ancestors_free(struct lancestor *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(a[i].chain);
	free(a);
}
