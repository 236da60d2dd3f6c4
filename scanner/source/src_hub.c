/*
 * src_hub.c - the hub backend of struct source; see hub.h for the contract.
 *
 * Flow of hub_open_many():
 *   parse ids -> [offline: cache / huggingface_hub cache, done]
 *   phase 1:  GET /api/models/{id}[/revision/{rev}]?blobs=true for all models
 *             (If-None-Match from the cache; 304 reuses the cached answer)
 *   phase 1b: models whose info answered 401/403 GatedRepo: GET README.md at the
 *             requested revision, take the sha from X-Repo-Commit, and build a
 *             minimal info (the file list stays unknown; a problem says why)
 *   build:    info JSON -> source entries, struct hub_model_info, wanted files
 *   phase 2:  GET /{id}/resolve/{sha}/{path} for every wanted file of every
 *             model not already in the cache (Range for weights headers)
 * Every failure is kept per model; one model's failure never stops the others.
 */
#include "hub.h"
#include "hub_json.h"
#include "hub_mem.h"
#include "hub_names.h"
#include "hub_wants.h"
#include "source.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/path.h"
#include "core/str.h"
#include "core/strmap.h"
#include "http/cache.h"
#include "http/http.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

/* The Range asked for a weights header: bytes 0 .. HUB_HEADER_BYTES-1. */
#define HUB_HEADER_RANGE "0-1048575"
#define HUB_HEADER_VARIANT "range=0-1048575"

/* ---- per-call context ----------------------------------------------------- */

struct want {
	char *path;
	size_t max;
	int head;                /* Range read of a weights header */
	unsigned long long size; /* from siblings, 0 if unknown */
};

struct model {
	const char *target;
	char *id, *rev;
	char *key;             /* the cache key's repo: id, or "datasets/" id */
	struct lt_error *err;
	int failed;
	struct buf api;        /* info JSON */
	int api_from_cache;
	char *api_etag;        /* ETag of the cached answer */
	int gated_api;         /* info refused with GatedRepo */
	char *readme;          /* README fetched in phase 1b */
	size_t readme_len;
	struct hub_model_info *info;
	struct source *src;
	struct want *wants;
	size_t nwants;
};

struct hub_ctx {
	struct http_client *client;
	char *endpoint;
	char *hf_hub_cache; /* huggingface_hub cache folder (offline reads) */
	int offline;
	int dataset;        /* HUB_REPO_DATASET: other URLs, cache keys and hf cache folders */
	struct cache *cache;
	const struct hub_opts *opts; /* the caller's, for the duration of the call */
};

/* "model" or "dataset", for messages. */
static const char *kind(const struct hub_ctx *x)
{
	return x->dataset ? "dataset" : "model";
}

static int fail(struct model *m, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct model *m, int code, const char *fmt, ...)
{
	va_list ap;
	char msg[LT_ERROR_MSG];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	m->failed = 1;
	lt_error_set(m->err, code, NULL, 0, "%s", msg);
	return code;
}

static int ctx_init(struct hub_ctx *x, struct http_client *client, const struct hub_opts *o,
		    struct lt_error *err)
{
	const char *ep = o->endpoint ? o->endpoint : hub_env_nonempty("HF_ENDPOINT");
	size_t n;
	int rc;

	memset(x, 0, sizeof(*x));
	x->client = client;
	x->dataset = o->repo_type == HUB_REPO_DATASET;
	x->opts = o;
	x->offline = o->offline || hub_env_truthy(getenv("HF_HUB_OFFLINE"));
	x->endpoint = lt_strdup(ep ? ep : HUB_DEFAULT_ENDPOINT);
	if (!x->endpoint)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	n = strlen(x->endpoint);
	while (n > 0 && x->endpoint[n - 1] == '/')
		x->endpoint[--n] = '\0';
	if (!lt_istarts_with(x->endpoint, "https://") && !lt_istarts_with(x->endpoint, "http://"))
		return lt_error_set(err, LT_EINVAL, NULL, 0,
				    "hub endpoint '%s' is not an http(s) URL", x->endpoint);
	if (!x->offline && !client)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "no http client for an online hub");
	if (o->hf_home) {
		x->hf_hub_cache = path_join(o->hf_home, "hub");
	} else if (hub_env_nonempty("HF_HUB_CACHE")) {
		x->hf_hub_cache = lt_strdup(getenv("HF_HUB_CACHE"));
	} else {
		char *home = hub_hf_home_dir();
		x->hf_hub_cache = home ? path_join(home, "hub") : NULL;
		free(home);
	}
	rc = cache_open(&x->cache, o->cache_dir, err);
	return rc;
}

