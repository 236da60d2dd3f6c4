/*
 * fuzz_inventory.c - libFuzzer harness for the audit inventory reader
 * (cli/audit_state.h): any bytes give a list of trimmed, non-empty targets with
 * no NUL, or an error; never a crash.
 */
#include "cli/audit_state.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **v = NULL;
	size_t n = 0;
	struct lt_error err;
	int rc = audit_inventory_parse((const char *)data, size, "fuzz", &v, &n, &err);

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]);
		if (!rc && (l == 0 || v[i][0] == '#' || v[i][0] == ' ' || v[i][l - 1] == ' ' || strchr(v[i], '\n')))
			abort();
		free(v[i]);
	}
	free(v);
	return 0;
}
