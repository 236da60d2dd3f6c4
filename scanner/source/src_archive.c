/*
 * src_archive.c - a tar or zip archive as a source, streamed once, never
 * extracted.
 *
 * Every entry's data is pulled through archive_read_data_block() and counted as
 * it comes out of the decompressor, so the caps (entries, bytes per entry, total
 * bytes, expansion ratio against the file's size) hold whatever the headers
 * claim: a zip bomb is stopped after ARCHIVE_RATIO_SLACK or max_ratio times the
 * file's size of output, whichever is larger, not after it has filled memory or
 * disk. Sparse entries are counted at their logical size (what extraction would
 * write), so a sparse "hole" cannot hide an expansion either. Only small entries
 * (and the head of GGUF and safetensors files) are kept, within a memory budget.
 *
 * Formats are registered one by one rather than with _all(): the mtree "format"
 * reads the files it names from the local disk, and some filters (lrzip, lzop,
 * grzip) run external programs; neither belongs anywhere near untrusted input.
 * A compression filter is registered only when libarchive has the library for
 * it, for the same reason (otherwise it would fall back to a program).
 *
 * libarchive is confined to this file (docs/ARCHITECTURE.md).
 */
#include "source.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/path.h"
#include "core/str.h"
#include "core/strmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if __has_include(<archive.h>)
#include <archive.h>
#include <archive_entry.h>
#define LT_HAVE_ARCHIVE 1
#endif

#include "core/banned.h"

void archive_default_limits(struct archive_limits *lim)
{
	lim->max_entries = ARCHIVE_MAX_ENTRIES;
	lim->max_entry_bytes = ARCHIVE_MAX_ENTRY_BYTES;
	lim->max_total_bytes = ARCHIVE_MAX_TOTAL_BYTES;
	lim->max_ratio = ARCHIVE_MAX_RATIO;
	lim->retain_bytes = ARCHIVE_RETAIN_BYTES;
	lim->retain_total = ARCHIVE_RETAIN_TOTAL;
	lim->prefix_bytes = ARCHIVE_PREFIX_BYTES;
}

int source_archive_name_matches(const char *path)
{
	static const char *const exts[] = {
		".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tbz",
		".tar.zst", ".tzst", ".tar.lz4", ".zip", ".nemo", ".keras",
	};
	size_t n = path ? strlen(path) : 0;

	for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
		size_t m = strlen(exts[i]);
		if (n > m && lt_strieq(path + n - m, exts[i]))
			return 1;
	}
	return 0;
}

#ifdef LT_HAVE_ARCHIVE

/* Entries at most this big are checked for being Git LFS pointers. */
#define ARC_LFS_PROBE_BYTES 1024
/* Characters of a link target quoted in a problem. */
#define ARC_LINK_QUOTE 200

/* --- SHA-256 (FIPS 180-4), for the archive's revision ----------------------- */

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed */
	unsigned char blk[64];
	size_t n;     /* bytes waiting in blk */
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_init(struct sha256 *s)
{
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(s->h, h0, sizeof(h0));
	s->len = 0;
	s->n = 0;
}

static void sha256_block(struct sha256 *s, const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
	e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) +
			      sha256_k[i] + w[i];
		uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		h = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
	s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

static void sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;

	s->len += n;
	if (s->n) {
		size_t take = 64 - s->n < n ? 64 - s->n : n;
		memcpy(s->blk + s->n, p, take);
		s->n += take;
		p += take;
		n -= take;
		if (s->n < 64)
			return;
		sha256_block(s, s->blk);
		s->n = 0;
	}
	for (; n >= 64; p += 64, n -= 64)
		sha256_block(s, p);
	memcpy(s->blk, p, n);
	s->n = n;
}

static void sha256_hex(struct sha256 *s, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint64_t bits = s->len * 8;
	unsigned char tail[8];

	s->blk[s->n++] = 0x80;
	if (s->n > 56) {
		memset(s->blk + s->n, 0, 64 - s->n);
		sha256_block(s, s->blk);
		s->n = 0;
	}
	memset(s->blk + s->n, 0, 56 - s->n);
	for (int i = 0; i < 8; i++)
		tail[i] = (unsigned char)(bits >> (56 - 8 * i));
	memcpy(s->blk + 56, tail, 8);
	sha256_block(s, s->blk);
	for (int i = 0; i < 32; i++) {
		unsigned char byte = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
		hex[2 * i] = digits[byte >> 4];
		hex[2 * i + 1] = digits[byte & 15];
	}
	hex[64] = '\0';
}

