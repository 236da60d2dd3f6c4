/*
 * w_cyclonedx.c - a CycloneDX 1.6 JSON BOM of the scanned models and their
 * ancestors. One component (type machine-learning-model) per graph node, once
 * however many scanned models share it; name = model id, version = revision,
 * licenses as SPDX ids (or by name for LicenseRef- and unknown ones), the direct
 * parents as pedigree.ancestors and again in dependencies, lictrace's verdict and
 * finding counts as properties. A scanned model lists what its card declares
 * (acknowledgement declared) and every license binding it, inherited ones
 * included (concluded), and its obligations as properties; a BOM of one
 * scanned model has it as metadata.component; a BOM of several carries the
 * inventory's summary (summary.h) as metadata properties lictrace:summary:*.
 * Built with jansson and written once, at end.
 */
#include "report.h"
#include "summary.h"
#include "findings/aiact.h"
#include "core/buf.h"
#include "core/str.h"
#include "record/record.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct cdx {
	json_t *components;
	json_t *deps;
	json_t *index;   /* node key -> index in components (private: keys unchecked) */
	size_t nscanned;
	const char *first; /* bom-ref of the first scanned model (borrowed from components) */
	struct summary *sum; /* metadata properties lictrace:summary:*, with several models */
};

static json_t *jstr(const char *s)
{
	return report_json_str(s);
}

static void prop(json_t *props, const char *name, json_t *value)
{
	json_t *p = json_object();

	json_object_set_new(p, "name", json_string(name));
	json_object_set_new(p, "value", value);
	json_array_append_new(props, p);
}

static void prop_count(json_t *props, const char *name, size_t n)
{
	char v[32];

	snprintf(v, sizeof(v), "%zu", n);
	prop(props, name, json_string(v));
}

/* Name, version and purl: what identifies a model, here and in pedigree. */
static json_t *identity(const struct lnode *n)
{
	json_t *c = json_object();
	const char *rev = report_node_rev(n);
	char *p = report_purl(n);

	json_object_set_new(c, "type", json_string("machine-learning-model"));
	json_object_set_new(c, "name", jstr(n->id));
	if (rev)
		json_object_set_new(c, "version", jstr(rev));
	if (p)
		json_object_set_new(c, "purl", jstr(p));
	free(p);
	return c;
}

/* An SPDX list id goes in license.id; LicenseRef-, NOASSERTION, families and
 * unknown licenses are not on the SPDX list and go by name. */
static json_t *license_of(const struct licdef *l, int declared)
{
	json_t *lic = json_object();

	if (l->spdx && strncmp(l->spdx, "LicenseRef-", 11) != 0 && strcmp(l->spdx, "NOASSERTION") != 0 &&
	    l->category != CAT_FAMILY && l->category != CAT_UNKNOWN)
		json_object_set_new(lic, "id", jstr(l->spdx));
	else
		json_object_set_new(lic, "name", jstr(l->name ? l->name : l->id));
	if (l->url)
		json_object_set_new(lic, "url", jstr(l->url));
	json_object_set_new(lic, "acknowledgement", json_string(declared ? "declared" : "concluded"));
	return json_pack("{s:o}", "license", lic);
}

/* The card's license_link when it is a web address (credentials removed),
 * else NULL; caller frees. */
static char *link_url(const struct model_record *r)
{
	if (!r->license_link || (strncmp(r->license_link, "https://", 8) && strncmp(r->license_link, "http://", 7)))
		return NULL;
	return report_redact(r->license_link);
}

/* `license: other` beside a `license_name`: the name is the license, "other"
 * only says it is not on the Hub's list. */
static int other_named(const struct model_record *r, const struct licdef *l)
{
	return l && !strcmp(l->id, "other") && r->has_license_name;
}

/* A license lictrace does not know, by the name the card gives it (with the
 * card's license_link when that names it). */
static json_t *license_named(const struct model_record *r, const struct declared *d, const char *ack)
{
	json_t *lic = json_object();
	char *url = d->at.field && !strcmp(d->at.field, "license_name") ? link_url(r) : NULL;

	json_object_set_new(lic, "name", jstr(d->value));
	if (url)
		json_object_set_new(lic, "url", jstr(url));
	free(url);
	json_object_set_new(lic, "acknowledgement", json_string(ack));
	return json_pack("{s:o}", "license", lic);
}

