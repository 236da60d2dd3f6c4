/*
 * cmd.h - the subcommand table and what commands share: common options and the
 * wiring of data, resolvers and sources. The cli layer is the only one that
 * prints, exits, or knows every backend.
 */
#ifndef LT_CMD_H
#define LT_CMD_H

#include <stddef.h>

#include "opt.h"

struct licensedb;
struct classify_ctx;
struct resolver;
struct http_client;
struct lt_remote_api;
struct model_record;
struct lt_error;

enum { EXIT_PASS = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INCOMPLETE = 3 };

struct common_opts {
	const char *format, *output, *policy, *cache, *jurisdiction, *hub_mirror, *hf_home;
	const char *fail_on, *endpoint, *token_file, *rev, *ca_bundle;
	int timeout;
	int offline, max_depth, jobs, quiet, no_color, staged; /* max_depth, jobs: -1 = not given */
	struct opt_list data;
	/* the organisation's profile (profile/profile.h); cli/check.c reads it */
	const char *users, *revenue, *use, *distribution;
	int train_on_outputs;
	struct opt_list juris;
	int compact_json; /* not an option: audits write compact JSON (report.h) */
};

#define COMMON_OPT_SPECS(T)                                                                        \
	{ "format", OPT_STR, offsetof(T, c.format), "FMT", "output format (text, json, ...)" },    \
	{ "output", OPT_STR, offsetof(T, c.output), "FILE", "write the report to FILE" },          \
	{ "data", OPT_LIST, offsetof(T, c.data), "DIR", "extra licenses/ and rules/ under DIR (repeatable)" }

struct cmd_spec {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

int cmd_scan(int argc, char **argv);
int cmd_classify(int argc, char **argv);
int cmd_licenses(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_hook(int argc, char **argv);
/* `audit diff` and `audit merge` (cmd_audit_tools.c): argv[0] is "diff" or "merge". */
int cmd_audit_tools(int argc, char **argv);
int cmd_fix(int argc, char **argv);

/* --- wiring (wire.c) --- */

struct wire {
	struct licensedb *db;
	struct classify_ctx *cls;
	struct resolver *res;
	struct ldatasets *ds;  /* training datasets, resolved once per run */
	struct http_client *http;
	const struct lt_remote_api *api; /* the remote plugin, once loaded */
	char *token; /* never printed; wiped on release */
};

/* Load built-in data plus --data roots, and build the classifier. Prints problems
 * and returns EXIT_USAGE on failure. */
int wire_data(struct wire *w, const struct common_opts *c, int keep_problems);
/* Resolvers from options: --hub-mirror, the huggingface_hub cache, the hub. */
int wire_resolver(struct wire *w, const struct common_opts *c);
/* Open TARGET (folder, git repo, archive, hub id) and build its record. */
int wire_record(struct wire *w, const struct common_opts *c, const char *target,
		struct model_record **out, struct lt_error *err);
void wire_release(struct wire *w);
/* The remote plugin (git, archives, HTTP), loaded on first call (plugin.c);
 * NULL with err set when it is not installed. */
const struct lt_remote_api *plugin_remote(struct lt_error *err);
/* The built-in data root (licenses/ and rules/). */
const char *wire_data_root(void);
/* Every model id of a hub org or user (follows the listing's pages). */
int wire_list_org(struct wire *w, const struct common_opts *c, const char *org, char ***ids,
		  size_t *n, struct lt_error *err);
/* Open --output (or stdout); NULL after printing an error. --output is written
 * to a temporary file in the same folder until wire_output_close. */
void *wire_output(const struct common_opts *c);
/* Finish what wire_output opened: with keep, flush it and (for --output) move
 * it into place; without, discard it (the file at --output is left as it was).
 * -1 after printing an error when it could not be written whole (full disk,
 * short write, closed stdout): the caller exits 2. NULL is accepted. */
int wire_output_close(void *out, int keep);

/* --- usage checks (check.c): 0, or EXIT_USAGE after one line on stderr --- */

/* Mark the numeric options "not given" (-1) before parsing. */
void common_opts_defaults(struct common_opts *c);
/* --jobs, --max-depth and --jurisdiction inside what they accept. */
int common_opts_check(const struct common_opts *c);
struct profile;
/* The profile the flags give (--users, --revenue, --use, --distribution,
 * --train-on-outputs, --jurisdiction); 0, or EXIT_USAGE after printing why. */
int common_opts_profile(const struct common_opts *c, struct profile *out);
/* A command-line target that exists as a folder or regular file, or names a hub
 * model or git URL; a FIFO or device, a missing path, or a folder that is not a
 * git repository with --rev/--staged is a usage error. */
int check_target(const struct common_opts *c, const char *target);
/* More shards than this would leave most of them empty. */
#define CHECK_MAX_SHARDS 100000
/* audit's --shard SPEC (I/N, or auto: from a Slurm job array's SLURM_ARRAY_TASK_*
 * or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX with count, --shard-count)
 * into 0 <= *i < *n; no spec: 0/1. */
int check_shard(const char *spec, const char *count, unsigned long *i, unsigned long *n);

#endif
