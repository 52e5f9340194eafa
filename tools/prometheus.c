// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap stats --prometheus: DIR/stats and the retained records in the
 * Prometheus text exposition format, for node-exporter's textfile
 * collector.
 *
 *   oomsnap_events_total{type}                 events seen, by type
 *   oomsnap_oom_victims_total{joined}          OOM victims, joined to their record or not
 *   oomsnap_captured_total                     records committed to the ring
 *   oomsnap_dropped_total{reason}              events not kept, by reason
 *   oomsnap_alloc_failures_by_order_total{order}
 *   oomsnap_alloc_failures_by_class_total{class}
 *   oomsnap_alloc_failures_nowarn_total        failures with __GFP_NOWARN
 *   oomsnap_ring_records, oomsnap_ring_size, oomsnap_ring_last_seq,
 *   oomsnap_ring_filling                       the ring now
 *   oomsnap_{capture,irqoff,zone_lock}_seconds_max
 *                                              the longest capture, time
 *                                              with interrupts off, zone
 *                                              lock hold, since load
 *   oomsnap_capture_nowarn, oomsnap_ratelimit_interval_seconds,
 *   oomsnap_ratelimit_burst                    the settings in force
 *   oomsnap_retained_events{type,cause}        records in the ring now, by
 *                                              type and diagnosed cause
 *
 * Every line of DIR/stats is accounted for: a name this reader does not
 * know is exported as oomsnap_stat{name="..."} (untyped) rather than lost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diagnose.h"
#include "names.h"
#include "record.h"
#include "record_io.h"
#include "base.h"

#define MAX_STATS	128
#define MAX_ORDERS_SEEN	64

struct stat_line {
	char name[64];
	unsigned long long v;
	bool used;
};

struct stats {
	struct stat_line l[MAX_STATS];
	unsigned int n;
};

static struct stat_line *find(struct stats *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->l[i].name, name))
			return &s->l[i];
	return NULL;
}

static void family(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample from the stats line @stat, if the module printed it. */
static void sample(struct stats *s, const char *metric, const char *labels,
		   const char *stat)
{
	struct stat_line *l = find(s, stat);

	if (!l)
		return;
	l->used = true;
	printf("%s%s%s%s %llu\n", metric, labels ? "{" : "", labels ? labels : "",
	       labels ? "}" : "", l->v);
}

static const char *const event_types[][2] = {
	{ "oom", "oom" },
	{ "memcg_oom", "memcg_oom" },
	{ "alloc_failure", "alloc_failure" },
	{ "manual", "manual" },
};

static const char *const drop_reasons[][2] = {
	{ "dropped_ratelimit", "ratelimit" },
	{ "dropped_nowarn", "nowarn" },
	{ "coalesced", "coalesced" },
	{ "skipped_recursion", "recursion" },
	{ "skipped_nmi", "nmi" },
	{ "skipped_busy", "ring_busy" },
	{ "overwritten", "overwritten" },
	{ "cleared", "cleared" },
};

/* Gauges: stats name, metric, help, divisor to the metric's unit (1: none). */
static const struct {
	const char *stat, *metric, *help;
	unsigned long long div;
} gauges[] = {
	{ "retained", "oomsnap_ring_records", "Snapshots retained in the ring now.", 1 },
	{ "ring_size", "oomsnap_ring_size", "Snapshots the ring can hold.", 1 },
	{ "last_seq", "oomsnap_ring_last_seq", "Sequence number of the newest snapshot.", 1 },
	{ "filling", "oomsnap_ring_filling", "Ring slots being filled now.", 1 },
	{ "capture_ns_max", "oomsnap_capture_seconds_max",
	  "Longest capture since the module was loaded.", 1000000000ULL },
	{ "irqoff_ns_max", "oomsnap_irqoff_seconds_max",
	  "Longest time a capture kept interrupts off.", 1000000000ULL },
	{ "zone_lock_ns_max", "oomsnap_zone_lock_seconds_max",
	  "Longest time a capture held a zone lock.", 1000000000ULL },
	{ "capture_nowarn", "oomsnap_capture_nowarn",
	  "1 when __GFP_NOWARN allocation failures are captured too.", 1 },
	{ "ratelimit_interval_ms", "oomsnap_ratelimit_interval_seconds",
	  "Allocation-failure captures: at most ratelimit_burst per this interval.", 1000 },
	{ "ratelimit_burst", "oomsnap_ratelimit_burst",
	  "Allocation-failure captures allowed per interval.", 1 },
};

#define ALLOC_FAIL_PREFIX "alloc_failure_"
#define ORDER_PREFIX "alloc_failure_order_"

static int read_stats(const char *dir, struct stats *s)
{
	char path[PATH_MAX], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/stats", dir);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "oomsnap: %s: %s%s\n", path, strerror(errno),
			errno == ENOENT ? " (is oomsnap.ko loaded and debugfs mounted?)" : "");
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		struct stat_line *l;
		char extra;

		if (s->n == MAX_STATS) {
			fclose(f);
			fprintf(stderr, "oomsnap: %s: more than %d lines\n", path, MAX_STATS);
			return 2;
		}
		l = &s->l[s->n];
		if (sscanf(line, "%63s %llu %c", l->name, &l->v, &extra) != 2 ||
		    strspn(l->name, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
		    strlen(l->name)) {
			fclose(f);
			fprintf(stderr, "oomsnap: %s: unexpected line \"%.*s\"\n", path,
				(int)strcspn(line, "\n"), line);
			return 2;
		}
		s->n++;
	}
	if (ferror(f)) {
		fclose(f);
		fprintf(stderr, "oomsnap: %s: %s\n", path, strerror(errno));
		return 2;
	}
	fclose(f);
	return 0;
}

