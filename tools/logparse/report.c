// SPDX-License-Identifier: GPL-2.0
/*
 * One logical line of a report: headers open a report, report_line()
 * gives the line to its section parser.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * The requesting task's name: what stands before the header's @hit, less
 * the spaces between (and with @colon the colon of "NAME: page allocation
 * failure").
 */
static void header_task(struct oomsnap_logparser *lp, const char *p,
			const char *hit, bool colon)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	const char *e = hit;

	if (hit <= p)
		return;
	while (e > p && (is_space(e[-1]) || (colon && e[-1] == ':')))
		e--;
	copy_str(rec->task.comm, sizeof(rec->task.comm), p, e);
	rec->have |= OOMSNAP_HAVE_TASK;
}

static void header_oom(struct oomsnap_logparser *lp, const char *p,
		       const char *end, const char *hit)
{
	struct oomsnap_record *rec;
	const char *g;
	long long v;

	start_event(lp, OOMSNAP_EVENT_OOM, true);
	rec = &lp->ev.rec;
	header_task(lp, p, hit, false);
	g = find_past(hit, end, "gfp_mask=");
	if (g)
		parse_gfp(lp, g, end);
	if (value_after(hit, end, "order=", &v) && v >= -1 &&
	    v < OOMSNAP_MAX_ORDERS) {
		rec->order = (__s32)v;
		rec->have |= OOMSNAP_HAVE_ORDER;
	}
	if (value_after(hit, end, "oom_score_adj=", &v) ||
	    value_after(hit, end, "oomkilladj=", &v))
		rec->task.oom_score_adj = (__s32)v;
}

static void header_alloc_failure(struct oomsnap_logparser *lp, const char *p,
				 const char *end, const char *hit)
{
	struct oomsnap_record *rec;
	const char *m;
	long long v;

	start_event(lp, OOMSNAP_EVENT_ALLOC_FAILURE, true);
	rec = &lp->ev.rec;
	header_task(lp, p, hit, true);
	if (value_after(hit, end, "order:", &v) && v >= 0 &&
	    v < OOMSNAP_MAX_ORDERS) {
		rec->order = (__s32)v;
		rec->have |= OOMSNAP_HAVE_ORDER;
	}
	m = find_past(hit, end, "mode:");
	if (m)
		parse_gfp(lp, m, end);
	m = find_past(hit, end, "nodemask=");
	if (m)
		parse_nodemask(lp, m, end);
}

/* "057 slab:220275 mapped:12395": a Mem-Info line cut where a paste began */
static bool mem_info_tail(const char *p, const char *end)
{
	while (p < end && is_digit(*p))
		p++;
	return p < end && *p == ' ' && continues_kv(p + 1, end);
}

/*
 * Report content that may appear before any header: pastes of a part,
 * sysrq-m. A victim or oom-kill line alone is an event too.
 */
static bool headerless_start(const struct oomsnap_logparser *lp,
			     const char *p, const char *end, unsigned int *type)
{
	*type = OOMSNAP_EVENT_NONE;
	if (lp->line_kind == KIND_ZONE ||
	    (lp->line_kind == KIND_BUDDY &&
	     continues_buddy(skip_spaces(p + lp->zone_after + 1, end), end)))
		return true;
	if (skip_lit(p, end, "Mem-Info") || skip_lit(p, end, "Mem-info") ||
	    skip_lit(p, end, "Free pages:") || mem_info_tail(p, end))
		return true;
	/* a memcg report's own lines: only a memcg OOM prints them */
	if (memcg_usage_line(p, end) || skip_lit(p, end, "swap: usage ") ||
	    skip_lit(p, end, "memory+swap: usage ") ||
	    skip_lit(p, end, "Memory cgroup stats for ") ||
	    find(p, end, "Memory cgroup out of memory")) {
		*type = OOMSNAP_EVENT_MEMCG_OOM;
		return true;
	}
	if (skip_lit(p, end, "Out of memory") || skip_lit(p, end, "Out of Memory") ||
	    skip_lit(p, end, "oom-kill:") || find(p, end, "Killed process ")) {
		*type = OOMSNAP_EVENT_OOM;
		return true;
	}
	return false;
}

/*
 * Section lines known by how they start. Each handler gets the line and
 * the text past its literal; it returns true when the line belonged to
 * the report. A NULL handler: the line belongs, nothing in it is read.
 * The lines after it are read as @block.
 */
