/*
 * http.h - an HTTP client over one libcurl multi handle. It moves bytes and
 * knows no JSON.
 *
 * http_perform() runs a batch of GET (or HEAD) requests with at most `jobs` in
 * flight. Connections are reused (and multiplexed over HTTP/2 where the server
 * offers it). A transfer that fails for a reason that may pass (5xx, 408, 429,
 * connection reset, timeout, a body shorter than its Content-Length) is retried
 * with exponential backoff and jitter; a 429 or 503 that says how long to wait
 * (`Retry-After: N` or `RateLimit: ...;r=0;t=N`) is honoured up to a bound.
 * Retries are scheduled as "not before" times inside the one event loop, never as
 * a blocking sleep per transfer, so other transfers keep going meanwhile.
 * `total_timeout_ms` bounds a whole request: every attempt, redirect hop and
 * backoff wait of it, from its first attempt on (time spent queued behind the
 * `jobs` cap does not count). A retry that could not start before that bound is
 * not made.
 *
 * Verification (`verify` in a request; the rules are in verify.h): a 200/206
 * body is checked against what the server said it is (ETag / X-Linked-Etag
 * digests, X-Linked-Size, the caller's expected size). A body that does not
 * match is retried like a short body (from the URL the caller named, so the hub
 * is asked again, not only its CDN) and, when it never matches, fails the
 * request (LT_ETRUNC, `mismatch` set, body emptied): a caller never sees, let
 * alone caches, a body that contradicts its own headers.
 *
 * Security: TLS verification is always on (there is no switch to turn it off;
 * `ca_bundle` names extra trust). The bearer token is sent only to requests whose
 * origin (scheme, host, port) equals `token_host`. Redirects are never followed by
 * libcurl: the client follows them itself, recomputing the headers for each hop,
 * so the token is dropped when a redirect leaves the token's origin (a signed CDN
 * URL), and an https -> http downgrade is refused. The token is registered with
 * log_add_secret() so no diagnostic can print it.
 *
 * Ownership: the client copies every string in its options. http_perform()
 * initialises every struct http_resp it is given; the caller releases each with
 * http_resp_release() (also after a failed call).
 */
#ifndef LT_HTTP_H
#define LT_HTTP_H

#include "core/buf.h"

#include <stddef.h>

struct lt_error;
struct http_client;

/* A server may ask for a longer wait than our backoff (Retry-After, RateLimit t=).
 * We honour it up to backoff_max_ms times this factor; a longer request is cut
 * to that bound (the retry may then fail again and use up the budget), so one
 * hostile or confused server cannot park a run for hours. */
#define HTTP_SERVER_WAIT_FACTOR 16

/* Transfers in flight at once: more than 64 buys nothing against one hub and
 * looks like abuse to its rate limiter. */
#define HTTP_MAX_JOBS 64

struct http_opts {
	const char *token;      /* bearer token or NULL */
	const char *token_host; /* where the token may go: an origin URL such as
	                         * "https://huggingface.co" (scheme, host and port must
	                         * match) or "host[:port]" (port 443 when omitted, any
	                         * scheme). NULL: the token is never sent. */
	long connect_timeout_ms;   /* per attempt (never more than what is left of the total) */
	long total_timeout_ms;     /* > 0: a whole request, retries and backoff included */
	int max_retries;           /* retries after the first attempt */
	long backoff_base_ms;      /* first retry waits about this long */
	long backoff_max_ms;       /* backoff never grows past this */
	size_t max_response_bytes; /* default body cap per response */
	int max_redirects;         /* per request */
	int jobs;                  /* transfers in flight, 1..HTTP_MAX_JOBS */
	const char *ca_bundle;     /* CA file, or NULL for the system default */
	const char *user_agent;    /* NULL: "lictrace/<version>" */
};

/* Fill opts with the defaults the CLI uses: 10 s connect, 60 s total, 4 retries,
 * backoff 500 ms .. 10 s, 32 MiB bodies, 10 redirects, 8 jobs. */
