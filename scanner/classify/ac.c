/*
 * ac.c - Aho-Corasick automaton over bytes; see ac.h.
 *
 * While patterns are added, each state keeps its children as a linked list of
 * edges (cheap inserts). ac_build() turns them into one sorted edge array per
 * state (CSR layout), a dense 256-entry table for the root (most bytes of a text
 * leave the root at once, so this is the hot path), and then computes failure
 * links and output ("dictionary suffix") links breadth first.
 */
#include "ac.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define NONE UINT32_MAX

struct ac {
	unsigned flags;
	size_t max_states;
	int built;
	int borrowed; /* imported: the built arrays point into the caller's image */
	size_t nstates, cap;
	/* build-time trie: first child edge of each state */
	uint32_t *first;
	/* build-time edges: label, target, next sibling */
	uint8_t *elabel;
	uint32_t *etarget, *enext;
	size_t nedges;
	/* per state */
	uint32_t *out;   /* pattern id ending here, or NONE */
	uint32_t *fail;
	uint32_t *dict;  /* next state on the fail chain with an output, or NONE */
	uint32_t *estart; /* CSR: edges of state s are [estart[s], estart[s + 1]) */
	/* CSR edges sorted by label */
	uint8_t *clabel;
	uint32_t *ctarget;
	uint32_t root[256];
	/* per pattern */
	uint32_t *plen;
	size_t npat, patcap;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / elem)
		return -1;
	q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Grow every per-state array together (they share ac->cap). */
static int grow_states(struct ac *ac, size_t need)
{
	size_t n = ac->cap ? ac->cap : 256;
	uint32_t **arrays[] = { &ac->first, &ac->out, &ac->etarget, &ac->enext };
	void *l;

	if (need <= ac->cap)
		return 0;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / sizeof(uint32_t))
		return -1;
	/* edges: one per non-root state, so the edge arrays share the state capacity */
	for (size_t i = 0; i < sizeof(arrays) / sizeof(*arrays); i++) {
		void *q = realloc(*arrays[i], n * sizeof(uint32_t));
		if (!q)
			return -1;
		*arrays[i] = q;
	}
	l = realloc(ac->elabel, n);
	if (!l)
		return -1;
	ac->elabel = l;
	ac->cap = n;
	return 0;
}

int ac_new(struct ac **out, unsigned flags, size_t max_states, struct lt_error *err)
{
	struct ac *ac = calloc(1, sizeof(*ac));

	*out = NULL;
	if (!ac || grow_states(ac, 1) != 0) {
		ac_free(ac);
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	}
	ac->flags = flags;
	ac->max_states = max_states ? max_states : AC_MAX_STATES;
	ac->nstates = 1;
	ac->first[0] = NONE;
	ac->out[0] = NONE;
	*out = ac;
	return 0;
}

void ac_free(struct ac *ac)
{
	if (!ac)
		return;
	free(ac->first);
	free(ac->elabel);
	free(ac->etarget);
	free(ac->enext);
	if (!ac->borrowed) {
		free(ac->out);
		free(ac->fail);
		free(ac->dict);
		free(ac->estart);
		free(ac->clabel);
		free(ac->ctarget);
		free(ac->plen);
	}
	free(ac);
}

static uint32_t build_child(const struct ac *ac, uint32_t s, uint8_t c)
{
	for (uint32_t e = ac->first[s]; e != NONE; e = ac->enext[e])
		if (ac->elabel[e] == c)
			return ac->etarget[e];
	return NONE;
}

