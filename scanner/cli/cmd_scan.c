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
#include "run.h"

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
	SCAN_OPT_SPECS(struct scan_opts)
	{ NULL, 0, 0, NULL, NULL },
};

int cmd_scan(int argc, char **argv)
{
	struct scan_opts o;
	struct scan_run run;
	const char **pos = NULL;
	int npos = 0, help = 0, rc = EXIT_USAGE;

	memset(&o, 0, sizeof(o));
	o.c.timeout = -1; /* not given: the default; an explicit 0 is refused */
	memset(&run, 0, sizeof(run));
	common_opts_defaults(&o.c);
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
	if (common_opts_check(&o.c))
		goto done;
	for (int i = 0; i < npos; i++)
		if (check_target(&o.c, pos[i]))
			goto done;
	if ((rc = scan_run_begin(&run, &o.c)))
		goto done;
	for (int i = 0; i < npos; i++)
		scan_run_target(&run, pos[i]);
	rc = scan_run_end(&run);
done:
	scan_run_release(&run);
	free(pos);
	return rc;
}
