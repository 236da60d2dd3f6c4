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

void strmap_init_borrowed(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
	m->borrowed = 1;
}

static int rehash(struct strmap *m, size_t ncap)
{
	struct strmap_slot *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return LT_ENOMEM;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		size_t j = m->slots[i].hash & (ncap - 1);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int strmap_reserve(struct strmap *m, size_t n)
{
	size_t ncap = m->cap ? m->cap : 64;

	if (n > ((size_t)-1) / 4)
		return LT_ENOMEM;
	while (n * 2 > ncap)
		ncap *= 2;
	return ncap == m->cap ? 0 : rehash(m, ncap);
}

/* The slot of key (hash h): its own, or the empty one where it belongs. */
static size_t find(const struct strmap *m, const char *key, uint64_t h)
{
	size_t j = h & (m->cap - 1);

	while (m->slots[j].key && (m->slots[j].hash != h || strcmp(m->slots[j].key, key) != 0))
		j = (j + 1) & (m->cap - 1);
	return j;
}

static int put(struct strmap *m, const char *key, char *owned, void *val)
{
	uint64_t h = hash(key);
	size_t j;

	if ((m->n + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 64)) {
		free(owned);
		return LT_ENOMEM;
	}
	j = find(m, key, h);
	if (m->slots[j].key) {
		m->slots[j].val = val;
		free(owned);
		return 0;
	}
	m->slots[j].key = owned ? owned : m->borrowed ? (char *)key : lt_strdup(key);
	if (!m->slots[j].key)
		return LT_ENOMEM;
	m->slots[j].val = val;
	m->slots[j].hash = h;
	m->n++;
	return 0;
}

int strmap_put(struct strmap *m, const char *key, void *val)
{
	return put(m, key, NULL, val);
}

int strmap_put_take(struct strmap *m, char *key, void *val)
{
	return put(m, key, key, val);
}

void *strmap_get(const struct strmap *m, const char *key)
{
	size_t j;

	if (!m->cap)
		return NULL;
	j = find(m, key, hash(key));
	return m->slots[j].key ? m->slots[j].val : NULL;
}
void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap && !m->borrowed; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
