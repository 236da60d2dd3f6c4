/*
 * hub_wants.c - which files of a hub repo the scanner reads; see hub_wants.h.
 */
#include "hub_wants.h"
#include "hub.h"
#include "source.h"
#include "core/limits.h"
#include "core/str.h"

#include <string.h>

#include "core/banned.h"

static const char *const config_names[] = {
	"config.json", "adapter_config.json", "quantize_config.json", "quant_config.json",
	"hf_quant_config.json", "mergekit_config.yml", "mergekit_config.yaml", "merge.yml",
	"merge.yaml", "metadata.json", "model_config.yaml",
};

static const char *const license_prefixes[] = {
	"license", "licence", "copying", "notice", "use_policy", "usage_policy", "model_license",
};

size_t hub_wanted_cap(const char *path, const struct hub_opts *o)
{
	char low[256];

	if (strchr(path, '/') || strlen(path) >= sizeof(low))
		return 0;
	lt_strlcpy(low, path, sizeof(low));
	lt_str_lower(low);
	if (strcmp(low, "readme.md") == 0)
		return LT_MAX_CARD_BYTES;
	for (size_t i = 0; i < sizeof(config_names) / sizeof(*config_names); i++)
		if (strcmp(low, config_names[i]) == 0)
			return LT_MAX_CONFIG_BYTES;
	for (size_t i = 0; i < sizeof(license_prefixes) / sizeof(*license_prefixes); i++)
		if (lt_starts_with(low, license_prefixes[i]))
			return LT_MAX_LICENSE_BYTES;
	if (lt_ends_with(low, "license") || lt_ends_with(low, "license.md") ||
	    lt_ends_with(low, "license.txt"))
		return LT_MAX_LICENSE_BYTES;
	/* a license the file roles name after itself ("Tongyi Qianwen LICENSE AGREEMENT") */
	if (o && o->reads_text && o->reads_text(o->reads_arg, path))
		return LT_MAX_LICENSE_BYTES;
	return 0;
}

const struct source_entry *hub_pick_weights(const struct source *src, const char *ext)
{
	const struct source_entry *first = NULL;
	char low[1024];

	for (size_t i = 0; i < src->nentries; i++) {
		const char *p = src->entries[i].path;
		if (strlen(p) >= sizeof(low))
			continue;
		lt_strlcpy(low, p, sizeof(low));
		lt_str_lower(low);
		if (!lt_ends_with(low, ext))
			continue;
		if (strstr(low, "-00001-of-"))
			return &src->entries[i];
		if (!first)
			first = &src->entries[i];
	}
	return first;
}

