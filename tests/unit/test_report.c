/* test_report.c - every report writer on a small hand-built scan: a model with two
 * parents (one licensed, one unresolved) and a hostile model whose id and
 * license value carry HTML, quotes, pipes and invalid UTF-8. JSON-family
 * output is parsed back and checked field by field; html, markdown and dot are
 * checked for escaping and structure. */
#include "tap.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/str.h"
#include "lineage/graph.h"
#include "lineage/resolver.h"
#include "record/record.h"
#include "report/csv.h"
#include "report/jstream.h"
#include "report/report.h"
#include "report/summary.h"

#include <jansson.h>
#include <strings.h>
#include <unistd.h>

#define HOSTILE_ID "evil/<script>alert(1)</script>"
#define HOSTILE_PARENT "quote/\"x\\"
#define NOW 1700000000 /* 2023-11-14T22:13:20Z */

static struct licensedb *db;

static void free_db(void)
{
	licensedb_free(db);
}

/* The license data, loaded once for every test (each test can run alone). */
static void load_db(void)
{
	const char *roots[] = { LT_SOURCE_DIR };
	struct lt_error err;

	if (db)
		return;
	CHECK(licensedb_load(&db, roots, 1, &err) == 0);
	CHECK(db && licensedb_get(db, "llama3") && licensedb_get(db, "apache-2.0"));
	atexit(free_db);
}

static void where_set(struct where *w, const char *file, int line, const char *field)
{
	w->file = lt_strdup(file);
	w->line = line;
	w->field = lt_strdup(field);
}

static struct model_record *rec_new(const char *id, const char *target, const char *rev)
{
	struct model_record *r = calloc(1, sizeof(*r));

	r->id = lt_strdup(id);
	r->name = lt_strdup(strchr(id, '/') ? strchr(id, '/') + 1 : id);
	r->target = lt_strdup(target);
	r->source_kind = lt_strdup("dir");
	r->revision = lt_strdup(rev);
	r->has_card = 1;
	return r;
}

static void rec_declare(struct model_record *r, const char *value, int line)
{
	struct declared *d;

	r->declared = realloc(r->declared, (r->ndeclared + 1) * sizeof(*r->declared));
	d = &r->declared[r->ndeclared++];
	memset(d, 0, sizeof(*d));
	d->value = lt_strdup(value);
	d->lic = licensedb_lookup(db, value);
	where_set(&d->at, "README.md", line, "license");
}

static void rec_parent(struct model_record *r, const char *id, const char *relation, int inferred)
{
	struct parent *p;

	r->parents = realloc(r->parents, (r->nparents + 1) * sizeof(*r->parents));
	p = &r->parents[r->nparents++];
	memset(p, 0, sizeof(*p));
	p->id = lt_strdup(id);
	p->relation = lt_strdup(relation);
	p->inferred = inferred;
	where_set(&p->at, "README.md", 4, "base_model");
}

/* Only base/licensed exists; everything else is unresolved. */
static int mem_resolve(struct resolver *res, const char *id, const char *rev,
		       struct model_record **out, struct lt_error *err)
{
	(void)res;
	(void)rev;
	if (!strcmp(id, "base/licensed")) {
		*out = rec_new(id, id, "def456");
		rec_declare(*out, "llama3", 3);
		return 0;
	}
	if (!strcmp(id, "cyc/b")) {
		*out = rec_new(id, id, NULL);
		rec_declare(*out, "mit", 3);
		rec_parent(*out, "cyc/a", "finetune", 0);
		return 0;
	}
	return lt_error_set(err, LT_ENOTFOUND, NULL, 0, "'%s' is not on the hub", id);
}

static struct resolver mem = { "memory", mem_resolve, NULL, NULL, NULL, NULL };

struct scan {
	struct lgraph g;
	struct model_report m[2];
};

static void report_for(struct model_report *m, struct lgraph *g, struct lnode *root)
{
	const struct licdef *l[8];
	struct ob_input in[8];
	size_t nl, nin = 0;

	memset(m, 0, sizeof(*m));
	m->node = root;
	CHECK(lgraph_ancestors(g, root, &m->anc, &m->nanc) == 0);
	nl = record_licenses(root->rec, l, 8);
	m->own = calloc(nl + 1, sizeof(*m->own));
	for (size_t i = 0; i < nl; i++) {
		m->own[m->nown++] = l[i];
		in[nin++] = (struct ob_input){ l[i], root->id, NULL, 1 };
	}
	m->effective = calloc(8, sizeof(*m->effective));
	for (size_t i = 0; i < nl; i++)
		m->effective[m->neffective++] = l[i];
	for (size_t i = 0; i < m->nanc && nin < 8; i++) {
		const struct licdef *al[8];
		size_t k = m->anc[i].node->rec ? record_licenses(m->anc[i].node->rec, al, 8) : 0;
		for (size_t j = 0; j < k && nin < 8; j++) {
			int dup = 0;
			in[nin++] = (struct ob_input){ al[j], m->anc[i].node->id, m->anc[i].chain, 0 };
			for (size_t e = 0; e < m->neffective; e++)
				dup |= m->effective[e] == al[j];
			if (!dup && m->neffective < 8)
				m->effective[m->neffective++] = al[j];
		}
	}
	CHECK(obligations_compute(&m->ob, in, nin) == 0);
}

static int scan_build(struct scan *s)
{
	struct model_record *a, *b;
	struct lnode *ra, *rb;
	struct lt_error err;
	struct finding *f;

	memset(s, 0, sizeof(*s));
	load_db();
	if (lgraph_init(&s->g, &mem, 10))
		return -1;
	a = rec_new("org/child", "fixtures/child", "abc123");
	rec_declare(a, "apache-2.0", 2);
	rec_parent(a, "base/licensed", "finetune", 0);
	rec_parent(a, "gone/missing", "adapter", 1);
	b = rec_new(HOSTILE_ID, "evil dir", NULL);
	rec_declare(b, "a|b \"c\" <i>x</i> \xff", 2);
	rec_parent(b, HOSTILE_PARENT, "merge", 0);
	if (lgraph_add_root(&s->g, a, &ra) || lgraph_expand(&s->g, ra, &err) ||
	    lgraph_add_root(&s->g, b, &rb) || lgraph_expand(&s->g, rb, &err))
		return -1;

	report_for(&s->m[0], &s->g, ra);
	f = findings_add(&s->m[0], db, "relicensed-restricted-base", "llama3", "README.md", 2,
			 "org/child -> base/licensed (finetune)", "relicensed llama3 as apache-2.0");
	CHECK(f != NULL);
	f = findings_add(&s->m[0], db, "parent-unresolved", "gone/missing", "README.md", 4,
			 "org/child -> gone/missing (adapter)", "gone/missing cannot be resolved");
	CHECK(f != NULL);
	if (f) {
		f->incomplete = 1;
		f->severity = SEV_WARNING; /* as a policy exception leaves it */
		f->exception = lt_strdup("approved by legal, ticket 42");
	}
	s->m[0].verdict = VERDICT_FAIL;

	report_for(&s->m[1], &s->g, rb);
	f = findings_add(&s->m[1], db, "unknown-declared-license", "a|b", "README.md", 2, NULL,
			 "'%s' is not a license lictrace knows", rb->rec->declared[0].value);
	CHECK(f != NULL);
	s->m[1].verdict = VERDICT_REVIEW;
	return 0;
}

/* cyc/a -> cyc/b -> cyc/a: one scanned model whose lineage loops. */
static int scan_cycle(struct scan *s)
{
	struct model_record *a;
	struct lnode *ra;
	struct lt_error err;

	memset(s, 0, sizeof(*s));
	load_db();
	if (lgraph_init(&s->g, &mem, 10))
		return -1;
	a = rec_new("cyc/a", "cyc-a", NULL);
	rec_declare(a, "apache-2.0", 2);
	rec_parent(a, "cyc/b", "quantized", 0);
	if (lgraph_add_root(&s->g, a, &ra) || lgraph_expand(&s->g, ra, &err))
		return -1;
	report_for(&s->m[0], &s->g, ra);
	s->m[0].verdict = VERDICT_PASS;
	return 0;
}

static void scan_free(struct scan *s)
{
	model_report_release(&s->m[0]);
	model_report_release(&s->m[1]);
	lgraph_release(&s->g);
}

/* Run one writer over the scan into memory; caller frees. */
static char *run(const char *format, struct scan *s, size_t nmodels)
{
	struct report_writer *w = report_writer_new(format);
	struct report_ctx ctx;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	CHECK(w != NULL);
	CHECK(f != NULL);
	if (!w || !f) {
		report_writer_free(w);
		if (f)
			fclose(f);
		free(out);
		return NULL;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.out = f;
	ctx.version = "9.9.9";
	ctx.now = NOW;
	CHECK_EQ_INT(w->begin(w, &ctx), 0);
	for (size_t i = 0; i < nmodels; i++)
		CHECK_EQ_INT(w->model(w, &s->m[i], &s->g), 0);
	CHECK_EQ_INT(w->end(w, nmodels ? VERDICT_FAIL : VERDICT_PASS), 0);
	report_writer_free(w);
	fclose(f);
	return out;
}

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = text ? json_loads(text, 0, &e) : NULL;

	if (!j && text)
		fprintf(stderr, "  parse error line %d: %s\n", e.line, e.text);
	CHECK(j != NULL);
	return j;
}

