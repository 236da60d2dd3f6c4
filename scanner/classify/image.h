/*
 * image.h - the compiled classifier as bytes, so that start-up does not rebuild
 * it: normalising every rule phrase and building the Aho-Corasick automaton is
 * about 7M instructions, two thirds of a one-file `classify`.
 *
 * An image is a cache, never the authority. It is derived from one exact
 * license database, named by the caller with an ident (the database snapshot's
 * fingerprint, or the installed data's version); it also records the lictrace
 * version and the database's shape. Loading checks all of it, a checksum over
 * the body, and every count and index of the automaton and the rules (ac.h), so
 * a stale, damaged or foreign image is refused and the caller builds the
 * classifier as usual. A loaded classifier classifies exactly like a built one.
 */
#ifndef LT_CLASSIFY_IMAGE_H
#define LT_CLASSIFY_IMAGE_H

#include <stddef.h>

struct buf;
struct classify_ctx;
struct licensedb;

/* Longest ident, and the largest image accepted (real data: ~0.3 MiB). */
#define CLASSIFY_IMAGE_IDENT_MAX 63
#define CLASSIFY_IMAGE_MAX_BYTES (64u * 1024u * 1024u)

/* Append the image of c, built from its database, to out. 0, LT_EINVAL (ident
 * too long) or LT_ENOMEM. */
int classify_image_save(const struct classify_ctx *c, const char *ident, struct buf *out);

/* A classifier for db from an image made for the same ident, lictrace version and
 * database. data (4-byte aligned) is used in place: on success the classifier
 * owns it and calls release(data, len) in classify_free() (release may be NULL
 * when the caller keeps data alive longer); on failure the caller keeps it.
 * 0 with *out set, else LT_EPARSE (*out NULL). */
int classify_image_load(struct classify_ctx **out, const struct licensedb *db, const char *ident,
			void *data, size_t len, void (*release)(void *data, size_t len));

/* For tests: recompute the body hash of a changed image so that the checks
 * behind it are reached. No-op when len is below the header size. */
void classify_image_reseal(void *data, size_t len);

#endif
