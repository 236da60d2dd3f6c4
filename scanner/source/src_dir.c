/*
 * src_dir.c - a local folder as a source.
 *
 * The walk never leaves the folder: every directory is opened relative to its
 * parent's descriptor with O_NOFOLLOW, every name is examined with lstat
 * semantics (fstatat AT_SYMLINK_NOFOLLOW), and a symbolic link is never followed,
 * whatever it points at: it is listed with readable = 0 and recorded as a problem,
 * so a LICENSE that is a link says "could not be read" instead of reading
 * /etc/passwd or a file the model does not ship. Reads repeat the same descent
 * component by component from the root (the tree may have changed since the
 * listing), and open the final name with O_NOFOLLOW after checking with fstatat
 * that it is a regular file, so a FIFO or device is never opened. The descent
 * starts at the root folder opened once, when the source was opened (the folder
 * that was listed), not by its name again for each read.
 *
 * Skipped: ".git" (git's metadata) and ".cache" folders (huggingface_hub's
 * local-dir download state), special files (recorded). Capped: depth
 * LT_MAX_DIR_DEPTH and LT_MAX_DIR_ENTRIES files (recorded when hit).
 */
#include "source.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/path.h"
#include "core/str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

/* Files at most this big are opened at listing time to see whether they are
 * Git LFS pointers (real pointers are ~130 bytes; source_parse_lfs_pointer
 * refuses anything over 1024). */
#define DIR_LFS_PROBE_BYTES 1024

/* Characters of a symbolic link's target quoted in a problem. */
#define DIR_LINK_QUOTE 200

struct dir_impl {
	char *root;
	int rootfd; /* the listed folder, open for the source's life */
};

struct walker {
	struct source *src;
	int full; /* entry cap reached */
};

