/*
 * w_json.c - the JSON report (schema in docs/REPORT.md), built with jansson:
 * {"tool", "verdict", "models": [{"id", "source", "revision", "declared",
 * "detected", "effective", "parents", "lineage", "obligations", "findings",
 * "verdict"}], "summary", "finding_kinds", "verdict"}. A finding carries what is
 * its own (id, severity, message, subject, evidence, chain, ...); the text
 * constant for its kind (title, why, fix, help) is written once, in
 * "finding_kinds" after the models (only the kinds used), not once per model.
 * Streamed: begin writes the head, each model is written as it comes (built as
 * one small tree, then freed), end closes the list and adds the summary
 * (summary.h, a digest filled model by model), the kinds and the overall
 * verdict, so nothing holds the whole report (an audit of 100,000 models writes
 * gigabytes). The overall verdict therefore follows the models. A run that dies
 * midway leaves a document without its end: no verdict, not valid JSON, never a
 * partial report that parses as complete.
 */
#include "report.h"
#include "aiact_view.h"
#include "findings/datasets.h"
#include "lineage/datasets.h"
#include "assessment.h"
#include "summary.h"
#include "jstream.h"
#include "core/str.h"
#include "record/record.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct jw {
	size_t nmodels;
	struct summary *sum; /* the digest written at the end */
	int failed; /* a write or an allocation failed: end() reports it */
	/* the finding kinds used so far, in order of first use: their constant text
	 * (title, why, fix) is written once, in "finding_kinds" at the end */
	const struct finding_def **kinds;
	size_t nkinds, kcap;
	struct jstream *js; /* each model is written through it */
	int compact; /* ctx->compact_json: one line a model, no indentation */
};

/* The pretty or the compact spelling of a fixed piece of the layout. */
static const char *lay(const struct jw *j, const char *pretty, const char *compact)
{
	return j->compact ? compact : pretty;
}

/* put_json's indent argument for j's layout. */
static int ind(const struct jw *j, int indent)
{
	return j->compact ? JSTREAM_COMPACT : indent;
}

/* Remember def as used; -1 when out of memory. */
static int kind_use(struct jw *j, const struct finding_def *def)
{
	for (size_t i = j->nkinds; i-- > 0;)
		if (j->kinds[i] == def)
			return 0;
	if (j->nkinds == j->kcap) {
		size_t cap = j->kcap ? 2 * j->kcap : 32;
		const struct finding_def **v = realloc(j->kinds, cap * sizeof(*v));
		if (!v)
			return -1;
		j->kinds = v;
		j->kcap = cap;
	}
	j->kinds[j->nkinds++] = def;
	return 0;
}

/* Write j as JSON indented by 2, every line after the first shifted right by
 * indent spaces, straight to out. */
static int put_json(FILE *out, json_t *j, int indent)
{
	struct jstream *js;
	int rc;

	if (!j || !(js = malloc(sizeof(*js))))
		return -1;
	jstream_init(js, out, indent);
	jstream_json(js, j);
	rc = jstream_flush(js);
	free(js);
	return rc;
}

/* Strings from model repos may not be UTF-8: never a silently missing field. */
static json_t *jstr(const char *s)
{
	return report_json_str(s);
}

/* The helpers below take a member name as a string literal (JSTREAM_KEY_LIT):
 * kstr(js, "name", value) is kstr_(js, "\"name\": ", 8, value). */
#define kstr(js, key, s) kstr_((js), JSTREAM_QUOTED(key), sizeof(JSTREAM_QUOTED(key)) - 1, (s))
#define kbool(js, key, v) kbool_((js), JSTREAM_QUOTED(key), sizeof(JSTREAM_QUOTED(key)) - 1, (v))
#define kwhere(js, key, ...) kwhere_((js), JSTREAM_QUOTED(key), sizeof(JSTREAM_QUOTED(key)) - 1, __VA_ARGS__)
#define kvalue_from(js, key, ...) \
	kvalue_from_((js), JSTREAM_QUOTED(key), sizeof(JSTREAM_QUOTED(key)) - 1, __VA_ARGS__)
#define ktree(js, key, ...) ktree_((js), JSTREAM_QUOTED(key), sizeof(JSTREAM_QUOTED(key)) - 1, __VA_ARGS__)

