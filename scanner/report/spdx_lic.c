/*
 * spdx_lic.c - the licenses the SPDX writers declare and conclude; see spdx_lic.h.
 */
#include "spdx_lic.h"
#include "findings/findings.h"
#include "lineage/graph.h"
#include "record/record.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int spdx_weights_field(const struct declared *d)
{
	const char *f = d->at.field ? d->at.field : "";
	return !strncmp(f, "general.", 8) || !strncmp(f, "modelspec.", 10);
}

static size_t add_once(const struct licdef **v, size_t n, const struct licdef *l)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == l)
			return n;
	if (n < SPDX_MAX_LICS)
		v[n++] = l;
	return n;
}

size_t spdx_declared(const struct model_record *r, const struct licdef **v, int *unknown, int *any)
{
	size_t k = 0;

	*unknown = *any = 0;
	for (size_t i = 0; r && i < r->ndeclared; i++) {
		if (spdx_weights_field(&r->declared[i]))
			continue;
		*any = 1;
		if (!r->declared[i].lic)
			*unknown = 1;
		else
			k = add_once(v, k, r->declared[i].lic);
	}
	if (r && !*any)
		for (size_t i = 0; i < r->ndetected; i++)
			if (r->detected[i].kind == RULE_LICENSE)
				k = add_once(v, k, r->detected[i].lic);
	return k;
}

size_t spdx_concluded(const struct lnode *n, size_t max_nodes, const struct licdef **v,
		      int *unknown)
{
	const struct lnode **stack = malloc((max_nodes + 1) * sizeof(*stack));
	const struct lnode **seen = malloc((max_nodes + 1) * sizeof(*seen));
	size_t ns = 0, nseen = 0, k = 0;

	*unknown = 0;
	if (!stack || !seen) {
		free(stack);
		free(seen);
		*unknown = 1;
		return 0;
	}
	stack[ns++] = n;
	seen[nseen++] = n;
	while (ns && !*unknown) {
		const struct lnode *t = stack[--ns];
		const struct licdef *l[64];
		size_t nl;

		if (!t->rec || (t->rec->nparents && !t->expanded)) {
			*unknown = 1;
			break;
		}
		nl = record_licenses(t->rec, l, 64);
		for (size_t i = 0; i < t->rec->ndeclared; i++)
			if (!t->rec->declared[i].lic && !spdx_weights_field(&t->rec->declared[i]))
				*unknown = 1;
		if (!nl)
			*unknown = 1;
		for (size_t i = 0; i < nl; i++)
			k = add_once(v, k, l[i]);
		for (size_t e = 0; e < t->nparents; e++) {
			int dup = 0;
			for (size_t s = 0; s < nseen; s++)
				dup |= seen[s] == t->parents[e].to;
			if (dup)
				continue;
			if (nseen > max_nodes) {
				*unknown = 1;
				break;
			}
			seen[nseen++] = t->parents[e].to;
			stack[ns++] = t->parents[e].to;
		}
	}
	free(stack);
	free(seen);
	return k;
}