static void ctx_release(struct hub_ctx *x)
{
	free(x->endpoint);
	free(x->hf_hub_cache);
	cache_free(x->cache);
}

static void model_release(struct model *m)
{
	free(m->id);
	free(m->rev);
	free(m->key);
	buf_release(&m->api);
	free(m->api_etag);
	free(m->readme);
	for (size_t i = 0; i < m->nwants; i++)
		free(m->wants[i].path);
	free(m->wants);
	source_free(m->src);
	hub_model_info_free(m->info);
}

/* ---- mapping refusals --------------------------------------------------- */

/*
 * The code and message for a non-2xx answer about model m (file NULL for the
 * info). LT_EGATED means "gated, access not granted".
 */
static int refusal(const struct hub_ctx *x, const struct model *m, const struct http_req *req,
		   const struct http_resp *r, const char *file, char *msg, size_t msz)
{
	const char *code = r->error_code ? r->error_code : "";
	const char *emsg = r->error_message ? r->error_message : "";
	int tok = http_client_sends_token(x->client, req->url);

	if (strcmp(code, "GatedRepo") == 0) {
		if (file)
			snprintf(msg, msz, "gated: '%s' needs an access token with granted access", file);
		else
			snprintf(msg, msz, "gated: '%s' needs an access token with granted access", m->id);
		return LT_EGATED;
	}
	if (strcmp(code, "RepoNotFound") == 0) {
		snprintf(msg, msz, "%s '%s' not found on '%s'%s", kind(x), m->id, x->endpoint,
			 (!tok && r->status == 401) ? " (a private repository needs a token)" : "");
		return LT_ENOTFOUND;
	}
	if (strcmp(code, "RevisionNotFound") == 0) {
		snprintf(msg, msz, "revision '%s' of '%s' not found", m->rev ? m->rev : "main", m->id);
		return LT_ENOTFOUND;
	}
	if (strcmp(code, "EntryNotFound") == 0 || (r->status == 404 && file)) {
		snprintf(msg, msz, "'%s' is listed but the hub has no such file", file ? file : "?");
		return LT_ENOTFOUND;
	}
	if (strstr(emsg, "disabled")) {
		snprintf(msg, msz, "%s '%s' is disabled on the hub", kind(x), m->id);
		return LT_EAUTH;
	}
	if (r->status == 401) {
		if (!tok)
			snprintf(msg, msz, "repository '%s' not found or needs a token", m->id);
		else
			snprintf(msg, msz, "the token was refused for '%s'", m->id);
		return LT_EAUTH;
	}
	if (r->status == 403) {
		snprintf(msg, msz, "the token has no permission to read '%s'", m->id);
		return LT_EAUTH;
	}
	if (r->status == 404) {
		snprintf(msg, msz, "%s '%s' not found on '%s'", kind(x), m->id, x->endpoint);
		return LT_ENOTFOUND;
	}
	snprintf(msg, msz, "unexpected HTTP status %ld for '%s'", r->status, file ? file : m->id);
	return LT_ENET;
}

/* ---- info JSON -> source, info, wanted files --------------------------- */

static int add_want(struct model *m, const char *path, size_t max, int head,
		    unsigned long long size)
{
	struct want *p = realloc(m->wants, (m->nwants + 1) * sizeof(*p));

	if (!p)
		return LT_ENOMEM;
	m->wants = p;
	p[m->nwants].path = lt_strdup(path);
	if (!p[m->nwants].path)
		return LT_ENOMEM;
	p[m->nwants].max = max;
	p[m->nwants].head = head;
	p[m->nwants].size = size;
	m->nwants++;
	return 0;
}

