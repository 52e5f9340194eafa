// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite oomsnap_snapshot: a live capture (module/capture.c) against
 * the kernel's own numbers on this running kernel.
 *
 * Tolerances, where counters move while they are read:
 *  - NR_FREE_PAGES lives in per-CPU diffs until folded: each zone counter
 *    and the global one may lag by up to stat_threshold pages per online
 *    CPU (mm/vmstat.c), so sums are compared within
 *      DRIFT = sum over zones of (online CPUs * stat_threshold) + SLACK;
 *  - the free lists are walked one order at a time, apart from reading
 *    NR_FREE_PAGES: pages allocated or freed meanwhile (SLACK = 256 pages,
 *    1 MB, on this otherwise idle guest) count against the sum too;
 *  - pages on the per-CPU lists are not in free_area[] and not in
 *    NR_FREE_PAGES either: no correction needed for them.
 * Where both numbers come from under one zone->lock they must match
 * exactly (the per-migratetype columns of one order).
 */
#include <kunit/test.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

#include <mm/internal.h>

#include "capture.h"
#include "gfp.h"
#include "watermark_kunit.h"
#include "names.h"
#include "watermark.h"
#include "symbols.h"

#define SLACK		256	/* pages */
#define WALK_LIMIT	100000	/* never reached on this guest */

struct snap_ctx {
	struct oomsnap_record *rec;
};

static int snapshot_test_init(struct kunit *test)
{
	struct snap_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->rec = vzalloc(sizeof(*ctx->rec));
	test->priv = ctx;
	return ctx->rec ? 0 : -ENOMEM;
}

static void snapshot_test_exit(struct kunit *test)
{
	struct snap_ctx *ctx = test->priv;

	vfree(ctx->rec);
}

/* The live zone a record zone was captured from. */
static struct zone *live_zone(const struct oomsnap_zone *z)
{
	int zt;

	for (zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *zone = &NODE_DATA(z->node)->node_zones[zt];

		if (populated_zone(zone) && !strcmp(zone->name, z->name))
			return zone;
	}
	return NULL;
}

static long zone_drift(struct zone *zone)
{
	long drift = 0;
	int cpu;

	for_each_online_cpu(cpu)
		drift += per_cpu_ptr(zone->per_cpu_zonestats, cpu)->stat_threshold;
	return drift;
}

static struct oomsnap_record *capture_zones(struct kunit *test,
					    unsigned int walk_limit)
{
	struct snap_ctx *ctx = test->priv;
	struct oomsnap_capture_limits lim = {
		.walk_limit = walk_limit,
		.may_spin = true,
	};

	memset(ctx->rec, 0, sizeof(*ctx->rec));
	oomsnap_capture_zones(ctx->rec, &lim);
	KUNIT_ASSERT_GT(test, ctx->rec->nr_zones, 0U);
	return ctx->rec;
}

static void capture_zones_every_populated_zone(struct kunit *test)
{
	struct oomsnap_record *rec = capture_zones(test, WALK_LIMIT);
	unsigned int i, populated = 0;
	int nid, zt;

	for_each_online_node(nid)
		for (zt = 0; zt < MAX_NR_ZONES; zt++)
			populated += populated_zone(&NODE_DATA(nid)->node_zones[zt]);
	KUNIT_EXPECT_EQ(test, rec->nr_zones + rec->zones_omitted, populated);
	KUNIT_EXPECT_TRUE(test, rec->have & OOMSNAP_HAVE_ZONES);

	for (i = 0; i < rec->nr_zones; i++) {
		const struct oomsnap_zone *z = &rec->zones[i];
		struct zone *zone = live_zone(z);

		KUNIT_ASSERT_NOT_NULL_MSG(test, zone, "zone %u %s", i, z->name);
		KUNIT_EXPECT_EQ(test, z->zone_type,
				oomsnap_zone_type(zone_idx(zone)));
		/* fixed after boot: exact */
		KUNIT_EXPECT_EQ(test, z->managed, (u64)zone_managed_pages(zone));
		KUNIT_EXPECT_EQ(test, z->present, (u64)zone->present_pages);
		KUNIT_EXPECT_EQ(test, z->spanned, (u64)zone->spanned_pages);
		KUNIT_EXPECT_EQ(test, z->wmark_min,
				(u64)zone->_watermark[WMARK_MIN]);
		KUNIT_EXPECT_EQ(test, z->wmark_low,
				(u64)zone->_watermark[WMARK_LOW]);
		KUNIT_EXPECT_EQ(test, z->wmark_high,
				(u64)zone->_watermark[WMARK_HIGH]);
		KUNIT_EXPECT_EQ(test, z->nr_orders, (u32)MAX_ORDER);
		KUNIT_EXPECT_LE(test, z->free, z->managed);
	}
}

