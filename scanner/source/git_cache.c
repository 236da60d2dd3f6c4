/*
 * git_cache.c - bare clones of remote git repositories in the cache, for the git
 * source (src_git.c): one folder per URL, created by our own sequence (init,
 * anonymous remote, download, update tips, set HEAD) instead of git_clone, so
 * that the first clone and every later refresh are the same fetch of every
 * branch onto the branch of the same name (a forced refspec) and all tags: a
 * branch name then always means the remote's branch as of the last fetch, as in
 * `git clone --mirror`. A token goes only to its own host, over https (or http
 * to this machine); a URL with credentials in it is refused. A clone is built in
 * a temporary folder (named with our pid) and renamed into place, so a killed
 * run leaves no half clone under the final name; the next run removes it.
 */
#include "source.h"
#include "git_cache.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/path.h"
#include "core/str.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if __has_include(<git2.h>)
#include <git2.h>
#define LT_HAVE_GIT2 1
#endif

#include "core/banned.h"

#ifdef LT_HAVE_GIT2

/* The git half of a model repo (cards, configs, LFS pointers) is < 100 MB; the
 * weights live in LFS. 4 GiB stops a repo that commits weights directly from
 * filling the disk and the indexer's memory. */
#define GIT_MAX_FETCH_BYTES (4ULL << 30)
/* The indexer keeps per-object state; model repos have < 100,000 objects. */
#define GIT_MAX_FETCH_OBJECTS 10000000u
/* Characters of a URL kept readable in its cache folder's name. */
#define GIT_CACHE_NAME_CHARS 48
/* Folders removed recursively are our own temporary clones, a few levels deep. */
#define GIT_RM_MAX_DEPTH 16

/* --- URLs ------------------------------------------------------------------ */

/* The authority of a scheme URL: [p, *end). NULL for scp-like or no scheme. */
static const char *url_authority(const char *url, const char **end)
{
	const char *p = strstr(url, "://");

	if (!p)
		return NULL;
	p += 3;
	*end = p + strcspn(p, "/?#");
	return p;
}

/* 1 when the URL carries credentials: a password ("user:secret@host"), or any
 * user name on http(s), where a token pasted as the user name is the usual
 * mistake (ssh://git@host is a plain user name and stays allowed). Such a URL
 * would end up in messages and reports. */
static int url_has_credentials(const char *url)
{
	const char *end, *p = url_authority(url, &end), *at;

	if (!p)
		return 0;
	at = memrchr(p, '@', (size_t)(end - p));
	if (!at)
		return 0;
	return memchr(p, ':', (size_t)(at - p)) != NULL || lt_istarts_with(url, "http");
}

/* Lower-case host of a scheme URL into host[n] (IPv6 keeps its brackets). */
static int url_host(const char *url, char *host, size_t n)
{
	const char *end, *p = url_authority(url, &end), *at, *hend;
	size_t len;

	if (!p)
		return -1;
	at = memrchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	if (*p == '[') {
		hend = memchr(p, ']', (size_t)(end - p));
		if (!hend)
			return -1;
		hend++;
	} else {
		hend = memchr(p, ':', (size_t)(end - p));
		if (!hend)
			hend = end;
	}
	len = (size_t)(hend - p);
	if (len == 0 || len >= n)
		return -1;
	for (size_t i = 0; i < len; i++)
		host[i] = (char)tolower((unsigned char)p[i]);
	host[len] = '\0';
	return 0;
}

static int host_is_loopback(const char *host)
{
	return !strcmp(host, "127.0.0.1") || !strcmp(host, "localhost") || !strcmp(host, "[::1]");
}

/* The token goes only to its own host, and never in clear text over a network:
 * https, or plain http to this machine (a test or a local mirror). */
static int token_allowed(const char *url, const char *token_host)
{
	char host[256];

	if (!token_host || !*token_host || url_host(url, host, sizeof(host)) != 0)
		return 0;
	if (!lt_strieq(host, token_host))
		return 0;
	if (lt_istarts_with(url, "https://"))
		return 1;
	return lt_istarts_with(url, "http://") && host_is_loopback(host);
}

/* "<readable part of the URL>-<16 hex of its SHA-1>": one folder per URL, a name
 * a human can recognise, and nothing from the URL that could leave the folder. */
