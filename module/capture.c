// SPDX-License-Identifier: GPL-2.0
/*
 * Fill one record with the allocator's state (see capture.h).
 *
 * Locking, per part:
 *  - zones: zone->lock (irqsave) per order while the free lists are walked,
 *    each list walk capped at walk_limit entries; only a trylock when the
 *    request may come from inside the allocator (!may_spin), and then an
 *    order whose lock is busy keeps its lock-free nr_free and no per-type
 *    counts. Each hold is timed (stats: zone_lock_ns_max);
 *  - memcg path: kernfs_rename_lock (read, irqsave) inside cgroup_path(),
 *    not taken when !may_spin;
 *  - tasks: see tasks.c;
 *  - everything else is lock-free counter reads.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/bitmap.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/hugetlb.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/math64.h>
#include <linux/mman.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/oom.h>
#include <linux/page_counter.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/timekeeping.h>
#include <linux/version.h>
#include <linux/vmstat.h>

#include "capture.h"
#include "compat.h"
#include "decode.h"
#include "gfp.h"
#include "mem.h"
#include "watermark.h"
#include "slabs.h"
#include "stats.h"
#include "symbols.h"
#include "xen.h"

/* ---------------------------------------------------------------------- */
/* The request and the requesting task */

void oomsnap_describe_task(struct oomsnap_task *t, struct task_struct *p,
			   struct mm_struct *mm)
{
	t->pid = task_pid_nr(p);
	t->tgid = task_tgid_nr(p);
	t->uid = from_kuid_munged(&init_user_ns, task_uid(p));
	t->oom_score_adj = READ_ONCE(p->signal->oom_score_adj);
	strscpy(t->comm, p->comm, sizeof(t->comm));
	if (t->oom_score_adj == OOM_SCORE_ADJ_MIN)
		t->flags |= OOMSNAP_TASK_OOM_UNKILLABLE;
	if (p->flags & PF_KTHREAD)
		t->flags |= OOMSNAP_TASK_KTHREAD;
	if (!mm)
		return;
	t->total_vm = READ_ONCE(mm->total_vm);
	t->rss_anon = get_mm_counter(mm, MM_ANONPAGES);
	t->rss_file = get_mm_counter(mm, MM_FILEPAGES);
	t->rss_shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	t->swapents = get_mm_counter(mm, MM_SWAPENTS);
	t->pgtables_bytes = mm_pgtables_bytes(mm);
}

/* Whether @mask names no node past 63 (NULL: all nodes). */
static bool nodemask_fits(const nodemask_t *mask)
{
	return !mask ||
	       find_next_bit(nodes_addr(*mask), MAX_NUMNODES, 64) >= MAX_NUMNODES;
}

static void capture_request(struct oomsnap_record *rec,
			    const struct oomsnap_request *req)
{
	rec->type = req->type;
	rec->cpu = raw_smp_processor_id();
	rec->time_ns = local_clock();
	rec->realtime_ns = ktime_get_real_fast_ns();
	rec->page_size = PAGE_SIZE;
	rec->kernel_era = (LINUX_VERSION_MAJOR << 16) |
			  (LINUX_VERSION_PATCHLEVEL << 8);
	rec->in_irq = !in_task();
	rec->order = -1;
	rec->constraint = OOMSNAP_CONSTRAINT_UNKNOWN;

	if (req->have_gfp) {
		rec->gfp_raw = (__force u64)req->gfp;
		rec->gfp = oomsnap_gfp_translate(req->gfp);
		rec->order = req->order;
		rec->have |= OOMSNAP_HAVE_GFP | OOMSNAP_HAVE_ORDER;
		/* sysrq-f asks with gfp 0: there is no request to place */
		if (req->gfp) {
			rec->highest_zone = oomsnap_gfp_highest_zone(req->gfp);
			rec->have |= OOMSNAP_HAVE_HIGHEST_ZONE;
		}
	}
	/*
	 * The record holds nodes 0..63 (0: all): a mask that names a node
	 * past them can't be written, and none is better than a wrong one.
	 */
	if (req->have_nodemask && nodemask_fits(req->nodemask)) {
		rec->nodemask = 0;
		if (req->nodemask)
			bitmap_to_arr64(&rec->nodemask, nodes_addr(*req->nodemask),
					min(MAX_NUMNODES, 64));
		rec->have |= OOMSNAP_HAVE_NODEMASK;
	}
	if (req->type == OOMSNAP_EVENT_MEMCG_OOM) {
		rec->constraint = OOMSNAP_CONSTRAINT_MEMCG;
		rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	}

	/* In an IRQ, current is whoever was interrupted: no mm counters. */
	oomsnap_describe_task(&rec->task, current,
			      in_task() ? READ_ONCE(current->mm) : NULL);
	rec->have |= OOMSNAP_HAVE_TASK;
}

