/*
 * fuzz_safetensors.c - libFuzzer harness for the safetensors header reader
 * (evidence/safetensors.h). The file size given is the input size, or
 * "unknown" (0) when the first byte is odd.
 */
#include "evidence/safetensors.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct st_meta *m = NULL;
	struct lt_error err;

	if (size == 0)
		return 0;
	if (safetensors_parse(&m, data + 1, size - 1, (data[0] & 1) ? 0 : size - 1, &err) == 0) {
		(void)st_meta_get(m, "modelspec.license");
		safetensors_meta_free(m);
	}
	return 0;
}
