/* test_lineage.c - the memoised graph with an in-memory resolver: several parents,
 * each model resolved once, cycles, depth limit, unresolved and local parents. */
#include "tap.h"

#include "core/err.h"
#include "core/str.h"
#include "lineage/datasets.h"
#include "lineage/graph.h"
#include "lineage/resolver.h"
#include "record/record.h"

/* in-memory model table: "id:parent1,parent2" */
static const char *const table[] = {
	"base/a:", "base/b:", "mid/x:base/a", "mid/y:base/a,base/b", "top/t:mid/x,mid/y",
	"cyc/1:cyc/2", "cyc/2:cyc/3", "cyc/3:cyc/1", "miss/m:nobody/none",
	"local/l:/content/ckpt", "case/c:base/A,Base/a", "Base/a:", "base/A:", NULL,
};

static int calls;

static struct model_record *make(const char *id, const char *parents)
{
	struct model_record *r = calloc(1, sizeof(*r));
	char *ps = lt_strdup(parents), *p = ps;

	r->id = lt_strdup(id);
	r->target = lt_strdup(id);
	r->source_kind = lt_strdup("memory");
	while (p && *p) {
		char *c = strchr(p, ',');
		if (c)
			*c = '\0';
		r->parents = realloc(r->parents, (r->nparents + 1) * sizeof(*r->parents));
		memset(&r->parents[r->nparents], 0, sizeof(struct parent));
		r->parents[r->nparents].id = lt_strdup(p);
		r->parents[r->nparents].relation = lt_strdup("finetune");
		r->parents[r->nparents].local_path = record_is_local_path(p);
		r->parents[r->nparents].at.file = lt_strdup("README.md");
		r->nparents++;
		p = c ? c + 1 : NULL;
	}
	free(ps);
	return r;
}

static int mem_resolve(struct resolver *res, const char *id, const char *rev,
		       struct model_record **out, struct lt_error *err)
{
	(void)res;
	(void)rev;
	calls++;
	for (int i = 0; table[i]; i++) {
		const char *colon = strchr(table[i], ':');
		if (strlen(id) == (size_t)(colon - table[i]) && !strncmp(table[i], id, strlen(id))) {
			*out = make(id, colon + 1);
			return 0;
		}
	}
	return lt_error_set(err, LT_ENOTFOUND, NULL, 0, "'%s' not in memory", id);
}

static struct resolver mem = { "memory", mem_resolve, NULL, NULL, NULL, NULL };

static struct lnode *find(struct lgraph *g, const char *id)
{
	for (size_t i = 0; i < g->nnodes; i++)
		if (!strcmp(g->nodes[i]->id, id))
			return g->nodes[i];
	return NULL;
}

static void test_diamond_resolved_once(void)
{
	struct lgraph g;
	struct lnode *root;
	struct lt_error err;
	struct lancestor *a;
	size_t n;

	calls = 0;
	lgraph_init(&g, &mem, 10);
	CHECK_EQ_INT(lgraph_add_root(&g, make("top/t", "mid/x,mid/y"), &root), 0);
	CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
	CHECK_EQ_INT(g.nnodes, 5);
	CHECK_EQ_INT(calls, 4); /* mid/x, mid/y, base/a once, base/b */
	CHECK_EQ_INT(find(&g, "mid/y")->nparents, 2);
	CHECK_EQ_INT(find(&g, "base/a")->depth, 2);
	lgraph_ancestors(&g, root, &a, &n);
	CHECK_EQ_INT(n, 4);
	CHECK_STR(a[0].node->id, "mid/x");
	CHECK_STR(a[2].chain, "top/t -> mid/x (finetune) -> base/a (finetune)");
	lgraph_ancestors_free(a, n);
	/* a second root sharing ancestors reuses them: no new resolver calls */
	CHECK_EQ_INT(lgraph_add_root(&g, make("other/o", "mid/y"), &root), 0);
	CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
	CHECK_EQ_INT(calls, 4);
	lgraph_release(&g);
}

static void test_cycle_terminates(void)
{
	struct lgraph g;
	struct lnode *root;
	struct lt_error err;
	int cycles = 0;

	lgraph_init(&g, &mem, 50);
	lgraph_add_root(&g, make("cyc/0", "cyc/1"), &root);
	CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
	CHECK_EQ_INT(g.nnodes, 4);
	for (size_t i = 0; i < g.nnodes; i++)
		for (size_t j = 0; j < g.nodes[i]->nparents; j++)
			cycles += g.nodes[i]->parents[j].closes_cycle;
	CHECK_EQ_INT(cycles, 1);
	lgraph_release(&g);
}

static void test_unresolved_and_local(void)
{
	struct lgraph g;
	struct lnode *root;
	struct lt_error err;

	lgraph_init(&g, &mem, 10);
	lgraph_add_root(&g, make("r/r", "miss/m,local/l"), &root);
	CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
	CHECK_EQ_INT(find(&g, "nobody/none")->status, LNODE_UNRESOLVED);
	CHECK(strstr(find(&g, "nobody/none")->error, "not in memory") != NULL);
	CHECK_EQ_INT(find(&g, "/content/ckpt")->status, LNODE_LOCAL_PATH);
	lgraph_release(&g);
}