/* ---------------------------------------------------------------------- */
/* Stack of the request, symbolised: no raw addresses leave the kernel */

#define STACK_SCRATCH	(OOMSNAP_STACK_DEPTH + 16)

void oomsnap_capture_stack(struct oomsnap_record *rec)
{
	unsigned long entries[STACK_SCRATCH];
	unsigned int n, i, depth = 0;

	n = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	/* our own frames say nothing about the request */
	for (i = 0; i < n && within_module(entries[i], THIS_MODULE); i++)
		;
	for (; i < n && depth < OOMSNAP_STACK_DEPTH; i++) {
		char *sym = rec->stack[depth];

		snprintf(sym, OOMSNAP_SYM_LEN, "%pS", (void *)entries[i]);
		/* %pS falls back to the bare address for unknown text */
		if (!strncmp(sym, "0x", 2))
			strscpy(sym, "?", OOMSNAP_SYM_LEN);
		depth++;
	}
	rec->stack_depth = depth;
	rec->stack_status = OOMSNAP_OK;
	rec->have |= OOMSNAP_HAVE_STACK;
}

/* ---------------------------------------------------------------------- */
/* Memory cgroup */

static u64 counter_limit(unsigned long max)
{
	return max >= PAGE_COUNTER_MAX ? ~0ULL : max;
}

void oomsnap_capture_memcg(struct oomsnap_record *rec,
			   struct mem_cgroup *memcg, bool may_spin)
{
#ifdef CONFIG_MEMCG
	/*
	 * The root memcg has no limit and cgroup v2 does not charge it:
	 * its usage would read 0. No memcg data beats a wrong one.
	 */
	if (!memcg || !memcg->css.parent)
		return;
	/* cgroup_path() -> kernfs_path(): irq-safe rwlock, no allocation */
	if (!may_spin || cgroup_path(memcg->css.cgroup, rec->memcg_path,
				     sizeof(rec->memcg_path)) < 0)
		rec->memcg_path[0] = '\0';
	rec->memcg_usage = page_counter_read(&memcg->memory);
	rec->memcg_limit = counter_limit(READ_ONCE(memcg->memory.max));
	if (cgroup_subsys_on_dfl(memory_cgrp_subsys)) {
		rec->memcg_swap_usage = page_counter_read(&memcg->swap);
		rec->memcg_swap_limit = counter_limit(READ_ONCE(memcg->swap.max));
	} else {
		/*
		 * cgroup v1 charges memory+swap together (memsw): swap used
		 * is memsw minus memory, and what is left of the memsw limit
		 * once memory is full is the swap the group may still use.
		 */
		unsigned long memsw = page_counter_read(&memcg->memsw);
		unsigned long memsw_max = READ_ONCE(memcg->memsw.max);
		unsigned long mem_max = READ_ONCE(memcg->memory.max);

		rec->memcg_swap_usage = memsw > rec->memcg_usage ?
					memsw - rec->memcg_usage : 0;
		rec->memcg_swap_limit = memsw_max >= PAGE_COUNTER_MAX ? ~0ULL :
					memsw_max - min(memsw_max, mem_max);
	}
	rec->have |= OOMSNAP_HAVE_MEMCG;
#endif
}

