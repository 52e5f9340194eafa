// SPDX-License-Identifier: GPL-2.0
/*
 * Why did memory run out? One answer per event, from a struct
 * oomsnap_record (a snapshot, or a parsed kernel log with "have" bits).
 *
 * Rules, first match wins (cause ids as in DESIGN.md):
 *
 *  1. memcg_limit   the event is a memcg OOM (or its constraint is memcg):
 *                   the cgroup's charge failed, host memory is irrelevant.
 *  2. constrained   constraint cpuset/mempolicy: the request could only use
 *                   some nodes; free memory elsewhere is listed.
 *  3. lowmem        gfp known; every zone the request may use (zone type <=
 *                   gfp_zone(), allowed node) fails the order-0 watermark
 *                   check (for an OOM: at the high watermark, as the OOM
 *                   killer's last attempt does) while zones it may not use
 *                   (HighMem, Movable, above gfp_zone(); or zones a log
 *                   leaves out) hold free memory above their min.
 *                   The leading lowmem consumer is named as contributing.
 *  4. fragmentation order > 0 known; some eligible zone passes the order-0
 *                   part of __zone_watermark_ok() but no eligible zone
 *                   passes the whole check for the order.
 *  5. no_reclaim    gfp known; the request could not reclaim (atomic,
 *                   NOWAIT) or only partly (NOIO, NOFS) and it failed.
 *  6. a consumer    the largest of slab_unreclaimable, kernel_unaccounted,
 *                   mlocked, shmem (plus unevictable pages not mlocked:
 *                   ramfs, SHM_LOCK), hugetlb (the whole pool: free huge
 *                   pages are not free memory), cma (free CMA pages a
 *                   non-movable request may not use) when it holds at least
 *                   a third of the memory the request could use (the
 *                   eligible zones when HighMem/Movable hold free memory
 *                   the request may not use, else all RAM).
 *  7. exhausted     otherwise, when the LRU lists (user memory) are known.
 *  8. unknown       nothing above could be decided from the input.
 *
 * Contributing: other consumers above a tenth of that memory, no_swap (swap
 * total 0), swap_full (swap free <= 2% of total), overcommit (committed >
 * RAM + swap). Every rule that fires adds evidence; every check that
 * could not be made adds a "missing" line. Watermark checks use the min
 * watermark plus boost, as the allocator's slow path does, and
 * oomsnap_zone_watermark_ok() for the record's kernel era.
 */
#include "oomsnap_base.h"
#include "oomsnap_engine.h"

#define PRIMARY_SHARE_DIV	3	/* a consumer is the cause at >= 1/3 */
#define CONTRIB_SHARE_DIV	10	/* and contributes at >= 1/10 */
#define SWAP_FULL_PCT		2
#define UNPRINTED_FREE_DIV	100	/* free outside listed zones: > 1% of RAM */
#define MOST_PCT		50	/* a consumer holding more leads lowmem */
#define USER_FILLED_PCT		50	/* exhausted: LRU at least this % of RAM */
#define FRAG_SMALL_BLOCKS	16	/* "plenty" of smaller blocks: 16 requests' worth */

struct diag_ctx {
	const struct oomsnap_record *rec;
	struct oomsnap_diagnosis *diag;
	bool have_gfp;
	bool have_order;
	int order;
	unsigned int highest;		/* effective gfp_zone() */
	unsigned int alloc_flags;
	unsigned int gfp_class;
	/* zone check results */
	unsigned int nr_zones;		/* zones with free + watermarks */
	unsigned int nr_eligible;
	unsigned int nr_pass;		/* eligible zones passing the full check */
	unsigned int nr_pass_order0;	/* eligible zones passing order 0 */
	unsigned int nr_pass_order0_high; /* ... at the high watermark */
	unsigned int nr_walk_unknown;	/* order-0 passed, no buddy data */
	unsigned int nr_below_min;	/* all zones: free <= min */
	unsigned int nr_reserve_blocked; /* eligible, above min, below min + reserve */
	__u64 ineligible_free;		/* pages above min in unusable zones */
	unsigned int nr_cma_blocked;	/* eligible, fail order 0 only for CMA */
	__u64 cma_blocked;		/* their free CMA pages */
	bool lowmem_view;		/* consumers judged over eligible zones */
	/* the consumer that leads, set by consumer_verdict() */
	unsigned int lead_cause;
	unsigned int lead_pct;
};

struct consumer {
	unsigned int cause;
	__u64 pages;
	const char *what;
};

static __printf(3, 0)
void add_line(char (*lines)[OOMSNAP_DIAG_LINE_LEN], unsigned int *nr,
	      const char *fmt, va_list ap)
{
	if (*nr >= OOMSNAP_DIAG_MAX_LINES)
		return;
	vsnprintf(lines[*nr], OOMSNAP_DIAG_LINE_LEN, fmt, ap);
	(*nr)++;
}

static __printf(2, 3)
void evidence(struct diag_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(c->diag->evidence, &c->diag->nr_evidence, fmt, ap);
	va_end(ap);
}

