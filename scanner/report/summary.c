/* summary.c - the digest of a report; see summary.h. */
#include "summary.h"
#include "report.h"
#include "core/str.h"
#include "core/strmap.h"
#include "licensedb/licensedb.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct counter {
	struct summary_row row; /* row.name is owned */
	size_t seen;            /* the last model (its number) counted in this row */
};

struct table {
	struct strmap index;     /* name -> struct counter* */
	struct counter **v;
	size_t n, cap;
};

struct summary {
	const struct licensedb *db;
	struct table t[SUM__COUNT - 1]; /* SUM_RISK is a view of SUM_BASE */
	size_t models, verdicts[4], sev[3];
	struct summary_row *view[SUM__COUNT]; /* the last rows summary_rows gave */
	size_t dropped; /* bases not remembered (over SUMMARY_MAX_BASES) */
	int failed;
};

/* One model, reduced to the keys it is counted under. */
struct keys {
	const char **v;
	size_t n, cap;
};

struct model_in {
	enum verdict verdict;
	size_t sev[3];
	struct keys k[SUM__COUNT - 1];
};

static const char *const table_names[SUM__COUNT] = { "licenses", "families", "categories",
						     "obligations", "bases", "risky_lineages" };

const char *summary_table_name(enum summary_table t)
{
	return (unsigned)t < SUM__COUNT ? table_names[t] : "unknown";
}

struct summary *summary_new(const struct licensedb *db)
{
	struct summary *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->db = db;
	for (size_t i = 0; i < SUM__COUNT - 1; i++)
		strmap_init(&s->t[i].index);
	return s;
}

void summary_free(struct summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < SUM__COUNT - 1; i++) {
		struct table *t = &s->t[i];
		for (size_t k = 0; k < t->n; k++) {
			free((char *)t->v[k]->row.name);
			free(t->v[k]);
		}
		free(t->v);
		strmap_release(&t->index);
	}
	for (size_t i = 0; i < SUM__COUNT; i++)
		free(s->view[i]);
	free(s);
}

static int keys_add(struct keys *k, const char *name)
{
	if (!name)
		return 0;
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 16;
		const char **v = realloc(k->v, cap * sizeof(*v));
		if (!v)
			return -1;
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n++] = name;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The counter for name in table t, created when new; NULL when out of memory or
 * when the table is full. */
static struct counter *counter_get(struct summary *s, struct table *t, const char *name, int bases)
{
	struct counter *c = strmap_get(&t->index, name);

	if (c)
		return c;
	if (bases && t->n >= SUMMARY_MAX_BASES) {
		s->dropped++;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;
		struct counter **v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			goto oom;
		t->v = v;
		t->cap = cap;
	}
	if (!(c = calloc(1, sizeof(*c))) || !(c->row.name = lt_strdup(name))) {
		free(c);
		goto oom;
	}
	if (strmap_put(&t->index, name, c)) {
		free((char *)c->row.name);
		free(c);
		goto oom;
	}
	t->v[t->n++] = c;
	return c;
oom:
	s->failed = 1;
	return NULL;
}

/* Count a reduced model into every table: each distinct key once. */
static int add_model(struct summary *s, struct model_in *in)
{
	s->models++;
	s->verdicts[in->verdict]++;
	for (size_t i = 0; i < 3; i++)
		s->sev[i] += in->sev[i];
	for (size_t i = 0; i < SUM__COUNT - 1; i++) {
		struct keys *k = &in->k[i];
		struct table *t = &s->t[i];
		/* where the bases table may fill up, the keys in name order (the same
		 * ones are kept however a model lists its ancestors), each name once */
		int sorted = i == SUM_BASE && k->n > 1 && t->n + k->n > SUMMARY_MAX_BASES;
		if (sorted)
			qsort(k->v, k->n, sizeof(*k->v), cmp_str);
		for (size_t j = 0; j < k->n; j++) {
			struct counter *c;
			if (sorted && j && !strcmp(k->v[j], k->v[j - 1]))
				continue;
			/* a row counts a model once, however often its name comes */
			if (!(c = counter_get(s, t, k->v[j], i == SUM_BASE)) || c->seen == s->models)
				continue;
			c->seen = s->models;
			c->row.models++;
			c->row.verdicts[in->verdict]++;
			c->row.errors += in->sev[SEV_ERROR];
		}
	}
	return s->failed ? -1 : 0;
}

