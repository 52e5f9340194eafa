// SPDX-License-Identifier: GPL-2.0
/*
 * The watermark replica (lib/watermark.c): the order-0 test, lowmem_reserve,
 * the per-order walk, each era's rule and allowances.
 *
 * Part of unit.c, which includes it: one program, built from unit.c alone.
 */

static void test_watermark(void)
{
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;
	bool ok;

	blank(ERA61);
	z = zone(0, OOMSNAP_ZONE_NORMAL, 1001, 1000, 100000);
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL, 0, &chk);
	result("wmark_order0_strictly_above_min", check(ok, "1001 > 1000 must pass"));
	z->free = 1000;
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL, 0, &chk);
	result("wmark_order0_equal_fails", check(!ok && !chk.order0_ok, "free == min must fail"));

	z->free = 3000;
	z->lowmem_reserve[OOMSNAP_ZONE_MOVABLE] = 2500;
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_MOVABLE, 0, &chk);
	result("wmark_lowmem_reserve_of_highest_zoneidx",
	       check(!ok && chk.reserve == 2500, "3000 <= 1000 + 2500 must fail (reserve %lld)",
		     (long long)chk.reserve));
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL, 0, &chk);
	result("wmark_lowmem_reserve_own_zone", check(ok, "reserve[Normal] is 0: must pass"));

	/* highatomic: unusable without reserves (6.1.y ALLOC_RESERVES) */
	z->free = 1500;
	z->reserved_highatomic = 600;
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, GFP_KERNEL, 0), &chk);
	result("wmark_highatomic_unusable_for_gfp_kernel",
	       check(!ok && chk.unusable == 600, "unusable %lld", (long long)chk.unusable));
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, GFP_ATOMIC, 0), &chk);
	result("wmark_highatomic_usable_with_reserves",
	       check(ok && chk.unusable == 0 && chk.min == 375,
		     "ok %d unusable %lld min %lld (1000 -> 500 -> 375)", ok,
		     (long long)chk.unusable, (long long)chk.min));
	/*
	 * 6.12 keeps nr_free_highatomic and subtracts that instead of the
	 * reserve: a reserve of 600 whose lists hold 100 free pages costs a
	 * GFP_KERNEL request 100 pages, and then 1500 - 100 > 1000 passes
	 */
	z->have |= OOMSNAP_ZONE_HAVE_FREE_HIGHATOMIC;
	z->vmstat[OOMSNAP_ZV_FREE_HIGHATOMIC] = 100;
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, GFP_KERNEL, 0), &chk);
	result("wmark_free_highatomic_6_12",
	       check(ok && chk.unusable == 100, "ok %d unusable %lld", ok,
		     (long long)chk.unusable));
	z->have &= ~OOMSNAP_ZONE_HAVE_FREE_HIGHATOMIC;
	z->vmstat[OOMSNAP_ZV_FREE_HIGHATOMIC] = 0;
	/* GFP_NOWAIT: NON_BLOCK without MIN_RESERVE: no min reduction, highatomic usable */
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, OOMSNAP_GFP_KSWAPD_RECLAIM, 0),
				       &chk);
	result("wmark_nowait_6_1_rule", check(ok && chk.min == 1000 && chk.unusable == 0,
					      "min %lld unusable %lld", (long long)chk.min,
					      (long long)chk.unusable));

	/* 4.4 .. 6.2 rule: ALLOC_HARDER from __GFP_ATOMIC; NOWAIT gets nothing */
	rec.kernel_era = OOMSNAP_ERA(5, 10);
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, OOMSNAP_GFP_KSWAPD_RECLAIM, 0),
				       &chk);
	result("wmark_nowait_5_10_rule", check(!ok && chk.unusable == 600,
					       "5.10 NOWAIT may not use highatomic"));
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, GFP_ATOMIC | OOMSNAP_GFP_ATOMIC, 0),
				       &chk);
	result("wmark_atomic_5_10_rule", check(ok && chk.min == 375,
					       "ALLOC_HIGH + ALLOC_HARDER: min %lld",
					       (long long)chk.min));
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL,
				       OOMSNAP_ALLOC_OOM, &chk);
	result("wmark_alloc_oom", check(chk.min == 500 && chk.unusable == 0,
					"ALLOC_OOM: min %lld", (long long)chk.min));
	rec.kernel_era = ERA61;

	/* CMA: counted only for movable requests */
	z->reserved_highatomic = 0;
	z->free = 5000;
	z->vmstat[OOMSNAP_ZV_FREE_CMA] = 4500;
	z->have |= OOMSNAP_ZONE_HAVE_CMA;
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, GFP_KERNEL, 0), &chk);
	result("wmark_cma_unusable_unmovable", check(!ok && chk.unusable == 4500, "GFP_KERNEL"));
	ok = oomsnap_zone_watermark_ok(&rec, z, 0, 1000, OOMSNAP_ZONE_MOVABLE,
				       oomsnap_alloc_flags(&rec, GFP_HIGHUSER_MOVABLE, 0), &chk);
	result("wmark_cma_usable_movable", check(ok, "movable may use CMA"));
	z->vmstat[OOMSNAP_ZV_FREE_CMA] = 0;

	/* order > 0: any suitable block of order >= o on a usable list */
	memset(z->nr_free, 0, sizeof(z->nr_free));
	memset(z->nr_free_mt, 0, sizeof(z->nr_free_mt));
	z->nr_free[0] = 4000;
	z->nr_free[1] = 500;
	ok = oomsnap_zone_watermark_ok(&rec, z, 2, 1000, OOMSNAP_ZONE_NORMAL, 0, &chk);
	result("wmark_order2_no_block", check(!ok && chk.order0_ok && chk.walk_known,
					      "order0 ok, no order>=2 block"));
	z->nr_free[5] = 1;
	ok = oomsnap_zone_watermark_ok(&rec, z, 2, 1000, OOMSNAP_ZONE_NORMAL, 0, &chk);
	result("wmark_order2_higher_block", check(ok && chk.walk_all_blocks,
						  "an order-5 block serves order 2"));
	z->have |= OOMSNAP_ZONE_HAVE_MT;
	z->nr_migratetypes = OOMSNAP_MT_NR;
	z->nr_free_mt[5][OOMSNAP_MT_HIGHATOMIC] = 1;
	ok = oomsnap_zone_watermark_ok(&rec, z, 2, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, GFP_KERNEL, 2), &chk);
	result("wmark_highatomic_list_refused", check(!ok, "GFP_KERNEL may not take HighAtomic blocks"));
	ok = oomsnap_zone_watermark_ok(&rec, z, 2, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, GFP_ATOMIC, 2), &chk);
	result("wmark_highatomic_list_atomic", check(ok, "order-2 GFP_ATOMIC sets ALLOC_HIGHATOMIC"));
	z->nr_free_mt[5][OOMSNAP_MT_HIGHATOMIC] = 0;
	z->nr_free_mt[5][OOMSNAP_MT_CMA] = 1;
	ok = oomsnap_zone_watermark_ok(&rec, z, 2, 1000, OOMSNAP_ZONE_NORMAL,
				       oomsnap_alloc_flags(&rec, GFP_HIGHUSER_MOVABLE, 2), &chk);
	result("wmark_cma_list_movable", check(ok, "movable takes CMA blocks"));
	z->nr_free_mt[5][OOMSNAP_MT_CMA] = 0;
	z->nr_free_mt[5][OOMSNAP_MT_ISOLATE] = 1;
	ok = oomsnap_zone_watermark_ok(&rec, z, 2, 1000, OOMSNAP_ZONE_NORMAL,
				       OOMSNAP_ALLOC_OOM | OOMSNAP_ALLOC_CMA, &chk);
	result("wmark_isolate_never", check(!ok, "isolated blocks never count"));
	z->have &= ~OOMSNAP_ZONE_HAVE_BUDDY;
	ok = oomsnap_zone_watermark_ok(&rec, z, 2, 1000, OOMSNAP_ZONE_NORMAL, 0, &chk);
	result("wmark_no_buddy_unknown", check(!ok && !chk.walk_known, "walk must be unknown"));

	/* 2.6-4.3: min >>= 1 per order; the lkml-2009 ARM numbers */
	blank(OOMSNAP_ERA(2, 6));
	z = zone(0, OOMSNAP_ZONE_NORMAL, 5099, 499, 62449);
	memset(z->nr_free, 0, sizeof(z->nr_free));
	z->nr_free[0] = 1445;
	z->nr_free[1] = 1781;
	z->nr_free[2] = 15;
	z->nr_free[3] = 2;
	z->nr_free[4] = 1;
	ok = oomsnap_zone_watermark_ok(&rec, z, 2, 499, OOMSNAP_ZONE_NORMAL, 0, &chk);
	/* free = 5099 - 3 = 5096; o=0: 5096-1445=3651, min 249; o=1: 3651-3562=89 <= min 124 */
	result("wmark_classic_walk", check(!ok && chk.classic_fail_order == 2 &&
					   chk.walk_free == 89 && chk.walk_min == 124,
					   "fail order %d free %lld min %lld",
					   chk.classic_fail_order, (long long)chk.walk_free,
					   (long long)chk.walk_min));
	ok = oomsnap_zone_watermark_ok(&rec, z, 1, 499, OOMSNAP_ZONE_NORMAL, 0, &chk);
	result("wmark_classic_order1_passes", check(ok, "order 1 must pass"));
}

