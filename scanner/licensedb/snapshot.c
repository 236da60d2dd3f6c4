/*
 * snapshot.c - a binary snapshot of a loaded license database, so that a process
 * that classifies one file (the pre-commit hook) does not parse ~300 KB of YAML
 * on every start; see licensedb_load_cached() in licensedb.h.
 *
 * The snapshot is a cache and never the authority. It is written only after a
 * YAML load with no problems; it is named after a fingerprint of every input
 * file (name, size, mtime, ctime, inode, device, mode) and of the build; and a
 * snapshot that fails any check below is ignored: the YAML is loaded and the
 * snapshot rewritten. Every count, offset and length in the file is checked
 * against the bytes that are really there before it is used, and the decoded
 * records are held to what a problem-free YAML load guarantees (required
 * fields present, enums in range, phrase lengths, references resolved), since
 * the rest of lictrace relies on that. The checksum only catches accidents:
 * anyone who can write the cache folder can forge a snapshot, which is why the
 * folder is created 0700 and a snapshot must belong to the current user.
 *
 * File layout (native byte order; the byte-order mark rejects a foreign one):
 *
 *   header, 64 bytes
 *     0  char[8] magic "LTDBSNAP"       8  u32 format version (SNAP_VERSION)
 *    12  u32 byte-order mark 0x01020304 16  u8[16] fingerprint of the inputs
 *    32  u64 file length                40  u64 checksum of bytes [64, length)
 *    48  u32 records offset (64)        52  u32 records length
 *    56  u32 string table offset        60  u32 string table length (to the end)
 *   records
 *     six u32 counts: licenses, detect rules, role rules, findings, obligations
 *     in all, list items in all; then the licenses, detect rules, role rules
 *     and findings in database order. Each record is a fixed part followed by
 *     its list items (and a license by its obligations); the put_ and get_
 *     functions below are the exact field order. A string is a u32 offset into
 *     the string table and a u32 length (offset 0xffffffff = NULL); byte
 *     [offset + length] of the table must be NUL. Integers are u32 (u64 for an
 *     obligation's value), confidences IEEE doubles.
 *   string table
 *     NUL-terminated strings; repeated strings (file paths) are stored once.
 *
 * Because each fixed part has a known size, the six counts give the records
 * length exactly; that equation is checked before anything is allocated, and
 * the per-record counts must add up to the totals.
 *
 * Loading costs one read of the file and one allocation for all records: the
 * strings are used in place in the file buffer, which the database keeps.
 */
#include "licensedb.h"
#include "snapshot.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "core/path.h"
#include "core/str.h"
#include "core/strmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

/* Bump whenever the layout changes or the loader reads the YAML differently
 * (defaults, validation); the fingerprint includes it. */
#define SNAP_VERSION 2u
#define SNAP_MAGIC "LTDBSNAP"
#define SNAP_BOM 0x01020304u
#define SNAP_HDR 64u
/* The built-in data makes a ~300 KiB snapshot. A file over 16 MiB in the cache
 * folder is not one of ours; refusing it before allocating bounds the memory a
 * corrupt or planted file can cost. */
#define SNAP_MAX_BYTES (16u * 1024u * 1024u)
/* Files per data folder that go into the fingerprint; real data has < 1000. A
 * folder with more is not license data, and the YAML load deals with it. */
#define SNAP_MAX_FILES 100000
/* An input modified this recently may be modified again within the same
 * timestamp tick (coarse kernel clocks; 2 s on FAT) without changing the
 * fingerprint, so no snapshot is written from it (git's "racy" entries). An
 * mtime in the future (clock skew) therefore never gets a snapshot. */
#define SNAP_RACY_SEC 2
/* Snapshots kept in the folder: one per data configuration and build; older
 * ones are deleted when a new one is written so the cache cannot grow forever. */
#define SNAP_KEEP 8
/* Entries of the snapshot folder looked at when pruning. */
#define SNAP_PRUNE_SCAN 1000
/* A temporary file this old was left by a writer that died. */
#define SNAP_STALE_TMP_SEC 3600

