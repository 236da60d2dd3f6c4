/*
 * yamlx.c - bounded YAML loading over libyaml's event parser; see yamlx.h.
 *
 * We build our own tree from events rather than use libyaml's document loader,
 * because the loader counts nothing: with events we charge each alias the full
 * size of the subtree it points at and stop at the node budget (the "billion
 * laughs" defence), and we cap depth with an explicit stack instead of recursion.
 * All nodes live in one arena, so aliased subtrees are shared and freed once.
 */
#include "yamlx.h"
#include "core/err.h"
#include "core/limits.h"

#include <stddef.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct arena_blk {
	struct arena_blk *next;
	size_t used, size;
	max_align_t data[];
};

struct anchor {
	char *name;
	struct ynode *node;
	size_t weight; /* nodes in the subtree, aliases expanded */
};

struct ydoc {
	struct arena_blk *blocks;
	struct ynode *root;
};

struct frame {
	struct ynode *node;
	char *anchor;        /* owned */
	size_t weight;
	struct ynode **kids; /* malloc'd while building */
	size_t n, cap;
};

struct loader {
	struct ydoc *doc;
	const struct yx_limits *lim;
	const char *name;
	struct lt_error *err;
	struct frame *stack;
	int depth;
	size_t nodes;
	struct anchor *anchors;
	size_t nanchors, anchors_cap;
};

static void *arena_alloc(struct ydoc *doc, size_t n)
{
	struct arena_blk *b = doc->blocks;
	size_t align = sizeof(max_align_t);

	n = (n + align - 1) / align * align;
	if (!b || b->size - b->used < n) {
		size_t size = n > 16384 ? n : 16384;
		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = doc->blocks;
		doc->blocks = b;
	}
	b->used += n;
	return (char *)b->data + b->used - n;
}

void yx_default_limits(struct yx_limits *lim)
{
	lim->max_bytes = LT_MAX_FRONT_MATTER_BYTES;
	lim->max_depth = LT_YAML_MAX_DEPTH;
	lim->max_nodes = LT_YAML_MAX_NODES;
	lim->max_aliases = LT_YAML_MAX_ALIASES;
	lim->line_offset = 0;
}

void yx_free(struct ydoc *doc)
{
	struct arena_blk *b, *next;

	if (!doc)
		return;
	for (b = doc->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	free(doc);
}

const struct ynode *yx_root(const struct ydoc *doc)
{
	return doc ? doc->root : NULL;
}

static int line_of(const struct loader *ld, const yaml_event_t *ev)
{
	return (int)ev->start_mark.line + 1 + ld->lim->line_offset;
}

static int fail(struct loader *ld, int code, int line, const char *msg)
{
	return lt_error_set(ld->err, code, ld->name, line, "%s in '%s'", msg, ld->name);
}

static int charge(struct loader *ld, size_t n, int line)
{
	if (n > ld->lim->max_nodes || ld->nodes > ld->lim->max_nodes - n)
		return fail(ld, LT_ETOOBIG, line, "yaml has too many nodes (alias bomb?)");
	ld->nodes += n;
	return 0;
}

static int add_anchor(struct loader *ld, char *name, struct ynode *node, size_t weight)
{
	if (ld->nanchors == ld->anchors_cap) {
		size_t ncap = ld->anchors_cap ? ld->anchors_cap * 2 : 16;
		struct anchor *p = realloc(ld->anchors, ncap * sizeof(*p));
		if (!p) {
			free(name);
			return fail(ld, LT_ENOMEM, 0, "out of memory");
		}
		ld->anchors = p;
		ld->anchors_cap = ncap;
	}
	ld->anchors[ld->nanchors].name = name;
	ld->anchors[ld->nanchors].node = node;
	ld->anchors[ld->nanchors].weight = weight;
	ld->nanchors++;
	return 0;
}

/* Attach a finished node to the current container (or make it the root). */
static int attach(struct loader *ld, struct ynode *node, size_t weight)
{
	struct frame *f;

	if (ld->depth == 0) {
		if (!ld->doc->root)
			ld->doc->root = node;
		return 0;
	}
	f = &ld->stack[ld->depth - 1];
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 8;
		struct ynode **p = realloc(f->kids, ncap * sizeof(*p));
		if (!p)
			return fail(ld, LT_ENOMEM, node->line, "out of memory");
		f->kids = p;
		f->cap = ncap;
	}
	f->kids[f->n++] = node;
	f->weight += weight;
	return 0;
}

