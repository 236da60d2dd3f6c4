/*
 * record.c - build a model record from a source; see record.h.
 *
 * Reading order: the file roles (rules/roles.yaml), the card, license / notice /
 * policy files, configs (config.json, adapter_config.json, mergekit), then the
 * first GGUF and safetensors headers. Each fact keeps its file and line. Nothing
 * is judged here except what only the reader can know (a file it could not read,
 * a card it could not parse): those become notes for the findings layer.
 */
#include "record.h"
#include "classify/classify.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/path.h"
#include "core/str.h"
#include "evidence/card.h"
#include "evidence/gguf.h"
#include "evidence/jsoncfg.h"
#include "evidence/mergekit.h"
#include "evidence/safetensors.h"
#include "licensedb/licensedb.h"
#include "source/source.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GGUF general.* keys come first in files written by llama.cpp; 8 MiB of prefix
 * holds them even when a large vocabulary follows. */
#define RECORD_GGUF_PREFIX (8u * 1024u * 1024u)
/* safetensors headers are usually < 1 MiB; we allow the format's own cap. */
#define RECORD_ST_PREFIX (1u * 1024u * 1024u)

#define PUSH(arr, n, item)                                                         \
	do {                                                                       \
		void *p_ = realloc((arr), ((n) + 1) * sizeof(*(arr)));             \
		if (p_) {                                                          \
			(arr) = p_;                                                \
			(arr)[(n)++] = (item);                                     \
		}                                                                  \
	} while (0)

static struct where at(const char *file, int line, const char *field)
{
	struct where w;

	w.file = lt_strdup(file ? file : "");
	w.line = line;
	w.field = field ? lt_strdup(field) : NULL;
	return w;
}

static void where_release(struct where *w)
{
	free(w->file);
	free(w->field);
}

void record_note(struct model_record *r, const char *finding, const char *file, int line,
		 const char *fmt, ...)
{
	struct note n;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n.finding = lt_strdup(finding);
	n.message = lt_strdup(msg);
	n.at = at(file, line, NULL);
	PUSH(r->notes, r->nnotes, n);
}

int record_is_local_path(const char *s)
{
	if (!s || !*s)
		return 0;
	if (s[0] == '/' || s[0] == '.' || s[0] == '~' || s[0] == '\\')
		return 1;
	if (((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) && s[1] == ':')
		return 1;
	if (strstr(s, "://"))
		return 0;
	const char *slash = strchr(s, '/');
	return slash && strchr(slash + 1, '/') != NULL;
}

int record_is_hub_id(const char *s)
{
	const char *slash;

	if (!s || !*s || record_is_local_path(s) || strstr(s, "://"))
		return 0;
	slash = strchr(s, '/');
	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	for (const char *p = s; *p && *p != '@'; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == '/'))
			return 0;
	}
	return 1;
}

/* Strip a Hub URL down to its id: https://huggingface.co/org/name[/...] -> org/name. */
static char *id_from_url(const char *s)
{
	static const char *const hosts[] = { "https://huggingface.co/", "http://huggingface.co/",
					     "https://hf.co/", "huggingface.co/", "hf.co/", NULL };
	for (int i = 0; hosts[i]; i++) {
		if (lt_istarts_with(s, hosts[i])) {
			const char *p = s + strlen(hosts[i]);
			const char *sl = strchr(p, '/');
			if (!sl)
				return NULL;
			const char *end = strchr(sl + 1, '/');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			char *id = lt_strndup(p, n);
			if (id && !record_is_hub_id(id)) {
				free(id);
				return NULL;
			}
			return id;
		}
	}
	return NULL;
}

static void add_declared(struct model_record *r, const struct licensedb *db, const char *value,
			 const char *file, int line, const char *field)
{
	struct declared d;
	char *v = lt_strdup(value);

	if (!v)
		return;
	lt_trim(v);
	if (!*v) {
		free(v);
		return;
	}
	for (size_t i = 0; i < r->ndeclared; i++) /* same value from the same field once */
		if (strcmp(r->declared[i].value, v) == 0 && r->declared[i].at.field &&
		    strcmp(r->declared[i].at.field, field) == 0) {
			free(v);
			return;
		}
	d.value = v;
	d.lic = licensedb_lookup(db, v);
	d.at = at(file, line, field);
	PUSH(r->declared, r->ndeclared, d);
}