static const char *sget(const json_t *o, const char *path)
{
	char key[128];
	const json_t *cur = o;

	/* "a.b.0.c": object keys and array indexes */
	while (cur && *path) {
		size_t n = strcspn(path, ".");
		lt_strlcpy(key, path, n + 1 < sizeof(key) ? n + 1 : sizeof(key));
		if (json_is_array(cur))
			cur = json_array_get(cur, strtoul(key, NULL, 10));
		else
			cur = json_object_get(cur, key);
		path += n + (path[n] == '.');
	}
	return json_string_value(cur);
}

static json_t *find_by(json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_string_value(json_object_get(v, key)) &&
		    !strcmp(json_string_value(json_object_get(v, key)), value))
			return v;
	return NULL;
}

static const char *prop(json_t *component, const char *name)
{
	json_t *p = find_by(json_object_get(component, "properties"), "name", name);
	return p ? json_string_value(json_object_get(p, "value")) : NULL;
}

static const char *const all_formats[] = { "text", "json", "sarif", "cyclonedx", "spdx",
					    "spdx2", "markdown", "html", "dot", "csv", NULL };

static void test_formats_listed(void)
{
	static const char *const all[] = { "text", "json", "sarif", "cyclonedx", "spdx",
					   "spdx3", "spdx2", "markdown", "html", "dot", "csv", NULL };

	for (int i = 0; all[i]; i++) {
		struct report_writer *w = report_writer_new(all[i]);
		CHECK(w != NULL);
		CHECK(strstr(report_formats(), all[i]) != NULL);
		if (w)
			CHECK_STR(w->name, all[i]);
		report_writer_free(w);
	}
	CHECK(report_writer_new("pdf") == NULL);
}

static void test_sarif(void)
{
	struct scan s;
	char *out;
	json_t *j, *run0, *rules, *results, *r;
	size_t i;

	CHECK(scan_build(&s) == 0);
	out = run("sarif", &s, 2);
	j = parse(out);
	CHECK_STR(sget(j, "version"), "2.1.0");
	CHECK(sget(j, "$schema") && strstr(sget(j, "$schema"), "sarif-2.1.0"));
	run0 = json_array_get(json_object_get(j, "runs"), 0);
	CHECK_STR(sget(run0, "tool.driver.name"), "lictrace");
	CHECK_STR(sget(run0, "tool.driver.version"), "9.9.9");
	CHECK(sget(run0, "tool.driver.informationUri") != NULL);
	rules = json_object_get(json_object_get(json_object_get(run0, "tool"), "driver"), "rules");
	results = json_object_get(run0, "results");
	CHECK_EQ_INT(json_array_size(rules), 3);
	CHECK_EQ_INT(json_array_size(results), s.m[0].nf + s.m[1].nf);
	r = find_by(rules, "id", "parent-unresolved");
	CHECK(r != NULL);
	CHECK(sget(r, "shortDescription.text") && *sget(r, "shortDescription.text"));
	CHECK(sget(r, "fullDescription.text") && *sget(r, "fullDescription.text"));
	CHECK(sget(r, "help.text") && *sget(r, "help.text"));
	CHECK(sget(r, "help.markdown") && strstr(sget(r, "help.markdown"), "**How to fix:**"));
	CHECK_STR(sget(r, "helpUri"), REPORT_FINDINGS_URI "#parent-unresolved");
	CHECK(sget(r, "defaultConfiguration.level") != NULL);
	/* each result's ruleIndex names its rule */
	json_array_foreach(results, i, r) {
		json_t *rule = json_array_get(rules, (size_t)json_integer_value(json_object_get(r, "ruleIndex")));
		const char *uri = sget(r, "locations.0.physicalLocation.artifactLocation.uri");
		CHECK_STR(sget(rule, "id"), sget(r, "ruleId"));
		CHECK(sget(r, "message.text") != NULL);
		/* every result: a relative file and a line, and a fingerprint */
		CHECK_STR(sget(r, "locations.0.physicalLocation.artifactLocation.uriBaseId"), "%SRCROOT%");
		CHECK(uri && *uri && uri[0] != '/' && !lt_starts_with(uri, "./") && !strstr(uri, "://"));
		CHECK(json_integer_value(json_object_get(json_object_get(json_object_get(json_array_get(
			json_object_get(r, "locations"), 0), "physicalLocation"), "region"), "startLine")) >= 1);
		CHECK(sget(r, "partialFingerprints.lictrace/v1") &&
		      strlen(sget(r, "partialFingerprints.lictrace/v1")) == 64);
	}
	r = find_by(results, "ruleId", "relicensed-restricted-base");
	CHECK_STR(sget(r, "level"), "error");
	CHECK_STR(sget(r, "locations.0.physicalLocation.artifactLocation.uri"), "fixtures/child/README.md");
	CHECK_EQ_INT(json_integer_value(json_object_get(
			     json_object_get(json_object_get(json_array_get(json_object_get(r, "locations"), 0),
							     "physicalLocation"), "region"), "startLine")), 2);
	CHECK_STR(sget(r, "properties.model"), "org/child");
	CHECK_STR(sget(r, "properties.chain"), "org/child -> base/licensed (finetune)");
	CHECK_STR(sget(r, "properties.verdict"), "fail");
	CHECK(json_object_get(r, "suppressions") == NULL);
	r = find_by(results, "ruleId", "parent-unresolved");
	/* the result has the finding's effective level, the rule its default */
	CHECK_STR(sget(r, "level"), "warning");
	CHECK_STR(sget(find_by(rules, "id", "parent-unresolved"), "defaultConfiguration.level"), "error");
	CHECK_STR(sget(r, "suppressions.0.kind"), "external");
	CHECK_STR(sget(r, "suppressions.0.justification"), "approved by legal, ticket 42");
	/* the hostile model: URI encoded, message kept (invalid UTF-8 replaced) */
	r = find_by(results, "ruleId", "unknown-declared-license");
	CHECK_STR(sget(r, "locations.0.physicalLocation.artifactLocation.uri"), "evil%20dir/README.md");
	CHECK_STR(sget(r, "properties.model"), HOSTILE_ID);
	CHECK(sget(r, "message.text") && strstr(sget(r, "message.text"), "\xEF\xBF\xBD"));
	CHECK_STR(sget(run0, "properties.verdict"), "fail");
	json_decref(j);
	free(out);
	scan_free(&s);
}

static json_t *sarif_result(const char *out, const char *rule, const char *subject)
{
	json_t *j = parse(out), *res, *r, *hit = NULL;
	size_t i;

	res = json_object_get(json_array_get(json_object_get(j, "runs"), 0), "results");
	json_array_foreach(res, i, r)
		if (!strcmp(sget(r, "ruleId"), rule) && (!subject || !strcmp(sget(r, "properties.subject"), subject)))
			hit = json_incref(r);
	json_decref(j);
	CHECK(hit != NULL);
	return hit;
}

static int start_line(json_t *r)
{
	return (int)json_integer_value(json_object_get(json_object_get(json_object_get(
		json_array_get(json_object_get(r, "locations"), 0), "physicalLocation"), "region"), "startLine"));
}

/* Inherited findings have no file: they point at the card line naming the base
 * (or declaring the license); URIs are relative to the repository root whatever
 * the target looks like; fingerprints ignore lines. */
