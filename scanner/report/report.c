/* report.c - writer table and shared helpers; see report.h. */
#include "report.h"
#include "core/buf.h"
#include "core/digest.h"
#include "core/str.h"
#include "record/record.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct report_writer *report_text_new(void);
struct report_writer *report_json_new(void);
struct report_writer *report_sarif_new(void);
struct report_writer *report_cyclonedx_new(void);
struct report_writer *report_spdx_new(void);
struct report_writer *report_spdx3_new(void);
struct report_writer *report_markdown_new(void);
struct report_writer *report_html_new(void);
struct report_writer *report_dot_new(void);
struct report_writer *report_csv_new(void);

static const struct {
	const char *name;
	struct report_writer *(*make)(void);
} writers[] = {
	{ "text", report_text_new },
	{ "json", report_json_new },
	{ "sarif", report_sarif_new },
	{ "cyclonedx", report_cyclonedx_new },
	{ "spdx", report_spdx3_new },   /* SPDX 3.0.1 */
	{ "spdx3", report_spdx3_new },  /* the same, by its version */
	{ "spdx2", report_spdx_new },   /* SPDX 2.3 */
	{ "markdown", report_markdown_new },
	{ "html", report_html_new },
	{ "dot", report_dot_new },
	{ "csv", report_csv_new },
};

struct report_writer *report_writer_new(const char *format)
{
	for (size_t i = 0; i < sizeof(writers) / sizeof(*writers); i++)
		if (!strcmp(writers[i].name, format)) {
			struct report_writer *w = writers[i].make();
			if (w)
				w->name = writers[i].name; /* an alias answers to the name it was asked by */
			return w;
		}
	return NULL;
}

const char *report_formats(void)
{
	return "text, json, sarif, cyclonedx, spdx, spdx3, spdx2, markdown, html, dot, csv";
}

struct report_writer *report_writer_make(const char *name,
					 int (*begin)(struct report_writer *, const struct report_ctx *),
					 int (*model)(struct report_writer *, const struct model_report *,
						      const struct lgraph *),
					 int (*end)(struct report_writer *, enum verdict),
					 void (*free_impl)(struct report_writer *))
{
	struct report_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->name = name;
	w->begin = begin;
	w->model = model;
	w->end = end;
	w->free_impl = free_impl;
	return w;
}

void report_writer_free(struct report_writer *w)
{
	if (!w)
		return;
	if (w->free_impl)
		w->free_impl(w);
	free(w);
}

const char *report_spdx(const struct licdef *l)
{
	return l && l->spdx ? l->spdx : "NOASSERTION";
}

char *report_node_licenses(const struct lnode *n)
{
	const struct licdef *l[64];
	size_t k;
	struct buf b;

	if (!n->rec)
		return lt_strdup(n->status == LNODE_LOCAL_PATH ? "local path" : "unresolved");
	k = record_licenses(n->rec, l, 64);
	if (!k) {
		/* show what the card says even when lictrace does not know it */
		for (size_t i = 0; i < n->rec->ndeclared; i++)
			return lt_asprintf("%s (unknown)", n->rec->declared[i].value);
		return lt_strdup("no license found");
	}
	buf_init(&b, 4096);
	for (size_t i = 0; i < k; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l[i]->id);
	return buf_detach(&b, NULL);
}

const struct lnode **report_lineage_nodes(const struct model_report *m, size_t *n)
{
	const struct lnode **v = malloc((m->nanc + 1) * sizeof(*v));

	*n = 0;
	if (!v)
		return NULL;
	v[(*n)++] = m->node;
	for (size_t i = 0; i < m->nanc; i++)
		v[(*n)++] = m->anc[i].node;
	return v;
}

const char *report_node_status(const struct lnode *n, int root)
{
	if (n->status == LNODE_LOCAL_PATH)
		return "local-path";
	if (n->status == LNODE_NOT_EXPANDED)
		return "not-expanded";
	if (n->status != LNODE_OK || !n->rec)
		return "unresolved";
	if (n->rec->source_kind && !strcmp(n->rec->source_kind, "unreadable"))
		return "unreadable";
	if (!root && n->rec->nparents && !n->expanded)
		return "not-expanded";
	return "ok";
}

const char *report_node_rev(const struct lnode *n)
{
	return n->rec && n->rec->revision ? n->rec->revision : n->rev;
}

void report_count(const struct model_report *m, size_t out[3])
{
	out[SEV_INFO] = out[SEV_WARNING] = out[SEV_ERROR] = 0;
	for (size_t i = 0; i < m->nf; i++)
		if ((unsigned)m->f[i].severity <= SEV_ERROR)
			out[m->f[i].severity]++;
}