/* lowmem_reserve[] is indexed by the record's zone type, as the engine reads it. */
static void capture_zones_lowmem_reserve_by_zone_type(struct kunit *test)
{
	struct oomsnap_record *rec = capture_zones(test, 0);
	unsigned int i;
	int zt;

	for (i = 0; i < rec->nr_zones; i++) {
		const struct oomsnap_zone *z = &rec->zones[i];
		struct zone *zone = live_zone(z);

		KUNIT_ASSERT_NOT_NULL(test, zone);
		for (zt = 0; zt < MAX_NR_ZONES; zt++)
			KUNIT_EXPECT_EQ_MSG(test,
					    z->lowmem_reserve[oomsnap_zone_type(zt)],
					    (u64)zone->lowmem_reserve[zt],
					    "%s lowmem_reserve for requests up to %s",
					    z->name, oomsnap_zone_type_name(oomsnap_zone_type(zt)));
	}
}

static void capture_zones_free_sum_matches_global(struct kunit *test)
{
	struct oomsnap_record *rec;
	unsigned long before, after;
	long drift = SLACK;
	u64 sum = 0;
	unsigned int i;

	before = global_zone_page_state(NR_FREE_PAGES);
	rec = capture_zones(test, 0);
	after = global_zone_page_state(NR_FREE_PAGES);
	for (i = 0; i < rec->nr_zones; i++) {
		sum += rec->zones[i].free;
		drift += zone_drift(live_zone(&rec->zones[i]));
	}
	kunit_info(test, "zones %llu, global %lu..%lu pages, tolerance %ld\n",
		   sum, before, after, drift);
	KUNIT_EXPECT_GE(test, (long)sum, (long)min(before, after) - drift);
	KUNIT_EXPECT_LE(test, (long)sum, (long)max(before, after) + drift);
}

static void capture_zones_buddy_adds_up(struct kunit *test)
{
	struct oomsnap_record *rec = capture_zones(test, WALK_LIMIT);
	unsigned int i, o;

	for (i = 0; i < rec->nr_zones; i++) {
		const struct oomsnap_zone *z = &rec->zones[i];
		long drift = zone_drift(live_zone(z)) + SLACK;
		u64 buddy = 0;

		KUNIT_EXPECT_TRUE(test, z->have & OOMSNAP_ZONE_HAVE_BUDDY);
		for (o = 0; o < z->nr_orders; o++)
			buddy += z->nr_free[o] << o;
		kunit_info(test, "node %u %s: free %llu, sum of free_area %llu, tolerance %ld\n",
			   z->node, z->name, z->free, buddy, drift);
		KUNIT_EXPECT_LE_MSG(test, abs((long)buddy - (long)z->free), drift,
				    "node %u %s", z->node, z->name);
	}
}

