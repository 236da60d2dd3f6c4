/* identity.c - a scanned model's name and owner; see identity.h. */
#include "identity.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/path.h"
#include "core/str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IDENT_MAX_GIT_CONFIG (64 * 1024) /* a git config is a few hundred bytes */

static int is_dir_at(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	return lt_strndup(s, n);
}

/* `url` of the section [remote "origin"] in a git config text. */
static char *origin_in_config(const char *t, size_t len)
{
	int in_origin = 0;
	size_t p = 0;

	while (p < len) {
		const char *line = t + p, *nl = memchr(line, '\n', len - p);
		size_t n = nl ? (size_t)(nl - line) : len - p;
		char *l = trim(line, n);

		p += n + (nl ? 1 : 0);
		if (!l)
			return NULL;
		if (l[0] == '[') {
			char *q = l + 1;
			while (*q == ' ')
				q++;
			in_origin = strncmp(q, "remote", 6) == 0 && strstr(q, "\"origin\"") != NULL;
		} else if (in_origin && strncmp(l, "url", 3) == 0) {
			const char *eq = l + 3;
			while (*eq == ' ' || *eq == '\t')
				eq++;
			if (*eq == '=') {
				char *v = trim(eq + 1, strlen(eq + 1));
				free(l);
				return v && *v ? v : (free(v), NULL);
			}
		}
		free(l);
	}
	return NULL;
}

char *identity_git_origin(const char *dir)
{
	char *gitdir = path_join(dir, ".git"), *cfg = NULL, *url = NULL;
	struct buf b;
	struct lt_error err;

	if (!gitdir)
		return NULL;
	if (is_dir_at(gitdir)) {
		cfg = path_join(gitdir, "config");
	} else {
		/* a bare repository: config, HEAD and objects/ at the top */
		char *objects = path_join(dir, "objects"), *head = path_join(dir, "HEAD");
		struct stat st;
		if (objects && head && is_dir_at(objects) && stat(head, &st) == 0)
			cfg = path_join(dir, "config");
		free(objects);
		free(head);
	}
	free(gitdir);
	if (!cfg)
		return NULL;
	buf_init(&b, IDENT_MAX_GIT_CONFIG);
	if (lt_read_file(&b, cfg, IDENT_MAX_GIT_CONFIG, &err) == 0)
		url = origin_in_config(buf_cstr(&b), b.len);
	buf_release(&b);
	free(cfg);
	return url;
}

void identity_from_url(const char *url, char **owner, char **name)
{
	char *u = lt_strdup(url), *last, *prev;
	size_t n;

	*owner = *name = NULL;
	if (!u)
		return;
	n = strlen(u);
	while (n && u[n - 1] == '/')
		u[--n] = '\0';
	if (n > 4 && strcmp(u + n - 4, ".git") == 0)
		u[n -= 4] = '\0';
	/* scp-like "git@host:org/name": the part after ':' is a path */
	if (!strstr(u, "://")) {
		char *colon = strchr(u, ':');
		if (colon)
			*colon = '/';
	}
	last = strrchr(u, '/');
	if (last && last[1]) {
		/* the path starts after "scheme://host": a segment there is never the owner */
		char *scheme = strstr(u, "://");
		char *path = scheme ? strchr(scheme + 3, '/') : strchr(u, '/');
		*name = lt_strdup(last + 1);
		*last = '\0';
		prev = strrchr(u, '/');
		if (prev && prev[1] && !strstr(prev, ":") && path && prev >= path)
			*owner = lt_strdup(prev + 1);
	}
	free(u);
}

/* "org__name" (several "__": the last two parts) or "models--org--name". */
static void split_layout(const char *base, char **owner, char **name)
{
	const char *sep;

	if (strncmp(base, "models--", 8) == 0 && (sep = strstr(base + 8, "--")) && sep > base + 8 &&
	    sep[2]) {
		*owner = lt_strndup(base + 8, (size_t)(sep - (base + 8)));
		*name = lt_strdup(sep + 2);
		return;
	}
	sep = NULL;
	for (const char *p = strstr(base, "__"); p; p = strstr(p + 2, "__"))
		sep = p;
	if (sep && sep > base && sep[2] && sep[2] != '_') {
		const char *start = base;
		for (const char *p = strstr(base, "__"); p && p < sep; p = strstr(p + 2, "__"))
			start = p + 2;
		if (start < sep) {
			*owner = lt_strndup(start, (size_t)(sep - start));
			*name = lt_strdup(sep + 2);
			return;
		}
	}
	*name = lt_strdup(base);
}

char *identity_folder_base(const char *path)
{
	char real[PATH_MAX];
	char *t, *out = NULL;
	size_t n;

	t = realpath(path, real) ? lt_strdup(real) : lt_strdup(path);
	if (!t)
		return NULL;
	n = strlen(t);
	while (n > 1 && t[n - 1] == '/')
		t[--n] = '\0';
	if (strcmp(path_basename(t), ".") && strcmp(path_basename(t), "..") && *path_basename(t))
		out = lt_strdup(path_basename(t));
	free(t);
	return out;
}

void identity_from_folder(const char *path, char **owner, char **name)
{
	char *base = identity_folder_base(path);

	*owner = *name = NULL;
	if (base)
		split_layout(base, owner, name);
	free(base);
}
