/*
 * snap_encode.c - writing a license database as a snapshot (licdb_snap_encode
 * in snapshot.h): each record's fixed part, then its lists, strings interned in
 * one table. The layout is in snap_format.h; snap_decode.c reads the fields in
 * exactly this order.
 */
#include "licensedb.h"
#include "snapshot.h"
#include "snap_format.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "core/strmap.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct enc {
	struct buf recs, strs;
	struct strmap seen; /* path -> its table offset + 1, so a path is stored once */
	int err;
};

static void put(struct enc *e, const void *p, size_t n)
{
	buf_add(&e->recs, p, n);
}

static void put_u32(struct enc *e, uint32_t v)
{
	put(e, &v, sizeof(v));
}

static void put_count(struct enc *e, size_t v)
{
	if (v > UINT32_MAX)
		e->err = LT_ETOOBIG;
	put_u32(e, (uint32_t)v);
}

static void put_int(struct enc *e, int v)
{
	if (v < 0)
		e->err = LT_EINVAL;
	put_u32(e, (uint32_t)v);
}

static void put_u64(struct enc *e, uint64_t v)
{
	put(e, &v, sizeof(v));
}

static void put_f64(struct enc *e, double v)
{
	put(e, &v, sizeof(v));
}

static void put_strn(struct enc *e, const char *s, size_t len, int shared)
{
	uint32_t ref[2] = { STR_NONE, 0 };
	void *seen = s && shared ? strmap_get(&e->seen, s) : NULL;

	if (seen) {
		ref[0] = (uint32_t)((uintptr_t)seen - 1);
		ref[1] = (uint32_t)len;
	} else if (s) {
		if (e->strs.len >= STR_NONE || len >= STR_NONE - e->strs.len) {
			e->err = LT_ETOOBIG;
			return;
		}
		ref[0] = (uint32_t)e->strs.len;
		ref[1] = (uint32_t)len;
		buf_add(&e->strs, s, len);
		buf_addc(&e->strs, '\0');
		if (shared)
			strmap_put(&e->seen, s, (void *)((uintptr_t)ref[0] + 1)); /* failure: stored twice */
	}
	put(e, ref, sizeof(ref));
}

static void put_str(struct enc *e, const char *s)
{
	put_strn(e, s, s ? strlen(s) : 0, 0);
}

/* Records' file paths repeat (every rule of a file): stored once. */
static void put_path(struct enc *e, const char *s)
{
	put_strn(e, s, s ? strlen(s) : 0, 1);
}

static void put_items(struct enc *e, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		put_str(e, l->v[i]);
}

static void put_lic(struct enc *e, const struct licdef *d)
{
	put_str(e, d->id);
	put_str(e, d->name);
	put_str(e, d->spdx);
	put_str(e, d->family);
	put_str(e, d->version);
	put_str(e, d->date);
	put_str(e, d->licensor);
	put_str(e, d->law);
	put_str(e, d->venue);
	put_str(e, d->url);
	put_str(e, d->text_file);
	put_str(e, d->summary);
	put_str(e, d->derivatives_note);
	put_str(e, d->verified_source);
	put_str(e, d->verified_date);
	put_path(e, d->path);
	put_strn(e, d->ref_text, d->ref_text ? d->ref_len : 0, 0); /* may hold NULs */
	put_u32(e, (uint32_t)d->category);
	put_int(e, d->review);
	put_u32(e, (uint32_t)d->relicense);
	put_count(e, d->hub_ids.n);
	put_count(e, d->aliases.n);
	put_count(e, d->hub_orgs.n);
	put_count(e, d->nobligations);
	put_items(e, &d->hub_ids);
	put_items(e, &d->aliases);
	put_items(e, &d->hub_orgs);
	for (size_t i = 0; i < d->nobligations; i++) {
		const struct obligation *o = &d->obligations[i];
		put_u32(e, (uint32_t)o->kind);
		put_int(e, o->flows);
		put_count(e, o->territories.n);
		put_u64(e, o->value);
		put_str(e, o->text);
		put_str(e, o->url);
		put_str(e, o->period);
		put_str(e, o->scope);
		put_str(e, o->note);
		put_str(e, o->clause);
		put_items(e, &o->territories);
	}
}

