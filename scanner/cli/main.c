/*
 * main.c - lictrace entry point: dispatch to a subcommand from the table.
 * Exit codes: 0 pass, 1 findings at the fail level, 2 usage or configuration
 * error, 3 incomplete (something could not be resolved).
 */
#include "cmd.h"
#include "classimg.h"
#include "core/err.h"
#include "help.h"
#include "licensedb/installed.h"
#include "licensedb/licensedb.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_spec commands[] = {
	{ "scan", cmd_scan, "scan model folders, repositories, archives or hub ids" },
	{ "audit", cmd_audit, "scan an inventory of models (file or --org): parallel, resumable, shardable" },
	{ "fix", cmd_fix, "print (or --write) the changes that meet what a model folder inherits" },
	{ "classify", cmd_classify, "classify license texts (FILE... or - for stdin)" },
	{ "hook", cmd_hook, "pre-commit: scan the staged content of this repository, quiet when fine" },
	{ "licenses", cmd_licenses, "list license definitions, or explain one" },
	{ "rules", cmd_rules, "validate licenses/ and rules/ (rules check [DIR])" },
};

/* Commands under audit that read finished reports (cmd_audit_tools.c). */
static const struct cmd_spec audit_tools[] = {
	{ "audit diff", cmd_audit_tools, "compare two audits' JSON reports: models, verdicts, findings, upstream licenses" },
	{ "audit merge", cmd_audit_tools, "combine the JSON reports of an audit's shards into one run's report" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))
#define NTOOLS (sizeof(audit_tools) / sizeof(*audit_tools))

static void usage(FILE *f)
{
	fprintf(f, "usage: lictrace <command> [options] [args]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	for (size_t i = 0; i < NTOOLS; i++)
		fprintf(f, "  %-12s %s\n", audit_tools[i].name, audit_tools[i].summary);
	fprintf(f, "\n'lictrace <command> --help' shows a command's options.\n");
	help_exit_codes(f);
}

/* The program and the license data it judges by: the same binary with other data
 * gives other verdicts, so the version names both. Installed data is judged by
 * its snapshot, whose version the manifest gives; other data is hashed here. */
static int version(void)
{
	char v[LICDB_DATA_VERSION_LEN + 1];
	const char *root = wire_data_root();
	struct licensedb *db = NULL;
	struct lt_error err;

	printf("lictrace %s\n", LT_VERSION);
	if (licensedb_load_installed(&db, v, root) == 0) {
		licensedb_free(db);
	} else if (licensedb_data_version(v, root, &err) != 0) {
		fprintf(stderr, "lictrace: cannot read the license data in '%s': %s\n", root, err.message);
		return EXIT_USAGE;
	}
	printf("license data %s (%s)\n", v, root);
	return EXIT_PASS;
}

/* Hidden entry points for the build and the shell completions (see help.h). */
static int hidden(int argc, char **argv)
{
	const size_t n = sizeof(commands) / sizeof(*commands);
	struct lt_error err;

	if (!strcmp(argv[1], "--help-man") && argc == 2) {
		struct cmd_spec all[NCOMMANDS + NTOOLS];
		memcpy(all, commands, sizeof(commands));
		memcpy(all + NCOMMANDS, audit_tools, sizeof(audit_tools));
		return help_man(stdout, all, NCOMMANDS + NTOOLS);
	}
	if (!strcmp(argv[1], "--help-words") && argc <= 3)
		return help_words(stdout, commands, n, argc == 3 ? argv[2] : NULL);
	/* --write-installed-data SRC_ROOT FINAL_ROOT OUT_DIR: the snapshot installed with the data */
	if (!strcmp(argv[1], "--write-installed-data") && argc == 5) {
		if (licensedb_write_installed(argv[2], argv[3], argv[4], &err) != 0 ||
		    classimg_write_installed(argv[4], argv[3], &err) != 0) {
			fprintf(stderr, "lictrace: %s\n", err.message);
			return EXIT_USAGE;
		}
		return EXIT_PASS;
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_PASS;
	}
	if (!strcmp(argv[1], "--version"))
		return version();
	if (!strncmp(argv[1], "--help-", 7) || !strcmp(argv[1], "--write-installed-data")) {
		int rc = hidden(argc, argv);
		if (rc >= 0)
			return rc;
	}
	if (!strcmp(argv[1], "audit") && argc > 2 && (!strcmp(argv[2], "diff") || !strcmp(argv[2], "merge")))
		return cmd_audit_tools(argc - 2, argv + 2);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "lictrace: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
