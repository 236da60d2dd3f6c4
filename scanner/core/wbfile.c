/* wbfile.c - a write stream that starts write-back as it goes; see wbfile.h. */
#include "wbfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
struct wb {
	int fd;
	off_t written; /* bytes written so far */
	off_t kicked;  /* write-back started for [0, kicked) */
};

static ssize_t wb_write(void *c, const char *p, size_t n)
{
	struct wb *w = c;
	size_t done = 0;

	while (done < n) {
		ssize_t k = write(w->fd, p + done, n - done);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)k;
	}
	w->written += (off_t)done;
	if (w->written - w->kicked >= (off_t)WBFILE_KICK) {
		/* only a hint: a failure here leaves the work to the final fsync */
		(void)sync_file_range(w->fd, w->kicked, w->written - w->kicked, SYNC_FILE_RANGE_WRITE);
		w->kicked = w->written;
	}
	return (ssize_t)done;
}

static int wb_close(void *c)
{
	struct wb *w = c;
	int rc = close(w->fd);

	free(w);
	return rc;
}

FILE *wbfile_fdopen(int fd)
{
	cookie_io_functions_t io = { .read = NULL, .write = wb_write, .seek = NULL, .close = wb_close };
	struct wb *w = calloc(1, sizeof(*w));
	FILE *f;

	if (!w)
		return NULL;
	w->fd = fd;
	if (!(f = fopencookie(w, "w", io))) {
		free(w);
		return NULL;
	}
	/* the report writer hands over 32 KB blocks: pass them straight through */
	setvbuf(f, NULL, _IOFBF, 64 * 1024);
	return f;
}
#else
FILE *wbfile_fdopen(int fd)
{
	return fdopen(fd, "w");
}
#endif
