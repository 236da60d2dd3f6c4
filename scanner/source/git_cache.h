/*
 * git_cache.h - private to the git source backend (src_git.c and git_cache.c):
 * the bare clones of remote repositories in the cache, and libgit2's errors as
 * lt_error. Nothing outside scanner/source/ includes this header.
 */
#ifndef LT_SOURCE_GIT_CACHE_H
#define LT_SOURCE_GIT_CACHE_H

struct git_source_opts;
struct lt_error;

/* Make sure opts->cache_dir holds an up-to-date bare clone of url (fetched unless
 * offline, or rev is a full sha the clone already has); *out (caller frees) is its
 * path. A URL with credentials in it is refused (LT_EINVAL); the token goes only
 * to opts->token_host. 0, or an error in err. libgit2 must be initialised. */
int gitcache_prepare(char **out, const char *url, const char *rev,
		     const struct git_source_opts *opts, struct lt_error *err);

/* Fill err from libgit2's last error: "<what> '<subject>': <libgit2 message>"
 * (the message goes through log_redact: it may quote a URL or header). Returns the
 * lt_error code for gerr (src_git.c). */
int srcgit_fail(struct lt_error *err, int gerr, const char *what, const char *subject);

#endif