static int plan_wants(const struct hub_ctx *x, struct model *m)
{
	struct source *src = m->src;
	const struct source_entry *w;
	int rc;

	for (size_t i = 0; i < src->nentries; i++) {
		const struct source_entry *e = &src->entries[i];
		size_t cap = hub_wanted_cap(e->path, x->opts);
		if (!cap)
			continue;
		if (e->size > cap) {
			source_problem(src, "'%s' is %llu bytes, over the %zu byte limit; not read",
				       e->path, e->size, cap);
			continue;
		}
		if ((rc = add_want(m, e->path, cap, 0, e->size)) != 0)
			return rc;
	}
	if (x->dataset) /* a dataset's weights-like files say nothing of its license */
		return 0;
	if ((w = hub_pick_weights(src, ".gguf")) && (rc = add_want(m, w->path, HUB_HEADER_BYTES, 1, w->size)))
		return rc;
	if ((w = hub_pick_weights(src, ".safetensors")) &&
	    (rc = add_want(m, w->path, HUB_HEADER_BYTES, 1, w->size)))
		return rc;
	return 0;
}

/* Build m->src and m->info from the info JSON in m->api (hub_json.h reads it),
 * then plan which files to fetch. */
static int build_from_info(struct hub_ctx *x, struct model *m)
{
	struct lt_error e;

	m->src = hub_mem_new(m->target);
	if (!m->src)
		return fail(m, LT_ENOMEM, "out of memory");
	lt_error_clear(&e);
	if (hub_json_model_info(&m->info, m->src, buf_cstr(&m->api), m->api.len, m->id, &e))
		return fail(m, e.code, "%s", e.message);
	if (plan_wants(x, m))
		return fail(m, LT_ENOMEM, "out of memory");
	return 0;
}

/* ---- URLs and cache keys ----------------------------------------------------- */

/* A dataset's URLs carry "datasets" where a model's carry nothing (resolve) or
 * "models" (the API), as on huggingface.co. */
static char *info_url(const struct hub_ctx *x, const struct model *m)
{
	const char *api = x->dataset ? "datasets" : "models";
	char *rev, *u;

	if (!m->rev)
		return lt_asprintf("%s/api/%s/%s?blobs=true", x->endpoint, api, m->id);
	rev = http_url_escape(m->rev, 0);
	u = rev ? lt_asprintf("%s/api/%s/%s/revision/%s?blobs=true", x->endpoint, api, m->id, rev)
		: NULL;
	free(rev);
	return u;
}

static char *resolve_url(const struct hub_ctx *x, const struct model *m, const char *rev,
			 const char *path)
{
	char *r = http_url_escape(rev, 0), *p = http_url_escape(path, 1), *u = NULL;

	if (r && p)
		u = lt_asprintf("%s/%s%s/resolve/%s/%s", x->endpoint, x->dataset ? "datasets/" : "",
				m->id, r, p);
	free(r);
	free(p);
	return u;
}

static void api_key(const struct hub_ctx *x, const struct model *m, struct cache_key *k)
{
	k->endpoint = x->endpoint;
	k->repo = m->key;
	k->rev = m->rev ? m->rev : "";
	k->path = NULL;
	k->variant = "api";
}

static void file_key(const struct hub_ctx *x, const struct model *m, const struct want *w,
		     const char *variant, struct cache_key *k)
{
	k->endpoint = x->endpoint;
	k->repo = m->key;
	k->rev = m->info->sha;
	k->path = w->path;
	k->variant = variant ? variant : (w->head ? HUB_HEADER_VARIANT : NULL);
}

/* ---- offline -------------------------------------------------------------- */

/* A cache_get() that said LT_EPARSE: the entry is treated as absent; say so. */
static void warn_corrupt(const struct model *m, const struct lt_error *e)
{
	log_msg(LOG_WARN, "%s (model '%s')", e->message, m->id);
}

