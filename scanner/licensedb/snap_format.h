/*
 * snap_format.h - the layout of a license database snapshot, shared by its
 * writer (snap_encode.c), its reader (snap_decode.c) and the snapshot folder
 * (snapshot.c). Private to scanner/licensedb/; the interface is snapshot.h.
 *
 * File layout (native byte order; the byte-order mark rejects a foreign one):
 *
 *   header, 64 bytes
 *     0  char[8] magic "LTDBSNAP"       8  u32 format version (SNAP_VERSION)
 *    12  u32 byte-order mark 0x01020304 16  u8[16] fingerprint of the inputs
 *    32  u64 file length                40  u64 checksum of bytes [64, length)
 *    48  u32 records offset (64)        52  u32 records length
 *    56  u32 string table offset        60  u32 string table length (to the end)
 *   records
 *     six u32 counts: licenses, detect rules, role rules, findings, obligations
 *     in all, list items in all; then the licenses, detect rules, role rules
 *     and findings in database order. Each record is a fixed part followed by
 *     its list items (and a license by its obligations); the put_ and get_
 *     functions below are the exact field order. A string is a u32 offset into
 *     the string table and a u32 length (offset 0xffffffff = NULL); byte
 *     [offset + length] of the table must be NUL. Integers are u32 (u64 for an
 *     obligation's value), confidences IEEE doubles.
 *   string table
 *     NUL-terminated strings; repeated strings (file paths) are stored once.
 *
 * Because each fixed part has a known size, the six counts give the records
 * length exactly; that equation is checked before anything is allocated, and
 * the per-record counts must add up to the totals.
 *
 * Loading costs one read of the file and one allocation for all records: the
 * strings are used in place in the file buffer, which the database keeps.
 */
#ifndef LT_LICENSEDB_SNAP_FORMAT_H
#define LT_LICENSEDB_SNAP_FORMAT_H

#include <stdint.h>
#include <string.h>

/* Bump whenever the layout changes or the loader reads the YAML differently
 * (defaults, validation); the fingerprint includes it. */
#define SNAP_VERSION 2u
#define SNAP_MAGIC "LTDBSNAP"
#define SNAP_BOM 0x01020304u
#define SNAP_HDR 64u
/* The built-in data makes a ~300 KiB snapshot. A file over 16 MiB in the cache
 * folder is not one of ours; refusing it before allocating bounds the memory a
 * corrupt or planted file can cost. */
#define SNAP_MAX_BYTES (16u * 1024u * 1024u)
#define SEED_FP_A 0x6c69637472616365ULL /* "lictrace" */
#define SEED_FP_B 0x736e617073686f74ULL /* "snapshot" */
#define SEED_SUM 0x6c6963656e736573ULL  /* "licenses" */

#define STR_NONE 0xffffffffu
/* Bytes of each record's fixed part (strings are 8 bytes: offset + length). */
#define COUNTS_FIXED (6 * 4)
#define LIC_FIXED (17 * 8 + 7 * 4)
#define OB_FIXED (3 * 4 + 8 + 6 * 8)
#define RULE_FIXED (4 * 8 + 6 * 4 + 2 * 8)
#define ROLE_FIXED (3 * 8 + 2 * 4)
#define FIND_FIXED (5 * 8 + 2 * 4)
#define ITEM_FIXED 8

static inline void snap_set_u32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void snap_set_u64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

#endif
