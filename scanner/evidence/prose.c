/* prose.c - base models and licenses stated in a card's prose; see prose.h. */
#include "prose.h"
#include "card.h"
#include "core/err.h"
#include "core/str.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROSE_MAX_HITS 16     /* a card that names more is listing, not deriving */
#define PROSE_MAX_NAME 96
#define PROSE_MAX_LICENSE_WORDS 8

/* Derivation phrases, matched case-insensitively; the name follows. */
static const char *const base_triggers[] = {
	"fine-tuned version of", "finetuned version of", "fine tuned version of",
	"fine-tuned from", "finetuned from", "fine tuned from", "fine-tuned on top of",
	"fine-tune of", "finetune of", "based on", "built upon", "built on top of",
	"derived from", "merge of", "quantized version of", "quantised version of",
	"quantization of", "trained from",
	"\xe5\x9f\xba\xe6\x96\xbc", /* 基於 */
	"\xe5\x9f\xba\xe4\xba\x8e", /* 基于 */
	/* from here on, only a Hub link counts (the words are too common alone):
	 * "GPTQ format quantised 4bit models of [X](https://huggingface.co/...)",
	 * "- Original model: [X](...)" */
	"original model:", "models of", "model files for", "quants of", "quantizations of",
	"quantisations of",
	NULL
};
#define LINK_ONLY_FROM 22 /* index of "original model:" above (checked by a unit test) */

/* Words between the phrase and the name ("based on Meta's LLaMA-7B"). */
static const char *const fillers[] = {
	"the", "a", "an", "several", "selected", "multiple", "various", "meta's", "meta",
	"our", "original", "popular", "existing", "top", "of", NULL
};

struct lines {
	const char *s;
	size_t n, p;
	int line, in_comment;
	char fence;
};

/* Start reading c's body; 0 when it has none. */
static int lines_begin(struct lines *it, const struct card *c)
{
	if (!c || !c->body)
		return 0;
	it->s = c->body;
	it->n = c->body_len;
	it->line = c->body_line;
	return 1;
}

/* Next line outside fenced code and HTML comments; 0 at the end. */
static int next_text_line(struct lines *it, const char **ls, size_t *ll, int *lno)
{
	while (it->p < it->n) {
		const char *s = it->s + it->p;
		const char *nl = memchr(s, '\n', it->n - it->p);
		size_t len = nl ? (size_t)(nl - s) : it->n - it->p, i = 0;
		int line = it->line;

		it->p += len + (nl ? 1 : 0);
		it->line++;
		while (i < len && i < 4 && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (len - i >= 3 && (s[i] == '`' || s[i] == '~') && s[i + 1] == s[i] && s[i + 2] == s[i]) {
			it->fence = it->fence ? (it->fence == s[i] ? 0 : it->fence) : s[i];
			continue;
		}
		if (it->fence)
			continue;
		if (it->in_comment) {
			for (size_t k = 0; k + 2 < len; k++)
				if (!memcmp(s + k, "-->", 3))
					it->in_comment = 0;
			continue;
		}
		if (len - i >= 4 && !memcmp(s + i, "<!--", 4)) {
			it->in_comment = 1;
			for (size_t k = i + 4; k + 2 < len; k++)
				if (!memcmp(s + k, "-->", 3))
					it->in_comment = 0;
			continue;
		}
		*ls = s;
		*ll = len;
		*lno = line;
		return 1;
	}
	return 0;
}

static int is_name_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '.' || ch == '_' || ch == '-' || ch == '/';
}

static size_t skip_space(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '*' || s[i] == '`' || s[i] == '"'))
		i++;
	return i;
}

