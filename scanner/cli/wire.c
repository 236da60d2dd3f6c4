/*
 * wire.c - the one place that knows every backend: where the data lives, which
 * resolvers to chain, and which source opens a target.
 */
#include "cmd.h"
#include "classify/classify.h"
#include "core/err.h"
#include "core/log.h"
#include "core/path.h"
#include "core/str.h"
#include "licensedb/licensedb.h"
#include "lineage/resolver.h"
#include "record/record.h"
#include "source/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LT_DATA_DIR
#define LT_DATA_DIR "."
#endif

static int is_dir(const char *p)
{
	struct stat st;
	return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *wire_data_root(void)
{
	static char exe_root[4096];
	const char *env = getenv("LICTRACE_DATA");
	char *lic;
	ssize_t n;

	if (env && *env)
		return env;
	/* next to an installed binary: PREFIX/bin/lictrace -> PREFIX/share/lictrace */
	n = readlink("/proc/self/exe", exe_root, sizeof(exe_root) - 32);
	if (n > 0) {
		exe_root[n] = '\0';
		char *s = strrchr(exe_root, '/');
		if (s) {
			*s = '\0';
			s = strrchr(exe_root, '/');
			if (s) {
				snprintf(s, sizeof(exe_root) - (size_t)(s - exe_root), "/share/lictrace");
				lic = path_join(exe_root, "licenses");
				if (is_dir(lic)) {
					free(lic);
					return exe_root;
				}
				free(lic);
			}
		}
	}
	return LT_DATA_DIR;
}

int wire_data(struct wire *w, const struct common_opts *c, int keep_problems)
{
	const char *roots[OPT_LIST_MAX + 1];
	size_t n = 0;
	struct lt_error err;
	int rc;

	memset(w, 0, sizeof(*w));
	roots[n++] = wire_data_root();
	for (int i = 0; c && i < c->data.n; i++) {
		if (!is_dir(c->data.v[i])) {
			fprintf(stderr, "lictrace: data directory '%s' does not exist\n", c->data.v[i]);
			return EXIT_USAGE;
		}
		roots[n++] = c->data.v[i];
	}
	rc = licensedb_load(&w->db, roots, n, &err);
	if (rc && !keep_problems) {
		for (size_t i = 0; i < w->db->problems.n && i < 20; i++)
			fprintf(stderr, "lictrace: %s\n", w->db->problems.v[i]);
		fprintf(stderr, "lictrace: license data is invalid (%zu problems); run 'lictrace rules check'\n",
			w->db->problems.n);
		return EXIT_USAGE;
	}
	if (rc)
		return EXIT_USAGE;
	if (classify_new(&w->cls, w->db, &err) != 0) {
		fprintf(stderr, "lictrace: cannot build the classifier: %s\n", err.message);
		return EXIT_USAGE;
	}
	return 0;
}

int wire_resolver(struct wire *w, const struct common_opts *c)
{
	struct resolver *list[4];
	size_t n = 0;
	struct resolver_env env = { w->db, w->cls };
	const char *hf_home = c->hf_home ? c->hf_home : getenv("HF_HOME");
	const char *hub_cache = getenv("HF_HUB_CACHE");
	char *def = NULL;

	if (c->hub_mirror) {
		if (!is_dir(c->hub_mirror)) {
			fprintf(stderr, "lictrace: hub mirror '%s' does not exist\n", c->hub_mirror);
			return EXIT_USAGE;
		}
		list[n++] = resolver_mirror_new(c->hub_mirror, &env);
	}
	if (c->hf_home || !hub_cache) {
		if (hf_home)
			def = path_join(hf_home, "hub");
		else if (getenv("HOME"))
			def = lt_asprintf("%s/.cache/huggingface/hub", getenv("HOME"));
		hub_cache = def;
	}
	if (hub_cache && is_dir(hub_cache))
		list[n++] = resolver_hfcache_new(hub_cache, &env);
	free(def);
	for (size_t i = 0; i < n; i++)
		if (!list[i])
			return EXIT_USAGE;
	w->res = resolver_chain_new(list, n);
	return w->res ? 0 : EXIT_USAGE;
}

int wire_record(struct wire *w, const struct common_opts *c, const char *target,
		struct model_record **out, struct lt_error *err)
{
	struct source *src = NULL;
	struct record_opts ro;
	int rc;

	*out = NULL;
	memset(&ro, 0, sizeof(ro));
	if (is_dir(target)) {
		rc = source_open_dir(&src, target, err);
	} else if (record_is_hub_id(target) || lt_istarts_with(target, "https://huggingface.co/") ||
		   lt_istarts_with(target, "hf.co/")) {
		char *id = lt_strdup(target), *at;
		const char *rev = c->rev;
		if (!id)
			return LT_ENOMEM;
		if ((at = strchr(id, '@'))) {
			*at = '\0';
			rev = at + 1;
		}
		rc = resolver_resolve(w->res, id, rev, out, err);
		free(id);
		return rc;
	} else {
		return lt_error_set(err, LT_ENOTFOUND, target, 0,
				    "'%s' is not a folder, archive, git repository or model id", target);
	}
	if (rc)
		return rc;
	rc = record_build(out, src, w->db, w->cls, &ro, err);
	source_free(src);
	return rc;
}

void wire_release(struct wire *w)
{
	resolver_free(w->res);
	classify_free(w->cls);
	licensedb_free(w->db);
	memset(w, 0, sizeof(*w));
}

void *wire_output(const struct common_opts *c)
{
	FILE *f;

	if (!c->output || !strcmp(c->output, "-"))
		return stdout;
	f = fopen(c->output, "w");
	if (!f)
		fprintf(stderr, "lictrace: cannot write '%s'\n", c->output);
	return f;
}
