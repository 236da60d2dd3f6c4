/* source.c - the backend-independent half of struct source; see source.h. */
#include "source.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/path.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct source *source_new(enum source_kind kind, const char *target, const struct source_ops *ops)
{
	struct source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->kind = kind;
	s->ops = ops;
	s->target = lt_strdup(target ? target : "");
	if (!s->target) {
		free(s);
		return NULL;
	}
	return s;
}

/* Capacity doubles (entries_alloc), so listing 100,000 files costs 15 reallocations. */
int source_add_entry(struct source *src, const struct source_entry *e)
{
	size_t n = src->nentries;
	struct source_entry *p = src->entries;
	struct source_entry *ne;

	if (n >= src->entries_alloc) {
		size_t cap = n < 8 ? 16 : n * 2;
		if (cap > ((size_t)-1) / sizeof(*p))
			return LT_ENOMEM;
		p = realloc(src->entries, cap * sizeof(*p));
		if (!p)
			return LT_ENOMEM;
		src->entries = p;
		src->entries_alloc = cap;
	}
	ne = &p[n];
	*ne = *e;
	ne->path = lt_strdup(e->path);
	ne->lfs_oid = e->lfs_oid ? lt_strdup(e->lfs_oid) : NULL;
	if (!ne->path || (e->lfs_oid && !ne->lfs_oid)) {
		free(ne->path);
		free(ne->lfs_oid);
		return LT_ENOMEM;
	}
	src->nentries++;
	return 0;
}

/* Problems quote untrusted names: control characters become '?' so a name cannot
 * rewrite a terminal, and a message that is not UTF-8 loses its high bytes so
 * the JSON report stays valid. */
void source_problem(struct source *src, const char *fmt, ...)
{
	va_list ap;
	char msg[512];
	char **p;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (src->nproblems >= 1000) /* a hostile archive must not grow this forever */
		return;
	n = strlen(msg);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	if (!lt_utf8_valid(msg, n))
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)msg[i] >= 0x80)
				msg[i] = '?';
	p = realloc(src->problems, (src->nproblems + 1) * sizeof(*p));
	if (!p)
		return;
	src->problems = p;
	p[src->nproblems] = lt_strdup(msg);
	if (p[src->nproblems])
		src->nproblems++;
}

const char *source_path_problem(const char *path)
{
	const char *p;

	if (!path || !*path)
		return "has an empty name";
	if (path[0] == '/')
		return "is an absolute path";
	for (p = path; *p; p++) {
		if (*p == '\\')
			return "has a backslash in its name";
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "has a control character in its name";
	}
	if (!lt_utf8_valid(path, strlen(path)))
		return "has a name that is not valid UTF-8";
	if (!path_is_safe_relative(path))
		return "leaves the tree (a '..' component or a drive letter)";
	return NULL;
}

int source_read_memory(struct buf *out, const char *path, const void *data, size_t len,
		       unsigned long long full_size, size_t max, int *truncated,
		       struct lt_error *err)
{
	size_t give = len;

	if (truncated)
		*truncated = 0;
	if (full_size < len)
		full_size = len;
	if (full_size > max) {
		if (!truncated)
			return lt_error_set(err, LT_ETOOBIG, path, 0,
					    "'%s' is %llu bytes, over the %zu byte limit", path,
					    full_size, max);
		*truncated = 1;
		if (give > max)
			give = max;
	} else if (len < full_size) {
		if (!truncated)
			return lt_error_set(err, LT_ETRUNC, path, 0,
					    "only the first %zu of %llu bytes of '%s' were kept",
					    len, full_size, path);
		*truncated = 1;
	}
	if (buf_add(out, data, give))
		return lt_error_set(err, buf_error(out), path, 0, "cannot hold '%s' in memory",
				    path);
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct source_entry *)a)->path, ((const struct source_entry *)b)->path);
}

void source_sort(struct source *src)
{
	if (src->nentries > 1)
		qsort(src->entries, src->nentries, sizeof(*src->entries), cmp_entry);
}

const struct source_entry *source_find(const struct source *src, const char *path)
{
	struct source_entry key;

	if (!src->nentries)
		return NULL;
	key.path = (char *)path;
	return bsearch(&key, src->entries, src->nentries, sizeof(*src->entries), cmp_entry);
}

int source_read(struct source *src, const char *path, size_t max, struct buf *out,
		int *truncated, struct lt_error *err)
{
	const struct source_entry *e = source_find(src, path);

	if (truncated)
		*truncated = 0;
	if (!e)
		return lt_error_set(err, LT_ENOTFOUND, path, 0, "'%s' is not in '%s'", path,
				    src->target);
	if (!e->readable)
		return lt_error_set(err, LT_ENOTFOUND, path, 0, "'%s' in '%s' cannot be read",
				    path, src->target);
	return src->ops->read(src, path, max, out, truncated, err);
}

void source_free(struct source *src)
{
	if (!src)
		return;
	if (src->ops && src->ops->free_impl)
		src->ops->free_impl(src);
	for (size_t i = 0; i < src->nentries; i++) {
		free(src->entries[i].path);
		free(src->entries[i].lfs_oid);
	}
	free(src->entries);
	for (size_t i = 0; i < src->nproblems; i++)
		free(src->problems[i]);
	free(src->problems);
	free(src->target);
	free(src->revision);
	free(src->release_time);
	free(src->supplier);
	free(src);
}

int source_parse_lfs_pointer(const char *data, size_t len, char **oid, unsigned long long *size)
{
	static const char magic[] = "version https://git-lfs.github.com/spec/";
	const char *o, *s, *end = data + len;
	unsigned long long v = 0;

	*oid = NULL;
	*size = 0;
	/* pointer files are tiny (< 200 bytes); anything larger is content */
	if (len > 1024 || len < sizeof(magic) - 1 || memcmp(data, magic, sizeof(magic) - 1) != 0)
		return 0;
	o = memmem(data, len, "\noid ", 5);
	s = memmem(data, len, "\nsize ", 6);
	if (!o || !s)
		return 0;
	o += 5;
	s += 6;
	const char *oe = memchr(o, '\n', (size_t)(end - o));
	if (!oe)
		oe = end;
	/* the spec's only oid form: "sha256:" and 64 lower-case hex digits */
	if (oe - o != 71 || memcmp(o, "sha256:", 7) != 0)
		return 0;
	for (const char *h = o + 7; h < oe; h++)
		if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
			return 0;
	if (s >= end || *s < '0' || *s > '9')
		return 0;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (~0ULL - 9) / 10)
			return 0;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*oid = lt_strndup(o, (size_t)(oe - o));
	*size = v;
	return *oid != NULL;
}
