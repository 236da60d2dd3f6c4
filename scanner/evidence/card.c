/*
 * card.c - model card front matter and prose; see card.h.
 *
 * The card is copied once; the front matter is located by a single pass over
 * its lines (so time is linear in the card, which is capped before anything
 * else happens), checked for size and UTF-8, and handed to yamlx with the line
 * offset of its first line so every node carries its README line.
 *
 * Line numbers: a line ends at LF, CRLF or a lone CR, which is also how libyaml
 * counts. libyaml additionally breaks lines at U+0085, U+2028 and U+2029; a front
 * matter holding those raw characters would shift YAML lines against ours. No
 * real card does this, so we accept the drift rather than rewrite the text.
 */
#include "card.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "yamlx/yamlx.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* A prose "License:" value longer than this, or with more words, is a sentence
 * about the license rather than its name; taking it would invent an unknown
 * license id. The longest real names ("Llama 3.1 Community License Agreement",
 * "Creative Commons Attribution-NonCommercial-ShareAlike 4.0") fit easily. */
#define CARD_PROSE_MAX_VALUE 100
#define CARD_PROSE_MAX_WORDS 8

/* [p, *end) is the line that starts at p (without its line end); returns the
 * offset of the next line (len when this is the last one). */
static size_t next_line(const char *s, size_t len, size_t p, size_t *end)
{
	size_t i = p;

	while (i < len && s[i] != '\n' && s[i] != '\r')
		i++;
	*end = i;
	if (i >= len)
		return len;
	if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
		return i + 2;
	return i + 1;
}

