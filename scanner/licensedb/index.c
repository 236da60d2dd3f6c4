/*
 * index.c - the lookup tables of a loaded license database (by id, by folded
 * id / Hub id / alias, findings and rules by id) and the lookups over them;
 * see index.h. Built the same way after a YAML load and after a snapshot is
 * decoded, so both give the same answers and the same consistency problems.
 */
#include "index.h"
#include "licensedb.h"
#include "core/str.h"
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

/* Fold a declared id (n bytes with its NUL) into f for lookup: lower case,
 * trim, '_' and ' ' to '-'. */
static void fold_into(char *f, const char *s, size_t n)
{
	char *p;

	memcpy(f, s, n);
	lt_trim(f);
	lt_str_lower(f);
	for (p = f; *p; p++)
		if (*p == '_' || *p == ' ')
			*p = '-';
}

/* name folded, in ix->folded (sized by licdb_build_index); NULL when no room. */
static const char *fold_id(struct licdb_index *ix, const char *s)
{
	size_t n = strlen(s) + 1;
	char *f;

	if (n > ix->folded_cap - ix->folded_len)
		return NULL;
	f = ix->folded + ix->folded_len;
	fold_into(f, s, n);
	ix->folded_len += strlen(f) + 1;
	return f;
}

static void index_name(struct licensedb *db, struct licdb_index *ix, const char *name,
		       struct licdef *d, const char *what)
{
	size_t mark = ix->folded_len;
	const char *f = fold_id(ix, name);
	struct licdef *prev;

	if (!f)
		return;
	prev = strmap_get(&ix->by_name, f);
	if (prev && prev != d)
		licensedb_problem(db, d->path, 0, "%s '%s' also names '%s' (%s)", what, name,
				  prev->id, prev->path);
	if (!prev)
		strmap_put(&ix->by_name, f, d);
	else
		ix->folded_len = mark; /* not kept: its room is used again */
}

struct licdb_index *licdb_index_new(struct licensedb *db)
{
	struct licdb_index *ix = db->index_;

	if (ix)
		return ix;
	ix = calloc(1, sizeof(*ix));
	if (!ix)
		return NULL;
	strmap_init_borrowed(&ix->by_id);
	strmap_init_borrowed(&ix->by_name);
	strmap_init_borrowed(&ix->findings);
	strmap_init_borrowed(&ix->rules);
	db->index_ = ix;
	return ix;
}

void licdb_build_index(struct licensedb *db)
{
	struct licdb_index *ix = licdb_index_new(db);

	size_t names = db->nlics, bytes = 0;

	if (!ix || ix->folded) /* built once */
		return;
	for (size_t i = 0; i < db->nlics; i++) {
		const struct licdef *d = db->lics[i];
		names += d->hub_ids.n + d->aliases.n;
		bytes += d->id ? strlen(d->id) + 1 : 0;
		for (size_t j = 0; j < d->hub_ids.n; j++)
			bytes += strlen(d->hub_ids.v[j]) + 1;
		for (size_t j = 0; j < d->aliases.n; j++)
			bytes += strlen(d->aliases.v[j]) + 1;
	}
	if (!(ix->folded = malloc(bytes ? bytes : 1)))
		return;
	ix->folded_cap = bytes;
	/* sized once: no table is rehashed while it fills (a tenth of start-up) */
	strmap_reserve(&ix->by_id, db->nlics);
	strmap_reserve(&ix->by_name, names);
	strmap_reserve(&ix->findings, db->nfindings);
	strmap_reserve(&ix->rules, db->nrules);
	for (size_t i = 0; i < db->nlics; i++) {
		struct licdef *d = db->lics[i];
		if (!d->id)
			continue;
		strmap_put(&ix->by_id, d->id, d);
	}
	/* ids first so an alias can never shadow another definition's id */
	for (size_t i = 0; i < db->nlics; i++)
		if (db->lics[i]->id)
			index_name(db, ix, db->lics[i]->id, db->lics[i], "id");
	for (size_t i = 0; i < db->nlics; i++) {
		struct licdef *d = db->lics[i];
		for (size_t j = 0; j < d->hub_ids.n; j++)
			index_name(db, ix, d->hub_ids.v[j], d, "hub id");
		for (size_t j = 0; j < d->aliases.n; j++)
			index_name(db, ix, d->aliases.v[j], d, "alias");
	}
	for (size_t i = 0; i < db->nfindings; i++)
		if (db->findings[i]->id)
			strmap_put(&ix->findings, db->findings[i]->id, db->findings[i]);
	for (size_t i = 0; i < db->nrules; i++) {
		struct detect_rule *r = db->rules[i];
		if (r->id)
			strmap_put(&ix->rules, r->id, r);
		if (r->license) {
			r->lic = strmap_get(&ix->by_id, r->license);
			if (!r->lic)
				licensedb_problem(db, r->path, r->line, "rule '%s' names unknown license '%s'",
						  r->id ? r->id : "?", r->license);
		}
		for (size_t j = 0; j < r->overrides.n; j++)
			if (!strmap_get(&ix->by_id, r->overrides.v[j]))
				licensedb_problem(db, r->path, r->line, "rule '%s' overrides unknown license '%s'",
						  r->id ? r->id : "?", r->overrides.v[j]);
		if (r->similar_min > 0 && r->lic && !r->lic->ref_text)
			licensedb_problem(db, r->path, r->line,
					  "rule '%s' asks for similarity but '%s' has no reference text",
					  r->id ? r->id : "?", r->license);
	}
}

