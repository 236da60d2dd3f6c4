/*
 * http.c - the libcurl multi loop behind http.h.
 *
 * Shape (after curl's own tool_operate.c, written anew): one struct xfer per
 * request holds its state, its not-before time and its current URL. The loop
 * starts ready transfers up to the `jobs` cap, drives the multi handle, and on
 * each completion decides: done, follow a redirect (a new hop, new headers),
 * or retry later (backoff with jitter, or what the server asked for). An easy
 * handle lives for one attempt; connections and DNS live in the multi handle
 * and are reused across attempts and requests. What a header value says
 * (waits, pages, ranges) and where a redirect may go are read in headers.c.
 */
#include "http.h"
#include "headers.h"
#include "verify.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/banned.h"

struct http_client {
	struct http_opts o;
	char *token, *ca_bundle, *user_agent;
	/* the token's origin; scheme NULL means "any scheme" (bare host[:port]) */
	char *tok_scheme, *tok_host;
	long tok_port;
	CURLM *multi;
	uint64_t rng; /* jitter only; per client, not global */
};

enum xfer_state { X_WAIT, X_RUN, X_DONE };

struct xfer {
	struct http_client *c;
	const struct http_req *req;
	struct http_resp *resp;
	CURL *easy;
	struct curl_slist *hdrs;
	char *url;          /* current hop */
	enum xfer_state state;
	long long not_before; /* monotonic ms */
	long long deadline;   /* monotonic ms: the whole request ends by then; 0 = not started */
	int retries;          /* retries used, across the whole chain */
	size_t cap;
	int cut;              /* the write callback stopped at the cap */
	int oom;
	char errbuf[CURL_ERROR_SIZE];
};

/* ---- small helpers ---------------------------------------------------- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t rng_next(struct http_client *c)
{
	/* xorshift64*: quality is irrelevant, it only spreads retries apart */
	uint64_t x = c->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

void http_default_opts(struct http_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout_ms = 10000;
	o->total_timeout_ms = 60000;
	o->max_retries = 4;
	o->backoff_base_ms = 500;
	o->backoff_max_ms = 10000;
	o->max_response_bytes = 32u * 1024u * 1024u;
	o->max_redirects = 10;
	o->jobs = 8;
}

