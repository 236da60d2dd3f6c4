/*
 * cmd_audit_tools.c - what is done with finished audits' JSON reports:
 *
 * - `lictrace audit diff OLD.json NEW.json`: models added and removed, verdict
 *   changes, new and resolved findings, and bases whose licenses changed
 *   upstream (the same base at another revision under other terms). Exit 0 when
 *   nothing changed, 1 when something did, 2 on a usage or read error.
 * - `lictrace audit merge REPORT.json...`: the shards' reports as one report
 *   equal to a single run's: the same models once each (a model in two shards
 *   must be identical in both), in the inventory's order with --inventory (else
 *   in the order given), the summary recomputed, the overall verdict the worst
 *   of all. Reports made by another lictrace version, for another jurisdiction,
 *   or differing in any other top-level field are refused.
 *
 * Both read lictrace's own JSON report (docs/REPORT.md), whole, capped at
 * AUDIT_TOOLS_MAX_REPORT bytes each; a finding needs only its id, severity and
 * evidence (explanations may be written once per finding kind elsewhere).
 */
#include "audit_state.h"
#include "cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/str.h"
#include "core/strmap.h"
#include "policy/policy.h"
#include "report/csv.h"
#include "report/report.h"
#include "report/summary.h"

#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A report bigger than this is refused: it is read whole, and jansson's tree
 * takes several times the text. */
#define AUDIT_TOOLS_MAX_REPORT (1024u * 1024u * 1024u)
/* More reports than this in one merge is a mistake (shards are at most 100,000). */
#define AUDIT_TOOLS_MAX_INPUTS 100000

struct tool_opts {
	struct common_opts c;
	const char *inventory;
};

static const struct opt_spec diff_specs[] = {
	{ "format", OPT_STR, offsetof(struct tool_opts, c.format), "FMT", "text (the default) or json" },
	{ "output", OPT_STR, offsetof(struct tool_opts, c.output), "FILE", "write the comparison to FILE" },
	{ NULL, 0, 0, NULL, NULL },
};

static const struct opt_spec merge_specs[] = {
	{ "format", OPT_STR, offsetof(struct tool_opts, c.format), "FMT", "json (the default), csv or text" },
	{ "output", OPT_STR, offsetof(struct tool_opts, c.output), "FILE", "write the merged report to FILE" },
	{ "inventory", OPT_STR, offsetof(struct tool_opts, inventory), "FILE",
	  "the audit's inventory: models in its order, and every target of it must be in some report" },
	{ "data", OPT_LIST, offsetof(struct tool_opts, c.data), "DIR", "extra licenses/ and rules/ under DIR (repeatable)" },
	{ "fail-on", OPT_STR, offsetof(struct tool_opts, c.fail_on), "LEVEL", "exit 1 from this verdict on: review (default) or fail" },
	{ NULL, 0, 0, NULL, NULL },
};

/* ---- reading reports ---- */

/* The report at path, checked to be a lictrace JSON report; NULL after printing why. */
static json_t *load_report(const char *path)
{
	struct buf b;
	struct lt_error err;
	json_error_t je;
	json_t *doc = NULL, *tool, *models;
	size_t i;
	json_t *m;

	buf_init(&b, AUDIT_TOOLS_MAX_REPORT);
	if (lt_read_file(&b, path, AUDIT_TOOLS_MAX_REPORT, &err)) {
		fprintf(stderr, "lictrace: %s\n", err.message);
		buf_release(&b);
		return NULL;
	}
	doc = json_loadb(b.data ? b.data : "", b.len, JSON_REJECT_DUPLICATES, &je);
	buf_release(&b);
	if (!doc) {
		fprintf(stderr, "lictrace: %s: not valid JSON (line %d, column %d): %s\n", path, je.line, je.column,
			je.text);
		return NULL;
	}
	tool = json_object_get(doc, "tool");
	models = json_object_get(doc, "models");
	if (!json_is_object(doc) || !json_is_string(json_object_get(tool, "name")) ||
	    strcmp(json_string_value(json_object_get(tool, "name")), "lictrace") != 0 || !json_is_array(models) ||
	    !json_is_string(json_object_get(doc, "verdict"))) {
		fprintf(stderr, "lictrace: %s: not a whole lictrace JSON report (lictrace --format json: tool, models, verdict)\n",
			path);
		json_decref(doc);
		return NULL;
	}
	json_array_foreach (models, i, m) {
		if (!json_is_object(m) || !json_is_string(json_object_get(m, "id")) ||
		    !json_is_string(json_object_get(m, "verdict"))) {
			fprintf(stderr, "lictrace: %s: model %zu has no id or verdict\n", path, i + 1);
			json_decref(doc);
			return NULL;
		}
	}
	return doc;
}