#define SEED_FP_A 0x6c69637472616365ULL /* "lictrace" */
#define SEED_FP_B 0x736e617073686f74ULL /* "snapshot" */
#define SEED_SUM 0x6c6963656e736573ULL  /* "licenses" */

#define STR_NONE 0xffffffffu
/* Bytes of each record's fixed part (strings are 8 bytes: offset + length). */
#define COUNTS_FIXED (6 * 4)
#define LIC_FIXED (17 * 8 + 7 * 4)
#define OB_FIXED (3 * 4 + 8 + 6 * 8)
#define RULE_FIXED (4 * 8 + 6 * 4 + 2 * 8)
#define ROLE_FIXED (3 * 8 + 2 * 4)
#define FIND_FIXED (5 * 8 + 2 * 4)
#define ITEM_FIXED 8

/* --- hash --- */

#define H1 0x9e3779b185ebca87ULL
#define H2 0xc2b2ae3d27d4eb4fULL
#define H3 0x165667b19e3779f9ULL
#define H4 0x85ebca77c2b2ae63ULL
#define H5 0x27d4eb2f165667c5ULL

static uint64_t rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t mix(uint64_t acc, uint64_t lane)
{
	return rotl64(acc + lane * H2, 31) * H1;
}

uint64_t licdb_snap_hash(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	size_t left = n;
	uint64_t h;

	if (left >= 32) {
		/* four independent lanes so the multiplies overlap: ~0.5 instructions a byte */
		uint64_t a = seed + H1 + H2, b = seed + H2, c = seed, d = seed - H1;

		for (; left >= 32; p += 32, left -= 32) {
			a = mix(a, load64(p));
			b = mix(b, load64(p + 8));
			c = mix(c, load64(p + 16));
			d = mix(d, load64(p + 24));
		}
		h = rotl64(a, 1) + rotl64(b, 7) + rotl64(c, 12) + rotl64(d, 18);
		h = (h ^ mix(0, a)) * H1 + H4;
		h = (h ^ mix(0, b)) * H1 + H4;
		h = (h ^ mix(0, c)) * H1 + H4;
		h = (h ^ mix(0, d)) * H1 + H4;
	} else {
		h = seed + H5;
	}
	h += (uint64_t)n;
	for (; left >= 8; p += 8, left -= 8)
		h = rotl64(h ^ mix(0, load64(p)), 27) * H1 + H4;
	for (; left; p++, left--)
		h = rotl64(h ^ (*p * H5), 11) * H1;
	h ^= h >> 33;
	h *= H2;
	h ^= h >> 29;
	h *= H3;
	h ^= h >> 32;
	return h;
}

/* --- fingerprint --- */

struct fp_ent {
	char *name;
	uint64_t f[8];
};

static int cmp_ent(const void *a, const void *b)
{
	return strcmp(((const struct fp_ent *)a)->name, ((const struct fp_ent *)b)->name);
}

/* The names licensedb.c's list_yaml() loads. */
static int is_yaml(const char *name)
{
	return name[0] != '.' && (lt_ends_with(name, ".yaml") || lt_ends_with(name, ".yml"));
}

static void newer(struct timespec *newest, const struct timespec *t)
{
	if (t->tv_sec > newest->tv_sec || (t->tv_sec == newest->tv_sec && t->tv_nsec > newest->tv_nsec))
		*newest = *t;
}

/* Append ROOT/sub's entries (the YAML files, or all but . and ..) in name order.
 * Names cannot hold '/', so "/absent" cannot be mistaken for an entry. */
static int fp_dir(struct buf *b, const char *root, const char *sub, int yaml_only,
		  struct timespec *newest)
{
	char *dir = path_join(root, sub);
	DIR *d = NULL;
	struct dirent *e;
	struct fp_ent *ents = NULL;
	size_t n = 0, cap = 0;
	uint64_t count;
	int rc = 0;

