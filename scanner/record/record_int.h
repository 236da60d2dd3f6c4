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

/* prose_lineage.c: license and base models stated only in the card's text */
void rec_prose_license(struct model_record *r, const struct licensedb *db, const struct card *c);
void rec_card_mergekit(struct model_record *r, const struct card *c);
void rec_collect_prose_bases(struct model_record *r, const struct card *c);
/* Once everything is read: place the prose bases and a local _name_or_path. */
void rec_place_prose_parents(struct model_record *r, const struct licensedb *db);

#endif
