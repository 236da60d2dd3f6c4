/*
 * graph.h - one memoised lineage graph per run.
 *
 * Nodes are models (one per id@rev, resolved once however many descendants name
 * them); edges go from a model to each parent with the relation and whether it
 * was inferred. Expansion is breadth-first, a level at a time (so a resolver can
 * fetch a whole level concurrently), stops at max_depth, and never loops: cycles
 * are detected afterwards and reported as edges that close them.
 *
 * Ownership: the graph owns every node and record added to it (records passed to
 * lgraph_add_root are taken over).
 */
#ifndef LT_GRAPH_H
#define LT_GRAPH_H

#include <stddef.h>

struct model_record;
struct parent;
struct resolver;
struct lt_error;

enum lnode_status {
	LNODE_OK,          /* record available */
	LNODE_UNRESOLVED,  /* resolver failed: see error */
	LNODE_LOCAL_PATH,  /* named by a local path: cannot be resolved */
	LNODE_NOT_EXPANDED /* beyond the depth limit */
};

struct lnode;

struct ledge {
	struct lnode *to;
	const struct parent *p; /* the parent entry in the child's record */
	int closes_cycle;       /* following it leads back into the chain */
};

struct lnode {
	char *key;                  /* "org/name" or "org/name@rev" */
	char *id;
	char *rev;
	struct model_record *rec;   /* NULL unless LNODE_OK */
	enum lnode_status status;
	char *error;                /* why unresolved */
	char *same_as;              /* a local path taken for this known parent's copy */
	int error_code;
	struct ledge *parents;
	size_t nparents;
	int depth;                  /* shortest distance from a root */
	int expanded;
	int color_;                 /* DFS state */
};

struct lgraph {
	struct lnode **nodes;
	size_t nnodes;
	struct resolver *res;  /* borrowed */
	int max_depth;
	void *index_;
};

int lgraph_init(struct lgraph *g, struct resolver *res, int max_depth);
void lgraph_release(struct lgraph *g);
/* Add a scanned model as a root (depth 0); takes rec. */
int lgraph_add_root(struct lgraph *g, struct model_record *rec, struct lnode **out);
/* Resolve ancestors of root breadth-first up to max_depth, then mark cycles. */
int lgraph_expand(struct lgraph *g, struct lnode *root, struct lt_error *err);
/* Resolve the lineages of many models to come (ids at revs; revs or an entry may be
 * NULL) breadth-first together: one resolver prefetch per level for all of them, so
 * depth, not models x depth, decides the rounds of a remote resolver. Their nodes
 * are keyed like roots; lgraph_add_root and lgraph_expand then find them resolved.
 * 0, or an error after which the graph may be partly expanded (callers must not
 * trust later expansions: fail closed). */
int lgraph_prefetch(struct lgraph *g, const char *const *ids, const char *const *revs, size_t n,
		    struct lt_error *err);
/* The node lgraph_add_root would use for a root named id, or NULL. */
struct lnode *lgraph_find(const struct lgraph *g, const char *id);

/* Ancestors of root in breadth-first order (each once, root excluded), with for
 * each the chain text "root -> a -> b" along the first path found. Caller frees
 * the arrays and chain strings with lgraph_ancestors_free. */
struct lancestor {
	struct lnode *node;
	char *chain;
	int depth;
	const char *relation; /* relation of the first edge into it */
};
int lgraph_ancestors(const struct lgraph *g, struct lnode *root, struct lancestor **out,
		     size_t *n);
void lgraph_ancestors_free(struct lancestor *a, size_t n);

#endif
