/* opt.c - declarative option parsing; see opt.h. */
#include "opt.h"
#include "core/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct opt_spec *find(const struct opt_spec *s, const char *name, size_t n)
{
	for (; s->name; s++)
		if (strlen(s->name) == n && !strncmp(s->name, name, n))
			return s;
	return NULL;
}

int opt_parse(const struct opt_spec *specs, void *target, int argc, char **argv,
	      const char ***pos, int *npos, int *help)
{
	const char **p = calloc((size_t)argc + 1, sizeof(*p));
	int np = 0, only_pos = 0;

	*help = 0;
	if (!p)
		return 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *name, *eq, *val = NULL;
		const struct opt_spec *s;
		size_t n;

		if (only_pos || a[0] != '-' || !strcmp(a, "-")) {
			p[np++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			*help = 1;
			continue;
		}
		if (a[1] != '-') {
			fprintf(stderr, "lictrace: unknown option '%s' (long options only; see --help)\n", a);
			free(p);
			return 2;
		}
		name = a + 2;
		eq = strchr(name, '=');
		n = eq ? (size_t)(eq - name) : strlen(name);
		s = find(specs, name, n);
		if (!s) {
			fprintf(stderr, "lictrace: unknown option '--%.*s' (see --help)\n", (int)n, name);
			free(p);
			return 2;
		}
		if (s->type == OPT_FLAG) {
			if (eq) {
				fprintf(stderr, "lictrace: option '--%s' takes no value\n", s->name);
				free(p);
				return 2;
			}
			*(int *)((char *)target + s->offset) = 1;
			continue;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			fprintf(stderr, "lictrace: option '--%s' needs a value (%s)\n", s->name, s->arg);
			free(p);
			return 2;
		}
		if (s->type == OPT_STR) {
			*(const char **)((char *)target + s->offset) = val;
		} else if (s->type == OPT_INT) {
			char *end;
			long v;
			errno = 0;
			v = strtol(val, &end, 10);
			/* digits only: no sign, no blanks, no empty value */
			if (val[0] < '0' || val[0] > '9' || *end || errno || v > OPT_INT_MAX) {
				if (val[0] < '0' || val[0] > '9' || *end)
					fprintf(stderr, "lictrace: --%s takes a whole number, not '%s'; --%s %s: %s\n",
						s->name, val, s->name, s->arg, s->help);
				else
					fprintf(stderr, "lictrace: --%s is too large: '%s'; --%s %s: %s\n", s->name, val,
						s->name, s->arg, s->help);
				free(p);
				return 2;
			}
			*(int *)((char *)target + s->offset) = (int)v;
		} else {
			struct opt_list *l = (struct opt_list *)((char *)target + s->offset);
			if (l->n >= OPT_LIST_MAX) {
				fprintf(stderr, "lictrace: option '--%s' given too often\n", s->name);
				free(p);
				return 2;
			}
			l->v[l->n++] = val;
		}
	}
	*pos = p;
	*npos = np;
	return 0;
}

void opt_usage(FILE *f, const char *usage, const struct opt_spec *specs)
{
	fprintf(f, "usage: %s\n\noptions:\n", usage);
	for (; specs->name; specs++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", specs->name, specs->arg ? " " : "",
			 specs->arg ? specs->arg : "");
		fprintf(f, "  %-26s %s\n", left, specs->help);
	}
	fprintf(f, "  %-26s %s\n", "--help", "show this help");
}
