// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnosis on one 4 GB host (1M pages, one node, DMA / DMA32 / Normal
 * all at or below min, GFP_KERNEL order 0, nothing special in the
 * counters), each case changing what makes its cause: every cause id, the
 * thresholds of the contributing factors, and the inputs that lack what a
 * conclusion needs. Where diagnosis_test.c builds its zones with buddy
 * data, these zones have none unless a case adds blocks (synth_blocks()).
 *
 * Part of unit.c, which includes it: one program, built from unit.c alone.
 */

#define GFP_ATOMIC_6_1	(OOMSNAP_GFP_HIGH | OOMSNAP_GFP_ATOMIC | OOMSNAP_GFP_KSWAPD_RECLAIM)
#define GFP_NOFS	(OOMSNAP_GFP_DIRECT_RECLAIM | OOMSNAP_GFP_KSWAPD_RECLAIM | OOMSNAP_GFP_IO)
#define GFP_NOIO	(OOMSNAP_GFP_DIRECT_RECLAIM | OOMSNAP_GFP_KSWAPD_RECLAIM)
#define GFP_NOWAIT	OOMSNAP_GFP_KSWAPD_RECLAIM

#define RAM_4G		1048576ULL	/* pages */

static void host4g(void)
{
	blank(ERA61);
	synth_request(&rec, OOMSNAP_EVENT_OOM, GFP_KERNEL, 0);
	synth_zone(&rec, 0, OOMSNAP_ZONE_DMA, 900, 1000, 3976);
	synth_zone(&rec, 0, OOMSNAP_ZONE_DMA32, 5000, 6000, 700000);
	synth_zone(&rec, 0, OOMSNAP_ZONE_NORMAL, 2000, 2500, RAM_4G - 703976);
	mem(OOMSNAP_MEM_TOTALRAM, RAM_4G);
	mem(OOMSNAP_MEM_FREE, 7900);
	mem(OOMSNAP_MEM_ACTIVE_ANON, 600000);
	mem(OOMSNAP_MEM_INACTIVE_ANON, 300000);
	mem(OOMSNAP_MEM_ACTIVE_FILE, 20000);
	mem(OOMSNAP_MEM_INACTIVE_FILE, 10000);
	mem(OOMSNAP_MEM_UNEVICTABLE, 0);
	mem(OOMSNAP_MEM_MLOCKED, 0);
	mem(OOMSNAP_MEM_SHMEM, 5000);
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 20000);
	mem(OOMSNAP_MEM_UNACCOUNTED, 10000);
	mem(OOMSNAP_MEM_HUGETLB_TOTAL, 0);
	mem(OOMSNAP_MEM_FREE_CMA, 0);
	mem(OOMSNAP_MEM_SWAP_TOTAL, 262144);
	mem(OOMSNAP_MEM_SWAP_FREE, 100000);
	mem(OOMSNAP_MEM_COMMITTED, 900000);
	mem(OOMSNAP_MEM_COMMIT_LIMIT, 800000);
}

/* Whether factor or cause @c contributes is @yes. */
static bool contributes(unsigned int c, bool yes)
{
	return check(!!(diag.contributing & BIT(c)) == yes, "%s %scontributing",
		     oomsnap_cause_name(c), yes ? "not " : "");
}

/* ---------------------------------------------------------------------- */

