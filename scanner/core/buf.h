/*
 * buf.h - the one growable byte buffer, bounded by construction.
 *
 * buf_init() takes a mandatory cap. An append that would pass the cap, or that
 * fails to allocate, sets a sticky error and does nothing; later appends are
 * no-ops, so a caller may append many times and check once (buf_error()).
 * The data is always NUL-terminated (it may also hold NULs). buf_detach() is the
 * only way to take the bytes; buf_release() frees them.
 */
#ifndef LT_BUF_H
#define LT_BUF_H

#include <stddef.h>

struct buf {
	char *data;  /* NULL until the first append; use buf_cstr() for "" */
	size_t len;
	size_t alloc;
	size_t max;  /* cap on len */
	int err;     /* 0, LT_ETOOBIG or LT_ENOMEM; sticky */
};

void buf_init(struct buf *b, size_t max);
int buf_add(struct buf *b, const void *data, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Make room for n more bytes; returns 0 or the sticky error. */
int buf_grow(struct buf *b, size_t n);
/* Drop content, keep allocation and clear the error. */
void buf_reset(struct buf *b);
/* Shorten to n bytes (n <= len). */
void buf_truncate(struct buf *b, size_t n);
const char *buf_cstr(const struct buf *b);
int buf_error(const struct buf *b);
/* Caller owns the returned bytes (never NULL unless out of memory); b is reset. */
char *buf_detach(struct buf *b, size_t *len);
void buf_release(struct buf *b);

#endif