static char *cache_name(const char *url)
{
	char name[GIT_CACHE_NAME_CHARS + 1];
	char hex[GIT_OID_HEXSZ + 1];
	const char *end, *p = url_authority(url, &end), *at;
	git_oid id;
	size_t n = 0;

	if (git_odb_hash(&id, url, strlen(url), GIT_OBJECT_BLOB) != 0)
		return NULL;
	git_oid_tostr(hex, sizeof(hex), &id);
	if (p) {
		at = memrchr(p, '@', (size_t)(end - p));
		if (at)
			p = at + 1;
	} else {
		p = url;
		const char *colon = strchr(p, ':');
		at = strchr(p, '@');
		if (at && colon && at < colon)
			p = at + 1;
	}
	for (; *p && n < GIT_CACHE_NAME_CHARS; p++) {
		unsigned char c = (unsigned char)*p;
		name[n++] = (char)((isalnum(c) || c == '.' || c == '-') ? c : '_');
	}
	name[n] = '\0';
	if (name[0] == '.')
		name[0] = '_';
	return lt_asprintf("%s-%.16s", n ? name : "repo", hex);
}

/* --- cache folders ------------------------------------------------------- */

static int mkdir_p(const char *path, struct lt_error *err)
{
	char *p = lt_strdup(path);
	int rc = 0;

	if (!p)
		return lt_error_set(err, LT_ENOMEM, path, 0, "out of memory");
	for (char *s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				rc = lt_error_set(err, LT_EIO, path, 0, "cannot create '%s': %s", p,
						  strerror(errno));
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

/* Remove name (in dfd) and everything below it, never following a link. */
static void rm_tree_at(int dfd, const char *name, int depth)
{
	DIR *d;
	struct dirent *de;
	int fd;

	if (unlinkat(dfd, name, 0) == 0 || depth > GIT_RM_MAX_DEPTH)
		return;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rm_tree_at(dirfd(d), de->d_name, depth + 1);
	closedir(d);
	unlinkat(dfd, name, AT_REMOVEDIR);
}

/* Temporary clones ("<name>.tmp-<pid>-XXXXXX") left by runs killed mid-clone are
 * removed by the next run that uses the git cache: at once when their pid no
 * longer runs, else once older than this (a live clone of a model repo's git
 * half takes minutes, not a day; by then the pid has been reused). Folders of
 * the older name "<name>.tmp-XXXXXX" carry no pid and go by age alone. */
#define GIT_STALE_TMP_SECONDS (24 * 60 * 60)
/* Entries of CACHE/git looked at per sweep (one per cloned URL). */
#define GIT_SWEEP_SCAN 100000

/* A cache folder's name (cache_name()): [A-Za-z0-9._-], ending "-" + 16 hex. */
static int is_cache_name(const char *s, size_t len)
{
	if (len < 18 || s[len - 17] != '-')
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i >= len - 16 ? !isxdigit(c) : !(isalnum(c) || c == '.' || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* Our temporary clone's name: "<cache name>.tmp-[<pid>-]XXXXXX" (mkdtemp's six
 * characters). *pid gets the pid, 0 for the older name without one. */
static int tmp_clone_name(const char *n, long *pid)
{
	const char *t = NULL, *p;
	long v = 0;

	/* the last ".tmp-": a URL's readable part may hold one too */
	for (p = strstr(n, ".tmp-"); p; p = strstr(p + 1, ".tmp-"))
		t = p;
	if (!t || !is_cache_name(n, (size_t)(t - n)))
		return 0;
	p = t + 5;
	if (strlen(p) > 7 && p[0] >= '1' && p[0] <= '9') {
		for (; *p >= '0' && *p <= '9' && v <= 100000000L; p++)
			v = v * 10 + (*p - '0');
		if (*p++ != '-')
			return 0;
	}
	if (strlen(p) != 6)
		return 0;
	for (int i = 0; i < 6; i++)
		if (!isalnum((unsigned char)p[i]))
			return 0;
	*pid = v;
	return 1;
}

/* Remove the temporary clones of killed runs from gitdir: our name pattern,
 * plain folders we own (a link is neither followed nor removed, nor is gitdir
 * when it is a link), made before the sweep began, by another pid that no longer
 * runs, or over GIT_STALE_TMP_SECONDS ago. On the first use of the cache in a
 * process, and again before each new clone (which costs far more than this). */
static void rm_stale_tmp(const char *gitdir, int again)
{
	static atomic_flag done = ATOMIC_FLAG_INIT;
	struct timespec now;
	struct dirent *de;
	size_t seen = 0;
	DIR *d;
	int fd;

	if ((atomic_flag_test_and_set(&done) && !again) || clock_gettime(CLOCK_REALTIME, &now) != 0)
		return;
	fd = open(gitdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL && seen++ < GIT_SWEEP_SCAN) {
		struct stat st;
		long pid;
		int old;

		if (!tmp_clone_name(de->d_name, &pid) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (st.st_mtim.tv_sec > now.tv_sec ||
		    (st.st_mtim.tv_sec == now.tv_sec && st.st_mtim.tv_nsec >= now.tv_nsec) ||
		    pid == (long)getpid())
			continue;
		old = now.tv_sec - st.st_mtim.tv_sec >= GIT_STALE_TMP_SECONDS;
		if (old || (pid && lt_pid_gone(pid)))
			rm_tree_at(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

/* --- fetch ----------------------------------------------------------------- */

struct fetch_state {
	const char *token, *token_host;
	int token_given; /* the token was handed over once */
	int refused;     /* asked again after that: the token was refused */
	int no_creds;    /* credentials were asked for and we had none */
	int ssh_tries;
	int too_big;
};

static int cred_cb(git_credential **out, const char *url, const char *user_from_url,
		   unsigned int allowed, void *payload)
{
	struct fetch_state *fs = payload;

	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && fs->token &&
	    token_allowed(url, fs->token_host)) {
		if (fs->token_given) {
			fs->refused = 1;
			git_error_set_str(GIT_ERROR_NET, "the token was refused");
			return GIT_EAUTH;
		}
		fs->token_given = 1;
		/* any user name works with a token; libgit2 sends it as HTTP Basic */
		return git_credential_userpass_plaintext_new(out, "user", fs->token);
	}
	if ((allowed & GIT_CREDENTIAL_SSH_KEY) && fs->ssh_tries++ == 0)
		return git_credential_ssh_key_from_agent(out, user_from_url ? user_from_url : "git");
	if ((allowed & GIT_CREDENTIAL_USERNAME) && fs->ssh_tries++ < 2)
		return git_credential_username_new(out, user_from_url ? user_from_url : "git");
	fs->no_creds = 1;
	return GIT_PASSTHROUGH;
}

static int progress_cb(const git_indexer_progress *st, void *payload)
{
	struct fetch_state *fs = payload;

	if (st->received_bytes > GIT_MAX_FETCH_BYTES || st->total_objects > GIT_MAX_FETCH_OBJECTS) {
		fs->too_big = 1;
		return -1;
	}
	return 0;
}

/* Point HEAD at the remote's default branch (or its HEAD commit). */
static void set_head_from_remote(git_repository *r, git_remote *remote, const char *def_branch)
{
	const git_remote_head **heads;
	size_t n;

	if (def_branch && git_repository_set_head(r, def_branch) == 0)
		return;
	if (git_remote_ls(&heads, &n, remote) != 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(heads[i]->name, "HEAD")) {
			git_repository_set_head_detached(r, &heads[i]->oid);
			return;
		}
}

static int fetch_into(git_repository *r, const char *url, const struct git_source_opts *opts,
		      struct lt_error *err)
{
	static char heads_spec[] = "+refs/heads/*:refs/heads/*";
	char *specs[] = { heads_spec };
	git_strarray refspecs = { specs, 1 };
	struct fetch_state fs;
	git_remote *remote = NULL;
	git_remote_callbacks cbs;
	git_remote_connect_options copts;
	git_fetch_options fopts;
	git_remote_create_options ropts;
	git_buf def = { 0 };
	int have_def, e, rc = 0;

	memset(&fs, 0, sizeof(fs));
	fs.token = opts->token;
	fs.token_host = opts->token_host;
	git_remote_init_callbacks(&cbs, GIT_REMOTE_CALLBACKS_VERSION);
	cbs.credentials = cred_cb;
	cbs.transfer_progress = progress_cb;
	cbs.payload = &fs;
	git_remote_connect_options_init(&copts, GIT_REMOTE_CONNECT_OPTIONS_VERSION);
	copts.callbacks = cbs;
	copts.proxy_opts.type = GIT_PROXY_AUTO;
	copts.follow_redirects = GIT_REMOTE_REDIRECT_INITIAL;
	git_fetch_options_init(&fopts, GIT_FETCH_OPTIONS_VERSION);
	fopts.callbacks = cbs;
	fopts.proxy_opts.type = GIT_PROXY_AUTO;
	fopts.follow_redirects = GIT_REMOTE_REDIRECT_INITIAL;
	fopts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
	fopts.update_fetchhead = 0;

	/* in-memory remote on our cache repository. insteadOf rewriting is skipped:
	 * the URL fetched is the URL the user named (and the report shows), and
	 * libgit2 1.5 leaks pcre2 match data in that config lookup */
	git_remote_create_options_init(&ropts, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ropts.repository = r;
	ropts.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
	if ((e = git_remote_create_with_opts(&remote, url, &ropts)) != 0 ||
	    (e = git_remote_connect_ext(remote, GIT_DIRECTION_FETCH, &copts)) != 0)
		goto fail;
	have_def = git_remote_default_branch(&def, remote) == 0;
	if ((e = git_remote_download(remote, &refspecs, &fopts)) != 0 ||
	    (e = git_remote_update_tips(remote, &cbs, 0, GIT_REMOTE_DOWNLOAD_TAGS_ALL,
					"lictrace fetch")) != 0)
		goto fail;
	git_remote_prune(remote, &cbs); /* drop branches the remote deleted; best effort */
	set_head_from_remote(r, remote, have_def ? def.ptr : NULL);
	goto done;
fail:
	if (fs.too_big)
		rc = lt_error_set(err, LT_ETOOBIG, url, 0,
				  "'%s' is larger than the %llu byte fetch limit", url,
				  GIT_MAX_FETCH_BYTES);
	else if (fs.refused)
		rc = lt_error_set(err, LT_EAUTH, url, 0, "'%s' refused the access token", url);
	else if (fs.no_creds)
		rc = lt_error_set(err, LT_EAUTH, url, 0,
				  "'%s' needs authentication and no usable token was given", url);
	else
		rc = srcgit_fail(err, e, "cannot fetch", url);
done:
	git_buf_dispose(&def);
	if (remote) {
		git_remote_disconnect(remote);
		git_remote_free(remote);
	}
	return rc;
}

static int is_full_sha(const char *rev)
{
	if (!rev || strlen(rev) != GIT_OID_HEXSZ)
		return 0;
	for (const char *p = rev; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return 0;
	return 1;
}

int gitcache_prepare(char **out, const char *url, const char *rev,
		     const struct git_source_opts *opts, struct lt_error *err)
{
	char *gitdir = NULL, *name = NULL, *final = NULL, *tmp = NULL;
	git_repository *r = NULL;
	struct stat st;
	int e, rc = 0;

	*out = NULL;
	if (url_has_credentials(url))
		return lt_error_set(err, LT_EINVAL, NULL, 0,
				    "a git URL with credentials in it is refused; give the token separately");
	if (!opts->cache_dir || !*opts->cache_dir)
		return lt_error_set(err, LT_EINVAL, url, 0, "cloning '%s' needs a cache folder", url);
	gitdir = path_join(opts->cache_dir, "git");
	name = cache_name(url);
	final = gitdir && name ? path_join(gitdir, name) : NULL;
	if (!final) {
		rc = lt_error_set(err, LT_ENOMEM, url, 0, "out of memory");
		goto done;
	}
	rm_stale_tmp(gitdir, 0);
	if (lstat(final, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			rc = lt_error_set(err, LT_EUNSAFE, final, 0,
					  "'%s' in the cache is not a folder; remove it", final);
			goto done;
		}
		if (opts->offline)
			goto ready;
		if ((e = git_repository_open_bare(&r, final)) != 0) {
			rc = srcgit_fail(err, e, "cannot open the cached clone", final);
			goto done;
		}
		if (is_full_sha(rev)) {
			git_oid id;
			git_odb *odb = NULL;
			int have = git_oid_fromstr(&id, rev) == 0 && git_repository_odb(&odb, r) == 0 &&
				   git_odb_exists(odb, &id);
			git_odb_free(odb);
			if (have) /* a commit never changes: no need to ask the remote */
				goto ready;
		}
		rc = fetch_into(r, url, opts, err);
		goto ready;
	}
	if (opts->offline) {
		rc = lt_error_set(err, LT_ENOTFOUND, url, 0, "'%s' is not in the offline cache", url);
		goto done;
	}
	if ((rc = mkdir_p(gitdir, err)) != 0)
		goto done;
	rm_stale_tmp(gitdir, 1);
	tmp = lt_asprintf("%s.tmp-%ld-XXXXXX", final, (long)getpid());
	if (!tmp) {
		rc = lt_error_set(err, LT_ENOMEM, url, 0, "out of memory");
		goto done;
	}
	if (!mkdtemp(tmp)) {
		rc = lt_error_set(err, LT_EIO, tmp, 0, "cannot create '%s': %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	if ((e = git_repository_init(&r, tmp, 1)) != 0) {
		rc = srcgit_fail(err, e, "cannot create a repository in", tmp);
		goto done;
	}
	rc = fetch_into(r, url, opts, err);
	git_repository_free(r);
	r = NULL;
	if (rc)
		goto done;
	if (rename(tmp, final) != 0 && errno != EEXIST && errno != ENOTEMPTY) {
		rc = lt_error_set(err, LT_EIO, final, 0, "cannot move the clone to '%s': %s", final,
				  strerror(errno));
		goto done;
	}
	/* renamed, or another run finished the same clone first: use that one */
ready:
	if (!rc) {
		*out = final;
		final = NULL;
	}
done:
	git_repository_free(r);
	if (tmp) {
		rm_tree_at(AT_FDCWD, tmp, 0); /* no-op once renamed */
		free(tmp);
	}
	free(gitdir);
	free(name);
	free(final);
	return rc;
}

#else /* !LT_HAVE_GIT2: src_git.c reports that git is not supported */
typedef int lt_git_cache_unused;
#endif
