/*
 * classimg.h - where the compiled classifier's image lives (classify/image.h):
 * next to the installed data (written at build time, trusted like its
 * snapshot), or in the snapshot cache folder beside the database snapshot it
 * was made from (written the first time that snapshot is used).
 */
#ifndef LT_CLI_CLASSIMG_H
#define LT_CLI_CLASSIMG_H

struct classify_ctx;
struct licensedb;
struct lt_error;

/* The classifier for db: from a matching image when there is one, else built
 * with classify_new() (and then, when db came from a cached snapshot, its image
 * written into snapdir for the next start; a failed write is not an error).
 * installed_root: the installed data's root when db is installed data, else
 * NULL. 0, or classify_new()'s error in err. */
int classimg_classifier(struct classify_ctx **out, const struct licensedb *db,
			const char *installed_root, const char *snapdir, struct lt_error *err);

/* Build time: the image for the installed data written into dir for root (after
 * licensedb_write_installed()). 0, or an error in err. */
int classimg_write_installed(const char *dir, const char *root, struct lt_error *err);

#endif