/*
 * gfp_to_alloc_flags() as far as the watermark check reads it
 * (oomsnap_alloc_flags()), per era, and which rule each era's check takes
 * (the live kernel's own check is module/watermark_kunit.c's).
 */
static void test_alloc_flags(void)
{
#define G(x)		OOMSNAP_GFP_##x
#define GFP_A61		(G(HIGH) | G(ATOMIC) | G(KSWAPD_RECLAIM))
#define F_MIN		OOMSNAP_ALLOC_MIN_RESERVE
#define F_NB		OOMSNAP_ALLOC_NON_BLOCK
#define F_HA		OOMSNAP_ALLOC_HIGHATOMIC
#define F_CMA		OOMSNAP_ALLOC_CMA
#define F_HARD		OOMSNAP_ALLOC_HARDER
	static const struct {
		const char *what;
		unsigned int era;
		__u64 gfp;
		int order;
		unsigned int flags;
	} cases[] = {
		{ "6.1 GFP_KERNEL", SYNTH_ERA_6_1, GFP_KERNEL, 0, 0 },
		{ "6.1 GFP_KERNEL|__GFP_HIGH", SYNTH_ERA_6_1, GFP_KERNEL | G(HIGH), 0, F_MIN },
		{ "6.1 GFP_ATOMIC", SYNTH_ERA_6_1, GFP_A61, 0, F_MIN | F_NB },
		{ "6.1 GFP_ATOMIC", SYNTH_ERA_6_1, GFP_A61, 2, F_MIN | F_NB | F_HA },
		{ "6.1 GFP_NOWAIT", SYNTH_ERA_6_1, G(KSWAPD_RECLAIM), 0, F_NB },
		{ "6.1 GFP_NOWAIT", SYNTH_ERA_6_1, G(KSWAPD_RECLAIM), 3, F_NB },
		{ "6.1 GFP_ATOMIC|__GFP_NOMEMALLOC", SYNTH_ERA_6_1, GFP_A61 | G(NOMEMALLOC), 2,
		  F_MIN },
		{ "6.1 GFP_HIGHUSER_MOVABLE", SYNTH_ERA_6_1, GFP_HIGHUSER_MOVABLE, 0, F_CMA },
		{ "5.10 GFP_ATOMIC", SYNTH_ERA_5_10, GFP_A61, 0, F_MIN | F_HARD },
		{ "5.10 GFP_NOWAIT", SYNTH_ERA_5_10, G(KSWAPD_RECLAIM), 0, 0 },
		{ "5.10 GFP_ATOMIC|__GFP_NOMEMALLOC", SYNTH_ERA_5_10, GFP_A61 | G(NOMEMALLOC), 0,
		  F_MIN },
		{ "3.10 GFP_ATOMIC", SYNTH_ERA_3_10, G(HIGH), 0, F_MIN | F_HARD },
		{ "3.10 GFP_NOWAIT", SYNTH_ERA_3_10, 0, 0, F_HARD },
		{ "3.10 GFP_KERNEL", SYNTH_ERA_3_10, GFP_KERNEL, 0, 0 },
	};
	static const struct {
		unsigned int era;
		unsigned int rule;
	} rules[] = {
		{ 0, OOMSNAP_WMARK_RULE_RESERVES },
		{ OOMSNAP_ERA(2, 6), OOMSNAP_WMARK_RULE_CLASSIC },
		{ OOMSNAP_ERA(4, 3), OOMSNAP_WMARK_RULE_CLASSIC },
		{ OOMSNAP_ERA(4, 4), OOMSNAP_WMARK_RULE_HARDER },
		{ OOMSNAP_ERA(5, 10), OOMSNAP_WMARK_RULE_HARDER },
		{ OOMSNAP_ERA(6, 0), OOMSNAP_WMARK_RULE_HARDER },
		{ OOMSNAP_ERA(6, 1), OOMSNAP_WMARK_RULE_RESERVES },
		{ OOMSNAP_ERA(6, 12), OOMSNAP_WMARK_RULE_RESERVES },
	};
	static struct oomsnap_record r;
	unsigned int i, got;
	char name[80];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		synth_blank(&r, cases[i].era);
		got = oomsnap_alloc_flags(&r, cases[i].gfp, cases[i].order);
		snprintf(name, sizeof(name), "alloc_flags %s order %d", cases[i].what,
			 cases[i].order);
		result(name, check(got == cases[i].flags, "0x%x, want 0x%x", got,
				   cases[i].flags));
	}
	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		synth_blank(&r, rules[i].era);
		snprintf(name, sizeof(name), "wmark_rule_by_era 0x%x", rules[i].era);
		result(name, check(oomsnap_wmark_rule(&r) == rules[i].rule, "rule %u, want %u",
				   oomsnap_wmark_rule(&r), rules[i].rule));
	}
