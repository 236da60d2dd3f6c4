/* resolvers.c - mirror, huggingface_hub cache and chain resolvers; see resolver.h. */
#include "resolver.h"
#include "core/err.h"
#include "core/path.h"
#include "core/str.h"
#include "record/record.h"
#include "source/source.h"

#include <stdlib.h>
#include <string.h>

int resolver_resolve(struct resolver *r, const char *id, const char *rev,
		     struct model_record **out, struct lt_error *err)
{
	*out = NULL;
	if (!r)
		return lt_error_set(err, LT_ENOTFOUND, NULL, 0, "no resolver for '%s'", id);
	return r->resolve(r, id, rev, out, err);
}

struct resolver *resolver_new(const char *name,
			      int (*resolve)(struct resolver *, const char *, const char *,
					     struct model_record **, struct lt_error *),
			      void (*prefetch)(struct resolver *, const char *const *,
					       const char *const *, size_t),
			      void (*free_impl)(struct resolver *), void *impl)
{
	struct resolver *r = impl ? calloc(1, sizeof(*r)) : NULL;

	if (!r) {
		struct resolver tmp = { name, resolve, prefetch, free_impl, impl, NULL };
		if (impl && free_impl)
			free_impl(&tmp);
		return NULL;
	}
	r->name = name;
	r->resolve = resolve;
	r->prefetch = prefetch;
	r->free_impl = free_impl;
	r->impl = impl;
	return r;
}

void resolver_forget(struct resolver *r)
{
	if (r && r->forget)
		r->forget(r);
}

void resolver_free(struct resolver *r)
{
	if (!r)
		return;
	if (r->free_impl)
		r->free_impl(r);
	free(r);
}

static int build_from_source(struct source *src, const char *id, const char *rev,
			     const struct resolver_env *env, const char *kind,
			     struct model_record **out, struct lt_error *err)
{
	struct record_opts ro;
	int rc;

	memset(&ro, 0, sizeof(ro));
	ro.id = id;
	rc = record_build(out, src, env->db, env->cls, &ro, err);
	if (rc == 0) {
		free((*out)->source_kind);
		(*out)->source_kind = lt_strdup(kind);
		if (rev && !(*out)->revision)
			(*out)->revision = lt_strdup(rev);
	}
	return rc;
}

/* --- mirror --- */

struct mirror {
	char *root;
	struct resolver_env env;
};

/* The mirror's spelling of "org/name" found by listing, each component compared
 * without case; NULL when there is none. */
static char *mirror_spelling_nocase(const char *root, const char *id)
{
	const char *slash = strchr(id, '/');
	char *org_want = slash ? lt_strndup(id, (size_t)(slash - id)) : NULL;
	char *org = org_want ? path_find_nocase(root, org_want) : NULL;
	char *orgdir = org ? path_join(root, org) : NULL;
	char *name = orgdir ? path_find_nocase(orgdir, slash + 1) : NULL;
	char *out = name ? lt_asprintf("%s/%s", org, name) : NULL;

	free(org_want);
	free(org);
	free(orgdir);
	free(name);
	return out;
}

/* A mirror entry that is a symbolic link is not followed out of the mirror
 * (NOFOLLOW); a model's folder is read at once (AS_LISTED). LT_ENOTFOUND,
 * LT_EINVAL or LT_EUNSAFE: no folder of that name. */
static int reads_whole(void *db, const char *name)
{
	return record_reads_whole(db, name);
}

static int mirror_open(struct source **src, const struct mirror *m, const char *spelling,
		       struct lt_error *err)
{
	char *dir = path_join(m->root, spelling);
	struct source_dir_opts o = { SOURCE_DIR_NOFOLLOW | SOURCE_DIR_AS_LISTED, reads_whole,
				     (void *)m->env.db };
	int rc;

	if (!dir)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	rc = source_open_dir_opts(src, dir, &o, err);
	free(dir);
	return rc;
}

static int no_folder(int rc)
{
	return rc == LT_ENOTFOUND || rc == LT_EINVAL || rc == LT_EUNSAFE;
}

/* Hub ids are case-insensitive: the mirror's exact spelling of "org/name" is
 * opened first (no listing), then its spelling found by listing. */
static int mirror_resolve(struct resolver *r, const char *id, const char *rev,
			  struct model_record **out, struct lt_error *err)
{
	struct mirror *m = r->impl;
	struct source *src = NULL;
	char *real = NULL;
	int rc;

	if (!record_is_hub_id(id))
		return lt_error_set(err, LT_ENOTFOUND, NULL, 0, "'%s' is not a model id", id);
	rc = mirror_open(&src, m, id, err);
	if (no_folder(rc)) {
		real = mirror_spelling_nocase(m->root, id);
		rc = real && strcmp(real, id) != 0 ? mirror_open(&src, m, real, err)
						   : LT_ENOTFOUND;
		if (no_folder(rc)) {
			free(real);
			lt_error_clear(err);
			return lt_error_set(err, LT_ENOTFOUND, NULL, 0, "'%s' is not in the mirror",
					    id);
		}
	}
	if (rc == 0)
		rc = build_from_source(src, real ? real : id, rev, &m->env, "mirror", out, err);
	source_free(src);
	free(real);
	return rc;
}