char *http_url_escape(const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b;

	buf_init(&b, 3 * strlen(s) + 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char ch = *p;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '.' || ch == '_' || ch == '~' || (keep_slash && ch == '/')) {
			buf_addc(&b, (char)ch);
		} else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[ch >> 4]);
			buf_addc(&b, hex[ch & 15]);
		}
	}
	if (buf_error(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

char *http_etag_id(const char *etag)
{
	size_t n;

	if (!etag)
		return NULL;
	if (etag[0] == 'W' && etag[1] == '/')
		etag += 2;
	n = strlen(etag);
	if (n >= 2 && etag[0] == '"' && etag[n - 1] == '"')
		return lt_strndup(etag + 1, n - 2);
	return lt_strdup(etag);
}

/* Parse opts->token_host into the client's token origin. */
static int set_token_origin(struct http_client *c, const char *th)
{
	char *s = NULL, *h = NULL;
	long port = 0;
	int rc;

	if (strstr(th, "://")) {
		rc = http_url_origin(th, &s, &h, &port);
		if (rc)
			return rc;
		c->tok_scheme = s;
	} else {
		/* bare host[:port]: parse it as an https URL, then forget the scheme */
		char *tmp = lt_asprintf("https://%s/", th);
		if (!tmp)
			return LT_ENOMEM;
		rc = http_url_origin(tmp, &s, &h, &port);
		free(tmp);
		free(s);
		if (rc)
			return rc;
	}
	c->tok_host = h;
	c->tok_port = port;
	return 0;
}

/* 1 when the token may be sent to url. */
static int token_allowed(const struct http_client *c, const char *url)
{
	char *s = NULL, *h = NULL;
	long port = 0;
	int ok;

	if (!c->token || !c->tok_host || http_url_origin(url, &s, &h, &port))
		return 0;
	ok = lt_strieq(h, c->tok_host) && port == c->tok_port &&
	     (!c->tok_scheme || lt_strieq(s, c->tok_scheme));
	free(s);
	free(h);
	return ok;
}

int http_client_sends_token(const struct http_client *c, const char *url)
{
	return c && url && token_allowed(c, url);
}

static int is_printable_token(const char *t)
{
	for (; *t; t++)
		if ((unsigned char)*t < 0x21 || (unsigned char)*t > 0x7e)
			return 0;
	return 1;
}

int http_client_new(struct http_client **out, const struct http_opts *opts,
		    struct lt_error *err)
{
	struct http_client *c = NULL;
	int rc = 0;

	*out = NULL;
	if (!opts || opts->jobs < 1 || opts->jobs > HTTP_MAX_JOBS || opts->max_retries < 0 ||
	    opts->max_redirects < 0 || opts->max_response_bytes == 0 || opts->total_timeout_ms <= 0 ||
	    opts->connect_timeout_ms < 0 ||
	    opts->backoff_base_ms < 0 || opts->backoff_max_ms < opts->backoff_base_ms)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "invalid http options");
	if (opts->token && !is_printable_token(opts->token))
		/* a CR or LF in the token would inject headers; do not echo it */
		return lt_error_set(err, LT_EINVAL, NULL, 0, "the token contains invalid characters");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "cannot initialise libcurl");
	c = calloc(1, sizeof(*c));
	if (!c) {
		curl_global_cleanup();
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	}
	c->o = *opts;
	c->token = (opts->token && *opts->token) ? lt_strdup(opts->token) : NULL;
	c->ca_bundle = opts->ca_bundle ? lt_strdup(opts->ca_bundle) : NULL;
	c->user_agent = lt_strdup(opts->user_agent ? opts->user_agent : "lictrace/" LT_VERSION);
	c->o.token = c->token;
	c->o.ca_bundle = c->ca_bundle;
	c->o.user_agent = c->user_agent;
	c->o.token_host = NULL; /* parsed into tok_*; the borrowed pointer is not kept */
	if ((opts->token && *opts->token && !c->token) || (opts->ca_bundle && !c->ca_bundle) ||
	    !c->user_agent) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if (c->token) {
		log_add_secret(c->token);
		if (opts->token_host && (rc = set_token_origin(c, opts->token_host)) != 0) {
			rc = lt_error_set(err, rc, NULL, 0, "invalid token host '%s'", opts->token_host);
			goto done;
		}
	}
	c->multi = curl_multi_init();
	if (!c->multi) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "cannot create a libcurl multi handle");
		goto done;
	}
	curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)opts->jobs);
	c->rng = (uint64_t)now_ms() * 6364136223846793005ULL ^ (uint64_t)getpid() ^
		 (uint64_t)(uintptr_t)c;
	if (!c->rng)
		c->rng = 1;
	*out = c;
	c = NULL;
done:
	http_client_free(c);
	return rc;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	if (c->multi)
		curl_multi_cleanup(c->multi);
	free(c->token);
	free(c->ca_bundle);
	free(c->user_agent);
	free(c->tok_scheme);
	free(c->tok_host);
	free(c);
	curl_global_cleanup();
}

void http_resp_release(struct http_resp *r)
{
	if (!r)
		return;
	buf_release(&r->body);
	free(r->etag);
	free(r->linked_etag);
	free(r->repo_commit);
	free(r->error_code);
	free(r->error_message);
	free(r->location);
	free(r->content_type);
	free(r->link_next);
	r->etag = r->linked_etag = r->repo_commit = r->error_code = r->error_message = NULL;
	r->location = r->content_type = r->link_next = NULL;
}

/* ---- per-attempt setup ------------------------------------------------ */

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	struct buf *b = &x->resp->body;
	size_t n = size * nmemb, room = x->cap - b->len;

	if (n > room) {
		buf_add(b, p, room);
		x->cut = 1;
		return 0; /* stop the transfer: CURLE_WRITE_ERROR, recognised by x->cut */
	}
	if (buf_add(b, p, n)) {
		x->oom = 1;
		return 0;
	}
	return n;
}

