/*
 * wire.c - the one place that knows every backend: where the data lives, which
 * resolvers to chain, and which source opens a target.
 */
#include "cmd.h"
#include "classimg.h"
#include "classify/classify.h"
#include "classify/classcache.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/log.h"
#include "core/path.h"
#include "core/str.h"
#include "core/wbfile.h"
#include "http/http.h"
#include "remote/remote.h"
#include "source/hub.h"
#include "licensedb/installed.h"
#include "licensedb/licensedb.h"
#include "lineage/datasets.h"
#include "lineage/resolver.h"
#include "record/record.h"
#include "source/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LT_DATA_DIR
#define LT_DATA_DIR "."
#endif
/* The installed data relative to the installed binary's folder (set by CMake
 * from GNUInstallDirs: bindir to datadir/lictrace). */
#ifndef LT_DATA_RELDIR
#define LT_DATA_RELDIR "../share/lictrace"
#endif

/* dir (a folder, no trailing '/') joined with rel, leading "../" resolved
 * textually, into out; 0 when it fits. */
static int join_up(char *out, size_t cap, const char *dir, const char *rel)
{
	size_t len = strlen(dir);

	if (len >= cap)
		return -1;
	memmove(out, dir, len + 1);
	while (!strncmp(rel, "../", 3)) {
		char *s = strrchr(out, '/');
		if (!s || s == out)
			return -1;
		*s = '\0';
		rel += 3;
	}
	len = strlen(out);
	return snprintf(out + len, cap - len, "/%s", rel) < (int)(cap - len) ? 0 : -1;
}

const char *wire_data_root(void)
{
	static char exe_root[4096];
	const char *env = getenv("LICTRACE_DATA");
	char exe[4096], *lic;
	ssize_t n;

	if (env && *env)
		return env;
	/* next to an installed binary: PREFIX/bin/lictrace -> PREFIX/share/lictrace */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *s = strrchr(exe, '/');
		if (s) {
			*s = '\0';
			if (join_up(exe_root, sizeof(exe_root), exe, LT_DATA_RELDIR) == 0) {
				lic = path_join(exe_root, "licenses");
				if (lic && lt_is_dir(lic)) {
					free(lic);
					return exe_root;
				}
				free(lic);
			}
		}
	}
	return LT_DATA_DIR;
}

/* Where the parsed license data is cached (see licensedb_load_cached): under
 * --cache, else $XDG_CACHE_HOME/lictrace, else ~/.cache/lictrace; --cache "" turns
 * it off. */
static char *wire_snapshot_dir(const struct common_opts *c)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (c && c->cache)
		return c->cache[0] ? lt_asprintf("%s/licensedb", c->cache) : NULL;
	if (x && x[0] == '/')
		return lt_asprintf("%s/lictrace/licensedb", x);
	if (h && h[0])
		return lt_asprintf("%s/.cache/lictrace/licensedb", h);
	return NULL;
}

int wire_data(struct wire *w, const struct common_opts *c, int keep_problems)
{
	char *snap;
	const char *roots[OPT_LIST_MAX + 1], *installed = NULL;
	size_t n = 0;
	struct lt_error err;
	int rc;

	memset(w, 0, sizeof(*w));
	roots[n++] = wire_data_root();
	for (int i = 0; c && i < c->data.n; i++) {
		if (!lt_is_dir(c->data.v[i])) {
			fprintf(stderr, "lictrace: data directory '%s' does not exist\n", c->data.v[i]);
			return EXIT_USAGE;
		}
		roots[n++] = c->data.v[i];
	}
	/* installed data comes with its snapshot: one manifest check, no stat per file */
	snap = wire_snapshot_dir(c);
	if (n == 1 && licensedb_load_installed(&w->db, NULL, roots[0]) == 0) {
		installed = roots[0];
		rc = 0;
	} else {
		rc = licensedb_load_cached(&w->db, roots, n, snap, &err);
	}
	if (rc) {
		free(snap);
		snap = NULL;
	}
	if (rc && !keep_problems) {
		for (size_t i = 0; i < w->db->problems.n && i < 20; i++)
			fprintf(stderr, "lictrace: %s\n", w->db->problems.v[i]);
		fprintf(stderr, "lictrace: license data is invalid (%zu problems); run 'lictrace rules check'\n",
			w->db->problems.n);
		return EXIT_USAGE;
	}
	if (rc)
		return EXIT_USAGE;
	rc = classimg_classifier(&w->cls, w->db, installed, snap, &err);
	free(snap);
	if (rc != 0) {
		fprintf(stderr, "lictrace: cannot build the classifier: %s\n", err.message);
		return EXIT_USAGE;
	}
	/* classification results kept across runs, next to the snapshot (classcache.h) */
	if ((snap = wire_snapshot_dir(c)) != NULL) {
		char *cls = lt_asprintf("%.*sclassify", (int)(strlen(snap) - strlen("licensedb")), snap);
		classcache_set_dir(cls);
		free(cls);
		free(snap);
	}
	return 0;
}