static __printf(2, 3)
void missing(struct diag_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(c->diag->missing, &c->diag->nr_missing, fmt, ap);
	va_end(ap);
}

static __u64 kb(const struct diag_ctx *c, __u64 pages)
{
	return oomsnap_pages_kb(c->rec, pages);
}

static __u64 kb_s(const struct diag_ctx *c, __s64 pages)
{
	return pages > 0 ? kb(c, (__u64)pages) : 0;
}

static unsigned int pct(__u64 part, __u64 whole)
{
	return (unsigned int)oomsnap_div64(part * 100, whole);
}

static bool mem_get(const struct oomsnap_record *rec, unsigned int idx,
		    __u64 *val)
{
	if (idx >= OOMSNAP_MAX_MEM || !(rec->mem_have & (1ULL << idx)))
		return false;
	*val = rec->mem[idx];
	return true;
}

static __u64 mem_or0(const struct oomsnap_record *rec, unsigned int idx)
{
	__u64 v = 0;

	mem_get(rec, idx, &v);
	return v;
}

static unsigned int nr_zones(const struct oomsnap_record *rec)
{
	return rec->nr_zones < OOMSNAP_MAX_ZONES ? rec->nr_zones :
						   OOMSNAP_MAX_ZONES;
}

static bool has_zone_type(const struct oomsnap_record *rec, unsigned int type)
{
	unsigned int i;

	for (i = 0; i < nr_zones(rec); i++)
		if (rec->zones[i].zone_type == type)
			return true;
	return false;
}

static bool zone_checkable(const struct oomsnap_zone *z)
{
	return (z->have & OOMSNAP_ZONE_HAVE_FREE) &&
	       (z->have & OOMSNAP_ZONE_HAVE_WMARK);
}

static bool node_allowed(const struct oomsnap_record *rec, __u32 node)
{
	if (!(rec->have & OOMSNAP_HAVE_NODEMASK) || !rec->nodemask)
		return true;
	if (node >= 64)
		return true;
	return rec->nodemask & (1ULL << node);
}

static bool zone_eligible(const struct diag_ctx *c, const struct oomsnap_zone *z)
{
	if (z->zone_type == OOMSNAP_ZONE_DEVICE || z->zone_type > c->highest)
		return false;
	return node_allowed(c->rec, z->node);
}

/* A watermark as the kernel's *_wmark_pages() reads it: plus the boost. */
static __u64 boosted(const struct oomsnap_zone *z, __u64 wmark)
{
	return wmark + ((z->have & OOMSNAP_ZONE_HAVE_BOOST) ? z->wmark_boost : 0);
}

static __u64 zone_mark(const struct oomsnap_zone *z)
{
	return boosted(z, z->wmark_min);
}

/*
 * The OOM killer's last try, in __alloc_pages_may_oom(): an order-0 view
 * of get_page_from_freelist(ALLOC_WMARK_HIGH | ALLOC_CPUSET), no reserve
 * allowances. A zone between min and high when the report is printed was
 * still too low for it.
 */
static bool zone_passes_high(const struct diag_ctx *c,
			     const struct oomsnap_zone *z)
{
	struct oomsnap_wmark_check chk;

	oomsnap_zone_watermark_ok(c->rec, z, 0, boosted(z, z->wmark_high),
				  c->highest, 0, &chk);
	return chk.order0_ok;
}

/*
 * gfp_zone() for this kernel: a zone type the kernel was built without
 * falls back to Normal (OPT_ZONE_HIGHMEM, OPT_ZONE_DMA32, OPT_ZONE_DMA).
 */
static unsigned int effective_highest(const struct oomsnap_record *rec,
				      unsigned int type)
{
	if (type == OOMSNAP_ZONE_MOVABLE || type == OOMSNAP_ZONE_NORMAL)
		return type;
	if (!nr_zones(rec) || has_zone_type(rec, type))
		return type;
	return OOMSNAP_ZONE_NORMAL;
}

static void setup_request(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	char gfp[96];

	c->have_gfp = rec->have & OOMSNAP_HAVE_GFP;
	c->have_order = (rec->have & OOMSNAP_HAVE_ORDER) && rec->order >= 0;
	c->order = c->have_order ? rec->order : 0;

	if (rec->have & OOMSNAP_HAVE_HIGHEST_ZONE)
		c->highest = rec->highest_zone;
	else if (c->have_gfp)
		c->highest = oomsnap_gfp_zone(rec->gfp);
	else
		c->highest = OOMSNAP_ZONE_NORMAL;
	c->highest = effective_highest(rec, c->highest);

	if (c->have_gfp) {
		c->alloc_flags = oomsnap_alloc_flags(rec, rec->gfp, c->order);
		c->gfp_class = oomsnap_gfp_class(rec->gfp);
		oomsnap_gfp_format(rec->gfp, gfp, sizeof(gfp));
		evidence(c, "request: %s, order %d, zones up to %s, %s class",
			 gfp, c->order, oomsnap_zone_type_name(c->highest),
			 oomsnap_gfp_class_name(c->gfp_class));
	} else {
		c->gfp_class = OOMSNAP_GFP_CLASS_RECLAIM;
		missing(c,
			"gfp_mask not in input: can't tell which zones the request could use or its reserve allowances; checks below assume GFP_KERNEL (zones up to Normal)");
	}
	if (!c->have_order && rec->type != OOMSNAP_EVENT_MEMCG_OOM)
		missing(c,
			"order not in input: ran the order-0 check only, can't test fragmentation");
}