static int open_dir_nofollow(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/*
 * Open rel (a safe relative path) below the folder open at rootfd (borrowed)
 * without following any symbolic link on the way, and only if it is a regular
 * file. *fd_out and *st_out are
 * the open file and its fstat.
 */
static int open_beneath(int rootfd, const char *rel, int *fd_out, struct stat *st_out,
			struct lt_error *err)
{
	char *copy = NULL, *comp, *slash;
	int dfd = -1, fd = -1, rc = 0;
	struct stat st;

	*fd_out = -1;
	if (!path_is_safe_relative(rel))
		return lt_error_set(err, LT_EUNSAFE, rel, 0, "'%s' is not a safe relative path", rel);
	copy = lt_strdup(rel);
	if (!copy)
		return lt_error_set(err, LT_ENOMEM, rel, 0, "out of memory");
	dfd = rootfd; /* not closed here */
	comp = copy;
	while ((slash = strchr(comp, '/')) != NULL) {
		int nfd;

		*slash = '\0';
		if (comp[0] && strcmp(comp, ".") != 0) {
			nfd = open_dir_nofollow(dfd, comp);
			if (nfd < 0) {
				int e = errno;
				rc = lt_error_set(err, e == ENOENT ? LT_ENOTFOUND : LT_EUNSAFE, rel, 0,
						  e == ENOENT ? "'%s' no longer exists"
							      : "'%s' is not inside a plain folder (a link on the way?); not read",
						  rel);
				goto done;
			}
			if (dfd != rootfd)
				close(dfd);
			dfd = nfd;
		}
		comp = slash + 1;
	}
	if (fstatat(dfd, comp, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		rc = lt_error_set(err, errno == ENOENT ? LT_ENOTFOUND : LT_EIO, rel, 0,
				  "cannot open '%s': %s", rel, strerror(errno));
		goto done;
	}
	if (S_ISLNK(st.st_mode)) {
		rc = lt_error_set(err, LT_EUNSAFE, rel, 0, "'%s' is a symbolic link; not followed", rel);
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = lt_error_set(err, LT_EUNSAFE, rel, 0, "'%s' is not a regular file; not read", rel);
		goto done;
	}
	fd = openat(dfd, comp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		rc = lt_error_set(err, errno == ELOOP ? LT_EUNSAFE : LT_EIO, rel, 0,
				  "cannot open '%s': %s", rel, strerror(errno));
		goto done;
	}
	/* the name may have been swapped between fstatat and openat */
	if (fstat(fd, st_out) != 0 || !S_ISREG(st_out->st_mode) || st_out->st_ino != st.st_ino ||
	    st_out->st_dev != st.st_dev) {
		rc = lt_error_set(err, LT_EUNSAFE, rel, 0, "'%s' changed while it was opened; not read",
				  rel);
		goto done;
	}
	*fd_out = fd;
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0 && dfd != rootfd)
		close(dfd);
	free(copy);
	return rc;
}

/* Append at most max bytes of fd to out; see source_read() for the rules. */
static int read_fd_capped(int fd, unsigned long long size, const char *path, size_t max,
			  struct buf *out, int *truncated, struct lt_error *err)
{
	char chunk[65536];
	size_t total = 0;

	if (!truncated && size > max)
		return lt_error_set(err, LT_ETOOBIG, path, 0, "'%s' is %llu bytes, over the %zu byte limit",
				    path, size, max);
	for (;;) {
		size_t want = sizeof(chunk);
		ssize_t n;

		if (max - total < want)
			want = max - total;
		if (want == 0) {
			char c;
			/* one more byte tells "exactly max" from "more" (the file may grow) */
			do
				n = read(fd, &c, 1);
			while (n < 0 && errno == EINTR);
			if (n > 0) {
				if (!truncated)
					return lt_error_set(err, LT_ETOOBIG, path, 0,
							    "'%s' is larger than the %zu byte limit",
							    path, max);
				*truncated = 1;
			}
			return 0;
		}
		n = read(fd, chunk, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return lt_error_set(err, LT_EIO, path, 0, "cannot read '%s': %s", path,
					    strerror(errno));
		}
		if (n == 0)
			return 0;
		total += (size_t)n;
		if (buf_add(out, chunk, (size_t)n))
			return lt_error_set(err, buf_error(out), path, 0, "cannot hold '%s' in memory",
					    path);
	}
}

static int dir_read(struct source *src, const char *path, size_t max, struct buf *out,
		    int *truncated, struct lt_error *err)
{
	struct dir_impl *d = src->impl;
	struct stat st;
	int fd, rc;

	if (truncated)
		*truncated = 0;
	rc = open_beneath(d->rootfd, path, &fd, &st, err);
	if (rc)
		return rc;
	rc = read_fd_capped(fd, (unsigned long long)st.st_size, path, max, out, truncated, err);
	close(fd);
	return rc;
}

static void dir_free(struct source *src)
{
	struct dir_impl *d = src->impl;

	if (!d)
		return;
	if (d->rootfd >= 0)
		close(d->rootfd);
	free(d->root);
	free(d);
	src->impl = NULL;
}

static const struct source_ops dir_ops = { dir_read, dir_free };

/* Fill e's LFS fields when the small regular file name (in dfd) is a pointer. */
static void probe_lfs(int dfd, const char *name, struct source_entry *e)
{
	char data[DIR_LFS_PROBE_BYTES];
	ssize_t n;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		do
			n = read(fd, data, sizeof(data));
		while (n < 0 && errno == EINTR);
		if (n > 0 && source_parse_lfs_pointer(data, (size_t)n, &e->lfs_oid, &e->lfs_size))
			e->lfs_pointer = 1;
	}
	close(fd);
}

static void record_link(struct source *src, int dfd, const char *name, const char *rel)
{
	char target[DIR_LINK_QUOTE + 1];
	ssize_t n = readlinkat(dfd, name, target, DIR_LINK_QUOTE);
	struct source_entry e;

	if (n < 0)
		n = 0;
	target[n] = '\0';
	source_problem(src, "'%s' is a symbolic link to '%s%s'; not followed", rel, target,
		       n == DIR_LINK_QUOTE ? "..." : "");
	memset(&e, 0, sizeof(e));
	e.path = (char *)rel;
	e.readable = 0;
	source_add_entry(src, &e);
}