/* A `---` delimiter line: three dashes, then only spaces or tabs. */
static int is_delimiter(const char *s, size_t a, size_t b)
{
	if (b - a < 3 || memcmp(s + a, "---", 3) != 0)
		return 0;
	for (size_t i = a + 3; i < b; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

static int set_fm_error(struct card *c, int line, const char *msg)
{
	free(c->fm_error);
	c->fm_error = lt_strdup(msg);
	c->fm_error_line = line;
	return c->fm_error ? 0 : LT_ENOMEM;
}

static int key_is(const struct ynode *k, const char *key)
{
	size_t n = strlen(key);
	return k->len == n && memcmp(k->value, key, n) == 0;
}

/* Text of a scalar node: NULL for null, empty or blank values and for lists or
 * mappings. An embedded NUL (possible with a "\0" escape) becomes '?' so the
 * value cannot silently shorten to a known license id. */
static int node_text(const struct ynode *n, char **out)
{
	const char *v = yx_str(n);
	size_t i;
	char *t;

	*out = NULL;
	if (!v)
		return 0;
	for (i = 0; i < n->len; i++)
		if (v[i] != ' ' && v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
			break;
	if (i == n->len)
		return 0;
	t = lt_strndup(v, n->len);
	if (!t)
		return LT_ENOMEM;
	for (i = 0; i < n->len; i++)
		if (t[i] == '\0')
			t[i] = '?';
	*out = t;
	return 0;
}

/* Walks the front matter's lines forward only, so finding the text of the
 * lines that values start on costs one pass in total. */
struct line_cursor {
	const char *s;
	size_t len, off; /* off: start of line `line` */
	int line;
};

/* 1 when the line [a, b) ends with a block scalar header right after a key's
 * ':' or a list's '-': "key: |", "- >-", "key: |2  # note". */
static int block_header(const char *s, size_t a, size_t b)
{
	for (size_t p = a; p < b; p++) {
		size_t q = p, r = p + 1;

		if (s[p] != '|' && s[p] != '>')
			continue;
		for (int k = 0; k < 3; k++) { /* blanks, then an anchor or tag, at most twice */
			size_t t;
			while (q > a && (s[q - 1] == ' ' || s[q - 1] == '\t'))
				q--;
			for (t = q; t > a && s[t - 1] != ' ' && s[t - 1] != '\t'; t--)
				;
			if (k == 2 || t == q || (s[t] != '&' && s[t] != '!'))
				break;
			q = t;
		}
		if (q == a || (s[q - 1] != ':' && s[q - 1] != '-'))
			continue;
		while (r < b && r < p + 3 && ((s[r] >= '0' && s[r] <= '9') || s[r] == '+' || s[r] == '-'))
			r++;
		while (r < b && (s[r] == ' ' || s[r] == '\t'))
			r++;
		if (r == b || s[r] == '#')
			return 1;
	}
	return 0;
}

/* README line where the text of scalar n starts: a block scalar (| or >) starts
 * on the line after its header, which is where yamlx puts the node. Lines behind
 * the cursor (an alias to an earlier node) are left as they are. */
static int content_line(struct line_cursor *lc, const struct ynode *n)
{
	size_t e;

	if (n->plain || n->line < lc->line)
		return n->line;
	while (lc->line < n->line && lc->off < lc->len) {
		lc->off = next_line(lc->s, lc->len, lc->off, &e);
		lc->line++;
	}
	if (lc->line != n->line)
		return n->line;
	(void)next_line(lc->s, lc->len, lc->off, &e);
	return block_header(lc->s, lc->off, e) ? n->line + 1 : n->line;
}

static int set_scalar(struct card_value *cv, const struct ynode *n, struct line_cursor *lc)
{
	char *t = NULL;
	int rc = node_text(n, &t);

	free(cv->value);
	cv->value = t;
	cv->line = t ? content_line(lc, n) : 0;
	return rc;
}

static void values_free(struct card_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].value);
	free(v);
}

/* A scalar or a list of scalars into an array (replacing what was there). */
static int set_list(struct card_value **arr, size_t *n, const struct ynode *node)
{
	size_t cap = node && node->kind == Y_SEQ ? node->nkids : 1;
	struct card_value *v;
	size_t k = 0;
	int rc = 0;

	values_free(*arr, *n);
	*arr = NULL;
	*n = 0;
	if (!node || node->kind == Y_MAP || cap == 0)
		return 0;
	v = calloc(cap, sizeof(*v));
	if (!v)
		return LT_ENOMEM;
	for (size_t i = 0; i < cap && !rc; i++) {
		const struct ynode *it = node->kind == Y_SEQ ? node->kids[i] : node;
		char *t = NULL;
		rc = node_text(it, &t);
		if (t) {
			v[k].value = t;
			v[k].line = it->line;
			k++;
		}
	}
	if (rc || k == 0) {
		values_free(v, k);
		return rc;
	}
	*arr = v;
	*n = k;
	return 0;
}

/* Top-level keys read as one scalar each. */
static const struct {
	const char *key;
	size_t off;
} scalar_keys[] = {
	{ "license_name", offsetof(struct card, license_name) },
	{ "license_link", offsetof(struct card, license_link) },
	{ "license_details", offsetof(struct card, license_details) },
	{ "base_model_relation", offsetof(struct card, base_model_relation) },
	{ "new_version", offsetof(struct card, new_version) },
	{ "library_name", offsetof(struct card, library_name) },
	{ "quantized_by", offsetof(struct card, quantized_by) },
	{ "model_name", offsetof(struct card, model_name) },
	{ "model_creator", offsetof(struct card, model_creator) },
	{ "model_link", offsetof(struct card, model_link) },
	{ "extra_gated_prompt", offsetof(struct card, extra_gated_prompt) },
	{ "finetuned_from", offsetof(struct card, finetuned_from) },
};

/* The keys whose repetition hides a license or a parent (struct card_dup). */
static const char *const watched_keys[CARD_MAX_DUPS] = {
	"license", "licence", "license_name", "license_link", "base_model", "base_model_relation",
};

/* Note key k when it repeats a watched key; seen[] holds each one's first line. */
static void note_dup(struct card *c, const struct ynode *k, int seen[CARD_MAX_DUPS])
{
	for (size_t w = 0; w < CARD_MAX_DUPS; w++) {
		if (!key_is(k, watched_keys[w]))
			continue;
		if (!seen[w]) {
			seen[w] = k->line ? k->line : -1;
			return;
		}
		for (size_t d = 0; d < c->ndups; d++)
			if (c->dups[d].key == watched_keys[w]) { /* a third one: the last counts */
				c->dups[d].line = k->line;
				return;
			}
		c->dups[c->ndups].key = watched_keys[w];
		c->dups[c->ndups].first_line = seen[w] > 0 ? seen[w] : 0;
		c->dups[c->ndups].line = k->line;
		c->ndups++;
		return;
	}
}

static int read_fields(struct card *c, const struct ynode *root, size_t fm_start)
{
	struct line_cursor lc = { c->text, c->text_len, fm_start, c->fm_first_line };
	const struct ynode *lic = NULL, *licence = NULL;
	int has_license = 0, has_licence = 0, rc = 0;
	int seen[CARD_MAX_DUPS] = { 0 };

	for (size_t i = 0; i < yx_count(root) && !rc; i++) {
		const struct ynode *k = yx_key(root, i), *v = yx_val(root, i);
		size_t j;

		if (!k || k->kind != Y_SCALAR)
			continue;
		note_dup(c, k, seen);
		if (key_is(k, "license")) {
			lic = v;
			has_license = 1;
		} else if (key_is(k, "licence")) {
			licence = v;
			has_licence = 1;
		} else if (key_is(k, "base_model")) {
			c->base_model_key = 1;
			rc = set_list(&c->base_models, &c->nbase_models, v);
		} else if (key_is(k, "tags")) {
			rc = set_list(&c->tags, &c->ntags, v);
		} else if (key_is(k, "datasets")) {
			rc = set_list(&c->datasets, &c->ndatasets, v);
		} else if (key_is(k, "model-index")) {
			/* model-index: [{name: ..., results: [...]}]: the first entry's name */
			const struct ynode *first = v && v->kind == Y_SEQ && yx_count(v) ? yx_item(v, 0) : NULL;
			const struct ynode *nm = first && first->kind == Y_MAP ? yx_get(first, "name") : NULL;
			if (nm && nm->kind == Y_SCALAR)
				rc = set_scalar(&c->model_index_name, nm, &lc);
		} else if (key_is(k, "extra_gated_eu_disallowed")) {
			c->extra_gated_eu_disallowed = yx_bool(v, 0);
		} else {
			for (j = 0; j < sizeof(scalar_keys) / sizeof(*scalar_keys); j++)
				if (key_is(k, scalar_keys[j].key))
					break;
			if (j < sizeof(scalar_keys) / sizeof(*scalar_keys))
				rc = set_scalar((struct card_value *)((char *)c + scalar_keys[j].off), v,
						&lc);
		}
	}
	if (rc)
		return rc;
	if (has_license)
		return set_list(&c->licenses, &c->nlicenses, lic);
	if (has_licence) {
		c->licence_misspelt = 1;
		return set_list(&c->licenses, &c->nlicenses, licence);
	}
	return 0;
}

/* Line (counted from first_line at offset a) of the first invalid UTF-8 byte
 * sequence in s[a, b); 0 when all is valid. A multi-byte sequence never spans
 * a line end (line ends are ASCII), so checking line by line is exact. */
static int bad_utf8_line(const char *s, size_t a, size_t b, int first_line)
{
	size_t p = a, e, next;
	int line = first_line;

	if (lt_utf8_valid(s + a, b - a))
		return 0;
	while (p < b) {
		next = next_line(s, b, p, &e);
		if (!lt_utf8_valid(s + p, e - p))
			return line;
		p = next;
		line++;
	}
	return first_line;
}

static int load_front_matter(struct card *c, const char *name, size_t a, size_t b)
{
	struct yx_limits lim;
	struct lt_error yerr;
	struct ydoc *doc = NULL;
	const struct ynode *root;
	char msg[LT_ERROR_MSG];
	int bad, rc;

	if (b - a > LT_MAX_FRONT_MATTER_BYTES) {
		snprintf(msg, sizeof(msg), "front matter of '%s' is %zu bytes, over the %u byte limit",
			 name, b - a, (unsigned)LT_MAX_FRONT_MATTER_BYTES);
		return set_fm_error(c, c->fm_first_line, msg);
	}
	if ((bad = bad_utf8_line(c->text, a, b, c->fm_first_line)) != 0) {
		snprintf(msg, sizeof(msg), "front matter of '%s' is not valid UTF-8", name);
		return set_fm_error(c, bad, msg);
	}
	yx_default_limits(&lim);
	lim.line_offset = c->fm_first_line - 1;
	lt_error_clear(&yerr);
	rc = yx_parse(&doc, c->text + a, b - a, &lim, name, &yerr);
	if (rc == LT_ENOMEM)
		return rc;
	if (rc)
		return set_fm_error(c, yerr.line, yerr.message);
	root = yx_root(doc);
	if (root && root->kind != Y_MAP) {
		snprintf(msg, sizeof(msg), "front matter of '%s' is not a mapping of keys", name);
		rc = set_fm_error(c, root->line, msg);
	} else if (root) {
		rc = read_fields(c, root, a);
	}
	yx_free(doc);
	return rc;
}

int card_parse(struct card **out, const char *name, const char *data, size_t len,
	       struct lt_error *err)
{
	struct card *c = NULL;
	const char *s;
	size_t p = 0, e, next, fm_start;
	int line = 1, rc = 0;
	char msg[LT_ERROR_MSG];

	if (!out || (!data && len))
		return lt_error_set(err, LT_EINVAL, name, 0, "card_parse: no data");
	*out = NULL;
	if (!name)
		name = "README.md";
	/* checked before touching the bytes: a 100 MB "card" costs nothing */
	if (len > LT_MAX_CARD_BYTES)
		return lt_error_set(err, LT_ETOOBIG, name, 0,
				    "card '%s' is %zu bytes, over the %u byte limit", name, len,
				    (unsigned)LT_MAX_CARD_BYTES);
	c = calloc(1, sizeof(*c));
	if (!c || !(c->text = malloc(len + 1))) {
		rc = lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
		goto done;
	}
	if (len)
		memcpy(c->text, data, len);
	c->text[len] = '\0';
	c->text_len = len;
	s = c->text;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		p = 3;
	c->body = s + p;
	c->body_len = len - p;
	c->body_line = 1;

	/* leading whitespace, then an opening `---` line */
	while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r' ||
			   s[p] == '\f' || s[p] == '\v')) {
		if (s[p] == '\n' || (s[p] == '\r' && !(p + 1 < len && s[p + 1] == '\n')))
			line++;
		p++;
	}
	next = next_line(s, len, p, &e);
	if (!is_delimiter(s, p, e))
		goto done; /* no front matter: the whole text is the body */
	c->has_front_matter = 1;
	c->fm_first_line = line + 1;
	fm_start = p = next;
	line++;
	while (p < len) {
		next = next_line(s, len, p, &e);
		if (is_delimiter(s, p, e)) {
			c->body = s + next;
			c->body_len = len - next;
			c->body_line = line + 1;
			rc = load_front_matter(c, name, fm_start, p);
			if (rc)
				rc = lt_error_set(err, rc, name, 0, "out of memory");
			goto done;
		}
		p = next;
		line++;
	}
	snprintf(msg, sizeof(msg), "front matter of '%s' has no closing '---' line", name);
	if (set_fm_error(c, c->fm_first_line - 1, msg))
		rc = lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