static void model_in_release(struct model_in *in)
{
	for (size_t i = 0; i < SUM__COUNT - 1; i++)
		free(in->k[i].v);
}

/* A license into the license, family and category tables. */
static int add_license(struct model_in *in, const struct licdef *l, const char *id)
{
	int rc = keys_add(&in->k[SUM_LICENSE], l ? l->id : id);

	rc |= keys_add(&in->k[SUM_FAMILY], l ? (l->family ? l->family : l->id) : "unknown");
	rc |= keys_add(&in->k[SUM_CATEGORY], l ? lic_category_name(l->category) : "unknown");
	return rc;
}

static int add_no_license(struct model_in *in)
{
	int rc = keys_add(&in->k[SUM_LICENSE], "none");

	rc |= keys_add(&in->k[SUM_FAMILY], "none");
	rc |= keys_add(&in->k[SUM_CATEGORY], "unknown");
	return rc;
}

int summary_add_report(struct summary *s, const struct model_report *m)
{
	struct model_in in;
	int rc = 0;

	if (!s)
		return -1;
	memset(&in, 0, sizeof(in));
	in.verdict = (unsigned)m->verdict <= VERDICT_INCOMPLETE ? m->verdict : VERDICT_INCOMPLETE;
	for (size_t i = 0; i < m->nf; i++)
		if ((unsigned)m->f[i].severity <= SEV_ERROR)
			in.sev[m->f[i].severity]++;
	for (size_t i = 0; i < m->neffective; i++)
		rc |= add_license(&in, m->effective[i], NULL);
	if (!m->neffective)
		rc |= add_no_license(&in);
	for (size_t i = 0; i < m->ob.n; i++)
		rc |= keys_add(&in.k[SUM_OBLIGATION], ob_display_trigger(m->ob.v[i].ob) ? SUMMARY_DISPLAY_TRIGGER
							  : ob_kind_name(m->ob.v[i].ob->kind));
	for (size_t i = 0; i < m->nanc && i < SUMMARY_MAX_ANCESTORS; i++)
		rc |= keys_add(&in.k[SUM_BASE], m->anc[i].node->id);
	if (rc)
		s->failed = 1;
	else
		rc = add_model(s, &in);
	model_in_release(&in);
	return rc ? -1 : 0;
}

int summary_add_json(struct summary *s, const json_t *model)
{
	struct model_in in;
	const json_t *a, *x;
	size_t i;
	int rc = 0;

	if (!json_is_object(model))
		return -2;
	if (!s)
		return -1;
	memset(&in, 0, sizeof(in));
	in.verdict = verdict_parse(json_string_value(json_object_get(model, "verdict")));
	json_array_foreach (json_object_get(model, "findings"), i, x) {
		const char *sev = json_string_value(json_object_get(x, "severity"));
		if (sev && !strcmp(sev, "error"))
			in.sev[SEV_ERROR]++;
		else if (sev && !strcmp(sev, "warning"))
			in.sev[SEV_WARNING]++;
		else if (sev && !strcmp(sev, "info"))
			in.sev[SEV_INFO]++;
	}
	a = json_object_get(model, "effective");
	json_array_foreach (a, i, x) {
		const char *id = json_string_value(x);
		if (id)
			rc |= add_license(&in, s->db ? licensedb_get(s->db, id) : NULL, id);
	}
	if (!in.k[SUM_LICENSE].n)
		rc |= add_no_license(&in);
	json_array_foreach (json_object_get(model, "obligations"), i, x) {
		const char *kind = json_string_value(json_object_get(x, "kind"));
		/* a threshold with a text to display: as summary_add_report names it */
		if (kind && json_is_string(json_object_get(x, "text")) &&
		    (!strcmp(kind, "user-threshold") || !strcmp(kind, "revenue-threshold")))
			kind = SUMMARY_DISPLAY_TRIGGER;
		rc |= keys_add(&in.k[SUM_OBLIGATION], kind);
	}
	/* the lineage's first node is the model itself */
	json_array_foreach (json_object_get(json_object_get(model, "lineage"), "nodes"), i, x)
		if (i > 0 && i <= SUMMARY_MAX_ANCESTORS)
			rc |= keys_add(&in.k[SUM_BASE], json_string_value(json_object_get(x, "id")));
	if (rc)
		s->failed = 1;
	else
		rc = add_model(s, &in);
	model_in_release(&in);
	return rc ? -1 : 0;
}

