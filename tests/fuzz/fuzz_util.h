/*
 * fuzz_util.h - what the harnesses that need files share: one private temporary
 * folder per process (removed at exit) and a helper that writes an input into
 * it. Header-only so each harness stays one translation unit plus replay.c.
 */
#ifndef LT_FUZZ_UTIL_H
#define LT_FUZZ_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir_[64];

static inline void fuzz_rmdir_(void)
{
	char cmd[128];

	if (fuzz_dir_[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir_);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz: cannot remove %s\n", fuzz_dir_);
	}
}

/* The process's temporary folder (created on first use). */
static inline const char *fuzz_dir(void)
{
	if (!fuzz_dir_[0]) {
		snprintf(fuzz_dir_, sizeof(fuzz_dir_), "/tmp/lt-fuzz-XXXXXX");
		if (!mkdtemp(fuzz_dir_)) {
			perror("mkdtemp");
			abort();
		}
		atexit(fuzz_rmdir_);
	}
	return fuzz_dir_;
}

/* Write data to fuzz_dir()/name; the full path goes to out. */
static inline void fuzz_write(char *out, size_t outsz, const char *name, const void *data, size_t n)
{
	FILE *f;

	snprintf(out, outsz, "%s/%s", fuzz_dir(), name);
	if (!(f = fopen(out, "wb")) || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
		perror(out);
		abort();
	}
}

#endif
