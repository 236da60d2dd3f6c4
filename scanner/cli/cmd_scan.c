/*
 * cmd_scan.c - `lictrace scan TARGET...`: one record per target, its lineage
 * resolved, obligations and findings computed, the policy applied, the report
 * written. Exit code from the overall verdict.
 */
#include "cmd.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "findings/findings.h"
#include "licensedb/licensedb.h"
#include "lineage/graph.h"
#include "policy/policy.h"
#include "record/record.h"
#include "report/report.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct scan_opts {
	struct common_opts c;
};

static const struct opt_spec scan_specs[] = {
	COMMON_OPT_SPECS(struct scan_opts),
	{ "policy", OPT_STR, offsetof(struct scan_opts, c.policy), "FILE", "organisation policy (YAML)" },
	{ "fail-on", OPT_STR, offsetof(struct scan_opts, c.fail_on), "LEVEL", "review (default) or fail: which verdicts exit 1" },
	{ "jurisdiction", OPT_STR, offsetof(struct scan_opts, c.jurisdiction), "CODE", "check territory exclusions for EU, UK, KR, ..." },
	{ "hub-mirror", OPT_STR, offsetof(struct scan_opts, c.hub_mirror), "DIR", "resolve base models from DIR/org/name/" },
	{ "hf-home", OPT_STR, offsetof(struct scan_opts, c.hf_home), "DIR", "huggingface_hub home (default $HF_HOME)" },
	{ "max-depth", OPT_INT, offsetof(struct scan_opts, c.max_depth), "N", "follow base models at most N levels (default 64)" },
	{ "rev", OPT_STR, offsetof(struct scan_opts, c.rev), "REV", "revision (git repository or hub model; a folder with --rev is read as git)" },
	{ "endpoint", OPT_STR, offsetof(struct scan_opts, c.endpoint), "URL", "hub endpoint (default $HF_ENDPOINT, else https://huggingface.co)" },
	{ "token-file", OPT_STR, offsetof(struct scan_opts, c.token_file), "FILE", "hub token file (default $HF_TOKEN, $HF_TOKEN_PATH, $HF_HOME/token)" },
	{ "staged", OPT_FLAG, offsetof(struct scan_opts, c.staged), NULL, "scan the staged content of a git repository (pre-commit)" },
	{ "ca-bundle", OPT_STR, offsetof(struct scan_opts, c.ca_bundle), "FILE", "trust these CA certificates (TLS verification is always on)" },
	{ "timeout", OPT_INT, offsetof(struct scan_opts, c.timeout), "SECONDS", "per-request time limit (default 60)" },
	{ "offline", OPT_FLAG, offsetof(struct scan_opts, c.offline), NULL, "no network: caches and mirrors only" },
	{ "cache", OPT_STR, offsetof(struct scan_opts, c.cache), "DIR", "cache directory" },
	{ "jobs", OPT_INT, offsetof(struct scan_opts, c.jobs), "N", "transfers in flight" },
	{ "quiet", OPT_FLAG, offsetof(struct scan_opts, c.quiet), NULL, "print nothing when every model passes" },
	{ "no-color", OPT_FLAG, offsetof(struct scan_opts, c.no_color), NULL, "no colours in text output" },
	{ NULL, 0, 0, NULL, NULL },
};

