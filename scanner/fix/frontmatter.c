/* frontmatter.c - textual edits of a card's front matter; see frontmatter.h. */
#include "frontmatter.h"
#include "core/buf.h"
#include "core/err.h"

#include <string.h>

/* A line of the text: [s, s + n) without its end, e the end's length (0, 1, 2). */
struct tline {
	const char *s;
	size_t n, e;
};

static size_t next_line(const char *t, size_t len, size_t at, struct tline *l)
{
	size_t i = at;

	while (i < len && t[i] != '\n')
		i++;
	l->s = t + at;
	l->n = i - at;
	l->e = i < len ? 1 : 0;
	if (l->n && l->s[l->n - 1] == '\r') {
		l->n--;
		l->e++;
	}
	return i < len ? i + 1 : len;
}

static int is_fence(const struct tline *l)
{
	size_t n = l->n;

	while (n && (l->s[n - 1] == ' ' || l->s[n - 1] == '\t'))
		n--;
	return n == 3 && !memcmp(l->s, "---", 3);
}

/* The line is `key:` (optionally spaces before the colon) at column 0. */
static int is_key(const struct tline *l, const char *key)
{
	size_t k = strlen(key), i = k;

	if (l->n < k + 1 || memcmp(l->s, key, k) != 0)
		return 0;
	while (i < l->n && l->s[i] == ' ')
		i++;
	return i < l->n && l->s[i] == ':' && (i + 1 == l->n || l->s[i + 1] == ' ' || l->s[i + 1] == '\t');
}

/* Lines that continue the value of the key above them. */
static int is_continuation(const struct tline *l)
{
	if (!l->n)
		return 0;
	if (l->s[0] == ' ' || l->s[0] == '\t')
		return 1;
	return l->s[0] == '-' && (l->n == 1 || l->s[1] == ' ') && !(l->n >= 3 && !memcmp(l->s, "---", 3));
}

static int is_comment_only(const struct tline *l)
{
	size_t i = 0;

	while (i < l->n && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return i < l->n && l->s[i] == '#';
}

/* Offset of a trailing ` # comment` on a `key: value` line (outside quotes), or n. */
static size_t comment_at(const struct tline *l)
{
	char q = 0;

	for (size_t i = 0; i < l->n; i++) {
		char c = l->s[i];
		if (q) {
			if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'') {
			if (i && (l->s[i - 1] == ' ' || l->s[i - 1] == ':'))
				q = c;
		} else if (c == '#' && i && (l->s[i - 1] == ' ' || l->s[i - 1] == '\t')) {
			size_t j = i;
			while (j && (l->s[j - 1] == ' ' || l->s[j - 1] == '\t'))
				j--;
			return j;
		}
	}
	return l->n;
}

static int plain_ok(const char *v)
{
	size_t n = strlen(v);

	if (!n || strchr("-?:,[]{}#&*!|>'\"%@` ", v[0]) || v[n - 1] == ' ' || v[n - 1] == ':')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c < 0x20 || c == 0x7f || (c == ':' && v[i + 1] == ' ') || (c == '#' && v[i - 1] == ' '))
			return 0;
	}
	/* words YAML would read as something other than a string */
	static const char *const special[] = { "null", "Null", "NULL", "~", "true", "True", "TRUE",
					       "false", "False", "FALSE", "yes", "no", "on", "off", NULL };
	for (int i = 0; special[i]; i++)
		if (!strcmp(v, special[i]))
			return 0;
	return 1;
}

static int put_scalar(struct buf *out, const char *v)
{
	if (plain_ok(v))
		return buf_adds(out, v);
	buf_addc(out, '"');
	for (const char *p = v; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return LT_EPARSE;
		if (*p == '"' || *p == '\\')
			buf_addc(out, '\\');
		buf_addc(out, *p);
	}
	return buf_addc(out, '"');
}

/* key: value (comment) eol, or key: (comment) eol then "- v" lines */
static int put_kv(struct buf *out, const struct fm_kv *kv, const char *comment, size_t clen,
		  const char *eol)
{
	buf_adds(out, kv->key);
	buf_addc(out, ':');
	if (kv->nvalues == 1) {
		buf_addc(out, ' ');
		if (put_scalar(out, kv->values[0]))
			return LT_EPARSE;
	}
	buf_add(out, comment, clen);
	buf_adds(out, eol);
	for (size_t i = 0; kv->nvalues > 1 && i < kv->nvalues; i++) {
		buf_adds(out, "- ");
		if (put_scalar(out, kv->values[i]))
			return LT_EPARSE;
		buf_adds(out, eol);
	}
	return 0;
}

