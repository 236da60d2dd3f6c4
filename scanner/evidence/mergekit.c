/*
 * mergekit.c - model references of a mergekit config through yamlx; see mergekit.h.
 */
#include "mergekit.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"
#include "yamlx/yamlx.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct mk_state {
	struct mergekit *m;
	size_t cap;
	const char *name;
	struct lt_error *err;
};

/* Add s[0, n) (NULs become '?') unless already listed. */
static int add_ref(struct mk_state *st, const char *s, size_t n, int line)
{
	struct merge_ref *v;
	char *t;

	for (size_t i = 0; i < st->m->nmodels; i++)
		if (strlen(st->m->models[i].model) == n && memcmp(st->m->models[i].model, s, n) == 0)
			return 0;
	if (st->m->nmodels >= LT_MAX_PARENTS)
		return lt_error_set(st->err, LT_ETOOBIG, st->name, line,
				    "'%s' merges more than %d models", st->name, LT_MAX_PARENTS);
	if (st->m->nmodels == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 8;
		v = realloc(st->m->models, ncap * sizeof(*v));
		if (!v)
			return lt_error_set(st->err, LT_ENOMEM, st->name, line, "out of memory");
		st->m->models = v;
		st->cap = ncap;
	}
	t = lt_strndup(s, n);
	if (!t)
		return lt_error_set(st->err, LT_ENOMEM, st->name, line, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (t[i] == '\0')
			t[i] = '?';
	st->m->models[st->m->nmodels].model = t;
	st->m->models[st->m->nmodels].line = line;
	st->m->nmodels++;
	return 0;
}

static int bad_ref(struct mk_state *st, const struct ynode *n)
{
	return lt_error_set(st->err, LT_EPARSE, st->name, n->line,
			    "bad model reference '%.80s' in '%s'", n->value, st->name);
}

/* A ModelPath: a string (kept whole, "@rev" included) or {path, revision}. */
static int path_node(struct mk_state *st, const struct ynode *n)
{
	const char *path, *rev;
	char *joined;
	int rc;

	if (!n)
		return 0;
	if (n->kind == Y_SCALAR)
		return yx_str(n) ? add_ref(st, n->value, n->len, n->line) : 0;
	if (n->kind != Y_MAP || !(path = yx_str(yx_get(n, "path"))))
		return 0;
	rev = yx_str(yx_get(n, "revision"));
	if (!rev)
		return add_ref(st, path, strlen(path), yx_get(n, "path")->line);
	joined = lt_asprintf("%s@%s", path, rev);
	if (!joined)
		return lt_error_set(st->err, LT_ENOMEM, st->name, n->line, "out of memory");
	rc = add_ref(st, joined, strlen(joined), yx_get(n, "path")->line);
	free(joined);
	return rc;
}

/* A ModelReference: "model[+lora]" or {model: path, lora: path}. */
static int ref_node(struct mk_state *st, const struct ynode *n)
{
	const char *s, *plus;
	int rc;

	if (!n)
		return 0;
	if (n->kind == Y_MAP) {
		if (yx_get(n, "path"))
			return path_node(st, n);
		if ((rc = path_node(st, yx_get(n, "model"))) != 0)
			return rc;
		return path_node(st, yx_get(n, "lora"));
	}
	if (!(s = yx_str(n)))
		return 0;
	plus = memchr(s, '+', n->len);
	if (!plus)
		return add_ref(st, s, n->len, n->line);
	if (plus == s || plus == s + n->len - 1 || memchr(plus + 1, '+', n->len - (size_t)(plus + 1 - s)))
		return bad_ref(st, n);
	if ((rc = add_ref(st, s, (size_t)(plus - s), n->line)) != 0)
		return rc;
	return add_ref(st, plus + 1, n->len - (size_t)(plus + 1 - s), n->line);
}

/* models: [{model: X}] or [X] */
static int models_list(struct mk_state *st, const struct ynode *seq)
{
	int rc = 0;

	for (size_t i = 0; i < yx_count(seq) && !rc; i++) {
		const struct ynode *it = yx_item(seq, i);
		rc = ref_node(st, it && it->kind == Y_MAP ? yx_get(it, "model") : it);
	}
	return rc;
}

/* slices: [{sources: [{model: X}]}] */
static int slices_list(struct mk_state *st, const struct ynode *seq)
{
	int rc = 0;

	for (size_t i = 0; i < yx_count(seq) && !rc; i++) {
		const struct ynode *srcs = yx_get(yx_item(seq, i), "sources");
		for (size_t j = 0; j < yx_count(srcs) && !rc; j++)
			rc = ref_node(st, yx_get(yx_item(srcs, j), "model"));
	}
	return rc;
}

/* base_model: kept apart (model part only, "@rev" kept) and listed in models. */
static int base_model(struct mk_state *st, const struct ynode *v)
{
	const struct ynode *p = v;
	size_t n;

	if (p && p->kind == Y_MAP && !yx_get(p, "path"))
		p = yx_get(p, "model");      /* {model: ..., lora: ...} */
	if (p && p->kind == Y_MAP)
		p = yx_get(p, "path");       /* {path: ..., revision: ...} */
	if (yx_str(p)) {
		const char *plus = p == v ? memchr(p->value, '+', p->len) : NULL;
		n = plus ? (size_t)(plus - p->value) : p->len;
		free(st->m->base_model);
		st->m->base_model = lt_strndup(p->value, n);
		st->m->base_line = p->line;
		if (!st->m->base_model)
			return lt_error_set(st->err, LT_ENOMEM, st->name, p->line, "out of memory");
	}
	return ref_node(st, v);
}

static int walk(struct mk_state *st, const struct ynode *root)
{
	int rc = 0;

	for (size_t i = 0; i < yx_count(root) && !rc; i++) {
		const struct ynode *k = yx_key(root, i), *v = yx_val(root, i);
		const char *key = yx_str(k);

		if (!key)
			continue;
		if (strcmp(key, "models") == 0) {
			rc = models_list(st, v);
		} else if (strcmp(key, "slices") == 0) {
			rc = slices_list(st, v);
		} else if (strcmp(key, "modules") == 0) {
			for (size_t j = 0; j < yx_count(v) && !rc; j++) {
				const struct ynode *mod = yx_val(v, j);
				if ((rc = models_list(st, yx_get(mod, "models"))) == 0)
					rc = slices_list(st, yx_get(mod, "slices"));
			}
		} else if (strcmp(key, "experts") == 0) {
			for (size_t j = 0; j < yx_count(v) && !rc; j++)
				rc = ref_node(st, yx_get(yx_item(v, j), "source_model"));
		} else if (strcmp(key, "base_model") == 0) {
			rc = base_model(st, v);
		} else if (strcmp(key, "merge_method") == 0 && yx_str(v)) {
			free(st->m->merge_method);
			if (!(st->m->merge_method = lt_strdup(yx_str(v))))
				rc = lt_error_set(st->err, LT_ENOMEM, st->name, v->line, "out of memory");
		}
	}
	return rc;
}

int mergekit_parse(struct mergekit **out, const char *name, const char *data, size_t len,
		   struct lt_error *err)
{
	struct mk_state st;
	struct yx_limits lim;
	struct ydoc *doc = NULL;
	const struct ynode *root;
	int rc;

	if (!out || (!data && len))
		return lt_error_set(err, LT_EINVAL, name, 0, "mergekit_parse: no data");
	*out = NULL;
	if (!name)
		name = "mergekit_config.yml";
	memset(&st, 0, sizeof(st));
	st.name = name;
	st.err = err;
	yx_default_limits(&lim);
	lim.max_bytes = LT_MAX_CONFIG_BYTES;
	if ((rc = yx_parse(&doc, data ? data : "", len, &lim, name, err)) != 0)
		return rc;
	root = yx_root(doc);
	if (root && root->kind != Y_MAP) {
		rc = lt_error_set(err, LT_EPARSE, name, root->line,
				  "'%s' is not a mapping of keys", name);
		goto done;
	}
	st.m = calloc(1, sizeof(*st.m));
	if (!st.m) {
		rc = lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
		goto done;
	}
	rc = walk(&st, root);
done:
	yx_free(doc);
	if (rc) {
		mergekit_free(st.m);
		return rc;
	}
	*out = st.m;
	return 0;
}

void mergekit_free(struct mergekit *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nmodels; i++)
		free(m->models[i].model);
	free(m->models);
	free(m->base_model);
	free(m->merge_method);
	free(m);
}

int mergekit_is_config_name(const char *basename)
{
	static const char *const names[] = { "mergekit_config.yml", "mergekit_config.yaml",
					     "merge.yml",           "merge.yaml",
					     "mergekit_moe_config.yml", "mergekit_moe_config.yaml" };

	if (!basename)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (lt_strieq(basename, names[i]))
			return 1;
	return 0;
}
