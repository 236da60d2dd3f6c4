/* classcache.c - classification results by text hash; see classcache.h. */
#include "classcache.h"
#include "core/buf.h"
#include "core/digest.h"
#include "core/err.h"
#include "core/str.h"
#include "licensedb/licensedb.h"
#include "licensedb/snapshot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

/* The first line of an entry: the format, so a later change is never misread. */
#define DISK_MAGIC "lictrace-classcache 1\n"
/* Bytes of the hex names: "<data>-<text>.cls". */
#define HEX_LEN (2 * LT_SHA256_LEN)
#define NAME_LEN (HEX_LEN + 1 + HEX_LEN + 4)

struct entry {
	unsigned char key[LT_SHA256_LEN]; /* SHA-256 of the text */
	struct classify_result res;
	int used;
};

static struct {
	pthread_mutex_t lock;
	const struct classify_ctx *ctx;
	const struct licensedb *db;
	struct entry *slots; /* open addressing, cap a power of two */
	size_t cap, n;
	struct classcache_stats st;
	/* the on-disk folder: dir as given; dfd open once ready for the bound data,
	 * whose identity is ident (hex); disk: 0 not tried yet, 1 ready, -1 off */
	char *dir;
	int dfd, disk;
	char ident[HEX_LEN + 1];
	size_t files;
	unsigned long tmpseq;
} cc = { .lock = PTHREAD_MUTEX_INITIALIZER, .dfd = -1 };

/*
 * The texts' SHA-256s, remembered: hashing a repeated LICENSE text again cost
 * more than everything else done with it on a hit (SHA-256 in portable C is
 * about 60 instructions a byte). A slot is chosen by a fast 64-bit hash of the
 * text and holds the text itself, compared in full before its key is reused
 * (the fast hash picks a slot, it identifies nothing). Direct-mapped, at most
 * MEMO_MAX_BYTES of texts; a text over MEMO_MAX_TEXT is not kept. Under cc.lock.
 */
#define MEMO_SLOTS 512u
#define MEMO_MAX_TEXT ((size_t)256 << 10)
#define MEMO_MAX_BYTES ((size_t)8 << 20)
#define MEMO_SEED 0x6c746d656d6fULL /* picks a slot (the snapshot's fast hash) */

struct memo_slot {
	uint64_t h;
	size_t len;
	char *text; /* NULL: empty slot */
	unsigned char key[LT_SHA256_LEN];
};

static struct memo_slot memo[MEMO_SLOTS];
static size_t memo_bytes;
static size_t memo_kept; /* slots holding a text: none, and clearing touches no page */

static void memo_clear(void)
{
	if (!memo_kept)
		return;
	memo_kept = 0;
	for (size_t i = 0; i < MEMO_SLOTS; i++) {
		free(memo[i].text);
		memo[i].text = NULL;
	}
	memo_bytes = 0;
}

/* key = SHA-256 of text[0..len), from the memo when it holds this very text. */
static void text_key(const char *text, size_t len, unsigned char key[LT_SHA256_LEN])
{
	uint64_t h = licdb_snap_hash(text, len, MEMO_SEED);
	struct memo_slot *m = &memo[h & (MEMO_SLOTS - 1)];
	struct lt_sha256 c;
	char *copy;

	pthread_mutex_lock(&cc.lock);
	if (m->text && m->h == h && m->len == len && !memcmp(m->text, text, len)) {
		memcpy(key, m->key, LT_SHA256_LEN);
		pthread_mutex_unlock(&cc.lock);
		return;
	}
	pthread_mutex_unlock(&cc.lock);
	lt_sha256_init(&c);
	lt_sha256_update(&c, text, len);
	lt_sha256_final(&c, key);
	if (len > MEMO_MAX_TEXT || !(copy = malloc(len ? len : 1)))
		return;
	memcpy(copy, text, len);
	pthread_mutex_lock(&cc.lock);
	if (m->text) {
		memo_bytes -= m->len;
		free(m->text);
		m->text = NULL;
	}
	if (memo_bytes + len <= MEMO_MAX_BYTES) {
		m->h = h;
		m->len = len;
		m->text = copy;
		memcpy(m->key, key, LT_SHA256_LEN);
		memo_bytes += len;
		memo_kept++;
		copy = NULL;
	}
	pthread_mutex_unlock(&cc.lock);
	free(copy);
}