static __u64 all_zones_size(const struct oomsnap_record *rec)
{
	__u64 sum = 0;
	unsigned int i;

	for (i = 0; i < nr_zones(rec); i++) {
		const struct oomsnap_zone *z = &rec->zones[i];

		if (z->have & OOMSNAP_ZONE_HAVE_MANAGED)
			sum += z->managed;
		else if (z->have & OOMSNAP_ZONE_HAVE_PRESENT)
			sum += z->present;
	}
	return sum;
}

/*
 * Free memory in zones the input does not list. Since 5.x the OOM report
 * prints only the zones up to the request's gfp_zone() on the nodes it
 * may use (__show_mem() with max_zone_idx and SHOW_MEM_FILTER_NODES), so
 * the global "free:" minus the printed zones is free memory the request
 * could not use: HighMem for GFP_KERNEL on 32-bit. A snapshot lists every
 * zone, and the difference is only what moved between two reads.
 */
static void unprinted_free(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 total_free, zones_free = 0, ram, rest;
	unsigned int i;

	if (!c->nr_zones || !mem_get(rec, OOMSNAP_MEM_FREE, &total_free))
		return;
	for (i = 0; i < nr_zones(rec); i++)
		if (rec->zones[i].have & OOMSNAP_ZONE_HAVE_FREE)
			zones_free += rec->zones[i].free;
	if (!mem_get(rec, OOMSNAP_MEM_TOTALRAM, &ram))
		ram = all_zones_size(rec);
	if (total_free <= zones_free)
		return;
	rest = total_free - zones_free;
	/* noise: the counters are read a moment apart */
	if (rest * UNPRINTED_FREE_DIV <= ram)
		return;
	c->ineligible_free += rest;
	evidence(c,
		 "free %llukB in zones the report does not list (above the request's highest zone or on nodes it may not use): total free %llukB - listed zones %llukB",
		 kb(c, rest), kb(c, total_free), kb(c, zones_free));
}

/* Free CMA pages of @z the request may not use (non-movable), or 0. */
static __s64 zone_cma_unusable(const struct diag_ctx *c,
			       const struct oomsnap_zone *z)
{
	if ((c->alloc_flags & OOMSNAP_ALLOC_CMA) ||
	    !(z->have & OOMSNAP_ZONE_HAVE_CMA))
		return 0;
	return (__s64)z->vmstat[OOMSNAP_ZV_FREE_CMA];
}