static void test_sarif_locations(void)
{
	static const struct { const char *target, *kind, *uri; } t[] = {
		{ "./fixtures//child/.", "dir", "fixtures/child/README.md" },
		{ ".", "dir", "README.md" },
		{ "../elsewhere/m", "dir", "README.md" },
		{ "org/child", "hub", "README.md" },
		{ "https://user:pw@example.com/m.git", "git", "README.md" },
		{ "/nowhere/under/cwd", "dir", "README.md" },
		{ "m.tar.gz", "archive", "README.md" },
	};
	struct scan s;
	struct model_record *rec;
	struct finding *f;
	char *out, *cwd, fp1[65] = "", fp2[65] = "";
	json_t *r;

	CHECK(scan_build(&s) == 0);
	rec = s.m[0].node->rec;
	f = findings_add(&s.m[0], db, "missing-license-copy", "llama3", NULL, 0,
			 "org/child -> base/licensed (finetune)", "no copy of llama3");
	CHECK(f != NULL);
	f = findings_add(&s.m[0], db, "missing-notice", "apache-2.0", "api", 0, NULL, "no notice");
	CHECK(f != NULL);
	out = run("sarif", &s, 1);
	r = sarif_result(out, "missing-license-copy", NULL);
	CHECK_STR(sget(r, "locations.0.physicalLocation.artifactLocation.uri"), "fixtures/child/README.md");
	CHECK_EQ_INT(start_line(r), 4); /* base_model: base/licensed */
	lt_strlcpy(fp1, sget(r, "partialFingerprints.lictrace/v1") ? sget(r, "partialFingerprints.lictrace/v1") : "", sizeof(fp1));
	json_decref(r);
	r = sarif_result(out, "missing-notice", NULL);
	CHECK_EQ_INT(start_line(r), 2); /* license: apache-2.0 */
	json_decref(r);
	free(out);

	/* the card moved the base down a line: same alert */
	rec->parents[0].at.line = 9;
	out = run("sarif", &s, 1);
	r = sarif_result(out, "missing-license-copy", NULL);
	CHECK_EQ_INT(start_line(r), 9);
	lt_strlcpy(fp2, sget(r, "partialFingerprints.lictrace/v1") ? sget(r, "partialFingerprints.lictrace/v1") : "", sizeof(fp2));
	CHECK(fp1[0] && !strcmp(fp1, fp2));
	r = (json_decref(r), sarif_result(out, "relicensed-restricted-base", NULL));
	CHECK(strcmp(sget(r, "partialFingerprints.lictrace/v1"), fp1) != 0);
	json_decref(r);
	free(out);

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		free(rec->target);
		free(rec->source_kind);
		rec->target = lt_strdup(t[i].target);
		rec->source_kind = lt_strdup(t[i].kind);
		out = run("sarif", &s, 1);
		r = sarif_result(out, "relicensed-restricted-base", NULL);
		CHECK_STR(sget(r, "locations.0.physicalLocation.artifactLocation.uri"), t[i].uri);
		CHECK(out && !strstr(out, "pw@") && !strstr(out, "file:"));
		json_decref(r);
		free(out);
	}
	/* an absolute folder under the current directory is named relative to it */
	cwd = getcwd(NULL, 0);
	free(rec->target);
	rec->target = lt_asprintf("%s/sub/m", cwd);
	free(rec->source_kind);
	rec->source_kind = lt_strdup("dir");
	free(cwd);
	out = run("sarif", &s, 1);
	r = sarif_result(out, "relicensed-restricted-base", NULL);
	CHECK_STR(sget(r, "locations.0.physicalLocation.artifactLocation.uri"), "sub/m/README.md");
	json_decref(r);
	free(out);
	scan_free(&s);
}

/* Every finding id has its own heading in docs/REPORT.md: the SARIF helpUri. */
static void test_finding_docs(void)
{
	struct buf b;
	struct lt_error err;

	buf_init(&b, 1 << 20);
	CHECK(lt_read_file(&b, LT_SOURCE_DIR "/docs/REPORT.md", 1 << 20, &err) == 0);
	for (size_t i = 0; findings_ids[i]; i++) {
		char *h = lt_asprintf("\n### `%s`\n", findings_ids[i]);
		if (!strstr(buf_cstr(&b), h))
			fprintf(stderr, "  docs/REPORT.md has no heading for %s\n", findings_ids[i]);
		CHECK(strstr(buf_cstr(&b), h) != NULL);
		free(h);
	}
	buf_release(&b);
}

/* The JSON report keeps every field of the hostile model (bad UTF-8 becomes
 * U+FFFD instead of the field going missing) and never shows credentials. */
static void test_json(void)
{
	struct scan s;
	char *out;
	json_t *j;

	CHECK(scan_build(&s) == 0);
	free(s.m[0].node->rec->target);
	s.m[0].node->rec->target = lt_strdup("https://user:secret@example.com/org/child.git");
	/* no format shows the URL target's password */
	for (int i = 0; all_formats[i]; i++) {
		out = run(all_formats[i], &s, 2);
		if (out && strstr(out, "secret"))
			fprintf(stderr, "  --format %s shows the password\n", all_formats[i]);
		CHECK(out && !strstr(out, "secret"));
		free(out);
	}
	out = run("json", &s, 2);
	j = parse(out);
	CHECK_STR(sget(j, "models.0.source.target"), "https://example.com/org/child.git");
	CHECK(sget(j, "models.1.declared.0.value") && strstr(sget(j, "models.1.declared.0.value"), "\xEF\xBF\xBD"));
	CHECK_STR(sget(j, "models.1.id"), HOSTILE_ID);
	json_decref(j);
	free(out);
	scan_free(&s);
}

/* SOURCE_DATE_EPOCH fixes the time and the document ids; malformed, it is
 * ignored; unset, ids are random. */
static void test_source_date(void)
{
	char ts[32], a[40], b[40];
	struct report_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	setenv("SOURCE_DATE_EPOCH", "1600000000", 1);
	report_timestamp(&ctx, ts, sizeof(ts));
	CHECK_STR(ts, "2020-09-13T12:26:40Z");
	report_doc_uuid("doc", a, sizeof(a));
	report_doc_uuid("doc", b, sizeof(b));
	CHECK_STR(a, b);
	CHECK_EQ_INT(strlen(a), 36);
	CHECK(a[14] == '5' && strchr("89ab", a[19]));
	report_doc_uuid("other doc", b, sizeof(b));
	CHECK(strcmp(a, b) != 0);
	ctx.now = NOW; /* an explicit time wins */
	report_timestamp(&ctx, ts, sizeof(ts));
	CHECK_STR(ts, "2023-11-14T22:13:20Z");
	ctx.now = 0;
	setenv("SOURCE_DATE_EPOCH", "16e8", 1);
	report_timestamp(&ctx, ts, sizeof(ts));
	CHECK(strcmp(ts, "2020-09-13T12:26:40Z") != 0);
	unsetenv("SOURCE_DATE_EPOCH");
	report_doc_uuid("doc", a, sizeof(a));
	report_doc_uuid("doc", b, sizeof(b));
	CHECK(strcmp(a, b) != 0 && a[14] == '4');
}

static void test_cyclonedx(void)
{
	struct scan s;
	char *out;
	json_t *j, *comps, *c, *anc, *dep;

	CHECK(scan_build(&s) == 0);
	out = run("cyclonedx", &s, 2);
	j = parse(out);
	CHECK_STR(sget(j, "bomFormat"), "CycloneDX");
	CHECK_STR(sget(j, "specVersion"), "1.6");
	CHECK(sget(j, "serialNumber") && lt_starts_with(sget(j, "serialNumber"), "urn:uuid:") &&
	      strlen(sget(j, "serialNumber")) == 45);
	CHECK_STR(sget(j, "metadata.timestamp"), "2023-11-14T22:13:20Z");
	CHECK_STR(sget(j, "metadata.tools.components.0.name"), "lictrace");
	comps = json_object_get(j, "components");
	/* org/child, base/licensed, gone/missing, the hostile model, its parent: once each */
	CHECK_EQ_INT(json_array_size(comps), 5);

	c = find_by(comps, "name", "org/child");
	CHECK(c != NULL);
	CHECK_STR(sget(c, "type"), "machine-learning-model");
	CHECK_STR(sget(c, "version"), "abc123");
	CHECK_STR(sget(c, "purl"), "pkg:huggingface/org/child@abc123");
	CHECK_STR(sget(c, "licenses.0.license.id"), "Apache-2.0");
	CHECK_STR(sget(c, "licenses.0.license.acknowledgement"), "declared");
	/* what binds it: its own license and the one it inherits */
	CHECK_EQ_INT(json_array_size(json_object_get(c, "licenses")), 3);
	CHECK_STR(sget(c, "licenses.1.license.id"), "Apache-2.0");
	CHECK_STR(sget(c, "licenses.1.license.acknowledgement"), "concluded");
	CHECK_STR(sget(c, "licenses.2.license.name"), licensedb_get(db, "llama3")->name);
	CHECK_STR(sget(c, "licenses.2.license.acknowledgement"), "concluded");
	CHECK(s.m[0].ob.n > 0);
	for (size_t i = 0; i < s.m[0].ob.n; i++) {
		const struct eff_ob *e = &s.m[0].ob.v[i];
		char *name = lt_asprintf("lictrace:obligation:%s", ob_kind_name(e->ob->kind));
		CHECK(prop(c, name) != NULL);
		free(name);
	}
	/* two scanned models: no single subject */
	CHECK(json_object_get(json_object_get(j, "metadata"), "component") == NULL);
	anc = json_object_get(json_object_get(c, "pedigree"), "ancestors");
	CHECK_EQ_INT(json_array_size(anc), 2);
	CHECK(find_by(anc, "name", "base/licensed") != NULL);
	CHECK(find_by(anc, "name", "gone/missing") != NULL);
	CHECK_STR(prop(c, "lictrace:verdict"), "fail");
	CHECK_STR(prop(c, "lictrace:findings:error"), "1");
	CHECK_STR(prop(c, "lictrace:findings:warning"), "1");
	CHECK_STR(prop(c, "lictrace:status"), "ok");

	c = find_by(comps, "name", "base/licensed");
	CHECK(c != NULL);
	CHECK_STR(sget(c, "version"), "def456");
	/* a LicenseRef is not an SPDX list id: by name */
	CHECK(json_object_get(json_object_get(json_array_get(json_object_get(c, "licenses"), 0), "license"),
			      "id") == NULL);
	CHECK_STR(sget(c, "licenses.0.license.name"), licensedb_get(db, "llama3")->name);
	CHECK(prop(c, "lictrace:verdict") == NULL);

	c = find_by(comps, "name", "gone/missing");
	CHECK(c != NULL);
	CHECK_STR(prop(c, "lictrace:status"), "unresolved");
	CHECK(prop(c, "lictrace:error") != NULL);

	c = find_by(comps, "name", HOSTILE_ID);
	CHECK(c != NULL);
	CHECK(json_object_get(c, "purl") == NULL);
	CHECK(sget(c, "licenses.0.license.name") &&
	      strstr(sget(c, "licenses.0.license.name"), "a|b \"c\""));
	CHECK_STR(prop(c, "lictrace:verdict"), "review");
	CHECK(find_by(comps, "name", HOSTILE_PARENT) != NULL);

	dep = find_by(json_object_get(j, "dependencies"), "ref", "org/child");
	CHECK(dep != NULL);
	CHECK_EQ_INT(json_array_size(json_object_get(dep, "dependsOn")), 2);
	json_decref(j);
	free(out);
	scan_free(&s);
}

