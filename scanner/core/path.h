/*
 * path.h - path checks and joins for untrusted names (archive entries, repo
 * paths, license_link values). Returned strings are owned by the caller.
 */
#ifndef LT_PATH_H
#define LT_PATH_H

/* 1 when rel is a safe relative path inside a tree: not empty, not absolute,
 * no ".." component, no backslash, no drive letter, no control characters. */
int path_is_safe_relative(const char *rel);
/* a + "/" + b (b must be relative); NULL on allocation failure. */
char *path_join(const char *a, const char *b);
/* Pointer into p after the last '/'. */
const char *path_basename(const char *p);
/* Collapse "./" and duplicate slashes in place; does not resolve "..". */
void path_normalize(char *p);
/* The entry of directory dir whose name equals name ignoring ASCII case: the
 * exact name when it exists, else the first such entry in name order (so the
 * answer does not depend on the file system's listing order). Symlinks count
 * as entries; the caller decides whether to follow them. A new string with the
 * entry's real spelling, or NULL when there is none (or on allocation failure). */
char *path_find_nocase(const char *dir, const char *name);

#endif