static int truthy(const char *v)
{
	return v && (lt_strieq(v, "1") || lt_strieq(v, "on") || lt_strieq(v, "yes") || lt_strieq(v, "true"));
}

/* The hub is asked unless the run is pinned to a mirror (tests, air-gapped
 * mirrors) without an explicit --endpoint: a mirror must never leak to the net. */
static int want_hub(const struct common_opts *c)
{
	return !c->hub_mirror || c->endpoint;
}

/* The hub resolver, created on first use: a folder scan whose parents all come
 * from a mirror or cache never loads the remote plugin or opens a connection. */
struct lazy_hub {
	struct wire *w;
	const struct common_opts *c;
	struct resolver_env env;
	struct resolver *real;
	enum hub_repo_type type; /* models, or the datasets a card names */
	int tried;
	struct lt_error err;
};

static int lazy_ensure(struct lazy_hub *l)
{
	struct hub_opts ho;
	struct http_opts hopt;
	const struct lt_remote_api *api;
	const char *endpoint = l->c->endpoint ? l->c->endpoint : getenv("HF_ENDPOINT");
	int offline = l->c->offline || truthy(getenv("HF_HUB_OFFLINE")) || truthy(getenv("TRANSFORMERS_OFFLINE"));

	if (l->tried)
		return l->real ? 0 : l->err.code;
	l->tried = 1;
	if (!(api = plugin_remote(&l->err)))
		return l->err.code;
	l->w->api = api;
	memset(&ho, 0, sizeof(ho));
	ho.endpoint = endpoint && *endpoint ? endpoint : NULL;
	ho.cache_dir = l->c->cache;
	ho.offline = offline;
	ho.hf_home = l->c->hf_home;
	ho.repo_type = l->type;
	/* the models' and the datasets' resolvers share one client (and one token) */
	if (!offline && !l->w->http) {
		if (l->w->token) { /* read by an attempt that failed later */
			memset(l->w->token, 0, strlen(l->w->token));
			free(l->w->token);
			l->w->token = NULL;
		}
		if (api->hub_token_from_env(&l->w->token, l->c->token_file) != 0)
			return lt_error_set(&l->err, LT_EINVAL, NULL, 0, "cannot read the token file '%s'",
					    l->c->token_file ? l->c->token_file : "(from the environment)");
		api->http_default_opts(&hopt);
		hopt.token = l->w->token;
		hopt.token_host = ho.endpoint ? ho.endpoint : "https://huggingface.co";
		if (l->c->jobs > 0)
			hopt.jobs = l->c->jobs;
		if (l->c->ca_bundle)
			hopt.ca_bundle = l->c->ca_bundle;
		if (l->c->timeout > 0)
			hopt.total_timeout_ms = (long)l->c->timeout * 1000;
		if (api->http_client_new(&l->w->http, &hopt, &l->err) != 0)
			return l->err.code ? l->err.code : LT_EINVAL;
	}
	l->real = api->resolver_hub_new(l->w->http, &ho, &l->env);
	if (!l->real)
		return lt_error_set(&l->err, LT_ENOMEM, NULL, 0, "out of memory");
	return 0;
}

static int lazy_resolve(struct resolver *r, const char *id, const char *rev,
			struct model_record **out, struct lt_error *err)
{
	struct lazy_hub *l = r->impl;
	int rc = lazy_ensure(l);

	if (rc) {
		*err = l->err;
		return rc;
	}
	return l->real->resolve(l->real, id, rev, out, err);
}

static void lazy_prefetch(struct resolver *r, const char *const *ids, const char *const *revs, size_t n)
{
	struct lazy_hub *l = r->impl;

	if (lazy_ensure(l) == 0 && l->real->prefetch)
		l->real->prefetch(l->real, ids, revs, n);
}

static void lazy_forget(struct resolver *r)
{
	struct lazy_hub *l = r->impl;

	if (l->real && l->real->forget)
		l->real->forget(l->real);
}

static void lazy_free(struct resolver *r)
{
	struct lazy_hub *l = r->impl;

	if (l)
		resolver_free(l->real);
	free(l);
}

