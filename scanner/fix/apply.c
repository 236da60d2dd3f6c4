/* apply.c - reading and writing the model folder; see apply.h. */
#include "apply.h"
#include "plan.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int name_ok(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

static int open_dir(const char *dir, struct lt_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		lt_error_set(err, LT_EIO, dir, 0, "cannot open the folder '%s': %s", dir, strerror(errno));
	return fd;
}

/* Read name in dfd into out. */
static int read_at(int dfd, const char *name, struct buf *out, struct lt_error *err)
{
	struct stat st;
	int fd;
	char chunk[65536];

	if (!name_ok(name))
		return lt_error_set(err, LT_EUNSAFE, name, 0, "'%s' is not a file name in the model folder", name);
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return LT_ENOTFOUND;
		return lt_error_set(err, LT_EIO, name, 0, "cannot stat '%s': %s", name, strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return lt_error_set(err, LT_EUNSAFE, name, 0,
				    "'%s' is a symbolic link: lictrace fix never reads or writes through a link", name);
	if (!S_ISREG(st.st_mode))
		return lt_error_set(err, LT_EUNSAFE, name, 0, "'%s' is not a regular file", name);
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return lt_error_set(err, errno == ELOOP ? LT_EUNSAFE : LT_EIO, name, 0, "cannot open '%s': %s",
				    name, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return lt_error_set(err, LT_EUNSAFE, name, 0, "'%s' is not a regular file", name);
	}
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return lt_error_set(err, LT_EIO, name, 0, "cannot read '%s': %s", name, strerror(errno));
		}
		if (r == 0)
			break;
		if (buf_add(out, chunk, (size_t)r)) {
			close(fd);
			return lt_error_set(err, buf_error(out), name, 0, "'%s' is too large", name);
		}
	}
	close(fd);
	return 0;
}

int fix_read_dir(void *ctx, const char *path, struct buf *out, struct lt_error *err)
{
	int dfd = open_dir(ctx, err), rc;

	if (dfd < 0)
		return LT_EIO;
	rc = read_at(dfd, path, out, err);
	close(dfd);
	return rc;
}

static int write_at(int dfd, const struct fix_change *c, struct lt_error *err)
{
	char tmp[256];
	struct stat st;
	mode_t mode = 0644;
	size_t off = 0;
	int fd;

	if (c->old && fstatat(dfd, c->path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
		mode = st.st_mode & 07777;
	snprintf(tmp, sizeof(tmp), ".%.200s.lictrace-fix.%ld.tmp", c->path, (long)getpid());
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return lt_error_set(err, LT_EIO, c->path, 0, "cannot create a temporary file for '%s': %s",
				    c->path, strerror(errno));
	while (off < c->new_len) {
		ssize_t w = write(fd, c->new_text + off, c->new_len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off != c->new_len || fchmod(fd, mode) != 0 || fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlinkat(dfd, tmp, 0);
		return lt_error_set(err, LT_EIO, c->path, 0, "cannot write '%s': %s", c->path, strerror(e));
	}
	if (close(fd) != 0 || renameat(dfd, tmp, dfd, c->path) != 0) {
		int e = errno;
		unlinkat(dfd, tmp, 0);
		return lt_error_set(err, LT_EIO, c->path, 0, "cannot write '%s': %s", c->path, strerror(e));
	}
	return 0;
}

int fix_apply(const char *dir, const struct fix_plan *p, struct lt_error *err)
{
	int dfd, rc = 0;

	lt_error_clear(err);
	if ((dfd = open_dir(dir, err)) < 0)
		return LT_EIO;
	/* every check first: one refusal writes nothing */
	for (size_t i = 0; i < p->nchanges && !rc; i++) {
		const struct fix_change *c = &p->changes[i];
		struct buf b;
		int r;
		buf_init(&b, (c->old_len > LT_MAX_CARD_BYTES ? c->old_len : LT_MAX_CARD_BYTES) + 1);
		r = read_at(dfd, c->path, &b, err);
		if (r == LT_ENOTFOUND && !c->old)
			r = 0;
		else if (r == LT_ENOTFOUND || (r == 0 && !c->old))
			r = lt_error_set(err, LT_EUNSAFE, c->path, 0,
					 "'%s' changed since it was read: run lictrace fix again", c->path);
		else if (r == 0 && (b.len != c->old_len || memcmp(buf_cstr(&b), c->old, b.len)))
			r = lt_error_set(err, LT_EUNSAFE, c->path, 0,
					 "'%s' changed since it was read: run lictrace fix again", c->path);
		buf_release(&b);
		rc = r;
	}
	for (size_t i = 0; i < p->nchanges && !rc; i++)
		rc = write_at(dfd, &p->changes[i], err);
	if (!rc)
		(void)fsync(dfd); /* the renames are done; a folder that cannot be flushed is no error */
	close(dfd);
	return rc;
}
