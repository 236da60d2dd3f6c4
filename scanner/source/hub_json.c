/*
 * hub_json.c - reading the hub API's JSON answers into model info and source
 * entries, and writing the stand-in answer of a gated model; see hub_json.h.
 * Nothing here touches the network or the cache: src_hub.c does.
 */
#include "hub_json.h"
#include "hub.h"
#include "hub_names.h"
#include "source.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/path.h"
#include "core/str.h"
#include "core/strmap.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void hub_model_info_free(struct hub_model_info *info)
{
	if (!info)
		return;
	free(info->id);
	free(info->sha);
	free(info->card_data_json);
	for (size_t i = 0; i < info->ntags; i++)
		free(info->tags[i]);
	free(info->tags);
	free(info->error_code);
	free(info);
}

/* The "siblings" of a model info: one source entry per safe, new file name. */
static int add_siblings(struct source *src, json_t *sib)
{
	struct strmap seen;
	json_t *v;
	size_t i;
	int rc = 0;

	strmap_init(&seen);
	json_array_foreach(sib, i, v) {
		json_t *name = json_object_get(v, "rfilename"), *size = json_object_get(v, "size");
		json_t *lfs = json_object_get(v, "lfs");
		struct source_entry e;
		const char *path;

		if (src->nentries >= LT_MAX_DIR_ENTRIES) {
			source_problem(src, "the hub lists more than %u files; the rest are ignored",
				       (unsigned)LT_MAX_DIR_ENTRIES);
			break;
		}
		if (!json_is_string(name))
			continue;
		path = json_string_value(name);
		/* a NUL inside the name would make the checked name differ from the listed one */
		if (!path_is_safe_relative(path) || strlen(path) != json_string_length(name)) {
			source_problem(src, "the hub listed an unsafe file name; ignored");
			continue;
		}
		if (strmap_get(&seen, path))
			continue;
		if (strmap_put(&seen, path, (void *)1)) {
			rc = LT_ENOMEM;
			break;
		}
		memset(&e, 0, sizeof(e));
		e.path = (char *)path;
		if (json_is_integer(size) && json_integer_value(size) >= 0)
			e.size = (unsigned long long)json_integer_value(size);
		else if (json_is_object(lfs) && json_is_integer(json_object_get(lfs, "size")) &&
			 json_integer_value(json_object_get(lfs, "size")) >= 0)
			e.size = (unsigned long long)json_integer_value(json_object_get(lfs, "size"));
		if (source_add_entry(src, &e)) {
			rc = LT_ENOMEM;
			break;
		}
	}
	strmap_release(&seen);
	return rc;
}

/* The hub's "lastModified" ("2024-05-01T12:00:00.000Z") as "YYYY-MM-DDThh:mm:ssZ",
 * or NULL when it is missing or not in that form (an untrusted answer's value is
 * never passed on unchecked). */
static char *hub_time(json_t *v)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	size_t n = sizeof(shape) - 1;

	if (!s || strlen(s) < n + 1)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return NULL;
#define F2(i) ((s[i] - '0') * 10 + (s[(i) + 1] - '0'))
	if (F2(5) < 1 || F2(5) > 12 || F2(8) < 1 || F2(8) > 31 || F2(11) > 23 || F2(14) > 59 ||
	    F2(17) > 60)
		return NULL;
#undef F2
	if (s[n] == '.') {
		size_t k = strspn(s + n + 1, "0123456789");
		if (!k || k > 9 || strcmp(s + n + 1 + k, "Z") != 0)
			return NULL;
	} else if (strcmp(s + n, "Z") != 0) {
		return NULL;
	}
	return lt_asprintf("%.*sZ", (int)n, s);
}

