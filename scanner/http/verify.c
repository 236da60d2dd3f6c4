/*
 * verify.c - check a body against the hub's own description of it; see verify.h.
 */
#include "verify.h"
#include "http.h"
#include "core/digest.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int all_hex(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

/* First byte asked for by q->range ("A-B" or "A-"); 0 when there is none. */
static unsigned long long range_start(const char *range)
{
	unsigned long long v = 0;

	for (; range && *range >= '0' && *range <= '9'; range++) {
		if (v > (~0ULL - 9) / 10)
			return ~0ULL;
		v = v * 10 + (unsigned)(*range - '0');
	}
	return v;
}

/* Digest check of a whole body; 0 ok or not checkable, 1 mismatch. */
static int check_digest(const struct http_resp *r, char *why, size_t whysz)
{
	const char *hdr = r->linked_etag ? "X-Linked-Etag" : "ETag";
	char *id = http_etag_id(r->linked_etag ? r->linked_etag : r->etag);
	char got[2 * LT_SHA256_LEN + 1];
	const char *kind = NULL;
	int bad = 0;

	if (!id)
		return 0;
	if (all_hex(id, 2 * LT_SHA256_LEN)) {
		lt_sha256_hex(r->body.data ? r->body.data : "", r->body.len, got);
		kind = "sha256";
	} else if (!r->linked_etag && all_hex(id, 2 * LT_SHA1_LEN)) {
		lt_git_blob_sha1_hex(r->body.data ? r->body.data : "", r->body.len, got);
		kind = "git blob sha1";
	}
	if (kind && !lt_strieq(id, got)) {
		snprintf(why, whysz, "the body (%zu bytes, %s %.12s) does not match the %s %.12s",
			 r->body.len, kind, got, hdr, id);
		bad = 1;
	}
	free(id);
	return bad;
}

int http_verify_body(const struct http_req *q, const struct http_resp *r, int prefix, char *why,
		     size_t whysz)
{
	unsigned long long linked = r->linked_size, expect = q->expect_size, total;
	unsigned long long len = r->body.len;
	int whole = 0;

	if (linked && expect && linked != expect) {
		snprintf(why, whysz, "the hub's sizes disagree (X-Linked-Size %llu, model info %llu bytes)",
			 linked, expect);
		return 1;
	}
	total = linked ? linked : expect;
	if (r->status == 206) {
		unsigned long long want = range_start(q->range);
		if (!r->has_range) {
			snprintf(why, whysz, "a partial answer without a usable Content-Range");
			return 1;
		}
		if (r->range_total && total && r->range_total != total) {
			snprintf(why, whysz, "Content-Range says %llu bytes, the hub says %llu",
				 r->range_total, total);
			return 1;
		}
		if (!total)
			total = r->range_total;
		if (r->range_first != want || r->range_last < r->range_first ||
		    len != r->range_last - r->range_first + 1 || (total && r->range_last >= total)) {
			snprintf(why, whysz, "%llu bytes for Content-Range %llu-%llu/%llu (asked from byte %llu)",
				 len, r->range_first, r->range_last, r->range_total, want);
			return 1;
		}
		whole = r->range_first == 0 && total && len == total;
	} else if (r->status == 200 && prefix) {
		if (r->content_length && total && r->content_length != total) {
			snprintf(why, whysz, "Content-Length %llu, the hub says %llu bytes",
				 r->content_length, total);
			return 1;
		}
	} else if (r->status == 200) {
		if (total && len != total) {
			snprintf(why, whysz, "%llu bytes arrived, the hub says the file has %llu", len, total);
			return 1;
		}
		whole = 1;
	}
	return whole ? check_digest(r, why, whysz) : 0;
}