static void put_rule(struct enc *e, const struct detect_rule *r)
{
	put_str(e, r->id);
	put_str(e, r->license);
	put_str(e, r->note);
	put_path(e, r->path);
	put_u32(e, (uint32_t)r->kind);
	put_int(e, r->line);
	put_count(e, r->all.n);
	put_count(e, r->any.n);
	put_count(e, r->none.n);
	put_count(e, r->overrides.n);
	put_f64(e, r->confidence);
	put_f64(e, r->similar_min);
	put_items(e, &r->all);
	put_items(e, &r->any);
	put_items(e, &r->none);
	put_items(e, &r->overrides);
}

static void put_role(struct enc *e, const struct role_rule *r)
{
	put_str(e, r->id);
	put_str(e, r->role);
	put_path(e, r->path);
	put_int(e, r->line);
	put_count(e, r->names.n);
	put_items(e, &r->names);
}

static void put_finding(struct enc *e, const struct finding_def *f)
{
	put_str(e, f->id);
	put_str(e, f->title);
	put_str(e, f->why);
	put_str(e, f->fix);
	put_path(e, f->path);
	put_u32(e, (uint32_t)f->severity);
	put_int(e, f->line);
}

int licdb_snap_encode(struct buf *out, const struct licensedb *db,
		      const unsigned char fp[LICDB_FP_LEN])
{
	struct enc e;
	unsigned char hdr[SNAP_HDR];
	size_t nobs = 0, nitems = 0, start = out->len, total;
	int rc = 0;

	memset(&e, 0, sizeof(e));
	buf_init(&e.recs, SNAP_MAX_BYTES);
	buf_init(&e.strs, SNAP_MAX_BYTES);
	strmap_init(&e.seen);
	for (size_t i = 0; i < db->nlics; i++) {
		const struct licdef *d = db->lics[i];
		nitems += d->hub_ids.n + d->aliases.n + d->hub_orgs.n;
		nobs += d->nobligations;
		for (size_t j = 0; j < d->nobligations; j++)
			nitems += d->obligations[j].territories.n;
	}
	for (size_t i = 0; i < db->nrules; i++) {
		const struct detect_rule *r = db->rules[i];
		nitems += r->all.n + r->any.n + r->none.n + r->overrides.n;
	}
	for (size_t i = 0; i < db->nroles; i++)
		nitems += db->roles[i]->names.n;
	put_count(&e, db->nlics);
	put_count(&e, db->nrules);
	put_count(&e, db->nroles);
	put_count(&e, db->nfindings);
	put_count(&e, nobs);
	put_count(&e, nitems);
	for (size_t i = 0; i < db->nlics; i++)
		put_lic(&e, db->lics[i]);
	for (size_t i = 0; i < db->nrules; i++)
		put_rule(&e, db->rules[i]);
	for (size_t i = 0; i < db->nroles; i++)
		put_role(&e, db->roles[i]);
	for (size_t i = 0; i < db->nfindings; i++)
		put_finding(&e, db->findings[i]);
	if ((rc = e.err) || (rc = buf_error(&e.recs)) || (rc = buf_error(&e.strs)))
		goto done;
	total = SNAP_HDR + e.recs.len + e.strs.len;
	if (e.recs.len > SNAP_MAX_BYTES || e.strs.len > SNAP_MAX_BYTES || total > SNAP_MAX_BYTES) {
		rc = LT_ETOOBIG;
		goto done;
	}
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, SNAP_MAGIC, 8);
	snap_set_u32(hdr + 8, SNAP_VERSION);
	snap_set_u32(hdr + 12, SNAP_BOM);
	memcpy(hdr + 16, fp, LICDB_FP_LEN);
	snap_set_u64(hdr + 32, total);
	snap_set_u32(hdr + 48, SNAP_HDR);
	snap_set_u32(hdr + 52, (uint32_t)e.recs.len);
	snap_set_u32(hdr + 56, (uint32_t)(SNAP_HDR + e.recs.len));
	snap_set_u32(hdr + 60, (uint32_t)e.strs.len);
	buf_add(out, hdr, sizeof(hdr));
	buf_add(out, e.recs.data, e.recs.len);
	buf_add(out, e.strs.data, e.strs.len);
	if ((rc = buf_error(out)))
		goto done;
	snap_set_u64((unsigned char *)out->data + start + 40,
		licdb_snap_hash(out->data + start + SNAP_HDR, total - SNAP_HDR, SEED_SUM));
done:
	buf_release(&e.recs);
	buf_release(&e.strs);
	strmap_release(&e.seen);
	return rc;
}