static void add_parent(struct model_record *r, const char *raw, const char *relation,
		       const char *file, int line, const char *field, const char *why)
{
	struct parent p;
	char *id = NULL, *rev = NULL, *at_sign;
	int local = 0;

	if (!raw || !*raw)
		return;
	if ((id = id_from_url(raw)) == NULL) {
		if (record_is_hub_id(raw)) {
			id = lt_strdup(raw);
		} else {
			id = lt_strdup(raw);
			local = 1;
		}
	}
	if (!id)
		return;
	if (!local && (at_sign = strchr(id, '@'))) {
		rev = lt_strdup(at_sign + 1);
		*at_sign = '\0';
	}
	for (size_t i = 0; i < r->nparents; i++) {
		if (strcmp(r->parents[i].id, id) == 0) {
			if (relation && !r->parents[i].relation)
				r->parents[i].relation = lt_strdup(relation);
			free(id);
			free(rev);
			return;
		}
	}
	if (r->nparents >= LT_MAX_PARENTS) {
		record_note(r, "source-problem", file, line, "more than %d base models; the rest ignored",
			    LT_MAX_PARENTS);
		free(id);
		free(rev);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.id = id;
	p.revision = rev;
	p.relation = relation ? lt_strdup(relation) : NULL;
	p.local_path = local;
	p.why = why ? lt_strdup(why) : NULL;
	p.at = at(file, line, field);
	PUSH(r->parents, r->nparents, p);
}

static const char *role_of(const struct licensedb *db, const char *path)
{
	const char *base = path_basename(path);
	int root = strchr(path, '/') == NULL;

	for (size_t i = 0; i < db->nroles; i++) {
		const struct role_rule *rr = db->roles[i];
		int weights = strcmp(rr->role, "weights") == 0;
		if (!root && !weights)
			continue;
		for (size_t j = 0; j < rr->names.n; j++)
			if (lt_glob_match(rr->names.v[j], base))
				return rr->role;
	}
	return NULL;
}

static int read_file(struct source *src, const char *path, size_t max, struct buf *b,
		     int *truncated, struct lt_error *err)
{
	buf_init(b, max + 1);
	return source_read(src, path, max, b, truncated, err);
}

static void add_detections(struct model_record *r, const struct classify_result *cr,
			   const char *file, int line_base)
{
	for (size_t i = 0; i < cr->n; i++) {
		struct detected d;
		d.lic = cr->v[i].lic;
		d.confidence = cr->v[i].confidence;
		d.rule = lt_strdup(cr->v[i].rule ? cr->v[i].rule->id : "");
		d.kind = (int)cr->v[i].kind;
		d.at = at(file, line_base + (cr->v[i].line > 0 ? cr->v[i].line - 1 : 0), NULL);
		PUSH(r->detected, r->ndetected, d);
	}
}

/* Read and classify one license / notice / policy file. */
static void scan_license_file(struct model_record *r, struct source *src,
			      const struct source_entry *e, const char *role,
			      const struct classify_ctx *cls, size_t max)
{
	struct lic_file f;
	struct buf b;
	struct lt_error err;
	struct classify_result cr;
	int truncated = 0;

	memset(&f, 0, sizeof(f));
	f.path = lt_strdup(e->path);
	f.role = lt_strdup(role);
	if (e->lfs_pointer) {
		f.unreadable = 1;
		f.why_unreadable = lt_strdup("it is a Git LFS pointer, not the text");
	} else if (!e->readable) {
		f.unreadable = 1;
		f.why_unreadable = lt_strdup("it could not be read (symbolic link, refused or not fetched)");
	} else if (read_file(src, e->path, max, &b, &truncated, &err) != 0) {
		f.unreadable = 1;
		f.why_unreadable = lt_strdup(err.message);
		buf_release(&b);
	} else if (truncated) {
		f.unreadable = 1;
		f.why_unreadable = lt_asprintf("it is larger than the %zu byte limit", max);
		buf_release(&b);
	} else {
		f.text = buf_detach(&b, &f.len);
		memset(&cr, 0, sizeof(cr));
		if (classify_text(cls, f.text, f.len, &cr, &err) != 0) {
			f.unknown = 1;
		} else if (cr.binary) {
			/* the classifier's sniff decides: one test of "is this text" */
			f.unreadable = 1;
			f.why_unreadable = lt_strdup("it is a binary file, not text");
			free(f.text);
			f.text = NULL;
			f.len = 0;
		} else {
			add_detections(r, &cr, e->path, 1);
			if (cr.n == 0 && strcmp(role, "notice") != 0)
				f.unknown = 1;
			if (cr.modified_from)
				f.modified_from = lt_strdup(cr.modified_from);
		}
		classify_result_release(&cr);
	}
	if (f.unreadable)
		record_note(r, "license-file-unreadable", e->path, 0, "'%s' cannot be used: %s",
			    e->path, f.why_unreadable ? f.why_unreadable : "unreadable");
	PUSH(r->files, r->nfiles, f);
}

static void scan_card(struct model_record *r, struct source *src, const struct licensedb *db,
		      const struct classify_ctx *cls, size_t max)
{
	const struct source_entry *e = source_find(src, "README.md");
	struct card *c = NULL;
	struct buf b;
	struct lt_error err;
	int truncated = 0;

	if (!e)
		return;
	r->has_card = 1;
	if (!e->readable || e->lfs_pointer) {
		record_note(r, "card-malformed", "README.md", 0, "the card README.md cannot be read");
		return;
	}
	if (read_file(src, "README.md", max, &b, &truncated, &err) != 0 || truncated) {
		record_note(r, "card-malformed", "README.md", 0, "the card cannot be read: %s",
			    truncated ? "it is larger than the card size limit" : err.message);
		buf_release(&b);
		return;
	}
	if (card_parse(&c, "README.md", buf_cstr(&b), b.len, &err) != 0) {
		record_note(r, "card-malformed", "README.md", err.line, "%s", err.message);
		buf_release(&b);
		return;
	}
	r->card_text = lt_strdup(buf_cstr(&b));
	buf_release(&b);
	if (c->fm_error)
		record_note(r, "card-malformed", "README.md", c->fm_error_line ? c->fm_error_line : c->fm_first_line,
			    "%s", c->fm_error);
	for (size_t i = 0; i < c->nlicenses; i++)
		add_declared(r, db, c->licenses[i].value, "README.md", c->licenses[i].line,
			     c->licence_misspelt ? "licence" : "license");
	if (c->licence_misspelt)
		record_note(r, "licence-key-misspelt", "README.md",
			    c->nlicenses ? c->licenses[0].line : c->fm_first_line,
			    "the card uses the key 'licence'");
	for (size_t i = 0; i < c->nlicenses; i++)
		if (lt_strieq(c->licenses[i].value, "other"))
			r->other_declared = 1;
	if (c->license_name.value) {
		r->has_license_name = 1;
		add_declared(r, db, c->license_name.value, "README.md", c->license_name.line, "license_name");
	}
	if (c->license_link.value) {
		const char *link = c->license_link.value;
		r->has_license_link = 1;
		if (!strstr(link, "://")) {
			char *rel = lt_strdup(link[0] == '.' && link[1] == '/' ? link + 2 : link);
			if (rel && (!path_is_safe_relative(rel) || !source_find(src, rel)))
				record_note(r, "license-link-missing", "README.md", c->license_link.line,
					    "license_link names '%s', which is not in the repository", link);
			free(rel);
		}
	}
	for (size_t i = 0; i < c->ntags; i++) {
		const char *lid = NULL;
		char *rel = NULL, *pid = NULL;
		if (card_tag_license(c->tags[i].value, &lid) == 1 && lid)
			add_declared(r, db, lid, "README.md", c->tags[i].line, "tags");
		if (card_tag_base_model(c->tags[i].value, &rel, &pid) == 1)
			add_parent(r, pid, rel, "README.md", c->tags[i].line, "tags", NULL);
		free(rel);
		free(pid);
		if (lt_strieq(c->tags[i].value, "lora") || lt_strieq(c->tags[i].value, "peft"))
			r->adapter_evidence = 1;
		if (lt_strieq(c->tags[i].value, "gguf") || lt_strieq(c->tags[i].value, "gptq") ||
		    lt_strieq(c->tags[i].value, "awq") || lt_strieq(c->tags[i].value, "exl2"))
			r->quantized_evidence = 1;
		if (lt_strieq(c->tags[i].value, "image-text-to-text") ||
		    lt_strieq(c->tags[i].value, "multimodal") || lt_strieq(c->tags[i].value, "vision"))
			r->multimodal = 1;
	}
	for (size_t i = 0; i < c->nbase_models; i++)
		add_parent(r, c->base_models[i].value, c->base_model_relation.value, "README.md",
			   c->base_models[i].line, "base_model", NULL);
	if (c->library_name.value && lt_strieq(c->library_name.value, "peft"))
		r->adapter_evidence = 1;
	if (c->quantized_by.value)
		r->quantized_evidence = 1;
	if (c->model_name.value && !r->name)
		r->name = lt_strdup(c->model_name.value);
	if (c->extra_gated_prompt.value) {
		struct classify_result cr;
		memset(&cr, 0, sizeof(cr));
		if (classify_text(cls, c->extra_gated_prompt.value, strlen(c->extra_gated_prompt.value),
				  &cr, &err) == 0) {
			add_detections(r, &cr, "README.md", c->extra_gated_prompt.line);
			classify_result_release(&cr);
		}
	}
	if (!c->nlicenses) {
		struct card_value pv = { 0 };
		if (card_prose_license(c, &pv) == 1 && pv.value) {
			add_declared(r, db, pv.value, "README.md", pv.line, "prose");
			record_note(r, "prose-license-only", "README.md", pv.line,
				    "the card states the license '%s' only in its text", pv.value);
		}
		free(pv.value);
	}
	card_free(c);
}

static void scan_configs(struct model_record *r, struct source *src, const struct source_entry *e,
			 const char *role)
{
	struct buf b;
	struct lt_error err;
	int truncated = 0;

	if (!e->readable || e->lfs_pointer)
		return;
	if (read_file(src, e->path, LT_MAX_CONFIG_BYTES, &b, &truncated, &err) != 0 || truncated) {
		record_note(r, "source-problem", e->path, 0, "'%s' cannot be read: %s", e->path,
			    truncated ? "too large" : err.message);
		buf_release(&b);
		return;
	}
	if (strcmp(role, "config") == 0) {
		struct model_config *mc = NULL;
		if (model_config_parse(&mc, e->path, buf_cstr(&b), b.len, &err) == 0) {
			if (mc->has_quantization_config)
				r->quantized_evidence = 1;
			/* _name_or_path is often a local training path: only ids count */
			if (mc->name_or_path && record_is_hub_id(mc->name_or_path) &&
			    !(r->id && strcmp(mc->name_or_path, r->id) == 0))
				add_parent(r, mc->name_or_path, NULL, e->path, mc->name_or_path_line,
					   "_name_or_path", NULL);
			model_config_free(mc);
		} else {
			record_note(r, "source-problem", e->path, err.line, "%s", err.message);
		}
	} else if (strcmp(role, "adapter") == 0) {
		struct adapter_config *ac = NULL;
		r->adapter_evidence = 1;
		if (adapter_config_parse(&ac, e->path, buf_cstr(&b), b.len, &err) == 0) {
			if (ac->base_model_name_or_path)
				add_parent(r, ac->base_model_name_or_path, "adapter", e->path, ac->base_line,
					   "base_model_name_or_path", NULL);
			adapter_config_free(ac);
		} else {
			record_note(r, "source-problem", e->path, err.line, "%s", err.message);
		}
	} else if (strcmp(role, "mergekit") == 0) {
		struct mergekit *mk = NULL;
		if (mergekit_parse(&mk, e->path, buf_cstr(&b), b.len, &err) == 0) {
			for (size_t i = 0; i < mk->nmodels; i++)
				add_parent(r, mk->models[i].model, mk->nmodels > 1 ? "merge" : NULL,
					   e->path, mk->models[i].line, "models", NULL);
			mergekit_free(mk);
		} else {
			record_note(r, "source-problem", e->path, err.line, "%s", err.message);
		}
	} else if (strcmp(role, "quant-config") == 0) {
		r->quantized_evidence = 1;
	}
	buf_release(&b);
}

static void scan_gguf(struct model_record *r, struct source *src, const struct licensedb *db,
		      const struct source_entry *e)
{
	struct buf b;
	struct lt_error err;
	struct gguf_meta *g = NULL;
	int truncated = 0;

	r->quantized_evidence = 1;
	if (!e->readable || e->lfs_pointer)
		return;
	if (read_file(src, e->path, RECORD_GGUF_PREFIX, &b, &truncated, &err) != 0) {
		record_note(r, "source-problem", e->path, 0, "'%s' cannot be read: %s", e->path, err.message);
		buf_release(&b);
		return;
	}
	if (gguf_parse(&g, (const unsigned char *)buf_cstr(&b), b.len, !truncated, &err) != 0) {
		record_note(r, "source-problem", e->path, 0, "GGUF header of '%s': %s", e->path, err.message);
		buf_release(&b);
		return;
	}
	buf_release(&b);
	if (g->license)
		add_declared(r, db, g->license, e->path, 0, "general.license");
	if (g->license_name)
		add_declared(r, db, g->license_name, e->path, 0, "general.license.name");
	for (size_t i = 0; i < g->nbases; i++) {
		char *id = g->bases[i].repo_url ? id_from_url(g->bases[i].repo_url) : NULL;
		if (id)
			add_parent(r, id, NULL, e->path, 0, "general.base_model.repo_url", NULL);
		free(id);
	}
	gguf_meta_free(g);
}

static void scan_safetensors(struct model_record *r, struct source *src, const struct licensedb *db,
			     const struct source_entry *e)
{
	struct buf b;
	struct lt_error err;
	struct st_meta *m = NULL;
	int truncated = 0, rc;
	size_t want = RECORD_ST_PREFIX;
	const char *v;

	if (!e->readable || e->lfs_pointer)
		return;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (read_file(src, e->path, want, &b, &truncated, &err) != 0) {
			buf_release(&b);
			return;
		}
		rc = safetensors_parse(&m, (const unsigned char *)buf_cstr(&b), b.len, e->size, &err);
		if (rc == LT_ETRUNC && attempt == 0 && b.len >= 8) {
			/* a header longer than the first read: read exactly 8 + N once */
			const unsigned char *p = (const unsigned char *)b.data;
			unsigned long long n = 0;
			for (int i = 7; i >= 0; i--)
				n = (n << 8) | p[i];
			buf_release(&b);
			if (n > LT_SAFETENSORS_MAX_HEADER)
				break;
			want = (size_t)n + 8;
			continue;
		}
		buf_release(&b);
		if (rc != 0) {
			record_note(r, "source-problem", e->path, 0, "safetensors header of '%s': %s",
				    e->path, err.message);
			return;
		}
		break;
	}
	if (!m)
		return;
	if ((v = st_meta_get(m, "modelspec.license")))
		add_declared(r, db, v, e->path, 0, "modelspec.license");
	if ((v = st_meta_get(m, "ss_pretrained_model_name_or_path")) && record_is_hub_id(v))
		add_parent(r, v, NULL, e->path, 0, "ss_pretrained_model_name_or_path", NULL);
	safetensors_meta_free(m);
}

