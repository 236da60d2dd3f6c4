/*
 * opt.h - declarative command-line options: each command lists its options in a
 * table that drives both parsing and --help. Values are stored into a struct on
 * the caller's stack through offsets; no globals.
 */
#ifndef LT_OPT_H
#define LT_OPT_H

#include <stddef.h>
#include <stdio.h>

enum opt_type { OPT_FLAG, OPT_STR, OPT_INT, OPT_LIST };

#define OPT_LIST_MAX 16
/* The largest value an OPT_INT takes (each command checks its own range too). */
#define OPT_INT_MAX 1000000

struct opt_list {
	const char *v[OPT_LIST_MAX];
	int n;
};

struct opt_spec {
	const char *name;   /* long name without "--" */
	enum opt_type type;
	size_t offset;      /* into the options struct */
	const char *arg;    /* argument name for help, NULL for flags */
	const char *help;
};

/* Parse argv[1..] (argv[0] is the command name). Positional arguments are
 * collected into pos (borrowed from argv). Returns 0, or 2 after printing a usage
 * error to stderr. "--help" sets *help. "-" alone is positional; "--" ends options. */
int opt_parse(const struct opt_spec *specs, void *target, int argc, char **argv,
	      const char ***pos, int *npos, int *help);
void opt_usage(FILE *f, const char *usage, const struct opt_spec *specs);

#endif
