/*
 * installed.c - the data version and the install-time snapshot; see installed.h.
 *
 * The snapshot is the same format as the cache's (snapshot.c encodes and decodes
 * it, with every check of its format comment); only the fingerprint differs: for
 * installed data it covers the lictrace version, the data root and the data
 * version from the manifest, not the metadata of every input file. The manifest
 * and the snapshot are written together at build time and installed together.
 */
#include "installed.h"
#include "licensedb.h"
#include "snapshot.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/path.h"
#include "core/str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

/* One data file read for the version: reference texts are capped lower by the
 * loader, YAML files lower still; this only bounds the work. */
#define VER_MAX_FILE (4u * 1024u * 1024u)
/* Files per data folder; real data has < 1000 (the loader's own cap is lower). */
#define VER_MAX_FILES 100000
/* The listing hashed for the version: names, sizes and per-file hashes. */
#define VER_MAX_LISTING (64u * 1024u * 1024u)
/* A snapshot file; the built-in data makes ~300 KiB. */
#define INST_MAX_SNAPSHOT (16u * 1024u * 1024u)
/* The manifest: the version and a newline. */
#define INST_MAX_MANIFEST 64

#define SEED_VER 0x6461746176657273ULL  /* "dataversn" */
#define SEED_INST_A 0x696e7374616c6c61ULL /* "installa" */
#define SEED_INST_B 0x696e7374616c6c62ULL /* "installb" */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names licensedb_load() reads from a folder (as snapshot.c's fingerprint). */
static int wanted(const char *name, int yaml_only)
{
	if (!yaml_only)
		return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
	return name[0] != '.' && (lt_ends_with(name, ".yaml") || lt_ends_with(name, ".yml"));
}

/* Append ROOT/sub's wanted files to out in name order: name, size, content hash. */
static int ver_dir(struct buf *out, const char *root, const char *sub, int yaml_only,
		   struct lt_error *err)
{
	char *dir = path_join(root, sub);
	DIR *d = NULL;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct buf f;
	int rc = 0;

	buf_init(&f, VER_MAX_FILE);
	if (!dir)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	buf_add(out, sub, strlen(sub) + 1);
	d = opendir(dir);
	if (!d) { /* as the loader: a folder it cannot open is no data */
		buf_adds(out, "/absent");
		goto done;
	}
	while ((e = readdir(d))) {
		if (!wanted(e->d_name, yaml_only))
			continue;
		if (n == VER_MAX_FILES) {
			rc = lt_error_set(err, LT_ETOOBIG, dir, 0, "too many files");
			goto done;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **p = realloc(names, ncap * sizeof(*p));
			if (!p) {
				rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
				goto done;
			}
			names = p;
			cap = ncap;
		}
		if (!(names[n] = lt_strdup(e->d_name))) {
			rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
			goto done;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && !rc; i++) {
		char *p = path_join(dir, names[i]);
		uint64_t rec[2];

		buf_reset(&f);
		if (!p)
			rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		else if ((rc = lt_read_file(&f, p, VER_MAX_FILE, err)) == 0) {
			rec[0] = (uint64_t)f.len;
			rec[1] = licdb_snap_hash(f.data, f.len, SEED_VER);
			buf_add(out, names[i], strlen(names[i]) + 1);
			buf_add(out, rec, sizeof(rec));
		}
		free(p);
	}
	buf_adds(out, "/end");
done:
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	buf_release(&f);
	return rc;
}

int licensedb_data_version(char out[LICDB_DATA_VERSION_LEN + 1], const char *root,
			   struct lt_error *err)
{
	struct buf b;
	uint64_t h;
	int rc;

	buf_init(&b, VER_MAX_LISTING);
	rc = ver_dir(&b, root, "licenses", 1, err);
	if (!rc)
		rc = ver_dir(&b, root, "licenses/texts", 0, err);
	if (!rc)
		rc = ver_dir(&b, root, "rules", 1, err);
	if (!rc && buf_error(&b))
		rc = lt_error_set(err, buf_error(&b), root, 0, "data listing too large");
	if (!rc) {
		h = licdb_snap_hash(b.data, b.len, SEED_VER);
		snprintf(out, LICDB_DATA_VERSION_LEN + 1, "%016llx", (unsigned long long)h);
	}
	buf_release(&b);
	return rc;
}

/* The fingerprint an installed snapshot carries: lictrace version, root, data version. */
static void inst_fingerprint(unsigned char fp[LICDB_FP_LEN], const char *root, const char *version)
{
	struct buf b;
	uint64_t h;

	buf_init(&b, 64 * 1024); /* roots are paths, < PATH_MAX */
	buf_adds(&b, "lictrace installed data");
#ifdef LT_VERSION
	buf_add(&b, LT_VERSION, sizeof(LT_VERSION));
#endif
	buf_add(&b, root, strlen(root) + 1);
	buf_add(&b, version, strlen(version) + 1);
	h = licdb_snap_hash(b.data, b.len, SEED_INST_A);
	memcpy(fp, &h, sizeof(h));
	h = licdb_snap_hash(b.data, b.len, SEED_INST_B);
	memcpy(fp + sizeof(h), &h, sizeof(h));
	buf_release(&b);
}

/* Point a record path under src at the same file under dst. */
static int reroot(char **path, const char *src, const char *dst)
{
	size_t n = strlen(src);
	char *p;

	if (!*path || strncmp(*path, src, n) != 0 || (*path)[n] != '/')
		return 0;
	p = lt_asprintf("%s%s", dst, *path + n);
	if (!p)
		return LT_ENOMEM;
	free(*path);
	*path = p;
	return 0;
}

/* The two files written into out_dir (for the sweep of a killed writer's temps). */
static int installed_name(const char *s, size_t len)
{
	return (len == strlen(LICDB_INSTALLED_SNAPSHOT) &&
		memcmp(s, LICDB_INSTALLED_SNAPSHOT, len) == 0) ||
	       (len == strlen(LICDB_INSTALLED_MANIFEST) &&
		memcmp(s, LICDB_INSTALLED_MANIFEST, len) == 0);
}

int licensedb_write_installed(const char *src_root, const char *final_root, const char *out_dir,
			      struct lt_error *err)
{
	struct licensedb *db = NULL, *check = NULL;
	unsigned char fp[LICDB_FP_LEN];
	char version[LICDB_DATA_VERSION_LEN + 1], line[LICDB_DATA_VERSION_LEN + 2];
	char *snap = NULL, *man = NULL;
	struct buf b;
	int rc;

