/*
 * w_spdx.c - an SPDX 2.3 JSON document of the scanned models and their
 * ancestors: one package per graph node (once however many scanned models share
 * it), DESCENDANT_OF / VARIANT_OF relationships along lineage edges, DESCRIBES
 * from the document to each scanned model, and each finding as a REVIEW
 * annotation on the model it is about. With more than one scanned model, the
 * inventory's summary (summary.h) is an OTHER annotation on the document.
 *
 * licenseDeclared is what the model's own repository says (card fields, else its
 * license texts; NONE when it says nothing); licenseConcluded is lictrace's
 * conclusion: every license binding the model, its own and every ancestor's.
 * Either is NOASSERTION as soon as one part is unknown (an unresolved ancestor, a
 * license lictrace does not know, a family id): SPDX has no way to say "these
 * and something else", and guessing would be wrong in the safe-looking direction.
 * Built with jansson and written once, at end.
 */
#include "report.h"
#include "spdx_lic.h"
#include "summary.h"
#include "core/buf.h"
#include "aiact_view.h"
#include "core/str.h"
#include "record/record.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"


struct spdx {
	json_t *packages;
	json_t *rels;
	json_t *ids;        /* node key -> SPDXID (private: keys unchecked) */
	json_t *used;       /* SPDXIDs given out */
	json_t *refs;       /* LicenseRef id -> extracted licensing info */
	json_t *pkg_index;  /* node key -> index in packages */
	char *first;        /* first scanned model id, for the document name */
	size_t nmodels;
	struct summary *sum; /* with several models, an annotation on the document */
};

static json_t *jstr(const char *s)
{
	return report_json_str(s);
}