#undef G
#undef GFP_A61
#undef F_MIN
#undef F_NB
#undef F_HA
#undef F_CMA
#undef F_HARD
}

/*
 * The kernel's rule worked by hand, case by case (expected values never come
 * from the replica itself):
 *
 *   unusable = (1 << order) - 1
 *            + nr_reserved_highatomic  unless ALLOC_RESERVES
 *            + NR_FREE_CMA_PAGES       unless ALLOC_CMA
 *   min = mark; MIN_RESERVE: min -= min / 2, then NON_BLOCK: min -= min / 4;
 *               OOM: min -= min / 2
 *   fail if free - unusable <= min + lowmem_reserve[highest_zoneidx]
 *   order > 0: pass if some order o >= order has a block on an
 *   Unmovable/Movable/Reclaimable list, CMA with ALLOC_CMA, HighAtomic
 *   with ALLOC_HIGHATOMIC or ALLOC_OOM.
 *
 * 4.4 .. 6.2 (5.10 below): the reserve is unusable unless ALLOC_HARDER or
 * ALLOC_OOM; ALLOC_HIGH: min -= min / 2; ALLOC_OOM: min -= min / 2, else
 * ALLOC_HARDER: min -= min / 4; HighAtomic blocks with ALLOC_HARDER.
 *
 * The same replica against the kernel's own __zone_watermark_ok() on live
 * zones is module/watermark_kunit.c's.
 */