/* Run the watermark replica on every zone; one evidence line per zone. */
static void check_zones(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	struct oomsnap_wmark_check chk;
	const char *rule = NULL;
	unsigned int i;

	for (i = 0; i < nr_zones(rec); i++) {
		const struct oomsnap_zone *z = &rec->zones[i];
		const char *zname = z->name[0] ? z->name :
				    oomsnap_zone_type_name(z->zone_type);
		bool eligible;

		if (!zone_checkable(z))
			continue;
		c->nr_zones++;
		if (z->free <= zone_mark(z))
			c->nr_below_min++;
		eligible = zone_eligible(c, z);
		oomsnap_zone_watermark_ok(rec, z, c->order, zone_mark(z),
					  c->highest, c->alloc_flags, &chk);
		rule = oomsnap_wmark_rule_name(chk.rule);
		if (!eligible) {
			if (chk.free > (__s64)zone_mark(z))
				c->ineligible_free += (__u64)chk.free -
						      zone_mark(z);
			evidence(c,
				 "node %u %s: free %llukB, min %llukB; not usable by this request (%s)",
				 z->node, zname, kb_s(c, chk.free),
				 kb(c, zone_mark(z)),
				 z->zone_type > c->highest ? "zone above gfp_zone()" :
				 "node not allowed");
			continue;
		}
		c->nr_eligible++;
		if (chk.order0_ok)
			c->nr_pass_order0++;
		if (zone_passes_high(c, z))
			c->nr_pass_order0_high++;
		if (chk.ok) {
			c->nr_pass++;
			evidence(c,
				 "node %u %s: free %llukB - unusable %llukB > min %llukB + lowmem_reserve[%s] %llukB: order-%d check passes",
				 z->node, zname, kb_s(c, chk.free),
				 kb_s(c, chk.unusable), kb_s(c, chk.min),
				 oomsnap_zone_type_name(c->highest),
				 kb_s(c, chk.reserve), c->order);
		} else if (!chk.order0_ok) {
			bool by_reserve = chk.free - chk.unusable > chk.min;
			__s64 cma = zone_cma_unusable(c, z);

			if (by_reserve)
				c->nr_reserve_blocked++;
			if (cma && chk.free - chk.unusable + cma >
				   chk.min + chk.reserve) {
				c->nr_cma_blocked++;
				c->cma_blocked += (__u64)cma;
			}

			evidence(c,
				 "node %u %s: free %llukB - unusable %llukB <= min %llukB + lowmem_reserve[%s] %llukB: %s",
				 z->node, zname, kb_s(c, chk.free),
				 kb_s(c, chk.unusable), kb_s(c, chk.min),
				 oomsnap_zone_type_name(c->highest),
				 kb_s(c, chk.reserve),
				 by_reserve ?
				 "out of reach of this request only through lowmem_reserve" :
				 "below its min watermark");
		} else if (!chk.walk_known) {
			c->nr_walk_unknown++;
			evidence(c,
				 "node %u %s: order-0 part passes (free %llukB > min %llukB + reserve %llukB)",
				 z->node, zname, kb_s(c, chk.free - chk.unusable),
				 kb_s(c, chk.min), kb_s(c, chk.reserve));
			missing(c,
				"no buddy lines for %s: can't run the order-%d free-block walk, can't test fragmentation",
				zname, c->order);
		} else if (chk.rule == OOMSNAP_WMARK_RULE_CLASSIC) {
			evidence(c,
				 "node %u %s: order-0 part passes, but after blocks below order %d only %llukB stay free <= min>>%d %llukB: order-%d check fails",
				 z->node, zname, chk.classic_fail_order,
				 kb_s(c, chk.walk_free), chk.classic_fail_order,
				 kb_s(c, chk.walk_min), c->order);
		} else {
			evidence(c,
				 "node %u %s: order-0 part passes (free %llukB > min %llukB + reserve %llukB) but no free block of order >= %d on a list it may use%s: order-%d check fails",
				 z->node, zname, kb_s(c, chk.free - chk.unusable),
				 kb_s(c, chk.min), kb_s(c, chk.reserve),
				 c->order,
				 chk.walk_all_blocks ? " (migratetypes unknown: counted all)" : "",
				 c->order);
		}
	}
	if (rule)
		evidence(c,
			 "watermark rule: __zone_watermark_ok() %s, min watermark + boost (allocator slow path)",
			 rule);
	unprinted_free(c);
}

/* Sum a per-zone counter over the zones the request may use (or all). */
static bool zone_sum(const struct diag_ctx *c, unsigned int have_bit,
		     unsigned int idx, bool eligible_only, __u64 *sum)
{
	unsigned int i;
	bool any = false;

	*sum = 0;
	for (i = 0; i < nr_zones(c->rec); i++) {
		const struct oomsnap_zone *z = &c->rec->zones[i];

		if ((eligible_only && !zone_eligible(c, z)) ||
		    !(z->have & have_bit))
			continue;
		*sum += z->vmstat[idx];
		any = true;
	}
	return any;
}

static __u64 eligible_size(const struct diag_ctx *c)
{
	__u64 sum = 0;
	unsigned int i;

	for (i = 0; i < nr_zones(c->rec); i++) {
		const struct oomsnap_zone *z = &c->rec->zones[i];

		if (!zone_eligible(c, z))
			continue;
		if (z->have & OOMSNAP_ZONE_HAVE_MANAGED)
			sum += z->managed;
		else if (z->have & OOMSNAP_ZONE_HAVE_PRESENT)
			sum += z->present;
	}
	return sum;
}

static bool xen_dom0(const struct oomsnap_record *rec)
{
	return (rec->have & OOMSNAP_HAVE_XEN) && !rec->xen_status &&
	       (rec->xen.domain == OOMSNAP_XEN_PV_DOM0 ||
		rec->xen.domain == OOMSNAP_XEN_PVH_DOM0 ||
		rec->xen.domain == OOMSNAP_XEN_DOM0);
}

static bool blkback_held_known(const struct oomsnap_record *rec)
{
	return xen_dom0(rec) && !rec->xen.blkback_status &&
	       !rec->xen.blkback_held_status;
}

static bool grant_known(const struct oomsnap_record *rec)
{
	return (rec->have & OOMSNAP_HAVE_XEN) && !rec->xen_status &&
	       !rec->xen.grant_status && rec->xen.grant_mapped_pages;
}

/*
 * Xen memory the snapshot could put a number on: the pages blkback's pools
 * hold (when observable) and the ballooned-out pages lent for grant
 * mappings. The first is part of what no kernel counter accounts for, so
 * it is taken out of "unaccounted" and named; grant pages left RAM
 * through the balloon, so they are named but were never in unaccounted.
 */
static __u64 xen_named_pages(const struct oomsnap_record *rec)
{
	return blkback_held_known(rec) ? rec->xen.blkback_pages_held : 0;
}

