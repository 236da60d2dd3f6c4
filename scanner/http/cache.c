/*
 * cache.c - one-file-per-entry disk cache; see cache.h.
 *
 * Entry file: <dir>/v1/<2 hex>/<30 hex>, the hex being a 128-bit hash of the
 * serialised key. Contents:
 *
 *   LTCACHE2\n
 *   sha256 <64 hex>\n          of every byte after this line
 *   key <n>\n<n key bytes>\n
 *   etag <printable ASCII or nothing>\n
 *   partial <0|1>\n
 *   size <n>\n
 *   <n body bytes>
 *
 * The checksum is verified on every get: a flipped bit, a torn or edited entry
 * is reported as corrupt (LT_EPARSE) and never served. The stored key is
 * compared too, so a hash collision is a miss, not a wrong answer. Entries of the
 * older format (LTCACHE1, no checksum) are plain misses and get rewritten.
 *
 * Writes go to "<entry>.tmp.<pid>" (created exclusively, never through a link)
 * and are renamed over the entry, unsynced (the checksum, not fsync, keeps a
 * crash from serving a torn entry). A run killed between the two leaves the temp
 * file behind: cache_clean_temp() removes those of processes that are gone.
 */
#include "cache.h"
#include "core/buf.h"
#include "core/digest.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

/* Keys are endpoint + repo + rev + path: hub paths are < 1 KiB; 16 KiB refuses
 * nonsense without ever mattering for real repos. */
#define CACHE_MAX_KEY 16384
/* ETags are 40-70 characters; anything longer is not stored. */
#define CACHE_MAX_ETAG 256
/* Room for the header lines around the body when reading an entry back. */
#define CACHE_HEADER_SLACK (CACHE_MAX_KEY + CACHE_MAX_ETAG + 256)
#define CACHE_MAGIC "LTCACHE2\n"
#define CACHE_MAGIC_LEN 9
/* "sha256 " + 64 hex + "\n" */
#define CACHE_SUM_LEN (7 + 64 + 1)
/* A temp file whose writer is still alive is left alone unless it is older than
 * this: no entry takes an hour to write, so it is debris of a killed run whose
 * pid was reused. */
#define CACHE_TEMP_MAX_AGE_S 3600

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

/* Which entry a corrupt-entry message is about: the path or the variant. */
static const char *key_label(const struct cache_key *k)
{
	return k->path ? k->path : (k->variant ? k->variant : "?");
}

