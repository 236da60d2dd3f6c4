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
};

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

/* jansson hands its output over in many tiny pieces (a key, a quote, a comma):
 * they are gathered here and written a block at a time, not one fwrite each. */
struct indent_out {
	FILE *out;
	int indent;
	int failed;
	size_t len;
	char block[32768];
};

static void flush_block(struct indent_out *io)
{
	if (io->len && fwrite(io->block, 1, io->len, io->out) != io->len)
		io->failed = 1;
	io->len = 0;
}

static void put_bytes(struct indent_out *io, const char *p, size_t n)
{
	if (n > sizeof(io->block) - io->len)
		flush_block(io);
	if (n > sizeof(io->block)) {
		if (fwrite(p, 1, n, io->out) != n)
			io->failed = 1;
		return;
	}
	memcpy(io->block + io->len, p, n);
	io->len += n;
}

/* jansson's output, each newline followed by the indent (JSON strings hold no raw
 * newline, so each '\n' starts a line). */
static int put_chunk(const char *buf, size_t size, void *data)
{
	static const char spaces[] = "                ";
	struct indent_out *io = data;

	while (size) {
		const char *nl = memchr(buf, '\n', size);
		size_t n = nl ? (size_t)(nl - buf) + 1 : size;
		put_bytes(io, buf, n);
		if (nl)
			put_bytes(io, spaces, (size_t)io->indent);
		buf += n;
		size -= n;
	}
	return io->failed ? -1 : 0;
}

/* Write j as JSON indented by 2, every line after the first shifted right by
 * indent (at most 16) spaces, straight to out. */
static int put_json(FILE *out, json_t *j, int indent)
{
	struct indent_out *io;
	int rc;

	if (!j || !(io = malloc(sizeof(*io))))
		return -1;
	io->out = out;
	io->indent = indent;
	io->failed = 0;
	io->len = 0;
	rc = json_dump_callback(j, put_chunk, io, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	flush_block(io);
	rc = rc || io->failed ? -1 : 0;
	free(io);
	return rc;
}

/* Strings from model repos may not be UTF-8: never a silently missing field. */
static json_t *jstr(const char *s)
{
	return report_json_str(s);
}

static json_t *jwhere(const char *file, int line, const char *field)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", jstr(file && *file ? file : NULL));
	json_object_set_new(o, "line", line > 0 ? json_integer(line) : json_null());
	if (field)
		json_object_set_new(o, "field", jstr(field));
	return o;
}

static json_t *lic_ref(const struct licdef *l)
{
	return l ? jstr(l->id) : json_null();
}

static int j_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct jw *j = calloc(1, sizeof(*j));
	json_t *tool;
	int rc;

	w->ctx = ctx;
	w->impl = j;
	if (!j)
		return -1;
	j->sum = summary_new(ctx->db); /* NULL: the report fails at its end */
	tool = json_pack("{s:s, s:s}", "name", "lictrace", "version", ctx->version ? ctx->version : "0");
	fputs("{\n  \"tool\": ", ctx->out);
	rc = put_json(ctx->out, tool, 2);
	json_decref(tool);
	if (ctx->jurisdiction) {
		json_t *js = jstr(ctx->jurisdiction);
		fputs(",\n  \"jurisdiction\": ", ctx->out);
		rc |= put_json(ctx->out, js, 2);
		json_decref(js);
	}
	fputs(",\n  \"models\": [", ctx->out);
	j->failed = rc != 0;
	return rc;
}

static json_t *lineage(const struct model_report *m)
{
	json_t *nodes = json_array(), *edges = json_array(), *o = json_object();
	const struct lnode *all[1 + 4096];
	size_t n = 0;

	all[n++] = m->node;
	for (size_t i = 0; i < m->nanc && n < 4097; i++)
		all[n++] = m->anc[i].node;
	for (size_t i = 0; i < n; i++) {
		const struct lnode *x = all[i];
		json_t *jn = json_object(), *ls = json_array();
		const struct licdef *l[64];
		size_t k = x->rec ? record_licenses(x->rec, l, 64) : 0;
		const char *status = report_node_status(x, i == 0);
		for (size_t j = 0; j < k; j++)
			json_array_append_new(ls, jstr(l[j]->id));
		json_object_set_new(jn, "id", jstr(x->id));
		json_object_set_new(jn, "revision", jstr(x->rec && x->rec->revision ? x->rec->revision : x->rev));
		json_object_set_new(jn, "status", jstr(status));
		json_object_set_new(jn, "licenses", ls);
		json_object_set_new(jn, "source", jstr(x->rec ? x->rec->source_kind : NULL));
		if (x->error)
			json_object_set_new(jn, "error", jstr(x->error));
		json_array_append_new(nodes, jn);
		for (size_t e = 0; e < x->nparents; e++) {
			json_t *je = json_object();
			const struct ledge *ed = &x->parents[e];
			json_object_set_new(je, "from", jstr(x->id));
			json_object_set_new(je, "to", jstr(ed->to->id));
			json_object_set_new(je, "relation", jstr(ed->p ? ed->p->relation : NULL));
			json_object_set_new(je, "inferred", json_boolean(ed->p && ed->p->inferred));
			json_object_set_new(je, "cycle", json_boolean(ed->closes_cycle));
			if (ed->p)
				json_object_set_new(je, "evidence", jwhere(ed->p->at.file, ed->p->at.line, ed->p->at.field));
			json_array_append_new(edges, je);
		}
	}
	json_object_set_new(o, "nodes", nodes);
	json_object_set_new(o, "edges", edges);
	return o;
}

