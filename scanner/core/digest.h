/*
 * digest.h - SHA-1 and SHA-256 (FIPS 180-4), incremental, no dependencies.
 *
 * Used to check downloads against what a hub says they are (a git blob id is the
 * SHA-1 of "blob <size>\0" + content; an LFS object id is the SHA-256 of the
 * content) and to checksum cache entries. Not for anything secret: SHA-1 is here
 * only because git names blobs with it.
 *
 * Ownership: contexts live on the caller's stack; nothing is allocated.
 */
#ifndef LT_DIGEST_H
#define LT_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define LT_SHA1_LEN 20
#define LT_SHA256_LEN 32

struct lt_sha1 {
	uint32_t h[5];
	uint64_t len; /* bytes so far */
	unsigned char blk[64];
	size_t n; /* bytes in blk */
};

struct lt_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char blk[64];
	size_t n;
};

void lt_sha1_init(struct lt_sha1 *c);
void lt_sha1_update(struct lt_sha1 *c, const void *data, size_t len);
void lt_sha1_final(struct lt_sha1 *c, unsigned char out[LT_SHA1_LEN]);

void lt_sha256_init(struct lt_sha256 *c);
void lt_sha256_update(struct lt_sha256 *c, const void *data, size_t len);
void lt_sha256_final(struct lt_sha256 *c, unsigned char out[LT_SHA256_LEN]);

/* One-shot digests as lower-case hex into out (2 * digest length + 1 bytes). */
void lt_sha1_hex(const void *data, size_t len, char out[2 * LT_SHA1_LEN + 1]);
void lt_sha256_hex(const void *data, size_t len, char out[2 * LT_SHA256_LEN + 1]);
/* The git blob id of data: SHA-1 of "blob <len>\0" followed by data, in hex. */
void lt_git_blob_sha1_hex(const void *data, size_t len, char out[2 * LT_SHA1_LEN + 1]);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void lt_hex(const unsigned char *in, size_t n, char *out);

#endif
