/*
 * record_int.h - what the record module's files share (not an interface for
 * other modules): where-facts, adding declarations and parents, and the card's
 * prose lineage (prose_lineage.c).
 */
#ifndef LT_RECORD_INT_H
#define LT_RECORD_INT_H

#include "record.h"

#include <stdlib.h>

struct card;
struct licensedb;
struct lt_error;

#define PUSH(arr, n, item)                                                         \
	do {                                                                       \
		void *p_ = realloc((arr), ((n) + 1) * sizeof(*(arr)));             \
		if (p_) {                                                          \
			(arr) = p_;                                                \
			(arr)[(n)++] = (item);                                     \
		}                                                                  \
	} while (0)

/* A where-fact with copies of file and field. */
struct where at(const char *file, int line, const char *field);
/* Declare value (resolved against db) once per field. */
void add_declared(struct model_record *r, const struct licensedb *db, const char *value,
		  const char *file, int line, const char *field);
/* Add a parent (a Hub id, a Hub URL or a local path), once per id (case folded). */
void add_parent(struct model_record *r, const char *raw, const char *relation,
		const char *file, int line, const char *field, const char *why);

/* roles.c: the role of path (card, license, notice, policy, config, adapter,
 * mergekit, quant-config, weights), or NULL for a file record_build does not read. */
const char *rec_role_of(const struct licensedb *db, const char *path);
/* A role whose file is read as a license text: license, notice or policy. */
int rec_role_is_text(const char *role);

/* The Hub id of a huggingface.co / hf.co model URL, or NULL; caller frees. */
char *rec_id_from_url(const char *s);
/* Read at most max bytes of path from src into b (initialised here). */
struct buf;
struct source;
struct source_entry;
int rec_read_file(struct source *src, const char *path, size_t max, struct buf *b,
		  int *truncated, struct lt_error *err);

/* weights.c: license and base-model facts from a GGUF file's or a safetensors
 * header's metadata */
void rec_scan_gguf(struct model_record *r, struct source *src, const struct licensedb *db,
		   const struct source_entry *e);
void rec_scan_safetensors(struct model_record *r, struct source *src, const struct licensedb *db,
			  const struct source_entry *e);

/* prose_lineage.c: license and base models stated only in the card's text */
void rec_prose_license(struct model_record *r, const struct licensedb *db, const struct card *c);
void rec_card_mergekit(struct model_record *r, const struct card *c);
void rec_collect_prose_bases(struct model_record *r, const struct card *c);
/* Once everything is read: place the prose bases and a local _name_or_path. */
void rec_place_prose_parents(struct model_record *r, const struct licensedb *db);

#endif
