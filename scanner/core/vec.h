/*
 * vec.h - a typed growable array by macro: struct { T *v; size_t n, cap; }.
 * VEC_PUSH returns 0 or LT_ENOMEM; the owner frees .v (and the items' contents).
 */
#ifndef LT_VEC_H
#define LT_VEC_H

#include <stdlib.h>

#define VEC(T) struct { T *v; size_t n, cap; }

#define VEC_GROW_(vec)                                                                     \
	((vec)->n < (vec)->cap ? 0 : vec_grow_((void **)&(vec)->v, &(vec)->cap, sizeof(*(vec)->v)))

#define VEC_PUSH(vec, item) (VEC_GROW_(vec) ? -1 : ((vec)->v[(vec)->n++] = (item), 0))

#define VEC_FREE(vec) (free((vec)->v), (vec)->v = NULL, (vec)->n = (vec)->cap = 0)

static inline int vec_grow_(void **v, size_t *cap, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p;

	if (ncap > ((size_t)-1) / elem)
		return -1;
	p = realloc(*v, ncap * elem);
	if (!p)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

#endif
