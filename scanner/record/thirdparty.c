/* thirdparty.c - third-party sections of license and notice files; see thirdparty.h. */
#include "thirdparty.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/*
 * A third-party section opens at the start of a block (the first line, a line
 * after a blank one, or a line with heading markup), never in the middle of a
 * wrapped sentence: "wherever such third-party notices normally appear." and
 * "third party to do so" inside a license body are not headings.
 */

/* A phrase (lower case) and its length. */
struct phrase {
	const char *s;
	size_t n;
};
#define P(lit) { lit, sizeof(lit) - 1 }

/* Phrases that open a third-party section when a block starts with them. */
static const struct phrase openers[] = {
	P("license for "), P("licence for "), P("licenses for "), P("third party"), P("third-party"),
	P("3rd party"), P("this product includes"), P("this software incorporates"),
	P("this repository includes"), P("this repository also contains"),
	P("this repository contains code"), P("this project includes"), P("includes software"),
	P("includes code from"), P("contains code from"), P("portions of this"),
	P("portions copyright"), P("other dependencies"), P("dependencies and licenses"),
	P("open source software licensed under"), P("component."),
	P("open source license/copyright notice"), P("notices for"), P("attributions"),
	P("bundled"), { NULL, 0 }
};

/* Phrases that make a short first line of a block (a heading: "Flash Attention
 * (third-party code)") third-party wherever they stand in it. */
static const struct phrase heading_words[] = {
	P("third party"), P("third-party"), P("3rd party"), P("license for "), P("licence for "),
	{ NULL, 0 }
};

/* Phrases of a lead-in sentence ("The code in x.py is derived from y, under this
 * license:"): they count in a block's first line that ends with a colon or is
 * short, never in a long paragraph of license prose. */
static const struct phrase leadin_words[] = {
	P(" is derived from "), P(" are derived from "), P("contains code from"),
	P("includes code from"), P("code from other projects"), { NULL, 0 }
};

#define HEADING_MAX 100   /* characters of a heading */
#define HEADING_WORDS 12
#define LEADIN_SHORT 160  /* a lead-in sentence without a colon */

static size_t count_words(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]) && (i == 0 || isspace((unsigned char)s[i - 1])))
			w++;
	return w;
}

/* A line of only rule characters (----, ====, ****, ____) separates blocks. */
static int is_rule_line(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '=' || s[i] == '*' || s[i] == '_' || s[i] == '~' || s[i] == '#')
			k++;
		else if (!isspace((unsigned char)s[i]))
			return 0;
	}
	return k >= 3;
}

#define BLOCK_LINE_MAX 400 /* a lead-in sentence; longer first lines are license prose */

/* The first character is compared before the call: most tries fail there. */
static int starts_with_ci(const char *s, size_t n, const struct phrase *p)
{
	return n >= p->n && tolower((unsigned char)s[0]) == p->s[0] &&
	       strncasecmp(s, p->s, p->n) == 0;
}

static int contains_ci(const char *s, size_t n, const struct phrase *p)
{
	int c0 = p->s[0];

	for (size_t i = 0; i + p->n <= n; i++)
		if (tolower((unsigned char)s[i]) == c0 && strncasecmp(s + i, p->s, p->n) == 0)
			return 1;
	return 0;
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

int thirdparty_first_line(const char *text, size_t len)
{
	size_t p = 0;
	int line = 1, prev_blank = 1;

	while (p < len) {
		const char *s = text + p, *nl = memchr(s, '\n', len - p);
		size_t n = nl ? (size_t)(nl - s) : len - p, i = 0;
		int markup, block_start;

		p += n + (nl ? 1 : 0);
		if (n && s[n - 1] == '\r')
			n--;
		if (is_blank(s, n)) {
			prev_blank = 1;
			line++;
			continue;
		}
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		markup = i < n && (s[i] == '#' || s[i] == '*' || s[i] == '-' || s[i] == '=' ||
				   s[i] == '>' || s[i] == '_' || s[i] == '[');
		while (i < n && (s[i] == '#' || s[i] == '*' || s[i] == '-' || s[i] == '=' || s[i] == '>' ||
				 s[i] == ' ' || s[i] == '\t' || s[i] == '_' || s[i] == '[' || s[i] == '('))
			i++;
		if (is_rule_line(s, n)) {
			prev_blank = 1;
			line++;
			continue;
		}
		block_start = prev_blank || markup;
		prev_blank = 0;
		if (block_start && i < n && n - i <= BLOCK_LINE_MAX) {
			size_t rest = n - i;
			int colon = s[n - 1] == ':';
			for (int k = 0; openers[k].s && (colon || rest <= LEADIN_SHORT); k++)
				if (starts_with_ci(s + i, rest, &openers[k]))
					return line;
			if (rest <= HEADING_MAX && count_words(s + i, rest) <= HEADING_WORDS)
				for (int k = 0; heading_words[k].s; k++)
					if (contains_ci(s + i, rest, &heading_words[k]))
						return line;
			if (colon || rest <= LEADIN_SHORT)
				for (int k = 0; leadin_words[k].s; k++)
					if (contains_ci(s + i, rest, &leadin_words[k]))
						return line;
		}
		line++;
	}
	return 0;
}

int thirdparty_first_line_keyed(const unsigned char sha[32], const char *text, size_t len)
{
	static _Thread_local struct {
		unsigned char sha[32];
		int line, used;
	} memo[64];
	unsigned slot = ((unsigned)sha[0] | (unsigned)sha[1] << 8) & 63u;

	if (!memo[slot].used || memcmp(memo[slot].sha, sha, 32) != 0) {
		memcpy(memo[slot].sha, sha, 32);
		memo[slot].line = thirdparty_first_line(text, len);
		memo[slot].used = 1;
	}
	return memo[slot].line;
}
