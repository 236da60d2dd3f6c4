/*
 * src_git.c - a git repository as a source, read from the object store.
 *
 * Nothing is checked out: the tree of one commit (or the staged index) is walked
 * with libgit2 and blobs are read on demand, so hooks, filters, smudge commands
 * and work-tree links never run and a hostile tree cannot write a byte. Names in
 * the tree are untrusted (crafted trees may hold "..", "a/b" or control
 * characters) and are checked before they are listed. Git LFS content is never
 * fetched: a pointer blob is listed as a pointer.
 *
 * Remote repositories are cloned bare into the cache first (git_cache.c).
 *
 * libgit2 is confined to this file and git_cache.c (docs/ARCHITECTURE.md).
 */
#include "source.h"
#include "git_cache.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/path.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#if __has_include(<git2.h>)
#include <git2.h>
#define LT_HAVE_GIT2 1
#endif

#include "core/banned.h"

/* --- URLs (no libgit2 needed: the CLI can tell a URL even without git) --- */

static const char *const git_schemes[] = {
	"https://", "http://", "file://", "ssh://", "git://", "git+ssh://", "ssh+git://",
};

int source_git_is_url(const char *t)
{
	const char *colon, *slash;
	struct stat st;

	if (!t)
		return 0;
	for (size_t i = 0; i < sizeof(git_schemes) / sizeof(*git_schemes); i++)
		if (lt_istarts_with(t, git_schemes[i]))
			return 1;
	/* scp-like [user@]host:path: a ':' before any '/', not a drive letter, and
	 * not an existing local name (a folder may be called "a:b") */
	colon = strchr(t, ':');
	slash = strchr(t, '/');
	if (!colon || colon - t < 2 || (slash && slash < colon))
		return 0;
	return lstat(t, &st) != 0;
}

#ifdef LT_HAVE_GIT2

/* A prefix can only be streamed out of a loose object; a packed blob is inflated
 * whole first, so a prefix is cut from packed blobs up to this size only (weights
 * belong in LFS; bigger blobs are refused rather than risk the memory). */
#define GIT_MAX_BLOB_LOAD (256u << 20)
/* A branch, tag, sha or revspec longer than this is not real (as HUB_MAX_REV). */
#define GIT_MAX_REV 256
/* Blobs at most this big are read at listing time to spot LFS pointers (real
 * pointers are ~130 bytes; source_parse_lfs_pointer refuses over 1024). */
#define GIT_LFS_PROBE_BYTES 1024
/* Characters of a link target quoted in a problem. */
#define GIT_LINK_QUOTE 200

struct git_impl {
	git_repository *repo;
	git_odb *odb;
	git_tree *tree;   /* commit mode */
	git_index *index; /* use_index mode */
	int inited;       /* git_libgit2_init() was called */
};

/* --- errors ---------------------------------------------------------------- */

static int git_code(int gerr)
{
	const git_error *e = git_error_last();

	switch (gerr) {
	case GIT_ENOTFOUND: return LT_ENOTFOUND;
	case GIT_EAUTH: return LT_EAUTH;
	case GIT_EOWNER: return LT_EUNSAFE;
	case GIT_ECERTIFICATE: return LT_ENET;
	case GIT_EAMBIGUOUS: return LT_EINVAL;
	default: break;
	}
	/* an HTTP refusal says more than "network": 401/403 is access, 404 absence
	 * (the hub answers 404 for private repositories asked without a token) */
	if (e && e->message) {
		const char *st = strcasestr(e->message, "status code: ");
		if (st && (!strncmp(st + 13, "401", 3) || !strncmp(st + 13, "403", 3)))
			return LT_EAUTH;
		if (st && !strncmp(st + 13, "404", 3))
			return LT_ENOTFOUND;
	}
	if (e && (e->klass == GIT_ERROR_NET || e->klass == GIT_ERROR_HTTP ||
		  e->klass == GIT_ERROR_SSH || e->klass == GIT_ERROR_SSL))
		return LT_ENET;
	return LT_EIO;
}