static int start_attempt(struct xfer *x)
{
	struct http_client *c = x->c;
	CURL *e;
	struct curl_slist *l = NULL, *t;
	long long now = now_ms();
	long left, conn;

	/* the time limit covers the whole request, from its first attempt on */
	if (!x->deadline)
		x->deadline = now + c->o.total_timeout_ms;
	left = x->deadline > now ? (long)(x->deadline - now) : 1;
	conn = c->o.connect_timeout_ms > 0 && c->o.connect_timeout_ms < left ? c->o.connect_timeout_ms : left;
	e = curl_easy_init();
	if (!e)
		return LT_ENOMEM;
	x->easy = e;
	x->cut = x->oom = 0;
	x->errbuf[0] = '\0';
	if (token_allowed(c, x->url)) {
		char *h = lt_asprintf("Authorization: Bearer %s", c->token);
		t = h ? curl_slist_append(l, h) : NULL;
		free(h);
		if (!t)
			goto oom;
		l = t;
	}
	/* revalidation applies to the URL the caller named, not to a redirect target */
	if (x->req->if_none_match && x->resp->redirects == 0) {
		char *h = lt_asprintf("If-None-Match: %s", x->req->if_none_match);
		t = h ? curl_slist_append(l, h) : NULL;
		free(h);
		if (!t)
			goto oom;
		l = t;
	}
	x->hdrs = l;
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* we follow, see redirect() */
	curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_bundle)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_bundle);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, conn);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	if (x->req->head)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	if (x->req->range)
		curl_easy_setopt(e, CURLOPT_RANGE, x->req->range);
	if (curl_multi_add_handle(c->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		x->easy = NULL;
		return LT_ENOMEM;
	}
	x->state = X_RUN;
	x->resp->attempts++;
	return 0;
oom:
	curl_slist_free_all(l);
	curl_easy_cleanup(e);
	x->easy = NULL;
	return LT_ENOMEM;
}

