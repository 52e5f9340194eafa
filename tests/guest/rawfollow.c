// SPDX-License-Identifier: GPL-2.0
/*
 * rawfollow: follow /sys/kernel/debug/oomsnap/raw the way a recorder does
 * (poll, then read whole records) and check the delivery contract: every
 * record whole (size, magic, seq where the header says), seqs rising by
 * one; a jump is a gap (records overwritten or cleared before we read
 * them). Stops on SIGTERM/SIGINT, on EPOLLHUP (the module went away) or
 * after -n records, and prints one line:
 *
 *   rawfollow: records N first F last L gaps G missed M dup D torn T hup H
 *
 *   rawfollow [-n COUNT] [FILE]
 *
 * Exit status 0 unless a record was torn or came twice or out of order.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oomsnap.h"

#define BATCH	16

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	const char *path = "/sys/kernel/debug/oomsnap/raw";
	unsigned long long want = 0, n = 0, first = 0, last = 0;
	unsigned long long gaps = 0, missed = 0, dup = 0, torn = 0;
	struct oomsnap_record *buf;
	struct sigaction sa;
	int fd, opt, hup = 0;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n')
			return 2;
		want = strtoull(optarg, NULL, 10);
	}
	if (optind < argc)
		path = argv[optind];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	buf = malloc(BATCH * sizeof(*buf));
	fd = open(path, O_RDONLY);
	if (!buf || fd < 0) {
		fprintf(stderr, "rawfollow: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while (!stop && (!want || n < want)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t got;
		size_t i;

		if (poll(&pfd, 1, 1000) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents & (POLLHUP | POLLERR)) {
			hup = 1;
			break;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		got = read(fd, buf, BATCH * sizeof(*buf));
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (got % sizeof(*buf))
			torn++;
		for (i = 0; i < (size_t)got / sizeof(*buf); i++) {
			const struct oomsnap_record *r = &buf[i];

			if (r->size != sizeof(*r) || r->magic != OOMSNAP_MAGIC ||
			    !r->seq) {
				torn++;
				continue;
			}
			if (!first)
				first = r->seq;
			if (last && r->seq <= last) {
				dup++;
			} else if (last && r->seq != last + 1) {
				gaps++;
				missed += r->seq - last - 1;
			}
			if (r->seq > last)
				last = r->seq;
			n++;
		}
	}
	printf("rawfollow: records %llu first %llu last %llu gaps %llu missed %llu dup %llu torn %llu hup %d\n",
	       n, first, last, gaps, missed, dup, torn, hup);
	return dup || torn ? 1 : 0;
}