/* The memcg of the current task, for events that are not memcg OOMs. */
static void capture_current_memcg(struct oomsnap_record *rec, bool may_spin)
{
#ifdef CONFIG_MEMCG
	if (!in_task() || mem_cgroup_disabled())
		return;
	rcu_read_lock();
	oomsnap_capture_memcg(rec, mem_cgroup_from_task(current), may_spin);
	rcu_read_unlock();
#endif
}

/* ---------------------------------------------------------------------- */
/* Zones */

/*
 * Columns of nr_free_mt[][] are enum oomsnap_migratetype: the kernel's
 * order with MIGRATE_CMA kept at its index even without CONFIG_CMA (which
 * otherwise shifts MIGRATE_ISOLATE down by one).
 */
int oomsnap_mt_column(int mt)
{
	switch (mt) {
	case MIGRATE_UNMOVABLE:
		return OOMSNAP_MT_UNMOVABLE;
	case MIGRATE_MOVABLE:
		return OOMSNAP_MT_MOVABLE;
	case MIGRATE_RECLAIMABLE:
		return OOMSNAP_MT_RECLAIMABLE;
	case MIGRATE_HIGHATOMIC:
		return OOMSNAP_MT_HIGHATOMIC;
#ifdef CONFIG_CMA
	case MIGRATE_CMA:
		return OOMSNAP_MT_CMA;
#endif
#ifdef CONFIG_MEMORY_ISOLATION
	case MIGRATE_ISOLATE:
		return OOMSNAP_MT_ISOLATE;
#endif
	default:
		return -1;
	}
}

static u32 count_list(struct list_head *head, unsigned int limit,
		      bool *capped)
{
	struct list_head *pos;
	u32 n = 0;

	list_for_each(pos, head) {
		if (n == limit) {
			*capped = true;
			break;
		}
		n++;
	}
	return n;
}

static void capture_free_lists(struct oomsnap_zone *z, struct zone *zone,
			       const struct oomsnap_capture_limits *lim)
{
	unsigned int order, nr_orders, walk_limit = lim->walk_limit;
	unsigned long flags;
	u64 locked, held;
	int mt, col;

	nr_orders = min_t(unsigned int, OOMSNAP_NR_PAGE_ORDERS,
			  OOMSNAP_MAX_ORDERS);
	z->nr_orders = nr_orders;
	z->have |= OOMSNAP_ZONE_HAVE_BUDDY;
	if (walk_limit) {
		z->nr_migratetypes = OOMSNAP_MT_NR;
		z->have |= OOMSNAP_ZONE_HAVE_MT;
	}

	/*
	 * One order at a time: IRQs stay off for one bounded walk only, at
	 * most MIGRATE_TYPES * walk_limit list entries (as /proc/pagetypeinfo,
	 * which caps each list at 100000 and drops the lock between orders).
	 */
	for (order = 0; order < nr_orders; order++) {
		struct free_area *area = &zone->free_area[order];

		if (lim->may_spin) {
			spin_lock_irqsave(&zone->lock, flags);
		} else if (!spin_trylock_irqsave(&zone->lock, flags)) {
			/* maybe held by this CPU: the count alone, no walk */
			z->nr_free[order] = READ_ONCE(area->nr_free);
			for (col = 0; walk_limit && col < OOMSNAP_MT_NR; col++)
				z->mt_capped[order] |= 1U << col;
			continue;
		}
		locked = local_clock();
		z->nr_free[order] = area->nr_free;
		for (mt = 0; walk_limit && mt < MIGRATE_TYPES; mt++) {
			bool capped = false;

			col = oomsnap_mt_column(mt);
			if (col < 0)
				continue;
			z->nr_free_mt[order][col] =
				count_list(&area->free_list[mt], walk_limit,
					   &capped);
			if (capped)
				z->mt_capped[order] |= 1U << col;
		}
		held = local_clock() - locked;
		spin_unlock_irqrestore(&zone->lock, flags);
		oomsnap_stats_peak(OOMSNAP_PEAK_ZONE_LOCK_NS, held);
		oomsnap_stats_peak(OOMSNAP_PEAK_IRQOFF_NS, held);
	}
}

