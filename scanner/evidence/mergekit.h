/*
 * mergekit.h - the models a mergekit configuration merges.
 *
 * A merge config (mergekit_config.yml and friends) is untrusted YAML, loaded
 * through yamlx with the file capped at LT_MAX_CONFIG_BYTES. Model references are
 * collected from every shape mergekit accepts:
 *   models: [{model: X, parameters: ...}]        (plain strings X are accepted too)
 *   slices: [{sources: [{model: X, layer_range: [a, b]}]}]
 *   modules: {name: {models: ...} | {slices: ...}}
 *   experts: [{source_model: X}]                   (mergekit-moe)
 *   base_model: X
 * A reference string is `path[@revision][+lora[@revision]]`: a `X+L` reference
 * yields both X and L; `org/name@rev` is kept whole (the caller splits off the
 * revision). The object form {model: {path, revision}, lora: {path, revision}}
 * is read the same way. References are de-duplicated (first line wins) and
 * capped at LT_MAX_PARENTS distinct models (LT_ETOOBIG beyond). The base model
 * is also listed in models, since its license flows into the merge.
 *
 * Ownership: mergekit_parse() returns a new struct that mergekit_free()
 * releases (NULL accepted); every string belongs to it.
 */
#ifndef LT_EVIDENCE_MERGEKIT_H
#define LT_EVIDENCE_MERGEKIT_H

#include <stddef.h>

struct lt_error;

struct merge_ref {
	char *model; /* as written, "@rev" kept */
	int line;    /* 1-based line in the config */
};

struct mergekit {
	struct merge_ref *models; /* every distinct model, base model included */
	size_t nmodels;
	char *base_model; /* `base_model` (without a "+lora" part), or NULL */
	int base_line;
	char *merge_method; /* linear, slerp, ties, dare_ties, passthrough, ... or NULL */
};

/* Errors: LT_ETOOBIG (file, YAML node/alias/depth caps, too many models),
 * LT_EPARSE (malformed YAML, a root that is not a mapping, a reference with more
 * than one '+' or an empty part), LT_ENOMEM, LT_EINVAL. err->line points at the
 * offending line when there is one. A config that names no model is not an
 * error: nmodels is 0. */
int mergekit_parse(struct mergekit **out, const char *name, const char *data, size_t len,
		   struct lt_error *err);
void mergekit_free(struct mergekit *m);

/* 1 when basename names a mergekit config: mergekit_config, merge or
 * mergekit_moe_config with .yml or .yaml (ASCII case-insensitive). */
int mergekit_is_config_name(const char *basename);

#endif
