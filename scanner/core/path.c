/* path.c - path helpers; see path.h. */
#include "path.h"
#include "str.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int path_is_safe_relative(const char *rel)
{
	const char *p = rel;

	if (!rel || !*rel || rel[0] == '/')
		return 0;
	if (((rel[0] >= 'a' && rel[0] <= 'z') || (rel[0] >= 'A' && rel[0] <= 'Z')) && rel[1] == ':')
		return 0;
	for (; *p; p++)
		if (*p == '\\' || (unsigned char)*p < 0x20)
			return 0;
	p = rel;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		if (!e)
			break;
		p = e + 1;
	}
	return 1;
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (!la)
		return lt_strdup(b);
	if (a[la - 1] == '/')
		return lt_asprintf("%s%s", a, b);
	return lt_asprintf("%s/%s", a, b);
}

const char *path_basename(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

void path_normalize(char *p)
{
	char *r = p, *w = p;

	while (*r) {
		if (r[0] == '.' && r[1] == '/' && (r == p || r[-1] == '/')) {
			r += 2;
			continue;
		}
		if (r[0] == '/' && r[1] == '/') {
			r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

char *path_find_nocase(const char *dir, const char *name)
{
	char *exact = path_join(dir, name), *best = NULL;
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (!exact || !*name || strchr(name, '/')) {
		free(exact);
		return NULL;
	}
	if (lstat(exact, &st) == 0) {
		free(exact);
		return lt_strdup(name);
	}
	free(exact);
	if (!(d = opendir(dir)))
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (strcasecmp(de->d_name, name) != 0)
			continue;
		if (!best || strcmp(de->d_name, best) < 0) {
			free(best);
			best = lt_strdup(de->d_name);
		}
	}
	closedir(d);
	return best;
}