/* idstring of SPDX ids and LicenseRefs: letters, digits, '.' and '-'. */
static void idstring(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		buf_addc(b, (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'
			    ? (char)*p : '-');
}

/* Fill annotation a (of type, by who, dated ts, saying text) and append it to ann. */
static void annotate(json_t *ann, json_t *a, const char *ts, const char *who, const char *type,
		     const char *text)
{
	json_object_set_new(a, "annotationDate", json_string(ts));
	json_object_set_new(a, "annotationType", json_string(type));
	json_object_set_new(a, "annotator", jstr(who ? who : "Tool: lictrace"));
	json_object_set_new(a, "comment", jstr(text));
	json_array_append_new(ann, a);
}

/* A fresh SPDXID for a node: "SPDXRef-Model-<id>", made unique with a suffix. */
static const char *spdxid(struct spdx *x, const struct lnode *n)
{
	json_t *have = json_object_get(x->ids, n->key);
	struct buf b;
	size_t base;

	if (have)
		return json_string_value(have);
	buf_init(&b, 8192);
	buf_adds(&b, "SPDXRef-Model-");
	idstring(&b, n->id);
	base = b.len;
	for (unsigned k = 2; !buf_error(&b) && json_object_get(x->used, buf_cstr(&b)); k++) {
		buf_truncate(&b, base);
		buf_printf(&b, "-%u", k);
	}
	if (buf_error(&b)) {
		buf_release(&b);
		return NULL;
	}
	json_object_set_new(x->used, buf_cstr(&b), json_true());
	json_object_set_new_nocheck(x->ids, n->key, json_string(buf_cstr(&b)));
	buf_release(&b);
	return json_string_value(json_object_get(x->ids, n->key));
}

/* The expression id of a license, or NULL when it cannot be asserted. A
 * LicenseRef- is recorded with its text (or a pointer to it) once per document. */
static const char *license_id(struct spdx *x, const struct licdef *l, struct buf *tmp)
{
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
	if (!json_object_get(x->refs, buf_cstr(tmp))) {
		json_t *info = json_object();
		char *text = l->ref_text ? NULL
					 : lt_asprintf("%s. The text is not included; see %s.",
						       l->name ? l->name : l->id, l->url ? l->url : "the licensor");
		json_object_set_new(info, "licenseId", json_string(buf_cstr(tmp)));
		json_object_set_new(info, "name", jstr(l->name ? l->name : l->id));
		json_object_set_new(info, "extractedText", jstr(l->ref_text ? l->ref_text : text));
		if (l->url)
			json_object_set_new(info, "seeAlsos", json_pack("[o]", jstr(l->url)));
		json_object_set_new(x->refs, buf_cstr(tmp), info);
		free(text);
	}
	return buf_cstr(tmp);
}

/* "A AND B" over the given licenses; NOASSERTION when any is unknown. */
static json_t *expression(struct spdx *x, const struct licdef *const *l, size_t n, int unknown)
{
	struct buf e, tmp;
	json_t *j;

	if (unknown || !n)
		return json_string("NOASSERTION");
	buf_init(&e, 64 * 1024);
	buf_init(&tmp, 4096);
	for (size_t i = 0; i < n; i++) {
		const char *id = license_id(x, l[i], &tmp);
		if (!id) {
			buf_release(&e);
			buf_release(&tmp);
			return json_string("NOASSERTION");
		}
		buf_printf(&e, "%s%s", i ? " AND " : "", id);
	}
	j = buf_error(&e) ? json_string("NOASSERTION") : jstr(buf_cstr(&e));
	buf_release(&e);
	buf_release(&tmp);
	return j;
}

static json_t *declared(struct spdx *x, const struct lnode *n)
{
	const struct licdef *v[SPDX_MAX_LICS];
	int unknown, any;
	size_t k;

	if (!n->rec)
		return json_string("NOASSERTION");
	k = spdx_declared(n->rec, v, &unknown, &any);
	if (!any && !k)
		return json_string(n->rec->nfiles ? "NOASSERTION" : "NONE");
	return expression(x, v, k, unknown);
}

/* Every license binding n: its own and every reachable ancestor's. */
static json_t *concluded(struct spdx *x, const struct lnode *n, size_t max_nodes)
{
	const struct licdef *v[SPDX_MAX_LICS];
	int unknown;
	size_t k = spdx_concluded(n, max_nodes, v, &unknown);

	return expression(x, v, k, unknown);
}

static json_t *relationship(const char *a, const char *type, const char *b, const char *comment)
{
	json_t *r = json_object();

	json_object_set_new(r, "spdxElementId", json_string(a));
	json_object_set_new(r, "relationshipType", json_string(type));
	json_object_set_new(r, "relatedSpdxElement", json_string(b));
	if (comment)
		json_object_set_new(r, "comment", jstr(comment));
	return r;
}

static json_t *package(struct spdx *x, const struct lnode *n, const char *id, size_t max_nodes)
{
	json_t *p = json_object();
	const char *rev = report_node_rev(n);
	const char *status = report_node_status(n, 0);

	json_object_set_new(p, "SPDXID", json_string(id));
	json_object_set_new(p, "name", jstr(n->id));
	if (rev)
		json_object_set_new(p, "versionInfo", jstr(rev));
	if (record_is_hub_id(n->id) && !strchr(n->id, '@')) {
		/* hub ids are [A-Za-z0-9._-]/[...]: safe in a URL as they are */
		char *url = lt_asprintf("https://huggingface.co/%s", n->id);
		json_object_set_new(p, "downloadLocation", jstr(url ? url : "NOASSERTION"));
		free(url);
	} else {
		json_object_set_new(p, "downloadLocation", json_string("NOASSERTION"));
	}
	{
		char *purl = report_purl(n);
		if (purl) {
			json_t *ref = json_object();
			json_object_set_new(ref, "referenceCategory", json_string("PACKAGE-MANAGER"));
			json_object_set_new(ref, "referenceType", json_string("purl"));
			json_object_set_new(ref, "referenceLocator", jstr(purl));
			json_object_set_new(p, "externalRefs", json_pack("[o]", ref));
			free(purl);
		}
	}
	json_object_set_new(p, "filesAnalyzed", json_false());
	json_object_set_new(p, "licenseConcluded", concluded(x, n, max_nodes));
	json_object_set_new(p, "licenseDeclared", declared(x, n));
	json_object_set_new(p, "copyrightText", json_string("NOASSERTION"));
	if (n->rec)
		for (size_t i = 0; i < n->rec->ndeclared; i++)
			if (!n->rec->declared[i].lic && !spdx_weights_field(&n->rec->declared[i])) {
				char *c = lt_asprintf("the card declares '%s', a license lictrace does not know",
						      n->rec->declared[i].value);
				json_object_set_new(p, "licenseComments", jstr(c));
				free(c);
				break;
			}
	if (strcmp(status, "ok") != 0) {
		char *c = lt_asprintf("lictrace lineage status: %s%s%s", status, n->error ? ": " : "",
				      n->error ? n->error : "");
		json_object_set_new(p, "comment", jstr(c));
		free(c);
	}
	return p;
}

static int x_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct spdx *x = calloc(1, sizeof(*x));

	w->ctx = ctx;
	w->impl = x;
	if (!x)
		return -1;
	x->packages = json_array();
	x->rels = json_array();
	x->ids = json_object();
	x->used = json_object();
	x->refs = json_object();
	x->pkg_index = json_object();
	x->sum = summary_new(ctx->db);
	return x->packages && x->rels && x->ids && x->used && x->refs && x->pkg_index && x->sum ? 0 : -1;
}