static int is_first_shard(const char *path)
{
	const char *p = strstr(path, "-of-");
	return !p || strstr(path, "00001-of-") != NULL;
}

static void infer_relations(struct model_record *r)
{
	for (size_t i = 0; i < r->nparents; i++) {
		struct parent *p = &r->parents[i];
		if (p->relation)
			continue;
		p->inferred = 1;
		if (r->nparents > 1) {
			p->relation = lt_strdup("merge");
			p->why = lt_strdup("several base models");
		} else if (r->adapter_evidence) {
			p->relation = lt_strdup("adapter");
			p->why = lt_strdup("adapter config or peft library");
		} else if (r->quantized_evidence) {
			p->relation = lt_strdup("quantized");
			p->why = lt_strdup("quantized weights or quantization config");
		} else {
			p->relation = lt_strdup("finetune");
			p->why = lt_strdup("default when nothing else is said");
		}
	}
}

int record_build(struct model_record **out, struct source *src, const struct licensedb *db,
		 const struct classify_ctx *cls, const struct record_opts *opts,
		 struct lt_error *err)
{
	struct model_record *r = calloc(1, sizeof(*r));
	size_t max_lic = opts && opts->max_license_bytes ? opts->max_license_bytes : LT_MAX_LICENSE_BYTES;
	size_t max_card = opts && opts->max_card_bytes ? opts->max_card_bytes : LT_MAX_CARD_BYTES;
	const struct source_entry *gguf = NULL, *st = NULL;
	static const char *const kinds[] = { "dir", "git", "archive", "hub" };

