/*
 * plugin.c - load the remote plugin (see remote/remote.h) on first use: next to
 * the binary (the build tree), then LIBDIR/lictrace/ for an installed binary,
 * then $LICTRACE_PLUGIN when set. It stays loaded until exit.
 */
#include "cmd.h"
#include "core/err.h"
#include "core/str.h"
#include "remote/remote.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PLUGIN_NAME "liblictrace-remote.so"
/* The plugin folder relative to the installed binary's (set by CMake from
 * GNUInstallDirs: bindir to libdir/lictrace). */
#ifndef LT_PLUGIN_RELDIR
#define LT_PLUGIN_RELDIR "../lib/lictrace"
#endif

static const struct lt_remote_api *try_load(const char *path, char *why, size_t whylen)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	const struct lt_remote_api *(*get)(void);
	const struct lt_remote_api *api;

	if (!h) {
		snprintf(why, whylen, "%s", dlerror());
		return NULL;
	}
	*(void **)(&get) = dlsym(h, "lictrace_remote_api");
	api = get ? get() : NULL;
	if (!api || api->abi != LT_REMOTE_ABI) {
		snprintf(why, whylen, "'%s' is not a matching lictrace plugin", path);
		dlclose(h);
		return NULL;
	}
	return api;
}

const struct lt_remote_api *plugin_remote(struct lt_error *err)
{
	static const struct lt_remote_api *api;
	char exe[4096], why[512] = "", *cand[3] = { NULL, NULL, NULL };
	const char *env = getenv("LICTRACE_PLUGIN");
	ssize_t n;

	if (api)
		return api;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			cand[0] = lt_asprintf("%s/%s", exe, PLUGIN_NAME);
			cand[1] = lt_asprintf("%s/%s/%s", exe, LT_PLUGIN_RELDIR, PLUGIN_NAME);
		}
	}
	if (env && *env)
		cand[2] = lt_strdup(env);
	for (int i = 0; i < 3 && !api; i++)
		if (cand[i] && access(cand[i], R_OK) == 0)
			api = try_load(cand[i], why, sizeof(why));
	for (int i = 0; i < 3; i++)
		free(cand[i]);
	if (!api)
		lt_error_set(err, LT_EUNSUPP, NULL, 0,
			     "network, git and archive support is not available: %s",
			     why[0] ? why : PLUGIN_NAME " was not found next to the lictrace binary");
	return api;
}
