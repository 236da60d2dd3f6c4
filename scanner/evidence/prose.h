/*
 * prose.h - facts a model card states only in its prose: the base model
 * ("a fine-tuned version of LLAMA-2", "based on Meta's LLaMA-7B",
 * "基於Qwen-7B-Chat") and the license ("released under the NVIDIA Open Model
 * License"). Lines in fenced code blocks and HTML comments are skipped; every
 * hit keeps its README line.
 *
 * These are candidates: the caller decides what a name means (a Hub id, a
 * license family, a model of a known licensor) and drops what it cannot place.
 */
#ifndef LT_EVIDENCE_PROSE_H
#define LT_EVIDENCE_PROSE_H

#include <stddef.h>

struct card;

struct prose_hit {
	char *value;  /* the name as written ("LLaMA-7B", "Qwen/Qwen-7B-Chat", "NVIDIA Open Model License") */
	int line;     /* README line */
	int link;     /* 1 when value came from a link's target (a Hub URL's "org/name") */
};

/* Names after a derivation phrase. 0 (with *out possibly NULL), or LT_ENOMEM. */
int prose_base_models(const struct card *c, struct prose_hit **out, size_t *n);

/* License names after "under (the)": the words up to and including a word
 * License / Licence / Agreement (at most eight words), or a link's text there.
 * 0 or LT_ENOMEM. */
int prose_license_names(const struct card *c, struct prose_hit **out, size_t *n);

/* Models a merge card lists: the bullets after "The following models were
 * included in the merge:" (links or org/name ids). 0 or LT_ENOMEM. */
int prose_merge_list(const struct card *c, struct prose_hit **out, size_t *n);

/* The first fenced ```yaml block that holds a mergekit config (`merge_method`
 * or `slices:`/`models:` with `model:` entries): *text borrows from the card,
 * *line is the README line of its first line. 1 when found, else 0. */
int prose_mergekit_block(const struct card *c, const char **text, size_t *len, int *line);

void prose_hits_free(struct prose_hit *v, size_t n);

#endif