static const char *sget(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Text from a report (model ids come from model repositories) made safe for a
 * terminal. */
static void put_safe(FILE *out, const char *s)
{
	for (const char *p = s ? s : "?"; *p;) {
		const char *repl;
		size_t n = report_char(p, &repl);
		if (repl)
			fputs(repl, out);
		else
			fwrite(p, 1, n, out);
		p += n;
	}
}

/* jansson's output, each newline followed by indent spaces (as the JSON writer
 * lays out its report, so a merged report has the bytes of a single run's). */
struct indent_out {
	FILE *out;
	int indent;
};

static int put_chunk(const char *buf, size_t size, void *data)
{
	static const char spaces[] = "                ";
	const struct indent_out *io = data;

	while (size) {
		const char *nl = memchr(buf, '\n', size);
		size_t n = nl ? (size_t)(nl - buf) + 1 : size;
		if (fwrite(buf, 1, n, io->out) != n ||
		    (nl && fwrite(spaces, 1, (size_t)io->indent, io->out) != (size_t)io->indent))
			return -1;
		buf += n;
		size -= n;
	}
	return 0;
}

static int put_json(FILE *out, const json_t *j, int indent)
{
	struct indent_out io = { out, indent };

	if (!j)
		return -1;
	return json_dump_callback(j, put_chunk, &io, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

/* ---- audit diff ---- */

/* A finding's identity across two audits: its id and evidence (file and line);
 * explanations may be left out of either report. */
static char *finding_key(const json_t *f)
{
	const json_t *ev = json_object_get(f, "evidence");
	const char *file = sget(ev, "file");
	json_int_t line = json_integer_value(json_object_get(ev, "line"));

	return lt_asprintf("%s\x1f%s\x1f%lld", sget(f, "id") ? sget(f, "id") : "?", file ? file : "",
			   (long long)line);
}

/* Findings of old model a not in new model b, each as often as it is missing
 * (a multiset difference), appended to out as {model, id, severity, file, line}. */
static int finding_diff(const json_t *a, const json_t *b, const char *model, json_t *out)
{
	struct strmap count;
	const json_t *f;
	size_t i;
	int rc = 0;

	strmap_init(&count);
	json_array_foreach (json_object_get(b, "findings"), i, f) {
		char *k = finding_key(f);
		uintptr_t n = k ? (uintptr_t)strmap_get(&count, k) : 0;
		if (!k || strmap_put(&count, k, (void *)(n + 1)))
			rc = -1;
		free(k);
	}
	json_array_foreach (json_object_get(a, "findings"), i, f) {
		char *k = finding_key(f);
		uintptr_t n = k ? (uintptr_t)strmap_get(&count, k) : 0;
		const json_t *ev = json_object_get(f, "evidence");
		if (!k) {
			rc = -1;
			continue;
		}
		if (n) {
			strmap_put(&count, k, (void *)(n - 1));
		} else {
			json_t *x = json_object();
			json_object_set_new(x, "model", report_json_str(model));
			json_object_set_new(x, "id", report_json_str(sget(f, "id")));
			json_object_set_new(x, "severity", report_json_str(sget(f, "severity")));
			json_object_set_new(x, "file", report_json_str(sget(ev, "file")));
			json_object_set(x, "line", json_object_get(ev, "line") ? json_object_get(ev, "line") : json_null());
			if (json_array_append_new(out, x))
				rc = -1;
		}
		free(k);
	}
	strmap_release(&count);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "a, b" of a lineage node's licenses, sorted, or "none". */
static char *node_licenses(const json_t *node)
{
	const json_t *ls = json_object_get(node, "licenses"), *l;
	const char **v;
	size_t n = json_array_size(ls), i, k = 0;
	struct buf b;

	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	json_array_foreach (ls, i, l)
		if (json_string_value(l))
			v[k++] = json_string_value(l);
	qsort(v, k, sizeof(*v), cmp_str);
	buf_init(&b, 64 * 1024);
	for (i = 0; i < k; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", v[i]);
	if (!k)
		buf_adds(&b, "none");
	free(v);
	if (buf_error(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* An ancestor whose terms can be compared: resolved and read. */
static int node_known(const json_t *node)
{
	const char *st = sget(node, "status");

	return st && !strcmp(st, "ok") && sget(node, "id");
}

/* Bases (ancestors at any depth) of every model of doc that are known: id ->
 * node (borrowed from doc), the first one met for an id. */
static int index_bases(const json_t *doc, struct strmap *out)
{
	const json_t *m, *n;
	size_t i, k;

	json_array_foreach (json_object_get(doc, "models"), i, m)
		json_array_foreach (json_object_get(json_object_get(m, "lineage"), "nodes"), k, n)
			if (k > 0 && node_known(n) && !strmap_get(out, sget(n, "id")) &&
			    strmap_put(out, sget(n, "id"), (void *)n))
				return -1;
	return 0;
}

/* Bases known in both audits whose licenses differ, with how many of NEW's
 * models inherit from each: [{id, old_revision, new_revision, old_licenses,
 * new_licenses, models}]. */
static json_t *upstream_changes(const json_t *olddoc, const json_t *newdoc)
{
	struct strmap oldb, seen;
	json_t *out = json_array();
	const json_t *m, *n;
	size_t i, k;

	strmap_init(&oldb);
	strmap_init(&seen);
	if (!out || index_bases(olddoc, &oldb))
		goto fail;
	json_array_foreach (json_object_get(newdoc, "models"), i, m) {
		json_array_foreach (json_object_get(json_object_get(m, "lineage"), "nodes"), k, n) {
			const json_t *o;
			json_t *ch;
			char *a, *b;
			if (!k || !node_known(n))
				continue;
			if ((ch = strmap_get(&seen, sget(n, "id")))) {
				if (ch != (json_t *)out) /* a change: one more model inherits it */
					json_object_set_new(ch, "models",
							    json_integer(json_integer_value(json_object_get(ch, "models")) + 1));
				continue;
			}
			o = strmap_get(&oldb, sget(n, "id"));
			a = o ? node_licenses(o) : NULL;
			b = o ? node_licenses(n) : NULL;
			ch = (json_t *)out; /* seen, no change */
			if (a && b && strcmp(a, b)) {
				ch = json_object();
				json_object_set_new(ch, "id", report_json_str(sget(n, "id")));
				json_object_set_new(ch, "old_revision", report_json_str(sget(o, "revision")));
				json_object_set_new(ch, "new_revision", report_json_str(sget(n, "revision")));
				json_object_set_new(ch, "old_licenses", report_json_str(a));
				json_object_set_new(ch, "new_licenses", report_json_str(b));
				json_object_set_new(ch, "models", json_integer(1));
				json_array_append_new(out, ch);
			}
			free(a);
			free(b);
			if (strmap_put(&seen, sget(n, "id"), ch))
				goto fail;
		}
	}
	strmap_release(&oldb);
	strmap_release(&seen);
	return out;
fail:
	strmap_release(&oldb);
	strmap_release(&seen);
	json_decref(out);
	return NULL;
}

/* Models of doc by id: id -> model (borrowed). */
static int index_models(const json_t *doc, struct strmap *out)
{
	const json_t *m;
	size_t i;

	json_array_foreach (json_object_get(doc, "models"), i, m)
		if (!strmap_get(out, sget(m, "id")) && strmap_put(out, sget(m, "id"), (void *)m))
			return -1;
	return 0;
}

static json_t *model_ref(const json_t *m)
{
	return json_pack("{s:o, s:o}", "id", report_json_str(sget(m, "id")), "verdict",
			 report_json_str(sget(m, "verdict")));
}

/* The comparison as one object: added, removed, verdict_changes, new_findings,
 * resolved_findings, upstream_license_changes, verdict {old, new}. */
static json_t *compare(const json_t *olddoc, const json_t *newdoc)
{
	struct strmap om, nm;
	json_t *d = json_object(), *added = json_array(), *removed = json_array(), *vch = json_array(),
	       *nf = json_array(), *rf = json_array(), *up;
	const json_t *m;
	size_t i;
	int rc = 0;

	strmap_init(&om);
	strmap_init(&nm);
	rc |= index_models(olddoc, &om) | index_models(newdoc, &nm);
	json_array_foreach (json_object_get(newdoc, "models"), i, m) {
		const json_t *o = strmap_get(&om, sget(m, "id"));
		if (strmap_get(&nm, sget(m, "id")) != m)
			continue; /* a second model of the same id: compared once */
		if (!o) {
			rc |= json_array_append_new(added, model_ref(m));
			continue;
		}
		if (strcmp(sget(o, "verdict"), sget(m, "verdict")))
			rc |= json_array_append_new(vch, json_pack("{s:o, s:o, s:o}", "id", report_json_str(sget(m, "id")),
								    "old", report_json_str(sget(o, "verdict")), "new",
								    report_json_str(sget(m, "verdict"))));
		rc |= finding_diff(m, o, sget(m, "id"), nf);
		rc |= finding_diff(o, m, sget(m, "id"), rf);
	}
	json_array_foreach (json_object_get(olddoc, "models"), i, m)
		if (strmap_get(&om, sget(m, "id")) == m && !strmap_get(&nm, sget(m, "id")))
			rc |= json_array_append_new(removed, model_ref(m));
	up = upstream_changes(olddoc, newdoc);
	rc |= !up || !d;
	json_object_set_new(d, "verdict", json_pack("{s:o, s:o}", "old", report_json_str(sget(olddoc, "verdict")), "new",
						    report_json_str(sget(newdoc, "verdict"))));
	json_object_set_new(d, "added", added);
	json_object_set_new(d, "removed", removed);
	json_object_set_new(d, "verdict_changes", vch);
	json_object_set_new(d, "new_findings", nf);
	json_object_set_new(d, "resolved_findings", rf);
	json_object_set_new(d, "upstream_license_changes", up ? up : json_array());
	strmap_release(&om);
	strmap_release(&nm);
	if (rc) {
		json_decref(d);
		return NULL;
	}
	return d;
}

static int changed(const json_t *d)
{
	static const char *const lists[] = { "added", "removed", "verdict_changes", "new_findings",
					     "resolved_findings", "upstream_license_changes" };
	const json_t *v = json_object_get(d, "verdict");

	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		if (json_array_size(json_object_get(d, lists[i])))
			return 1;
	return strcmp(sget(v, "old"), sget(v, "new")) != 0;
}

static void text_findings(FILE *out, const json_t *list, const char *title, const char *mark)
{
	const json_t *f;
	size_t i;

	if (!json_array_size(list))
		return;
	fprintf(out, "%s (%zu):\n", title, json_array_size(list));
	json_array_foreach (list, i, f) {
		fprintf(out, "  %s ", mark);
		put_safe(out, sget(f, "model"));
		fputs(": ", out);
		put_safe(out, sget(f, "id"));
		fprintf(out, " (%s", sget(f, "severity") ? sget(f, "severity") : "?");
		if (sget(f, "file")) {
			fputs(", ", out);
			put_safe(out, sget(f, "file"));
			if (json_integer_value(json_object_get(f, "line")) > 0)
				fprintf(out, ":%lld", (long long)json_integer_value(json_object_get(f, "line")));
		}
		fputs(")\n", out);
	}
}

static void text_models(FILE *out, const json_t *list, const char *title, const char *mark)
{
	const json_t *m;
	size_t i;

	if (!json_array_size(list))
		return;
	fprintf(out, "%s (%zu):\n", title, json_array_size(list));
	json_array_foreach (list, i, m) {
		fprintf(out, "  %s ", mark);
		put_safe(out, sget(m, "id"));
		fprintf(out, " (%s)\n", sget(m, "verdict"));
	}
}

static void diff_text(FILE *out, const json_t *d)
{
	const json_t *x, *v = json_object_get(d, "verdict");
	size_t i;

	if (!changed(d)) {
		fputs("No changes between the two audits.\n", out);
		return;
	}
	if (strcmp(sget(v, "old"), sget(v, "new")))
		fprintf(out, "Overall verdict: %s -> %s\n", sget(v, "old"), sget(v, "new"));
	else
		fprintf(out, "Overall verdict: %s (unchanged)\n", sget(v, "new"));
	text_models(out, json_object_get(d, "added"), "Models added", "+");
	text_models(out, json_object_get(d, "removed"), "Models removed", "-");
	if (json_array_size(json_object_get(d, "verdict_changes")))
		fprintf(out, "Verdict changes (%zu):\n", json_array_size(json_object_get(d, "verdict_changes")));
	json_array_foreach (json_object_get(d, "verdict_changes"), i, x) {
		fputs("  ~ ", out);
		put_safe(out, sget(x, "id"));
		fprintf(out, ": %s -> %s\n", sget(x, "old"), sget(x, "new"));
	}
	text_findings(out, json_object_get(d, "new_findings"), "New findings", "+");
	text_findings(out, json_object_get(d, "resolved_findings"), "Resolved findings", "-");
	if (json_array_size(json_object_get(d, "upstream_license_changes")))
		fprintf(out, "Licenses changed upstream (%zu):\n",
			json_array_size(json_object_get(d, "upstream_license_changes")));
	json_array_foreach (json_object_get(d, "upstream_license_changes"), i, x) {
		const char *ro = sget(x, "old_revision"), *rn = sget(x, "new_revision");
		fputs("  ! ", out);
		put_safe(out, sget(x, "id"));
		if (ro || rn) { /* the same base at a new revision under other terms */
			fputs(" (revision ", out);
			put_safe(out, ro ? ro : "none");
			if (!ro || !rn || strcmp(ro, rn)) {
				fputs(" -> ", out);
				put_safe(out, rn ? rn : "none");
			}
			fputs(")", out);
		}
		fputs(": ", out);
		put_safe(out, sget(x, "old_licenses"));
		fputs(" -> ", out);
		put_safe(out, sget(x, "new_licenses"));
		fprintf(out, " (%lld model%s inherit%s it)\n", (long long)json_integer_value(json_object_get(x, "models")),
			json_integer_value(json_object_get(x, "models")) == 1 ? "" : "s",
			json_integer_value(json_object_get(x, "models")) == 1 ? "s" : "");
	}
}

static int cmd_audit_diff(int argc, char **argv)
{
	struct tool_opts o;
	const char **pos = NULL;
	int npos = 0, help = 0, rc = EXIT_USAGE, json;
	json_t *a = NULL, *b = NULL, *d = NULL;
	FILE *out = NULL;

	memset(&o, 0, sizeof(o));
	if (opt_parse(diff_specs, &o, argc, argv, &pos, &npos, &help))
		return EXIT_USAGE;
	if (help) {
		opt_usage(stdout, "lictrace audit diff [options] OLD.json NEW.json", diff_specs);
		printf("\nCompares two audits' JSON reports: models added and removed, verdict changes, new and\n"
		       "resolved findings (matched by model, finding id and evidence), and bases whose licenses\n"
		       "changed upstream. Exit 0 when nothing changed, 1 when something did, 2 on an error.\n");
		free(pos);
		return EXIT_PASS;
	}
	json = o.c.format && !strcmp(o.c.format, "json");
	if (o.c.format && !json && strcmp(o.c.format, "text")) {
		fprintf(stderr, "lictrace: audit diff supports --format text or json\n");
		goto done;
	}
	if (npos != 2) {
		fprintf(stderr, "lictrace: audit diff takes two JSON reports: OLD.json NEW.json\n");
		goto done;
	}
	if (!(a = load_report(pos[0])) || !(b = load_report(pos[1])))
		goto done;
	if (!(d = compare(a, b))) {
		fprintf(stderr, "lictrace: out of memory\n");
		goto done;
	}
	if (!(out = wire_output(&o.c)))
		goto done;
	if (json) {
		json_t *doc = json_pack("{s:o, s:o, s:b}", "old", report_json_str(pos[0]), "new", report_json_str(pos[1]),
					"changed", changed(d));
		json_object_update(doc, d);
		json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(doc);
	} else {
		diff_text(out, d);
	}
	rc = wire_output_close(out, 1) ? EXIT_USAGE : changed(d) ? EXIT_FINDINGS : EXIT_PASS;
	out = NULL;
done:
	wire_output_close(out, 0);
	json_decref(a);
	json_decref(b);
	json_decref(d);
	free(pos);
	return rc;
}

/* ---- audit merge ---- */

/* Top-level fields every report of a merge must agree on: all but these. */
static int per_run(const char *key)
{
	return !strcmp(key, "models") || !strcmp(key, "summary") || !strcmp(key, "verdict") ||
	       !strcmp(key, "finding_kinds");
}

/* Refuse reports that were not made the same way: another lictrace version,
 * another jurisdiction, or any other top-level field that differs (an object
 * holding one entry per kind, such as explanations written once per finding
 * kind, may hold different kinds, each the same wherever it appears, and may be
 * missing). The first report's fields (first == NULL) are copied into head.
 * 0, or EXIT_USAGE after printing why. */
static int merge_head(json_t *head, const json_t *doc, const char *path, const char *first)
{
	const char *key, *k2;
	json_t *v, *v2;

	json_object_foreach ((json_t *)doc, key, v) {
		json_t *h;
		if (per_run(key))
			continue;
		h = json_object_get(head, key);
		if (!first || (!h && json_is_object(v) && strcmp(key, "tool"))) {
			if (json_object_set_new(head, key, json_deep_copy(v)))
				goto oom;
			continue;
		}
		if (!h) {
			fprintf(stderr, "lictrace: %s and %s were not made the same way: '%s' is only in %s", first, path,
				key, path);
			goto refuse;
		}
		if (json_equal(h, v))
			continue;
		if (!json_is_object(h) || !json_is_object(v) || !strcmp(key, "tool"))
			goto differ;
		json_object_foreach (v, k2, v2) {
			json_t *h2 = json_object_get(h, k2);
			if (h2 && !json_equal(h2, v2))
				goto differ;
			if (!h2 && json_object_set(h, k2, v2))
				goto oom;
		}
	}
	json_object_foreach (head, key, v)
		if (!json_object_get(doc, key) && (!json_is_object(v) || !strcmp(key, "tool"))) {
			fprintf(stderr, "lictrace: %s and %s were not made the same way: '%s' is only in %s", first,
				path, key, first);
			goto refuse;
		}
	return 0;
differ:
	fprintf(stderr, "lictrace: %s and %s were not made the same way: their '%s' differs", first, path, key);
refuse:
	fprintf(stderr, " (merge only the reports of one audit: same lictrace version, data and options)\n");
	return EXIT_USAGE;
oom:
	fprintf(stderr, "lictrace: out of memory\n");
	return EXIT_USAGE;
}

/* The key of a model in a merge: what was asked (source.target), else its id. */
static const char *model_key(const json_t *m)
{
	const char *t = sget(json_object_get(m, "source"), "target");

	return t ? t : sget(m, "id");
}

/* A hub id folded to lower case without "@rev", for matching an inventory line. */
static char *fold_id(const char *s)
{
	char *f = lt_strndup(s, strcspn(s, "@"));

	for (char *p = f; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return f;
}

struct entry {
	json_t *model;   /* borrowed from its report */
	size_t order;    /* inventory line, else arrival */
	size_t arrival;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->arrival < y->arrival ? -1 : x->arrival > y->arrival;
}

/* Order entries as the inventory lists their targets: each model matched by its
 * target, else its id, else its id folded; every model must match and every
 * target must have a model. 0, or EXIT_USAGE after printing why. */
static int inventory_order(const char *path, struct entry *e, size_t n)
{
	struct buf b;
	struct lt_error err;
	struct strmap at, folded;
	char **t = NULL;
	size_t nt = 0, missing = 0;
	unsigned char *hit = NULL;
	int rc = EXIT_USAGE;

	strmap_init(&at);
	strmap_init(&folded);
	buf_init(&b, 64u * 1024u * 1024u);
	if (lt_read_file(&b, path, 64u * 1024u * 1024u, &err) ||
	    audit_inventory_parse(b.data ? b.data : "", b.len, path, &t, &nt, &err)) {
		fprintf(stderr, "lictrace: %s\n", err.message);
		goto done;
	}
	if (!(hit = calloc(nt + 1, 1)))
		goto oom;
	for (size_t i = nt; i-- > 0;) { /* the first line of a target wins */
		char *f = fold_id(t[i]);
		if (!f || strmap_put(&at, t[i], (void *)(i + 1)) || strmap_put(&folded, f, (void *)(i + 1))) {
			free(f);
			goto oom;
		}
		free(f);
	}
	for (size_t i = 0; i < n; i++) {
		const char *id = sget(e[i].model, "id");
		uintptr_t k = (uintptr_t)strmap_get(&at, model_key(e[i].model));
		char *f;
		if (!k)
			k = (uintptr_t)strmap_get(&at, id);
		if (!k && (f = fold_id(id))) {
			k = (uintptr_t)strmap_get(&folded, f);
			free(f);
		}
		if (!k) {
			fputs("lictrace: model '", stderr);
			put_safe(stderr, id);
			fprintf(stderr, "' is not a target of the inventory %s (another audit's report?)\n", path);
			goto done;
		}
		e[i].order = k - 1;
		hit[k - 1] = 1;
	}
	for (size_t i = 0; i < nt; i++) {
		uintptr_t k = (uintptr_t)strmap_get(&at, t[i]);
		if (k - 1 != i || hit[i])
			continue; /* a repeated line, or reported */
		if (!missing++) {
			fputs("lictrace: no report holds the inventory's target '", stderr);
			put_safe(stderr, t[i]);
			fputs("'", stderr);
		}
	}
	if (missing) {
		if (missing > 1)
			fprintf(stderr, " nor %zu other target%s", missing - 1, missing > 2 ? "s" : "");
		fputs(" (a shard missing?)\n", stderr);
		goto done;
	}
	rc = 0;
	goto done;
oom:
	fprintf(stderr, "lictrace: out of memory\n");
done:
	for (size_t i = 0; i < nt; i++)
		free(t[i]);
	free(t);
	free(hit);
	buf_release(&b);
	strmap_release(&at);
	strmap_release(&folded);
	return rc;
}

/* The merged report as the JSON writer lays out a single run's. */
static int write_json(FILE *out, const json_t *head, const struct entry *e, size_t n, struct summary *sum,
		      const json_t *allkinds, enum verdict overall)
{
	const char *key;
	json_t *v, *sj = summary_json(sum), *kinds = json_object();
	int rc = 0;

	/* the kinds of the merged models' findings, in order of first use, as one run
	 * writes them */
	for (size_t i = 0; kinds && i < n; i++) {
		json_t *f;
		size_t k;
		json_array_foreach (json_object_get(e[i].model, "findings"), k, f) {
			const char *id = sget(f, "id");
			json_t *def = json_object_get(allkinds, id);
			if (def && !json_object_get(kinds, id))
				json_object_set(kinds, id, def);
		}
	}

	fputs("{\n  \"tool\": ", out);
	rc |= put_json(out, json_object_get(head, "tool"), 2);
	if ((v = json_object_get(head, "jurisdiction"))) {
		fputs(",\n  \"jurisdiction\": ", out);
		rc |= put_json(out, v, 2);
	}
	json_object_foreach ((json_t *)head, key, v) {
		if (!strcmp(key, "tool") || !strcmp(key, "jurisdiction"))
			continue;
		json_t *k = report_json_str(key);
		fputs(",\n  ", out);
		rc |= put_json(out, k, 2);
		fputs(": ", out);
		rc |= put_json(out, v, 2);
		json_decref(k);
	}
	fputs(",\n  \"models\": [", out);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		rc |= put_json(out, e[i].model, 4);
	}
	fputs(n ? "\n  ],\n" : "],\n", out);
	fputs("  \"summary\": ", out);
	rc |= put_json(out, sj, 2);
	json_decref(sj);
	if (json_object_size(allkinds)) {
		fputs(",\n  \"finding_kinds\": ", out);
		rc |= kinds ? put_json(out, kinds, 2) : -1;
	}
	json_decref(kinds);
	fprintf(out, ",\n  \"verdict\": \"%s\"\n}\n", verdict_name(overall));
	return rc || ferror(out) ? -1 : 0;
}

static int write_text(FILE *out, const struct entry *e, size_t n, struct summary *sum, enum verdict overall)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%-10s ", sget(e[i].model, "verdict"));
		put_safe(out, sget(e[i].model, "id"));
		fputc('\n', out);
	}
	if (n)
		fputc('\n', out);
	summary_write_text(sum, out);
	fprintf(out, "\nOverall verdict: %s\n", verdict_name(overall));
	return ferror(out) ? -1 : 0;
}

static int cmd_audit_merge(int argc, char **argv)
{
	struct tool_opts o;
	struct wire w;
	struct strmap seen;
	struct summary *sum = NULL;
	const char **pos = NULL;
	const char *fmt;
	int npos = 0, help = 0, rc = EXIT_USAGE;
	json_t **docs = NULL, *head = json_object(), *allkinds = json_object();
	struct entry *e = NULL;
	size_t n = 0, cap = 0;
	enum verdict overall = VERDICT_PASS;
	enum fail_level level = FAIL_ON_REVIEW;
	FILE *out = NULL;

	memset(&o, 0, sizeof(o));
	memset(&w, 0, sizeof(w));
	strmap_init(&seen);
	if (opt_parse(merge_specs, &o, argc, argv, &pos, &npos, &help)) {
		json_decref(head);
		json_decref(allkinds);
		return EXIT_USAGE;
	}
	if (help) {
		opt_usage(stdout, "lictrace audit merge [options] REPORT.json...", merge_specs);
		printf("\nCombines the JSON reports of one audit's shards (audit --shard I/N --format json) into the\n"
		       "report a single run gives: each model once, the summary and overall verdict recomputed.\n"
		       "Reports of another lictrace version or with other options are refused, and so is a model\n"
		       "two reports give differently. Exit codes as for audit.\n");
		rc = EXIT_PASS;
		goto done;
	}
	fmt = o.c.format ? o.c.format : "json";
	if (strcmp(fmt, "json") && strcmp(fmt, "csv") && strcmp(fmt, "text")) {
		fprintf(stderr, "lictrace: audit merge supports --format json, csv or text\n");
		goto done;
	}
	if (o.c.fail_on && strcmp(o.c.fail_on, "review") && strcmp(o.c.fail_on, "fail")) {
		fprintf(stderr, "lictrace: --fail-on takes 'review' or 'fail'\n");
		goto done;
	}
	if (o.c.fail_on && !strcmp(o.c.fail_on, "fail"))
		level = FAIL_ON_FAIL;
	if (npos < 1 || npos > AUDIT_TOOLS_MAX_INPUTS) {
		fprintf(stderr, "lictrace: audit merge takes the JSON reports to merge (1 to %d)\n", AUDIT_TOOLS_MAX_INPUTS);
		goto done;
	}
	if (!head || !allkinds || !(docs = calloc((size_t)npos, sizeof(*docs))))
		goto oom;
	for (int i = 0; i < npos; i++) {
		json_t *m;
		size_t k;
		if (!(docs[i] = load_report(pos[i])) || merge_head(head, docs[i], pos[i], i ? pos[0] : NULL))
			goto done;
		overall = verdict_worst(overall, verdict_parse(sget(docs[i], "verdict")));
		if (json_is_object(json_object_get(docs[i], "finding_kinds")) &&
		    json_object_update_missing(allkinds, json_object_get(docs[i], "finding_kinds")))
			goto oom;
		json_array_foreach (json_object_get(docs[i], "models"), k, m) {
			uintptr_t prev = (uintptr_t)strmap_get(&seen, model_key(m));
			if (prev) {
				/* one model in two shards: the same result, or the shards disagree */
				if (json_equal(e[prev - 1].model, m))
					continue;
				fputs("lictrace: model '", stderr);
				put_safe(stderr, sget(m, "id"));
				fprintf(stderr, "' is in more than one report with different results (%s); merge only one audit's shards\n",
					pos[i]);
				goto done;
			}
			if (n == cap) {
				size_t nc = cap ? 2 * cap : 256;
				struct entry *ne = realloc(e, nc * sizeof(*ne));
				if (!ne)
					goto oom;
				e = ne;
				cap = nc;
			}
			e[n].model = m;
			e[n].order = e[n].arrival = n;
			if (strmap_put(&seen, model_key(m), (void *)(uintptr_t)(n + 1)))
				goto oom;
			n++;
			overall = verdict_worst(overall, verdict_parse(sget(m, "verdict")));
		}
	}
	if (o.inventory && inventory_order(o.inventory, e, n))
		goto done;
	if (n)
		qsort(e, n, sizeof(*e), cmp_entry);
	if (wire_data(&w, &o.c, 0))
		goto done;
	if (!(sum = summary_new(w.db)))
		goto oom;
	for (size_t i = 0; i < n; i++)
		summary_add_json(sum, e[i].model);
	if (!(out = wire_output(&o.c)))
		goto done;
	if (!strcmp(fmt, "json")) {
		rc = write_json(out, head, e, n, sum, allkinds, overall);
	} else if (!strcmp(fmt, "csv")) {
		rc = report_csv_header(out);
		for (size_t i = 0; i < n && !rc; i++)
			rc = report_csv_json_row(out, e[i].model, w.db);
	} else {
		rc = write_text(out, e, n, sum, overall);
	}
	if (wire_output_close(out, rc == 0) || rc) {
		out = NULL;
		rc = EXIT_USAGE;
		goto done;
	}
	out = NULL;
	rc = policy_exit_code(overall, level);
	goto done;
oom:
	fprintf(stderr, "lictrace: out of memory\n");
	rc = EXIT_USAGE;
done:
	wire_output_close(out, 0);
	summary_free(sum);
	wire_release(&w);
	for (int i = 0; docs && i < npos; i++)
		json_decref(docs[i]);
	free(docs);
	free(e);
	json_decref(head);
	json_decref(allkinds);
	strmap_release(&seen);
	free(pos);
	return rc;
}

int cmd_audit_tools(int argc, char **argv)
{
	const char *name = strrchr(argv[0], ' '); /* "audit diff" from the help tables */

	name = name ? name + 1 : argv[0];
	if (!strcmp(name, "diff"))
		return cmd_audit_diff(argc, argv);
	return cmd_audit_merge(argc, argv);
}
