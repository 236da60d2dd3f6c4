/* jstream.c - JSON written as it is produced; see jstream.h. */
#include "jstream.h"
#include "core/str.h"

#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <string.h>

static void flush_block(struct jstream *js)
{
	if (js->tap) {
		buf_add(js->tap, js->block + js->tap_from, js->len - js->tap_from);
		js->tap_from = 0;
	}
	if (js->len && fwrite(js->block, 1, js->len, js->out) != js->len)
		js->failed = 1;
	js->len = 0;
}

static void put_slow(struct jstream *js, const char *p, size_t n)
{
	flush_block(js);
	if (n > sizeof(js->block)) {
		if (js->tap)
			buf_add(js->tap, p, n);
		if (fwrite(p, 1, n, js->out) != n)
			js->failed = 1;
		return;
	}
	memcpy(js->block + js->len, p, n);
	js->len += n;
}

/* Most pieces are a few bytes that fit the block: a copy, inline. */
static inline void put(struct jstream *js, const char *p, size_t n)
{
	if (n > sizeof(js->block) - js->len) {
		put_slow(js, p, n);
		return;
	}
	memcpy(js->block + js->len, p, n);
	js->len += n;
}

static void put_spaces(struct jstream *js, size_t n)
{
	static const char spaces[] = "                                ";

	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		put(js, spaces, k);
		n -= k;
	}
}

/* A new line at the indent of the current depth (nothing when compact). */
static void newline(struct jstream *js)
{
	if (js->compact)
		return;
	put(js, "\n", 1);
	put_spaces(js, (size_t)js->base + 2 * (size_t)js->depth);
}

void jstream_init(struct jstream *js, FILE *out, int base)
{
	js->out = out;
	js->failed = 0;
	js->compact = base == JSTREAM_COMPACT;
	js->base = js->compact ? 0 : base;
	js->depth = 0;
	js->len = 0;
	js->tap = NULL;
	js->tap_from = 0;
}

void jstream_tap(struct jstream *js, struct buf *tap)
{
	if (js->tap)
		buf_add(js->tap, js->block + js->tap_from, js->len - js->tap_from);
	js->tap = tap;
	js->tap_from = js->len;
}

int jstream_flush(struct jstream *js)
{
	flush_block(js);
	return js->failed ? -1 : 0;
}

void jstream_raw(struct jstream *js, const char *p, size_t n)
{
	put(js, p, n);
}

/* Before a value: inside a list, the separator and the item's line. */
static void item(struct jstream *js)
{
	if (js->depth == 0 || !js->array[js->depth - 1])
		return;
	if (js->count[js->depth - 1]++)
		put(js, ",", 1);
	newline(js);
}

/* 1 for the bytes a string cannot hold as they are: control characters, '"',
 * '\\' (escaped), and every byte of 0x80 and over (checked as UTF-8). */
static int special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

/* Bytes at the start of p[0..n) that need no care, eight at a time: a word is
 * plain when none of its bytes is below 0x20, '"', '\\' or 0x80 and over (the
 * usual "has a byte less than / equal to" bit tests: never a miss, and a false
 * alarm only sends the word to the byte loop). */
static size_t plain_run(const unsigned char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;

#ifdef __SSE2__
	/* sixteen at a time, and the exact place: as signed bytes, 0x80 and over are
	 * negative, so one "less than 0x20" finds them and the control characters */
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i bad = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
					   _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
							_mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
		unsigned mask = (unsigned)_mm_movemask_epi8(bad);
		if (mask)
			return i + (size_t)__builtin_ctz(mask);
	}
#endif
	for (; i + 8 <= n; i += 8) {
		uint64_t x, q, b;
		memcpy(&x, p + i, 8);
		q = x ^ (ones * '"');
		b = x ^ (ones * '\\');
		if (((x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs) != 0)
			break;
	}
	while (i < n && !special(p[i]))
		i++;
	return i;
}

/* The escaped body of a string (no quotes); s is valid UTF-8 of n bytes. */
static void put_escaped(struct jstream *js, const char *s, size_t n)
{
	const char *run = s, *end = s + n;

	for (const char *p = s; p < end; p++) {
		unsigned char c;
		const char *esc;
		char seq[7];

		p += plain_run((const unsigned char *)p, (size_t)(end - p));
		if (p >= end)
			break;
		c = (unsigned char)*p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(js, run, (size_t)(p - run));
		run = p + 1;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			snprintf(seq, sizeof(seq), "\\u%04X", (unsigned)c);
			esc = seq;
		}
		put(js, esc, strlen(esc));
	}
	put(js, run, (size_t)(end - run));
}

