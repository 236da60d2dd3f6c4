/*
 * cache.c - one-file-per-entry disk cache; see cache.h.
 *
 * Entry file: <dir>/v1/<2 hex>/<30 hex>, the hex being a 128-bit hash of the
 * serialised key. Contents:
 *
 *   LTCACHE1\n
 *   key <n>\n<n key bytes>\n
 *   etag <printable ASCII or nothing>\n
 *   partial <0|1>\n
 *   size <n>\n
 *   <n body bytes>
 *
 * The stored key is compared on every get, so a hash collision is a miss, not a
 * wrong answer; the size line is compared with what follows, so a torn file
 * (impossible with rename, but disks lie) is a miss too.
 */
#include "cache.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/str.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

/* Keys are endpoint + repo + rev + path: hub paths are < 1 KiB; 16 KiB refuses
 * nonsense without ever mattering for real repos. */
#define CACHE_MAX_KEY 16384
/* ETags are 40-70 characters; anything longer is not stored. */
#define CACHE_MAX_ETAG 256
/* Room for the header lines around the body when reading an entry back. */
#define CACHE_HEADER_SLACK (CACHE_MAX_KEY + CACHE_MAX_ETAG + 128)

struct cache {
	char *dir; /* NULL: disabled */
};

char *cache_default_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (x && x[0] == '/')
		return lt_asprintf("%s/lictrace", x);
	if (h && h[0])
		return lt_asprintf("%s/.cache/lictrace", h);
	return NULL;
}

int cache_open(struct cache **out, const char *dir, struct lt_error *err)
{
	struct cache *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	if (!dir)
		c->dir = cache_default_dir();
	else if (dir[0])
		c->dir = lt_strdup(dir);
	if (dir && dir[0] && !c->dir) {
		free(c);
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	}
	*out = c;
	return 0;
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	free(c->dir);
	free(c);
}

int cache_disabled(const struct cache *c)
{
	return !c || !c->dir;
}

static void key_field(struct buf *b, const char *s)
{
	/* length-prefixed, with NULL distinct from "" */
	if (!s)
		buf_adds(b, "-;");
	else
		buf_printf(b, "%zu:%s;", strlen(s), s);
}

static int serialise_key(struct buf *b, const struct cache_key *k)
{
	buf_init(b, CACHE_MAX_KEY);
	key_field(b, k->endpoint);
	key_field(b, k->repo);
	key_field(b, k->rev);
	key_field(b, k->path);
	key_field(b, k->variant);
	return buf_error(b);
}

