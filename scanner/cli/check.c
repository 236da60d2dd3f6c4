/*
 * check.c - usage checks shared by the commands: every numeric option inside its
 * range, --jurisdiction a real code, and each command-line target something that
 * can be scanned. A usage error is one line on stderr naming the option (or the
 * target) and what is accepted; the command then exits 2 before any work.
 */
#include "cmd.h"
#include "core/err.h"
#include "core/iso3166.h"
#include "core/limits.h"
#include "core/str.h"
#include "http/http.h"
#include "profile/profile.h"
#include "remote/remote.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/banned.h"

void common_opts_defaults(struct common_opts *c)
{
	c->jobs = -1;
	c->max_depth = -1;
}

/* ISO 3166-1 alpha-2 codes, plus the groupings license texts name: EU, EEA, and
 * UK (the code ISO reserves for the United Kingdom besides GB; the data uses it). */
static int jurisdiction_known(const char *s)
{
	return iso3166_alpha2(s) || lt_strieq(s, "EU") || lt_strieq(s, "EEA") || lt_strieq(s, "UK");
}

int common_opts_check(const struct common_opts *c)
{
	if (c->jobs != -1 && (c->jobs < 1 || c->jobs > HTTP_MAX_JOBS)) {
		fprintf(stderr, "lictrace: --jobs takes a whole number from 1 to %d, not %d\n", HTTP_MAX_JOBS,
			c->jobs);
		return EXIT_USAGE;
	}
	if (c->max_depth != -1 && (c->max_depth < 1 || c->max_depth > LT_MAX_MODELS)) {
		fprintf(stderr, "lictrace: --max-depth takes a whole number from 1 to %d, not %d\n",
			LT_MAX_MODELS, c->max_depth);
		return EXIT_USAGE;
	}
	if (c->jurisdiction && !jurisdiction_known(c->jurisdiction)) {
		fprintf(stderr,
			"lictrace: --jurisdiction takes an ISO 3166-1 alpha-2 country code (US, KR, GB, ...), EU, EEA or UK, not '%s'\n",
			c->jurisdiction);
		return EXIT_USAGE;
	}
	{
		struct profile p;
		return common_opts_profile(c, &p);
	}
}

int common_opts_profile(const struct common_opts *c, struct profile *out)
{
	const struct { const char *key, *value; } kv[] = {
		{ "users", c->users }, { "revenue", c->revenue }, { "use", c->use },
		{ "distribution", c->distribution },
		{ "train-on-outputs", c->train_on_outputs ? "true" : NULL },
	};
	char msg[256];

	profile_init(out);
	for (size_t i = 0; i < sizeof(kv) / sizeof(*kv); i++)
		if (kv[i].value && profile_set(out, kv[i].key, kv[i].value, msg, sizeof(msg))) {
			fprintf(stderr, "lictrace: %s\n", msg);
			return EXIT_USAGE;
		}
	for (int i = 0; i < c->juris.n; i++)
		if (profile_set(out, "jurisdiction", c->juris.v[i], msg, sizeof(msg))) {
			fprintf(stderr, "lictrace: %s\n", msg);
			return EXIT_USAGE;
		}
	return 0;
}

/* A whole number of at most 9 digits (no sign, no spaces); *s moves past it. */
static int parse_digits(const char **s, unsigned long *out)
{
	const char *p = *s;
	unsigned long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (p - *s >= 9)
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	*s = p;
	*out = v;
	return 0;
}

/* The whole of s as a number of at most 9 digits. */
static int parse_number(const char *s, unsigned long *out)
{
	return !s || parse_digits(&s, out) || *s ? -1 : 0;
}

/* An environment variable that must hold a number: 0, 1 when unset (and not
 * required), or -1 after printing why. */
static int env_number(const char *name, int required, unsigned long *out)
{
	const char *v = getenv(name);

	if (!v && !required)
		return 1;
	if (!v) {
		fprintf(stderr, "lictrace: --shard auto: %s is not set\n", name);
		return -1;
	}
	if (parse_number(v, out)) {
		fprintf(stderr, "lictrace: --shard auto: %s is '%.40s', not a whole number\n", name, v);
		return -1;
	}
	return 0;
}

/* Slurm job array: task ids run from SLURM_ARRAY_TASK_MIN to _MAX by _STEP
 * (Slurm sets all of them for an array task; MIN 0 and STEP 1 are assumed when
 * unset); shard I is the task's place in that range. An array given as a list
 * with gaps (--array=0,3,9) has no place for every task: refused. */