static int push(struct prose_hit **v, size_t *n, char *value, int line, int link)
{
	struct prose_hit *p;

	if (!value)
		return LT_ENOMEM;
	for (size_t i = 0; i < *n; i++)
		if (lt_strieq((*v)[i].value, value)) {
			free(value);
			return 0;
		}
	if (*n >= PROSE_MAX_HITS) {
		free(value);
		return 0;
	}
	p = realloc(*v, (*n + 1) * sizeof(*p));
	if (!p) {
		free(value);
		return LT_ENOMEM;
	}
	*v = p;
	p[*n].value = value;
	p[*n].line = line;
	p[*n].link = link;
	(*n)++;
	return 0;
}

/* "org/name" of a huggingface.co (or hf.co) model URL, or NULL. */
static char *hub_id_of_url(const char *u, size_t n)
{
	static const char *const hosts[] = { "huggingface.co/", "hf.co/", NULL };
	for (int h = 0; hosts[h]; h++) {
		const char *at = NULL;
		for (size_t i = 0; i + strlen(hosts[h]) <= n && !at; i++)
			if (!strncasecmp(u + i, hosts[h], strlen(hosts[h])))
				at = u + i + strlen(hosts[h]);
		if (at) {
			size_t rest = n - (size_t)(at - u), k = 0, slashes = 0;
			while (k < rest && is_name_char(at[k]) && !(at[k] == '/' && slashes == 1)) {
				slashes += at[k] == '/';
				k++;
			}
			if (slashes == 1 && k > 2 && at[k - 1] != '/' && strncmp(at, "datasets/", 9) &&
			    strncmp(at, "spaces/", 7))
				return lt_strndup(at, k);
		}
	}
	return NULL;
}

static int plausible_name(const char *v)
{
	size_t n = strlen(v);
	int letter = 0, digit = 0;

	if (n < 3 || n > PROSE_MAX_NAME)
		return 0;
	for (size_t i = 0; i < n; i++) {
		letter |= isalpha((unsigned char)v[i]) != 0;
		digit |= isdigit((unsigned char)v[i]) != 0 || v[i] == '/';
	}
	return letter && digit;
}

/* The name at s[i..n): a link (its Hub target, else its text) or a token, with
 * a short version number after a space joined on ("LLaMA 2", "Llama 3.1"). */
static char *name_at(const char *s, size_t i, size_t n, int *link)
{
	size_t a, b;

	*link = 0;
	if (i < n && s[i] == '[') {
		const char *close = memchr(s + i, ']', n - i);
		if (!close)
			return NULL;
		a = i + 1;
		b = (size_t)(close - s);
		if (b + 1 < n && s[b + 1] == '(') {
			const char *paren = memchr(s + b + 1, ')', n - b - 1);
			char *id = paren ? hub_id_of_url(s + b + 2, (size_t)(paren - (s + b + 2))) : NULL;
			if (id) {
				*link = 1;
				return id;
			}
		}
		a = skip_space(s, a, b);
		while (b > a && (s[b - 1] == '*' || s[b - 1] == '`' || s[b - 1] == ' '))
			b--;
	} else {
		a = i;
		b = a;
		while (b < n && is_name_char(s[b]))
			b++;
		/* "LLaMA 2", "Llama 3.1": a version number after one space */
		if (b + 1 < n && s[b] == ' ' && isdigit((unsigned char)s[b + 1])) {
			size_t c = b + 1;
			while (c < n && (isdigit((unsigned char)s[c]) || s[c] == '.'))
				c++;
			if (c - b <= 4 && (c >= n || !isalnum((unsigned char)s[c])))
				b = c;
		}
	}
	while (b > a && (s[b - 1] == '.' || s[b - 1] == '-' || s[b - 1] == '_'))
		b--;
	return b > a ? lt_strndup(s + a, b - a) : NULL;
}

/* The first position at or after i of s[0..n) holding c (a lower-case byte) or
 * its upper case; n when none. */
static size_t next_either_case(const char *s, size_t i, size_t n, int c)
{
	const char *lo, *up;
	int u = toupper(c);

	if (i >= n)
		return n;
	lo = memchr(s + i, c, n - i);
	up = u != c ? memchr(s + i, u, (size_t)((lo ? lo : s + n) - (s + i))) : NULL;
	if (up)
		return (size_t)(up - s);
	return lo ? (size_t)(lo - s) : n;
}

