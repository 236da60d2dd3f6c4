/* run.c - the scan pipeline; see run.h. */
#include "run.h"
#include "findings/datasets.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/str.h"
#include "findings/aiact.h"
#include "findings/assess.h"
#include "lineage/resolver.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The profile: the policy file's profile: section, each flag given replacing its key. */
static int scan_run_profile(struct scan_run *r, const struct common_opts *c)
{
	struct profile flags;

	if (common_opts_profile(c, &flags))
		return EXIT_USAGE;
	profile_merge(&r->prof, policy_profile(r->pol), &flags);
	r->has_prof = profile_given(&r->prof);
	profile_juris_text(&r->prof, r->juris_text, sizeof(r->juris_text));
	return 0;
}

int scan_run_begin(struct scan_run *r, const struct common_opts *c)
{
	struct lt_error err;
	time_t t = time(NULL);
	struct tm tm;

	memset(r, 0, sizeof(*r));
	r->c = c;
	r->level = FAIL_ON_REVIEW;
	if (common_opts_check(c))
		return EXIT_USAGE;
	if (c->fail_on && strcmp(c->fail_on, "review") && strcmp(c->fail_on, "fail")) {
		fprintf(stderr, "lictrace: --fail-on takes 'review' or 'fail'\n");
		return EXIT_USAGE;
	}
	if (c->timeout == 0) {
		/* no unlimited wait: one stalled server must not hold a run forever */
		fprintf(stderr, "lictrace: --timeout takes a number of seconds of at least 1 (there is no unlimited wait)\n");
		return EXIT_USAGE;
	}
	if (c->fail_on && !strcmp(c->fail_on, "fail"))
		r->level = FAIL_ON_FAIL;
	r->wr = report_writer_new(c->format ? c->format : "text");
	if (!r->wr) {
		fprintf(stderr, "lictrace: unknown format '%s' (one of: %s)\n", c->format, report_formats());
		return EXIT_USAGE;
	}
	if (policy_load(&r->pol, c->policy, &err)) {
		fprintf(stderr, "lictrace: %s\n", err.message);
		return EXIT_USAGE;
	}
	if (scan_run_profile(r, c))
		return EXIT_USAGE;
	if (wire_data(&r->w, c, 0) || wire_resolver(&r->w, c))
		return EXIT_USAGE;
	if (!(r->out = wire_output(c)))
		return EXIT_USAGE;
	if (lgraph_init(&r->g, r->w.res, c->max_depth > 0 ? c->max_depth : 0))
		return EXIT_USAGE;
	r->graph_ok = 1;
	r->rctx.db = r->w.db;
	r->rctx.out = r->out;
	r->rctx.color = !c->no_color && r->out == stdout && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	r->rctx.quiet = c->quiet;
	r->rctx.jurisdiction = r->prof.njuris ? r->juris_text : c->jurisdiction;
	r->rctx.version = LT_VERSION;
	r->rctx.compact_json = c->compact_json;
	r->wr->begin(r->wr, &r->rctx);
	gmtime_r(&t, &tm);
	strftime(r->date, sizeof(r->date), "%Y-%m-%d", &tm);
	return 0;
}

void scan_run_prefetch(struct scan_run *r, const char *const *ids, const char *const *revs,
		       size_t n)
{
	if (!r->graph_err.code)
		lgraph_prefetch(&r->g, ids, revs, n, &r->graph_err);
}

enum verdict scan_run_target(struct scan_run *r, const char *target)
{
	return scan_run_target_hint(r, target, -1);
}

enum verdict scan_run_target_hint(struct scan_run *r, const char *target, int is_dir)
{
	struct model_record *rec = NULL;
	struct lnode *root = NULL;
	struct model_report m;
	struct check_opts co = { r->c->jurisdiction, &r->prof };
	struct lt_error err;
	enum verdict v;