done:
	if (rc) {
		card_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void card_free(struct card *c)
{
	if (!c)
		return;
	free(c->fm_error);
	values_free(c->licenses, c->nlicenses);
	for (size_t j = 0; j < sizeof(scalar_keys) / sizeof(*scalar_keys); j++)
		free(((struct card_value *)((char *)c + scalar_keys[j].off))->value);
	free(c->model_index_name.value);
	values_free(c->base_models, c->nbase_models);
	values_free(c->tags, c->ntags);
	values_free(c->datasets, c->ndatasets);
	free(c->text);
	free(c);
}

/* An id from a tag: non-empty, no whitespace, no colon. */
static int tag_id_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s == ':' || *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			return 0;
	return 1;
}

int card_tag_license(const char *tag, const char **id)
{
	if (id)
		*id = NULL;
	if (!tag || !lt_istarts_with(tag, "license:") || !tag_id_ok(tag + 8))
		return 0;
	if (id)
		*id = tag + 8;
	return 1;
}

int card_tag_base_model(const char *tag, char **relation, char **id)
{
	static const char *const relations[] = { "finetune", "adapter", "quantized", "merge" };
	const char *rest, *colon;
	char *rel = NULL, *pid = NULL;

	if (relation)
		*relation = NULL;
	if (id)
		*id = NULL;
	if (!tag || !lt_istarts_with(tag, "base_model:"))
		return 0;
	rest = tag + 11;
	colon = strchr(rest, ':');
	if (colon) {
		size_t n = (size_t)(colon - rest), i;
		for (i = 0; i < sizeof(relations) / sizeof(*relations); i++)
			if (strlen(relations[i]) == n && memcmp(rest, relations[i], n) == 0)
				break;
		if (i == sizeof(relations) / sizeof(*relations) || !tag_id_ok(colon + 1))
			return 0;
		rel = lt_strdup(relations[i]);
		pid = lt_strdup(colon + 1);
	} else {
		if (!tag_id_ok(rest))
			return 0;
		pid = lt_strdup(rest);
	}
	if (!pid || (colon && !rel)) {
		free(rel);
		free(pid);
		return LT_ENOMEM;
	}
	if (relation)
		*relation = rel;
	else
		free(rel);
	if (id)
		*id = pid;
	else
		free(pid);
	return 1;
}