/* `license: other` with a license_name lictrace does not know: that named
 * license (with the card's link, credentials removed), never "Other". */
static void test_cyclonedx_other(void)
{
	struct scan s;
	struct model_record *a;
	struct lnode *ra;
	struct lt_error err;
	char *out;
	json_t *j, *lics, *l;
	size_t i;

	memset(&s, 0, sizeof(s));
	load_db();
	CHECK(lgraph_init(&s.g, &mem, 10) == 0);
	a = rec_new("acme/m", "m", NULL);
	rec_declare(a, "other", 2);
	rec_declare(a, "acme-model-license", 3);
	free(a->declared[1].at.field);
	a->declared[1].at.field = lt_strdup("license_name");
	a->declared[1].lic = NULL;
	a->other_declared = a->has_license_name = a->has_license_link = 1;
	a->license_link = lt_strdup("https://user:secret@example.com/acme/LICENSE");
	CHECK(lgraph_add_root(&s.g, a, &ra) == 0 && lgraph_expand(&s.g, ra, &err) == 0);
	report_for(&s.m[0], &s.g, ra);
	out = run("cyclonedx", &s, 1);
	CHECK(out && !strstr(out, "secret") && !strstr(out, "\"Other\""));
	j = parse(out);
	lics = json_object_get(json_object_get(json_object_get(j, "metadata"), "component"), "licenses");
	CHECK(json_array_size(lics) >= 2);
	json_array_foreach(lics, i, l) {
		CHECK_STR(sget(l, "license.name"), "acme-model-license");
		CHECK_STR(sget(l, "license.url"), "https://example.com/acme/LICENSE");
	}
	CHECK_STR(sget(lics, "0.license.acknowledgement"), "declared");
	CHECK_STR(sget(lics, "1.license.acknowledgement"), "concluded");
	json_decref(j);
	free(out);
	scan_free(&s);
}

