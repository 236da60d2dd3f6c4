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
 * Read once: a small top-level file (a card, a config, a short LICENSE) is read
 * whole at listing time anyway, to see whether it is an LFS pointer; those bytes
 * are kept (up to DIR_KEEP_TOTAL a source) with the identity of the file they
 * came from (device, inode, size, modification and change times, from the open
 * descriptor). A later read of that name serves the kept bytes only when one
 * fstatat (no link followed: the name has no '/') still finds a regular file with
 * that identity; anything else (a link, another file, a file written since, a
 * name gone) takes the full path above, with its checks and errors. A source
 * opened SOURCE_DIR_AS_LISTED (read at once, as a mirror's model) serves the kept
 * bytes without that fstatat: it is the folder as listed.
 *
 * Every other top-level regular file is remembered by its identity (device and
 * inode) from the listing: a read opens the name at once (O_NOFOLLOW) and reads
 * it when the open file is that same regular file, so the listing's fstatat is
 * not repeated; any other answer takes the full path.
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

/* Bytes of small top-level files kept from the listing, at most, per source (a
 * model folder has a few; the cap bounds a folder of many small files). */
#define DIR_KEEP_TOTAL ((size_t)1 << 20)

/* A top-level regular file as listed: for a small one its bytes as read at
 * listing time (data), else data NULL; and what it was (read from). */
struct kept_file {
	char *name;
	char *data; /* NULL: only the identity is known */
	size_t len;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
};

struct dir_impl {
	char *root;
	int rootfd; /* the listed folder, open for the source's life */
	int as_listed; /* SOURCE_DIR_AS_LISTED */
	struct kept_file *kept; /* sorted by name once listed */
	size_t nkept, kcap, kept_bytes;
};

struct walker {
	struct source *src;
	const struct source_dir_opts *o;
	struct dir_impl *dir; /* where small top-level files are kept */
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
		/* the whole file as fstat sized it, under the cap: no read just to see its
		 * end (a file that grows meanwhile is read as it was when opened) */
		if (size && total == size && size < max)
			return 0;
	}
}

static int cmp_kept(const void *a, const void *b)
{
	return strcmp(((const struct kept_file *)a)->name, ((const struct kept_file *)b)->name);
}

static int same_file(const struct stat *st, const struct kept_file *k)
{
	return S_ISREG(st->st_mode) && st->st_dev == k->dev && st->st_ino == k->ino &&
	       st->st_size == k->size && st->st_mtim.tv_sec == k->mtim.tv_sec &&
	       st->st_mtim.tv_nsec == k->mtim.tv_nsec && st->st_ctim.tv_sec == k->ctim.tv_sec &&
	       st->st_ctim.tv_nsec == k->ctim.tv_nsec;
}

/* What the listing saw of top-level name path, or NULL. */
static const struct kept_file *listed_file(const struct dir_impl *d, const char *path)
{
	struct kept_file key;

	if (!d->nkept || strchr(path, '/'))
		return NULL;
	key.name = (char *)path;
	return bsearch(&key, d->kept, d->nkept, sizeof(*d->kept), cmp_kept);
}

/* k's kept bytes may be served: the source is as listed, or the name still leads
 * to the very file they were read from (see the top of this file). */
