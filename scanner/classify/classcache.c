/* classcache.c - classification results by text hash; see classcache.h. */
#include "classcache.h"
#include "core/digest.h"
#include "core/err.h"
#include "core/str.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
} cc = { PTHREAD_MUTEX_INITIALIZER, NULL, NULL, NULL, 0, 0, { 0, 0, 0, 0 } };

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
	cc.ctx = ctx;
	cc.db = db;
}

int classcache_classify(const struct classify_ctx *ctx, const struct licensedb *db,
			const char *text, size_t len, struct classify_result *out,
			struct lt_error *err)
{
	unsigned char key[LT_SHA256_LEN];
	struct lt_sha256 h;
	struct entry *e;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!db || len > CLASSIFY_MAX_TEXT)
		return classify_text(ctx, text, len, out, err);
	lt_sha256_init(&h);
	lt_sha256_update(&h, text, len);
	lt_sha256_final(&h, key);
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
	pthread_mutex_unlock(&cc.lock);

	if ((rc = classify_text(ctx, text, len, out, err)) != 0)
		return rc; /* errors are not cached */

	pthread_mutex_lock(&cc.lock);
	if (cc.ctx == ctx && cc.db == db) {
		if (cc.n >= CLASSCACHE_MAX_ENTRIES)
			drop_all();
		if ((cc.n + 1) * 2 <= cc.cap || !grow()) {
			e = slot_of(key);
			if (!e->used && !result_copy(&e->res, out)) {
				memcpy(e->key, key, sizeof(key));
				e->used = 1;
				cc.n++;
				cc.st.entries = cc.n;
			}
		}
	}
	pthread_mutex_unlock(&cc.lock);
	return 0;
}

void classcache_forget(void)
{
	pthread_mutex_lock(&cc.lock);
	drop_all();
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
