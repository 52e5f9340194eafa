// SPDX-License-Identifier: GPL-2.0
/*
 * Why did memory run out? One answer per event, from a struct
 * oomsnap_record (a snapshot, or a parsed kernel log with "have" bits).
 * This file holds the rules; diag_zones.c the request and the watermark
 * checks, diag_consumers.c who holds memory, swap and Xen.
 *
 * Rules, first match wins (the cause ids of docs/causes.md):
 *
 *  1. memcg_limit   the event is a memcg OOM (or its constraint is memcg):
 *                   the cgroup's charge failed, host memory is irrelevant.
 *                   Also an allocation failure of a __GFP_ACCOUNT request
 *                   whose cgroup had no room for it while a zone the
 *                   request may use passed the watermark check (or no zone
 *                   lines say otherwise): the allocator found the page,
 *                   then the memcg charge failed and the page was freed,
 *                   which the allocator's tracepoint reports as a NULL
 *                   page all the same.
 *  2. constrained   constraint cpuset/mempolicy: the request could only use
 *                   some nodes; free memory elsewhere is listed.
 *  3. cma          every zone the request may use fails the order-0 check
 *                   only because its free pages are CMA a non-movable
 *                   request may not use (without gfp: assumed non-movable).
 *  4. lowmem        gfp known; every zone the request may use (zone type <=
 *                   gfp_zone(), allowed node) fails the order-0 watermark
 *                   check (for an OOM: at the high watermark, as the OOM
 *                   killer's last attempt does; for order 0 plus the
 *                   largest boost, which kswapd may have dropped before the
 *                   zones were printed) while zones it may not use
 *                   (HighMem, Movable, above gfp_zone(); or zones a log
 *                   leaves out) hold free memory above their min. When one
 *                   consumer (rule 7) holds most of those zones, it is the
 *                   cause and lowmem contributes; else the leading one
 *                   contributes.
 *  5. fragmentation order > 0 known; some eligible zone passes the order-0
 *                   part of __zone_watermark_ok() but no eligible zone
 *                   passes the whole check for the order (cma when the
 *                   blocks of that order are all CMA). Without zone lines,
 *                   buddy lines alone: no block of the order among plenty
 *                   of smaller ones, or only CMA blocks of it.
 *  6. no_reclaim    gfp known; the request could not reclaim (atomic,
 *                   NOWAIT) or only partly (NOIO, NOFS), it failed, and
 *                   reclaimable pages (file LRU, reclaimable slab) covered
 *                   what the zones lacked.
 *  7. a consumer    the largest of slab_unreclaimable, kernel_unaccounted,
 *                   mlocked, shmem (plus unevictable pages not mlocked:
 *                   ramfs, SHM_LOCK), hugetlb (the whole pool: free huge
 *                   pages are not free memory), cma (free CMA pages a
 *                   non-movable request may not use) when it holds at least
 *                   a third of the memory the request could use (the
 *                   eligible zones when HighMem/Movable hold free memory
 *                   the request may not use, else all RAM).
 *  8. exhausted     otherwise, when user memory (the LRU lists) fills at
 *                   least half of RAM.
 *  9. unknown       nothing above could be decided from the input; the
 *                   victim, when the input shows one, is the evidence.
 *
 * Contributing: other consumers above a tenth of that memory, no_swap (swap
 * total 0), swap_full (swap free <= 2% of total), overcommit (committed >
 * RAM + swap). Every rule that fires adds evidence; every check that
 * could not be made adds a "missing" line. Watermark checks use the min
 * watermark plus boost, as the allocator's slow path does, and
 * oomsnap_zone_watermark_ok() for the record's kernel era.
 */
#include "diag.h"

static __printf(3, 0)
void add_line(char (*lines)[OOMSNAP_DIAG_LINE_LEN], unsigned int *nr,
	      const char *fmt, va_list ap)
{
	if (*nr >= OOMSNAP_DIAG_MAX_LINES)
		return;
	vsnprintf(lines[*nr], OOMSNAP_DIAG_LINE_LEN, fmt, ap);
	(*nr)++;
}