#define F_MIN		OOMSNAP_ALLOC_MIN_RESERVE
#define F_NB		OOMSNAP_ALLOC_NON_BLOCK
#define F_HA		OOMSNAP_ALLOC_HIGHATOMIC
#define F_OOM		OOMSNAP_ALLOC_OOM
#define F_CMA		OOMSNAP_ALLOC_CMA
#define F_HARD		OOMSNAP_ALLOC_HARDER
#define UPTO(t)		(OOMSNAP_ZONE_##t + 1)
#define ERA510		SYNTH_ERA_5_10

enum { WALK_ANY, WALK_UNKNOWN, WALK_LISTS, WALK_ALL_BLOCKS };

/* One zone, one request, every number the check reports. */
struct wmark_case {
	const char *what;
	unsigned int era;		/* 0: 6.1 */
	__u64 free, mark;
	int order;
	unsigned int upto;		/* UPTO(highest zone); 0: Normal */
	unsigned int flags;		/* alloc_flags */
	bool reserves;			/* a DMA32 zone: lowmem_reserve 0 0 350 350 400 */
	__u64 highatomic, cma;		/* nr_reserved_highatomic, free CMA pages */
	__u32 blocks;			/* free blocks of block_order on the block_mt list */
	int block_order;
	unsigned int block_mt;
	bool no_lists;			/* the blocks without per-migratetype data */
	/* what the kernel's rule says */
	bool ok, order0_ok;
	__s64 unusable, min, reserve;
	int walk;			/* WALK_*; WALK_ANY: not asked */
};

