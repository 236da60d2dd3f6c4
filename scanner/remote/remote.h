/*
 * remote.h - the interface of the remote plugin (liblictrace-remote.so): the
 * parts of lictrace that need libcurl, libgit2 or libarchive. The binary loads it
 * with dlopen() on first use (cli/plugin.c), so `classify`, `licenses`, `rules` and
 * scans of plain folders start without loading those libraries and their
 * dependencies (about 9 ms of dynamic linking on a 2-core machine).
 *
 * The plugin exports one symbol, lictrace_remote_api(), returning this table.
 * It calls back into the binary's own core/source/record code (the binary exports
 * its symbols), so there is one log and one set of redacted secrets.
 */
#ifndef LT_REMOTE_H
#define LT_REMOTE_H

#include <stddef.h>

struct source;
struct lt_error;
struct git_source_opts;
struct archive_limits;
struct http_client;
struct http_opts;
struct hub_opts;
struct resolver;
struct resolver_env;

/* Bumped whenever this table changes; the loader refuses a mismatch. */
#define LT_REMOTE_ABI 3

struct lt_remote_api {
	unsigned abi;
	int (*open_git)(struct source **out, const char *repo, const char *rev,
			const struct git_source_opts *opts, struct lt_error *err);
	int (*git_is_url)(const char *target);
	int (*git_is_repo)(const char *path);
	int (*open_archive)(struct source **out, const char *path, const struct archive_limits *lim,
			    struct lt_error *err);
	int (*archive_name_matches)(const char *path);
	int (*hub_parse_target)(const char *target, char **id, char **rev);
	int (*hub_token_from_env)(char **out, const char *token_file_opt);
	void (*http_default_opts)(struct http_opts *opts);
	int (*http_client_new)(struct http_client **out, const struct http_opts *opts,
			       struct lt_error *err);
	void (*http_client_free)(struct http_client *c);
	char *(*cache_default_dir)(void);
	struct resolver *(*resolver_hub_new)(struct http_client *client, const struct hub_opts *opts,
					     const struct resolver_env *env);
	int (*hub_list_models)(struct http_client *client, const struct hub_opts *opts, const char *author,
			       char ***out_ids, size_t *out_n, struct lt_error *err);
};

const struct lt_remote_api *lictrace_remote_api(void);

#endif
