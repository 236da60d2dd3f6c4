/*
 * classcache.h - classification results cached by the text's SHA-256 for a run.
 *
 * An audit reads the same LICENSE text many times over (4,001 files held 24
 * distinct texts in a 10,000-model forest); each distinct text is classified
 * once. The cache is bound to one classifier and the database it was built from:
 * a call with another pair drops every entry (results point into their
 * database), and classcache_forget() must be called before either is freed
 * (wire_release does). So a database loaded again, from changed licenses/ or
 * rules/ or not, never gets an answer computed with other data.
 *
 * Bounded: at most CLASSCACHE_MAX_ENTRIES results; when full, it starts again.
 * Thread-safe (one lock); classify_text itself runs outside the lock.
 */
#ifndef LT_CLASSCACHE_H
#define LT_CLASSCACHE_H

#include <stddef.h>

#include "classify.h"

#define CLASSCACHE_MAX_ENTRIES 65536u

/* classify_text(ctx, text, len, out, err) through the cache; db is the database
 * ctx was built from. Same contract: out is filled and must be released. */
int classcache_classify(const struct classify_ctx *ctx, const struct licensedb *db,
			const char *text, size_t len, struct classify_result *out,
			struct lt_error *err);

/* Drop every entry and the binding (before freeing the database or classifier). */
void classcache_forget(void);

struct classcache_stats {
	size_t hits, misses, entries;
	unsigned long long rebinds; /* times another classifier or database came */
};
void classcache_get_stats(struct classcache_stats *out);

#endif