static int spdx_id_ok(const char *id)
{
	return id && lt_starts_with(id, "SPDXRef-") && id[8] &&
	       strspn(id + 8, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
		       strlen(id + 8);
}

static int has_rel(json_t *rels, const char *a, const char *type, const char *b)
{
	size_t i;
	json_t *r;

	json_array_foreach(rels, i, r)
		if (sget(r, "spdxElementId") && !strcmp(sget(r, "spdxElementId"), a) &&
		    !strcmp(sget(r, "relationshipType"), type) && !strcmp(sget(r, "relatedSpdxElement"), b))
			return 1;
	return 0;
}

static void test_spdx(void)
{
	struct scan s;
	char *out;
	json_t *j, *pkgs, *rels, *p, *child, *base, *gone, *evil, *refs;
	size_t i, k;

	CHECK(scan_build(&s) == 0);
	out = run("spdx2", &s, 2);
	j = parse(out);
	CHECK_STR(sget(j, "spdxVersion"), "SPDX-2.3");
	CHECK_STR(sget(j, "dataLicense"), "CC0-1.0");
	CHECK_STR(sget(j, "SPDXID"), "SPDXRef-DOCUMENT");
	CHECK_STR(sget(j, "creationInfo.created"), "2023-11-14T22:13:20Z");
	CHECK_STR(sget(j, "creationInfo.creators.0"), "Tool: lictrace-9.9.9");
	CHECK(sget(j, "documentNamespace") &&
	      lt_starts_with(sget(j, "documentNamespace"), "https://lictrace.invalid/spdxdocs/org-child-"));
	CHECK(sget(j, "name") && strstr(sget(j, "name"), "org/child"));
	pkgs = json_object_get(j, "packages");
	rels = json_object_get(j, "relationships");
	CHECK_EQ_INT(json_array_size(pkgs), 5);
	json_array_foreach(pkgs, i, p) {
		CHECK(spdx_id_ok(sget(p, "SPDXID")));
		CHECK(sget(p, "downloadLocation") != NULL);
		CHECK(json_is_false(json_object_get(p, "filesAnalyzed")));
		for (k = 0; k < i; k++)
			CHECK(strcmp(sget(p, "SPDXID"), sget(json_array_get(pkgs, k), "SPDXID")) != 0);
	}
	child = find_by(pkgs, "name", "org/child");
	base = find_by(pkgs, "name", "base/licensed");
	gone = find_by(pkgs, "name", "gone/missing");
	evil = find_by(pkgs, "name", HOSTILE_ID);
	CHECK(child && base && gone && evil);
	if (!child || !base || !gone || !evil)
		goto done;
	CHECK_STR(sget(child, "versionInfo"), "abc123");
	CHECK_STR(sget(child, "downloadLocation"), "https://huggingface.co/org/child");
	CHECK_STR(sget(child, "externalRefs.0.referenceType"), "purl");
	CHECK_STR(sget(child, "externalRefs.0.referenceLocator"), "pkg:huggingface/org/child@abc123");
	CHECK_STR(sget(child, "licenseDeclared"), "Apache-2.0");
	/* an ancestor is unresolved: nothing can be concluded */
	CHECK_STR(sget(child, "licenseConcluded"), "NOASSERTION");
	CHECK_EQ_INT(json_array_size(json_object_get(child, "annotations")), s.m[0].nf);
	CHECK_STR(sget(child, "annotations.0.annotationType"), "REVIEW");
	CHECK_STR(sget(child, "annotations.0.annotator"), "Tool: lictrace-9.9.9");
	CHECK(sget(child, "comment") && strstr(sget(child, "comment"), "fail"));
	CHECK_STR(sget(base, "licenseDeclared"), "LicenseRef-llama3");
	CHECK_STR(sget(base, "licenseConcluded"), "LicenseRef-llama3");
	CHECK_STR(sget(gone, "licenseDeclared"), "NOASSERTION");
	CHECK_STR(sget(gone, "licenseConcluded"), "NOASSERTION");
	CHECK_STR(sget(evil, "downloadLocation"), "NOASSERTION");
	CHECK_STR(sget(evil, "licenseDeclared"), "NOASSERTION");
	CHECK(sget(evil, "licenseComments") != NULL);

	CHECK(has_rel(rels, "SPDXRef-DOCUMENT", "DESCRIBES", sget(child, "SPDXID")));
	CHECK(has_rel(rels, "SPDXRef-DOCUMENT", "DESCRIBES", sget(evil, "SPDXID")));
	CHECK(!has_rel(rels, "SPDXRef-DOCUMENT", "DESCRIBES", sget(base, "SPDXID")));
	CHECK(has_rel(rels, sget(child, "SPDXID"), "DESCENDANT_OF", sget(base, "SPDXID")));
	CHECK(has_rel(rels, sget(child, "SPDXID"), "DESCENDANT_OF", sget(gone, "SPDXID")));

	refs = json_object_get(j, "hasExtractedLicensingInfos");
	p = find_by(refs, "licenseId", "LicenseRef-llama3");
	CHECK(p != NULL);
	CHECK(sget(p, "extractedText") && *sget(p, "extractedText"));
done:
	json_decref(j);
	free(out);
	scan_free(&s);
}

/* The relationships of type from element id in an SPDX 3 graph. */
static size_t rels3(json_t *graph, const char *from, const char *type, json_t **last)
{
	size_t i, n = 0;
	json_t *e;

	json_array_foreach(graph, i, e)
		if (sget(e, "type") && !strcmp(sget(e, "type"), "Relationship") && sget(e, "from") &&
		    !strcmp(sget(e, "from"), from) && !strcmp(sget(e, "relationshipType"), type)) {
			n++;
			if (last)
				*last = e;
		}
	return n;
}

static json_t *by_id3(json_t *graph, const char *id)
{
	return id ? find_by(graph, "spdxId", id) : NULL;
}

/* SPDX 3.0.1: an ai_AIPackage per node with exactly one declared and one
 * concluded license, lineage as descendantOf, supplier and release time only
 * when the record states them, IRIs everywhere, no credentials. */
static void test_spdx3(void)
{
	struct scan s;
	char *out;
	json_t *j, *g, *e, *child, *base, *gone, *r = NULL, *lic;
	size_t i, npkg = 0;
	const char *ci;

	CHECK(scan_build(&s) == 0);
	/* a git model with a stated commit time and a hub supplier */
	free(s.m[0].node->rec->source_kind);
	s.m[0].node->rec->source_kind = lt_strdup("git");
	free(s.m[0].node->rec->target);
	s.m[0].node->rec->target = lt_strdup("https://user:secret@example.com/org/child.git");
	s.m[0].node->rec->release_time = lt_strdup("2024-05-01T10:00:00Z");
	s.m[0].node->rec->supplier = lt_strdup("org");
	/* a hub account named like the tool gets an id of its own */
	for (i = 0; i < s.m[0].nanc; i++)
		if (!strcmp(s.m[0].anc[i].node->id, "base/licensed") && s.m[0].anc[i].node->rec)
			s.m[0].anc[i].node->rec->supplier = lt_strdup("lictrace");
	out = run("spdx", &s, 2);
	CHECK(out && !strstr(out, "secret"));
	j = parse(out);
	CHECK_STR(sget(j, "@context"), "https://spdx.org/rdf/3.0.1/spdx-context.jsonld");
	g = json_object_get(j, "@graph");
	CHECK_STR(sget(json_array_get(g, 0), "type"), "CreationInfo");
	CHECK_STR(sget(json_array_get(g, 0), "specVersion"), "3.0.1");
	CHECK_STR(sget(json_array_get(g, 0), "created"), "2023-11-14T22:13:20Z");
	ci = sget(json_array_get(g, 0), "@id");
	CHECK(ci && lt_starts_with(ci, "_:"));
	e = by_id3(g, sget(json_array_get(g, 0), "createdUsing.0"));
	CHECK(e && !strcmp(sget(e, "type"), "Tool") && !strcmp(sget(e, "name"), "lictrace-9.9.9"));
	e = by_id3(g, sget(json_array_get(g, 0), "createdBy.0"));
	CHECK(e && !strcmp(sget(e, "type"), "SoftwareAgent"));
	json_array_foreach(g, i, e) {
		const char *id = sget(e, "spdxId");
		if (i == 0)
			continue;
		/* every element: an IRI under the document's namespace, the one CreationInfo */
		CHECK(id && lt_starts_with(id, "https://lictrace.invalid/spdxdocs/org-child-"));
		CHECK(ci && sget(e, "creationInfo") && !strcmp(sget(e, "creationInfo"), ci));
		for (size_t k = 1; id && k < i; k++)
			CHECK(strcmp(id, sget(json_array_get(g, k), "spdxId")) != 0);
		if (id && sget(e, "type") && !strcmp(sget(e, "type"), "ai_AIPackage")) {
			npkg++;
			CHECK_STR(sget(e, "software_primaryPurpose"), "model");
			CHECK_EQ_INT(rels3(g, id, "hasDeclaredLicense", NULL), 1);
			CHECK_EQ_INT(rels3(g, id, "hasConcludedLicense", NULL), 1);
		}
	}
	CHECK_EQ_INT(npkg, 5);
	e = find_by(g, "type", "SpdxDocument");
	CHECK(e && json_array_size(json_object_get(e, "rootElement")) == 2);
	child = find_by(g, "name", "org/child");
	base = find_by(g, "name", "base/licensed");
	gone = find_by(g, "name", "gone/missing");
	CHECK(child && base && gone);
	if (!child || !base || !gone)
		goto done;
	CHECK_STR(sget(e, "rootElement.0"), sget(child, "spdxId"));
	CHECK_STR(sget(child, "software_packageVersion"), "abc123");
	CHECK_STR(sget(child, "software_downloadLocation"), "https://huggingface.co/org/child");
	CHECK_STR(sget(child, "software_packageUrl"), "pkg:huggingface/org/child@abc123");
	CHECK_STR(sget(child, "releaseTime"), "2024-05-01T10:00:00Z");
	CHECK_STR(sget(by_id3(g, sget(child, "suppliedBy")), "name"), "org");
	CHECK(sget(child, "comment") && strstr(sget(child, "comment"), "committer time"));
	/* nothing stated about the base's supplier or release: left out, and said so */
	CHECK_STR(sget(by_id3(g, sget(base, "suppliedBy")), "name"), "lictrace");
	CHECK_STR(sget(by_id3(g, sget(base, "suppliedBy")), "type"), "Agent");
	CHECK(!json_object_get(base, "releaseTime"));
	CHECK(sget(base, "comment") && strstr(sget(base, "comment"), "left out (the AI profile asks for them): releaseTime"));
	CHECK(!json_object_get(gone, "suppliedBy") && !json_object_get(gone, "releaseTime"));
	CHECK(sget(gone, "comment") && strstr(sget(gone, "comment"), "suppliedBy, releaseTime"));
	rels3(g, sget(child, "spdxId"), "hasDeclaredLicense", &r);
	lic = by_id3(g, sget(r, "to.0"));
	CHECK_STR(sget(lic, "simplelicensing_licenseExpression"), "Apache-2.0");
	/* an ancestor is unresolved: nothing can be concluded, never a guess */
	rels3(g, sget(child, "spdxId"), "hasConcludedLicense", &r);
	CHECK_STR(sget(r, "to.0"), "expandedlicensing_NoAssertionLicense");
	rels3(g, sget(gone, "spdxId"), "hasDeclaredLicense", &r);
	CHECK_STR(sget(r, "to.0"), "expandedlicensing_NoAssertionLicense");
	rels3(g, sget(base, "spdxId"), "hasConcludedLicense", &r);
	lic = by_id3(g, sget(r, "to.0"));
	CHECK_STR(sget(lic, "simplelicensing_licenseExpression"), "LicenseRef-llama3");
	CHECK_STR(sget(lic, "simplelicensing_customIdToUri.0.key"), "LicenseRef-llama3");
	e = by_id3(g, sget(lic, "simplelicensing_customIdToUri.0.value"));
	CHECK(e && !strcmp(sget(e, "type"), "simplelicensing_SimpleLicensingText") &&
	      sget(e, "simplelicensing_licenseText") && *sget(e, "simplelicensing_licenseText"));
	/* lineage */
	CHECK_EQ_INT(rels3(g, sget(child, "spdxId"), "descendantOf", &r), 2);
	CHECK(find_by(g, "subject", sget(child, "spdxId")) != NULL);
	CHECK_STR(sget(find_by(g, "subject", sget(child, "spdxId")), "annotationType"), "review");
done:
	json_decref(j);
	free(out);
	scan_free(&s);
}

static int ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

static void test_html(void)
{
	struct scan s;
	char *out;

	CHECK(scan_build(&s) == 0);
	out = run("html", &s, 2);
	CHECK(out != NULL);
	if (!out)
		goto done;
	CHECK(lt_utf8_valid(out, strlen(out))); /* the stray \xff became U+FFFD */
	CHECK(lt_starts_with(out, "<!DOCTYPE html>"));
	CHECK(lt_ends_with(out, "</html>\n"));
	/* one script: the page's own, allowed by its hash; none from a repository */
	CHECK(strstr(out, "<script>(function(){") != NULL);
	CHECK(ci_contains(out, "<script") && !ci_contains(strstr(out, "<script>") + 1, "<script"));
	CHECK(strstr(out, "script-src 'sha256-") != NULL);
	CHECK(strstr(out, "evil/&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(out, "&lt;i&gt;x&lt;/i&gt;") != NULL);
	CHECK(strstr(out, "quote/&quot;x\\") != NULL);
	/* self-contained: no external resources */
	CHECK(!ci_contains(out, "src="));
	CHECK(!ci_contains(out, "<link"));
	CHECK(!ci_contains(out, "@import"));
	CHECK(strstr(out, "Content-Security-Policy") != NULL);
	/* the lineage picture and the content sections */
	CHECK(strstr(out, "<svg") != NULL);
	CHECK(strstr(out, "class=\"n unresolved\"") != NULL);
	CHECK(strstr(out, "class=\"e inferred\"") != NULL);
	CHECK(strstr(out, "<h3>Licenses</h3>") && strstr(out, "<h3>Obligations</h3>") &&
	      strstr(out, "<h3>Findings</h3>"));
	CHECK(strstr(out, "relicensed-restricted-base") != NULL);
	CHECK(strstr(out, "approved by legal, ticket 42") != NULL);
	/* an obligation's web address is a link the reader can follow */
	CHECK(strstr(out, "href=\"https://llama.meta.com/llama3/use-policy\">") != NULL);
done:
	free(out);
	scan_free(&s);
}

/* Unescaped '|' in a markdown line. */
static int pipes(const char *line, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		if (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))
			n++;
	return n;
}

static void test_markdown(void)
{
	struct scan s;
	char *out;
	int cols = -1;

	CHECK(scan_build(&s) == 0);
	out = run("markdown", &s, 2);
	CHECK(out != NULL);
	if (!out)
		goto done;
	CHECK(lt_utf8_valid(out, strlen(out))); /* the stray \xff became U+FFFD */
	CHECK(lt_starts_with(out, "# lictrace report\n"));
	CHECK(strstr(out, "a\\|b") != NULL);
	CHECK(strstr(out, "evil/\\<script\\>alert\\(1\\)\\</script\\>") != NULL);
	/* no '<' that is not backslash-escaped or an autolink: no raw HTML */
	for (const char *p = strchr(out, '<'); p; p = strchr(p + 1, '<'))
		CHECK((p > out && p[-1] == '\\') || lt_starts_with(p, "<https://") || lt_starts_with(p, "<http://"));
	CHECK(strstr(out, "### Lineage") && strstr(out, "### Licenses") && strstr(out, "### Obligations") &&
	      strstr(out, "#### Errors (1)"));
	CHECK(strstr(out, "- **org/child** \xE2\x80\x94 apache-2.0\n") != NULL);
	CHECK(strstr(out, "  - finetune: **base/licensed** \xE2\x80\x94 llama3\n") != NULL);
	CHECK(strstr(out, "  - adapter (inferred): **gone/missing**") != NULL);
	/* every row of a table has as many cells as its header */
	for (const char *p = out; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (*p == '|') {
			if (cols < 0)
				cols = pipes(p, len);
			CHECK_EQ_INT(pipes(p, len), cols);
		} else {
			cols = -1;
		}
		p += len + (nl != NULL);
	}
done:
	free(out);
	scan_free(&s);
}

/* Web addresses in Markdown are autolinks written as they are (no backslash
 * before '_'), end where the address ends, and lose any credentials; what
 * follows them is escaped as usual. */
static void test_markdown_urls(void)
{
	struct scan s;
	struct finding *f;
	char *out;

	CHECK(scan_build(&s) == 0);
	f = findings_add(&s.m[0], db, "missing-notice", "llama3", "README.md", 7, NULL,
			 "see https://llama.meta.com/llama3_1/use-policy. Or (https://user:pw@example.com/a_b_(c)) "
			 "or https://x.example/<script>|x");
	CHECK(f != NULL);
	out = run("markdown", &s, 1);
	CHECK(out && strstr(out, "see <https://llama.meta.com/llama3_1/use-policy>. Or"));
	CHECK(out && strstr(out, "\\(<https://example.com/a_b_(c)>\\) or"));
	CHECK(out && strstr(out, "<https://x.example/>\\<script\\>\\|x"));
	CHECK(out && !strstr(out, "pw@"));
	CHECK(out && !strstr(out, "llama3\\_1"));
	free(out);
	scan_free(&s);
}

static void test_dot(void)
{
	struct scan s;
	char *out;

	CHECK(scan_build(&s) == 0);
	out = run("dot", &s, 2);
	CHECK(out != NULL);
	if (!out)
		goto done;
	CHECK(lt_utf8_valid(out, strlen(out))); /* the stray \xff became U+FFFD */
	CHECK(lt_starts_with(out, "digraph lictrace {\n"));
	CHECK(lt_ends_with(out, "}\n"));
	/* the id `quote/"x\` as a DOT string */
	CHECK(strstr(out, "\"quote/\\\"x\\\\\"") != NULL);
	CHECK(strstr(out, "\"org/child\" -> \"base/licensed\" [label=\"finetune\"];") != NULL);
	CHECK(strstr(out, "\"org/child\" -> \"gone/missing\" [label=\"adapter (inferred)\", style=dashed];") != NULL);
	CHECK(strstr(out, "\"gone/missing\" [label=\"gone/missing\\nunresolved\", style=\"rounded,dashed,filled\"") != NULL);
	/* quotes balance on every line: no string escapes its quotes */
	for (const char *p = out; *p;) {
		int n = 0;
		for (; *p && *p != '\n'; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				continue;
			}
			n += *p == '"';
		}
		CHECK_EQ_INT(n % 2, 0);
		if (*p)
			p++;
	}
done:
	free(out);
	scan_free(&s);
}

/* A lineage cycle: drawn and listed once, marked, and never looped over. */
static void test_cycle(void)
{
	struct scan s;
	char *out;
	json_t *j, *pkgs, *a;

	CHECK(scan_cycle(&s) == 0);
	out = run("dot", &s, 1);
	CHECK(out && strstr(out, "\"cyc/b\" -> \"cyc/a\" [label=\"finetune\", color=\"#cf222e\""));
	free(out);
	out = run("html", &s, 1);
	CHECK(out && strstr(out, "<g class=\"e cycle\">"));
	CHECK(out && strstr(out, "cycle: already in this chain"));
	free(out);
	out = run("markdown", &s, 1);
	CHECK(out && strstr(out, "    - finetune: **cyc/a** \xE2\x80\x94 apache-2.0 \xE2\x80\x94 **cycle**"));
	free(out);
	out = run("spdx2", &s, 1);
	j = parse(out);
	pkgs = json_object_get(j, "packages");
	CHECK_EQ_INT(json_array_size(pkgs), 2);
	a = find_by(pkgs, "name", "cyc/a");
	/* both licenses bind, each once, though the walk meets cyc/a twice */
	CHECK_STR(sget(a, "licenseConcluded"), "Apache-2.0 AND MIT");
	CHECK(has_rel(json_object_get(j, "relationships"), sget(a, "SPDXID"), "VARIANT_OF",
		      sget(find_by(pkgs, "name", "cyc/b"), "SPDXID")));
	json_decref(j);
	free(out);
	out = run("cyclonedx", &s, 1);
	j = parse(out);
	/* one scanned model: it is the BOM's subject, its ancestor a component */
	CHECK_EQ_INT(json_array_size(json_object_get(j, "components")), 1);
	CHECK_STR(sget(j, "metadata.component.name"), "cyc/a");
	CHECK_STR(sget(j, "metadata.component.bom-ref"), "cyc/a");
	CHECK_STR(sget(j, "components.0.name"), "cyc/b");
	json_decref(j);
	free(out);
	scan_free(&s);
}

/* No models: still one valid document in every format. */
static void test_empty(void)
{
	static const char *const json_formats[] = { "sarif", "cyclonedx", "spdx", "spdx2", "json", NULL };
	struct scan s;

	memset(&s, 0, sizeof(s));
	for (int i = 0; json_formats[i]; i++) {
		char *out = run(json_formats[i], &s, 0);
		json_t *j = parse(out);
		json_decref(j);
		free(out);
	}
	{
		char *h = run("html", &s, 0), *d = run("dot", &s, 0), *m = run("markdown", &s, 0);
		CHECK(h && lt_ends_with(h, "</html>\n"));
		CHECK(d && lt_ends_with(d, "}\n"));
		CHECK(m && lt_starts_with(m, "# lictrace report"));
		free(h);
		free(d);
		free(m);
	}
}

/* The JSON report is streamed: the head at begin, each model as it comes, the
 * overall verdict at end; with or without models it is one valid document. */
static void test_json_streamed(void)
{
	struct scan s;
	char *out;
	json_t *j;

	CHECK(scan_build(&s) == 0);
	out = run("json", &s, 2);
	j = parse(out);
	CHECK_STR(sget(j, "tool.version"), "9.9.9");
	CHECK_EQ_INT(json_array_size(json_object_get(j, "models")), 2);
	CHECK_STR(sget(j, "models.0.id"), s.m[0].node->id);
	CHECK_STR(sget(j, "models.1.id"), s.m[1].node->id);
	CHECK_STR(sget(j, "verdict"), "fail");
	/* the overall verdict is known only at the end, after the models */
	CHECK(out && strstr(out, "\n  \"verdict\": \"fail\"\n}\n") != NULL &&
	      strstr(out, "\n  \"verdict\"") > strstr(out, "\"models\": ["));
	json_decref(j);
	free(out);
	out = run("json", &s, 0);
	j = parse(out);
	CHECK(json_is_array(json_object_get(j, "models")));
	CHECK_EQ_INT(json_array_size(json_object_get(j, "models")), 0);
	CHECK_STR(sget(j, "verdict"), "pass");
	json_decref(j);
	free(out);
	scan_free(&s);
}

/* The digest of a model_report and of the same model read back from the JSON
 * report are the same; the order models are added in does not matter. */
static void test_summary(void)
{
	struct scan s;
	struct summary *a, *b, *c;
	const struct summary_row *r;
	json_t *j, *m, *ja, *jb, *jc;
	char *out;
	size_t i, n, sev[3];

	CHECK(scan_build(&s) == 0);
	a = summary_new(db);
	b = summary_new(db);
	c = summary_new(db);
	CHECK(a && b && c);
	CHECK_EQ_INT(summary_add_report(a, &s.m[0]), 0);
	CHECK_EQ_INT(summary_add_report(a, &s.m[1]), 0);
	CHECK_EQ_INT(summary_add_report(c, &s.m[1]), 0);
	CHECK_EQ_INT(summary_add_report(c, &s.m[0]), 0);
	out = run("json", &s, 2);
	j = parse(out);
	json_array_foreach (json_object_get(j, "models"), i, m)
		CHECK_EQ_INT(summary_add_json(b, m), 0);
	CHECK_EQ_INT(summary_add_json(b, json_null()), -2);
	ja = summary_json(a);
	jb = summary_json(b);
	jc = summary_json(c);
	CHECK(ja && jb && json_equal(ja, jb));
	CHECK(ja && jc && json_equal(ja, jc));
	/* the JSON report carries the same object */
	CHECK(ja && json_equal(ja, json_object_get(j, "summary")));

	CHECK_EQ_INT(summary_models(a), 2);
	CHECK_EQ_INT(summary_verdict(a, VERDICT_FAIL), 1);
	CHECK_EQ_INT(summary_verdict(a, VERDICT_REVIEW), 1);
	CHECK_EQ_INT(summary_verdict(a, VERDICT_PASS), 0);
	summary_findings(a, sev);
	CHECK_EQ_INT(sev[SEV_ERROR] + sev[SEV_WARNING] + sev[SEV_INFO], s.m[0].nf + s.m[1].nf);
	/* org/child inherits from base/licensed and gone/missing; the hostile model from its parent */
	CHECK_EQ_INT(summary_bases(a), 3);
	n = summary_rows(a, SUM_BASE, &r);
	CHECK_EQ_INT(n, 3);
	for (i = 0; i < n; i++)
		CHECK_EQ_INT(r[i].models, 1);
	/* same counts: by name */
	CHECK(n == 3 && strcmp(r[0].name, r[1].name) < 0 && strcmp(r[1].name, r[2].name) < 0);
	/* riskiest: the failing child's bases before the reviewed model's */
	n = summary_rows(a, SUM_RISK, &r);
	CHECK_EQ_INT(n, 3);
	CHECK(n == 3 && r[2].verdicts[VERDICT_REVIEW] == 1 && !strcmp(r[2].name, HOSTILE_PARENT));
	CHECK(n == 3 && r[0].verdicts[VERDICT_FAIL] == 1);
	n = summary_rows(a, SUM_LICENSE, &r);
	CHECK(n >= 2);
	n = summary_rows(a, SUM_CATEGORY, &r);
	CHECK(n >= 1);
	CHECK_STR(summary_table_name(SUM_RISK), "risky_lineages");
	CHECK(!summary_failed(a));
	json_decref(ja);
	json_decref(jb);
	json_decref(jc);
	json_decref(j);
	free(out);
	summary_free(a);
	summary_free(b);
	summary_free(c);
	scan_free(&s);
}

/* A summary of nothing, and a risk table without a failing lineage. */
static void test_summary_empty(void)
{
	struct summary *s = summary_new(NULL);
	const struct summary_row *r;
	json_t *j, *m = json_pack("{s:s, s:s, s:[s], s:{s:[{s:s}, {s:s, s:s}]}}", "id", "a/b", "verdict", "pass",
				  "effective", "mystery-1.0", "lineage", "nodes", "id", "a/b", "id", "c/d", "status", "ok");

	CHECK(s && m);
	j = summary_json(s);
	CHECK(j && json_integer_value(json_object_get(j, "models")) == 0);
	CHECK(j && json_array_size(json_object_get(j, "bases")) == 0);
	json_decref(j);
	CHECK_EQ_INT(summary_add_json(s, m), 0);
	CHECK_EQ_INT(summary_rows(s, SUM_BASE, &r), 1);
	CHECK_STR(r[0].name, "c/d");
	CHECK_EQ_INT(summary_rows(s, SUM_RISK, &r), 0); /* every descendant passes */
	CHECK_EQ_INT(summary_rows(s, SUM_CATEGORY, &r), 1);
	CHECK_STR(r[0].name, "unknown"); /* no license data: never guessed */
	json_decref(m);
	summary_free(s);
}

static char *cell(const char *s)
{
	struct buf b;

	buf_init(&b, 4096);
	report_csv_cell(&b, s);
	return buf_detach(&b, NULL);
}

#define CHECK_CELL(in, want)                  \
	do {                                  \
		char *c_ = cell(in);          \
		CHECK_STR(c_ ? c_ : "", want); \
		free(c_);                     \
	} while (0)

/* RFC 4180 quoting and the spreadsheet formula guard. */
static void test_csv_cell(void)
{
	CHECK_CELL("abc", "abc");
	CHECK_CELL(NULL, "");
	CHECK_CELL("", "");
	CHECK_CELL("a,b", "\"a,b\"");
	CHECK_CELL("say \"hi\"", "\"say \"\"hi\"\"\"");
	CHECK_CELL("=1+1", "'=1+1");
	CHECK_CELL("+1", "'+1");
	CHECK_CELL("-1", "'-1");
	CHECK_CELL("@SUM(A1)", "'@SUM(A1)");
	CHECK_CELL("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	CHECK_CELL("a-b=c", "a-b=c"); /* only the first character matters */
	CHECK_CELL("line\r\nbreak", "line  break");
	CHECK_CELL("tab\there", "tab here");
	CHECK_CELL("bad \xff", "bad \xEF\xBF\xBD");
}

/* The CSV writer: header, a row per model, CRLF; a row from the JSON model is
 * the same row. */
static void test_csv(void)
{
	struct scan s;
	char *out, *out2 = NULL, *js;
	size_t len = 0, i;
	json_t *j, *m;
	FILE *f;

	CHECK(scan_build(&s) == 0);
	out = run("csv", &s, 2);
	CHECK(out && !strncmp(out, "id,revision,verdict,declared,effective,categories,obligations,findings\r\n", 72));
	CHECK(out && strstr(out, "\r\norg/child,abc123,fail,apache-2.0,") != NULL);
	CHECK(out && strstr(out, "relicensed-restricted-base; parent-unresolved\r\n") != NULL);
	js = run("json", &s, 2);
	j = parse(js);
	f = open_memstream(&out2, &len);
	CHECK(f != NULL);
	if (f) {
		report_csv_header(f);
		json_array_foreach (json_object_get(j, "models"), i, m)
			CHECK_EQ_INT(report_csv_json_row(f, m, db), 0);
		fclose(f);
	}
	CHECK(out && out2 && !strcmp(out, out2));
	json_decref(j);
	free(js);
	free(out);
	free(out2);
	scan_free(&s);
}

/* A finding kind's constant text (title, why, fix) is written once, in
 * finding_kinds after the models, not in each finding: two models with a
 * finding of the same kind carry the explanation once; a finding keeps its own
 * severity (a policy changed it) while the kind states the default. */
static void test_json_finding_kinds(void)
{
	const struct finding_def *d;
	struct scan s;
	struct finding *f;
	json_t *j, *kinds, *k, *fj;
	char *out, *at;
	size_t i, n = 0;

	CHECK(scan_build(&s) == 0);
	f = findings_add(&s.m[1], db, "parent-unresolved", HOSTILE_PARENT, "README.md", 3, NULL,
			 "%s cannot be resolved", HOSTILE_PARENT);
	CHECK(f != NULL);
	d = f ? f->def : NULL;
	out = run("json", &s, 2);
	j = parse(out);
	kinds = json_object_get(j, "finding_kinds");
	CHECK(json_is_object(kinds));
	CHECK_EQ_INT(json_object_size(kinds), 3); /* relicensed, unresolved, unknown declared */
	k = json_object_get(kinds, "parent-unresolved");
	CHECK(d && k);
	if (d && k) {
		CHECK_STR(json_string_value(json_object_get(k, "title")), d->title);
		CHECK_STR(json_string_value(json_object_get(k, "why")), d->why);
		CHECK_STR(json_string_value(json_object_get(k, "fix")), d->fix);
		CHECK_STR(json_string_value(json_object_get(k, "severity")), severity_name(d->severity));
		CHECK_STR(json_string_value(json_object_get(k, "help")), REPORT_FINDINGS_URI "#parent-unresolved");
		CHECK(d->severity != SEV_WARNING);
	}
	/* the policy-changed severity stays on the finding */
	fj = find_by(json_object_get(json_array_get(json_object_get(j, "models"), 0), "findings"), "id",
		     "parent-unresolved");
	CHECK_STR(json_string_value(json_object_get(fj, "severity")), "warning");
	for (i = 0; i < 2; i++) {
		json_t *fs = json_object_get(json_array_get(json_object_get(j, "models"), i), "findings"), *x;
		size_t e;
		json_array_foreach(fs, e, x) {
			CHECK(json_object_get(x, "title") == NULL && json_object_get(x, "why") == NULL &&
			      json_object_get(x, "fix") == NULL);
			CHECK(json_object_get(kinds, json_string_value(json_object_get(x, "id"))) != NULL);
		}
	}
	/* the explanation appears once in the whole document */
	for (at = out && d ? strstr(out, "\"why\"") : NULL; at; at = strstr(at + 1, "\"why\""))
		n++;
	CHECK_EQ_INT(n, 3);
	CHECK(out && strstr(out, "\"finding_kinds\"") > strstr(out, "\"models\": ["));
	json_decref(j);
	free(out);
	scan_free(&s);
}

/* Write j through the jstream calls, member by member (strings as text, so the
 * escaping is jstream's own), the way the JSON writer streams a model. */
static void stream_value(struct jstream *js, json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		jstream_open(js, 0);
		json_object_foreach(j, k, v) {
			jstream_key(js, k);
			stream_value(js, v);
		}
		jstream_close(js);
		break;
	case JSON_ARRAY:
		jstream_open(js, 1);
		json_array_foreach(j, i, v)
			stream_value(js, v);
		jstream_close(js);
		break;
	case JSON_STRING: jstream_str(js, json_string_value(j)); break;
	case JSON_INTEGER: jstream_int(js, (long long)json_integer_value(j)); break;
	case JSON_REAL: jstream_real(js, json_real_value(j)); break;
	case JSON_TRUE: jstream_bool(js, 1); break;
	case JSON_FALSE: jstream_bool(js, 0); break;
	case JSON_NULL: jstream_null(js); break;
	}
}

/* One document written with member names as literals (JSTREAM_KEY_LIT) and
 * through jstream_key: the same bytes, compact and indented, including at the
 * edge of the writer's block and after a full one. */
static void test_jstream_literal_keys(void)
{
	struct jstream *js = malloc(sizeof(*js));
	static const int bases[] = { JSTREAM_COMPACT, 0, 2 };

	CHECK(js != NULL);
	for (size_t b = 0; js && b < sizeof(bases) / sizeof(*bases); b++) {
		char *out[2] = { NULL, NULL };
		size_t len[2];
		for (int lit = 0; lit < 2; lit++) {
			FILE *f = open_memstream(&out[lit], &len[lit]);
			jstream_init(js, f, bases[b]);
			jstream_open(js, 1);
			for (int i = 0; i < 3000; i++) { /* about 100 KB: several blocks */
				jstream_open(js, 0);
				if (lit)
					JSTREAM_KEY_LIT(js, "id");
				else
					jstream_key(js, "id");
				jstream_int(js, i);
				if (lit)
					JSTREAM_KEY_LIT(js, "a_longer_member_name");
				else
					jstream_key(js, "a_longer_member_name");
				jstream_str(js, i % 7 ? "text" : NULL);
				if (lit)
					JSTREAM_KEY_LIT(js, "empty");
				else
					jstream_key(js, "empty");
				jstream_open(js, 0);
				jstream_close(js);
				jstream_close(js);
			}
			jstream_close(js);
			CHECK_EQ_INT(jstream_flush(js), 0);
			fclose(f);
		}
		CHECK(out[0] && out[1] && len[0] == len[1] && len[0] > 32768 && !memcmp(out[0], out[1], len[0]));
		free(out[0]);
		free(out[1]);
	}
	/* a name outside an object fails the stream, as jstream_key does */
	if (js) {
		char *o = NULL;
		size_t n;
		FILE *f = open_memstream(&o, &n);
		jstream_init(js, f, JSTREAM_COMPACT);
		jstream_open(js, 1);
		JSTREAM_KEY_LIT(js, "x");
		CHECK(jstream_flush(js) != 0);
		fclose(f);
		free(o);
	}
	free(js);
}

/* jstream's text is jansson's JSON_INDENT(2) | JSON_PRESERVE_ORDER text, byte
 * for byte, shifted by the base indent: escapes, empty and nested containers,
 * numbers, a jansson subtree in the middle, and text that is not UTF-8 (each
 * bad byte U+FFFD, as report_json_str gives jansson). */
static void test_jstream_layout(void)
{
	static const char *strs[] = { "", "plain", "q\"uote", "back\\slash", "sl/ash", "tab\tnl\ncr\r",
				      "\b\f\x01\x1f\x7f", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
				      "</script>", "bad \xff byte", "cut \xe2\x82", "\xc0\xaf" };
	json_t *doc = json_object(), *a = json_array(), *sub;
	char *want = NULL, *got = NULL, *shifted = NULL;
	size_t glen = 0;
	FILE *f;
	struct jstream *js = malloc(sizeof(*js));

	for (size_t i = 0; i < sizeof(strs) / sizeof(*strs); i++)
		json_array_append_new(a, report_json_str(strs[i]));
	json_object_set_new(doc, "strings", a);
	json_object_set_new(doc, "empty_list", json_array());
	json_object_set_new(doc, "empty_object", json_object());
	json_object_set_new(doc, "nested", json_pack("[[[]], {s:[{}]}, [i, i, I]]", "k", 1, -2,
							  (json_int_t)9007199254740993LL));
	json_object_set_new(doc, "reals", json_pack("[f, f, f, f, f]", 0.95, 1.0, 1e-7, 123456789012.5, -0.0));
	json_object_set_new(doc, "flags", json_pack("[b, b, n]", 1, 0));
	json_object_set_new(doc, "null", json_null());
	want = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	CHECK(want != NULL && js != NULL);
	if (!want || !js)
		goto done;
	/* base 0: the same text */
	f = open_memstream(&got, &glen);
	jstream_init(js, f, 0);
	/* strings streamed as raw C text: the bad bytes are jstream's to replace */
	jstream_open(js, 0);
	jstream_key(js, "strings");
	jstream_open(js, 1);
	for (size_t i = 0; i < sizeof(strs) / sizeof(*strs); i++)
		jstream_str(js, strs[i]);
	jstream_close(js);
	sub = json_object_get(doc, "nested");
	jstream_key(js, "empty_list");
	stream_value(js, json_object_get(doc, "empty_list"));
	jstream_key(js, "empty_object");
	stream_value(js, json_object_get(doc, "empty_object"));
	jstream_key(js, "nested");
	jstream_json(js, sub); /* a jansson subtree, mid-stream */
	jstream_key(js, "reals");
	stream_value(js, json_object_get(doc, "reals"));
	jstream_key(js, "flags");
	stream_value(js, json_object_get(doc, "flags"));
	jstream_key(js, "null");
	jstream_null(js);
	jstream_close(js);
	CHECK_EQ_INT(jstream_flush(js), 0);
	fclose(f);
	CHECK_STR(got, want);
	free(got);
	got = NULL;
	/* base 4: every line after the first shifted by four spaces */
	{
		struct buf b;
		buf_init(&b, 1u << 20);
		for (const char *p = want; *p; p++) {
			buf_add(&b, p, 1);
			if (*p == '\n')
				buf_adds(&b, "    ");
		}
		shifted = buf_detach(&b, NULL);
	}
	f = open_memstream(&got, &glen);
	jstream_init(js, f, 4);
	stream_value(js, doc);
	CHECK_EQ_INT(jstream_flush(js), 0);
	fclose(f);
	CHECK_STR(got, shifted);
	/* compact: jansson's JSON_COMPACT text */
	free(want);
	free(got);
	got = NULL;
	want = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	f = open_memstream(&got, &glen);
	jstream_init(js, f, JSTREAM_COMPACT);
	stream_value(js, doc);
	CHECK_EQ_INT(jstream_flush(js), 0);
	fclose(f);
	CHECK_STR(got, want);
	/* misuse fails, sticky: a key inside a list, a close with nothing open */
	jstream_init(js, stdout, 0);
	jstream_open(js, 1);
	jstream_key(js, "no");
	CHECK_EQ_INT(js->failed, 1);
	jstream_init(js, stdout, 0);
	jstream_close(js);
	CHECK_EQ_INT(jstream_flush(js), -1);
done:
	free(js);
	free(want);
	free(got);
	free(shifted);
	json_decref(doc);
}

/* Strings long enough for jstream's eight-bytes-at-a-time scan: each kind of byte
 * that needs care, at every offset around the word boundaries, comes out as
 * jansson writes the repaired string. */
static void test_jstream_long_strings(void)
{
	static const char *const odd[] = { "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9",
					   "\xe2\x82\xac", "\xff", "\xe2\x82", " " };
	int bad = 0;

	for (size_t k = 0; k < sizeof(odd) / sizeof(*odd); k++) {
		for (size_t pos = 0; pos < 26; pos++) {
			char s[64], *got = NULL, *want;
			size_t glen = 0, at = 0;
			struct jstream js;
			json_t *j;
			FILE *f;

			for (size_t i = 0; i < pos; i++)
				s[at++] = (char)('a' + i % 26);
			for (const char *o = odd[k]; *o; o++)
				s[at++] = *o;
			while (at < 40)
				s[at++] = 'z';
			s[at] = '\0';
			j = report_json_str(s);
			want = json_dumps(j, JSON_ENCODE_ANY);
			f = open_memstream(&got, &glen);
			jstream_init(&js, f, 0);
			jstream_str(&js, s);
			jstream_flush(&js);
			fclose(f);
			if (!want || !got || strcmp(want, got) != 0)
				bad++;
			free(want);
			free(got);
			json_decref(j);
		}
	}
	CHECK_EQ_INT(bad, 0);
}

TESTS(T(formats_listed), T(json_streamed), T(jstream_layout), T(jstream_literal_keys), T(jstream_long_strings), T(json_finding_kinds), T(sarif), T(sarif_locations), T(finding_docs), T(json), T(source_date),
      T(cyclonedx), T(cyclonedx_other), T(spdx), T(spdx3), T(html), T(markdown), T(markdown_urls), T(dot), T(cycle),
      T(empty), T(summary), T(summary_empty), T(csv_cell), T(csv))