/* inlined where called, so each name's length is a constant there */
#define KEY_HELPER static inline __attribute__((always_inline))

/* "key": "s" (null when s is NULL) */
KEY_HELPER void kstr_(struct jstream *js, const char *key, size_t n, const char *s)
{
	jstream_keyn_plain(js, key, n);
	jstream_str(js, s);
}

KEY_HELPER void kbool_(struct jstream *js, const char *key, size_t n, int v)
{
	jstream_keyn_plain(js, key, n);
	jstream_bool(js, v);
}

/* {"file", "line", "field"} as the value of key */
KEY_HELPER void kwhere_(struct jstream *js, const char *key, size_t n, const char *file, int line,
			const char *field)
{
	jstream_keyn_plain(js, key, n);
	jstream_open(js, 0);
	kstr(js, "file", file && *file ? file : NULL);
	JSTREAM_KEY_LIT(js, "line");
	if (line > 0)
		jstream_int(js, line);
	else
		jstream_null(js);
	if (field)
		kstr(js, "field", field);
	jstream_close(js);
}

/* {"value", "from"} as the value of key */
KEY_HELPER void kvalue_from_(struct jstream *js, const char *key, size_t n, const char *value,
			     const char *from)
{
	jstream_keyn_plain(js, key, n);
	jstream_open(js, 0);
	kstr(js, "value", value);
	kstr(js, "from", from);
	jstream_close(js);
}

static const char *lic_id(const struct licdef *l)
{
	return l ? l->id : NULL;
}

static int j_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct jw *j = calloc(1, sizeof(*j));
	json_t *tool;
	int rc;

	w->ctx = ctx;
	w->impl = j;
	if (!j || !(j->js = malloc(sizeof(*j->js))))
		return -1;
	j->sum = summary_new(ctx->db); /* NULL: the report fails at its end */
	j->compact = ctx->compact_json;
	tool = json_pack("{s:s, s:s}", "name", "lictrace", "version", ctx->version ? ctx->version : "0");
	fputs(lay(j, "{\n  \"tool\": ", "{\"tool\":"), ctx->out);
	rc = put_json(ctx->out, tool, ind(j, 2));
	json_decref(tool);
	if (ctx->jurisdiction) {
		json_t *js = jstr(ctx->jurisdiction);
		fputs(lay(j, ",\n  \"jurisdiction\": ", ",\"jurisdiction\":"), ctx->out);
		rc |= put_json(ctx->out, js, ind(j, 2));
		json_decref(js);
	}
	fputs(lay(j, ",\n  \"models\": [", ",\"models\":["), ctx->out);
	/* the models go through one block, flushed when full and at the end */
	jstream_init(j->js, ctx->out, ind(j, 4));
	j->failed = rc != 0;
	return rc;
}

static void lineage(struct jstream *js, const struct model_report *m)
{
	const struct lnode *all[1 + 4096];
	size_t n = 0;

	all[n++] = m->node;
	for (size_t i = 0; i < m->nanc && n < 4097; i++)
		all[n++] = m->anc[i].node;
	JSTREAM_KEY_LIT(js, "lineage");
	jstream_open(js, 0);
	JSTREAM_KEY_LIT(js, "nodes");
	jstream_open(js, 1);
	for (size_t i = 0; i < n; i++) {
		const struct lnode *x = all[i];
		const struct licdef *l[64];
		size_t k = x->rec ? record_licenses(x->rec, l, 64) : 0;

		jstream_open(js, 0);
		kstr(js, "id", x->id);
		kstr(js, "revision", x->rec && x->rec->revision ? x->rec->revision : x->rev);
		kstr(js, "status", report_node_status(x, i == 0));
		JSTREAM_KEY_LIT(js, "licenses");
		jstream_open(js, 1);
		for (size_t j = 0; j < k; j++)
			jstream_str(js, l[j]->id);
		jstream_close(js);
		kstr(js, "source", x->rec ? x->rec->source_kind : NULL);
		if (x->error)
			kstr(js, "error", x->error);
		jstream_close(js);
	}
	jstream_close(js);
	JSTREAM_KEY_LIT(js, "edges");
	jstream_open(js, 1);
	for (size_t i = 0; i < n; i++) {
		const struct lnode *x = all[i];
		for (size_t e = 0; e < x->nparents; e++) {
			const struct ledge *ed = &x->parents[e];
			jstream_open(js, 0);
			kstr(js, "from", x->id);
			kstr(js, "to", ed->to->id);
			kstr(js, "relation", ed->p ? ed->p->relation : NULL);
			kbool(js, "inferred", ed->p && ed->p->inferred);
			kbool(js, "cycle", ed->closes_cycle);
			if (ed->p)
				kwhere(js, "evidence", ed->p->at.file, ed->p->at.line, ed->p->at.field);
			jstream_close(js);
		}
	}
	jstream_close(js);
	jstream_close(js);
}