size_t summary_models(const struct summary *s)
{
	return s ? s->models : 0;
}

size_t summary_verdict(const struct summary *s, enum verdict v)
{
	return s && (unsigned)v <= VERDICT_INCOMPLETE ? s->verdicts[v] : 0;
}

void summary_findings(const struct summary *s, size_t out[3])
{
	out[0] = s ? s->sev[0] : 0;
	out[1] = s ? s->sev[1] : 0;
	out[2] = s ? s->sev[2] : 0;
}

size_t summary_bases(const struct summary *s)
{
	return s ? s->t[SUM_BASE].n + s->dropped : 0;
}

int summary_failed(const struct summary *s)
{
	return !s || s->failed || s->dropped;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct summary_row *x = a, *y = b;

	if (x->models != y->models)
		return x->models > y->models ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_risk(const void *a, const void *b)
{
	const struct summary_row *x = a, *y = b;
	static const enum verdict order[] = { VERDICT_FAIL, VERDICT_INCOMPLETE, VERDICT_REVIEW };

	for (size_t i = 0; i < 3; i++)
		if (x->verdicts[order[i]] != y->verdicts[order[i]])
			return x->verdicts[order[i]] > y->verdicts[order[i]] ? -1 : 1;
	if (x->errors != y->errors)
		return x->errors > y->errors ? -1 : 1;
	return cmp_rows(a, b);
}

size_t summary_rows(struct summary *s, enum summary_table t, const struct summary_row **out)
{
	enum summary_table src = t == SUM_RISK ? SUM_BASE : t;
	struct table *tb;
	struct summary_row *v;
	size_t n = 0, max;

	*out = NULL;
	if (!s || (unsigned)t >= SUM__COUNT)
		return 0;
	tb = &s->t[src];
	free(s->view[t]);
	s->view[t] = NULL;
	if (!tb->n)
		return 0;
	/* a fresh sorted copy each time: rows of bases and risks share one table */
	if (!(v = malloc(tb->n * sizeof(*v)))) {
		s->failed = 1;
		return 0;
	}
	for (size_t i = 0; i < tb->n; i++) {
		const struct summary_row *r = &tb->v[i]->row;
		if (t == SUM_RISK && r->models == r->verdicts[VERDICT_PASS])
			continue;
		v[n++] = *r;
	}
	qsort(v, n, sizeof(*v), t == SUM_RISK ? cmp_risk : cmp_rows);
	max = t == SUM_BASE ? SUMMARY_TOP_BASES : t == SUM_RISK ? SUMMARY_TOP_RISKS : n;
	s->view[t] = v;
	*out = v;
	return n < max ? n : max;
}

static json_t *verdicts_json(const size_t v[4])
{
	return json_pack("{s:I, s:I, s:I, s:I}", "pass", (json_int_t)v[VERDICT_PASS], "review",
			 (json_int_t)v[VERDICT_REVIEW], "fail", (json_int_t)v[VERDICT_FAIL], "incomplete",
			 (json_int_t)v[VERDICT_INCOMPLETE]);
}

json_t *summary_json(struct summary *s)
{
	json_t *o, *a;
	int rc;

	if (!s || !(o = json_object()))
		return NULL;
	rc = 0;
	rc |= json_object_set_new(o, "models", json_integer((json_int_t)s->models));
	rc |= json_object_set_new(o, "verdicts", verdicts_json(s->verdicts));
	rc |= json_object_set_new(o, "findings", json_pack("{s:I, s:I, s:I}", "error", (json_int_t)s->sev[SEV_ERROR],
							     "warning", (json_int_t)s->sev[SEV_WARNING], "info",
							     (json_int_t)s->sev[SEV_INFO]));
	for (int t = 0; t < SUM__COUNT; t++) {
		const struct summary_row *r;
		size_t n = summary_rows(s, (enum summary_table)t, &r);
		if (t == SUM_BASE)
			rc |= json_object_set_new(o, "bases_total", json_integer((json_int_t)summary_bases(s)));
		rc |= json_object_set_new(o, table_names[t], a = json_array());
		for (size_t i = 0; a && i < n; i++)
			rc |= json_array_append_new(a, json_pack("{s:o, s:I, s:o, s:I}", "name", report_json_str(r[i].name), "models",
								  (json_int_t)r[i].models, "verdicts",
								  verdicts_json(r[i].verdicts), "errors",
								  (json_int_t)r[i].errors));
	}
	rc |= json_object_set_new(o, "complete", json_boolean(!summary_failed(s)));
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* name with control characters, bidirectional overrides and invalid UTF-8
 * replaced (base ids come from model cards). */
static void put_counts(FILE *out, const struct summary_row *r)
{
	static const enum verdict order[] = { VERDICT_FAIL, VERDICT_INCOMPLETE, VERDICT_REVIEW };
	int any = 0;

	for (size_t i = 0; i < 3; i++)
		if (r->verdicts[order[i]]) {
			fprintf(out, "%s%zu %s", any++ ? ", " : " (", r->verdicts[order[i]], verdict_name(order[i]));
		}
	if (any)
		fputc(')', out);
	if (r->errors)
		fprintf(out, "; %zu error finding%s", r->errors, r->errors == 1 ? "" : "s");
	fputc('\n', out);
}

int summary_write_text(struct summary *s, FILE *out)
{
	static const char *const titles[SUM__COUNT] = {
		"Licenses (models bound by each, own or inherited)",
		"License families",
		"License categories",
		"Obligations (models bound by each kind)",
		"Most used bases (models inheriting from each, any depth)",
		"Riskiest lineages (bases whose descendants fail most)",
	};
	size_t sev[3];

	if (!s)
		return -1;
	summary_findings(s, sev);
	fprintf(out, "Summary of %zu model%s: %zu pass, %zu review, %zu fail, %zu incomplete\n", s->models,
		s->models == 1 ? "" : "s", s->verdicts[VERDICT_PASS], s->verdicts[VERDICT_REVIEW],
		s->verdicts[VERDICT_FAIL], s->verdicts[VERDICT_INCOMPLETE]);
	fprintf(out, "  findings: %zu error, %zu warning, %zu info\n", sev[SEV_ERROR], sev[SEV_WARNING],
		sev[SEV_INFO]);
	for (int t = 0; t < SUM__COUNT; t++) {
		const struct summary_row *r;
		size_t n = summary_rows(s, (enum summary_table)t, &r);
		if (!n)
			continue;
		fprintf(out, "  %s", titles[t]);
		if (t == SUM_BASE)
			fprintf(out, ", %zu distinct", summary_bases(s));
		fputs(":\n", out);
		for (size_t i = 0; i < n; i++) {
			fprintf(out, "    %6zu  ", r[i].models);
			report_put_safe(out, r[i].name);
			put_counts(out, &r[i]);
		}
	}
	if (summary_failed(s))
		fputs("  (the summary is incomplete: out of memory or too many bases)\n", out);
	return ferror(out) ? -1 : 0;
}
