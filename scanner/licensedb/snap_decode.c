/*
 * snap_decode.c - rebuilding a license database from a snapshot
 * (licdb_snap_decode in snapshot.h). The bytes are untrusted (any file in the
 * cache folder): every count, offset and length is checked against what is
 * really there before it is used, all records live in one allocation, strings
 * are used in place, and the result is held to what a problem-free YAML load
 * guarantees. The layout is in snap_format.h.
 */
#include "licensedb.h"
#include "snapshot.h"
#include "snap_format.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/strmap.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct dec {
	const unsigned char *p, *end; /* records not read yet */
	char *strs;                   /* string table (in the file buffer) */
	uint32_t nstrs;
	char **items;                 /* list slots not handed out yet */
	size_t items_left;
	struct obligation *obs;       /* obligation slots not handed out yet */
	size_t obs_left;
	int bad;
};

static void get(struct dec *d, void *out, size_t n)
{
	if ((size_t)(d->end - d->p) < n) {
		d->bad = 1;
		memset(out, 0, n);
		return;
	}
	memcpy(out, d->p, n);
	d->p += n;
}

static uint32_t get_u32(struct dec *d)
{
	uint32_t v;

	get(d, &v, sizeof(v));
	return v;
}

/* An enum value: below lim, else the snapshot is bad (and 0 is returned). */
static unsigned get_enum(struct dec *d, unsigned lim)
{
	uint32_t v = get_u32(d);

	if (v >= lim) {
		d->bad = 1;
		return 0;
	}
	return v;
}

static int get_line(struct dec *d)
{
	return (int)get_enum(d, (unsigned)INT_MAX);
}

/* NULL, or a string whose NUL terminator lies inside the table. */
static char *get_strn(struct dec *d, size_t *len)
{
	uint32_t ref[2];

	get(d, ref, sizeof(ref));
	*len = 0;
	if (ref[0] == STR_NONE) {
		if (ref[1])
			d->bad = 1;
		return NULL;
	}
	if (ref[0] >= d->nstrs || ref[1] >= d->nstrs - ref[0] || d->strs[ref[0] + ref[1]] != '\0') {
		d->bad = 1;
		return NULL;
	}
	*len = ref[1];
	return d->strs + ref[0];
}

static char *get_opt(struct dec *d)
{
	size_t len;

	return get_strn(d, &len);
}

/* A field a problem-free YAML load always sets (the rest of lictrace relies on it). */
static char *get_req(struct dec *d)
{
	char *s = get_opt(d);

	if (!s)
		d->bad = 1;
	return s;
}

/* n list items from the shared slots; each non-NULL and at most maxlen bytes. */
static void get_list(struct dec *d, struct strlist *l, uint32_t n, size_t maxlen)
{
	if (d->bad || n > d->items_left) {
		d->bad = 1;
		return;
	}
	l->v = n ? d->items : NULL;
	l->n = n;
	d->items += n;
	d->items_left -= n;
	for (size_t i = 0; i < n && !d->bad; i++) {
		size_t len;
		l->v[i] = get_strn(d, &len);
		if (!l->v[i] || len > maxlen)
			d->bad = 1;
	}
}

static void get_obligation(struct dec *d, struct obligation *o)
{
	uint32_t nterr;

	o->kind = (enum ob_kind)get_enum(d, OB__COUNT);
	o->flows = (int)get_enum(d, 2);
	nterr = get_u32(d);
	get(d, &o->value, sizeof(o->value));
	o->text = get_opt(d);
	o->url = get_opt(d);
	o->period = get_opt(d);
	o->scope = get_opt(d);
	o->note = get_opt(d);
	o->clause = get_opt(d);
	get_list(d, &o->territories, nterr, SIZE_MAX);
	switch (o->kind) { /* parse_obligation()'s requirements */
	case OB_NOTICE:
	case OB_ATTRIBUTION:
	case OB_NAME_PREFIX:
		if (!o->text)
			d->bad = 1;
		break;
	case OB_USER_THRESHOLD:
	case OB_REVENUE_THRESHOLD:
		if (!o->value)
			d->bad = 1;
		break;
	case OB_TERRITORY_EXCLUSION:
		if (!o->territories.n)
			d->bad = 1;
		break;
	default:
		break;
	}
}

