/*
 * diff.h - a unified diff of one file's old and new text, as `diff -u` and
 * `git diff` print it and `patch -p1` / `git apply` read it: `--- a/PATH` (or
 * `--- /dev/null` for a new file), `+++ b/PATH`, then hunks with three lines of
 * context and `\ No newline at end of file` where a side ends without one.
 *
 * Lines are matched with Myers' O(ND) algorithm after the common head and tail
 * are set aside; past FIX_DIFF_MAX_EDITS differing lines the middle is shown as
 * one replacement (still a correct diff, only a longer one).
 */
#ifndef LT_FIX_DIFF_H
#define LT_FIX_DIFF_H

#include <stddef.h>

struct buf;

/* More differing lines than this make the middle one replacement hunk. */
#define FIX_DIFF_MAX_EDITS 4000

/* Append the diff of old (NULL: the file is new) and new_text for path to out.
 * Nothing is appended when both are equal. 0, or LT_ENOMEM / LT_ETOOBIG (out's
 * sticky error). */
int fix_diff(struct buf *out, const char *path, const char *old, size_t old_len,
	     const char *new_text, size_t new_len);

#endif
