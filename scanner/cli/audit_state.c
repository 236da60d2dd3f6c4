/* audit_state.c - the audit resume file; see audit_state.h. */
#include "audit_state.h"
#include "core/err.h"
#include "core/str.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* The verified lines kept for the rewrite: past this the file is only appended to. */
#define AUDIT_STATE_MAX_KEEP (512u * 1024u * 1024u)

static const char *const verdict_names[] = { "pass", "review", "fail", "incomplete" };

static uint64_t check_of(const char *target, const char *verdict)
{
	static const char tag[] = "lictrace-state-1";
	const char *parts[3] = { tag, target, verdict };
	uint64_t h = 1469598103934665603ULL;

	for (int i = 0; i < 3; i++) {
		for (const char *p = parts[i];; p++) {
			h ^= (unsigned char)*p;
			h *= 1099511628211ULL;
			if (!*p)
				break; /* the NUL separates the parts */
		}
	}
	return h;
}

static int verdict_parse(const char *s, enum verdict *v)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, verdict_names[i])) {
			*v = (enum verdict)i;
			return 0;
		}
	return -1;
}

void audit_state_init(struct audit_state *s, const char *name, FILE *log)
{
	memset(s, 0, sizeof(*s));
	strmap_init(&s->done);
	strmap_init(&s->distrusted);
	buf_init(&s->keep, AUDIT_STATE_MAX_KEEP);
	s->name = name;
	s->log = log;
}

/* A target as it may be shown on a terminal: control bytes become '?'. */
static void print_target(FILE *f, const char *t)
{
	size_t n = 0;

	for (; *t && n < 200; t++, n++)
		fputc((unsigned char)*t < 0x20 || *t == 0x7f ? '?' : *t, f);
	if (*t)
		fputs("...", f);
}

static void problem(struct audit_state *s, size_t lineno, const char *target, const char *why)
{
	s->bad++;
	if (!s->log || s->bad > AUDIT_STATE_MAX_REPORTED)
		return;
	fprintf(s->log, "lictrace: state file '%s' line %zu: ", s->name, lineno);
	if (target) {
		fputc('\'', s->log);
		print_target(s->log, target);
		fputs("': ", s->log);
	}
	fprintf(s->log, "%s; ignored%s\n", why, target ? ", the target is scanned again" : "");
}

/* One complete line (without its '\n'). */
static int take_line(struct audit_state *s, const char *line, size_t len, size_t lineno)
{
	json_error_t jerr;
	json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	const char *t = json_string_value(json_object_get(j, "target"));
	const char *vs = json_string_value(json_object_get(j, "verdict"));
	const char *ck = json_string_value(json_object_get(j, "check"));
	char want[40];
	enum verdict v;
	int rc = 0;

	if (!t || !vs || !json_is_object(j) || json_object_size(j) != (ck ? 3u : 2u) ||
	    strlen(t) != json_string_length(json_object_get(j, "target")) || !*t) {
		problem(s, lineno, NULL, "not a state record");
		goto done;
	}
	if (!ck) {
		problem(s, lineno, t, "no check (written by hand or by an older lictrace)");
		goto distrust;
	}
	snprintf(want, sizeof(want), "fnv1a64:%016llx", (unsigned long long)check_of(t, vs));
	if (strcmp(ck, want)) {
		problem(s, lineno, t, "the check does not match (edited or corrupt)");
		goto distrust;
	}
	if (verdict_parse(vs, &v)) {
		problem(s, lineno, t, "unknown verdict");
		goto distrust;
	}
	if (strmap_put(&s->done, t, (void *)(uintptr_t)(v + 1)))
		rc = LT_ENOMEM;
	buf_add(&s->keep, line, len);
	buf_addc(&s->keep, '\n');
	goto done;
distrust:
	if (strmap_put(&s->distrusted, t, (void *)1))
		rc = LT_ENOMEM;
done:
	json_decref(j);
	return rc;
}

int audit_state_read(struct audit_state *s, FILE *f)
{
	char *line = malloc(AUDIT_STATE_MAX_LINE + 1);
	size_t len = 0;
	int c, over = 0, rc = 0;

	if (!line)
		return LT_ENOMEM;
	while (!rc) {
		c = getc(f);
		if (c == EOF) {
			if (len || over) {
				s->lines++;
				problem(s, s->lines, NULL,
					over ? "longer than the line limit and cut short"
					     : "cut short (no line end: a run killed while writing it)");
			}
			break;
		}
		if (c != '\n') {
			if (len < AUDIT_STATE_MAX_LINE)
				line[len++] = (char)c;
			else
				over = 1;
			continue;
		}
		s->lines++;
		if (over) {
			char why[64];
			snprintf(why, sizeof(why), "longer than %u bytes", AUDIT_STATE_MAX_LINE);
			problem(s, s->lines, NULL, why);
		} else if (len) {
			rc = take_line(s, line, len, s->lines);
		}
		len = 0;
		over = 0;
	}
	free(line);
	if (s->log && s->bad > AUDIT_STATE_MAX_REPORTED)
		fprintf(s->log, "lictrace: state file '%s': %zu more problem lines not shown\n", s->name,
			s->bad - AUDIT_STATE_MAX_REPORTED);
	return rc;
}

int audit_state_get(const struct audit_state *s, const char *target, enum verdict *v)
{
	void *p = strmap_get(&s->done, target);

	if (!p || strmap_get(&s->distrusted, target))
		return 0;
	*v = (enum verdict)((uintptr_t)p - 1);
	return 1;
}

char *audit_state_format(const char *target, enum verdict v)
{
	const char *vs = verdict_names[v];
	char ck[40], *s, *line;
	json_t *j;

	snprintf(ck, sizeof(ck), "fnv1a64:%016llx", (unsigned long long)check_of(target, vs));
	j = json_pack("{s:s, s:s, s:s}", "target", target, "verdict", vs, "check", ck);
	s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	if (!s || strlen(s) > AUDIT_STATE_MAX_LINE) {
		free(s);
		return NULL;
	}
	line = lt_asprintf("%s\n", s);
	free(s);
	return line;
}

void audit_state_release(struct audit_state *s)
{
	strmap_release(&s->done);
	strmap_release(&s->distrusted);
	buf_release(&s->keep);
}

static int add_target(char ***v, size_t *n, const char *t, size_t len)
{
	char **p = realloc(*v, (*n + 1) * sizeof(*p));

	if (!p)
		return LT_ENOMEM;
	*v = p;
	if (!(p[*n] = lt_strndup(t, len)))
		return LT_ENOMEM;
	(*n)++;
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int audit_inventory_parse(const char *data, size_t len, const char *name, char ***v, size_t *n,
			  struct lt_error *err)
{
	const char *p = data, *end = data + len;
	size_t lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *b = p;

		lineno++;
		p = nl ? nl + 1 : end;
		if (memchr(b, '\0', (size_t)(e - b)))
			return lt_error_set(err, LT_EPARSE, name, (int)lineno,
					    "inventory '%s' line %zu holds a NUL byte", name, lineno);
		while (b < e && is_space(*b))
			b++;
		while (e > b && is_space(e[-1]))
			e--;
		if (b == e || *b == '#')
			continue;
		if (add_target(v, n, b, (size_t)(e - b)))
			return lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
	}
	return 0;
}
