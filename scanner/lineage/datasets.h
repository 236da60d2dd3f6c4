/*
 * datasets.h - the datasets a model was trained on (card `datasets:`), resolved
 * like models: a hub mirror's ROOT/datasets/org/name/ folder, then the
 * huggingface_hub cache's datasets--org--name snapshot. A dataset's record is
 * built from its own card like a model's (its `license:`, `license_name`, its
 * LICENSE file, its own `base_model` or prose naming the model that generated it).
 *
 * One cache per run: a dataset shared by a thousand fine-tunes is read once.
 * Ids fold case, as on the Hub.
 */
#ifndef LT_LINEAGE_DATASETS_H
#define LT_LINEAGE_DATASETS_H

#include <stddef.h>

struct model_record;
struct resolver_env;

struct ldataset {
	char *id;                 /* as first asked for */
	struct model_record *rec; /* NULL when not found or unreadable */
	char *error;              /* why rec is NULL */
	int unreadable;           /* found, but it could not be read (not merely absent) */
};

struct ldatasets;

/* A cache over a mirror root and a huggingface_hub cache folder (either may be
 * NULL); env is copied (its database and classifier must outlive the cache).
 * NULL when out of memory. */
struct ldatasets *ldatasets_new(const char *mirror_root, const char *hub_cache,
				const struct resolver_env *env);
/* The dataset id, resolved the first time it is asked for. NULL only when out of
 * memory or past the cap on distinct datasets (LT_MAX_MODELS). */
const struct ldataset *ldatasets_get(struct ldatasets *c, const char *id);
void ldatasets_free(struct ldatasets *c);

#endif
