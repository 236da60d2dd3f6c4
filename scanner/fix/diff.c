/* diff.c - unified diffs of whole files; see diff.h. */
#include "diff.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CONTEXT 3

struct line {
	const char *s;
	size_t n;     /* bytes, the newline included */
	uint64_t h;   /* FNV-1a of the bytes */
};

struct op {
	char t;       /* ' ', '-' or '+' */
	size_t a, b;  /* line index in old (for ' ' and '-') and in new (for ' ' and '+') */
};

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* Split text into lines; the last one may lack its newline. */
static struct line *split(const char *s, size_t len, size_t *n)
{
	size_t cnt = 0, k = 0;
	struct line *v;

	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n')
			cnt++;
	if (len && s[len - 1] != '\n')
		cnt++;
	*n = cnt;
	v = calloc(cnt ? cnt : 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0, start = 0; i < len; i++)
		if (s[i] == '\n' || i == len - 1) {
			v[k].s = s + start;
			v[k].n = i + 1 - start;
			v[k].h = hash(v[k].s, v[k].n);
			k++;
			start = i + 1;
		}
	return v;
}

static int same(const struct line *x, const struct line *y)
{
	return x->h == y->h && x->n == y->n && memcmp(x->s, y->s, x->n) == 0;
}

/*
 * Myers' greedy algorithm over A[0..n) and B[0..m), keeping each round's V so the
 * path can be walked back. Appends the script to ops (which has room for n + m).
 * Returns 1 when the edit distance exceeds the cap (nothing appended), 0 on
 * success, -1 when out of memory.
 */
static int myers(const struct line *A, size_t n, const struct line *B, size_t m, size_t a0,
		 size_t b0, struct op *ops, size_t *nops)
{
	long N = (long)n, M = (long)m, max = N + M, D, lim;
	long off;
	long **trace = NULL;
	long *V;
	int rc = 1;

	lim = max < FIX_DIFF_MAX_EDITS ? max : FIX_DIFF_MAX_EDITS;
	off = lim + 1;
	trace = calloc((size_t)lim + 1, sizeof(*trace));
	V = calloc((size_t)(2 * lim + 3), sizeof(*V));
	if (!trace || !V) {
		free(trace);
		free(V);
		return -1;
	}
	for (D = 0; D <= lim; D++) {
		for (long k = -D; k <= D; k += 2) {
			long x, y;
			if (k == -D || (k != D && V[off + k - 1] < V[off + k + 1]))
				x = V[off + k + 1];
			else
				x = V[off + k - 1] + 1;
			y = x - k;
			while (x < N && y < M && same(&A[x], &B[y])) {
				x++;
				y++;
			}
			V[off + k] = x;
			if (x >= N && y >= M) {
				rc = 0;
				break;
			}
		}
		trace[D] = malloc((size_t)(2 * lim + 3) * sizeof(**trace));
		if (!trace[D]) {
			rc = -1;
			break;
		}
		memcpy(trace[D], V, (size_t)(2 * lim + 3) * sizeof(*V));
		if (rc == 0)
			break;
	}
	if (rc == 0) {
		/* walk back from (N, M), collecting the script in reverse */
		size_t w = n + m, start;
		long x = N, y = M;
		struct op *rev = ops + *nops;
		for (long d = D; d >= 0; d--) {
			long *Vd = d > 0 ? trace[d - 1] : NULL, k = x - y, pk, px, py;
			if (d == 0) {
				pk = 0;
				px = 0;
			} else if (k == -d || (k != d && Vd[off + k - 1] < Vd[off + k + 1])) {
				pk = k + 1;
				px = Vd[off + pk];
			} else {
				pk = k - 1;
				px = Vd[off + pk];
			}
			py = px - pk;
			while (x > px && y > py) {
				x--;
				y--;
				rev[--w] = (struct op){ ' ', a0 + (size_t)x, b0 + (size_t)y };
			}
			if (d > 0) {
				if (x == px) {
					y--;
					rev[--w] = (struct op){ '+', a0 + (size_t)x, b0 + (size_t)y };
				} else {
					x--;
					rev[--w] = (struct op){ '-', a0 + (size_t)x, b0 + (size_t)y };
				}
			}
		}
		start = w;
		memmove(rev, rev + start, (n + m - start) * sizeof(*rev));
		*nops += n + m - start;
	}
	for (long d = 0; d <= lim; d++)
		free(trace[d]);
	free(trace);
	free(V);
	return rc;
}

