/*
 * cmd_audit_merge.c - `lictrace audit merge REPORT.json...`: the shards' reports
 * as one report equal to a single run's (see cmd_audit_tools.c).
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

static const struct opt_spec merge_specs[] = {
	{ "format", OPT_STR, offsetof(struct tool_opts, c.format), "FMT", "json (the default), csv or text" },
	{ "output", OPT_STR, offsetof(struct tool_opts, c.output), "FILE", "write the merged report to FILE" },
	{ "inventory", OPT_STR, offsetof(struct tool_opts, inventory), "FILE",
	  "the audit's inventory: models in its order, and every target of it must be in some report" },
	{ "data", OPT_LIST, offsetof(struct tool_opts, c.data), "DIR", "extra licenses/ and rules/ under DIR (repeatable)" },
	{ "fail-on", OPT_STR, offsetof(struct tool_opts, c.fail_on), "LEVEL", "exit 1 from this verdict on: review (default) or fail" },
	{ NULL, 0, 0, NULL, NULL },
};

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
	const char *t = at_sget(json_object_get(m, "source"), "target");

	return t ? t : at_sget(m, "id");
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
		const char *id = at_sget(e[i].model, "id");
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
			at_put_safe(stderr, id);
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
			at_put_safe(stderr, t[i]);
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
			const char *id = at_sget(f, "id");
			json_t *def = json_object_get(allkinds, id);
			if (def && !json_object_get(kinds, id))
				json_object_set(kinds, id, def);
		}
	}

	/* compact, a model a line: the layout of a single audit's report */
	fputs("{\"tool\":", out);
	rc |= at_put_json(out, json_object_get(head, "tool"));
	if ((v = json_object_get(head, "jurisdiction"))) {
		fputs(",\"jurisdiction\":", out);
		rc |= at_put_json(out, v);
	}
	json_object_foreach ((json_t *)head, key, v) {
		if (!strcmp(key, "tool") || !strcmp(key, "jurisdiction"))
			continue;
		json_t *k = report_json_str(key);
		fputs(",", out);
		rc |= at_put_json(out, k);
		fputs(":", out);
		rc |= at_put_json(out, v);
		json_decref(k);
	}
	fputs(",\"models\":[", out);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n" : "\n", out);
		rc |= at_put_json(out, e[i].model);
	}
	fputs(n ? "\n]," : "],", out);
	fputs("\"summary\":", out);
	rc |= at_put_json(out, sj);
	json_decref(sj);
	if (json_object_size(allkinds)) {
		fputs(",\"finding_kinds\":", out);
		rc |= kinds ? at_put_json(out, kinds) : -1;
	}
	json_decref(kinds);
	fprintf(out, ",\"verdict\":\"%s\"}\n", verdict_name(overall));
	return rc || ferror(out) ? -1 : 0;
}

static int write_text(FILE *out, const struct entry *e, size_t n, struct summary *sum, enum verdict overall)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%-10s ", at_sget(e[i].model, "verdict"));
		at_put_safe(out, at_sget(e[i].model, "id"));
		fputc('\n', out);
	}
	if (n)
		fputc('\n', out);
	summary_write_text(sum, out);
	fprintf(out, "\nOverall verdict: %s\n", verdict_name(overall));
	return ferror(out) ? -1 : 0;
}

int cmd_audit_merge(int argc, char **argv)
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
		if (!(docs[i] = at_load_report(pos[i])) || merge_head(head, docs[i], pos[i], i ? pos[0] : NULL))
			goto done;
		overall = verdict_worst(overall, verdict_parse(at_sget(docs[i], "verdict")));
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
				at_put_safe(stderr, at_sget(m, "id"));
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
			overall = verdict_worst(overall, verdict_parse(at_sget(m, "verdict")));
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
