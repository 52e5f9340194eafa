/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the kernel log parser (tools/logparse/): what its files share.
 *
 * Kernel log text -> struct oomsnap_record, one per report, streaming.
 *
 * Formats, and where each lands in the record:
 *
 *  prefixes   "Mon DD hh:mm:ss host kernel: " (syslog, journalctl -k),
 *             "2024-01-02T03:04:05+00:00 host kernel: " (rsyslog ISO),
 *             "kern  :warn  : " (dmesg -x), "<4>", "[ 1234.567890] "
 *             (dmesg), "[Mon Jan  2 03:04:05 2024] " (dmesg -T),
 *             "[ T123] " (printk caller id). All optional, in that order.
 *  wrapping   a line without a prefix after one with a prefix continues it
 *             (pasted syslog); a line that starts with a known zone or
 *             Mem-Info key ("high:2808kB", " active_file:12") continues a
 *             zone or Mem-Info line; "N*SkB" continues a buddy line.
 *  reports    "X invoked oom-killer: gfp_mask=0x..(NAMES), order=N, ..."
 *             (2.6.2x+), "oom-killer: gfp_mask=0xd0, order=0" and a bare
 *             "oom-killer" (2.6.x), "X: page allocation failure[:.] order:N,
 *             mode:0x..(NAMES)[, nodemask=..]", memcg OOMs: "memory: usage
 *             NkB, limit NkB", "Task in /a killed as a result of limit of
 *             /b", "oom-kill:constraint=CONSTRAINT_MEMCG,..oom_memcg=/b",
 *             "Memory cgroup out of memory: Killed process". A dump without
 *             a header line (zone lines, Mem-Info) is a report of unknown
 *             type: the diagnosis says the header is missing.
 *  zones      "[Node N ]Zone free:NkB [boost:NkB ]min:NkB low:NkB high:NkB
 *             [reserved_highatomic:NKB] ... present:NkB [managed:NkB] ...
 *             [all_unreclaimable? yes]"; 5.x+ print min/low/high with the
 *             boost added (wmark_pages()): the record keeps them without.
 *             "lowmem_reserve[]: a b c" (pages, one per kernel zone index;
 *             mapped to zone types from the zones the log shows).
 *  buddy      "[Node N ]Zone: 1*4kB (U) 2*8kB (UM) ... = NkB"; the order-0
 *             block size gives the page size; letters give migratetypes.
 *  global     "active_anon:N inactive_anon:N ..." (pages; 2.6.28+),
 *             "Active:N inactive:N ..." (2.6.x before the LRU split: kept
 *             as the anon LRU), "Node N ... kernel_stack:NkB ...",
 *             "Free swap  = NkB", "Total swap = NkB", "N pages RAM",
 *             "N pages of RAM", "N pages reserved", "N pages in swap
 *             cache", "N pages swap cached", "Node N hugepages_total=N
 *             ... hugepages_size=NkB".
 *  tasks      "[ pid ]   uid  tgid total_vm      rss ..." header names
 *             the columns (every era's set), rows follow; top 8 by rss.
 *  slabs      "Unreclaimable slab info:" then "name  NKB  NKB"; top 8.
 *  victim     "Killed process N (comm)[ total-vm:NkB, anon-rss:NkB, ...]".
 *  version    "CPU: 1 PID: 2 Comm: x Not tainted 6.1.0-56-amd64 ..." or
 *             "Pid: 2, comm: x Not tainted 2.6.32 ..." sets the kernel
 *             era (watermark rule, gfp bits); without it the era is
 *             guessed from the format (boost: 5.x, reserved_highatomic:
 *             4.4+, migratetype letters 3.x, none 2.6).
 *  gfp        names in parentheses when printed (4.5+); otherwise the raw
 */
#ifndef OOMSNAP_LOGPARSE_INTERNAL_H
#define OOMSNAP_LOGPARSE_INTERNAL_H

#include <string.h>

#include "base.h"
#include "logparse.h"

/* Consecutive unrecognised lines that end a report without a victim line. */
#define REPORT_GAP_LINES	40
#define MESSAGE_START_MAX	160	/* syslog or journal prefix + dmesg time + caller id */

enum line_kind {
	KIND_OTHER,
	KIND_GLOBAL,	/* Mem-Info counters */
	KIND_ZONE,
	KIND_BUDDY,
	KIND_NODE,
};

/* text.c; the helpers every line goes through are inline */
static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static inline const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

static inline bool starts(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(end - p) >= n && !memcmp(p, lit, n);
}

/* Past @lit when [p, end) starts with it, else NULL. */
static inline const char *skip_lit(const char *p, const char *end,
				   const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(end - p) >= n && !memcmp(p, lit, n) ? p + n : NULL;
}

const char *find(const char *p, const char *end, const char *lit);
const char *find_past(const char *p, const char *end, const char *lit);
__u64 parse_u64(const char **pp, const char *end, bool *ok);
long long parse_s64(const char **pp, const char *end, bool *ok);
bool value_after(const char *p, const char *end, const char *key,
		 long long *out);
void copy_str(char *dst, size_t size, const char *s, const char *e);

struct kv {
	const char *key, *key_end;
	__u64 val;
	bool has_val;
	bool yes;		/* "key? yes" */
};

struct key_slot {
	const char *name;
	int slot;
};

bool next_kv(const char **pp, const char *end, struct kv *kv);
bool key_is(const struct kv *kv, const char *name);

/* prefix.c */
const char *strip_prefix(const char *p, const char *end, bool *prefixed);

/* gfp.c */
void parse_gfp(struct oomsnap_logparser *lp, const char *p, const char *end);

/* event.c */
void set_mem(struct oomsnap_logparser *lp, unsigned int idx, __u64 v,
	     bool in_kb);
void add_mem(struct oomsnap_logparser *lp, unsigned int idx, __u64 v,
	     bool in_kb);
void start_event(struct oomsnap_logparser *lp, unsigned int type, bool header);
void close_event(struct oomsnap_logparser *lp);
bool xen_context_line(struct oomsnap_logparser *lp, const char *p,
		      const char *end);
void mark_xen(struct oomsnap_record *rec, unsigned int domain);

/* zones.c */
int zone_head(const char *p, const char *end, unsigned int *node,
	      const char **after);
struct oomsnap_zone *get_zone(struct oomsnap_logparser *lp, unsigned int node,
			      int type, const char *name, const char *name_end,
			      bool create);
void parse_zone_line(struct oomsnap_logparser *lp, const char *p,
		     const char *end, unsigned int node, int type,
		     const char *name);
void parse_lowmem_reserve(struct oomsnap_logparser *lp, const char *p,
			  const char *end);
void parse_buddy(struct oomsnap_logparser *lp, const char *p, const char *end,
		 struct oomsnap_zone *z);
bool continues_buddy(const char *p, const char *end);

/* meminfo.c */
void parse_global(struct oomsnap_logparser *lp, const char *p, const char *end);
void parse_node(struct oomsnap_logparser *lp, const char *p, const char *end);
bool continues_kv(const char *p, const char *end);

/* tasks.c */
void parse_task_header(struct oomsnap_logparser *lp, const char *p,
		       const char *end);
bool parse_task_row(struct oomsnap_logparser *lp, const char *p,
		    const char *end);
bool parse_slab_row(struct oomsnap_logparser *lp, const char *p,
		    const char *end);

/* context.c */
bool memcg_usage_line(const char *p, const char *end);
bool memcg_stat_row(const char *p, const char *end);
void parse_victim(struct oomsnap_logparser *lp, const char *p, const char *end);
bool parse_stack_line(struct oomsnap_logparser *lp, const char *p,
		      const char *end, bool in_block);
void parse_cpu_line(struct oomsnap_logparser *lp, const char *p,
		    const char *end);
void parse_memcg_usage(struct oomsnap_logparser *lp, const char *p,
		       const char *end, bool swap);
void set_memcg_path(struct oomsnap_logparser *lp, const char *p,
		    const char *end);
void parse_oom_kill(struct oomsnap_logparser *lp, const char *p,
		    const char *end);
void parse_nodemask(struct oomsnap_logparser *lp, const char *p,
		    const char *end);

/* report.c */
void process_line(struct oomsnap_logparser *lp, const char *p, const char *end);

#endif /* OOMSNAP_LOGPARSE_INTERNAL_H */
