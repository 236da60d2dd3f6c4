/*
 * fuzz_classify.c - libFuzzer harness for the license-text normaliser and the
 * classifier (classify/normalize.h, classify/classify.h) with the built-in
 * license data. Any input gives a result or an error, never a crash; every
 * normalised offset points inside the input.
 */
#include "classify/classify.h"
#include "classify/normalize.h"
#include "core/buf.h"
#include "core/err.h"
#include "licensedb/licensedb.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct licensedb *db;
static struct classify_ctx *cls;

static void setup(void)
{
	const char *root = getenv("LICTRACE_DATA") ? getenv("LICTRACE_DATA") : LT_SOURCE_DIR;
	struct lt_error err;

	if (licensedb_load(&db, &root, 1, &err) || classify_new(&cls, db, &err))
		abort(); /* the built-in data must load */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;
	struct norm_map map;
	struct classify_result res;
	struct lt_error err;

	if (!cls)
		setup();
	buf_init(&b, 64u << 20);
	for (int flags = NORM_FULL; flags <= NORM_PLAIN; flags++) {
		if (normalize_text_opts(&b, &map, (const char *)data, size, flags, &err) == 0) {
			uint32_t prev = 0;
			/* every output byte comes from inside the input, in input order */
			for (size_t i = 0; i < b.len; i++) {
				uint32_t o = norm_map_offset(&map, i);
				if (o >= size || o < prev)
					abort();
				prev = o;
			}
			if (map.out_len != b.len || norm_map_offset(&map, b.len) != size)
				abort();
		}
		norm_map_release(&map);
	}
	buf_release(&b);
	classify_text(cls, (const char *)data, size, &res, &err);
	classify_result_release(&res);
	return 0;
}