static int x_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct spdx *x = w->impl;
	const struct lnode **nodes;
	size_t n, cnt[3];
	char ts[32], *who = NULL, *c;
	json_t *pkg, *ann;
	const char *rid;

	(void)g;
	if (!x || !(nodes = report_lineage_nodes(m, &n)))
		return -1;
	summary_add_report(x->sum, m); /* out of memory: the summary says it is incomplete */
	/* packages first, so every edge below has both ends */
	for (size_t i = 0; i < n; i++) {
		const char *id;
		if (json_object_get(x->pkg_index, nodes[i]->key))
			continue;
		if (!(id = spdxid(x, nodes[i])))
			continue;
		json_object_set_new_nocheck(x->pkg_index, nodes[i]->key,
					    json_integer((json_int_t)json_array_size(x->packages)));
		json_array_append_new(x->packages, package(x, nodes[i], id, n));
		for (size_t e = 0; e < nodes[i]->nparents; e++) {
			const struct ledge *ed = &nodes[i]->parents[e];
			const char *rel = ed->p && ed->p->relation ? ed->p->relation : "parent";
			const char *to = spdxid(x, ed->to);
			/* a quantization is the same weights in another form; the rest postdate the parent */
			const char *type = !strcmp(rel, "quantized") ? "VARIANT_OF" : "DESCENDANT_OF";
			char *cm = lt_asprintf("%s%s%s", rel, ed->p && ed->p->inferred ? " (inferred)" : "",
					       ed->closes_cycle ? "; closes a cycle" : "");
			id = json_string_value(json_object_get(x->ids, nodes[i]->key));
			if (id && to)
				json_array_append_new(x->rels, relationship(id, type, to, cm));
			free(cm);
		}
	}
	free(nodes);

	rid = json_string_value(json_object_get(x->ids, m->node->key));
	pkg = json_array_get(x->packages,
			     (size_t)json_integer_value(json_object_get(x->pkg_index, m->node->key)));
	if (!rid || !pkg)
		return -1;
	json_array_append_new(x->rels, relationship("SPDXRef-DOCUMENT", "DESCRIBES", rid, NULL));
	if (!x->first)
		x->first = lt_strdup(m->node->id);
	x->nmodels++;

	report_count(m, cnt);
	c = lt_asprintf("lictrace verdict: %s (%zu error%s, %zu warning%s, %zu info)",
			verdict_name(m->verdict), cnt[SEV_ERROR], cnt[SEV_ERROR] == 1 ? "" : "s",
			cnt[SEV_WARNING], cnt[SEV_WARNING] == 1 ? "" : "s", cnt[SEV_INFO]);
	json_object_set_new(pkg, "comment", jstr(c));
	free(c);
	report_timestamp(w->ctx, ts, sizeof(ts));
	who = lt_asprintf("Tool: lictrace-%s", w->ctx->version ? w->ctx->version : "0");
	ann = json_array();
	for (size_t i = 0; i < m->nf; i++) {
		const struct finding *f = &m->f[i];
		json_t *a = json_object();
		struct buf b;

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
		annotate(ann, a, ts, who, "REVIEW", buf_cstr(&b));
		buf_release(&b);
	}
	if (m->aiact) {
		/* the EU AI Act view, as the other formats show it */
		json_t *a = json_object();
		struct buf b;

		buf_init(&b, 64 * 1024);
		report_aiact_plain(&b, m->aiact);
		annotate(ann, a, ts, who, "OTHER", buf_cstr(&b));
		buf_release(&b);
	}
	free(who);
	if (json_array_size(ann))
		json_object_set_new(pkg, "annotations", ann);
	else
		json_decref(ann);
	return 0;
}

