/*
 * safetensors.h - the `__metadata__` strings of a safetensors header.
 *
 * Layout: an 8-byte little-endian u64 N, then N bytes of JSON (an object mapping
 * tensor names to dtype/shape/offsets, plus an optional `__metadata__` object
 * whose values are strings; writers pad with spaces). N is checked against
 * LT_SAFETENSORS_MAX_HEADER (huggingface_hub's own cap) and against the file
 * size before anything is read.
 *
 * Only `__metadata__` is decoded (with jansson); the tensor table around it is
 * scanned for structure (terminated strings, balanced brackets) without building
 * it, so a 25 MB header of tiny arrays costs no memory. Non-string metadata
 * values are ignored.
 *
 * Keys of interest (Stability's ModelSpec and kohya's training scripts, seen on
 * diffusion checkpoints and LoRAs):
 *   modelspec.license        license id or name of the weights
 *   modelspec.merged_from    models a checkpoint was merged from (comma list)
 *   modelspec.title, modelspec.author
 *   ss_sd_model_name         base checkpoint file a LoRA was trained on
 *   ss_base_model_version    e.g. "sdxl_base_v1-0"
 *   ss_pretrained_model_name_or_path   base model (Hub id or local path)
 * A plain transformers checkpoint has only {"format": "pt"}.
 *
 * Ownership: safetensors_parse() returns a new struct; safetensors_meta_free()
 * releases it (NULL accepted). st_meta_get() returns a borrowed pointer.
 */
#ifndef LT_EVIDENCE_SAFETENSORS_H
#define LT_EVIDENCE_SAFETENSORS_H

#include <stddef.h>

struct lt_error;

struct st_meta {
	size_t n;          /* string entries of __metadata__ */
	char **keys;
	char **values;
	unsigned long long header_len; /* N */
};

/*
 * Parse the header from data[0, len), a prefix of a file of file_size bytes
 * (0 when the size is unknown). Errors: LT_ETOOBIG (N over
 * LT_SAFETENSORS_MAX_HEADER), LT_EPARSE (N + 8 past the end of the file, malformed
 * header, `__metadata__` not an object), LT_ETRUNC (the prefix is shorter than
 * 8 + N: the caller may read 8 + N bytes and try again; header_len is then
 * stated in the message), LT_ENOMEM, LT_EINVAL.
 */
int safetensors_parse(struct st_meta **out, const unsigned char *data, size_t len,
		      unsigned long long file_size, struct lt_error *err);
void safetensors_meta_free(struct st_meta *m);

/* Value of a metadata key, or NULL. */
const char *st_meta_get(const struct st_meta *m, const char *key);

#endif