void evidence(struct diag_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(c->diag->evidence, &c->diag->nr_evidence, fmt, ap);
	va_end(ap);
}

void missing(struct diag_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(c->diag->missing, &c->diag->nr_missing, fmt, ap);
	va_end(ap);
}

/* What an event shows when nothing else settles it: whom it killed. */
static void victim_evidence(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	const struct oomsnap_task *v = &rec->victim;

	if (!(rec->have & OOMSNAP_HAVE_VICTIM))
		return;
	evidence(c,
		 "killed %.*s (%d): total-vm %llukB, anon-rss %llukB, file-rss %llukB, shmem-rss %llukB%s%s",
		 (int)sizeof(v->comm), v->comm, v->pid, kb(c, v->total_vm),
		 kb(c, v->rss_anon), kb(c, v->rss_file), kb(c, v->rss_shmem),
		 (rec->have & OOMSNAP_HAVE_CONSTRAINT) ? ", constraint " : "",
		 (rec->have & OOMSNAP_HAVE_CONSTRAINT) ?
		 oomsnap_constraint_name(rec->constraint) : "");
}

/* Functions only a memory cgroup's charge or its OOM pass through. */
static const char * const memcg_path_syms[] = {
	"mem_cgroup_out_of_memory", "mem_cgroup_oom_synchronize",
	"try_charge", "try_charge_memcg", "mem_cgroup_charge",
	"mem_cgroup_try_charge", "charge_memcg", "obj_cgroup_charge",
	"memcg_kmem_charge", "memcg_kmem_charge_page",
};

const char *oomsnap_memcg_trace(const struct oomsnap_record *rec)
{
	unsigned int i, j;

	if (!(rec->have & OOMSNAP_HAVE_STACK))
		return NULL;
	for (i = 0; i < rec->stack_depth && i < OOMSNAP_STACK_DEPTH; i++) {
		const char *s = rec->stack[i];
		size_t n = 0;

		while (*s == '_')
			s++;
		while (n < OOMSNAP_SYM_LEN - 1 && s[n] && s[n] != '+' && s[n] != '.')
			n++;
		for (j = 0; j < ARRAY_SIZE(memcg_path_syms); j++)
			if (strlen(memcg_path_syms[j]) == n &&
			    !memcmp(s, memcg_path_syms[j], n))
				return memcg_path_syms[j];
		/* the memcg OOM of a page fault (3.x-5.x): gfp_mask=0 */
		if (n == 23 && !memcmp(s, "pagefault_out_of_memory", n) &&
		    (rec->have & OOMSNAP_HAVE_GFP) && !rec->gfp_raw)
			return "pagefault_out_of_memory";
	}
	return NULL;
}

static void memcg_verdict(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 host_free;

	c->diag->cause = OOMSNAP_CAUSE_MEMCG_LIMIT;
	if (!(rec->have & OOMSNAP_HAVE_MEMCG)) {
		const char *sym = oomsnap_memcg_trace(rec);

		if (sym)
			evidence(c,
				 "call trace through %s: a memory cgroup's limit (memory or kmem) failed the charge, not a host shortage",
				 sym);
		evidence(c,
			 "memory cgroup OOM: the cgroup's charge failed, not the page allocator");
		victim_evidence(c);
		missing(c, "memcg path, usage and limit not in input");
		return;
	}
	if (rec->memcg_limit == ~0ULL)
		evidence(c,
			 "memory cgroup %s: usage %llukB, limit max: an ancestor's limit or memory.high pressure",
			 rec->memcg_path[0] ? rec->memcg_path : "?",
			 kb(c, rec->memcg_usage));
	else
		evidence(c,
			 "memory cgroup %s: usage %llukB of limit %llukB (%u%%): the cgroup's charge failed",
			 rec->memcg_path[0] ? rec->memcg_path : "?",
			 kb(c, rec->memcg_usage), kb(c, rec->memcg_limit),
			 pct(rec->memcg_usage, rec->memcg_limit));
	if (rec->memcg_swap_limit && rec->memcg_swap_limit != ~0ULL)
		evidence(c, "memory cgroup swap: %llukB of limit %llukB",
			 kb(c, rec->memcg_swap_usage),
			 kb(c, rec->memcg_swap_limit));
	if (mem_get(rec, OOMSNAP_MEM_FREE, &host_free))
		evidence(c, "host free memory at the time: %llukB (not available to the cgroup)",
			 kb(c, host_free));
}

