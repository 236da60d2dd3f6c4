/*
 * apply.h - the model folder on disk, for `lictrace fix`: reading its current
 * files and writing a plan's changes, never through a symbolic link and never
 * outside the folder.
 *
 * Every change names one file directly in the folder (no '/', not "." or "..").
 * fix_apply checks every change before writing any: the file is a regular file
 * (not a link, not a folder) and still holds what the plan was computed from,
 * or is still absent for a new file. Then each file is written to a temporary
 * file in the folder (O_CREAT|O_EXCL|O_NOFOLLOW, the old file's mode, else
 * 0644), flushed, and renamed over the name: a reader sees the old content or
 * the new, never a part. All paths go through one descriptor of the folder
 * (openat), so a folder swapped for a link after it was opened is not followed.
 */
#ifndef LT_FIX_APPLY_H
#define LT_FIX_APPLY_H

#include <stddef.h>

struct buf;
struct lt_error;
struct fix_plan;

/* A fix_reader over the folder dir (ctx is the folder path): LT_EUNSAFE for a
 * link or anything but a regular file, LT_ENOTFOUND when absent. */
int fix_read_dir(void *ctx, const char *path, struct buf *out, struct lt_error *err);

/* Write every change of p into dir. 0; LT_EUNSAFE (a link, a name that leaves
 * the folder, a file changed since the plan: nothing written); LT_EIO with err
 * naming the file (files before it in the plan are written). */
int fix_apply(const char *dir, const struct fix_plan *p, struct lt_error *err);

#endif
