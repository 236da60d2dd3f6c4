/*
 * strmap.h - string-keyed hash map (open addressing). Keys are copied (or, in a
 * map made with strmap_init_borrowed, borrowed); values are borrowed pointers.
 * Later puts of the same key replace the value.
 */
#ifndef LT_STRMAP_H
#define LT_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	char *key;
	void *val;
	uint64_t hash; /* of key: growing does not hash again, lookups compare it first */
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;
	int borrowed; /* keys are the caller's, never copied or freed */
};

void strmap_init(struct strmap *m);
/* A map whose keys are not copied: each key put must outlive the map (strings
 * of a loaded database, say). strmap_put_take is not for such a map. */
void strmap_init_borrowed(struct strmap *m);
int strmap_put(struct strmap *m, const char *key, void *val); /* 0 or LT_ENOMEM */
/* Like strmap_put, but the map takes key (malloc'd) and frees it when the key
 * is already present or on failure. */
int strmap_put_take(struct strmap *m, char *key, void *val);
/* Room for n entries in all, so that as many puts never rehash. 0 or LT_ENOMEM. */
int strmap_reserve(struct strmap *m, size_t n);
void *strmap_get(const struct strmap *m, const char *key);
void strmap_release(struct strmap *m);

#endif