/* Card fields that only echo a weight file's metadata are not declarations. */
static int weights_field(const struct declared *d)
{
	const char *field = d->at.field ? d->at.field : "";

	return !strncmp(field, "general.", 8) || !strncmp(field, "modelspec.", 10);
}

/* An ancestor's licenses: what its card declares, and license texts found in
 * its files (concluded). */
static json_t *licenses(const struct model_record *r)
{
	json_t *a = json_array();
	const struct licdef *l[64];
	size_t k = record_licenses(r, l, 64);

	for (size_t i = 0; i < k; i++) {
		int declared = 0;
		if (other_named(r, l[i]))
			continue;
		for (size_t j = 0; j < r->ndeclared; j++)
			declared |= r->declared[j].lic == l[i];
		json_array_append_new(a, license_of(l[i], declared));
	}
	/* what the card says even when lictrace does not know it */
	for (size_t j = 0; j < r->ndeclared; j++)
		if (!r->declared[j].lic && !weights_field(&r->declared[j]))
			json_array_append_new(a, license_named(r, &r->declared[j], "declared"));
	return a;
}

/* The scanned model: each license its card declares (acknowledgement
 * declared), then every license that binds it, its own and each ancestor's
 * (concluded): a merge labelled apache-2.0 shows the licenses it inherits. */
static json_t *root_licenses(const struct model_report *m)
{
	const struct model_record *r = m->node->rec;
	json_t *a = json_array();

	for (size_t j = 0; r && j < r->ndeclared; j++) {
		const struct declared *d = &r->declared[j];
		int dup = 0;
		if (weights_field(d) || other_named(r, d->lic))
			continue;
		for (size_t k = 0; k < j; k++)
			dup |= d->lic ? r->declared[k].lic == d->lic && !weights_field(&r->declared[k])
				      : !r->declared[k].lic && !strcmp(r->declared[k].value, d->value);
		if (dup)
			continue;
		json_array_append_new(a, d->lic ? license_of(d->lic, 1) : license_named(r, d, "declared"));
	}
	for (size_t i = 0; i < m->neffective; i++) {
		const struct declared *named = NULL;
		if (r && other_named(r, m->effective[i])) {
			/* unknown to lictrace: by the name the card gives it */
			for (size_t j = 0; j < r->ndeclared && !named; j++)
				if (!r->declared[j].lic && r->declared[j].at.field &&
				    !strcmp(r->declared[j].at.field, "license_name"))
					named = &r->declared[j];
		}
		json_array_append_new(a, named ? license_named(r, named, "concluded")
					       : license_of(m->effective[i], 0));
	}
	return a;
}

/* One line per obligation, for tools that read properties only:
 * "<license>: <what>" with where it comes from. */
static void obligation_props(json_t *props, const struct model_report *m)
{
	for (size_t i = 0; i < m->ob.n; i++) {
		const struct eff_ob *e = &m->ob.v[i];
		struct buf b;
		char *name = lt_asprintf("lictrace:obligation:%s", ob_kind_name(e->ob->kind));

		buf_init(&b, 64 * 1024);
		buf_printf(&b, "%s", e->lic->id);
		if (e->ob->text)
			buf_printf(&b, ": %s", e->ob->text);
		if (e->ob->value)
			buf_printf(&b, "%s%llu%s%s", e->ob->text ? " (" : ": ", e->ob->value,
				   e->ob->period ? " " : "", e->ob->period ? e->ob->period : "");
		if (e->ob->value && e->ob->text)
			buf_addc(&b, ')');
		for (size_t t = 0; t < e->ob->territories.n; t++)
			buf_printf(&b, "%s%s", t ? ", " : "; territories: ", e->ob->territories.v[t]);
		if (e->ob->url)
			buf_printf(&b, " <%s>", e->ob->url);
		if (!e->self && e->chain)
			buf_printf(&b, " (inherited: %s)", e->chain);
		prop(props, name, buf_error(&b) ? json_string("(too long)") : jstr(buf_cstr(&b)));
		buf_release(&b);
		free(name);
	}
}