struct line_at {
	const char *p;		/* the line */
	const char *rest;	/* past the rule's literal */
	const char *end;
};

typedef bool (*line_fn)(struct oomsnap_logparser *lp, const struct line_at *l);

struct line_rule {
	const char *lit;
	size_t len;		/* strlen(lit) */
	line_fn fn;
	unsigned int block;	/* enum oomsnap_log_block: the lines after */
};

static bool on_lowmem_reserve(struct oomsnap_logparser *lp, const struct line_at *l)
{
	parse_lowmem_reserve(lp, l->rest, l->end);
	return true;
}

static bool on_global(struct oomsnap_logparser *lp, const struct line_at *l)
{
	parse_global(lp, l->p, l->end);
	return true;
}

/*
 * "hugepages_total=N hugepages_free=N hugepages_size=NkB": pages times size,
 * unless a field is negative or the product does not fit (not a real line).
 */
static void add_hugepages(struct oomsnap_logparser *lp, unsigned int idx,
			  long long count, long long size_kb)
{
	__u64 kb;

	if (count < 0 || size_kb < 0 ||
	    __builtin_mul_overflow((__u64)count, (__u64)size_kb, &kb))
		return;
	add_mem(lp, idx, kb, true);
}

static bool on_node(struct oomsnap_logparser *lp, const struct line_at *l)
{
	long long total, free_hp, size;

	if (!find(l->rest, l->end, "hugepages_total=")) {
		parse_node(lp, l->p, l->end);
		return true;
	}
	if (value_after(l->rest, l->end, "hugepages_total=", &total) &&
	    value_after(l->rest, l->end, "hugepages_free=", &free_hp) &&
	    value_after(l->rest, l->end, "hugepages_size=", &size)) {
		add_hugepages(lp, OOMSNAP_MEM_HUGETLB_TOTAL, total, size);
		add_hugepages(lp, OOMSNAP_MEM_HUGETLB_FREE, free_hp, size);
	}
	return true;
}

static bool on_cpu(struct oomsnap_logparser *lp, const struct line_at *l)
{
	parse_cpu_line(lp, l->p, l->end);
	return true;
}

static bool on_hardware(struct oomsnap_logparser *lp, const struct line_at *l)
{
	/* DMI of an HVM guest; a PV dom0 shows the real machine's */
	if (find(l->rest, l->end, "Xen HVM domU"))
		mark_xen(&lp->ev.rec, OOMSNAP_XEN_HVM_DOMU);
	return true;
}

/* "Free swap  = 0kB", "Total swap = 0kB" */
static void swap_total(struct oomsnap_logparser *lp, unsigned int idx,
		       const char *rest, const char *end)
{
	const char *k = memchr(rest, '=', end - rest);
	bool ok;

	if (k) {
		k = skip_spaces(k + 1, end);
		set_mem(lp, idx, parse_u64(&k, end, &ok), true);
	}
}

static bool on_free_swap(struct oomsnap_logparser *lp, const struct line_at *l)
{
	swap_total(lp, OOMSNAP_MEM_SWAP_FREE, l->rest, l->end);
	return true;
}

static bool on_total_swap(struct oomsnap_logparser *lp, const struct line_at *l)
{
	swap_total(lp, OOMSNAP_MEM_SWAP_TOTAL, l->rest, l->end);
	return true;
}

static bool on_free_pages(struct oomsnap_logparser *lp, const struct line_at *l)
{
	bool ok;
	const char *k = skip_spaces(l->rest, l->end);

	set_mem(lp, OOMSNAP_MEM_FREE, parse_u64(&k, l->end, &ok), true);
	return true;
}

static bool on_task_header(struct oomsnap_logparser *lp, const struct line_at *l)
{
	parse_task_header(lp, l->p, l->end);
	return true;
}

static bool on_memcg_usage(struct oomsnap_logparser *lp, const struct line_at *l)
{
	if (!memcg_usage_line(l->p, l->end))
		return false;
	lp->ev.rec.type = OOMSNAP_EVENT_MEMCG_OOM;
	parse_memcg_usage(lp, l->p, l->end, false);
	return true;
}

static bool on_swap_usage(struct oomsnap_logparser *lp, const struct line_at *l)
{
	parse_memcg_usage(lp, l->p, l->end, true);
	return true;
}

static bool on_memcg_stats(struct oomsnap_logparser *lp, const struct line_at *l)
{
	if (!lp->ev.rec.memcg_path[0])
		set_memcg_path(lp, l->rest, l->end);
	lp->block = OOMSNAP_LOG_BLOCK_MEMCG_STATS;
	return true;
}