/* Serve wanted file w of m from the cache (files at a commit never change).
 * 1 when it was found (or allocation failed, recorded on m), 0 when not cached,
 * -1 when the cached copy is corrupt (reported; treat it as not cached). */
static int file_from_cache(struct hub_ctx *x, struct model *m, const struct want *w)
{
	struct cache_key k;
	struct lt_error e;
	struct buf body;
	int partial = 0, rc;
	size_t len;
	char *d;

	buf_init(&body, w->max);
	file_key(x, m, w, NULL, &k);
	lt_error_clear(&e);
	if ((rc = cache_get(x->cache, &k, w->max, &body, NULL, &partial, &e)) != 0) {
		buf_release(&body);
		if (rc == LT_EPARSE) {
			warn_corrupt(m, &e);
			return -1;
		}
		return 0;
	}
	d = buf_detach(&body, &len);
	if (!d || hub_mem_attach(m->src, w->path, d, len, partial)) {
		free(d);
		fail(m, LT_ENOMEM, "out of memory");
		return 1;
	}
	hub_mem_mark_lfs_pointer(m->src, w->path, d, len);
	return 1;
}

/* Open model m from an existing huggingface_hub cache. */
static int open_hf_cache(struct hub_ctx *x, struct model *m)
{
	struct lt_error e;

	lt_error_clear(&e);
	if ((x->dataset ? source_open_hf_dataset_snapshot : source_open_hf_snapshot)(
		    &m->src, x->hf_hub_cache, m->id, m->rev, &e) != 0)
		return LT_ENOTFOUND;
	m->src->kind = SOURCE_HUB;
	free(m->src->target);
	m->src->target = lt_strdup(m->target);
	source_problem(m->src, "read from the huggingface_hub cache: files never downloaded there are not listed");
	m->info = calloc(1, sizeof(*m->info));
	if (m->info) {
		m->info->id = lt_strdup(m->id);
		m->info->sha = lt_strdup(m->src->revision);
	}
	if (!m->src->target || !m->info || !m->info->id || !m->info->sha)
		return fail(m, LT_ENOMEM, "out of memory");
	return 0;
}

static void open_offline(struct hub_ctx *x, struct model *m)
{
	struct cache_key k;
	struct lt_error e;
	int rc;

	api_key(x, m, &k);
	buf_init(&m->api, HUB_MAX_API_BYTES);
	lt_error_clear(&e);
	if ((rc = cache_get(x->cache, &k, HUB_MAX_API_BYTES, &m->api, NULL, NULL, &e)) != 0) {
		if (rc == LT_EPARSE) {
			fail(m, LT_EPARSE, "the cached %s info of '%s' is corrupt and the network is off",
			     kind(x), m->id);
			return;
		}
		if (open_hf_cache(x, m) != 0 && !m->failed)
			fail(m, LT_ENOTFOUND, "'%s%s%s' is not in the offline cache", m->id,
			     m->rev ? "@" : "", m->rev ? m->rev : "");
		return;
	}
	if (build_from_info(x, m))
		return;
	for (size_t i = 0; i < m->nwants && !m->failed; i++) {
		struct want *w = &m->wants[i];
		struct buf body;

		if ((rc = file_from_cache(x, m, w)) > 0)
			continue;
		if (rc < 0) {
			fail(m, LT_EPARSE, "the cached copy of '%s' of '%s' is corrupt and the network is off",
			     w->path, m->id);
			continue;
		}
		file_key(x, m, w, "gated", &k);
		buf_init(&body, 16);
		if (cache_get(x->cache, &k, 16, &body, NULL, NULL, NULL) == 0) {
			m->info->gated = 1;
			source_problem(m->src, "gated: '%s' needs an access token with granted access",
				       w->path);
		} else {
			fail(m, LT_ENOTFOUND, "'%s' of '%s' is not in the offline cache", w->path, m->id);
		}
		buf_release(&body);
	}
}

/* ---- online phases ---------------------------------------------------------- */