static void test_depth_limit(void)
{
	struct lgraph g;
	struct lnode *root;
	struct lt_error err;

	lgraph_init(&g, &mem, 1);
	lgraph_add_root(&g, make("top/t", "mid/x,mid/y"), &root);
	CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
	CHECK(find(&g, "base/a") == NULL);
	CHECK_EQ_INT(find(&g, "mid/x")->expanded, 0);
	CHECK(find(&g, "mid/x")->rec != NULL);
	lgraph_release(&g);
}

static void test_ids_and_paths(void)
{
	CHECK(record_is_hub_id("meta-llama/Llama-3.1-8B"));
	CHECK(record_is_hub_id("org/name@main"));
	CHECK(!record_is_hub_id("/content/drive/x"));
	CHECK(!record_is_hub_id("./checkpoint-500"));
	CHECK(!record_is_hub_id("a/b/c"));
	CHECK(!record_is_hub_id("https://huggingface.co/a/b"));
	CHECK(!record_is_hub_id("gpt2"));
	CHECK(record_is_local_path("/content/x"));
	CHECK(record_is_local_path("C:\\models\\x"));
	CHECK(record_is_local_path("a/b/c"));
	CHECK(!record_is_local_path("org/name"));
}

static void test_ids_fold_case(void)
{
	struct lgraph g;
	struct lnode *root;
	struct lt_error err;

	calls = 0;
	lgraph_init(&g, &mem, 10);
	lgraph_add_root(&g, make("case/c", "base/A,Base/a"), &root);
	CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
	CHECK_EQ_INT(g.nnodes, 2); /* one parent node for both spellings */
	CHECK_EQ_INT(calls, 1);
	CHECK_EQ_INT(root->nparents, 2);
	CHECK(root->parents[0].to == root->parents[1].to);
	lgraph_release(&g);
}

static int all_uncoloured(const struct lgraph *g)
{
	for (size_t i = 0; i < g->nnodes; i++)
		if (g->nodes[i]->color_)
			return 0;
	return 1;
}

static int count_cycle_edges(const struct lgraph *g)
{
	int cycles = 0;

	for (size_t i = 0; i < g->nnodes; i++)
		for (size_t j = 0; j < g->nodes[i]->nparents; j++)
			cycles += g->nodes[i]->parents[j].closes_cycle;
	return cycles;
}

/* Many roots over one graph: each expansion resets only what it coloured, and the
 * colours are all clear after every root (a stale colour would hide nodes from the
 * next root's cycle search). */
static void test_cycles_across_many_roots(void)
{
	struct lgraph g;
	struct lnode *root;
	struct lt_error err;
	int clear = 1;

	lgraph_init(&g, &mem, 50);
	for (int i = 0; i < 300; i++) {
		char id[32], parents[64];
		snprintf(id, sizeof(id), "many/r%d", i);
		snprintf(parents, sizeof(parents), i % 3 ? "top/t,many/r%d" : "cyc/1", i / 2);
		CHECK_EQ_INT(lgraph_add_root(&g, make(id, i ? parents : "cyc/1"), &root), 0);
		CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
		clear &= all_uncoloured(&g);
	}
	CHECK(clear);
	CHECK_EQ_INT(count_cycle_edges(&g), 1); /* cyc/3 -> cyc/1, however many roots enter it */
	CHECK(find(&g, "cyc/3")->parents[0].closes_cycle);
	/* the first root's unresolved parent becomes a root whose card names that
	 * first root: the cycle closes through nodes expanded for earlier roots */
	CHECK_EQ_INT(lgraph_add_root(&g, make("late/a", "late/b"), &root), 0);
	CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
	CHECK_EQ_INT(find(&g, "late/b")->status, LNODE_UNRESOLVED);
	for (int i = 0; i < 50; i++) {
		char id[32];
		snprintf(id, sizeof(id), "late/x%d", i);
		lgraph_add_root(&g, make(id, "late/a"), &root);
		lgraph_expand(&g, root, &err);
	}
	CHECK_EQ_INT(lgraph_add_root(&g, make("late/b", "late/a"), &root), 0);
	CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
	CHECK(all_uncoloured(&g));
	CHECK_EQ_INT(count_cycle_edges(&g), 2);
	CHECK(find(&g, "late/a")->parents[0].closes_cycle);
	lgraph_release(&g);
}

/* A resolver that can prefetch: counts its rounds (one per level) and the ids. */
static int rounds;
static size_t rounded;

static void mem_prefetch(struct resolver *r, const char *const *ids, const char *const *revs,
			 size_t n)
{
	(void)r;
	(void)ids;
	(void)revs;
	rounds++;
	rounded += n;
}

static struct resolver memp = { "memory", mem_resolve, mem_prefetch, NULL, NULL, NULL };

/* Many targets' lineages expanded together: one prefetch round per level for all
 * of them (not per target), each model resolved once, and scanning each target
 * afterwards (found like a root, then expanded) asks for nothing more. */
