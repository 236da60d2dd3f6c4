/*
 * fuzz_licensedb.c - libFuzzer harness for the license definitions and rules
 * reader (licensedb/licensedb.h). The first byte chooses where the rest goes:
 * even, ROOT/licenses/fuzz.yaml; odd, ROOT/rules/fuzz.yaml. The root is loaded
 * on its own; problems are expected, crashes and leaks are not.
 */
#include "licensedb/licensedb.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256], other[256];
	const char *root = fuzz_dir();
	struct licensedb *db = NULL;
	struct lt_error err;

	if (size == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/licenses", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/rules", root);
	mkdir(path, 0700);
	fuzz_write(path, sizeof(path), data[0] & 1 ? "rules/fuzz.yaml" : "licenses/fuzz.yaml", data + 1,
		   size - 1);
	snprintf(other, sizeof(other), "%s/%s", root, data[0] & 1 ? "licenses/fuzz.yaml" : "rules/fuzz.yaml");
	unlink(other);
	licensedb_load(&db, &root, 1, &err);
	licensedb_free(db);
	return 0;
}
