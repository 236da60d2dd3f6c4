/*
 * hub_wants.h - which files of a hub repo the scanner reads, so that only those
 * are fetched. Private to the hub backend (src_hub.c).
 */
#ifndef LT_HUB_WANTS_H
#define LT_HUB_WANTS_H

#include <stddef.h>

struct hub_opts;
struct source;
struct source_entry;

/* The byte cap for a root file the scanner reads (the card, a config, a
 * license-like file, or a text o->reads_text names when o has one), or 0 when it
 * reads no such file. */
size_t hub_wanted_cap(const char *path, const struct hub_opts *o);

/* The weights file whose header we read: among src's paths ending in ext (lower
 * case, e.g. ".gguf"), the first "-00001-of-" shard if any, else the first by
 * name (entries are sorted). NULL when there is none. */
const struct source_entry *hub_pick_weights(const struct source *src, const char *ext);

#endif