int prose_base_models(const struct card *c, struct prose_hit **out, size_t *n)
{
	struct lines it = { 0 };
	const char *s;
	size_t len;
	int line, rc = 0;

	*out = NULL;
	*n = 0;
	if (!lines_begin(&it, c))
		return 0;
	while (!rc && next_text_line(&it, &s, &len, &line)) {
		for (int t = 0; base_triggers[t] && !rc; t++) {
			size_t tl = strlen(base_triggers[t]);
			/* only where the first letter is (memchr finds it, either case) */
			int c0 = tolower((unsigned char)base_triggers[t][0]);
			for (size_t i = 0; i + tl <= len && !rc; i++) {
				size_t j;
				int link, again = 1;
				char *v;

				if ((i = next_either_case(s, i, len, c0)) + tl > len)
					break;
				if (strncasecmp(s + i, base_triggers[t], tl) != 0)
					continue;
				/* a whole phrase: not the tail of a longer word */
				if (i > 0 && isalpha((unsigned char)s[i - 1]) && (unsigned char)s[i] < 0x80)
					continue;
				j = skip_space(s, i + tl, len);
				while (again) {
					again = 0;
					for (int f = 0; fillers[f]; f++) {
						size_t fl = strlen(fillers[f]);
						if (j + fl < len && !strncasecmp(s + j, fillers[f], fl) &&
						    (s[j + fl] == ' ' || s[j + fl] == '\t')) {
							j = skip_space(s, j + fl, len);
							again = 1;
							break;
						}
					}
				}
				v = name_at(s, j, len, &link);
				if (v && t >= LINK_ONLY_FROM && !link) {
					free(v);
					v = NULL;
				}
				if (v && plausible_name(v))
					rc = push(out, n, v, line, link);
				else
					free(v);
				i += tl - 1;
			}
		}
	}
	return rc;
}

static int is_license_word(const char *w, size_t n)
{
	return (n == 7 && (!strncasecmp(w, "license", 7) || !strncasecmp(w, "licence", 7))) ||
	       (n == 9 && !strncasecmp(w, "agreement", 9));
}

int prose_license_names(const struct card *c, struct prose_hit **out, size_t *n)
{
	struct lines it = { 0 };
	const char *s;
	size_t len;
	int line, rc = 0;

	*out = NULL;
	*n = 0;
	if (!lines_begin(&it, c))
		return 0;
	while (!rc && next_text_line(&it, &s, &len, &line)) {
		for (size_t i = 0; i + 6 <= len && !rc; i++) {
			size_t j, words = 0, end = 0;

			if (strncasecmp(s + i, "under ", 6) != 0 || (i > 0 && isalpha((unsigned char)s[i - 1])))
				continue;
			j = skip_space(s, i + 6, len);
			if (j + 4 <= len && !strncasecmp(s + j, "the ", 4))
				j = skip_space(s, j + 4, len);
			if (j < len && s[j] == '[') {
				const char *close = memchr(s + j, ']', len - j);
				if (close) {
					size_t a = j + 1, b = (size_t)(close - s);
					char *v = lt_strndup(s + a, b - a);
					if (v)
						lt_trim(v);
					if (v && strchr(v, ' ') && strlen(v) <= PROSE_MAX_NAME)
						rc = push(out, n, v, line, 0);
					else
						free(v);
				}
				continue;
			}
			/* words up to a License / Licence / Agreement word */
			for (size_t k = j; k < len && words < PROSE_MAX_LICENSE_WORDS;) {
				size_t w = k;
				while (k < len && (isalnum((unsigned char)s[k]) || s[k] == '-' || s[k] == '.' ||
						   s[k] == '\''))
					k++;
				if (k == w)
					break;
				words++;
				{
					size_t wl = k - w; /* "License." ends a sentence */
					while (wl && s[w + wl - 1] == '.')
						wl--;
					if (is_license_word(s + w, wl)) {
						end = w + wl;
						break;
					}
				}
				if (k >= len || s[k] != ' ')
					break;
				k++;
			}
			if (end && words >= 2) {
				char *v = lt_strndup(s + j, end - j);
				rc = push(out, n, v, line, 0);
			}
		}
	}
	return rc;
}