static unsigned int xen_consumers(const struct oomsnap_record *rec,
				  struct consumer *out)
{
	unsigned int n = 0;

	if (blkback_held_known(rec))
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_KERNEL_UNACCOUNTED,
			rec->xen.blkback_pages_held,
			"xen-blkback page pools and persistent grants" };
	if (grant_known(rec))
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_KERNEL_UNACCOUNTED,
			rec->xen.grant_mapped_pages,
			"Xen grant mappings (ballooned-out pages lent to backends)" };
	return n;
}

/*
 * What a dom0 snapshot or log says about Xen's own holders of memory,
 * whatever the cause: the balloon's size and xen-blkback's pools, with
 * what can't be seen said so.
 */
static void xen_evidence(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	const struct oomsnap_xen *x = &rec->xen;
	__u64 ram = 0, unacc;

	if (!(rec->have & OOMSNAP_HAVE_XEN) || rec->xen_status)
		return;
	if (!x->balloon_status) {
		if (x->balloon_low + x->balloon_high)
			evidence(c,
				 "Xen balloon: %llukB handed back to Xen (current %llukB, target %llukB): not part of this domain's RAM",
				 kb(c, x->balloon_low + x->balloon_high),
				 kb(c, x->balloon_current), kb(c, x->balloon_target));
		else
			evidence(c,
				 "Xen balloon: current %llukB, target %llukB, nothing ballooned out",
				 kb(c, x->balloon_current), kb(c, x->balloon_target));
	}
	if (x->blkback_status == OOMSNAP_NOT_IN_LOG) {
		evidence(c, "Xen %s", oomsnap_xen_domain_name(x->domain));
		if (xen_dom0(rec) || x->domain == OOMSNAP_XEN_PV ||
		    x->domain == OOMSNAP_XEN_PVH)
			missing(c,
				"Xen: a kernel log never shows the balloon or what xen-blkback's page pools and persistent grants hold (in dom0 they are inside the memory no counter accounts for); oomsnap's snapshot records both");
		return;
	}
	if (!xen_dom0(rec))
		return;
	if (x->blkback_status) {
		evidence(c, "xen-blkback: %s", oomsnap_status_name(x->blkback_status));
		return;
	}
	mem_get(rec, OOMSNAP_MEM_TOTALRAM, &ram);
	if (!x->blkback_held_status) {
		evidence(c,
			 "xen-blkback: %u vbds, %u rings hold %llukB in page pools and persistent grants (limit %llukB)",
			 x->blkback_vbds, x->blkback_rings,
			 kb(c, x->blkback_pages_held), kb(c, x->blkback_pages_worst));
		return;
	}
	evidence(c,
		 "xen-blkback: %u vbds, %u rings; page pools and persistent grants may hold up to %llukB (%u%% of RAM); what they hold now is not observable from a module",
		 x->blkback_vbds, x->blkback_rings, kb(c, x->blkback_pages_worst),
		 pct(x->blkback_pages_worst, ram));
	if (x->grant_status == OOMSNAP_NOT_EXPORTED)
		evidence(c,
			 "xen-blkback: with CONFIG_XEN_UNPOPULATED_ALLOC (Debian's kernels) its pool pages are unused address space, costing RAM only their struct pages");
	else if (mem_get(rec, OOMSNAP_MEM_UNACCOUNTED, &unacc))
		evidence(c,
			 "xen-blkback can explain at most %llukB of the %llukB no counter accounts for",
			 kb(c, x->blkback_pages_worst < unacc ?
			       x->blkback_pages_worst : unacc),
			 kb(c, unacc));
}

/*
 * A kernel log has no "unaccounted" line: RAM minus reserved pages minus
 * every counter the report printed. Only with the counters every report
 * since 2.6.32 prints; whatever it does not print (vmalloc, percpu on
 * most kernels) stays in, so this is an upper bound.
 */
static bool log_unaccounted(const struct oomsnap_record *rec, __u64 *out)
{
	static const unsigned char needed[] = {
		OOMSNAP_MEM_TOTALRAM, OOMSNAP_MEM_RESERVED, OOMSNAP_MEM_FREE,
		OOMSNAP_MEM_ACTIVE_ANON, OOMSNAP_MEM_INACTIVE_ANON,
		OOMSNAP_MEM_ACTIVE_FILE, OOMSNAP_MEM_INACTIVE_FILE,
		OOMSNAP_MEM_SLAB_RECLAIMABLE, OOMSNAP_MEM_SLAB_UNRECLAIMABLE,
		OOMSNAP_MEM_KERNEL_STACK, OOMSNAP_MEM_PAGETABLES,
	};
	static const unsigned char optional[] = {
		OOMSNAP_MEM_FREE_PCP, OOMSNAP_MEM_UNEVICTABLE,
		OOMSNAP_MEM_ISOLATED, OOMSNAP_MEM_SECONDARY_PAGETABLES,
		OOMSNAP_MEM_PERCPU, OOMSNAP_MEM_VMALLOC,
		OOMSNAP_MEM_HUGETLB_TOTAL,
	};
	__u64 used = 0, total = 0;
	unsigned int i;

	for (i = 0; i < sizeof(needed); i++) {
		__u64 v;

		if (!mem_get(rec, needed[i], &v))
			return false;
		if (needed[i] == OOMSNAP_MEM_TOTALRAM)
			total = v;
		else
			used += v;
	}
	for (i = 0; i < sizeof(optional); i++)
		used += mem_or0(rec, optional[i]);
	*out = total > used ? total - used : 0;
	return true;
}