static bool on_task_in(struct oomsnap_logparser *lp, const struct line_at *l)
{
	const char *k = find_past(l->rest, l->end, "as a result of limit of ");

	lp->ev.rec.type = OOMSNAP_EVENT_MEMCG_OOM;
	if (k)
		set_memcg_path(lp, k, l->end);
	return true;
}

static bool on_oom_kill(struct oomsnap_logparser *lp, const struct line_at *l)
{
	parse_oom_kill(lp, l->p, l->end);
	return true;
}

#define RULE(lit, fn, block)	{ lit, sizeof(lit) - 1, fn, block }

/* First match wins: "CPU: " before "CPU ". */
static const struct line_rule line_rules[] = {
	RULE("lowmem_reserve[]:", on_lowmem_reserve, OOMSNAP_LOG_BLOCK_NONE),
	RULE("active_anon:", on_global, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Active_anon:", on_global, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Active:", on_global, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Node ", on_node, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Mem-Info", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Mem-info", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Call Trace:", NULL, OOMSNAP_LOG_BLOCK_STACK),
	RULE("Backtrace:", NULL, OOMSNAP_LOG_BLOCK_STACK),
	RULE("CPU: ", on_cpu, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Pid: ", on_cpu, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Hardware name: ", on_hardware, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Free swap", on_free_swap, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Total swap", on_total_swap, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Free pages:", on_free_pages, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Swap cache stats", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Swap cache:", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("CPU ", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Hardware name", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Modules linked in", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("COMPACTION is disabled", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Tasks state", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("warn_alloc", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("[ pid ]", on_task_header, OOMSNAP_LOG_BLOCK_NONE),
	RULE("[  pid  ]", on_task_header, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Unreclaimable slab info", NULL, OOMSNAP_LOG_BLOCK_SLABS),
	RULE("memory: usage ", on_memcg_usage, OOMSNAP_LOG_BLOCK_NONE),
	RULE("swap: usage ", on_swap_usage, OOMSNAP_LOG_BLOCK_NONE),
	RULE("memory+swap: usage ", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("kmem: usage ", NULL, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Memory cgroup stats for ", on_memcg_stats, OOMSNAP_LOG_BLOCK_NONE),
	RULE("Task in ", on_task_in, OOMSNAP_LOG_BLOCK_NONE),
	RULE("oom-kill:", on_oom_kill, OOMSNAP_LOG_BLOCK_NONE),
};

/* "N pages RAM" and the other page counts of show_mem() */
static bool page_count_line(struct oomsnap_logparser *lp, const char *p,
			    const char *end)
{
	const char *k = p;
	__u64 v;
	bool ok;

	v = parse_u64(&k, end, &ok);
	k = skip_spaces(k, end);
	if (skip_lit(k, end, "pages RAM") || skip_lit(k, end, "pages of RAM"))
		set_mem(lp, OOMSNAP_MEM_TOTALRAM, v, false);
	else if (skip_lit(k, end, "pages reserved") || skip_lit(k, end, "reserved pages"))
		set_mem(lp, OOMSNAP_MEM_RESERVED, v, false);
	else if (skip_lit(k, end, "pages in swap cache") ||
		 skip_lit(k, end, "pages swap cached"))
		set_mem(lp, OOMSNAP_MEM_SWAP_CACHED, v, false);
	else if (continues_kv(k, end))	/* the cut tail of a Mem-Info line */
		parse_global(lp, k, end);
	else if (!skip_lit(k, end, "pages") && !skip_lit(k, end, "total pagecache") &&
		 !skip_lit(k, end, "free pages") && !skip_lit(k, end, "slab pages"))
		return false;
	return true;
}

/* A zone or buddy line, as feed classified it when the line began. */
static bool zone_section_line(struct oomsnap_logparser *lp, const char *p,
			      const char *end)
{
	const char *after = p + lp->zone_after, *name = after;
	struct oomsnap_zone *z;

	while (name > p && !is_space(name[-1]))
		name--;
	if (lp->line_kind == KIND_ZONE) {
		parse_zone_line(lp, after, end, lp->zone_node, lp->zone_type, name);
		return true;
	}
	if (!continues_buddy(after + 2, end) && !skip_lit(after + 2, end, "empty"))
		return false;
	z = get_zone(lp, lp->zone_node, lp->zone_type, name, after, true);
	if (z)
		parse_buddy(lp, after + 2, end, z);
	return true;
}

/* Returns true when the line belonged to the open report. */
static bool report_line(struct oomsnap_logparser *lp, const char *p,
			const char *end)
{
	struct line_at at;
	const char *rest;
	size_t i;

	if (lp->block == OOMSNAP_LOG_BLOCK_TASKS && p < end && *p == '[' &&
	    parse_task_row(lp, p, end))
		return true;
	if (lp->block == OOMSNAP_LOG_BLOCK_SLABS) {
		if (skip_lit(p, end, "Name "))
			return true;
		if (parse_slab_row(lp, p, end))
			return true;
	}
	if (lp->block == OOMSNAP_LOG_BLOCK_MEMCG_STATS && memcg_stat_row(p, end))
		return true;
	if (parse_stack_line(lp, p, end, lp->block == OOMSNAP_LOG_BLOCK_STACK))
		return true;
	lp->block = OOMSNAP_LOG_BLOCK_NONE;

	if ((lp->line_kind == KIND_ZONE || lp->line_kind == KIND_BUDDY) &&
	    zone_section_line(lp, p, end))
		return true;
	if (p < end && is_digit(*p))
		return page_count_line(lp, p, end);
	for (i = 0; i < ARRAY_SIZE(line_rules); i++) {
		const struct line_rule *r = &line_rules[i];

		if (p >= end || *p != r->lit[0] || (size_t)(end - p) < r->len ||
		    memcmp(p, r->lit, r->len))
			continue;
		rest = p + r->len;
		lp->block = r->block;
		at.p = p;
		at.rest = rest;
		at.end = end;
		if (!r->fn || r->fn(lp, &at))
			return true;
		break;
	}
	if (find(p, end, " per-cpu:"))
		return true;
	/* "Tasks in /a are going to be killed due to memory.oom.group set" */
	if (skip_lit(p, end, "Tasks in ") && find(p, end, "memory.oom.group")) {
		lp->group_kill = true;
		return true;
	}
	rest = find_past(p, end, "Killed process ");
	if (rest) {
		if (find(p, end, "Memory cgroup out of memory"))
			lp->ev.rec.type = OOMSNAP_EVENT_MEMCG_OOM;
		parse_victim(lp, rest, end);
		return true;
	}
	return skip_lit(p, end, "Out of memory") || skip_lit(p, end, "Out of Memory") ||
	       skip_lit(p, end, "oom_reaper:") ||
	       find(p, end, "Memory cgroup out of memory");
}

/*
 * warn_alloc()'s header: "page allocation failure: order:" (2.6.3x on),
 * "page allocation failure. order:" (2.6.2x). Prose that names the failure
 * ("the page allocation failures bisect to", a bug title) is not one.
 */
static const char *alloc_failure_header(const char *p, const char *end)
{
	const char *hit = find(p, end, "page allocation failure");
	const char *rest;

	if (!hit)
		return NULL;
	rest = hit + strlen("page allocation failure");
	if (rest < end && (*rest == ':' || *rest == '.') &&
	    skip_lit(rest + 1, end, " order:"))
		return hit;
	return NULL;
}

void process_line(struct oomsnap_logparser *lp, const char *p,
		  const char *end)
{
	const char *hit;
	unsigned int type;

	hit = find(p, end, "invoked oom-killer");
	if (hit) {
		header_oom(lp, p, end, hit);
		return;
	}
	hit = alloc_failure_header(p, end);
	if (hit) {
		header_alloc_failure(lp, p, end, hit);
		return;
	}
	if (starts(p, end, "oom-killer")) {
		header_oom(lp, p, end, p);
		return;
	}
	/*
	 * Nothing of a report comes after its victim: this is the next one's;
	 * but memory.oom.group kills the whole group for one OOM.
	 */
	if (lp->open && lp->victim_seen && !lp->group_kill &&
	    headerless_start(lp, p, end, &type))
		close_event(lp);
	if (lp->open) {
		if (report_line(lp, p, end)) {
			lp->ev.last_line = lp->line_last;
			return;
		}
		/* a report ends after its victim, or after a long gap */
		if (lp->victim_seen ||
		    lp->lineno - lp->ev.last_line > REPORT_GAP_LINES)
			close_event(lp);
		else
			return;
	}
	if (headerless_start(lp, p, end, &type)) {
		start_event(lp, type, false);
		if (report_line(lp, p, end))
			lp->ev.last_line = lp->line_last;
	}
}
