/*
 * datasets.c - datasets resolved from a mirror, the huggingface_hub cache or
 * the hub's dataset API, once each per run; see datasets.h.
 */
#include "datasets.h"
#include "resolver.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/path.h"
#include "core/str.h"
#include "core/strmap.h"
#include "record/record.h"
#include "source/source.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

struct ldatasets {
	char *mirror;     /* ROOT/datasets, or NULL */
	char *hub_cache;  /* or NULL */
	struct resolver *hub; /* the hub's dataset API, or NULL (owned) */
	struct resolver_env env;
	struct strmap by_id; /* folded id -> struct ldataset * */
	size_t n;
};

struct ldatasets *ldatasets_new(const char *mirror_root, const char *hub_cache,
				const struct resolver_env *env)
{
	struct ldatasets *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->env = *env;
	if (mirror_root && !(c->mirror = path_join(mirror_root, "datasets"))) {
		free(c);
		return NULL;
	}
	if (hub_cache && !(c->hub_cache = lt_strdup(hub_cache))) {
		free(c->mirror);
		free(c);
		return NULL;
	}
	strmap_init(&c->by_id);
	return c;
}

static void ldataset_free(void *p)
{
	struct ldataset *d = p;

	if (!d)
		return;
	free(d->id);
	record_free(d->rec);
	free(d->error);
	free(d);
}

void ldatasets_free(struct ldatasets *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->by_id.cap; i++)
		if (c->by_id.slots[i].key)
			ldataset_free(c->by_id.slots[i].val);
	strmap_release(&c->by_id);
	resolver_free(c->hub);
	free(c->mirror);
	free(c->hub_cache);
	free(c);
}

static int build(struct ldataset *d, struct source *src, const char *id, const char *kind,
		 const struct resolver_env *env, struct lt_error *err)
{
	struct record_opts ro;
	int rc;

	memset(&ro, 0, sizeof(ro));
	ro.id = id;
	rc = record_build(&d->rec, src, env->db, env->cls, &ro, err);
	if (rc == 0) {
		free(d->rec->source_kind);
		d->rec->source_kind = lt_strdup(kind);
	}
	return rc;
}

/* ROOT/datasets/org/name (or ROOT/datasets/name), names folding case; never a
 * link out of the mirror. LT_ENOTFOUND when the mirror has no such dataset. */
static int from_mirror(struct ldatasets *c, struct ldataset *d, const char *id,
		       struct lt_error *err)
{
	const char *slash = strchr(id, '/');
	char *org_want = slash ? lt_strndup(id, (size_t)(slash - id)) : NULL;
	char *org = org_want ? path_find_nocase(c->mirror, org_want) : NULL;
	char *base = slash ? (org ? path_join(c->mirror, org) : NULL) : lt_strdup(c->mirror);
	char *name = base ? path_find_nocase(base, slash ? slash + 1 : id) : NULL;
	char *dir = name ? path_join(base, name) : NULL;
	char *real = name ? (slash ? lt_asprintf("%s/%s", org, name) : lt_strdup(name)) : NULL;
	struct source *src = NULL;
	struct stat st;
	int rc = LT_ENOTFOUND;

	if (dir && real && lstat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = source_open_dir(&src, dir, err);
		if (rc == 0)
			rc = build(d, src, real, "mirror", &c->env, err);
		source_free(src);
	}
	free(org_want);
	free(org);
	free(base);
	free(name);
	free(dir);
	free(real);
	return rc;
}

void ldatasets_set_hub(struct ldatasets *c, struct resolver *hub)
{
	resolver_free(c->hub);
	c->hub = hub;
}

/* The mirror, then the huggingface_hub cache. LT_ENOTFOUND (d untouched) when
 * neither has it; else d is final. */