static uint64_t fnv1a(const char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* <dir>/v1/<aa>/<rest>; *sub receives <dir>/v1/<aa>. */
static char *entry_path(const struct cache *c, const struct buf *key, char **sub)
{
	uint64_t a = fnv1a(key->data, key->len, 0xcbf29ce484222325ULL);
	uint64_t b = fnv1a(key->data, key->len, 0x84222325cbf29ce4ULL ^ a);
	char hex[33];

	snprintf(hex, sizeof(hex), "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
	*sub = lt_asprintf("%s/v1/%.2s", c->dir, hex);
	return lt_asprintf("%s/v1/%.2s/%s", c->dir, hex, hex + 2);
}

static int mkdir_p(const char *path)
{
	char *p = lt_strdup(path);
	int rc = 0;

	if (!p)
		return LT_ENOMEM;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = LT_EIO;
		*s = '/';
		if (rc)
			break;
	}
	if (!rc && mkdir(p, 0700) != 0 && errno != EEXIST)
		rc = LT_EIO;
	free(p);
	return rc;
}

static int etag_storable(const char *e)
{
	size_t n = 0;

	for (; e[n]; n++)
		if ((unsigned char)e[n] < 0x20 || (unsigned char)e[n] > 0x7e || n >= CACHE_MAX_ETAG)
			return 0;
	return 1;
}

/* Parse "<word> <number>\n" at *p; advances *p. */
static int take_num(const char **p, const char *end, const char *word, size_t *out)
{
	size_t wl = strlen(word), v = 0;
	const char *s = *p;

	if ((size_t)(end - s) < wl + 2 || memcmp(s, word, wl) != 0 || s[wl] != ' ')
		return -1;
	s += wl + 1;
	if (s >= end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(*s - '0');
	}
	if (s >= end || *s != '\n')
		return -1;
	*p = s + 1;
	*out = v;
	return 0;
}

int cache_get(struct cache *c, const struct cache_key *k, size_t max, struct buf *out,
	      char **etag, int *partial, struct lt_error *err)
{
	struct buf key, file;
	char *path = NULL, *sub = NULL;
	const char *p, *end, *nl;
	size_t klen, plen, blen;
	int rc = LT_ENOTFOUND;

	(void)err; /* a miss is not an error worth a message */
	if (etag)
		*etag = NULL;
	if (partial)
		*partial = 0;
	if (cache_disabled(c))
		return LT_ENOTFOUND;
	buf_init(&file, max > SIZE_MAX - CACHE_HEADER_SLACK ? SIZE_MAX : max + CACHE_HEADER_SLACK);
	if (serialise_key(&key, k)) {
		buf_release(&key);
		return LT_ENOTFOUND;
	}
	path = entry_path(c, &key, &sub);
	if (!path || lt_read_file(&file, path, file.max, NULL))
		goto done;
	p = file.data;
	end = p + file.len;
	if (file.len < 9 || memcmp(p, "LTCACHE1\n", 9) != 0)
		goto done;
	p += 9;
	if (take_num(&p, end, "key", &klen) || klen != key.len || (size_t)(end - p) < klen + 1 ||
	    memcmp(p, key.data, klen) != 0 || p[klen] != '\n')
		goto done;
	p += klen + 1;
	if ((size_t)(end - p) < 5 || memcmp(p, "etag ", 5) != 0 || !(nl = memchr(p, '\n', (size_t)(end - p))))
		goto done;
	if (etag && nl > p + 5 && !(*etag = lt_strndup(p + 5, (size_t)(nl - p - 5)))) {
		rc = LT_ENOMEM;
		goto done;
	}
	p = nl + 1;
	if (take_num(&p, end, "partial", &plen) || take_num(&p, end, "size", &blen) ||
	    blen != (size_t)(end - p) || blen > max)
		goto miss;
	if (buf_add(out, p, blen)) {
		rc = out->err;
		goto miss;
	}
	if (partial)
		*partial = plen != 0;
	rc = 0;
	goto done;
miss:
	if (etag) {
		free(*etag);
		*etag = NULL;
	}
done:
	free(path);
	free(sub);
	buf_release(&key);
	buf_release(&file);
	return rc;
}

int cache_put(struct cache *c, const struct cache_key *k, const void *data, size_t len,
	      const char *etag, int partial, struct lt_error *err)
{
	struct buf key, file;
	char *path = NULL, *sub = NULL;
	int rc = 0;

	if (cache_disabled(c))
		return 0;
	buf_init(&file, len > SIZE_MAX - CACHE_HEADER_SLACK ? SIZE_MAX : len + CACHE_HEADER_SLACK);
	if (serialise_key(&key, k)) {
		rc = lt_error_set(err, LT_ETOOBIG, NULL, 0, "cache key too long");
		goto done;
	}
	path = entry_path(c, &key, &sub);
	if (!path || !sub) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if (mkdir_p(sub)) {
		rc = lt_error_set(err, LT_EIO, sub, 0, "cannot create the cache folder '%s': %s", sub,
				  strerror(errno));
		goto done;
	}
	buf_adds(&file, "LTCACHE1\n");
	buf_printf(&file, "key %zu\n", key.len);
	buf_add(&file, key.data, key.len);
	buf_printf(&file, "\netag %s\npartial %d\nsize %zu\n",
		   etag && etag_storable(etag) ? etag : "", partial ? 1 : 0, len);
	buf_add(&file, data, len);
	if (buf_error(&file)) {
		rc = lt_error_set(err, buf_error(&file), NULL, 0, "cannot build a cache entry");
		goto done;
	}
	rc = lt_write_atomic(path, file.data, file.len, err);
done:
	free(path);
	free(sub);
	buf_release(&key);
	buf_release(&file);
	return rc;
}
