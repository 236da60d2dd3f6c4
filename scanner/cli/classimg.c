/*
 * classimg.c - loading and keeping the compiled classifier's image; see
 * classimg.h. An image is named after the snapshot it belongs to
 * ("classifier-<id>.bin" beside "licensedb-<id>.bin"), so an image whose
 * snapshot has been pruned is an orphan and goes at the next write.
 */
#include "classimg.h"
#include "classify/classify.h"
#include "classify/image.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "core/str.h"
#include "licensedb/installed.h"
#include "licensedb/licensedb.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

/* Entries of the snapshot folder looked at when removing orphaned images. */
#define CLASSIMG_PRUNE_SCAN 1000
#define CLASSIMG_PREFIX "classifier-"

static int load_image(struct classify_ctx **out, const struct licensedb *db, const char *path,
		      int installed)
{
	void *map = NULL;
	size_t len = 0;

	if (lt_map_owned(path, 1, CLASSIFY_IMAGE_MAX_BYTES, installed, &map, &len) != 0)
		return LT_ENOTFOUND;
	if (classify_image_load(out, db, db->snapshot_id, map, len, lt_unmap) != 0) {
		lt_unmap(map, len);
		return LT_EPARSE;
	}
	return 0;
}

/* Remove images whose database snapshot is gone (and our dead temp files). */
static void prune_orphans(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t seen = 0;

	if (!d)
		return;
	while ((e = readdir(d)) && seen++ < CLASSIMG_PRUNE_SCAN) {
		const char *id = e->d_name + strlen(CLASSIMG_PREFIX);
		const char *dot = strchr(id, '.');
		char snap[128];
		struct stat st;

		if (!lt_starts_with(e->d_name, CLASSIMG_PREFIX) || !strcmp(e->d_name, keep) || !dot ||
		    (size_t)(dot - id) >= 64 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		snprintf(snap, sizeof(snap), "licensedb-%.*s.bin", (int)(dot - id), id);
		if (fstatat(dirfd(d), snap, &st, AT_SYMLINK_NOFOLLOW) != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

static void save_image(const struct classify_ctx *c, const struct licensedb *db, const char *dir,
		       const char *path)
{
	struct buf b;
	struct lt_error ignored;

	buf_init(&b, CLASSIFY_IMAGE_MAX_BYTES);
	if (classify_image_save(c, db->snapshot_id, &b) == 0 &&
	    lt_write_atomic(path, b.data, b.len, &ignored) == 0)
		prune_orphans(dir, path + strlen(dir) + 1);
	buf_release(&b);
}

int classimg_classifier(struct classify_ctx **out, const struct licensedb *db,
			const char *installed_root, const char *snapdir, struct lt_error *err)
{
	char *path = NULL;
	int rc;

	if (!db->snapshot_id[0] || (!installed_root && (!snapdir || !snapdir[0])))
		return classify_new(out, db, err);
	path = installed_root ? lt_asprintf("%s/%s", installed_root, LICDB_INSTALLED_CLASSIFIER)
			      : lt_asprintf("%s/" CLASSIMG_PREFIX "%s.bin", snapdir, db->snapshot_id);
	if (path && load_image(out, db, path, installed_root != NULL) == 0) {
		free(path);
		return 0;
	}
	rc = classify_new(out, db, err);
	if (rc == 0 && path && !installed_root)
		save_image(*out, db, snapdir, path);
	free(path);
	return rc;
}

int classimg_write_installed(const char *dir, const char *root, struct lt_error *err)
{
	struct licensedb *db = NULL;
	struct classify_ctx *c = NULL, *check = NULL;
	struct buf b;
	char *path = lt_asprintf("%s/%s", dir, LICDB_INSTALLED_CLASSIFIER);
	int rc;

	buf_init(&b, CLASSIFY_IMAGE_MAX_BYTES);
	if (!path) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "out of memory");
		goto done;
	}
	if (licensedb_load_installed_as(&db, NULL, dir, root) != 0) {
		rc = lt_error_set(err, LT_EIO, dir, 0, "the installed license data snapshot does not load");
		goto done;
	}
	if ((rc = classify_new(&c, db, err)) != 0)
		goto done;
	if ((rc = classify_image_save(c, db->snapshot_id, &b)) != 0 || buf_error(&b)) {
		rc = lt_error_set(err, LT_ENOMEM, NULL, 0, "cannot encode the classifier image");
		goto done;
	}
	/* what the installed binary will do with it must succeed here */
	if (classify_image_load(&check, db, db->snapshot_id, b.data, b.len, NULL) != 0) {
		rc = lt_error_set(err, LT_EPARSE, NULL, 0, "the classifier image does not load");
		goto done;
	}
	rc = lt_write_atomic(path, b.data, b.len, err);
done:
	classify_free(check);
	classify_free(c);
	licensedb_free(db);
	buf_release(&b);
	free(path);
	return rc;
}