static int resolve_local(struct ldatasets *c, struct ldataset *d)
{
	struct lt_error err;
	struct source *src = NULL;
	int rc = LT_ENOTFOUND;

	lt_error_clear(&err);
	if (c->mirror)
		rc = from_mirror(c, d, d->id, &err);
	if (rc == LT_ENOTFOUND && c->hub_cache) {
		lt_error_clear(&err);
		rc = source_open_hf_dataset_snapshot(&src, c->hub_cache, d->id, NULL, &err);
		if (rc == 0)
			rc = build(d, src, d->id, "hf-cache", &c->env, &err);
		source_free(src);
	}
	if (rc == 0 || rc == LT_ENOTFOUND)
		return rc;
	d->unreadable = 1;
	d->error = lt_strdup(err.message[0] ? err.message : lt_code_name(rc));
	return rc;
}

/* 1 when the hub is asked for d (a dataset id with an organisation). */
static int hub_wants(const struct ldatasets *c, const struct ldataset *d)
{
	return c->hub && record_is_hub_id(d->id) && !strchr(d->id, '@');
}

/* The hub, for a dataset neither the mirror nor the cache has. */
static void resolve_hub(struct ldatasets *c, struct ldataset *d)
{
	struct lt_error err;
	int rc = LT_ENOTFOUND;

	lt_error_clear(&err);
	if (hub_wants(c, d))
		rc = resolver_resolve(c->hub, d->id, NULL, &d->rec, &err);
	if (rc == 0) {
		free(d->rec->source_kind);
		d->rec->source_kind = lt_strdup("hub");
		return;
	}
	record_free(d->rec);
	d->rec = NULL;
	/* found on the hub but refused (gated), cut short or unreachable: the data's
	 * terms are not known, which is more than "absent" */
	d->unreadable = rc != LT_ENOTFOUND;
	if (!c->hub)
		d->error = lt_strdup("not in the hub mirror or the huggingface_hub cache");
	else if (!hub_wants(c, d))
		d->error = lt_strdup("not in the hub mirror or the huggingface_hub cache, and not "
				     "asked of the hub (a dataset id without an organisation)");
	else
		d->error = lt_asprintf("not in the hub mirror or the huggingface_hub cache; the hub: %s",
				       err.message[0] ? err.message : lt_code_name(rc));
}

static void resolve(struct ldatasets *c, struct ldataset *d)
{
	if (resolve_local(c, d) == LT_ENOTFOUND)
		resolve_hub(c, d);
}

/* The entry for id: *fresh is set when it was created now (not resolved yet). */
static struct ldataset *entry(struct ldatasets *c, const char *id, int *fresh)
{
	char *key = lt_strdup(id);
	struct ldataset *d;

	*fresh = 0;
	if (key)
		lt_str_lower(key);
	d = key ? strmap_get(&c->by_id, key) : NULL;

	if (!key || d || c->n >= LT_MAX_MODELS) {
		free(key);
		return d;
	}
	d = calloc(1, sizeof(*d));
	if (!d || !(d->id = lt_strdup(id)) || strmap_put(&c->by_id, key, d) != 0) {
		ldataset_free(d);
		free(key);
		return NULL;
	}
	free(key);
	c->n++;
	*fresh = 1;
	return d;
}

const struct ldataset *ldatasets_get(struct ldatasets *c, const char *id)
{
	int fresh;
	struct ldataset *d = entry(c, id, &fresh);

	if (d && fresh)
		resolve(c, d);
	return d;
}

void ldatasets_prefetch(struct ldatasets *c, const char *const *ids, size_t n)
{
	struct ldataset **miss = calloc(n ? n : 1, sizeof(*miss));
	const char **mid = calloc(n ? n : 1, sizeof(*mid));
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int fresh;
		struct ldataset *d = entry(c, ids[i], &fresh);

		if (!d || !fresh || resolve_local(c, d) != LT_ENOTFOUND)
			continue;
		if (!miss || !mid) { /* out of memory: one at a time */
			resolve_hub(c, d);
			continue;
		}
		miss[k++] = d;
	}
	if (c->hub && c->hub->prefetch && k) {
		size_t m = 0;
		for (size_t i = 0; i < k; i++)
			if (hub_wants(c, miss[i]))
				mid[m++] = miss[i]->id;
		if (m)
			c->hub->prefetch(c->hub, mid, NULL, m);
	}
	for (size_t i = 0; i < k; i++)
		resolve_hub(c, miss[i]);
	free(miss);
	free(mid);
}