static int phase_info(struct hub_ctx *x, struct model *ms, size_t n)
{
	struct http_req *reqs = calloc(n ? n : 1, sizeof(*reqs));
	struct http_resp *resps = calloc(n ? n : 1, sizeof(*resps));
	size_t *idx = calloc(n ? n : 1, sizeof(*idx)), nr = 0;
	int rc = 0;

	if (!reqs || !resps || !idx) {
		rc = LT_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		struct model *m = &ms[i];
		struct cache_key k;
		struct lt_error e;
		int crc;

		if (m->failed)
			continue;
		buf_init(&m->api, HUB_MAX_API_BYTES);
		api_key(x, m, &k);
		lt_error_clear(&e);
		crc = cache_get(x->cache, &k, HUB_MAX_API_BYTES, &m->api, &m->api_etag, NULL, &e);
		if (crc == 0)
			m->api_from_cache = 1;
		else if (crc == LT_EPARSE)
			warn_corrupt(m, &e); /* asked for afresh, without If-None-Match */
		reqs[nr].url = info_url(x, m);
		if (!reqs[nr].url) {
			fail(m, LT_ENOMEM, "out of memory");
			continue;
		}
		reqs[nr].if_none_match = m->api_from_cache ? m->api_etag : NULL;
		reqs[nr].follow_redirects = 1; /* a renamed repo answers with a redirect */
		reqs[nr].max_bytes = HUB_MAX_API_BYTES;
		idx[nr++] = i;
	}
	http_perform(x->client, reqs, nr, resps);
	for (size_t j = 0; j < nr; j++) {
		struct model *m = &ms[idx[j]];
		struct http_resp *r = &resps[j];
		char msg[LT_ERROR_MSG];
		int code;

		if (r->err) {
			fail(m, r->err == LT_ENOMEM ? LT_ENOMEM : (r->err == LT_ETOOBIG ? LT_ETOOBIG : LT_ENET),
			     "cannot get the %s info of '%s': %s", kind(x), m->id, r->errmsg);
			continue;
		}
		if (r->status == 304 && m->api_from_cache)
			continue; /* the cached answer is current */
		if (r->status == 200) {
			struct cache_key k;
			struct lt_error e;
			buf_release(&m->api);
			m->api = r->body;
			buf_init(&r->body, 1);
			api_key(x, m, &k);
			if (cache_put(x->cache, &k, m->api.data ? m->api.data : "", m->api.len, r->etag, 0, &e))
				log_msg(LOG_WARN, "%s", e.message);
			continue;
		}
		code = refusal(x, m, &reqs[j], r, NULL, msg, sizeof(msg));
		if (code == LT_EGATED) {
			m->gated_api = 1;
			continue;
		}
		fail(m, code, "%s", msg);
	}
done:
	for (size_t j = 0; j < nr; j++) {
		free((char *)reqs[j].url);
		http_resp_release(&resps[j]);
	}
	free(reqs);
	free(resps);
	free(idx);
	return rc;
}

/* Gated info: learn the sha from README.md at the requested revision. */
static int phase_gated_readme(struct hub_ctx *x, struct model *ms, size_t n)
{
	struct http_req *reqs = calloc(n ? n : 1, sizeof(*reqs));
	struct http_resp *resps = calloc(n ? n : 1, sizeof(*resps));
	size_t *idx = calloc(n ? n : 1, sizeof(*idx)), nr = 0;
	int rc = 0;

	if (!reqs || !resps || !idx) {
		rc = LT_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		if (ms[i].failed || !ms[i].gated_api)
			continue;
		reqs[nr].url = resolve_url(x, &ms[i], ms[i].rev ? ms[i].rev : "main", "README.md");
		if (!reqs[nr].url) {
			fail(&ms[i], LT_ENOMEM, "out of memory");
			continue;
		}
		reqs[nr].follow_redirects = 1;
		reqs[nr].max_bytes = LT_MAX_CARD_BYTES;
		reqs[nr].verify = 1;
		idx[nr++] = i;
	}
	http_perform(x->client, reqs, nr, resps);
	for (size_t j = 0; j < nr; j++) {
		struct model *m = &ms[idx[j]];
		struct http_resp *r = &resps[j];
		char *txt;

		if (r->err || r->status != 200 || !hub_is_sha(r->repo_commit)) {
			fail(m, LT_EGATED, "gated: '%s' needs an access token with granted access", m->id);
			continue;
		}
		/* a minimal info, cached like a real one so --offline sees the same */
		txt = hub_json_refused_info(m->id, r->repo_commit, r->body.len);
		if (!txt) {
			fail(m, LT_ENOMEM, "out of memory");
			continue;
		}
		buf_reset(&m->api);
		buf_adds(&m->api, txt);
		free(txt);
		{
			struct cache_key k;
			api_key(x, m, &k);
			cache_put(x->cache, &k, buf_cstr(&m->api), m->api.len, NULL, 0, NULL);
		}
		m->readme_len = r->body.len;
		m->readme = buf_detach(&r->body, NULL);
		buf_init(&r->body, 1);
	}
done:
	for (size_t j = 0; j < nr; j++) {
		free((char *)reqs[j].url);
		http_resp_release(&resps[j]);
	}
	free(reqs);
	free(resps);
	free(idx);
	return rc;
}

