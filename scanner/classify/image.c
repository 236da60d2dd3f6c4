/*
 * image.c - the compiled classifier saved and loaded; see image.h.
 *
 * Layout (native byte order; the marker refuses an image from another one):
 *   header  "LTCLSIMG", u32 format, u32 byte-order marker, u64 body length,
 *           u64 body hash, ident (64 bytes, NUL padded), lictrace version (32),
 *           u32 database rules, u32 database licenses, u32 compiled rules, u32 0
 *   body    the automaton (ac_export), then per compiled rule: u32 index of the
 *           rule in the database, u32 hash of its id, u32 all / any / none / usable
 *           phrase counts, then its phrase ids; then, from an offset that is a
 *           multiple of 8 (zero padding), the reference texts' 3-gram sets: u32
 *           count, u32 0, and per reference u32 index of its license in the
 *           database, u32 number of shingles (UINT32_MAX: it could not be built),
 *           then the shingles (u64, strictly ascending), used in place when the
 *           image's memory is 8-byte aligned
 */
#include "image.h"
#include "classify.h"
#include "classify_int.h"
#include "ac.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "licensedb/licensedb.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define IMG_MAGIC "LTCLSIMG"
#define IMG_FORMAT 2u
#define IMG_ORDER 0x01020304u
#define IMG_IDENT 64
#define IMG_VERSION 32
#define IMG_HDR (8 + 4 + 4 + 8 + 8 + IMG_IDENT + IMG_VERSION + 16)
#define IMG_SEED 0x6c74636c73696d67ULL

#ifdef LT_VERSION
#define IMG_LT_VERSION LT_VERSION
#else
#define IMG_LT_VERSION "unknown"
#endif

struct img_head {
	uint32_t format, order;
	uint64_t body_len, body_hash;
	char ident[IMG_IDENT];
	char version[IMG_VERSION];
	uint32_t db_rules, db_lics, rules, zero;
};

static uint32_t id_hash(const char *s)
{
	return (uint32_t)licdb_snap_hash(s, strlen(s), IMG_SEED);
}

static void put_u32(struct buf *b, uint32_t v)
{
	buf_add(b, &v, sizeof(v));
}

static void head_encode(unsigned char *p, const struct img_head *h)
{
	memcpy(p, IMG_MAGIC, 8);
	memcpy(p + 8, &h->format, 4);
	memcpy(p + 12, &h->order, 4);
	memcpy(p + 16, &h->body_len, 8);
	memcpy(p + 24, &h->body_hash, 8);
	memcpy(p + 32, h->ident, IMG_IDENT);
	memcpy(p + 32 + IMG_IDENT, h->version, IMG_VERSION);
	memcpy(p + 32 + IMG_IDENT + IMG_VERSION, &h->db_rules, 4);
	memcpy(p + 36 + IMG_IDENT + IMG_VERSION, &h->db_lics, 4);
	memcpy(p + 40 + IMG_IDENT + IMG_VERSION, &h->rules, 4);
	memcpy(p + 44 + IMG_IDENT + IMG_VERSION, &h->zero, 4);
}

static void head_fill(struct img_head *h, const struct licensedb *db, const char *ident,
		      size_t rules)
{
	memset(h, 0, sizeof(*h));
	h->format = IMG_FORMAT;
	h->order = IMG_ORDER;
	lt_strlcpy(h->ident, ident, sizeof(h->ident));
	lt_strlcpy(h->version, IMG_LT_VERSION, sizeof(h->version));
	h->db_rules = (uint32_t)db->nrules;
	h->db_lics = (uint32_t)db->nlics;
	h->rules = (uint32_t)rules;
}

/* Index of rule r in db (rules are compiled in database order, so from *from on). */
static int rule_index(const struct licensedb *db, const struct detect_rule *r, size_t *from)
{
	for (size_t i = *from; i < db->nrules; i++) {
		if (db->rules[i] == r) {
			*from = i + 1;
			return (int)i;
		}
	}
	return -1;
}

static int get_u32(const unsigned char *p, size_t len, size_t *pos, uint32_t *v)
{
	if (len - *pos < 4)
		return -1;
	memcpy(v, p + *pos, 4);
	*pos += 4;
	return 0;
}

static int lic_index(const struct licensedb *db, const struct licdef *d)
{
	for (size_t i = 0; i < db->nlics; i++)
		if (db->lics[i] == d)
			return (int)i;
	return -1;
}

/* The reference sets, built now if they were not: an image spares every later
 * run the normalising and hashing of a reference text (1M instructions for
 * Apache-2.0). */
