/*
 * hub_json.h - the hub API's JSON answers, read and written. Private to the hub
 * backend (src_hub.c fetches, this file reads what was fetched); not part of the
 * source interface.
 *
 * Every answer is untrusted: it may come from any server named by --endpoint,
 * or from a cache file. Parsing is bounded (HUB_MAX_TAGS tags, LT_MAX_DIR_ENTRIES
 * files, LT_MAX_MODELS ids; the caller caps the bytes at HUB_MAX_API_BYTES);
 * unsafe file names are reported on the source and skipped, never used.
 *
 * Ownership: strings and structs returned are new (the caller frees them:
 * hub_model_info_free, free); inputs are borrowed.
 */
#ifndef LT_HUB_JSON_H
#define LT_HUB_JSON_H

#include <stddef.h>

struct hub_model_info;
struct lt_error;
struct source;

/* Tags on one model: real models have < 100; the cap stops a hostile answer. */
#define HUB_MAX_TAGS 10000

/*
 * Read a model info answer (GET /api/models/{id}[/revision/{rev}]?blobs=true:
 * "id", "sha", "gated", "cardData", "tags", "siblings" with "rfilename" and
 * "size" or "lfs.size"; and our own "lictrace_info_refused" of a gated answer,
 * see hub_json_refused_info) from json[0..len). *out receives a new info; every
 * file listed is added to src (an existing, empty source: its revision is set
 * to the sha, its entries sorted; problems are noted on it: unsafe names, too
 * many files, a refused file list). asked_id ("org/name") names the model in
 * messages and stands in for an id the answer spells badly.
 * 0; LT_EPARSE (not a JSON object, no 40-hex sha) or LT_ENOMEM, with err set
 * and *out NULL (src may hold some entries then).
 */
int hub_json_model_info(struct hub_model_info **out, struct source *src, const char *json,
			size_t len, const char *asked_id, struct lt_error *err);

/*
 * Append the "id" of every object of a model listing page (GET
 * /api/models?author=..., a JSON array) to (*ids)[0..*n), at most LT_MAX_MODELS
 * in all (the rest are ignored); elements without a string id are skipped.
 * 0; LT_EPARSE when the page is not a JSON array; LT_ENOMEM. On failure the
 * array holds what was appended before (the caller frees *ids[0..*n) and *ids).
 */
int hub_json_model_list(char ***ids, size_t *n, const char *json, size_t len);

/*
 * The minimal model info written for a model whose info the hub refused as
 * gated (its sha learnt from README.md's X-Repo-Commit): README.md of
 * readme_size bytes is the only file known, "gated" is "manual" and
 * "lictrace_info_refused" is true. Cached like a real answer so --offline sees
 * the same. A new string, or NULL when out of memory.
 */
char *hub_json_refused_info(const char *id, const char *sha, unsigned long long readme_size);

#endif
