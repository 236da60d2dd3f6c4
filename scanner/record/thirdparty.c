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

/* Phrases that open a third-party section when a block starts with them. */
static const char *const openers[] = {
	"license for ", "licence for ", "licenses for ", "third party", "third-party", "3rd party",
	"this product includes", "this software incorporates", "this repository includes",
	"this repository also contains", "this repository contains code", "this project includes",
	"includes software", "includes code from", "contains code from", "portions of this",
	"portions copyright", "other dependencies", "dependencies and licenses",
	"open source software licensed under", "component.", "open source license/copyright notice",
	"notices for", "attributions", "bundled", NULL
};

/* Phrases that make a short first line of a block (a heading: "Flash Attention
 * (third-party code)") third-party wherever they stand in it. */
static const char *const heading_words[] = {
	"third party", "third-party", "3rd party", "license for ", "licence for ", NULL
};

/* Phrases of a lead-in sentence ("The code in x.py is derived from y, under this
 * license:"): they count in a block's first line that ends with a colon or is
 * short, never in a long paragraph of license prose. */
static const char *const leadin_words[] = {
	" is derived from ", " are derived from ", "contains code from", "includes code from",
	"code from other projects", NULL
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

static int starts_with_ci(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);
	return n >= pl && strncasecmp(s, p, pl) == 0;
}

/* The first character is compared before the call: most positions fail there. */
static int contains_ci(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);
	int c0 = tolower((unsigned char)p[0]);

	for (size_t i = 0; i + pl <= n; i++)
		if (tolower((unsigned char)s[i]) == c0 && strncasecmp(s + i, p, pl) == 0)
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
			for (int k = 0; openers[k] && (colon || rest <= LEADIN_SHORT); k++)
				if (starts_with_ci(s + i, rest, openers[k]))
					return line;
			if (rest <= HEADING_MAX && count_words(s + i, rest) <= HEADING_WORDS)
				for (int k = 0; heading_words[k]; k++)
					if (contains_ci(s + i, rest, heading_words[k]))
						return line;
			if (colon || rest <= LEADIN_SHORT)
				for (int k = 0; leadin_words[k]; k++)
					if (contains_ci(s + i, rest, leadin_words[k]))
						return line;
		}
		line++;
	}
	return 0;
}