static int copy_dets(struct detection **dst, const struct detection *src, size_t n)
{
	*dst = NULL;
	if (!n)
		return 0;
	if (!(*dst = malloc(n * sizeof(**dst))))
		return -1;
	memcpy(*dst, src, n * sizeof(**dst));
	return 0;
}

static int result_copy(struct classify_result *dst, const struct classify_result *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->binary = src->binary;
	dst->n = src->n;
	dst->nalt = src->nalt;
	if (copy_dets(&dst->v, src->v, src->n) || copy_dets(&dst->alt, src->alt, src->nalt) ||
	    (src->modified_from && !(dst->modified_from = lt_strdup(src->modified_from)))) {
		classify_result_release(dst);
		return -1;
	}
	return 0;
}

static void drop_all(void)
{
	for (size_t i = 0; i < cc.cap; i++)
		if (cc.slots[i].used)
			classify_result_release(&cc.slots[i].res);
	free(cc.slots);
	cc.slots = NULL;
	cc.cap = cc.n = 0;
	cc.st.entries = 0;
}

static struct entry *slot_of(const unsigned char key[LT_SHA256_LEN])
{
	size_t i;

	if (!cc.cap)
		return NULL;
	memcpy(&i, key, sizeof(i));
	for (i &= cc.cap - 1;; i = (i + 1) & (cc.cap - 1))
		if (!cc.slots[i].used || !memcmp(cc.slots[i].key, key, LT_SHA256_LEN))
			return &cc.slots[i];
}

static int grow(void)
{
	size_t cap = cc.cap ? 2 * cc.cap : 64;
	struct entry *old = cc.slots, *s = calloc(cap, sizeof(*s));
	size_t ocap = cc.cap;

	if (!s)
		return -1;
	cc.slots = s;
	cc.cap = cap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].used)
			*slot_of(old[i].key) = old[i];
	free(old);
	return 0;
}

static void disk_close(void);

/* Bind to (ctx, db); called with the lock held. Results point into the database
 * they came from: another classifier or database starts from nothing. */
static void cache_bind(const struct classify_ctx *ctx, const struct licensedb *db)
{
	if (cc.ctx == ctx && cc.db == db)
		return;
	if (cc.ctx || cc.db) {
		drop_all();
		cc.st.rebinds++;
	}
	disk_close(); /* other data: another identity, found at the first miss */
	cc.ctx = ctx;
	cc.db = db;
}

/* --- the folder --- */

static void disk_close(void)
{
	if (cc.dfd >= 0)
		close(cc.dfd);
	cc.dfd = -1;
	cc.disk = 0;
	cc.files = 0;
}

static int mkdirs(const char *dir)
{
	char *p = lt_strdup(dir);
	int rc = 0;

	if (!p)
		return -1;
	for (char *s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST)
				rc = -1;
			*s = c;
			if (!c || rc)
				break;
		}
	}
	free(p);
	return rc;
}

static int is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Our name: "<64 hex>-<64 hex>.cls". */
static int entry_name(const char *n)
{
	return strlen(n) == NAME_LEN && is_hex(n, HEX_LEN) && n[HEX_LEN] == '-' &&
	       is_hex(n + HEX_LEN + 1, HEX_LEN) && !strcmp(n + 2 * HEX_LEN + 1, ".cls");
}

/* The identity of the data an answer depends on: the version and, when the
 * database came from a checked snapshot, that snapshot's id (it names this exact
 * data, as the classifier image's key does); else the whole database as a
 * snapshot encodes it (with a zero fingerprint), which costs about 27M
 * instructions, ten times a one-file start. */
static int data_identity(const struct licensedb *db, char out[HEX_LEN + 1])
{
	static const unsigned char zero[LICDB_FP_LEN];
	unsigned char d[LT_SHA256_LEN];
	struct lt_sha256 h;
	struct buf b;
	int rc;

	if (db->snapshot_id[0]) {
		lt_sha256_init(&h);
		lt_sha256_update(&h, "lictrace " LT_VERSION "\nsnapshot ", strlen("lictrace " LT_VERSION "\nsnapshot "));
		lt_sha256_update(&h, db->snapshot_id, strlen(db->snapshot_id));
		lt_sha256_final(&h, d);
		lt_hex(d, sizeof(d), out);
		out[HEX_LEN] = '\0';
		return 0;
	}
	buf_init(&b, 256u * 1024u * 1024u);
	rc = licdb_snap_encode(&b, db, zero);
	if (rc == 0 && !buf_error(&b)) {
		lt_sha256_init(&h);
		lt_sha256_update(&h, "lictrace " LT_VERSION "\n", strlen("lictrace " LT_VERSION "\n"));
		lt_sha256_update(&h, b.data, b.len);
		lt_sha256_final(&h, d);
		lt_hex(d, sizeof(d), out);
		out[HEX_LEN] = '\0';
	} else {
		rc = -1;
	}
	buf_release(&b);
	return rc;
}