static void end_attempt(struct xfer *x)
{
	if (x->easy) {
		curl_multi_remove_handle(x->c->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
}

/* ---- reading the response --------------------------------------------- */

static char *header_dup(CURL *e, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return lt_strndup(h->value, strnlen(h->value, 4096));
}

/* How long the server asks us to wait, in ms, or -1 (headers.h reads the values). */
static long server_wait_ms(CURL *e)
{
	struct curl_header *h;
	char *rl = NULL, *ra = NULL;
	long ms;

	if (curl_easy_header(e, "RateLimit", 0, CURLH_HEADER, -1, &h) == CURLHE_OK)
		rl = lt_strdup(h->value);
	if (curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &h) == CURLHE_OK)
		ra = lt_strdup(h->value);
	ms = http_hdr_wait_ms(rl, ra);
	free(rl);
	free(ra);
	return ms;
}

static void set_first(char **dst, char *v)
{
	if (*dst || !v) {
		free(v);
		return;
	}
	*dst = v;
}

static void set_last(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

/* Record the headers of the response that just completed. */
static void capture_headers(struct xfer *x)
{
	struct http_resp *r = x->resp;
	CURL *e = x->easy;
	curl_off_t cl = -1;
	char *v;
	int ok;

	/* what names the content (ETag, X-Linked-*) is taken only from the origin the
	 * caller asked (the hub, also across its own relative redirects such as
	 * /api/resolve-cache/...), never from a CDN the chain moved on to: a CDN's
	 * ETag is its own business (an MD5 on S3) and says nothing we can check */
	if (r->redirects == 0 || http_same_origin(x->req->url, x->url)) {
		set_first(&r->etag, header_dup(e, "ETag"));
		set_first(&r->linked_etag, header_dup(e, "X-Linked-Etag"));
		if (!r->linked_size) {
			v = header_dup(e, "X-Linked-Size");
			r->linked_size = http_hdr_ull(v, &ok);
			free(v);
		}
	}
	set_first(&r->repo_commit, header_dup(e, "X-Repo-Commit"));
	set_first(&r->error_code, header_dup(e, "X-Error-Code"));
	set_first(&r->error_message, header_dup(e, "X-Error-Message"));
	set_last(&r->content_type, header_dup(e, "Content-Type"));
	set_last(&r->location, header_dup(e, "Location"));
	r->content_length = 0;
	if (curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK && cl > 0)
		r->content_length = (unsigned long long)cl;
	v = header_dup(e, "Content-Range"); /* "bytes 0-99/12345" (or "bytes * /12345") */
	r->has_range = http_hdr_content_range(v, &r->range_total, &r->range_first, &r->range_last);
	free(v);
	free(r->link_next);
	r->link_next = NULL;
	{
		struct curl_header *h;
		size_t i = 0, amount = 1;
		while (i < amount && !r->link_next &&
		       curl_easy_header(e, "Link", i, CURLH_HEADER, -1, &h) == CURLHE_OK) {
			amount = h->amount;
			r->link_next = http_hdr_link_next(h->value);
			i++;
		}
	}
}

/* Forget what a failed attempt left, before trying again. Headers that belong to
 * an earlier hop of the chain are kept. */
static void reset_for_retry(struct xfer *x)
{
	struct http_resp *r = x->resp;

	buf_reset(&r->body);
	r->status = 0;
	r->truncated = 0;
	if (r->redirects == 0) {
		free(r->etag);
		free(r->linked_etag);
		free(r->repo_commit);
		free(r->error_code);
		free(r->error_message);
		r->etag = r->linked_etag = r->repo_commit = r->error_code = r->error_message = NULL;
		r->linked_size = 0;
	}
}

static void resp_msg(struct http_resp *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void resp_msg(struct http_resp *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof(r->errmsg), fmt, ap);
	va_end(ap);
}

static int retryable_status(long s)
{
	return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}

static int retryable_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
}

static long backoff_ms(struct http_client *c, int retry)
{
	long d = c->o.backoff_base_ms;

	for (int i = 1; i < retry && d < c->o.backoff_max_ms; i++)
		d *= 2;
	if (d > c->o.backoff_max_ms)
		d = c->o.backoff_max_ms;
	/* "equal jitter": between d/2 and d, so retries of a burst spread out */
	if (d > 1)
		d = d / 2 + (long)(rng_next(c) % (uint64_t)(d / 2 + 1));
	return d;
}

/* Schedule another attempt, or finish with code/msg when the budget is spent. */
static void retry_or_fail(struct xfer *x, long server_ms, int code, const char *why)
{
	struct http_client *c = x->c;
	char u[200];
	long d;

	http_url_for_msg(u, sizeof(u), x->url);
	if (x->retries >= c->o.max_retries) {
		x->resp->err = code;
		resp_msg(x->resp, "%s from '%s' after %d attempts",
			 why, u, x->resp->attempts);
		x->state = X_DONE;
		return;
	}
	d = backoff_ms(c, x->retries + 1);
	if (server_ms >= 0) {
		long cap = c->o.backoff_max_ms * HTTP_SERVER_WAIT_FACTOR;
		if (server_ms > cap)
			server_ms = cap;
		if (server_ms > d)
			d = server_ms;
	}
	if (x->deadline && now_ms() + d >= x->deadline) {
		/* the next attempt could not start inside the request's time limit */
		x->resp->err = code;
		resp_msg(x->resp, "%s from '%s' after %d attempts; the %ld ms time limit leaves no room to retry",
			 why, u, x->resp->attempts, c->o.total_timeout_ms);
		x->state = X_DONE;
		return;
	}
	x->retries++;
	log_msg(LOG_DEBUG, "%s from '%s'; retry %d in %ld ms", why, u, x->retries, d);
	reset_for_retry(x);
	x->not_before = now_ms() + d;
	x->state = X_WAIT;
}

static int is_redirect(long s)
{
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
}

/* Move x to its redirect target. 0, or a code with errmsg set. */
static int redirect(struct xfer *x)
{
	struct http_resp *r = x->resp;
	char *target = NULL;
	char u[200];
	int rc;

	http_url_for_msg(u, sizeof(u), x->url);
	if (curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &target) != CURLE_OK || !target) {
		resp_msg(r, "redirect without a usable Location from '%s'", u);
		return LT_ENET;
	}
	if (r->redirects >= x->c->o.max_redirects) {
		resp_msg(r, "too many redirects (more than %d) from '%s'",
			 x->c->o.max_redirects, u);
		return LT_ENET;
	}
	rc = http_redirect_check(x->url, target);
	if (rc == LT_EUNSAFE) {
		resp_msg(r, "refusing a redirect from https to http at '%s'", u);
		return rc;
	}
	if (rc) {
		resp_msg(r, "unusable redirect target from '%s'", u);
		return rc;
	}
	{
		char *nu = lt_strdup(target); /* target belongs to the easy handle */
		if (!nu)
			return LT_ENOMEM;
		free(x->url);
		x->url = nu;
	}
	r->redirects++;
	buf_reset(&r->body);
	return 0;
}