static int shard_slurm(const char *count, unsigned long *i, unsigned long *n)
{
	unsigned long id, cnt, min = 0, max = 0, step = 1, want;
	int has_max;

	if (env_number("SLURM_ARRAY_TASK_ID", 1, &id) || env_number("SLURM_ARRAY_TASK_COUNT", 1, &cnt) ||
	    env_number("SLURM_ARRAY_TASK_MIN", 0, &min) < 0 || env_number("SLURM_ARRAY_TASK_STEP", 0, &step) < 0 ||
	    (has_max = env_number("SLURM_ARRAY_TASK_MAX", 0, &max)) < 0)
		return EXIT_USAGE;
	if (!getenv("SLURM_ARRAY_TASK_MIN"))
		min = 0;
	if (!getenv("SLURM_ARRAY_TASK_STEP"))
		step = 1;
	if (cnt == 0 || step == 0 || id < min || (id - min) % step || (id - min) / step >= cnt ||
	    (has_max == 0 && (max < min || (max - min) / step + 1 != cnt))) {
		fprintf(stderr,
			"lictrace: --shard auto: the Slurm array (task %lu of %lu, ids %lu to %s by %lu) is not a range; use --array=0-N or --array=A-B:S, or give --shard I/N\n",
			id, cnt, min, has_max == 0 ? getenv("SLURM_ARRAY_TASK_MAX") : "?", step);
		return EXIT_USAGE;
	}
	*i = (id - min) / step;
	*n = cnt;
	if (count && (parse_number(count, &want) || want != cnt)) {
		fprintf(stderr, "lictrace: --shard-count %s disagrees with SLURM_ARRAY_TASK_COUNT=%lu\n", count, cnt);
		return EXIT_USAGE;
	}
	return 0;
}

int check_shard(const char *spec, const char *count, unsigned long *i, unsigned long *n)
{
	unsigned long idx;
	const char *s = spec;

	*i = 0;
	*n = 1;
	if (!spec) {
		if (!count)
			return 0;
		fprintf(stderr, "lictrace: --shard-count goes with --shard auto\n");
		return EXIT_USAGE;
	}
	if (strcmp(spec, "auto")) {
		if (count) {
			fprintf(stderr, "lictrace: --shard-count goes with --shard auto, not --shard I/N\n");
			return EXIT_USAGE;
		}
		if (parse_digits(&s, i) || *s++ != '/' || parse_digits(&s, n) || *s || *n == 0 ||
		    *n > CHECK_MAX_SHARDS || *i >= *n) {
			fprintf(stderr,
				"lictrace: --shard takes I/N (digits only, 0 <= I < N, 1 <= N <= %d) or auto, not '%s'\n",
				CHECK_MAX_SHARDS, spec);
			return EXIT_USAGE;
		}
		return 0;
	}
	if (getenv("SLURM_ARRAY_TASK_ID")) {
		if (shard_slurm(count, i, n))
			return EXIT_USAGE;
	} else if (getenv("JOB_COMPLETION_INDEX")) {
		if (env_number("JOB_COMPLETION_INDEX", 1, &idx))
			return EXIT_USAGE;
		if (!count) {
			fprintf(stderr,
				"lictrace: --shard auto with JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) needs --shard-count N (the Job's completions)\n");
			return EXIT_USAGE;
		}
		if (parse_number(count, n) || *n == 0 || *n > CHECK_MAX_SHARDS) {
			fprintf(stderr, "lictrace: --shard-count takes a whole number from 1 to %d, not '%s'\n",
				CHECK_MAX_SHARDS, count);
			return EXIT_USAGE;
		}
		if (idx >= *n) {
			fprintf(stderr, "lictrace: --shard auto: JOB_COMPLETION_INDEX=%lu is not below --shard-count %lu\n",
				idx, *n);
			return EXIT_USAGE;
		}
		*i = idx;
	} else {
		fprintf(stderr,
			"lictrace: --shard auto found no scheduler: set SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (a Slurm job array) or JOB_COMPLETION_INDEX with --shard-count N (a Kubernetes Indexed Job)\n");
		return EXIT_USAGE;
	}
	if (*n > CHECK_MAX_SHARDS) {
		fprintf(stderr, "lictrace: --shard auto: %lu shards, more than %d\n", *n, CHECK_MAX_SHARDS);
		return EXIT_USAGE;
	}
	return 0;
}

static const char *file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

int check_target(const struct common_opts *c, const char *target)
{
	const struct lt_remote_api *api;
	struct lt_error err;
	struct stat st;
	char *id = NULL, *rev = NULL;
	int named;

	if (stat(target, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			/* a plain folder is read as it is; --rev and --staged need git */
			if (!c->rev && !c->staged)
				return 0;
			if (!(api = plugin_remote(&err)))
				return 0; /* the scan reports that git support is missing */
			if (api->git_is_repo(target))
				return 0;
			fprintf(stderr, "lictrace: '%s' is not a git repository; %s needs one\n", target,
				c->rev ? "--rev" : "--staged");
			return EXIT_USAGE;
		}
		if (S_ISREG(st.st_mode))
			return 0;
		fprintf(stderr, "lictrace: target '%s' is %s; give a folder, git repository, archive or hub id\n",
			target, file_kind(st.st_mode));
		return EXIT_USAGE;
	}
	if (errno != ENOENT && errno != ENOTDIR) {
		fprintf(stderr, "lictrace: cannot read target '%s': %s\n", target, strerror(errno));
		return EXIT_USAGE;
	}
	/* not a local path: a hub id (org/name[@rev]), a hub URL or a git URL */
	if (!(api = plugin_remote(&err)))
		return 0; /* the scan says why it cannot open it */
	named = api->git_is_url(target) || api->hub_parse_target(target, &id, &rev) == 0;
	free(id);
	free(rev);
	if (named)
		return 0;
	fprintf(stderr,
		"lictrace: target '%s' does not exist (a folder, git repository, archive, URL or hub id org/name)\n",
		target);
	return EXIT_USAGE;
}