static void test_prefetch_by_level(void)
{
	static const char *const ids[] = { "top/t", "mid/y", "cyc/1", "miss/m", "Top/T" };
	struct lgraph g;
	struct lnode *root;
	struct lt_error err;

	calls = rounds = 0;
	rounded = 0;
	lgraph_init(&g, &memp, 10);
	CHECK_EQ_INT(lgraph_prefetch(&g, ids, NULL, 5, &err), 0);
	/* level 0: the 4 targets (Top/T is top/t); 1: mid/x, base/a, base/b, cyc/2,
	 * nobody/none; 2: cyc/3 (base/a is resolved already); 3: nothing new */
	CHECK_EQ_INT(rounds, 3);
	CHECK_EQ_INT(rounded, 10);
	CHECK_EQ_INT(calls, 10); /* each model resolved once */
	CHECK_EQ_INT(find(&g, "mid/y")->depth, 0);
	CHECK_EQ_INT(find(&g, "nobody/none")->status, LNODE_UNRESOLVED);
	for (size_t i = 0; i < 4; i++) {
		root = lgraph_find(&g, ids[i]);
		CHECK(root && root->rec);
		if (!root)
			continue;
		CHECK_EQ_INT(lgraph_expand(&g, root, &err), 0);
	}
	CHECK(lgraph_find(&g, "TOP/t") == lgraph_find(&g, "top/t"));
	CHECK_EQ_INT(calls, 10);
	CHECK_EQ_INT(rounds, 3);
	CHECK_EQ_INT(find(&g, "top/t")->nparents, 2);
	CHECK_EQ_INT(count_cycle_edges(&g), 1);
	CHECK(all_uncoloured(&g));
	/* a target named again later is expanded already: no round at all */
	CHECK_EQ_INT(lgraph_prefetch(&g, ids, NULL, 2, &err), 0);
	CHECK_EQ_INT(rounds, 3);
	lgraph_release(&g);
}

/* ---- datasets only the hub has (lineage/datasets.c with a fake hub) ---- */

static int ds_prefetches, ds_prefetched, ds_resolves;

static void ds_prefetch(struct resolver *r, const char *const *ids, const char *const *revs, size_t n)
{
	(void)r;
	(void)ids;
	CHECK(revs == NULL);
	ds_prefetches++;
	ds_prefetched += (int)n;
}

static int ds_resolve(struct resolver *r, const char *id, const char *rev, struct model_record **out,
		      struct lt_error *err)
{
	(void)r;
	(void)rev;
	ds_resolves++;
	if (!strcmp(id, "hub/down"))
		return lt_error_set(err, LT_ENET, NULL, 0, "cannot get the dataset info of '%s': 500", id);
	if (!strcmp(id, "hub/none"))
		return lt_error_set(err, LT_ENOTFOUND, NULL, 0, "dataset '%s' not found", id);
	*out = make(id, "");
	return 0;
}

static void test_datasets_from_hub(void)
{
	static const char *const ids[] = { "hub/one", "hub/down", "legacy", "hub/none", "HUB/One", "hub/two" };
	struct resolver_env env = { NULL, NULL };
	struct ldatasets *c = ldatasets_new(NULL, NULL, &env);
	static int impl; /* resolver_new wants one */
	struct resolver *hub = resolver_new("fake-hub", ds_resolve, ds_prefetch, NULL, &impl);
	const struct ldataset *d;

	CHECK(c && hub);
	if (!c || !hub)
		return;
	ldatasets_set_hub(c, hub);
	ds_prefetches = ds_prefetched = ds_resolves = 0;
	ldatasets_prefetch(c, ids, 6);
	/* one batch of the four distinct hub ids: not the legacy name, not a repeat */
	CHECK_EQ_INT(ds_prefetches, 1);
	CHECK_EQ_INT(ds_prefetched, 4);
	CHECK_EQ_INT(ds_resolves, 4);
	d = ldatasets_get(c, "hub/ONE");
	CHECK(d && d->rec && !strcmp(d->rec->source_kind, "hub") && !d->error);
	d = ldatasets_get(c, "hub/down");
	CHECK(d && !d->rec && d->unreadable && d->error && strstr(d->error, "the hub: cannot get"));
	d = ldatasets_get(c, "hub/none");
	CHECK(d && !d->rec && !d->unreadable && d->error && strstr(d->error, "not found"));
	d = ldatasets_get(c, "legacy");
	CHECK(d && !d->rec && !d->unreadable && d->error && !strstr(d->error, "the hub:") &&
	      strstr(d->error, "without an organisation"));
	/* everything was answered by the batch: no second request */
	CHECK_EQ_INT(ds_resolves, 4);
	d = ldatasets_get(c, "hub/three"); /* not prefetched: asked alone */
	CHECK(d && d->rec);
	CHECK_EQ_INT(ds_resolves, 5);
	CHECK_EQ_INT(ds_prefetches, 1);
	ldatasets_free(c);
}

TESTS(T(datasets_from_hub), T(prefetch_by_level), T(ids_fold_case), T(cycles_across_many_roots), T(diamond_resolved_once), T(cycle_terminates), T(unresolved_and_local), T(depth_limit),
      T(ids_and_paths))