/* Walk the directory open at dfd (taken over: closed here), listed as rel. */
static int walk(struct walker *w, int dfd, const char *rel, int depth)
{
	struct source *src = w->src;
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		close(dfd);
		source_problem(src, "'%s' cannot be listed: %s", rel[0] ? rel : ".", strerror(errno));
		return 0;
	}
	while (!rc && (de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		char *crel = NULL;
		const char *why;
		struct stat st;

		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (!strcmp(name, ".git"))
			continue;
		if (src->nentries >= LT_MAX_DIR_ENTRIES) {
			w->full = 1;
			break;
		}
		crel = rel[0] ? path_join(rel, name) : lt_strdup(name);
		if (!crel) {
			rc = LT_ENOMEM;
			break;
		}
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			source_problem(src, "'%s' cannot be examined: %s", crel, strerror(errno));
		} else if ((why = source_path_problem(crel)) != NULL) {
			source_problem(src, "'%s' %s; skipped", crel, why);
		} else if (S_ISDIR(st.st_mode)) {
			if (strcmp(name, ".cache") != 0) {
				if (depth + 1 > LT_MAX_DIR_DEPTH) {
					source_problem(src, "'%s' is nested more than %d folders deep; not read",
						       crel, LT_MAX_DIR_DEPTH);
				} else {
					int sub = open_dir_nofollow(dirfd(d), name);
					if (sub < 0)
						source_problem(src, "'%s' cannot be opened: %s", crel,
							       strerror(errno));
					else
						rc = walk(w, sub, crel, depth + 1);
				}
			}
		} else if (S_ISLNK(st.st_mode)) {
			record_link(src, dirfd(d), name, crel);
		} else if (S_ISREG(st.st_mode)) {
			struct source_entry e;

			memset(&e, 0, sizeof(e));
			e.path = crel;
			e.size = (unsigned long long)st.st_size;
			e.readable = 1;
			if (st.st_size > 0 && st.st_size < DIR_LFS_PROBE_BYTES)
				probe_lfs(dirfd(d), name, &e);
			if (source_add_entry(src, &e))
				rc = LT_ENOMEM;
			free(e.lfs_oid);
		} else {
			source_problem(src, "'%s' is not a regular file (a FIFO, socket or device); skipped",
				       crel);
		}
		free(crel);
	}
	closedir(d);
	return rc;
}

int source_open_dir(struct source **out, const char *path, struct lt_error *err)
{
	struct source *src = NULL;
	struct dir_impl *d = NULL;
	struct walker w;
	int fd = -1, rc = 0;

	*out = NULL;
	if (!path || !*path)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "no folder given");
	/* the root is what the user named: following a link to it is their choice */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* O_DIRECTORY: a folder or nothing */
	if (fd < 0) {
		rc = errno == ENOTDIR ? lt_error_set(err, LT_EINVAL, path, 0, "'%s' is not a folder", path)
				      : lt_error_set(err, errno == ENOENT ? LT_ENOTFOUND : LT_EIO, path, 0,
						     "cannot open folder '%s': %s", path, strerror(errno));
		goto done;
	}
	src = source_new(SOURCE_DIR, path, &dir_ops);
	d = calloc(1, sizeof(*d));
	if (d)
		d->rootfd = -1;
	if (!src || !d || !(d->root = lt_strdup(path)) ||
	    (d->rootfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		rc = lt_error_set(err, LT_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	src->impl = d;
	d = NULL;
	w.src = src;
	w.full = 0;
	rc = walk(&w, fd, "", 0);
	fd = -1; /* walk closed it */
	if (rc) {
		rc = lt_error_set(err, rc, path, 0, "out of memory while listing '%s'", path);
		goto done;
	}
	if (w.full)
		source_problem(src, "'%s' has more than %d files; the rest are not listed", path,
			       LT_MAX_DIR_ENTRIES);
	source_sort(src);
	*out = src;
	src = NULL;
done:
	if (fd >= 0)
		close(fd);
	if (d) {
		if (d->rootfd >= 0)
			close(d->rootfd);
		free(d->root);
	}
	free(d);
	source_free(src);
	return rc;
}