static void today(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

int cmd_scan(int argc, char **argv)
{
	struct scan_opts o;
	struct wire w;
	struct lgraph g;
	struct policy *pol = NULL;
	struct report_writer *wr = NULL;
	struct report_ctx rctx;
	const char **pos = NULL;
	int npos = 0, help = 0, rc = EXIT_USAGE, graph_ok = 0;
	enum verdict overall = VERDICT_PASS;
	enum fail_level level = FAIL_ON_REVIEW;
	struct lt_error err;
	FILE *out = NULL;
	char date[16];

	memset(&o, 0, sizeof(o));
	memset(&w, 0, sizeof(w));
	if (opt_parse(scan_specs, &o, argc, argv, &pos, &npos, &help))
		return EXIT_USAGE;
	if (help) {
		opt_usage(stdout, "lictrace scan [options] TARGET...", scan_specs);
		free(pos);
		return EXIT_PASS;
	}
	if (!npos) {
		fprintf(stderr, "lictrace: scan needs a TARGET (folder, repository, archive or org/name)\n");
		goto done;
	}
	if (o.c.fail_on && strcmp(o.c.fail_on, "review") && strcmp(o.c.fail_on, "fail")) {
		fprintf(stderr, "lictrace: --fail-on takes 'review' or 'fail'\n");
		goto done;
	}
	if (o.c.fail_on && !strcmp(o.c.fail_on, "fail"))
		level = FAIL_ON_FAIL;
	wr = report_writer_new(o.c.format ? o.c.format : "text");
	if (!wr) {
		fprintf(stderr, "lictrace: unknown format '%s' (one of: %s)\n", o.c.format, report_formats());
		goto done;
	}
	if (policy_load(&pol, o.c.policy, &err)) {
		fprintf(stderr, "lictrace: %s\n", err.message);
		goto done;
	}
	if ((rc = wire_data(&w, &o.c, 0)) || (rc = wire_resolver(&w, &o.c))) {
		rc = EXIT_USAGE;
		goto done;
	}
	rc = EXIT_USAGE;
	if (!(out = wire_output(&o.c)))
		goto done;
	if (lgraph_init(&g, w.res, o.c.max_depth ? o.c.max_depth : 0))
		goto done;
	graph_ok = 1;
	memset(&rctx, 0, sizeof(rctx));
	rctx.db = w.db;
	rctx.out = out;
	rctx.color = !o.c.no_color && out == stdout && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	rctx.quiet = o.c.quiet;
	rctx.jurisdiction = o.c.jurisdiction;
	rctx.version = LT_VERSION;
	wr->begin(wr, &rctx);
	today(date, sizeof(date));
	for (int i = 0; i < npos; i++) {
		struct model_record *rec = NULL;
		struct lnode *root = NULL;
		struct model_report m;
		struct check_opts co = { o.c.jurisdiction };

		lt_error_clear(&err);
		if (wire_record(&w, &o.c, pos[i], &rec, &err)) {
			/* still one model in the report: what was asked, and why it is unknown */
			fprintf(stderr, "lictrace: %s\n", err.message[0] ? err.message : "cannot scan target");
			rec = calloc(1, sizeof(*rec));
			if (!rec) {
				overall = verdict_worst(overall, VERDICT_INCOMPLETE);
				continue;
			}
			rec->id = lt_strdup(pos[i]);
			rec->target = lt_strdup(pos[i]);
			rec->source_kind = lt_strdup("unreadable");
			record_note(rec, "target-unreadable", NULL, 0, "'%s' could not be read: %s", pos[i],
				    err.message[0] ? err.message : lt_code_name(err.code));
		}
		if (lgraph_add_root(&g, rec, &root) || lgraph_expand(&g, root, &err)) {
			fprintf(stderr, "lictrace: %s\n", err.message);
			overall = verdict_worst(overall, VERDICT_INCOMPLETE);
			continue;
		}
		if (findings_check(&m, w.db, &g, root, &co, &err)) {
			fprintf(stderr, "lictrace: %s\n", err.message);
			overall = verdict_worst(overall, VERDICT_INCOMPLETE);
			continue;
		}
		policy_apply(pol, w.db, &m, date);
		overall = verdict_worst(overall, m.verdict);
		wr->model(wr, &m, &g);
		model_report_release(&m);
	}
	wr->end(wr, overall);
	rc = policy_exit_code(overall, level);
done:
	if (out && out != stdout)
		fclose(out);
	if (graph_ok)
		lgraph_release(&g);
	report_writer_free(wr);
	policy_free(pol);
	wire_release(&w);
	free(pos);
	return rc;
}