static int is_bullet(const char *s, size_t n, size_t *after)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i + 1 < n && (s[i] == '*' || s[i] == '-' || s[i] == '+') && s[i + 1] == ' ') {
		*after = i + 2;
		return 1;
	}
	return 0;
}

int prose_merge_list(const struct card *c, struct prose_hit **out, size_t *n)
{
	struct lines it = { 0 };
	const char *s;
	size_t len;
	int line, rc = 0, in_list = 0;

	*out = NULL;
	*n = 0;
	if (!lines_begin(&it, c))
		return 0;
	while (!rc && next_text_line(&it, &s, &len, &line)) {
		size_t a;
		int blank = 1;
		for (size_t k = 0; k < len; k++)
			blank &= s[k] == ' ' || s[k] == '\t' || s[k] == '\r';
		if (!in_list) {
			static const char *const heads[] = { "models were included in the merge",
							     "models were merged", "merged models:", NULL };
			for (int h = 0; heads[h]; h++) {
				size_t hl = strlen(heads[h]);
				for (size_t k = 0; k + hl <= len && !in_list; k++)
					in_list = !strncasecmp(s + k, heads[h], hl);
			}
			continue;
		}
		if (blank)
			continue;
		if (!is_bullet(s, len, &a)) {
			in_list = 0;
			continue;
		}
		a = skip_space(s, a, len);
		{
			int link;
			char *v = name_at(s, a, len, &link);
			if (v && strchr(v, '/') && !strchr(strchr(v, '/') + 1, '/'))
				rc = push(out, n, v, line, link);
			else
				free(v);
		}
	}
	return rc;
}

int prose_mergekit_block(const struct card *c, const char **text, size_t *len, int *line)
{
	size_t p = 0, n;
	int l;

	*text = NULL;
	*len = 0;
	*line = 0;
	if (!c || !c->body)
		return 0;
	n = c->body_len;
	l = c->body_line;
	while (p < n) {
		const char *s = c->body + p, *nl = memchr(s, '\n', n - p);
		size_t ll = nl ? (size_t)(nl - s) : n - p;
		size_t i = 0;
		p += ll + (nl ? 1 : 0);
		l++;
		while (i < ll && i < 4 && s[i] == ' ')
			i++;
		if (ll - i >= 7 && (!strncmp(s + i, "```yaml", 7) || !strncmp(s + i, "```yml", 6))) {
			size_t start = p, q = p;
			int start_line = l;
			while (q < n) {
				const char *t = c->body + q, *tn = memchr(t, '\n', n - q);
				size_t tl = tn ? (size_t)(tn - t) : n - q, j = 0;
				while (j < tl && j < 4 && t[j] == ' ')
					j++;
				if (tl - j >= 3 && !strncmp(t + j, "```", 3))
					break;
				q += tl + (tn ? 1 : 0);
			}
			{
				const char *b = c->body + start;
				size_t bl = q - start;
				int has_method = 0, has_model = 0;
				for (size_t k = 0; k + 13 <= bl; k++)
					has_method |= !strncmp(b + k, "merge_method:", 13);
				for (size_t k = 0; k + 6 <= bl; k++)
					has_model |= !strncmp(b + k, "model:", 6);
				if (has_method && has_model) {
					*text = b;
					*len = bl;
					*line = start_line;
					return 1;
				}
			}
		}
	}
	return 0;
}

void prose_hits_free(struct prose_hit *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].value);
	free(v);
}
