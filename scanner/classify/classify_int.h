/*
 * classify_int.h - private to scanner/classify/: the compiled classifier that
 * classify.c builds and uses and image.c saves and loads. Nothing outside the
 * module may include this header.
 */
#ifndef LT_CLASSIFY_INT_H
#define LT_CLASSIFY_INT_H

#include "similar.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct ac;
struct licdef;
struct licensedb;
struct detect_rule;

struct crule {
	const struct detect_rule *r;
	uint32_t *ph;             /* phrase ids: all, then any, then none */
	size_t nall, nany, nnone;
	size_t nphr_total;        /* usable all + any phrases (specificity) */
};

/* A reference text's 3-gram set is built the first time a text needs it (most
 * texts never do: only those matching a standard license with a reference), so
 * start-up does not normalise every reference. The lock makes that safe when one
 * context serves several threads. */
struct cref {
	const struct licdef *lic;
	struct simset set;
	int state; /* 0 not built, 1 built, 2 borrowed from an image, -1 failed */
};

struct classify_ctx {
	const struct licensedb *db;
	struct ac *ac;
	struct crule *rules;
	size_t nrules;
	uint32_t *plen;           /* normalised length of each phrase id */
	size_t nphr, plen_cap;
	struct cref *refs;        /* licenses with a reference text */
	size_t nrefs;
	pthread_mutex_t ref_lock; /* guards lazy building of refs */
	int lock_ready;
	/* loaded from an image (image.c): the automaton lives in it */
	void *image;
	size_t image_len;
	void (*image_release)(void *image, size_t len);
};

/* Prepare the reference-text slots and the lock of a context whose db, rules and
 * automaton are set (classify.c). 0 or LT_ENOMEM. */
int classify_finish(struct classify_ctx *c);

/* The reference of d, built if it was not yet (thread-safe), or NULL when d has
 * none or it could not be built. */
const struct cref *classify_ref(const struct classify_ctx *c, const struct licdef *d);

#endif
