/*
 * datasets.h - the datasets a model was trained on (card `datasets:`), resolved
 * like models: a hub mirror's ROOT/datasets/org/name/ folder, then the
 * huggingface_hub cache's datasets--org--name snapshot, then (when the run asks a
 * hub) the hub's dataset API through a resolver the caller sets. A dataset's
 * record's source_kind says which: "mirror", "hf-cache" or "hub". A dataset's record is
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
struct resolver;
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
/* Ask hub (a resolver over the hub's dataset API, lineage/resolver.h; taken, freed
 * with the cache) for the datasets the mirror and the cache do not have. A hub
 * refusal or failure leaves the dataset unresolved with the hub's reason: not
 * found (404 / RepoNotFound, or not in the offline cache) is plain unresolved;
 * gated, network, truncated or mismatched bodies make it unreadable. Ids without
 * an organisation (legacy names) are never asked of the hub. */
void ldatasets_set_hub(struct ldatasets *c, struct resolver *hub);
/* The dataset id, resolved the first time it is asked for. NULL only when out of
 * memory or past the cap on distinct datasets (LT_MAX_MODELS). */
const struct ldataset *ldatasets_get(struct ldatasets *c, const char *id);
/* Resolve ids[0..n) not asked for before, the ones only the hub has in one
 * concurrent batch (the hub resolver's prefetch); ldatasets_get then answers
 * from memory. Failures are kept per dataset, as ldatasets_get keeps them. */
void ldatasets_prefetch(struct ldatasets *c, const char *const *ids, size_t n);
void ldatasets_free(struct ldatasets *c);

#endif
