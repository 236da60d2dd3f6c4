/*
 * card.h - read a model card (README.md): its YAML front matter and its body.
 *
 * A card is untrusted: anyone can write one. card_parse() finds the front matter
 * the way the Hub does (optional BOM, optional leading whitespace, an opening
 * `---` line, up to the next line that is `---`, with trailing spaces or tabs
 * allowed on both; LF, CRLF and CR line ends), loads it through yamlx (the one
 * bounded YAML loader) and keeps the top-level keys that carry license and
 * lineage facts, each with the 1-based line of the README where its value starts.
 *
 * What is a hard error and what is not: only a card over LT_MAX_CARD_BYTES, an
 * allocation failure or a bad argument make card_parse() fail. Problems inside
 * the front matter (no closing line, over LT_MAX_FRONT_MATTER_BYTES, invalid
 * UTF-8, malformed YAML, an alias bomb, a root that is not a mapping) give a
 * card with has_front_matter = 1, fm_error set and no fields, so the caller can
 * report the problem and still read the body.
 *
 * Shapes accepted (what real cards do, see hub-facts section 2): `license` as a
 * scalar or a list (or the misspelt `licence` key, flagged); `base_model`,
 * `tags` and `datasets` as a scalar or a list; numbers and booleans kept as
 * their text. A list or mapping where a scalar is expected, and null values,
 * are ignored. Only top-level keys count: a nested `lm_studio: {base_model: x}`
 * is not the card's base model. When a key is repeated the last one wins, as
 * in the Hub's own YAML loader; a repeated license or lineage key is also kept
 * in dups, so that the value it hides is not lost without a word.
 *
 * Ownership: a card owns every string it points to, including the copy of the
 * text that body points into; card_free() releases all of it and accepts NULL.
 * Helpers that return strings say so; the caller frees those with free().
 */
#ifndef LT_EVIDENCE_CARD_H
#define LT_EVIDENCE_CARD_H

#include <stddef.h>

struct lt_error;

/* Repeated keys kept (one per watched key). */
#define CARD_MAX_DUPS 6

/* One value from the card; value is NULL when the key is absent. */
struct card_value {
	char *value;
	int line; /* 1-based README line where the value's text starts (for a block
		     scalar, the line below its `|` or `>` header); 0 when absent */
};

struct card {
	int has_front_matter; /* an opening `---` line was found */
	int fm_first_line;    /* line of the first YAML line (after the opening `---`) */
	char *fm_error;       /* why the front matter was not used, or NULL */
	int fm_error_line;    /* line the problem is at (best effort), 0 if unknown */

	struct card_value *licenses; /* `license` (scalar or list), else `licence` */
	size_t nlicenses;
	int licence_misspelt;        /* the values came from the misspelt `licence` key */

	struct card_value license_name;
	struct card_value license_link;
	struct card_value license_details;     /* legacy free text (pre-2023-09 cards) */
	struct card_value base_model_relation; /* adapter, merge, quantized, finetune (as written) */
	struct card_value new_version;         /* a newer model: not lineage */
	struct card_value library_name;
	struct card_value quantized_by;
	struct card_value model_name;
	struct card_value model_index_name;    /* model-index[0].name */
	struct card_value model_creator;
	struct card_value model_link;          /* older quantizer cards name the parent here */
	struct card_value extra_gated_prompt;
	struct card_value finetuned_from;      /* legacy lineage key */

	struct card_value *base_models;
	size_t nbase_models;
	int base_model_key; /* `base_model` is present, even when empty, null or [] */

	struct card_value *tags;
	size_t ntags;
	struct card_value *datasets;
	size_t ndatasets;

	int extra_gated_eu_disallowed;

	/* License and lineage keys given more than once (license, licence,
	 * license_name, license_link, base_model, base_model_relation): the key, the
	 * line of its first occurrence and of the one that counts. */
	struct card_dup {
		const char *key; /* static */
		int first_line;
		int line;
	} dups[CARD_MAX_DUPS];
	size_t ndups;

	const char *body; /* markdown after the front matter (the whole text without one) */
	size_t body_len;
	int body_line;    /* line of body[0] */

	char *text;       /* owned copy of the card that body points into */
	size_t text_len;
};

/*
 * Parse len bytes of a README. name labels messages (e.g. "README.md"). On
 * success *out is a new card (see the file comment for what lands in fm_error).
 * Fails with LT_ETOOBIG when len > LT_MAX_CARD_BYTES, before looking at the data;
 * LT_ENOMEM; LT_EINVAL for a NULL out or data.
 */
int card_parse(struct card **out, const char *name, const char *data, size_t len,
	       struct lt_error *err);
void card_free(struct card *c);

/*
 * Hub-style tag `license:<id>`: returns 1 and points *id into tag (borrowed) when
 * tag has that shape with a non-empty id free of spaces and colons; 0 otherwise.
 */
int card_tag_license(const char *tag, const char **id);

/*
 * Hub-style tag `base_model:<id>` or `base_model:<relation>:<id>` where relation is
 * one of finetune, adapter, quantized, merge. Strict: any other relation, an
 * empty id or an id with spaces or a further colon gives 0. On 1, *relation (NULL
 * for the short form) and *id are new strings the caller frees. LT_ENOMEM on
 * allocation failure (outputs NULL).
 */
int card_tag_base_model(const char *tag, char **relation, char **id);

/*
 * A license stated in the body's prose, the way the Hub's card template writes
 * it: a line such as `- **License:** apache-2.0`, `License: MIT` or
 * `**Licence**: cc-by-4.0` (list markers, heading marks and emphasis around the
 * label are allowed). Lines inside fenced code blocks, placeholders such as the
 * template's "[More Information Needed]", and values too long to be a license
 * name (sentences) are skipped. The first match wins: out->value is the trimmed
 * value (a markdown link is reduced to its text) and out->line its README line.
 * Returns 1 when found (caller frees out->value), 0 when not (out zeroed),
 * LT_ENOMEM.
 */
int card_prose_license(const struct card *c, struct card_value *out);

#endif