/* Ready the folder for the bound database; with the lock held. Entries of any
 * other data are deleted (never following a link: unlinkat removes the name). */
static void disk_prepare(void)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int fd;

	if (cc.disk || !cc.dir)
		return;
	cc.disk = -1;
	if (data_identity(cc.db, cc.ident) || mkdirs(cc.dir))
		return;
	cc.dfd = open(cc.dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cc.dfd < 0 || fstat(cc.dfd, &st) != 0 || st.st_uid != geteuid()) {
		disk_close();
		cc.disk = -1;
		return;
	}
	fd = dup(cc.dfd);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		disk_close();
		cc.disk = -1;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (!entry_name(de->d_name))
			continue;
		if (!memcmp(de->d_name, cc.ident, HEX_LEN))
			cc.files++;
		else
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
	cc.disk = 1;
}

static void name_of(char out[NAME_LEN + 1], const char *ident, const unsigned char key[LT_SHA256_LEN])
{
	memcpy(out, ident, HEX_LEN);
	out[HEX_LEN] = '-';
	lt_hex(key, LT_SHA256_LEN, out + HEX_LEN + 1);
	memcpy(out + 2 * HEX_LEN + 1, ".cls", 5);
}

static void put_dets(struct buf *b, char tag, const struct detection *v, size_t n)
{
	buf_printf(b, "%c %zu\n", tag, n);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s %s %.17g %d %d\n", v[i].lic ? v[i].lic->id : "-",
			   v[i].rule ? v[i].rule->id : "-", v[i].confidence, (int)v[i].kind, v[i].line);
}

/* The entry for r: everything, then "sum <sha256 of what precedes>". */
static int entry_encode(struct buf *b, const char *name, const struct classify_result *r)
{
	char sum[HEX_LEN + 1];

	buf_adds(b, DISK_MAGIC);
	buf_printf(b, "%s\nbinary %d\nmodified %s\n", name, r->binary ? 1 : 0,
		   r->modified_from ? r->modified_from : "-");
	put_dets(b, 'v', r->v, r->n);
	put_dets(b, 'a', r->alt, r->nalt);
	if (buf_error(b))
		return -1;
	lt_sha256_hex(b->data, b->len, sum);
	buf_printf(b, "sum %s\n", sum);
	return buf_error(b) ? -1 : 0;
}

/* The next line of *p (up to end) as a string in place; NULL when none. */
static char *next_line(char **p, char *end)
{
	char *s = *p, *nl = s < end ? memchr(s, '\n', (size_t)(end - s)) : NULL;

	if (!nl)
		return NULL;
	*nl = '\0';
	*p = nl + 1;
	return s;
}

static int get_dets(char **p, char *end, char tag, const struct licensedb *db,
		    struct detection **out, size_t *n_out)
{
	char *l = next_line(p, end), *e;
	unsigned long n;

	if (!l || l[0] != tag || l[1] != ' ')
		return -1;
	errno = 0;
	n = strtoul(l + 2, &e, 10);
	if (errno || *e || n > 1024)
		return -1;
	*n_out = 0;
	*out = n ? calloc(n, sizeof(**out)) : NULL;
	if (n && !*out)
		return -1;
	for (unsigned long i = 0; i < n; i++) {
		struct detection *d = &(*out)[i];
		char lic[256], rule[256];
		int kind, line, used = 0;

		if (!(l = next_line(p, end)) || strlen(l) > 600 ||
		    sscanf(l, "%255s %255s %lf %d %d%n", lic, rule, &d->confidence, &kind, &line, &used) != 5 ||
		    l[used] != '\0' || kind < RULE_LICENSE || kind > RULE_NOTICE || line < 0 ||
		    !(d->confidence >= 0.0 && d->confidence <= 1.0))
			return -1;
		d->kind = (enum rule_kind)kind;
		d->line = line;
		d->lic = strcmp(lic, "-") ? licensedb_get(db, lic) : NULL;
		d->rule = strcmp(rule, "-") ? licensedb_rule(db, rule) : NULL;
		/* an id this database lacks: not our answer */
		if ((strcmp(lic, "-") && !d->lic) || (strcmp(rule, "-") && !d->rule))
			return -1;
		(*n_out)++;
	}
	return 0;
}

