/*
 * resolver.h - how a parent model id becomes a model record.
 *
 * The lineage graph knows nothing of folders, caches or HTTP: it asks a resolver.
 * Backends: a hub mirror folder (ROOT/org/name/), the huggingface_hub cache
 * ($HF_HOME/hub/models--org--name/snapshots/<sha>/), an in-memory table (tests),
 * the HTTP hub (its own issue), and a chain that tries several in order.
 *
 * resolve() returns 0 with *out set (caller owns the record), LT_ENOTFOUND when
 * this resolver does not have the model (the chain tries the next one), or
 * another LT_E* code (network, gated, truncated...) with err filled: that error
 * is final for this model and makes the verdict incomplete.
 */
#ifndef LT_RESOLVER_H
#define LT_RESOLVER_H

#include <stddef.h>

struct model_record;
struct lt_error;
struct licensedb;
struct classify_ctx;

struct resolver {
	const char *name;
	int (*resolve)(struct resolver *r, const char *id, const char *rev,
		       struct model_record **out, struct lt_error *err);
	/* Optional: fetch many ids at once (one level of the graph) so backends
	 * that can work concurrently do so; resolve() then serves from memory. */
	void (*prefetch)(struct resolver *r, const char *const *ids, const char *const *revs,
			 size_t n);
	void (*free_impl)(struct resolver *r);
	void *impl;
	/* Optional: drop what the backend keeps of models resolved so far (a remote
	 * backend holds each fetched model until the run ends); later resolves
	 * fetch again. */
	void (*forget)(struct resolver *r);
};

/* Shared context backends need to build records (borrowed; must outlive them). */
struct resolver_env {
	const struct licensedb *db;
	const struct classify_ctx *cls;
};

/* A resolver over impl with these callbacks (prefetch and free_impl may be NULL).
 * Takes impl: when allocation fails, impl is released with free_impl and NULL is
 * returned. */
struct resolver *resolver_new(const char *name,
			      int (*resolve)(struct resolver *, const char *, const char *,
					     struct model_record **, struct lt_error *),
			      void (*prefetch)(struct resolver *, const char *const *,
					       const char *const *, size_t),
			      void (*free_impl)(struct resolver *), void *impl);
int resolver_resolve(struct resolver *r, const char *id, const char *rev,
		     struct model_record **out, struct lt_error *err);
void resolver_free(struct resolver *r);
/* r->forget, when the backend (or a backend of a chain) has one. */
void resolver_forget(struct resolver *r);

/* ROOT/org/name/ folders (a hub mirror; our fixtures use it). */
struct resolver *resolver_mirror_new(const char *root, const struct resolver_env *env);
/* huggingface_hub cache: HUB_CACHE/models--org--name/{refs,snapshots}. rev may be a
 * branch, tag or sha; default "main". Symlinks into the cache's own blobs/ are
 * followed; anything pointing elsewhere is refused. */
struct resolver *resolver_hfcache_new(const char *hub_cache, const struct resolver_env *env);
/* A Hugging Face-compatible hub over HTTP (client borrowed; NULL when offline,
 * then only caches answer). A gated model resolves with a gated-repository note. */
struct http_client;
struct hub_opts;
struct resolver *resolver_hub_new(struct http_client *client, const struct hub_opts *opts,
				  const struct resolver_env *env);
/* Try each resolver in order; takes ownership of them. */
struct resolver *resolver_chain_new(struct resolver **list, size_t n);
/* The last resolver of a chain (or r itself when it is not a chain). */
struct resolver *resolver_chain_last(struct resolver *r);

#endif