static int save_refs(const struct classify_ctx *c, struct buf *out, size_t at)
{
	static const unsigned char zero[8];

	buf_add(out, zero, (8 - (out->len - at) % 8) % 8);
	put_u32(out, (uint32_t)c->nrefs);
	put_u32(out, 0);
	for (size_t i = 0; i < c->nrefs; i++) {
		const struct cref *r = classify_ref(c, c->refs[i].lic);
		int idx = lic_index(c->db, c->refs[i].lic);
		if (idx < 0 || (r && r->set.n >= UINT32_MAX))
			return -1;
		put_u32(out, (uint32_t)idx);
		put_u32(out, r ? (uint32_t)r->set.n : UINT32_MAX);
		if (r)
			buf_add(out, r->set.v, r->set.n * sizeof(uint64_t));
	}
	return 0;
}

/* The reference sets of the body at *pos, for the refs classify_finish() set up
 * from the same database. */
static int load_refs(struct classify_ctx *c, const unsigned char *p, size_t len, size_t *pos)
{
	uint32_t n, zero;

	for (; *pos % 8; (*pos)++)
		if (*pos >= len || p[*pos])
			return -1;
	if (get_u32(p, len, pos, &n) != 0 || get_u32(p, len, pos, &zero) != 0 || zero ||
	    n != c->nrefs)
		return -1;
	for (size_t i = 0; i < c->nrefs; i++) {
		struct cref *r = &c->refs[i];
		uint32_t idx, cnt;
		const unsigned char *v;
		if (get_u32(p, len, pos, &idx) != 0 || get_u32(p, len, pos, &cnt) != 0 ||
		    idx >= c->db->nlics || c->db->lics[idx] != r->lic)
			return -1;
		if (cnt == UINT32_MAX) {
			r->state = -1;
			continue;
		}
		if (cnt > (len - *pos) / 8)
			return -1;
		v = p + *pos;
		for (size_t k = 1; k < cnt; k++) {
			uint64_t a, b;
			memcpy(&a, v + (k - 1) * 8, 8);
			memcpy(&b, v + k * 8, 8);
			if (a >= b)
				return -1;
		}
		r->set.n = cnt;
		if (((uintptr_t)v % _Alignof(uint64_t)) == 0) {
			r->set.v = (uint64_t *)(uintptr_t)v;
			r->state = 2;
		} else {
			r->set.v = malloc((cnt ? cnt : 1) * sizeof(uint64_t));
			if (!r->set.v)
				return -1;
			memcpy(r->set.v, v, (size_t)cnt * 8);
			r->state = 1;
		}
		*pos += (size_t)cnt * 8;
	}
	return 0;
}

int classify_image_save(const struct classify_ctx *c, const char *ident, struct buf *out)
{
	unsigned char hdr[IMG_HDR];
	struct img_head h;
	size_t at, from = 0;
	uint64_t hash;

	if (!ident || strlen(ident) > CLASSIFY_IMAGE_IDENT_MAX || c->db->nrules > UINT32_MAX)
		return LT_EINVAL;
	at = out->len;
	memset(hdr, 0, sizeof(hdr));
	buf_add(out, hdr, sizeof(hdr)); /* filled in below, once the body is known */
	if (ac_export(c->ac, out) != 0)
		return LT_ENOMEM;
	for (size_t i = 0; i < c->nrules; i++) {
		const struct crule *r = &c->rules[i];
		int idx = rule_index(c->db, r->r, &from);
		if (idx < 0)
			return LT_EINVAL;
		put_u32(out, (uint32_t)idx);
		put_u32(out, id_hash(r->r->id));
		put_u32(out, (uint32_t)r->nall);
		put_u32(out, (uint32_t)r->nany);
		put_u32(out, (uint32_t)r->nnone);
		put_u32(out, (uint32_t)r->nphr_total);
		buf_add(out, r->ph, (r->nall + r->nany + r->nnone) * sizeof(uint32_t));
	}
	if (save_refs(c, out, at) != 0)
		return LT_EINVAL;
	if (buf_error(out))
		return LT_ENOMEM;
	hash = licdb_snap_hash(out->data + at + IMG_HDR, out->len - at - IMG_HDR, IMG_SEED);
	head_fill(&h, c->db, ident, c->nrules);
	h.body_len = out->len - at - IMG_HDR;
	h.body_hash = hash;
	head_encode(hdr, &h);
	memcpy(out->data + at, hdr, sizeof(hdr));
	return 0;
}