static bool constrained_verdict(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 outside = 0;
	unsigned int i;

	if (!(rec->have & OOMSNAP_HAVE_CONSTRAINT) ||
	    (rec->constraint != OOMSNAP_CONSTRAINT_CPUSET &&
	     rec->constraint != OOMSNAP_CONSTRAINT_MEMORY_POLICY))
		return false;

	c->diag->cause = OOMSNAP_CAUSE_CONSTRAINED;
	for (i = 0; i < nr_zones(rec); i++) {
		const struct oomsnap_zone *z = &rec->zones[i];

		if (zone_checkable(z) && !node_allowed(rec, z->node) &&
		    z->free > zone_mark(z))
			outside += z->free - zone_mark(z);
	}
	evidence(c, "OOM constraint %s: the request could only use nodes %s%llx",
		 oomsnap_constraint_name(rec->constraint),
		 rec->nodemask ? "0x" : "(mask not captured) ", rec->nodemask);
	if (outside)
		evidence(c, "free memory above min on nodes it could not use: %llukB",
			 kb(c, outside));
	else if (!(rec->have & OOMSNAP_HAVE_NODEMASK) || !rec->nodemask)
		missing(c, "nodemask not in input: can't show the free memory on other nodes");
	return true;
}

/*
 * Pages reclaim could have freed for this request: the file LRU and
 * reclaimable slab. False when the input shows neither.
 */
static bool reclaimable_pages(const struct diag_ctx *c, __u64 *out)
{
	const struct oomsnap_record *rec = c->rec;
	bool known = false;
	__u64 v;

	*out = 0;
	if (mem_get(rec, OOMSNAP_MEM_ACTIVE_FILE, &v)) {
		*out += v;
		known = true;
	}
	if (mem_get(rec, OOMSNAP_MEM_INACTIVE_FILE, &v)) {
		*out += v;
		known = true;
	}
	if (!known && diag_zone_sum(c, OOMSNAP_ZONE_HAVE_VMSTAT,
				    OOMSNAP_ZV_INACTIVE_FILE, true, &v)) {
		*out += v;
		if (diag_zone_sum(c, OOMSNAP_ZONE_HAVE_VMSTAT,
				  OOMSNAP_ZV_ACTIVE_FILE, true, &v))
			*out += v;
		known = true;
	}
	if (mem_get(rec, OOMSNAP_MEM_SLAB_RECLAIMABLE, &v)) {
		*out += v;
		known = true;
	}
	return known;
}

/* What the eligible zones lacked: the sum of (min - free) where below. */
static __u64 eligible_shortfall(const struct diag_ctx *c)
{
	__u64 sum = 0;
	unsigned int i;

	for (i = 0; i < nr_zones(c->rec); i++) {
		const struct oomsnap_zone *z = &c->rec->zones[i];

		if (zone_checkable(z) && zone_eligible(c, z) &&
		    z->free < zone_mark(z))
			sum += zone_mark(z) - z->free;
	}
	return sum;
}

/*
 * Blocks of @order and above in @z: 1 when there are some and every such
 * order shows only the CMA migratetype ("(C)"), 0 when some are on other
 * lists, -1 when there are none or the letters are unknown.
 */
