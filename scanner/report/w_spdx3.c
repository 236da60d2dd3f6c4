/*
 * w_spdx3.c - an SPDX 3.0.1 JSON-LD document (Core, Software, SimpleLicensing and
 * AI profiles) of the scanned models and their ancestors.
 *
 * One ai_AIPackage per graph node (once however many scanned models share it),
 * software_primaryPurpose "model". Each has exactly one hasDeclaredLicense and
 * one hasConcludedLicense relationship, as the AI profile requires: declared is
 * what the model's own repository says (card fields, else its license texts);
 * concluded is every license binding it, its own and every ancestor's, joined
 * with AND into one simplelicensing_LicenseExpression. Either is the
 * expandedlicensing_NoAssertionLicense individual as soon as one part is unknown
 * (an unresolved ancestor, a license lictrace does not know, a family id), never
 * a guess; declared is expandedlicensing_NoneLicense when the repository says
 * nothing at all. A LicenseRef- in an expression is mapped
 * (simplelicensing_customIdToUri) to a simplelicensing_SimpleLicensingText
 * holding its text, or a pointer to it.
 *
 * Lineage: "X descendantOf Y" for every edge from a model to its base (finetune,
 * adapter, merge; the relation is the comment), "Y hasVariant X" for a
 * quantization (the same weights in another form). A model whose bases were not
 * followed is "descendantOf NoAssertionElement": no assertion about them.
 *
 * The AI profile also requires suppliedBy, releaseTime, software_packageVersion
 * and software_downloadLocation. They are given only where the source states
 * them (the hub's "author" and "lastModified", a git commit's committer time,
 * the commit sha); SPDX has no NOASSERTION value for an Agent, a date or a URI,
 * so an unknown one is left out and the package's comment names it. Never
 * invented.
 *
 * Every spdxId is an IRI under the document's namespace
 * (https://lictrace.invalid/spdxdocs/<first model>-<uuid>/..., a name that is
 * never fetched); the uuid is a version 5 UUID of the content under
 * SOURCE_DATE_EPOCH, so two runs give identical bytes. Inside the writer ids are
 * kept relative ("#model/x") and made absolute once, at end, when the content
 * (and so the uuid) is known. Each finding is a review Annotation on its model;
 * lictrace is the CreationInfo's createdBy (a SoftwareAgent) and createdUsing (a
 * Tool). Built with jansson and written once, at end.
 */
#include "report.h"
#include "spdx_lic.h"
#include "summary.h"
#include "core/buf.h"
#include "aiact_view.h"
#include "core/str.h"
#include "record/record.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define CONTEXT "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
#define CI "_:creationinfo"
#define NOASSERTION_LICENSE "expandedlicensing_NoAssertionLicense"
#define NONE_LICENSE "expandedlicensing_NoneLicense"
#define AGENT_ID "#agent/lictrace"
#define TOOL_ID "#tool/lictrace"
#define DOC_ID "#document"

struct spdx3 {
	json_t *graph;     /* every element but the document, in order */
	json_t *ids;       /* node key -> "#model/..." (private: keys unchecked) */
	json_t *used;      /* relative ids given out */
	json_t *exprs;     /* license expression -> its element's id */
	json_t *texts;     /* LicenseRef id -> its SimpleLicensingText's id */
	json_t *agents;    /* supplier name -> its Agent's id */
	json_t *roots;     /* the scanned models' ids */
	json_t *pkgs;      /* node key -> its package (borrowed from graph) */
	json_t *done;      /* node keys whose edges are written */
	size_t nrel, nann;
	char *first;       /* first scanned model id, for the document name */
	size_t nmodels;
	struct summary *sum; /* with several models, an annotation on the document */
};

static json_t *jstr(const char *s)
{
	return report_json_str(s);
}

