/*
 * test_source.c - the folder, git and archive backends of struct source.
 *
 * Every fixture is built by the test in its own temporary folder: files and
 * links with POSIX calls, git repositories with libgit2 (including trees no git
 * command would write), archives with libarchive's writer (including names and
 * bombs no archiver would write). Nothing touches the network; the "remote" is
 * a file:// URL or a loopback HTTP server in a thread.
 */
#include "tap.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "source/source.h"
#include "source/hub.h"
#include "source/hub_json.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LFS_OID "sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
#define LFS_POINTER \
	"version https://git-lfs.github.com/spec/v1\noid " LFS_OID "\nsize 13510798882\n"

/* --- helpers ---------------------------------------------------------------- */

static char *tmp_new(void)
{
	const char *base = getenv("TMPDIR");
	char *t = lt_asprintf("%s/lt-src-XXXXXX", base && *base ? base : "/tmp");

	if (!t || !mkdtemp(t)) {
		fprintf(stderr, "cannot create a temporary folder\n");
		exit(1);
	}
	return t;
}

static int rm_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static void tmp_free(char *t)
{
	if (t)
		nftw(t, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
}

static void mkdirs_for(const char *file)
{
	char *p = lt_strdup(file);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	free(p);
}

static void put_file(const char *dir, const char *rel, const void *data, size_t len)
{
	char *p = lt_asprintf("%s/%s", dir, rel);
	FILE *f;

	mkdirs_for(p);
	f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		fprintf(stderr, "cannot write %s\n", p);
		exit(1);
	}
	fclose(f);
	free(p);
}

static void put_str(const char *dir, const char *rel, const char *s)
{
	put_file(dir, rel, s, strlen(s));
}

static int has_problem(const struct source *s, const char *needle)
{
	for (size_t i = 0; i < s->nproblems; i++)
		if (strstr(s->problems[i], needle))
			return 1;
	return 0;
}

static void dump_problems(const struct source *s)
{
	for (size_t i = 0; i < s->nproblems; i++)
		fprintf(stderr, "    problem: %s\n", s->problems[i]);
}