static int high_blocks_cma_only(const struct oomsnap_zone *z, int order)
{
	unsigned int o, mt;
	bool any = false;

	if (!(z->have & OOMSNAP_ZONE_HAVE_BUDDY) || order < 0)
		return -1;
	for (o = (unsigned int)order; o < z->nr_orders && o < OOMSNAP_MAX_ORDERS; o++) {
		if (!z->nr_free[o])
			continue;
		if (!(z->have & OOMSNAP_ZONE_HAVE_MT))
			return -1;
		for (mt = 0; mt < OOMSNAP_MT_NR; mt++)
			if (mt != OOMSNAP_MT_CMA && z->nr_free_mt[o][mt])
				return 0;
		any = true;
	}
	return any ? 1 : -1;
}

/* Eligible zones whose blocks of the request's order are all CMA. */
static bool large_blocks_cma_only(const struct diag_ctx *c)
{
	unsigned int i;
	bool any = false;

	if (c->alloc_flags & OOMSNAP_ALLOC_CMA)
		return false;
	for (i = 0; i < nr_zones(c->rec); i++) {
		const struct oomsnap_zone *z = &c->rec->zones[i];
		int r;

		if (!zone_eligible(c, z))
			continue;
		r = high_blocks_cma_only(z, c->order);
		if (!r)
			return false;
		if (r > 0)
			any = true;
	}
	return any;
}

/* Another zone the request may use, above DMA, shows buddy lines. */
static bool buddy_zone_above_dma(const struct diag_ctx *c)
{
	unsigned int i;

	for (i = 0; i < nr_zones(c->rec); i++) {
		const struct oomsnap_zone *z = &c->rec->zones[i];

		if (z->zone_type > OOMSNAP_ZONE_DMA && zone_eligible(c, z) &&
		    (z->have & OOMSNAP_ZONE_HAVE_BUDDY))
			return true;
	}
	return false;
}

/* Free blocks of @o in @z on a list the request may take from. */
static bool order_usable(const struct diag_ctx *c, const struct oomsnap_zone *z,
			 unsigned int o)
{
	const __u32 *mt = z->nr_free_mt[o];

	if (!(z->have & OOMSNAP_ZONE_HAVE_MT))
		return true;
	if (mt[OOMSNAP_MT_UNMOVABLE] || mt[OOMSNAP_MT_MOVABLE] ||
	    mt[OOMSNAP_MT_RECLAIMABLE])
		return true;
	if (mt[OOMSNAP_MT_CMA] && (c->alloc_flags & OOMSNAP_ALLOC_CMA))
		return true;
	return mt[OOMSNAP_MT_HIGHATOMIC] &&
	       (c->alloc_flags & (OOMSNAP_ALLOC_HARDER | OOMSNAP_ALLOC_HIGHATOMIC |
				  OOMSNAP_ALLOC_NON_BLOCK | OOMSNAP_ALLOC_OOM));
}

/*
 * Buddy lines without zone lines (an excerpt): with the order known, no
 * block of that order among plenty of smaller ones is fragmentation; only
 * CMA blocks of that order is cma for a request that may not use them.
 */
