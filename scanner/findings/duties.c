/*
 * duties.c - registration, no-derivatives, share-alike, guardrails and the
 * checklist; see duties.h.
 */
#include "duties.h"
#include "findings.h"
#include "core/str.h"
#include "record/record.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Length of the UTF-8 sequence at p when it is one of the characters folded by
 * normalise(), with *out set to the replacement ("" = drop); 0 otherwise. */
static size_t fold_utf8(const unsigned char *p, const char **out)
{
	static const struct { const char *utf8, *to; } folds[] = {
		{ "\xe2\x80\x98", "" }, { "\xe2\x80\x99", "" },   /* single quotes */
		{ "\xe2\x80\x9c", "" }, { "\xe2\x80\x9d", "" },   /* double quotes */
		{ "\xc2\xab", "" }, { "\xc2\xbb", "" },               /* guillemets */
		{ "\xe2\x80\x90", "-" }, { "\xe2\x80\x91", "-" },  /* hyphens */
		{ "\xe2\x80\x92", "-" }, { "\xe2\x80\x93", "-" },  /* figure, en dash */
		{ "\xe2\x80\x94", "-" }, { "\xe2\x80\x95", "-" },  /* em dash, bar */
		{ "\xe2\x88\x92", "-" },                              /* minus */
		{ "\xc2\xa9", "" },                                    /* copyright sign */
		{ "\xc2\xa0", " " }, { "\xe2\x80\xaf", " " },       /* no-break spaces */
	};
	for (size_t i = 0; i < sizeof(folds) / sizeof(folds[0]); i++) {
		size_t n = strlen(folds[i].utf8);
		/* strncmp stops at the end of p: never reads past it */
		if (!strncmp((const char *)p, folds[i].utf8, n)) {
			*out = folds[i].to;
			return n;
		}
	}
	return 0;
}

static char *normalise(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1), *w = o; /* a fold never lengthens the text */
	int space = 1;                        /* drop leading whitespace */

	if (!o)
		return NULL;
	for (size_t i = 0; i < n;) {
		const char *to = NULL;
		size_t k = fold_utf8((const unsigned char *)s + i, &to);
		unsigned char ch = (unsigned char)s[i];

		if (!k) {
			k = 1;
			if (ch == '"' || ch == '\'' || ch == '`' || ch == '*')
				to = "";
			else if (isspace(ch))
				to = " ";
			else if ((ch == '(' || ch == '[') && (s[i + 1] == 'c' || s[i + 1] == 'C') &&
				 (s[i + 2] == ')' || s[i + 2] == ']')) {
				to = "";
				k = 3;
			}
		}
		if (!to) {
			*w++ = (char)(ch < 0x80 ? tolower(ch) : ch);
			space = 0;
		} else if (!strcmp(to, " ")) {
			if (!space)
				*w++ = ' ';
			space = 1;
		} else {
			for (const char *t = to; *t; t++)
				*w++ = *t;
			if (*to)
				space = 0;
		}
		i += k;
	}
	while (w > o && w[-1] == ' ')
		w--;
	*w = '\0';
	return o;
}

int duties_has_sentence(const char *text, const char *sentence)
{
	char *h, *n;
	int found;

	if (!text || !sentence)
		return 0;
	h = normalise(text);
	n = normalise(sentence);
	found = h && n && *n && strstr(h, n) != NULL;
	free(h);
	free(n);
	return found;
}

/* Words model publishers use to say refusals or safety tuning were taken out. */
static const char *const removal_words[] = {
	"abliterated", "abliteration", "uncensored", "decensored", "de-censored",
	"refusal removed", "refusals removed", "refusal-ablated", "guardrails removed",
	"no guardrails", "without guardrails", "safety removed", "jailbroken", NULL,
};

static int word_start(const char *text, const char *p)
{
	return p == text || !isalnum((unsigned char)p[-1]);
}

static int prefix_ci(const char *p, const char *w)
{
	for (; *w; p++, w++)
		if (!*p || tolower((unsigned char)*p) != *w)
			return 0;
	return 1;
}

const char *duties_guardrails_claim(const char *text, int *line)
{
	int ln = 1;

	if (!text)
		return NULL;
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			ln++;
			continue;
		}
		if (!word_start(text, p))
			continue;
		for (size_t w = 0; removal_words[w]; w++)
			if (prefix_ci(p, removal_words[w])) {
				if (line)
					*line = ln;
				return removal_words[w];
			}
	}
	return NULL;
}

/* " (§x)" when the obligation names its clause. */
static void clause_suffix(const struct obligation *ob, char *out, size_t size)
{
	/* a note that opens with its clause says it already */
	if (ob->clause && !(ob->note && !strncmp(ob->note, ob->clause, strlen(ob->clause))))
		snprintf(out, size, " (%s)", ob->clause);
	else
		out[0] = '\0';
}

static void check_share_alike(struct model_report *m, const struct licensedb *db,
			      const struct eff_ob *e, const char *cl)
{
	const struct model_record *r = m->node->rec;

	for (size_t d = 0; d < r->ndeclared; d++) {
		const struct declared *D = &r->declared[d];
		const char *field = D->at.field ? D->at.field : "";
		if (!D->lic || !strncmp(field, "general.", 8) || !strncmp(field, "modelspec.", 10))
			continue;
		if (D->lic->category == CAT_FAMILY || D->lic->category == CAT_UNKNOWN ||
		    licdef_same_family(D->lic, e->lic))
			continue;
		findings_add(m, db, "share-alike-conflict", e->lic->id, D->at.file, D->at.line, e->chain,
			     "'%s' derives from '%s' under %s, which requires derivatives under the same license%s; the card declares '%s'",
			     r->id, e->model, e->lic->name, cl, D->value);
	}
}

