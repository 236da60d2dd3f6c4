/*
 * fuzz_mergekit.c - libFuzzer harness for mergekit configs (evidence/mergekit.h).
 */
#include "evidence/mergekit.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mergekit *m = NULL;
	struct lt_error err;

	if (mergekit_parse(&m, "mergekit_config.yml", (const char *)data, size, &err) == 0)
		mergekit_free(m);
	return 0;
}