/*
 * What holds the memory the request could use. In the lowmem view,
 * per-zone counters (old logs) or the global kernel counters (kernel
 * memory lives in lowmem) are weighed against the eligible zones.
 */
static unsigned int gather_consumers(struct diag_ctx *c, struct consumer *out,
				     __u64 *base, const char **base_what)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 v, unevictable, mlocked;
	bool have_mlocked;
	unsigned int n = 0;

	*base = 0;
	if (c->lowmem_view) {
		*base = eligible_size(c);
		*base_what = "the zones this request may use";
	}
	if (!*base) {
		c->lowmem_view = false;
		if (!mem_get(rec, OOMSNAP_MEM_TOTALRAM, base))
			*base = all_zones_size(rec);
		*base_what = "RAM";
	}

	if (c->lowmem_view && zone_sum(c, OOMSNAP_ZONE_HAVE_SLAB,
				       OOMSNAP_ZV_SLAB_UNRECLAIMABLE, true, &v))
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE, v,
					      "slab_unreclaimable in those zones" };
	else if (mem_get(rec, OOMSNAP_MEM_SLAB_UNRECLAIMABLE, &v))
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE, v,
					      "slab_unreclaimable" };

	n += xen_consumers(rec, out + n);
	if (mem_get(rec, OOMSNAP_MEM_UNACCOUNTED, &v)) {
		__u64 named = xen_named_pages(rec);

		out[n++] = (struct consumer){ OOMSNAP_CAUSE_KERNEL_UNACCOUNTED,
			v > named ? v - named : 0,
			"memory no counter accounts for (driver pools)" };
	} else if (log_unaccounted(rec, &v)) {
		out[n++] = (struct consumer){
			OOMSNAP_CAUSE_KERNEL_UNACCOUNTED, v,
			"memory no counter in the report accounts for (driver pools; vmalloc, percpu)"
		};
	}

	have_mlocked = false;
	mlocked = 0;
	if (c->lowmem_view && zone_sum(c, OOMSNAP_ZONE_HAVE_VMSTAT,
				       OOMSNAP_ZV_MLOCK, true, &v)) {
		mlocked = v;
		have_mlocked = true;
	} else if (mem_get(rec, OOMSNAP_MEM_MLOCKED, &v) ||
		   /* 4.8+ logs print mlocked per zone only */
		   zone_sum(c, OOMSNAP_ZONE_HAVE_VMSTAT, OOMSNAP_ZV_MLOCK,
			    false, &v)) {
		mlocked = v;
		have_mlocked = true;
	}
	if (have_mlocked)
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_MLOCKED, mlocked,
					      "mlocked" };

	v = mem_or0(rec, OOMSNAP_MEM_SHMEM);
	if (mem_get(rec, OOMSNAP_MEM_UNEVICTABLE, &unevictable) &&
	    unevictable > mlocked) {
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_SHMEM,
			v + unevictable - mlocked,
			have_mlocked ? "shmem + unevictable not mlocked (ramfs, SHM_LOCK)" :
			"shmem + unevictable (ramfs, SHM_LOCK or mlock: the log can't tell)" };
		if (!have_mlocked)
			missing(c,
				"mlocked not in input: unevictable pages counted as ramfs/locked shmem");
	} else if (rec->mem_have & (1ULL << OOMSNAP_MEM_SHMEM)) {
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_SHMEM, v, "shmem" };
	}

	if (mem_get(rec, OOMSNAP_MEM_HUGETLB_TOTAL, &v))
		out[n++] = (struct consumer){
			OOMSNAP_CAUSE_HUGETLB, v,
			"hugetlb pool (free huge pages are not free memory)"
		};

	if (!(c->alloc_flags & OOMSNAP_ALLOC_CMA) &&
	    mem_get(rec, OOMSNAP_MEM_FREE_CMA, &v))
		out[n++] = (struct consumer){
			OOMSNAP_CAUSE_CMA, v,
			"free CMA pages this non-movable request may not use"
		};
	return n;
}

/* Name the largest unreclaimable slab cache, when the input lists caches. */
static void top_slab_evidence(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	unsigned int i;

	if (!(rec->have & OOMSNAP_HAVE_SLABS) || rec->slabs_status)
		return;
	for (i = 0; i < rec->nr_slabs && i < OOMSNAP_TOP_SLABS; i++) {
		const struct oomsnap_slab *s = &rec->slabs[i];

		if (s->reclaimable)
			continue;
		evidence(c, "largest unreclaimable slab cache: %.*s %llukB",
			 (int)sizeof(s->name), s->name,
			 s->bytes >> 10);
		return;
	}
}