/* ---- prose license ---------------------------------------------------- */

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static size_t skip_blanks(const char *s, size_t i, size_t n)
{
	while (i < n && is_blank(s[i]))
		i++;
	return i;
}

/* Skip up to three emphasis marks (* or _). */
static size_t skip_emphasis(const char *s, size_t i, size_t n)
{
	for (int k = 0; k < 3 && i < n && (s[i] == '*' || s[i] == '_'); k++)
		i++;
	return i;
}

/* If line s[0, n) is a "License: value" line, set [*vs, *ve) to the raw value. */
static int prose_label(const char *s, size_t n, size_t *vs, size_t *ve)
{
	size_t i = skip_blanks(s, 0, n);

	while (i < n && s[i] == '>')
		i = skip_blanks(s, i + 1, n);
	if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') && is_blank(s[i + 1]))
		i = skip_blanks(s, i + 1, n);
	while (i < n && s[i] == '#')
		i++;
	i = skip_blanks(s, i, n);
	i = skip_emphasis(s, i, n);
	if (n - i < 7)
		return 0;
	if (!lt_istarts_with(s + i, "license") && !lt_istarts_with(s + i, "licence"))
		return 0;
	i = skip_blanks(s, skip_emphasis(s, i + 7, n), n);
	if (i >= n || s[i] != ':')
		return 0;
	i = skip_blanks(s, skip_emphasis(s, i + 1, n), n);
	*vs = i;
	*ve = n;
	return 1;
}

