/*
 * gguf.c - bounded reader of the GGUF key/value header; see gguf.h.
 *
 * A cursor walks the prefix. Running out of bytes is not an error by itself: it
 * is reported as SHORT, and gguf_parse() decides whether that means "the prefix
 * was too short" (truncated result) or "the file is cut" (LT_ETRUNC). Every
 * other problem is an error at once, naming the key it was found in.
 */
#include "gguf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Internal result: the prefix ended before the value did (positive, so it can
 * never be confused with an LT_E* code). */
#define SHORT 1

enum gguf_type {
	GT_U8 = 0, GT_I8 = 1, GT_U16 = 2, GT_I16 = 3, GT_U32 = 4, GT_I32 = 5, GT_F32 = 6,
	GT_BOOL = 7, GT_STRING = 8, GT_ARRAY = 9, GT_U64 = 10, GT_I64 = 11, GT_F64 = 12
};

struct cursor {
	const unsigned char *p;
	size_t len, off;
	struct lt_error *err;
	char key[96];           /* current key, printable, for messages */
};

static size_t left(const struct cursor *c)
{
	return c->len - c->off;
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static int get32(struct cursor *c, uint32_t *v)
{
	if (left(c) < 4)
		return SHORT;
	*v = rd32(c->p + c->off);
	c->off += 4;
	return 0;
}

static int get64(struct cursor *c, uint64_t *v)
{
	if (left(c) < 8)
		return SHORT;
	*v = rd64(c->p + c->off);
	c->off += 8;
	return 0;
}

/* Skip n bytes that the value claims to have. Past the end of a complete file
 * this is corruption, reported by the caller as truncation. */
static int skip(struct cursor *c, uint64_t n)
{
	if (n > left(c))
		return SHORT;
	c->off += (size_t)n;
	return 0;
}

/* Size of a fixed-size value type, 0 for string/array/unknown. */
static size_t type_size(uint32_t t)
{
	switch (t) {
	case GT_U8: case GT_I8: case GT_BOOL: return 1;
	case GT_U16: case GT_I16: return 2;
	case GT_U32: case GT_I32: case GT_F32: return 4;
	case GT_U64: case GT_I64: case GT_F64: return 8;
	default: return 0;
	}
}

/* Read a string header and check its length: [*s, *s + *n) is in the prefix
 * after a 0 return. what says which string ("key" or "value"). */
static int get_str(struct cursor *c, const unsigned char **s, size_t *n, const char *what)
{
	uint64_t l;
	int rc;

	if ((rc = get64(c, &l)) != 0)
		return rc;
	if (l > LT_GGUF_MAX_STRING)
		return lt_error_set(c->err, LT_ETOOBIG, NULL, 0,
				    "gguf %s of key '%s' is %llu bytes, over the %u byte limit", what,
				    c->key, (unsigned long long)l, (unsigned)LT_GGUF_MAX_STRING);
	if (l > left(c))
		return SHORT;
	*s = c->p + c->off;
	*n = (size_t)l;
	c->off += (size_t)l;
	return 0;
}

/* Printable copy of a key for messages: non-printable bytes become '?'. */
static void set_key_label(struct cursor *c, const unsigned char *k, size_t n)
{
	size_t i, max = sizeof(c->key) - 4;

	for (i = 0; i < n && i < max; i++)
		c->key[i] = (k[i] >= 0x20 && k[i] < 0x7f) ? (char)k[i] : '?';
	if (n > max) {
		memcpy(c->key + i, "...", 3);
		i += 3;
	}
	c->key[i] = '\0';
}

/* Skip one value of type t (arrays element by element, no allocation). */
static int skip_value(struct cursor *c, uint32_t t)
{
	const unsigned char *s;
	uint32_t et;
	uint64_t count;
	size_t n, es;
	int rc;

	if ((es = type_size(t)) != 0)
		return skip(c, es);
	if (t == GT_STRING)
		return get_str(c, &s, &n, "value");
	if (t != GT_ARRAY)
		return lt_error_set(c->err, LT_EPARSE, NULL, 0,
				    "gguf key '%s' has unknown value type %u", c->key, (unsigned)t);
	if ((rc = get32(c, &et)) != 0 || (rc = get64(c, &count)) != 0)
		return rc;
	if (count > LT_GGUF_MAX_ARRAY)
		return lt_error_set(c->err, LT_ETOOBIG, NULL, 0,
				    "gguf array of key '%s' has %llu items, over the %u limit", c->key,
				    (unsigned long long)count, (unsigned)LT_GGUF_MAX_ARRAY);
	if (et == GT_ARRAY)
		return lt_error_set(c->err, LT_EPARSE, NULL, 0,
				    "gguf key '%s' holds nested arrays, which gguf does not allow", c->key);
	if ((es = type_size(et)) != 0) {
		/* count <= 2^24 and es <= 8: no overflow, but say so in code */
		if (count > UINT64_MAX / es)
			return lt_error_set(c->err, LT_ETOOBIG, NULL, 0, "gguf array of key '%s' is too big", c->key);
		return skip(c, count * es);
	}
	if (et != GT_STRING)
		return lt_error_set(c->err, LT_EPARSE, NULL, 0,
				    "gguf array of key '%s' has unknown element type %u", c->key,
				    (unsigned)et);
	/* each element costs at least 8 bytes of prefix, so this loop is bounded by len */
	for (uint64_t i = 0; i < count; i++)
		if ((rc = get_str(c, &s, &n, "array item")) != 0)
			return rc;
	return 0;
}

/* A kept string: valid UTF-8 without NULs, copied. */
static int dup_checked(struct cursor *c, const unsigned char *s, size_t n, char **out)
{
	char *t;

	if (memchr(s, '\0', n) || !lt_utf8_valid((const char *)s, n))
		return lt_error_set(c->err, LT_EPARSE, NULL, 0,
				    "gguf key '%s' is not a valid UTF-8 string", c->key);
	t = lt_strndup((const char *)s, n);
	if (!t)
		return lt_error_set(c->err, LT_ENOMEM, NULL, 0, "out of memory");
	*out = t;
	return 0;
}

/* A string value (type already read) into *dst, replacing what was there. */
static int read_string_into(struct cursor *c, char **dst)
{
	const unsigned char *s = NULL;
	size_t n = 0;
	char *t = NULL;
	int rc;

	if ((rc = get_str(c, &s, &n, "value")) != 0)
		return rc;
	if ((rc = dup_checked(c, s, n, &t)) != 0)
		return rc;
	free(*dst);
	*dst = t;
	return 0;
}

/* An array of strings joined with "," (general.license as a list). The array
 * header is read here; other element types are skipped. */
static int read_joined_into(struct cursor *c, char **dst)
{
	const unsigned char *s;
	uint32_t et;
	uint64_t count;
	size_t n, total = 0, start;
	char *t, *w;
	int rc;

	start = c->off;
	if ((rc = get32(c, &et)) != 0 || (rc = get64(c, &count)) != 0)
		return rc;
	if (et != GT_STRING) {
		c->off = start;
		return skip_value(c, GT_ARRAY);
	}
	if (count > LT_GGUF_MAX_ARRAY)
		return lt_error_set(c->err, LT_ETOOBIG, NULL, 0,
				    "gguf array of key '%s' has %llu items, over the %u limit", c->key,
				    (unsigned long long)count, (unsigned)LT_GGUF_MAX_ARRAY);
	/* first pass: validate and size; the strings all lie inside the prefix, so
	 * total < len and adding count separators cannot overflow */
	for (uint64_t i = 0; i < count; i++) {
		if ((rc = get_str(c, &s, &n, "array item")) != 0)
			return rc;
		if (memchr(s, '\0', n) || !lt_utf8_valid((const char *)s, n))
			return lt_error_set(c->err, LT_EPARSE, NULL, 0,
					    "gguf key '%s' is not a valid UTF-8 string", c->key);
		total += n + 1;
	}
	t = malloc(total + 1);
	if (!t)
		return lt_error_set(c->err, LT_ENOMEM, NULL, 0, "out of memory");
	c->off = start + 12;
	w = t;
	for (uint64_t i = 0; i < count; i++) {
		get_str(c, &s, &n, "array item"); /* cannot fail: checked above */
		if (i)
			*w++ = ',';
		memcpy(w, s, n);
		w += n;
	}
	*w = '\0';
	free(*dst);
	*dst = t;
	return 0;
}

/* An integer of any integer type (type already read). */
static int read_int(struct cursor *c, uint32_t t, long long *v, int *is_int)
{
	const unsigned char *p;
	size_t es = type_size(t);
	int rc;

	*is_int = 0;
	if (es == 0 || t == GT_F32 || t == GT_F64 || t == GT_BOOL)
		return skip_value(c, t);
	if (left(c) < es)
		return SHORT;
	p = c->p + c->off;
	switch (t) {
	case GT_U8: *v = p[0]; break;
	case GT_I8: *v = (int8_t)p[0]; break;
	case GT_U16: *v = (uint16_t)(p[0] | p[1] << 8); break;
	case GT_I16: *v = (int16_t)(uint16_t)(p[0] | p[1] << 8); break;
	case GT_U32: *v = rd32(p); break;
	case GT_I32: *v = (int32_t)rd32(p); break;
	case GT_U64: {
		uint64_t u = rd64(p);
		*v = u > (uint64_t)INT64_MAX ? INT64_MAX : (long long)u;
		break;
	}
	default: *v = (int64_t)rd64(p); break;
	}
	if ((rc = skip(c, es)) != 0)
		return rc;
	*is_int = 1;
	return 0;
}

/* Make room for base model index idx (idx < LT_MAX_PARENTS checked by caller). */
static int bases_reserve(struct cursor *c, struct gguf_meta *m, size_t want)
{
	struct gguf_base *b;

	if (want <= m->nbases)
		return 0;
	b = realloc(m->bases, want * sizeof(*b));
	if (!b)
		return lt_error_set(c->err, LT_ENOMEM, NULL, 0, "out of memory");
	memset(b + m->nbases, 0, (want - m->nbases) * sizeof(*b));
	m->bases = b;
	m->nbases = want;
	return 0;
}

static int key_eq(const unsigned char *k, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(k, want, n) == 0;
}

/* general.base_model.N.field: N (decimal, no sign) and field, or 0. */
static int base_key(const unsigned char *k, size_t n, unsigned long long *idx, const char **field)
{
	static const char prefix[] = "general.base_model.";
	size_t i = sizeof(prefix) - 1, digits = 0;
	unsigned long long v = 0;

	if (n <= i || memcmp(k, prefix, i) != 0)
		return 0;
	for (; i < n && k[i] >= '0' && k[i] <= '9'; i++, digits++) {
		if (v > 1000000)
			return 0; /* far past any real index; not one of ours */
		v = v * 10 + (unsigned)(k[i] - '0');
	}
	if (!digits || i >= n || k[i] != '.')
		return 0;
	i++;
	*idx = v;
	*field = (const char *)k + i;
	return (int)(n - i); /* length of field */
}

static int read_pair(struct cursor *c, struct gguf_meta *m)
{
	static const struct {
		const char *key;
		size_t off;
	} strings[] = {
		{ "general.license.name", offsetof(struct gguf_meta, license_name) },
		{ "general.license.link", offsetof(struct gguf_meta, license_link) },
		{ "general.name", offsetof(struct gguf_meta, name) },
		{ "general.basename", offsetof(struct gguf_meta, basename) },
		{ "general.organization", offsetof(struct gguf_meta, organization) },
		{ "general.finetune", offsetof(struct gguf_meta, finetune) },
		{ "general.quantized_by", offsetof(struct gguf_meta, quantized_by) },
		{ "general.repo_url", offsetof(struct gguf_meta, repo_url) },
		{ "general.source.repo_url", offsetof(struct gguf_meta, source_repo_url) },
	};
	const unsigned char *k;
	const char *field;
	size_t kn;
	uint32_t t;
	unsigned long long idx;
	long long v;
	int rc, is_int, fl;

	snprintf(c->key, sizeof(c->key), "#%llu", m->kv_read);
	if ((rc = get_str(c, &k, &kn, "key")) != 0)
		return rc;
	set_key_label(c, k, kn);
	if ((rc = get32(c, &t)) != 0)
		return rc;
	if (key_eq(k, kn, "general.license")) {
		if (t == GT_STRING)
			return read_string_into(c, &m->license);
		if (t == GT_ARRAY)
			return read_joined_into(c, &m->license);
		return skip_value(c, t);
	}
	for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++)
		if (key_eq(k, kn, strings[i].key))
			return t == GT_STRING ? read_string_into(c, (char **)((char *)m + strings[i].off))
					      : skip_value(c, t);
	if (key_eq(k, kn, "general.base_model.count")) {
		if ((rc = read_int(c, t, &v, &is_int)) != 0 || !is_int)
			return rc;
		if (v < 0 || v > LT_MAX_PARENTS)
			return lt_error_set(c->err, LT_ETOOBIG, NULL, 0,
					    "gguf key '%s' says %lld base models, over the %d limit",
					    c->key, v, LT_MAX_PARENTS);
		return bases_reserve(c, m, (size_t)v);
	}
	if (key_eq(k, kn, "split.no") || key_eq(k, kn, "split.count")) {
		if ((rc = read_int(c, t, &v, &is_int)) != 0 || !is_int)
			return rc;
		*(key_eq(k, kn, "split.no") ? &m->split_no : &m->split_count) = v;
		return 0;
	}
	if ((fl = base_key(k, kn, &idx, &field)) > 0) {
		static const struct {
			const char *name;
			size_t off;
		} fields[] = {
			{ "name", offsetof(struct gguf_base, name) },
			{ "organization", offsetof(struct gguf_base, organization) },
			{ "repo_url", offsetof(struct gguf_base, repo_url) },
			{ "version", offsetof(struct gguf_base, version) },
		};
		const unsigned char *s;
		size_t sn, f;
		char *val = NULL, **dst;

		if (idx >= LT_MAX_PARENTS)
			return lt_error_set(c->err, LT_ETOOBIG, NULL, 0,
					    "gguf key '%s' names base model %llu, over the %d limit",
					    c->key, idx, LT_MAX_PARENTS);
		for (f = 0; f < sizeof(fields) / sizeof(*fields); f++)
			if (strlen(fields[f].name) == (size_t)fl && memcmp(field, fields[f].name, (size_t)fl) == 0)
				break;
		if (f == sizeof(fields) / sizeof(*fields) || t != GT_STRING)
			return skip_value(c, t);
		if ((rc = get_str(c, &s, &sn, "value")) != 0 || (rc = dup_checked(c, s, sn, &val)) != 0)
			return rc;
		if ((rc = bases_reserve(c, m, (size_t)idx + 1)) != 0) {
			free(val);
			return rc;
		}
		dst = (char **)((char *)&m->bases[idx] + fields[f].off);
		free(*dst);
		*dst = val;
		return 0;
	}
	return skip_value(c, t);
}

