/*
 * cmd_hook.c - `lictrace hook [options]`: pre-commit mode. Scans the staged
 * content (the git index) of the repository in the current folder, prints nothing
 * when the model passes and the full report when it does not. Any scan option may
 * follow (e.g. --policy, --hub-mirror, --fail-on fail).
 *
 * The hook runs on every commit (`always_run`: the pre-commit framework passes no
 * deleted files to a filtered hook, and a commit that only deletes LICENSE must
 * still be checked). It first asks git which paths the commit changes (added,
 * modified or deleted: `git diff-index --cached --name-only HEAD`); when none of them can
 * change the verdict (card, license, notice, policy, configs, merge configs,
 * weight headers), it answers at once without loading the license data or
 * libgit2. `--all` scans whatever is staged.
 */
#include "cmd.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define HOOK_MAX_DIFF (16u << 20) /* names of staged paths; more means "scan" */

/* 1 when a path's file name can change a model's verdict. */
static int relevant_name(const char *path)
{
	static const char *const prefixes[] = { "readme.md", "license", "licence", "notice",
						"use_policy", "use-policy", "acceptable_use",
						"acceptable-use", "copying", NULL };
	static const char *const suffixes[] = { "config.json", ".gguf", ".safetensors", NULL };
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	for (int i = 0; prefixes[i]; i++)
		if (!strncasecmp(base, prefixes[i], strlen(prefixes[i])))
			return 1;
	for (int i = 0; suffixes[i]; i++) {
		size_t sl = strlen(suffixes[i]);
		if (n >= sl && !strcasecmp(base + n - sl, suffixes[i]))
			return 1;
	}
	/* mergekit configs: merge*.yml / merge*.yaml / mergekit_config.yml */
	if (!strncasecmp(base, "merge", 5) && n > 4 &&
	    (!strcasecmp(base + n - 4, ".yml") || (n > 5 && !strcasecmp(base + n - 5, ".yaml"))))
		return 1;
	return 0;
}

/* 1: some staged change is relevant; 0: none; -1: cannot tell (then scan). */
static int staged_relevant(void)
{
	/* plumbing, no optional locks: the cheapest question git answers; without
	 * a HEAD (the first commit) it fails and the hook scans */
	char *const args[] = { (char *)"git", (char *)"--no-optional-locks", (char *)"diff-index",
			       (char *)"--cached", (char *)"--name-only", (char *)"-z", (char *)"--no-renames",
			       (char *)"HEAD", NULL };
	posix_spawn_file_actions_t fa;
	int fds[2], status = 0, found = 0, devnull;
	pid_t pid;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (pipe(fds) != 0)
		return -1;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	if (devnull >= 0)
		posix_spawn_file_actions_adddup2(&fa, devnull, STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	if (posix_spawnp(&pid, "git", &fa, NULL, args, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		close(fds[0]);
		close(fds[1]);
		if (devnull >= 0)
			close(devnull);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (devnull >= 0)
		close(devnull);
	for (;;) {
		ssize_t r;
		if (len + 4096 > cap) {
			char *nb;
			if (cap >= HOOK_MAX_DIFF)
				break;
			nb = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(fds[0], buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !buf) {
		free(buf);
		return -1; /* git failed: let the scan say what is wrong */
	}
	if (cap >= HOOK_MAX_DIFF) {
		free(buf);
		return 1; /* too many names to list: scan */
	}
	buf[len] = '\0';
	for (size_t p = 0; p < len && !found; p += strlen(buf + p) + 1)
		found = relevant_name(buf + p);
	free(buf);
	return found;
}

int cmd_hook(int argc, char **argv)
{
	char **args = calloc((size_t)argc + 4, sizeof(*args));
	int n = 0, rc, all = 0;

	if (!args)
		return EXIT_USAGE;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: lictrace hook [--all] [scan options]\n\n"
			       "Scans the staged content of the git repository in the current folder\n"
			       "(as `lictrace scan --staged --quiet .`): silent when it passes. When the\n"
			       "commit changes no card, license, notice, policy, config, merge config or\n"
			       "weight file (deletions count), it answers at once; --all scans anyway.\n"
			       "See 'lictrace scan --help' for the options.\n");
			free(args);
			return EXIT_PASS;
		}
		if (!strcmp(argv[i], "--all"))
			all = 1;
	}
	if (!all && staged_relevant() == 0) {
		free(args);
		return EXIT_PASS;
	}
	args[n++] = (char *)"scan";
	args[n++] = (char *)"--staged";
	args[n++] = (char *)"--quiet";
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--all"))
			args[n++] = argv[i];
	args[n++] = (char *)".";
	rc = cmd_scan(n, args);
	/* the text report ends with the `lictrace fix` line itself when fix helps */
	for (int i = 1; rc == EXIT_FINDINGS && i < argc; i++)
		if ((!strcmp(argv[i], "--format") && i + 1 < argc && strcmp(argv[i + 1], "text")) ||
		    (!strncmp(argv[i], "--format=", 9) && strcmp(argv[i] + 9, "text"))) {
			fprintf(stderr, "lictrace: 'lictrace fix .' prints the changes that meet what the model inherits\n");
			break;
		}
	free(args);
	return rc;
}