	if (!dir)
		return LT_ENOMEM;
	buf_add(b, sub, strlen(sub) + 1);
	d = opendir(dir);
	if (!d) { /* the loader skips a folder it cannot open, so it is an input state too */
		buf_adds(b, "/absent");
		goto done;
	}
	while ((e = readdir(d))) {
		const char *nm = e->d_name;
		struct stat st;

		if (yaml_only ? !is_yaml(nm) : (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0))
			continue;
		if (n == SNAP_MAX_FILES) {
			rc = LT_ETOOBIG;
			goto done;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct fp_ent *p = realloc(ents, ncap * sizeof(*p));
			if (!p) {
				rc = LT_ENOMEM;
				goto done;
			}
			ents = p;
			cap = ncap;
		}
		if (fstatat(dirfd(d), nm, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = LT_EIO; /* vanished while we looked: no snapshot this time */
			goto done;
		}
		ents[n].name = lt_strdup(nm);
		if (!ents[n].name) {
			rc = LT_ENOMEM;
			goto done;
		}
		ents[n].f[0] = (uint64_t)st.st_size;
		ents[n].f[1] = (uint64_t)st.st_mtim.tv_sec;
		ents[n].f[2] = (uint64_t)st.st_mtim.tv_nsec;
		ents[n].f[3] = (uint64_t)st.st_ctim.tv_sec;
		ents[n].f[4] = (uint64_t)st.st_ctim.tv_nsec;
		ents[n].f[5] = (uint64_t)st.st_ino;
		ents[n].f[6] = (uint64_t)st.st_dev;
		ents[n].f[7] = (uint64_t)st.st_mode;
		newer(newest, &st.st_mtim);
		n++;
	}
	if (n)
		qsort(ents, n, sizeof(*ents), cmp_ent);
	for (size_t i = 0; i < n; i++) {
		buf_add(b, ents[i].name, strlen(ents[i].name) + 1);
		buf_add(b, ents[i].f, sizeof(ents[i].f));
	}
	count = n;
	buf_adds(b, "/count");
	buf_add(b, &count, sizeof(count));
done:
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
	free(dir);
	return rc;
}

int licdb_snap_fingerprint(unsigned char fp[LICDB_FP_LEN], long long *newest_mtime,
			   const char *const *roots, size_t nroots)
{
	struct buf b;
	struct timespec newest = { 0, 0 };
	struct stat st;
	uint64_t build[20] = { 0 }, h, nr = nroots;
	int rc = 0;

	buf_init(&b, SNAP_MAX_BYTES);
	/* The build: a rebuilt lictrace may read the YAML differently or lay out its
	 * structs differently, so it never trusts an older build's snapshot. */
	build[0] = SNAP_VERSION;
	build[1] = sizeof(struct licdef);
	build[2] = sizeof(struct obligation);
	build[3] = sizeof(struct detect_rule);
	build[4] = sizeof(struct role_rule);
	build[5] = sizeof(struct finding_def);
	build[6] = sizeof(struct strlist);
	build[7] = sizeof(void *);
	build[8] = sizeof(size_t);
	build[9] = sizeof(double);
	build[10] = CAT__COUNT;
	build[11] = OB__COUNT;
	build[12] = LT_MAX_PHRASE_BYTES;
	build[13] = LT_MAX_RULES;
	build[14] = LICDB_MAX_REF_TEXT;
	if (stat("/proc/self/exe", &st) == 0) {
		build[15] = (uint64_t)st.st_dev;
		build[16] = (uint64_t)st.st_ino;
		build[17] = (uint64_t)st.st_size;
		build[18] = (uint64_t)st.st_mtim.tv_sec;
		build[19] = (uint64_t)st.st_mtim.tv_nsec;
	}
	buf_add(&b, SNAP_MAGIC, sizeof(SNAP_MAGIC));
	buf_add(&b, build, sizeof(build));
#ifdef LT_VERSION
	buf_add(&b, LT_VERSION, sizeof(LT_VERSION));
#endif
	buf_add(&b, &nr, sizeof(nr));
	for (size_t i = 0; i < nroots && !rc; i++) {
		/* the root as given: it is part of every record's path */
		buf_add(&b, roots[i], strlen(roots[i]) + 1);
		rc = fp_dir(&b, roots[i], "licenses", 1, &newest);
		if (!rc)
			rc = fp_dir(&b, roots[i], "licenses/texts", 0, &newest);
		if (!rc)
			rc = fp_dir(&b, roots[i], "rules", 1, &newest);
	}
	if (!rc)
		rc = buf_error(&b);
	if (!rc) {
		h = licdb_snap_hash(b.data, b.len, SEED_FP_A);
		memcpy(fp, &h, sizeof(h));
		h = licdb_snap_hash(b.data, b.len, SEED_FP_B);
		memcpy(fp + sizeof(h), &h, sizeof(h));
		*newest_mtime = (long long)newest.tv_sec;
	}
	buf_release(&b);
	return rc;
}

/* --- encoding --- */

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

static void set_u32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void set_u64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
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
	set_u32(hdr + 8, SNAP_VERSION);
	set_u32(hdr + 12, SNAP_BOM);
	memcpy(hdr + 16, fp, LICDB_FP_LEN);
	set_u64(hdr + 32, total);
	set_u32(hdr + 48, SNAP_HDR);
	set_u32(hdr + 52, (uint32_t)e.recs.len);
	set_u32(hdr + 56, (uint32_t)(SNAP_HDR + e.recs.len));
	set_u32(hdr + 60, (uint32_t)e.strs.len);
	buf_add(out, hdr, sizeof(hdr));
	buf_add(out, e.recs.data, e.recs.len);
	buf_add(out, e.strs.data, e.strs.len);
	if ((rc = buf_error(out)))
		goto done;
	set_u64((unsigned char *)out->data + start + 40,
		licdb_snap_hash(out->data + start + SNAP_HDR, total - SNAP_HDR, SEED_SUM));
done:
	buf_release(&e.recs);
	buf_release(&e.strs);
	strmap_release(&e.seen);
	return rc;
}