void oomsnap_capture_zone_marks(struct oomsnap_zone *z, struct zone *zone,
				int nid)
{
	unsigned int i;

	z->node = nid;
	z->zone_type = oomsnap_zone_type(zone_idx(zone));
	strscpy(z->name, zone->name, sizeof(z->name));

	z->free = zone_page_state(zone, NR_FREE_PAGES);
	z->wmark_min = READ_ONCE(zone->_watermark[WMARK_MIN]);
	z->wmark_low = READ_ONCE(zone->_watermark[WMARK_LOW]);
	z->wmark_high = READ_ONCE(zone->_watermark[WMARK_HIGH]);
	z->wmark_boost = READ_ONCE(zone->watermark_boost);
	z->reserved_highatomic = READ_ONCE(zone->nr_reserved_highatomic);
	z->managed = zone_managed_pages(zone);
	z->present = READ_ONCE(zone->present_pages);
	z->spanned = READ_ONCE(zone->spanned_pages);
	/* the record indexes lowmem_reserve[] by enum oomsnap_zone_type */
	for (i = 0; i < MAX_NR_ZONES; i++)
		z->lowmem_reserve[oomsnap_zone_type(i)] =
			READ_ONCE(zone->lowmem_reserve[i]);
	z->vmstat[OOMSNAP_ZV_FREE_CMA] =
		zone_page_state(zone, NR_FREE_CMA_PAGES);
#ifdef OOMSNAP_HAVE_NR_FREE_HIGHATOMIC
	z->vmstat[OOMSNAP_ZV_FREE_HIGHATOMIC] =
		READ_ONCE(zone->nr_free_highatomic);
	z->have |= OOMSNAP_ZONE_HAVE_FREE_HIGHATOMIC;
#endif
	z->have |= OOMSNAP_ZONE_HAVE_FREE | OOMSNAP_ZONE_HAVE_WMARK |
		   OOMSNAP_ZONE_HAVE_BOOST | OOMSNAP_ZONE_HAVE_HIGHATOMIC |
		   OOMSNAP_ZONE_HAVE_RESERVE | OOMSNAP_ZONE_HAVE_MANAGED |
		   OOMSNAP_ZONE_HAVE_PRESENT | OOMSNAP_ZONE_HAVE_CMA;
}

/* A zone's vmstat columns: OOMSNAP_ZV_* <- the zone's counter. */
static const struct {
	u8 col;
	u8 item;
} zone_vmstat[] = {
	{ OOMSNAP_ZV_INACTIVE_ANON,	NR_ZONE_INACTIVE_ANON },
	{ OOMSNAP_ZV_ACTIVE_ANON,	NR_ZONE_ACTIVE_ANON },
	{ OOMSNAP_ZV_INACTIVE_FILE,	NR_ZONE_INACTIVE_FILE },
	{ OOMSNAP_ZV_ACTIVE_FILE,	NR_ZONE_ACTIVE_FILE },
	{ OOMSNAP_ZV_UNEVICTABLE,	NR_ZONE_UNEVICTABLE },
	{ OOMSNAP_ZV_WRITE_PENDING,	NR_ZONE_WRITE_PENDING },
	{ OOMSNAP_ZV_MLOCK,		NR_MLOCK },
	{ OOMSNAP_ZV_BOUNCE,		NR_BOUNCE },
};

