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
/* Write data to path atomically (temp file in the same folder + rename). */
int lt_write_atomic(const char *path, const void *data, size_t len, struct lt_error *err);

#endif