static int x_end(struct report_writer *w, enum verdict overall)
{
	struct spdx *x = w->impl;
	json_t *root, *ci, *refs;
	char ts[32], uuid[40], *name, *who, *seed;
	struct buf ns;
	const char *key;
	json_t *v;
	int rc;

	if (!x)
		return -1;
	report_timestamp(w->ctx, ts, sizeof(ts));
	seed = json_dumps(x->packages, JSON_COMPACT);
	report_doc_uuid(seed, uuid, sizeof(uuid));
	free(seed);
	/* documentNamespace: unique per document, named after the (first) model; a
	 * .invalid host because the URI is a name, never fetched */
	buf_init(&ns, 16 * 1024);
	buf_adds(&ns, "https://lictrace.invalid/spdxdocs/");
	idstring(&ns, x->first ? x->first : "empty");
	buf_printf(&ns, "-%s", uuid);
	if (x->nmodels > 1)
		name = lt_asprintf("lictrace scan of %s and %zu more", x->first, x->nmodels - 1);
	else
		name = lt_asprintf("lictrace scan of %s", x->first ? x->first : "nothing");
	who = lt_asprintf("Tool: lictrace-%s", w->ctx->version ? w->ctx->version : "0");

	root = json_object();
	json_object_set_new(root, "spdxVersion", json_string("SPDX-2.3"));
	json_object_set_new(root, "dataLicense", json_string("CC0-1.0"));
	json_object_set_new(root, "SPDXID", json_string("SPDXRef-DOCUMENT"));
	json_object_set_new(root, "name", jstr(name ? name : "lictrace scan"));
	json_object_set_new(root, "documentNamespace", jstr(buf_cstr(&ns)));
	ci = json_object();
	json_object_set_new(ci, "created", json_string(ts));
	json_object_set_new(ci, "creators", json_pack("[o]", jstr(who ? who : "Tool: lictrace")));
	{
		char *cm = lt_asprintf("lictrace overall verdict: %s%s%s", verdict_name(overall),
				       w->ctx->jurisdiction ? "; jurisdiction: " : "",
				       w->ctx->jurisdiction ? w->ctx->jurisdiction : "");
		json_object_set_new(ci, "comment", jstr(cm));
		free(cm);
	}
	json_object_set_new(root, "creationInfo", ci);
	if (x->nmodels > 1) { /* the inventory's summary, as its text report gives it */
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		if (f) {
			summary_write_text(x->sum, f);
			fclose(f);
		}
		if (text) {
			json_t *a = json_object();
			json_object_set_new(a, "annotationDate", json_string(ts));
			json_object_set_new(a, "annotationType", json_string("OTHER"));
			json_object_set_new(a, "annotator", jstr(who ? who : "Tool: lictrace"));
			json_object_set_new(a, "comment", jstr(text));
			json_object_set_new(root, "annotations", json_pack("[o]", a));
		}
		free(text);
	}
	json_object_set(root, "packages", x->packages);
	json_object_set(root, "relationships", x->rels);
	refs = json_array();
	json_object_foreach(x->refs, key, v)
		json_array_append(refs, v);
	if (json_array_size(refs))
		json_object_set_new(root, "hasExtractedLicensingInfos", refs);
	else
		json_decref(refs);
	rc = json_dumpf(root, w->ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', w->ctx->out);
	json_decref(root);
	buf_release(&ns);
	free(name);
	free(who);
	return rc;
}

static void x_free(struct report_writer *w)
{
	struct spdx *x = w->impl;

	if (x) {
		json_decref(x->packages);
		json_decref(x->rels);
		json_decref(x->ids);
		json_decref(x->used);
		json_decref(x->refs);
		json_decref(x->pkg_index);
		free(x->first);
		summary_free(x->sum);
	}
	free(x);
}

struct report_writer *report_spdx_new(void)
{
	return report_writer_make("spdx2", x_begin, x_model, x_end, x_free);
}
