/* fileio.c - bounded local file reads; see fileio.h. */
#include "fileio.h"
#include "buf.h"
#include "err.h"
#include "str.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_fd(struct buf *out, int fd, size_t max, int *truncated, const char *path,
		   struct lt_error *err)
{
	char chunk[65536];
	size_t total = 0;

	for (;;) {
		size_t want = sizeof(chunk);
		ssize_t n;

		if (truncated && max - total < want)
			want = max - total;
		if (want == 0) {
			/* probe one byte to tell "exactly max" from "more" */
			char c;
			n = read(fd, &c, 1);
			if (n > 0)
				*truncated = 1;
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
		if (total > max)
			return lt_error_set(err, LT_ETOOBIG, path, 0,
					    "'%s' is larger than the %zu byte limit", path, max);
		if (buf_add(out, chunk, (size_t)n))
			return lt_error_set(err, out->err, path, 0, "cannot hold '%s' in memory", path);
	}
}

static int read_common(struct buf *out, const char *path, size_t max, int *truncated,
		       struct lt_error *err)
{
	struct stat st;
	int fd, rc;

	if (truncated)
		*truncated = 0;
	if (strcmp(path, "-") == 0)
		return read_fd(out, STDIN_FILENO, max, truncated, "<stdin>", err);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP)
			return lt_error_set(err, LT_EUNSAFE, path, 0,
					    "'%s' is a symbolic link; not followed", path);
		return lt_error_set(err, errno == ENOENT ? LT_ENOTFOUND : LT_EIO, path, 0,
				    "cannot open '%s': %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return lt_error_set(err, LT_EINVAL, path, 0, "'%s' is not a regular file", path);
	}
	if (!truncated && (unsigned long long)st.st_size > (unsigned long long)max) {
		close(fd);
		return lt_error_set(err, LT_ETOOBIG, path, 0,
				    "'%s' is %lld bytes, over the %zu byte limit", path,
				    (long long)st.st_size, max);
	}
	rc = read_fd(out, fd, max, truncated, path, err);
	close(fd);
	return rc;
}

int lt_read_file(struct buf *out, const char *path, size_t max, struct lt_error *err)
{
	return read_common(out, path, max, NULL, err);
}

int lt_read_prefix(struct buf *out, const char *path, size_t max, int *truncated,
		   struct lt_error *err)
{
	int t = 0;
	int rc = read_common(out, path, max, &t, err);
	if (truncated)
		*truncated = t;
	return rc;
}

int lt_write_atomic(const char *path, const void *data, size_t len, struct lt_error *err)
{
	char *tmp = lt_asprintf("%s.tmp.%ld", path, (long)getpid());
	FILE *f;
	int rc = 0;

	if (!tmp)
		return lt_error_set(err, LT_ENOMEM, path, 0, "out of memory");
	f = fopen(tmp, "wb");
	if (!f) {
		rc = lt_error_set(err, LT_EIO, path, 0, "cannot write '%s': %s", tmp, strerror(errno));
		goto done;
	}
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		unlink(tmp);
		rc = lt_error_set(err, LT_EIO, path, 0, "cannot write '%s'", tmp);
		goto done;
	}
	fclose(f);
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		rc = lt_error_set(err, LT_EIO, path, 0, "cannot rename onto '%s': %s", path,
				  strerror(errno));
	}
done:
	free(tmp);
	return rc;
}

int lt_is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int lt_is_file(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int lt_open_owned(const char *path, size_t min, size_t max, int installed, size_t *size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	int owner_ok;

	if (fd < 0)
		return -1;
	/* someone else's file (a shared or planted folder) is not ours to believe */
	owner_ok = fstat(fd, &st) == 0 &&
		   (installed ? (st.st_uid == 0 || st.st_uid == geteuid()) &&
					!(st.st_mode & (S_IWGRP | S_IWOTH))
			      : st.st_uid == geteuid());
	if (!owner_ok || !S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size < min ||
	    (uint64_t)st.st_size > max) {
		close(fd);
		return -1;
	}
	*size = (size_t)st.st_size;
	return fd;
}

int lt_map_owned(const char *path, size_t min, size_t max, int installed, void **map,
		 size_t *len)
{
	size_t size = 0;
	int fd = lt_open_owned(path, min ? min : 1, max, installed, &size);
	void *m;

	*map = NULL;
	if (fd < 0)
		return LT_ENOTFOUND;
	m = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return LT_EIO;
	*map = m;
	*len = size;
	return 0;
}

void lt_unmap(void *map, size_t len)
{
	if (map)
		munmap(map, len);
}

int lt_pid_gone(long pid)
{
	if (pid <= 0 || pid > (long)INT32_MAX)
		return 1;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}