struct fetch {
	struct model *m;
	struct want *w;
};

/* A fetched body for want w of m: attach and cache it. */
static void got_file(struct hub_ctx *x, struct model *m, struct want *w, struct http_resp *r)
{
	struct cache_key k;
	struct lt_error e;
	int partial = 0;
	size_t len = r->body.len;
	char *d;

	if (w->head) {
		/* complete only if we can tell the whole file arrived */
		int whole = (r->status == 200 && !r->truncated) ||
			    (r->status == 206 && r->range_total == len) || (w->size && w->size == len);
		partial = !whole;
	}
	file_key(x, m, w, NULL, &k);
	if (cache_put(x->cache, &k, r->body.data ? r->body.data : "", len,
		      r->linked_etag ? r->linked_etag : r->etag, partial, &e))
		log_msg(LOG_WARN, "%s", e.message);
	d = buf_detach(&r->body, NULL);
	buf_init(&r->body, 1);
	if (!d || hub_mem_attach(m->src, w->path, d, len, partial)) {
		free(d);
		fail(m, LT_ENOMEM, "out of memory");
		return;
	}
	hub_mem_mark_lfs_pointer(m->src, w->path, d, len);
}

static int phase_files(struct hub_ctx *x, struct model *ms, size_t n)
{
	struct http_req *reqs = NULL;
	struct http_resp *resps = NULL;
	struct fetch *fs = NULL;
	size_t total = 0, nr = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (!ms[i].failed)
			total += ms[i].nwants;
	reqs = calloc(total ? total : 1, sizeof(*reqs));
	resps = calloc(total ? total : 1, sizeof(*resps));
	fs = calloc(total ? total : 1, sizeof(*fs));
	if (!reqs || !resps || !fs) {
		rc = LT_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		struct model *m = &ms[i];
		for (size_t j = 0; j < m->nwants && !m->failed; j++) {
			struct want *w = &m->wants[j];

			if (m->readme && strcmp(w->path, "README.md") == 0) {
				struct http_resp fake;
				memset(&fake, 0, sizeof(fake));
				fake.status = 200;
				buf_init(&fake.body, m->readme_len + 1);
				buf_add(&fake.body, m->readme, m->readme_len);
				got_file(x, m, w, &fake);
				http_resp_release(&fake);
				continue;
			}
			/* a file at a commit never changes: a cached copy needs no request
			 * (a corrupt one, -1, is fetched again and overwritten) */
			if (file_from_cache(x, m, w) > 0)
				continue;
			reqs[nr].url = resolve_url(x, m, m->info->sha, w->path);
			if (!reqs[nr].url) {
				fail(m, LT_ENOMEM, "out of memory");
				continue;
			}
			reqs[nr].range = w->head ? HUB_HEADER_RANGE : NULL;
			reqs[nr].follow_redirects = 1;
			reqs[nr].max_bytes = w->max;
			/* every body is checked against the hub's ETag / X-Linked-* and the
			 * size in the model info (0 there: unknown) before it is used or cached */
			reqs[nr].verify = 1;
			reqs[nr].expect_size = w->size;
			fs[nr].m = m;
			fs[nr].w = w;
			nr++;
		}
	}
	http_perform(x->client, reqs, nr, resps);
	for (size_t j = 0; j < nr; j++) {
		struct model *m = fs[j].m;
		struct want *w = fs[j].w;
		struct http_resp *r = &resps[j];
		char msg[LT_ERROR_MSG];
		int code;

		if (m->failed)
			continue;
		if (r->err == LT_ETOOBIG) {
			source_problem(m->src, "'%s' is over the %zu byte limit; not read", w->path, w->max);
			continue;
		}
		if (r->err == LT_ETRUNC && r->mismatch) {
			/* the file counts as not fetched: the model is incomplete, never read
			 * from a body that contradicts the hub (and nothing was cached) */
			fail(m, LT_ETRUNC, "'%s' of '%s' is not what the hub says it is: %s", w->path, m->id,
			     r->errmsg);
			continue;
		}
		if (r->err == LT_ETRUNC) {
			fail(m, LT_ETRUNC, "'%s' of '%s' arrived truncated after %d attempts", w->path,
			     m->id, r->attempts);
			continue;
		}
		if (r->err) {
			fail(m, r->err == LT_ENOMEM ? LT_ENOMEM : LT_ENET, "cannot fetch '%s' of '%s': %s",
			     w->path, m->id, r->errmsg);
			continue;
		}
		if (r->status == 200 || r->status == 206) {
			got_file(x, m, w, r);
			continue;
		}
		if (r->status == 416 && w->head && r->range_total == 0 && w->size == 0) {
			/* an empty file answers a Range with 416: it has no byte 0 to start at */
			buf_reset(&r->body);
			r->status = 200;
			got_file(x, m, w, r);
			continue;
		}
		code = refusal(x, m, &reqs[j], r, w->path, msg, sizeof(msg));
		if (code == LT_EGATED) {
			struct cache_key k;
			m->info->gated = 1;
			if (!m->info->error_code)
				m->info->error_code = lt_strdup("GatedRepo");
			source_problem(m->src, "%s", msg);
			file_key(x, m, w, "gated", &k);
			cache_put(x->cache, &k, "", 0, NULL, 0, NULL);
		} else if (code == LT_ENOTFOUND || code == LT_EAUTH) {
			source_problem(m->src, "%s", msg);
		} else {
			fail(m, code, "%s", msg);
		}
	}
done:
	for (size_t j = 0; j < nr; j++) {
		free((char *)reqs[j].url);
		http_resp_release(&resps[j]);
	}
	free(reqs);
	free(resps);
	free(fs);
	return rc;
}

