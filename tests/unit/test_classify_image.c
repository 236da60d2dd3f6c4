/*
 * test_classify_image.c - the compiled classifier's image (classify/image.h):
 * a loaded classifier classifies exactly like a built one, and a stale,
 * foreign, truncated or damaged image is refused (or, when the damage keeps
 * every structural check true, still cannot crash a scan).
 */
#include "tap.h"

#include "classify/ac.h"
#include "classify/classify.h"
#include "classify/image.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fileio.h"
#include "licensedb/licensedb.h"

#include <dirent.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_TEXT (4u * 1024u * 1024u)

static struct licensedb *load_db(void)
{
	const char *roots[1] = { LT_SOURCE_DIR };
	struct licensedb *db = NULL;
	struct lt_error err;

	CHECK_EQ_INT(licensedb_load(&db, roots, 1, &err), 0);
	return db;
}

/* A copy of b's bytes at a 4-byte aligned address (as a mapping or malloc gives). */
static void *copy_of(const struct buf *b)
{
	void *p = malloc(b->len ? b->len : 1);

	if (p)
		memcpy(p, b->data, b->len);
	return p;
}

static int same_result(const struct classify_result *a, const struct classify_result *b)
{
	if (a->n != b->n || a->nalt != b->nalt || a->binary != b->binary ||
	    !a->modified_from != !b->modified_from ||
	    (a->modified_from && strcmp(a->modified_from, b->modified_from) != 0))
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].lic != b->v[i].lic || a->v[i].rule != b->v[i].rule ||
		    a->v[i].confidence != b->v[i].confidence || a->v[i].line != b->v[i].line)
			return 0;
	for (size_t i = 0; i < a->nalt; i++)
		if (a->alt[i].lic != b->alt[i].lic || a->alt[i].confidence != b->alt[i].confidence)
			return 0;
	return 1;
}

/* Classify every file under dir (one level of subfolders) with both. */
static int compare_dir(const struct classify_ctx *x, const struct classify_ctx *y, const char *dir,
		       int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0;

	while (d && (e = readdir(d))) {
		char path[2048];
		struct stat st;
		struct buf b;
		struct lt_error err;
		struct classify_result r1, r2;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth)
				files += compare_dir(x, y, path, depth - 1);
			continue;
		}
		buf_init(&b, MAX_TEXT);
		if (lt_read_file(&b, path, MAX_TEXT, &err) == 0) {
			CHECK_EQ_INT(classify_text(x, buf_cstr(&b), b.len, &r1, &err), 0);
			CHECK_EQ_INT(classify_text(y, buf_cstr(&b), b.len, &r2, &err), 0);
			if (!same_result(&r1, &r2))
				fprintf(stderr, "  differs: %s\n", path);
			CHECK(same_result(&r1, &r2));
			classify_result_release(&r1);
			classify_result_release(&r2);
			files++;
		}
		buf_release(&b);
	}
	if (d)
		closedir(d);
	return files;
}

static void test_loaded_classifies_like_built(void)
{
	struct licensedb *db = load_db();
	struct classify_ctx *built = NULL, *loaded = NULL;
	struct classify_stats s1, s2;
	struct lt_error err;
	struct buf img;
	void *data;
	int files;

	buf_init(&img, CLASSIFY_IMAGE_MAX_BYTES);
	if (!db)
		return;
	CHECK_EQ_INT(classify_new(&built, db, &err), 0);
	CHECK_EQ_INT(classify_image_save(built, "test-ident", &img), 0);
	data = copy_of(&img);
	CHECK_EQ_INT(classify_image_load(&loaded, db, "test-ident", data, img.len, NULL), 0);
	if (built && loaded) {
		classify_get_stats(built, &s1);
		classify_get_stats(loaded, &s2);
		CHECK_EQ_INT(s1.rules, s2.rules);
		CHECK_EQ_INT(s1.phrases, s2.phrases);
		CHECK_EQ_INT(s1.states, s2.states);
		CHECK_EQ_INT(s1.references, s2.references);
		files = compare_dir(built, loaded, LT_SOURCE_DIR "/fixtures/texts", 1);
		files += compare_dir(built, loaded, LT_SOURCE_DIR "/licenses/texts", 0);
		files += compare_dir(built, loaded, LT_SOURCE_DIR "/../shared/corpus/licenses", 1);
		CHECK(files >= 40);
	}
	/* saving a loaded classifier gives the same bytes */
	if (loaded) {
		struct buf again;
		buf_init(&again, CLASSIFY_IMAGE_MAX_BYTES);
		CHECK_EQ_INT(classify_image_save(loaded, "test-ident", &again), 0);
		CHECK(again.len == img.len && memcmp(again.data, img.data, img.len) == 0);
		buf_release(&again);
	}
	classify_free(loaded);
	free(data);
	classify_free(built);
	buf_release(&img);
	licensedb_free(db);
}

