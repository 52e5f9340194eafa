// SPDX-License-Identifier: GPL-2.0
/*
 * explain's input: a file, standard input, a compressed file read through
 * the system's decompressor (recognised by its magic bytes, whatever its
 * name), or /dev/kmsg.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "logsource.h"

static char errbuf[4200];

static const struct {
	const char *prog;
	unsigned char magic[6];
	size_t len;
} compressors[] = {
	{ "gzip", { 0x1f, 0x8b }, 2 },
	{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6 },
	{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4 },
};

static const char *compressor_of(int fd)
{
	unsigned char head[6];
	ssize_t n = pread(fd, head, sizeof(head), 0);
	size_t i;

	for (i = 0; n > 0 && i < sizeof(compressors) / sizeof(compressors[0]); i++)
		if ((size_t)n >= compressors[i].len &&
		    !memcmp(head, compressors[i].magic, compressors[i].len))
			return compressors[i].prog;
	return NULL;
}

/* Replace src->fd by a pipe from "PROG -dc <fd". */
static const char *start_decompressor(struct logsource *src, const char *prog)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		goto err;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		goto err;
	}
	if (!pid) {
		if (dup2(src->fd, STDIN_FILENO) < 0 ||
		    dup2(p[1], STDOUT_FILENO) < 0)
			_exit(126);
		execlp(prog, prog, "-dc", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	close(src->fd);
	src->fd = p[0];
	src->decompressor = pid;
	src->compression = prog;
	return NULL;
err:
	snprintf(errbuf, sizeof(errbuf), "%s: %s", src->name, strerror(errno));
	return errbuf;
}

const char *logsource_open(struct logsource *src, const char *path)
{
	struct stat st;
	const char *prog;

	memset(src, 0, sizeof(*src));
	if (!strcmp(path, "-")) {
		src->name = "<stdin>";
		src->fd = STDIN_FILENO;
	} else {
		src->name = path;
		src->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (src->fd < 0) {
			snprintf(errbuf, sizeof(errbuf), "%s: %s", path,
				 strerror(errno));
			return errbuf;
		}
	}
	if (fstat(src->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(errbuf, sizeof(errbuf), "%s: is a directory", path);
		close(src->fd);
		return errbuf;
	}
	/* only what pread() can peek at: files, not pipes */
	prog = S_ISREG(st.st_mode) ? compressor_of(src->fd) : NULL;
	return prog ? start_decompressor(src, prog) : NULL;
}

const char *logsource_open_kmsg(struct logsource *src)
{
	memset(src, 0, sizeof(*src));
	src->name = "/dev/kmsg";
	src->kmsg = true;
	src->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (src->fd < 0) {
		snprintf(errbuf, sizeof(errbuf), "/dev/kmsg: %s", strerror(errno));
		return errbuf;
	}
	return NULL;
}

/*
 * One /dev/kmsg record ("PRI,SEQ,USEC,FLAGS;TEXT\n" then " KEY=VALUE\n"
 * lines) as dmesg prints it. The kernel already escapes TEXT's
 * non-printable bytes as \xNN.
 */
static ssize_t kmsg_read(struct logsource *src, char *buf, size_t len)
{
	char rec[8192];
	size_t pos = 0;

	while (pos + sizeof(rec) + 32 <= len) {
		unsigned long long usec;
		ssize_t n = read(src->fd, rec, sizeof(rec) - 1);
		char *text, *nl;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten while we read: go on */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;		/* the end of the log as it is now */
		if (n < 0)
			return pos ? (ssize_t)pos : -1;
		if (!n)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text || sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
			continue;
		text++;
		nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';
		pos += snprintf(buf + pos, len - pos, "[%5llu.%06llu] %s\n",
				usec / 1000000, usec % 1000000, text);
	}
	return pos;
}

ssize_t logsource_read(struct logsource *src, char *buf, size_t len)
{
	ssize_t n;

	if (src->kmsg)
		return kmsg_read(src, buf, len);
	do {
		n = read(src->fd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n;
}

const char *logsource_close(struct logsource *src)
{
	int status;

	if (src->fd != STDIN_FILENO)
		close(src->fd);
	if (!src->decompressor)
		return NULL;
	while (waitpid(src->decompressor, &status, 0) < 0)
		if (errno != EINTR)
			return NULL;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(errbuf, sizeof(errbuf),
			 "%s: is %s-compressed and '%s' is not installed",
			 src->name, src->compression, src->compression);
	else if (!WIFEXITED(status) || WEXITSTATUS(status))
		snprintf(errbuf, sizeof(errbuf), "%s: %s -dc failed: corrupt or truncated",
			 src->name, src->compression);
	else
		return NULL;
	return errbuf;
}
