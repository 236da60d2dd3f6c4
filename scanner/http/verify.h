/*
 * verify.h - is a downloaded body what the server says it is?
 *
 * A Hugging Face-compatible hub names every file it serves. What is checked, in
 * this order (header values from the first response that sent them on the origin
 * the caller asked, i.e. the hub's answer, also across its relative redirects to
 * /api/resolve-cache/...; a CDN's own ETag is never consulted):
 *
 *  1. Sizes agree: X-Linked-Size (LFS files), the caller's expect_size (the size
 *     in the model info) and, for a 206, the total of Content-Range.
 *  2. A 206 answers the range asked for ("bytes F-L/T", F as requested, the body
 *     exactly L-F+1 bytes, L < T); a 200 to a Range request cut at the byte cap
 *     is a prefix whose Content-Length must be the announced size.
 *  3. A whole body (a 200 not cut, or a 206 that covers the whole file) has the
 *     announced size and matches the hub's digest:
 *       X-Linked-Etag of 64 hex digits: the SHA-256 of the content (LFS object id);
 *       else ETag of 40 hex digits: the git blob SHA-1 ("blob <len>\0" + content);
 *       else ETag of 64 hex digits: the SHA-256 of the content (how the Hub names
 *       LFS files, and what some mirrors send for every file).
 *     A weak ETag (W/"...") names the same content: huggingface_hub treats
 *     W/"x" like "x", and so do we. An ETag of any other shape (an API answer's
 *     W/"<hash of the JSON>", a plain web server's "<inode>-<mtime>") is no
 *     content id: nothing is checked against it, only the sizes.
 *
 * A prefix (Range read) cannot be checked against a digest of the whole file;
 * only its sizes are.
 */
#ifndef LT_HTTP_VERIFY_H
#define LT_HTTP_VERIFY_H

#include <stddef.h>

struct http_req;
struct http_resp;

/* 0 when r (a 200 or 206 answer to q) is consistent with what the server and
 * q->expect_size say; 1 with a one-line reason in why (lower case, no file name:
 * the caller knows it). prefix: the client stopped reading at its byte cap (a
 * Range request the server answered with the whole file). */
int http_verify_body(const struct http_req *q, const struct http_resp *r, int prefix, char *why,
		     size_t whysz);

#endif