	lt_error_clear(&err);
	if (r->graph_err.code) {
		/* a prefetch stopped half way: no lineage can be trusted whole */
		fprintf(stderr, "lictrace: %s: %s\n", target, r->graph_err.message);
		r->overall = verdict_worst(r->overall, VERDICT_INCOMPLETE);
		return VERDICT_INCOMPLETE;
	}
	/* a hub id whose record a prefetch already resolved (the node lgraph_add_root
	 * would keep anyway): not built twice */
	if (record_is_hub_id(target) && !strchr(target, '@') &&
	    !(is_dir >= 0 ? is_dir : lt_is_dir(target)))
		root = lgraph_find(&r->g, target);
	if (root && !root->rec)
		root = NULL;
	if (root) {
		root->depth = 0;
	} else if (wire_record(&r->w, r->c, target, &rec, &err)) {
		/* still one model in the report: what was asked, and why it is unknown */
		fprintf(stderr, "lictrace: %s\n", err.message[0] ? err.message : "cannot scan target");
		rec = calloc(1, sizeof(*rec));
		if (!rec) {
			r->overall = verdict_worst(r->overall, VERDICT_INCOMPLETE);
			return VERDICT_INCOMPLETE;
		}
		/* a URL's user and password never reach the report */
		rec->id = report_redact(target);
		rec->target = report_redact(target);
		rec->source_kind = lt_strdup("unreadable");
		{
			char *why = report_redact(err.message[0] ? err.message : lt_code_name(err.code));
			record_note(rec, "target-unreadable", NULL, 0, "'%s' could not be read: %s",
				    rec->id ? rec->id : "?", why ? why : "?");
			free(why);
		}
	}
	if ((!root && lgraph_add_root(&r->g, rec, &root)) || lgraph_expand(&r->g, root, &err) ||
	    findings_check(&m, r->w.db, &r->g, root, &co, &err)) {
		fprintf(stderr, "lictrace: %s\n", err.message);
		r->overall = verdict_worst(r->overall, VERDICT_INCOMPLETE);
		return VERDICT_INCOMPLETE;
	}
	if (findings_datasets(&m, r->w.db, r->w.ds) != 0) {
		fprintf(stderr, "lictrace: out of memory\n");
		model_report_release(&m);
		r->overall = verdict_worst(r->overall, VERDICT_INCOMPLETE);
		return VERDICT_INCOMPLETE;
	}
	policy_apply(r->pol, r->w.db, &m, r->date);
	if (r->has_prof && (m.assessment = assess_model(&m, &r->prof)))
		r->answers[m.assessment->answer]++;
	m.aiact = aiact_assess(&m, &co);
	v = m.verdict;
	r->overall = verdict_worst(r->overall, v);
	r->wr->model(r->wr, &m, &r->g);
	model_report_release(&m);
	return v;
}

void scan_run_trim(struct scan_run *r, size_t max_nodes)
{
	const struct common_opts *c = r->c;

	if (!r->graph_ok || r->g.nnodes <= max_nodes)
		return;
	lgraph_release(&r->g);
	resolver_forget(r->w.res);
	r->graph_ok = 0;
	if (lgraph_init(&r->g, r->w.res, c->max_depth > 0 ? c->max_depth : 0)) {
		/* no graph: every later target is incomplete, and says why */
		lt_error_set(&r->graph_err, LT_ENOMEM, NULL, 0, "out of memory for the lineage graph");
		return;
	}
	r->graph_ok = 1;
	r->trims++;
}

int scan_run_end(struct scan_run *r)
{
	int ended = r->wr->end(r->wr, r->overall) == 0;
	int closed = wire_output_close(r->out, ended);

	r->out = NULL;
	if (!ended || closed) {
		if (!ended && !closed)
			fprintf(stderr, "lictrace: the report could not be written whole\n");
		return EXIT_USAGE;
	}
	return policy_exit_code(r->overall, r->level);
}

void scan_run_answers(const struct scan_run *r, FILE *f)
{
	char q[512];

	if (!r->has_prof)
		return;
	profile_describe(&r->prof, q, sizeof(q));
	fprintf(f, "lictrace: audit: cleared for %s: %zu cleared, %zu not cleared, %zu review\n", q,
		r->answers[ANSWER_YES], r->answers[ANSWER_NO], r->answers[ANSWER_REVIEW]);
}

void scan_run_release(struct scan_run *r)
{
	wire_output_close(r->out, 0); /* not ended: no report left behind */
	if (r->graph_ok)
		lgraph_release(&r->g);
	report_writer_free(r->wr);
	policy_free(r->pol);
	wire_release(&r->w);
	memset(r, 0, sizeof(*r));
}