/* Letters, digits, '.' and '-' of s; anything else becomes '-'. */
static void idstring(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		buf_addc(b, (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'
			    ? (char)*p : '-');
}

/* A new relative id "#kind/name" (name made safe, "-2", "-3"... when taken)
 * into out; 0, or -1 when out of memory. */
static int new_id(struct spdx3 *x, const char *kind, const char *name, struct buf *out)
{
	size_t base;

	buf_reset(out);
	buf_printf(out, "#%s/", kind);
	idstring(out, name && *name ? name : "x");
	base = out->len;
	for (unsigned k = 2; !buf_error(out) && json_object_get(x->used, buf_cstr(out)); k++) {
		buf_truncate(out, base);
		buf_printf(out, "-%u", k);
	}
	if (buf_error(out) || json_object_set_new(x->used, buf_cstr(out), json_true()))
		return -1;
	return 0;
}

/* A new element of type with a fresh id; appended to the graph (borrowed). */
static json_t *element(struct spdx3 *x, const char *type, const char *kind, const char *name)
{
	struct buf id;
	json_t *e = NULL;

	buf_init(&id, 8192);
	if (!new_id(x, kind, name, &id)) {
		e = json_object();
		json_object_set_new(e, "type", json_string(type));
		json_object_set_new(e, "spdxId", json_string(buf_cstr(&id)));
		json_object_set_new(e, "creationInfo", json_string(CI));
		json_array_append_new(x->graph, e);
	}
	buf_release(&id);
	return e;
}

static const char *id_of(json_t *e)
{
	return json_string_value(json_object_get(e, "spdxId"));
}

static void relationship(struct spdx3 *x, const char *from, const char *type, const char *to,
			 const char *comment)
{
	char n[32];
	json_t *r;

	snprintf(n, sizeof(n), "%zu", ++x->nrel);
	r = element(x, "Relationship", "relationship", n);
	if (!r)
		return;
	json_object_set_new(r, "from", json_string(from));
	json_object_set_new(r, "relationshipType", json_string(type));
	json_object_set_new(r, "to", json_pack("[s]", to));
	if (comment)
		json_object_set_new(r, "comment", jstr(comment));
}

/* The expression id of a license, or NULL when it cannot be asserted. A
 * LicenseRef- gets a SimpleLicensingText (its text, or a pointer to it) once per
 * document; its id is added to map. */
static const char *license_id(struct spdx3 *x, const struct licdef *l, struct buf *tmp, json_t *map)
{
	json_t *have;

	if (!l || !l->spdx || !strcmp(l->spdx, "NOASSERTION") || l->category == CAT_FAMILY ||
	    l->category == CAT_UNKNOWN)
		return NULL;
	if (strncmp(l->spdx, "LicenseRef-", 11) != 0) {
		/* a user's definition could hold an expression or junk: ids only */
		if (strspn(l->spdx, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+") !=
		    strlen(l->spdx))
			return NULL;
		return l->spdx;
	}
	buf_reset(tmp);
	buf_adds(tmp, "LicenseRef-");
	idstring(tmp, l->spdx + 11);
	if (buf_error(tmp))
		return NULL;
	have = json_object_get(x->texts, buf_cstr(tmp));
	if (!have) {
		json_t *t = element(x, "simplelicensing_SimpleLicensingText", "license-text", buf_cstr(tmp));
		char *text = l->ref_text ? NULL
					 : lt_asprintf("%s. The text is not included; see %s.",
						       l->name ? l->name : l->id, l->url ? l->url : "the licensor");
		if (!t) {
			free(text);
			return NULL;
		}
		json_object_set_new(t, "name", jstr(l->name ? l->name : l->id));
		json_object_set_new(t, "simplelicensing_licenseText", jstr(l->ref_text ? l->ref_text : text));
		free(text);
		json_object_set_new(x->texts, buf_cstr(tmp), json_string(id_of(t)));
		have = json_object_get(x->texts, buf_cstr(tmp));
	}
	json_object_set(map, buf_cstr(tmp), have);
	return buf_cstr(tmp);
}

/* One license element for "A AND B ..." (shared by every package with the same
 * expression); the NoAssertionLicense individual when any part is unknown. */
static const char *license_element(struct spdx3 *x, const struct licdef *const *l, size_t n,
				   int unknown)
{
	struct buf e, tmp;
	json_t *map = json_object(), *have;
	const char *out = NOASSERTION_LICENSE;

	if (unknown || !n || !map) {
		json_decref(map);
		return NOASSERTION_LICENSE;
	}
	buf_init(&e, 64 * 1024);
	buf_init(&tmp, 4096);
	for (size_t i = 0; i < n; i++) {
		const char *id = license_id(x, l[i], &tmp, map);
		if (!id)
			goto done;
		buf_printf(&e, "%s%s", i ? " AND " : "", id);
	}
	if (buf_error(&e))
		goto done;
	have = json_object_get(x->exprs, buf_cstr(&e));
	if (!have) {
		json_t *le = element(x, "simplelicensing_LicenseExpression", "license", "expression");
		const char *key;
		json_t *v, *dict = json_array();
		if (!le) {
			json_decref(dict);
			goto done;
		}
		json_object_set_new(le, "simplelicensing_licenseExpression", jstr(buf_cstr(&e)));
		json_object_foreach(map, key, v) {
			json_t *d = json_object();
			json_object_set_new(d, "type", json_string("DictionaryEntry"));
			json_object_set_new(d, "key", json_string(key));
			json_object_set(d, "value", v);
			json_array_append_new(dict, d);
		}
		if (json_array_size(dict))
			json_object_set_new(le, "simplelicensing_customIdToUri", dict);
		else
			json_decref(dict);
		json_object_set_new(x->exprs, buf_cstr(&e), json_string(id_of(le)));
		have = json_object_get(x->exprs, buf_cstr(&e));
	}
	out = json_string_value(have);
done:
	buf_release(&e);
	buf_release(&tmp);
	json_decref(map);
	return out ? out : NOASSERTION_LICENSE;
}

/* What the model's own repository says about its license. */
static const char *declared(struct spdx3 *x, const struct lnode *n)
{
	const struct licdef *v[SPDX_MAX_LICS];
	int unknown, any;
	size_t k;

	if (!n->rec)
		return NOASSERTION_LICENSE;
	k = spdx_declared(n->rec, v, &unknown, &any);
	if (!any && !k)
		return n->rec->nfiles ? NOASSERTION_LICENSE : NONE_LICENSE;
	return license_element(x, v, k, unknown);
}

/* Every license binding n: its own and every reachable ancestor's. */
static const char *concluded(struct spdx3 *x, const struct lnode *n, size_t max_nodes)
{
	const struct licdef *v[SPDX_MAX_LICS];
	int unknown;
	size_t k = spdx_concluded(n, max_nodes, v, &unknown);

	return license_element(x, v, k, unknown);
}

/* The Agent that supplies a model (one per name), or NULL when unknown. */
static const char *supplier(struct spdx3 *x, const struct model_record *r)
{
	json_t *have, *a;

	if (!r || !r->supplier)
		return NULL;
	have = json_object_get(x->agents, r->supplier);
	if (have)
		return json_string_value(have);
	/* the hub does not say whether the account is a person or an organization */
	a = element(x, "Agent", "agent", r->supplier);
	if (!a)
		return NULL;
	json_object_set_new(a, "name", jstr(r->supplier));
	json_object_set_new(a, "comment",
			    json_string("the account that publishes the model on the hub (the model "
					"info's author)"));
	json_object_set_new(x->agents, r->supplier, json_string(id_of(a)));
	return id_of(a);
}

/* Where the model can be downloaded, or NULL when lictrace cannot say; caller frees. */
static char *download_location(const struct lnode *n)
{
	const struct model_record *r = n->rec;

	if (record_is_hub_id(n->id) && !strchr(n->id, '@'))
		/* hub ids are [A-Za-z0-9._-]/[...]: safe in a URL as they are */
		return lt_asprintf("https://huggingface.co/%s", n->id);
	if (r && r->source_kind && !strcmp(r->source_kind, "git") && r->target &&
	    (lt_starts_with(r->target, "https://") || lt_starts_with(r->target, "http://")))
		return report_redact(r->target); /* never a URL's user or password */
	return NULL;
}

static json_t *package(struct spdx3 *x, const struct lnode *n, size_t max_nodes)
{
	const struct model_record *r = n->rec;
	const char *rev = report_node_rev(n), *status = report_node_status(n, 0), *who;
	char *name = report_redact(n->id), *url = download_location(n), *purl = report_purl(n);
	json_t *p = element(x, "ai_AIPackage", "model", name ? name : "model");
	const char *id, *decl, *conc;
	struct buf c, missing;

	if (!p) {
		free(name);
		free(url);
		free(purl);
		return NULL;
	}
	id = id_of(p);
	json_object_set_new_nocheck(x->ids, n->key, json_string(id));
	json_object_set_nocheck(x->pkgs, n->key, p);
	buf_init(&c, 64 * 1024);
	buf_init(&missing, 1024);
	json_object_set_new(p, "name", jstr(name ? name : n->id));
	if ((who = supplier(x, r)))
		json_object_set_new(p, "suppliedBy", json_string(who));
	else
		buf_adds(&missing, ", suppliedBy");
	if (r && r->release_time)
		json_object_set_new(p, "releaseTime", jstr(r->release_time));
	else
		buf_adds(&missing, ", releaseTime");
	if (rev)
		json_object_set_new(p, "software_packageVersion", jstr(rev));
	else
		buf_adds(&missing, ", software_packageVersion");
	if (url)
		json_object_set_new(p, "software_downloadLocation", jstr(url));
	else
		buf_adds(&missing, ", software_downloadLocation");
	if (purl)
		json_object_set_new(p, "software_packageUrl", jstr(purl));
	json_object_set_new(p, "software_primaryPurpose", json_string("model"));

	if (r && r->release_time && r->source_kind)
		buf_printf(&c, "releaseTime is %s. ", !strcmp(r->source_kind, "git")
				       ? "the commit's committer time"
				       : "the hub's lastModified for this revision");
	if (missing.len)
		buf_printf(&c, "Not known to lictrace, so left out (the AI profile asks for them): %s. ",
			   buf_cstr(&missing) + 2);
	if (strcmp(status, "ok") != 0)
		buf_printf(&c, "lictrace lineage status: %s%s%s. ", status, n->error ? ": " : "",
			   n->error ? n->error : "");
	if (c.len)
		json_object_set_new(p, "comment", jstr(buf_cstr(&c)));

	/* exactly one of each, as the AI profile requires */
	decl = declared(x, n);
	conc = concluded(x, n, max_nodes);
	buf_reset(&c);
	if (r)
		for (size_t i = 0; i < r->ndeclared; i++)
			if (!r->declared[i].lic && !spdx_weights_field(&r->declared[i])) {
				buf_printf(&c, "the card declares '%s', a license lictrace does not know",
					   r->declared[i].value);
				break;
			}
	if (!r)
		buf_adds(&c, "the model could not be read");
	relationship(x, id, "hasDeclaredLicense", decl, c.len ? buf_cstr(&c) : NULL);
	relationship(x, id, "hasConcludedLicense", conc,
		     !strcmp(conc, NOASSERTION_LICENSE)
			     ? "lictrace cannot conclude every license binding this model: a license "
			       "or an ancestor is unknown"
			     : "every license binding this model: its own and every ancestor's");
	buf_release(&c);
	buf_release(&missing);
	free(name);
	free(url);
	free(purl);
	return p;
}

static int x_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct spdx3 *x = calloc(1, sizeof(*x));

	w->ctx = ctx;
	w->impl = x;
	if (!x)
		return -1;
	x->graph = json_array();
	x->ids = json_object();
	x->used = json_object();
	x->exprs = json_object();
	x->texts = json_object();
	x->agents = json_object();
	x->roots = json_array();
	x->pkgs = json_object();
	x->done = json_object();
	x->sum = summary_new(ctx->db);
	/* the ids x_end gives the agent, the tool and the document: never a model's */
	json_object_set_new(x->used, AGENT_ID, json_true());
	json_object_set_new(x->used, TOOL_ID, json_true());
	json_object_set_new(x->used, DOC_ID, json_true());
	return x->graph && x->ids && x->used && x->exprs && x->texts && x->agents && x->roots &&
	       x->pkgs && x->done ? 0 : -1;
}

static const char *node_id(struct spdx3 *x, const struct lnode *n)
{
	return json_string_value(json_object_get(x->ids, n->key));
}

/* The next Annotation element, of type, about subject, saying statement. 0 or -1. */
static int annotate(struct spdx3 *x, const char *subject, const char *type, const char *statement)
{
	char num[32];
	json_t *a;

	snprintf(num, sizeof(num), "%zu", ++x->nann);
	if (!(a = element(x, "Annotation", "annotation", num)))
		return -1;
	json_object_set_new(a, "annotationType", json_string(type));
	json_object_set_new(a, "subject", json_string(subject));
	json_object_set_new(a, "statement", jstr(statement));
	return 0;
}

static int x_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct spdx3 *x = w->impl;
	const struct lnode **nodes;
	size_t n, cnt[3];
	const char *rid;
	json_t *pkg;
	char *c;

	(void)g;
	if (!x || !(nodes = report_lineage_nodes(m, &n)))
		return -1;
	summary_add_report(x->sum, m); /* out of memory: the summary says it is incomplete */
	/* packages first, so every edge below has both ends */
	for (size_t i = 0; i < n; i++)
		if (!node_id(x, nodes[i]))
			package(x, nodes[i], n);
	for (size_t i = 0; i < n; i++) {
		const struct lnode *t = nodes[i];
		const char *from = node_id(x, t);
		/* once per node, however many scanned models reach it */
		if (!from || json_object_get(x->done, t->key))
			continue;
		json_object_set_new_nocheck(x->done, t->key, json_true());
		for (size_t e = 0; e < t->nparents; e++) {
			const struct ledge *ed = &t->parents[e];
			const char *rel = ed->p && ed->p->relation ? ed->p->relation : "parent";
			const char *to = node_id(x, ed->to);
			char *cm = lt_asprintf("%s%s%s", rel, ed->p && ed->p->inferred ? " (inferred)" : "",
					       ed->closes_cycle ? "; closes a cycle" : "");
			if (to && !strcmp(rel, "quantized"))
				relationship(x, to, "hasVariant", from, cm);
			else if (to)
				relationship(x, from, "descendantOf", to, cm);
			free(cm);
		}
		if (t->rec && t->rec->nparents && (!t->expanded || !t->nparents))
			relationship(x, from, "descendantOf", "NoAssertionElement",
				     "the card names bases lictrace did not follow");
	}
	free(nodes);

	rid = node_id(x, m->node);
	pkg = json_object_get(x->pkgs, m->node->key);
	if (!rid || !pkg)
		return -1;
	json_array_append_new(x->roots, json_string(rid));
	if (!x->first)
		x->first = report_redact(m->node->id); /* names the namespace: no credentials */
	x->nmodels++;

	report_count(m, cnt);
	c = lt_asprintf("lictrace verdict: %s (%zu error%s, %zu warning%s, %zu info). %s",
			verdict_name(m->verdict), cnt[SEV_ERROR], cnt[SEV_ERROR] == 1 ? "" : "s",
			cnt[SEV_WARNING], cnt[SEV_WARNING] == 1 ? "" : "s", cnt[SEV_INFO],
			json_string_value(json_object_get(pkg, "comment"))
				? json_string_value(json_object_get(pkg, "comment")) : "");
	json_object_set_new(pkg, "comment", jstr(c));
	free(c);
	for (size_t i = 0; i < m->nf; i++) {
		const struct finding *f = &m->f[i];
		struct buf b;
		int rc;

		buf_init(&b, 64 * 1024);
		buf_printf(&b, "%s %s: %s", severity_name(f->severity), f->def->id, f->message);
		if (f->file && f->line > 0)
			buf_printf(&b, " (%s:%d)", f->file, f->line);
		else if (f->file)
			buf_printf(&b, " (%s)", f->file);
		if (f->chain)
			buf_printf(&b, " [chain: %s]", f->chain);
		if (f->exception)
			buf_printf(&b, " [accepted: %s]", f->exception);
		rc = annotate(x, rid, "review", buf_cstr(&b));
		buf_release(&b);
		if (rc)
			return -1;
	}
	if (m->aiact) {
		/* the EU AI Act view, as the other formats show it */
		struct buf b;
		int rc;

		buf_init(&b, 64 * 1024);
		report_aiact_plain(&b, m->aiact);
		rc = annotate(x, rid, "other", buf_cstr(&b));
		buf_release(&b);
		if (rc)
			return -1;
	}
	return 0;
}