/* One compiled rule of the body at *pos, checked against the database. */
static int load_rule(struct classify_ctx *c, const unsigned char *p, size_t len, size_t *pos,
		     uint32_t *next_index, struct crule *out)
{
	uint32_t v[6];
	const struct detect_rule *r;
	size_t n, npat = ac_npatterns(c->ac);

	for (int i = 0; i < 6; i++)
		if (get_u32(p, len, pos, &v[i]) != 0)
			return -1;
	if (v[0] < *next_index || v[0] >= c->db->nrules)
		return -1;
	*next_index = v[0] + 1;
	r = c->db->rules[v[0]];
	/* the rule it was compiled from: same id, no more phrases than it has */
	if (!r->lic || !r->id || v[1] != id_hash(r->id) || v[2] > r->all.n || v[3] > r->any.n ||
	    v[4] > r->none.n || v[5] > v[2] + v[3] || !v[5])
		return -1;
	n = (size_t)v[2] + v[3] + v[4];
	if (n > (len - *pos) / 4)
		return -1;
	memset(out, 0, sizeof(*out));
	out->r = r;
	out->nall = v[2];
	out->nany = v[3];
	out->nnone = v[4];
	out->nphr_total = v[5];
	out->ph = malloc((n ? n : 1) * sizeof(uint32_t));
	if (!out->ph)
		return -1;
	memcpy(out->ph, p + *pos, n * 4);
	*pos += n * 4;
	for (size_t i = 0; i < n; i++)
		if (out->ph[i] >= npat)
			return -1;
	return 0;
}

int classify_image_load(struct classify_ctx **out, const struct licensedb *db, const char *ident,
			void *data, size_t len, void (*release)(void *data, size_t len))
{
	const unsigned char *p = data;
	unsigned char want[IMG_HDR];
	struct img_head h;
	struct classify_ctx *c = NULL;
	size_t pos = 0, used = 0, body;
	uint32_t next_index = 0;

	*out = NULL;
	if (!ident || strlen(ident) > CLASSIFY_IMAGE_IDENT_MAX || len < IMG_HDR ||
	    db->nrules > UINT32_MAX || db->nlics > UINT32_MAX)
		return LT_EPARSE;
	/* the header must be exactly the one this build would write for db, but for the
	 * body's length and hash and the rule count */
	memcpy(&h.body_len, p + 16, 8);
	memcpy(&h.body_hash, p + 24, 8);
	memcpy(&h.rules, p + 40 + IMG_IDENT + IMG_VERSION, 4);
	body = len - IMG_HDR;
	if (h.body_len != body || h.rules > db->nrules)
		return LT_EPARSE;
	{
		uint64_t bl = h.body_len, bh = h.body_hash;
		uint32_t nr = h.rules;
		head_fill(&h, db, ident, nr);
		h.body_len = bl;
		h.body_hash = bh;
	}
	head_encode(want, &h);
	if (memcmp(want, p, IMG_HDR) != 0 || licdb_snap_hash(p + IMG_HDR, body, IMG_SEED) != h.body_hash)
		return LT_EPARSE;
	p += IMG_HDR;
	c = calloc(1, sizeof(*c));
	if (!c)
		return LT_EPARSE;
	c->db = db;
	if (ac_import(&c->ac, p, body, AC_MAX_STATES, &used) != 0 ||
	    ac_npatterns(c->ac) > UINT32_MAX)
		goto bad;
	pos = used;
	c->nphr = c->plen_cap = ac_npatterns(c->ac);
	c->plen = malloc((c->nphr ? c->nphr : 1) * sizeof(uint32_t));
	c->rules = calloc(h.rules ? h.rules : 1, sizeof(*c->rules));
	if (!c->plen || !c->rules)
		goto bad;
	for (size_t i = 0; i < c->nphr; i++)
		c->plen[i] = ac_pattern_len(c->ac, (uint32_t)i);
	for (uint32_t i = 0; i < h.rules; i++) {
		int rc = load_rule(c, p, body, &pos, &next_index, &c->rules[i]);
		c->nrules = i + 1; /* classify_free() releases this rule's phrases too */
		if (rc != 0)
			goto bad;
	}
	if (classify_finish(c) != 0 || load_refs(c, p, body, &pos) != 0 || pos != body)
		goto bad;
	c->image = data;
	c->image_len = len;
	c->image_release = release;
	*out = c;
	return 0;
bad:
	classify_free(c);
	return LT_EPARSE;
}

void classify_image_reseal(void *data, size_t len)
{
	unsigned char *p = data;
	uint64_t body, hash;

	if (len < IMG_HDR)
		return;
	body = len - IMG_HDR;
	hash = licdb_snap_hash(p + IMG_HDR, len - IMG_HDR, IMG_SEED);
	memcpy(p + 16, &body, 8);
	memcpy(p + 24, &hash, 8);
}
