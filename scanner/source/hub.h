/*
 * hub.h - the Hugging Face-compatible hub backend of struct source.
 *
 * hub_open_many() opens many models at once: phase 1 asks the API for each
 * model's info (commit sha, gated flag, card data, tags, file list) in one
 * concurrent batch; phase 2 fetches, in one batch across all models, only the
 * files the scanner reads (card, license-like root files, configs, and the first
 * bytes of one GGUF and one safetensors file), every URL pinned to the sha from
 * phase 1 so a push between the phases cannot mix two commits. Each resulting
 * source lists every file of the repo and serves the fetched ones from memory.
 *
 * Cache (http/cache.h): API answers are stored per (endpoint, id, requested
 * revision) and revalidated with If-None-Match when online; files are stored per
 * (endpoint, id, sha, path) and, being immutable at a sha, are served from the
 * cache without a request. Offline (--offline or HF_HUB_OFFLINE) nothing goes on
 * the network: the lictrace cache is used, else an existing huggingface_hub
 * cache ($HF_HOME/hub/models--org--name/refs/<rev> -> snapshots/<sha>/); what is
 * in neither is LT_ENOTFOUND "not in the offline cache".
 *
 * Errors, per model in out_errs[i]: LT_ENOTFOUND (repo or revision does not
 * exist, or not in the offline cache), LT_EAUTH (401 without a token: missing or
 * private; invalid token; token without permission), LT_ENET (network failure
 * after retries), LT_ETRUNC (a file stayed truncated; the message names it),
 * LT_EPARSE (an API answer that is not model info). A gated repo is NOT an
 * error: info->gated = 1, README.md is read (the Hub serves it to anyone), and
 * each other file that was refused becomes a source problem "gated: 'LICENSE'
 * needs an access token with granted access".
 *
 * Ownership: every returned source, info and string is the caller's
 * (source_free, hub_model_info_free, free). Nothing here prints or reads the
 * token except through the http client, which never logs it.
 */
#ifndef LT_HUB_H
#define LT_HUB_H

#include <stddef.h>

struct http_client;
struct lt_error;
struct source;

#define HUB_DEFAULT_ENDPOINT "https://huggingface.co"

/* Bytes of a GGUF or safetensors file fetched for its header: GGUF metadata sits
 * before the tensor data and is < 1 MiB except for huge vocabularies; the
 * safetensors header is usually < 100 KiB (huggingface_hub reads 100,000). The
 * evidence parsers treat a header cut short as "truncated", not as an error. */
#define HUB_HEADER_BYTES (1024u * 1024u)
/* Model info JSON: siblings of a 10,000-file repo with blobs=true are ~3 MiB. */
#define HUB_MAX_API_BYTES (32u * 1024u * 1024u)
/* Hub limits: a repo name or an org name is at most 96 characters. */
#define HUB_MAX_NAME 96
/* A revision (branch, tag, "refs/pr/N", sha) longer than this is not real. */
#define HUB_MAX_REV 256
/* Pages of /api/models?author= followed before giving up (1,000 ids a page). */
#define HUB_MAX_LIST_PAGES 200

/* The kind of repository hub_open_many() opens. A dataset lives under other
 * URLs (`/api/datasets/{id}`, `/datasets/{id}/resolve/...`), in another cache
 * entry (its cache key's repo is "datasets/{id}", so a model and a dataset of one
 * id never share an entry) and in the huggingface_hub cache's datasets--org--name. */
enum hub_repo_type { HUB_REPO_MODEL = 0, HUB_REPO_DATASET = 1 };

struct hub_opts {
	const char *endpoint;  /* --endpoint; NULL: $HF_ENDPOINT, else HUB_DEFAULT_ENDPOINT */
	const char *cache_dir; /* --cache; NULL: the default folder; "": no cache */
	int offline;           /* --offline; HF_HUB_OFFLINE truthy also turns it on */
	const char *hf_home;   /* huggingface_hub home for offline reads (its hub/ folder
	                        * is the cache); NULL: $HF_HUB_CACHE, else $HF_HOME/hub,
	                        * else $XDG_CACHE_HOME/huggingface/hub, else
	                        * ~/.cache/huggingface/hub, as huggingface_hub does */
	enum hub_repo_type repo_type; /* HUB_REPO_MODEL (0) unless set */
	/* Optional: 1 for a top-level name the caller reads as a license, notice or
	 * policy text (the scanner's file roles). Such a file is fetched (up to the
	 * license size limit) besides the fixed set hub_wants.c names. */
	int (*reads_text)(void *arg, const char *name);
	void *reads_arg;
};

struct hub_model_info {
	char *id;             /* "org/name" as the hub spells it */
	char *sha;            /* 40-hex commit */
	int gated;            /* 0, or 1 for "auto"/"manual" (or files refused as gated) */
	char *card_data_json; /* cardData as compact JSON text, or NULL */
	char **tags;
	size_t ntags;
	char *error_code;     /* X-Error-Code of a refusal (e.g. "GatedRepo"), or NULL */
};

/*
 * Open ids[0..n) ("org/name" or "org/name@rev"). out_sources[i] and
 * out_infos[i] (out_infos may be NULL) receive a new source and info, or NULL
 * when model i failed with out_errs[i] set; out_errs[i].code is 0 otherwise.
 * client may be NULL when offline. Returns 0 when every model opened, else the
 * code of the first that failed; LT_EINVAL/LT_ENOMEM for the call as a whole.
 */
int hub_open_many(struct http_client *client, const struct hub_opts *opts,
		  const char *const *ids, size_t n, struct source **out_sources,
		  struct hub_model_info **out_infos, struct lt_error *out_errs);
void hub_model_info_free(struct hub_model_info *info);

/*
 * Parse a hub target: "org/name", "org/name@rev", "https://huggingface.co/org/name",
 * ".../tree/<rev>[/...]", ".../blob/<rev>/<path>", ".../resolve/<rev>/<path>",
 * and the same on "hf.co" or "huggingface.co" with or without a scheme. *id and
 * *rev (NULL when none) are new strings. LT_EINVAL for anything else (datasets,
 * spaces, other hosts, bad names). A bare "org/name" may also be a local path;
 * the caller decides which reading wins.
 */
int hub_parse_target(const char *target, char **id, char **rev);

/*
 * The token huggingface_hub would use: $HF_TOKEN, else token_file_opt
 * (--token-file), else $HF_TOKEN_PATH, else $HF_HOME/token (HF_HOME as above;
 * skipped when HF_HUB_DISABLE_IMPLICIT_TOKEN is truthy). Trailing whitespace is
 * stripped. *out is a new string, or NULL when there is no token (not an
 * error). An explicit token_file_opt that cannot be read is LT_ENOTFOUND; a
 * token with control characters is LT_EINVAL. The token is registered with
 * log_add_secret() and never appears in a message.
 */
int hub_token_from_env(char **out, const char *token_file_opt);

/*
 * Every model id of author (an org or user) on the hub, following the Link
 * rel="next" pages (at most HUB_MAX_LIST_PAGES). *out_ids is a new array of new
 * strings (free each, then the array). Never offline: LT_EINVAL then.
 */
int hub_list_models(struct http_client *client, const struct hub_opts *opts, const char *author,
		    char ***out_ids, size_t *out_n, struct lt_error *err);

#endif
