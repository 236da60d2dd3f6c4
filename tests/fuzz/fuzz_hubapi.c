/*
 * fuzz_hubapi.c - libFuzzer harness for the hub API's JSON answers
 * (source/hub_json.h), parsed directly: every input is read both as a model
 * info answer (into a fresh hub source) and as a model listing page.
 *
 * Held to the contract: a parsed info has a 40-hex sha (also the source's
 * revision), an id, at most HUB_MAX_TAGS tags, and only safe, distinct, sorted
 * file names; a listing holds at most LT_MAX_MODELS ids. The stand-in answer
 * written for a gated model (hub_json_refused_info) must read back as one.
 */
#include "source/hub.h"
#include "source/hub_json.h"
#include "source/hub_mem.h"
#include "source/source.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/path.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_sha(const char *s)
{
	if (!s || strlen(s) != 40)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static void check_refused(const struct hub_model_info *info, unsigned long long readme)
{
	char *txt = hub_json_refused_info(info->id, info->sha, readme);
	struct source *src = hub_mem_new("org/name");
	struct hub_model_info *back = NULL;
	struct lt_error err;

	if (!txt || !src)
		abort();
	lt_error_clear(&err);
	if (hub_json_model_info(&back, src, txt, strlen(txt), "org/name", &err) != 0)
		abort();
	if (!back->gated || !back->error_code || strcmp(back->sha, info->sha) != 0 ||
	    strcmp(back->id, info->id) != 0 || src->nentries != 1 ||
	    strcmp(src->entries[0].path, "README.md") != 0 || src->entries[0].size != readme)
		abort();
	hub_model_info_free(back);
	source_free(src);
	free(txt);
}

static void model_info(const uint8_t *data, size_t size)
{
	struct source *src = hub_mem_new("org/name");
	struct hub_model_info *info = NULL;
	struct lt_error err;
	int rc;

	if (!src)
		abort();
	lt_error_clear(&err);
	rc = hub_json_model_info(&info, src, (const char *)data, size, "org/name", &err);
	if (rc) {
		if (info || (rc != LT_EPARSE && rc != LT_ENOMEM) || err.code != rc)
			abort();
	} else {
		if (!info || !is_sha(info->sha) || !info->id || strcmp(src->revision, info->sha) != 0 ||
		    info->ntags > HUB_MAX_TAGS || src->nentries > LT_MAX_DIR_ENTRIES)
			abort();
		for (size_t i = 0; i < info->ntags; i++)
			if (!info->tags[i])
				abort();
		for (size_t i = 0; i < src->nentries; i++) {
			if (!path_is_safe_relative(src->entries[i].path))
				abort();
			if (i && strcmp(src->entries[i - 1].path, src->entries[i].path) >= 0)
				abort(); /* sorted, each name once */
		}
		check_refused(info, size);
	}
	hub_model_info_free(info);
	source_free(src);
}

static void model_list(const uint8_t *data, size_t size)
{
	char **ids = NULL;
	size_t n = 0;
	int rc = hub_json_model_list(&ids, &n, (const char *)data, size);

	if (rc != 0 && rc != LT_EPARSE && rc != LT_ENOMEM)
		abort();
	if (n > LT_MAX_MODELS || (rc == LT_EPARSE && n))
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!ids[i])
			abort();
		free(ids[i]);
	}
	free(ids);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	model_info(data, size);
	model_list(data, size);
	return 0;
}
