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
#include "identity.h"
#include "record_int.h"
#include "thirdparty.h"
#include "evidence/prose.h"
#include "classify/classify.h"
#include "classify/classcache.h"
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
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


struct where at(const char *file, int line, const char *field)
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

int record_is_dataset_id(const char *s)
{
	size_t part = 0, slashes = 0;

	if (!s || !*s)
		return 0;
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '/') {
			if (!part || ++slashes > 1)
				return 0;
			part = 0;
			continue;
		}
		if (!part && (ch == '.' || ch == '-'))
			return 0;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_' || ch == '.') || ++part > 96)
			return 0;
	}
	return part > 0;
}

/* A card `datasets:` entry: kept once when it is a dataset id, else a note. */
static void add_dataset(struct model_record *r, const char *id, int line)
{
	struct dataset_ref d;

	if (!id || !*id)
		return;
	if (!record_is_dataset_id(id)) {
		record_note(r, "dataset-unresolved", "README.md", line,
			    "the card's datasets entry '%.200s' is not a Hub dataset id", id);
		return;
	}
	for (size_t i = 0; i < r->ndatasets; i++)
		if (lt_strieq(r->datasets[i].id, id))
			return;
	if (r->ndatasets >= LT_MAX_PARENTS)
		return;
	d.id = lt_strdup(id);
	d.at = at("README.md", line, "datasets");
	PUSH(r->datasets, r->ndatasets, d);
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
char *rec_id_from_url(const char *s)
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

/* value as declared in field, lic what it names (NULL: nothing lictrace knows). */
static void add_declared_as(struct model_record *r, const struct licensedb *db, const char *value,
			    const struct licdef *lic, const char *file, int line, const char *field)
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
	d.lic = lic ? lic : licensedb_lookup(db, v);
	d.at = at(file, line, field);
	PUSH(r->declared, r->ndeclared, d);
}

void add_declared(struct model_record *r, const struct licensedb *db, const char *value,
		  const char *file, int line, const char *field)
{
	add_declared_as(r, db, value, NULL, file, line, field);
}