void http_default_opts(struct http_opts *opts);

struct http_req {
	const char *url;
	const char *range;         /* "0-1048575" (sent as bytes=...) or NULL */
	int head;                  /* HEAD instead of GET */
	const char *if_none_match; /* an ETag to revalidate, or NULL */
	int follow_redirects;      /* follow 301/302/303/307/308 (the client does it) */
	size_t max_bytes;          /* body cap for this request; 0 = max_response_bytes */
	int verify;                /* check a 200/206 body against its headers (verify.h) */
	unsigned long long expect_size; /* with verify: the whole file's size known from
	                                 * elsewhere (a hub's model info); 0 = unknown */
	void *user;                /* the caller's, untouched */
};

struct http_resp {
	long status;      /* of the last response in the redirect chain; 0 if none */
	struct buf body;  /* capped; always released with http_resp_release() */
	/* Headers. repo_commit, error_code and error_message come from the FIRST
	 * response of a redirect chain that sent them; etag, linked_etag and
	 * linked_size likewise, but only from responses on the origin of req->url
	 * (the hub's answer about the file, also across its own relative redirects;
	 * never a CDN's own tags); the rest from the last response. Header values are
	 * copied verbatim (ETags keep their quotes and any W/ prefix). */
	char *etag, *linked_etag, *repo_commit, *error_code, *error_message;
	char *location, *content_type, *link_next;
	unsigned long long content_length; /* of the last response; 0 if not sent */
	unsigned long long linked_size;    /* X-Linked-Size; 0 if not sent */
	unsigned long long range_total;    /* total size from Content-Range; 0 if none */
	unsigned long long range_first, range_last; /* "bytes F-L/T" of a 206; 0 if none */
	int has_range;     /* a Content-Range with first-last arrived */
	int truncated; /* the body is shorter than the resource: cut at the byte cap, or
	                * shorter than Content-Length after every retry */
	int mismatch;  /* verify: the body never matched what the server said it is */
	int attempts;  /* requests sent, redirect hops included */
	int redirects; /* redirect hops followed */
	int err;       /* 0: an HTTP answer arrived (any status; see `status`).
	                * LT_ENET: no usable answer after retries (network error,
	                * timeout, retryable status every time, redirect loop).
	                * LT_ETRUNC: short body every time, or (verify) a body that
	                * never matched its headers (`mismatch`). LT_ETOOBIG: body over the
	                * cap (not for a Range request the server answered in full:
	                * that is a prefix, truncated = 1 and err = 0). LT_ENOMEM. */
	char errmsg[256]; /* one line when err != 0; never contains the token */
};

/* Create a client. Fails with LT_EINVAL for bad options (total_timeout_ms <= 0
 * among them: a request always has a bound), LT_ENOMEM. */
int http_client_new(struct http_client **out, const struct http_opts *opts,
		    struct lt_error *err);
void http_client_free(struct http_client *c);
/* 1 when the client would send its token to url (to word "needs a token"
 * messages; the token itself is never exposed). */
int http_client_sends_token(const struct http_client *c, const char *url);

/*
 * Run reqs[0..n) concurrently; resps[i] answers reqs[i]. Returns 0 when every
 * response has err == 0, else the err of the first one (by index) that failed;
 * the other transfers still run to completion. Returns LT_EINVAL/LT_ENOMEM (and
 * fills every resps[i].err) when the batch could not be started at all.
 */
int http_perform(struct http_client *c, const struct http_req *reqs, size_t n,
		 struct http_resp *resps);
void http_resp_release(struct http_resp *r);

/* Strip a weak "W/" prefix and the quotes from an ETag: a new string, or NULL. */
char *http_etag_id(const char *etag);
/* Percent-encode s for a URL: every byte outside A-Z a-z 0-9 - . _ ~ (and '/'
 * when keep_slash) becomes %XX. A new string or NULL. */
char *http_url_escape(const char *s, int keep_slash);

#endif