/* ---- entry point ----------------------------------------------------------- */

int hub_open_many(struct http_client *client, const struct hub_opts *opts,
		  const char *const *ids, size_t n, struct source **out_sources,
		  struct hub_model_info **out_infos, struct lt_error *out_errs)
{
	struct hub_ctx x;
	struct model *ms = NULL;
	struct lt_error cerr;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		out_sources[i] = NULL;
		if (out_infos)
			out_infos[i] = NULL;
		lt_error_clear(&out_errs[i]);
	}
	lt_error_clear(&cerr);
	if (ctx_init(&x, client, opts, &cerr)) {
		rc = cerr.code;
		goto all_fail;
	}
	ms = calloc(n ? n : 1, sizeof(*ms));
	if (!ms) {
		rc = lt_error_set(&cerr, LT_ENOMEM, NULL, 0, "out of memory");
		goto all_fail;
	}
	for (size_t i = 0; i < n; i++) {
		struct model *m = &ms[i];
		m->target = ids[i];
		m->err = &out_errs[i];
		buf_init(&m->api, HUB_MAX_API_BYTES);
		if (hub_parse_target(ids[i], &m->id, &m->rev))
			fail(m, LT_EINVAL, "'%s' is not a hub %s id (org/name[@revision])",
			     ids[i] ? ids[i] : "", kind(&x));
		else if (!(m->key = x.dataset ? lt_asprintf("datasets/%s", m->id) : lt_strdup(m->id)))
			fail(m, LT_ENOMEM, "out of memory");
	}
	if (x.offline) {
		for (size_t i = 0; i < n; i++)
			if (!ms[i].failed)
				open_offline(&x, &ms[i]);
	} else {
		if ((rc = phase_info(&x, ms, n)) || (rc = phase_gated_readme(&x, ms, n)))
			goto oom;
		for (size_t i = 0; i < n; i++)
			if (!ms[i].failed)
				build_from_info(&x, &ms[i]);
		if ((rc = phase_files(&x, ms, n)))
			goto oom;
	}
	for (size_t i = 0; i < n; i++) {
		struct model *m = &ms[i];
		if (m->failed) {
			if (!rc)
				rc = out_errs[i].code;
			continue;
		}
		out_sources[i] = m->src;
		m->src = NULL;
		if (out_infos) {
			out_infos[i] = m->info;
			m->info = NULL;
		}
	}
	goto done;