/* --- decoding --- */

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

int licdb_snap_decode(struct licensedb **out, char *data, size_t len,
		      const unsigned char fp[LICDB_FP_LEN])
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
	free(data);
	return LT_EPARSE;
}

void licdb_snap_reseal(char *data, size_t len)
{
	if (data && len >= SNAP_HDR)
		set_u64((unsigned char *)data + 40,
			licdb_snap_hash(data + SNAP_HDR, len - SNAP_HDR, SEED_SUM));
}

int licdb_from_snapshot(const struct licensedb *db)
{
	const struct licdb_index *ix = db ? db->index_ : NULL;

	return ix && ix->snap_file;
}

/* --- the snapshot folder --- */

/* Read a whole snapshot: a regular file of ours no larger than the cap, in one read. */
static int read_snapshot(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	char *data = NULL;
	size_t size, got = 0;

	*out = NULL;
	if (fd < 0)
		return LT_ENOTFOUND;
	/* someone else's file (a shared or planted folder) is not our cache */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size < (off_t)SNAP_HDR || st.st_size > (off_t)SNAP_MAX_BYTES)
		goto fail;
	size = (size_t)st.st_size;
	data = malloc(size);
	if (!data)
		goto fail;
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		got += (size_t)n;
	}
	close(fd);
	*out = data;
	*len = size;
	return 0;
fail:
	free(data);
	close(fd);
	return LT_EIO;
}

