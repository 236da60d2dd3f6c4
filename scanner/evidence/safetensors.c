/*
 * safetensors.c - safetensors header metadata; see safetensors.h.
 *
 * The top-level object is walked by a small scanner that only finds where each
 * value starts and ends (no recursion, no allocation); the `__metadata__` value
 * alone goes to jansson. A key is compared as raw bytes, so a key spelt with
 * \u escapes is not recognised; no writer does that.
 */
#include "safetensors.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static size_t ws(const unsigned char *h, size_t i, size_t n)
{
	while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\n' || h[i] == '\r'))
		i++;
	return i;
}

/* h[i] is '"': offset after the closing quote, or 0 when unterminated or when
 * it holds a raw control character (both invalid JSON). */
static size_t skip_string(const unsigned char *h, size_t i, size_t n)
{
	for (i++; i < n; i++) {
		if (h[i] == '"')
			return i + 1;
		if (h[i] < 0x20)
			return 0;
		if (h[i] == '\\')
			i++;
	}
	return 0;
}

/* Offset after the JSON value at h[i], or 0 when it is malformed. Containers are
 * skipped with a depth counter (bracket kinds are not matched against each
 * other: that part of the header is not ours to validate). */
static size_t skip_value(const unsigned char *h, size_t i, size_t n)
{
	size_t depth = 0, start = i;

	if (i >= n)
		return 0;
	if (h[i] == '"')
		return skip_string(h, i, n);
	if (h[i] != '{' && h[i] != '[') {
		while (i < n && h[i] != ',' && h[i] != '}' && h[i] != ']' && h[i] != ' ' &&
		       h[i] != '\t' && h[i] != '\n' && h[i] != '\r' && h[i] != '"' && h[i] != '{' &&
		       h[i] != '[' && h[i] != ':')
			i++;
		return i > start ? i : 0;
	}
	while (i < n) {
		unsigned char ch = h[i];
		if (ch == '"') {
			if ((i = skip_string(h, i, n)) == 0)
				return 0;
			continue;
		}
		if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			if (--depth == 0)
				return i + 1;
		}
		i++;
	}
	return 0;
}

/* Find the `__metadata__` value in the top-level object: [*vs, *ve), or both 0
 * when absent. Returns 0 or -1 when the header is not a well-formed object. */
static int find_metadata(const unsigned char *h, size_t n, size_t *vs, size_t *ve)
{
	static const char mk[] = "\"__metadata__\"";
	size_t i = ws(h, 0, n), ks, ke, e;

	*vs = *ve = 0;
	if (i >= n || h[i] != '{')
		return -1;
	i = ws(h, i + 1, n);
	if (i < n && h[i] == '}')
		return ws(h, i + 1, n) == n ? 0 : -1;
	for (;;) {
		if (i >= n || h[i] != '"' || (ke = skip_string(h, i, n)) == 0)
			return -1;
		ks = i;
		i = ws(h, ke, n);
		if (i >= n || h[i] != ':')
			return -1;
		i = ws(h, i + 1, n);
		if ((e = skip_value(h, i, n)) == 0)
			return -1;
		if (ke - ks == sizeof(mk) - 1 && memcmp(h + ks, mk, sizeof(mk) - 1) == 0) {
			*vs = i;
			*ve = e;
		}
		i = ws(h, e, n);
		if (i < n && h[i] == ',') {
			i = ws(h, i + 1, n);
			continue;
		}
		if (i < n && h[i] == '}')
			return ws(h, i + 1, n) == n ? 0 : -1;
		return -1;
	}
}

static int fill(struct st_meta *m, json_t *obj)
{
	const char *k;
	json_t *v;
	size_t cap = json_object_size(obj);

	if (cap == 0)
		return 0;
	m->keys = calloc(cap, sizeof(*m->keys));
	m->values = calloc(cap, sizeof(*m->values));
	if (!m->keys || !m->values)
		return LT_ENOMEM;
	json_object_foreach(obj, k, v) {
		if (!json_is_string(v))
			continue;
		m->keys[m->n] = lt_strdup(k);
		m->values[m->n] = lt_strdup(json_string_value(v));
		if (!m->keys[m->n] || !m->values[m->n]) {
			m->n++; /* so both are freed */
			return LT_ENOMEM;
		}
		m->n++;
	}
	return 0;
}

int safetensors_parse(struct st_meta **out, const unsigned char *data, size_t len,
		      unsigned long long file_size, struct lt_error *err)
{
	struct st_meta *m = NULL;
	const unsigned char *h;
	json_error_t jerr;
	json_t *meta = NULL;
	uint64_t hl = 0;
	size_t vs, ve;
	int rc = 0;

	if (!out || (!data && len))
		return lt_error_set(err, LT_EINVAL, NULL, 0, "safetensors_parse: no data");
	*out = NULL;
	if (len < 8) {
		if (file_size && file_size < 8)
			return lt_error_set(err, LT_EPARSE, NULL, 0,
					    "file of %llu bytes is too small for a safetensors header",
					    file_size);
		return lt_error_set(err, LT_ETRUNC, NULL, 0, "truncated safetensors header");
	}
	for (int i = 7; i >= 0; i--)
		hl = hl << 8 | data[i];
	if (hl > LT_SAFETENSORS_MAX_HEADER)
		return lt_error_set(err, LT_ETOOBIG, NULL, 0,
				    "safetensors header is %llu bytes, over the %u byte limit",
				    (unsigned long long)hl, (unsigned)LT_SAFETENSORS_MAX_HEADER);
	/* hl <= 25e6, so hl + 8 cannot overflow */
	if (file_size && hl + 8 > file_size)
		return lt_error_set(err, LT_EPARSE, NULL, 0,
				    "safetensors header length %llu runs past the end of the %llu byte file",
				    (unsigned long long)hl, file_size);
	if (len - 8 < hl)
		return lt_error_set(err, LT_ETRUNC, NULL, 0,
				    "truncated safetensors header (%llu bytes needed, %zu read)",
				    (unsigned long long)hl + 8, len);
	h = data + 8;
	if (find_metadata(h, (size_t)hl, &vs, &ve) != 0)
		return lt_error_set(err, LT_EPARSE, NULL, 0, "malformed safetensors header");
	m = calloc(1, sizeof(*m));
	if (!m)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	m->header_len = hl;
	if (ve > vs) {
		meta = json_loadb((const char *)h + vs, ve - vs, JSON_DECODE_ANY, &jerr);
		if (!meta) {
			rc = lt_error_set(err, LT_EPARSE, NULL, 0,
					  "malformed safetensors '__metadata__': %s", jerr.text);
			goto done;
		}
		if (!json_is_object(meta)) {
			rc = lt_error_set(err, LT_EPARSE, NULL, 0,
					  "safetensors '__metadata__' is not an object");
			goto done;
		}
		if (fill(m, meta) != 0)
			rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	}
done:
	json_decref(meta);
	if (rc) {
		safetensors_meta_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void safetensors_meta_free(struct st_meta *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->keys[i]);
		free(m->values[i]);
	}
	free(m->keys);
	free(m->values);
	free(m);
}

const char *st_meta_get(const struct st_meta *m, const char *key)
{
	if (!m || !key)
		return NULL;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->keys[i], key) == 0)
			return m->values[i];
	return NULL;
}