/* "#kind/name" as base + "/kind/name"; anything else as it is (individuals). */
static json_t *absolute(const char *base, json_t *v)
{
	const char *s = json_string_value(v);
	char *a;
	json_t *j;

	if (!s || s[0] != '#')
		return json_incref(v);
	a = lt_asprintf("%s/%s", base, s + 1);
	j = a ? json_string(a) : NULL;
	free(a);
	return j;
}

/* Make every reference of an element absolute. */
static void absolutize(const char *base, json_t *e)
{
	static const char *const refs[] = { "spdxId", "from", "to", "subject", "suppliedBy",
					    "rootElement", "element", "createdBy", "createdUsing", NULL };
	json_t *v, *d;
	size_t i;

	for (size_t k = 0; refs[k]; k++) {
		v = json_object_get(e, refs[k]);
		if (json_is_array(v)) {
			json_t *n = json_array();
			json_array_foreach(v, i, d)
				json_array_append_new(n, absolute(base, d));
			json_object_set_new(e, refs[k], n);
		} else if (v) {
			json_object_set_new(e, refs[k], absolute(base, v));
		}
	}
	json_array_foreach(json_object_get(e, "simplelicensing_customIdToUri"), i, d)
		json_object_set_new(d, "value", absolute(base, json_object_get(d, "value")));
}