static void consumer_verdict(struct diag_ctx *c, bool decide)
{
	struct consumer cons[8];
	const char *base_what = "RAM";
	unsigned int i, n, best = 0;
	__u64 base, lru;
	bool have_lru;

	n = gather_consumers(c, cons, &base, &base_what);
	if (!base) {
		missing(c,
			"no RAM size in input (no \"pages of RAM\", zone sizes or totals): can't weigh consumers");
		return;
	}
	for (i = 1; i < n; i++)
		if (cons[i].pages > cons[best].pages)
			best = i;

	if (n && cons[best].pages * PRIMARY_SHARE_DIV >= base) {
		c->lead_cause = cons[best].cause;
		c->lead_pct = pct(cons[best].pages, base);
		if (decide)
			c->diag->cause = cons[best].cause;
		else if (c->diag->cause != cons[best].cause)
			c->diag->contributing |= 1U << cons[best].cause;
		evidence(c, "%s: %llukB = %u%% of %s (%llukB)",
			 cons[best].what, kb(c, cons[best].pages),
			 pct(cons[best].pages, base), base_what, kb(c, base));
		if (cons[best].cause == OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE)
			top_slab_evidence(c);
	} else {
		best = n;	/* none leads */
	}
	for (i = 0; i < n; i++) {
		if (i == best || cons[i].pages * CONTRIB_SHARE_DIV < base)
			continue;
		if (c->diag->cause != cons[i].cause)
			c->diag->contributing |= 1U << cons[i].cause;
		evidence(c, "%s: %llukB = %u%% of %s",
			 cons[i].what, kb(c, cons[i].pages),
			 pct(cons[i].pages, base), base_what);
		if (cons[i].cause == OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE)
			top_slab_evidence(c);
	}
	if (!decide || best < n)
		return;

	have_lru = false;
	lru = 0;
	for (i = OOMSNAP_MEM_ACTIVE_ANON; i <= OOMSNAP_MEM_INACTIVE_FILE; i++) {
		__u64 v;

		if (mem_get(c->rec, i, &v)) {
			lru += v;
			have_lru = true;
		}
	}
	if (have_lru && pct(lru, base) >= USER_FILLED_PCT) {
		c->diag->cause = OOMSNAP_CAUSE_EXHAUSTED;
		evidence(c,
			 "no special consumer holds a third of %s; LRU (user) pages %llukB = %u%% of RAM %llukB",
			 base_what, kb(c, lru), pct(lru, base), kb(c, base));
	} else if (have_lru) {
		/* user memory did not fill RAM: something the report misses did */
		evidence(c,
			 "LRU (user) pages %llukB = only %u%% of %s %llukB: user memory did not fill it",
			 kb(c, lru), pct(lru, base), base_what, kb(c, base));
		missing(c,
			"no counter in input names what holds the rest of %s (slab, kernel, driver pages): can't name the consumer",
			base_what);
	} else {
		missing(c, "no LRU or consumer counters in input: can't tell what filled memory");
	}
}

/*
 * Overcommit: more anonymous memory promised (Committed_AS) than RAM and
 * swap together can ever hold, so touching it must end in an OOM. The
 * CommitLimit (swap + overcommit_ratio% of RAM) is only enforced with
 * vm.overcommit_memory=2 and is exceeded on most busy hosts in the
 * default heuristic mode, so it is shown, not judged. A kernel log has
 * neither counter; a victim whose address space alone is larger than
 * RAM + swap is the closest it gets, and is said as such.
 */
static void commit_check(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 committed, limit = 0, ram, swap = 0;

	if (!mem_get(rec, OOMSNAP_MEM_TOTALRAM, &ram))
		return;
	mem_get(rec, OOMSNAP_MEM_SWAP_TOTAL, &swap);
	if (!mem_get(rec, OOMSNAP_MEM_COMMITTED, &committed)) {
		if (!(rec->have & OOMSNAP_HAVE_VICTIM) ||
		    rec->victim.total_vm <= ram + swap)
			return;
		evidence(c,
			 "victim's address space %llukB is larger than RAM %llukB + swap %llukB: it reserved more than exists (overcommit, or sparse mappings)",
			 kb(c, rec->victim.total_vm), kb(c, ram), kb(c, swap));
		missing(c,
			"Committed_AS and CommitLimit are not in a kernel OOM report: can't tell whether memory was overcommitted");
		return;
	}
	if (committed <= ram + swap)
		return;
	c->diag->contributing |= 1U << OOMSNAP_FACTOR_OVERCOMMIT;
	mem_get(rec, OOMSNAP_MEM_COMMIT_LIMIT, &limit);
	evidence(c,
		 "overcommit: committed %llukB > RAM %llukB + swap %llukB (commit limit %llukB, enforced only with vm.overcommit_memory=2)",
		 kb(c, committed), kb(c, ram), kb(c, swap), kb(c, limit));
}