static void check_guardrails(struct model_report *m, const struct licensedb *db,
			     const struct eff_ob *e, const char *cl)
{
	const struct model_record *r = m->node->rec;
	const char *word, *where = NULL;
	int line = 0;

	if ((word = duties_guardrails_claim(r->name, NULL)))
		where = "its name";
	else if ((word = duties_guardrails_claim(r->id, NULL)))
		where = "its id";
	else if ((word = duties_guardrails_claim(r->card_text, &line)))
		where = "its card";
	if (!word)
		return;
	findings_add(m, db, "guardrails-removed", e->lic->id, line ? "README.md" : NULL, line,
		     e->self ? NULL : e->chain, "%s says '%s' about '%s' (under %s via '%s'); %s%s: %s", where,
		     word, r->id, e->lic->id, e->model, e->lic->name, cl,
		     e->ob->note ? e->ob->note : "bypassing or removing its safety guardrails ends the license");
}

int duties_lineage_multimodal(const struct model_report *m, const struct licdef *lic)
{
	const struct licdef *al[64];

	if (m->node->rec->multimodal)
		return 1;
	for (size_t i = 0; i < m->nanc; i++) {
		const struct lnode *n = m->anc[i].node;
		size_t k;
		if (!n->rec || !n->rec->multimodal)
			continue;
		k = record_licenses(n->rec, al, sizeof(al) / sizeof(al[0]));
		for (size_t j = 0; j < k; j++)
			if (licdef_same_family(al[j], lic))
				return 1;
	}
	return 0;
}

static int contains_ci(const char *hay, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = hay; p && *p; p++)
		if (!strncasecmp(p, word, n))
			return 1;
	return 0;
}

int duties_display_only_above(const struct ob_summary *s, const struct eff_ob *e)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].lic == e->lic && ob_display_trigger(s->v[i].ob) && e->ob->text &&
		    !strcmp(s->v[i].ob->text, e->ob->text))
			return 1;
	return 0;
}

int duties_scope_applies(const struct model_report *m, const struct eff_ob *e)
{
	const char *scope = e->ob->scope;
	const struct licdef *al[64];

	if (!scope || !strcmp(scope, "all"))
		return 1;
	if (contains_ci(m->node->id, scope) || contains_ci(e->model, scope))
		return 1;
	for (size_t i = 0; i < m->nanc; i++) {
		const struct lnode *n = m->anc[i].node;
		size_t k;
		if (!n->rec || !contains_ci(n->id, scope))
			continue;
		k = record_licenses(n->rec, al, sizeof(al) / sizeof(al[0]));
		for (size_t j = 0; j < k; j++)
			if (licdef_same_family(al[j], e->lic))
				return 1;
	}
	return 0;
}

/* A declared name that names no single text (modified-mit, yi-license: aliases of
 * `other`) leaves the license to the text; with no known text it is unknown. */
static void check_generic_names(struct model_report *m, const struct licensedb *db)
{
	const struct model_record *r = m->node->rec;
	int known = 0;

	for (size_t i = 0; i < m->nown; i++)
		known |= m->own[i]->category != CAT_UNKNOWN;
	for (size_t i = 0; !known && i < r->ndeclared; i++) {
		const struct declared *d = &r->declared[i];
		if (d->lic && !strcmp(d->lic->id, "other") && !lt_strieq(d->value, "other"))
			findings_add(m, db, "license-needs-review", d->value, d->at.file, d->at.line, NULL,
				     "'%s' names no single license text and no license file says which one applies",
				     d->value);
	}
}

void duties_check(struct model_report *m, const struct licensedb *db)
{
	char cl[96];

	check_generic_names(m, db);

	for (size_t i = 0; i < m->ob.n; i++) {
		const struct eff_ob *e = &m->ob.v[i];
		const struct obligation *ob = e->ob;
		const char *chain = e->self ? NULL : e->chain;

		clause_suffix(ob, cl, sizeof(cl));
		if (ob_kind_checklist(ob->kind)) {
			findings_add(m, db, ob_kind_finding(ob->kind), e->lic->id, NULL, 0, chain, "%s%s: %s",
				     e->lic->name, cl, ob->note ? ob->note : ob_kind_name(ob->kind));
			continue;
		}
		switch (ob->kind) {
		case OB_REGISTRATION:
			/* binds whoever uses the model commercially, the licensor's own
			 * release included: no parent needed */
			findings_add(m, db, "registration-required", e->lic->id, NULL, 0, chain,
				     "%s (via '%s')%s: commercial use needs registration or the licensor's written authorisation first%s%s",
				     e->lic->name, e->model, cl, ob->note ? ": " : "", ob->note ? ob->note : "");
			break;
		case OB_NO_DERIVATIVES:
			if (!e->self)
				findings_add(m, db, "no-derivatives-violated", e->lic->id, NULL, 0, chain,
					     "'%s' is a fine-tune, adapter, merge or quantisation of '%s', which is under %s%s: adapted material may not be shared, whatever license the derivative declares",
					     m->node->rec->id, e->model, e->lic->name, cl);
			break;
		case OB_SHARE_ALIKE:
			if (!e->self)
				check_share_alike(m, db, e, cl);
			break;
		case OB_GUARDRAILS:
			/* a model that says its guardrails were removed is a modified
			 * model, with or without a declared parent */
			check_guardrails(m, db, e, cl);
			break;
		default:
			break;
		}
	}
}