int hub_json_model_info(struct hub_model_info **out, struct source *src, const char *json,
			size_t len, const char *asked_id, struct lt_error *err)
{
	struct hub_model_info *info = NULL;
	json_t *root = NULL, *v;
	json_error_t jerr;
	int rc = 0;

	*out = NULL;
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root || !json_is_object(root)) {
		rc = lt_error_set(err, LT_EPARSE, NULL, 0,
				  "the hub's model info for '%s' is not a JSON object", asked_id);
		goto done;
	}
	info = calloc(1, sizeof(*info));
	if (!info) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	v = json_object_get(root, "sha");
	if (!json_is_string(v) || !hub_is_sha(json_string_value(v))) {
		rc = lt_error_set(err, LT_EPARSE, NULL, 0,
				  "the hub's model info for '%s' has no commit sha", asked_id);
		goto done;
	}
	info->sha = lt_strdup(json_string_value(v));
	free(src->revision);
	src->revision = lt_strdup(json_string_value(v));
	v = json_object_get(root, "id");
	{
		const char *id = json_is_string(v) ? json_string_value(v) : NULL;
		const char *slash = id ? strchr(id, '/') : NULL;
		/* the hub's spelling (a renamed repo answers with its new id), if sane */
		if (!slash || !hub_valid_name(id, (size_t)(slash - id)) ||
		    !hub_valid_name(slash + 1, strlen(slash + 1)))
			id = asked_id;
		info->id = lt_strdup(id);
	}
	/* facts for an SBOM: when this revision was published, and by whom */
	free(src->release_time);
	src->release_time = hub_time(json_object_get(root, "lastModified"));
	v = json_object_get(root, "author");
	free(src->supplier);
	src->supplier = json_is_string(v) && hub_valid_name(json_string_value(v), json_string_length(v))
				? lt_strdup(json_string_value(v)) : NULL;
	v = json_object_get(root, "gated");
	info->gated = (json_is_string(v) && json_string_length(v) > 0) || json_is_true(v);
	v = json_object_get(root, "cardData");
	if (json_is_object(v))
		info->card_data_json = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	v = json_object_get(root, "tags");
	if (json_is_array(v) && json_array_size(v) > 0) {
		size_t nt = json_array_size(v) < HUB_MAX_TAGS ? json_array_size(v) : HUB_MAX_TAGS;
		info->tags = calloc(nt, sizeof(char *));
		for (size_t i = 0; info->tags && i < nt; i++) {
			json_t *t = json_array_get(v, i);
			if (json_is_string(t) && (info->tags[info->ntags] = lt_strdup(json_string_value(t))))
				info->ntags++;
		}
	}
	if (!info->sha || !src->revision || !info->id ||
	    add_siblings(src, json_object_get(root, "siblings"))) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	source_sort(src);
	if (json_is_true(json_object_get(root, "lictrace_info_refused"))) {
		info->gated = 1;
		info->error_code = lt_strdup("GatedRepo");
		source_problem(src, "gated: the file list of '%s' needs an access token with granted access",
			       asked_id);
	}
	*out = info;
	info = NULL;
done:
	hub_model_info_free(info);
	json_decref(root);
	return rc;
}

int hub_json_model_list(char ***ids, size_t *n, const char *json, size_t len)
{
	json_t *arr = json_loadb(json, len, 0, NULL), *v;
	size_t i;
	int rc = 0;

	json_array_foreach(arr, i, v) {
		json_t *id = json_object_get(v, "id");
		char **p;
		if (!json_is_string(id) || *n >= LT_MAX_MODELS)
			continue;
		p = realloc(*ids, (*n + 1) * sizeof(*p));
		if (!p) {
			rc = LT_ENOMEM;
			goto done;
		}
		*ids = p;
		if (!(p[*n] = lt_strdup(json_string_value(id)))) {
			rc = LT_ENOMEM;
			goto done;
		}
		(*n)++;
	}
	if (!json_is_array(arr))
		rc = LT_EPARSE;
done:
	json_decref(arr);
	return rc;
}

char *hub_json_refused_info(const char *id, const char *sha, unsigned long long readme_size)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:[{s:s, s:I}], s:b}", "id", id, "sha", sha,
			      "gated", "manual", "siblings", "rfilename", "README.md", "size",
			      (json_int_t)readme_size, "lictrace_info_refused", 1);
	char *txt = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return txt;
}
