// SPDX-License-Identifier: GPL-2.0
/*
 * ctlwrite FILE OFFSET HEX [PAD] - one pwrite(2) of the bytes HEX (hex
 * pairs, "" for none) followed by PAD 'x' bytes at OFFSET of FILE; prints
 * "ret N" or "err NAME" so the guest script can check what the kernel said.
 * Static, libc only: it runs in the KUnit guest's busybox initramfs.
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
	case EINVAL:	return "EINVAL";
	case EFAULT:	return "EFAULT";
	case EBUSY:	return "EBUSY";
	case EPERM:	return "EPERM";
	case ESPIPE:	return "ESPIPE";
	case EACCES:	return "EACCES";
	default:	return strerror(e);
	}
}

int main(int argc, char **argv)
{
	size_t hexlen, pad, len, i;
	unsigned int byte;
	char *buf;
	ssize_t ret;
	int fd;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: ctlwrite FILE OFFSET HEX [PAD]\n");
		return 2;
	}
	hexlen = strlen(argv[3]);
	pad = argc == 5 ? strtoul(argv[4], NULL, 0) : 0;
	if (hexlen % 2) {
		fprintf(stderr, "ctlwrite: odd number of hex digits\n");
		return 2;
	}
	len = hexlen / 2 + pad;
	buf = malloc(len + 1);
	if (!buf)
		return 2;
	for (i = 0; i < hexlen / 2; i++) {
		if (sscanf(argv[3] + 2 * i, "%2x", &byte) != 1) {
			fprintf(stderr, "ctlwrite: bad hex\n");
			return 2;
		}
		buf[i] = (char)byte;
	}
	memset(buf + hexlen / 2, 'x', pad);
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		printf("err open %s\n", errno_name(errno));
		return 1;
	}
	ret = pwrite(fd, buf, len, strtol(argv[2], NULL, 0));
	if (ret < 0)
		printf("err %s\n", errno_name(errno));
	else
		printf("ret %zd\n", ret);
	close(fd);
	free(buf);
	return 0;
}
