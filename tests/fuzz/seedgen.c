/*
 * seedgen.c - writes the seeds of fuzz_snapshot and fuzz_cache that only the
 * code itself can produce: a snapshot of the built-in license data (fingerprint
 * all zeros, as the harness uses) and one cache entry (the harness's key).
 * Not built by default; see tests/fuzz/README.md.
 *   seedgen ROOT OUTDIR  ->  OUTDIR/snapshot/builtin.bin, OUTDIR/cache/entry.bin
 */
#include "http/cache.h"
#include "licensedb/licensedb.h"
#include "licensedb/snapshot.h"
#include "core/buf.h"
#include "core/err.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *outdir;

static int copy_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char out[1024], cmd[2200];

	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	snprintf(out, sizeof(out), "%s/cache/entry.bin", outdir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", path, out);
	return system(cmd);
}

int main(int argc, char **argv)
{
	static const struct cache_key k = { "https://huggingface.co", "org/name",
					    "0123456789abcdef0123456789abcdef01234567", "README.md", NULL };
	unsigned char fp[LICDB_FP_LEN] = { 0 };
	const char *root;
	struct licensedb *db = NULL;
	struct cache *c = NULL;
	struct lt_error err;
	struct buf b;
	char path[1024], tmp[] = "/tmp/lt-seedgen-XXXXXX";
	FILE *f;

	if (argc != 3)
		return 2;
	root = argv[1];
	outdir = argv[2];
	if (licensedb_load(&db, &root, 1, &err))
		return 1;
	buf_init(&b, 256u << 20);
	buf_addc(&b, '\0'); /* the harness's first byte: do not reseal */
	if (licdb_snap_encode(&b, db, fp))
		return 1;
	snprintf(path, sizeof(path), "%s/snapshot/builtin.bin", outdir);
	if (!(f = fopen(path, "wb")) || fwrite(b.data, 1, b.len, f) != b.len || fclose(f))
		return 1;
	buf_release(&b);
	licensedb_free(db);
	if (!mkdtemp(tmp) || cache_open(&c, tmp, &err) || cache_put(c, &k, "body", 4, "\"abc\"", 0, &err))
		return 1;
	cache_free(c);
	return nftw(tmp, copy_entry, 8, FTW_PHYS) ? 1 : 0;
}
