/* cmd_licenses.c - `lictrace licenses [ID]`: the table, or one definition in plain words. */
#include "cmd.h"
#include "core/str.h"
#include "licensedb/licensedb.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lic_opts {
	struct common_opts c;
};

static const struct opt_spec lic_specs[] = {
	COMMON_OPT_SPECS(struct lic_opts),
	{ NULL, 0, 0, NULL, NULL },
};

static int cmp_lic(const void *a, const void *b)
{
	const struct licdef *x = *(const struct licdef *const *)a, *y = *(const struct licdef *const *)b;
	return strcmp(x->id, y->id);
}

static void explain(FILE *o, const struct licdef *d)
{
	fprintf(o, "%s\n  %s\n\n", d->id, d->name);
	fprintf(o, "  SPDX:         %s\n", d->spdx);
	fprintf(o, "  family:       %s%s%s\n", d->family, d->version && *d->version ? " " : "", d->version ? d->version : "");
	fprintf(o, "  category:     %s%s\n", lic_category_name(d->category), d->review ? " (always needs review)" : "");
	if (d->licensor)
		fprintf(o, "  licensor:     %s\n", d->licensor);
	if (d->law)
		fprintf(o, "  law:          %s\n", d->law);
	if (d->venue)
		fprintf(o, "  venue:        %s\n", d->venue);
	if (d->date)
		fprintf(o, "  date:         %s\n", d->date);
	if (d->url)
		fprintf(o, "  text:         %s\n", d->url);
	if (d->verified_source)
		fprintf(o, "  verified:     against %s (retrieved %s)\n", d->verified_source,
			d->verified_date ? d->verified_date : "?");
	else
		fprintf(o, "  verified:     not yet checked against a recorded copy of the text\n");
	if (d->hub_orgs.n) {
		fprintf(o, "  licensor's hub organisations:");
		for (size_t i = 0; i < d->hub_orgs.n; i++)
			fprintf(o, " %s", d->hub_orgs.v[i]);
		fprintf(o, "\n");
	}
	if (d->hub_ids.n) {
		fprintf(o, "  Hub ids:     ");
		for (size_t i = 0; i < d->hub_ids.n; i++)
			fprintf(o, " %s", d->hub_ids.v[i]);
		fprintf(o, "\n");
	}
	if (d->aliases.n) {
		fprintf(o, "  also known as:");
		for (size_t i = 0; i < d->aliases.n; i++)
			fprintf(o, " %s", d->aliases.v[i]);
		fprintf(o, "\n");
	}
	fprintf(o, "\n  In short: %s\n", d->summary ? d->summary : "");
	fprintf(o, "\n  What it asks of you:\n");
	if (!d->nobligations)
		fprintf(o, "    nothing recorded\n");
	for (size_t i = 0; i < d->nobligations; i++) {
		const struct obligation *ob = &d->obligations[i];
		fprintf(o, "    - %s", ob_kind_name(ob->kind));
		if (ob->text)
			fprintf(o, ": \"%s\"", ob->text);
		if (ob->value)
			fprintf(o, " (%llu%s%s)", ob->value, ob->period ? " " : "", ob->period ? ob->period : "");
		for (size_t k = 0; k < ob->territories.n; k++)
			fprintf(o, "%s%s", k ? ", " : " in ", ob->territories.v[k]);
		if (ob->scope && strcmp(ob->scope, "all"))
			fprintf(o, " (%s)", ob->scope);
		if (ob->clause)
			fprintf(o, " [%s]", ob->clause);
		fprintf(o, "%s\n", ob->flows ? "  [binds derivatives too]" : "");
		if (ob->note)
			fprintf(o, "      %s\n", ob->note);
	}
	fprintf(o, "\n  Derivatives: relicensing %s. %s\n", relicense_name(d->relicense),
		d->derivatives_note ? d->derivatives_note : "");
	fprintf(o, "\n  Defined in %s\n", d->path);
}

int cmd_licenses(int argc, char **argv)
{
	struct lic_opts o;
	struct wire w;
	const char **pos = NULL;
	int npos = 0, help = 0, rc = EXIT_USAGE;
	const struct licdef **sorted = NULL;
	FILE *out = NULL;
	int json;

	memset(&o, 0, sizeof(o));
	memset(&w, 0, sizeof(w));
	if (opt_parse(lic_specs, &o, argc, argv, &pos, &npos, &help))
		return EXIT_USAGE;
	if (help) {
		opt_usage(stdout, "lictrace licenses [options] [ID]", lic_specs);
		free(pos);
		return EXIT_PASS;
	}
	json = o.c.format && !strcmp(o.c.format, "json");
	if (o.c.format && !json && strcmp(o.c.format, "text")) {
		fprintf(stderr, "lictrace: licenses supports --format text or json\n");
		goto done;
	}
	if (wire_data(&w, &o.c, 0))
		goto done;
	if (!(out = wire_output(&o.c)))
		goto done;
	if (npos) {
		const struct licdef *d = licensedb_get(w.db, pos[0]);
		if (!d)
			d = licensedb_lookup(w.db, pos[0]);
		if (!d) {
			fprintf(stderr, "lictrace: no license definition named '%s'\n", pos[0]);
			goto done;
		}
		if (json) {
			json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", d->id, "name", d->name,
					      "spdx", d->spdx, "family", d->family, "category",
					      lic_category_name(d->category), "relicense", relicense_name(d->relicense),
					      "review", d->review);
			json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', out);
			json_decref(j);
		} else {
			explain(out, d);
		}
		rc = EXIT_PASS;
		goto done;
	}
	sorted = calloc(w.db->nlics ? w.db->nlics : 1, sizeof(*sorted));
	if (!sorted)
		goto done;
	memcpy(sorted, w.db->lics, w.db->nlics * sizeof(*sorted));
	qsort(sorted, w.db->nlics, sizeof(*sorted), cmp_lic);
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < w.db->nlics; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "id", sorted[i]->id, "name",
							   sorted[i]->name, "spdx", sorted[i]->spdx, "category",
							   lic_category_name(sorted[i]->category)));
		json_dumpf(a, out, JSON_INDENT(2));
		fputc('\n', out);
		json_decref(a);
	} else {
		fprintf(out, "%-32s %-24s %s\n", "ID", "CATEGORY", "NAME");
		for (size_t i = 0; i < w.db->nlics; i++)
			fprintf(out, "%-32s %-24s %s\n", sorted[i]->id, lic_category_name(sorted[i]->category),
				sorted[i]->name);
		fprintf(out, "\n%zu definitions. 'lictrace licenses ID' explains one.\n", w.db->nlics);
	}
	rc = EXIT_PASS;
done:
	if (wire_output_close(out, rc != EXIT_USAGE))
		rc = EXIT_USAGE;
	free(sorted);
	wire_release(&w);
	free(pos);
	return rc;
}
