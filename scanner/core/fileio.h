/*
 * fileio.h - read local files with a byte cap and without following symlinks.
 */
#ifndef LT_FILEIO_H
#define LT_FILEIO_H

#include <stddef.h>

struct buf;
struct lt_error;

/* Read at most max bytes of path into out (appended). Refuses a symlink as the
 * final component (LT_EUNSAFE) and anything that is not a regular file. A file
 * larger than max gives LT_ETOOBIG without reading it. path "-" reads stdin. */
int lt_read_file(struct buf *out, const char *path, size_t max, struct lt_error *err);
/* Like lt_read_file but reads only the first max bytes of a larger file and sets
 * *truncated (never an error for size). */
int lt_read_prefix(struct buf *out, const char *path, size_t max, int *truncated,
		   struct lt_error *err);
/* 1 when path is a directory / a regular file (symlinks followed). */
int lt_is_dir(const char *path);
int lt_is_file(const char *path);
/* Open path to read a file lictrace may believe (a cache or installed data):
 * never through a link, a regular file of min..max bytes (min >= 1), owned by
 * the current user; with installed != 0 also one owned by root, and then
 * writable by neither group nor others. The descriptor with *size set, or -1. */
int lt_open_owned(const char *path, size_t min, size_t max, int installed, size_t *size);
/* The same file mapped read-only and populated in one go (no copy, no fault per
 * page). 0 with *map and *len set, else LT_ENOTFOUND or LT_EIO. */
int lt_map_owned(const char *path, size_t min, size_t max, int installed, void **map,
		 size_t *len);
void lt_unmap(void *map, size_t len);
/* 1 when no process with this pid exists (as far as we can tell): a temporary
 * file named after a dead writer's pid may be swept. */
int lt_pid_gone(long pid);
/* Write data to path atomically (temp file in the same folder + rename). */
int lt_write_atomic(const char *path, const void *data, size_t len, struct lt_error *err);

#endif
