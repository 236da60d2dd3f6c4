/*
 * cmd_fix.c - `lictrace fix [options] TARGET`: scan one model as `scan` does,
 * then print as a unified diff the changes that meet what it inherits (a NOTICE
 * with the required sentences, the licenses' texts, the card's front matter and
 * display lines; see fix/plan.h). `--write` applies them to a local folder.
 *
 * Output: the diff on stdout (or --output), what each change is for and what a
 * person must do on stderr. Exit codes: 0 nothing to fix; 1 changes to make (a
 * dry run) or something left for a person (after --write: a name to change, a
 * text no source holds); 2 usage, or a refusal to write (a link, a target that
 * is not a local folder, a file changed meanwhile); 3 the scan is incomplete
 * (an ancestor could not be resolved: its duties are not known, so neither is
 * the whole fix).
 */
#include "cmd.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "findings/findings.h"
#include "fix/apply.h"
#include "fix/diff.h"
#include "fix/plan.h"
#include "lineage/graph.h"
#include "policy/policy.h"
#include "record/record.h"
#include "run.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fix_opts {
	struct common_opts c;
	int write;
};

static const struct opt_spec fix_specs[] = {
	SCAN_OPT_SPECS(struct fix_opts)
	{ "write", OPT_FLAG, offsetof(struct fix_opts, write), NULL, "apply the changes to the folder (a local folder only)" },
	{ NULL, 0, 0, NULL, NULL },
};

/* The target's scanned model: record, lineage, findings. */
static int fix_scan(struct scan_run *run, const char *target, struct model_report *m)
{
	struct model_record *rec = NULL;
	struct lnode *root = NULL;
	struct check_opts co = { run->c->jurisdiction, &run->prof };
	struct lt_error err;

	lt_error_clear(&err);
	if (wire_record(&run->w, run->c, target, &rec, &err)) {
		fprintf(stderr, "lictrace: %s\n", err.message[0] ? err.message : "cannot read the target");
		return EXIT_INCOMPLETE;
	}
	if (lgraph_add_root(&run->g, rec, &root) || lgraph_expand(&run->g, root, &err) ||
	    findings_check(m, run->w.db, &run->g, root, &co, &err)) {
		fprintf(stderr, "lictrace: %s\n", err.message);
		model_report_release(m); /* whatever findings_check had allocated */
		return EXIT_INCOMPLETE;
	}
	policy_apply(run->pol, run->w.db, m, run->date); /* the verdict, as scan gives it */
	return 0;
}

static int print_plan(FILE *out, const struct fix_plan *p)
{
	struct buf b;
	int rc = 0;

	buf_init(&b, (size_t)1 << 30);
	for (size_t i = 0; i < p->nchanges && !rc; i++) {
		const struct fix_change *c = &p->changes[i];
		rc = fix_diff(&b, c->path, c->old, c->old_len, c->new_text, c->new_len);
	}
	if (!rc && b.len && fwrite(buf_cstr(&b), 1, b.len, out) != b.len)
		rc = LT_EIO;
	buf_release(&b);
	for (size_t i = 0; i < p->nchanges; i++)
		fprintf(stderr, "lictrace: fix: %s: %s\n", p->changes[i].path, p->changes[i].why);
	for (size_t i = 0; i < p->nsuggest; i++)
		fprintf(stderr, "lictrace: fix: suggested (not applied): %s\n", p->suggest[i]);
	for (size_t i = 0; i < p->nmanual; i++)
		fprintf(stderr, "lictrace: fix: needs manual action: %s\n", p->manual[i]);
	return rc;
}

int cmd_fix(int argc, char **argv)
{
	struct fix_opts o;
	struct scan_run run;
	struct model_report m;
	struct fix_plan plan;
	struct fix_reader rd;
	struct lt_error err;
	const char **pos = NULL;
	int npos = 0, help = 0, rc = EXIT_USAGE, have_m = 0, have_plan = 0, local;

	memset(&o, 0, sizeof(o));
	memset(&run, 0, sizeof(run));
	memset(&m, 0, sizeof(m));
	memset(&plan, 0, sizeof(plan));
	o.c.timeout = -1;
	common_opts_defaults(&o.c);
	if (opt_parse(fix_specs, &o, argc, argv, &pos, &npos, &help))
		return EXIT_USAGE;
	if (help) {
		opt_usage(stdout, "lictrace fix [options] TARGET", fix_specs);
		printf("\nPrints, as a unified diff, the changes that meet what the model inherits: a\n"
		       "NOTICE with the required sentences, the license texts its ancestors ship, the\n"
		       "card's license, base_model and display lines. A name the licenses require is\n"
		       "suggested, never applied. --write applies the changes to a local folder.\n");
		free(pos);
		return EXIT_PASS;
	}
	if (npos != 1) {
		fprintf(stderr, "lictrace: fix takes one TARGET (a model folder)\n");
		goto done;
	}
	if (o.c.format && strcmp(o.c.format, "text")) {
		fprintf(stderr, "lictrace: fix prints a unified diff; --format does not apply\n");
		goto done;
	}
	if (common_opts_check(&o.c) || check_target(&o.c, pos[0]))
		goto done;
	local = lt_is_dir(pos[0]) && !o.c.rev && !o.c.staged;
	if (o.write && !local) {
		fprintf(stderr, "lictrace: fix --write changes a local model folder only; '%s' is not one "
			"(without --write, the diff shows the changes)\n", pos[0]);
		goto done;
	}
	record_keep_license_texts(1);
	if ((rc = scan_run_begin(&run, &o.c)))
		goto done;
	if ((rc = fix_scan(&run, pos[0], &m)))
		goto done;
	have_m = 1;
	rd.read = local ? fix_read_dir : fix_read_record;
	rd.ctx = local ? (void *)pos[0] : (void *)m.node->rec;
	if (fix_plan_build(&plan, &m, run.w.db, &rd, &err)) {
		fprintf(stderr, "lictrace: fix: %s\n", err.message);
		rc = EXIT_USAGE;
		goto done;
	}
	have_plan = 1;
	if (print_plan(run.out, &plan) != 0 || wire_output_close(run.out, 1) != 0) {
		run.out = NULL;
		fprintf(stderr, "lictrace: the diff could not be written whole\n");
		rc = EXIT_USAGE;
		goto done;
	}
	run.out = NULL;
	if (o.write && plan.nchanges) {
		if (fix_apply(pos[0], &plan, &err)) {
			fprintf(stderr, "lictrace: fix: %s\n", err.message);
			rc = EXIT_USAGE;
			goto done;
		}
		fprintf(stderr, "lictrace: fix: wrote %zu file%s in '%s'\n", plan.nchanges,
			plan.nchanges == 1 ? "" : "s", pos[0]);
	}
	if (m.verdict == VERDICT_INCOMPLETE) {
		fprintf(stderr, "lictrace: fix: the scan is incomplete (see 'lictrace scan'): what unresolved "
			"ancestors require is not known, so this fix may not be all\n");
		rc = EXIT_INCOMPLETE;
	} else if (plan.nmanual || plan.nsuggest || (!o.write && plan.nchanges)) {
		rc = EXIT_FINDINGS;
	} else {
		if (!plan.nchanges)
			fprintf(stderr, "lictrace: fix: nothing to fix\n");
		rc = EXIT_PASS;
	}
done:
	if (have_plan)
		fix_plan_release(&plan);
	if (have_m)
		model_report_release(&m);
	scan_run_release(&run);
	free(pos);
	return rc;
}