static void host_causes(void)
{
	static const char * const ids[OOMSNAP_CAUSE_NR] = {
		"unknown", "fragmentation", "lowmem", "memcg_limit",
		"constrained", "no_reclaim", "cma", "slab_unreclaimable",
		"kernel_unaccounted", "mlocked", "shmem", "hugetlb",
		"exhausted", "no_swap", "swap_full", "overcommit",
	};
	bool ok = true;
	unsigned int i;

	for (i = 0; i < OOMSNAP_CAUSE_NR && ok; i++)
		ok = check(!strcmp(oomsnap_cause_name(i), ids[i]), "cause %u is %s, not %s",
			   i, oomsnap_cause_name(i), ids[i]);
	result("diagnose_cause_names", ok &&
	       check(!strcmp(oomsnap_cause_name(OOMSNAP_CAUSE_NR), "unknown"),
		     "OOMSNAP_CAUSE_NR is %s", oomsnap_cause_name(OOMSNAP_CAUSE_NR)));

	host4g();
	result("diagnose_exhausted", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       evidence("below its min watermark") && evidence("LRU") &&
	       check(diag.nr_evidence > 0, "no evidence"));

	/*
	 * order 3, GFP_KERNEL; each zone free 50000 over its min, but blocks:
	 *   order: 0      1      2     3..10
	 *          20000  10000  2500  0          -> fragmentation
	 */
	host4g();
	synth_request(&rec, OOMSNAP_EVENT_ALLOC_FAILURE, GFP_KERNEL, 3);
	for (i = 0; i < rec.nr_zones; i++) {
		struct oomsnap_zone *z = &rec.zones[i];

		z->free = 50000;
		synth_blocks(z, 0, OOMSNAP_MT_MOVABLE, 20000);
		synth_blocks(z, 1, OOMSNAP_MT_UNMOVABLE, 10000);
		synth_blocks(z, 2, OOMSNAP_MT_RECLAIMABLE, 2500);
		/* a HighAtomic block GFP_KERNEL may not take */
		synth_blocks(z, 5, OOMSNAP_MT_HIGHATOMIC, 1);
	}
	ok = cause(OOMSNAP_CAUSE_FRAGMENTATION) && evidence("order >= 3");
	/* one order-3 block anywhere and the request would have passed */
	synth_blocks(&rec.zones[2], 3, OOMSNAP_MT_MOVABLE, 1);
	result("diagnose_fragmentation", ok && not_cause(OOMSNAP_CAUSE_FRAGMENTATION));

	/*
	 * 32-bit dom0: DMA and Normal (lowmem) below min, HighMem with 800 MB
	 * free; GFP_KERNEL may not use HighMem; slab fills lowmem.
	 */
	blank(ERA61);
	synth_request(&rec, OOMSNAP_EVENT_OOM, GFP_KERNEL, 0);
	synth_zone(&rec, 0, OOMSNAP_ZONE_DMA, 800, 1000, 3976);
	synth_zone(&rec, 0, OOMSNAP_ZONE_NORMAL, 3000, 3500, 180000);
	synth_zone(&rec, 0, OOMSNAP_ZONE_HIGHMEM, 204800, 500, 340000);
	mem(OOMSNAP_MEM_TOTALRAM, 523976);
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 150000);
	mem(OOMSNAP_MEM_SWAP_TOTAL, 0);
	/* slab holds most of lowmem (150000 of 183976 pages): it leads */
	ok = cause(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE) &&
	     evidence("not usable by this request") &&
	     contributes(OOMSNAP_CAUSE_LOWMEM, true) &&
	     contributes(OOMSNAP_FACTOR_NO_SWAP, true);
	/* a third or more but not most (80000): lowmem leads, slab contributes */
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 80000);
	ok = ok && cause(OOMSNAP_CAUSE_LOWMEM) &&
	     contributes(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE, true);
	/* the same host for a request that may use HighMem: not lowmem */
	rec.gfp |= OOMSNAP_GFP_HIGHMEM;
	result("diagnose_lowmem", ok && not_cause(OOMSNAP_CAUSE_LOWMEM));

	/* a global OOM record whose constraint says memcg: still the limit */
	host4g();
	rec.have |= OOMSNAP_HAVE_CONSTRAINT;
	rec.constraint = OOMSNAP_CONSTRAINT_MEMCG;
	result("diagnose_memcg_by_constraint", cause(OOMSNAP_CAUSE_MEMCG_LIMIT));
}

static void host_no_reclaim(void)
{
	static const struct {
		const char *name;
		__u64 gfp;
	} cases[] = {
		{ "diagnose_no_reclaim/GFP_ATOMIC", GFP_ATOMIC_6_1 },
		{ "diagnose_no_reclaim/GFP_NOWAIT", GFP_NOWAIT },
		{ "diagnose_no_reclaim/GFP_NOIO", GFP_NOIO },
		{ "diagnose_no_reclaim/GFP_NOFS", GFP_NOFS },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		host4g();
		synth_request(&rec, OOMSNAP_EVENT_ALLOC_FAILURE, cases[i].gfp, 0);
		result(cases[i].name, cause(OOMSNAP_CAUSE_NO_RECLAIM) && evidence("could not"));
	}

	/* a failure of a request that may reclaim is never no_reclaim */
	host4g();
	synth_request(&rec, OOMSNAP_EVENT_ALLOC_FAILURE, GFP_KERNEL, 0);
	result("diagnose_no_reclaim_needs_failure", not_cause(OOMSNAP_CAUSE_NO_RECLAIM));
}