/* A jansson value built elsewhere (the assessment, the AI Act view) as the
 * value of key (taken over); a failure when it could not be built. */
KEY_HELPER void ktree_(struct jstream *js, const char *key, size_t n, json_t *v)
{
	if (!v) {
		js->failed = 1;
		return;
	}
	jstream_keyn_plain(js, key, n);
	jstream_json(js, v);
	json_decref(v);
}

static void obligations(struct jstream *js, const struct model_report *m)
{
	JSTREAM_KEY_LIT(js, "obligations");
	jstream_open(js, 1);
	for (size_t i = 0; i < m->ob.n; i++) {
		const struct eff_ob *e = &m->ob.v[i];
		jstream_open(js, 0);
		kstr(js, "kind", ob_kind_name(e->ob->kind));
		kstr(js, "license", e->lic->id);
		if (e->ob->text)
			kstr(js, "text", e->ob->text);
		if (e->ob->url)
			kstr(js, "url", e->ob->url);
		if (e->ob->value) {
			JSTREAM_KEY_LIT(js, "value");
			jstream_int(js, (long long)e->ob->value);
		}
		if (e->ob->period)
			kstr(js, "period", e->ob->period);
		if (e->ob->territories.n) {
			JSTREAM_KEY_LIT(js, "territories");
			jstream_open(js, 1);
			for (size_t k = 0; k < e->ob->territories.n; k++)
				jstream_str(js, e->ob->territories.v[k]);
			jstream_close(js);
			kstr(js, "scope", e->ob->scope ? e->ob->scope : "all");
		}
		kstr(js, "from", e->model);
		kbool(js, "inherited", !e->self);
		kstr(js, "chain", e->chain);
		jstream_close(js);
	}
	jstream_close(js);
}

static void datasets(struct jstream *js, const struct model_report *m)
{
	JSTREAM_KEY_LIT(js, "datasets");
	jstream_open(js, 1);
	for (size_t i = 0; i < m->ndatasets; i++) {
		const struct report_dataset *d = &m->datasets[i];
		jstream_open(js, 0);
		kstr(js, "id", d->ds->id);
		kstr(js, "via", d->via);
		kstr(js, "status", report_dataset_status(d));
		JSTREAM_KEY_LIT(js, "licenses");
		jstream_open(js, 1);
		for (size_t k = 0; k < d->nlics; k++)
			jstream_str(js, d->lics[k]->id);
		jstream_close(js);
		kstr(js, "source", d->ds->rec ? d->ds->rec->source_kind : NULL);
		kstr(js, "error", d->ds->error);
		jstream_close(js);
	}
	jstream_close(js);
}

/* One model, written as it is walked: no tree is built (an audit writes tens of
 * kilobytes a model, and building then freeing each model's tree cost more than
 * the rest of the run). The layout is jansson's, as in every other part. */