static struct resolver *hub_resolver(struct wire *w, const struct common_opts *c,
				     const struct resolver_env *env, enum hub_repo_type type)
{
	struct lazy_hub *l = calloc(1, sizeof(*l));

	if (l) {
		l->w = w;
		l->c = c;
		l->env = *env;
		l->type = type;
	}
	{
		struct resolver *r = resolver_new("hub", lazy_resolve, lazy_prefetch, lazy_free, l);
		if (r)
			r->forget = lazy_forget;
		return r;
	}
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
		if (!lt_is_dir(c->hub_mirror)) {
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
	if (hub_cache && lt_is_dir(hub_cache))
		list[n++] = resolver_hfcache_new(hub_cache, &env);
	/* datasets from the same mirror and cache, then the hub's dataset API when
	 * the models' hub is asked too */
	w->ds = ldatasets_new(c->hub_mirror, hub_cache && lt_is_dir(hub_cache) ? hub_cache : NULL,
			      &env);
	free(def);
	if (!w->ds)
		return EXIT_USAGE;
	if (want_hub(c)) {
		struct resolver *dh = hub_resolver(w, c, &env, HUB_REPO_DATASET);
		if (!dh)
			return EXIT_USAGE;
		ldatasets_set_hub(w->ds, dh);
		if (!(list[n++] = hub_resolver(w, c, &env, HUB_REPO_MODEL)))
			n--;
	}
	for (size_t i = 0; i < n; i++)
		if (!list[i])
			return EXIT_USAGE;
	w->res = resolver_chain_new(list, n);
	return w->res ? 0 : EXIT_USAGE;
}

/* host[:port] of an http(s) URL, for the token check; caller frees. */
static char *url_host(const char *url)
{
	const char *p = strstr(url, "://"), *e;

	if (!p)
		return NULL;
	p += 3;
	e = p + strcspn(p, "/?#");
	return lt_strndup(p, (size_t)(e - p));
}

static int open_git(struct wire *w, const struct common_opts *c, const char *target,
		    struct source **src, struct lt_error *err)
{
	const struct lt_remote_api *api = w->api;
	struct git_source_opts go;
	char *cache = c->cache ? lt_strdup(c->cache) : api->cache_default_dir();
	const char *endpoint = c->endpoint ? c->endpoint : getenv("HF_ENDPOINT");
	char *hub_host = url_host(endpoint && *endpoint ? endpoint : "https://huggingface.co");
	char *tok = NULL;
	int rc;

	memset(&go, 0, sizeof(go));
	go.cache_dir = cache;
	go.use_index = c->staged;
	go.offline = c->offline;
	/* the hub's token goes to the hub's host only (credential callback) */
	if (!c->offline && api->git_is_url(target) && api->hub_token_from_env(&tok, c->token_file) == 0 && tok) {
		go.token = tok;
		go.token_host = hub_host;
	}
	rc = api->open_git(src, target, c->rev, &go, err);
	if (tok) {
		memset(tok, 0, strlen(tok));
		free(tok);
	}
	free(hub_host);
	free(cache);
	return rc;
}

int wire_record(struct wire *w, const struct common_opts *c, const char *target,
		struct model_record **out, struct lt_error *err)
{
	struct source *src = NULL;
	struct record_opts ro;
	char *id = NULL, *rev = NULL;
	const struct lt_remote_api *api;
	int rc;

	*out = NULL;
	memset(&ro, 0, sizeof(ro));
	if (lt_is_dir(target) && !c->rev && !c->staged) {
		rc = source_open_dir(&src, target, err);
		goto build;
	}
	/* everything else (git, archives, hub ids) lives in the remote plugin */
	if (!(api = w->api = plugin_remote(err)))
		return err->code;
	if (lt_is_dir(target)) {
		if (!api->git_is_repo(target))
			return lt_error_set(err, LT_EINVAL, target, 0,
					    "'%s' is not a git repository; --rev and --staged need one", target);
		rc = open_git(w, c, target, &src, err);
	} else if (lt_is_file(target)) {
		if (!api->archive_name_matches(target))
			return lt_error_set(err, LT_EINVAL, target, 0,
					    "'%s' is a file but not an archive lictrace reads (tar, tar.gz, zip, .nemo, .keras)",
					    target);
		rc = api->open_archive(&src, target, NULL, err);
	} else if (api->git_is_url(target) &&
		   (lt_ends_with(target, ".git") || api->hub_parse_target(target, &id, &rev) != 0)) {
		rc = open_git(w, c, target, &src, err);
	} else if (id || api->hub_parse_target(target, &id, &rev) == 0) {
		rc = resolver_resolve(w->res, id, rev ? rev : c->rev, out, err);
		free(id);
		free(rev);
		return rc;
	} else {
		return lt_error_set(err, LT_ENOTFOUND, target, 0,
				    "'%s' is not a folder, archive, git repository or model id", target);
	}
	free(id);
	free(rev);
build:
	if (rc)
		return rc;
	rc = record_build(out, src, w->db, w->cls, &ro, err);
	source_free(src);
	return rc;
}

int wire_list_org(struct wire *w, const struct common_opts *c, const char *org, char ***ids,
		  size_t *n, struct lt_error *err)
{
	struct resolver *r = w->res;
	struct lazy_hub *l = NULL;
	struct hub_opts ho;
	const char *endpoint = c->endpoint ? c->endpoint : getenv("HF_ENDPOINT");

	/* the hub resolver is the chain's last member when the hub is in use */
	if (r && r->impl && want_hub(c)) {
		struct resolver *last = resolver_chain_last(r);
		if (last && last->resolve == lazy_resolve)
			l = last->impl;
	}
	if (!l)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "--org needs the hub (no --hub-mirror without --endpoint)");
	if (lazy_ensure(l)) {
		*err = l->err;
		return err->code;
	}
	if (!w->http)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "--org cannot list models offline");
	memset(&ho, 0, sizeof(ho));
	ho.endpoint = endpoint && *endpoint ? endpoint : NULL;
	ho.cache_dir = c->cache;
	return w->api->hub_list_models(w->http, &ho, org, ids, n, err);
}