/* Verify a 200/206 body (verify.h). 0 when it matches; else the attempt is
 * over, a retry is scheduled or the request failed with LT_ETRUNC and an empty
 * body, and 1 is returned. */
static int mismatch(struct xfer *x, int prefix)
{
	struct http_resp *r = x->resp;
	char why[200];

	if (!http_verify_body(x->req, r, prefix, why, sizeof(why)))
		return 0;
	end_attempt(x);
	if (r->redirects > 0) {
		/* ask the hub again, not only its CDN: the headers the body failed
		 * against may be what was wrong, and a signed URL may be stale */
		char *first = lt_strdup(x->req->url);
		if (first) {
			free(x->url);
			x->url = first;
			r->redirects = 0;
		}
	}
	retry_or_fail(x, -1, LT_ETRUNC, why);
	if (x->state == X_DONE) {
		r->mismatch = 1;
		r->truncated = 0;
		buf_reset(&r->body); /* never handed to a caller, let alone cached */
	}
	return 1;
}

/* A transfer's attempt completed with result res. Decide what happens next. */
static void on_done(struct xfer *x, CURLcode res)
{
	struct http_resp *r = x->resp;
	long status = 0;
	char u[200];

	http_url_for_msg(u, sizeof(u), x->url);
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	if (status > 0)
		capture_headers(x);
	if (x->oom) {
		r->err = LT_ENOMEM;
		resp_msg(r, "out of memory reading '%s'", u);
		goto finish;
	}
	if (x->cut) {
		r->truncated = 1;
		if (x->req->range && status == 200) {
			/* the server ignored Range and sent everything: what we kept is the
			 * prefix the caller asked for */
			if (x->req->verify && !x->req->head && mismatch(x, 1))
				return;
			goto finish;
		}
		r->err = LT_ETOOBIG;
		resp_msg(r, "response from '%s' is larger than %zu bytes",
			 u, x->cap);
		goto finish;
	}
	if (res != CURLE_OK) {
		if (retryable_curl(res)) {
			int shortbody = res == CURLE_PARTIAL_FILE;
			char why[CURL_ERROR_SIZE + 32];
			snprintf(why, sizeof(why), "%s",
				 shortbody ? "short body" : (x->errbuf[0] ? x->errbuf : curl_easy_strerror(res)));
			end_attempt(x);
			retry_or_fail(x, -1, shortbody ? LT_ETRUNC : LT_ENET, why);
			if (x->state == X_DONE && shortbody)
				r->truncated = 1;
			return;
		}
		r->err = res == CURLE_PEER_FAILED_VERIFICATION ? LT_EUNSAFE : LT_ENET;
		resp_msg(r, "'%s': %s", u,
			 x->errbuf[0] ? x->errbuf : curl_easy_strerror(res));
		goto finish;
	}
	/* a body shorter than announced is a truncation even when curl let it pass */
	if (!x->req->head && status != 304 && status != 204 && r->content_length &&
	    r->body.len < r->content_length) {
		end_attempt(x);
		retry_or_fail(x, -1, LT_ETRUNC, "short body");
		if (x->state == X_DONE)
			r->truncated = 1;
		return;
	}
	if (x->req->verify && !x->req->head && (status == 200 || status == 206) && mismatch(x, 0))
		return;
	if (is_redirect(status) && x->req->follow_redirects) {
		int rc = redirect(x);
		end_attempt(x);
		if (rc) {
			r->err = rc;
			x->state = X_DONE;
			return;
		}
		log_msg(LOG_DEBUG, "redirect from '%s'", u);
		x->not_before = 0;
		x->state = X_WAIT;
		return;
	}
	if (retryable_status(status)) {
		long sw = (status == 429 || status == 503) ? server_wait_ms(x->easy) : -1;
		char why[32];
		snprintf(why, sizeof(why), "HTTP %ld", status);
		end_attempt(x);
		retry_or_fail(x, sw, LT_ENET, why);
		if (x->state == X_DONE)
			r->status = status;
		return;
	}
finish:
	end_attempt(x);
	x->state = X_DONE;
}

