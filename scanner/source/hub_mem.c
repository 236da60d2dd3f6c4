/*
 * hub_mem.c - the hub backend's struct source: the repo's file list (from the
 * model info) with the fetched files' bytes held in memory; see hub_mem.h.
 */
#include "hub_mem.h"
#include "source.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct hub_file {
	char *path;
	char *data;
	size_t len;
	int partial; /* data is a prefix of the file (a Range read) */
};

struct hub_impl {
	struct hub_file *files;
	size_t n;
};

static struct hub_file *impl_find(struct hub_impl *h, const char *path)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->files[i].path, path) == 0)
			return &h->files[i];
	return NULL;
}

static int hub_read(struct source *src, const char *path, size_t max, struct buf *out,
		    int *truncated, struct lt_error *err)
{
	struct hub_file *f = impl_find(src->impl, path);
	size_t n;

	if (!f)
		return lt_error_set(err, LT_ENOTFOUND, path, 0, "'%s' was not fetched from the hub",
				    path);
	n = f->len;
	if (f->len > max || f->partial) {
		if (!truncated) {
			if (f->partial)
				return lt_error_set(err, LT_ETOOBIG, path, 0,
						    "only the first %zu bytes of '%s' were fetched",
						    f->len, path);
			return lt_error_set(err, LT_ETOOBIG, path, 0,
					    "'%s' is larger than the %zu byte limit", path, max);
		}
		if (n > max)
			n = max;
		*truncated = 1;
	}
	if (buf_add(out, f->data, n))
		return lt_error_set(err, out->err, path, 0, "cannot hold '%s' in memory", path);
	return 0;
}

static void hub_free_impl(struct source *src)
{
	struct hub_impl *h = src->impl;

	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->files[i].path);
		free(h->files[i].data);
	}
	free(h->files);
	free(h);
	src->impl = NULL;
}

static const struct source_ops hub_ops = { hub_read, hub_free_impl };

int hub_mem_attach(struct source *src, const char *path, char *data, size_t len, int partial)
{
	struct hub_impl *h = src->impl;
	struct hub_file *p;

	for (size_t i = 0; i < src->nentries; i++)
		if (strcmp(src->entries[i].path, path) == 0)
			src->entries[i].readable = 1;
	p = realloc(h->files, (h->n + 1) * sizeof(*p));
	if (!p)
		return LT_ENOMEM;
	h->files = p;
	p[h->n].path = lt_strdup(path);
	if (!p[h->n].path)
		return LT_ENOMEM;
	p[h->n].data = data;
	p[h->n].len = len;
	p[h->n].partial = partial;
	h->n++;
	return 0;
}

void hub_mem_mark_lfs_pointer(struct source *src, const char *path, const char *data, size_t len)
{
	char *oid = NULL;
	unsigned long long size = 0;

	if (!source_parse_lfs_pointer(data, len, &oid, &size))
		return;
	for (size_t i = 0; i < src->nentries; i++) {
		struct source_entry *e = &src->entries[i];
		if (strcmp(e->path, path) != 0)
			continue;
		e->lfs_pointer = 1;
		free(e->lfs_oid);
		e->lfs_oid = oid;
		oid = NULL;
		e->lfs_size = size;
		source_problem(src, "'%s' is a Git LFS pointer, not the file", path);
		break;
	}
	free(oid);
}

struct source *hub_mem_new(const char *target)
{
	struct hub_impl *impl = calloc(1, sizeof(*impl));
	struct source *src = impl ? source_new(SOURCE_HUB, target, &hub_ops) : NULL;

	if (!src) {
		free(impl);
		return NULL;
	}
	src->impl = impl;
	return src;
}