static void put_line(struct buf *out, char t, const struct line *l)
{
	buf_addc(out, t);
	buf_add(out, l->s, l->n);
	if (!l->n || l->s[l->n - 1] != '\n')
		buf_adds(out, "\n\\ No newline at end of file\n");
}

static void range(struct buf *out, size_t start, size_t count)
{
	/* an empty range names the line before it (0 at the top), as diff -u does */
	if (count == 1)
		buf_printf(out, "%zu", start + 1);
	else
		buf_printf(out, "%zu,%zu", count ? start + 1 : start, count);
}

static void hunk(struct buf *out, const struct op *ops, size_t from, size_t to,
		 const struct line *A, const struct line *B)
{
	size_t na = 0, nb = 0, sa = (size_t)-1, sb = (size_t)-1;

	for (size_t i = from; i < to; i++) {
		if (ops[i].t != '+') {
			na++;
			if (sa == (size_t)-1)
				sa = ops[i].a;
		}
		if (ops[i].t != '-') {
			nb++;
			if (sb == (size_t)-1)
				sb = ops[i].b;
		}
	}
	/* with no line on one side, its position is where the hunk starts there */
	if (sa == (size_t)-1)
		sa = ops[from].a;
	if (sb == (size_t)-1)
		sb = ops[from].b;
	buf_adds(out, "@@ -");
	range(out, sa, na);
	buf_adds(out, " +");
	range(out, sb, nb);
	buf_adds(out, " @@\n");
	for (size_t i = from; i < to; i++)
		put_line(out, ops[i].t, ops[i].t == '+' ? &B[ops[i].b] : &A[ops[i].a]);
}

int fix_diff(struct buf *out, const char *path, const char *old, size_t old_len,
	     const char *new_text, size_t new_len)
{
	struct line *A = NULL, *B = NULL;
	struct op *ops = NULL;
	size_t n = 0, m = 0, pre = 0, suf = 0, nops = 0;
	int rc = 0;

	if (old && old_len == new_len && memcmp(old, new_text, new_len) == 0)
		return 0;
	A = split(old ? old : "", old ? old_len : 0, &n);
	B = split(new_text, new_len, &m);
	ops = calloc(n + m + 1, sizeof(*ops));
	if (!A || !B || !ops) {
		rc = LT_ENOMEM;
		goto done;
	}
	while (pre < n && pre < m && same(&A[pre], &B[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && same(&A[n - 1 - suf], &B[m - 1 - suf]))
		suf++;
	for (size_t i = 0; i < pre; i++)
		ops[nops++] = (struct op){ ' ', i, i };
	{
		/* the middle: B may end where it sits (a position before the tail) */
		int r = myers(A + pre, n - pre - suf, B + pre, m - pre - suf, pre, pre, ops, &nops);
		if (r < 0) {
			rc = LT_ENOMEM;
			goto done;
		}
		if (r > 0) {
			for (size_t i = pre; i < n - suf; i++)
				ops[nops++] = (struct op){ '-', i, pre };
			for (size_t i = pre; i < m - suf; i++)
				ops[nops++] = (struct op){ '+', n - suf, i };
		}
	}
	for (size_t i = 0; i < suf; i++)
		ops[nops++] = (struct op){ ' ', n - suf + i, m - suf + i };

	buf_printf(out, "--- %s%s\n+++ b/%s\n", old ? "a/" : "", old ? path : "/dev/null", path);
	for (size_t i = 0; i < nops;) {
		size_t from, to, last;
		if (ops[i].t == ' ') {
			i++;
			continue;
		}
		from = i >= CONTEXT ? i - CONTEXT : 0;
		/* a run of context no longer than twice CONTEXT joins two changes */
		last = i;
		for (size_t j = i; j < nops; j++) {
			if (ops[j].t != ' ')
				last = j;
			else if (j - last > 2 * CONTEXT)
				break;
		}
		to = last + 1 + CONTEXT < nops ? last + 1 + CONTEXT : nops;
		/* context lines before `from` were shown by the previous hunk's tail */
		hunk(out, ops, from, to, A, B);
		i = last + 1;
	}
	rc = buf_error(out);
done:
	free(A);
	free(B);
	free(ops);
	return rc;
}
