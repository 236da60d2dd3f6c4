/*
 * fuzz_archive.c - libFuzzer harness for the archive backend (libarchive through
 * source/source.h): the input is written as an archive file, opened with small
 * limits, and every listed entry read back. Any input gives a source or an
 * error, never a crash, hang or leak.
 */
#include "source/source.h"
#include "core/buf.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	struct archive_limits lim;
	struct source *src = NULL;
	struct lt_error err;

	fuzz_write(path, sizeof(path), "model.tar.gz", data, size);
	archive_default_limits(&lim);
	lim.max_entries = 64;
	lim.max_entry_bytes = 1u << 20;
	lim.max_total_bytes = 4u << 20;
	lim.retain_bytes = 64u << 10;
	lim.retain_total = 256u << 10;
	lim.prefix_bytes = 4096;
	if (source_open_archive(&src, path, &lim, &err) != 0)
		return 0;
	for (size_t i = 0; i < src->nentries; i++) {
		struct buf b;
		int truncated = 0;
		buf_init(&b, 1u << 20);
		source_read(src, src->entries[i].path, 1u << 20, &b, &truncated, &err);
		buf_release(&b);
	}
	source_free(src);
	return 0;
}
