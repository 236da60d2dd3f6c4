/*
 * normalize.c - license text normalisation; the rules are in normalize.h.
 *
 * One pass over the input: a decoder turns bytes (plus entities and markdown
 * escapes) into units with a code point and an input span; each unit is a word
 * character, a separator, or one of the few context-dependent characters ('.',
 * apostrophe, '+'), whose fate depends on the neighbouring units. Nothing here
 * trusts the input: every look-ahead is bounded by len and by a small constant.
 */
#include "normalize.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/vec.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Look-ahead bounds for markup recognition: past these, text is just text. */
#define YAML_HEADER_MAX_BYTES (64u * 1024u)
#define YAML_HEADER_MAX_LINES 400
#define POINTER_LINE_MAX 512
#define POINTER_LINES_MAX 3
#define HTML_TAG_MAX 512
#define HTML_COMMENT_MAX (64u * 1024u)
#define ENTITY_MAX 10

enum uclass { U_WORD, U_SEP, U_DOT, U_APOS, U_PLUS, U_COPY, U_DROP };

struct unit {
	int32_t cp;   /* code point; -1 for an undecodable byte */
	uint8_t raw;  /* the byte, when cp < 0 */
	size_t start; /* input span */
	size_t end;
};

struct norm {
	const unsigned char *in;
	size_t len;
	int flags;
	int utf16;    /* 0, 1 = little endian, 2 = big endian */
	struct buf *out;
	VEC(struct norm_run) runs; /* the map, when wanted */
	VEC(uint32_t) flat;        /* ... or an offset a byte, once runs cost more */
	uint32_t nemit;            /* bytes emitted (the map's output index) */
	int want_off;
	int script;      /* of the last word character: 0 none, 1 other, 2 CJK */
	int pending;     /* a separator was seen since the last word byte */
	size_t pend_off; /* input offset of that separator */
	int nomem;
};

/* --- decoding --- */

static size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	unsigned c = s[0];
	size_t need;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3; v = c & 0x07; min = 0x10000;
	} else {
		*cp = -1;
		return 1;
	}
	if (n < need + 1) {
		*cp = -1;
		return 1;
	}
	for (size_t i = 1; i <= need; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = -1;
		return 1;
	}
	*cp = (int32_t)v;
	return need + 1;
}

static unsigned u16_at(const struct norm *n, size_t i)
{
	return n->utf16 == 1 ? (unsigned)n->in[i] | ((unsigned)n->in[i + 1] << 8)
			     : ((unsigned)n->in[i] << 8) | (unsigned)n->in[i + 1];
}

/* One raw character at i (no entities, no escapes). */
static void raw_unit(const struct norm *n, size_t i, struct unit *u)
{
	u->start = i;
	u->raw = n->in[i];
	if (n->utf16) {
		unsigned a, b;
		if (i + 1 >= n->len) {
			u->cp = -1;
			u->end = n->len;
			return;
		}
		a = u16_at(n, i);
		u->end = i + 2;
		u->cp = (int32_t)a;
		if (a >= 0xD800 && a <= 0xDBFF && i + 3 < n->len) {
			b = u16_at(n, i + 2);
			if (b >= 0xDC00 && b <= 0xDFFF) {
				u->cp = (int32_t)(0x10000 + ((a - 0xD800) << 10) + (b - 0xDC00));
				u->end = i + 4;
			}
		} else if (a >= 0xD800 && a <= 0xDFFF) {
			u->cp = 0xFFFD;
		}
		return;
	}
	u->end = i + utf8_decode(n->in + i, n->len - i, &u->cp);
}