/* --- reading the file for libarchive, hashing what passes -------------------- */

struct reader {
	int fd;
	unsigned long long size;   /* from fstat when opened */
	unsigned long long pos;    /* file offset of the next read */
	unsigned long long hashed; /* bytes [0, hashed) are in sha */
	int hashing;
	struct sha256 sha;
	unsigned char buf[65536];
};

/* Feed the digest with the part of buf[0..n) (read at pos) that extends the
 * hashed prefix; bytes read out of order are picked up by hash_rest(). */
static void hash_feed(struct reader *r, const unsigned char *buf, size_t n)
{
	if (!r->hashing || r->pos > r->hashed || r->pos + n <= r->hashed)
		return;
	sha256_update(&r->sha, buf + (r->hashed - r->pos), (size_t)(r->pos + n - r->hashed));
	r->hashed = r->pos + n;
}

static int hash_rest(struct reader *r)
{
	while (r->hashing && r->hashed < r->size) {
		ssize_t n = pread(r->fd, r->buf, sizeof(r->buf), (off_t)r->hashed);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		sha256_update(&r->sha, r->buf, (size_t)n);
		r->hashed += (unsigned long long)n;
	}
	return 0;
}

static la_ssize_t rd_read(struct archive *a, void *data, const void **out)
{
	struct reader *r = data;
	ssize_t n;

	do
		n = read(r->fd, r->buf, sizeof(r->buf));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read failed");
		return -1;
	}
	hash_feed(r, r->buf, (size_t)n);
	r->pos += (unsigned long long)n;
	*out = r->buf;
	return n;
}

static la_int64_t rd_skip(struct archive *a, void *data, la_int64_t request)
{
	struct reader *r = data;
	unsigned long long left = r->pos < r->size ? r->size - r->pos : 0;

	(void)a;
	if (request <= 0)
		return 0;
	if ((unsigned long long)request > left)
		request = (la_int64_t)left;
	if (lseek(r->fd, (off_t)request, SEEK_CUR) < 0)
		return 0; /* libarchive then reads instead */
	r->pos += (unsigned long long)request;
	return request;
}

static la_int64_t rd_seek(struct archive *a, void *data, la_int64_t offset, int whence)
{
	struct reader *r = data;
	off_t o = lseek(r->fd, (off_t)offset, whence);

	if (o < 0) {
		archive_set_error(a, errno, "seek failed");
		return ARCHIVE_FATAL;
	}
	r->pos = (unsigned long long)o;
	return o;
}

/* --- entries ---------------------------------------------------------------- */

struct arc_item {
	char *path;
	unsigned long long size; /* bytes the entry expanded to */
	char *data;              /* kept bytes, or NULL */
	size_t len;
	int readable;
	int lfs_pointer;
	char *lfs_oid;
	unsigned long long lfs_size;
};

struct arc_impl {
	struct arc_item *items; /* sorted by path once open */
	size_t n;
};

struct arc_ctx {
	struct source *src;
	const char *path;
	struct archive_limits lim;
	struct archive *a;
	struct reader *rd;
	struct arc_item *items;
	size_t n, cap;
	struct strmap index;     /* path -> item number + 1, to spot duplicates */
	unsigned long long entries, total;
	size_t retained;
};

static void item_release(struct arc_item *it)
{
	free(it->path);
	free(it->data);
	free(it->lfs_oid);
}

/* The item for name: a new one, or the earlier one of the same name, emptied
 * (extraction would keep the last copy, so the listing does too). */