/* Parse and check an entry of len bytes (data is changed in place). */
static int entry_decode(char *data, size_t len, const char *name, const struct licensedb *db,
			struct classify_result *out)
{
	char sum[HEX_LEN + 1], *p = data, *end = data + len, *l, *tail;
	size_t mlen = strlen(DISK_MAGIC);
	int binary;

	memset(out, 0, sizeof(*out));
	/* "sum <hex>\n" ends it and covers everything before */
	if (len < mlen + HEX_LEN + 5 || memcmp(data, DISK_MAGIC, mlen) != 0 || data[len - 1] != '\n')
		return -1;
	tail = end - (HEX_LEN + 5); /* "sum " hex "\n" */
	if (memcmp(tail, "sum ", 4) != 0)
		return -1;
	lt_sha256_hex(data, (size_t)(tail - data), sum);
	if (memcmp(tail + 4, sum, HEX_LEN) != 0)
		return -1;
	end = tail;
	p += mlen;
	if (!(l = next_line(&p, end)) || strcmp(l, name) != 0)
		return -1;
	if (!(l = next_line(&p, end)) || sscanf(l, "binary %d", &binary) != 1 || (binary != 0 && binary != 1))
		return -1;
	out->binary = binary;
	if (!(l = next_line(&p, end)) || strncmp(l, "modified ", 9) != 0)
		return -1;
	if (strcmp(l + 9, "-") != 0) {
		if (!licensedb_get(db, l + 9) || !(out->modified_from = lt_strdup(l + 9)))
			goto bad;
	}
	if (get_dets(&p, end, 'v', db, &out->v, &out->n) || get_dets(&p, end, 'a', db, &out->alt, &out->nalt) ||
	    p != end)
		goto bad;
	return 0;
bad:
	classify_result_release(out);
	memset(out, 0, sizeof(*out));
	return -1;
}

/* The entry for key from the folder; 0 and *out filled, or -1. Never follows a
 * link, never reads more than the cap, never trusts what it reads. */
static int disk_get(int dfd, const char *ident, const unsigned char key[LT_SHA256_LEN],
		    const struct licensedb *db, struct classify_result *out)
{
	char name[NAME_LEN + 1], *data = NULL;
	struct stat st;
	ssize_t n;
	int fd, rc = -1;

	name_of(name, ident, key);
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > CLASSCACHE_DISK_MAX_BYTES || !(data = malloc((size_t)st.st_size + 1)))
		goto reject;
	do
		n = read(fd, data, (size_t)st.st_size + 1);
	while (n < 0 && errno == EINTR);
	if (n < 0 || n != (ssize_t)st.st_size)
		goto reject;
	data[(size_t)st.st_size] = '\0';
	rc = entry_decode(data, (size_t)st.st_size, name, db, out);
reject:
	if (rc) {
		pthread_mutex_lock(&cc.lock);
		cc.st.disk_rejected++;
		pthread_mutex_unlock(&cc.lock);
	}
	free(data);
	close(fd);
	return rc;
}

/* Write r as the entry for key: a temporary file created anew (O_EXCL, never
 * through a link), then renamed over the name. Failures leave nothing behind. */
static void disk_put(int dfd, const char *ident, unsigned long seq, const unsigned char key[LT_SHA256_LEN],
		     const struct classify_result *r)
{
	char name[NAME_LEN + 1], tmp[NAME_LEN + 64];
	struct buf b;
	int fd = -1, ok = 0;

	name_of(name, ident, key);
	buf_init(&b, CLASSCACHE_DISK_MAX_BYTES);
	if (entry_encode(&b, name, r))
		goto done;
	snprintf(tmp, sizeof(tmp), ".%s.%ld.%lu.tmp", name, (long)getpid(), seq);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		goto done;
	ok = write(fd, b.data, b.len) == (ssize_t)b.len;
	ok = close(fd) == 0 && ok;
	if (ok && renameat(dfd, tmp, dfd, name) != 0)
		ok = 0;
	if (!ok)
		unlinkat(dfd, tmp, 0);
done:
	buf_release(&b);
	if (ok) {
		pthread_mutex_lock(&cc.lock);
		cc.st.disk_writes++;
		pthread_mutex_unlock(&cc.lock);
	}
}

