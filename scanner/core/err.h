/*
 * err.h - an int result plus a caller-owned error object.
 *
 * Functions return 0 on success or a negative LT_E* code, and fill the caller's
 * struct lt_error (which may be NULL) with a one-line message in git's style:
 * lower case, no full stop, subject in single quotes. There is no hidden
 * "last error" global.
 */
#ifndef LT_ERR_H
#define LT_ERR_H

#include "limits.h"

enum lt_code {
	LT_OK = 0,
	LT_ENOMEM = -1,    /* allocation failed */
	LT_ENOTFOUND = -2, /* file, model, revision or key does not exist */
	LT_ETOOBIG = -3,   /* input over a cap (bytes, nodes, entries) */
	LT_EPARSE = -4,    /* malformed input */
	LT_EUNSAFE = -5,   /* refused for safety (symlink out of tree, traversal, bomb) */
	LT_ENET = -6,      /* network failure after retries */
	LT_EIO = -7,       /* local I/O failure */
	LT_EINVAL = -8,    /* bad argument or configuration */
	LT_EAUTH = -9,     /* authentication needed or refused */
	LT_EGATED = -10,   /* gated repository, access not granted */
	LT_ETRUNC = -11,   /* truncated input or download */
	LT_EUNSUPP = -12   /* a feature this build does not have */
};

struct lt_error {
	int code;
	char message[LT_ERROR_MSG];
	char file[256]; /* input file the error is about, "" if none */
	int line;       /* 1-based line in that file, 0 if unknown */
};

/* Fill err (if not NULL) and return code. file may be NULL. */
int lt_error_set(struct lt_error *err, int code, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void lt_error_clear(struct lt_error *err);
/* Short stable name of a code: "not-found", "too-big", ... */
const char *lt_code_name(int code);

#endif