static struct ynode *new_node(struct loader *ld, enum ynode_kind kind, int line)
{
	struct ynode *n = arena_alloc(ld->doc, sizeof(*n));
	if (n) {
		memset(n, 0, sizeof(*n));
		n->kind = kind;
		n->line = line;
	}
	return n;
}

static char *dup_anchor(const yaml_char_t *a)
{
	return a ? strdup((const char *)a) : NULL;
}

static int on_scalar(struct loader *ld, yaml_event_t *ev)
{
	int line = line_of(ld, ev);
	struct ynode *n;
	char *v;
	int rc;

	if ((rc = charge(ld, 1, line)))
		return rc;
	n = new_node(ld, Y_SCALAR, line);
	v = n ? arena_alloc(ld->doc, ev->data.scalar.length + 1) : NULL;
	if (!v)
		return fail(ld, LT_ENOMEM, line, "out of memory");
	memcpy(v, ev->data.scalar.value, ev->data.scalar.length);
	v[ev->data.scalar.length] = '\0';
	n->value = v;
	n->len = ev->data.scalar.length;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (ev->data.scalar.anchor &&
	    (rc = add_anchor(ld, dup_anchor(ev->data.scalar.anchor), n, 1)))
		return rc;
	return attach(ld, n, 1);
}

static int on_start(struct loader *ld, yaml_event_t *ev, enum ynode_kind kind)
{
	int line = line_of(ld, ev);
	const yaml_char_t *anchor = kind == Y_SEQ ? ev->data.sequence_start.anchor
						  : ev->data.mapping_start.anchor;
	struct frame *f;
	int rc;

	if (ld->depth >= ld->lim->max_depth)
		return fail(ld, LT_ETOOBIG, line, "yaml nests too deeply");
	if ((rc = charge(ld, 1, line)))
		return rc;
	f = &ld->stack[ld->depth];
	memset(f, 0, sizeof(*f));
	f->node = new_node(ld, kind, line);
	if (!f->node)
		return fail(ld, LT_ENOMEM, line, "out of memory");
	f->anchor = dup_anchor(anchor);
	f->weight = 1;
	ld->depth++;
	return 0;
}

static int on_end(struct loader *ld)
{
	struct frame *f = &ld->stack[ld->depth - 1];
	struct ynode *n = f->node;
	size_t weight = f->weight;
	char *anchor = f->anchor;
	int rc;

	if (f->n) {
		n->kids = arena_alloc(ld->doc, f->n * sizeof(*n->kids));
		if (!n->kids)
			return fail(ld, LT_ENOMEM, n->line, "out of memory");
		memcpy(n->kids, f->kids, f->n * sizeof(*n->kids));
	}
	n->nkids = f->n;
	free(f->kids);
	f->kids = NULL;
	f->anchor = NULL;
	ld->depth--;
	if (anchor && (rc = add_anchor(ld, anchor, n, weight)))
		return rc;
	return attach(ld, n, weight);
}

static int on_alias(struct loader *ld, yaml_event_t *ev)
{
	int line = line_of(ld, ev);
	const char *name = (const char *)ev->data.alias.anchor;
	int rc;

	if (ld->nanchors > ld->lim->max_aliases)
		return fail(ld, LT_ETOOBIG, line, "yaml has too many anchors");
	/* latest definition wins, as in YAML */
	for (size_t i = ld->nanchors; i-- > 0;) {
		if (strcmp(ld->anchors[i].name, name) == 0) {
			if ((rc = charge(ld, ld->anchors[i].weight, line)))
				return rc;
			return attach(ld, ld->anchors[i].node, ld->anchors[i].weight);
		}
	}
	return fail(ld, LT_EPARSE, line, "yaml alias names an unknown or unfinished anchor");
}