static void mirror_free(struct resolver *r)
{
	struct mirror *m = r->impl;
	if (m)
		free(m->root);
	free(m);
}

struct resolver *resolver_mirror_new(const char *root, const struct resolver_env *env)
{
	struct mirror *m = calloc(1, sizeof(*m));

	if (m) {
		m->root = lt_strdup(root);
		m->env = *env;
	}
	return resolver_new("mirror", mirror_resolve, NULL, mirror_free, m);
}

/* --- huggingface_hub cache --- */

struct hfcache {
	char *root;
	struct resolver_env env;
};

static int hfcache_resolve(struct resolver *r, const char *id, const char *rev,
			   struct model_record **out, struct lt_error *err)
{
	struct hfcache *h = r->impl;
	struct source *src = NULL;
	int rc;

	char *want, *repo, *real = NULL;

	if (!record_is_hub_id(id))
		return lt_error_set(err, LT_ENOTFOUND, NULL, 0, "'%s' is not a model id", id);
	/* the cache folder is models--ORG--NAME in the hub's spelling; ids fold case */
	want = lt_asprintf("models--%.*s--%s", (int)(strchr(id, '/') - id), id, strchr(id, '/') + 1);
	repo = want ? path_find_nocase(h->root, want) : NULL;
	if (repo && strlen(repo) == strlen(want))
		real = lt_asprintf("%.*s/%s", (int)(strchr(id, '/') - id), repo + 8,
				   repo + 8 + (strchr(id, '/') - id) + 2);
	free(want);
	free(repo);
	rc = source_open_hf_snapshot(&src, h->root, real ? real : id, rev, err);
	if (rc == 0)
		rc = build_from_source(src, real ? real : id, rev, &h->env, "hf-cache", out, err);
	source_free(src);
	free(real);
	return rc;
}

static void hfcache_free(struct resolver *r)
{
	struct hfcache *h = r->impl;
	if (h)
		free(h->root);
	free(h);
}

struct resolver *resolver_hfcache_new(const char *hub_cache, const struct resolver_env *env)
{
	struct hfcache *h = calloc(1, sizeof(*h));

	if (h) {
		h->root = lt_strdup(hub_cache);
		h->env = *env;
	}
	return resolver_new("hf-cache", hfcache_resolve, NULL, hfcache_free, h);
}

/* --- chain --- */

struct chain {
	struct resolver **list;
	size_t n;
};

static int chain_resolve(struct resolver *r, const char *id, const char *rev,
			 struct model_record **out, struct lt_error *err)
{
	struct chain *c = r->impl;
	int rc = LT_ENOTFOUND;

	for (size_t i = 0; i < c->n; i++) {
		lt_error_clear(err);
		rc = c->list[i]->resolve(c->list[i], id, rev, out, err);
		if (rc != LT_ENOTFOUND)
			return rc;
	}
	return lt_error_set(err, LT_ENOTFOUND, NULL, 0,
			    "'%s' was not found (looked in: %s%s%s%s%s)", id,
			    c->n > 0 ? c->list[0]->name : "nothing", c->n > 1 ? ", " : "",
			    c->n > 1 ? c->list[1]->name : "", c->n > 2 ? ", " : "",
			    c->n > 2 ? c->list[2]->name : "");
}

static void chain_prefetch(struct resolver *r, const char *const *ids, const char *const *revs,
			   size_t n)
{
	struct chain *c = r->impl;
	for (size_t i = 0; i < c->n; i++)
		if (c->list[i]->prefetch)
			c->list[i]->prefetch(c->list[i], ids, revs, n);
}

static void chain_forget(struct resolver *r)
{
	struct chain *c = r->impl;
	for (size_t i = 0; i < c->n; i++)
		resolver_forget(c->list[i]);
}

static void chain_free(struct resolver *r)
{
	struct chain *c = r->impl;
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		resolver_free(c->list[i]);
	free(c->list);
	free(c);
}

struct resolver *resolver_chain_new(struct resolver **list, size_t n)
{
	struct chain *c = calloc(1, sizeof(*c));

	if (c && !(c->list = calloc(n ? n : 1, sizeof(*c->list)))) {
		free(c);
		c = NULL;
	}
	if (c) {
		memcpy(c->list, list, n * sizeof(*list));
		c->n = n;
	}
	struct resolver *r = resolver_new("chain", chain_resolve, chain_prefetch, chain_free, c);

	if (r)
		r->forget = chain_forget;
	return r;
}

struct resolver *resolver_chain_last(struct resolver *r)
{
	struct chain *c;

	if (!r || r->resolve != chain_resolve)
		return r;
	c = r->impl;
	return c->n ? c->list[c->n - 1] : NULL;
}