static json_t *component(const struct lnode *n, int root)
{
	json_t *c = identity(n), *props = json_array(), *anc = json_array();

	json_object_set_new(c, "bom-ref", jstr(n->key));
	if (n->rec)
		json_object_set_new(c, "licenses", licenses(n->rec));
	for (size_t i = 0; i < n->nparents; i++) {
		json_t *a = identity(n->parents[i].to), *ap = json_array();
		const struct parent *p = n->parents[i].p;
		prop(ap, "lictrace:relation", jstr(p && p->relation ? p->relation : "parent"));
		if (p && p->inferred)
			prop(ap, "lictrace:inferred", json_string("true"));
		if (n->parents[i].closes_cycle)
			prop(ap, "lictrace:cycle", json_string("true"));
		json_object_set_new(a, "properties", ap);
		json_array_append_new(anc, a);
	}
	if (json_array_size(anc))
		json_object_set_new(c, "pedigree", json_pack("{s:o}", "ancestors", anc));
	else
		json_decref(anc);
	prop(props, "lictrace:status", json_string(report_node_status(n, root)));
	if (n->rec && n->rec->source_kind)
		prop(props, "lictrace:source", jstr(n->rec->source_kind));
	if (n->error)
		prop(props, "lictrace:error", jstr(n->error));
	json_object_set_new(c, "properties", props);
	return c;
}

static int c_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct cdx *x = calloc(1, sizeof(*x));

	w->ctx = ctx;
	w->impl = x;
	if (!x)
		return -1;
	x->components = json_array();
	x->deps = json_array();
	x->index = json_object();
	x->sum = summary_new(ctx->db);
	return x->components && x->deps && x->index && x->sum ? 0 : -1;
}

static int c_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct cdx *x = w->impl;
	const struct lnode **nodes;
	size_t n, cnt[3];
	json_t *root, *props;

	(void)g;
	if (!x || !(nodes = report_lineage_nodes(m, &n)))
		return -1;
	summary_add_report(x->sum, m); /* out of memory: the summary says it is incomplete */
	for (size_t i = 0; i < n; i++) {
		const struct lnode *nd = nodes[i];
		json_t *dep, *on;

		if (json_object_get(x->index, nd->key))
			continue;
		json_object_set_new_nocheck(x->index, nd->key, json_integer((json_int_t)json_array_size(x->components)));
		json_array_append_new(x->components, component(nd, i == 0));
		dep = json_object();
		on = json_array();
		json_object_set_new(dep, "ref", jstr(nd->key));
		for (size_t e = 0; e < nd->nparents; e++) {
			int dup = 0;
			for (size_t k = 0; k < e; k++)
				dup |= nd->parents[k].to == nd->parents[e].to;
			if (!dup)
				json_array_append_new(on, jstr(nd->parents[e].to->key));
		}
		json_object_set_new(dep, "dependsOn", on);
		json_array_append_new(x->deps, dep);
	}
	free(nodes);

	/* the scanned model's verdict, also when it was first met as an ancestor */
	root = json_array_get(x->components,
			      (size_t)json_integer_value(json_object_get(x->index, m->node->key)));
	props = json_object_get(root, "properties");
	if (!props)
		return -1;
	json_object_set_new(root, "licenses", root_licenses(m));
	report_count(m, cnt);
	prop(props, "lictrace:scanned", json_string("true"));
	prop(props, "lictrace:verdict", json_string(verdict_name(m->verdict)));
	prop_count(props, "lictrace:findings:error", cnt[SEV_ERROR]);
	prop_count(props, "lictrace:findings:warning", cnt[SEV_WARNING]);
	prop_count(props, "lictrace:findings:info", cnt[SEV_INFO]);
	prop_count(props, "lictrace:obligations", m->ob.n);
	obligation_props(props, m);
	if (m->aiact) /* the EU AI Act view: an indicator for legal review */
		prop(props, "lictrace:eu-ai-act:open-source-licence", json_string(aiact_value_name(m->aiact->value)));
	if (!x->nscanned++)
		x->first = json_string_value(json_object_get(root, "bom-ref"));
	return 0;
}

