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