/* ---- the loop ------------------------------------------------------------ */

int http_perform(struct http_client *c, const struct http_req *reqs, size_t n,
		 struct http_resp *resps)
{
	struct xfer *xs = NULL;
	size_t running = 0, left = n;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		memset(&resps[i], 0, sizeof(resps[i]));
		buf_init(&resps[i].body, 1);
	}
	if (n == 0)
		return 0;
	if (!c) {
		rc = LT_EINVAL;
		goto fail_all;
	}
	xs = calloc(n, sizeof(*xs));
	if (!xs) {
		rc = LT_ENOMEM;
		goto fail_all;
	}
	for (size_t i = 0; i < n; i++) {
		struct xfer *x = &xs[i];
		x->c = c;
		x->req = &reqs[i];
		x->resp = &resps[i];
		x->cap = reqs[i].max_bytes ? reqs[i].max_bytes : c->o.max_response_bytes;
		buf_init(&resps[i].body, x->cap);
		x->url = reqs[i].url ? lt_strdup(reqs[i].url) : NULL;
		if (!x->url) {
			resps[i].err = reqs[i].url ? LT_ENOMEM : LT_EINVAL;
			snprintf(resps[i].errmsg, sizeof(resps[i].errmsg), "no URL");
			x->state = X_DONE;
			left--;
		}
	}
	while (left > 0) {
		long long now = now_ms(), next = -1;
		int still = 0, msgs;
		CURLMsg *m;
		long wait;

		/* start what is ready, up to the cap */
		for (size_t i = 0; i < n && running < (size_t)c->o.jobs; i++) {
			struct xfer *x = &xs[i];
			if (x->state != X_WAIT || x->not_before > now)
				continue;
			if (x->deadline && now >= x->deadline) {
				char u[200];
				http_url_for_msg(u, sizeof(u), x->url);
				x->resp->err = LT_ENET;
				resp_msg(x->resp, "'%s' timed out: no answer within %ld ms after %d attempts", u,
					 c->o.total_timeout_ms, x->resp->attempts);
				x->state = X_DONE;
				left--;
				continue;
			}
			if (start_attempt(x)) {
				x->resp->err = LT_ENOMEM;
				resp_msg(x->resp, "out of memory");
				x->state = X_DONE;
				left--;
				continue;
			}
			running++;
		}
		if (curl_multi_perform(c->multi, &still) != CURLM_OK) {
			rc = LT_ENET;
			break;
		}
		while ((m = curl_multi_info_read(c->multi, &msgs))) {
			struct xfer *x;
			char *priv = NULL;
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
			if (!priv)
				continue;
			x = (struct xfer *)(void *)priv;
			running--;
			on_done(x, m->data.result);
			if (x->state == X_DONE)
				left--;
		}
		if (left == 0)
			break;
		/* sleep until I/O, or until the earliest waiting transfer may start */
		for (size_t i = 0; i < n; i++)
			if (xs[i].state == X_WAIT && (next < 0 || xs[i].not_before < next))
				next = xs[i].not_before;
		now = now_ms();
		wait = 1000;
		if (next >= 0 && running < (size_t)c->o.jobs)
			wait = next <= now ? 0 : (next - now < 1000 ? (long)(next - now) : 1000);
		if (wait > 0 || running > 0)
			curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		end_attempt(&xs[i]);
		if (xs[i].state != X_DONE && !resps[i].err) {
			resps[i].err = rc ? rc : LT_ENET;
			snprintf(resps[i].errmsg, sizeof(resps[i].errmsg), "transfer abandoned");
		}
		free(xs[i].url);
	}
	free(xs);
	for (size_t i = 0; i < n; i++)
		if (resps[i].err)
			return resps[i].err;
	return rc;
fail_all:
	for (size_t i = 0; i < n; i++) {
		resps[i].err = rc;
		snprintf(resps[i].errmsg, sizeof(resps[i].errmsg), "cannot start the transfers");
	}
	return rc;
}