int ac_add(struct ac *ac, const char *p, size_t len, uint32_t *id, struct lt_error *err)
{
	uint32_t s = 0;

	if (ac->built || !len)
		return lt_error_set(err, LT_EINVAL, NULL, 0,
				    ac->built ? "pattern added after build" : "empty pattern");
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)p[i];
		uint32_t t = build_child(ac, s, c);
		if (t == NONE) {
			uint32_t e;
			if (ac->nstates >= ac->max_states)
				return lt_error_set(err, LT_ETOOBIG, NULL, 0,
						    "phrase automaton over %zu states", ac->max_states);
			if (grow_states(ac, ac->nstates + 1) != 0)
				return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
			t = (uint32_t)ac->nstates++;
			ac->first[t] = NONE;
			ac->out[t] = NONE;
			e = (uint32_t)ac->nedges++;
			ac->elabel[e] = c;
			ac->etarget[e] = t;
			ac->enext[e] = ac->first[s];
			ac->first[s] = e;
		}
		s = t;
	}
	if (ac->out[s] == NONE) {
		if (len > UINT32_MAX || ac->npat >= UINT32_MAX - 1 ||
		    grow((void **)&ac->plen, &ac->patcap, ac->npat + 1, sizeof(*ac->plen)) != 0)
			return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		ac->out[s] = (uint32_t)ac->npat;
		ac->plen[ac->npat++] = (uint32_t)len;
	}
	*id = ac->out[s];
	return 0;
}

/* Child of s by c in the built automaton, or NONE. */
static inline uint32_t child(const struct ac *ac, uint32_t s, uint8_t c)
{
	uint32_t lo = ac->estart[s], hi = ac->estart[s + 1];

	if (s == 0)
		return ac->root[c];
	while (hi - lo > 8) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ac->clabel[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < hi; lo++) {
		if (ac->clabel[lo] == c)
			return ac->ctarget[lo];
		if (ac->clabel[lo] > c)
			break;
	}
	return NONE;
}

static int to_csr(struct ac *ac)
{
	size_t n = ac->nstates, k = 0;

	ac->estart = malloc((n + 1) * sizeof(uint32_t));
	ac->clabel = malloc(ac->nedges ? ac->nedges : 1);
	ac->ctarget = malloc((ac->nedges ? ac->nedges : 1) * sizeof(uint32_t));
	if (!ac->estart || !ac->clabel || !ac->ctarget)
		return -1;
	for (size_t s = 0; s < n; s++) {
		size_t a = k;
		ac->estart[s] = (uint32_t)k;
		for (uint32_t e = ac->first[s]; e != NONE; e = ac->enext[e]) {
			/* insertion sort: a state has at most 256 edges, usually one */
			size_t j = k++;
			while (j > a && ac->clabel[j - 1] > ac->elabel[e]) {
				ac->clabel[j] = ac->clabel[j - 1];
				ac->ctarget[j] = ac->ctarget[j - 1];
				j--;
			}
			ac->clabel[j] = ac->elabel[e];
			ac->ctarget[j] = ac->etarget[e];
		}
	}
	ac->estart[n] = (uint32_t)k;
	for (int c = 0; c < 256; c++)
		ac->root[c] = NONE;
	for (uint32_t e = ac->estart[0]; e < ac->estart[1]; e++)
		ac->root[ac->clabel[e]] = ac->ctarget[e];
	/* the build-time lists are no longer needed */
	free(ac->first); ac->first = NULL;
	free(ac->elabel); ac->elabel = NULL;
	free(ac->etarget); ac->etarget = NULL;
	free(ac->enext); ac->enext = NULL;
	return 0;
}

int ac_build(struct ac *ac, struct lt_error *err)
{
	uint32_t *queue = NULL;
	size_t head = 0, tail = 0;
	int rc = 0;

	if (ac->built)
		return 0;
	ac->fail = malloc(ac->nstates * sizeof(uint32_t));
	ac->dict = malloc(ac->nstates * sizeof(uint32_t));
	queue = malloc(ac->nstates * sizeof(uint32_t));
	if (!ac->fail || !ac->dict || !queue || to_csr(ac) != 0) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	ac->fail[0] = 0;
	ac->dict[0] = NONE;
	for (uint32_t e = ac->estart[0]; e < ac->estart[1]; e++) {
		uint32_t t = ac->ctarget[e];
		ac->fail[t] = 0;
		ac->dict[t] = NONE;
		queue[tail++] = t;
	}
	while (head < tail) {
		uint32_t s = queue[head++];
		for (uint32_t e = ac->estart[s]; e < ac->estart[s + 1]; e++) {
			uint32_t t = ac->ctarget[e], f = ac->fail[s], g;
			uint8_t c = ac->clabel[e];
			while ((g = child(ac, f, c)) == NONE && f != 0)
				f = ac->fail[f];
			ac->fail[t] = (g == NONE || g == t) ? 0 : g;
			f = ac->fail[t];
			ac->dict[t] = ac->out[f] != NONE ? f : ac->dict[f];
			queue[tail++] = t;
		}
	}
	ac->built = 1;
done:
	free(queue);
	return rc;
}