static bool buddy_only_verdict(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 small = 0, large = 0, unusable = 0;
	bool skipped_dma = false;
	unsigned int i, o;

	if (c->nr_zones || !c->have_order || c->order <= 0)
		return false;
	for (i = 0; i < nr_zones(rec); i++) {
		const struct oomsnap_zone *z = &rec->zones[i];

		if (!zone_eligible(c, z) || !(z->have & OOMSNAP_ZONE_HAVE_BUDDY))
			continue;
		/* DMA's lowmem_reserve keeps it from requests for higher zones */
		if (z->zone_type == OOMSNAP_ZONE_DMA && c->highest > OOMSNAP_ZONE_DMA &&
		    buddy_zone_above_dma(c)) {
			skipped_dma = true;
			continue;
		}
		for (o = 0; o < z->nr_orders && o < OOMSNAP_MAX_ORDERS; o++) {
			if ((int)o < c->order)
				small += (__u64)z->nr_free[o] << o;
			else if (order_usable(c, z, o))
				large += z->nr_free[o];
			else
				unusable += z->nr_free[o];
		}
	}
	if (!large && unusable && large_blocks_cma_only(c)) {
		c->diag->cause = OOMSNAP_CAUSE_CMA;
		evidence(c,
			 "every free block of order >= %d is CMA, which this non-movable request may not use",
			 c->order);
	} else if (!large && small >= ((__u64)FRAG_SMALL_BLOCKS << c->order)) {
		c->diag->cause = OOMSNAP_CAUSE_FRAGMENTATION;
		evidence(c,
			 "fragmentation: no free block of order >= %d, while %llukB are free in smaller blocks",
			 c->order, kb(c, small));
	} else {
		return false;
	}
	missing(c,
		"no zone lines (free/min/low/high) in input: concluded from the buddy lines alone");
	if (skipped_dma)
		missing(c,
			"DMA's free blocks left out: its lowmem_reserve keeps them from this request (assumed without zone lines)");
	return true;
}

/*
 * Lowmem held, and one consumer holds most of the zones the request may
 * use: that consumer made lowmem run out; lowmem contributes.
 */
static void lowmem_holder(struct diag_ctx *c)
{
	struct oomsnap_diagnosis *diag = c->diag;

	if (!c->lead_pct || c->lead_pct <= MOST_PCT)
		return;
	diag->cause = c->lead_cause;
	diag->contributing &= ~(1U << c->lead_cause);
	diag->contributing |= 1U << OOMSNAP_CAUSE_LOWMEM;
	evidence(c,
		 "%s holds %u%% of the zones the request may use: what filled lowmem",
		 oomsnap_cause_name(c->lead_cause), c->lead_pct);
}

/*
 * A request that could not reclaim is the cause only when reclaim would
 * have found the memory: reclaimable pages covered what the zones lacked.
 */
static bool reclaim_would_find(struct diag_ctx *c)
{
	__u64 reclaimable, need = eligible_shortfall(c);

	if (!reclaimable_pages(c, &reclaimable)) {
		missing(c,
			"no file LRU or reclaimable slab counters in input: can't tell whether reclaim would have found the memory");
		return false;
	}
	if (!reclaimable || reclaimable < need) {
		evidence(c,
			 "reclaimable pages (file LRU, reclaimable slab) %llukB: fewer than the %llukB the zones lacked, so reclaim would not have helped",
			 kb(c, reclaimable), kb(c, need));
		return false;
	}
	evidence(c,
		 "reclaimable pages (file LRU, reclaimable slab) %llukB were there for reclaim to find",
		 kb(c, reclaimable));
	return true;
}

/*
 * An order-0 OOM on a NUMA host whose other nodes had memory to spare: the
 * zonelist falls back to every node a request may use, so only a memory
 * policy or a cpuset the report does not print (before 4.9 it prints
 * neither nodemask nor constraint) can have confined it to the nodes that
 * ran out.
 */
static bool inferred_constraint(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 short_nodes = 0, rich_nodes = 0, rich_free = 0;
	unsigned int i;

	if ((rec->have & OOMSNAP_HAVE_CONSTRAINT) || c->order > 0 ||
	    rec->type != OOMSNAP_EVENT_OOM)
		return false;
	for (i = 0; i < nr_zones(rec); i++) {
		const struct oomsnap_zone *z = &rec->zones[i];

		if (!zone_checkable(z) || !zone_eligible(c, z) || z->node >= 64)
			continue;
		short_nodes |= 1ULL << z->node;
		if (diag_zone_passes_high(c, z) &&
		    z->free > 2 * boosted(z, z->wmark_high)) {
			rich_nodes |= 1ULL << z->node;
			rich_free += z->free;
		}
	}
	/* nodes none of whose zones the request could use had room */
	short_nodes &= ~rich_nodes;
	if (!short_nodes || !rich_nodes)
		return false;
	c->diag->cause = OOMSNAP_CAUSE_CONSTRAINED;
	evidence(c,
		 "nodes 0x%llx ran out while nodes 0x%llx held %llukB free: the request, which may use every node, must have been confined by a memory policy or cpuset the report does not print",
		 short_nodes, rich_nodes, kb(c, rich_free));
	missing(c,
		"no nodemask or oom-kill constraint in input: the constraint is inferred from the free memory on other nodes");
	return true;
}

