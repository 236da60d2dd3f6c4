/*
 * index.h - private to scanner/licensedb/: the lookup tables behind
 * licensedb->index_ and the public lookups of licensedb.h (licensedb_get,
 * licensedb_lookup, licensedb_finding, licensedb_rule) that read them.
 *
 * Ownership: the index belongs to its database (licensedb_free frees it with
 * licdb_index_free); the tables borrow the database's records.
 */
#ifndef LT_LICENSEDB_INDEX_H
#define LT_LICENSEDB_INDEX_H

#include "core/strmap.h"

struct licensedb;

/* The lookup tables behind licensedb->index_. */
struct licdb_index {
	struct strmap by_id;    /* canonical id -> licdef */
	struct strmap by_name;  /* folded id / hub id / alias -> licdef */
	struct strmap findings; /* id -> finding_def */
	struct strmap rules;    /* id -> detect_rule */
	/* the tables borrow their keys: the records' own strings, and for by_name
	 * the folded names, all in this one block */
	char *folded;
	size_t folded_len, folded_cap;
	/* Set when the database was rebuilt from a snapshot: every record, pointer
	 * array and list lives in snap_recs and every string in snap_file, so
	 * licensedb_free() frees these two blocks instead of each record. */
	void *snap_file;
	size_t snap_len;
	int snap_mapped; /* snap_file is a read-only mapping of snap_len bytes */
	void *snap_recs;
};

/* db->index_, allocated (empty) when the database has none yet; NULL when out of memory. */
struct licdb_index *licdb_index_new(struct licensedb *db);
/* Fill the lookup tables and resolve rule->lic; inconsistencies (an alias that
 * names two licenses, a rule naming an unknown license) become problems. */
void licdb_build_index(struct licensedb *db);
/* The tables and the struct (not snap_file / snap_recs); accepts NULL. */
void licdb_index_free(struct licdb_index *ix);

#endif