static const struct wmark_case wmark_cases[] = {
	/* order 0: strictly above min; an empty zone never passes */
	{ "order0 free 1000 mark 100", .free = 1000, .mark = 100, .ok = 1, .order0_ok = 1, .min = 100 },
	{ "order0 free 101 mark 100", .free = 101, .mark = 100, .ok = 1, .order0_ok = 1, .min = 100 },
	{ "order0 free == mark fails", .free = 100, .mark = 100, .min = 100 },
	{ "order0 free 99 mark 100", .free = 99, .mark = 100, .min = 100 },
	{ "order0 free 0 mark 100", .free = 0, .mark = 100, .min = 100 },
	{ "order0 free 0 mark 0", .free = 0, .mark = 0 },
	{ "order0 free 1 mark 0", .free = 1, .mark = 0, .ok = 1, .order0_ok = 1 },
	{ "order -1 (sysrq) is order 0", .free = 101, .mark = 100, .order = -1, .ok = 1,
	  .order0_ok = 1, .min = 100 },

	/* lowmem_reserve[] of DMA32 for the request's highest zone: free 500, min 150 */
	{ "reserve up to DMA", .free = 500, .mark = 150, .upto = UPTO(DMA), .reserves = 1,
	  .ok = 1, .order0_ok = 1, .min = 150 },
	{ "reserve up to DMA32", .free = 500, .mark = 150, .upto = UPTO(DMA32), .reserves = 1,
	  .ok = 1, .order0_ok = 1, .min = 150 },
	{ "reserve up to Normal: 500 <= 150 + 350", .free = 500, .mark = 150, .reserves = 1,
	  .min = 150, .reserve = 350 },
	{ "reserve up to Movable: 500 <= 150 + 400", .free = 500, .mark = 150,
	  .upto = UPTO(MOVABLE), .reserves = 1, .min = 150, .reserve = 400 },

	/* (1 << order) - 1 pages unusable; one order-10 block on the Movable list */
#define UNUSABLE(f, o, pass) { "unusable free " #f " order " #o, .free = f, .mark = 100, \
	.order = o, .blocks = 1, .block_order = 10, .block_mt = OOMSNAP_MT_MOVABLE, .ok = pass, \
	.order0_ok = pass, .unusable = (1 << o) - 1, .min = 100, \
	.walk = (o) && (pass) ? WALK_LISTS : WALK_ANY }
	UNUSABLE(101, 0, 1), UNUSABLE(100, 0, 0),
	UNUSABLE(108, 3, 1), UNUSABLE(107, 3, 0),		/* 108 - 7 = 101 > 100 */
	UNUSABLE(1124, 10, 1), UNUSABLE(1123, 10, 0),		/* 1124 - 1023 = 101 */
#undef UNUSABLE

	/* order 3 needs a block of order >= 3: one Unmovable block at one order */
#define BLOCK(bo) { "order 3, one block at order " #bo, .free = 10000, .mark = 100, .order = 3, \
	.blocks = 1, .block_order = bo, .ok = (bo) >= 3, .order0_ok = 1, .unusable = 7, \
	.min = 100, .walk = WALK_LISTS }
	BLOCK(0), BLOCK(1), BLOCK(2), BLOCK(3), BLOCK(4), BLOCK(7), BLOCK(10),
#undef BLOCK

	/* order 2: which lists the request may take from (3 blocks of order 4) */
