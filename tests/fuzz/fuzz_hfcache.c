/*
 * fuzz_hfcache.c - libFuzzer harness for huggingface_hub cache folders
 * (source_open_hf_snapshot in source/source.h). The input describes a folder
 * tree under the cache, one item per line:
 *     F path<TAB>content   a file ("\n" in content written as \n)
 *     L path<TAB>target    a symbolic link (any target: the reader must refuse
 *                          links that leave the repo's blobs)
 *     R rev                the revision asked for (default "main")
 * Paths are relative to the cache and may not climb out of it (the harness
 * refuses them; link targets are free). The model org/name is then opened and
 * every listed entry read.
 */
#include "source/source.h"
#include "core/buf.h"
#include "core/err.h"

#include <errno.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
	return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* mkdir -p of the parents of root/rel */
static int make_parents(const char *root, const char *rel)
{
	char p[1024];
	size_t rl = strlen(root);

	if (rl + 1 + strlen(rel) >= sizeof(p))
		return -1;
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (char *s = p + rl + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

static int safe_rel(const char *rel)
{
	if (!*rel || rel[0] == '/' || strlen(rel) > 300)
		return 0;
	for (const char *s = rel; *s; s++)
		if (s[0] == '.' && s[1] == '.' && (s == rel || s[-1] == '/'))
			return 0;
	return 1;
}

static void item(const char *root, char *line, const char **rev)
{
	char *tab, full[1024];
	FILE *f;

	if (line[0] == 'R' && line[1] == ' ') {
		*rev = line + 2;
		return;
	}
	if ((line[0] != 'F' && line[0] != 'L') || line[1] != ' ' || !(tab = strchr(line + 2, '\t')))
		return;
	*tab = '\0';
	if (!safe_rel(line + 2) || make_parents(root, line + 2))
		return;
	snprintf(full, sizeof(full), "%s/%s", root, line + 2);
	if (line[0] == 'L') {
		if (symlink(tab + 1, full) != 0 && errno != EEXIST)
			fprintf(stderr, "fuzz: symlink %s: %s\n", full, strerror(errno));
		return;
	}
	if (!(f = fopen(full, "wb")))
		return;
	for (const char *s = tab + 1; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			fputc('\n', f);
			s++;
		} else {
			fputc(*s, f);
		}
	}
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[256], *text, *line, *next;
	const char *rev = "main";
	struct source *src = NULL;
	struct lt_error err;

	if (size > 64 * 1024)
		return 0;
	snprintf(root, sizeof(root), "%s/hub", fuzz_dir());
	nftw(root, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	if (mkdir(root, 0700) != 0 || !(text = strndup((const char *)data, size)))
		abort();
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		item(root, line, &rev);
	}
	if (source_open_hf_snapshot(&src, root, "org/name", rev, &err) == 0) {
		for (size_t i = 0; i < src->nentries; i++) {
			struct buf b;
			int truncated = 0;
			buf_init(&b, 1u << 20);
			source_read(src, src->entries[i].path, 4096, &b, &truncated, &err);
			buf_release(&b);
		}
		source_free(src);
	}
	free(text);
	return 0;
}
