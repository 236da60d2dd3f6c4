/*
 * fuzz_cache.c - libFuzzer harness for cache entries (http/cache.h): an entry is
 * stored, its file replaced by the input, and read back. A damaged entry must be
 * a miss, never a crash; a hit returns at most the bytes asked for.
 */
#include "http/cache.h"
#include "core/buf.h"
#include "core/err.h"

#include <dirent.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *in_data;
static size_t in_size;
static int replaced;

static int replace_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	FILE *f;

	(void)st;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	if (!(f = fopen(path, "wb")))
		abort();
	if (in_size && fwrite(in_data, 1, in_size, f) != in_size)
		abort();
	fclose(f);
	replaced++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cache_key k = { "https://huggingface.co", "org/name",
					    "0123456789abcdef0123456789abcdef01234567", "README.md", NULL };
	char dir[256];
	struct cache *c = NULL;
	struct lt_error err;
	struct buf b;
	char *etag = NULL;
	int partial = 0;

	snprintf(dir, sizeof(dir), "%s/cache", fuzz_dir());
	if (cache_open(&c, dir, &err) || cache_put(c, &k, "body", 4, "\"abc\"", 0, &err))
		abort();
	in_data = data;
	in_size = size;
	replaced = 0;
	if (nftw(dir, replace_entry, 8, FTW_PHYS) != 0 || replaced != 1)
		abort(); /* one entry, one file */
	buf_init(&b, 1u << 20);
	if (cache_get(c, &k, 4096, &b, &etag, &partial, &err) == 0 && b.len > 4096)
		abort();
	free(etag);
	buf_release(&b);
	cache_free(c);
	return 0;
}
