/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streaming parser of kernel log text (userspace only: not in oomsnap.ko).
 * Feed it physical lines; it strips syslog/journal/dmesg prefixes, joins
 * wrapped continuations, recognises OOM, memcg OOM and page allocation
 * failure reports, and hands each one to a callback as a struct
 * oomsnap_record with "have" bits for what the report showed. Memory is
 * one record and one logical line, whatever the size of the input.
 */
#ifndef OOMSNAP_LOGPARSE_H
#define OOMSNAP_LOGPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "oomsnap.h"

#define OOMSNAP_LOG_LINE_MAX	4096	/* logical line, continuations joined */

struct oomsnap_log_event {
	struct oomsnap_record rec;
	unsigned long line;		/* first line of the report (1-based) */
	unsigned long last_line;	/* last line that belonged to it */
	bool has_header;		/* "invoked oom-killer", "page allocation failure"... */
};

typedef void (*oomsnap_log_emit_fn)(void *ctx, struct oomsnap_log_event *ev);

enum oomsnap_log_block {		/* multi-line sections being read */
	OOMSNAP_LOG_BLOCK_NONE,
	OOMSNAP_LOG_BLOCK_STACK,
	OOMSNAP_LOG_BLOCK_TASKS,
	OOMSNAP_LOG_BLOCK_SLABS,
	OOMSNAP_LOG_BLOCK_MEMCG_STATS,	/* cgroup v2: "anon 66920448", a line each */
};

#define OOMSNAP_LOG_TASK_COLS	16

struct oomsnap_logparser {
	oomsnap_log_emit_fn emit;
	void *ctx;
	unsigned long lineno;		/* physical lines fed */
	unsigned long nr_events;

	/* a physical line undressed (journal JSON, terminal colour) */
	char carrier[OOMSNAP_LOG_LINE_MAX];

	/* the logical line being assembled */
	char line[OOMSNAP_LOG_LINE_MAX];
	size_t len;
	unsigned long line_start;
	unsigned long line_last;	/* its last physical line */
	bool have_line;
	bool line_prefixed;		/* it had a syslog/dmesg prefix */
	unsigned int line_kind;		/* enum line_kind, set when it begins */
	unsigned int zone_node;		/* zone and buddy lines: the zone */
	int zone_type;
	size_t zone_after;		/* offset past the zone's name */

	/* the report being assembled */
	bool open;
	struct oomsnap_log_event ev;
	int cur_zone;			/* zone the next lowmem_reserve[] is for */
	unsigned int nr_reserve[OOMSNAP_MAX_ZONES];
	unsigned int block;		/* enum oomsnap_log_block */
	signed char task_col[OOMSNAP_LOG_TASK_COLS];
	unsigned int nr_task_cols;
	__u64 mem_kb;			/* mem[] slots holding kB until the end */
	unsigned int buddy_page_kb;	/* kB of an order-0 block */
	bool victim_seen;
	bool group_kill;		/* memory.oom.group: more victims follow */
	bool gfp_names;			/* mode/gfp_mask printed with names */
	bool saw_boost, saw_highatomic, saw_letters, saw_managed;

	/* what the log said before a report, true for every report after */
	unsigned int xen_mode;		/* enum oomsnap_xen_domain: PV, PVH, HVM_DOMU */
	bool xen_backend;		/* xen-blkback served a frontend: dom0 */
};

void oomsnap_logparser_init(struct oomsnap_logparser *lp,
			    oomsnap_log_emit_fn emit, void *ctx);
/* One physical line, without its newline. */
void oomsnap_logparser_feed(struct oomsnap_logparser *lp, const char *line,
			    size_t len);
/*
 * The whole lines at the start of @buf (each ending in a newline) that
 * feed() would drop unread, counted as fed: bytes skipped, 0 while a
 * report or a line is open. The same result as feeding them, faster.
 */
size_t oomsnap_logparser_skip(struct oomsnap_logparser *lp, const char *buf,
			      size_t len);
/* End of input: emits the report still open. */
void oomsnap_logparser_finish(struct oomsnap_logparser *lp);

/* Raw gfp value of a log that printed only hex, for the kernel era. */
__u64 oomsnap_gfp_from_raw(__u64 raw, unsigned int *era_hint);

#endif /* OOMSNAP_LOGPARSE_H */
