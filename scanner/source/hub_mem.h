/*
 * hub_mem.h - the hub backend's struct source: every file the model info lists,
 * of which the fetched ones are served from memory. Private to the hub backend
 * (src_hub.c); not part of the source interface.
 *
 * Ownership: hub_mem_new() returns a source freed with source_free();
 * hub_mem_attach() takes over data on success.
 */
#ifndef LT_HUB_MEM_H
#define LT_HUB_MEM_H

#include <stddef.h>

struct source;

/* A new, empty hub source (SOURCE_HUB) for target, or NULL when out of memory.
 * Reading a file that was never attached is LT_ENOTFOUND. */
struct source *hub_mem_new(const char *target);

/* Keep data[0..len) (taken over on success) as the content of path, and mark
 * the listed entry readable. partial: data is only a prefix of the file (a
 * Range read); reading it then needs a `truncated` out-parameter. 0 or
 * LT_ENOMEM (data stays the caller's). */
int hub_mem_attach(struct source *src, const char *path, char *data, size_t len, int partial);

/* A hub serves content, but a mirror may serve the pointer a git push stored:
 * when data is a Git LFS pointer, mark path's entry as one and note a problem,
 * instead of letting the pointer pass for a license text. */
void hub_mem_mark_lfs_pointer(struct source *src, const char *path, const char *data, size_t len);

#endif
