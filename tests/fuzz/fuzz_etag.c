/*
 * fuzz_etag.c - libFuzzer harness for the header and URL helpers http/http.h
 * exposes: ETag unquoting (http_etag_id) and percent-encoding (http_url_escape).
 * Retry-After, RateLimit, Link, Content-Range and redirects: fuzz_httphdr.c.
 */
#include "http/http.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *a, *b, *c;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	a = http_etag_id(s);
	b = http_url_escape(s, 0);
	c = http_url_escape(s, 1);
	if (a && strlen(a) > strlen(s))
		abort();
	for (const char *p = b; p && *p; p++)
		if (*p == '/')
			abort(); /* keep_slash 0 escapes every '/' */
	free(a);
	free(b);
	free(c);
	free(s);
	return 0;
}
