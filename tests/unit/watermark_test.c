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