	buf_init(&b, INST_MAX_SNAPSHOT);
	if ((rc = licensedb_data_version(version, src_root, err)) != 0)
		goto done;
	if ((rc = licensedb_load(&db, &src_root, 1, err)) != 0) {
		if (db && db->problems.n)
			rc = lt_error_set(err, LT_EINVAL, src_root, 0,
					  "license data has %zu problems: %s", db->problems.n,
					  db->problems.v[0]);
		goto done;
	}
	for (size_t i = 0; i < db->nlics && !rc; i++)
		rc = reroot(&db->lics[i]->path, src_root, final_root);
	for (size_t i = 0; i < db->nrules && !rc; i++)
		rc = reroot(&db->rules[i]->path, src_root, final_root);
	for (size_t i = 0; i < db->nroles && !rc; i++)
		rc = reroot(&db->roles[i]->path, src_root, final_root);
	for (size_t i = 0; i < db->nfindings && !rc; i++)
		rc = reroot(&db->findings[i]->path, src_root, final_root);
	if (rc) {
		lt_error_set(err, rc, NULL, 0, "out of memory");
		goto done;
	}
	inst_fingerprint(fp, final_root, version);
	if ((rc = licdb_snap_encode(&b, db, fp)) != 0) {
		lt_error_set(err, rc, NULL, 0, "cannot encode the license data snapshot");
		goto done;
	}
	/* what the installed binary will do with it must succeed here */
	{
		char *copy = malloc(b.len);
		if (!copy) {
			rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
			goto done;
		}
		memcpy(copy, b.data, b.len);
		if ((rc = licdb_snap_decode(&check, copy, b.len, fp)) != 0) {
			lt_error_set(err, rc, NULL, 0, "the license data snapshot does not decode");
			goto done;
		}
	}
	snap = path_join(out_dir, LICDB_INSTALLED_SNAPSHOT);
	man = path_join(out_dir, LICDB_INSTALLED_MANIFEST);
	snprintf(line, sizeof(line), "%s\n", version);
	if (!snap || !man) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	/* what an earlier writer killed midway left here */
	licdb_sweep_temp(out_dir, installed_name);
	if ((rc = lt_write_atomic(snap, b.data, b.len, err)) != 0)
		goto done;
	rc = lt_write_atomic(man, line, strlen(line), err);
done:
	buf_release(&b);
	licensedb_free(db);
	licensedb_free(check);
	free(snap);
	free(man);
	return rc;
}

int licensedb_load_installed(struct licensedb **out, char version[LICDB_DATA_VERSION_LEN + 1],
			     const char *root)
{
	return licensedb_load_installed_as(out, version, root, root);
}

int licensedb_load_installed_as(struct licensedb **out, char version[LICDB_DATA_VERSION_LEN + 1],
				const char *dir, const char *root)
{
	char *man = path_join(dir, LICDB_INSTALLED_MANIFEST), *snap = NULL;
	char *text = NULL;
	void *map = NULL;
	unsigned char fp[LICDB_FP_LEN];
	size_t len = 0;
	int rc = LT_ENOTFOUND;

	*out = NULL;
	if (!man || licdb_read_owned(man, 1, INST_MAX_MANIFEST, 1, &text, &len) != 0)
		goto done;
	if (len != LICDB_DATA_VERSION_LEN + 1 || text[LICDB_DATA_VERSION_LEN] != '\n')
		goto done;
	text[LICDB_DATA_VERSION_LEN] = '\0';
	for (size_t i = 0; i < LICDB_DATA_VERSION_LEN; i++)
		if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
			goto done;
	inst_fingerprint(fp, root, text);
	snap = path_join(dir, LICDB_INSTALLED_SNAPSHOT);
	if (!snap || lt_map_owned(snap, 1, INST_MAX_SNAPSHOT, 1, &map, &len) != 0)
		goto done;
	/* decode owns the mapping from here, on failure too */
	if (licdb_snap_decode_mapped(out, map, len, fp) == 0) {
		/* "i" and the fingerprint: root, data version and lictrace version */
		(*out)->snapshot_id[0] = 'i';
		for (int i = 0; i < LICDB_FP_LEN; i++) {
			(*out)->snapshot_id[1 + 2 * i] = "0123456789abcdef"[fp[i] >> 4];
			(*out)->snapshot_id[2 + 2 * i] = "0123456789abcdef"[fp[i] & 15];
		}
		(*out)->snapshot_id[1 + 2 * LICDB_FP_LEN] = '\0';
		if (version)
			memcpy(version, text, LICDB_DATA_VERSION_LEN + 1);
		rc = 0;
	}
done:
	free(man);
	free(snap);
	free(text);
	return rc;
}
