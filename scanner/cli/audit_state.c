/* audit_state.c - the audit resume file; see audit_state.h. */
#include "audit_state.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/banned.h"


static const char *const verdict_names[] = { "pass", "review", "fail", "incomplete" };

/* Where a verified record is: its line in the file as read, and once compacted. */
struct audit_done {
	enum verdict v;
	long long off_file, off_keep;
	size_t len;
};

/* What ends every record: the check, always the last member. */
static const char check_key[] = ",\"check\":\"fnv1a64:";
#define CHECK_HEX 16
#define CHECK_TAIL (sizeof(check_key) - 1 + CHECK_HEX + 2) /* key, hex, "} */

static uint64_t check_of(const char *prefix, size_t len)
{
	static const char tag[] = "lictrace-state-2";
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < sizeof(tag); i++) { /* the tag's NUL separates it */
		h ^= (unsigned char)tag[i];
		h *= 1099511628211ULL;
	}
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)prefix[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* 1 when line ends with a check that matches the bytes before it. */
static int check_ok(const char *line, size_t len)
{
	char want[CHECK_HEX + 1];
	size_t p;

	if (len < CHECK_TAIL || memcmp(line + len - 2, "\"}", 2))
		return 0;
	p = len - CHECK_TAIL;
	if (memcmp(line + p, check_key, sizeof(check_key) - 1))
		return 0;
	snprintf(want, sizeof(want), "%016llx", (unsigned long long)check_of(line, p));
	return !memcmp(line + p + sizeof(check_key) - 1, want, CHECK_HEX);
}

static int state_verdict(const char *s, enum verdict *v)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, verdict_names[i])) {
			*v = (enum verdict)i;
			return 0;
		}
	return -1;
}

