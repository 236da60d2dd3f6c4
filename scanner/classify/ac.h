/*
 * ac.h - an Aho-Corasick automaton: many byte patterns, one pass over a text.
 *
 * Life cycle: ac_new(), ac_add() every pattern, ac_build() once, then ac_scan()
 * any number of times (a built automaton is read-only, so scans may run in
 * parallel). Memory is linear in the total pattern bytes: a trie with sorted
 * sparse edges (a dense table only at the root), failure links and output links,
 * about 25 bytes per trie state. The number of states is capped at creation.
 *
 * Ownership: the automaton copies nothing it does not need (patterns are not
 * kept, only their lengths); ac_free() releases everything and accepts NULL.
 */
#ifndef LT_AC_H
#define LT_AC_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct lt_error;
struct ac;

enum ac_flags {
	AC_BYTES = 0,
	/* Report a hit only when it starts and ends on a word boundary of a normalised
	 * text: at the text's ends or next to a ' ' byte ("llama 3" does not hit in
	 * "llama 3.1", "mit" does not hit in "permit"). */
	AC_WORDS = 1
};

/* Default cap on trie states: 20k rules x a few phrases of < 1 KiB each would
 * stay far below; a runaway rules directory fails instead of eating memory. */
#define AC_MAX_STATES (1u << 22)

int ac_new(struct ac **out, unsigned flags, size_t max_states, struct lt_error *err);
/* Add pattern p[0..len) (len > 0) before ac_build(). *id receives the pattern's
 * id: ids are dense from 0 in order of first addition, and adding the same bytes
 * again returns the same id. LT_ETOOBIG past the state cap, LT_EINVAL after build. */
int ac_add(struct ac *ac, const char *p, size_t len, uint32_t *id, struct lt_error *err);
int ac_build(struct ac *ac, struct lt_error *err);
void ac_free(struct ac *ac);

size_t ac_npatterns(const struct ac *ac);
size_t ac_nstates(const struct ac *ac);
size_t ac_memory(const struct ac *ac); /* bytes held, for measurement */
/* Length of pattern id (< ac_npatterns()). */
uint32_t ac_pattern_len(const struct ac *ac, uint32_t id);

/* The built automaton as bytes, appended to out (native byte order; the
 * caller's container says whose): ac_import() of them gives an automaton that
 * scans exactly alike. LT_EINVAL before ac_build(), LT_ENOMEM. */
int ac_export(const struct ac *ac, struct buf *out);
/* An automaton from ac_export() bytes, which are not trusted: every count and
 * index is checked (one tree, children numbered above their parent, sorted
 * edges, failure and output links to shallower states, one state per pattern
 * with its length as depth), so a damaged image cannot make ac_scan() read out
 * of bounds or loop. The automaton borrows data (4-byte aligned), which must
 * stay alive and unchanged until ac_free(). 0, or LT_EPARSE with *out NULL;
 * *used gets the bytes consumed. */
int ac_import(struct ac **out, const void *data, size_t len, size_t max_states, size_t *used);

/* Called for every hit, in order of end offset (end = offset after the last
 * byte). A nonzero return stops the scan and is returned by ac_scan(). */
typedef int (*ac_hit_fn)(void *payload, uint32_t id, size_t end);

/* One pass over text[0..len). Returns 0 or the callback's nonzero value. */
int ac_scan(const struct ac *ac, const char *text, size_t len, ac_hit_fn fn, void *payload);

#endif
