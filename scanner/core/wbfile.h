/*
 * wbfile.h - a stream for a big file that will be synced at the end: it starts
 * the write-back of each stretch it has written (every WBFILE_KICK bytes), so
 * that the final fsync waits for the last stretch instead of the whole file
 * (a 1 GB audit report on a slow disk: seconds of waiting after the work).
 *
 * Nothing about durability changes: the caller still fsyncs before it renames
 * the file into place. Starting write-back early only moves the disk's work to
 * the time the report is being written. Where the system cannot start it
 * (sync_file_range is Linux's), the stream is a plain fdopen.
 */
#ifndef LT_WBFILE_H
#define LT_WBFILE_H

#include <stdio.h>

#define WBFILE_KICK (32u << 20)

/* A stream writing to fd (opened for writing, at offset 0); fclose closes fd.
 * NULL (errno set) when no stream can be made; fd is then still open. */
FILE *wbfile_fdopen(int fd);

#endif