static int j_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct jw *j = w->impl;
	const struct model_record *r = m->node->rec;
	json_t *o = json_object(), *a;
	char *target;

	(void)g;
	if (summary_add_report(j->sum, m))
		j->failed = 1;
	json_object_set_new(o, "id", jstr(m->node->id));
	target = report_redact(r->target); /* no credentials of a URL target */
	json_object_set_new(o, "source", json_pack("{s:o, s:o}", "kind", jstr(r->source_kind), "target", jstr(target)));
	free(target);
	json_object_set_new(o, "revision", jstr(r->revision));
	json_object_set_new(o, "name", json_pack("{s:o, s:o}", "value", jstr(r->name), "from", jstr(r->name_from)));
	json_object_set_new(o, "owner", json_pack("{s:o, s:o}", "value", jstr(r->owner), "from", jstr(r->owner_from)));

	a = json_array();
	for (size_t i = 0; i < r->ndeclared; i++) {
		const struct declared *d = &r->declared[i];
		json_t *x = json_object();
		json_object_set_new(x, "value", jstr(d->value));
		json_object_set_new(x, "license", lic_ref(d->lic));
		json_object_set_new(x, "spdx", d->lic ? jstr(report_spdx(d->lic)) : json_null());
		json_object_set_new(x, "evidence", jwhere(d->at.file, d->at.line, d->at.field));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "declared", a);

	a = json_array();
	for (size_t i = 0; i < r->ndetected; i++) {
		const struct detected *d = &r->detected[i];
		json_t *x = json_object();
		json_object_set_new(x, "license", lic_ref(d->lic));
		json_object_set_new(x, "spdx", jstr(report_spdx(d->lic)));
		json_object_set_new(x, "kind", jstr(d->kind == RULE_POLICY ? "policy" : d->kind == RULE_NOTICE ? "notice" : "license"));
		json_object_set_new(x, "confidence", json_real(d->confidence));
		json_object_set_new(x, "rule", jstr(d->rule));
		json_object_set_new(x, "third_party", json_boolean(d->third_party));
		json_object_set_new(x, "evidence", jwhere(d->at.file, d->at.line, NULL));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "detected", a);

	a = json_array();
	for (size_t i = 0; i < r->nexamined; i++) {
		const struct examined *e = &r->examined[i];
		json_t *x = json_pack("{s:o, s:o, s:I, s:o}", "path", jstr(e->path), "role", jstr(e->role),
				      "size", (json_int_t)e->size, "read", jstr(e->what ? e->what : ""));
		if (x && e->lfs_pointer)
			json_object_set_new(x, "lfs", json_pack("{s:o, s:I}", "oid", jstr(e->lfs_oid),
								 "size", (json_int_t)e->lfs_size));
		if (x)
			json_array_append_new(a, x);
	}
	json_object_set_new(o, "files", a);

	/* effective: every license binding the model (own and inherited) */
	a = json_array();
	for (size_t i = 0; i < m->neffective; i++)
		json_array_append_new(a, jstr(m->effective[i]->id));
	json_object_set_new(o, "effective", a);

	a = json_array();
	for (size_t i = 0; i < r->nparents; i++) {
		const struct parent *p = &r->parents[i];
		json_t *x = json_object();
		json_object_set_new(x, "id", jstr(p->id));
		json_object_set_new(x, "relation", jstr(p->relation));
		json_object_set_new(x, "inferred", json_boolean(p->inferred));
		json_object_set_new(x, "local_path", json_boolean(p->local_path));
		if (p->revision)
			json_object_set_new(x, "revision", jstr(p->revision));
		json_object_set_new(x, "evidence", jwhere(p->at.file, p->at.line, p->at.field));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "parents", a);
	json_object_set_new(o, "lineage", lineage(m));

	a = json_array();
	for (size_t i = 0; i < m->ob.n; i++) {
		const struct eff_ob *e = &m->ob.v[i];
		json_t *x = json_object();
		json_object_set_new(x, "kind", jstr(ob_kind_name(e->ob->kind)));
		json_object_set_new(x, "license", jstr(e->lic->id));
		if (e->ob->text)
			json_object_set_new(x, "text", jstr(e->ob->text));
		if (e->ob->url)
			json_object_set_new(x, "url", jstr(e->ob->url));
		if (e->ob->value)
			json_object_set_new(x, "value", json_integer((json_int_t)e->ob->value));
		if (e->ob->period)
			json_object_set_new(x, "period", jstr(e->ob->period));
		if (e->ob->territories.n) {
			json_t *t = json_array();
			for (size_t k = 0; k < e->ob->territories.n; k++)
				json_array_append_new(t, jstr(e->ob->territories.v[k]));
			json_object_set_new(x, "territories", t);
			json_object_set_new(x, "scope", jstr(e->ob->scope ? e->ob->scope : "all"));
		}
		json_object_set_new(x, "from", jstr(e->model));
		json_object_set_new(x, "inherited", json_boolean(!e->self));
		json_object_set_new(x, "chain", jstr(e->chain));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "obligations", a);

	a = json_array();
	for (size_t i = 0; i < m->nf; i++) {
		const struct finding *f = &m->f[i];
		json_t *x = json_object();
		json_object_set_new(x, "id", jstr(f->def->id));
		json_object_set_new(x, "severity", jstr(severity_name(f->severity)));
		json_object_set_new(x, "message", jstr(f->message));
		json_object_set_new(x, "subject", jstr(f->subject));
		json_object_set_new(x, "evidence", jwhere(f->file, f->line, NULL));
		json_object_set_new(x, "chain", jstr(f->chain));
		json_object_set_new(x, "incomplete", json_boolean(f->incomplete));
		json_object_set_new(x, "exception", jstr(f->exception));
		json_array_append_new(a, x);
		if (kind_use(j, f->def))
			j->failed = 1;
	}
	json_object_set_new(o, "findings", a);
	json_object_set_new(o, "verdict", jstr(verdict_name(m->verdict)));
	if (m->assessment) /* the pre-adoption answer, only when a profile was given */
		json_object_set_new(o, "assessment", report_assessment_json(m->assessment));
	if (m->aiact) /* the EU AI Act view, only with an EU or EEA jurisdiction */
		json_object_set_new(o, "ai_act", report_aiact_json(m->aiact));
	if (m->ndatasets) { /* the training data named along the lineage */
		a = json_array();
		for (size_t i = 0; i < m->ndatasets; i++) {
			const struct report_dataset *d = &m->datasets[i];
			json_t *l = json_array();
			for (size_t k = 0; k < d->nlics; k++)
				json_array_append_new(l, jstr(d->lics[k]->id));
			json_array_append_new(
				a, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id", jstr(d->ds->id), "via",
					     jstr(d->via), "status", jstr(report_dataset_status(d)),
					     "licenses", l, "source",
					     jstr(d->ds->rec ? d->ds->rec->source_kind : NULL), "error",
					     jstr(d->ds->error)));
		}
		json_object_set_new(o, "datasets", a);
	}
	fputs(j->nmodels++ ? ",\n    " : "\n    ", w->ctx->out);
	if (put_json(w->ctx->out, o, 4))
		j->failed = 1;
	json_decref(o);
	return j->failed ? -1 : 0;
}