int yx_parse(struct ydoc **out, const char *data, size_t len, const struct yx_limits *lim,
	     const char *name, struct lt_error *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct loader ld;
	struct yx_limits def;
	size_t aliases = 0;
	int rc = 0, done = 0, docs = 0;

	*out = NULL;
	if (!lim) {
		yx_default_limits(&def);
		lim = &def;
	}
	if (!name)
		name = "<yaml>";
	if (len > lim->max_bytes)
		return lt_error_set(err, LT_ETOOBIG, name, 0,
				    "yaml in '%s' is %zu bytes, over the %zu byte limit", name, len,
				    lim->max_bytes);
	memset(&ld, 0, sizeof(ld));
	ld.lim = lim;
	ld.name = name;
	ld.err = err;
	ld.doc = calloc(1, sizeof(*ld.doc));
	ld.stack = calloc((size_t)lim->max_depth + 1, sizeof(*ld.stack));
	if (!ld.doc || !ld.stack) {
		free(ld.stack);
		free(ld.doc);
		return lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
	}
	if (!yaml_parser_initialize(&parser)) {
		rc = lt_error_set(err, LT_ENOMEM, name, 0, "out of memory");
		goto cleanup;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done && !rc) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = lt_error_set(err, LT_EPARSE, name, (int)parser.problem_mark.line + 1 +
					  lim->line_offset, "malformed yaml in '%s': %s", name,
					  parser.problem ? parser.problem : "syntax error");
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			docs++;
			break;
		case YAML_DOCUMENT_END_EVENT:
			done = 1; /* first document only */
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(&ld, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(&ld, &ev, Y_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(&ld, &ev, Y_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = on_end(&ld);
			break;
		case YAML_ALIAS_EVENT:
			if (++aliases > lim->max_aliases)
				rc = fail(&ld, LT_ETOOBIG, line_of(&ld, &ev), "yaml has too many aliases");
			else
				rc = on_alias(&ld, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	(void)docs;
	yaml_parser_delete(&parser);
cleanup:
	for (int i = 0; i < ld.depth; i++) {
		free(ld.stack[i].kids);
		free(ld.stack[i].anchor);
	}
	for (size_t i = 0; i < ld.nanchors; i++)
		free(ld.anchors[i].name);
	free(ld.anchors);
	free(ld.stack);
	if (rc) {
		yx_free(ld.doc);
		return rc;
	}
	*out = ld.doc;
	return 0;
}

const struct ynode *yx_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		const struct ynode *k = map->kids[i];
		if (k->kind == Y_SCALAR && strcmp(k->value, key) == 0)
			return map->kids[i + 1];
	}
	return NULL;
}

size_t yx_count(const struct ynode *n)
{
	if (!n)
		return 0;
	if (n->kind == Y_SEQ)
		return n->nkids;
	if (n->kind == Y_MAP)
		return n->nkids / 2;
	return 0;
}

const struct ynode *yx_item(const struct ynode *seq, size_t i)
{
	return seq && seq->kind == Y_SEQ && i < seq->nkids ? seq->kids[i] : NULL;
}

const struct ynode *yx_key(const struct ynode *map, size_t i)
{
	return map && map->kind == Y_MAP && 2 * i + 1 < map->nkids ? map->kids[2 * i] : NULL;
}

const struct ynode *yx_val(const struct ynode *map, size_t i)
{
	return map && map->kind == Y_MAP && 2 * i + 1 < map->nkids ? map->kids[2 * i + 1] : NULL;
}

const char *yx_str(const struct ynode *n)
{
	if (!n || n->kind != Y_SCALAR)
		return NULL;
	if (n->plain && (n->len == 0 || strcmp(n->value, "~") == 0 || strcmp(n->value, "null") == 0 ||
			 strcmp(n->value, "Null") == 0 || strcmp(n->value, "NULL") == 0))
		return NULL;
	return n->value;
}

int yx_bool(const struct ynode *n, int def)
{
	const char *s = yx_str(n);
	static const char *yes[] = { "true", "True", "TRUE", "yes", "Yes", "on", "On" };
	static const char *no[] = { "false", "False", "FALSE", "no", "No", "off", "Off" };

	if (!s)
		return def;
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (strcmp(s, yes[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (strcmp(s, no[i]) == 0)
			return 0;
	return def;
}

int yx_uint(const struct ynode *n, unsigned long long *out)
{
	const char *s = yx_str(n);
	unsigned long long v = 0;
	int digits = 0;

	if (!s)
		return -1;
	for (; *s; s++) {
		if (*s == '_')
			continue;
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
		digits++;
	}
	if (!digits)
		return -1;
	*out = v;
	return 0;
}