/* Whole content of path (cap 1 MiB), or NULL with *rc set. Caller frees. */
static char *read_text(struct source *s, const char *path, int *rc)
{
	struct buf b;
	struct lt_error err;
	int r;

	buf_init(&b, 1u << 20);
	lt_error_clear(&err);
	r = source_read(s, path, 1u << 20, &b, NULL, &err);
	if (rc)
		*rc = r;
	if (r) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void check_text(struct source *s, const char *path, const char *want)
{
	int rc = 0;
	char *got = read_text(s, path, &rc);

	CHECK_EQ_INT(rc, 0);
	CHECK_STR(got, want);
	free(got);
}

/* dir/name gets new content by a rename over it (another inode). */
static void replace_file(const char *dir, const char *name, const char *text)
{
	char *tmp = lt_asprintf("%s.new", name);
	char *p = lt_asprintf("%s/%s", dir, tmp), *q = lt_asprintf("%s/%s", dir, name);

	put_str(dir, tmp, text);
	CHECK_EQ_INT(rename(p, q), 0);
	free(tmp);
	free(p);
	free(q);
}

/* dir/name is rewritten in place (the same inode). */
static void rewrite_file(const char *dir, const char *name, const char *text)
{
	char *p = lt_asprintf("%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_TRUNC);

	CHECK(fd >= 0);
	if (fd >= 0) {
		CHECK_EQ_INT((int)write(fd, text, strlen(text)), (int)strlen(text));
		close(fd);
	}
	free(p);
}

/* Deterministic incompressible bytes. */
static void fill_random(unsigned char *p, size_t n, uint64_t seed)
{
	uint64_t x = seed * 2654435761u + 88172645463325252ull;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (unsigned char)x;
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- folder ------------------------------------------------------------------- */

static void test_dir_listing(void)
{
	char *t = tmp_new();
	char *root = lt_asprintf("%s/model", t);
	char *p;
	struct source *s = NULL;
	struct lt_error err;
	const struct source_entry *e;
	int rc;

	put_str(root, "README.md", "# card\n");
	put_str(root, "sub/deeper/config.json", "{}\n");
	put_str(root, "model.safetensors", LFS_POINTER);
	put_str(root, ".git/config", "[core]\n");
	put_str(root, ".cache/huggingface/download/x", "x");
	put_str(t, "outside.txt", "secret outside the model\n");
	p = lt_asprintf("%s/LICENSE", root);
	CHECK_EQ_INT(symlink("../outside.txt", p), 0);
	free(p);
	p = lt_asprintf("%s/pipe", root);
	CHECK_EQ_INT(mkfifo(p, 0644), 0);
	free(p);
	p = lt_asprintf("%s/linkdir", root);
	CHECK_EQ_INT(symlink("..", p), 0);
	free(p);

	lt_error_clear(&err);
	rc = source_open_dir(&s, root, &err);
	CHECK_EQ_INT(rc, 0);
	if (!s)
		goto done;
	CHECK(s->revision == NULL);
	CHECK_EQ_INT(s->kind, SOURCE_DIR);
	CHECK_EQ_INT(s->nentries, 5); /* README, config, safetensors, LICENSE, linkdir */
	e = source_find(s, "sub/deeper/config.json");
	CHECK(e && e->readable && e->size == 3);
	CHECK(source_find(s, ".git/config") == NULL);
	CHECK(source_find(s, ".cache/huggingface/download/x") == NULL);
	CHECK(source_find(s, "pipe") == NULL);
	CHECK(has_problem(s, "'pipe' is not a regular file"));
	e = source_find(s, "LICENSE");
	CHECK(e && !e->readable);
	CHECK(has_problem(s, "'LICENSE' is a symbolic link to '../outside.txt'; not followed"));
	e = source_find(s, "linkdir");
	CHECK(e && !e->readable);
	CHECK(source_find(s, "linkdir/outside.txt") == NULL);
	rc = 0;
	CHECK(read_text(s, "LICENSE", &rc) == NULL);
	CHECK(rc != 0);
	e = source_find(s, "model.safetensors");
	CHECK(e && e->lfs_pointer);
	CHECK_STR(e ? e->lfs_oid : NULL, LFS_OID);
	CHECK(e && e->lfs_size == 13510798882ull);
	check_text(s, "README.md", "# card\n");
	check_text(s, "sub/deeper/config.json", "{}\n");
done:
	source_free(s);
	free(root);
	tmp_free(t);
}

static void test_dir_read_caps(void)
{
	char *t = tmp_new();
	char data[100];
	struct source *s = NULL;
	struct lt_error err;
	struct buf b;
	int rc, trunc = -1;

	memset(data, 'a', sizeof(data));
	put_file(t, "f.txt", data, sizeof(data));
	CHECK_EQ_INT(source_open_dir(&s, t, &err), 0);
	if (!s)
		goto done;
	buf_init(&b, 1000);
	rc = source_read(s, "f.txt", 10, &b, NULL, &err);
	CHECK_EQ_INT(rc, LT_ETOOBIG);
	CHECK_EQ_INT(b.len, 0);
	rc = source_read(s, "f.txt", 10, &b, &trunc, &err);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(trunc, 1);
	CHECK_EQ_INT(b.len, 10);
	buf_reset(&b);
	rc = source_read(s, "f.txt", 100, &b, &trunc, &err);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(trunc, 0);
	CHECK_EQ_INT(b.len, 100);
	buf_reset(&b);
	rc = source_read(s, "f.txt", 100, &b, NULL, &err);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(b.len, 100);
	rc = source_read(s, "nope.txt", 100, &b, NULL, &err);
	CHECK_EQ_INT(rc, LT_ENOTFOUND);
	buf_release(&b);
done:
	source_free(s);
	tmp_free(t);
}

/* The tree changes between listing and reading: links must still not be followed. */
static void test_dir_swapped_to_links(void)
{
	char *t = tmp_new();
	char *root = lt_asprintf("%s/m", t), *a, *b;
	struct source *s = NULL;
	struct lt_error err;
	int rc;

	put_str(root, "LICENSE", "MIT\n");
	put_str(root, "a/NOTICE", "notice\n");
	put_str(t, "evil/NOTICE", "outside\n");
	put_str(t, "passwd", "root:x:0:0\n");
	CHECK_EQ_INT(source_open_dir(&s, root, &err), 0);
	if (!s)
		goto done;
	CHECK_EQ_INT(s->nentries, 2);
	a = lt_asprintf("%s/LICENSE", root);
	unlink(a);
	CHECK_EQ_INT(symlink("../passwd", a), 0);
	free(a);
	a = lt_asprintf("%s/a", root);
	b = lt_asprintf("%s/a.old", root);
	CHECK_EQ_INT(rename(a, b), 0);
	CHECK_EQ_INT(symlink("../evil", a), 0);
	free(a);
	free(b);
	CHECK(read_text(s, "LICENSE", &rc) == NULL);
	CHECK_EQ_INT(rc, LT_EUNSAFE);
	CHECK(read_text(s, "a/NOTICE", &rc) == NULL);
	CHECK_EQ_INT(rc, LT_EUNSAFE);
done:
	source_free(s);
	free(root);
	tmp_free(t);
}

/* A top-level file too big to keep is remembered by its identity: a read opens
 * the name at once and reads it only when it is still that regular file; a file
 * put in its place is read as it is now, a link or a FIFO is refused. */
static void test_dir_listed_identity(void)
{
	char *t = tmp_new();
	char big[3000], *p;
	struct source *s = NULL;
	struct lt_error err;
	int rc;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put_str(t, "LICENSE", big);
	put_str(t, "NOTICE", big);
	put_str(t, "USE_POLICY.md", big);
	put_str(t, "other", "small\n");
	CHECK_EQ_INT(source_open_dir(&s, t, &err), 0);
	if (!s)
		goto done;
	check_text(s, "LICENSE", big);
	/* replaced by another file: read as it is now */
	replace_file(t, "LICENSE", "Apache-2.0\n");
	check_text(s, "LICENSE", "Apache-2.0\n");
	/* replaced by a link to a file outside: refused, not followed */
	p = lt_asprintf("%s/NOTICE", t);
	unlink(p);
	CHECK_EQ_INT(symlink("other", p), 0);
	free(p);
	CHECK(read_text(s, "NOTICE", &rc) == NULL);
	CHECK_EQ_INT(rc, LT_EUNSAFE);
	/* replaced by a FIFO: refused, never read */
	p = lt_asprintf("%s/USE_POLICY.md", t);
	unlink(p);
	CHECK_EQ_INT(mkfifo(p, 0600), 0);
	free(p);
	CHECK(read_text(s, "USE_POLICY.md", &rc) == NULL);
	CHECK_EQ_INT(rc, LT_EUNSAFE);
done:
	source_free(s);
	tmp_free(t);
}

static int read_soon_names(void *arg, const char *name)
{
	(void)arg;
	return !strcmp(name, "README.md") || !strcmp(name, "LICENSE") || !strcmp(name, "NOTICE") ||
	       !strcmp(name, "pipe") || !strcmp(name, "huge.md") || !strcmp(name, "pointer");
}

/* Files the caller will read are opened at once and read while listing: the
 * bytes served are the listed ones (AS_LISTED) or the file as it is now; a
 * link or a FIFO of such a name is never opened; a file over the cap, an LFS
 * pointer and a file in a sub-folder are handled as any other. */
static void test_dir_read_soon(void)
{
	char *t = tmp_new();
	char big[3000], *huge, *p;
	size_t hn = SOURCE_DIR_READ_SOON_MAX + 10;
	struct source_dir_opts o = { SOURCE_DIR_AS_LISTED, read_soon_names, NULL };
	struct source_dir_opts live = { 0, read_soon_names, NULL };
	const struct source_entry *e;
	struct source *s = NULL, *s2 = NULL;
	struct lt_error err;
	int rc;

	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	huge = malloc(hn + 1);
	memset(huge, 'h', hn);
	huge[hn] = '\0';
	put_str(t, "README.md", "---\nlicense: mit\n---\n");
	put_str(t, "LICENSE", big);
	put_str(t, "huge.md", huge);
	put_str(t, "pointer", LFS_POINTER);
	put_str(t, "sub/LICENSE", "nested\n");
	put_str(t, "outside.txt", "outside\n");
	p = lt_asprintf("%s/NOTICE", t);
	CHECK_EQ_INT(symlink("outside.txt", p), 0);
	free(p);
	p = lt_asprintf("%s/pipe", t);
	CHECK_EQ_INT(mkfifo(p, 0600), 0);
	free(p);
	CHECK_EQ_INT(source_open_dir_opts(&s, t, &o, &err), 0);
	CHECK_EQ_INT(source_open_dir_opts(&s2, t, &live, &err), 0);
	if (!s || !s2)
		goto done;
	e = source_find(s, "LICENSE");
	CHECK(e && e->readable && e->size == sizeof(big) - 1);
	CHECK(has_problem(s, "'NOTICE' is a symbolic link to 'outside.txt'; not followed"));
	CHECK(has_problem(s, "'pipe' is not a regular file"));
	e = source_find(s, "pointer");
	CHECK(e && e->lfs_pointer && e->lfs_size == 13510798882ull);
	/* written in place after the listing */
	rewrite_file(t, "LICENSE", "changed\n");
	check_text(s, "LICENSE", big);        /* as listed */
	check_text(s2, "LICENSE", "changed\n"); /* as it is now */
	check_text(s, "README.md", "---\nlicense: mit\n---\n");
	check_text(s, "huge.md", huge); /* over the cap: read when asked */
	check_text(s, "sub/LICENSE", "nested\n");
	rc = 0;
	CHECK(read_text(s, "NOTICE", &rc) == NULL); /* the link is not followed */
	CHECK(rc != 0);
done:
	source_free(s);
	source_free(s2);
	free(huge);
	tmp_free(t);
}

/* SOURCE_DIR_AS_LISTED serves small files as they were when listed;
 * SOURCE_DIR_NOFOLLOW refuses a folder that is a symbolic link. */
static void test_dir_flags(void)
{
	char *t = tmp_new();
	char *root = lt_asprintf("%s/m", t), *link = lt_asprintf("%s/l", t), *p;
	struct source_dir_opts as_listed = { SOURCE_DIR_AS_LISTED, NULL, NULL };
	struct source_dir_opts nofollow = { SOURCE_DIR_NOFOLLOW, NULL, NULL };
	struct source *s = NULL;
	struct lt_error err;

	put_str(root, "README.md", "card one\n");
	CHECK_EQ_INT(source_open_dir_opts(&s, root, &as_listed, &err), 0);
	if (!s)
		goto done;
	rewrite_file(root, "README.md", "card two\n");
	check_text(s, "README.md", "card one\n"); /* as listed */
	source_free(s);
	s = NULL;
	CHECK_EQ_INT(source_open_dir(&s, root, &err), 0);
	check_text(s, "README.md", "card two\n");
	source_free(s);
	s = NULL;
	/* the folder as a link: followed by default, refused with NOFOLLOW */
	CHECK_EQ_INT(symlink("m", link), 0);
	CHECK_EQ_INT(source_open_dir(&s, link, &err), 0);
	source_free(s);
	s = NULL;
	CHECK_EQ_INT(source_open_dir_opts(&s, link, &nofollow, &err), LT_EUNSAFE);
	CHECK(s == NULL);
	CHECK(strstr(err.message, "symbolic link") != NULL);
	p = lt_asprintf("%s/README.md", root);
	CHECK_EQ_INT(source_open_dir_opts(&s, p, &nofollow, &err), LT_EINVAL);
	free(p);
	p = lt_asprintf("%s/none", t);
	CHECK_EQ_INT(source_open_dir_opts(&s, p, &nofollow, &err), LT_ENOTFOUND);
	free(p);
done:
	source_free(s);
	free(root);
	free(link);
	tmp_free(t);
}

/* Small top-level files are read once, at listing time, and served from memory
 * only while the name still leads to the same unchanged file: a file written in
 * place, replaced or removed since is read (or refused) as it is now. */
static void test_dir_read_once(void)
{
	char *t = tmp_new();
	char *p;
	struct source *s = NULL;
	struct lt_error err;
	struct buf b;
	int rc, trunc = 0;

	put_str(t, "README.md", "card one\n");
	put_str(t, "LICENSE", "MIT\n");
	put_str(t, "config.json", "{\"a\": 1}\n");
	put_str(t, "gone.txt", "soon gone\n");
	put_str(t, "sub/NOTICE", "nested\n");
	CHECK_EQ_INT(source_open_dir(&s, t, &err), 0);
	if (!s)
		goto done;
	CHECK_EQ_INT(s->nentries, 5);
	check_text(s, "README.md", "card one\n");
	check_text(s, "README.md", "card one\n"); /* again: the same bytes */
	check_text(s, "sub/NOTICE", "nested\n");
	/* written in place (same inode, same size) */
	rewrite_file(t, "README.md", "card two\n");
	check_text(s, "README.md", "card two\n");
	/* replaced by another file */
	replace_file(t, "LICENSE", "Apache-2.0\n");
	check_text(s, "LICENSE", "Apache-2.0\n");
	/* removed */
	p = lt_asprintf("%s/gone.txt", t);
	unlink(p);
	free(p);
	CHECK(read_text(s, "gone.txt", &rc) == NULL);
	CHECK_EQ_INT(rc, LT_ENOTFOUND);
	/* the byte cap holds for a kept file as for a read one */
	buf_init(&b, 1u << 20);
	lt_error_clear(&err);
	CHECK_EQ_INT(source_read(s, "config.json", 3, &b, NULL, &err), LT_ETOOBIG);
	CHECK_EQ_INT(source_read(s, "config.json", 3, &b, &trunc, &err), 0);
	CHECK_EQ_INT(trunc, 1);
	CHECK_EQ_INT((int)b.len, 3);
	buf_release(&b);
	check_text(s, "config.json", "{\"a\": 1}\n");
done:
	source_free(s);
	tmp_free(t);
}

static void test_dir_depth_and_names(void)
{
	char *t = tmp_new();
	struct buf path;
	struct source *s = NULL;
	struct lt_error err;
	char *deep_ok = NULL;

	buf_init(&path, 4096);
	for (int i = 0; i < LT_MAX_DIR_DEPTH + 3; i++) {
		buf_printf(&path, "d%d/", i);
		if (i == LT_MAX_DIR_DEPTH - 1)
			deep_ok = lt_asprintf("%sok.txt", buf_cstr(&path));
	}
	buf_adds(&path, "too-deep.txt");
	put_str(t, buf_cstr(&path), "x");
	put_str(t, deep_ok, "y");
	put_str(t, "back\\slash.txt", "z");
	put_str(t, "ctl\001name", "z");
	CHECK_EQ_INT(source_open_dir(&s, t, &err), 0);
	if (!s)
		goto done;
	CHECK(source_find(s, deep_ok) != NULL);
	CHECK(source_find(s, buf_cstr(&path)) == NULL);
	CHECK(has_problem(s, "nested more than"));
	CHECK(has_problem(s, "'back\\slash.txt' has a backslash"));
	CHECK(has_problem(s, "'ctl?name' has a control character"));
	CHECK_EQ_INT(s->nentries, 1);
done:
	source_free(s);
	free(deep_ok);
	buf_release(&path);
	tmp_free(t);
}

static void test_dir_missing(void)
{
	struct source *s = NULL;
	struct lt_error err;

	CHECK_EQ_INT(source_open_dir(&s, "/nonexistent/lictrace/folder", &err), LT_ENOTFOUND);
	CHECK(s == NULL);
	CHECK(strstr(err.message, "/nonexistent/lictrace/folder") != NULL);
}

/* --- git ---------------------------------------------------------------------- */

static git_signature *sig_new(void)
{
	git_signature *sig = NULL;
	git_signature_new(&sig, "Test", "test@example.invalid", 1700000000, 0);
	return sig;
}

static git_repository *repo_new(const char *path, int bare)
{
	git_repository_init_options o;
	git_repository *r = NULL;

	git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	o.flags = GIT_REPOSITORY_INIT_MKPATH | (bare ? GIT_REPOSITORY_INIT_BARE : 0);
	o.initial_head = "main";
	if (git_repository_init_ext(&r, path, &o) != 0) {
		fprintf(stderr, "git init: %s\n", git_error_last()->message);
		exit(1);
	}
	return r;
}

static void stage(git_repository *r, const char *path, const char *data, unsigned mode)
{
	git_index *idx = NULL;
	git_index_entry e;

	memset(&e, 0, sizeof(e));
	e.path = path;
	e.mode = mode;
	git_repository_index(&idx, r);
	if (git_index_add_from_buffer(idx, &e, data, strlen(data)) != 0 || git_index_write(idx) != 0) {
		fprintf(stderr, "stage %s: %s\n", path, git_error_last()->message);
		exit(1);
	}
	git_index_free(idx);
}

static void stage_gitlink(git_repository *r, const char *path, const git_oid *commit)
{
	git_index *idx = NULL;
	git_index_entry e;

	memset(&e, 0, sizeof(e));
	e.path = path;
	e.mode = GIT_FILEMODE_COMMIT;
	git_oid_cpy(&e.id, commit);
	git_repository_index(&idx, r);
	if (git_index_add(idx, &e) != 0 || git_index_write(idx) != 0) {
		fprintf(stderr, "gitlink: %s\n", git_error_last()->message);
		exit(1);
	}
	git_index_free(idx);
}

/* Commit the index on HEAD; returns the new commit's id. */
static git_oid commit_index(git_repository *r, const char *msg)
{
	git_index *idx = NULL;
	git_oid tree_id, id;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_object *head = NULL;
	git_signature *sig = sig_new();
	const git_commit *parents[1];
	int np = 0;

	git_repository_index(&idx, r);
	git_index_write_tree(&tree_id, idx);
	git_tree_lookup(&tree, r, &tree_id);
	if (git_revparse_single(&head, r, "HEAD^{commit}") == 0) {
		parent = (git_commit *)head;
		parents[np++] = parent;
	}
	if (git_commit_create(&id, r, "HEAD", sig, sig, NULL, msg, tree, (size_t)np, parents) != 0) {
		fprintf(stderr, "commit: %s\n", git_error_last()->message);
		exit(1);
	}
	git_object_free(head);
	git_tree_free(tree);
	git_index_free(idx);
	git_signature_free(sig);
	return id;
}

/* A commit of one flat file on refs/heads/main of a (bare) repository. */
static git_oid commit_file_bare(git_repository *r, const char *name, const char *data)
{
	git_treebuilder *tb = NULL;
	git_oid blob, tree_id, id;
	git_tree *tree = NULL;
	git_object *head = NULL;
	git_signature *sig = sig_new();
	const git_commit *parents[1];
	int np = 0;

	git_blob_create_from_buffer(&blob, r, data, strlen(data));
	git_treebuilder_new(&tb, r, NULL);
	git_treebuilder_insert(NULL, tb, name, &blob, GIT_FILEMODE_BLOB);
	git_treebuilder_write(&tree_id, tb);
	git_tree_lookup(&tree, r, &tree_id);
	if (git_revparse_single(&head, r, "refs/heads/main^{commit}") == 0)
		parents[np++] = (git_commit *)head;
	if (git_commit_create(&id, r, "refs/heads/main", sig, sig, NULL, "update", tree, (size_t)np,
			      parents) != 0) {
		fprintf(stderr, "commit: %s\n", git_error_last()->message);
		exit(1);
	}
	git_object_free(head);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_signature_free(sig);
	return id;
}

struct fixture_repo {
	char *tmp, *path;
	git_oid c1, c2;
	char sha1[GIT_OID_HEXSZ + 1], sha2[GIT_OID_HEXSZ + 1];
};

/* README.md, LICENSE (v1, then v2), an LFS pointer, a symlink, a submodule,
 * tags v1 (lightweight) and v1-annotated on the first commit. */
static void fixture_repo_make(struct fixture_repo *f)
{
	git_repository *r;
	git_object *obj = NULL;
	git_signature *sig = sig_new();
	git_oid tag;

	f->tmp = tmp_new();
	f->path = lt_asprintf("%s/repo", f->tmp);
	r = repo_new(f->path, 0);
	stage(r, "README.md", "---\nlicense: mit\n---\n# model\n", GIT_FILEMODE_BLOB);
	stage(r, "LICENSE", "license v1\n", GIT_FILEMODE_BLOB);
	stage(r, "model.safetensors", LFS_POINTER, GIT_FILEMODE_BLOB);
	stage(r, "NOTICE", "../../../etc/passwd", GIT_FILEMODE_LINK);
	stage(r, "docs/usage.md", "use it\n", GIT_FILEMODE_BLOB);
	f->c1 = commit_index(r, "first");
	stage_gitlink(r, "vendor/sub", &f->c1);
	stage(r, "LICENSE", "license v2\n", GIT_FILEMODE_BLOB);
	f->c2 = commit_index(r, "second");
	git_oid_tostr(f->sha1, sizeof(f->sha1), &f->c1);
	git_oid_tostr(f->sha2, sizeof(f->sha2), &f->c2);
	git_object_lookup(&obj, r, &f->c1, GIT_OBJECT_COMMIT);
	git_tag_create_lightweight(&tag, r, "v1", obj, 0);
	git_tag_create(&tag, r, "v1-annotated", obj, sig, "release 1", 0);
	git_object_free(obj);
	git_signature_free(sig);
	git_repository_free(r);
}

static void fixture_repo_free(struct fixture_repo *f)
{
	tmp_free(f->tmp);
	free(f->path);
}

static void test_git_head(void)
{
	struct fixture_repo f;
	struct source *s = NULL;
	struct lt_error err;
	const struct source_entry *e;
	int rc;

	git_libgit2_init();
	fixture_repo_make(&f);
	lt_error_clear(&err);
	rc = source_open_git(&s, f.path, NULL, NULL, &err);
	CHECK_EQ_INT(rc, 0);
	if (rc)
		fprintf(stderr, "  %s\n", err.message);
	if (!s)
		goto done;
	CHECK_EQ_INT(s->kind, SOURCE_GIT);
	CHECK_STR(s->revision, f.sha2);
	/* the commit's time, in UTC, for an SBOM's release time */
	CHECK(s->release_time && strlen(s->release_time) == 20 && s->release_time[10] == 'T' &&
	      s->release_time[19] == 'Z');
	CHECK(s->supplier == NULL);
	check_text(s, "LICENSE", "license v2\n");
	check_text(s, "docs/usage.md", "use it\n");
	e = source_find(s, "model.safetensors");
	CHECK(e && e->lfs_pointer && e->readable);
	CHECK_STR(e ? e->lfs_oid : NULL, LFS_OID);
	CHECK(e && e->lfs_size == 13510798882ull);
	e = source_find(s, "NOTICE");
	CHECK(e && !e->readable);
	CHECK(has_problem(s, "'NOTICE' is a symbolic link to '../../../etc/passwd'; not followed"));
	CHECK(read_text(s, "NOTICE", &rc) == NULL);
	CHECK(source_find(s, "vendor/sub") == NULL);
	CHECK(has_problem(s, "'vendor/sub' is a submodule; not followed"));
	CHECK_EQ_INT(s->nentries, 5);
	CHECK(source_git_is_repo(f.path));
	CHECK(!source_git_is_url(f.path));
done:
	source_free(s);
	fixture_repo_free(&f);
	git_libgit2_shutdown();
}

static void test_git_revisions(void)
{
	struct fixture_repo f;
	struct source *s = NULL;
	struct lt_error err;
	char short_sha[8];
	const char *revs[] = { NULL, "v1", "v1-annotated", NULL, "main" };
	int rc;

	git_libgit2_init();
	fixture_repo_make(&f);
	memcpy(short_sha, f.sha1, 7);
	short_sha[7] = '\0';
	revs[0] = f.sha1;
	revs[3] = short_sha;
	for (size_t i = 0; i < sizeof(revs) / sizeof(*revs); i++) {
		int first = i < 4;
		rc = source_open_git(&s, f.path, revs[i], NULL, &err);
		CHECK_EQ_INT(rc, 0);
		if (!s)
			continue;
		CHECK_STR(s->revision, first ? f.sha1 : f.sha2);
		check_text(s, "LICENSE", first ? "license v1\n" : "license v2\n");
		CHECK_EQ_INT(has_problem(s, "submodule"), !first);
		source_free(s);
		s = NULL;
	}
	lt_error_clear(&err);
	rc = source_open_git(&s, f.path, "no-such-branch", NULL, &err);
	CHECK_EQ_INT(rc, LT_ENOTFOUND);
	CHECK(s == NULL);
	CHECK(strstr(err.message, "'no-such-branch' is not a revision") != NULL);
	rc = source_open_git(&s, f.path, "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef", NULL, &err);
	CHECK_EQ_INT(rc, LT_ENOTFOUND);
	rc = source_open_git(&s, "/nonexistent/lictrace/repo", NULL, NULL, &err);
	CHECK_EQ_INT(rc, LT_ENOTFOUND);
	fixture_repo_free(&f);
	git_libgit2_shutdown();
}

static void test_git_index(void)
{
	struct fixture_repo f;
	struct source *s = NULL;
	struct git_source_opts o;
	struct lt_error err;
	git_repository *r = NULL;

	git_libgit2_init();
	fixture_repo_make(&f);
	git_repository_open(&r, f.path);
	stage(r, "LICENSE", "license v3, staged\n", GIT_FILEMODE_BLOB);
	stage(r, "NEW.md", "new file\n", GIT_FILEMODE_BLOB);
	git_repository_free(r);
	memset(&o, 0, sizeof(o));
	o.use_index = 1;
	CHECK_EQ_INT(source_open_git(&s, f.path, NULL, &o, &err), 0);
	if (s) {
		CHECK_STR(s->revision, "index");
		check_text(s, "LICENSE", "license v3, staged\n");
		check_text(s, "NEW.md", "new file\n");
		CHECK(has_problem(s, "'vendor/sub' is a submodule"));
		CHECK(has_problem(s, "'NOTICE' is a symbolic link"));
		source_free(s);
		s = NULL;
	}
	CHECK_EQ_INT(source_open_git(&s, f.path, NULL, NULL, &err), 0);
	if (s) {
		check_text(s, "LICENSE", "license v2\n");
		CHECK(source_find(s, "NEW.md") == NULL);
		source_free(s);
	}
	fixture_repo_free(&f);
	git_libgit2_shutdown();
}

static void test_git_read_caps(void)
{
	struct fixture_repo f;
	struct source *s = NULL;
	struct lt_error err;
	struct buf b;
	int trunc = -1;

	git_libgit2_init();
	fixture_repo_make(&f);
	CHECK_EQ_INT(source_open_git(&s, f.path, NULL, NULL, &err), 0);
	if (!s)
		goto done;
	buf_init(&b, 1000);
	CHECK_EQ_INT(source_read(s, "LICENSE", 4, &b, NULL, &err), LT_ETOOBIG);
	CHECK_EQ_INT(b.len, 0);
	CHECK_EQ_INT(source_read(s, "LICENSE", 4, &b, &trunc, &err), 0);
	CHECK_EQ_INT(trunc, 1);
	CHECK_STR(buf_cstr(&b), "lice");
	buf_release(&b);
	source_free(s);
done:
	fixture_repo_free(&f);
	git_libgit2_shutdown();
}

/* Write a raw tree object: entries are "mode name" + 20-byte id, unchecked. */
static git_oid raw_tree(git_odb *odb, const char *const *names, const char *const *modes,
			const git_oid *ids, size_t n)
{
	struct buf b;
	git_oid id;

	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < n; i++) {
		buf_printf(&b, "%s %s", modes[i], names[i]);
		buf_addc(&b, '\0');
		buf_add(&b, ids[i].id, GIT_OID_RAWSZ);
	}
	git_odb_write(&id, odb, b.data, b.len, GIT_OBJECT_TREE);
	buf_release(&b);
	return id;
}

static void test_git_hostile_tree(void)
{
	char *t;
	git_repository *r;
	git_odb *odb = NULL;
	git_oid blob, secret, sub, root, commit;
	char hex[GIT_OID_HEXSZ + 1];
	struct buf c;
	struct source *s = NULL;
	struct lt_error err;

	git_libgit2_init();
	t = tmp_new();
	r = repo_new(t, 1);
	git_repository_odb(&odb, r);
	git_odb_write(&blob, odb, "ok\n", 3, GIT_OBJECT_BLOB);
	git_odb_write(&secret, odb, "root:x:0:0\n", 11, GIT_OBJECT_BLOB);
	{
		const char *names[] = { "passwd" };
		const char *modes[] = { "100644" };
		sub = raw_tree(odb, names, modes, &secret, 1);
	}
	{
		const char *names[] = { "..", "README.md", "a\\b", "x/y", "ctl\001", "." };
		const char *modes[] = { "40000", "100644", "100644", "100644", "100644", "40000" };
		git_oid ids[] = { sub, blob, blob, blob, blob, sub };
		root = raw_tree(odb, names, modes, ids, 6);
	}
	git_oid_tostr(hex, sizeof(hex), &root);
	buf_init(&c, 4096);
	buf_printf(&c, "tree %s\nauthor a <a@a> 0 +0000\ncommitter a <a@a> 0 +0000\n\nevil\n", hex);
	git_odb_write(&commit, odb, c.data, c.len, GIT_OBJECT_COMMIT);
	buf_release(&c);
	git_oid_tostr(hex, sizeof(hex), &commit);
	CHECK_EQ_INT(source_open_git(&s, t, hex, NULL, &err), 0);
	if (s) {
		CHECK_EQ_INT(s->nentries, 1);
		check_text(s, "README.md", "ok\n");
		CHECK(source_find(s, "../passwd") == NULL);
		CHECK(has_problem(s, "'..' leaves the tree"));
		CHECK(has_problem(s, "'a\\b' has a backslash"));
		CHECK(has_problem(s, "'x/y' has a malformed name"));
		CHECK(has_problem(s, "control character"));
		CHECK(has_problem(s, "'.' has a malformed name"));
		for (size_t i = 0; i < s->nproblems; i++)
			CHECK(strchr(s->problems[i], '\001') == NULL);
		source_free(s);
	}
	git_odb_free(odb);
	git_repository_free(r);
	tmp_free(t);
	git_libgit2_shutdown();
}

static int count_dir(const char *path, const char *needle)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && (!needle || strstr(de->d_name, needle)))
			n++;
	closedir(d);
	return n;
}