static int kept_current(const struct dir_impl *d, const char *path, const struct kept_file *k)
{
	struct stat st;

	if (d->as_listed)
		return 1;
	return fstatat(d->rootfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && same_file(&st, k);
}

/* Read the top-level file k names straight away when the name still opens the
 * regular file the listing saw: 0 or an error after reading, or -1 (nothing
 * read: take the full path). */
static int read_listed(const struct dir_impl *d, const char *path, const struct kept_file *k,
		       size_t max, struct buf *out, int *truncated, struct lt_error *err)
{
	struct stat st;
	int fd = openat(d->rootfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int rc = -1;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == k->dev && st.st_ino == k->ino)
		rc = read_fd_capped(fd, (unsigned long long)st.st_size, path, max, out, truncated, err);
	close(fd);
	return rc;
}

static int dir_read(struct source *src, const char *path, size_t max, struct buf *out,
		    int *truncated, struct lt_error *err)
{
	struct dir_impl *d = src->impl;
	const struct kept_file *k;
	struct stat st;
	int fd, rc;

	if (truncated)
		*truncated = 0;
	if (path_is_safe_relative(path) && (k = listed_file(d, path)) != NULL) {
		if (k->data && kept_current(d, path, k))
			return source_read_memory(out, path, k->data, k->len, k->len, max, truncated,
						  err);
		if (!k->data && (rc = read_listed(d, path, k, max, out, truncated, err)) >= 0)
			return rc;
	}
	rc = open_beneath(d->rootfd, path, &fd, &st, err);
	if (rc)
		return rc;
	rc = read_fd_capped(fd, (unsigned long long)st.st_size, path, max, out, truncated, err);
	close(fd);
	return rc;
}

static void free_kept(struct dir_impl *d)
{
	for (size_t i = 0; i < d->nkept; i++) {
		free(d->kept[i].name);
		free(d->kept[i].data);
	}
	free(d->kept);
	d->kept = NULL;
	d->nkept = d->kcap = d->kept_bytes = 0;
}

static void dir_free(struct source *src)
{
	struct dir_impl *d = src->impl;

	if (!d)
		return;
	if (d->rootfd >= 0)
		close(d->rootfd);
	free(d->root);
	free_kept(d);
	free(d);
	src->impl = NULL;
}

static const struct source_ops dir_ops = { dir_read, dir_free };

/* Remember top-level file name as the file st describes, with data[0..n), its
 * whole content, when data is not NULL: taken over when owned (a malloc'd
 * buffer, freed here if it cannot be kept), else copied. The bytes are not kept
 * when over DIR_KEEP_TOTAL, nothing when out of memory. */
static void keep_file(struct dir_impl *d, const char *name, char *data, size_t n, int owned,
		      const struct stat *st)
{
	struct kept_file *k;
	int fits = data && n <= DIR_KEEP_TOTAL - d->kept_bytes;
	char *bytes = NULL;

	if (fits) {
		bytes = owned ? data : malloc(n ? n : 1);
		if (bytes && !owned)
			memcpy(bytes, data, n);
	} else if (owned) {
		free(data);
	}
	if (d->nkept == d->kcap) {
		size_t cap = d->kcap ? 2 * d->kcap : 8;
		struct kept_file *v = realloc(d->kept, cap * sizeof(*v));
		if (!v) {
			free(bytes);
			return;
		}
		d->kept = v;
		d->kcap = cap;
	}
	k = &d->kept[d->nkept];
	k->name = lt_strdup(name);
	if (!k->name || (fits && !bytes)) {
		free(k->name);
		free(bytes);
		return;
	}
	k->data = bytes;
	k->len = bytes ? n : 0;
	k->dev = st->st_dev;
	k->ino = st->st_ino;
	k->size = st->st_size;
	k->mtim = st->st_mtim;
	k->ctim = st->st_ctim;
	d->kept_bytes += k->len;
	d->nkept++;
}

/* Read the regular file open at fd (st: its fstat) whole, at most max bytes:
 * fill e's LFS fields when it is a pointer, and keep (d not NULL: a top-level
 * file) what was read when it is the whole file. 1 when the file was
 * remembered (keep_file), else 0. */
static int probe_fd(int fd, const struct stat *st, size_t max, const char *name,
		    struct source_entry *e, struct dir_impl *d)
{
	char small[DIR_LFS_PROBE_BYTES], *data = small;
	size_t got = 0;
	int kept = 0;

	if (max > sizeof(small) && !(data = malloc(max)))
		return 0;
	/* up to the fstat size: a file that grows meanwhile is read as it was */
	while (got < max) {
		ssize_t n = read(fd, data + got, max - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if ((off_t)got >= st->st_size)
			break;
	}
	if (got && got < DIR_LFS_PROBE_BYTES &&
	    source_parse_lfs_pointer(data, got, &e->lfs_oid, &e->lfs_size))
		e->lfs_pointer = 1;
	/* whole: as many bytes as the file has, and fewer than asked for */
	if (d && got < max && (off_t)got == st->st_size) {
		/* a buffer of its own is handed over, not copied again */
		keep_file(d, name, data, got, data != small, st);
		if (data != small)
			data = small;
		kept = 1;
	}
	if (data != small)
		free(data);
	return kept;
}

/* The small regular file name (in dfd): probe_fd. */
static int probe_lfs(int dfd, const char *name, struct source_entry *e, struct dir_impl *d)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int kept = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		kept = probe_fd(fd, &st, DIR_LFS_PROBE_BYTES, name, e, d);
	close(fd);
	return kept;
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

/* Listing a folder: on Linux with glibc 2.30 or later straight from
 * getdents64 on the descriptor already open (fdopendir would add an fstat and
 * two fcntl calls a folder, and would take the descriptor over, so the root's
 * would need a copy); elsewhere with fdopendir/readdir. */
#if !defined(LT_NO_GETDENTS) && defined(__linux__) && defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 30))
#define DIR_GETDENTS 1
#define DIR_LIST_BUF 32768
#endif

struct lister {
	int fd, own; /* own: fd is closed with the lister */
#ifdef DIR_GETDENTS
	char *buf;
	size_t len, pos;
#else
	DIR *d;
#endif
};

/* 0, or -1 with errno (fd is closed then when owned). */
static int lister_open(struct lister *l, int fd, int own)
{
	l->fd = fd;
	l->own = own;
#ifdef DIR_GETDENTS
	l->len = l->pos = 0;
	if (!(l->buf = malloc(DIR_LIST_BUF))) {
		if (own)
			close(fd);
		errno = ENOMEM;
		return -1;
	}
	return 0;
#else
	if (!own && (fd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -1;
	l->fd = fd;
	if (!(l->d = fdopendir(fd))) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return 0;
#endif
}

/* The next name in the folder and its type (DT_UNKNOWN when the file system
 * does not say); NULL at its end (or when it cannot be read on). */
static const char *lister_next(struct lister *l, unsigned char *type)
{
#ifdef DIR_GETDENTS
	struct dirent64 *de;

	if (l->pos >= l->len) {
		ssize_t n;
		do
			n = getdents64(l->fd, l->buf, DIR_LIST_BUF);
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return NULL;
		l->len = (size_t)n;
		l->pos = 0;
	}
	de = (struct dirent64 *)(void *)(l->buf + l->pos);
	l->pos += de->d_reclen;
	*type = de->d_type;
	return de->d_name;
#else
	struct dirent *de = readdir(l->d);
#ifdef _DIRENT_HAVE_D_TYPE
	*type = de ? de->d_type : DT_UNKNOWN;
#else
	*type = DT_UNKNOWN;
#endif
	return de ? de->d_name : NULL;
#endif
}

static void lister_close(struct lister *l)
{
#ifdef DIR_GETDENTS
	free(l->buf);
	if (l->own)
		close(l->fd);
#else
	closedir(l->d);
#endif
}

/* Walk the directory open at dfd (taken over and closed here when own), listed as rel. */
static int walk(struct walker *w, int dfd, int own, const char *rel, int depth)
{
	struct source *src = w->src;
	struct lister l;
	const char *name;
	unsigned char type;
	int rc = 0;

	if (lister_open(&l, dfd, own)) {
		source_problem(src, "'%s' cannot be listed: %s", rel[0] ? rel : ".", strerror(errno));
		return 0;
	}
	while (!rc && (name = lister_next(&l, &type)) != NULL) {
		char *crel = NULL;
		const char *why;
		struct stat st;
		int fd = -1;

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
		/* a file the caller will read: opened at once, its fstat is the examination */
		if (depth == 0 && type == DT_REG && w->o->read_soon &&
		    w->o->read_soon(w->o->arg, name) && !source_path_problem(crel)) {
			fd = openat(l.fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
			if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
				close(fd); /* changed since the listing: examined as any name */
				fd = -1;
			}
		}
		if (fd < 0 && fstatat(l.fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			source_problem(src, "'%s' cannot be examined: %s", crel, strerror(errno));
		} else if ((why = source_path_problem(crel)) != NULL) {
			source_problem(src, "'%s' %s; skipped", crel, why);
		} else if (S_ISDIR(st.st_mode)) {
			if (strcmp(name, ".cache") != 0) {
				if (depth + 1 > LT_MAX_DIR_DEPTH) {
					source_problem(src, "'%s' is nested more than %d folders deep; not read",
						       crel, LT_MAX_DIR_DEPTH);
				} else {
					int sub = open_dir_nofollow(l.fd, name);
					if (sub < 0)
						source_problem(src, "'%s' cannot be opened: %s", crel,
							       strerror(errno));
					else
						rc = walk(w, sub, 1, crel, depth + 1);
				}
			}
		} else if (S_ISLNK(st.st_mode)) {
			record_link(src, l.fd, name, crel);
		} else if (S_ISREG(st.st_mode)) {
			struct source_entry e;
			int kept = 0;

			memset(&e, 0, sizeof(e));
			e.path = crel;
			e.size = (unsigned long long)st.st_size;
			e.readable = 1;
			if (fd >= 0 && st.st_size > 0 &&
			    (size_t)st.st_size <= SOURCE_DIR_READ_SOON_MAX &&
			    (size_t)st.st_size <= DIR_KEEP_TOTAL - w->dir->kept_bytes)
				kept = probe_fd(fd, &st, (size_t)st.st_size + 1, name, &e, w->dir);
			else if (st.st_size > 0 && st.st_size < DIR_LFS_PROBE_BYTES)
				kept = fd >= 0 ? probe_fd(fd, &st, DIR_LFS_PROBE_BYTES, name, &e, w->dir)
					       : probe_lfs(l.fd, name, &e, depth == 0 ? w->dir : NULL);
			if (depth == 0 && !kept) /* remembered by identity only */
				keep_file(w->dir, name, NULL, 0, 0, &st);
			if (source_add_entry(src, &e))
				rc = LT_ENOMEM;
			free(e.lfs_oid);
		} else {
			source_problem(src, "'%s' is not a regular file (a FIFO, socket or device); skipped",
				       crel);
		}
		if (fd >= 0)
			close(fd);
		free(crel);
	}
	lister_close(&l);
	return rc;
}

int source_open_dir(struct source **out, const char *path, struct lt_error *err)
{
	struct source_dir_opts o = { 0, NULL, NULL };

	return source_open_dir_opts(out, path, &o, err);
}

int source_open_dir_opts(struct source **out, const char *path, const struct source_dir_opts *o,
			 struct lt_error *err)
{
	unsigned flags = o->flags;
	struct source *src = NULL;
	struct dir_impl *d = NULL;
	struct walker w;
	int fd = -1, rc = 0;

	*out = NULL;
	if (!path || !*path)
		return lt_error_set(err, LT_EINVAL, NULL, 0, "no folder given");
	/* the root is what the user named: following a link to it is their choice,
	 * unless the caller says otherwise (O_DIRECTORY: a folder or nothing) */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
				(flags & SOURCE_DIR_NOFOLLOW ? O_NOFOLLOW : 0));
	if (fd < 0) {
		int e = errno;
		struct stat lst;
		/* Linux answers ENOTDIR, not ELOOP, for a link opened O_DIRECTORY|O_NOFOLLOW */
		if ((flags & SOURCE_DIR_NOFOLLOW) && e == ENOTDIR && lstat(path, &lst) == 0 &&
		    S_ISLNK(lst.st_mode))
			e = ELOOP;
		if (e == ENOTDIR)
			rc = lt_error_set(err, LT_EINVAL, path, 0, "'%s' is not a folder", path);
		else if (e == ELOOP && (flags & SOURCE_DIR_NOFOLLOW))
			rc = lt_error_set(err, LT_EUNSAFE, path, 0,
					  "'%s' is a symbolic link; not followed", path);
		else
			rc = lt_error_set(err, e == ENOENT ? LT_ENOTFOUND : LT_EIO, path, 0,
					  "cannot open folder '%s': %s", path, strerror(e));
		goto done;
	}
	src = source_new(SOURCE_DIR, path, &dir_ops);
	d = calloc(1, sizeof(*d));
	if (d)
		d->rootfd = -1;
	if (!src || !d || !(d->root = lt_strdup(path))) {
		rc = lt_error_set(err, LT_ENOMEM, path, 0, "out of memory");
		goto done;
	}
	d->rootfd = fd; /* listed, then kept for reads */
	d->as_listed = (flags & SOURCE_DIR_AS_LISTED) != 0;
	fd = -1;
	src->impl = d;
	w.dir = d;
	d = NULL;
	w.src = src;
	w.o = o;
	w.full = 0;
	rc = walk(&w, w.dir->rootfd, 0, "", 0);
	if (rc) {
		rc = lt_error_set(err, rc, path, 0, "out of memory while listing '%s'", path);
		goto done;
	}
	if (w.full)
		source_problem(src, "'%s' has more than %d files; the rest are not listed", path,
			       LT_MAX_DIR_ENTRIES);
	source_sort(src);
	if (w.dir->nkept > 1)
		qsort(w.dir->kept, w.dir->nkept, sizeof(*w.dir->kept), cmp_kept);
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
