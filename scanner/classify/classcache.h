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
 * The text's SHA-256 is itself remembered for texts seen recently (a slot chosen
 * by a fast hash, the text kept and compared in full, at most 8 MiB of texts), so
 * a repeated LICENSE is hashed once.
 *
 * Bounded: at most CLASSCACHE_MAX_ENTRIES results; when full, it starts again.
 * Thread-safe (one lock); classify_text itself runs outside the lock.
 *
 * Across runs (classcache_set_dir): each result is also kept as one small file
 * in a folder of the cache, named "<data>-<text>.cls" after two SHA-256s: of
 * the text, and of the data the answer depends on (the lictrace version and the
 * whole loaded database, encoded as its snapshot is, so any change under
 * licenses/ or rules/, a --data root, or a new release selects other files; at
 * the first use in a run, the files of any other data are deleted). An entry
 * names licenses and rules by id and ends with a checksum of what precedes it;
 * one that is damaged, foreign, too large, not a regular file (a symbolic link
 * is never followed) or names an id the database lacks is ignored and the text
 * classified again (fail closed). Entries are written to a temporary file and
 * renamed into place; at most CLASSCACHE_DISK_MAX_FILES are kept (beyond it
 * nothing new is written), each at most CLASSCACHE_DISK_MAX_BYTES. Failing to
 * read or write the folder is never an error: the text is classified.
 */
#ifndef LT_CLASSCACHE_H
#define LT_CLASSCACHE_H

#include <stddef.h>

#include "classify.h"

#define CLASSCACHE_MAX_ENTRIES 65536u
/* Files in the on-disk folder: distinct license texts of one data version (an
 * organisation's audit meets dozens to a few hundred); 4,096 entries of a few
 * hundred bytes is under 2 MB. */
#define CLASSCACHE_DISK_MAX_FILES 4096u
/* One entry: a result lists at most a few dozen detections of ~100 bytes. */
#define CLASSCACHE_DISK_MAX_BYTES 65536u

/* classify_text(ctx, text, len, out, err) through the cache; db is the database
 * ctx was built from. Same contract: out is filled and must be released. */
int classcache_classify(const struct classify_ctx *ctx, const struct licensedb *db,
			const char *text, size_t len, struct classify_result *out,
			struct lt_error *err);
/* The same, and the text's SHA-256 (the cache's key) in sha, which lets a caller
 * remember its own facts about the text; *keyed is 0 when no key was computed
 * (no db, or a text over CLASSIFY_MAX_TEXT). */
int classcache_classify_keyed(const struct classify_ctx *ctx, const struct licensedb *db,
			      const char *text, size_t len, struct classify_result *out,
			      unsigned char sha[32], int *keyed, struct lt_error *err);

/* Drop every entry and the binding (before freeing the database or classifier).
 * The folder set by classcache_set_dir stays. */
void classcache_forget(void);

/* Keep results across runs in dir (created 0700 when missing; its last
 * component must not be a symbolic link); NULL or "" keeps them in memory only.
 * Borrowed: copied. Returns 0, or LT_ENOMEM. */
int classcache_set_dir(const char *dir);

struct classcache_stats {
	size_t hits, misses, entries;
	unsigned long long rebinds; /* times another classifier or database came */
	size_t disk_hits;    /* misses in memory answered from the folder */
	size_t disk_writes;  /* entries written to the folder */
	size_t disk_rejected; /* entries found but ignored (damaged, foreign, unknown ids) */
};
void classcache_get_stats(struct classcache_stats *out);

#endif
