/*
 * similar.h - whole-text similarity between normalised texts, by word 3-grams.
 *
 * A text is cut into words (struct simtext: one 64-bit hash per word); its
 * shingles are the hashes of every run of SIM_K consecutive words. A reference
 * text becomes a sorted set of shingles (struct simset). Two questions are asked:
 *
 *  - containment(ref, text): how much of the reference is in the text (a copy of
 *    MIT with another holder line scores ~0.97; a truncated copy scores less);
 *  - coverage of the text by references: which words of the text belong to no
 *    shingle of any reference. Many such words next to a standard license mean
 *    the text is that license plus extra terms (a "modified MIT").
 *
 * Hash collisions only ever add matches; with 64-bit hashes and texts of a few
 * thousand words they do not happen in practice.
 *
 * Ownership: build functions fill caller structs whose arrays the caller releases
 * with the matching _release (which accepts zeroed structs).
 */
#ifndef LT_SIMILAR_H
#define LT_SIMILAR_H

#include <stddef.h>
#include <stdint.h>

#define SIM_K 3

struct simtext {
	uint64_t *word;   /* hash of each word */
	uint32_t *start;  /* byte offset of each word in the normalised text */
	size_t n;
};

struct simset {
	uint64_t *v;      /* sorted, unique shingle hashes */
	size_t n;
};

/* Split a normalised text (words separated by single spaces) into words.
 * Returns 0 or LT_ENOMEM. */
int simtext_build(struct simtext *out, const char *norm, size_t len);
void simtext_release(struct simtext *t);

/* Hash of the shingle starting at word i (i + SIM_K <= t->n). */
uint64_t simtext_shingle(const struct simtext *t, size_t i);

/* The shingle set of a text (empty when it has fewer than SIM_K words). */
int simset_build(struct simset *out, const struct simtext *t);
void simset_release(struct simset *s);
int simset_has(const struct simset *s, uint64_t h);

/* Fraction of a's shingles that are in b (0 when a is empty). */
double simset_containment(const struct simset *a, const struct simset *b);

/* Mark in covered[0..t->n) (set to mark, where still 0) every word of t that
 * belongs to a shingle present in ref. */
void simtext_cover(const struct simtext *t, const struct simset *ref, unsigned char *covered,
		   unsigned char mark);

#endif
