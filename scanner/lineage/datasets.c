/*
 * datasets.c - datasets resolved from a mirror or the huggingface_hub cache,
 * once each per run; see datasets.h.
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

static void resolve(struct ldatasets *c, struct ldataset *d)
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
	if (rc == 0)
		return;
	d->unreadable = rc != LT_ENOTFOUND;
	d->error = lt_strdup(rc == LT_ENOTFOUND ? "not in the hub mirror or the huggingface_hub cache"
			     : err.message[0] ? err.message : lt_code_name(rc));
}

const struct ldataset *ldatasets_get(struct ldatasets *c, const char *id)
{
	char *key = lt_strdup(id);
	struct ldataset *d;

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
	resolve(c, d);
	return d;
}
