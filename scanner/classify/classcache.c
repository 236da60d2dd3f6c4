/* classcache.c - classification results by text hash; see classcache.h. */
#include "classcache.h"
#include "core/digest.h"
#include "core/err.h"
#include "core/str.h"

#include <pthread.h>
#include <stdint.h>
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
	unsigned char data_fp[LT_SHA256_LEN];
	struct entry *slots; /* open addressing, cap a power of two */
	size_t cap, n;
	struct classcache_stats st;
} cc = { PTHREAD_MUTEX_INITIALIZER, NULL, NULL, { 0 }, NULL, 0, 0, { 0, 0, 0, 0 } };

static void h_str(struct lt_sha256 *h, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;

	lt_sha256_update(h, &n, sizeof(n));
	if (s)
		lt_sha256_update(h, s, n);
}

static void h_list(struct lt_sha256 *h, const struct strlist *l)
{
	uint32_t n = (uint32_t)l->n;

	lt_sha256_update(h, &n, sizeof(n));
	for (size_t i = 0; i < l->n; i++)
		h_str(h, l->v[i]);
}

/* What classification reads of the database, hashed. */
static void data_fingerprint(const struct licensedb *db, unsigned char out[LT_SHA256_LEN])
{
	struct lt_sha256 h;

	lt_sha256_init(&h);
	for (size_t i = 0; i < db->nlics; i++) {
		const struct licdef *l = db->lics[i];
		int cat = (int)l->category;
		uint64_t len = l->ref_text ? (uint64_t)l->ref_len : UINT64_MAX;
		h_str(&h, l->id);
		h_str(&h, l->family);
		h_str(&h, l->version);
		lt_sha256_update(&h, &cat, sizeof(cat));
		lt_sha256_update(&h, &len, sizeof(len));
		if (l->ref_text)
			lt_sha256_update(&h, l->ref_text, l->ref_len);
	}
	for (size_t i = 0; i < db->nrules; i++) {
		const struct detect_rule *r = db->rules[i];
		int kind = (int)r->kind;
		h_str(&h, r->id);
		h_str(&h, r->license);
		lt_sha256_update(&h, &kind, sizeof(kind));
		lt_sha256_update(&h, &r->confidence, sizeof(r->confidence));
		lt_sha256_update(&h, &r->similar_min, sizeof(r->similar_min));
		h_list(&h, &r->all);
		h_list(&h, &r->any);
		h_list(&h, &r->none);
		h_list(&h, &r->overrides);
	}
	lt_sha256_final(&h, out);
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

/* Bind to (ctx, db); called with the lock held. */
static void cache_bind(const struct classify_ctx *ctx, const struct licensedb *db)
{
	unsigned char fp[LT_SHA256_LEN];

	if (cc.ctx == ctx && cc.db == db)
		return;
	data_fingerprint(db, fp);
	if (memcmp(fp, cc.data_fp, sizeof(fp)) || cc.ctx || cc.db) {
		/* other data (or another classifier whose results point elsewhere) */
		drop_all();
		cc.st.rebinds++;
	}
	memcpy(cc.data_fp, fp, sizeof(fp));
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
	memset(cc.data_fp, 0, sizeof(cc.data_fp));
	pthread_mutex_unlock(&cc.lock);
}

void classcache_get_stats(struct classcache_stats *out)
{
	pthread_mutex_lock(&cc.lock);
	*out = cc.st;
	out->entries = cc.n;
	pthread_mutex_unlock(&cc.lock);
}