static int j_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct jw *j = w->impl;
	struct jstream *js = j ? j->js : NULL;
	const struct model_record *r = m->node->rec;
	char *target;

	if (!js) /* begin ran out of memory */
		return -1;
	(void)g;
	if (summary_add_report(j->sum, m))
		j->failed = 1;
	if (j->nmodels++)
		jstream_raw(js, ",", 1);
	jstream_raw(js, "\n    ", j->compact ? 1 : 5);
	if (w->model_tap && j->compact)
		jstream_tap(js, w->model_tap);
	jstream_open(js, 0);
	kstr(js, "id", m->node->id);
	target = report_redact(r->target); /* no credentials of a URL target */
	JSTREAM_KEY_LIT(js, "source");
	jstream_open(js, 0);
	kstr(js, "kind", r->source_kind);
	kstr(js, "target", target);
	jstream_close(js);
	free(target);
	kstr(js, "revision", r->revision);
	kvalue_from(js, "name", r->name, r->name_from);
	kvalue_from(js, "owner", r->owner, r->owner_from);

	JSTREAM_KEY_LIT(js, "declared");
	jstream_open(js, 1);
	for (size_t i = 0; i < r->ndeclared; i++) {
		const struct declared *d = &r->declared[i];
		jstream_open(js, 0);
		kstr(js, "value", d->value);
		kstr(js, "license", lic_id(d->lic));
		kstr(js, "spdx", d->lic ? report_spdx(d->lic) : NULL);
		kwhere(js, "evidence", d->at.file, d->at.line, d->at.field);
		jstream_close(js);
	}
	jstream_close(js);

	JSTREAM_KEY_LIT(js, "detected");
	jstream_open(js, 1);
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct detected *d = &r->detected[i];
		jstream_open(js, 0);
		kstr(js, "license", lic_id(d->lic));
		kstr(js, "spdx", report_spdx(d->lic));
		kstr(js, "kind", d->kind == RULE_POLICY ? "policy" : d->kind == RULE_NOTICE ? "notice" : "license");
		JSTREAM_KEY_LIT(js, "confidence");
		jstream_real(js, d->confidence);
		kstr(js, "rule", d->rule);
		kbool(js, "third_party", d->third_party);
		kwhere(js, "evidence", d->at.file, d->at.line, NULL);
		jstream_close(js);
	}
	jstream_close(js);

	JSTREAM_KEY_LIT(js, "files");
	jstream_open(js, 1);
	for (size_t i = 0; i < r->nexamined; i++) {
		const struct examined *e = &r->examined[i];
		jstream_open(js, 0);
		kstr(js, "path", e->path);
		kstr(js, "role", e->role);
		JSTREAM_KEY_LIT(js, "size");
		jstream_int(js, (long long)e->size);
		kstr(js, "read", e->what ? e->what : "");
		if (e->lfs_pointer) {
			JSTREAM_KEY_LIT(js, "lfs");
			jstream_open(js, 0);
			kstr(js, "oid", e->lfs_oid);
			JSTREAM_KEY_LIT(js, "size");
			jstream_int(js, (long long)e->lfs_size);
			jstream_close(js);
		}
		jstream_close(js);
	}
	jstream_close(js);

	/* effective: every license binding the model (own and inherited) */
	JSTREAM_KEY_LIT(js, "effective");
	jstream_open(js, 1);
	for (size_t i = 0; i < m->neffective; i++)
		jstream_str(js, m->effective[i]->id);
	jstream_close(js);

	JSTREAM_KEY_LIT(js, "parents");
	jstream_open(js, 1);
	for (size_t i = 0; i < r->nparents; i++) {
		const struct parent *p = &r->parents[i];
		jstream_open(js, 0);
		kstr(js, "id", p->id);
		kstr(js, "relation", p->relation);
		kbool(js, "inferred", p->inferred);
		kbool(js, "local_path", p->local_path);
		if (p->revision)
			kstr(js, "revision", p->revision);
		kwhere(js, "evidence", p->at.file, p->at.line, p->at.field);
		jstream_close(js);
	}
	jstream_close(js);
	lineage(js, m);
	obligations(js, m);

	JSTREAM_KEY_LIT(js, "findings");
	jstream_open(js, 1);
	for (size_t i = 0; i < m->nf; i++) {
		const struct finding *f = &m->f[i];
		jstream_open(js, 0);
		kstr(js, "id", f->def->id);
		kstr(js, "severity", severity_name(f->severity));
		kstr(js, "message", f->message);
		kstr(js, "subject", f->subject);
		kwhere(js, "evidence", f->file, f->line, NULL);
		kstr(js, "chain", f->chain);
		kbool(js, "incomplete", f->incomplete);
		kstr(js, "exception", f->exception);
		jstream_close(js);
		if (kind_use(j, f->def))
			j->failed = 1;
	}
	jstream_close(js);
	kstr(js, "verdict", verdict_name(m->verdict));
	if (m->assessment) /* the pre-adoption answer, only when a profile was given */
		ktree(js, "assessment", report_assessment_json(m->assessment));
	if (m->aiact) /* the EU AI Act view, only with an EU or EEA jurisdiction */
		ktree(js, "ai_act", report_aiact_json(m->aiact));
	if (m->ndatasets) /* the training data named along the lineage */
		datasets(js, m);
	jstream_close(js);
	if (w->model_tap && j->compact)
		jstream_tap(js, NULL);
	return j->failed || js->failed ? -1 : 0;
}