/* A model already in its JSON form (a resumed audit's earlier runs). */
static int j_model_json(struct report_writer *w, const json_t *o)
{
	struct jw *j = w->impl;
	json_t *f;
	size_t i;

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
	fputs(j->nmodels++ ? ",\n    " : "\n    ", w->ctx->out);
	if (put_json(w->ctx->out, (json_t *)o, 4))
		j->failed = 1;
	return j->failed ? -1 : 0;
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
	json_t *kinds = finding_kinds(j);

	json_t *sum = summary_json(j->sum);

	fputs(j->nmodels ? "\n  ],\n" : "],\n", out);
	/* the digest of every model: after them, since they are streamed */
	fputs("  \"summary\": ", out);
	if (put_json(out, sum, 2))
		j->failed = 1;
	json_decref(sum);
	fputs(",\n  \"finding_kinds\": ", out);
	if (put_json(out, kinds, 2))
		j->failed = 1;
	json_decref(kinds);
	fputs(",\n", out);
	fprintf(out, "  \"verdict\": \"%s\"\n}\n", verdict_name(overall));
	return j->failed || ferror(out) ? -1 : 0;
}

static void j_free(struct report_writer *w)
{
	struct jw *j = w->impl;

	if (j) {
		summary_free(j->sum);
		free(j->kinds);
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
