/* thirdparty.c - third-party sections of license and notice files; see thirdparty.h. */
#include "thirdparty.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Phrases that open a third-party section when a line starts with them. */
static const char *const openers[] = {
	"license for ", "licence for ", "licenses for ", "third party", "third-party", "3rd party",
	"this product includes", "this software incorporates", "this repository includes",
	"this project includes", "includes software", "includes code from", "contains code from",
	"portions of this", "portions copyright", "other dependencies", "dependencies and licenses",
	"open source software licensed under", "component.", "open source license/copyright notice",
	"notices for", "attributions", "bundled", NULL
};

/* Phrases that make a short line (a heading) third-party wherever they stand. */
static const char *const anywhere[] = {
	"third party", "third-party", "3rd party", "license for ", "licence for ", NULL
};

#define HEADING_MAX 100 /* longer lines are sentences of a license body */
#define HEADING_WORDS 8 /* a wrapped sentence line has more words than a heading */

static size_t words(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]) && (i == 0 || isspace((unsigned char)s[i - 1])))
			w++;
	return w;
}

static int starts_with_ci(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);
	return n >= pl && strncasecmp(s, p, pl) == 0;
}

static int contains_ci(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);
	for (size_t i = 0; i + pl <= n; i++)
		if (strncasecmp(s + i, p, pl) == 0)
			return 1;
	return 0;
}

int thirdparty_first_line(const char *text, size_t len)
{
	size_t p = 0;
	int line = 1;

	while (p < len) {
		const char *s = text + p, *nl = memchr(s, '\n', len - p);
		size_t n = nl ? (size_t)(nl - s) : len - p, i = 0;

		p += n + (nl ? 1 : 0);
		/* markup before the words: #, *, -, =, >, spaces, digits of a list */
		while (i < n && (s[i] == '#' || s[i] == '*' || s[i] == '-' || s[i] == '=' || s[i] == '>' ||
				 s[i] == ' ' || s[i] == '\t' || s[i] == '_' || s[i] == '[' || s[i] == '('))
			i++;
		if (i < n && n - i <= HEADING_MAX * 4) {
			for (int k = 0; openers[k]; k++)
				if (starts_with_ci(s + i, n - i, openers[k]))
					return line;
			if (n - i <= HEADING_MAX && words(s + i, n - i) <= HEADING_WORDS)
				for (int k = 0; anywhere[k]; k++)
					if (contains_ci(s + i, n - i, anywhere[k]))
						return line;
		}
		line++;
	}
	return 0;
}
