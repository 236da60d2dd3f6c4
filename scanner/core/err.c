/* err.c - error objects; see err.h. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lt_error_set(struct lt_error *err, int code, const char *file, int line,
		 const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->line = line;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void lt_error_clear(struct lt_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

const char *lt_code_name(int code)
{
	switch (code) {
	case LT_OK: return "ok";
	case LT_ENOMEM: return "out-of-memory";
	case LT_ENOTFOUND: return "not-found";
	case LT_ETOOBIG: return "too-big";
	case LT_EPARSE: return "parse-error";
	case LT_EUNSAFE: return "unsafe";
	case LT_ENET: return "network";
	case LT_EIO: return "io";
	case LT_EINVAL: return "invalid";
	case LT_EAUTH: return "auth";
	case LT_EGATED: return "gated";
	case LT_ETRUNC: return "truncated";
	case LT_EUNSUPP: return "unsupported";
	}
	return "error";
}
