/*
 * installed.h - the license data installed with lictrace (PREFIX/share/lictrace):
 * its version, and a snapshot built with the package so that start-up does not
 * stat every file of licenses/ and rules/.
 *
 * Installed data belongs to the package manager and does not change between
 * installs, so its snapshot is trusted through one manifest (the data version)
 * instead of licensedb_load_cached()'s fingerprint of every input file. Data a
 * user edits is given with --data or $LICTRACE_DATA and takes the checked path.
 */
#ifndef LT_LICENSEDB_INSTALLED_H
#define LT_LICENSEDB_INSTALLED_H

#include <stddef.h>

struct licensedb;
struct lt_error;

/* Hex digits of a data version. */
#define LICDB_DATA_VERSION_LEN 16
/* Names under the installed data root. */
#define LICDB_INSTALLED_SNAPSHOT "licensedb.snapshot"
#define LICDB_INSTALLED_MANIFEST "data-version"
/* The compiled classifier for that snapshot (classify/image.h). */
#define LICDB_INSTALLED_CLASSIFIER "classifier.snapshot"

/* The version of the data under root: a hash of the sorted names and the contents
 * of the files licensedb_load() reads (licenses/ and rules/ YAML, licenses/texts/),
 * as 16 hex digits. Other data gives another version. 0, or an error in err. */
int licensedb_data_version(char out[LICDB_DATA_VERSION_LEN + 1], const char *root,
			   struct lt_error *err);

/* Load the data under src_root, which must have no problems, and write the
 * installed snapshot and manifest into out_dir for data that will live at
 * final_root (record paths name final_root). Run at build time. 0, or an error
 * in err (problems are listed in err's message count). */
int licensedb_write_installed(const char *src_root, const char *final_root, const char *out_dir,
			      struct lt_error *err);

/* The database of the installed data at root, from its snapshot, when root holds
 * a manifest and a snapshot written for this root and this lictrace version, both
 * owned by root or the current user and writable by no one else. The files under
 * licenses/ and rules/ are not looked at. 0 with *out set (and the manifest's data
 * version in version, unless NULL), else LT_ENOTFOUND (the caller loads the data
 * the usual way). */
int licensedb_load_installed(struct licensedb **out, char version[LICDB_DATA_VERSION_LEN + 1],
			     const char *root);
/* The same for installed data written into dir that will live at root (the build,
 * before installing). */
int licensedb_load_installed_as(struct licensedb **out, char version[LICDB_DATA_VERSION_LEN + 1],
				const char *dir, const char *root);

#endif
