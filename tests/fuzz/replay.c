/*
 * replay.c - runs a libFuzzer harness over files, without libFuzzer: every file
 * named (or every file in a folder named) is fed to LLVMFuzzerTestOneInput once.
 * The suite replays the seed fixtures and any saved crash inputs this way, so a
 * fixed crash stays fixed under the sanitizer build.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fuzz inputs are small; a bigger file is a mistake in the corpus. */
#define REPLAY_MAX (64u * 1024u * 1024u)

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	size_t n;

	if (!f)
		return -1;
	buf = malloc(REPLAY_MAX);
	if (!buf) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, REPLAY_MAX, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st) != 0)
			continue; /* an optional folder that does not exist */
		if (!S_ISDIR(st.st_mode)) {
			run_file(argv[i]) == 0 ? passed++ : failed++;
			continue;
		}
		if (!(d = opendir(argv[i])))
			continue;
		while ((e = readdir(d))) {
			char p[4096];
			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", argv[i], e->d_name);
			if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
				run_file(p) == 0 ? passed++ : failed++;
		}
		closedir(d);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