static long item_for(struct arc_ctx *c, const char *name)
{
	void *v = strmap_get(&c->index, name);
	struct arc_item *it;

	if (v) {
		size_t i = (size_t)(uintptr_t)v - 1;
		it = &c->items[i];
		source_problem(c->src, "'%s' appears more than once in '%s'; the last copy is used",
			       name, c->path);
		c->retained -= it->len;
		free(it->data);
		free(it->lfs_oid);
		it->data = NULL;
		it->lfs_oid = NULL;
		it->len = 0;
		it->size = 0;
		it->readable = it->lfs_pointer = 0;
		return (long)i;
	}
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 32;
		struct arc_item *p = realloc(c->items, ncap * sizeof(*p));
		if (!p)
			return -1;
		c->items = p;
		c->cap = ncap;
	}
	it = &c->items[c->n];
	memset(it, 0, sizeof(*it));
	it->path = lt_strdup(name);
	if (!it->path || strmap_put(&c->index, name, (void *)(uintptr_t)(c->n + 1)) != 0) {
		free(it->path);
		return -1;
	}
	return (long)c->n++;
}

static int is_header_name(const char *name)
{
	const char *base = path_basename(name);
	size_t n = strlen(base);
	return (n > 5 && lt_strieq(base + n - 5, ".gguf")) ||
	       (n > 12 && lt_strieq(base + n - 12, ".safetensors"));
}

static int arc_fail(struct arc_ctx *c, struct lt_error *err, int code, const char *what)
{
	const char *msg = archive_error_string(c->a);
	return lt_error_set(err, code, c->path, 0, "'%s' %s: %s", c->path, what,
			    msg ? msg : "unknown error");
}

/* name as it may appear in an error message: control characters become '?'
 * (problems get this from source_problem; errors are printed by the CLI). */
static const char *clean_name(char *dst, size_t n, const char *src)
{
	size_t i = 0;

	for (; src[i] && i + 1 < n; i++)
		dst[i] = ((unsigned char)src[i] < 0x20 || src[i] == 0x7f) ? '?' : src[i];
	dst[i] = '\0';
	return dst;
}

static int add_zeros(struct buf *b, unsigned long long n)
{
	static const char zeros[4096];

	while (n > 0 && !buf_error(b)) {
		size_t k = n < sizeof(zeros) ? (size_t)n : sizeof(zeros);
		buf_add(b, zeros, k);
		n -= k;
	}
	return buf_error(b);
}

/*
 * Pull the current entry's data through the caps. idx < 0: count only (an entry
 * that is skipped still expands; its bytes count). Otherwise keep what the
 * retention rules allow in item idx.
 */