static void swap_and_commit(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 total, free_swap, cached;

	if (mem_get(rec, OOMSNAP_MEM_SWAP_TOTAL, &total)) {
		if (!total) {
			c->diag->contributing |= 1U << OOMSNAP_FACTOR_NO_SWAP;
			evidence(c, "no swap: anonymous and shmem pages could not be reclaimed");
		} else if (mem_get(rec, OOMSNAP_MEM_SWAP_FREE, &free_swap) &&
			   free_swap * 100 <= total * SWAP_FULL_PCT) {
			c->diag->contributing |= 1U << OOMSNAP_FACTOR_SWAP_FULL;
			evidence(c, "swap full: %llukB free of %llukB",
				 kb(c, free_swap), kb(c, total));
		} else if (mem_get(rec, OOMSNAP_MEM_SWAP_FREE, &free_swap)) {
			/* free swap next to an OOM: what filled RAM can't go there */
			evidence(c, "free swap: %llukB free of %llukB, not what ran out",
				 kb(c, free_swap), kb(c, total));
		}
	} else if (mem_get(rec, OOMSNAP_MEM_SWAP_CACHED, &cached) && cached) {
		evidence(c, "swap in use: %llukB swap cached", kb(c, cached));
		missing(c, "swap totals not in input: can't tell whether swap was full");
	} else {
		missing(c, "swap totals not in input: can't tell whether swap was full or absent");
	}

	commit_check(c);
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
	if (!known && zone_sum(c, OOMSNAP_ZONE_HAVE_VMSTAT,
			       OOMSNAP_ZV_INACTIVE_FILE, true, &v)) {
		*out += v;
		if (zone_sum(c, OOMSNAP_ZONE_HAVE_VMSTAT,
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

/*
 * Buddy lines without zone lines (an excerpt): with the order known, no
 * block of that order among plenty of smaller ones is fragmentation; only
 * CMA blocks of that order is cma for a request that may not use them.
 */
static bool buddy_only_verdict(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 small = 0, large = 0;
	unsigned int i, o;

	if (c->nr_zones || !c->have_order || c->order <= 0)
		return false;
	for (i = 0; i < nr_zones(rec); i++) {
		const struct oomsnap_zone *z = &rec->zones[i];

		if (!zone_eligible(c, z) || !(z->have & OOMSNAP_ZONE_HAVE_BUDDY))
			continue;
		for (o = 0; o < z->nr_orders && o < OOMSNAP_MAX_ORDERS; o++) {
			if ((int)o < c->order)
				small += (__u64)z->nr_free[o] << o;
			else
				large += z->nr_free[o];
		}
	}
	if (large && large_blocks_cma_only(c)) {
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

/* Rules 2-8 for an event of the page allocator (not a memcg's charge). */
static void global_verdict(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	struct oomsnap_diagnosis *diag = c->diag;

	if (constrained_verdict(c)) {
		consumer_verdict(c, false);
		return;
	}
	if (buddy_only_verdict(c))
		return;

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
		consumer_verdict(c, false);
		return;
	}

	if (c->nr_eligible && c->ineligible_free &&
	    (!c->nr_pass_order0 || (rec->type == OOMSNAP_EVENT_OOM &&
				    !c->nr_pass_order0_high))) {
		if (c->have_gfp) {
			diag->cause = OOMSNAP_CAUSE_LOWMEM;
			if (!c->nr_pass_order0)
				evidence(c,
					 "every zone the request may use fails the order-0 check while zones it may not use hold %llukB free",
					 kb(c, c->ineligible_free));
			else
				evidence(c,
					 "every zone the request may use is below its high watermark, the mark of the OOM killer's last allocation attempt (__alloc_pages_may_oom), while zones it may not use hold %llukB free",
					 kb(c, c->ineligible_free));
			c->lowmem_view = true;
			consumer_verdict(c, false);
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
		consumer_verdict(c, false);
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
		consumer_verdict(c, false);
		return;
	}

	if (c->nr_zones && c->nr_below_min == c->nr_zones)
		evidence(c, "every zone is at or below its min watermark");
	else if (c->nr_eligible && c->nr_pass + c->nr_reserve_blocked == c->nr_eligible)
		evidence(c,
			 "no zone the request may use is below its min watermark for order-%d%s",
			 c->order, c->nr_reserve_blocked ?
			 "; lower zones are out of reach only through lowmem_reserve" : "");
	consumer_verdict(c, true);
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
			swap_and_commit(&c);
		return;
	}

	setup_request(&c);
	if (rec->have & OOMSNAP_HAVE_ZONES)
		check_zones(&c);
	if (!c.nr_zones)
		missing(&c,
			"no zone lines (free/min/low/high) in input: can't run the watermark check");

	global_verdict(&c);
	swap_and_commit(&c);
	xen_evidence(&c);
	if (diag->cause == OOMSNAP_CAUSE_UNKNOWN)
		victim_evidence(&c);
}