int srcgit_fail(struct lt_error *err, int gerr, const char *what, const char *subject)
{
	const git_error *e = git_error_last();
	char *msg = log_redact(e && e->message ? e->message : "unknown libgit2 error");
	int code = git_code(gerr);

	lt_error_set(err, code, subject, 0, "%s '%s': %s", what, subject, msg ? msg : "");
	free(msg);
	return code;
}

/* --- listing --------------------------------------------------------------- */

struct list_ctx {
	struct source *src;
	struct git_impl *g;
	int rc;   /* LT_ENOMEM from inside a callback */
	int full; /* LT_MAX_DIR_ENTRIES reached */
	unsigned long seen; /* tree items visited */
};

static void record_link(struct list_ctx *c, const char *path, const git_oid *id)
{
	git_blob *b = NULL;
	size_t len;
	git_object_t type;
	const char *target = "";
	int quote = 0;

	if (git_odb_read_header(&len, &type, c->g->odb, id) == 0 && type == GIT_OBJECT_BLOB &&
	    len <= 4096 && git_blob_lookup(&b, c->g->repo, id) == 0) {
		target = git_blob_rawcontent(b);
		quote = (int)git_blob_rawsize(b);
		if (quote > GIT_LINK_QUOTE)
			quote = GIT_LINK_QUOTE;
	}
	source_problem(c->src, "'%s' is a symbolic link to '%.*s'; not followed", path, quote,
		       target);
	git_blob_free(b);
}

/* List one non-tree item; problems are recorded, only LT_ENOMEM is returned. */
static int add_item(struct list_ctx *c, const char *path, unsigned int mode, const git_oid *id)
{
	struct source_entry e;
	size_t len;
	git_object_t type;
	git_blob *b = NULL;
	int rc;

	memset(&e, 0, sizeof(e));
	e.path = (char *)path;
	switch (mode) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		if (git_odb_read_header(&len, &type, c->g->odb, id) != 0 || type != GIT_OBJECT_BLOB) {
			source_problem(c->src, "'%s' is missing from the object store; not read", path);
			return 0;
		}
		e.size = len;
		e.readable = 1;
		if (len > 0 && len < GIT_LFS_PROBE_BYTES && git_blob_lookup(&b, c->g->repo, id) == 0) {
			if (source_parse_lfs_pointer(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
						     &e.lfs_oid, &e.lfs_size))
				e.lfs_pointer = 1;
			git_blob_free(b);
		}
		break;
	case GIT_FILEMODE_LINK:
		record_link(c, path, id);
		if (git_odb_read_header(&len, &type, c->g->odb, id) == 0)
			e.size = len;
		e.readable = 0;
		break;
	case GIT_FILEMODE_COMMIT:
		source_problem(c->src, "'%s' is a submodule; not followed", path);
		return 0;
	default:
		source_problem(c->src, "'%s' has the unknown file mode %o; skipped", path, mode);
		return 0;
	}
	rc = source_add_entry(c->src, &e);
	free(e.lfs_oid);
	return rc;
}

static int walk_cb(const char *root, const git_tree_entry *te, void *payload)
{
	struct list_ctx *c = payload;
	const char *name = git_tree_entry_name(te);
	git_filemode_t mode = git_tree_entry_filemode(te);
	const char *why;
	char *path;
	int depth = 0, ret = 0;

	/* folders and refused names count too: a crafted tree of a million bad
	 * names must not be walked to the end */
	if (c->src->nentries >= LT_MAX_DIR_ENTRIES || ++c->seen > 2u * LT_MAX_DIR_ENTRIES) {
		c->full = 1;
		return GIT_EUSER;
	}
	for (const char *p = root; *p; p++)
		depth += *p == '/';
	path = lt_asprintf("%s%s", root, name);
	if (!path) {
		c->rc = LT_ENOMEM;
		return GIT_EUSER;
	}
	/* a name is one component; "." and "a/b" only exist in crafted trees */
	if (!name[0] || !strcmp(name, ".") || strchr(name, '/'))
		why = "has a malformed name";
	else
		why = source_path_problem(path);
	if (why) {
		source_problem(c->src, "'%s' %s; skipped", path, why);
		ret = mode == GIT_FILEMODE_TREE ? 1 : 0;
	} else if (mode == GIT_FILEMODE_TREE) {
		if (depth + 1 > LT_MAX_DIR_DEPTH) {
			source_problem(c->src, "'%s' is nested more than %d folders deep; not read",
				       path, LT_MAX_DIR_DEPTH);
			ret = 1;
		}
	} else if (add_item(c, path, (unsigned int)mode, git_tree_entry_id(te)) != 0) {
		c->rc = LT_ENOMEM;
		ret = GIT_EUSER;
	}
	free(path);
	return ret;
}

