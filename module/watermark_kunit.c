// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite oomsnap_watermark: the engine's replica of the kernel's
 * __zone_watermark_ok() (lib/watermark.c) against the kernel's own function
 * (not exported: found through a kprobe's resolved address) on the live
 * zones of this kernel, for every order, highest zone and reserve flag
 * combination, at marks placed on each side of the pass/fail boundary.
 *
 * The rule worked by hand on synthetic zones, era by era, is tested on the
 * host with the rest of lib/ (tests/unit/watermark_test.c): only this
 * comparison needs a kernel.
 */
#include <kunit/test.h>
#include <linux/kprobes.h>
#include <linux/mmzone.h>
#include <linux/spinlock.h>
#include <linux/vmstat.h>

/* ALLOC_* of this very kernel: the cross-check must use its numbers. */
#include <mm/internal.h>

#include "gfp.h"
#include "names.h"
#include "watermark.h"
#include "watermark_kunit.h"
#include "decode.h"

/* Under zone->lock: the zone's state as the record holds it. */
static void fill_live_zone(struct oomsnap_zone *out, struct zone *zone)
{
	int o, mt, zt;

	memset(out, 0, sizeof(*out));
	out->have = OOMSNAP_ZONE_HAVE_FREE | OOMSNAP_ZONE_HAVE_WMARK |
		    OOMSNAP_ZONE_HAVE_HIGHATOMIC | OOMSNAP_ZONE_HAVE_RESERVE |
		    OOMSNAP_ZONE_HAVE_BUDDY | OOMSNAP_ZONE_HAVE_MT |
		    OOMSNAP_ZONE_HAVE_CMA;
	out->zone_type = oomsnap_zone_type(zone_idx(zone));
	out->free = zone_page_state(zone, NR_FREE_PAGES);
	out->wmark_min = min_wmark_pages(zone);
	out->reserved_highatomic = zone->nr_reserved_highatomic;
	out->vmstat[OOMSNAP_ZV_FREE_CMA] = zone_page_state(zone,
							   NR_FREE_CMA_PAGES);
	for (zt = 0; zt < MAX_NR_ZONES; zt++)
		out->lowmem_reserve[oomsnap_zone_type(zt)] =
			zone->lowmem_reserve[zt];
	out->nr_orders = MAX_ORDER;
	out->nr_migratetypes = MIGRATE_TYPES;
	for (o = 0; o < MAX_ORDER; o++) {
		out->nr_free[o] = zone->free_area[o].nr_free;
		/* the check only asks "is this list empty?" */
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			out->nr_free_mt[o][mt] =
				!free_area_empty(&zone->free_area[o], mt);
	}
}

static const struct {
	unsigned int replica;
	unsigned int kernel;
} alloc_flag_map[] = {
	{ OOMSNAP_ALLOC_MIN_RESERVE, ALLOC_MIN_RESERVE },
	{ OOMSNAP_ALLOC_NON_BLOCK, ALLOC_NON_BLOCK },
	{ OOMSNAP_ALLOC_HIGHATOMIC, ALLOC_HIGHATOMIC },
	{ OOMSNAP_ALLOC_OOM, ALLOC_OOM },
	{ OOMSNAP_ALLOC_CMA, ALLOC_CMA },
};

#define NR_FLAG_SETS		BIT(ARRAY_SIZE(alloc_flag_map))
/* the lowered min is mark, 1/2, 3/8, 1/4 or 3/16 of it: hit each boundary */
static const unsigned int mark_scale[][2] = {
	{ 1, 1 }, { 2, 1 }, { 8, 3 }, { 4, 1 }, { 16, 3 },
};

#define MARK_SPREAD		2

struct cross_stats {
	unsigned long checks;
	unsigned long kernel_true;
	unsigned long mismatches;
};

static void cross_check_one(struct kunit *test, struct zone *zone,
			    struct oomsnap_record *rec, struct oomsnap_zone *z,
			    zone_watermark_ok_fn kernel_ok, int order,
			    enum zone_type highest, struct cross_stats *st)
{
	unsigned int set, i, s;
	long free = z->free;

	for (set = 0; set < NR_FLAG_SETS; set++) {
		unsigned int replica_flags = 0, kernel_flags = ALLOC_WMARK_MIN;
		struct oomsnap_wmark_check chk;
		s64 base;

		for (i = 0; i < ARRAY_SIZE(alloc_flag_map); i++) {
			if (set & (1U << i)) {
				replica_flags |= alloc_flag_map[i].replica;
				kernel_flags |= alloc_flag_map[i].kernel;
			}
		}
		/* what must stay above the lowered min, roughly */
		base = free - ((1L << order) - 1) -
		       (long)zone->lowmem_reserve[highest];
		if (!(set & 0xf))
			base -= zone->nr_reserved_highatomic;
		if (!(replica_flags & OOMSNAP_ALLOC_CMA))
			base -= z->vmstat[OOMSNAP_ZV_FREE_CMA];

		for (s = 0; s < ARRAY_SIZE(mark_scale); s++) {
			s64 centre = base * mark_scale[s][0] / mark_scale[s][1];
			s64 mark;

			for (mark = centre - MARK_SPREAD;
			     mark <= centre + MARK_SPREAD; mark++) {
				bool want, got;

				if (mark < 0)
					continue;
				want = kernel_ok(zone, order, mark, highest,
						 kernel_flags, free);
				got = oomsnap_zone_watermark_ok(rec, z, order,
								mark,
								oomsnap_zone_type(highest),
								replica_flags,
								&chk);
				st->checks++;
				st->kernel_true += want;
				if (want == got)
					continue;
				if (st->mismatches++ < 8)
					KUNIT_FAIL(test,
						   "zone %s order %d highest %d flags 0x%x mark %lld free %ld: kernel %d replica %d (unusable %lld min %lld reserve %lld)",
						   zone->name, order, highest,
						   kernel_flags, mark, free, want,
						   got, chk.unusable, chk.min,
						   chk.reserve);
			}
		}
	}
}

static void zone_watermark_ok_matches_kernel(struct kunit *test)
{
	zone_watermark_ok_fn kernel_ok = resolve_zone_watermark_ok(test);
	struct oomsnap_record *rec;
	struct oomsnap_zone *z;
	struct cross_stats st = {};
	unsigned int nr_zones = 0;
	int nid, zi, order, highest;

	rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rec);
	/* era 0: the newest rule, 6.1.y's, the rule of this kernel */
	oomsnap_record_init(rec);
	rec->kernel_era = 0;
	z = &rec->zones[0];
	rec->nr_zones = 1;
	for_each_online_node(nid) {
		for (zi = 0; zi < MAX_NR_ZONES; zi++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[zi];

			if (!populated_zone(zone))
				continue;
			nr_zones++;
			for (order = 0; order < MAX_ORDER; order++) {
				for (highest = 0; highest < MAX_NR_ZONES;
				     highest++) {
					unsigned long flags;

					/* the free lists hold still meanwhile */
					spin_lock_irqsave(&zone->lock, flags);
					fill_live_zone(z, zone);
					cross_check_one(test, zone, rec, z,
							kernel_ok, order,
							highest, &st);
					spin_unlock_irqrestore(&zone->lock,
							       flags);
				}
			}
		}
	}
	kunit_info(test, "%u zones, %lu checks, kernel said yes %lu times, %lu mismatches\n",
		   nr_zones, st.checks, st.kernel_true, st.mismatches);
	KUNIT_EXPECT_GT(test, nr_zones, 0U);
	KUNIT_EXPECT_EQ(test, st.mismatches, 0UL);
	/* the marks straddle the boundary: both answers must have come up */
	KUNIT_EXPECT_GT(test, st.kernel_true, 0UL);
	KUNIT_EXPECT_LT(test, st.kernel_true, st.checks);
}

static struct kunit_case watermark_cases[] = {
	KUNIT_CASE(zone_watermark_ok_matches_kernel),
	{}
};

static struct kunit_suite watermark_suite = {
	.name = "oomsnap_watermark",
	.test_cases = watermark_cases,
};

kunit_test_suite(watermark_suite);
