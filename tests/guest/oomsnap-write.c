// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap-write: one write(2) of exactly the given bytes, and the result in
 * words, for tests of debugfs write handlers (busybox's echo and printf
 * don't report errno).
 *
 *   oomsnap-write [-o OFFSET] [-n] FILE STRING
 *
 * Writes STRING plus a newline (-n: no newline) at OFFSET (default 0) with a
 * single pwrite(). Prints "ok N" or "error ENAME", exits 0 or 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *errno_name(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOSPC: return "ENOSPC";
	case EFAULT: return "EFAULT";
	case E2BIG: return "E2BIG";
	case EBUSY: return "EBUSY";
	case ENOMEM: return "ENOMEM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ESPIPE: return "ESPIPE";
	default: return "other";
	}
}

int main(int argc, char **argv)
{
	int opt, newline = 1, fd;
	long offset = 0;
	size_t len;
	ssize_t n;
	char *buf;

	while ((opt = getopt(argc, argv, "o:n")) != -1) {
		switch (opt) {
		case 'o': offset = strtol(optarg, NULL, 10); break;
		case 'n': newline = 0; break;
		default:
			fprintf(stderr, "usage: oomsnap-write [-o OFFSET] [-n] FILE STRING\n");
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: oomsnap-write [-o OFFSET] [-n] FILE STRING\n");
		return 2;
	}
	len = strlen(argv[optind + 1]);
	buf = malloc(len + 2);
	if (!buf)
		return 2;
	memcpy(buf, argv[optind + 1], len);
	if (newline)
		buf[len++] = '\n';
	fd = open(argv[optind], O_WRONLY);
	if (fd < 0) {
		printf("error %s (open: %s)\n", errno_name(errno), strerror(errno));
		return 1;
	}
	n = pwrite(fd, buf, len, offset);
	if (n < 0) {
		printf("error %s (%s)\n", errno_name(errno), strerror(errno));
		return 1;
	}
	printf("ok %zd\n", n);
	return 0;
}