void audit_state_init(struct audit_state *s, const char *name, FILE *log, const char *config)
{
	memset(s, 0, sizeof(*s));
	strmap_init(&s->done);
	strmap_init(&s->distrusted);
	s->name = name;
	s->log = log;
	s->config = config ? config : "{}";
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

/* The member that follows the head (target, verdict, config) of a record. JSON
 * escapes every '"' inside a string, so this byte sequence, with its unescaped
 * quotes, cannot occur inside the head's strings: its first occurrence ends the head. */
static const char model_key[] = ",\"model\":";

/* Parse one line: *j is the record's head {target, verdict, config} (caller
 * decrefs) and where its report section's text is (offset, length); NULL
 * when it is a verified record of this format, else why it is not (*target may
 * still be set when the line names one). The check covers the whole line, so a
 * verified line is one lictrace wrote: only its head is parsed here, the report
 * section when it is reported (audit_state_model). */
static const char *parse_line(const char *line, size_t len, json_t **j, const char **target,
			      enum verdict *v, size_t *model_at, size_t *model_len)
{
	json_error_t jerr;
	json_t *o;
	const char *t, *vs, *m;
	char *head;

	*j = NULL;
	*target = NULL;
	m = check_ok(line, len) ? memmem(line, len, model_key, sizeof(model_key) - 1) : NULL;
	if (!m || line + len - CHECK_TAIL < m + sizeof(model_key) || m[sizeof(model_key) - 1] != '{') {
		/* not verified: read it whole to say which target it names, and why */
		o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
		*j = o;
		t = json_string_value(json_object_get(o, "target"));
		if (!t || !json_string_value(json_object_get(o, "verdict")) || !json_is_object(o) ||
		    strlen(t) != json_string_length(json_object_get(o, "target")) || !*t)
			return "not a state record";
		*target = t;
		if (!json_object_get(o, "check"))
			return "no check (written by hand or by an older lictrace)";
		if (!m && check_ok(line, len))
			return "no report section (written by an older lictrace)";
		return "the check does not match (edited or corrupt)";
	}
	if (!(head = malloc((size_t)(m - line) + 2)))
		return "out of memory";
	memcpy(head, line, (size_t)(m - line));
	head[m - line] = '}';
	head[m - line + 1] = '\0';
	o = json_loads(head, JSON_REJECT_DUPLICATES, &jerr);
	free(head);
	*j = o;
	t = json_string_value(json_object_get(o, "target"));
	vs = json_string_value(json_object_get(o, "verdict"));
	if (!t || !vs || !json_is_object(o) || strlen(t) != json_string_length(json_object_get(o, "target")) || !*t)
		return "not a state record";
	*target = t;
	if (state_verdict(vs, v))
		return "unknown verdict";
	if (!json_is_object(json_object_get(o, "config")) || json_object_size(o) != 3)
		return "not a state record of this lictrace";
	*model_at = (size_t)(m - line) + sizeof(model_key) - 1;
	*model_len = len - CHECK_TAIL - *model_at;
	return NULL;
}

/* One complete line (without its '\n'), starting at offset off of the file. */
static int take_line(struct audit_state *s, const char *line, size_t len, size_t lineno, long long off)
{
	json_t *j;
	const char *t, *why;
	struct audit_done *d, *old;
	char *cfg = NULL;
	enum verdict v;
	size_t mat, mlen;
	int rc = 0;

	if ((why = parse_line(line, len, &j, &t, &v, &mat, &mlen))) {
		problem(s, lineno, t, why);
		if (t && strmap_put(&s->distrusted, t, (void *)1))
			rc = LT_ENOMEM;
		goto done;
	}
	cfg = json_dumps(json_object_get(j, "config"), JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!cfg) {
		rc = LT_ENOMEM;
		goto done;
	}
	if (strcmp(cfg, s->config)) {
		/* verified, but decided under another configuration: never reused */
		if (!s->other_config) {
			s->other_config = cfg;
			s->other_line = lineno;
			cfg = NULL;
		}
		goto done;
	}
	if (!(d = malloc(sizeof(*d)))) {
		rc = LT_ENOMEM;
		goto done;
	}
	d->v = v;
	d->off_file = off;
	d->off_keep = s->kept_bytes;
	d->len = len;
	old = strmap_get(&s->done, t);
	if (strmap_put(&s->done, t, d)) {
		free(d);
		rc = LT_ENOMEM;
		goto done;
	}
	free(old);
	if (s->nkept == s->kept_cap) {
		size_t cap = s->kept_cap ? 2 * s->kept_cap : 256;
		struct audit_span *k = realloc(s->kept, cap * sizeof(*k));
		if (!k) {
			rc = LT_ENOMEM;
			goto done;
		}
		s->kept = k;
		s->kept_cap = cap;
	}
	s->kept[s->nkept].off = off;
	s->kept[s->nkept++].len = len;
	s->kept_bytes += (long long)len + 1;
done:
	free(cfg);
	json_decref(j);
	return rc;
}

int audit_state_read(struct audit_state *s, FILE *f)
{
	char *line = malloc(AUDIT_STATE_MAX_LINE + 1);
	size_t len = 0;
	long long pos = 0, start = 0;
	int c, over = 0, rc = 0;

	if (!line)
		return LT_ENOMEM;
	flockfile(f); /* one lock for the whole read: getc_unlocked below */
	while (!rc) {
		c = getc_unlocked(f);
		if (c == EOF) {
			if (len || over) {
				s->lines++;
				problem(s, s->lines, NULL,
					over ? "longer than the line limit and cut short"
					     : "cut short (no line end: a run killed while writing it)");
			}
			break;
		}
		pos++;
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
			rc = take_line(s, line, len, s->lines, start);
		}
		len = 0;
		over = 0;
		start = pos;
	}
	funlockfile(f);
	free(line);
	if (s->log && s->bad > AUDIT_STATE_MAX_REPORTED)
		fprintf(s->log, "lictrace: state file '%s': %zu more problem lines not shown\n", s->name,
			s->bad - AUDIT_STATE_MAX_REPORTED);
	return rc;
}

int audit_state_compact(struct audit_state *s, int fd)
{
	char *line = malloc(AUDIT_STATE_MAX_LINE + 1);
	long long to = 0;
	int flags = fcntl(fd, F_GETFL), rc = -1;

	/* pwrite on a file opened O_APPEND would append (Linux): drop it for the rewrite */
	if (!line || flags < 0 || fcntl(fd, F_SETFL, flags & ~O_APPEND) != 0)
		goto done;
	for (size_t i = 0; i < s->nkept; i++) {
		const struct audit_span *k = &s->kept[i];

		if (k->off != to) { /* lines before this one were dropped: move it */
			if (pread(fd, line, k->len + 1, (off_t)k->off) != (ssize_t)(k->len + 1) ||
			    pwrite(fd, line, k->len + 1, (off_t)to) != (ssize_t)(k->len + 1))
				goto done;
		}
		to += (long long)k->len + 1;
	}
	if (ftruncate(fd, (off_t)to) != 0 || fsync(fd) != 0)
		goto done;
	s->rewritten = 1;
	rc = 0;
done:
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags);
	free(line);
	return rc;
}

int audit_state_get(const struct audit_state *s, const char *target, enum verdict *v)
{
	const struct audit_done *d = strmap_get(&s->done, target);

	if (!d || strmap_get(&s->distrusted, target))
		return 0;
	*v = d->v;
	return 1;
}

