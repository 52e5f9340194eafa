// SPDX-License-Identifier: GPL-2.0
/*
 * The request a report shows (gfp, order, the zones it may use) and the
 * watermark replica run on every zone of the record.
 */
#include "diag.h"

/*
 * The OOM killer's last try, in __alloc_pages_may_oom(): an order-0 view
 * of get_page_from_freelist(ALLOC_WMARK_HIGH | ALLOC_CPUSET), no reserve
 * allowances, at the high watermark plus @boost. A zone between min and
 * high when the report is printed was still too low for it.
 */
static bool passes_high(const struct diag_ctx *c, const struct oomsnap_zone *z,
			__u64 boost)
{
	struct oomsnap_wmark_check chk;

	oomsnap_zone_watermark_ok(c->rec, z, 0, z->wmark_high + boost,
				  c->highest, 0, &chk);
	return chk.order0_ok;
}

/* ... with the boost the report shows */
bool diag_zone_passes_high(const struct diag_ctx *c,
			   const struct oomsnap_zone *z)
{
	return passes_high(c, z, zone_boost(z));
}

/*
 * ... with the largest boost the zone may have had when that try failed.
 * kswapd drops a zone's boost once it has balanced the node (the end of
 * balance_pgdat()), which may happen between the try and the report, or the
 * capture: a report then prints "boost:0kB" for a zone whose boost made the
 * try fail. boost_watermark() caps a boost at high * watermark_boost_factor
 * / 10000, 150 % of high by default (or one pageblock when that is more,
 * which a report does not give: not counted).
 */
static bool passes_high_any_boost(const struct diag_ctx *c,
				  const struct oomsnap_zone *z)
{
	__u64 most = oomsnap_div64(z->wmark_high * DEFAULT_BOOST_PCT, 100);

	return passes_high(c, z, zone_boost(z) > most ? zone_boost(z) : most);
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

void diag_setup_request(struct diag_ctx *c)
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

__u64 diag_all_zones_size(const struct oomsnap_record *rec)
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
		ram = diag_all_zones_size(rec);
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
void diag_check_zones(struct diag_ctx *c)
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
		if (diag_zone_passes_high(c, z))
			c->nr_pass_order0_high++;
		if (passes_high_any_boost(c, z))
			c->nr_pass_order0_high_any_boost++;
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
bool diag_zone_sum(const struct diag_ctx *c, unsigned int have_bit,
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

__u64 diag_eligible_size(const struct diag_ctx *c)
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
