/*
 * main.c - lictrace entry point: dispatch to a subcommand from the table.
 * Exit codes: 0 pass, 1 findings at the fail level, 2 usage or configuration
 * error, 3 incomplete (something could not be resolved).
 */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_spec commands[] = {
	{ "scan", cmd_scan, "scan model folders, repositories, archives or hub ids" },
	{ "audit", cmd_audit, "scan an inventory of models (file or --org): parallel, resumable, shardable" },
	{ "classify", cmd_classify, "classify license texts (FILE... or - for stdin)" },
	{ "hook", cmd_hook, "pre-commit: scan the staged content of this repository, quiet when fine" },
	{ "licenses", cmd_licenses, "list license definitions, or explain one" },
	{ "rules", cmd_rules, "validate licenses/ and rules/ (rules check [DIR])" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: lictrace <command> [options] [args]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'lictrace <command> --help' shows a command's options.\n"
		   "exit codes: 0 pass, 1 findings, 2 usage or configuration error, 3 incomplete\n");
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_PASS;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("lictrace %s\n", LT_VERSION);
		return EXIT_PASS;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "lictrace: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