#define LIST(list, f, pass, m) { "order 2 from " #list " with flags " #f, .free = 10000, \
	.mark = 100, .order = 2, .flags = f, .blocks = 3, .block_order = 4, \
	.block_mt = OOMSNAP_MT_##list, .ok = pass, .order0_ok = 1, .unusable = 3, .min = m, \
	.walk = WALK_LISTS }
	LIST(UNMOVABLE, 0, 1, 100),
	LIST(MOVABLE, 0, 1, 100),
	LIST(RECLAIMABLE, 0, 1, 100),
	LIST(HIGHATOMIC, 0, 0, 100),
	LIST(HIGHATOMIC, F_HA, 1, 100),
	LIST(HIGHATOMIC, F_OOM, 1, 50),
	LIST(HIGHATOMIC, F_MIN | F_NB, 0, 38),		/* GFP_ATOMIC order 0: 100, 50, 38 */
	LIST(CMA, 0, 0, 100),
	LIST(CMA, F_CMA, 1, 100),
	LIST(CMA, F_HA | F_OOM | F_MIN | F_NB, 0, 19),	/* 38 - 38 / 2 */
	LIST(ISOLATE, F_HA | F_OOM | F_MIN | F_NB | F_CMA, 0, 19),
#undef LIST

	/* the highatomic reserve (200 of 1000 free, mark 850): not for requests without reserves */
#define HIGHATOMIC(f, pass, u, m) { "highatomic reserve, flags " #f, .free = 1000, .mark = 850, \
	.flags = f, .highatomic = 200, .ok = pass, .order0_ok = pass, .unusable = u, .min = m }
	HIGHATOMIC(0, 0, 200, 850),		/* 1000 - 200 = 800 <= 850 */
	HIGHATOMIC(F_NB, 1, 0, 850),		/* min not lowered */
	HIGHATOMIC(F_MIN, 1, 0, 425),
	HIGHATOMIC(F_OOM, 1, 0, 425),
	HIGHATOMIC(F_HA, 1, 0, 850),
	HIGHATOMIC(F_CMA, 0, 200, 850),
#undef HIGHATOMIC

	/* free CMA pages (300 of 1000 free, mark 750): only for movable requests */
	{ "cma pages without ALLOC_CMA", .free = 1000, .mark = 750, .cma = 300, .unusable = 300,
	  .min = 750 },
	{ "cma pages with ALLOC_CMA", .free = 1000, .mark = 750, .flags = F_CMA, .cma = 300,
	  .ok = 1, .order0_ok = 1, .min = 750 },

	/* a log without buddy lines: order 0 decidable, order 2 not */
	{ "no buddy data, order 0", .free = 1000, .mark = 100, .ok = 1, .order0_ok = 1, .min = 100 },
	{ "no buddy data, order 2", .free = 1000, .mark = 100, .order = 2, .order0_ok = 1,
	  .unusable = 3, .min = 100, .walk = WALK_UNKNOWN },
	/* buddy counts without per-list data: every block counts */
	{ "no list data, order 4, an order-5 block", .free = 1000, .mark = 100, .order = 4,
	  .blocks = 1, .block_order = 5, .no_lists = 1, .ok = 1, .order0_ok = 1, .unusable = 15,
	  .min = 100, .walk = WALK_ALL_BLOCKS },
	{ "no list data, order 6, an order-5 block", .free = 1000, .mark = 100, .order = 6,
	  .blocks = 1, .block_order = 5, .no_lists = 1, .order0_ok = 1, .unusable = 63,
	  .min = 100, .walk = WALK_LISTS },

	/*
	 * 4.4 .. 6.2: __GFP_HIGH alone (ALLOC_HIGH) does not exempt a request from
	 * the reserve: free 600, reserve 200, mark 850: 600 - 200 = 400 <= 425,
	 * while 6.1.y lets the same request pass: 600 > 425. HighAtomic blocks:
	 * ALLOC_HARDER in 5.10, ALLOC_HIGHATOMIC later.
	 */
	{ "5.10 ALLOC_HIGH keeps the reserve", .era = ERA510, .free = 600, .mark = 850,
	  .flags = F_MIN, .highatomic = 200, .unusable = 200, .min = 425 },
	{ "6.1 ALLOC_MIN_RESERVE may use the reserve", .free = 600, .mark = 850, .flags = F_MIN,
	  .highatomic = 200, .ok = 1, .order0_ok = 1, .min = 425 },
	{ "5.10 ALLOC_HARDER takes a HighAtomic block", .era = ERA510, .free = 100000,
	  .mark = 850, .order = 3, .flags = F_HARD, .highatomic = 200, .blocks = 1,
	  .block_order = 3, .block_mt = OOMSNAP_MT_HIGHATOMIC, .ok = 1, .order0_ok = 1,
	  .unusable = 7, .min = 638, .walk = WALK_LISTS },		/* 850 - 850 / 4 */
	{ "6.1 ALLOC_HARDER means nothing", .free = 100000, .mark = 850, .order = 3,
	  .flags = F_HARD, .highatomic = 200, .blocks = 1, .block_order = 3,
	  .block_mt = OOMSNAP_MT_HIGHATOMIC, .order0_ok = 1, .unusable = 207, .min = 850,
	  .walk = WALK_LISTS },
};

