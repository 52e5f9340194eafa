// SPDX-License-Identifier: GPL-2.0
/*
 * Clocks, for the BPF recorder's loader: a BPF program reads
 * CLOCK_MONOTONIC, dmesg stamps local_clock(); the record's time_ns is on
 * dmesg's clock and its realtime_ns on the wall clock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loader.h"

static long long mono_to_dmesg, mono_to_real;

static long long ts_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * The kernel side can read CLOCK_MONOTONIC, dmesg stamps local_clock():
 * write a line to /dev/kmsg between two CLOCK_MONOTONIC reads and read its
 * stamp back (microseconds). Done at start and for every event read (one
 * "oomsnap-bpf: clock calibration" line in the kernel log each time).
 * Without /dev/kmsg time_ns stays monotonic.
 */
/* One write/read-back: the offset, and the width of the window it was taken in. */
static bool calibrate_once(long long *offset, long long *window)
{
	char msg[128], buf[2048];
	long long before, after;
	bool found = false;
	int fd;

	fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK);
	if (fd < 0)
		return false;
	snprintf(msg, sizeof(msg), "oomsnap-bpf: clock calibration %d\n", getpid());
	lseek(fd, 0, SEEK_END);
	before = ts_ns(CLOCK_MONOTONIC);
	if (write(fd, msg, strlen(msg)) < 0) {
		close(fd);
		return false;
	}
	after = ts_ns(CLOCK_MONOTONIC);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		unsigned long long us;
		char *semi;

		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		buf[n] = '\0';
		semi = strchr(buf, ';');
		if (!semi || !strstr(semi, msg) || sscanf(buf, "%*u,%*u,%llu", &us) != 1)
			continue;
		*offset = (long long)us * 1000 - (before + after) / 2;
		*window = after - before;
		found = true;
		break;
	}
	close(fd);
	return found;
}

/*
 * Under memory pressure the write may stall on either side of the stamp:
 * up to four tries, the narrowest window wins (error at most half of it).
 */
void calibrate_clocks(void)
{
	long long offset, window, best = -1;
	int i;

	mono_to_real = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_MONOTONIC);
	for (i = 0; i < 4; i++) {
		if (!calibrate_once(&offset, &window))
			return;
		if (best < 0 || window < best) {
			best = window;
			mono_to_dmesg = offset;
		}
		if (window < 200000)
			break;
	}
}

/* @r's time_ns (CLOCK_MONOTONIC when captured) on dmesg's clock; its realtime_ns. */
void clocks_stamp(struct oomsnap_record *r)
{
	r->time_ns += mono_to_dmesg;
	r->realtime_ns = r->time_ns - mono_to_dmesg + mono_to_real;
}