static int list_index(struct list_ctx *c, const char *target, struct lt_error *err)
{
	const char *last_conflict = NULL;
	size_t n;
	int e;

	if ((e = git_repository_index(&c->g->index, c->g->repo)) != 0)
		return srcgit_fail(err, e, "cannot read the index of", target);
	n = git_index_entrycount(c->g->index);
	for (size_t i = 0; i < n; i++) {
		const git_index_entry *ie = git_index_get_byindex(c->g->index, i);
		const char *why;
		int depth = 0;

		if (!ie)
			continue;
		if (c->src->nentries >= LT_MAX_DIR_ENTRIES) {
			c->full = 1;
			break;
		}
		if (git_index_entry_stage(ie) != 0) {
			if (!last_conflict || strcmp(last_conflict, ie->path) != 0)
				source_problem(c->src, "'%s' has an unresolved merge conflict; not read",
					       ie->path);
			last_conflict = ie->path;
			continue;
		}
		if ((why = source_path_problem(ie->path)) != NULL) {
			source_problem(c->src, "'%s' %s; skipped", ie->path, why);
			continue;
		}
		for (const char *p = ie->path; *p; p++)
			depth += *p == '/';
		if (depth > LT_MAX_DIR_DEPTH) {
			source_problem(c->src, "'%s' is nested more than %d folders deep; not read",
				       ie->path, LT_MAX_DIR_DEPTH);
			continue;
		}
		if (add_item(c, ie->path, ie->mode, &ie->id) != 0)
			return lt_error_set(err, LT_ENOMEM, target, 0, "out of memory");
	}
	return 0;
}

static int list_commit(struct list_ctx *c, const char *target, const char *rev,
		       struct lt_error *err)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	const char *spec = rev && *rev ? rev : "HEAD";
	char sha[GIT_OID_HEXSZ + 1];
	int e, rc = 0;

	if (strlen(spec) > GIT_MAX_REV)
		return lt_error_set(err, LT_EINVAL, target, 0, "the revision is longer than %d characters",
				    GIT_MAX_REV);
	e = git_revparse_single(&obj, c->g->repo, spec);
	if (e != 0 && e != GIT_ENOTFOUND && e != GIT_EINVALIDSPEC && e != GIT_EAMBIGUOUS) {
		rc = srcgit_fail(err, e, "cannot resolve the revision in", target);
		goto done;
	}
	if (e == GIT_EAMBIGUOUS) {
		rc = lt_error_set(err, LT_EINVAL, target, 0,
				  "'%s' is ambiguous in '%s'; give more of the sha", spec, target);
		goto done;
	}
	if (e != 0) {
		rc = lt_error_set(err, LT_ENOTFOUND, target, 0, "'%s' is not a revision in '%s'", spec,
				  target);
		goto done;
	}
	if (git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) != 0) {
		rc = lt_error_set(err, LT_EINVAL, target, 0, "'%s' in '%s' does not name a commit",
				  spec, target);
		goto done;
	}
	if ((e = git_commit_tree(&c->g->tree, commit)) != 0) {
		rc = srcgit_fail(err, e, "cannot read the tree of", spec);
		goto done;
	}
	git_oid_tostr(sha, sizeof(sha), git_commit_id(commit));
	c->src->revision = lt_strdup(sha);
	{
		/* the committer time, in UTC: when this revision was made (an SBOM's
		 * release time, as stated by the repository itself) */
		time_t t = (time_t)git_commit_time(commit);
		struct tm tm;
		char when[32];
		if (t > 0 && t <= (time_t)253402300799 /* 9999-12-31 */ && gmtime_r(&t, &tm) &&
		    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm))
			c->src->release_time = lt_strdup(when);
	}
	if (!c->src->revision) {
		rc = lt_error_set(err, LT_ENOMEM, target, 0, "out of memory");
		goto done;
	}
	e = git_tree_walk(c->g->tree, GIT_TREEWALK_PRE, walk_cb, c);
	if (c->rc)
		rc = lt_error_set(err, c->rc, target, 0, "out of memory");
	else if (e != 0 && !c->full)
		rc = srcgit_fail(err, e, "cannot walk the tree of", target);
