/*
 * frontmatter.h - set top-level keys in a model card's YAML front matter as text:
 * every other line (the user's keys, formatting, comments, the body) stays byte
 * for byte. A key that is present has its value replaced (the last occurrence,
 * the one YAML loaders keep; a comment on its line and comment lines inside its
 * old value are kept), and its earlier occurrences go, values and all (their
 * comment lines stay); a missing key is added before the closing `---`; a card
 * without front matter gets one. The caller checks the result with card_parse().
 */
#ifndef LT_FIX_FRONTMATTER_H
#define LT_FIX_FRONTMATTER_H

#include <stddef.h>

struct buf;
struct lt_error;

struct fm_kv {
	const char *key;
	const char *const *values; /* one value: a scalar; several: a block list */
	size_t nvalues;
};

/* Write text (len bytes) with the keys set into out. 0, LT_EPARSE when the front
 * matter cannot be edited as text (no closing line, CR-only line ends, a value
 * with control characters), LT_ENOMEM / LT_ETOOBIG. */
int fm_set(struct buf *out, const char *text, size_t len, const struct fm_kv *kv, size_t n,
	   struct lt_error *err);

#endif
