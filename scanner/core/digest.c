/*
 * digest.c - SHA-1 and SHA-256 after FIPS 180-4; see digest.h.
 *
 * Both hashes share the block buffering (64-byte blocks, big-endian length in
 * the last 8 bytes of the padding); only the compression functions differ.
 * Checked against the FIPS example vectors in tests/unit/test_http.c.
 */
#include "digest.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

static uint32_t rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* ---- SHA-1 --------------------------------------------------------------- */

static void sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (int t = 0; t < 16; t++)
		w[t] = be32(p + 4 * t);
	for (int t = 16; t < 80; t++)
		w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	for (int t = 0; t < 80; t++) {
		uint32_t f, k, tmp;
		if (t < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999u;
		} else if (t < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1u;
		} else if (t < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdcu;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6u;
		}
		tmp = rol(a, 5) + f + e + k + w[t];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void lt_sha1_init(struct lt_sha1 *c)
{
	static const uint32_t iv[5] = { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u,
					 0xc3d2e1f0u };

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->n = 0;
}

/* Shared buffering: feed whole blocks to fn, keep the rest in blk. */
static void absorb(uint32_t *h, unsigned char *blk, size_t *n, uint64_t *total, const void *data,
		   size_t len, void (*fn)(uint32_t *, const unsigned char *))
{
	const unsigned char *p = data;

	*total += len;
	if (*n) {
		size_t take = 64 - *n < len ? 64 - *n : len;
		memcpy(blk + *n, p, take);
		*n += take;
		p += take;
		len -= take;
		if (*n < 64)
			return;
		fn(h, blk);
		*n = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		fn(h, p);
	memcpy(blk, p, len);
	*n = len;
}

/* Padding: 0x80, zeros, then the bit length big-endian in the last 8 bytes. */
static void pad(uint32_t *h, unsigned char *blk, size_t n, uint64_t total,
		void (*fn)(uint32_t *, const unsigned char *))
{
	uint64_t bits = total * 8;

	blk[n++] = 0x80;
	if (n > 56) {
		memset(blk + n, 0, 64 - n);
		fn(h, blk);
		n = 0;
	}
	memset(blk + n, 0, 56 - n);
	for (int i = 0; i < 8; i++)
		blk[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	fn(h, blk);
}

static void sha1_fn(uint32_t *h, const unsigned char *p)
{
	sha1_block(h, p);
}

void lt_sha1_update(struct lt_sha1 *c, const void *data, size_t len)
{
	absorb(c->h, c->blk, &c->n, &c->len, data, len, sha1_fn);
}

void lt_sha1_final(struct lt_sha1 *c, unsigned char out[LT_SHA1_LEN])
{
	pad(c->h, c->blk, c->n, c->len, sha1_fn);
	for (int i = 0; i < 5; i++)
		put_be32(out + 4 * i, c->h[i]);
	memset(c, 0, sizeof(*c));
}

/* ---- SHA-256 ------------------------------------------------------------- */

static const uint32_t K256[64] = {
	0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
	0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
	0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
	0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
	0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
	0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
	0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
	0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
	0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
	0xc67178f2u,
};

static void sha256_fn(uint32_t *h, const unsigned char *p)
{
	uint32_t w[64], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];

	for (int t = 0; t < 16; t++)
		w[t] = be32(p + 4 * t);
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >> 10);
		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
	for (int t = 0; t < 64; t++) {
		uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K256[t] + w[t];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

void lt_sha256_init(struct lt_sha256 *c)
{
	static const uint32_t iv[8] = { 0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
					 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u };

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->n = 0;
}

void lt_sha256_update(struct lt_sha256 *c, const void *data, size_t len)
{
	absorb(c->h, c->blk, &c->n, &c->len, data, len, sha256_fn);
}

void lt_sha256_final(struct lt_sha256 *c, unsigned char out[LT_SHA256_LEN])
{
	pad(c->h, c->blk, c->n, c->len, sha256_fn);
	for (int i = 0; i < 8; i++)
		put_be32(out + 4 * i, c->h[i]);
	memset(c, 0, sizeof(*c));
}

/* ---- one-shot helpers ---------------------------------------------------- */

void lt_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void lt_sha1_hex(const void *data, size_t len, char out[2 * LT_SHA1_LEN + 1])
{
	struct lt_sha1 c;
	unsigned char d[LT_SHA1_LEN];

	lt_sha1_init(&c);
	lt_sha1_update(&c, data, len);
	lt_sha1_final(&c, d);
	lt_hex(d, sizeof(d), out);
}

void lt_sha256_hex(const void *data, size_t len, char out[2 * LT_SHA256_LEN + 1])
{
	struct lt_sha256 c;
	unsigned char d[LT_SHA256_LEN];

	lt_sha256_init(&c);
	lt_sha256_update(&c, data, len);
	lt_sha256_final(&c, d);
	lt_hex(d, sizeof(d), out);
}

void lt_git_blob_sha1_hex(const void *data, size_t len, char out[2 * LT_SHA1_LEN + 1])
{
	struct lt_sha1 c;
	unsigned char d[LT_SHA1_LEN];
	char hdr[32];
	int n = snprintf(hdr, sizeof(hdr), "blob %zu", len);

	lt_sha1_init(&c);
	lt_sha1_update(&c, hdr, (size_t)n + 1); /* the NUL is part of the header */
	lt_sha1_update(&c, data, len);
	lt_sha1_final(&c, d);
	lt_hex(d, sizeof(d), out);
}