/* A capture's filler for oomsnap_fill_zones(): @arg is its limits. */
static void capture_zone(struct oomsnap_zone *z, struct zone *zone, int nid,
			 const void *arg)
{
	const struct oomsnap_capture_limits *lim = arg;
	size_t i;

	oomsnap_capture_zone_marks(z, zone, nid);
	for (i = 0; i < ARRAY_SIZE(zone_vmstat); i++)
		z->vmstat[zone_vmstat[i].col] =
			zone_page_state(zone, zone_vmstat[i].item);
	z->have |= OOMSNAP_ZONE_HAVE_VMSTAT;

	capture_free_lists(z, zone, lim);
}

struct zone *oomsnap_next_zone(struct zone *zone, int *nid)
{
	int n;

	if (zone) {
		n = *nid;
		zone++;
	} else {
		n = first_online_node;
		zone = NODE_DATA(n)->node_zones;
	}
	for (;;) {
		for (; zone < NODE_DATA(n)->node_zones + MAX_NR_ZONES; zone++) {
			if (populated_zone(zone)) {
				*nid = n;
				return zone;
			}
		}
		n = next_online_node(n);
		if (n >= MAX_NUMNODES)
			return NULL;
		zone = NODE_DATA(n)->node_zones;
	}
}

unsigned int oomsnap_populated_zones(void)
{
	struct zone *zone;
	unsigned int n = 0;
	int nid;

	for (zone = oomsnap_next_zone(NULL, &nid); zone;
	     zone = oomsnap_next_zone(zone, &nid))
		n++;
	return n;
}

void oomsnap_fill_zones(struct oomsnap_record *rec,
			void (*fill)(struct oomsnap_zone *z, struct zone *zone,
				     int nid, const void *arg),
			const void *arg)
{
	struct zone *zone;
	int nid;

	for (zone = oomsnap_next_zone(NULL, &nid); zone;
	     zone = oomsnap_next_zone(zone, &nid)) {
		if (rec->nr_zones == OOMSNAP_MAX_ZONES) {
			rec->zones_omitted++;
			continue;
		}
		fill(&rec->zones[rec->nr_zones++], zone, nid, arg);
	}
	rec->have |= OOMSNAP_HAVE_ZONES;
}

void oomsnap_capture_zones(struct oomsnap_record *rec,
			   const struct oomsnap_capture_limits *lim)
{
	oomsnap_fill_zones(rec, capture_zone, lim);
	rec->walk_limit = lim->walk_limit;
}

/* ---------------------------------------------------------------------- */
/* Global memory by consumer */

struct zone_sums {
	u64 free_pcp;
	u64 reserved;
};

static void sum_zones(struct zone_sums *s)
{
	unsigned long present, managed;
	struct zone *zone;
	int nid, cpu;

	for (zone = oomsnap_next_zone(NULL, &nid); zone;
	     zone = oomsnap_next_zone(zone, &nid)) {
		present = READ_ONCE(zone->present_pages);
		managed = zone_managed_pages(zone);
		if (present > managed)
			s->reserved += present - managed;
		for_each_online_cpu(cpu) {
			struct per_cpu_pages *pcp =
				per_cpu_ptr(zone->per_cpu_pageset, cpu);

			s->free_pcp += max(0, READ_ONCE(pcp->count));
		}
	}
}

static bool hugetlb_pages(u64 *total, u64 *free)
{
#ifdef CONFIG_HUGETLB_PAGE
	struct hstate *h;
	int i, n;

	if (!oomsnap_syms.hstates || !oomsnap_syms.hugetlb_max_hstate)
		return false;
	*total = 0;
	*free = 0;
	n = min(READ_ONCE(*oomsnap_syms.hugetlb_max_hstate), HUGE_MAX_HSTATE);
	for (i = 0; i < n; i++) {
		h = &oomsnap_syms.hstates[i];
		*total += (u64)READ_ONCE(h->nr_huge_pages) << huge_page_order(h);
		*free += (u64)READ_ONCE(h->free_huge_pages) << huge_page_order(h);
	}
	return true;
#else
	*total = 0;
	*free = 0;
	return true;
#endif
}