int classcache_set_dir(const char *dir)
{
	char *copy = dir && dir[0] ? lt_strdup(dir) : NULL;

	if (dir && dir[0] && !copy)
		return LT_ENOMEM;
	pthread_mutex_lock(&cc.lock);
	disk_close();
	free(cc.dir);
	cc.dir = copy;
	pthread_mutex_unlock(&cc.lock);
	return 0;
}

/* Put a result in memory; with the lock held, bound to (ctx, db). */
static void mem_put(const unsigned char key[LT_SHA256_LEN], const struct classify_result *r)
{
	struct entry *e;

	if (cc.n >= CLASSCACHE_MAX_ENTRIES)
		drop_all();
	if ((cc.n + 1) * 2 <= cc.cap || !grow()) {
		e = slot_of(key);
		if (!e->used && !result_copy(&e->res, r)) {
			memcpy(e->key, key, LT_SHA256_LEN);
			e->used = 1;
			cc.n++;
			cc.st.entries = cc.n;
		}
	}
}

int classcache_classify(const struct classify_ctx *ctx, const struct licensedb *db,
			const char *text, size_t len, struct classify_result *out,
			struct lt_error *err)
{
	unsigned char sha[LT_SHA256_LEN];
	int keyed;

	return classcache_classify_keyed(ctx, db, text, len, out, sha, &keyed, err);
}

int classcache_classify_keyed(const struct classify_ctx *ctx, const struct licensedb *db,
			      const char *text, size_t len, struct classify_result *out,
			      unsigned char sha[32], int *keyed, struct lt_error *err)
{
	unsigned char key[LT_SHA256_LEN];
	char ident[HEX_LEN + 1];
	struct entry *e;
	unsigned long seq = 0;
	int rc, dfd, room = 0;

	memset(out, 0, sizeof(*out));
	*keyed = 0;
	if (!db || len > CLASSIFY_MAX_TEXT)
		return classify_text(ctx, text, len, out, err);
	text_key(text, len, key);
	memcpy(sha, key, LT_SHA256_LEN);
	*keyed = 1;
	pthread_mutex_lock(&cc.lock);
	cache_bind(ctx, db);
	e = slot_of(key);
	if (e && e->used) {
		rc = result_copy(out, &e->res);
		cc.st.hits++;
		pthread_mutex_unlock(&cc.lock);
		return rc ? lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory") : 0;
	}
	cc.st.misses++;
	disk_prepare();
	/* a copy of the folder's fd: the binding may change while it is in use */
	dfd = cc.disk == 1 ? fcntl(cc.dfd, F_DUPFD_CLOEXEC, 0) : -1;
	if (dfd >= 0) {
		memcpy(ident, cc.ident, sizeof(ident));
		seq = cc.tmpseq++;
		room = cc.files < CLASSCACHE_DISK_MAX_FILES;
	}
	pthread_mutex_unlock(&cc.lock);

	if (dfd >= 0 && disk_get(dfd, ident, key, db, out) == 0) {
		close(dfd);
		pthread_mutex_lock(&cc.lock);
		cc.st.disk_hits++;
		if (cc.ctx == ctx && cc.db == db)
			mem_put(key, out);
		pthread_mutex_unlock(&cc.lock);
		return 0;
	}
	rc = classify_text(ctx, text, len, out, err);
	if (rc == 0 && dfd >= 0 && room) { /* errors are not cached */
		disk_put(dfd, ident, seq, key, out);
		pthread_mutex_lock(&cc.lock);
		cc.files++;
		pthread_mutex_unlock(&cc.lock);
	}
	if (dfd >= 0)
		close(dfd);
	if (rc)
		return rc;

	pthread_mutex_lock(&cc.lock);
	if (cc.ctx == ctx && cc.db == db)
		mem_put(key, out);
	pthread_mutex_unlock(&cc.lock);
	return 0;
}

void classcache_forget(void)
{
	pthread_mutex_lock(&cc.lock);
	drop_all();
	memo_clear();
	disk_close();
	cc.ctx = NULL;
	cc.db = NULL;
	pthread_mutex_unlock(&cc.lock);
}

void classcache_get_stats(struct classcache_stats *out)
{
	pthread_mutex_lock(&cc.lock);
	*out = cc.st;
	out->entries = cc.n;
	pthread_mutex_unlock(&cc.lock);
}