int gguf_parse(struct gguf_meta **out, const unsigned char *data, size_t len, int file_complete,
	       struct lt_error *err)
{
	struct gguf_meta *m = NULL;
	struct cursor c;
	uint32_t version;
	int rc = 0;

	if (!out || (!data && len))
		return lt_error_set(err, LT_EINVAL, NULL, 0, "gguf_parse: no data");
	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.p = data;
	c.len = len;
	c.err = err;
	if (len >= 4 && memcmp(data, "GGUF", 4) != 0)
		return lt_error_set(err, LT_EPARSE, NULL, 0, "not a gguf file (bad magic)");
	if (len < 24)
		return lt_error_set(err, LT_ETRUNC, NULL, 0, "truncated gguf header");
	version = rd32(data + 4);
	if (version != 2 && version != 3) {
		/* a byte-swapped small version is a big-endian file */
		if ((version & 0xffffu) == 0 && (version >> 24) >= 1 && (version >> 24) <= 3)
			return lt_error_set(err, LT_EUNSUPP, NULL, 0, "big-endian gguf not supported");
		return lt_error_set(err, LT_EUNSUPP, NULL, 0, "gguf version %u is not supported",
				    (unsigned)version);
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	m->version = version;
	m->split_no = m->split_count = -1;
	m->tensor_count = rd64(data + 8);
	m->kv_count = rd64(data + 16);
	c.off = 24;
	if (m->kv_count > LT_GGUF_MAX_KV) {
		rc = lt_error_set(err, LT_ETOOBIG, NULL, 0,
				  "gguf header declares %llu key/value pairs, over the %u limit",
				  m->kv_count, (unsigned)LT_GGUF_MAX_KV);
		goto done;
	}
	while (m->kv_read < m->kv_count) {
		size_t at = c.off;
		rc = read_pair(&c, m);
		if (rc == SHORT) {
			c.off = at;
			if (file_complete) {
				rc = lt_error_set(err, LT_ETRUNC, NULL, 0,
						  "truncated gguf header (in key '%s')", c.key);
				goto done;
			}
			m->truncated = 1;
			rc = 0;
			break;
		}
		if (rc)
			goto done;
		m->kv_read++;
	}
done:
	if (rc) {
		gguf_meta_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void gguf_meta_free(struct gguf_meta *m)
{
	if (!m)
		return;
	free(m->license);
	free(m->license_name);
	free(m->license_link);
	free(m->name);
	free(m->basename);
	free(m->organization);
	free(m->finetune);
	free(m->quantized_by);
	free(m->repo_url);
	free(m->source_repo_url);
	for (size_t i = 0; i < m->nbases; i++) {
		free(m->bases[i].name);
		free(m->bases[i].organization);
		free(m->bases[i].repo_url);
		free(m->bases[i].version);
	}
	free(m->bases);
	free(m);
}