int cache_get(struct cache *c, const struct cache_key *k, size_t max, struct buf *out,
	      char **etag, int *partial, struct lt_error *err)
{
	struct buf key, file;
	char *path = NULL, *sub = NULL;
	const char *p, *end, *nl;
	char sum[2 * LT_SHA256_LEN + 1];
	size_t klen, plen, blen;
	int rc = LT_ENOTFOUND, rrc;

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
	if (!path)
		goto done;
	rrc = lt_read_file(&file, path, file.max, NULL);
	if (rrc == LT_ETOOBIG)
		goto done; /* larger than the caller takes: a miss, as documented */
	if (rrc)
		goto done;
	p = file.data; /* NULL for an empty file: no pointer arithmetic before the length test */
	if (file.len >= 9 && memcmp(p, "LTCACHE1\n", 9) == 0)
		goto done; /* the older format: no checksum, fetched again and rewritten */
	/* from here on a mismatch is damage (disk, an editor, a torn copy), said so */
	rc = LT_EPARSE;
	if (file.len < CACHE_MAGIC_LEN + CACHE_SUM_LEN || memcmp(p, CACHE_MAGIC, CACHE_MAGIC_LEN) != 0 ||
	    memcmp(p + CACHE_MAGIC_LEN, "sha256 ", 7) != 0 || p[CACHE_MAGIC_LEN + CACHE_SUM_LEN - 1] != '\n')
		goto corrupt;
	end = p + file.len;
	p += CACHE_MAGIC_LEN + CACHE_SUM_LEN;
	lt_sha256_hex(p, (size_t)(end - p), sum);
	if (memcmp(sum, file.data + CACHE_MAGIC_LEN + 7, 64) != 0)
		goto corrupt;
	if (take_num(&p, end, "key", &klen) || (size_t)(end - p) < klen + 1 || p[klen] != '\n')
		goto corrupt;
	if (klen != key.len || memcmp(p, key.data, klen) != 0) {
		rc = LT_ENOTFOUND; /* another key with the same hash: a miss */
		goto done;
	}
	p += klen + 1;
	if ((size_t)(end - p) < 5 || memcmp(p, "etag ", 5) != 0 || !(nl = memchr(p, '\n', (size_t)(end - p))))
		goto corrupt;
	if (etag && nl > p + 5 && !(*etag = lt_strndup(p + 5, (size_t)(nl - p - 5)))) {
		rc = LT_ENOMEM;
		goto done;
	}
	p = nl + 1;
	if (take_num(&p, end, "partial", &plen) || take_num(&p, end, "size", &blen) ||
	    blen != (size_t)(end - p))
		goto corrupt;
	if (blen > max) {
		rc = LT_ENOTFOUND;
		goto miss;
	}
	if (buf_add(out, p, blen)) {
		rc = out->err;
		goto miss;
	}
	if (partial)
		*partial = plen != 0;
	rc = 0;
	goto done;
corrupt:
	lt_error_set(err, LT_EPARSE, path, 0,
		     "the cached copy of '%s' is corrupt (its checksum or format does not match); ignored",
		     key_label(k));
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

/* Write data to path through "<path>.tmp.<pid>": created exclusively with mode
 * 0600 and O_NOFOLLOW (a planted link is never written through), then renamed
 * over path. Not synced: an fsync per entry cost more than the transfers of an
 * audit (hundreds of entries a second), and a cache needs no durability, only
 * integrity: an entry torn by a crash fails its checksum on the next get and is
 * fetched again, never served. */
static int write_entry(const char *path, const void *data, size_t len, struct lt_error *err)
{
	char *tmp = lt_asprintf("%s.tmp.%ld", path, (long)getpid());
	const char *p = data;
	int fd = -1, rc = 0;

	if (!tmp)
		return lt_error_set(err, LT_ENOMEM, path, 0, "out of memory");
	for (int tries = 0; tries < 2; tries++) {
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
		/* debris of an earlier process with our pid: unlink removes the name
		 * (a link itself, never its target) */
		unlink(tmp);
	}
	if (fd < 0) {
		rc = lt_error_set(err, LT_EIO, path, 0, "cannot write the cache entry '%s': %s", tmp,
				  strerror(errno));
		goto done;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = lt_error_set(err, LT_EIO, path, 0, "cannot write the cache entry '%s'", tmp);
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0 && !rc)
		rc = lt_error_set(err, LT_EIO, path, 0, "cannot write the cache entry '%s'", tmp);
	if (!rc && rename(tmp, path) != 0)
		rc = lt_error_set(err, LT_EIO, path, 0, "cannot rename onto '%s': %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
done:
	free(tmp);
	return rc;
}

int cache_put(struct cache *c, const struct cache_key *k, const void *data, size_t len,
	      const char *etag, int partial, struct lt_error *err)
{
	struct buf key, file;
	char *path = NULL, *sub = NULL;
	char sum[2 * LT_SHA256_LEN + 1];
	size_t head;
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
	/* the checksum line is filled in once everything after it is known */
	buf_adds(&file, CACHE_MAGIC "sha256 ");
	for (int i = 0; i < 64; i++)
		buf_addc(&file, '0');
	buf_addc(&file, '\n');
	head = file.len;
	buf_printf(&file, "key %zu\n", key.len);
	buf_add(&file, key.data, key.len);
	buf_printf(&file, "\netag %s\npartial %d\nsize %zu\n",
		   etag && etag_storable(etag) ? etag : "", partial ? 1 : 0, len);
	buf_add(&file, data, len);
	if (buf_error(&file)) {
		rc = lt_error_set(err, buf_error(&file), NULL, 0, "cannot build a cache entry");
		goto done;
	}
	lt_sha256_hex(file.data + head, file.len - head, sum);
	memcpy(file.data + CACHE_MAGIC_LEN + 7, sum, 64);
	rc = write_entry(path, file.data, file.len, err);
done:
	free(path);
	free(sub);
	buf_release(&key);
	buf_release(&file);
	return rc;
}

/* ---- debris of killed runs ------------------------------------------------ */

/* "<30 hex>.tmp.<pid>": our own temp name. *pid receives the number. */
static int temp_name(const char *n, long *pid)
{
	long v = 0;
	size_t i;

	for (i = 0; i < 30; i++)
		if (!((n[i] >= '0' && n[i] <= '9') || (n[i] >= 'a' && n[i] <= 'f')))
			return 0;
	if (strncmp(n + 30, ".tmp.", 5) != 0)
		return 0;
	n += 35;
	if (!*n)
		return 0;
	for (; *n; n++) {
		if (*n < '0' || *n > '9' || v > 100000000L)
			return 0;
		v = v * 10 + (*n - '0');
	}
	*pid = v;
	return 1;
}

/* One <aa> folder, open as dfd: remove stale temp files; returns how many. */
static int clean_sub(int dfd, const struct timespec *since)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	int n = 0;

	if (!d) {
		close(dfd);
		return 0;
	}
	while ((de = readdir(d))) {
		struct stat st;
		long pid;
		if (!temp_name(de->d_name, &pid))
			continue;
		/* lstat: a link with our name is never followed; only plain files go */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		/* written before this process started looking, by a process that is gone
		 * (or so long ago that its pid must have been reused) */
		if (st.st_mtim.tv_sec > since->tv_sec ||
		    (st.st_mtim.tv_sec == since->tv_sec && st.st_mtim.tv_nsec >= since->tv_nsec))
			continue;
		if (pid == (long)getpid() ||
		    (!lt_pid_gone(pid) && since->tv_sec - st.st_mtim.tv_sec < CACHE_TEMP_MAX_AGE_S))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	return n;
}

int cache_clean_temp(struct cache *c)
{
	struct timespec now;
	int vfd, n = 0;

	if (cache_disabled(c))
		return 0;
	clock_gettime(CLOCK_REALTIME, &now);
	{
		char *v1 = lt_asprintf("%s/v1", c->dir);
		if (!v1)
			return 0;
		vfd = open(v1, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		free(v1);
	}
	if (vfd < 0)
		return 0; /* no cache yet, or not ours to touch */
	for (int i = 0; i < 256; i++) {
		char name[3];
		int sfd;
		snprintf(name, sizeof(name), "%02x", i);
		sfd = openat(vfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sfd >= 0)
			n += clean_sub(sfd, &now);
	}
	close(vfd);
	return n;
}
