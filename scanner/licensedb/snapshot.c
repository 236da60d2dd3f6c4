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
 * The file layout is in snap_format.h; snap_encode.c writes it and
 * snap_decode.c reads it back. This file fingerprints the inputs and keeps the
 * snapshot folder.
 */
#include "licensedb.h"
#include "snapshot.h"
#include "snap_format.h"
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
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

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
/* A temporary file whose writer's pid still runs is removed once this old: by
 * then the pid has been reused (writing a snapshot takes milliseconds). */
#define SNAP_STALE_TMP_SEC 3600
/* Entries of a folder looked at when sweeping temporary files. */
#define SNAP_SWEEP_SCAN 1000

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

/* --- the snapshot folder --- */

int licdb_read_owned(const char *path, size_t min, size_t max, int installed, char **out,
		     size_t *len)
{
	size_t size = 0, got = 0;
	int fd = lt_open_owned(path, min ? min : 1, max, installed, &size);
	char *data = NULL;

	*out = NULL;
	if (fd < 0)
		return LT_ENOTFOUND;
	if (!(data = malloc(size + 1)))
		goto fail;
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		got += (size_t)n;
	}
	data[size] = '\0';
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

/* "licensedb-" + 32 hex digits + ".bin", the len bytes at s */
static int is_snapshot_name_n(const char *s, size_t len)
{
	if (len != 10 + 2 * LICDB_FP_LEN + 4 || strncmp(s, "licensedb-", 10) != 0)
		return 0;
	s += 10;
	for (int i = 0; i < 2 * LICDB_FP_LEN; i++, s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return strncmp(s, ".bin", 4) == 0;
}

static int is_snapshot_name(const char *s)
{
	return is_snapshot_name_n(s, strlen(s));
}

/* lt_write_atomic()'s temporary name "<base>.tmp.<pid>" with ours(base): *pid
 * gets the number (decimal digits only, no sign, no leading zero). */
static int temp_name(const char *name, int (*ours)(const char *base, size_t len), long *pid)
{
	const char *t = strstr(name, ".tmp."), *d;
	long v = 0;

	if (!t || !ours(name, (size_t)(t - name)))
		return 0;
	d = t + 5;
	if (*d < '1' || *d > '9')
		return 0;
	for (; *d; d++) {
		if (*d < '0' || *d > '9' || v > 100000000L)
			return 0;
		v = v * 10 + (*d - '0');
	}
	*pid = v;
	return 1;
}

int licdb_sweep_temp(const char *dir, int (*ours)(const char *base, size_t len))
{
	struct timespec now;
	struct dirent *e;
	size_t seen = 0;
	int fd, n = 0;
	DIR *d;

	if (!dir || !dir[0] || clock_gettime(CLOCK_REALTIME, &now) != 0)
		return 0;
	/* a folder that is a link is not ours to clean */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return 0;
	}
	while ((e = readdir(d)) && seen++ < SNAP_SWEEP_SCAN) {
		struct stat st;
		long pid;

		if (!temp_name(e->d_name, ours, &pid))
			continue;
		/* lstat: a link with our name is neither followed nor removed; only our
		 * own plain files go */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid())
			continue;
		/* written before this sweep began, not by us, and by a writer that is gone
		 * (or so long ago that its pid must have been reused) */
		if (st.st_mtim.tv_sec > now.tv_sec ||
		    (st.st_mtim.tv_sec == now.tv_sec && st.st_mtim.tv_nsec >= now.tv_nsec) ||
		    pid == (long)getpid() ||
		    (!lt_pid_gone(pid) && now.tv_sec - st.st_mtim.tv_sec < SNAP_STALE_TMP_SEC))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	return n;
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

/* Keep the SNAP_KEEP newest snapshots (counting keep, just written). Best effort. */
static void prune(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct old_snap *v = NULL;
	size_t n = 0, seen = 0;

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
	char *path = NULL;
	void *map = NULL;
	long long newest;
	struct timespec start;
	size_t len = 0;
	int rc;

	if (!snapshot_dir || !snapshot_dir[0])
		return licensedb_load(out, roots, nroots, err);
	/* temporary files of runs killed while writing a snapshot (one small folder) */
	licdb_sweep_temp(snapshot_dir, is_snapshot_name_n);
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
	if (path && lt_map_owned(path, SNAP_HDR, SNAP_MAX_BYTES, 0, &map, &len) == 0 &&
	    licdb_snap_decode_mapped(out, map, len, fp) == 0) {
		lt_strlcpy((*out)->snapshot_id, hex, sizeof((*out)->snapshot_id));
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
