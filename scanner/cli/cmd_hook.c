/*
 * cmd_hook.c - `lictrace hook [options]`: pre-commit mode. Scans the staged
 * content (the git index) of the repository in the current folder, prints nothing
 * when the model passes and the full report when it does not. Any scan option may
 * follow (e.g. --policy, --hub-mirror, --fail-on fail).
 */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_hook(int argc, char **argv)
{
	char **args = calloc((size_t)argc + 4, sizeof(*args));
	int n = 0, rc;

	if (!args)
		return EXIT_USAGE;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: lictrace hook [scan options]\n\n"
			       "Scans the staged content of the git repository in the current folder\n"
			       "(as `lictrace scan --staged --quiet .`): silent when it passes.\n"
			       "See 'lictrace scan --help' for the options.\n");
			free(args);
			return EXIT_PASS;
		}
	args[n++] = (char *)"scan";
	args[n++] = (char *)"--staged";
	args[n++] = (char *)"--quiet";
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n++] = (char *)".";
	rc = cmd_scan(n, args);
	free(args);
	return rc;
}
