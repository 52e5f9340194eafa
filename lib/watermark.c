// SPDX-License-Identifier: GPL-2.0
/*
 * A replica of the kernel's __zone_watermark_ok() (mm/page_alloc.c), for the
 * kernel era a record comes from. The diagnosis states its conclusions in
 * the terms of this check, so it must be the kernel's rule, not an estimate.
 *
 * Eras (oomsnap_record.kernel_era; 0 means unknown and takes the newest):
 *
 * CLASSIC, 2.6.x .. 4.3
 *	free = NR_FREE_PAGES - ((1 << order) - 1)
 *	min = mark; ALLOC_HIGH: min -= min / 2; ALLOC_HARDER: min -= min / 4
 *	fail if free - free_cma <= min + lowmem_reserve[classzone_idx]
 *	for o in 0 .. order - 1:
 *		free -= nr_free[o] << o;  min >>= 1;  fail if free <= min
 *	(free_cma exists from 3.5 on; zone lines of this era print free, min,
 *	low, high and present; 3.x adds managed, buddy lines get "(UEMR)"
 *	letters from 3.x on.)
 *
 * HARDER, 4.4 .. 6.2
 *	unusable = (1 << order) - 1
 *		 + nr_reserved_highatomic unless ALLOC_HARDER|ALLOC_OOM
 *		 + NR_FREE_CMA_PAGES unless ALLOC_CMA
 *	min = mark; ALLOC_HIGH: min -= min / 2;
 *	ALLOC_OOM: min -= min / 2, else ALLOC_HARDER: min -= min / 4
 *	fail if free - unusable <= min + lowmem_reserve[highest_zoneidx]
 *	order 0 passes; order > 0 passes if some order o >= order has a free
 *	block on an Unmovable/Movable/Reclaimable list, on the CMA list with
 *	ALLOC_CMA, on the HighAtomic list with ALLOC_HARDER (ALLOC_OOM).
 *	(5.x adds watermark boost to the printed min/low/high and "boost:",
 *	"reserved_highatomic:", "free_pcp:", "managed:" in zone lines.)
 *
 * RESERVES, 6.3+ and the 6.1.y stable series Debian ships
 *	as HARDER, with ALLOC_RESERVES (MIN_RESERVE|NON_BLOCK|HIGHATOMIC|OOM)
 *	instead of ALLOC_HARDER for the highatomic rule, and
 *	ALLOC_MIN_RESERVE: min -= min / 2, then ALLOC_NON_BLOCK: min -= min / 4;
 *	ALLOC_OOM: min -= min / 2. The HighAtomic list counts with
 *	ALLOC_HIGHATOMIC|ALLOC_OOM. From 6.12 the unusable part is the free
 *	pages on the HighAtomic lists (nr_free_highatomic), not the reserve.
 *
 * Record watermarks are the zone's _watermark[] without boost; callers add
 * wmark_boost to the mark as wmark_pages() does.
 */
#include "base.h"
#include "watermark.h"

unsigned int oomsnap_wmark_rule(const struct oomsnap_record *rec)
{
	if (!rec->kernel_era)
		return OOMSNAP_WMARK_RULE_RESERVES;
	if (rec->kernel_era < OOMSNAP_ERA(4, 4))
		return OOMSNAP_WMARK_RULE_CLASSIC;
	if (rec->kernel_era < OOMSNAP_ERA(6, 1))
		return OOMSNAP_WMARK_RULE_HARDER;
	return OOMSNAP_WMARK_RULE_RESERVES;
}

const char *oomsnap_wmark_rule_name(unsigned int rule)
{
	switch (rule) {
	case OOMSNAP_WMARK_RULE_CLASSIC:	return "2.6-4.3 rule";
	case OOMSNAP_WMARK_RULE_HARDER:		return "4.4-6.2 rule";
	default:				return "6.3+/6.1.y rule";
	}
}