/* One order is read under one zone->lock: its columns add up exactly. */
static void capture_zones_migratetype_columns_exact(struct kunit *test)
{
	struct oomsnap_record *rec = capture_zones(test, WALK_LIMIT);
	unsigned int i, o, mt, checked = 0;

	KUNIT_EXPECT_EQ(test, rec->walk_limit, (u32)WALK_LIMIT);
	for (i = 0; i < rec->nr_zones; i++) {
		const struct oomsnap_zone *z = &rec->zones[i];

		KUNIT_EXPECT_TRUE(test, z->have & OOMSNAP_ZONE_HAVE_MT);
		for (o = 0; o < z->nr_orders; o++) {
			u64 sum = 0;

			KUNIT_EXPECT_EQ(test, z->mt_capped[o], 0);
			for (mt = 0; mt < z->nr_migratetypes; mt++)
				sum += z->nr_free_mt[o][mt];
			KUNIT_EXPECT_EQ_MSG(test, sum, z->nr_free[o],
					    "node %u %s order %u", z->node,
					    z->name, o);
			checked += z->nr_free[o] > 0;
		}
	}
	KUNIT_EXPECT_GT(test, checked, 0U);
}

static void capture_zones_walk_limit(struct kunit *test)
{
	struct oomsnap_record *rec = capture_zones(test, 1);
	unsigned int i, o, mt, capped = 0;

	KUNIT_EXPECT_EQ(test, rec->walk_limit, 1U);
	for (i = 0; i < rec->nr_zones; i++) {
		const struct oomsnap_zone *z = &rec->zones[i];

		for (o = 0; o < z->nr_orders; o++) {
			for (mt = 0; mt < z->nr_migratetypes; mt++)
				KUNIT_EXPECT_LE(test, z->nr_free_mt[o][mt], 1U);
			capped += hweight8(z->mt_capped[o]);
		}
	}
	/* a fresh guest has lists longer than one block somewhere */
	KUNIT_EXPECT_GT(test, capped, 0U);

	/* no walk at all: buddy counts only, no migratetype columns */
	rec = capture_zones(test, 0);
	KUNIT_EXPECT_FALSE(test, rec->zones[0].have & OOMSNAP_ZONE_HAVE_MT);
	KUNIT_EXPECT_TRUE(test, rec->zones[0].have & OOMSNAP_ZONE_HAVE_BUDDY);
}

static void capture_mem_matches_counters(struct kunit *test)
{
	struct snap_ctx *ctx = test->priv;
	struct oomsnap_record *rec = ctx->rec;
	unsigned long before, after, cma;
	long drift = SLACK * 4;
	struct sysinfo si;

	oomsnap_symbols_resolve();
	memset(rec, 0, sizeof(*rec));
	before = global_zone_page_state(NR_FREE_PAGES);
	oomsnap_capture_mem(rec);
	after = global_zone_page_state(NR_FREE_PAGES);
	si_meminfo(&si);

	KUNIT_EXPECT_EQ(test, rec->nr_mem, (u32)OOMSNAP_MEM_NR);
	KUNIT_EXPECT_TRUE(test, rec->mem_have & (1ULL << OOMSNAP_MEM_TOTALRAM));
	KUNIT_EXPECT_EQ(test, rec->mem[OOMSNAP_MEM_TOTALRAM], (u64)si.totalram);
	KUNIT_EXPECT_GE(test, (long)rec->mem[OOMSNAP_MEM_FREE],
			(long)min(before, after) - drift);
	KUNIT_EXPECT_LE(test, (long)rec->mem[OOMSNAP_MEM_FREE],
			(long)max(before, after) + drift);
	/* this guest has no swap */
	KUNIT_EXPECT_TRUE(test, rec->mem_have & (1ULL << OOMSNAP_MEM_SWAP_FREE));
	KUNIT_EXPECT_EQ(test, rec->mem[OOMSNAP_MEM_SWAP_FREE], 0ULL);
	if (rec->mem_have & (1ULL << OOMSNAP_MEM_SWAP_TOTAL))
		KUNIT_EXPECT_EQ(test, rec->mem[OOMSNAP_MEM_SWAP_TOTAL], 0ULL);
	/* booted with cma=16M: free CMA pages are there and counted */
	cma = global_zone_page_state(NR_FREE_CMA_PAGES);
	KUNIT_EXPECT_GT(test, cma, 0UL);
	KUNIT_EXPECT_LE(test, abs((long)rec->mem[OOMSNAP_MEM_FREE_CMA] - (long)cma),
			drift);
	/* the parts can't exceed the whole */
	KUNIT_EXPECT_LE(test, rec->mem[OOMSNAP_MEM_UNACCOUNTED],
			rec->mem[OOMSNAP_MEM_TOTALRAM]);
	KUNIT_EXPECT_LE(test, rec->mem[OOMSNAP_MEM_SLAB_UNRECLAIMABLE] +
			rec->mem[OOMSNAP_MEM_FREE],
			rec->mem[OOMSNAP_MEM_TOTALRAM]);
}

