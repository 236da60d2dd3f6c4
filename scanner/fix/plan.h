/*
 * plan.h - what `lictrace fix` changes in a model folder so that it meets what
 * the model inherits, computed from one scanned model's findings:
 *
 *   missing-notice        NOTICE gets every required sentence, worded as the
 *                         license words it (an existing NOTICE keeps its text;
 *                         only what is missing is appended)
 *   missing-license-copy  the license text, copied from the ancestor's own file
 *                         (else lictrace's reference text of a standard license),
 *                         as LICENSE or LICENSE-<Family>-<version>; never invented
 *   relicensed-restricted-base, other-without-name, a card with no license
 *                         the card's front matter states the binding license
 *                         (`license: <hub id>`, or `license: other` with
 *                         `license_name` and `license_link`)
 *   attribution-required  the display line ("Built with Llama") in the card's body
 *   lineage found outside the card
 *                         `base_model` and `base_model_relation`
 *   name-prefix           a name is suggested, never applied
 *
 * Anything that needs a person (a text no source holds, several licenses that
 * bind at once, a license file that says something else) is listed as manual.
 *
 * Ownership: a plan owns every string in it; fix_plan_release frees them. The
 * model report, database and reader are borrowed for the call only.
 */
#ifndef LT_FIX_PLAN_H
#define LT_FIX_PLAN_H

#include <stddef.h>

struct buf;
struct lt_error;
struct licensedb;
struct model_report;
struct model_record;

struct fix_change {
	char *path;     /* one file name in the model's folder */
	char *old;      /* its current content, NULL when the file is new */
	size_t old_len;
	char *new_text;
	size_t new_len;
	char *why;      /* one line: what the change satisfies */
};

struct fix_plan {
	struct fix_change *changes;
	size_t nchanges;
	char **manual;  /* what a person must do, one sentence each */
	size_t nmanual;
	char **suggest; /* suggested, never applied (a model name) */
	size_t nsuggest;
};

/* The model folder's current files. read() fills out with path's content and
 * returns 0, LT_ENOTFOUND when there is no such file, LT_EUNSAFE when it is a
 * symbolic link or not a regular file, or another LT_E* code. */
struct fix_reader {
	int (*read)(void *ctx, const char *path, struct buf *out, struct lt_error *err);
	void *ctx;
};

/* A reader over what a scan kept of a record (its card and license, notice and
 * policy texts), for targets that are not local folders; ctx is the record. */
int fix_read_record(void *ctx, const char *path, struct buf *out, struct lt_error *err);

/* Compute the plan for the scanned model m (its root record should have been
 * built with record_keep_license_texts(1), and so its ancestors'). 0, or an
 * LT_E* code with err set (a file that cannot be read safely: nothing is planned). */
int fix_plan_build(struct fix_plan *out, const struct model_report *m, const struct licensedb *db,
		   const struct fix_reader *rd, struct lt_error *err);
void fix_plan_release(struct fix_plan *p);

/* 1 for a finding id a written plan resolves (a scan after `fix --write` no
 * longer raises it, unless the plan lists it as manual). */
int fix_resolves(const char *finding_id);

#endif