json_t *audit_state_model(const struct audit_state *s, FILE *f, const char *target)
{
	return audit_state_model_text(s, f, target, NULL, NULL);
}

json_t *audit_state_model_text(const struct audit_state *s, FILE *f, const char *target,
			       char **text, size_t *len)
{
	const struct audit_done *d = strmap_get(&s->done, target);
	json_error_t jerr;
	json_t *j = NULL, *m = NULL;
	const char *t;
	enum verdict v;
	size_t mat, mlen;
	char *line;
	ssize_t got;

	if (text) {
		*text = NULL;
		*len = 0;
	}
	if (!d || strmap_get(&s->distrusted, target) || !(line = malloc(d->len + 1)))
		return NULL;
	got = pread(fileno(f), line, d->len, (off_t)(s->rewritten ? d->off_keep : d->off_file));
	if (got == (ssize_t)d->len && !parse_line(line, d->len, &j, &t, &v, &mat, &mlen) && !strcmp(t, target) &&
	    v == d->v && (m = json_loadb(line + mat, mlen, JSON_REJECT_DUPLICATES, &jerr)) && !json_is_object(m)) {
		json_decref(m);
		m = NULL;
	}
	if (m && text) {
		/* the section moves to the front of the line's block, which is handed over */
		memmove(line, line + mat, mlen);
		line[mlen] = '\0';
		*text = line;
		*len = mlen;
		line = NULL;
	}
	json_decref(j);
	free(line);
	return m;
}

char *audit_state_format_text(const struct audit_state *s, const char *target, enum verdict v,
			      const char *model, size_t len)
{
	json_t *t = json_string(target);
	char *tj = t ? json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	char *line = NULL;
	struct buf b;
	uint64_t h;

	json_decref(t);
	if (!tj || !len || model[0] != '{' || model[len - 1] != '}' || memchr(model, '\n', len)) {
		free(tj);
		return NULL;
	}
	/* the members in the order the reader checks: target, verdict, config, model */
	buf_init(&b, AUDIT_STATE_MAX_LINE);
	buf_adds(&b, "{\"target\":");
	buf_adds(&b, tj);
	buf_adds(&b, ",\"verdict\":\"");
	buf_adds(&b, verdict_names[v]);
	buf_adds(&b, "\",\"config\":");
	buf_adds(&b, s->config);
	buf_add(&b, model_key, sizeof(model_key) - 1);
	buf_add(&b, model, len);
	free(tj);
	/* the check covers everything before it */
	if (!buf_error(&b) && b.len + CHECK_TAIL + 1 < AUDIT_STATE_MAX_LINE) {
		h = check_of(b.data, b.len);
		buf_printf(&b, "%s%016llx\"}\n", check_key, (unsigned long long)h);
		if (!buf_error(&b))
			line = buf_detach(&b, NULL);
	}
	buf_release(&b);
	return line;
}

char *audit_state_format(const struct audit_state *s, const char *target, enum verdict v,
			 const json_t *model)
{
	char *d = json_is_object(model) ? json_dumps(model, JSON_COMPACT | JSON_PRESERVE_ORDER)
					: NULL;
	char *line = d ? audit_state_format_text(s, target, v, d, strlen(d)) : NULL;

	free(d);
	return line;
}

void audit_state_config_diff(const char *was, const char *now, char *out, size_t size)
{
	json_error_t jerr;
	json_t *a = json_loads(was, 0, &jerr), *b = json_loads(now, 0, &jerr), *sides[2] = { a, b };
	struct buf o;
	const char *k;
	json_t *x;

	buf_init(&o, 64u * 1024u);
	for (int side = 0; side < 2; side++)
		json_object_foreach(sides[side], k, x) {
			json_t *va = json_object_get(a, k), *vb = json_object_get(b, k);
			char *sa, *sb;

			if ((side && va) || json_equal(va, vb))
				continue; /* a key of both is listed once, from the first side */
			sa = va ? json_dumps(va, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
			sb = vb ? json_dumps(vb, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
			buf_printf(&o, "%s%s (was %s, now %s)", o.len ? "; " : "", k, sa ? sa : "nothing",
				 sb ? sb : "nothing");
			free(sa);
			free(sb);
		}
	snprintf(out, size, "%s", o.len && !buf_error(&o) ? o.data : "the configuration");
	buf_release(&o);
	json_decref(a);
	json_decref(b);
}

void audit_state_release(struct audit_state *s)
{
	for (size_t i = 0; i < s->done.cap; i++)
		if (s->done.slots && s->done.slots[i].key)
			free(s->done.slots[i].val);
	strmap_release(&s->done);
	strmap_release(&s->distrusted);
	free(s->kept);
	free(s->other_config);
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