static void test_stale_and_foreign_refused(void)
{
	struct licensedb *db = load_db(), *other = load_db();
	struct classify_ctx *c = NULL, *l = NULL;
	struct lt_error err;
	struct buf img;
	unsigned char *data;

	buf_init(&img, CLASSIFY_IMAGE_MAX_BYTES);
	if (!db || !other)
		goto out;
	CHECK_EQ_INT(classify_new(&c, db, &err), 0);
	CHECK_EQ_INT(classify_image_save(c, "abc", &img), 0);
	data = copy_of(&img);
	/* another ident: the data it was made from is not this one */
	CHECK_EQ_INT(classify_image_load(&l, db, "abd", data, img.len, NULL), LT_EPARSE);
	CHECK(l == NULL);
	/* another database (a rule fewer) */
	other->nrules--;
	CHECK_EQ_INT(classify_image_load(&l, other, "abc", data, img.len, NULL), LT_EPARSE);
	other->nrules++;
	/* a rule whose id changed in place */
	{
		char *id = other->rules[3]->id;
		other->rules[3]->id = "renamed-rule";
		CHECK_EQ_INT(classify_image_load(&l, other, "abc", data, img.len, NULL), LT_EPARSE);
		other->rules[3]->id = id;
	}
	/* a flipped byte anywhere: the checksum */
	for (size_t at = 0; at < img.len; at += img.len / 97 + 1) {
		data[at] ^= 0x20;
		CHECK_EQ_INT(classify_image_load(&l, db, "abc", data, img.len, NULL), LT_EPARSE);
		data[at] ^= 0x20;
	}
	/* every truncation */
	for (size_t n = 0; n < img.len; n += img.len / 211 + 1)
		CHECK_EQ_INT(classify_image_load(&l, db, "abc", data, n, NULL), LT_EPARSE);
	/* the reference sets close the image: the last two shingles of the last
	 * reference swapped (no longer ascending) is refused, not half-used */
	{
		unsigned char t[8];
		memcpy(t, data + img.len - 16, 8);
		memcpy(data + img.len - 16, data + img.len - 8, 8);
		memcpy(data + img.len - 8, t, 8);
		classify_image_reseal(data, img.len);
		CHECK_EQ_INT(classify_image_load(&l, db, "abc", data, img.len, NULL), LT_EPARSE);
		memcpy(data + img.len - 8, data + img.len - 16, 8);
		memcpy(data + img.len - 16, t, 8);
		classify_image_reseal(data, img.len);
	}
	/* an ident too long, and the intact image still loads */
	CHECK_EQ_INT(classify_image_save(c, "0123456789012345678901234567890123456789012345678901234567890123456789", &img), LT_EINVAL);
	CHECK_EQ_INT(classify_image_load(&l, db, "abc", data, img.len, NULL), 0);
	classify_free(l);
	free(data);
out:
	classify_free(c);
	buf_release(&img);
	licensedb_free(db);
	licensedb_free(other);
}

/* Damage behind a valid checksum: structural checks refuse what would make a
 * scan loop or read out of bounds; whatever passes them scans without harm. */
static void test_damage_behind_checksum(void)
{
	struct licensedb *db = load_db();
	struct classify_ctx *c = NULL, *l = NULL;
	struct lt_error err;
	struct buf img, text;
	unsigned char *data;
	uint32_t nstates;
	size_t out_at, fail_at;
	unsigned seed = 99;
	int refused = 0, loaded = 0;

	buf_init(&img, CLASSIFY_IMAGE_MAX_BYTES);
	buf_init(&text, MAX_TEXT);
	if (!db)
		goto out;
	CHECK_EQ_INT(lt_read_file(&text, LT_SOURCE_DIR "/licenses/texts/Apache-2.0.txt", MAX_TEXT, &err), 0);
	CHECK_EQ_INT(classify_new(&c, db, &err), 0);
	CHECK_EQ_INT(classify_image_save(c, "x", &img), 0);
	data = copy_of(&img);
	if (!data)
		goto out;
	/* body: 4 u32 (flags, states, edges, patterns), then out[], fail[], ... */
	memcpy(&nstates, data + 144 + 4, 4);
	out_at = 144 + 16;
	fail_at = out_at + 4 * (size_t)nstates;
	/* a failure link to the state itself (a scan would spin) */
	{
		uint32_t v = 5, old;
		memcpy(&old, data + fail_at + 4 * 5, 4);
		memcpy(data + fail_at + 4 * 5, &v, 4);
		classify_image_reseal(data, img.len);
		CHECK_EQ_INT(classify_image_load(&l, db, "x", data, img.len, NULL), LT_EPARSE);
		memcpy(data + fail_at + 4 * 5, &old, 4);
	}
	/* a pattern id out of range */
	{
		uint32_t v = 0x7fffffff, old;
		memcpy(&old, data + out_at + 4 * 7, 4);
		memcpy(data + out_at + 4 * 7, &v, 4);
		classify_image_reseal(data, img.len);
		CHECK_EQ_INT(classify_image_load(&l, db, "x", data, img.len, NULL), LT_EPARSE);
		memcpy(data + out_at + 4 * 7, &old, 4);
	}
	/* random words changed, resealed: refused, or loaded and scanning safely */
	for (int round = 0; round < 400; round++) {
		size_t at;
		uint32_t v, old;
		struct classify_result r;
		seed = seed * 1103515245u + 12345u;
		at = 144 + ((size_t)(seed >> 8) % ((img.len - 144) / 4)) * 4;
		seed = seed * 1103515245u + 12345u;
		v = (seed >> 4) % 4 == 0 ? 0xffffffffu : (seed >> 12) % (nstates + 8);
		memcpy(&old, data + at, 4);
		memcpy(data + at, &v, 4);
		classify_image_reseal(data, img.len);
		if (classify_image_load(&l, db, "x", data, img.len, NULL) == 0) {
			loaded++;
			CHECK_EQ_INT(classify_text(l, buf_cstr(&text), text.len, &r, &err), 0);
			classify_result_release(&r);
			classify_free(l);
			l = NULL;
		} else {
			refused++;
		}
		memcpy(data + at, &old, 4);
	}
	CHECK(refused > 0);
	fprintf(stderr, "  damaged images: %d refused, %d loaded and scanned\n", refused, loaded);
	free(data);
out:
	classify_free(c);
	buf_release(&img);
	buf_release(&text);
	licensedb_free(db);
}

TESTS(T(loaded_classifies_like_built), T(stale_and_foreign_refused), T(damage_behind_checksum))