/* Past the lines of a key's value from at (up to close_at); its comment-only
 * lines go to comments. Returns where the next key starts. */
static size_t skip_value(const char *text, size_t len, size_t at, size_t close_at,
			 struct buf *comments)
{
	while (at < close_at) {
		struct tline m;
		size_t nx = next_line(text, len, at, &m);
		if (!is_continuation(&m))
			break;
		if (is_comment_only(&m))
			buf_add(comments, m.s, m.n + m.e);
		at = nx;
	}
	return at;
}

int fm_set(struct buf *out, const char *text, size_t len, const struct fm_kv *kv, size_t n,
	   struct lt_error *err)
{
	struct tline l;
	size_t at = 0, open_end, close_at = 0, bom = 0;
	const char *eol = "\n";
	int found_close = 0;
	size_t last[16];

	if (n > sizeof(last) / sizeof(*last))
		return lt_error_set(err, LT_EINVAL, NULL, 0, "too many keys");
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		bom = 3;
	for (size_t i = bom; i < len; i++)
		if (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'))
			return lt_error_set(err, LT_EPARSE, "README.md", 0,
					    "the card uses CR line ends; edit its front matter by hand");
	at = next_line(text, len, bom, &l);
	if (l.e == 2)
		eol = "\r\n";
	if (len <= bom || !is_fence(&l)) {
		/* no front matter: one goes on top */
		buf_add(out, text, bom);
		buf_adds(out, "---");
		buf_adds(out, eol);
		for (size_t i = 0; i < n; i++)
			if (put_kv(out, &kv[i], "", 0, eol))
				return lt_error_set(err, LT_EPARSE, NULL, 0, "'%s' has a value that cannot be written", kv[i].key);
		buf_adds(out, "---");
		buf_adds(out, eol);
		if (len > bom) {
			buf_adds(out, eol);
			buf_add(out, text + bom, len - bom);
		}
		return buf_error(out);
	}
	open_end = at;
	for (size_t i = 0; i < n; i++)
		last[i] = (size_t)-1;
	while (at < len) {
		size_t start = at;
		at = next_line(text, len, at, &l);
		if (is_fence(&l)) {
			close_at = start;
			found_close = 1;
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (is_key(&l, kv[i].key))
				last[i] = start;
	}
	if (!found_close)
		return lt_error_set(err, LT_EPARSE, "README.md", 0, "the card's front matter has no closing '---' line");

	buf_add(out, text, open_end);
	at = open_end;
	while (at < close_at) {
		size_t start = at, i;
		at = next_line(text, len, at, &l);
		for (i = 0; i < n && last[i] != start; i++)
			;
		if (i == n) {
			size_t k;
			for (k = 0; k < n && !is_key(&l, kv[k].key); k++)
				;
			if (k == n) {
				buf_add(out, l.s, l.n + l.e);
				continue;
			}
			/* an earlier occurrence of a key being set: YAML would drop it
			 * anyway; it goes with its value (its comment lines stay) */
			at = skip_value(text, len, at, close_at, out);
			continue;
		}
		/* replace this key's value; keep its comments */
		{
			size_t c = comment_at(&l);
			struct buf keep;
			buf_init(&keep, len + 1);
			at = skip_value(text, len, at, close_at, &keep);
			if (put_kv(out, &kv[i], l.s + c, l.n - c, eol)) {
				buf_release(&keep);
				return lt_error_set(err, LT_EPARSE, NULL, 0, "'%s' has a value that cannot be written", kv[i].key);
			}
			buf_add(out, buf_cstr(&keep), keep.len);
			buf_release(&keep);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (last[i] == (size_t)-1 && put_kv(out, &kv[i], "", 0, eol))
			return lt_error_set(err, LT_EPARSE, NULL, 0, "'%s' has a value that cannot be written", kv[i].key);
	buf_add(out, text + close_at, len - close_at);
	if (buf_error(out))
		return lt_error_set(err, buf_error(out), NULL, 0, "the card is too large to edit");
	return 0;
}