/* git_clone's default remote looks up url.*.insteadOf, where libgit2 1.5 leaks
 * pcre2 match data; the bare copy is made without that lookup. */
static int remote_no_insteadof(git_remote **out, git_repository *repo, const char *name,
			       const char *url, void *payload)
{
	git_remote_create_options o;

	(void)payload;
	git_remote_create_options_init(&o, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	o.repository = repo;
	o.name = name;
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
	return git_remote_create_with_opts(out, url, &o);
}

static void test_git_clone_cache(void)
{
	struct fixture_repo f;
	char *bare = NULL, *url = NULL, *src_url = NULL, *cache = NULL, *gitdir = NULL;
	git_repository *br = NULL;
	git_clone_options co;
	struct git_source_opts o;
	struct source *s = NULL;
	struct lt_error err;
	char sha3[GIT_OID_HEXSZ + 1];
	git_oid c3;
	int rc;

	git_libgit2_init();
	git_clone_options_init(&co, GIT_CLONE_OPTIONS_VERSION);
	fixture_repo_make(&f);
	bare = lt_asprintf("%s/remote.git", f.tmp);
	src_url = lt_asprintf("file://%s", f.path);
	co.bare = 1;
	co.remote_cb = remote_no_insteadof;
	CHECK_EQ_INT(git_clone(&br, src_url, bare, &co), 0);
	git_repository_free(br);
	br = NULL;
	url = lt_asprintf("file://%s", bare);
	cache = lt_asprintf("%s/cache", f.tmp);
	gitdir = lt_asprintf("%s/git", cache);
	memset(&o, 0, sizeof(o));
	o.cache_dir = cache;
	CHECK(source_git_is_url(url));

	/* first run: clone */
	lt_error_clear(&err);
	rc = source_open_git(&s, url, NULL, &o, &err);
	CHECK_EQ_INT(rc, 0);
	if (rc)
		fprintf(stderr, "  %s\n", err.message);
	if (s) {
		CHECK_STR(s->revision, f.sha2);
		check_text(s, "LICENSE", "license v2\n");
		CHECK(source_find(s, "model.safetensors") && source_find(s, "model.safetensors")->lfs_pointer);
		source_free(s);
		s = NULL;
	}
	CHECK_EQ_INT(count_dir(gitdir, NULL), 1);
	CHECK_EQ_INT(count_dir(gitdir, ".tmp-"), 0);

	/* the remote moves on; the next run fetches into the same clone */
	git_repository_open_bare(&br, bare);
	c3 = commit_file_bare(br, "LICENSE", "license v3, pushed\n");
	git_oid_tostr(sha3, sizeof(sha3), &c3);
	git_repository_free(br);
	rc = source_open_git(&s, url, NULL, &o, &err);
	CHECK_EQ_INT(rc, 0);
	if (s) {
		CHECK_STR(s->revision, sha3);
		check_text(s, "LICENSE", "license v3, pushed\n");
		source_free(s);
		s = NULL;
	}
	rc = source_open_git(&s, url, "v1", &o, &err);
	CHECK_EQ_INT(rc, 0);
	if (s) {
		CHECK_STR(s->revision, f.sha1);
		source_free(s);
		s = NULL;
	}
	CHECK_EQ_INT(count_dir(gitdir, NULL), 1);

	/* the remote disappears: a full sha in the cache needs no fetch; HEAD does */
	tmp_free(lt_strdup(bare));
	rc = source_open_git(&s, url, f.sha1, &o, &err);
	CHECK_EQ_INT(rc, 0);
	if (s) {
		check_text(s, "LICENSE", "license v1\n");
		source_free(s);
		s = NULL;
	}
	rc = source_open_git(&s, url, NULL, &o, &err);
	CHECK(rc != 0);
	CHECK(s == NULL);
	CHECK(strstr(err.message, "cannot fetch") != NULL);
	o.offline = 1;
	rc = source_open_git(&s, url, NULL, &o, &err);
	CHECK_EQ_INT(rc, 0);
	if (s) {
		CHECK_STR(s->revision, sha3);
		source_free(s);
		s = NULL;
	}
	free(url);
	url = lt_asprintf("file://%s/never-cloned.git", f.tmp);
	CHECK_EQ_INT(source_open_git(&s, url, NULL, &o, &err), LT_ENOTFOUND);
	CHECK(strstr(err.message, "offline cache") != NULL);
	free(bare);
	free(url);
	free(src_url);
	free(cache);
	free(gitdir);
	fixture_repo_free(&f);
	git_libgit2_shutdown();
}

/* A clone killed mid-way leaves "<name>.tmp-XXXXXX": the next clone of the same
 * URL removes it once it is a day old, and leaves a younger one (maybe live). */
static void test_git_stale_tmp(void)
{
	struct fixture_repo f;
	char *url, *cache, *gitdir, *name = NULL, *old_tmp, *new_tmp, *final;
	struct git_source_opts o;
	struct source *s = NULL;
	struct lt_error err;
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	DIR *d;
	struct dirent *de;

	git_libgit2_init();
	fixture_repo_make(&f);
	url = lt_asprintf("file://%s", f.path);
	cache = lt_asprintf("%s/cache", f.tmp);
	gitdir = lt_asprintf("%s/git", cache);
	memset(&o, 0, sizeof(o));
	o.cache_dir = cache;
	CHECK_EQ_INT(source_open_git(&s, url, NULL, &o, &err), 0);
	source_free(s);
	s = NULL;
	d = opendir(gitdir);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			name = lt_strdup(de->d_name);
	if (d)
		closedir(d);
	CHECK(name != NULL);
	if (!name)
		goto done;
	final = lt_asprintf("%s/%s", gitdir, name);
	old_tmp = lt_asprintf("%s.tmp-old123", final);
	new_tmp = lt_asprintf("%s.tmp-new123", final);
	tmp_free(lt_strdup(final));
	put_str(old_tmp, "objects/half", "x");
	put_str(new_tmp, "objects/half", "x");
	CHECK_EQ_INT(utimensat(AT_FDCWD, old_tmp, ts, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ_INT(source_open_git(&s, url, NULL, &o, &err), 0);
	if (s)
		CHECK_STR(s->revision, f.sha2);
	source_free(s);
	CHECK(access(old_tmp, F_OK) != 0);
	CHECK(access(new_tmp, F_OK) == 0);
	CHECK(access(final, F_OK) == 0);
	free(final);
	free(old_tmp);
	free(new_tmp);
done:
	free(name);
	free(url);
	free(cache);
	free(gitdir);
	fixture_repo_free(&f);
	git_libgit2_shutdown();
}

static void test_git_failed_clone_leaves_nothing(void)
{
	char *t = tmp_new();
	char *cache = lt_asprintf("%s/cache", t), *gitdir = lt_asprintf("%s/cache/git", t);
	char *url = lt_asprintf("file://%s/missing.git", t);
	struct git_source_opts o;
	struct source *s = NULL;
	struct lt_error err;

	memset(&o, 0, sizeof(o));
	o.cache_dir = cache;
	CHECK(source_open_git(&s, url, NULL, &o, &err) != 0);
	CHECK(s == NULL);
	CHECK_EQ_INT(count_dir(gitdir, NULL), 0);
	/* no cache folder at all */
	o.cache_dir = NULL;
	CHECK_EQ_INT(source_open_git(&s, url, NULL, &o, &err), LT_EINVAL);
	/* a password in the URL is refused, and not echoed */
	o.cache_dir = cache;
	CHECK_EQ_INT(source_open_git(&s, "https://user:hunter2@example.invalid/r.git", NULL, &o, &err),
		     LT_EINVAL);
	CHECK(strstr(err.message, "hunter2") == NULL);
	CHECK_EQ_INT(source_open_git(&s, "https://hf_secret@example.invalid/r.git", NULL, &o, &err),
		     LT_EINVAL);
	CHECK(strstr(err.message, "hf_secret") == NULL);
	CHECK_EQ_INT(count_dir(gitdir, NULL), 0);
	CHECK(source_git_is_url("git@example.invalid:org/repo.git"));
	CHECK(source_git_is_url("ssh://git@example.invalid/org/repo.git"));
	CHECK(!source_git_is_url("./relative/path"));
	CHECK(!source_git_is_url("C:model"));
	free(cache);
	free(gitdir);
	free(url);
	tmp_free(t);
}

/* A loopback HTTP server that asks for Basic auth and records what it is sent. */
struct fake_http {
	int lfd, port, stop;
	int requests;
	char auth[256];
	char first_line[512];
};

static void *fake_http_run(void *arg)
{
	struct fake_http *h = arg;

	while (!h->stop) {
		struct pollfd p = { h->lfd, POLLIN, 0 };
		char req[8192];
		size_t n = 0;
		int fd;

		if (poll(&p, 1, 100) <= 0)
			continue;
		fd = accept(h->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		while (n < sizeof(req) - 1) {
			ssize_t k = read(fd, req + n, sizeof(req) - 1 - n);
			if (k <= 0)
				break;
			n += (size_t)k;
			req[n] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[n] = '\0';
		h->requests++;
		if (!h->first_line[0]) {
			char *eol = strstr(req, "\r\n");
			size_t len = eol ? (size_t)(eol - req) : n;
			if (len >= sizeof(h->first_line))
				len = sizeof(h->first_line) - 1;
			memcpy(h->first_line, req, len);
		}
		char *a = strcasestr(req, "\r\nAuthorization: ");
		const char *resp;
		if (a) {
			char *eol = strstr(a + 2, "\r\n");
			size_t len = eol ? (size_t)(eol - (a + 17)) : 0;
			if (len >= sizeof(h->auth))
				len = sizeof(h->auth) - 1;
			memcpy(h->auth, a + 17, len);
			h->auth[len] = '\0';
			resp = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
		} else {
			resp = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"t\"\r\n"
			       "Content-Length: 0\r\nConnection: close\r\n\r\n";
		}
		if (write(fd, resp, strlen(resp)) < 0)
			h->stop = 1;
		close(fd);
	}
	return NULL;
}

static int fake_http_start(struct fake_http *h, pthread_t *th)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	memset(h, 0, sizeof(*h));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (h->lfd < 0 || bind(h->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(h->lfd, 8) != 0 || getsockname(h->lfd, (struct sockaddr *)&a, &len) != 0)
		return -1;
	h->port = ntohs(a.sin_port);
	return pthread_create(th, NULL, fake_http_run, h);
}

static void fake_http_stop(struct fake_http *h, pthread_t th)
{
	h->stop = 1;
	pthread_join(th, NULL);
	close(h->lfd);
}

static int tree_contains(const char *dir, const char *needle);

static void test_git_token(void)
{
	static const char token[] = "tok-SECRET-123";
	char *t = tmp_new();
	char *cache = lt_asprintf("%s/cache", t), *url;
	struct fake_http h;
	pthread_t th;
	struct git_source_opts o;
	struct source *s = NULL;
	struct lt_error err;
	int rc;

	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	if (fake_http_start(&h, &th) != 0) {
		CHECK(!"cannot start the loopback server");
		goto done;
	}
	url = lt_asprintf("http://127.0.0.1:%d/org/model.git", h.port);
	memset(&o, 0, sizeof(o));
	o.cache_dir = cache;
	o.token = token;
	o.token_host = "127.0.0.1";
	lt_error_clear(&err);
	rc = source_open_git(&s, url, NULL, &o, &err);
	fake_http_stop(&h, th);
	CHECK_EQ_INT(rc, LT_EAUTH); /* the server answers 403 to the token */
	fprintf(stderr, "  token refused: %s\n", err.message);
	CHECK(s == NULL);
	CHECK_STR(h.auth, "Basic dXNlcjp0b2stU0VDUkVULTEyMw==");
	CHECK(strstr(h.first_line, token) == NULL);
	CHECK(strstr(err.message, token) == NULL);
	CHECK(!tree_contains(t, token));
	free(url);

	/* the token belongs to another host: it is never sent */
	if (fake_http_start(&h, &th) != 0)
		goto done;
	url = lt_asprintf("http://127.0.0.1:%d/org/model.git", h.port);
	o.token_host = "huggingface.co";
	rc = source_open_git(&s, url, NULL, &o, &err);
	fake_http_stop(&h, th);
	CHECK_EQ_INT(rc, LT_EAUTH);
	CHECK(h.requests >= 1);
	CHECK_STR(h.auth, "");
	CHECK(strstr(err.message, "needs authentication") != NULL);
	free(url);
done:
	free(cache);
	tmp_free(t);
}

/* --- archives --------------------------------------------------------------- */

enum { W_FILE, W_LINK, W_HARD, W_DIR };

struct went {
	const char *name;
	const void *data;
	size_t len;
	int kind;
	const char *link;
};

/* Write entries to path; format "zip" or "tar" (pax), filter name or NULL.
 * Returns 0, or 1 when this libarchive cannot write the filter itself. */
static int write_archive(const char *path, const char *format, const char *filter,
			 const struct went *e, size_t n)
{
	struct archive *a = archive_write_new();
	int r;

	if (!strcmp(format, "zip"))
		archive_write_set_format_zip(a);
	else
		archive_write_set_format_pax_restricted(a);
	if (filter && (r = archive_write_add_filter_by_name(a, filter)) != ARCHIVE_OK) {
		archive_write_free(a);
		return 1;
	}
	if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
		fprintf(stderr, "open %s: %s\n", path, archive_error_string(a));
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *ae = archive_entry_new();
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_mtime(ae, 1700000000, 0);
		switch (e[i].kind) {
		case W_FILE:
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_size(ae, (la_int64_t)e[i].len);
			break;
		case W_LINK:
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_perm(ae, 0777);
			archive_entry_set_symlink(ae, e[i].link);
			break;
		case W_HARD:
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_hardlink(ae, e[i].link);
			archive_entry_set_size(ae, 0);
			break;
		case W_DIR:
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
			break;
		}
		if (archive_write_header(a, ae) < ARCHIVE_WARN) {
			fprintf(stderr, "header %s: %s\n", e[i].name, archive_error_string(a));
			exit(1);
		}
		if (e[i].kind == W_FILE && e[i].len)
			archive_write_data(a, e[i].data, e[i].len);
		archive_entry_free(ae);
	}
	archive_write_close(a);
	archive_write_free(a);
	return 0;
}

#define FILE_ENT(n, s) { n, s, sizeof(s) - 1, W_FILE, NULL }

/* src->revision must be "sha256:" + what sha256sum says of the file. */
static void check_digest(const struct source *s, const char *path)
{
	char *cmd = lt_asprintf("sha256sum '%s' 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	char line[256] = "";

	CHECK(s->revision && lt_starts_with(s->revision, "sha256:"));
	if (p && fgets(line, sizeof(line), p) && strlen(line) > 64) {
		line[64] = '\0';
		CHECK_STR(s->revision ? s->revision + 7 : NULL, line);
	} else {
		fprintf(stderr, "  (no sha256sum: digest not compared)\n");
	}
	if (p)
		pclose(p);
	free(cmd);
}

static void test_archive_tgz(void)
{
	char *t = tmp_new();
	char *path = lt_asprintf("%s/model.tar.gz", t);
	const struct went e[] = {
		{ "model/", NULL, 0, W_DIR, NULL },
		FILE_ENT("model/README.md", "# card\n"),
		FILE_ENT("model/LICENSE", "Apache License 2.0\n"),
		FILE_ENT("model/sub/config.json", "{\"a\":1}\n"),
		FILE_ENT("model/model.safetensors", LFS_POINTER),
	};
	struct source *s = NULL;
	struct lt_error err;
	const struct source_entry *se;

	write_archive(path, "tar", "gzip", e, sizeof(e) / sizeof(*e));
	CHECK(source_archive_name_matches(path));
	CHECK_EQ_INT(source_open_archive(&s, path, NULL, &err), 0);
	if (!s)
		goto done;
	CHECK_EQ_INT(s->kind, SOURCE_ARCHIVE);
	CHECK_EQ_INT(s->nentries, 4);
	check_text(s, "README.md", "# card\n");
	check_text(s, "LICENSE", "Apache License 2.0\n");
	check_text(s, "sub/config.json", "{\"a\":1}\n");
	se = source_find(s, "model.safetensors");
	CHECK(se && se->lfs_pointer);
	CHECK_STR(se ? se->lfs_oid : NULL, LFS_OID);
	CHECK_EQ_INT(s->nproblems, 0);
	check_digest(s, path);
done:
	source_free(s);
	free(path);
	tmp_free(t);
}

static void test_archive_no_common_top(void)
{
	char *t = tmp_new();
	char *path = lt_asprintf("%s/m.zip", t);
	const struct went e[] = {
		FILE_ENT("a/README.md", "a\n"),
		FILE_ENT("b/README.md", "b\n"),
		FILE_ENT("./LICENSE", "MIT\n"),
	};
	struct source *s = NULL;
	struct lt_error err;

	write_archive(path, "zip", NULL, e, 3);
	CHECK_EQ_INT(source_open_archive(&s, path, NULL, &err), 0);
	if (s) {
		CHECK_EQ_INT(s->nentries, 3);
		check_text(s, "a/README.md", "a\n");
		check_text(s, "b/README.md", "b\n");
		check_text(s, "LICENSE", "MIT\n");
		check_digest(s, path); /* zip is read out of order (central directory) */
		source_free(s);
	}
	free(path);
	tmp_free(t);
}

static void test_archive_hostile_names(void)
{
	char *t = tmp_new();
	const char *fmts[] = { "tar", "zip" };

	for (int f = 0; f < 2; f++) {
		char *path = lt_asprintf("%s/evil.%s", t, fmts[f]);
		const struct went e[] = {
			FILE_ENT("../evil", "pwned\n"),
			FILE_ENT("/abs/evil", "pwned\n"),
			FILE_ENT("a/../../evil2", "pwned\n"),
			FILE_ENT("dir\\evil.txt", "pwned\n"),
			FILE_ENT("ctl\001.txt", "pwned\n"),
			FILE_ENT("ok.txt", "fine\n"),
			FILE_ENT(".", "empty name\n"),
			{ "LICENSE", NULL, 0, W_LINK, "/etc/passwd" },
			{ "copy.txt", NULL, 0, W_HARD, "ok.txt" },
			FILE_ENT("dup.txt", "first\n"),
			FILE_ENT("dup.txt", "second\n"),
		};
		struct source *s = NULL;
		struct lt_error err;
		const struct source_entry *se;
		int rc;

		write_archive(path, fmts[f], NULL, e, sizeof(e) / sizeof(*e));
		rc = source_open_archive(&s, path, NULL, &err);
		CHECK_EQ_INT(rc, 0);
		if (!s) {
			fprintf(stderr, "  %s: %s\n", fmts[f], err.message);
			free(path);
			continue;
		}
		CHECK(has_problem(s, "'../evil' leaves the tree"));
		CHECK(has_problem(s, "'/abs/evil' is an absolute path"));
		CHECK(has_problem(s, "'a/../../evil2' leaves the tree"));
		/* libarchive's zip reader turns '\\' into '/' itself (DOS-made names):
		 * then the name is harmless and stays inside the tree */
		if (f == 0)
			CHECK(has_problem(s, "'dir\\evil.txt' has a backslash"));
		else
			CHECK(has_problem(s, "'dir\\evil.txt' has a backslash") ||
			      source_find(s, "dir/evil.txt") != NULL);
		CHECK(has_problem(s, "control character"));
		CHECK(has_problem(s, "'.' has an empty name"));
		CHECK(has_problem(s, "'LICENSE' is a symbolic link to '/etc/passwd'; not followed"));
		CHECK(has_problem(s, "'dup.txt' appears more than once"));
		se = source_find(s, "LICENSE");
		CHECK(se && !se->readable);
		CHECK(read_text(s, "LICENSE", &rc) == NULL);
		check_text(s, "ok.txt", "fine\n");
		check_text(s, "dup.txt", "second\n");
		if (f == 0) { /* tar has hard links; zip has none */
			CHECK(has_problem(s, "'copy.txt' is a hard link to 'ok.txt'; not followed"));
			se = source_find(s, "copy.txt");
			CHECK(se && !se->readable);
		}
		for (size_t i = 0; i < s->nentries; i++)
			CHECK(strstr(s->entries[i].path, "evil") == NULL ||
			      !strcmp(s->entries[i].path, "dir/evil.txt"));
		/* tar: ok, LICENSE, copy (hard link), dup; zip writes the hard link as a plain file */
		CHECK_EQ_INT(s->nentries, (size_t)(f == 0 ? 4 : 4 + (source_find(s, "dir/evil.txt") != NULL)));
		if (tap_failed_)
			dump_problems(s);
		source_free(s);
		free(path);
	}
	tmp_free(t);
}

static void test_archive_caps(void)
{
	char *t = tmp_new();
	char *path = lt_asprintf("%s/caps.tar.gz", t);
	unsigned char big[5000];
	struct went e[20];
	char names[20][24];
	struct archive_limits lim;
	struct source *s = NULL;
	struct lt_error err;

	fill_random(big, sizeof(big), 1);
	/* one entry over max_entry_bytes */
	e[0] = (struct went){ "small.txt", "x", 1, W_FILE, NULL };
	e[1] = (struct went){ "huge.bin", big, sizeof(big), W_FILE, NULL };
	write_archive(path, "tar", "gzip", e, 2);
	archive_default_limits(&lim);
	lim.max_entry_bytes = 1000;
	CHECK_EQ_INT(source_open_archive(&s, path, &lim, &err), LT_ETOOBIG);
	CHECK(s == NULL);
	CHECK(strstr(err.message, "'huge.bin'") != NULL);
	/* total over max_total_bytes */
	archive_default_limits(&lim);
	lim.max_total_bytes = 3000;
	CHECK_EQ_INT(source_open_archive(&s, path, &lim, &err), LT_ETOOBIG);
	/* too many entries */
	for (int i = 0; i < 20; i++) {
		snprintf(names[i], sizeof(names[i]), "f%02d.txt", i);
		e[i] = (struct went){ names[i], "x", 1, W_FILE, NULL };
	}
	unlink(path);
	write_archive(path, "tar", "gzip", e, 20);
	archive_default_limits(&lim);
	lim.max_entries = 10;
	CHECK_EQ_INT(source_open_archive(&s, path, &lim, &err), LT_ETOOBIG);
	CHECK(strstr(err.message, "more than 10 entries") != NULL);
	lim.max_entries = 20;
	CHECK_EQ_INT(source_open_archive(&s, path, &lim, &err), 0);
	if (s)
		CHECK_EQ_INT(s->nentries, 20);
	source_free(s);
	free(path);
	tmp_free(t);
}

static void test_archive_retention(void)
{
	char *t = tmp_new();
	char *path = lt_asprintf("%s/r.tar", t);
	static unsigned char big[5000], mid[900];
	const struct went e[] = {
		{ "a.txt", mid, sizeof(mid), W_FILE, NULL },
		{ "b.txt", mid, sizeof(mid), W_FILE, NULL },
		{ "c.txt", mid, sizeof(mid), W_FILE, NULL },
		{ "big.bin", big, sizeof(big), W_FILE, NULL },
		{ "w.safetensors", big, sizeof(big), W_FILE, NULL },
	};
	struct archive_limits lim;
	struct source *s = NULL;
	struct lt_error err;
	const struct source_entry *se;
	struct buf b;
	int trunc = 0;

	fill_random(big, sizeof(big), 2);
	memset(mid, 'm', sizeof(mid));
	write_archive(path, "tar", NULL, e, 5);
	archive_default_limits(&lim);
	lim.retain_bytes = 1000;
	lim.retain_total = 2500;
	lim.prefix_bytes = 100;
	CHECK_EQ_INT(source_open_archive(&s, path, &lim, &err), 0);
	if (!s)
		goto done;
	CHECK_EQ_INT(s->nentries, 5);
	se = source_find(s, "a.txt");
	CHECK(se && se->readable && se->size == 900);
	se = source_find(s, "c.txt");
	CHECK(se && !se->readable && se->size == 900);
	CHECK(has_problem(s, "'c.txt' was not kept in memory"));
	se = source_find(s, "big.bin");
	CHECK(se && !se->readable && se->size == 5000);
	CHECK(!has_problem(s, "big.bin"));
	se = source_find(s, "w.safetensors");
	CHECK(se && se->readable && se->size == 5000);
	buf_init(&b, 1 << 20);
	CHECK_EQ_INT(source_read(s, "w.safetensors", 1 << 20, &b, &trunc, &err), 0);
	CHECK_EQ_INT(trunc, 1);
	CHECK_EQ_INT(b.len, 100);
	CHECK(b.len == 100 && memcmp(b.data, big, 100) == 0);
	buf_reset(&b);
	CHECK_EQ_INT(source_read(s, "w.safetensors", 1 << 20, &b, NULL, &err), LT_ETRUNC);
	CHECK_EQ_INT(source_read(s, "w.safetensors", 50, &b, NULL, &err), LT_ETOOBIG);
	CHECK_EQ_INT(source_read(s, "w.safetensors", 50, &b, &trunc, &err), 0);
	CHECK_EQ_INT(b.len, 50);
	buf_reset(&b);
	CHECK_EQ_INT(source_read(s, "a.txt", 100, &b, NULL, &err), LT_ETOOBIG);
	CHECK_EQ_INT(source_read(s, "big.bin", 1 << 20, &b, &trunc, &err), LT_ENOTFOUND);
	buf_release(&b);
done:
	source_free(s);
	free(path);
	tmp_free(t);
}

static void rss_report(const char *what, double secs)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "  %s: %.2f s, peak RSS %ld MiB\n", what, secs, ru.ru_maxrss / 1024);
}

/* A zip holding 200 MB of zeros, deflated to ~200 KB, written in 1 MiB steps. */
static void write_zero_bomb(const char *path, const char *format, const char *filter,
			    unsigned long long size)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae = archive_entry_new();
	static char zeros[1 << 20];

	if (!strcmp(format, "zip"))
		archive_write_set_format_zip(a);
	else
		archive_write_set_format_pax_restricted(a);
	if (filter)
		archive_write_add_filter_by_name(a, filter);
	archive_write_open_filename(a, path);
	archive_entry_set_pathname(ae, "README.md");
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	archive_entry_set_size(ae, (la_int64_t)size);
	archive_write_header(a, ae);
	for (unsigned long long left = size; left > 0;) {
		size_t k = left < sizeof(zeros) ? (size_t)left : sizeof(zeros);
		archive_write_data(a, zeros, k);
		left -= k;
	}
	archive_entry_free(ae);
	archive_write_close(a);
	archive_write_free(a);
}

static void test_archive_zip_bomb(void)
{
	char *t = tmp_new();
	char *path = lt_asprintf("%s/bomb.zip", t);
	struct source *s = NULL;
	struct lt_error err;
	struct stat st;
	double t0, t1;
	int rc;

	t0 = now_s();
	write_zero_bomb(path, "zip", NULL, 200ull << 20);
	t1 = now_s();
	stat(path, &st);
	fprintf(stderr, "  bomb.zip: %lld bytes for 200 MiB (written in %.2f s)\n",
		(long long)st.st_size, t1 - t0);
	t0 = now_s();
	rc = source_open_archive(&s, path, NULL, &err);
	t1 = now_s();
	rss_report("zip bomb refused in", t1 - t0);
	CHECK(rc == LT_EUNSAFE || rc == LT_ETOOBIG);
	CHECK_EQ_INT(rc, LT_EUNSAFE);
	CHECK(s == NULL);
	CHECK(strstr(err.message, "expands more than 100 times") != NULL);
	fprintf(stderr, "  message: %s\n", err.message);
	free(path);

	/* the same inside a tar.gz */
	path = lt_asprintf("%s/bomb.tar.gz", t);
	write_zero_bomb(path, "tar", "gzip", 200ull << 20);
	t0 = now_s();
	rc = source_open_archive(&s, path, NULL, &err);
	t1 = now_s();
	rss_report("tar.gz bomb refused in", t1 - t0);
	CHECK_EQ_INT(rc, LT_EUNSAFE);
	CHECK(s == NULL);
	free(path);
	tmp_free(t);
}

static void test_archive_truncated(void)
{
	char *t = tmp_new();
	const char *kinds[][2] = { { "tar", "gzip" }, { "zip", NULL }, { "tar", NULL } };
	static unsigned char data[3][100000];

	for (int i = 0; i < 3; i++)
		fill_random(data[i], sizeof(data[i]), (uint64_t)i + 10);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		char *path = lt_asprintf("%s/cut%zu.%s", t, k, kinds[k][0]);
		const struct went e[] = {
			{ "README.md", data[0], sizeof(data[0]), W_FILE, NULL },
			{ "LICENSE", data[1], sizeof(data[1]), W_FILE, NULL },
			{ "config.json", data[2], sizeof(data[2]), W_FILE, NULL },
		};
		struct source *s = NULL;
		struct lt_error err;
		struct stat st;
		int rc;

		write_archive(path, kinds[k][0], kinds[k][1], e, 3);
		stat(path, &st);
		CHECK_EQ_INT(truncate(path, st.st_size / 2), 0);
		lt_error_clear(&err);
		rc = source_open_archive(&s, path, NULL, &err);
		CHECK(rc == LT_ETRUNC || rc == LT_EPARSE);
		CHECK(s == NULL);
		CHECK(err.message[0] != '\0');
		fprintf(stderr, "  %s%s cut in half: %s\n", kinds[k][0],
			kinds[k][1] ? "+gzip" : "", err.message);
		free(path);
	}
	tmp_free(t);
}

static void test_archive_not_archive(void)
{
	char *t = tmp_new();
	char *path = lt_asprintf("%s/notes.zip", t);
	struct source *s = NULL;
	struct lt_error err;

	put_str(t, "notes.zip", "this is plain text, not an archive\n");
	CHECK_EQ_INT(source_open_archive(&s, path, NULL, &err), LT_EPARSE);
	CHECK(strstr(err.message, "is not a tar or zip archive") != NULL);
	put_str(t, "notes.zip", "");
	CHECK_EQ_INT(source_open_archive(&s, path, NULL, &err), LT_EPARSE);
	free(path);
	path = lt_asprintf("%s/missing.zip", t);
	CHECK_EQ_INT(source_open_archive(&s, path, NULL, &err), LT_ENOTFOUND);
	CHECK_EQ_INT(source_open_archive(&s, t, NULL, &err), LT_EINVAL);
	free(path);
	tmp_free(t);
}

static void test_archive_nemo_keras(void)
{
	char *t = tmp_new();
	char *nemo = lt_asprintf("%s/asr.nemo", t), *keras = lt_asprintf("%s/clf.keras", t);
	static unsigned char ckpt[2048], weights[5u << 20];
	const struct went ne[] = {
		FILE_ENT("./model_config.yaml", "target: nemo.collections.asr.models.EncDecCTCModel\n"),
		{ "./model_weights.ckpt", ckpt, sizeof(ckpt), W_FILE, NULL },
	};
	const struct went ke[] = {
		FILE_ENT("metadata.json", "{\"keras_version\": \"3.0.0\"}"),
		FILE_ENT("config.json", "{\"class_name\": \"Sequential\"}"),
		{ "model.weights.h5", weights, sizeof(weights), W_FILE, NULL },
	};
	struct source *s = NULL;
	struct lt_error err;
	const struct source_entry *se;

	fill_random(ckpt, sizeof(ckpt), 3);
	fill_random(weights, sizeof(weights), 4);
	write_archive(nemo, "tar", NULL, ne, 2);
	write_archive(keras, "zip", NULL, ke, 3);
	CHECK(source_archive_name_matches(nemo) && source_archive_name_matches(keras));
	CHECK_EQ_INT(source_open_archive(&s, nemo, NULL, &err), 0);
	if (s) {
		CHECK_EQ_INT(s->nentries, 2);
		check_text(s, "model_config.yaml",
			   "target: nemo.collections.asr.models.EncDecCTCModel\n");
		se = source_find(s, "model_weights.ckpt");
		CHECK(se && se->size == sizeof(ckpt));
		source_free(s);
		s = NULL;
	}
	CHECK_EQ_INT(source_open_archive(&s, keras, NULL, &err), 0);
	if (s) {
		CHECK_EQ_INT(s->nentries, 3);
		check_text(s, "metadata.json", "{\"keras_version\": \"3.0.0\"}");
		check_text(s, "config.json", "{\"class_name\": \"Sequential\"}");
		se = source_find(s, "model.weights.h5");
		CHECK(se && !se->readable && se->size == sizeof(weights));
		source_free(s);
	}
	free(nemo);
	free(keras);
	tmp_free(t);
}

static void test_archive_filters(void)
{
	char *t = tmp_new();
	const char *filters[] = { "gzip", "bzip2", "xz", "zstd", "lz4" };
	const struct went e[] = { FILE_ENT("m/README.md", "# compressed\n") };

	for (size_t i = 0; i < sizeof(filters) / sizeof(*filters); i++) {
		char *path = lt_asprintf("%s/m.tar.%s", t, filters[i]);
		struct source *s = NULL;
		struct lt_error err;

		if (write_archive(path, "tar", filters[i], e, 1) != 0) {
			fprintf(stderr, "  (no %s writer in this libarchive; skipped)\n", filters[i]);
			free(path);
			continue;
		}
		CHECK_EQ_INT(source_open_archive(&s, path, NULL, &err), 0);
		if (s) {
			check_text(s, "README.md", "# compressed\n");
			source_free(s);
		} else {
			fprintf(stderr, "  %s: %s\n", filters[i], err.message);
		}
		free(path);
	}
	tmp_free(t);
}

/* --- shared helpers ----------------------------------------------------------- */

static void test_lfs_pointer_parse(void)
{
	char *oid = NULL;
	unsigned long long size = 0;
	const char bad_oid[] = "version https://git-lfs.github.com/spec/v1\noid sha256:xyz\nsize 1\n";
	const char no_size[] = "version https://git-lfs.github.com/spec/v1\noid " LFS_OID "\nsize x\n";

	CHECK(source_parse_lfs_pointer(LFS_POINTER, strlen(LFS_POINTER), &oid, &size));
	CHECK_STR(oid, LFS_OID);
	CHECK(size == 13510798882ull);
	free(oid);
	CHECK(!source_parse_lfs_pointer(bad_oid, strlen(bad_oid), &oid, &size));
	CHECK(!source_parse_lfs_pointer(no_size, strlen(no_size), &oid, &size));
	CHECK(!source_parse_lfs_pointer("hello", 5, &oid, &size));
	CHECK(oid == NULL);
}

static void test_path_problem(void)
{
	CHECK(source_path_problem("README.md") == NULL);
	CHECK(source_path_problem("a/b/c.txt") == NULL);
	CHECK(source_path_problem("caf\xc3\xa9.md") == NULL);
	CHECK(source_path_problem("") != NULL);
	CHECK(source_path_problem("/etc/passwd") != NULL);
	CHECK(source_path_problem("../x") != NULL);
	CHECK(source_path_problem("a/../../x") != NULL);
	CHECK(source_path_problem("a\\b") != NULL);
	CHECK(source_path_problem("C:x") != NULL);
	CHECK(source_path_problem("bad\xff.md") != NULL);
	CHECK(source_path_problem("tab\there") != NULL);
}

static int tree_contains(const char *dir, const char *needle)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char *p;
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = lt_asprintf("%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			found = tree_contains(p, needle);
		} else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			FILE *f = fopen(p, "rb");
			char buf[65536];
			size_t n;
			while (f && !found && (n = fread(buf, 1, sizeof(buf), f)) > 0)
				found = memmem(buf, n, needle, strlen(needle)) != NULL;
			if (f)
				fclose(f);
		}
		free(p);
	}
	closedir(d);
	return found;
}

