// SPDX-License-Identifier: GPL-2.0
/* Decoding DIR/raw for the recorder and the metrics: see record_io.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "record_io.h"

#define CHUNK	(1U << 20)

int oomsnap_reader_init(struct oomsnap_reader *rd, int fd, const char *path)
{
	memset(rd, 0, sizeof(*rd));
	rd->fd = fd;
	rd->path = path;
	rd->use_poll = true;
	rd->cap = OOMSNAP_RECORD_SIZE_MAX + CHUNK;
	rd->buf = malloc(rd->cap);
	return rd->buf ? 0 : -1;
}

void oomsnap_reader_free(struct oomsnap_reader *rd)
{
	free(rd->buf);
	rd->buf = NULL;
}

const char *oomsnap_reader_next(struct oomsnap_reader *rd,
				int (*fn)(void *ctx, const struct oomsnap_record *rec),
				void *ctx)
{
	static struct oomsnap_record rec;
	unsigned long nr = 0;
	size_t off;

	for (;;) {
		ssize_t n = read(rd->fd, rd->buf + rd->have, CHUNK);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(rd->err, sizeof(rd->err), "%s: %s", rd->path,
				 strerror(errno));
			return rd->err;
		}
		rd->have += (size_t)n;
		off = 0;
		while (rd->have - off >= 8) {
			const char *err;
			long used;

			/* a plausible record not read whole yet: wait for more */
			if (oomsnap_record_size(rd->buf + off, rd->have - off) > rd->have - off)
				break;
			used = oomsnap_record_decode(rd->buf + off, rd->have - off,
						     &rec, &err);
			if (used < 0) {
				snprintf(rd->err, sizeof(rd->err), "%s: %s",
					 rd->path, err);
				return rd->err;
			}
			off += (size_t)used;
			nr++;
			if (fn(ctx, &rec)) {
				rd->have -= off;
				memmove(rd->buf, rd->buf + off, rd->have);
				return NULL;
			}
		}
		rd->have -= off;
		memmove(rd->buf, rd->buf + off, rd->have);
		if (n == 0)
			break;
	}
	/* readable without news: poll() can't wait on this file */
	if (rd->woke && !nr)
		rd->use_poll = false;
	rd->woke = false;
	return NULL;
}

int oomsnap_reader_wait(struct oomsnap_reader *rd, volatile sig_atomic_t *stop)
{
	if (*stop)
		return 0;
	if (rd->use_poll) {
		struct pollfd pfd = { .fd = rd->fd, .events = POLLIN };

		rd->woke = true;
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return -1;
	} else {
		struct timespec ts = { 0, 500 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	return 0;
}