/*
 * Rule 4's test for an OOM: the OOM killer's last attempt, at the high
 * watermark, failed in every zone the request may use. For order 0 a zone
 * printed above that mark gained pages after the attempt (frees) or lost
 * its boost (kswapd): the largest boost is counted, as a report cannot show
 * a boost it no longer has. A larger order may have failed on
 * fragmentation, which rule 5 tells.
 */
static bool lowmem_at_last_attempt(const struct diag_ctx *c)
{
	if (c->rec->type != OOMSNAP_EVENT_OOM)
		return false;
	if (!c->nr_pass_order0_high)
		return true;
	return c->have_order && c->order == 0 &&
	       !c->nr_pass_order0_high_any_boost;
}

/* Rules 2-8 for an event of the page allocator (not a memcg's charge). */
static void global_verdict(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	struct oomsnap_diagnosis *diag = c->diag;

	if (constrained_verdict(c)) {
		diag_consumer_verdict(c, false);
		return;
	}
	if (buddy_only_verdict(c))
		return;
	if (inferred_constraint(c)) {
		diag_consumer_verdict(c, false);
		return;
	}

	/* free memory there, but CMA the request may not use */
	if (c->nr_eligible && !c->nr_pass_order0 && c->nr_cma_blocked) {
		diag->cause = OOMSNAP_CAUSE_CMA;
		evidence(c,
			 "free CMA pages %llukB in zones the request may use%s: without them those zones are below min",
			 kb(c, c->cma_blocked),
			 c->have_gfp ? "; this non-movable request may not use them" :
			 "; a non-movable request (the assumption) may not use them");
		if (c->ineligible_free)
			diag->contributing |= 1U << OOMSNAP_CAUSE_LOWMEM;
		diag_consumer_verdict(c, false);
		return;
	}

	if (c->nr_eligible && c->ineligible_free &&
	    (!c->nr_pass_order0 || lowmem_at_last_attempt(c))) {
		if (c->have_gfp) {
			diag->cause = OOMSNAP_CAUSE_LOWMEM;
			if (!c->nr_pass_order0)
				evidence(c,
					 "every zone the request may use fails the order-0 check while zones it may not use hold %llukB free",
					 kb(c, c->ineligible_free));
			else if (!c->nr_pass_order0_high)
				evidence(c,
					 "every zone the request may use is below its high watermark, the mark of the OOM killer's last allocation attempt (__alloc_pages_may_oom), while zones it may not use hold %llukB free",
					 kb(c, c->ineligible_free));
			else
				evidence(c,
					 "every zone the request may use is below its high watermark plus the largest boost (%d%% of high), the mark of the OOM killer's last allocation attempt if kswapd dropped a boost before the zones were printed, while zones it may not use hold %llukB free",
					 DEFAULT_BOOST_PCT, kb(c, c->ineligible_free));
			c->lowmem_view = true;
			diag_consumer_verdict(c, false);
			lowmem_holder(c);
			return;
		}
		missing(c,
			"lowmem zones fail the order-0 check while others have free memory, but without gfp_mask the tool can't tell whether the request could use them");
	}
	if (c->ineligible_free && c->nr_eligible)
		c->lowmem_view = true;

	if (c->have_order && c->order > 0 && c->nr_pass_order0 && !c->nr_pass &&
	    !c->nr_walk_unknown) {
		if (large_blocks_cma_only(c)) {
			diag->cause = OOMSNAP_CAUSE_CMA;
			evidence(c,
				 "the free blocks of order >= %d are CMA, which this non-movable request may not use",
				 c->order);
		} else {
			diag->cause = OOMSNAP_CAUSE_FRAGMENTATION;
			evidence(c,
				 "fragmentation: free memory exists above the watermarks, but not in blocks of order >= %d",
				 c->order);
		}
		diag_consumer_verdict(c, false);
		return;
	}

	if (c->have_gfp && c->gfp_class != OOMSNAP_GFP_CLASS_RECLAIM &&
	    rec->type == OOMSNAP_EVENT_ALLOC_FAILURE && reclaim_would_find(c)) {
		diag->cause = OOMSNAP_CAUSE_NO_RECLAIM;
		evidence(c,
			 "the request is %s: it could not %s, so it failed instead of making room",
			 oomsnap_gfp_class_name(c->gfp_class),
			 c->gfp_class == OOMSNAP_GFP_CLASS_NOFS ? "reclaim through filesystems" :
			 c->gfp_class == OOMSNAP_GFP_CLASS_NOIO ? "reclaim with IO" :
			 "enter direct reclaim");
		diag_consumer_verdict(c, false);
		return;
	}

	if (c->nr_zones && c->nr_below_min == c->nr_zones)
		evidence(c, "every zone is at or below its min watermark");
	else if (c->nr_eligible && c->nr_pass + c->nr_reserve_blocked == c->nr_eligible)
		evidence(c,
			 "no zone the request may use is below its min watermark for order-%d%s",
			 c->order, c->nr_reserve_blocked ?
			 "; lower zones are out of reach only through lowmem_reserve" : "");
	diag_consumer_verdict(c, true);
}