struct retained {
	unsigned long long n[OOMSNAP_EVENT_MANUAL + 1][OOMSNAP_CAUSE_NR];
};

static int count_record(void *ctx, const struct oomsnap_record *rec)
{
	static struct oomsnap_diagnosis diag;
	struct retained *r = ctx;

	if (rec->type > OOMSNAP_EVENT_MANUAL)
		return 0;
	oomsnap_diagnose(rec, &diag);
	if (diag.cause < OOMSNAP_CAUSE_NR)
		r->n[rec->type][diag.cause]++;
	return 0;
}

int oomsnap_cmd_prometheus(const char *dir, const char *raw_path)
{
	static struct stats s;
	static struct retained ret;
	struct oomsnap_reader rd;
	const char *err;
	char labels[128];
	unsigned int i, t, c;
	int fd;

	if (read_stats(dir, &s))
		return 2;
	fd = open(raw_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "oomsnap: %s: %s\n", raw_path, strerror(errno));
		return 2;
	}
	if (oomsnap_reader_init(&rd, fd, raw_path)) {
		fprintf(stderr, "oomsnap: out of memory\n");
		return 2;
	}
	err = oomsnap_reader_next(&rd, count_record, &ret);
	oomsnap_reader_free(&rd);
	close(fd);
	if (err) {
		fprintf(stderr, "oomsnap: %s\n", err);
		return 2;
	}

	family("oomsnap_events_total", "counter", "Events oomsnap.ko saw, by type.");
	for (i = 0; i < ARRAY_SIZE(event_types); i++) {
		snprintf(labels, sizeof(labels), "type=\"%s\"", event_types[i][1]);
		sample(&s, "oomsnap_events_total", labels, event_types[i][0]);
	}
	family("oomsnap_oom_victims_total", "counter",
	       "Tasks the OOM killer chose; joined: written into the record of their OOM.");
	sample(&s, "oomsnap_oom_victims_total", "joined=\"yes\"", "victims_joined");
	sample(&s, "oomsnap_oom_victims_total", "joined=\"no\"", "victims_unjoined");
	if (find(&s, "victims"))
		find(&s, "victims")->used = true;	/* the sum of the two */
	family("oomsnap_captured_total", "counter", "Snapshots committed to the ring.");
	sample(&s, "oomsnap_captured_total", NULL, "captured");
	family("oomsnap_dropped_total", "counter",
	       "Events not captured or snapshots lost, by reason.");
	for (i = 0; i < ARRAY_SIZE(drop_reasons); i++) {
		snprintf(labels, sizeof(labels), "reason=\"%s\"", drop_reasons[i][1]);
		sample(&s, "oomsnap_dropped_total", labels, drop_reasons[i][0]);
	}
	family("oomsnap_alloc_failures_nowarn_total", "counter",
	       "Failed page allocations that asked for no warning (__GFP_NOWARN).");
	sample(&s, "oomsnap_alloc_failures_nowarn_total", NULL, "nowarn_failures");

	family("oomsnap_alloc_failures_by_order_total", "counter",
	       "Failed page allocations by order (the last order counts all higher ones).");
	for (i = 0; i < s.n; i++) {
		const char *name = s.l[i].name;

		if (strncmp(name, ORDER_PREFIX, strlen(ORDER_PREFIX)))
			continue;
		snprintf(labels, sizeof(labels), "order=\"%s\"", name + strlen(ORDER_PREFIX));
		sample(&s, "oomsnap_alloc_failures_by_order_total", labels, name);
	}
	family("oomsnap_alloc_failures_by_class_total", "counter",
	       "Failed page allocations by request class (from the gfp mask).");
	for (i = 0; i < s.n; i++) {
		const char *name = s.l[i].name;

		if (s.l[i].used || strncmp(name, ALLOC_FAIL_PREFIX, strlen(ALLOC_FAIL_PREFIX)))
			continue;
		snprintf(labels, sizeof(labels), "class=\"%s\"",
			 name + strlen(ALLOC_FAIL_PREFIX));
		sample(&s, "oomsnap_alloc_failures_by_class_total", labels, name);
	}

	for (i = 0; i < ARRAY_SIZE(gauges); i++) {
		struct stat_line *l = find(&s, gauges[i].stat);
		unsigned long long div = gauges[i].div;

		if (!l)
			continue;
		l->used = true;
		family(gauges[i].metric, "gauge", gauges[i].help);
		if (div == 1)
			printf("%s %llu\n", gauges[i].metric, l->v);
		else if (div == 1000)
			printf("%s %llu.%03llu\n", gauges[i].metric, l->v / div, l->v % div);
		else
			printf("%s %llu.%09llu\n", gauges[i].metric, l->v / div, l->v % div);
	}

	family("oomsnap_retained_events", "gauge",
	       "Snapshots in the ring now, by event type and diagnosed cause.");
	for (t = OOMSNAP_EVENT_OOM; t <= OOMSNAP_EVENT_MANUAL; t++)
		for (c = 0; c < OOMSNAP_CAUSE_NR; c++)
			if (ret.n[t][c])
				printf("oomsnap_retained_events{type=\"%s\",cause=\"%s\"} %llu\n",
				       oomsnap_event_type_name(t), oomsnap_cause_name(c),
				       ret.n[t][c]);

	for (i = 0; i < s.n && s.l[i].used; i++)
		;
	if (i < s.n) {
		family("oomsnap_stat", "untyped", "A DIR/stats line this reader has no name for.");
		for (i = 0; i < s.n; i++)
			if (!s.l[i].used)
				printf("oomsnap_stat{name=\"%s\"} %llu\n", s.l[i].name, s.l[i].v);
	}
	return ferror(stdout) ? 2 : 0;
}
