/*
 * jstream.h - JSON written as it is produced, without building a tree first.
 *
 * The layout is exactly jansson's JSON_INDENT(2) | JSON_PRESERVE_ORDER output
 * with every line after the first shifted right by `base` spaces, so a writer
 * can stream the bulk of a document and still hand a jansson subtree over
 * (jstream_json) without a seam in the text: a report written either way is the
 * same bytes. Output gathers in a 32 KB block and goes to the FILE a block at a
 * time; jstream_flush() writes what is left (call it before anything else writes
 * to that FILE). Errors are sticky: a failed write, an allocation failure or
 * nesting deeper than JSTREAM_MAX_DEPTH sets `failed`, later calls write
 * nothing more, and jstream_flush() returns -1.
 *
 * Compact (base JSTREAM_COMPACT): jansson's JSON_COMPACT layout instead, no
 * newline and no space anywhere (separators "," and ":").
 *
 * Strings: NULL is written as null; text that is not valid UTF-8 has each bad
 * byte replaced by U+FFFD (as report_json_str()); '"', '\\' and control
 * characters are escaped as jansson escapes them.
 */
#ifndef LT_JSTREAM_H
#define LT_JSTREAM_H

#include "core/buf.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define JSTREAM_MAX_DEPTH 32
/* jstream_init's base for the compact layout */
#define JSTREAM_COMPACT (-1)

struct jstream {
	FILE *out; /* borrowed */
	int failed;
	int base;  /* spaces before every line after the first */
	int compact; /* no newlines, no spaces (base JSTREAM_COMPACT) */
	int depth; /* containers open */
	size_t count[JSTREAM_MAX_DEPTH]; /* members written so far in each */
	char array[JSTREAM_MAX_DEPTH];   /* 1: a list, 0: an object */
	size_t len;
	struct buf *tap; /* jstream_tap: also gets the bytes from tap_from on */
	size_t tap_from;
	char block[32768];
};

void jstream_init(struct jstream *js, FILE *out, int base);
/* Write what is gathered; 0, or -1 when anything failed since jstream_init. */
int jstream_flush(struct jstream *js);
/* Copy what is written from now on into tap as well (NULL: stop); see
 * buf_error(tap) for a failed copy. */
void jstream_tap(struct jstream *js, struct buf *tap);
/* Bytes as they are, outside the JSON structure (a separator between documents). */
void jstream_raw(struct jstream *js, const char *p, size_t n);

/* A container as the next value: '{' (array 0) or '[' (array 1); jstream_close
 * ends the innermost ("{}" and "[]" when empty, as jansson). */
void jstream_open(struct jstream *js, int array);
void jstream_close(struct jstream *js);
/* The name of the next member of the object open now; its value follows.
 * jstream_keyn takes its length (a literal's is known when compiling). */
void jstream_keyn(struct jstream *js, const char *key, size_t n);
static inline void jstream_key(struct jstream *js, const char *key)
{
	jstream_keyn(js, key, strlen(key));
}
/* A name the program spells, that needs no escaping (plain ASCII, no quote,
 * backslash or control character), given as it is written: quoted, with the
 * colon and a space (JSTREAM_KEY_LIT makes it from a string literal: "\"name\": ",
 * n its length). Not checked byte by byte, except in a debug build, where a name
 * that needs escaping fails the stream. */
void jstream_keyn_plain_slow(struct jstream *js, const char *quoted, size_t n);
int jstream_quoted_ok(const char *quoted, size_t n);
static inline void jstream_keyn_plain(struct jstream *js, const char *quoted, size_t n)
{
#ifndef NDEBUG
	if (!jstream_quoted_ok(quoted, n)) {
		js->failed = 1;
		return;
	}
#endif
	/* compact, inside an object, with room: a copy (of a length known when
	 * compiling, where this is inlined with a literal) */
	if (js->compact && js->depth > 0 && !js->array[js->depth - 1] &&
	    n + 1 <= sizeof(js->block) - js->len) {
		char *b = js->block + js->len;
		if (js->count[js->depth - 1]++)
			*b++ = ',';
		memcpy(b, quoted, n - 1); /* without the space */
		js->len = (size_t)(b - js->block) + n - 1;
		return;
	}
	jstream_keyn_plain_slow(js, quoted, n);
}
#define JSTREAM_QUOTED(lit) "\"" lit "\": "
#define JSTREAM_KEY_LIT(js, lit) jstream_keyn_plain((js), JSTREAM_QUOTED(lit), sizeof(JSTREAM_QUOTED(lit)) - 1)

/* Values: the next member's value, or the next item of the list open now. */
void jstream_str(struct jstream *js, const char *s);
void jstream_int(struct jstream *js, long long v);
void jstream_bool(struct jstream *js, int v);
void jstream_null(struct jstream *js);
void jstream_real(struct jstream *js, double v);
/* A jansson value (borrowed), laid out at the current depth; NULL fails. */
void jstream_json(struct jstream *js, const json_t *j);

#endif