static size_t count_words(const char *s, size_t n)
{
	size_t words = 0;

	for (size_t i = 0; i < n; i++)
		if (!is_blank(s[i]) && (i == 0 || is_blank(s[i - 1])))
			words++;
	return words;
}

/* Reduce a raw prose value to a license name in *out (NULL when it is not one).
 * Returns 0 or LT_ENOMEM. */
static int prose_clean(const char *s, size_t n, char **out)
{
	static const char *const placeholders[] = { "more information needed", "tbd", "n/a",
						     "todo", "none", "-" };
	size_t a = 0, b = n, tail = 0, tail_len = 0;
	char *v;

	while (b > a && (is_blank(s[b - 1]) || s[b - 1] == '*' || s[b - 1] == '_'))
		b--;
	if (b > a && s[a] == '[') { /* [text](link) rest, or [placeholder] */
		const char *close = memchr(s + a, ']', b - a);
		if (close) {
			size_t c = (size_t)(close - s);
			const char *paren = c + 1 < b && s[c + 1] == '(' ? memchr(s + c + 1, ')', b - c - 1)
								     : NULL;
			if (paren) { /* keep the words after the link: "[AI2 ImpACT](u) Low-risk" */
				tail = skip_blanks(s, (size_t)(paren - s) + 1, b);
				tail_len = b - tail;
			}
			b = c;
			a++;
		}
	}
	while (a < b && (s[a] == '`' || s[a] == '"' || s[a] == '\'' || is_blank(s[a])))
		a++;
	while (b > a && (s[b - 1] == '`' || s[b - 1] == '"' || s[b - 1] == '\'' ||
			 s[b - 1] == '.' || is_blank(s[b - 1])))
		b--;
	while (tail_len && (s[tail + tail_len - 1] == '.' || is_blank(s[tail + tail_len - 1])))
		tail_len--;
	/* a remark in parentheses or a long tail after a link is commentary */
	if (tail_len && (s[tail] == '(' || count_words(s + tail, tail_len) > 3))
		tail_len = 0;
	*out = NULL;
	if (a == b || b - a + tail_len + 1 > CARD_PROSE_MAX_VALUE)
		return 0;
	if (count_words(s + a, b - a) + count_words(s + tail, tail_len) > CARD_PROSE_MAX_WORDS)
		return 0;
	v = malloc(b - a + tail_len + 2);
	if (!v)
		return LT_ENOMEM;
	memcpy(v, s + a, b - a);
	v[b - a] = '\0';
	if (tail_len) {
		v[b - a] = ' ';
		memcpy(v + (b - a) + 1, s + tail, tail_len);
		v[b - a + 1 + tail_len] = '\0';
	}
	for (size_t i = 0; i < sizeof(placeholders) / sizeof(*placeholders); i++) {
		if (lt_strieq(v, placeholders[i])) {
			free(v);
			return 0;
		}
	}
	*out = v;
	return 0;
}

