/*
 * fuzz_gguf.c - libFuzzer harness for the GGUF header reader (evidence/gguf.h).
 * The first byte chooses whether the input is the whole file or a prefix, so
 * both the truncation and the cut-file paths are explored.
 */
#include "evidence/gguf.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gguf_meta *g = NULL;
	struct lt_error err;

	if (size == 0)
		return 0;
	if (gguf_parse(&g, data + 1, size - 1, data[0] & 1, &err) == 0)
		gguf_meta_free(g);
	return 0;
}