/* A model already in its JSON form (a resumed audit's earlier runs). */
static int j_model_json(struct report_writer *w, const json_t *o, const char *text, size_t len)
{
	struct jw *j = w->impl;
	json_t *f;
	size_t i;

	if (!j || !j->js)
		return -1;
	/* counted in the summary like a model scanned now, its finding kinds explained */
	if (summary_add_json(j->sum, o))
		j->failed = 1;
	json_array_foreach(json_object_get(o, "findings"), i, f) {
		const struct finding_def *d =
			licensedb_finding(w->ctx->db, json_string_value(json_object_get(f, "id")) ?
							      json_string_value(json_object_get(f, "id")) : "");
		if (d && kind_use(j, d))
			j->failed = 1;
	}
	if (j->nmodels++)
		jstream_raw(j->js, ",", 1);
	jstream_raw(j->js, "\n    ", j->compact ? 1 : 5);
	if (text && len && j->compact)
		jstream_raw(j->js, text, len); /* the same bytes jstream_json would write */
	else
		jstream_json(j->js, o);
	return j->failed || j->js->failed ? -1 : 0;
}

/* {"<id>": {"title", "severity" (the default), "why", "fix", "help"}} for every
 * finding kind the models used, in order of first use. */
static json_t *finding_kinds(const struct jw *j)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < j->nkinds; i++) {
		const struct finding_def *d = j->kinds[i];
		char *help = lt_asprintf("%s#%s", REPORT_FINDINGS_URI, d->id);
		json_t *k = json_object();
		json_object_set_new(k, "title", jstr(d->title));
		json_object_set_new(k, "severity", jstr(severity_name(d->severity)));
		json_object_set_new(k, "why", jstr(d->why));
		json_object_set_new(k, "fix", jstr(d->fix));
		json_object_set_new(k, "help", jstr(help));
		free(help);
		if (json_object_set_new(o, d->id, k)) {
			json_decref(o);
			o = NULL;
		}
	}
	return o;
}

static int j_end(struct report_writer *w, enum verdict overall)
{
	struct jw *j = w->impl;
	FILE *out = w->ctx->out;
	json_t *kinds, *sum;

	if (!j || !j->js)
		return -1;
	kinds = finding_kinds(j);
	sum = summary_json(j->sum);
	if (jstream_flush(j->js)) /* the last models */
		j->failed = 1;
	if (j->nmodels)
		fputs(lay(j, "\n  ", "\n"), out);
	fputs(lay(j, "],\n", "],"), out);
	/* the digest of every model: after them, since they are streamed */
	fputs(lay(j, "  \"summary\": ", "\"summary\":"), out);
	if (put_json(out, sum, ind(j, 2)))
		j->failed = 1;
	json_decref(sum);
	fputs(lay(j, ",\n  \"finding_kinds\": ", ",\"finding_kinds\":"), out);
	if (put_json(out, kinds, ind(j, 2)))
		j->failed = 1;
	json_decref(kinds);
	if (j->compact)
		fprintf(out, ",\"verdict\":\"%s\"}\n", verdict_name(overall));
	else
		fprintf(out, ",\n  \"verdict\": \"%s\"\n}\n", verdict_name(overall));
	return j->failed || ferror(out) ? -1 : 0;
}

static void j_free(struct report_writer *w)
{
	struct jw *j = w->impl;

	if (j) {
		summary_free(j->sum);
		free(j->kinds);
		free(j->js);
	}
	free(j);
}

struct report_writer *report_json_new(void)
{
	struct report_writer *w = report_writer_make("json", j_begin, j_model, j_end, j_free);

	if (w)
		w->model_json = j_model_json;
	return w;
}