/* What the hub's model info says about a release (issue 12, SPDX 3): lastModified
 * as "YYYY-MM-DDThh:mm:ssZ" and the author, each only when well-formed. */
static const char *hub_fact(const char *json, int want_supplier)
{
	static char got[256];
	struct hub_model_info *info = NULL;
	struct source *src = source_new(SOURCE_HUB, "o/n", NULL);
	struct lt_error err;
	const char *v;

	got[0] = '\0';
	lt_error_clear(&err);
	CHECK(src != NULL);
	if (src && hub_json_model_info(&info, src, json, strlen(json), "o/n", &err) == 0) {
		v = want_supplier ? src->supplier : src->release_time;
		if (v)
			snprintf(got, sizeof(got), "%s", v);
	}
	hub_model_info_free(info);
	source_free(src);
	return got;
}

#define HUB_INFO(field) "{\"sha\": \"0123456789012345678901234567890123456789\", " field "}"

static void test_hub_release_facts(void)
{
	CHECK_STR(hub_fact(HUB_INFO("\"lastModified\": \"2024-05-01T12:34:56.000Z\""), 0),
		  "2024-05-01T12:34:56Z");
	CHECK_STR(hub_fact(HUB_INFO("\"lastModified\": \"2024-05-01T12:34:56Z\""), 0),
		  "2024-05-01T12:34:56Z");
	/* anything else is not passed on */
	CHECK_STR(hub_fact(HUB_INFO("\"lastModified\": \"2024-13-01T12:34:56Z\""), 0), "");
	CHECK_STR(hub_fact(HUB_INFO("\"lastModified\": \"2024-05-01T12:34:56+02:00\""), 0), "");
	CHECK_STR(hub_fact(HUB_INFO("\"lastModified\": \"2024-05-01T12:34:56.Z\""), 0), "");
	CHECK_STR(hub_fact(HUB_INFO("\"lastModified\": \"2024-05-01T12:34:56Z; x\""), 0), "");
	CHECK_STR(hub_fact(HUB_INFO("\"lastModified\": \"yesterday\""), 0), "");
	CHECK_STR(hub_fact(HUB_INFO("\"lastModified\": 1714566896"), 0), "");
	CHECK_STR(hub_fact(HUB_INFO("\"createdAt\": \"2024-05-01T12:34:56Z\""), 0), "");
	CHECK_STR(hub_fact(HUB_INFO("\"author\": \"meta-llama\""), 1), "meta-llama");
	CHECK_STR(hub_fact(HUB_INFO("\"author\": \"../etc\""), 1), "");
	CHECK_STR(hub_fact(HUB_INFO("\"author\": \"a b\""), 1), "");
	CHECK_STR(hub_fact(HUB_INFO("\"author\": [\"x\"]"), 1), "");
}

TESTS(T(dir_listing), T(dir_read_caps), T(dir_swapped_to_links), T(dir_read_once), T(dir_listed_identity), T(dir_flags), T(dir_read_soon),
      T(dir_depth_and_names),
      T(dir_missing), T(git_head), T(git_revisions), T(git_index), T(git_read_caps),
      T(git_hostile_tree), T(git_clone_cache), T(git_stale_tmp), T(git_failed_clone_leaves_nothing),
      T(git_token), T(archive_tgz), T(archive_no_common_top), T(archive_hostile_names),
      T(archive_caps), T(archive_retention), T(archive_zip_bomb), T(archive_truncated),
      T(archive_not_archive), T(archive_nemo_keras), T(archive_filters),
      T(lfs_pointer_parse), T(path_problem), T(hub_release_facts))
