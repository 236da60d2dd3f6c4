/* test_lineage.c - the memoised graph with an in-memory resolver: several parents,
 * each model resolved once, cycles, depth limit, unresolved and local parents. */
#include "tap.h"

#include "core/err.h"
#include "core/str.h"
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

static struct resolver mem = { "memory", mem_resolve, NULL, NULL, NULL };

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

TESTS(T(ids_fold_case), T(diamond_resolved_once), T(cycle_terminates), T(unresolved_and_local), T(depth_limit),
      T(ids_and_paths))
