/*
 * cmd_classify.c - `lictrace classify FILE...` (and `-` for stdin): which license
 * each text is. JSON: an array of {"file", "license", "hf_id", "spdx",
 * "confidence", "rule", "alternatives"} plus "licenses" (every license found,
 * for bundles) and "modified_from". Exit 0 when every file was recognised, 1 when
 * some text is unknown, 2 on usage errors or unreadable files.
 */
#include "cmd.h"
#include "classify/classify.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/limits.h"
#include "licensedb/licensedb.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cls_opts {
	struct common_opts c;
};

static const struct opt_spec cls_specs[] = {
	COMMON_OPT_SPECS(struct cls_opts),
	{ NULL, 0, 0, NULL, NULL },
};

static const char *hf_id(const struct licdef *l)
{
	return l->hub_ids.n ? l->hub_ids.v[0] : "other";
}

static json_t *one_json(const char *file, const struct classify_result *cr)
{
	json_t *o = json_object(), *alts = json_array(), *all = json_array();
	const struct detection *best = cr->n ? &cr->v[0] : NULL;

	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "license", best ? json_string(best->lic->id) : json_null());
	json_object_set_new(o, "hf_id", best ? json_string(hf_id(best->lic)) : json_null());
	json_object_set_new(o, "spdx", best ? json_string(best->lic->spdx) : json_null());
	json_object_set_new(o, "confidence", json_real(best ? best->confidence : 0.0));
	json_object_set_new(o, "rule", best && best->rule ? json_string(best->rule->id) : json_null());
	for (size_t i = 0; i < cr->nalt; i++)
		json_array_append_new(alts, json_pack("{s:s, s:f, s:s?}", "license", cr->alt[i].lic->id,
						      "confidence", cr->alt[i].confidence, "rule",
						      cr->alt[i].rule ? cr->alt[i].rule->id : NULL));
	json_object_set_new(o, "alternatives", alts);
	for (size_t i = 0; i < cr->n; i++)
		json_array_append_new(all, json_pack("{s:s, s:f, s:i}", "license", cr->v[i].lic->id,
						     "confidence", cr->v[i].confidence, "line", cr->v[i].line));
	json_object_set_new(o, "licenses", all);
	json_object_set_new(o, "modified_from", cr->modified_from ? json_string(cr->modified_from) : json_null());
	if (cr->binary)
		json_object_set_new(o, "binary", json_true());
	return o;
}

static void one_text(FILE *out, const char *file, const struct classify_result *cr)
{
	if (cr->binary) {
		fprintf(out, "%s: binary file, not a license text\n", file);
		return;
	}
	if (!cr->n) {
		fprintf(out, "%s: unknown", file);
		if (cr->modified_from)
			fprintf(out, " (resembles %s but is modified)", cr->modified_from);
		fprintf(out, "\n");
		return;
	}
	for (size_t i = 0; i < cr->n; i++)
		fprintf(out, "%s%s: %s (%s) confidence %.2f, rule %s, line %d\n", i ? "  also " : "", file,
			cr->v[i].lic->id, cr->v[i].lic->name, cr->v[i].confidence,
			cr->v[i].rule ? cr->v[i].rule->id : "-", cr->v[i].line);
	for (size_t i = 0; i < cr->nalt; i++)
		fprintf(out, "  alternative: %s (%.2f)\n", cr->alt[i].lic->id, cr->alt[i].confidence);
}

int cmd_classify(int argc, char **argv)
{
	struct cls_opts o;
	struct wire w;
	const char **pos = NULL;
	int npos = 0, help = 0, rc = EXIT_USAGE, unknown = 0, failed = 0, json;
	json_t *arr = NULL;
	FILE *out = NULL;

	memset(&o, 0, sizeof(o));
	memset(&w, 0, sizeof(w));
	if (opt_parse(cls_specs, &o, argc, argv, &pos, &npos, &help))
		return EXIT_USAGE;
	if (help) {
		opt_usage(stdout, "lictrace classify [options] FILE... (- reads stdin)", cls_specs);
		free(pos);
		return EXIT_PASS;
	}
	json = o.c.format && !strcmp(o.c.format, "json");
	if (o.c.format && !json && strcmp(o.c.format, "text")) {
		fprintf(stderr, "lictrace: classify supports --format text or json\n");
		goto done;
	}
	if (!npos) {
		fprintf(stderr, "lictrace: classify needs FILE arguments (or - for stdin)\n");
		goto done;
	}
	if (wire_data(&w, &o.c, 0))
		goto done;
	if (!(out = wire_output(&o.c)))
		goto done;
	arr = json_array();
	for (int i = 0; i < npos; i++) {
		struct buf b;
		struct lt_error err;
		struct classify_result cr;
		const char *name = strcmp(pos[i], "-") ? pos[i] : "<stdin>";

		buf_init(&b, LT_MAX_LICENSE_BYTES + 1);
		if (lt_read_file(&b, pos[i], LT_MAX_LICENSE_BYTES, &err)) {
			fprintf(stderr, "lictrace: %s\n", err.message);
			failed = 1;
			buf_release(&b);
			continue;
		}
		memset(&cr, 0, sizeof(cr));
		if (classify_text(w.cls, buf_cstr(&b), b.len, &cr, &err)) {
			fprintf(stderr, "lictrace: %s: %s\n", name, err.message);
			failed = 1;
			buf_release(&b);
			continue;
		}
		if (!cr.n)
			unknown = 1;
		if (json)
			json_array_append_new(arr, one_json(name, &cr));
		else
			one_text(out, name, &cr);
		classify_result_release(&cr);
		buf_release(&b);
	}
	if (json) {
		json_dumpf(arr, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
	}
	rc = failed ? EXIT_USAGE : unknown ? EXIT_FINDINGS : EXIT_PASS;
done:
	json_decref(arr);
	if (wire_output_close(out, 1))
		rc = EXIT_USAGE;
	wire_release(&w);
	free(pos);
	return rc;
}