/* Counters every kernel exports: mem[] slot <- node or zone vmstat item. */
static const struct {
	u8 item;
	u8 stat;
} node_stats[] = {
	{ OOMSNAP_MEM_ACTIVE_ANON,		NR_ACTIVE_ANON },
	{ OOMSNAP_MEM_INACTIVE_ANON,		NR_INACTIVE_ANON },
	{ OOMSNAP_MEM_ACTIVE_FILE,		NR_ACTIVE_FILE },
	{ OOMSNAP_MEM_INACTIVE_FILE,		NR_INACTIVE_FILE },
	{ OOMSNAP_MEM_UNEVICTABLE,		NR_UNEVICTABLE },
	{ OOMSNAP_MEM_SHMEM,			NR_SHMEM },
	{ OOMSNAP_MEM_DIRTY,			NR_FILE_DIRTY },
	{ OOMSNAP_MEM_WRITEBACK,		NR_WRITEBACK },
	{ OOMSNAP_MEM_MAPPED,			NR_FILE_MAPPED },
	{ OOMSNAP_MEM_PAGETABLES,		NR_PAGETABLE },
	{ OOMSNAP_MEM_SECONDARY_PAGETABLES,	NR_SECONDARY_PAGETABLE },
	{ OOMSNAP_MEM_ANON_THP,			NR_ANON_THPS },
#ifdef CONFIG_SWAP
	{ OOMSNAP_MEM_SWAP_CACHED,		NR_SWAPCACHE },
#endif
}, zone_stats[] = {
	{ OOMSNAP_MEM_FREE,			NR_FREE_PAGES },
	{ OOMSNAP_MEM_MLOCKED,			NR_MLOCK },
	{ OOMSNAP_MEM_BOUNCE,			NR_BOUNCE },
	{ OOMSNAP_MEM_FREE_CMA,			NR_FREE_CMA_PAGES },
};

/* vm_commit_limit(), from its inputs; false when one is out of reach. */
static bool commit_limit(const struct oomsnap_record *rec, u64 *limit)
{
	if (!oomsnap_syms.sysctl_overcommit_ratio ||
	    !oomsnap_syms.sysctl_overcommit_kbytes)
		return false;
	return oomsnap_mem_commit_limit(rec,
			READ_ONCE(*oomsnap_syms.sysctl_overcommit_kbytes),
			READ_ONCE(*oomsnap_syms.sysctl_overcommit_ratio), limit);
}

