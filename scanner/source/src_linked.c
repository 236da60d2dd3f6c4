/*
 * src_linked.c - a folder whose symbolic links may point only inside a given root.
 *
 * The huggingface_hub cache stores each snapshot as relative symlinks into the
 * repo's blobs/ folder. Following those is safe; following any other link is not.
 * Every link is resolved with realpath() and must land under realpath(link_root),
 * at listing time and again at read time (the tree may change between the two).
 */
#include "source.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "core/path.h"
#include "core/str.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct linked {
	char *dir;
	char *root_real;
};

static int inside(const struct linked *l, const char *real)
{
	size_t n = strlen(l->root_real);
	return strncmp(real, l->root_real, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

static int walk(struct source *src, struct linked *l, const char *rel, int depth)
{
	char *abs = rel[0] ? path_join(l->dir, rel) : lt_strdup(l->dir);
	DIR *d;
	struct dirent *e;

	if (!abs)
		return LT_ENOMEM;
	if (depth > LT_MAX_DIR_DEPTH) {
		source_problem(src, "'%s' is nested too deeply; not read", rel);
		free(abs);
		return 0;
	}
	d = opendir(abs);
	if (!d) {
		free(abs);
		return 0;
	}
	while ((e = readdir(d)) && src->nentries < LT_MAX_DIR_ENTRIES) {
		char *crel, *cabs, real[PATH_MAX];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		crel = rel[0] ? path_join(rel, e->d_name) : lt_strdup(e->d_name);
		cabs = crel ? path_join(l->dir, crel) : NULL;
		if (!cabs || lstat(cabs, &st) != 0) {
			free(crel);
			free(cabs);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			walk(src, l, crel, depth + 1);
		} else {
			struct source_entry ent;
			memset(&ent, 0, sizeof(ent));
			ent.path = crel;
			if (S_ISLNK(st.st_mode)) {
				if (!realpath(cabs, real) || !inside(l, real) || stat(real, &st) != 0 ||
				    !S_ISREG(st.st_mode)) {
					source_problem(src, "'%s' is a symbolic link out of the cache; not followed", crel);
					ent.readable = 0;
				} else {
					ent.readable = 1;
					ent.size = (unsigned long long)st.st_size;
				}
				source_add_entry(src, &ent);
			} else if (S_ISREG(st.st_mode)) {
				ent.readable = 1;
				ent.size = (unsigned long long)st.st_size;
				source_add_entry(src, &ent);
			}
		}
		free(crel);
		free(cabs);
	}
	closedir(d);
	free(abs);
	return 0;
}

static int linked_read(struct source *src, const char *path, size_t max, struct buf *out,
		       int *truncated, struct lt_error *err)
{
	struct linked *l = src->impl;
	char *abs, real[PATH_MAX];
	int rc;

	if (!path_is_safe_relative(path))
		return lt_error_set(err, LT_EUNSAFE, path, 0, "unsafe path '%s'", path);
	abs = path_join(l->dir, path);
	if (!abs)
		return LT_ENOMEM;
	if (!realpath(abs, real) || !inside(l, real)) {
		free(abs);
		return lt_error_set(err, LT_EUNSAFE, path, 0, "'%s' leaves the cache; not read", path);
	}
	free(abs);
	if (truncated)
		rc = lt_read_prefix(out, real, max, truncated, err);
	else
		rc = lt_read_file(out, real, max, err);
	return rc;
}

static void linked_free(struct source *src)
{
	struct linked *l = src->impl;
	if (!l)
		return;
	free(l->dir);
	free(l->root_real);
	free(l);
}

static const struct source_ops linked_ops = { linked_read, linked_free };

int source_open_linked_dir(struct source **out, const char *dir, const char *link_root,
			   struct lt_error *err)
{
	struct source *src;
	struct linked *l;
	char real[PATH_MAX];

	*out = NULL;
	if (!realpath(link_root, real))
		return lt_error_set(err, LT_ENOTFOUND, link_root, 0, "cannot open '%s'", link_root);
	src = source_new(SOURCE_DIR, dir, &linked_ops);
	l = calloc(1, sizeof(*l));
	if (!src || !l) {
		free(l);
		source_free(src);
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	}
	l->dir = lt_strdup(dir);
	l->root_real = lt_strdup(real);
	src->impl = l;
	walk(src, l, "", 0);
	source_sort(src);
	*out = src;
	return 0;
}

static int is_sha40(const char *s)
{
	size_t n = 0;

	for (; s && s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 40;
}

/* kind "models" or "datasets": the cache's folder KIND--ORG--NAME (a dataset may
 * have no org: KIND--NAME). */
static int open_snapshot(struct source **out, const char *kind, const char *hub_cache,
			 const char *id, const char *rev, struct lt_error *err)
{
	const char *slash = id ? strchr(id, '/') : NULL;
	int no_org = !slash && id && *id && !strcmp(kind, "datasets");
	char *repo = NULL, *ref = NULL, *snap = NULL, *sha = NULL;
	struct buf b;
	struct stat st;
	int rc = LT_ENOTFOUND;

	*out = NULL;
	if (!rev || !*rev)
		rev = "main";
	buf_init(&b, 256);
	if (!hub_cache || (!slash && !no_org) || (slash && strchr(slash + 1, '/')) ||
	    (id && (!strcmp(id, ".") || !strcmp(id, ".."))) || !path_is_safe_relative(rev)) {
		lt_error_set(err, rc, NULL, 0, "'%s@%s' is not in the huggingface_hub cache", id ? id : "", rev);
		goto done;
	}
	repo = no_org ? lt_asprintf("%s/%s--%s", hub_cache, kind, id)
		      : lt_asprintf("%s/%s--%.*s--%s", hub_cache, kind, (int)(slash - id), id, slash + 1);
	if (!repo) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if (is_sha40(rev)) {
		sha = lt_strdup(rev);
	} else {
		/* refs/<branch>; refs/pr/N lives at refs/refs/pr/N */
		ref = lt_asprintf("%s/refs/%s", repo, rev);
		if (ref && lt_read_file(&b, ref, 255, NULL) == 0) {
			sha = buf_detach(&b, NULL);
			if (sha)
				lt_trim(sha);
		}
	}
	snap = is_sha40(sha) ? lt_asprintf("%s/snapshots/%s", repo, sha) : NULL;
	/* a snapshot is a real folder of the cache (its files link into blobs/): one
	 * that is itself a link could lead anywhere, and is not read */
	if (!snap || lstat(snap, &st) != 0 || !S_ISDIR(st.st_mode)) {
		lt_error_set(err, rc, NULL, 0, "'%s@%s' is not in the huggingface_hub cache", id, rev);
		goto done;
	}
	if ((rc = source_open_linked_dir(out, snap, repo, err)) != 0)
		goto done;
	free((*out)->revision);
	(*out)->revision = sha;
	sha = NULL;
done:
	buf_release(&b);
	free(repo);
	free(ref);
	free(snap);
	free(sha);
	return rc;
}

int source_open_hf_snapshot(struct source **out, const char *hub_cache, const char *id,
			    const char *rev, struct lt_error *err)
{
	return open_snapshot(out, "models", hub_cache, id, rev, err);
}

int source_open_hf_dataset_snapshot(struct source **out, const char *hub_cache, const char *id,
				    const char *rev, struct lt_error *err)
{
	return open_snapshot(out, "datasets", hub_cache, id, rev, err);
}
