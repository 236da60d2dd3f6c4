/*
 * similar.c - word 3-gram similarity; see similar.h.
 */
#include "similar.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static uint64_t mix64(uint64_t x)
{
	/* splitmix64 finaliser: spreads the bits of an already mixed value */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int simtext_build(struct simtext *out, const char *norm, size_t len)
{
	size_t n = 0, i = 0;

	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < len; k++)
		if (norm[k] == ' ')
			n++;
	n = len ? n + 1 : 0;
	if (!n)
		return 0;
	out->word = malloc(n * sizeof(*out->word));
	out->start = malloc(n * sizeof(*out->start));
	if (!out->word || !out->start) {
		simtext_release(out);
		return LT_ENOMEM;
	}
	while (i < len) {
		const char *sp = memchr(norm + i, ' ', len - i);
		size_t e = sp ? (size_t)(sp - norm) : len;
		if (e > i) {
			out->start[out->n] = (uint32_t)i;
			out->word[out->n++] = fnv1a(norm + i, e - i);
		}
		i = e + 1;
	}
	return 0;
}

void simtext_release(struct simtext *t)
{
	free(t->word);
	free(t->start);
	memset(t, 0, sizeof(*t));
}

uint64_t simtext_shingle(const struct simtext *t, size_t i)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;

	for (size_t k = 0; k < SIM_K; k++)
		h = mix64(h ^ t->word[i + k]) + k;
	return h;
}

/* Sort v[0..n) ascending: insertion sort for a few values, else a least
 * significant digit radix sort, 8 passes of a byte (linear: a reference text's
 * thousands of shingles sort in about a tenth of qsort's instructions). */
static int sort_u64(uint64_t *v, size_t n)
{
	uint64_t *tmp, *a = v, *b;

	if (n < 48) {
		for (size_t i = 1; i < n; i++) {
			uint64_t x = v[i];
			size_t j = i;
			for (; j > 0 && v[j - 1] > x; j--)
				v[j] = v[j - 1];
			v[j] = x;
		}
		return 0;
	}
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return LT_ENOMEM;
	b = tmp;
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[257] = { 0 };
		uint64_t *t;
		for (size_t i = 0; i < n; i++)
			count[((a[i] >> shift) & 0xFF) + 1]++;
		if (count[((a[0] >> shift) & 0xFF) + 1] == n)
			continue; /* every value has this byte: the pass would not move anything */
		for (size_t d = 1; d < 257; d++)
			count[d] += count[d - 1];
		for (size_t i = 0; i < n; i++)
			b[count[(a[i] >> shift) & 0xFF]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	if (a != v)
		memcpy(v, a, n * sizeof(*v));
	free(tmp);
	return 0;
}

int simset_build(struct simset *out, const struct simtext *t)
{
	size_t n, k = 0;

	memset(out, 0, sizeof(*out));
	if (t->n < SIM_K)
		return 0;
	n = t->n - SIM_K + 1;
	out->v = malloc(n * sizeof(*out->v));
	if (!out->v)
		return LT_ENOMEM;
	for (size_t i = 0; i < n; i++)
		out->v[i] = simtext_shingle(t, i);
	if (sort_u64(out->v, n) != 0) {
		simset_release(out);
		return LT_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (k == 0 || out->v[k - 1] != out->v[i])
			out->v[k++] = out->v[i];
	out->n = k;
	return 0;
}

void simset_release(struct simset *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int simset_has(const struct simset *s, uint64_t h)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->v[lo] == h;
}

double simset_containment(const struct simset *a, const struct simset *b)
{
	size_t i = 0, j = 0, common = 0;

	if (!a->n)
		return 0;
	while (i < a->n && j < b->n) {
		if (a->v[i] == b->v[j]) {
			common++;
			i++;
			j++;
		} else if (a->v[i] < b->v[j]) {
			i++;
		} else {
			j++;
		}
	}
	return (double)common / (double)a->n;
}

void simtext_cover(const struct simtext *t, const struct simset *ref, unsigned char *covered,
		   unsigned char mark)
{
	if (t->n < SIM_K)
		return;
	for (size_t i = 0; i + SIM_K <= t->n; i++)
		if (simset_has(ref, simtext_shingle(t, i)))
			for (size_t k = 0; k < SIM_K; k++)
				if (!covered[i + k])
					covered[i + k] = mark;
}