/* mkdir -p, each new folder 0700: the cache holds what lictrace will believe. */
static int make_dirs(const char *dir)
{
	struct stat st;
	char *p;
	int rc = 0;

	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : LT_EIO;
	p = lt_strdup(dir);
	if (!p)
		return LT_ENOMEM;
	for (char *s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				rc = LT_EIO;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

/* "licensedb-" + 32 hex digits + ".bin" */
static int is_snapshot_name(const char *s)
{
	if (!lt_starts_with(s, "licensedb-"))
		return 0;
	s += 10;
	for (int i = 0; i < 2 * LICDB_FP_LEN; i++, s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return strcmp(s, ".bin") == 0;
}

struct old_snap {
	char *name;
	struct timespec mtime;
};

static int cmp_newest_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct old_snap *)a)->mtime;
	const struct timespec *y = &((const struct old_snap *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec > y->tv_sec ? -1 : 1;
	if (x->tv_nsec != y->tv_nsec)
		return x->tv_nsec > y->tv_nsec ? -1 : 1;
	return 0;
}

/* Keep the SNAP_KEEP newest snapshots (counting keep, just written) and drop
 * temporary files of writers that died. Best effort. */
static void prune(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct old_snap *v = NULL;
	size_t n = 0, seen = 0;
	time_t now = time(NULL);

	if (!d)
		return;
	v = calloc(SNAP_PRUNE_SCAN, sizeof(*v));
	while (v && (e = readdir(d)) && seen++ < SNAP_PRUNE_SCAN) {
		struct stat st;

		if (!lt_starts_with(e->d_name, "licensedb-") || strcmp(e->d_name, keep) == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (is_snapshot_name(e->d_name)) {
			v[n].name = lt_strdup(e->d_name);
			v[n].mtime = st.st_mtim;
			if (v[n].name)
				n++;
		} else if (strstr(e->d_name, ".bin.tmp.") && st.st_mtime < now - SNAP_STALE_TMP_SEC) {
			unlinkat(dirfd(d), e->d_name, 0);
		}
	}
	if (n >= SNAP_KEEP) {
		qsort(v, n, sizeof(*v), cmp_newest_first);
		for (size_t i = SNAP_KEEP - 1; i < n; i++)
			unlinkat(dirfd(d), v[i].name, 0);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	closedir(d);
}

static void write_snapshot(const char *dir, const char *path, const struct licensedb *db,
			   const unsigned char fp[LICDB_FP_LEN])
{
	struct buf b;
	struct lt_error ignored;

	buf_init(&b, SNAP_MAX_BYTES);
	if (licdb_snap_encode(&b, db, fp) == 0 && make_dirs(dir) == 0 &&
	    lt_write_atomic(path, b.data, b.len, &ignored) == 0)
		prune(dir, path_basename(path));
	buf_release(&b);
}

int licensedb_load_cached(struct licensedb **out, const char *const *roots, size_t nroots,
			  const char *snapshot_dir, struct lt_error *err)
{
	unsigned char fp[LICDB_FP_LEN], fp2[LICDB_FP_LEN];
	char hex[2 * LICDB_FP_LEN + 1];
	char *path = NULL, *data = NULL;
	long long newest;
	struct timespec start;
	size_t len = 0;
	int rc;

	if (!snapshot_dir || !snapshot_dir[0])
		return licensedb_load(out, roots, nroots, err);
	/* taken before anything is read: an input is racy unless its mtime is older */
	if (clock_gettime(CLOCK_REALTIME, &start) != 0 ||
	    licdb_snap_fingerprint(fp, &newest, roots, nroots) != 0)
		return licensedb_load(out, roots, nroots, err);
	for (int i = 0; i < LICDB_FP_LEN; i++) {
		hex[2 * i] = "0123456789abcdef"[fp[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[fp[i] & 15];
	}
	hex[2 * LICDB_FP_LEN] = '\0';
	path = lt_asprintf("%s/licensedb-%s.bin", snapshot_dir, hex);
	if (path && read_snapshot(path, &data, &len) == 0 &&
	    licdb_snap_decode(out, data, len, fp) == 0) {
		free(path);
		return 0;
	}
	/* missing, foreign or damaged: the YAML decides, and the snapshot is (re)written */
	rc = licensedb_load(out, roots, nroots, err);
	if (rc == 0 && path && newest < (long long)start.tv_sec - SNAP_RACY_SEC &&
	    licdb_snap_fingerprint(fp2, &newest, roots, nroots) == 0 &&
	    memcmp(fp, fp2, sizeof(fp)) == 0)
		write_snapshot(snapshot_dir, path, *out, fp);
	free(path);
	return rc;
}