void oomsnap_capture_mem(struct oomsnap_record *rec)
{
	const struct oomsnap_symbols *sy = &oomsnap_syms;
	struct zone_sums zs = {};
	u64 huge_total, huge_free, limit, misc, unacc;
	size_t i;

	oomsnap_mem_set(rec, OOMSNAP_MEM_TOTALRAM, totalram_pages());
	for (i = 0; i < ARRAY_SIZE(node_stats); i++)
		oomsnap_mem_set(rec, node_stats[i].item,
				global_node_page_state(node_stats[i].stat));
	for (i = 0; i < ARRAY_SIZE(zone_stats); i++)
		oomsnap_mem_set(rec, zone_stats[i].item,
				global_zone_page_state(zone_stats[i].stat));
	/* these two count bytes, and stacks count KiB */
	oomsnap_mem_set(rec, OOMSNAP_MEM_SLAB_RECLAIMABLE,
			global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B));
	oomsnap_mem_set(rec, OOMSNAP_MEM_SLAB_UNRECLAIMABLE,
			global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B));
	oomsnap_mem_set(rec, OOMSNAP_MEM_KERNEL_STACK,
			global_node_page_state(NR_KERNEL_STACK_KB) >>
			(PAGE_SHIFT - 10));
	oomsnap_mem_set(rec, OOMSNAP_MEM_ISOLATED,
			global_node_page_state(NR_ISOLATED_ANON) +
			global_node_page_state(NR_ISOLATED_FILE));

	sum_zones(&zs);
	oomsnap_mem_set(rec, OOMSNAP_MEM_FREE_PCP, zs.free_pcp);
	oomsnap_mem_set(rec, OOMSNAP_MEM_RESERVED, zs.reserved);

	if (sy->pcpu_nr_populated && sy->pcpu_nr_units)
		oomsnap_mem_set(rec, OOMSNAP_MEM_PERCPU,
				(u64)READ_ONCE(*sy->pcpu_nr_populated) *
				READ_ONCE(*sy->pcpu_nr_units));
	if (sy->nr_vmalloc_pages)
		oomsnap_mem_set(rec, OOMSNAP_MEM_VMALLOC,
				atomic_long_read(sy->nr_vmalloc_pages));
	if (hugetlb_pages(&huge_total, &huge_free)) {
		oomsnap_mem_set(rec, OOMSNAP_MEM_HUGETLB_TOTAL, huge_total);
		oomsnap_mem_set(rec, OOMSNAP_MEM_HUGETLB_FREE, huge_free);
	}
#ifdef CONFIG_SWAP
	if (sy->total_swap_pages)
		oomsnap_mem_set(rec, OOMSNAP_MEM_SWAP_TOTAL,
				max(0L, READ_ONCE(*sy->total_swap_pages)));
	oomsnap_mem_set(rec, OOMSNAP_MEM_SWAP_FREE, max(0L, get_nr_swap_pages()));
#else
	oomsnap_mem_set(rec, OOMSNAP_MEM_SWAP_TOTAL, 0);
	oomsnap_mem_set(rec, OOMSNAP_MEM_SWAP_FREE, 0);
	oomsnap_mem_set(rec, OOMSNAP_MEM_SWAP_CACHED, 0);
#endif
	oomsnap_mem_set(rec, OOMSNAP_MEM_COMMITTED, vm_memory_committed());
	if (commit_limit(rec, &limit))
		oomsnap_mem_set(rec, OOMSNAP_MEM_COMMIT_LIMIT, limit);

	/* NR_KERNEL_MISC_RECLAIMABLE has no slot of its own */
	misc = global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE);
	if (oomsnap_mem_unaccounted(rec, rec->mem[OOMSNAP_MEM_TOTALRAM], misc,
				    IS_ENABLED(CONFIG_VMAP_STACK), &unacc))
		oomsnap_mem_set(rec, OOMSNAP_MEM_UNACCOUNTED, unacc);
	rec->nr_mem = OOMSNAP_MEM_NR;
}

/* ---------------------------------------------------------------------- */
/* Top slab caches by bytes: see slabs.c */

void oomsnap_capture_slabs(struct oomsnap_record *rec, bool may_lock)
{
	oomsnap_slabs_capture(rec, may_lock);
}

/* ---------------------------------------------------------------------- */

void oomsnap_capture(struct oomsnap_record *rec,
		     const struct oomsnap_request *req,
		     const struct oomsnap_capture_limits *lim)
{
	capture_request(rec, req);
	oomsnap_capture_stack(rec);
	if (req->memcg)
		oomsnap_capture_memcg(rec, req->memcg, lim->may_spin);
	else
		capture_current_memcg(rec, lim->may_spin);
	oomsnap_capture_zones(rec, lim);
	oomsnap_capture_mem(rec);
	oomsnap_capture_tasks(rec, req->memcg, req->may_lock && lim->may_spin,
			      lim->task_scan_limit);
	oomsnap_capture_slabs(rec, req->may_lock && lim->may_spin);
	oomsnap_capture_xen(rec);
}
