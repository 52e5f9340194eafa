/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where explain reads kernel logs from: files (compressed ones through the
 * system's own gzip, xz or zstd, as zgrep does), standard input, or the
 * running kernel's log (/dev/kmsg, read as dmesg reads it).
 */
#ifndef OOMSNAP_LOGSOURCE_H
#define OOMSNAP_LOGSOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct logsource {
	const char *name;	/* as the user named it; "<stdin>", "/dev/kmsg" */
	int fd;			/* the bytes to parse: a file, or a pipe */
	pid_t decompressor;	/* 0: none */
	bool kmsg;		/* records of /dev/kmsg, not lines */
	const char *compression;	/* "gzip", "xz", "zstd" or NULL */
};

/*
 * Open @path ("-" for standard input). Returns NULL or a one-line error
 * (static storage).
 */
const char *logsource_open(struct logsource *src, const char *path);
const char *logsource_open_kmsg(struct logsource *src);

/*
 * Read up to @len bytes of log text: lines ending in '\n'. /dev/kmsg
 * records come back as dmesg prints them ("[    5.123456] message").
 * Returns the bytes read, 0 at the end, -1 with errno set.
 */
ssize_t logsource_read(struct logsource *src, char *buf, size_t len);

/* Close; NULL or a one-line error (the decompressor failed). */
const char *logsource_close(struct logsource *src);

#endif /* OOMSNAP_LOGSOURCE_H */
