/*
 * headers.c - reading response header values and checking redirect targets;
 * see headers.h. Everything here works on strings, so the libcurl loop in
 * http.c stays about transfers and this file can be fuzzed alone.
 */
#include "headers.h"
#include "core/err.h"
#include "core/str.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

unsigned long long http_hdr_ull(const char *s, int *ok)
{
	unsigned long long v = 0;

	*ok = 0;
	if (!s)
		return 0;
	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (~0ULL - 9) / 10)
			return 0;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*ok = 1;
	return v;
}

char *http_hdr_link_next(const char *v)
{
	while (v && *v) {
		const char *lt = strchr(v, '<'), *gt, *end, *rel;
		if (!lt || !(gt = strchr(lt, '>')))
			return NULL;
		end = strchr(gt, ',');
		/* the comma may also appear inside a later URL; good enough: rel comes first */
		if (!end)
			end = gt + strlen(gt);
		rel = strstr(gt, "rel=");
		if (rel && rel < end) {
			rel += 4;
			if (*rel == '"')
				rel++;
			if (strncmp(rel, "next", 4) == 0 && (rel[4] == '"' || rel[4] == ';' ||
							    rel[4] == ',' || rel[4] == ' ' ||
							    rel[4] == '\0'))
				return lt_strndup(lt + 1, (size_t)(gt - lt - 1));
		}
		v = *end ? end + 1 : end;
	}
	return NULL;
}

long http_hdr_wait_ms(const char *ratelimit, const char *retry_after)
{
	unsigned long long v;
	int ok;

	if (ratelimit) {
		/* draft-ietf-httpapi-ratelimit-headers: "bucket";r=<remaining>;t=<seconds> */
		const char *r = strstr(ratelimit, ";r="), *t = strstr(ratelimit, ";t=");
		if (r && t && http_hdr_ull(r + 3, &ok) == 0 && ok) {
			v = http_hdr_ull(t + 3, &ok);
			if (ok)
				return v > 86400 ? 86400000L : (long)v * 1000;
		}
	}
	if (retry_after) {
		v = http_hdr_ull(retry_after, &ok); /* delay-seconds; an HTTP-date is ignored */
		if (ok)
			return v > 86400 ? 86400000L : (long)v * 1000;
	}
	return -1;
}

int http_hdr_content_range(const char *v, unsigned long long *total, unsigned long long *first,
			   unsigned long long *last)
{
	const char *slash, *dash;
	int ok, ok1, ok2;

	*total = *first = *last = 0;
	if (!v)
		return 0;
	slash = strchr(v, '/');
	if (slash)
		*total = http_hdr_ull(slash + 1, &ok);
	if (strncmp(v, "bytes ", 6) == 0 && (dash = strchr(v + 6, '-')) && (!slash || dash < slash)) {
		*first = http_hdr_ull(v + 6, &ok1);
		*last = http_hdr_ull(dash + 1, &ok2);
		return ok1 && ok2;
	}
	return 0;
}

void http_url_for_msg(char *dst, size_t size, const char *url)
{
	size_t n = strcspn(url, "?#");

	if (n > 160)
		n = 160;
	if (n >= size)
		n = size - 1;
	memcpy(dst, url, n);
	dst[n] = '\0';
}

int http_url_origin(const char *url, char **scheme, char **host, long *port)
{
	CURLU *u = curl_url();
	char *s = NULL, *h = NULL, *p = NULL;
	int rc = LT_EINVAL;

	*scheme = *host = NULL;
	*port = 0;
	if (!u)
		return LT_ENOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) != CURLUE_OK)
		goto done;
	*scheme = lt_strdup(s);
	*host = lt_strdup(h);
	*port = strtol(p, NULL, 10);
	rc = (*scheme && *host) ? 0 : LT_ENOMEM;
	if (rc) {
		free(*scheme);
		free(*host);
		*scheme = *host = NULL;
	}
done:
	curl_free(s);
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

int http_same_origin(const char *a, const char *b)
{
	char *sa = NULL, *ha = NULL, *sb = NULL, *hb = NULL;
	long pa = 0, pb = 0;
	int same = 0;

	if (!http_url_origin(a, &sa, &ha, &pa) && !http_url_origin(b, &sb, &hb, &pb))
		same = lt_strieq(sa, sb) && lt_strieq(ha, hb) && pa == pb;
	free(sa);
	free(ha);
	free(sb);
	free(hb);
	return same;
}

int http_redirect_check(const char *from, const char *target)
{
	char *s_old = NULL, *h_old = NULL, *s_new = NULL, *h_new = NULL;
	long p_old, p_new;
	int rc = 0;

	if (http_url_origin(from, &s_old, &h_old, &p_old) ||
	    http_url_origin(target, &s_new, &h_new, &p_new) ||
	    (!lt_strieq(s_new, "https") && !lt_strieq(s_new, "http")))
		rc = LT_ENET;
	else if (lt_strieq(s_old, "https") && !lt_strieq(s_new, "https"))
		rc = LT_EUNSAFE;
	free(s_old);
	free(h_old);
	free(s_new);
	free(h_new);
	return rc;
}
