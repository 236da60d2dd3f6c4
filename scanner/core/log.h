/*
 * log.h - levelled diagnostics to stderr (or a sink set by the CLI).
 *
 * Secrets (tokens) registered with log_add_secret() are replaced by "***" in
 * every message, whatever module writes it, so a token cannot leak through a
 * URL or header echoed in a diagnostic. This registry and the level are the
 * only process-wide state: they are part of the parsed configuration.
 */
#ifndef LT_LOG_H
#define LT_LOG_H

#include <stdio.h>

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
void log_set_sink(FILE *f);
/* Register a secret to redact (copied; at most 8 kept). Empty strings ignored. */
void log_add_secret(const char *secret);
void log_clear_secrets(void);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copy of s with every registered secret replaced by "***"; caller frees. */
char *log_redact(const char *s);

#endif