void licdb_index_free(struct licdb_index *ix)
{
	if (!ix)
		return;
	strmap_release(&ix->by_id);
	strmap_release(&ix->by_name);
	strmap_release(&ix->findings);
	strmap_release(&ix->rules);
	free(ix->folded);
	free(ix);
}

const struct licdef *licensedb_get(const struct licensedb *db, const char *id)
{
	struct licdb_index *ix = db ? db->index_ : NULL;
	return ix && id ? strmap_get(&ix->by_id, id) : NULL;
}

/* Words around a license's name that do not change which license it is: "The
 * MIT License", "Llama 3.1 Community License Agreement". Stripped from a folded
 * name in this order, each only while the name is still unknown. */
static const char *const name_suffixes[] = { "-agreement", "-license", "-licence", "-community" };

static const struct licdef *lookup_stripped(const struct licdb_index *ix, char *f)
{
	const struct licdef *d;
	size_t n;

	if (strncmp(f, "the-", 4) == 0 && f[4]) {
		memmove(f, f + 4, strlen(f + 4) + 1);
		if ((d = strmap_get(&ix->by_name, f)) != NULL)
			return d;
	}
	n = strlen(f);
	for (size_t i = 0; i < sizeof(name_suffixes) / sizeof(*name_suffixes); i++) {
		size_t k = strlen(name_suffixes[i]);
		if (n > k && memcmp(f + n - k, name_suffixes[i], k) == 0) {
			f[n -= k] = '\0';
			if ((d = strmap_get(&ix->by_name, f)) != NULL)
				return d;
		}
	}
	return NULL;
}

static const struct licdef *lookup(const struct licensedb *db, const char *declared, int strip)
{
	struct licdb_index *ix = db ? db->index_ : NULL;
	const struct licdef *d;
	char small[128], *f;
	size_t n;

	if (!ix || !declared)
		return NULL;
	n = strlen(declared) + 1;
	if (n <= sizeof(small))
		f = small;
	else if (!(f = malloc(n)))
		return NULL;
	fold_into(f, declared, n);
	d = strmap_get(&ix->by_name, f);
	if (!d && strip)
		d = lookup_stripped(ix, f);
	if (f != small)
		free(f);
	return d;
}

const struct licdef *licensedb_lookup(const struct licensedb *db, const char *declared)
{
	return lookup(db, declared, 1);
}

const struct licdef *licensedb_lookup_exact(const struct licensedb *db, const char *name)
{
	return lookup(db, name, 0);
}

/* The part of a web address that names a page: no scheme, no "www.", the host in
 * lower case, no query or fragment, no trailing '/'. Into out (size n); 0 when it
 * is not an http(s) address or does not fit. */
static int url_key(const char *url, char *out, size_t n)
{
	const char *p = url, *end;
	size_t k = 0;
	int host = 1;

	if (!strncasecmp(p, "https://", 8))
		p += 8;
	else if (!strncasecmp(p, "http://", 7))
		p += 7;
	else
		return 0;
	if (!strncasecmp(p, "www.", 4))
		p += 4;
	end = p + strcspn(p, "?#");
	while (end > p && end[-1] == '/')
		end--;
	for (; p < end; p++) {
		if (*p == '/')
			host = 0;
		if (k + 1 >= n)
			return 0;
		out[k++] = host && *p >= 'A' && *p <= 'Z' ? (char)(*p + ('a' - 'A')) : *p;
	}
	out[k] = '\0';
	return k > 0;
}

const struct licdef *licensedb_by_url(const struct licensedb *db, const char *url)
{
	const struct licdef *found = NULL;
	char want[512], have[512];

	if (!db || !url || !url_key(url, want, sizeof(want)))
		return NULL;
	for (size_t i = 0; i < db->nlics; i++) {
		const struct licdef *d = db->lics[i];
		if (!d->url || !url_key(d->url, have, sizeof(have)) || strcmp(want, have) != 0)
			continue;
		if (found) /* two definitions at one address (versions of one text) */
			return NULL;
		found = d;
	}
	return found;
}

const struct finding_def *licensedb_finding(const struct licensedb *db, const char *id)
{
	struct licdb_index *ix = db ? db->index_ : NULL;
	return ix && id ? strmap_get(&ix->findings, id) : NULL;
}

const struct detect_rule *licensedb_rule(const struct licensedb *db, const char *id)
{
	struct licdb_index *ix = db ? db->index_ : NULL;
	return ix && id ? strmap_get(&ix->rules, id) : NULL;
}
