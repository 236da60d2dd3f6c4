/*
 * cmd_audit_tools.c - what is done with finished audits' JSON reports (this
 * file: reading them, `audit diff`, and the dispatch; cmd_audit_merge.c: merge):
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
#include "audit_tools.h"
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



static const struct opt_spec diff_specs[] = {
	{ "format", OPT_STR, offsetof(struct tool_opts, c.format), "FMT", "text (the default) or json" },
	{ "output", OPT_STR, offsetof(struct tool_opts, c.output), "FILE", "write the comparison to FILE" },
	{ NULL, 0, 0, NULL, NULL },
};

/* ---- reading reports ---- */

/* The report at path, checked to be a lictrace JSON report; NULL after printing why. */
json_t *at_load_report(const char *path)
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

const char *at_sget(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Text from a report (model ids come from model repositories) made safe for a
 * terminal. */
void at_put_safe(FILE *out, const char *s)
{
	report_put_safe(out, s ? s : "?");
}

/* Compact, as an audit lays out its JSON report (so a merged report has the bytes
 * of a single run's). */
int at_put_json(FILE *out, const json_t *j)
{
	if (!j)
		return -1;
	return json_dumpf(j, out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

/* ---- audit diff ---- */

/* A finding's identity across two audits: its id and evidence (file and line);
 * explanations may be left out of either report. */
static char *finding_key(const json_t *f)
{
	const json_t *ev = json_object_get(f, "evidence");
	const char *file = at_sget(ev, "file");
	json_int_t line = json_integer_value(json_object_get(ev, "line"));

	return lt_asprintf("%s\x1f%s\x1f%lld", at_sget(f, "id") ? at_sget(f, "id") : "?", file ? file : "",
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
			json_object_set_new(x, "id", report_json_str(at_sget(f, "id")));
			json_object_set_new(x, "severity", report_json_str(at_sget(f, "severity")));
			json_object_set_new(x, "file", report_json_str(at_sget(ev, "file")));
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
	const char *st = at_sget(node, "status");

	return st && !strcmp(st, "ok") && at_sget(node, "id");
}

/* Bases (ancestors at any depth) of every model of doc that are known: id ->
 * node (borrowed from doc), the first one met for an id. */
static int index_bases(const json_t *doc, struct strmap *out)
{
	const json_t *m, *n;
	size_t i, k;

	json_array_foreach (json_object_get(doc, "models"), i, m)
		json_array_foreach (json_object_get(json_object_get(m, "lineage"), "nodes"), k, n)
			if (k > 0 && node_known(n) && !strmap_get(out, at_sget(n, "id")) &&
			    strmap_put(out, at_sget(n, "id"), (void *)n))
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
			if ((ch = strmap_get(&seen, at_sget(n, "id")))) {
				if (ch != (json_t *)out) /* a change: one more model inherits it */
					json_object_set_new(ch, "models",
							    json_integer(json_integer_value(json_object_get(ch, "models")) + 1));
				continue;
			}
			o = strmap_get(&oldb, at_sget(n, "id"));
			a = o ? node_licenses(o) : NULL;
			b = o ? node_licenses(n) : NULL;
			ch = (json_t *)out; /* seen, no change */
			if (a && b && strcmp(a, b)) {
				ch = json_object();
				json_object_set_new(ch, "id", report_json_str(at_sget(n, "id")));
				json_object_set_new(ch, "old_revision", report_json_str(at_sget(o, "revision")));
				json_object_set_new(ch, "new_revision", report_json_str(at_sget(n, "revision")));
				json_object_set_new(ch, "old_licenses", report_json_str(a));
				json_object_set_new(ch, "new_licenses", report_json_str(b));
				json_object_set_new(ch, "models", json_integer(1));
				json_array_append_new(out, ch);
			}
			free(a);
			free(b);
			if (strmap_put(&seen, at_sget(n, "id"), ch))
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
		if (!strmap_get(out, at_sget(m, "id")) && strmap_put(out, at_sget(m, "id"), (void *)m))
			return -1;
	return 0;
}

static json_t *model_ref(const json_t *m)
{
	return json_pack("{s:o, s:o}", "id", report_json_str(at_sget(m, "id")), "verdict",
			 report_json_str(at_sget(m, "verdict")));
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
		const json_t *o = strmap_get(&om, at_sget(m, "id"));
		if (strmap_get(&nm, at_sget(m, "id")) != m)
			continue; /* a second model of the same id: compared once */
		if (!o) {
			rc |= json_array_append_new(added, model_ref(m));
			continue;
		}
		if (strcmp(at_sget(o, "verdict"), at_sget(m, "verdict")))
			rc |= json_array_append_new(vch, json_pack("{s:o, s:o, s:o}", "id", report_json_str(at_sget(m, "id")),
								    "old", report_json_str(at_sget(o, "verdict")), "new",
								    report_json_str(at_sget(m, "verdict"))));
		rc |= finding_diff(m, o, at_sget(m, "id"), nf);
		rc |= finding_diff(o, m, at_sget(m, "id"), rf);
	}
	json_array_foreach (json_object_get(olddoc, "models"), i, m)
		if (strmap_get(&om, at_sget(m, "id")) == m && !strmap_get(&nm, at_sget(m, "id")))
			rc |= json_array_append_new(removed, model_ref(m));
	up = upstream_changes(olddoc, newdoc);
	rc |= !up || !d;
	json_object_set_new(d, "verdict", json_pack("{s:o, s:o}", "old", report_json_str(at_sget(olddoc, "verdict")), "new",
						    report_json_str(at_sget(newdoc, "verdict"))));
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
	return strcmp(at_sget(v, "old"), at_sget(v, "new")) != 0;
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
		at_put_safe(out, at_sget(f, "model"));
		fputs(": ", out);
		at_put_safe(out, at_sget(f, "id"));
		fprintf(out, " (%s", at_sget(f, "severity") ? at_sget(f, "severity") : "?");
		if (at_sget(f, "file")) {
			fputs(", ", out);
			at_put_safe(out, at_sget(f, "file"));
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
		at_put_safe(out, at_sget(m, "id"));
		fprintf(out, " (%s)\n", at_sget(m, "verdict"));
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
	if (strcmp(at_sget(v, "old"), at_sget(v, "new")))
		fprintf(out, "Overall verdict: %s -> %s\n", at_sget(v, "old"), at_sget(v, "new"));
	else
		fprintf(out, "Overall verdict: %s (unchanged)\n", at_sget(v, "new"));
	text_models(out, json_object_get(d, "added"), "Models added", "+");
	text_models(out, json_object_get(d, "removed"), "Models removed", "-");
	if (json_array_size(json_object_get(d, "verdict_changes")))
		fprintf(out, "Verdict changes (%zu):\n", json_array_size(json_object_get(d, "verdict_changes")));
	json_array_foreach (json_object_get(d, "verdict_changes"), i, x) {
		fputs("  ~ ", out);
		at_put_safe(out, at_sget(x, "id"));
		fprintf(out, ": %s -> %s\n", at_sget(x, "old"), at_sget(x, "new"));
	}
	text_findings(out, json_object_get(d, "new_findings"), "New findings", "+");
	text_findings(out, json_object_get(d, "resolved_findings"), "Resolved findings", "-");
	if (json_array_size(json_object_get(d, "upstream_license_changes")))
		fprintf(out, "Licenses changed upstream (%zu):\n",
			json_array_size(json_object_get(d, "upstream_license_changes")));
	json_array_foreach (json_object_get(d, "upstream_license_changes"), i, x) {
		const char *ro = at_sget(x, "old_revision"), *rn = at_sget(x, "new_revision");
		fputs("  ! ", out);
		at_put_safe(out, at_sget(x, "id"));
		if (ro || rn) { /* the same base at a new revision under other terms */
			fputs(" (revision ", out);
			at_put_safe(out, ro ? ro : "none");
			if (!ro || !rn || strcmp(ro, rn)) {
				fputs(" -> ", out);
				at_put_safe(out, rn ? rn : "none");
			}
			fputs(")", out);
		}
		fputs(": ", out);
		at_put_safe(out, at_sget(x, "old_licenses"));
		fputs(" -> ", out);
		at_put_safe(out, at_sget(x, "new_licenses"));
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
	if (!(a = at_load_report(pos[0])) || !(b = at_load_report(pos[1])))
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

int cmd_audit_tools(int argc, char **argv)
{
	const char *name = strrchr(argv[0], ' '); /* "audit diff" from the help tables */

	name = name ? name + 1 : argv[0];
	if (!strcmp(name, "diff"))
		return cmd_audit_diff(argc, argv);
	return cmd_audit_merge(argc, argv);
}
