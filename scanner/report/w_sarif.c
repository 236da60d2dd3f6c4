/*
 * w_sarif.c - findings as SARIF 2.1.0, for code-scanning dashboards and PR
 * annotations. One run; the driver lists one rule per finding id that occurs
 * (title, why, fix as text and Markdown, default level, helpUri); each finding
 * is one result at a file and line (report_locate) relative to the repository
 * root (uriBaseId %SRCROOT%), with a partial fingerprint that does not move with
 * line numbers, so uploads of later runs update the same alerts. The run's
 * properties hold the overall verdict, each model's verdict and the summary
 * (summary.h, the JSON report's summary object). Built with
 * jansson and written once, at end, so the output is always one valid document.
 */
#include "report.h"
#include "summary.h"
#include "core/buf.h"
#include "core/digest.h"
#include "core/str.h"
#include "record/record.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

struct sarif {
	json_t *rules;   /* driver rules, in order of first use */
	json_t *index;   /* finding id -> rule index */
	json_t *results;
	json_t *models;  /* [{id, verdict}] for the run's properties */
	struct summary *sum; /* the run's properties: summary */
};

static const char *level(enum severity s)
{
	switch (s) {
	case SEV_ERROR: return "error";
	case SEV_WARNING: return "warning";
	case SEV_INFO: return "note";
	}
	return "error";
}

/* Every string that can come from a model repo goes through report_json_str. */
static json_t *text(const char *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "text", report_json_str(s ? s : ""));
	return o;
}

static json_t *jstr(const char *s)
{
	return report_json_str(s);
}

static json_t *obj1(const char *key, json_t *val)
{
	json_t *o = json_object();

	json_object_set_new(o, key, val);
	return o;
}

/* Percent-encode what may not appear in a URI path (RFC 3986: unreserved,
 * sub-delims, ':' '@' '/'); '%' itself is encoded, so a hostile file name cannot
 * smuggle an escape of its own. */