static int is_ascii_punct(int c)
{
	return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) ||
	       (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

static const struct {
	const char *name;
	int32_t cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
	{ "nbsp", 0xA0 }, { "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 },
	{ "ndash", 0x2013 }, { "mdash", 0x2014 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "ldquo", 0x201C }, { "rdquo", 0x201D }, { "hellip", 0x2026 }, { "sect", 0xA7 },
};

/* An HTML entity at i ('&' already seen); 1 and *u filled when recognised. */
static int entity_unit(const struct norm *n, size_t i, struct unit *u)
{
	const unsigned char *s = n->in;
	size_t j = i + 1, lim = n->len - i > ENTITY_MAX ? i + ENTITY_MAX : n->len;
	uint32_t v = 0;

	if (j < lim && s[j] == '#') {
		int hex = 0, digits = 0;
		j++;
		if (j < lim && (s[j] == 'x' || s[j] == 'X')) {
			hex = 1;
			j++;
		}
		for (; j < lim && s[j] != ';'; j++, digits++) {
			int d;
			if (s[j] >= '0' && s[j] <= '9')
				d = s[j] - '0';
			else if (hex && s[j] >= 'a' && s[j] <= 'f')
				d = s[j] - 'a' + 10;
			else if (hex && s[j] >= 'A' && s[j] <= 'F')
				d = s[j] - 'A' + 10;
			else
				return 0;
			v = v * (hex ? 16u : 10u) + (uint32_t)d;
			if (v > 0x10FFFF)
				return 0;
		}
		if (j >= lim || !digits)
			return 0;
		if (v == 0 || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		u->cp = (int32_t)v;
	} else {
		size_t k;
		for (k = j; k < lim && s[k] != ';'; k++)
			if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z')))
				return 0;
		if (k >= lim || k == j)
			return 0;
		u->cp = -2;
		for (size_t e = 0; e < sizeof(entities) / sizeof(*entities); e++)
			if (strlen(entities[e].name) == k - j &&
			    memcmp(entities[e].name, s + j, k - j) == 0)
				u->cp = entities[e].cp;
		if (u->cp == -2)
			return 0;
		j = k;
	}
	u->start = i;
	u->end = j + 1;
	return 1;
}

/* The unit at i, with entities and markdown escapes in full mode. */
static void next_unit(const struct norm *n, size_t i, struct unit *u)
{
	raw_unit(n, i, u);
	if (n->flags & NORM_PLAIN)
		return;
	if (u->cp == '&') {
		struct unit e;
		if (entity_unit(n, i, &e))
			*u = e;
	} else if (u->cp == '\\' && u->end < n->len) {
		struct unit e;
		raw_unit(n, u->end, &e);
		if (is_ascii_punct(e.cp)) {
			e.start = i;
			*u = e;
		}
	}
}

static enum uclass classify_cp(int32_t c)
{
	if (c < 0)
		return U_WORD; /* opaque byte */
	if (c < 0x80) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			return U_WORD;
		if (c == '.')
			return U_DOT;
		if (c == '\'')
			return U_APOS;
		if (c == '+')
			return U_PLUS;
		return U_SEP;
	}
	if (c <= 0x9F)
		return U_SEP; /* C1 controls */
	if (c == 0xA9)
		return U_COPY;
	if (c == 0xAD || c == 0xAE)
		return U_DROP;
	if (c <= 0xBF || c == 0xD7 || c == 0xF7)
		return U_SEP; /* Latin-1 punctuation, no-break space */
	if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x2032 || c == 0x02BC)
		return U_APOS;
	if ((c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
	    (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF || c == 0x2122)
		return U_DROP;
	if (c >= 0x2000 && c <= 0x206F)
		return U_SEP; /* spaces, dashes, quotes, bullets, ellipsis */
	if (c == 0x2212 || (c >= 0x2190 && c <= 0x21FF) || (c >= 0x2500 && c <= 0x25FF))
		return U_SEP; /* minus, arrows, box drawing, geometric shapes */
	if (c >= 0x3000 && c <= 0x303F)
		return U_SEP; /* CJK symbols and punctuation, ideographic space */
	if ((c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
	    (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65))
		return U_SEP; /* fullwidth punctuation */
	if (c == 0xFFFD)
		return U_SEP;
	return U_WORD;
}

/* --- output --- */

/* A run takes eight bytes: when a text breaks them more often than every other
 * byte (only a contrived one does), the map turns into an offset a byte, so it
 * never costs more than four bytes an output byte and a moment of twice that. */
#define FLAT_MIN_RUNS 1024

static void to_flat(struct norm *n)
{
	size_t want = (size_t)n->nemit + n->nemit / 2 + 16;

	n->flat.v = malloc(want * sizeof(*n->flat.v));
	if (!n->flat.v) {
		n->nomem = 1;
		return;
	}
	n->flat.cap = want;
	for (size_t k = 0; k < n->runs.n; k++) {
		const struct norm_run *r = &n->runs.v[k];
		uint32_t end = k + 1 < n->runs.n ? n->runs.v[k + 1].pos : n->nemit;
		for (uint32_t i = r->pos; i < end; i++)
			n->flat.v[n->flat.n++] = r->off + (i - r->pos);
	}
	VEC_FREE(&n->runs);
}

/* Record that the next output byte comes from input offset off. */
static void map_byte(struct norm *n, size_t off)
{
	const struct norm_run *r;
	struct norm_run nr;
	uint32_t i = n->nemit++;

	if (n->flat.v) {
		if (VEC_PUSH(&n->flat, (uint32_t)off) != 0)
			n->nomem = 1;
		return;
	}
	r = n->runs.n ? &n->runs.v[n->runs.n - 1] : NULL;
	/* still the current run (len < 4 GiB: no overflow), or a new one */
	if (r && (uint64_t)r->off + (i - r->pos) == off)
		return;
	nr.pos = i;
	nr.off = (uint32_t)off;
	if (VEC_PUSH(&n->runs, nr) != 0)
		n->nomem = 1;
	else if (n->runs.n > FLAT_MIN_RUNS && n->runs.n > n->nemit / 2)
		to_flat(n);
}

/* Space is reserved up front (reserve()), so a byte is normally a store; the
 * buffer's terminating NUL is written once, at the end. */
static void emit_byte(struct norm *n, char c, size_t off)
{
	struct buf *b = n->out;

	if (b->len + 1 < b->alloc)
		b->data[b->len++] = c;
	else
		buf_addc(b, c);
	if (n->want_off)
		map_byte(n, off);
}

static void sep(struct norm *n, size_t off)
{
	if (!n->pending && n->out->len) {
		n->pending = 1;
		n->pend_off = off;
	}
}

static void flush_sep(struct norm *n)
{
	if (n->pending) {
		emit_byte(n, ' ', n->pend_off);
		n->pending = 0;
	}
}

/* Ideographs, kana and hangul: scripts written without spaces between words. */
static int is_cjk(int32_t c)
{
	return (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3040 && c <= 0x9FFF) ||
	       (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0x20000 && c <= 0x3FFFF);
}

/* Byte k of what a character becomes: mapped to its k-th input byte, or its
 * last when it came from fewer (a code point kept as its own UTF-8 bytes maps
 * byte for byte, so CJK text stays one run of the offset map). */
static void emit_cp_byte(struct norm *n, char c, const struct unit *u, size_t k)
{
	size_t span = u->end > u->start ? u->end - u->start : 1;

	emit_byte(n, c, u->start + (k < span ? k : span - 1));
}

static void emit_word(struct norm *n, const struct unit *u)
{
	int32_t c = u->cp;
	int script = is_cjk(c) ? 2 : 1;

	/* "Baichuan 2模型" and "Baichuan 2 模型" are the same words */
	if (n->script && n->script != script)
		sep(n, u->start);
	n->script = script;
	flush_sep(n);
	if (c < 0) {
		emit_byte(n, (char)u->raw, u->start);
		return;
	}
	if (c >= 0xFB00 && c <= 0xFB06) {
		/* typographic ligatures from PDF extractions: "ﬁle" is "file" */
		static const char *const lig[] = { "ff", "fi", "fl", "ffi", "ffl", "st", "st" };
		for (size_t k = 0; lig[c - 0xFB00][k]; k++)
			emit_cp_byte(n, lig[c - 0xFB00][k], u, k);
		return;
	}
	if (c >= 0xFF10 && c <= 0xFF19)
		c = '0' + (c - 0xFF10);
	else if (c >= 0xFF21 && c <= 0xFF3A)
		c = 'a' + (c - 0xFF21);
	else if (c >= 0xFF41 && c <= 0xFF5A)
		c = 'a' + (c - 0xFF41);
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		emit_byte(n, (char)c, u->start);
	} else if (c < 0x800) {
		emit_cp_byte(n, (char)(0xC0 | (c >> 6)), u, 0);
		emit_cp_byte(n, (char)(0x80 | (c & 0x3F)), u, 1);
	} else if (c < 0x10000) {
		emit_cp_byte(n, (char)(0xE0 | (c >> 12)), u, 0);
		emit_cp_byte(n, (char)(0x80 | ((c >> 6) & 0x3F)), u, 1);
		emit_cp_byte(n, (char)(0x80 | (c & 0x3F)), u, 2);
	} else {
		emit_cp_byte(n, (char)(0xF0 | (c >> 18)), u, 0);
		emit_cp_byte(n, (char)(0x80 | ((c >> 12) & 0x3F)), u, 1);
		emit_cp_byte(n, (char)(0x80 | ((c >> 6) & 0x3F)), u, 2);
		emit_cp_byte(n, (char)(0x80 | (c & 0x3F)), u, 3);
	}
}

static int last_is(const struct norm *n, int digit_only)
{
	unsigned char c;

	if (n->pending || !n->out->len)
		return 0;
	c = (unsigned char)n->out->data[n->out->len - 1];
	if (digit_only)
		return c >= '0' && c <= '9';
	return c != ' ';
}

/* --- markup recognised only at the top of the text --- */

/* End of the line starting at i (index of '\n' or len). */
static size_t line_end(const unsigned char *s, size_t len, size_t i)
{
	const unsigned char *p = memchr(s + i, '\n', len - i);
	return p ? (size_t)(p - s) : len;
}

/* Trimmed bounds of line [i, e). */
static void trim_line(const unsigned char *s, size_t *i, size_t *e)
{
	while (*i < *e && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
	while (*e > *i && (s[*e - 1] == ' ' || s[*e - 1] == '\t' || s[*e - 1] == '\r'))
		(*e)--;
}

static int line_is(const unsigned char *s, size_t i, size_t e, const char *what)
{
	size_t k = strlen(what);
	return e - i == k && memcmp(s + i, what, k) == 0;
}

static size_t skip_blank_lines(const unsigned char *s, size_t len, size_t i)
{
	while (i < len) {
		size_t e = line_end(s, len, i), a = i, b = e;
		trim_line(s, &a, &b);
		if (a != b)
			break;
		i = e < len ? e + 1 : len;
	}
	return i;
}

/* A line that may appear inside YAML front matter. */
static int yamlish_line(const unsigned char *s, size_t i, size_t e)
{
	size_t a = i, b = e;

	trim_line(s, &a, &b);
	if (a == b || s[i] == ' ' || s[i] == '\t' || s[a] == '#')
		return 1;
	if (s[a] == '-' && (a + 1 == b || s[a + 1] == ' '))
		return 1;
	for (size_t k = a; k < b; k++) {
		unsigned char c = s[k];
		if (c == ':')
			return k > a && (k + 1 == b || s[k + 1] == ' ');
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == ' ' || c == '"' || c == '\'' || c == '.'))
			return 0;
	}
	return 0;
}

/* Offset after a YAML header starting at i, or i when there is none. */
static size_t skip_yaml_header(const unsigned char *s, size_t len, size_t i)
{
	size_t e = line_end(s, len, i), a = i, b = e, p;
	int lines = 0, keys = 0;

	trim_line(s, &a, &b);
	if (!line_is(s, a, b, "---") || e >= len)
		return i;
	for (p = e + 1; p < len && p - i < YAML_HEADER_MAX_BYTES && lines < YAML_HEADER_MAX_LINES;
	     lines++) {
		e = line_end(s, len, p);
		a = p;
		b = e;
		trim_line(s, &a, &b);
		if (line_is(s, a, b, "---") || line_is(s, a, b, "..."))
			return keys ? (e < len ? e + 1 : len) : i;
		if (!yamlish_line(s, p, e))
			return i;
		if (a < b && s[p] != ' ' && s[p] != '\t' && s[a] != '#' && s[a] != '-')
			keys++;
		p = e + 1;
	}
	return i;
}

static int contains_ci(const unsigned char *s, size_t i, size_t e, const char *what)
{
	size_t k = strlen(what);

	for (size_t p = i; p + k <= e; p++) {
		size_t q = 0;
		while (q < k && (s[p + q] | 0x20) == what[q])
			q++;
		if (q == k)
			return 1;
	}
	return 0;
}

/* Offset after leading pointer lines "[For the original ..., see URL]". */
static size_t skip_pointer_lines(const unsigned char *s, size_t len, size_t i)
{
	for (int k = 0; k < POINTER_LINES_MAX; k++) {
		size_t p = skip_blank_lines(s, len, i), e = line_end(s, len, p), a = p, b = e;
		trim_line(s, &a, &b);
		if (b - a < 3 || b - a > POINTER_LINE_MAX || s[a] != '[' || s[b - 1] != ']')
			break;
		if (!contains_ci(s, a, b, " see ") && !contains_ci(s, a, b, "http"))
			break;
		i = e < len ? e + 1 : len;
	}
	return i;
}

static const char *const html_tags[] = {
	"a", "b", "i", "u", "p", "br", "hr", "em", "strong", "span", "div", "sup", "sub", "li",
	"ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "table", "tr", "td", "th",
	"thead", "tbody", "details", "summary", "center", "img", "font", "small", "blockquote", NULL
};

/* Length of an HTML comment or common tag at i ('<'), or 0. */
static size_t html_markup(const unsigned char *s, size_t len, size_t i)
{
	size_t j = i + 1, k, lim;

	if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		lim = len - i > HTML_COMMENT_MAX ? i + HTML_COMMENT_MAX : len;
		for (k = i + 4; k + 3 <= lim; k++)
			if (memcmp(s + k, "-->", 3) == 0)
				return k + 3 - i;
		return 0;
	}
	if (j < len && s[j] == '/')
		j++;
	for (k = j; k < len && k - j < 12 && ((s[k] >= 'a' && s[k] <= 'z') ||
					      (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '1' && s[k] <= '6'));
	     k++)
		;
	if (k == j || k >= len || !(s[k] == '>' || s[k] == ' ' || s[k] == '/' || s[k] == '\n'))
		return 0;
	for (int t = 0; html_tags[t]; t++) {
		size_t tl = strlen(html_tags[t]);
		size_t q = 0;
		if (tl != k - j)
			continue;
		while (q < tl && (s[j + q] | 0x20) == html_tags[t][q])
			q++;
		if (q != tl)
			continue;
		lim = len - i > HTML_TAG_MAX ? i + HTML_TAG_MAX : len;
		for (; k < lim; k++) {
			if (s[k] == '<')
				return 0;
			if (s[k] == '>')
				return k + 1 - i;
		}
		return 0;
	}
	return 0;
}

/* --- the pass --- */

static size_t body_start(struct norm *n)
{
	const unsigned char *s = n->in;
	size_t i = 0;

	if (n->len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		n->utf16 = s[0] == 0xFF ? 1 : 2;
		return 2;
	}
	if (n->len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = 3;
	if (n->flags & NORM_PLAIN)
		return i;
	i = skip_blank_lines(s, n->len, i);
	i = skip_yaml_header(s, n->len, i);
	return skip_pointer_lines(s, n->len, i);
}

/* ASCII bytes that need no context: 1 a word character, 2 a separator. The rest
 * ('.', apostrophe, '+', '&', '\\', '<', non-ASCII) take the general path. */
static unsigned char ascii_kind[128];

static void ascii_kind_init(void)
{
	for (int c = 0; c < 128; c++) {
		unsigned char k = 2;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			k = 1;
		else if (c == '.' || c == '\'' || c == '+' || c == '&' || c == '\\' || c == '<')
			k = 0;
		ascii_kind[c] = k;
	}
}

/* Room for the whole output (at most 3/2 of the input, see normalize.h), so
 * that emitting is a store; the buffer's cap still bounds it. */
static void reserve(struct norm *n)
{
	size_t want = n->len + n->len / 2 + 8;

	if (want > n->out->max)
		want = n->out->max;
	if (buf_grow(n->out, want) != 0) {
		n->out->err = 0; /* only a hint: the cap is enforced byte by byte */
	}
}

static void run(struct norm *n)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const unsigned char *in = n->in;
	size_t i;

	if (!n->len)
		return;
	pthread_once(&once, ascii_kind_init);
	reserve(n);
	i = body_start(n);
	while (i < n->len && !n->nomem && !buf_error(n->out)) {
		struct unit u, nx;
		size_t m;
		unsigned char ch = in[i];

		/* fast path: plain ASCII words and separators, outside UTF-16 */
		if (ch < 0x80 && !n->utf16 && ascii_kind[ch]) {
			if (ascii_kind[ch] == 2) {
				sep(n, i);
				i++;
				continue;
			}
			if (n->script == 2)
				sep(n, i);
			n->script = 1;
			flush_sep(n);
			do {
				emit_byte(n, (char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch), i);
				i++;
			} while (i < n->len && (ch = in[i]) < 0x80 && ascii_kind[ch] == 1);
			continue;
		}

		if (!(n->flags & NORM_PLAIN) && !n->utf16 && n->in[i] == '<' &&
		    (m = html_markup(n->in, n->len, i)) > 0) {
			sep(n, i);
			i += m;
			continue;
		}
		next_unit(n, i, &u);
		switch (classify_cp(u.cp)) {
		case U_WORD:
			emit_word(n, &u);
			break;
		case U_DOT:
			if (last_is(n, 1) && u.end < n->len) {
				next_unit(n, u.end, &nx);
				if (nx.cp >= '0' && nx.cp <= '9') {
					emit_byte(n, '.', u.start);
					break;
				}
			}
			sep(n, u.start);
			break;
		case U_APOS:
			if (last_is(n, 0) && u.end < n->len) {
				next_unit(n, u.end, &nx);
				if (classify_cp(nx.cp) == U_WORD)
					break; /* joined: "people's" -> "peoples" */
			}
			sep(n, u.start);
			break;
		case U_PLUS:
			if (last_is(n, 0))
				emit_byte(n, '+', u.start);
			else
				sep(n, u.start);
			break;
		case U_COPY:
			sep(n, u.start);
			u.cp = 'c';
			emit_word(n, &u);
			sep(n, u.end);
			break;
		case U_DROP:
			break;
		case U_SEP:
			sep(n, u.start);
			break;
		}
		i = u.end > i ? u.end : i + 1;
	}
}

uint32_t norm_map_offset(const struct norm_map *m, size_t i)
{
	size_t lo = 0, hi;

	if (i >= m->out_len)
		return m->in_len;
	if (m->flat)
		return m->flat[i];
	if (!m->n)
		return m->in_len;
	/* the last run starting at or before i */
	hi = m->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->run[mid].pos <= i)
			lo = mid;
		else
			hi = mid;
	}
	return m->run[lo].off + (uint32_t)(i - m->run[lo].pos);
}