static int stream_data(struct arc_ctx *c, const char *name, long idx, struct lt_error *err)
{
	struct buf b;
	size_t cap = 0;
	unsigned long long pos = 0;
	int header = 0, damaged = 0, rc = 0;
	char safe[256];

	name = clean_name(safe, sizeof(safe), name);
	if (idx >= 0) {
		size_t budget = c->lim.retain_total > c->retained ? c->lim.retain_total - c->retained : 0;
		header = is_header_name(name) && c->lim.prefix_bytes > 0;
		cap = c->lim.retain_bytes;
		if (header && c->lim.prefix_bytes > cap)
			cap = c->lim.prefix_bytes;
		if (cap > budget)
			cap = budget;
	}
	buf_init(&b, cap);
	for (;;) {
		const void *blk;
		size_t n;
		la_int64_t off;
		unsigned long long end;
		int r = archive_read_data_block(c->a, &blk, &n, &off);

		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_FATAL) {
			rc = arc_fail(c, err, LT_ETRUNC, "is damaged or truncated");
			goto done;
		}
		if (r != ARCHIVE_OK) { /* WARN or FAILED: this entry only */
			const char *msg = archive_error_string(c->a);
			source_problem(c->src, "'%s' in '%s' cannot be read: %s", name, c->path,
				       msg ? msg : "damaged data");
			damaged = 1;
			break;
		}
		if (off < 0 || (unsigned long long)off < pos) {
			rc = lt_error_set(err, LT_EPARSE, c->path, 0,
					  "'%s' has overlapping data in '%s'", c->path, name);
			goto done;
		}
		end = (unsigned long long)off + n;
		c->total += end - pos;
		if (end > c->lim.max_entry_bytes) {
			rc = lt_error_set(err, LT_ETOOBIG, c->path, 0,
					  "'%s' in '%s' is larger than the %llu byte limit", name,
					  c->path, c->lim.max_entry_bytes);
			goto done;
		}
		if (c->total > c->lim.max_total_bytes) {
			rc = lt_error_set(err, LT_ETOOBIG, c->path, 0,
					  "'%s' expands to more than the %llu byte limit", c->path,
					  c->lim.max_total_bytes);
			goto done;
		}
		if (c->lim.max_ratio && c->total > ARCHIVE_RATIO_SLACK &&
		    c->total / c->lim.max_ratio > c->rd->size) {
			rc = lt_error_set(err, LT_EUNSAFE, c->path, 0,
					  "'%s' expands more than %llu times; stopped at '%s' as a likely archive bomb",
					  c->path, c->lim.max_ratio, name);
			goto done;
		}
		if (b.len < cap && !buf_error(&b)) {
			unsigned long long gap = (unsigned long long)off - pos;
			size_t room = cap - b.len;
			if (gap > room)
				gap = room;
			add_zeros(&b, gap);
			room = cap - b.len;
			buf_add(&b, blk, n < room ? n : room);
		}
		pos = end;
	}
	if (idx >= 0) {
		struct arc_item *it = &c->items[idx];
		size_t keep = 0;

		it->size = pos;
		if (buf_error(&b) == LT_ENOMEM) {
			rc = lt_error_set(err, LT_ENOMEM, c->path, 0, "out of memory");
			goto done;
		}
		if (!damaged && pos == b.len && pos <= c->lim.retain_bytes)
			keep = b.len;
		else if (!damaged && header && b.len > 0)
			keep = b.len < c->lim.prefix_bytes ? b.len : c->lim.prefix_bytes;
		else if (!damaged && (pos <= c->lim.retain_bytes || header))
			source_problem(c->src,
				       "'%s' was not kept in memory: the %zu byte budget for the entries of '%s' is used up",
				       name, c->lim.retain_total, c->path);
		if (keep || (pos == 0 && !damaged)) {
			char *p;
			buf_truncate(&b, keep);
			it->data = buf_detach(&b, &it->len);
			p = realloc(it->data, it->len + 1); /* give back the growth slack */
			if (p)
				it->data = p;
			it->readable = 1;
			c->retained += it->len;
			if (it->len == pos && pos > 0 && pos < ARC_LFS_PROBE_BYTES &&
			    source_parse_lfs_pointer(it->data, it->len, &it->lfs_oid, &it->lfs_size))
				it->lfs_pointer = 1;
		}
	}
done:
	buf_release(&b);
	return rc;
}

/* The entry's name made canonical: "./" and "//" collapsed, trailing '/'
 * dropped. NULL on allocation failure. */
static char *canonical_name(const char *raw)
{
	char *s = lt_strdup(raw), *p;
	size_t n;

	if (!s)
		return NULL;
	path_normalize(s);
	p = s;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	memmove(s, p, strlen(p) + 1);
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	if (!strcmp(s, ".") || !strcmp(s, "./"))
		s[0] = '\0';
	return s;
}

static int link_item(struct arc_ctx *c, const char *name, const char *kind, const char *target)
{
	long idx;

	source_problem(c->src, "'%s' is a %s to '%.*s'; not followed", name, kind, ARC_LINK_QUOTE,
		       target ? target : "");
	idx = item_for(c, name);
	return idx < 0 ? LT_ENOMEM : 0;
}