done:
	git_commit_free(commit);
	git_object_free(obj);
	return rc;
}

/* --- reading --------------------------------------------------------------- */

/* A prefix of a blob too big to inflate whole: only loose objects stream. */
static int read_blob_prefix(struct git_impl *g, const git_oid *id, const char *path, size_t len,
			    size_t max, struct buf *out, int *truncated, struct lt_error *err)
{
	git_odb_stream *st = NULL;
	size_t slen, total = 0;
	git_object_t type;
	char chunk[65536];
	int rc = 0;

	if (git_odb_open_rstream(&st, &slen, &type, g->odb, id) != 0)
		return lt_error_set(err, LT_ETOOBIG, path, 0,
				    "'%s' is %zu bytes; a prefix of a packed blob over %u bytes cannot be read",
				    path, len, GIT_MAX_BLOB_LOAD);
	while (total < max) {
		size_t want = max - total < sizeof(chunk) ? max - total : sizeof(chunk);
		int n = git_odb_stream_read(st, chunk, want);
		if (n < 0) {
			rc = srcgit_fail(err, n, "cannot read", path);
			break;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (buf_add(out, chunk, (size_t)n)) {
			rc = lt_error_set(err, buf_error(out), path, 0, "cannot hold '%s' in memory", path);
			break;
		}
	}
	if (!rc)
		*truncated = 1;
	git_odb_stream_free(st);
	return rc;
}

static int read_blob(struct git_impl *g, const git_oid *id, const char *path, size_t max,
		     struct buf *out, int *truncated, struct lt_error *err)
{
	git_blob *b = NULL;
	git_object_t type;
	size_t len;
	int e, rc;

	/* the size from the object header, before anything is inflated */
	if ((e = git_odb_read_header(&len, &type, g->odb, id)) != 0)
		return srcgit_fail(err, e, "cannot read", path);
	if (len > max) {
		if (!truncated)
			return lt_error_set(err, LT_ETOOBIG, path, 0,
					    "'%s' is %zu bytes, over the %zu byte limit", path, len, max);
		if (len > GIT_MAX_BLOB_LOAD)
			return read_blob_prefix(g, id, path, len, max, out, truncated, err);
	}
	if ((e = git_blob_lookup(&b, g->repo, id)) != 0)
		return srcgit_fail(err, e, "cannot read", path);
	rc = source_read_memory(out, path, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
				(unsigned long long)git_blob_rawsize(b), max, truncated, err);
	git_blob_free(b);
	return rc;
}

static int git_read(struct source *src, const char *path, size_t max, struct buf *out,
		    int *truncated, struct lt_error *err)
{
	struct git_impl *g = src->impl;
	git_oid id;
	unsigned int mode;

	if (truncated)
		*truncated = 0;
	if (g->index) {
		const git_index_entry *ie = git_index_get_bypath(g->index, path, 0);
		if (!ie)
			return lt_error_set(err, LT_ENOTFOUND, path, 0, "'%s' is not staged", path);
		mode = ie->mode;
		git_oid_cpy(&id, &ie->id);
	} else {
		git_tree_entry *te = NULL;
		if (git_tree_entry_bypath(&te, g->tree, path) != 0)
			return lt_error_set(err, LT_ENOTFOUND, path, 0, "'%s' is not in '%s'", path,
					    src->target);
		mode = git_tree_entry_filemode(te);
		git_oid_cpy(&id, git_tree_entry_id(te));
		git_tree_entry_free(te);
	}
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return lt_error_set(err, LT_EUNSAFE, path, 0, "'%s' is not a regular file; not read",
				    path);
	return read_blob(g, &id, path, max, out, truncated, err);
}

static void git_impl_free(struct source *src)
{
	struct git_impl *g = src->impl;

	if (!g)
		return;
	git_tree_free(g->tree);
	git_index_free(g->index);
	git_odb_free(g->odb);
	git_repository_free(g->repo);
	if (g->inited)
		git_libgit2_shutdown();
	free(g);
	src->impl = NULL;
}

static const struct source_ops git_ops = { git_read, git_impl_free };

int source_git_is_repo(const char *path)
{
	git_repository *r = NULL;
	int ok;

	if (!path || git_libgit2_init() < 0)
		return 0;
	ok = git_repository_open_ext(&r, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0;
	git_repository_free(r);
	git_libgit2_shutdown();
	return ok;
}

int source_open_git(struct source **out, const char *repo, const char *rev,
		    const struct git_source_opts *opts, struct lt_error *err)
{
	static const struct git_source_opts no_opts;
	struct source *src = NULL;
	struct git_impl *g;
	struct list_ctx c;
	char *path = NULL;
	int e, rc = 0;

	*out = NULL;
	if (!opts)
		opts = &no_opts;
	if (!repo || !*repo)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "no git repository given");
	if (opts->token)
		log_add_secret(opts->token);
	src = source_new(SOURCE_GIT, repo, &git_ops);
	g = src ? calloc(1, sizeof(*g)) : NULL;
	if (!g) {
		rc = lt_error_set(err, LT_ENOMEM, repo, 0, "out of memory");
		goto done;
	}
	src->impl = g;
	if (git_libgit2_init() < 0) {
		rc = lt_error_set(err, LT_EIO, repo, 0, "cannot start libgit2");
		goto done;
	}
	g->inited = 1;
	if (source_git_is_url(repo)) {
		rc = gitcache_prepare(&path, repo, rev, opts, err);
		if (rc)
			goto done;
	} else if (!(path = lt_strdup(repo))) {
		rc = lt_error_set(err, LT_ENOMEM, repo, 0, "out of memory");
		goto done;
	}
	e = git_repository_open_ext(&g->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (e == GIT_ENOTFOUND) {
		rc = lt_error_set(err, LT_ENOTFOUND, repo, 0, "'%s' is not a git repository", repo);
		goto done;
	}
	if (e != 0) {
		rc = srcgit_fail(err, e, "cannot open", repo);
		goto done;
	}
	if ((e = git_repository_odb(&g->odb, g->repo)) != 0) {
		rc = srcgit_fail(err, e, "cannot open the objects of", repo);
		goto done;
	}
	memset(&c, 0, sizeof(c));
	c.src = src;
	c.g = g;
	if (opts->use_index) {
		rc = list_index(&c, repo, err);
		if (!rc && !(src->revision = lt_strdup("index")))
			rc = lt_error_set(err, LT_ENOMEM, repo, 0, "out of memory");
	} else {
		rc = list_commit(&c, repo, rev, err);
	}
	if (rc)
		goto done;
	if (c.full)
		source_problem(src, "'%s' has more than %d files; the rest are not listed", repo,
			       LT_MAX_DIR_ENTRIES);
	source_sort(src);
	for (size_t i = 1; i < src->nentries; i++)
		if (!strcmp(src->entries[i - 1].path, src->entries[i].path))
			source_problem(src, "'%s' is listed more than once in the tree", src->entries[i].path);
	*out = src;
	src = NULL;
done:
	free(path);
	source_free(src);
	return rc;
}

#else /* !LT_HAVE_GIT2 */

int source_git_is_repo(const char *path)
{
	(void)path;
	return 0;
}

int source_open_git(struct source **out, const char *repo, const char *rev,
		    const struct git_source_opts *opts, struct lt_error *err)
{
	(void)rev;
	(void)opts;
	*out = NULL;
	return lt_error_set(err, LT_EUNSUPP, repo, 0, "this build has no git support (libgit2)");
}

#endif
