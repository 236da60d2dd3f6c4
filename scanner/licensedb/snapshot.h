/*
 * snapshot.h - private to scanner/licensedb/ (and its unit test): the binary
 * snapshot codec behind licensedb_load_cached() (its lookup tables are in
 * index.h). Nothing outside the module may include this header.
 */
#ifndef LT_LICENSEDB_SNAPSHOT_H
#define LT_LICENSEDB_SNAPSHOT_H

#include "index.h"

#include <stddef.h>
#include <stdint.h>

struct buf;
struct licensedb;

/* Reference texts are standard license texts (GPL-3.0 is ~35 KiB). */
#define LICDB_MAX_REF_TEXT (256u * 1024u)

/* Bytes in a fingerprint (two 64-bit hashes of the input listing). */
#define LICDB_FP_LEN 16

/* Hash of n bytes (64-bit, four-lane multiply-rotate). Detects accidents, not forgery. */
uint64_t licdb_snap_hash(const void *data, size_t n, uint64_t seed);

/* Fingerprint the inputs of licensedb_load(roots): for each root its path, then
 * the sorted names, sizes, mtimes, ctimes (ns), inodes, devices and modes of the
 * .yaml/.yml files in licenses/ and rules/ and of every file in licenses/texts/;
 * plus the format version, the struct sizes and the running executable.
 * *newest_mtime gets the latest mtime seen (seconds). 0, or LT_ENOMEM / LT_EIO /
 * LT_ETOOBIG (then the caller does not use a snapshot). */
int licdb_snap_fingerprint(unsigned char fp[LICDB_FP_LEN], long long *newest_mtime,
			   const char *const *roots, size_t nroots);

/* Append the snapshot of db (which must have no problems) to out. 0 or LT_ETOOBIG / LT_ENOMEM. */
int licdb_snap_encode(struct buf *out, const struct licensedb *db,
		      const unsigned char fp[LICDB_FP_LEN]);

/* Rebuild a database from a snapshot of len bytes. Takes ownership of data
 * (malloc'd; freed here on failure, owned by *out on success). Every check of
 * snapshot.c's format comment applies; any failure gives LT_EPARSE and *out NULL. */
int licdb_snap_decode(struct licensedb **out, char *data, size_t len,
		      const unsigned char fp[LICDB_FP_LEN]);

/* The same for a read-only mapping (lt_map_owned()), owned by *out on success
 * and unmapped here on failure. */
int licdb_snap_decode_mapped(struct licensedb **out, void *map, size_t len,
			     const unsigned char fp[LICDB_FP_LEN]);

/* For tests: recompute the checksum of a damaged snapshot so that the checks
 * behind it are reached. No-op when len is below the header size. */
void licdb_snap_reseal(char *data, size_t len);

/* Remove from dir the temporary files that writers killed mid-write left
 * behind: lt_write_atomic()'s "<base>.tmp.<pid>" for a base that ours(base, len)
 * accepts. Only plain files we own go (a link is neither followed nor removed,
 * nor is dir when it is a link), written before the sweep, by another pid that
 * no longer runs, or over an hour ago. At most 1000 entries are looked at. Best
 * effort; returns how many were removed. */
int licdb_sweep_temp(const char *dir, int (*ours)(const char *base, size_t len));

/* 1 when db was rebuilt from a snapshot (for tests). */
int licdb_from_snapshot(const struct licensedb *db);

/* Read a whole regular file of min..max bytes in one go (NUL-terminated; *len
 * without the NUL), never through a link. Only a file we own is believed; with
 * installed != 0 also one owned by root, and then neither may group or others
 * write it. 0, else LT_ENOTFOUND or LT_EIO (*out NULL). */
int licdb_read_owned(const char *path, size_t min, size_t max, int installed, char **out,
		     size_t *len);

#endif