unsigned int oomsnap_alloc_flags(const struct oomsnap_record *rec, __u64 gfp,
				 int order)
{
	unsigned int rule = oomsnap_wmark_rule(rec);
	unsigned int flags = 0;
	bool can_block = gfp & OOMSNAP_GFP_DIRECT_RECLAIM;

	if (gfp & OOMSNAP_GFP_HIGH)
		flags |= OOMSNAP_ALLOC_MIN_RESERVE;

	switch (rule) {
	case OOMSNAP_WMARK_RULE_CLASSIC:
		/* 2.6 .. 4.3: ALLOC_HARDER for !__GFP_WAIT (atomic) callers */
		if (!can_block && !(gfp & OOMSNAP_GFP_NOMEMALLOC))
			flags |= OOMSNAP_ALLOC_HARDER;
		break;
	case OOMSNAP_WMARK_RULE_HARDER:
		if ((gfp & OOMSNAP_GFP_ATOMIC) && !(gfp & OOMSNAP_GFP_NOMEMALLOC))
			flags |= OOMSNAP_ALLOC_HARDER;
		break;
	default:
		if (!can_block && !(gfp & OOMSNAP_GFP_NOMEMALLOC)) {
			flags |= OOMSNAP_ALLOC_NON_BLOCK;
			if (order > 0 && (flags & OOMSNAP_ALLOC_MIN_RESERVE))
				flags |= OOMSNAP_ALLOC_HIGHATOMIC;
		}
		break;
	}
	/* gfp_to_alloc_flags_cma(): movable requests may use CMA pageblocks */
	if (gfp & OOMSNAP_GFP_MOVABLE)
		flags |= OOMSNAP_ALLOC_CMA;
	return flags;
}

/*
 * Page counts come from untrusted records and logs: capped at 2^40 pages
 * (4 PiB of 4 kB pages, far above any machine) so that the signed
 * arithmetic below, as the kernel's, cannot overflow on absurd input.
 */
#define WMARK_PAGES_MAX	(1024LL * 1024 * 1024 * 1024)

static __s64 pages(__u64 v)
{
	return v > WMARK_PAGES_MAX ? WMARK_PAGES_MAX : (__s64)v;
}

static __s64 zone_free_cma(const struct oomsnap_zone *z)
{
	if (!(z->have & OOMSNAP_ZONE_HAVE_CMA))
		return 0;
	return pages(z->vmstat[OOMSNAP_ZV_FREE_CMA]);
}

/*
 * What the highatomic reserve takes from a request without reserves: the
 * whole reserve until 6.11; since 6.12 (zone->nr_free_highatomic) only the
 * free pages on the HighAtomic lists, when the record has that count.
 */
static __s64 highatomic_unusable(const struct oomsnap_zone *z)
{
	if (z->have & OOMSNAP_ZONE_HAVE_FREE_HIGHATOMIC)
		return pages(z->vmstat[OOMSNAP_ZV_FREE_HIGHATOMIC]);
	return pages(z->reserved_highatomic);
}

/* Does order @o hold a block this request may take (HARDER/RESERVES)? */
static bool order_has_usable_block(const struct oomsnap_zone *z, int o,
				   unsigned int rule, unsigned int alloc_flags,
				   struct oomsnap_wmark_check *chk)
{
	const __u32 *mt = z->nr_free_mt[o];
	unsigned int highatomic_flags;

	if (!z->nr_free[o] && !(z->have & OOMSNAP_ZONE_HAVE_MT))
		return false;
	if (!(z->have & OOMSNAP_ZONE_HAVE_MT)) {
		/* no per-migratetype data: every free block counts */
		chk->walk_all_blocks = 1;
		return z->nr_free[o] > 0;
	}
	if (mt[OOMSNAP_MT_UNMOVABLE] || mt[OOMSNAP_MT_MOVABLE] ||
	    mt[OOMSNAP_MT_RECLAIMABLE])
		return true;
	if ((alloc_flags & OOMSNAP_ALLOC_CMA) && mt[OOMSNAP_MT_CMA])
		return true;
	highatomic_flags = rule == OOMSNAP_WMARK_RULE_HARDER ?
		OOMSNAP_ALLOC_HARDER | OOMSNAP_ALLOC_OOM :
		OOMSNAP_ALLOC_HIGHATOMIC | OOMSNAP_ALLOC_OOM;
	return (alloc_flags & highatomic_flags) && mt[OOMSNAP_MT_HIGHATOMIC];
}

/*
 * The order-0 test every rule ends with, @usable pages above the mark and
 * the lowmem reserve; then whether the per-order walk is what decides:
 * not for order 0 (passed), nor without buddy counts (can't tell).
 */
static bool order0_then_walk(struct oomsnap_wmark_check *chk,
			     const struct oomsnap_zone *z, __s64 usable,
			     __s64 min, int order)
{
	chk->min = min;
	chk->order0_ok = usable > min + chk->reserve;
	if (!chk->order0_ok)
		return false;
	if (!order) {
		chk->ok = 1;
		return false;
	}
	if (!(z->have & OOMSNAP_ZONE_HAVE_BUDDY))
		return false;	/* walk_known stays 0: can't tell */
	chk->walk_known = 1;
	return true;
}

