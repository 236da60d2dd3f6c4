/*
 * cmd_rules.c - `lictrace rules check [DIR]`: validate license definitions and
 * rules (schema, duplicates, unknown references, phrases that normalisation would
 * make unmatchable, finding ids the scanner uses but the data lacks). DIR is a
 * data root (with licenses/ and rules/); default: the built-in data.
 */
#include "cmd.h"
#include "classify/classify.h"
#include "core/err.h"
#include "core/fileio.h"
#include "findings/findings.h"
#include "licensedb/licensedb.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rules_opts {
	struct common_opts c;
};

static const struct opt_spec rules_specs[] = {
	COMMON_OPT_SPECS(struct rules_opts),
	{ NULL, 0, 0, NULL, NULL },
};

int cmd_rules(int argc, char **argv)
{
	struct rules_opts o;
	const char **pos = NULL;
	int npos = 0, help = 0, rc = EXIT_USAGE;
	struct licensedb *db = NULL;
	struct lt_error err;
	const char *roots[OPT_LIST_MAX + 2];
	size_t nroots = 0;

	memset(&o, 0, sizeof(o));
	if (opt_parse(rules_specs, &o, argc, argv, &pos, &npos, &help))
		return EXIT_USAGE;
	if (help || !npos || strcmp(pos[0], "check")) {
		opt_usage(help ? stdout : stderr, "lictrace rules check [options] [DIR]", rules_specs);
		free(pos);
		return help ? EXIT_PASS : EXIT_USAGE;
	}
	if (npos > 2) {
		fprintf(stderr, "lictrace: rules check takes at most one DIR\n");
		goto done;
	}
	roots[nroots++] = npos > 1 ? pos[1] : wire_data_root();
	for (int i = 0; i < o.c.data.n; i++)
		roots[nroots++] = o.c.data.v[i];
	for (size_t i = 0; i < nroots; i++)
		if (!lt_is_dir(roots[i])) {
			fprintf(stderr, "lictrace: rules check: '%s' is not a folder (a data root with licenses/ and rules/)\n",
				roots[i]);
			goto done;
		}
	licensedb_load(&db, roots, nroots, &err);
	if (!db) {
		fprintf(stderr, "lictrace: out of memory\n");
		goto done;
	}
	classify_check_phrases(db);
	for (size_t i = 0; findings_ids[i]; i++)
		if (!licensedb_finding(db, findings_ids[i]))
			licensedb_problem(db, "rules/", 0, "the scanner uses finding '%s' but no rules file defines it",
					  findings_ids[i]);
	for (size_t i = 0; i < db->problems.n; i++)
		printf("%s\n", db->problems.v[i]);
	printf("%zu license definitions, %zu detection rules, %zu role rules, %zu findings: %zu problem%s\n",
	       db->nlics, db->nrules, db->nroles, db->nfindings, db->problems.n,
	       db->problems.n == 1 ? "" : "s");
	rc = db->problems.n ? EXIT_FINDINGS : EXIT_PASS;
done:
	licensedb_free(db);
	free(pos);
	return rc;
}