int report_source_date(time_t *out)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	unsigned long long v = 0;

	if (!e || !*e || strlen(e) > 12 || strspn(e, "0123456789") != strlen(e))
		return 0;
	for (const char *p = e; *p; p++)
		v = v * 10 + (unsigned long long)(*p - '0');
	if (v > 253402300799ull) /* 9999-12-31T23:59:59Z */
		return 0;
	*out = (time_t)v;
	return 1;
}

void report_timestamp(const struct report_ctx *ctx, char *out, size_t size)
{
	time_t t = 0;
	struct tm tm;

	if (ctx && ctx->now)
		t = ctx->now;
	else if (!report_source_date(&t))
		t = time(NULL);

	if (!gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		lt_strlcpy(out, "1970-01-01T00:00:00Z", size);
}

/* b as a UUID string: version v, RFC 4122 variant. */
static void uuid_format(unsigned char b[16], int v, char *out, size_t size)
{
	struct buf u;

	b[6] = (unsigned char)((b[6] & 0x0f) | (v << 4));
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	buf_init(&u, 64);
	for (size_t i = 0; i < 16; i++)
		buf_printf(&u, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", b[i]);
	lt_strlcpy(out, buf_cstr(&u), size);
	buf_release(&u);
}

void report_doc_uuid(const char *seed, char *out, size_t size)
{
	/* the RFC 4122 URL namespace */
	static const unsigned char ns[16] = { 0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
					      0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 };
	unsigned char d[LT_SHA1_LEN];
	struct lt_sha1 c;
	time_t t;

	if (!report_source_date(&t)) {
		report_uuid(out, size);
		return;
	}
	lt_sha1_init(&c);
	lt_sha1_update(&c, ns, sizeof(ns));
	lt_sha1_update(&c, "lictrace:", 9);
	lt_sha1_update(&c, seed ? seed : "", seed ? strlen(seed) : 0);
	lt_sha1_final(&c, d);
	uuid_format(d, 5, out, size);
}

void report_uuid(char *out, size_t size)
{
	unsigned char b[16];
	FILE *f = fopen("/dev/urandom", "rb");
	size_t got = f ? fread(b, 1, sizeof(b), f) : 0;

	if (f)
		fclose(f);
	if (got != sizeof(b)) {
		/* no entropy source: unique enough for a document name, not a secret */
		uint64_t x = (uint64_t)time(NULL) * 6364136223846793005u ^ (uint64_t)getpid() ^
			     (uint64_t)(uintptr_t)out ^ (uint64_t)clock();
		for (size_t i = 0; i < sizeof(b); i++) {
			x += 0x9e3779b97f4a7c15u;
			x ^= x >> 33;
			x *= 0xff51afd7ed558ccdu;
			x ^= x >> 29;
			b[i] = (unsigned char)x;
		}
	}
	uuid_format(b, 4, out, size);
}

int report_add_section(struct buf *body, struct buf *section, const char *note)
{
	int rc;

	if (buf_error(section))
		rc = buf_adds(body, note);
	else
		rc = buf_add(body, buf_cstr(section), section->len);
	buf_release(section);
	return rc ? -1 : 0;
}


json_t *report_json_str(const char *s)
{
	struct buf b;
	json_t *j;
	size_t len;

	if (!s)
		return json_null();
	len = strlen(s);
	if (lt_utf8_valid(s, len)) /* checked here: jansson need not check again */
		return json_stringn_nocheck(s, len);
	buf_init(&b, 3 * len + 1);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = lt_utf8_seq((const char *)p);
		if (n) {
			buf_add(&b, p, n);
			p += n;
		} else {
			buf_adds(&b, "\xEF\xBF\xBD");
			p++;
		}
	}
	j = buf_error(&b) ? NULL : json_string(buf_cstr(&b));
	buf_release(&b);
	return j;
}

size_t report_char(const char *s, const char **repl)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	*repl = NULL;
	if (*p < 0x20 || *p == 0x7f) {
		*repl = " ";
		return 1;
	}
	if (*p < 0x80)
		return 1;
	n = lt_utf8_seq((const char *)p);
	if (!n) {
		*repl = "\xEF\xBF\xBD";
		return 1;
	}
	/* U+2028..U+202E: E2 80 A8..AE; U+2066..U+2069: E2 81 A6..A9 */
	if (n == 3 && p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xa8 && p[2] <= 0xae) ||
				       (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
		*repl = "\xEF\xBF\xBD";
	return n;
}

/* purl component: keep unreserved characters, percent-encode the rest. */
static void purl_part(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			buf_addc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

char *report_purl(const struct lnode *n)
{
	const char *slash, *rev = report_node_rev(n);
	struct buf b;

	if (!record_is_hub_id(n->id) || strchr(n->id, '@'))
		return NULL;
	slash = strchr(n->id, '/');
	buf_init(&b, 4096);
	buf_adds(&b, "pkg:huggingface/");
	purl_part(&b, n->id, (size_t)(slash - n->id));
	buf_addc(&b, '/');
	purl_part(&b, slash + 1, strlen(slash + 1));
	if (rev) {
		buf_addc(&b, '@');
		purl_part(&b, rev, strlen(rev));
	}
	if (buf_error(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* The id of the first hop of a chain "model -> parent (relation) -> ...", or
 * NULL; caller frees. */
static char *chain_first_hop(const char *chain)
{
	const char *p = chain ? strstr(chain, " -> ") : NULL, *end;

	if (!p)
		return NULL;
	p += 4;
	end = strstr(p, " (");
	if (!end)
		end = strstr(p, " -> ");
	return lt_strndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* The line of r's card that names parent id (with or without "@rev"). */
static const struct where *parent_where(const struct model_record *r, const char *id)
{
	size_t n = strlen(id);

	for (size_t i = 0; r && id && i < r->nparents; i++) {
		const struct parent *p = &r->parents[i];
		if (p->id && p->at.file && (!strcmp(p->id, id) || (!strncmp(p->id, id, n) && p->id[n] == '@') ||
					    (!strncmp(id, p->id, strlen(p->id)) && id[strlen(p->id)] == '@')))
			return &p->at;
	}
	for (size_t i = 0; r && id && i < r->nprose_bases; i++)
		if (r->prose_bases[i].id && r->prose_bases[i].at.file && !strcmp(r->prose_bases[i].id, id))
			return &r->prose_bases[i].at;
	return NULL;
}

static int usable(const struct where *w)
{
	return w && w->file && *w->file && strcmp(w->file, "api") != 0;
}

static int has_license(const struct model_record *r, const char *id)
{
	const struct licdef *l[64];
	size_t k = r ? record_licenses(r, l, 64) : 0;

	for (size_t i = 0; i < k; i++)
		if (!strcmp(l[i]->id, id))
			return 1;
	return 0;
}

void report_locate(const struct model_report *m, const struct finding *f, const char **file, int *line)
{
	const struct model_record *r = m->node ? m->node->rec : NULL;
	const struct where *w = NULL;
	char *hop;

	if (f->file && *f->file && strcmp(f->file, "api") != 0) {
		*file = f->file;
		*line = f->line > 0 ? f->line : 1;
		return;
	}
	/* inherited: the card line that names the base it came through */
	hop = chain_first_hop(f->chain);
	if (hop)
		w = parent_where(r, hop);
	free(hop);
	/* about a license: the card line that declares it */
	for (size_t i = 0; !usable(w) && f->subject && r && i < r->ndeclared; i++)
		if ((r->declared[i].lic && !strcmp(r->declared[i].lic->id, f->subject)) ||
		    (r->declared[i].value && !strcmp(r->declared[i].value, f->subject)))
			w = &r->declared[i].at;
	/* about an ancestor, or a license one carries: the line naming its branch */
	for (size_t i = 0; !usable(w) && f->subject && i < m->nanc; i++) {
		const struct lnode *n = m->anc[i].node;
		if (!strcmp(n->id, f->subject) || has_license(n->rec, f->subject)) {
			hop = chain_first_hop(m->anc[i].chain);
			w = hop ? parent_where(r, hop) : NULL;
			free(hop);
		}
	}
	for (size_t i = 0; !usable(w) && r && i < r->ndeclared; i++)
		w = &r->declared[i].at;
	for (size_t i = 0; !usable(w) && r && i < r->nparents; i++)
		w = &r->parents[i].at;
	if (usable(w)) {
		*file = w->file;
		*line = w->line > 0 ? w->line : 1;
		return;
	}
	/* nothing in the card says it: the card's first line, where the fix goes */
	*file = "README.md";
	*line = 1;
}

char *report_redact(const char *s)
{
	struct buf b;
	const char *p = s;

	if (!s)
		return NULL;
	buf_init(&b, strlen(s) + 1);
	for (const char *sep; (sep = strstr(p, "://"));) {
		const char *auth = sep + 3, *end = auth + strcspn(auth, "/?#\\ \t\r\n\"'<>"), *at = NULL;
		for (const char *q = auth; q < end; q++)
			if (*q == '@')
				at = q;
		buf_add(&b, p, (size_t)(auth - p));
		p = at ? at + 1 : auth;
	}
	buf_adds(&b, p);
	if (buf_error(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

void report_put_safe(FILE *out, const char *s)
{
	while (s && *s) {
		const char *repl;
		size_t n = report_char(s, &repl);
		if (repl)
			fputs(repl, out);
		else
			fwrite(s, 1, n, out);
		s += n;
	}
}
