/*
 * fuzz_httphdr.c - libFuzzer harness for what the HTTP client reads from a
 * response's headers (http/headers.h): the wait a 429/503 asks for
 * (`RateLimit`, `Retry-After`), the next page (`Link`), `Content-Range`, and
 * where a redirect may go.
 *
 * The input is split at '\n' into: a RateLimit value, a Retry-After value, a
 * Link value, a Content-Range value, the URL being fetched and a Location;
 * missing lines are absent headers. The whole input is also given to each
 * reader as one value. The Location is resolved against the URL with libcurl's
 * URL parser, as libcurl does for CURLINFO_REDIRECT_URL, before the redirect
 * check. Each result is held to its contract (bounds, substrings, schemes).
 */
#include "http/headers.h"
#include "core/err.h"

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NLINES 6

static void check_wait(const char *rl, const char *ra)
{
	long ms = http_hdr_wait_ms(rl, ra);

	if (ms != -1 && (ms < 0 || ms > 86400000L))
		abort();
	if (!rl && !ra && ms != -1)
		abort();
}

static void check_link(const char *v)
{
	char *next = http_hdr_link_next(v);

	if (next) {
		/* the text between one '<' and the next '>' of the value */
		if (!v || strlen(next) + 2 > strlen(v) || strchr(next, '>') || !strstr(v, next))
			abort();
		free(next);
	}
}

static void check_range(const char *v)
{
	unsigned long long total = 1, first = 1, last = 1;
	int has = http_hdr_content_range(v, &total, &first, &last);

	if (has && strncmp(v, "bytes ", 6) != 0)
		abort();
	if (!v && (has || total || first || last))
		abort();
	if (v && !strchr(v, '/') && total)
		abort();
}

static void check_ull(const char *v)
{
	int ok = 1;
	unsigned long long n = http_hdr_ull(v, &ok);

	if (!ok && n)
		abort();
	if (ok && (v[strspn(v, " ")] < '0' || v[strspn(v, " ")] > '9'))
		abort(); /* a number starts with a digit after the spaces */
}

/* Resolve loc against from as libcurl does for a redirect; a new string or NULL. */
static char *resolve(const char *from, const char *loc)
{
	CURLU *u = curl_url();
	char *out = NULL, *r = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, from, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, loc, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK) {
		r = strdup(out);
		curl_free(out);
	}
	curl_url_cleanup(u);
	return r;
}

static void check_redirect(const char *from, const char *loc)
{
	char *target = resolve(from, loc), *s = NULL, *h = NULL, *s0 = NULL, *h0 = NULL;
	char msg[200];
	long port = 0, port0 = 0;
	int rc;

	http_url_for_msg(msg, sizeof(msg), from);
	if (strlen(msg) > 160 || strpbrk(msg, "?#"))
		abort();
	if (!target)
		return;
	rc = http_redirect_check(from, target);
	if (rc != 0 && rc != LT_ENET && rc != LT_EUNSAFE)
		abort();
	if (rc == 0) {
		/* allowed: http(s), and never from https down to http */
		if (http_url_origin(target, &s, &h, &port) || http_url_origin(from, &s0, &h0, &port0))
			abort();
		if (strcasecmp(s, "https") != 0 && strcasecmp(s, "http") != 0)
			abort();
		if (strcasecmp(s0, "https") == 0 && strcasecmp(s, "https") != 0)
			abort();
		/* an origin is its own */
		if (!http_same_origin(target, target) || !http_same_origin(from, from))
			abort();
		if (http_same_origin(from, target) != (strcasecmp(s, s0) == 0 &&
						       strcasecmp(h, h0) == 0 && port == port0))
			abort();
	}
	free(s);
	free(h);
	free(s0);
	free(h0);
	free(target);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *whole = malloc(size + 1);
	const char *line[NLINES] = { NULL };
	size_t n = 0;

	if (!s || !whole)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	memcpy(whole, s, size + 1);
	for (char *p = s; n < NLINES; n++) {
		char *nl = strchr(p, '\n');
		line[n] = p;
		if (!nl) {
			n++;
			break;
		}
		*nl = '\0';
		p = nl + 1;
	}
	check_wait(line[0], line[1]);
	check_wait(NULL, whole);
	check_wait(whole, NULL);
	check_link(line[2]);
	check_link(whole);
	check_range(line[3]);
	check_range(whole);
	check_ull(whole);
	if (line[4] && line[5])
		check_redirect(line[4], line[5]);
	free(s);
	free(whole);
	return 0;
}