/* ---------------------------------------------------------------------- */
/* capture + replica against the kernel's __zone_watermark_ok()           */

/*
 * The diagnosis of a captured record runs the replica on the captured
 * zones. Where the answer hinges on lowmem_reserve (marks half a reserve
 * away from the boundary, far more than the counters drift), it must match
 * what the kernel answers for the live zone.
 */
static void capture_zones_replica_agrees_with_kernel(struct kunit *test)
{
	zone_watermark_ok_fn kernel_ok = resolve_zone_watermark_ok(test);
	struct oomsnap_record *rec = capture_zones(test, WALK_LIMIT);
	unsigned int i, checked = 0;
	int h, side;

	/* the rule of the running kernel */
	rec->kernel_era = 0;
	for (i = 0; i < rec->nr_zones; i++) {
		const struct oomsnap_zone *z = &rec->zones[i];
		struct zone *zone = live_zone(z);
		long free = zone_page_state(zone, NR_FREE_PAGES);
		long margin;

		for (h = 0; h < MAX_NR_ZONES; h++) {
			long reserve = zone->lowmem_reserve[h];
			/* what GFP_MOVABLE-like requests can't count: highatomic */
			long usable = free - (long)zone->nr_reserved_highatomic;

			/* the replica sees the captured free count, the kernel today's */
			margin = reserve / 2;
			if (!margin || abs(free - (long)z->free) >= margin)
				continue;
			for (side = -1; side <= 1; side += 2) {
				/* usable - mark against the reserve, half a reserve off */
				long mark = usable - reserve + side * margin;
				struct oomsnap_wmark_check chk;
				bool want, got;

				if (mark <= 0)
					continue;
				want = kernel_ok(zone, 0, mark, h,
						 ALLOC_WMARK_MIN | ALLOC_CMA, free);
				got = oomsnap_zone_watermark_ok(rec, z, 0, mark,
								oomsnap_zone_type(h),
								OOMSNAP_ALLOC_CMA,
								&chk);
				KUNIT_EXPECT_EQ_MSG(test, got, want,
						    "node %u %s, requests up to zone %d, mark %ld: replica reserve %lld, kernel %ld",
						    z->node, z->name, h, mark,
						    chk.reserve, reserve);
				checked++;
			}
		}
	}
	kunit_info(test, "%u checks\n", checked);
	KUNIT_EXPECT_GT(test, checked, 0U);
}

static struct kunit_case snapshot_cases[] = {
	KUNIT_CASE(capture_zones_every_populated_zone),
	KUNIT_CASE(capture_zones_lowmem_reserve_by_zone_type),
	KUNIT_CASE(capture_zones_free_sum_matches_global),
	KUNIT_CASE(capture_zones_buddy_adds_up),
	KUNIT_CASE(capture_zones_migratetype_columns_exact),
	KUNIT_CASE(capture_zones_walk_limit),
	KUNIT_CASE(capture_mem_matches_counters),
	KUNIT_CASE(capture_zones_replica_agrees_with_kernel),
	{}
};

static struct kunit_suite snapshot_suite = {
	.name = "oomsnap_snapshot",
	.init = snapshot_test_init,
	.exit = snapshot_test_exit,
	.test_cases = snapshot_cases,
};

kunit_test_suite(snapshot_suite);