/* "name": and a space, with nothing in the name to escape */
int jstream_quoted_ok(const char *quoted, size_t n)
{
	return n >= 4 && quoted[0] == '"' && memcmp(quoted + n - 3, "\": ", 3) == 0 &&
	       plain_run((const unsigned char *)quoted + 1, n - 4) == n - 4;
}

void jstream_keyn_plain_slow(struct jstream *js, const char *quoted, size_t n)
{
	if (js->depth == 0 || js->array[js->depth - 1] || n > sizeof(js->block)) {
		js->failed = 1;
		return;
	}
	if (js->count[js->depth - 1]++)
		put(js, ",", 1);
	newline(js);
	put(js, quoted, js->compact ? n - 1 : n);
}

void jstream_keyn(struct jstream *js, const char *key, size_t n)
{
	if (js->depth == 0 || js->array[js->depth - 1]) {
		js->failed = 1;
		return;
	}
	if (js->count[js->depth - 1]++)
		put(js, ",", 1);
	newline(js);
	put(js, "\"", 1);
	put_escaped(js, key, n);
	put(js, "\": ", js->compact ? 2 : 3);
}

void jstream_open(struct jstream *js, int array)
{
	item(js);
	if (js->depth >= JSTREAM_MAX_DEPTH) {
		js->failed = 1;
		return;
	}
	put(js, array ? "[" : "{", 1);
	js->array[js->depth] = (char)(array != 0);
	js->count[js->depth] = 0;
	js->depth++;
}

void jstream_close(struct jstream *js)
{
	int array;

	if (js->depth == 0) {
		js->failed = 1;
		return;
	}
	js->depth--;
	array = js->array[js->depth];
	if (js->count[js->depth])
		newline(js);
	put(js, array ? "]" : "}", 1);
}



/* One pass: runs of plain bytes and valid UTF-8 sequences are copied, the rest
 * escaped, and each byte that starts no valid sequence becomes U+FFFD (for a
 * valid string the same as escaping it whole; for another, the same as escaping
 * report_json_str's repaired copy). */

void jstream_str(struct jstream *js, const char *s)
{
	const char *p, *run, *end;
	unsigned char c;

	item(js);
	if (!s) {
		put(js, "null", 4);
		return;
	}
	put(js, "\"", 1);
	end = s + strlen(s);
	for (p = run = s; p < end;) {
		size_t k;

		p += plain_run((const unsigned char *)p, (size_t)(end - p));
		if (p >= end)
			break;
		c = (unsigned char)*p;
		if (c < 0x80) {
			put(js, run, (size_t)(p - run));
			put_escaped(js, p, 1);
			run = ++p;
		} else if ((k = lt_utf8_seq(p)) != 0) {
			p += k;
		} else {
			put(js, run, (size_t)(p - run));
			put(js, "\xEF\xBF\xBD", 3);
			run = ++p;
		}
	}
	put(js, run, (size_t)(p - run));
	put(js, "\"", 1);
}

void jstream_int(struct jstream *js, long long v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld", v);

	item(js);
	put(js, num, (size_t)n);
}

void jstream_bool(struct jstream *js, int v)
{
	item(js);
	put(js, v ? "true" : "false", v ? 4 : 5);
}

void jstream_null(struct jstream *js)
{
	item(js);
	put(js, "null", 4);
}

void jstream_real(struct jstream *js, double v)
{
	json_t *r = json_real(v); /* jansson's own spelling of a number */

	jstream_json(js, r);
	json_decref(r);
}

/* jansson's output, each newline followed by the indent of the depth the value
 * started at (JSON strings hold no raw newline, so each '\n' starts a line). */
static int put_dumped(const char *buf, size_t size, void *data)
{
	struct jstream *js = data;

	while (size) {
		const char *nl = memchr(buf, '\n', size);
		size_t n = nl ? (size_t)(nl - buf) + 1 : size;
		put(js, buf, n);
		if (nl)
			put_spaces(js, (size_t)js->base + 2 * (size_t)js->depth);
		buf += n;
		size -= n;
	}
	return js->failed ? -1 : 0;
}

void jstream_json(struct jstream *js, const json_t *j)
{
	item(js);
	if (!j || json_dump_callback(j, put_dumped, js,
				     (js->compact ? JSON_COMPACT : JSON_INDENT(2)) | JSON_PRESERVE_ORDER |
					     JSON_ENCODE_ANY))
		js->failed = 1;
}
