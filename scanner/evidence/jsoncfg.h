/*
 * jsoncfg.h - the JSON configs of a model repository that carry lineage facts:
 * config.json (transformers, or Keras) and adapter_config.json (PEFT).
 *
 * Both files are untrusted. They are read with jansson after a size check
 * (LT_MAX_CONFIG_BYTES); jansson bounds nesting itself (JSON_PARSER_MAX_DEPTH);
 * a root that is not an object is refused with LT_EPARSE. Fields of the wrong
 * JSON type are ignored, not errors. jansson reports positions only for
 * errors, so the line of a kept field is found by looking for its key in the
 * raw text (the occurrence followed by the kept value, else the first one).
 *
 * Quantisation config files (quantize_config.json, quant_config.json,
 * hf_quant_config.json) matter only by their presence: no parser here.
 *
 * Ownership: the parse functions return a new struct the caller releases with
 * the matching _free (which accepts NULL); all strings inside belong to it.
 */
#ifndef LT_EVIDENCE_JSONCFG_H
#define LT_EVIDENCE_JSONCFG_H

#include <stddef.h>

struct lt_error;

struct model_config {
	char *name_or_path;          /* `_name_or_path`: a Hub id or a local path, as written */
	int name_or_path_line;       /* 1-based, 0 when absent */
	int has_quantization_config; /* `quantization_config` is an object */
	char *quant_method;          /* `quantization_config.quant_method` (gptq, awq, bitsandbytes...) */
	char *model_type;            /* `model_type` */
	int keras_like;              /* no model_type/architectures but Keras keys: not transformers */
};

struct adapter_config {
	char *base_model_name_or_path; /* a Hub id or a local path, as written */
	int base_line;                 /* 1-based, 0 when absent */
	char *revision;                /* revision of the base, or NULL */
	char *peft_type;               /* LORA, IA3, ... */
};

/* Parse config.json. name labels messages. Errors: LT_ETOOBIG (over
 * LT_MAX_CONFIG_BYTES), LT_EPARSE (malformed JSON, with its line; root not an
 * object), LT_ENOMEM, LT_EINVAL. */
int model_config_parse(struct model_config **out, const char *name, const char *data, size_t len,
		       struct lt_error *err);
void model_config_free(struct model_config *c);

/* Parse adapter_config.json; same contract as model_config_parse(). */
int adapter_config_parse(struct adapter_config **out, const char *name, const char *data,
			 size_t len, struct lt_error *err);
void adapter_config_free(struct adapter_config *c);

#endif