oom:
	lt_error_set(&cerr, rc, NULL, 0, "out of memory");
all_fail:
	for (size_t i = 0; i < n; i++)
		if (!out_errs[i].code)
			out_errs[i] = cerr;
done:
	for (size_t i = 0; ms && i < n; i++)
		model_release(&ms[i]);
	free(ms);
	ctx_release(&x);
	return rc;
}

/* ---- listing ---------------------------------------------------------------- */

int hub_list_models(struct http_client *client, const struct hub_opts *opts, const char *author,
		    char ***out_ids, size_t *out_n, struct lt_error *err)
{
	struct hub_ctx x;
	char *url = NULL, *enc = NULL, **ids = NULL;
	size_t n = 0;
	int rc;

	*out_ids = NULL;
	*out_n = 0;
	if ((rc = ctx_init(&x, client, opts, err)))
		goto done;
	if (x.offline) {
		rc = lt_error_set(err, LT_EINVAL, NULL, 0, "listing models needs the network");
		goto done;
	}
	if (!author || !hub_valid_name(author, strlen(author))) {
		rc = lt_error_set(err, LT_EINVAL, NULL, 0, "'%s' is not a hub user or organisation",
				  author ? author : "");
		goto done;
	}
	enc = http_url_escape(author, 0);
	url = enc ? lt_asprintf("%s/api/models?author=%s&limit=1000", x.endpoint, enc) : NULL;
	for (int page = 0; url && page < HUB_MAX_LIST_PAGES; page++) {
		struct http_req req;
		struct http_resp resp;

		memset(&req, 0, sizeof(req));
		req.url = url;
		req.follow_redirects = 1;
		req.max_bytes = HUB_MAX_API_BYTES;
		http_perform(client, &req, 1, &resp);
		if (resp.err || resp.status != 200) {
			rc = lt_error_set(err, resp.err ? LT_ENET : (resp.status == 401 ? LT_EAUTH : LT_ENET),
					  NULL, 0, "cannot list the models of '%s': %s", author,
					  resp.err ? resp.errmsg : "unexpected HTTP status");
			http_resp_release(&resp);
			goto done;
		}
		rc = hub_json_model_list(&ids, &n, buf_cstr(&resp.body), resp.body.len);
		if (rc) {
			http_resp_release(&resp);
			if (rc == LT_ENOMEM)
				rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
			else
				rc = lt_error_set(err, LT_EPARSE, NULL, 0,
						  "the model list of '%s' is not a JSON array", author);
			goto done;
		}
		free(url);
		url = resp.link_next;
		resp.link_next = NULL;
		http_resp_release(&resp);
	}
	if (url) {
		rc = lt_error_set(err, LT_ETOOBIG, NULL, 0, "'%s' has more than %d pages of models", author,
				  HUB_MAX_LIST_PAGES);
		goto done;
	}
	*out_ids = ids;
	*out_n = n;
	ids = NULL;
	n = 0;
done:
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(url);
	free(enc);
	ctx_release(&x);
	return rc;
}