static int do_entry(struct arc_ctx *c, struct archive_entry *ae, struct lt_error *err)
{
	const char *raw = archive_entry_pathname_utf8(ae);
	unsigned int type = (unsigned int)archive_entry_filetype(ae);
	const char *why;
	char *name;
	long idx;
	int rc = 0;

	if (!raw)
		raw = archive_entry_pathname(ae);
	if (!raw)
		raw = "";
	name = canonical_name(raw);
	if (!name)
		return lt_error_set(err, LT_ENOMEM, c->path, 0, "out of memory");
	why = source_path_problem(name);
	if (type == AE_IFDIR) {
		if (name[0] && why)
			source_problem(c->src, "folder '%s' %s; skipped", raw, why);
	} else if (why) {
		source_problem(c->src, "'%s' %s; skipped", raw, why);
		rc = stream_data(c, raw, -1, err);
	} else if (archive_entry_hardlink(ae)) {
		rc = link_item(c, name, "hard link", archive_entry_hardlink(ae));
		if (!rc)
			rc = stream_data(c, name, -1, err);
	} else if (type == AE_IFLNK) {
		rc = link_item(c, name, "symbolic link", archive_entry_symlink(ae));
	} else if (type == AE_IFREG) {
		if ((idx = item_for(c, name)) < 0)
			rc = LT_ENOMEM;
		else if (archive_entry_is_data_encrypted(ae))
			source_problem(c->src, "'%s' is encrypted; not read", name);
		else
			rc = stream_data(c, name, idx, err);
	} else {
		source_problem(c->src, "'%s' is not a regular file (a device, FIFO or socket); skipped",
			       name);
		rc = stream_data(c, name, -1, err);
	}
	if (rc == LT_ENOMEM && (!err || err->code != LT_ENOMEM))
		lt_error_set(err, LT_ENOMEM, c->path, 0, "out of memory");
	free(name);
	return rc;
}

/* "model/README.md" -> "README.md" when every entry lives under "model/". */
static void strip_top_dir(struct arc_ctx *c)
{
	const char *slash;
	size_t plen;

	if (!c->n || !(slash = strchr(c->items[0].path, '/')))
		return;
	plen = (size_t)(slash - c->items[0].path) + 1;
	for (size_t i = 1; i < c->n; i++)
		if (strncmp(c->items[i].path, c->items[0].path, plen) != 0)
			return;
	for (size_t i = 0; i < c->n; i++) {
		char *p = c->items[i].path;
		memmove(p, p + plen, strlen(p + plen) + 1);
	}
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct arc_item *)a)->path, ((const struct arc_item *)b)->path);
}

static int arc_read(struct source *src, const char *path, size_t max, struct buf *out,
		    int *truncated, struct lt_error *err)
{
	struct arc_impl *ai = src->impl;
	struct arc_item key, *it;

	if (truncated)
		*truncated = 0;
	key.path = (char *)path;
	it = ai->n ? bsearch(&key, ai->items, ai->n, sizeof(*ai->items), cmp_item) : NULL;
	if (!it || !it->readable)
		return lt_error_set(err, LT_ENOTFOUND, path, 0, "'%s' in '%s' was not kept", path,
				    src->target);
	return source_read_memory(out, path, it->data, it->len, it->size, max, truncated, err);
}

static void arc_free(struct source *src)
{
	struct arc_impl *ai = src->impl;

	if (!ai)
		return;
	for (size_t i = 0; i < ai->n; i++)
		item_release(&ai->items[i]);
	free(ai->items);
	free(ai);
	src->impl = NULL;
}

static const struct source_ops arc_ops = { arc_read, arc_free };

static void register_formats(struct archive *a)
{
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	if (archive_zlib_version())
		archive_read_support_filter_gzip(a);
	if (archive_bzlib_version())
		archive_read_support_filter_bzip2(a);
	if (archive_liblzma_version()) {
		archive_read_support_filter_xz(a);
		archive_read_support_filter_lzma(a);
	}
	if (archive_libzstd_version())
		archive_read_support_filter_zstd(a);
	if (archive_liblz4_version())
		archive_read_support_filter_lz4(a);
}

/* Walk every header; fills c->items. */
static int stream_all(struct arc_ctx *c, struct lt_error *err)
{
	struct archive_entry *ae;
	int r, rc = 0;

	while (!rc) {
		r = archive_read_next_header(c->a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY)
			return c->entries ? arc_fail(c, err, LT_ETRUNC, "is damaged or truncated")
					  : arc_fail(c, err, LT_EPARSE, "is not a tar or zip archive");
		if (r != ARCHIVE_OK) {
			const char *msg = archive_error_string(c->a);
			source_problem(c->src, "'%s': %s", c->path, msg ? msg : "warning");
		}
		if (++c->entries > c->lim.max_entries)
			return lt_error_set(err, LT_ETOOBIG, c->path, 0,
					    "'%s' has more than %llu entries", c->path,
					    c->lim.max_entries);
		rc = do_entry(c, ae, err);
	}
	return rc;
}