	*out = NULL;
	if (!r)
		return lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
	r->target = lt_strdup(src->target);
	r->source_kind = lt_strdup(kinds[src->kind]);
	r->revision = src->revision ? lt_strdup(src->revision) : NULL;
	if (opts && opts->id) {
		r->id = lt_strdup(opts->id);
	} else {
		char *t = lt_strdup(src->target);
		size_t n = t ? strlen(t) : 0;
		while (n > 1 && t[n - 1] == '/')
			t[--n] = '\0';
		r->id = t ? lt_strdup(path_basename(t)) : NULL;
		free(t);
	}
	for (size_t i = 0; i < src->nproblems; i++)
		record_note(r, "source-problem", src->target, 0, "%s", src->problems[i]);

	scan_card(r, src, db, cls, max_card);
	if (!r->name && r->id)
		r->name = lt_strdup(strchr(r->id, '/') ? strchr(r->id, '/') + 1 : r->id);

	for (size_t i = 0; i < src->nentries; i++) {
		const struct source_entry *e = &src->entries[i];
		const char *role = role_of(db, e->path);

		if (!role)
			continue;
		if (!strcmp(role, "license") || !strcmp(role, "notice") || !strcmp(role, "policy"))
			scan_license_file(r, src, e, role, cls, max_lic);
		else if (!strcmp(role, "config") || !strcmp(role, "adapter") ||
			 !strcmp(role, "mergekit") || !strcmp(role, "quant-config"))
			scan_configs(r, src, e, role);
		else if (!strcmp(role, "weights")) {
			if (lt_ends_with(e->path, ".gguf") || lt_ends_with(e->path, ".GGUF")) {
				r->quantized_evidence = 1;
				if (!gguf || (is_first_shard(e->path) && !is_first_shard(gguf->path)))
					gguf = e;
			} else if (lt_ends_with(e->path, ".safetensors") && !st) {
				st = e;
			}
			if (strstr(e->path, "gptq") || strstr(e->path, "GPTQ") || strstr(e->path, "awq") ||
			    strstr(e->path, "AWQ") || lt_ends_with(e->path, ".exl2"))
				r->quantized_evidence = 1;
		}
	}
	if (gguf)
		scan_gguf(r, src, db, gguf);
	if (st)
		scan_safetensors(r, src, db, st);
	infer_relations(r);
	*out = r;
	return 0;
}

void record_free(struct model_record *r)
{
	if (!r)
		return;
	free(r->id); free(r->name); free(r->target); free(r->source_kind); free(r->revision);
	free(r->card_text);
	for (size_t i = 0; i < r->ndeclared; i++) {
		free(r->declared[i].value);
		where_release(&r->declared[i].at);
	}
	free(r->declared);
	for (size_t i = 0; i < r->ndetected; i++) {
		free(r->detected[i].rule);
		where_release(&r->detected[i].at);
	}
	free(r->detected);
	for (size_t i = 0; i < r->nparents; i++) {
		struct parent *p = &r->parents[i];
		free(p->id); free(p->revision); free(p->relation); free(p->why);
		where_release(&p->at);
	}
	free(r->parents);
	for (size_t i = 0; i < r->nfiles; i++) {
		struct lic_file *f = &r->files[i];
		free(f->path); free(f->role); free(f->text); free(f->why_unreadable); free(f->modified_from);
	}
	free(r->files);
	for (size_t i = 0; i < r->nnotes; i++) {
		free(r->notes[i].finding);
		free(r->notes[i].message);
		where_release(&r->notes[i].at);
	}
	free(r->notes);
	free(r);
}
