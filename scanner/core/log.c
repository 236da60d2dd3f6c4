/* log.c - diagnostics with secret redaction; see log.h. */
#include "log.h"
#include "buf.h"
#include "str.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MAX_SECRETS 8

static enum log_level g_level = LOG_WARN;
static FILE *g_sink;
static char *g_secrets[LOG_MAX_SECRETS];

void log_set_level(enum log_level lvl) { g_level = lvl; }
enum log_level log_get_level(void) { return g_level; }
void log_set_sink(FILE *f) { g_sink = f; }

void log_add_secret(const char *secret)
{
	if (!secret || !*secret)
		return;
	for (int i = 0; i < LOG_MAX_SECRETS; i++) {
		if (g_secrets[i] && strcmp(g_secrets[i], secret) == 0)
			return;
		if (!g_secrets[i]) {
			g_secrets[i] = lt_strdup(secret);
			return;
		}
	}
}

void log_clear_secrets(void)
{
	for (int i = 0; i < LOG_MAX_SECRETS; i++) {
		free(g_secrets[i]);
		g_secrets[i] = NULL;
	}
}

char *log_redact(const char *s)
{
	struct buf b;

	buf_init(&b, 1u << 20);
	while (*s) {
		int hit = 0;
		for (int i = 0; i < LOG_MAX_SECRETS && g_secrets[i]; i++) {
			size_t n = strlen(g_secrets[i]);
			if (strncmp(s, g_secrets[i], n) == 0) {
				buf_adds(&b, "***");
				s += n;
				hit = 1;
				break;
			}
		}
		if (!hit)
			buf_addc(&b, *s++);
	}
	return buf_detach(&b, NULL);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *names[] = { "error", "warning", "info", "debug" };
	va_list ap;
	char msg[2048];
	char *red;

	if (lvl > g_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	red = log_redact(msg);
	fprintf(g_sink ? g_sink : stderr, "lictrace: %s: %s\n", names[lvl], red ? red : "");
	free(red);
}
