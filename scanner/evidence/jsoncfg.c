/*
 * jsoncfg.c - config.json and adapter_config.json through jansson; see jsoncfg.h.
 */
#include "jsoncfg.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/str.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Load an object root; the checks every config gets. */
static int load_object(json_t **out, const char *name, const char *data, size_t len,
		       struct lt_error *err)
{
	json_error_t jerr;
	json_t *root;

	*out = NULL;
	if (!data && len)
		return lt_error_set(err, LT_EINVAL, name, 0, "no data for '%s'", name);
	if (len > LT_MAX_CONFIG_BYTES)
		return lt_error_set(err, LT_ETOOBIG, name, 0,
				    "'%s' is %zu bytes, over the %u byte limit", name, len,
				    (unsigned)LT_MAX_CONFIG_BYTES);
	root = json_loadb(data ? data : "", len, 0, &jerr);
	if (!root)
		return lt_error_set(err, LT_EPARSE, name, jerr.line > 0 ? jerr.line : 0,
				    "malformed json in '%s': %s", name, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return lt_error_set(err, LT_EPARSE, name, 1, "'%s' is not a json object", name);
	}
	*out = root;
	return 0;
}

/* A copy of obj[key] when it is a string (NULs inside are refused by jansson's
 * default flags, so the C string is the whole value). *ok is cleared on ENOMEM. */
static char *get_str(json_t *obj, const char *key, int *ok)
{
	const char *v = json_string_value(json_object_get(obj, key));
	char *t;

	if (!v)
		return NULL;
	t = lt_strdup(v);
	if (!t)
		*ok = 0;
	return t;
}

/*
 * Line of `"key"` in the raw text: the first occurrence followed by `:` and the
 * string `value` (when value needs no escaping), else the first occurrence of
 * `"key"` at all; 0 when there is none. Linear in len per occurrence tried.
 */
static int key_line(const char *data, size_t len, const char *key, const char *value)
{
	size_t klen = strlen(key), vlen = value ? strlen(value) : 0;
	size_t first = (size_t)-1;

	for (size_t i = 0; i + klen + 2 <= len; i++) {
		size_t j;

		if (data[i] != '"' || memcmp(data + i + 1, key, klen) != 0 || data[i + klen + 1] != '"')
			continue;
		if (first == (size_t)-1)
			first = i;
		if (!value)
			break;
		j = i + klen + 2;
		while (j < len && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r'))
			j++;
		if (j >= len || data[j] != ':')
			continue;
		j++;
		while (j < len && (data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r'))
			j++;
		if (j + vlen + 2 <= len && data[j] == '"' && memcmp(data + j + 1, value, vlen) == 0 &&
		    data[j + vlen + 1] == '"')
			return lt_line_of(data, len, i);
	}
	return first == (size_t)-1 ? 0 : lt_line_of(data, len, first);
}

int model_config_parse(struct model_config **out, const char *name, const char *data, size_t len,
		       struct lt_error *err)
{
	struct model_config *c = NULL;
	json_t *root = NULL, *q;
	int rc, ok = 1;

	if (!out)
		return lt_error_set(err, LT_EINVAL, name, 0, "model_config_parse: no output");
	*out = NULL;
	if (!name)
		name = "config.json";
	if ((rc = load_object(&root, name, data, len, err)) != 0)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
		goto done;
	}
	c->name_or_path = get_str(root, "_name_or_path", &ok);
	if (c->name_or_path)
		c->name_or_path_line = key_line(data, len, "_name_or_path", c->name_or_path);
	c->model_type = get_str(root, "model_type", &ok);
	q = json_object_get(root, "quantization_config");
	if (json_is_object(q)) {
		c->has_quantization_config = 1;
		c->quant_method = get_str(q, "quant_method", &ok);
	}
	/* A Keras config.json describes layers (class_name + config, or module) and has
	 * neither transformers' model_type nor architectures. */
	if (!json_object_get(root, "model_type") && !json_object_get(root, "architectures") &&
	    ((json_object_get(root, "class_name") && json_object_get(root, "config")) ||
	     json_object_get(root, "module")))
		c->keras_like = 1;
	if (!ok)
		rc = lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
done:
	json_decref(root);
	if (rc) {
		model_config_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void model_config_free(struct model_config *c)
{
	if (!c)
		return;
	free(c->name_or_path);
	free(c->quant_method);
	free(c->model_type);
	free(c);
}

int adapter_config_parse(struct adapter_config **out, const char *name, const char *data,
			 size_t len, struct lt_error *err)
{
	struct adapter_config *c = NULL;
	json_t *root = NULL;
	int rc, ok = 1;

	if (!out)
		return lt_error_set(err, LT_EINVAL, name, 0, "adapter_config_parse: no output");
	*out = NULL;
	if (!name)
		name = "adapter_config.json";
	if ((rc = load_object(&root, name, data, len, err)) != 0)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
		goto done;
	}
	c->base_model_name_or_path = get_str(root, "base_model_name_or_path", &ok);
	if (c->base_model_name_or_path)
		c->base_line = key_line(data, len, "base_model_name_or_path",
					c->base_model_name_or_path);
	c->revision = get_str(root, "revision", &ok);
	c->peft_type = get_str(root, "peft_type", &ok);
	if (!ok)
		rc = lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
done:
	json_decref(root);
	if (rc) {
		adapter_config_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void adapter_config_free(struct adapter_config *c)
{
	if (!c)
		return;
	free(c->base_model_name_or_path);
	free(c->revision);
	free(c->peft_type);
	free(c);
}