static void get_lic(struct dec *d, struct licdef *x)
{
	uint32_t nhub, nalias, norg, nob;

	x->id = get_req(d);
	x->name = get_req(d);
	x->spdx = get_req(d);
	x->family = get_req(d);
	x->version = get_req(d);
	x->date = get_opt(d);
	x->licensor = get_opt(d);
	x->law = get_opt(d);
	x->venue = get_opt(d);
	x->url = get_opt(d);
	x->text_file = get_opt(d);
	x->summary = get_req(d);
	x->derivatives_note = get_req(d);
	x->verified_source = get_opt(d);
	x->verified_date = get_opt(d);
	x->path = get_req(d);
	x->ref_text = get_strn(d, &x->ref_len);
	x->category = (enum lic_category)get_enum(d, CAT__COUNT);
	x->review = (int)get_enum(d, 2);
	x->relicense = (enum relicense)get_enum(d, RELIC_FORBIDDEN + 1);
	nhub = get_u32(d);
	nalias = get_u32(d);
	norg = get_u32(d);
	nob = get_u32(d);
	if ((x->category == CAT_FAMILY || x->category == CAT_UNKNOWN) && !x->review)
		d->bad = 1;
	if (x->ref_len > LICDB_MAX_REF_TEXT)
		d->bad = 1;
	get_list(d, &x->hub_ids, nhub, SIZE_MAX);
	get_list(d, &x->aliases, nalias, SIZE_MAX);
	get_list(d, &x->hub_orgs, norg, SIZE_MAX);
	if (d->bad || nob > d->obs_left) {
		d->bad = 1;
		return;
	}
	x->obligations = nob ? d->obs : NULL;
	x->nobligations = nob;
	d->obs += nob;
	d->obs_left -= nob;
	for (size_t i = 0; i < nob && !d->bad; i++)
		get_obligation(d, &x->obligations[i]);
}

static void get_rule(struct dec *d, struct detect_rule *r)
{
	uint32_t nall, nany, nnone, nover;

	r->id = get_req(d);
	r->license = get_req(d);
	r->note = get_opt(d);
	r->path = get_req(d);
	r->kind = (enum rule_kind)get_enum(d, RULE_NOTICE + 1);
	r->line = get_line(d);
	nall = get_u32(d);
	nany = get_u32(d);
	nnone = get_u32(d);
	nover = get_u32(d);
	get(d, &r->confidence, sizeof(r->confidence));
	get(d, &r->similar_min, sizeof(r->similar_min));
	/* written so that NaN fails too */
	if (!(r->confidence > 0 && r->confidence <= 1))
		d->bad = 1;
	if (!(r->similar_min == 0 || (r->similar_min > 0 && r->similar_min <= 1)))
		d->bad = 1;
	get_list(d, &r->all, nall, LT_MAX_PHRASE_BYTES);
	get_list(d, &r->any, nany, LT_MAX_PHRASE_BYTES);
	get_list(d, &r->none, nnone, LT_MAX_PHRASE_BYTES);
	get_list(d, &r->overrides, nover, SIZE_MAX);
	if (!r->all.n && !r->any.n)
		d->bad = 1;
}

static void get_role(struct dec *d, struct role_rule *r)
{
	r->id = get_req(d);
	r->role = get_req(d);
	r->path = get_req(d);
	r->line = get_line(d);
	get_list(d, &r->names, get_u32(d), SIZE_MAX);
	if (!r->names.n)
		d->bad = 1;
}

static void get_finding(struct dec *d, struct finding_def *f)
{
	f->id = get_req(d);
	f->title = get_req(d);
	f->why = get_req(d);
	f->fix = get_req(d);
	f->path = get_req(d);
	f->severity = (enum severity)get_enum(d, SEV_ERROR + 1);
	f->line = get_line(d);
}

/* Reserve n objects of size bytes in a block being laid out; -1 on overflow. */
static int lay(size_t *total, size_t *off, size_t n, size_t size)
{
	size_t a = _Alignof(max_align_t), t;

	if (*total > SIZE_MAX - a)
		return -1;
	t = (*total + a - 1) / a * a;
	if (n && size > (SIZE_MAX - t) / n)
		return -1;
	*off = t;
	*total = t + n * size;
	return 0;
}

enum { A_LICP, A_LIC, A_RULEP, A_RULE, A_ROLEP, A_ROLE, A_FINDP, A_FIND, A_OBS, A_ITEMS, A__COUNT };

