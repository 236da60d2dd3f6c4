/*
 * yamlx.h - the one bounded YAML loader (over libyaml).
 *
 * Cards, license definitions, rules, mergekit configs and policies all go through
 * yx_parse(), so the limits are written once: input bytes, nesting depth, node
 * count (alias expansions are counted at full size, so an alias bomb is refused
 * before anything walks it), and alias count. The document owns every node; nodes
 * are read-only for callers and die with yx_free(). Only the first document of a
 * stream is loaded.
 */
#ifndef LT_YAMLX_H
#define LT_YAMLX_H

#include <stddef.h>

struct lt_error;

enum ynode_kind { Y_SCALAR = 0, Y_SEQ = 1, Y_MAP = 2 };

struct ynode {
	enum ynode_kind kind;
	int line;             /* 1-based line where the node starts (plus yx_limits.line_offset) */
	const char *value;    /* scalar text (NUL-terminated, may contain NULs: see len) */
	size_t len;           /* scalar length */
	int plain;            /* scalar was unquoted (so "null", "~", "" mean null) */
	struct ynode **kids;  /* seq: items; map: key0, val0, key1, val1, ... */
	size_t nkids;
};

struct yx_limits {
	size_t max_bytes;
	int max_depth;
	size_t max_nodes;   /* counted with aliases expanded */
	size_t max_aliases;
	int line_offset;    /* added to every line (front matter starts below line 1) */
};

struct ydoc;

/* Default limits from limits.h. */
void yx_default_limits(struct yx_limits *lim);
/* Parse data[0..len). name labels errors. On success *out owns the tree (root may
 * be NULL for an empty document). */
int yx_parse(struct ydoc **out, const char *data, size_t len, const struct yx_limits *lim,
	     const char *name, struct lt_error *err);
void yx_free(struct ydoc *doc);
const struct ynode *yx_root(const struct ydoc *doc);

/* Accessors; all accept NULL and return NULL / 0 for the wrong kind. */
const struct ynode *yx_get(const struct ynode *map, const char *key);
size_t yx_count(const struct ynode *n);                   /* seq items or map pairs */
const struct ynode *yx_item(const struct ynode *seq, size_t i);
const struct ynode *yx_key(const struct ynode *map, size_t i);
const struct ynode *yx_val(const struct ynode *map, size_t i);
/* Scalar text, or NULL when n is not a scalar or is a plain null (~, null, empty). */
const char *yx_str(const struct ynode *n);
/* Scalar as boolean (true/yes/on, false/no/off); def otherwise. */
int yx_bool(const struct ynode *n, int def);
/* Scalar as a non-negative integer (digits, '_' allowed); 0 on success. */
int yx_uint(const struct ynode *n, unsigned long long *out);

#endif