/* The inventory's summary as flat properties (CycloneDX property values are
 * strings): lictrace:summary:<table>:<name> = models (descendants for a base;
 * for a risky lineage "fail N, incomplete N, review N of M, N error findings"). */
static void summary_props(json_t *props, struct summary *s)
{
	static const char *const v[] = { "pass", "review", "fail", "incomplete" };
	char name[64];

	prop_count(props, "lictrace:summary:models", summary_models(s));
	for (int i = VERDICT_PASS; i <= VERDICT_INCOMPLETE; i++) {
		snprintf(name, sizeof(name), "lictrace:summary:verdict:%s", v[i]);
		prop_count(props, name, summary_verdict(s, (enum verdict)i));
	}
	prop_count(props, "lictrace:summary:bases_total", summary_bases(s));
	for (int t = 0; t < SUM__COUNT; t++) {
		const struct summary_row *r;
		size_t n = summary_rows(s, (enum summary_table)t, &r);
		for (size_t i = 0; i < n; i++) {
			char *pn = lt_asprintf("lictrace:summary:%s:%s", summary_table_name((enum summary_table)t),
					       r[i].name);
			if (t == SUM_RISK) {
				char *val = lt_asprintf("fail %zu, incomplete %zu, review %zu of %zu, %zu error findings",
							r[i].verdicts[VERDICT_FAIL], r[i].verdicts[VERDICT_INCOMPLETE],
							r[i].verdicts[VERDICT_REVIEW], r[i].models, r[i].errors);
				prop(props, pn ? pn : "lictrace:summary", jstr(val));
				free(val);
			} else {
				prop_count(props, pn ? pn : "lictrace:summary", r[i].models);
			}
			free(pn);
		}
	}
	if (summary_failed(s))
		prop(props, "lictrace:summary:complete", json_string("false"));
}

static int c_end(struct report_writer *w, enum verdict overall)
{
	struct cdx *x = w->impl;
	json_t *root, *meta, *tool, *props;
	char ts[32], uuid[40], serial[64], *seed;
	int rc;

	if (!x)
		return -1;
	report_timestamp(w->ctx, ts, sizeof(ts));
	seed = json_dumps(x->components, JSON_COMPACT);
	report_doc_uuid(seed, uuid, sizeof(uuid));
	free(seed);
	snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
	tool = json_pack("{s:s, s:s, s:s}", "type", "application", "name", "lictrace", "version",
			 w->ctx->version ? w->ctx->version : "0");
	meta = json_object();
	json_object_set_new(meta, "timestamp", json_string(ts));
	json_object_set_new(meta, "tools", json_pack("{s:[o]}", "components", tool));
	if (x->nscanned == 1) {
		/* one scanned model: the BOM is about it (its ancestors are the
		 * components); an audit of several has no single subject */
		size_t at = (size_t)json_integer_value(json_object_get(x->index, x->first));
		json_object_set(meta, "component", json_array_get(x->components, at));
		json_array_remove(x->components, at);
	}
	props = json_array();
	prop(props, "lictrace:verdict", json_string(verdict_name(overall)));
	if (w->ctx->jurisdiction)
		prop(props, "lictrace:jurisdiction", jstr(w->ctx->jurisdiction));
	if (x->nscanned > 1) /* a BOM of one model is about it: no inventory summary */
		summary_props(props, x->sum);
	json_object_set_new(meta, "properties", props);

	root = json_object();
	json_object_set_new(root, "$schema", json_string("http://cyclonedx.org/schema/bom-1.6.schema.json"));
	json_object_set_new(root, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(root, "specVersion", json_string("1.6"));
	json_object_set_new(root, "serialNumber", json_string(serial));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "metadata", meta);
	json_object_set(root, "components", x->components);
	json_object_set(root, "dependencies", x->deps);
	rc = json_dumpf(root, w->ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', w->ctx->out);
	json_decref(root);
	return rc;
}

static void c_free(struct report_writer *w)
{
	struct cdx *x = w->impl;

	if (x) {
		json_decref(x->components);
		json_decref(x->deps);
		json_decref(x->index);
		summary_free(x->sum);
	}
	free(x);
}

struct report_writer *report_cyclonedx_new(void)
{
	return report_writer_make("cyclonedx", c_begin, c_model, c_end, c_free);
}