static void host_consumers(void)
{
	/* each holds at least a third of RAM (349526 pages) */
	static const struct {
		const char *name;
		unsigned int idx;
		__u64 pages;
		unsigned int cause;
	} cases[] = {
		{ "diagnose_consumer/free CMA", OOMSNAP_MEM_FREE_CMA, 400000,
		  OOMSNAP_CAUSE_CMA },
		{ "diagnose_consumer/unreclaimable slab", OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 500000,
		  OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE },
		{ "diagnose_consumer/unaccounted", OOMSNAP_MEM_UNACCOUNTED, 400000,
		  OOMSNAP_CAUSE_KERNEL_UNACCOUNTED },
		{ "diagnose_consumer/shmem", OOMSNAP_MEM_SHMEM, 500000, OOMSNAP_CAUSE_SHMEM },
		{ "diagnose_consumer/hugetlb", OOMSNAP_MEM_HUGETLB_TOTAL, 524288,
		  OOMSNAP_CAUSE_HUGETLB },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		host4g();
		mem(cases[i].idx, cases[i].pages);
		rec.mem[OOMSNAP_MEM_ACTIVE_ANON] = 100000;
		result(cases[i].name, cause(cases[i].cause) && evidence("% of RAM"));
	}

	/* free CMA is no obstacle to a movable request, whose OOM it is */
	host4g();
	mem(OOMSNAP_MEM_FREE_CMA, 400000);
	rec.gfp |= OOMSNAP_GFP_MOVABLE | OOMSNAP_GFP_HIGHMEM | OOMSNAP_GFP_HARDWALL;
	result("diagnose_cma_movable_may_use", not_cause(OOMSNAP_CAUSE_CMA));

	/* unevictable but not mlocked: ramfs or SHM_LOCK */
	host4g();
	mem(OOMSNAP_MEM_UNEVICTABLE, 500000);
	rec.mem[OOMSNAP_MEM_ACTIVE_ANON] = 100000;
	result("diagnose_ramfs_unevictable_is_shmem", cause(OOMSNAP_CAUSE_SHMEM) &&
	       evidence("not mlocked"));

	/* a record of no era with nothing in it */
	blank(0);
	result("diagnose_unknown_on_empty_record", cause(OOMSNAP_CAUSE_UNKNOWN) &&
	       contributing(0) &&
	       check(diag.nr_missing >= 3, "%u missing lines", diag.nr_missing) &&
	       missing("gfp_mask") && missing("zone lines") && missing("swap totals"));
}

static void host_factors(void)
{
	bool ok;

	/* 2% free is full; 3% is not (100000 pages of swap) */
	host4g();
	mem(OOMSNAP_MEM_SWAP_TOTAL, 100000);
	mem(OOMSNAP_MEM_SWAP_FREE, 2000);
	ok = diagnose_rec() && contributes(OOMSNAP_FACTOR_SWAP_FULL, true) &&
	     contributes(OOMSNAP_FACTOR_NO_SWAP, false);
	mem(OOMSNAP_MEM_SWAP_FREE, 3000);
	result("diagnose_factor_swap_full", ok && diagnose_rec() &&
	       contributes(OOMSNAP_FACTOR_SWAP_FULL, false));

	/* above CommitLimit, within RAM + swap: default mode's normal state */
	host4g();
	/* committed 900000 > limit 800000 */
	ok = diagnose_rec() && contributes(OOMSNAP_FACTOR_OVERCOMMIT, false);
	/* more promised than RAM and swap can ever hold */
	mem(OOMSNAP_MEM_COMMITTED, RAM_4G + 262144 + 1);
	ok = ok && diagnose_rec() && contributes(OOMSNAP_FACTOR_OVERCOMMIT, true) &&
	     evidence("overcommit: committed");
	mem(OOMSNAP_MEM_COMMITTED, RAM_4G + 262144);
	result("diagnose_factor_overcommit", ok && diagnose_rec() &&
	       contributes(OOMSNAP_FACTOR_OVERCOMMIT, false));

	/* shmem leads (40%), slab (15%) contributes, unaccounted (1%) not */
	host4g();
	mem(OOMSNAP_MEM_SHMEM, 420000);
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 160000);
	result("diagnose_factor_second_consumer", cause(OOMSNAP_CAUSE_SHMEM) &&
	       contributes(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE, true) &&
	       contributes(OOMSNAP_CAUSE_KERNEL_UNACCOUNTED, false) &&
	       contributes(OOMSNAP_CAUSE_SHMEM, false));
}