/* data is malloc'd, or a read-only mapping (mapped): never written either way. */
static int snap_decode(struct licensedb **out, char *data, size_t len,
		       const unsigned char fp[LICDB_FP_LEN], int mapped)
{
	const unsigned char *u = (const unsigned char *)data;
	struct licensedb *db = NULL;
	struct licdb_index *ix;
	struct dec d;
	uint32_t cnt[6], h32[6];
	uint64_t h64[2], need;
	size_t off[A__COUNT], total = 0;
	char *mem = NULL;
	static const size_t asize[A__COUNT] = {
		sizeof(struct licdef *), sizeof(struct licdef), sizeof(struct detect_rule *),
		sizeof(struct detect_rule), sizeof(struct role_rule *), sizeof(struct role_rule),
		sizeof(struct finding_def *), sizeof(struct finding_def), sizeof(struct obligation),
		sizeof(char *),
	};

	*out = NULL;
	memset(&d, 0, sizeof(d));
	/* the header, all of it before anything is trusted */
	if (!data || len < SNAP_HDR || len > SNAP_MAX_BYTES || memcmp(u, SNAP_MAGIC, 8) != 0)
		goto fail;
	memcpy(h32, u + 8, 2 * sizeof(uint32_t));
	memcpy(h64, u + 32, sizeof(h64));
	memcpy(h32 + 2, u + 48, 4 * sizeof(uint32_t));
	if (h32[0] != SNAP_VERSION || h32[1] != SNAP_BOM || memcmp(u + 16, fp, LICDB_FP_LEN) != 0)
		goto fail;
	/* offsets: records right after the header, strings right after the records, to the end */
	if (h64[0] != len || h32[2] != SNAP_HDR || h32[3] > len - SNAP_HDR ||
	    h32[4] != SNAP_HDR + (uint64_t)h32[3] || h32[5] != len - h32[4])
		goto fail;
	if (licdb_snap_hash(u + SNAP_HDR, len - SNAP_HDR, SEED_SUM) != h64[1])
		goto fail;
	d.p = u + SNAP_HDR;
	d.end = d.p + h32[3];
	d.strs = data + h32[4];
	d.nstrs = h32[5];
	for (int i = 0; i < 6; i++)
		cnt[i] = get_u32(&d);
	/* the counts must account for the records length exactly (u64: no overflow) */
	need = COUNTS_FIXED + (uint64_t)cnt[0] * LIC_FIXED + (uint64_t)cnt[1] * RULE_FIXED +
	       (uint64_t)cnt[2] * ROLE_FIXED + (uint64_t)cnt[3] * FIND_FIXED +
	       (uint64_t)cnt[4] * OB_FIXED + (uint64_t)cnt[5] * ITEM_FIXED;
	if (d.bad || need != h32[3] || cnt[0] == 0 || cnt[1] > LT_MAX_RULES)
		goto fail;
	for (int i = 0; i < A__COUNT; i++) {
		size_t n = i < A_OBS ? cnt[i / 2] : cnt[i - A_OBS + 4];
		if (lay(&total, &off[i], n, asize[i]) != 0)
			goto fail;
	}
	mem = calloc(1, total);
	db = calloc(1, sizeof(*db));
	ix = db ? licdb_index_new(db) : NULL;
	if (!mem || !ix)
		goto fail;
	ix->snap_file = data; /* from here licensedb_free(db) frees both blocks */
	ix->snap_len = len;
	ix->snap_mapped = mapped;
	ix->snap_recs = mem;
	data = NULL;
	/* pointer arrays pointing at the record arrays, as the YAML load's arrays do */
	db->lics = (struct licdef **)(mem + off[A_LICP]);
	for (size_t i = 0; i < cnt[0]; i++)
		db->lics[i] = (struct licdef *)(mem + off[A_LIC]) + i;
	db->rules = (struct detect_rule **)(mem + off[A_RULEP]);
	for (size_t i = 0; i < cnt[1]; i++)
		db->rules[i] = (struct detect_rule *)(mem + off[A_RULE]) + i;
	db->roles = (struct role_rule **)(mem + off[A_ROLEP]);
	for (size_t i = 0; i < cnt[2]; i++)
		db->roles[i] = (struct role_rule *)(mem + off[A_ROLE]) + i;
	db->findings = (struct finding_def **)(mem + off[A_FINDP]);
	for (size_t i = 0; i < cnt[3]; i++)
		db->findings[i] = (struct finding_def *)(mem + off[A_FIND]) + i;
	db->nlics = cnt[0];
	db->nrules = cnt[1];
	db->nroles = cnt[2];
	db->nfindings = cnt[3];
	d.obs = (struct obligation *)(mem + off[A_OBS]);
	d.obs_left = cnt[4];
	d.items = (char **)(mem + off[A_ITEMS]);
	d.items_left = cnt[5];
	mem = NULL;
	for (size_t i = 0; i < db->nlics && !d.bad; i++)
		get_lic(&d, db->lics[i]);
	for (size_t i = 0; i < db->nrules && !d.bad; i++)
		get_rule(&d, db->rules[i]);
	for (size_t i = 0; i < db->nroles && !d.bad; i++)
		get_role(&d, db->roles[i]);
	for (size_t i = 0; i < db->nfindings && !d.bad; i++)
		get_finding(&d, db->findings[i]);
	if (d.bad || d.p != d.end || d.items_left || d.obs_left)
		goto fail;
	/* the same indexes and rule->lic resolution as a YAML load; any problem it
	 * finds (unknown license, clashing names) means the snapshot is not one we wrote */
	licdb_build_index(db);
	if (db->problems.n)
		goto fail;
	*out = db;
	return 0;
fail:
	licensedb_free(db);
	free(mem);
	if (mapped)
		lt_unmap(data, len);
	else
		free(data);
	return LT_EPARSE;
}

int licdb_snap_decode(struct licensedb **out, char *data, size_t len,
		      const unsigned char fp[LICDB_FP_LEN])
{
	return snap_decode(out, data, len, fp, 0);
}

int licdb_snap_decode_mapped(struct licensedb **out, void *map, size_t len,
			     const unsigned char fp[LICDB_FP_LEN])
{
	return snap_decode(out, map, len, fp, 1);
}

void licdb_snap_reseal(char *data, size_t len)
{
	if (data && len >= SNAP_HDR)
		snap_set_u64((unsigned char *)data + 40,
			licdb_snap_hash(data + SNAP_HDR, len - SNAP_HDR, SEED_SUM));
}

int licdb_from_snapshot(const struct licensedb *db)
{
	const struct licdb_index *ix = db ? db->index_ : NULL;

	return ix && ix->snap_file;
}
