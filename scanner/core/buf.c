/* buf.c - bounded growable buffer; see buf.h. */
#include "buf.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

int buf_grow(struct buf *b, size_t n)
{
	size_t need, nalloc;
	char *p;

	if (b->err)
		return b->err;
	/* overflow-checked: len + n + 1 must fit and stay under the cap */
	if (n > b->max || b->len > b->max - n) {
		b->err = LT_ETOOBIG;
		return b->err;
	}
	need = b->len + n + 1;
	if (need <= b->alloc)
		return 0;
	nalloc = b->alloc ? b->alloc : 64;
	while (nalloc < need) {
		if (nalloc > ((size_t)-1) / 2) {
			nalloc = need;
			break;
		}
		nalloc *= 2;
	}
	if (nalloc > b->max + 1)
		nalloc = b->max + 1 > need ? b->max + 1 : need;
	p = realloc(b->data, nalloc);
	if (!p) {
		b->err = LT_ENOMEM;
		return b->err;
	}
	b->data = p;
	b->alloc = nalloc;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n))
		return b->err;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char small[256];

	if (b->err)
		return b->err;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = LT_EINVAL;
		return b->err;
	}
	if ((size_t)n < sizeof(small))
		return buf_add(b, small, (size_t)n);
	if (buf_grow(b, (size_t)n))
		return b->err;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_truncate(struct buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		b->data[n] = '\0';
	}
}

const char *buf_cstr(const struct buf *b)
{
	return b->data ? b->data : "";
}

int buf_error(const struct buf *b)
{
	return b->err;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->alloc = 0;
	b->err = 0;
	return p;
}

void buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
	b->err = 0;
}