void wire_release(struct wire *w)
{
	resolver_free(w->res);
	ldatasets_free(w->ds);
	if (w->http && w->api)
		w->api->http_client_free(w->http);
	if (w->token) {
		memset(w->token, 0, strlen(w->token));
		free(w->token);
	}
	classcache_forget(); /* its results point into this database */
	classify_free(w->cls);
	licensedb_free(w->db);
	memset(w, 0, sizeof(*w));
}

/* The --output being written: a temporary file beside it, renamed into place
 * by wire_output_close once the whole report is written, so a report cut short
 * (full disk, an error) never sits at that path looking complete. One per run.
 * An existing path that is not a regular file (/dev/null, a pipe) is written in
 * place (tmp NULL): a file renamed over it would replace the device. */
static struct {
	FILE *f;
	int fd; /* the temporary file's, while f is open */
	char *tmp;
	char *path;
} pending;

void *wire_output(const struct common_opts *c)
{
	char *slash;
	mode_t mask;
	int fd;

	if (!c->output || !strcmp(c->output, "-"))
		return stdout;
	{
		struct stat sb;
		if (stat(c->output, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
			if (!(pending.path = lt_strdup(c->output)) || !(pending.f = fopen(c->output, "w"))) {
				fprintf(stderr, "lictrace: cannot write '%s': %s\n", c->output, strerror(errno));
				free(pending.path);
				memset(&pending, 0, sizeof(pending));
			}
			return pending.f;
		}
	}
	slash = strrchr(c->output, '/');
	pending.path = lt_strdup(c->output);
	pending.tmp = slash ? lt_asprintf("%.*s/.%s.tmp-XXXXXX", (int)(slash - c->output), c->output, slash + 1)
			    : lt_asprintf(".%s.tmp-XXXXXX", c->output);
	fd = pending.tmp && pending.path ? mkstemp(pending.tmp) : -1;
	if (fd >= 0) {
		pending.fd = fd;
		mask = umask(0);
		umask(mask);
		/* write-back starts as the report grows: the fsync at the end waits for little */
		if (fchmod(fd, 0666 & ~mask) || !(pending.f = wbfile_fdopen(fd))) {
			close(fd);
			unlink(pending.tmp);
		}
	}
	if (!pending.f) {
		fprintf(stderr, "lictrace: cannot write '%s': %s\n", c->output, strerror(errno));
		free(pending.tmp);
		free(pending.path);
		memset(&pending, 0, sizeof(pending));
	}
	return pending.f;
}

int wire_output_close(void *out, int keep)
{
	FILE *f = out;
	int failed, saved;

	if (!f)
		return 0;
	errno = 0;
	if (f == stdout) {
		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "lictrace: cannot write the report to standard output: %s\n",
				strerror(errno ? errno : EIO));
			return -1;
		}
		return 0;
	}
	failed = fflush(f) || ferror(f) || (keep && pending.tmp && fsync(pending.fd));
	saved = errno;
	failed |= fclose(f) != 0;
	if (!saved)
		saved = errno;
	if (!failed && keep && pending.tmp && rename(pending.tmp, pending.path)) {
		failed = 1;
		saved = errno;
	}
	if ((failed || !keep) && pending.tmp)
		unlink(pending.tmp);
	if (failed)
		fprintf(stderr, "lictrace: cannot write '%s': %s\n", pending.path, strerror(saved ? saved : EIO));
	free(pending.tmp);
	free(pending.path);
	memset(&pending, 0, sizeof(pending));
	return failed ? -1 : 0;
}