/* Run @c; on a mismatch, why[] says which number. */
static bool wmark_case_holds(const struct wmark_case *c)
{
	unsigned int upto = c->upto ? c->upto - 1 : OOMSNAP_ZONE_NORMAL;
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;
	bool ok;

	synth_blank(&rec, c->era ? c->era : ERA61);
	z = synth_zone(&rec, 0, c->reserves ? OOMSNAP_ZONE_DMA32 : OOMSNAP_ZONE_NORMAL, c->free,
		       c->mark, 1 << 18);
	if (c->reserves) {
		z->have |= OOMSNAP_ZONE_HAVE_RESERVE;
		z->lowmem_reserve[OOMSNAP_ZONE_NORMAL] = 350;
		z->lowmem_reserve[OOMSNAP_ZONE_HIGHMEM] = 350;
		z->lowmem_reserve[OOMSNAP_ZONE_MOVABLE] = 400;
	}
	if (c->highatomic) {
		z->have |= OOMSNAP_ZONE_HAVE_HIGHATOMIC;
		z->reserved_highatomic = c->highatomic;
	}
	if (c->cma) {
		z->have |= OOMSNAP_ZONE_HAVE_CMA;
		z->vmstat[OOMSNAP_ZV_FREE_CMA] = c->cma;
	}
	if (c->blocks && c->no_lists) {
		z->have |= OOMSNAP_ZONE_HAVE_BUDDY;
		z->nr_free[c->block_order] = c->blocks;
	} else if (c->blocks) {
		synth_blocks(z, c->block_order, c->block_mt, c->blocks);
	}
	ok = oomsnap_zone_watermark_ok(&rec, z, c->order, c->mark, upto, c->flags, &chk);
	return check(ok == c->ok && chk.ok == c->ok, "ok %d, want %d", ok, c->ok) &&
	       check(chk.order0_ok == c->order0_ok, "order-0 test %d, want %d", chk.order0_ok,
		     c->order0_ok) &&
	       check(chk.unusable == c->unusable && chk.min == c->min && chk.reserve == c->reserve,
		     "unusable %lld min %lld reserve %lld, want %lld %lld %lld",
		     (long long)chk.unusable, (long long)chk.min, (long long)chk.reserve,
		     (long long)c->unusable, (long long)c->min, (long long)c->reserve) &&
	       check(c->walk == WALK_ANY ||
		     (c->walk == WALK_UNKNOWN && !chk.walk_known) ||
		     (c->walk == WALK_LISTS && chk.walk_known && !chk.walk_all_blocks) ||
		     (c->walk == WALK_ALL_BLOCKS && chk.walk_known && chk.walk_all_blocks),
		     "walk known %d all blocks %d, want case %d", chk.walk_known,
		     chk.walk_all_blocks, c->walk);
}

/*
 * How far below min each kind of request may go (mark 1000), per era: at the
 * lowered min the check fails, one page above it passes.
 */