void add_parent(struct model_record *r, const char *raw, const char *relation,
		       const char *file, int line, const char *field, const char *why)
{
	struct parent p;
	char *id = NULL, *rev = NULL, *at_sign;
	int local = 0;

	if (!raw || !*raw)
		return;
	if ((id = rec_id_from_url(raw)) == NULL) {
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
		if (lt_strieq(r->parents[i].id, id)) { /* hub ids fold case */
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

int rec_read_file(struct source *src, const char *path, size_t max, struct buf *b,
		  int *truncated, struct lt_error *err)
{
	buf_init(b, max + 1);
	return source_read(src, path, max, b, truncated, err);
}

/* Line `line` (1-based) of text[0..len), without surrounding blanks, cut at
 * RECORD_QUOTE_MAX bytes (on a character boundary), or NULL. */
static char *quote_line(const char *text, size_t len, int line)
{
	const char *p = text, *end = text ? text + len : NULL, *e;
	size_t n;

	if (!text || line < 1)
		return NULL;
	for (; line > 1 && p; line--) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (p)
			p++;
	}
	if (!p || p >= end)
		return NULL;
	e = memchr(p, '\n', (size_t)(end - p));
	if (!e)
		e = end;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	n = (size_t)(e - p);
	if (n > RECORD_QUOTE_MAX) {
		n = RECORD_QUOTE_MAX;
		while (n && ((unsigned char)p[n] & 0xC0) == 0x80)
			n--;
	}
	return n ? lt_strndup(p, n) : NULL;
}

static void add_detections(struct model_record *r, const struct classify_result *cr,
			   const char *file, int line_base, const char *text, size_t len)
{
	for (size_t i = 0; i < cr->n; i++) {
		struct detected d;
		d.quote = quote_line(text, len, cr->v[i].line);
		d.lic = cr->v[i].lic;
		d.confidence = cr->v[i].confidence;
		d.rule = lt_strdup(cr->v[i].rule ? cr->v[i].rule->id : "");
		d.kind = (int)cr->v[i].kind;
		d.third_party = 0;
		d.at = at(file, line_base + (cr->v[i].line > 0 ? cr->v[i].line - 1 : 0), NULL);
		PUSH(r->detected, r->ndetected, d);
	}
}

/* Set once by `lictrace fix` before any record is built (record.h). */
static int keep_license_texts;

void record_keep_license_texts(int on)
{
	keep_license_texts = on;
}

/* Read and classify one license / notice / policy file. */
static void scan_license_file(struct model_record *r, struct source *src,
			      const struct source_entry *e, const char *role,
			      const struct licensedb *db, const struct classify_ctx *cls, size_t max)
{
	struct lic_file f;
	struct buf b;
	struct lt_error err;
	struct classify_result cr;
	unsigned char sha[32];
	int truncated = 0, keyed = 0;

	memset(&f, 0, sizeof(f));
	f.path = lt_strdup(e->path);
	f.role = lt_strdup(role);
	if (e->lfs_pointer) {
		f.unreadable = 1;
		f.why_unreadable = lt_strdup("it is a Git LFS pointer, not the text");
	} else if (!e->readable) {
		f.unreadable = 1;
		f.why_unreadable = lt_strdup("it could not be read (symbolic link, refused or not fetched)");
	} else if (rec_read_file(src, e->path, max, &b, &truncated, &err) != 0) {
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
		if (classcache_classify_keyed(cls, db, f.text, f.len, &cr, sha, &keyed, &err) != 0) {
			f.unknown = 1;
		} else if (cr.binary) {
			/* the classifier's sniff decides: one test of "is this text" */
			f.unreadable = 1;
			f.why_unreadable = lt_strdup("it is a binary file, not text");
			free(f.text);
			f.text = NULL;
			f.len = 0;
		} else {
			size_t first = r->ndetected;
			int tp = keyed ? thirdparty_first_line_keyed(sha, f.text, f.len) : thirdparty_first_line(f.text, f.len);
			add_detections(r, &cr, e->path, 1, f.text, f.len);
			for (size_t k = first; tp && k < r->ndetected; k++)
				if (r->detected[k].kind == RULE_LICENSE && r->detected[k].at.line >= tp)
					r->detected[k].third_party = 1;
			if (cr.n == 0 && strcmp(role, "notice") != 0)
				f.unknown = 1;
			if (cr.modified_from)
				f.modified_from = lt_strdup(cr.modified_from);
		}
		classify_result_release(&cr);
		if (f.text && strcmp(role, "notice") != 0 && !keep_license_texts) {
			free(f.text); /* only a notice's text is read again (findings) */
			f.text = NULL;
		}
	}
	if (f.unreadable)
		record_note(r, "license-file-unreadable", e->path, 0, "'%s' cannot be used: %s",
			    e->path, f.why_unreadable ? f.why_unreadable : "unreadable");
	PUSH(r->files, r->nfiles, f);
}

/* The file a card's relative license_link names ("LICENSE", "./docs/terms.md"),
 * when it is a safe path of the repository; NULL otherwise. */
static const struct source_entry *linked_entry(struct source *src, const char *link)
{
	const char *rel = link[0] == '.' && link[1] == '/' ? link + 2 : link;

	return path_is_safe_relative(rel) ? source_find(src, rel) : NULL;
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
	if (rec_read_file(src, "README.md", max, &b, &truncated, &err) != 0 || truncated) {
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
	for (size_t i = 0; i < c->ndups; i++)
		record_note(r, "card-duplicate-key", "README.md", c->dups[i].line,
			    "the card gives '%s' more than once (lines %d and %d); the last one counts, "
			    "as the Hub reads it, and the earlier value is not used",
			    c->dups[i].key, c->dups[i].first_line, c->dups[i].line);
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
		r->license_link = lt_strdup(link);
		if (strstr(link, "://")) {
			/* the address of a license lictrace knows declares it, unless
			 * license_name already names one */
			const struct licdef *at_url = licensedb_by_url(db, link);
			if (at_url && !c->license_name.value)
				add_declared_as(r, db, link, at_url, "README.md", c->license_link.line,
						"license_link");
		} else if (!linked_entry(src, link)) {
			record_note(r, "license-link-missing", "README.md", c->license_link.line,
				    "license_link names '%s', which is not in the repository", link);
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
		/* a tag that names one model license's family and version ("llama-2"):
		 * a base to fall back on when nothing else names one */
		{
			const struct licdef *tl = licensedb_lookup(db, c->tags[i].value);
			if (tl && tl->version && *tl->version && tl->hub_orgs.n) {
				struct parent tp;
				memset(&tp, 0, sizeof(tp));
				tp.id = lt_strdup(c->tags[i].value);
				tp.at = at("README.md", c->tags[i].line, "family tag");
				if (tp.id)
					PUSH(r->prose_bases, r->nprose_bases, tp);
			}
		}
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
	for (size_t i = 0; i < c->ndatasets; i++)
		add_dataset(r, c->datasets[i].value, c->datasets[i].line);
	if (c->library_name.value && lt_strieq(c->library_name.value, "peft"))
		r->adapter_evidence = 1;
	if (c->quantized_by.value)
		r->quantized_evidence = 1;
	if (c->model_name.value && *c->model_name.value && !r->name) {
		r->name = lt_strdup(c->model_name.value);
		r->name_from = IDENT_CARD_MODEL_NAME;
	} else if (c->model_index_name.value && *c->model_index_name.value && !r->name) {
		r->name = lt_strdup(c->model_index_name.value);
		r->name_from = IDENT_CARD_MODEL_INDEX;
	}
	if (c->extra_gated_prompt.value) {
		struct classify_result cr;
		memset(&cr, 0, sizeof(cr));
		if (classify_text(cls, c->extra_gated_prompt.value, strlen(c->extra_gated_prompt.value),
				  &cr, &err) == 0) {
			add_detections(r, &cr, "README.md", c->extra_gated_prompt.line, NULL, 0);
			classify_result_release(&cr);
		}
	}
	if (!c->nlicenses) {
		struct card_value pv = { 0 };
		if (card_prose_license(c, &pv) == 1 && pv.value) {
			add_declared(r, db, pv.value, "README.md", pv.line, "prose");
			record_note(r, "prose-license-only", "README.md", pv.line,
				    "the card states the license '%s' only in its text", pv.value);
		} else {
			rec_prose_license(r, db, c);
		}
		free(pv.value);
	}
	rec_card_mergekit(r, c);
	rec_collect_prose_bases(r, c);
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
	if (rec_read_file(src, e->path, LT_MAX_CONFIG_BYTES, &b, &truncated, &err) != 0 || truncated) {
		/* a config that could name a base model and cannot be read hides lineage */
		record_note(r, strcmp(role, "quant-config") ? "config-unreadable" : "source-problem", e->path, 0,
			    "'%s' cannot be read: %s", e->path, truncated ? "too large" : err.message);
		buf_release(&b);
		return;
	}
	if (strcmp(role, "config") == 0) {
		struct model_config *mc = NULL;
		if (model_config_parse(&mc, e->path, buf_cstr(&b), b.len, &err) == 0) {
			if (mc->has_quantization_config)
				r->quantized_evidence = 1;
			/* _name_or_path is often a local training path: ids count at once, a
			 * local path only when nothing else names a parent (record_build) */
			if (mc->name_or_path && record_is_hub_id(mc->name_or_path) &&
			    !(r->id && lt_strieq(mc->name_or_path, r->id)))
				add_parent(r, mc->name_or_path, NULL, e->path, mc->name_or_path_line,
					   "_name_or_path", NULL);
			else if (mc->name_or_path && record_is_local_path(mc->name_or_path) &&
				 !r->local_origin && (r->local_origin = calloc(1, sizeof(*r->local_origin)))) {
				r->local_origin->id = lt_strdup(mc->name_or_path);
				r->local_origin->local_path = 1;
				r->local_origin->at = at(e->path, mc->name_or_path_line, "_name_or_path");
			}
			model_config_free(mc);
		} else {
			record_note(r, "config-unreadable", e->path, err.line,
				    "'%s' cannot be parsed, so a base model it names would be missed: %s",
				    e->path, err.message);
		}
	} else if (strcmp(role, "adapter") == 0) {
		struct adapter_config *ac = NULL;
		r->adapter_evidence = 1;
		r->adapter_files = 1;
		if (adapter_config_parse(&ac, e->path, buf_cstr(&b), b.len, &err) == 0) {
			if (ac->base_model_name_or_path)
				add_parent(r, ac->base_model_name_or_path, "adapter", e->path, ac->base_line,
					   "base_model_name_or_path", NULL);
			adapter_config_free(ac);
		} else {
			record_note(r, "config-unreadable", e->path, err.line,
				    "'%s' cannot be parsed, so a base model it names would be missed: %s",
				    e->path, err.message);
		}
	} else if (strcmp(role, "mergekit") == 0) {
		struct mergekit *mk = NULL;
		if (mergekit_parse(&mk, e->path, buf_cstr(&b), b.len, &err) == 0) {
			for (size_t i = 0; i < mk->nmodels; i++)
				add_parent(r, mk->models[i].model, mk->nmodels > 1 ? "merge" : NULL,
					   e->path, mk->models[i].line, "models", NULL);
			mergekit_free(mk);
		} else {
			record_note(r, "config-unreadable", e->path, err.line,
				    "'%s' cannot be parsed, so a base model it names would be missed: %s",
				    e->path, err.message);
		}
	} else if (strcmp(role, "quant-config") == 0) {
		r->quantized_evidence = 1;
	}
	buf_release(&b);
}

static int is_first_shard(const char *path)
{
	const char *p = strstr(path, "-of-");
	return !p || strstr(path, "00001-of-") != NULL;
}

/* Quantisation named in the model's name: "-GGUF", "GPTQ", "AWQ", "bnb-4bit",
 * "MLX", "exl2", "4bit"/"8bit", "int4"/"int8". */
static int name_says_quantized(const char *name)
{
	static const char *const marks[] = { "gguf", "gptq", "awq", "bnb", "mlx", "exl2", "4bit",
					     "8bit", "4-bit", "8-bit", "int4", "int8", NULL };
	char *low = lt_strdup(name ? name : "");
	int yes = 0;

	for (char *p = low; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (int i = 0; low && marks[i] && !yes; i++)
		yes = strstr(low, marks[i]) != NULL;
	free(low);
	return yes;
}

/* Keep how a parent was found ("named in the card's prose") when it says so. */
#define SET_WHY(p, text)                           \
	do {                                       \
		if (!(p)->why)                     \
			(p)->why = lt_strdup(text); \
	} while (0)

static void infer_relations(struct model_record *r)
{
	size_t distinct = 0;

	for (size_t i = 0; i < r->nparents; i++)
		distinct += !r->parents[i].same_as; /* a local copy of a named parent is that parent */
	if (!r->quantized_evidence && name_says_quantized(r->name))
		r->quantized_evidence = 1;
	for (size_t i = 0; i < r->nparents; i++) {
		struct parent *p = &r->parents[i];
		if (p->relation)
			continue;
		p->inferred = 1; /* a prose parent keeps its reason (SET_WHY) */
		if (distinct > 1) {
			p->relation = lt_strdup("merge");
			SET_WHY(p, "several base models");
		} else if (r->adapter_evidence && r->full_weights && !r->adapter_files) {
			/* peft named but full weights and no adapter files: the LoRA was merged */
			p->relation = lt_strdup("finetune");
			SET_WHY(p, "a LoRA merged into full weights");
		} else if (r->adapter_evidence) {
			p->relation = lt_strdup("adapter");
			SET_WHY(p, "adapter config or peft library");
		} else if (r->quantized_evidence) {
			p->relation = lt_strdup("quantized");
			SET_WHY(p, "quantized weights or quantization config");
		} else {
			p->relation = lt_strdup("finetune");
			SET_WHY(p, "default when nothing else is said");
		}
	}
}

/* The model's id (a label), name and owner, in identity.h's order. */
static void set_identity(struct model_record *r, const struct source *src, const char *hub_id)
{
	char *owner = NULL, *name = NULL;
	const char *from = NULL;

	if (hub_id) {
		const char *slash = strchr(hub_id, '/');
		r->id = lt_strdup(hub_id);
		if (slash) {
			owner = lt_strndup(hub_id, (size_t)(slash - hub_id));
			name = lt_strdup(slash + 1);
		} else {
			name = lt_strdup(hub_id);
		}
		from = IDENT_HUB_ID;
	} else {
		char *url = strstr(src->target, "://") || !strncmp(src->target, "git@", 4)
				    ? lt_strdup(src->target)
				    : identity_git_origin(src->target);
		if (url) {
			identity_from_url(url, &owner, &name);
			from = IDENT_GIT_ORIGIN;
			free(url);
		}
		if (!name) {
			free(owner);
			identity_from_folder(src->target, &owner, &name);
			from = IDENT_FOLDER;
		}
		/* the id labels the model in reports: its real folder name, never "." */
		if (!strstr(src->target, "://"))
			r->id = identity_folder_base(src->target);
		if (!r->id)
			r->id = lt_strdup(name ? name : src->target);
	}
	if (owner) {
		r->owner = owner;
		r->owner_from = from;
	}
	if (!r->name) {
		r->name = name;
		r->name_from = from;
	} else {
		free(name);
	}
}

static const struct lic_file *lic_file_of(const struct model_record *r, const char *path)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, path))
			return &r->files[i];
	return NULL;
}

/* A card's license_link that names a file of the repository no role reads (a
 * sub-folder's "docs/MODEL_LICENSE.txt"): that file holds the license, so it is
 * read and classified as one. */
static void scan_linked_license(struct model_record *r, struct source *src, const struct licensedb *db,
				const struct classify_ctx *cls, size_t max)
{
	const struct source_entry *e =
		r->license_link && !strstr(r->license_link, "://") ? linked_entry(src, r->license_link) : NULL;

	if (e && !rec_role_of(db, e->path) && !lic_file_of(r, e->path))
		scan_license_file(r, src, e, "license", db, cls, max);
}

/* What the scan did with each file of the source. */
static void take_inventory(struct model_record *r, const struct source *src, const struct licensedb *db,
			   const struct source_entry *gguf, const struct source_entry *st)
{
	for (size_t i = 0; i < src->nentries; i++) {
		const struct source_entry *e = &src->entries[i];
		const char *role = rec_role_of(db, e->path);
		struct examined x;
		const struct lic_file *lf;

		if (!role && lic_file_of(r, e->path))
			role = "license"; /* named by the card's license_link */
		memset(&x, 0, sizeof(x));
		x.path = lt_strdup(e->path);
		x.role = role;
		x.size = e->size;
		x.lfs_pointer = e->lfs_pointer;
		x.lfs_oid = e->lfs_oid ? lt_strdup(e->lfs_oid) : NULL;
		x.lfs_size = e->lfs_size;
		if (!role)
			x.what = lt_strdup("not examined: not a card, license, notice, policy, config or weights file");
		else if (e->lfs_pointer)
			x.what = lt_asprintf("Git LFS pointer (%s, %llu bytes): the content was not downloaded",
					     e->lfs_oid ? e->lfs_oid : "no oid", e->lfs_size);
		else if (!e->readable)
			x.what = lt_strdup("not readable from this source (refused, not fetched or a link)");
		else if (!strcmp(role, "card"))
			x.what = lt_strdup("front matter and prose read");
		else if ((lf = lic_file_of(r, e->path)) != NULL)
			x.what = lf->unreadable ? lt_asprintf("not used: %s", lf->why_unreadable ? lf->why_unreadable : "unreadable")
						: lt_strdup(lf->unknown ? "classified: no known license" : "read and classified");
		else if (!strcmp(role, "weights"))
			x.what = lt_strdup(e == gguf ? "GGUF header read (metadata only)"
					   : e == st ? "safetensors header read (metadata only)"
					   : "not read: one weight file's header stands for the rest");
		else
			x.what = lt_strdup("parsed");
		PUSH(r->examined, r->nexamined, x);
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
	r->release_time = src->release_time ? lt_strdup(src->release_time) : NULL;
	r->supplier = src->supplier ? lt_strdup(src->supplier) : NULL;
	for (size_t i = 0; i < src->nproblems; i++)
		record_note(r, "source-problem", src->target, 0, "%s", src->problems[i]);

	scan_card(r, src, db, cls, max_card);
	set_identity(r, src, opts && opts->id ? opts->id : NULL);

	for (size_t i = 0; i < src->nentries; i++) {
		const struct source_entry *e = &src->entries[i];
		const char *role = rec_role_of(db, e->path);

		if (!role)
			continue;
		if (rec_role_is_text(role))
			scan_license_file(r, src, e, role, db, cls, max_lic);
		else if (!strcmp(role, "config") || !strcmp(role, "adapter") ||
			 !strcmp(role, "mergekit") || !strcmp(role, "quant-config"))
			scan_configs(r, src, e, role);
		else if (!strcmp(role, "weights")) {
			if (strstr(e->path, "adapter_model"))
				r->adapter_files = 1;
			else
				r->full_weights = 1;
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
	scan_linked_license(r, src, db, cls, max_lic);
	if (gguf)
		rec_scan_gguf(r, src, db, gguf);
	if (st)
		rec_scan_safetensors(r, src, db, st);
	rec_place_prose_parents(r, db);
	infer_relations(r);
	take_inventory(r, src, db, gguf, st);
	*out = r;
	return 0;
}

static void parent_release(struct parent *p)
{
	free(p->id); free(p->revision); free(p->relation); free(p->why); free(p->same_as);
	where_release(&p->at);
}

void record_free(struct model_record *r)
{
	if (!r)
		return;
	free(r->id); free(r->name); free(r->owner); free(r->target); free(r->source_kind); free(r->revision);
	free(r->release_time); free(r->supplier);
	free(r->card_text);
	free(r->license_link);
	for (size_t i = 0; i < r->ndeclared; i++) {
		free(r->declared[i].value);
		where_release(&r->declared[i].at);
	}
	free(r->declared);
	for (size_t i = 0; i < r->ndetected; i++) {
		free(r->detected[i].rule);
		free(r->detected[i].quote);
		where_release(&r->detected[i].at);
	}
	free(r->detected);
	for (size_t i = 0; i < r->nparents; i++)
		parent_release(&r->parents[i]);
	free(r->parents);
	for (size_t i = 0; i < r->nprose_bases; i++)
		parent_release(&r->prose_bases[i]);
	free(r->prose_bases);
	if (r->local_origin)
		parent_release(r->local_origin);
	free(r->local_origin);
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
	for (size_t i = 0; i < r->nexamined; i++) {
		free(r->examined[i].path);
		free(r->examined[i].lfs_oid);
		free(r->examined[i].what);
	}
	free(r->examined);
	for (size_t i = 0; i < r->ndatasets; i++) {
		free(r->datasets[i].id);
		where_release(&r->datasets[i].at);
	}
	free(r->datasets);
	free(r);
}