void norm_map_release(struct norm_map *m)
{
	if (!m)
		return;
	free(m->run);
	free(m->flat);
	memset(m, 0, sizeof(*m));
}

int normalize_text_opts(struct buf *out, struct norm_map *map, const char *in, size_t len,
			int flags, struct lt_error *err)
{
	struct norm n;
	int rc = 0;

	memset(&n, 0, sizeof(n));
	if (map)
		memset(map, 0, sizeof(*map));
	buf_reset(out);
	if (len >= UINT32_MAX)
		return lt_error_set(err, LT_ETOOBIG, NULL, 0, "text over 4 GiB");
	n.in = (const unsigned char *)in;
	n.len = in ? len : 0;
	n.flags = flags;
	n.out = out;
	n.want_off = map != NULL;
	run(&n);
	if (out->data && out->len < out->alloc)
		out->data[out->len] = '\0';
	if (n.nomem) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if (buf_error(out)) {
		rc = lt_error_set(err, buf_error(out), NULL, 0, "normalised text over %zu bytes",
				  out->max);
		goto done;
	}
	if (map) {
		map->run = n.runs.v;
		map->n = n.runs.n;
		map->flat = n.flat.v;
		n.flat.v = NULL;
		map->out_len = n.nemit;
		map->in_len = (uint32_t)n.len;
		n.runs.v = NULL;
	}
done:
	VEC_FREE(&n.runs);
	VEC_FREE(&n.flat);
	return rc;
}

int normalize_text(struct buf *out, struct norm_map *map, const char *in, size_t len,
		   struct lt_error *err)
{
	return normalize_text_opts(out, map, in, len, NORM_FULL, err);
}