/* --- image --- */

static void put_u32s(struct buf *out, const uint32_t *v, size_t n)
{
	buf_add(out, v, n * sizeof(uint32_t));
}

int ac_export(const struct ac *ac, struct buf *out)
{
	uint32_t head[4];

	if (!ac || !ac->built)
		return LT_EINVAL;
	head[0] = ac->flags;
	head[1] = (uint32_t)ac->nstates;
	head[2] = (uint32_t)ac->nedges;
	head[3] = (uint32_t)ac->npat;
	put_u32s(out, head, 4);
	put_u32s(out, ac->out, ac->nstates);
	put_u32s(out, ac->fail, ac->nstates);
	put_u32s(out, ac->dict, ac->nstates);
	put_u32s(out, ac->estart, ac->nstates + 1);
	put_u32s(out, ac->ctarget, ac->nedges);
	put_u32s(out, ac->plen, ac->npat);
	buf_add(out, ac->clabel, ac->nedges);
	return buf_error(out) ? LT_ENOMEM : 0;
}

/* n elements of size elem at *pos, in place (the image is 4-byte aligned). */
static void *view(const unsigned char *data, size_t len, size_t *pos, size_t n, size_t elem)
{
	const void *v = data + *pos;

	if (n > (len - *pos) / elem)
		return NULL;
	*pos += n * elem;
	return (void *)(uintptr_t)v;
}

/* The structure ac_build() guarantees, checked on an imported automaton: states
 * are numbered in creation order, so a child's number is above its parent's and
 * one pass in number order sees every parent before its children. */
static int import_check(const struct ac *ac)
{
	size_t n = ac->nstates;
	uint16_t *depth = malloc(n * sizeof(uint16_t));
	unsigned char *seen = calloc(n + ac->npat, 1);
	int ok = depth && seen;

	ok = ok && ac->estart[0] == 0 && ac->estart[n] == ac->nedges && ac->out[0] == NONE &&
	     ac->fail[0] == 0 && ac->dict[0] == NONE;
	if (ok) {
		depth[0] = 0;
		seen[0] = 1;
	}
	/* a tree: every state but the root is the child of exactly one lower state */
	for (size_t s = 0; ok && s < n; s++) {
		uint32_t lo = ac->estart[s], hi = ac->estart[s + 1];
		if (lo > hi || hi > ac->nedges || !seen[s] || depth[s] == UINT16_MAX) {
			ok = 0;
			break;
		}
		for (uint32_t e = lo; e < hi; e++) {
			uint32_t t = ac->ctarget[e];
			if (t <= s || t >= n || seen[t] || (e > lo && ac->clabel[e - 1] >= ac->clabel[e])) {
				ok = 0;
				break;
			}
			seen[t] = 1;
			depth[t] = (uint16_t)(depth[s] + 1);
		}
	}
	/* links go to shallower states (so scans terminate); one state per pattern */
	for (size_t s = 1; ok && s < n; s++) {
		uint32_t f = ac->fail[s], d = ac->dict[s], o = ac->out[s];
		if (f >= n || depth[f] >= depth[s] ||
		    (d != NONE && (d >= n || ac->out[d] == NONE || depth[d] >= depth[s])) ||
		    (o != NONE && (o >= ac->npat || seen[n + o] || ac->plen[o] != depth[s])))
			ok = 0;
		else if (o != NONE)
			seen[n + o] = 1;
	}
	for (size_t i = 0; ok && i < ac->npat; i++)
		ok = seen[n + i];
	free(depth);
	free(seen);
	return ok ? 0 : -1;
}

