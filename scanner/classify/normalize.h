/*
 * normalize.h - license text normalisation: the one form every text and every
 * rule phrase is compared in.
 *
 * The output is lower-case words separated by single spaces, with no leading or
 * trailing space. Two copies of one license that differ only in formatting
 * (line ends, wrapping, quotes, markdown, entities, a database's YAML header)
 * normalise to the same bytes, so a phrase taken from one copy matches the other.
 *
 * The rules, exactly:
 *
 *  1. Decoding. Input is UTF-8 (a UTF-16 text with a byte-order mark is decoded
 *     as UTF-16). An invalid byte is kept as an opaque one-byte letter: never an
 *     error, never a crash.
 *  2. Words. A word is a run of ASCII letters and digits (letters lower-cased),
 *     fullwidth letters and digits and the ligatures U+FB00..U+FB06 (folded to
 *     ASCII: "ﬁle" is "file"), and any other non-ASCII
 *     code point not listed below (kept as its UTF-8 bytes: CJK text becomes
 *     words as it is). A word also ends where CJK script (ideographs, kana,
 *     hangul) meets another script, so "Baichuan 2模型" equals "Baichuan 2 模型".
 *  3. Everything else separates words: whitespace of every kind (CR, LF, tab,
 *     no-break and other Unicode spaces), ASCII punctuation, dashes, quotes,
 *     bullets, box drawing, CJK and fullwidth punctuation, control characters.
 *     So markdown (# headings, ** __ * _ emphasis, `code`, ``` fences, > quotes,
 *     | tables, - * + bullets, [text](url) links whose text and url words are
 *     both kept) disappears, and "llama3_3", "llama3\_3" and "llama3 3" are equal.
 *     Exceptions:
 *       - '.' between two digits is kept, so versions and dates stay one word:
 *         "3.1", "2.0" ("1." at a sentence end or in list numbering is dropped);
 *       - an apostrophe (' U+2018 U+2019 U+201B U+2032 U+02BC) between two word characters is
 *         dropped without a separator: "People's" and "People’s" both give
 *         "peoples";
 *       - '+' right after a word character is part of the word: "rail++", "2.0+";
 *       - U+00A9 (copyright sign) is the word "c", so "Copyright ©" equals
 *         "Copyright (c)";
 *       - zero-width characters, the byte-order mark, soft hyphens, bidi marks,
 *         U+00AE and U+2122 are dropped without separating anything.
 *  4. Markup (full mode only; NORM_PLAIN turns these off):
 *       - a backslash before ASCII punctuation is a markdown escape: "1\." is
 *         "1.", "3\.1" is "3.1";
 *       - HTML entities: &amp; &lt; &gt; &quot; &apos; &nbsp; &copy; &reg;
 *         &trade; &ndash; &mdash; &lsquo; &rsquo; &ldquo; &rdquo; &hellip; &sect;
 *         and numeric &#NNN; &#xHH; are decoded, then treated as the character;
 *       - HTML comments and common HTML tags (<br>, <p>, <a href=...>, ...) separate;
 *       - a YAML header at the top (a "---" line, YAML-looking lines, then a
 *         "---" or "..." line), as license databases add, is dropped;
 *       - up to three leading pointer lines of the form "[... see ...]" or
 *         "[... http... ]" (e.g. "[For the original license, see URL]") are dropped.
 *
 * Phrases in the rule files go through the same function, so they may be written
 * naturally ("Llama 3.1 Version Release Date: July 23, 2024").
 */
#ifndef LT_NORMALIZE_H
#define LT_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct lt_error;

enum norm_flags {
	NORM_FULL = 0,  /* everything above */
	NORM_PLAIN = 1  /* no markup handling (rule 4): the literal form used by phrase checks */
};

/*
 * Where each byte of a normalised text came from. Output bytes are kept as runs:
 * inside a run, output byte i comes from input offset off + (i - pos), and a new
 * run starts wherever that stops holding (a dropped separator, an entity, a
 * multi-byte character). A license text of a few thousand words has a few
 * hundred runs, so the map costs a few kilobytes where an offset per byte cost
 * four bytes a byte. A text that breaks runs more often than every other byte
 * gets that offset per byte instead (flat), so the map never costs more.
 */
struct norm_run {
	uint32_t pos; /* first output byte of the run */
	uint32_t off; /* its input offset */
};

struct norm_map {
	struct norm_run *run; /* ascending pos; run[0].pos == 0 when out_len > 0 */
	size_t n;
	uint32_t *flat;       /* instead of runs: the offset of each output byte */
	uint32_t out_len;     /* bytes of the normalised text */
	uint32_t in_len;      /* bytes of the input */
};

/* The input offset of output byte i: for a separator space, of the first
 * separating input byte; for the k-th byte of what a character became, of the
 * character's k-th input byte (its last when it has fewer). in_len for
 * i >= out_len. */
uint32_t norm_map_offset(const struct norm_map *m, size_t i);
void norm_map_release(struct norm_map *m); /* accepts a zeroed map */

/*
 * Normalise in[0..len) into out (reset first; its cap bounds the output, which
 * is at most 3/2 of len). When map is not NULL it receives where each output byte
 * came from (release it with norm_map_release, also after an error). Returns 0,
 * LT_ETOOBIG (len over 4 GiB or the buffer cap) or LT_ENOMEM.
 */
int normalize_text(struct buf *out, struct norm_map *map, const char *in, size_t len,
		   struct lt_error *err);
int normalize_text_opts(struct buf *out, struct norm_map *map, const char *in, size_t len,
			int flags, struct lt_error *err);

#endif
