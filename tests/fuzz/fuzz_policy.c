/*
 * fuzz_policy.c - libFuzzer harness for the organisation policy reader
 * (policy/policy.h): the input is written as a policy file and loaded.
 */
#include "policy/policy.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	struct policy *p = NULL;
	struct lt_error err;

	fuzz_write(path, sizeof(path), "policy.yaml", data, size);
	if (policy_load(&p, path, &err) == 0)
		policy_free(p);
	return 0;
}