static int x_end(struct report_writer *w, enum verdict overall)
{
	struct spdx3 *x = w->impl;
	json_t *root = NULL, *graph = NULL, *ci, *doc, *agent, *tool, *all, *e;
	char ts[32], uuid[40], *name = NULL, *seed, *tname = NULL, *cm = NULL;
	struct buf base;
	size_t i;
	int rc = -1;

	if (!x)
		return -1;
	report_timestamp(w->ctx, ts, sizeof(ts));
	if (x->nmodels > 1) { /* the inventory's summary, as its text report gives it */
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		json_t *a;
		if (f) {
			summary_write_text(x->sum, f);
			fclose(f);
		}
		if (text && (a = element(x, "Annotation", "annotation", "summary"))) {
			json_object_set_new(a, "annotationType", json_string("other"));
			json_object_set_new(a, "subject", json_string(DOC_ID));
			json_object_set_new(a, "statement", jstr(text));
		}
		free(text);
	}
	seed = json_dumps(x->graph, JSON_COMPACT);
	report_doc_uuid(seed, uuid, sizeof(uuid));
	free(seed);
	/* the namespace: unique per document, named after the (first) model; a
	 * .invalid host because the IRI is a name, never fetched */
	buf_init(&base, 16 * 1024);
	buf_adds(&base, "https://lictrace.invalid/spdxdocs/");
	idstring(&base, x->first ? x->first : "empty");
	buf_printf(&base, "-%s", uuid);
	if (buf_error(&base))
		goto done;
	if (x->nmodels > 1)
		name = lt_asprintf("lictrace scan of %s and %zu more", x->first, x->nmodels - 1);
	else
		name = lt_asprintf("lictrace scan of %s", x->first ? x->first : "nothing");
	tname = lt_asprintf("lictrace-%s", w->ctx->version ? w->ctx->version : "0");
	cm = lt_asprintf("lictrace overall verdict: %s%s%s", verdict_name(overall),
			 w->ctx->jurisdiction ? "; jurisdiction: " : "",
			 w->ctx->jurisdiction ? w->ctx->jurisdiction : "");

	graph = json_array();
	ci = json_object();
	json_object_set_new(ci, "type", json_string("CreationInfo"));
	json_object_set_new(ci, "@id", json_string(CI));
	json_object_set_new(ci, "specVersion", json_string("3.0.1"));
	json_object_set_new(ci, "created", json_string(ts));
	json_object_set_new(ci, "createdBy", json_pack("[s]", AGENT_ID));
	json_object_set_new(ci, "createdUsing", json_pack("[s]", TOOL_ID));
	json_object_set_new(ci, "comment", jstr(cm ? cm : "lictrace"));
	json_array_append_new(graph, ci);
	agent = json_pack("{s:s, s:s, s:s, s:s}", "type", "SoftwareAgent", "spdxId", AGENT_ID,
			  "creationInfo", CI, "name", "lictrace");
	tool = json_pack("{s:s, s:s, s:s, s:s}", "type", "Tool", "spdxId", TOOL_ID,
			 "creationInfo", CI, "name", tname ? tname : "lictrace");
	doc = json_pack("{s:s, s:s, s:s, s:o}", "type", "SpdxDocument", "spdxId", DOC_ID,
			"creationInfo", CI, "name", jstr(name ? name : "lictrace scan"));
	json_object_set_new(doc, "profileConformance",
			    json_pack("[s,s,s,s,s]", "core", "software", "simpleLicensing",
				      "expandedLicensing", "ai"));
	json_object_set(doc, "rootElement", x->roots);
	all = json_pack("[s,s]", AGENT_ID, TOOL_ID);
	json_array_foreach(x->graph, i, e)
		json_array_append(all, json_object_get(e, "spdxId"));
	json_object_set_new(doc, "element", all);
	json_array_append_new(graph, agent);
	json_array_append_new(graph, tool);
	json_array_append_new(graph, doc);
	json_array_extend(graph, x->graph);
	json_array_foreach(graph, i, e)
		absolutize(buf_cstr(&base), e);

	root = json_object();
	json_object_set_new(root, "@context", json_string(CONTEXT));
	json_object_set(root, "@graph", graph);
	rc = json_dumpf(root, w->ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', w->ctx->out);
done:
	json_decref(root);
	json_decref(graph);
	buf_release(&base);
	free(name);
	free(tname);
	free(cm);
	return rc;
}

static void x_free(struct report_writer *w)
{
	struct spdx3 *x = w->impl;

	if (x) {
		json_decref(x->graph);
		json_decref(x->ids);
		json_decref(x->used);
		json_decref(x->exprs);
		json_decref(x->texts);
		json_decref(x->agents);
		json_decref(x->roots);
		json_decref(x->pkgs);
		json_decref(x->done);
		free(x->first);
		summary_free(x->sum);
	}
	free(x);
}

struct report_writer *report_spdx3_new(void)
{
	return report_writer_make("spdx", x_begin, x_model, x_end, x_free);
}