/* An accounted request whose cgroup had no room for it: see rule 1. */
static bool charge_failed(const struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;

	if (rec->type != OOMSNAP_EVENT_ALLOC_FAILURE ||
	    !(rec->have & OOMSNAP_HAVE_GFP) || !(rec->gfp & OOMSNAP_GFP_ACCOUNT) ||
	    !(rec->have & OOMSNAP_HAVE_MEMCG) || rec->memcg_limit == ~0ULL ||
	    rec->order < 0 || rec->order >= 64)
		return false;
	if (rec->memcg_usage + (1ULL << rec->order) <= rec->memcg_limit)
		return false;
	return !c->nr_zones || c->nr_pass;
}

void oomsnap_diagnose(const struct oomsnap_record *rec,
		      struct oomsnap_diagnosis *diag)
{
	struct diag_ctx c = { .rec = rec, .diag = diag };

	memset(diag, 0, sizeof(*diag));
	diag->cause = OOMSNAP_CAUSE_UNKNOWN;

	if (rec->type == OOMSNAP_EVENT_MEMCG_OOM ||
	    ((rec->have & OOMSNAP_HAVE_CONSTRAINT) &&
	     rec->constraint == OOMSNAP_CONSTRAINT_MEMCG)) {
		memcg_verdict(&c);
		/* host swap matters only when the report shows it */
		if (rec->mem_have & (1ULL << OOMSNAP_MEM_SWAP_TOTAL))
			diag_swap_and_commit(&c);
		return;
	}

	diag_setup_request(&c);
	if (rec->have & OOMSNAP_HAVE_ZONES)
		diag_check_zones(&c);
	if (!c.nr_zones)
		missing(&c,
			"no zone lines (free/min/low/high) in input: can't run the watermark check");

	if (charge_failed(&c)) {
		evidence(&c,
			 "a __GFP_ACCOUNT request of order %d: %s, so the page the allocator found was freed again when the memory cgroup's charge failed",
			 rec->order, c.nr_zones ? "a zone it may use passed the watermark check" :
			 "no zone lines to say the allocator itself failed");
		memcg_verdict(&c);
		return;
	}
	global_verdict(&c);
	diag_swap_and_commit(&c);
	diag_xen_evidence(&c);
	if (diag->cause == OOMSNAP_CAUSE_UNKNOWN)
		victim_evidence(&c);
}

