/* strmap.c - open-addressing string map; see strmap.h. */
#include "strmap.h"
#include "err.h"
#include "str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

static int grow(struct strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct strmap_slot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return LT_ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		size_t j = hash(m->slots[i].key) & (ncap - 1);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int strmap_put(struct strmap *m, const char *key, void *val)
{
	size_t j;

	if ((m->n + 1) * 2 > m->cap && grow(m))
		return LT_ENOMEM;
	j = hash(key) & (m->cap - 1);
	while (m->slots[j].key) {
		if (strcmp(m->slots[j].key, key) == 0) {
			m->slots[j].val = val;
			return 0;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->slots[j].key = lt_strdup(key);
	if (!m->slots[j].key)
		return LT_ENOMEM;
	m->slots[j].val = val;
	m->n++;
	return 0;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	size_t j;

	if (!m->cap)
		return NULL;
	j = hash(key) & (m->cap - 1);
	while (m->slots[j].key) {
		if (strcmp(m->slots[j].key, key) == 0)
			return m->slots[j].val;
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