static void uri_path(struct buf *b, const char *s)
{
	static const char ok[] = "-._~!$&'()*+,;=:@/";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(ok, *p))
			buf_addc(b, (char)*p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

/* Append path's segments to the list in b (joined by '/'), dropping "." and
 * empty segments; ".." removes the previous one. -1 when ".." would leave the
 * root. */
static int add_segments(struct buf *b, const char *path)
{
	while (*path) {
		size_t n = strcspn(path, "/");
		if (n == 2 && !strncmp(path, "..", 2)) {
			char *slash;
			if (!b->len)
				return -1;
			slash = strrchr(buf_cstr(b), '/');
			buf_truncate(b, slash ? (size_t)(slash - buf_cstr(b)) : 0);
		} else if (n && !(n == 1 && path[0] == '.')) {
			if (b->len)
				buf_addc(b, '/');
			buf_add(b, path, n);
		}
		path += n + (path[n] == '/');
	}
	return 0;
}

/* The folder a local target is in, relative to the repository root (the
 * current directory), into b; -1 when the target is not a local folder under
 * it (a Hub id, a URL, an archive, a path elsewhere): its files are then named
 * relative to the model's own root. */
static int target_dir(struct buf *b, const struct model_record *r)
{
	const char *t = r && r->target ? r->target : NULL, *k = r ? r->source_kind : NULL;
	char cwd[4096];
	size_t n;

	if (!t || !*t || strstr(t, "://") || !k ||
	    (strcmp(k, "dir") && strcmp(k, "git") && strcmp(k, "mirror") && strcmp(k, "hf-cache")))
		return -1;
	if (t[0] != '/')
		return add_segments(b, t);
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	n = strlen(cwd);
	while (n > 1 && cwd[n - 1] == '/')
		n--;
	if (n == 1) /* the root folder */
		return add_segments(b, t);
	if (strncmp(t, cwd, n) || (t[n] && t[n] != '/'))
		return -1;
	return add_segments(b, t + n);
}

/* The artifact a finding points at, relative to the repository root (used
 * with uriBaseId %SRCROOT%): a local target's folder joined with the evidence
 * file, each segment percent-encoded; never absolute, never "./"-prefixed. */
static char *artifact_uri(const struct model_record *r, const char *file)
{
	struct buf dir, b;

	buf_init(&dir, 64 * 1024);
	buf_init(&b, 3 * 64 * 1024);
	if (target_dir(&dir, r)) {
		buf_release(&dir);
		buf_init(&dir, 64 * 1024);
	}
	if (add_segments(&dir, file) || !dir.len) {
		buf_release(&dir);
		buf_init(&dir, 4096);
		buf_adds(&dir, "README.md");
	}
	uri_path(&b, buf_cstr(&dir));
	buf_release(&dir);
	if (buf_error(&b)) {
		buf_release(&b);
		return lt_strdup("README.md");
	}
	return buf_detach(&b, NULL);
}

/* The rule's documentation: docs/REPORT.md has a heading per finding id, so
 * GitHub's anchor for it is the id itself. */
static json_t *help_uri(const char *id)
{
	char *u = lt_asprintf("%s#%s", REPORT_FINDINGS_URI, id);
	json_t *j = report_json_str(u);

	free(u);
	return j;
}

/* Rule help: plain text, and Markdown for viewers that render it. */
static json_t *help(const struct finding_def *d)
{
	json_t *o = text(d->fix);
	char *md = lt_asprintf("**%s**\n\n%s\n\n**How to fix:** %s\n\n[Documentation](%s#%s)",
			       d->title ? d->title : d->id, d->why ? d->why : "", d->fix ? d->fix : "",
			       REPORT_FINDINGS_URI, d->id);

	json_object_set_new(o, "markdown", report_json_str(md));
	free(md);
	return o;
}

/* A rule's friendly name: its id in PascalCase ("parent-unresolved" is
 * "ParentUnresolved"). */
static json_t *rule_name(const char *id)
{
	struct buf b;
	json_t *j;
	int up = 1;

	buf_init(&b, 1024);
	for (const char *p = id; *p; p++) {
		if (*p == '-' || *p == '_' || *p == '.') {
			up = 1;
			continue;
		}
		buf_addc(&b, up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
		up = 0;
	}
	j = report_json_str(buf_error(&b) ? id : buf_cstr(&b));
	buf_release(&b);
	return j;
}

/* Stable across runs and edits of the card: a hash of what the finding is
 * about, never of where it was shown. */
static json_t *fingerprint(const char *model, const struct finding *f)
{
	struct lt_sha256 c;
	unsigned char d[LT_SHA256_LEN];
	char hex[2 * LT_SHA256_LEN + 1];
	const char *parts[4] = { f->def->id, model, f->subject, f->chain };

	lt_sha256_init(&c);
	for (int i = 0; i < 4; i++) {
		/* a NUL between fields, and a marker for "absent", so no two
		 * different tuples hash alike */
		if (parts[i])
			lt_sha256_update(&c, parts[i], strlen(parts[i]) + 1);
		else
			lt_sha256_update(&c, "\xff", 1);
	}
	lt_sha256_final(&c, d);
	lt_hex(d, sizeof(d), hex);
	return json_pack("{s:s}", "lictrace/v1", hex);
}

static json_int_t rule_index(struct sarif *s, const struct finding_def *d)
{
	json_t *have = json_object_get(s->index, d->id);
	json_t *rule;

	if (have)
		return json_integer_value(have);
	rule = json_object();
	json_object_set_new(rule, "id", jstr(d->id));
	json_object_set_new(rule, "name", rule_name(d->id));
	json_object_set_new(rule, "shortDescription", text(d->title));
	json_object_set_new(rule, "fullDescription", text(d->why));
	json_object_set_new(rule, "helpUri", help_uri(d->id));
	json_object_set_new(rule, "help", help(d));
	json_object_set_new(rule, "defaultConfiguration", json_pack("{s:s}", "level", level(d->severity)));
	json_array_append_new(s->rules, rule);
	json_object_set_new_nocheck(s->index, d->id, json_integer((json_int_t)json_array_size(s->rules) - 1));
	return (json_int_t)json_array_size(s->rules) - 1;
}

static int s_begin(struct report_writer *w, const struct report_ctx *ctx)
{
	struct sarif *s = calloc(1, sizeof(*s));

	w->ctx = ctx;
	w->impl = s;
	if (!s)
		return -1;
	s->rules = json_array();
	s->index = json_object();
	s->results = json_array();
	s->models = json_array();
	s->sum = summary_new(ctx->db);
	return s->rules && s->index && s->results && s->models && s->sum ? 0 : -1;
}

static int s_model(struct report_writer *w, const struct model_report *m, const struct lgraph *g)
{
	struct sarif *s = w->impl;
	const struct model_record *r = m->node->rec;
	json_t *mo;

	(void)g;
	if (!s)
		return -1;
	summary_add_report(s->sum, m); /* out of memory: the summary says it is incomplete */
	mo = obj1("id", jstr(m->node->id));
	json_object_set_new(mo, "verdict", json_string(verdict_name(m->verdict)));
	json_array_append_new(s->models, mo);
	for (size_t i = 0; i < m->nf; i++) {
		const struct finding *f = &m->f[i];
		json_t *res = json_object(), *loc = json_object(), *phys = json_object(), *props;
		const char *file;
		int line;
		char *uri;

		report_locate(m, f, &file, &line);
		uri = artifact_uri(r, file);

		json_object_set_new(res, "ruleId", jstr(f->def->id));
		json_object_set_new(res, "ruleIndex", json_integer(rule_index(s, f->def)));
		json_object_set_new(res, "level", json_string(level(f->severity)));
		json_object_set_new(res, "message", text(f->message));
		json_object_set_new(phys, "artifactLocation",
				    json_pack("{s:o, s:s}", "uri", jstr(uri ? uri : "README.md"),
					      "uriBaseId", "%SRCROOT%"));
		json_object_set_new(phys, "region", json_pack("{s:i}", "startLine", line));
		json_object_set_new(loc, "physicalLocation", phys);
		json_object_set_new(res, "locations", json_pack("[o]", loc));
		free(uri);
		json_object_set_new(res, "partialFingerprints", fingerprint(m->node->id, f));
		if (f->exception) {
			/* accepted by a policy exception: viewers show it as suppressed */
			json_t *sup = obj1("kind", json_string("external"));
			json_object_set_new(sup, "justification", jstr(f->exception));
			json_object_set_new(res, "suppressions", json_pack("[o]", sup));
		}
		props = json_object();
		json_object_set_new(props, "model", jstr(m->node->id));
		json_object_set_new(props, "subject", jstr(f->subject));
		json_object_set_new(props, "chain", jstr(f->chain));
		json_object_set_new(props, "verdict", json_string(verdict_name(m->verdict)));
		json_object_set_new(props, "incomplete", json_boolean(f->incomplete));
		json_object_set_new(res, "properties", props);
		json_array_append_new(s->results, res);
	}
	return 0;
}

static int s_end(struct report_writer *w, enum verdict overall)
{
	struct sarif *s = w->impl;
	json_t *root, *driver, *run, *props;
	int rc;

	if (!s)
		return -1;
	root = json_object();
	driver = json_object();
	run = json_object();
	json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(driver, "name", json_string("lictrace"));
	json_object_set_new(driver, "fullName", json_string("lictrace license-compliance scanner for AI models"));
	json_object_set_new(driver, "version", json_string(w->ctx->version ? w->ctx->version : "0"));
	json_object_set_new(driver, "informationUri", json_string(REPORT_INFO_URI));
	json_object_set(driver, "rules", s->rules);
	json_object_set_new(run, "tool", json_pack("{s:o}", "driver", driver));
	/* the category code scanning files these alerts under */
	json_object_set_new(run, "automationDetails", json_pack("{s:s}", "id", "lictrace/"));
	json_object_set(run, "results", s->results);
	props = json_object();
	json_object_set_new(props, "verdict", json_string(verdict_name(overall)));
	if (w->ctx->jurisdiction)
		json_object_set_new(props, "jurisdiction", json_string(w->ctx->jurisdiction));
	json_object_set(props, "models", s->models);
	json_object_set_new(props, "summary", summary_json(s->sum)); /* as in the JSON report */
	json_object_set_new(run, "properties", props);
	json_object_set_new(root, "runs", json_pack("[o]", run));
	rc = json_dumpf(root, w->ctx->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', w->ctx->out);
	json_decref(root);
	return rc;
}

static void s_free(struct report_writer *w)
{
	struct sarif *s = w->impl;

	if (s) {
		json_decref(s->rules);
		json_decref(s->index);
		json_decref(s->results);
		json_decref(s->models);
		summary_free(s->sum);
	}
	free(s);
}

struct report_writer *report_sarif_new(void)
{
	return report_writer_make("sarif", s_begin, s_model, s_end, s_free);
}