bool oomsnap_zone_watermark_ok(const struct oomsnap_record *rec,
			       const struct oomsnap_zone *z, int order,
			       __u64 mark, unsigned int highest_zone,
			       unsigned int alloc_flags,
			       struct oomsnap_wmark_check *chk)
{
	unsigned int rule = oomsnap_wmark_rule(rec);
	unsigned int nr_orders;
	__s64 free_pages, free_cma, min = pages(mark);
	int o;

	memset(chk, 0, sizeof(*chk));
	chk->rule = rule;
	chk->classic_fail_order = -1;
	if (order < 0)
		order = 0;
	if (order >= OOMSNAP_MAX_ORDERS)
		order = OOMSNAP_MAX_ORDERS - 1;
	nr_orders = z->nr_orders < OOMSNAP_MAX_ORDERS ? z->nr_orders :
							OOMSNAP_MAX_ORDERS;

	chk->free = pages(z->free);
	chk->reserve = highest_zone < OOMSNAP_MAX_ZONE_TYPES ?
		       pages(z->lowmem_reserve[highest_zone]) : 0;
	chk->unusable = ((__s64)1 << order) - 1;

	if (rule == OOMSNAP_WMARK_RULE_CLASSIC) {
		if (alloc_flags & OOMSNAP_ALLOC_MIN_RESERVE)
			min -= min / 2;
		if (alloc_flags & OOMSNAP_ALLOC_HARDER)
			min -= min / 4;
		free_cma = (alloc_flags & OOMSNAP_ALLOC_CMA) ? 0 :
			   zone_free_cma(z);
		chk->unusable += free_cma;
		free_pages = chk->free - ((__s64)1 << order) + 1;
		if (!order0_then_walk(chk, z, free_pages - free_cma, min, order))
			return chk->ok;
		for (o = 0; o < order; o++) {
			/* at the next order, this order's pages become unavailable */
			free_pages -= pages(z->nr_free[o]) << o;
			min >>= 1;
			if (free_pages <= min) {
				chk->classic_fail_order = o + 1;
				chk->walk_free = free_pages;
				chk->walk_min = min;
				return false;
			}
		}
		chk->ok = 1;
		return true;
	}

	/* __zone_watermark_unusable_free() */
	if (rule == OOMSNAP_WMARK_RULE_HARDER) {
		if (!(alloc_flags & (OOMSNAP_ALLOC_HARDER | OOMSNAP_ALLOC_OOM)))
			chk->unusable += pages(z->reserved_highatomic);
	} else {
		if (!(alloc_flags & (OOMSNAP_ALLOC_MIN_RESERVE |
				     OOMSNAP_ALLOC_NON_BLOCK |
				     OOMSNAP_ALLOC_HIGHATOMIC |
				     OOMSNAP_ALLOC_OOM)))
			chk->unusable += highatomic_unusable(z);
	}
	if (!(alloc_flags & OOMSNAP_ALLOC_CMA))
		chk->unusable += zone_free_cma(z);

	if (rule == OOMSNAP_WMARK_RULE_HARDER) {
		if (alloc_flags & OOMSNAP_ALLOC_MIN_RESERVE)
			min -= min / 2;
		if (alloc_flags & OOMSNAP_ALLOC_OOM)
			min -= min / 2;
		else if (alloc_flags & OOMSNAP_ALLOC_HARDER)
			min -= min / 4;
	} else if (alloc_flags & (OOMSNAP_ALLOC_MIN_RESERVE |
				  OOMSNAP_ALLOC_NON_BLOCK |
				  OOMSNAP_ALLOC_HIGHATOMIC | OOMSNAP_ALLOC_OOM)) {
		if (alloc_flags & OOMSNAP_ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & OOMSNAP_ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & OOMSNAP_ALLOC_OOM)
			min -= min / 2;
	}

	free_pages = chk->free - chk->unusable;
	if (!order0_then_walk(chk, z, free_pages, min, order))
		return chk->ok;
	for (o = order; o < (int)nr_orders; o++) {
		if (order_has_usable_block(z, o, rule, alloc_flags, chk)) {
			chk->ok = 1;
			return true;
		}
	}
	return false;
}
