// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap list, show and watch: the events the module retains, read from
 * DIR/raw (or --raw FILE).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diagnose.h"
#include "names.h"
#include "render.h"
#include "cli.h"
#include "json.h"
#include "print.h"
#include "raw.h"

int cmd_list(int argc, char **argv)
{
	static struct oomsnap_diagnosis diag;
	struct records r = { 0 };
	struct json j;
	size_t i;

	(void)argv;
	if (argc)
		usage_error("list", "unexpected argument '%s'", argv[0]);
	load_records(&r);
	if (json_mode) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_ku64(&j, "version", JSON_SCHEMA_VERSION);
		json_key(&j, "events");
		json_arr_begin(&j);
	} else {
		printf("%6s  %-13s %-14s %-20s %-6s %-16s %-9s %s\n", "seq", "type",
		       "time", "wall clock (UTC)", "cpu", "task", "order", "cause");
	}
	for (i = 0; i < r.n; i++) {
		const struct oomsnap_record *rec = &r.v[i];

		oomsnap_diagnose(rec, &diag);
		if (json_mode) {
			char when[32];

			json_obj_begin(&j);
			json_ku64(&j, "seq", rec->seq);
			json_kstr(&j, "type", oomsnap_event_type_name(rec->type));
			json_ku64(&j, "time_ns", rec->time_ns);
			json_key(&j, "realtime");
			if (rec->realtime_ns)
				json_str(&j, oomsnap_format_realtime(when, sizeof(when),
								     rec->realtime_ns));
			else
				json_null(&j);
			json_ku64(&j, "cpu", rec->cpu);
			json_key(&j, "task");
			if (rec->have & OOMSNAP_HAVE_TASK)
				json_strn(&j, rec->task.comm,
					  strnlen(rec->task.comm, sizeof(rec->task.comm)));
			else
				json_null(&j);
			json_ks64(&j, "order", rec->order);
			json_kstr(&j, "cause", oomsnap_cause_name(diag.cause));
			json_obj_end(&j);
		} else {
			print_list_line(rec, &diag);
		}
	}
	if (json_mode) {
		json_arr_end(&j);
		json_obj_end(&j);
	} else if (!r.n) {
		printf("(no events)\n");
	}
	free(r.v);
	return r.n ? EXIT_FOUND : EXIT_NOTHING;
}

int cmd_show(int argc, char **argv)
{
	struct records r = { 0 };
	const struct oomsnap_record *rec = NULL;
	unsigned long long seq = 0;
	size_t i;

	if (argc > 1)
		usage_error("show", "unexpected argument '%s'", argv[1]);
	if (argc == 1)
		seq = parse_count("show", "sequence number", argv[0], 1);
	load_records(&r);
	if (!r.n)
		fail(EXIT_NOTHING, "no events captured");
	if (!argc)
		rec = &r.v[r.n - 1];
	for (i = 0; argc && i < r.n; i++)
		if (r.v[i].seq == seq)
			rec = &r.v[i];
	if (!rec)
		fail(EXIT_NOTHING, "no event with sequence number %llu (retained: %llu..%llu)",
		     seq, r.v[0].seq, r.v[r.n - 1].seq);
	print_event(rec);
	free(r.v);
	return EXIT_FOUND;
}

static void print_event_streamed(const struct oomsnap_record *rec)
{
	print_event(rec);
	if (!json_mode)
		printf("\n");
	fflush(stdout);
}

static void watch_read(int fd, const char *path, struct records *r,
		       unsigned char **carry, size_t *carry_len)
{
	const char *err = read_records(fd, path, r, carry, carry_len, false);

	if (err)
		fail(EXIT_TROUBLE, "%s", err);
}

unsigned long long watch_count;

/*
 * Print events newer than those present at start, as they arrive: poll()
 * on raw (the module wakes it per event); where poll() can't wait (a saved
 * file, an older module), re-read every 500 ms.
 */
int cmd_watch(int argc, char **argv)
{
	char pathbuf[4096];
	const char *path = raw_path(pathbuf, sizeof(pathbuf));
	unsigned char *carry = NULL;
	size_t carry_len = 0;
	unsigned long long printed = 0, last_seq = 0;
	struct records r = { 0 };
	bool use_poll = true;
	int fd;

	if (argc)
		usage_error("watch", "unexpected argument '%s'", argv[0]);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail(EXIT_TROUBLE, "%s: %s", path, strerror(errno));
	watch_read(fd, path, &r, &carry, &carry_len);
	if (r.n)
		last_seq = r.v[r.n - 1].seq;
	for (;;) {
		size_t k;

		r.n = 0;
		if (use_poll) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			int ret = poll(&pfd, 1, -1);

			if (ret < 0 && errno != EINTR)
				fail(EXIT_TROUBLE, "%s: poll: %s", path, strerror(errno));
			/* the module is being unloaded: it waits for us to close */
			if (ret > 0 && (pfd.revents & (POLLHUP | POLLERR)))
				fail(EXIT_TROUBLE, "%s: the module went away", path);
			watch_read(fd, path, &r, &carry, &carry_len);
			if (!r.n)
				use_poll = false;	/* readable without news */
		} else {
			struct timespec ts = { 0, 500 * 1000 * 1000 };

			nanosleep(&ts, NULL);
			watch_read(fd, path, &r, &carry, &carry_len);
		}
		for (k = 0; k < r.n; k++) {
			if (r.v[k].seq <= last_seq && last_seq)
				continue;
			last_seq = r.v[k].seq;
			print_event_streamed(&r.v[k]);
			if (watch_count && ++printed >= watch_count) {
				close(fd);
				free(r.v);
				free(carry);
				return EXIT_FOUND;
			}
		}
	}
}