int card_prose_license(const struct card *c, struct card_value *out)
{
	size_t p = 0, e, next, n;
	int line, in_comment = 0;
	char fence = 0;

	if (!out)
		return 0;
	out->value = NULL;
	out->line = 0;
	if (!c || !c->body)
		return 0;
	n = c->body_len;
	line = c->body_line;
	for (; p < n; p = next, line++) {
		const char *s = c->body + p;
		size_t len, i, vs, ve;

		next = next_line(c->body, n, p, &e);
		len = e - p;
		i = skip_blanks(s, 0, len < 4 ? len : 4);
		/* fenced code blocks: examples, not statements */
		if (len - i >= 3 && (s[i] == '`' || s[i] == '~') && s[i + 1] == s[i] &&
		    s[i + 2] == s[i]) {
			if (!fence)
				fence = s[i];
			else if (fence == s[i])
				fence = 0;
			continue;
		}
		if (fence)
			continue;
		/* multi-line HTML comments (the card template's instructions) */
		if (in_comment) {
			for (size_t k = 0; k + 2 < len; k++)
				if (memcmp(s + k, "-->", 3) == 0)
					in_comment = 0;
			continue;
		}
		if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			in_comment = 1;
			for (size_t k = i + 4; k + 2 < len; k++)
				if (memcmp(s + k, "-->", 3) == 0)
					in_comment = 0;
			continue;
		}
		if (prose_label(s, len, &vs, &ve)) {
			char *v = NULL;
			if (prose_clean(s + vs, ve - vs, &v))
				return LT_ENOMEM;
			if (v) {
				out->value = v;
				out->line = line;
				return 1;
			}
		}
	}
	return 0;
}
