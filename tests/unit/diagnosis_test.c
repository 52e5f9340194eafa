// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnosis (lib/diagnose.c, diag_zones.c, diag_consumers.c): one case
 * per cause id, the contributing factors, and the missing-data cases.
 *
 * Part of unit.c, which includes it: one program, built from unit.c alone.
 */

static void test_diagnosis(void)
{
	struct oomsnap_zone *z;

	blank(ERA61);
	rec.type = OOMSNAP_EVENT_MEMCG_OOM;
	rec.have |= OOMSNAP_HAVE_MEMCG;
	strcpy(rec.memcg_path, "/web");
	rec.memcg_usage = 25600;
	rec.memcg_limit = 25600;
	box64(200000);
	result("cause_memcg_limit", cause(OOMSNAP_CAUSE_MEMCG_LIMIT) &&
	       evidence("memory cgroup /web: usage 102400kB of limit 102400kB (100%)"));

	blank(ERA61);
	box64(200);
	request(GFP_HIGHUSER_MOVABLE, 0);
	rec.have |= OOMSNAP_HAVE_CONSTRAINT | OOMSNAP_HAVE_NODEMASK;
	rec.constraint = OOMSNAP_CONSTRAINT_CPUSET;
	rec.nodemask = 1;
	zone(1, OOMSNAP_ZONE_NORMAL, 300000, 1000, 500000);
	result("cause_constrained", cause(OOMSNAP_CAUSE_CONSTRAINED) &&
	       evidence("OOM constraint cpuset") &&
	       evidence("free memory above min on nodes it could not use: 1196000kB"));

	/*
	 * NUMA, no constraint printed: node 0 ran out, node 1 has room the
	 * zonelist would have used: a policy or cpuset must have confined it
	 */
	blank(ERA61);
	request(GFP_HIGHUSER_MOVABLE, 0);
	zone(0, OOMSNAP_ZONE_NORMAL, 900, 1000, 500000);
	zone(1, OOMSNAP_ZONE_NORMAL, 300000, 1000, 500000);
	mem(OOMSNAP_MEM_TOTALRAM, 1000000);
	mem(OOMSNAP_MEM_ACTIVE_ANON, 690000);
	result("constrained_inferred", cause(OOMSNAP_CAUSE_CONSTRAINED) &&
	       evidence("must have been confined") &&
	       missing("the constraint is inferred"));
	rec.type = OOMSNAP_EVENT_ALLOC_FAILURE;	/* a failure is no OOM */
	result("constrained_inferred_only_for_oom",
	       !cause(OOMSNAP_CAUSE_CONSTRAINED));

	/*
	 * a __GFP_ACCOUNT request failed with its zone far above its marks and
	 * its cgroup full: the memcg charge failed, not the allocator
	 */
	blank(ERA61);
	request(GFP_KERNEL | OOMSNAP_GFP_ACCOUNT, 0);
	rec.type = OOMSNAP_EVENT_ALLOC_FAILURE;
	zone(0, OOMSNAP_ZONE_NORMAL, 300000, 1000, 500000);
	rec.have |= OOMSNAP_HAVE_MEMCG;
	strcpy(rec.memcg_path, "/job");
	rec.memcg_usage = 2048;
	rec.memcg_limit = 2048;
	result("account_charge_failure", cause(OOMSNAP_CAUSE_MEMCG_LIMIT) &&
	       evidence("memory cgroup's charge failed") &&
	       evidence("memory cgroup /job: usage 8192kB of limit 8192kB"));
	rec.memcg_usage = 1024;			/* room in the cgroup: not the charge */
	result("account_charge_needs_full_memcg", !cause(OOMSNAP_CAUSE_MEMCG_LIMIT));
	rec.memcg_usage = 2048;
	rec.gfp &= ~OOMSNAP_GFP_ACCOUNT;	/* not charged at all */
	result("account_charge_needs_account", !cause(OOMSNAP_CAUSE_MEMCG_LIMIT));
	rec.gfp |= OOMSNAP_GFP_ACCOUNT;
	rec.zones[0].free = 500;		/* the allocator failed first */
	result("account_charge_zone_failed_first", !cause(OOMSNAP_CAUSE_MEMCG_LIMIT));

	/* buddy lines alone: no block of the order among plenty of small ones */
	blank(ERA61);
	request(GFP_KERNEL | OOMSNAP_GFP_COMP, 3);
	rec.type = OOMSNAP_EVENT_ALLOC_FAILURE;
	z = zone(0, OOMSNAP_ZONE_NORMAL, 0, 0, 0);
	z->have = OOMSNAP_ZONE_HAVE_BUDDY;
	z->nr_free[0] = 5000;
	z->nr_free[2] = 100;
	result("buddy_only_fragmentation", cause(OOMSNAP_CAUSE_FRAGMENTATION) &&
	       missing("concluded from the buddy lines alone"));
	/* the only blocks of the order are CMA: a non-movable request can't */
	z->nr_free[4] = 30;
	z->have |= OOMSNAP_ZONE_HAVE_MT;
	z->nr_free_mt[0][OOMSNAP_MT_UNMOVABLE] = 1;
	z->nr_free_mt[2][OOMSNAP_MT_UNMOVABLE] = 1;
	z->nr_free_mt[4][OOMSNAP_MT_CMA] = 1;
	result("buddy_only_cma", cause(OOMSNAP_CAUSE_CMA) &&
	       evidence("every free block of order >= 3 is CMA"));

	/* i386: Normal exhausted by slab, HighMem free */
	blank(OOMSNAP_ERA(6, 1));
	request(GFP_KERNEL, 0);
	z = zone(0, OOMSNAP_ZONE_DMA, 100, 200, 3900);
	z->lowmem_reserve[OOMSNAP_ZONE_NORMAL] = 800;
	zone(0, OOMSNAP_ZONE_NORMAL, 500, 900, 220000);
	zone(0, OOMSNAP_ZONE_HIGHMEM, 200000, 128, 300000);
	mem(OOMSNAP_MEM_TOTALRAM, 524000);
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 150000);
	mem(OOMSNAP_MEM_ACTIVE_ANON, 100000);
	/* slab holds 67% of lowmem: it is what filled it, lowmem contributes */
	result("lowmem_held_by_slab", cause(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE) &&
	       contributing(BIT(OOMSNAP_CAUSE_LOWMEM)) &&
	       evidence("slab_unreclaimable holds 66% of the zones the request may use"));
	/* 45%: a third or more, not most: lowmem leads, slab contributes */
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 100000);
	result("cause_lowmem", cause(OOMSNAP_CAUSE_LOWMEM) &&
	       contributing(BIT(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE)) &&
	       evidence("every zone the request may use fails the order-0 check") &&
	       evidence("not usable by this request (zone above gfp_zone())"));
	rec.have &= ~OOMSNAP_HAVE_GFP;
	result("lowmem_needs_gfp", cause(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE) &&
	       missing("without gfp_mask the tool can't tell"));

	/* Normal between min and high: the OOM path's last try used high */
	rec.have |= OOMSNAP_HAVE_GFP;
	rec.zones[1].free = 1200;		/* min 900, high 1350 */
	result("lowmem_oom_below_high", cause(OOMSNAP_CAUSE_LOWMEM) &&
	       evidence("below its high watermark, the mark of the OOM killer's last allocation attempt"));
	rec.type = OOMSNAP_EVENT_ALLOC_FAILURE;	/* a failure says nothing of high */
	result("lowmem_high_only_for_oom", cause(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE));
	rec.type = OOMSNAP_EVENT_OOM;
	/*
	 * Above high, below high + 150 %: a boost kswapd dropped before the
	 * report may have made the attempt fail (boost 0 here, as printed)
	 */
	rec.zones[1].free = 1400;
	result("lowmem_oom_boost_dropped", cause(OOMSNAP_CAUSE_LOWMEM) &&
	       evidence("below its high watermark plus the largest boost (150% of high)"));
	rec.zones[1].free = 3370;		/* high 1350 + 2025 = 3375 */
	result("lowmem_oom_boost_dropped_edge", cause(OOMSNAP_CAUSE_LOWMEM));
	rec.zones[1].free = 3400;
	result("lowmem_not_above_high_and_boost", cause(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE));
	/* a printed boost larger than 150 % of high is the one counted */
	rec.zones[1].have |= OOMSNAP_ZONE_HAVE_BOOST;
	rec.zones[1].wmark_boost = 2100;
	result("lowmem_oom_printed_boost", cause(OOMSNAP_CAUSE_LOWMEM) &&
	       evidence("below its high watermark, the mark"));
	rec.zones[1].wmark_boost = 0;
	rec.zones[1].have &= ~OOMSNAP_ZONE_HAVE_BOOST;
	/* order 3 above high: fragmentation's to tell, not a dropped boost */
	rec.zones[1].free = 1400;
	rec.order = 3;
	result("lowmem_boost_only_order0", not_cause(OOMSNAP_CAUSE_LOWMEM));
	rec.order = 0;

	/* a 6.1 report lists only zones up to gfp_zone(): HighMem's free is the rest */
	rec.zones[1].free = 500;
	rec.nr_zones = 2;
	mem(OOMSNAP_MEM_FREE, 200600);
	result("lowmem_from_unlisted_zones", cause(OOMSNAP_CAUSE_LOWMEM) &&
	       evidence("free 800000kB in zones the report does not list") &&
	       evidence("zones it may not use hold 800000kB free"));
	mem(OOMSNAP_MEM_FREE, 700);	/* within noise of the listed zones */
	/* user memory fills RAM here: exhausted needs it to */
	mem(OOMSNAP_MEM_ACTIVE_ANON, 300000);
	result("unlisted_free_noise_ignored", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       check(!has_line(diag.evidence, diag.nr_evidence, "does not list"),
		     "an unlisted-zones line"));

	blank(ERA61);
	box64(50000);
	request(GFP_KERNEL | OOMSNAP_GFP_COMP, 3);
	rec.type = OOMSNAP_EVENT_ALLOC_FAILURE;
	result("cause_fragmentation", cause(OOMSNAP_CAUSE_FRAGMENTATION) &&
	       evidence("no free block of order >= 3") && evidence("order-3 check fails"));
	rec.zones[2].nr_free[4] = 1;
	result("fragmentation_not_when_block_exists", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       evidence("order-3 check passes"));
	rec.zones[2].nr_free[4] = 0;
	rec.zones[2].have &= ~OOMSNAP_ZONE_HAVE_BUDDY;
	result("fragmentation_needs_buddy", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       missing("no buddy lines for Normal"));

	blank(ERA61);
	box64(300);
	request(GFP_ATOMIC, 0);
	rec.type = OOMSNAP_EVENT_ALLOC_FAILURE;
	/* 1000 file pages, the zones lack 2700: reclaim would not have helped */
	result("no_reclaim_needs_reclaimable", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       evidence("fewer than the 10800kB the zones lacked"));
	mem(OOMSNAP_MEM_INACTIVE_FILE, 50000);
	result("cause_no_reclaim_atomic", cause(OOMSNAP_CAUSE_NO_RECLAIM) &&
	       evidence("the request is atomic") &&
	       evidence("reclaimable pages (file LRU, reclaimable slab) 202000kB were there"));
	request(GFP_KERNEL & ~OOMSNAP_GFP_FS, 0);
	result("cause_no_reclaim_nofs", cause(OOMSNAP_CAUSE_NO_RECLAIM) &&
	       evidence("reclaim through filesystems"));
	request(GFP_KERNEL & ~(OOMSNAP_GFP_FS | OOMSNAP_GFP_IO), 0);
	result("cause_no_reclaim_noio", cause(OOMSNAP_CAUSE_NO_RECLAIM) &&
	       evidence("reclaim with IO"));

	blank(ERA61);
	box64(300);
	request(GFP_KERNEL, 0);
	rec.type = OOMSNAP_EVENT_ALLOC_FAILURE;
	mem(OOMSNAP_MEM_FREE_CMA, 200000);
	result("cause_cma", cause(OOMSNAP_CAUSE_CMA) && evidence("free CMA pages"));
	request(GFP_HIGHUSER_MOVABLE, 0);
	result("cma_not_for_movable", cause(OOMSNAP_CAUSE_EXHAUSTED));

	/* user pages a small share of RAM: never exhausted */
	blank(ERA61);
	box64(300);
	request(GFP_KERNEL, 0);
	mem(OOMSNAP_MEM_ACTIVE_ANON, 20000);
	mem(OOMSNAP_MEM_INACTIVE_ANON, 10000);
	result("exhausted_needs_user_memory", cause(OOMSNAP_CAUSE_UNKNOWN) &&
	       evidence("user memory did not fill it"));

	blank(ERA61);
	box64(300);
	request(GFP_KERNEL, 0);
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 300000);
	result("cause_slab_unreclaimable", cause(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE) &&
	       evidence("slab_unreclaimable: 1200000kB = 57% of RAM"));

	blank(ERA61);
	box64(300);
	request(GFP_KERNEL, 0);
	mem(OOMSNAP_MEM_UNACCOUNTED, 250000);
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 60000);
	result("cause_kernel_unaccounted", cause(OOMSNAP_CAUSE_KERNEL_UNACCOUNTED) &&
	       contributing(BIT(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE)) &&
	       evidence("memory no counter accounts for"));

	blank(ERA61);
	box64(300);
	request(GFP_HIGHUSER_MOVABLE, 0);
	mem(OOMSNAP_MEM_MLOCKED, 300000);
	mem(OOMSNAP_MEM_UNEVICTABLE, 300000);
	result("cause_mlocked", cause(OOMSNAP_CAUSE_MLOCKED) && contributing(0));

	blank(ERA61);
	box64(300);
	request(GFP_HIGHUSER_MOVABLE, 0);
	mem(OOMSNAP_MEM_SHMEM, 250000);
	mem(OOMSNAP_MEM_SWAP_TOTAL, 0);
	result("cause_shmem", cause(OOMSNAP_CAUSE_SHMEM) &&
	       contributing(BIT(OOMSNAP_FACTOR_NO_SWAP)) && evidence("no swap"));

	blank(ERA61);
	box64(300);
	request(GFP_HIGHUSER_MOVABLE, 0);
	mem(OOMSNAP_MEM_HUGETLB_TOTAL, 400000);
	mem(OOMSNAP_MEM_HUGETLB_FREE, 400000);
	result("cause_hugetlb", cause(OOMSNAP_CAUSE_HUGETLB) &&
	       evidence("free huge pages are not free memory"));

	blank(ERA61);
	box64(300);
	request(GFP_HIGHUSER_MOVABLE, 0);
	mem(OOMSNAP_MEM_SWAP_FREE, 100);
	mem(OOMSNAP_MEM_COMMITTED, 900000);
	mem(OOMSNAP_MEM_COMMIT_LIMIT, 524288);
	result("cause_exhausted_swap_full_overcommit", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       contributing(BIT(OOMSNAP_FACTOR_SWAP_FULL) | BIT(OOMSNAP_FACTOR_OVERCOMMIT)) &&
	       evidence("swap full: 400kB free of 1048576kB") &&
	       evidence("overcommit: committed 3600000kB > RAM 2097152kB + swap 1048576kB (commit limit 2097152kB") &&
	       evidence("LRU (user) pages"));

	/* above CommitLimit but within RAM + swap: the heuristic mode's normal */
	blank(ERA61);
	box64(300);
	request(GFP_HIGHUSER_MOVABLE, 0);
	mem(OOMSNAP_MEM_COMMITTED, 700000);
	mem(OOMSNAP_MEM_COMMIT_LIMIT, 524288);
	result("commit_over_limit_within_ram_swap", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       check(!(diag.contributing & BIT(OOMSNAP_FACTOR_OVERCOMMIT)),
		     "overcommit contributing") &&
	       check(!has_line(diag.evidence, diag.nr_evidence, "overcommit"),
		     "an overcommit evidence line"));

	/* a log: no commit counters; a victim larger than RAM + swap is said, not judged */
	blank(ERA61);
	box64(300);
	request(GFP_HIGHUSER_MOVABLE, 0);
	rec.have |= OOMSNAP_HAVE_VICTIM;
	rec.victim.total_vm = 1048576;
	result("log_victim_larger_than_ram_swap", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       check(!(diag.contributing & BIT(OOMSNAP_FACTOR_OVERCOMMIT)),
		     "overcommit contributing") &&
	       evidence("victim's address space 4194304kB is larger than RAM 2097152kB + swap 1048576kB") &&
	       missing("Committed_AS and CommitLimit are not in a kernel OOM report"));

	/* Xen dom0: blkback's pools bounded, what they hold not observable */
	blank(ERA61);
	box64(300);
	request(GFP_HIGHUSER_MOVABLE, 0);
	mem(OOMSNAP_MEM_UNACCOUNTED, 20000);
	rec.have |= OOMSNAP_HAVE_XEN;
	rec.xen.domain = OOMSNAP_XEN_PV_DOM0;
	rec.xen.balloon_current = 131072;
	rec.xen.balloon_target = 131072;
	rec.xen.balloon_low = 65536;
	rec.xen.blkback_vbds = 2;
	rec.xen.blkback_rings = 4;
	rec.xen.blkback_pages_worst = 8448;
	rec.xen.blkback_held_status = OOMSNAP_NOT_EXPORTED;
	rec.xen.grant_status = OOMSNAP_OK;	/* grant pages from the balloon */
	result("xen_dom0_blkback_bounded", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       evidence("Xen balloon: 262144kB handed back to Xen (current 524288kB, target 524288kB)") &&
	       evidence("xen-blkback: 2 vbds, 4 rings; page pools and persistent grants may hold up to 33792kB") &&
	       evidence("xen-blkback can explain at most 33792kB of the 80000kB no counter accounts for"));

	/* unpopulated-alloc kernels: the pools are not RAM, so no bound on unaccounted */
	rec.xen.grant_status = OOMSNAP_NOT_EXPORTED;
	result("xen_blkback_unpopulated_not_ram", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       evidence("its pool pages are unused address space") &&
	       check(!has_line(diag.evidence, diag.nr_evidence, "can explain at most"),
		     "an 'explain at most' line"));

	/* ... and when held pages and grant mappings are known, they are named */
	rec.xen.blkback_held_status = OOMSNAP_OK;
	rec.xen.blkback_pages_held = 190000;
	mem(OOMSNAP_MEM_UNACCOUNTED, 200000);
	rec.xen.grant_status = OOMSNAP_OK;
	rec.xen.grant_mapped_pages = 60000;
	result("xen_blkback_named_not_unaccounted", cause(OOMSNAP_CAUSE_KERNEL_UNACCOUNTED) &&
	       evidence("xen-blkback page pools and persistent grants: 760000kB") &&
	       evidence("Xen grant mappings (ballooned-out pages lent to backends): 240000kB") &&
	       evidence("xen-blkback: 2 vbds, 4 rings hold 760000kB") &&
	       check(!has_line(diag.evidence, diag.nr_evidence, "no counter accounts for (driver pools): 800000kB"),
		     "blkback's pages still counted as unaccounted"));

	/* off Xen nothing is said */
	rec.have &= ~OOMSNAP_HAVE_XEN;
	rec.xen_status = OOMSNAP_NOT_XEN;
	result("xen_nothing_off_xen", cause(OOMSNAP_CAUSE_KERNEL_UNACCOUNTED) &&
	       check(!has_line(diag.evidence, diag.nr_evidence, "Xen") &&
		     !has_line(diag.evidence, diag.nr_evidence, "blkback"), "a Xen line off Xen"));

	/* boost raises the mark the slow path checks */
	blank(ERA61);
	box64(1500);
	request(GFP_HIGHUSER_MOVABLE, 0);
	rec.zones[2].wmark_boost = 600;
	result("boost_added_to_min", cause(OOMSNAP_CAUSE_EXHAUSTED) &&
	       evidence("Normal: free 6000kB - unusable 0kB <= min 6400kB"));

	/* never invent */
	blank(ERA61);
	result("cause_unknown_empty", cause(OOMSNAP_CAUSE_UNKNOWN) &&
	       missing("gfp_mask not in input") && missing("order not in input") &&
	       missing("no zone lines") && missing("no RAM size in input"));
	blank(ERA61);
	request(GFP_KERNEL, 0);
	zone(0, OOMSNAP_ZONE_NORMAL, 10, 100, 0);
	rec.zones[0].have &= ~OOMSNAP_ZONE_HAVE_MANAGED;
	mem(OOMSNAP_MEM_TOTALRAM, 1000);
	result("cause_unknown_no_counters", cause(OOMSNAP_CAUSE_UNKNOWN) &&
	       missing("no LRU or consumer counters"));
	result("diag_lines_bounded", check(diag.nr_evidence <= OOMSNAP_DIAG_MAX_LINES &&
					   diag.nr_missing <= OOMSNAP_DIAG_MAX_LINES, "bounds"));

	/* many zones: line arrays stay bounded */
	blank(ERA61);
	request(GFP_KERNEL, 0);
	while (rec.nr_zones < OOMSNAP_MAX_ZONES)
		zone(rec.nr_zones, OOMSNAP_ZONE_NORMAL, 10, 100, 1000);
	oomsnap_diagnose(&rec, &diag);
	result("diag_many_zones_bounded", check(diag.nr_evidence == OOMSNAP_DIAG_MAX_LINES,
						"evidence lines %u", diag.nr_evidence));
	/* a corrupt count: the engine reads the first OOMSNAP_MAX_ZONES, as if clamped */
	{
		static struct oomsnap_diagnosis clamped;
		unsigned int i;
		bool same;

		memset(&clamped, 0, sizeof(clamped));
		memset(&diag, 0, sizeof(diag));
		rec.nr_zones = OOMSNAP_MAX_ZONES;
		oomsnap_diagnose(&rec, &clamped);
		rec.nr_zones = 1000;
		oomsnap_diagnose(&rec, &diag);
		same = diag.cause == clamped.cause && diag.contributing == clamped.contributing &&
		       diag.nr_evidence == clamped.nr_evidence &&
		       diag.nr_missing == clamped.nr_missing;
		for (i = 0; same && i < diag.nr_evidence; i++)
			same = !strcmp(diag.evidence[i], clamped.evidence[i]);
		for (i = 0; same && i < diag.nr_missing; i++)
			same = !strcmp(diag.missing[i], clamped.missing[i]);
		result("diag_clamps_nr_zones", check(same, "nr_zones 1000 diagnosed unlike %u",
						      OOMSNAP_MAX_ZONES));
	}

	for (unsigned int c = 0; c < OOMSNAP_CAUSE_NR; c++)
		if (!check(strcmp(oomsnap_cause_name(c), "unknown") || c == OOMSNAP_CAUSE_UNKNOWN,
			   "cause %u has no name", c))
			break;
	result("cause_names", check(!strcmp(oomsnap_cause_name(999), "unknown"), "out of range"));
}
