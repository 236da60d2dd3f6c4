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

#endif
