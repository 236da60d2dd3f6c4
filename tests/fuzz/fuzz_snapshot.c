/*
 * fuzz_snapshot.c - libFuzzer harness for the binary snapshot of the license
 * data read back from the cache (licensedb/snapshot.h). The first byte chooses
 * whether the checksum is recomputed first (odd), so the checks behind it are
 * reached; the fingerprint is all zeros (the seeds are encoded with it).
 */
#include "licensedb/licensedb.h"
#include "licensedb/snapshot.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char fp[LICDB_FP_LEN];
	struct licensedb *db = NULL;
	char *copy;

	if (size == 0)
		return 0;
	memset(fp, 0, sizeof(fp));
	if (!(copy = malloc(size - 1 ? size - 1 : 1)))
		return 0;
	memcpy(copy, data + 1, size - 1);
	if (data[0] & 1)
		licdb_snap_reseal(copy, size - 1);
	if (licdb_snap_decode(&db, copy, size - 1, fp) == 0) {
		/* a database that decodes must answer lookups */
		for (size_t i = 0; i < db->nlics; i++)
			if (licensedb_get(db, db->lics[i]->id) == NULL)
				abort();
		licensedb_free(db);
	}
	return 0;
}
