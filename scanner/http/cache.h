/*
 * cache.h - the on-disk cache of hub answers (`--cache DIR`).
 *
 * An entry is keyed by (endpoint, repo, rev, path, variant): a file of a repo at a
 * commit ("path" set), or an API answer for a repo at a requested revision ("path"
 * NULL, variant "api"). Each entry is ONE file holding the key, the ETag (for
 * If-None-Match revalidation), a "partial" flag (the body is a prefix, e.g. a
 * Range read of a weights header), a SHA-256 checksum and the body; it is written
 * to a temporary file and renamed, so a killed run leaves either the old entry or
 * the new one, never a broken one (plus, at worst, a temp file that the next run
 * removes: cache_clean_temp()). The checksum is verified on every read: an entry
 * that does not match it (a flipped bit, an edit) is reported as corrupt and
 * never served. An entry whose stored key differs from the one asked for is a
 * miss.
 *
 * File names are a hash of the key, so no name taken from a server (repo, path,
 * revision) ever becomes a path on disk. The token is never part of a key, a
 * file name or a stored body: callers must not put it in any key field.
 *
 * Ownership: cache_open() copies dir; strings returned through out-parameters
 * are the caller's to free().
 */
#ifndef LT_HTTP_CACHE_H
#define LT_HTTP_CACHE_H

#include <stddef.h>

struct buf;
struct lt_error;
struct cache;

struct cache_key {
	const char *endpoint; /* "https://huggingface.co" */
	const char *repo;     /* "org/name" */
	const char *rev;      /* commit sha for files; the requested revision ("" for the
	                       * default branch) for API answers */
	const char *path;     /* file in the repo, or NULL */
	const char *variant;  /* NULL for a whole file; "api", "range=0-1048575",
	                       * "gated" (a remembered refusal, empty body) ... */
};

/* The default folder: $XDG_CACHE_HOME/lictrace, else $HOME/.cache/lictrace, else
 * NULL (no cache). Caller frees. */
char *cache_default_dir(void);

/* Open a cache rooted at dir. dir NULL means cache_default_dir(); dir "" (or no
 * default) gives a disabled cache whose gets miss and whose puts do nothing. The
 * folder is created (mode 0700: entries may hold gated files) on the first put. */
int cache_open(struct cache **out, const char *dir, struct lt_error *err);
void cache_free(struct cache *c);
/* 1 when the cache stores nothing. */
int cache_disabled(const struct cache *c);

/*
 * Append the body of entry k (at most max bytes) to out. *etag (may be NULL in)
 * receives the stored ETag or NULL; *partial (may be NULL) the partial flag.
 * Returns 0; LT_ENOTFOUND for a miss (no entry, another key, one over max, an
 * entry of an older format), without touching err; LT_EPARSE, with err saying
 * which entry, for a corrupt one (checksum or format): the caller treats it as
 * absent and should say so. out is untouched unless 0 is returned.
 */
int cache_get(struct cache *c, const struct cache_key *k, size_t max, struct buf *out,
	      char **etag, int *partial, struct lt_error *err);
/* Store entry k atomically. etag may be NULL; it is kept only if it is short
 * printable ASCII (it comes from a server). */
int cache_put(struct cache *c, const struct cache_key *k, const void *data, size_t len,
	      const char *etag, int partial, struct lt_error *err);

/*
 * Remove the temp files that runs killed mid-write left in the cache: only names
 * of our own pattern ("<entry>.tmp.<pid>"), only regular files (a link is never
 * followed or removed), only files last written before this call, and only when
 * their writer's pid no longer runs (or they are over an hour old). Meant to run
 * once per run, before its first write. Returns how many were removed; failures
 * are silent (a read-only or foreign cache stays as it is).
 */
int cache_clean_temp(struct cache *c);

#endif