static const struct {
	unsigned int era, flags;
	__s64 min;
} wmark_allowances[] = {
	{ ERA61, 0, 1000 },
	{ ERA61, F_MIN, 500 },
	{ ERA61, F_MIN | F_NB, 375 },		/* GFP_ATOMIC */
	{ ERA61, F_NB, 1000 },			/* GFP_NOWAIT: no allowance */
	{ ERA61, F_HA, 1000 },
	{ ERA61, F_OOM, 500 },
	{ ERA61, F_MIN | F_OOM, 250 },
	{ ERA61, F_MIN | F_NB | F_OOM, 188 },	/* 375 - 375 / 2 */
	{ ERA510, F_HARD, 750 },
	{ ERA510, F_MIN, 500 },
	{ ERA510, F_MIN | F_HARD, 375 },
	{ ERA510, F_OOM, 500 },
	{ ERA510, F_OOM | F_HARD, 500 },	/* OOM wins over HARDER */
	{ ERA510, F_MIN | F_OOM, 250 },
	{ SYNTH_ERA_3_10, F_MIN | F_HARD, 375 },
};

/*
 * 2.6 .. 4.3: the walk removes each lower order's pages and halves min:
 *   order 2, mark 100; order 0: 300 pages, order 1: 50 blocks (100 pages)
 *   order 2: 10 blocks (40) -> 440 free: 437 > 100; 137 > 50; 37 > 25: pass
 *   order 2:  5 blocks (20) -> 420 free: 417 > 100; 117 > 50; 17 <= 25: fail
 */
static void wmark_classic_era_walk(void)
{
	struct oomsnap_record *r = &rec;
	struct oomsnap_zone *z;
	struct oomsnap_wmark_check chk;
	unsigned int rule;
	bool pass, fail;

	synth_blank(r, SYNTH_ERA_3_10);
	z = synth_zone(r, 0, OOMSNAP_ZONE_NORMAL, 440, 100, 1 << 18);
	z->have |= OOMSNAP_ZONE_HAVE_BUDDY;
	z->nr_free[0] = 300;
	z->nr_free[1] = 50;
	z->nr_free[2] = 10;
	pass = oomsnap_zone_watermark_ok(r, z, 2, 100, OOMSNAP_ZONE_NORMAL, 0, &chk);
	rule = chk.rule;
	z->free = 420;
	z->nr_free[2] = 5;
	fail = oomsnap_zone_watermark_ok(r, z, 2, 100, OOMSNAP_ZONE_NORMAL, 0, &chk);
	result("wmark_classic_era_walk",
	       check(pass && rule == OOMSNAP_WMARK_RULE_CLASSIC, "440 free: ok %d rule %u",
		     pass, rule) &&
	       check(!fail && chk.order0_ok && chk.classic_fail_order == 2 &&
		     chk.walk_free == 17 && chk.walk_min == 25,
		     "420 free: ok %d order0_ok %d fail order %d free %lld min %lld", fail,
		     chk.order0_ok, chk.classic_fail_order, (long long)chk.walk_free,
		     (long long)chk.walk_min));
}

static void test_watermark_cases(void)
{
	struct wmark_case c;
	unsigned int i;
	char name[96];

	for (i = 0; i < ARRAY_SIZE(wmark_cases); i++) {
		snprintf(name, sizeof(name), "wmark_case %s", wmark_cases[i].what);
		result(name, wmark_case_holds(&wmark_cases[i]));
	}
	for (i = 0; i < ARRAY_SIZE(wmark_allowances); i++) {
		memset(&c, 0, sizeof(c));
		c.era = wmark_allowances[i].era;
		c.mark = 1000;
		c.flags = wmark_allowances[i].flags;
		c.min = wmark_allowances[i].min;
		c.free = c.min;
		snprintf(name, sizeof(name), "wmark_allowance era %u.%u alloc_flags 0x%x",
			 c.era >> 16, (c.era >> 8) & 0xff, c.flags);
		if (wmark_case_holds(&c)) {
			/* one page above the lowered min */
			c.free++;
			c.ok = c.order0_ok = true;
			wmark_case_holds(&c);
		}
		result(name, !why[0]);
	}
	wmark_classic_era_walk();
}
#undef F_MIN
#undef F_NB
#undef F_HA
#undef F_OOM
#undef F_CMA
#undef F_HARD
#undef UPTO
#undef ERA510