int source_open_archive(struct source **out, const char *path, const struct archive_limits *lim,
			struct lt_error *err)
{
	struct arc_ctx c;
	struct arc_impl *ai = NULL;
	struct reader *rd = NULL;
	struct stat st;
	int rc = 0;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	strmap_init(&c.index);
	if (lim)
		c.lim = *lim;
	else
		archive_default_limits(&c.lim);
	c.path = path;
	if (!path || !*path)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "no archive given");
	rd = calloc(1, sizeof(*rd));
	if (rd)
		rd->fd = -1;
	c.src = source_new(SOURCE_ARCHIVE, path, &arc_ops);
	ai = calloc(1, sizeof(*ai));
	c.a = archive_read_new();
	if (!rd || !c.src || !ai || !c.a) {
		rc = lt_error_set(err, LT_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	c.rd = rd;
	/* the user named this file: following a link to it is their choice; O_NONBLOCK
	 * so a FIFO cannot hang the open before fstat refuses it */
	rd->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (rd->fd < 0) {
		rc = lt_error_set(err, errno == ENOENT ? LT_ENOTFOUND : LT_EIO, path, 0,
				  "cannot open '%s': %s", path, strerror(errno));
		goto done;
	}
	if (fstat(rd->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = lt_error_set(err, LT_EINVAL, path, 0, "'%s' is not a regular file", path);
		goto done;
	}
	rd->size = (unsigned long long)st.st_size;
	rd->hashing = rd->size <= ARCHIVE_MAX_DIGEST_BYTES;
	sha256_init(&rd->sha);
	register_formats(c.a);
	archive_read_set_read_callback(c.a, rd_read);
	archive_read_set_skip_callback(c.a, rd_skip);
	archive_read_set_seek_callback(c.a, rd_seek);
	archive_read_set_callback_data(c.a, rd);
	if (archive_read_open1(c.a) != ARCHIVE_OK) {
		rc = arc_fail(&c, err, LT_EPARSE, "is not a tar or zip archive");
		goto done;
	}
	rc = stream_all(&c, err);
	if (rc)
		goto done;
	strip_top_dir(&c);
	if (c.n > 1) /* qsort's base may not be NULL, even for no items */
		qsort(c.items, c.n, sizeof(*c.items), cmp_item);
	for (size_t i = 0; i < c.n; i++) {
		struct source_entry e;

		memset(&e, 0, sizeof(e));
		e.path = c.items[i].path;
		e.size = c.items[i].size;
		e.readable = c.items[i].readable;
		e.lfs_pointer = c.items[i].lfs_pointer;
		e.lfs_oid = c.items[i].lfs_oid;
		e.lfs_size = c.items[i].lfs_size;
		if (source_add_entry(c.src, &e)) {
			rc = lt_error_set(err, LT_ENOMEM, path, 0, "out of memory");
			goto done;
		}
	}
	source_sort(c.src);
	if (rd->hashing && hash_rest(rd) == 0) {
		char hex[65];
		sha256_hex(&rd->sha, hex);
		c.src->revision = lt_asprintf("sha256:%s", hex);
	}
	ai->items = c.items;
	ai->n = c.n;
	c.items = NULL;
	c.n = 0;
	c.src->impl = ai;
	ai = NULL;
	*out = c.src;
	c.src = NULL;
done:
	if (c.a)
		archive_read_free(c.a);
	if (rd && rd->fd >= 0)
		close(rd->fd);
	free(rd);
	for (size_t i = 0; i < c.n; i++)
		item_release(&c.items[i]);
	free(c.items);
	strmap_release(&c.index);
	free(ai);
	source_free(c.src);
	return rc;
}

#else /* !LT_HAVE_ARCHIVE */

int source_open_archive(struct source **out, const char *path, const struct archive_limits *lim,
			struct lt_error *err)
{
	(void)lim;
	*out = NULL;
	return lt_error_set(err, LT_EUNSUPP, path, 0, "this build has no archive support (libarchive)");
}

#endif
