/*
 * strmap.h - string-keyed hash map (open addressing). Keys are copied; values are
 * borrowed pointers. Later puts of the same key replace the value.
 */
#ifndef LT_STRMAP_H
#define LT_STRMAP_H

#include <stddef.h>

struct strmap_slot {
	char *key;
	void *val;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;
};

void strmap_init(struct strmap *m);
int strmap_put(struct strmap *m, const char *key, void *val); /* 0 or LT_ENOMEM */
void *strmap_get(const struct strmap *m, const char *key);
void strmap_release(struct strmap *m);

#endif
