/*
 * resolver_hub.c - resolve model ids over a Hugging Face-compatible hub.
 *
 * prefetch() opens a whole level of the lineage graph in one hub_open_many()
 * call (API calls concurrently, then the needed files concurrently); resolve()
 * then builds each record from memory. An id not prefetched is fetched alone.
 * The same resolver serves datasets (hub_opts.repo_type): lineage/datasets.c
 * asks it for the datasets a mirror and the cache do not have.
 */
#include "resolver.h"
#include "core/err.h"
#include "core/str.h"
#include "core/strmap.h"
#include "http/cache.h"
#include "record/record.h"
#include "source/hub.h"
#include "source/source.h"

#include <stdlib.h>
#include <string.h>

struct fetched {
	struct source *src;
	struct hub_model_info *info;
	struct lt_error err;
};

struct hubres {
	struct http_client *client;
	struct hub_opts opts;
	char *endpoint, *cache_dir, *hf_home;
	struct resolver_env env;
	struct strmap done; /* key -> struct fetched */
};

static char *key_of(const char *id, const char *rev)
{
	return rev && *rev ? lt_asprintf("%s@%s", id, rev) : lt_strdup(id);
}

static void fetch(struct hubres *h, const char *const *keys, size_t n)
{
	struct source **srcs = calloc(n ? n : 1, sizeof(*srcs));
	struct hub_model_info **infos = calloc(n ? n : 1, sizeof(*infos));
	struct lt_error *errs = calloc(n ? n : 1, sizeof(*errs));

	if (!srcs || !infos || !errs)
		goto done;
	hub_open_many(h->client, &h->opts, keys, n, srcs, infos, errs);
	for (size_t i = 0; i < n; i++) {
		struct fetched *f = calloc(1, sizeof(*f));
		if (!f) {
			source_free(srcs[i]);
			hub_model_info_free(infos[i]);
			continue;
		}
		f->src = srcs[i];
		f->info = infos[i];
		f->err = errs[i];
		strmap_put(&h->done, keys[i], f);
	}
done:
	free(srcs);
	free(infos);
	free(errs);
}

static void hub_prefetch(struct resolver *r, const char *const *ids, const char *const *revs, size_t n)
{
	struct hubres *h = r->impl;
	const char **keys = calloc(n ? n : 1, sizeof(*keys));
	size_t k = 0;

	if (!keys)
		return;
	for (size_t i = 0; i < n; i++) {
		char *key;
		if (!record_is_hub_id(ids[i]))
			continue;
		key = key_of(ids[i], revs ? revs[i] : NULL);
		if (!key || strmap_get(&h->done, key)) {
			free(key);
			continue;
		}
		keys[k++] = key;
	}
	if (k)
		fetch(h, keys, k);
	for (size_t i = 0; i < k; i++)
		free((char *)keys[i]);
	free(keys);
}

static int hub_resolve(struct resolver *r, const char *id, const char *rev,
		       struct model_record **out, struct lt_error *err)
{
	struct hubres *h = r->impl;
	char *key = key_of(id, rev);
	struct fetched *f;
	struct record_opts ro;
	int rc;

	if (!key)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	if (!record_is_hub_id(id)) {
		free(key);
		return lt_error_set(err, LT_ENOTFOUND, NULL, 0, "'%s' is not a hub %s id", id,
				    h->opts.repo_type == HUB_REPO_DATASET ? "dataset" : "model");
	}
	f = strmap_get(&h->done, key);
	if (!f) {
		const char *one = key;
		fetch(h, &one, 1);
		f = strmap_get(&h->done, key);
	}
	free(key);
	if (!f)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	if (!f->src) {
		*err = f->err;
		return f->err.code ? f->err.code : LT_ENOTFOUND;
	}
	memset(&ro, 0, sizeof(ro));
	ro.id = id;
	rc = record_build(out, f->src, h->env.db, h->env.cls, &ro, err);
	if (rc == 0 && f->info) {
		(*out)->gated = f->info->gated;
		if (f->info->gated)
			record_note(*out, "gated-repository", "api", 0,
				    "'%s' is gated: its terms must be accepted on the hub", id);
	}
	return rc;
}

static void drop_fetched(struct hubres *h)
{
	for (size_t i = 0; i < h->done.cap; i++) {
		struct fetched *f = h->done.slots[i].val;
		if (h->done.slots[i].key && f) {
			source_free(f->src);
			hub_model_info_free(f->info);
			free(f);
		}
	}
	strmap_release(&h->done);
}

static void hub_forget(struct resolver *r)
{
	struct hubres *h = r->impl;

	drop_fetched(h);
	strmap_init(&h->done);
}

static void hub_free(struct resolver *r)
{
	struct hubres *h = r->impl;

	if (!h)
		return;
	drop_fetched(h);
	free(h->endpoint);
	free(h->cache_dir);
	free(h->hf_home);
	free(h);
}

static int reads_text(void *db, const char *name)
{
	return record_reads_text(db, name);
}

struct resolver *resolver_hub_new(struct http_client *client, const struct hub_opts *opts,
				  const struct resolver_env *env)
{
	struct hubres *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->client = client;
	h->opts = *opts;
	h->endpoint = opts->endpoint ? lt_strdup(opts->endpoint) : NULL;
	h->cache_dir = opts->cache_dir ? lt_strdup(opts->cache_dir) : NULL;
	h->hf_home = opts->hf_home ? lt_strdup(opts->hf_home) : NULL;
	h->opts.endpoint = h->endpoint;
	h->opts.cache_dir = h->cache_dir;
	h->opts.hf_home = h->hf_home;
	h->env = *env;
	if (!h->opts.reads_text && env->db) {
		/* the license texts the file roles name, besides the hub's fixed set */
		h->opts.reads_text = reads_text;
		h->opts.reads_arg = (void *)env->db;
	}
	strmap_init(&h->done);
	{
		/* once per run, before anything is written: the temp files of runs that
		 * were killed mid-write */
		struct cache *c = NULL;
		if (cache_open(&c, h->cache_dir, NULL) == 0)
			cache_clean_temp(c);
		cache_free(c);
	}
	{
		struct resolver *r = resolver_new("hub", hub_resolve, hub_prefetch, hub_free, h);
		if (r)
			r->forget = hub_forget;
		return r;
	}
}
