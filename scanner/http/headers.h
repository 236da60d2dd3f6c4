/*
 * headers.h - what a response's headers say, and where a redirect may go.
 * Private to the http module (http.c is its user; the fuzz harness its other).
 *
 * Pure functions over header values and URLs as strings: no libcurl handle, no
 * I/O, so each can be tested and fuzzed alone. Every input is untrusted (it
 * came from a server): each function accepts any NUL-terminated bytes, never
 * reads past the terminator, and bounds what it returns.
 *
 * Ownership: strings returned are new (the caller frees them); inputs are
 * borrowed.
 */
#ifndef LT_HTTP_HEADERS_H
#define LT_HTTP_HEADERS_H

#include <stddef.h>

/* A decimal number after optional spaces (digits up to the first non-digit).
 * *ok = 1 and the value; *ok = 0 and 0 for NULL, no digit, or a value that
 * would not fit in 64 bits. */
unsigned long long http_hdr_ull(const char *s, int *ok);

/* `Link: <url>; rel="next", <url2>; rel="prev"`: the URL of rel=next as a new
 * string, or NULL (none, malformed, out of memory). */
char *http_hdr_link_next(const char *link);

/* How long the server asks us to wait, in ms, or -1 when it does not say.
 * ratelimit is a `RateLimit` value ("bucket";r=<remaining>;t=<seconds>): it
 * counts only when r=0 and t is a number. retry_after is a `Retry-After` value:
 * delay-seconds only (an HTTP-date is ignored). Either may be NULL; RateLimit
 * wins. At most one day (86,400,000 ms); the client caps it further. */
long http_hdr_wait_ms(const char *ratelimit, const char *retry_after);

/* `Content-Range: bytes F-L/T` (or "bytes * /T"): *total = T (0 when absent or
 * not a number), *first = F and *last = L (0 when absent). Returns 1 when both F
 * and L are numbers (a range arrived), else 0. v may be NULL (all zero). */
int http_hdr_content_range(const char *v, unsigned long long *total, unsigned long long *first,
			   unsigned long long *last);

/* Scheme, host and port of url (the port from the scheme when absent), parsed
 * by libcurl's URL parser. 0 with *scheme and *host new strings; LT_EINVAL for
 * a URL it cannot parse, LT_ENOMEM (then both are NULL). */
int http_url_origin(const char *url, char **scheme, char **host, long *port);

/* 1 when a and b have the same scheme, host and port (case-insensitive); 0 when
 * they differ or either cannot be parsed. */
int http_same_origin(const char *a, const char *b);

/* url for a message: no query or fragment (signed CDN URLs carry credentials
 * there), at most 160 bytes, always NUL-terminated in dst[0..size). */
void http_url_for_msg(char *dst, size_t size, const char *url);

/* May a request for `from` be redirected to `target` (an absolute URL, as
 * libcurl resolves a Location against the current one)? 0 yes; LT_ENET when
 * target cannot be parsed or is not http(s) (or from cannot be parsed);
 * LT_EUNSAFE for https -> http (a downgrade would expose the request). */
int http_redirect_check(const char *from, const char *target);

#endif