static void host_missing(void)
{
	host4g();
	rec.have &= ~OOMSNAP_HAVE_GFP;
	result("diagnose_missing_gfp", diagnose_rec() &&
	       missing("gfp_mask not in input"));

	host4g();
	rec.have &= ~OOMSNAP_HAVE_ORDER;
	result("diagnose_missing_order", not_cause(OOMSNAP_CAUSE_FRAGMENTATION) &&
	       missing("order not in input"));

	host4g();
	rec.have &= ~OOMSNAP_HAVE_ZONES;
	result("diagnose_missing_zones", diagnose_rec() &&
	       missing("no zone lines"));

	/* the lowmem pattern without gfp or counters: the zones' limits can't be told */
	blank(ERA61);
	synth_zone(&rec, 0, OOMSNAP_ZONE_NORMAL, 3000, 3500, 180000);
	synth_zone(&rec, 0, OOMSNAP_ZONE_HIGHMEM, 204800, 500, 340000);
	result("diagnose_missing_gfp_for_lowmem", not_cause(OOMSNAP_CAUSE_LOWMEM) &&
	       missing("without gfp_mask"));

	/* order 4 with free memory and no zone's buddy lines: can't tell */
	host4g();
	synth_request(&rec, OOMSNAP_EVENT_ALLOC_FAILURE, GFP_KERNEL, 4);
	for (unsigned int i = 0; i < rec.nr_zones; i++)
		rec.zones[i].free = 50000;
	result("diagnose_missing_buddy_for_fragmentation",
	       not_cause(OOMSNAP_CAUSE_FRAGMENTATION) && missing("no buddy lines"));

	host4g();
	rec.mem_have &= ~(1ULL << OOMSNAP_MEM_SWAP_TOTAL);
	result("diagnose_missing_swap_totals", diagnose_rec() &&
	       missing("swap totals not in input") &&
	       contributes(OOMSNAP_FACTOR_NO_SWAP, false) &&
	       contributes(OOMSNAP_FACTOR_SWAP_FULL, false));

	/* no totals and no zone sizes: nothing to weigh consumers against */
	host4g();
	rec.mem_have = 0;
	rec.nr_zones = 0;
	rec.have &= ~OOMSNAP_HAVE_ZONES;
	result("diagnose_missing_ram_size", cause(OOMSNAP_CAUSE_UNKNOWN) &&
	       missing("no RAM size"));

	host4g();
	rec.type = OOMSNAP_EVENT_MEMCG_OOM;
	result("diagnose_missing_memcg_data", cause(OOMSNAP_CAUSE_MEMCG_LIMIT) &&
	       missing("memcg path, usage and limit not in input"));

	host4g();
	rec.have |= OOMSNAP_HAVE_CONSTRAINT;
	rec.constraint = OOMSNAP_CONSTRAINT_MEMORY_POLICY;
	result("diagnose_missing_nodemask", cause(OOMSNAP_CAUSE_CONSTRAINED) &&
	       missing("nodemask not in input"));

	/* an old log: unevictable shown, mlocked not */
	host4g();
	rec.mem_have &= ~(1ULL << OOMSNAP_MEM_MLOCKED);
	mem(OOMSNAP_MEM_UNEVICTABLE, 500000);
	result("diagnose_mlocked_unknown_from_log", diagnose_rec() &&
	       missing("mlocked not in input"));
}

static void test_diagnosis_host(void)
{
	host_causes();
	host_no_reclaim();
	host_consumers();
	host_factors();
	host_missing();
}