int ac_import(struct ac **out, const void *data, size_t len, size_t max_states, size_t *used)
{
	const unsigned char *p = data;
	uint32_t head[4];
	size_t pos = 0;
	struct ac *ac;

	*out = NULL;
	if (len < sizeof(head) || ((uintptr_t)p & 3u))
		return LT_EPARSE;
	memcpy(head, p, sizeof(head));
	pos = sizeof(head);
	if (!max_states)
		max_states = AC_MAX_STATES;
	if (head[0] > AC_WORDS || head[1] < 1 || head[1] > max_states || head[2] != head[1] - 1 ||
	    head[3] > head[2])
		return LT_EPARSE;
	ac = calloc(1, sizeof(*ac));
	if (!ac)
		return LT_EPARSE;
	ac->borrowed = 1;
	ac->flags = head[0];
	ac->max_states = max_states;
	ac->nstates = ac->cap = head[1];
	ac->nedges = head[2];
	ac->npat = ac->patcap = head[3];
	ac->out = view(p, len, &pos, ac->nstates, sizeof(uint32_t));
	ac->fail = view(p, len, &pos, ac->nstates, sizeof(uint32_t));
	ac->dict = view(p, len, &pos, ac->nstates, sizeof(uint32_t));
	ac->estart = view(p, len, &pos, ac->nstates + 1, sizeof(uint32_t));
	ac->ctarget = view(p, len, &pos, ac->nedges, sizeof(uint32_t));
	ac->plen = view(p, len, &pos, ac->npat, sizeof(uint32_t));
	ac->clabel = view(p, len, &pos, ac->nedges, 1);
	if (!ac->out || !ac->fail || !ac->dict || !ac->estart || !ac->ctarget || !ac->plen ||
	    !ac->clabel || import_check(ac) != 0) {
		ac_free(ac);
		return LT_EPARSE;
	}
	for (int c = 0; c < 256; c++)
		ac->root[c] = NONE;
	for (uint32_t e = ac->estart[0]; e < ac->estart[1]; e++)
		ac->root[ac->clabel[e]] = ac->ctarget[e];
	ac->built = 1;
	*used = pos;
	*out = ac;
	return 0;
}

size_t ac_npatterns(const struct ac *ac)
{
	return ac ? ac->npat : 0;
}

size_t ac_nstates(const struct ac *ac)
{
	return ac ? ac->nstates : 0;
}

uint32_t ac_pattern_len(const struct ac *ac, uint32_t id)
{
	return ac->plen[id];
}

size_t ac_memory(const struct ac *ac)
{
	if (!ac)
		return 0;
	return sizeof(*ac) + ac->nstates * 4 * sizeof(uint32_t) + sizeof(uint32_t) +
	       ac->nedges * (1 + sizeof(uint32_t)) + ac->patcap * sizeof(uint32_t);
}

static int boundary_ok(const struct ac *ac, const char *text, size_t len, uint32_t id, size_t end)
{
	size_t start = end - ac->plen[id];

	if (!(ac->flags & AC_WORDS))
		return 1;
	return (start == 0 || text[start - 1] == ' ') && (end == len || text[end] == ' ');
}

int ac_scan(const struct ac *ac, const char *text, size_t len, ac_hit_fn fn, void *payload)
{
	uint32_t s = 0;

	if (!ac || !ac->built || !text)
		return 0;
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)text[i];
		uint32_t t;

		while ((t = child(ac, s, c)) == NONE && s != 0)
			s = ac->fail[s];
		s = t == NONE ? 0 : t;
		for (t = ac->out[s] != NONE ? s : ac->dict[s]; t != NONE; t = ac->dict[t]) {
			uint32_t id = ac->out[t];
			if (boundary_ok(ac, text, len, id, i + 1)) {
				int r = fn(payload, id, i + 1);
				if (r)
					return r;
			}
		}
	}
	return 0;
}
