// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the engine (lib/): the watermark replica, gfp decoding, one
 * diagnosis per cause id and the missing-data cases, record decoding of
 * old/new/corrupt records, the log parser's prefixes and wrapping, and the
 * renderer. Prints "ok - NAME" / "not ok - NAME: why", then "N passed, M
 * failed". Also writes raw files for the reader tests:
 *
 *   unit                         run the tests
 *   unit write-raw FILE N [SIZE] [SEQ0]  N records of SIZE bytes (default VER0)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "diagnose.h"
#include "names.h"
#include "render.h"
#include "watermark.h"
#include "logparse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static unsigned int passed, failed;
static char why[512];

static void result(const char *name, bool ok)
{
	if (ok) {
		printf("ok - %s\n", name);
		passed++;
	} else {
		printf("not ok - %s: %s\n", name, why);
		failed++;
	}
	why[0] = '\0';
}

static bool check(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool check(bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond || why[0])
		return cond;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return false;
}

/* ---------------------------------------------------------------------- */
/* record builders (pages of 4 kB) */

static struct oomsnap_record rec;
static struct oomsnap_diagnosis diag;

static void blank(unsigned int era)
{
	oomsnap_record_init(&rec);
	rec.kernel_era = era;
	rec.type = OOMSNAP_EVENT_OOM;
}

static void request(__u64 gfp, int order)
{
	rec.gfp = gfp;
	rec.order = order;
	rec.highest_zone = oomsnap_gfp_zone(gfp);
	rec.have |= OOMSNAP_HAVE_GFP | OOMSNAP_HAVE_ORDER;
}

static struct oomsnap_zone *zone(unsigned int node, unsigned int type,
				 __u64 free, __u64 min, __u64 managed)
{
	struct oomsnap_zone *z = &rec.zones[rec.nr_zones++];

	z->node = node;
	z->zone_type = type;
	snprintf(z->name, sizeof(z->name), "%s", oomsnap_zone_type_name(type));
	z->free = free;
	z->wmark_min = min;
	z->wmark_low = min * 5 / 4;
	z->wmark_high = min * 3 / 2;
	z->managed = managed;
	z->present = managed;
	z->nr_orders = 11;
	z->nr_free[0] = free;	/* all order-0 unless a test says otherwise */
	z->have = OOMSNAP_ZONE_HAVE_FREE | OOMSNAP_ZONE_HAVE_WMARK |
		  OOMSNAP_ZONE_HAVE_MANAGED | OOMSNAP_ZONE_HAVE_BUDDY |
		  OOMSNAP_ZONE_HAVE_RESERVE | OOMSNAP_ZONE_HAVE_BOOST |
		  OOMSNAP_ZONE_HAVE_HIGHATOMIC;
	rec.have |= OOMSNAP_HAVE_ZONES;
	return z;
}

static void mem(unsigned int idx, __u64 pages)
{
	oomsnap_mem_set(&rec, idx, pages);
	rec.nr_mem = OOMSNAP_MEM_NR;
}

static bool has_line(char (*lines)[OOMSNAP_DIAG_LINE_LEN], unsigned int n,
		     const char *needle)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strstr(lines[i], needle))
			return true;
	return false;
}

static bool evidence(const char *s)
{
	return check(has_line(diag.evidence, diag.nr_evidence, s),
		     "no evidence line with \"%s\" (first: \"%s\")", s,
		     diag.nr_evidence ? diag.evidence[0] : "");
}

static bool missing(const char *s)
{
	return check(has_line(diag.missing, diag.nr_missing, s),
		     "no missing line with \"%s\"", s);
}

static bool cause(unsigned int want)
{
	oomsnap_diagnose(&rec, &diag);
	return check(diag.cause == want, "cause %s, expected %s (evidence: %s)",
		     oomsnap_cause_name(diag.cause), oomsnap_cause_name(want),
		     diag.nr_evidence ? diag.evidence[diag.nr_evidence - 1] : "-");
}

static bool contributing(unsigned int mask)
{
	return check(diag.contributing == mask, "contributing 0x%x, expected 0x%x",
		     diag.contributing, mask);
}

#define BIT(c) (1U << (c))
#define ERA61 OOMSNAP_ERA(6, 1)
#define GFP_KERNEL (OOMSNAP_GFP_DIRECT_RECLAIM | OOMSNAP_GFP_KSWAPD_RECLAIM | \
		    OOMSNAP_GFP_IO | OOMSNAP_GFP_FS)
#define GFP_ATOMIC (OOMSNAP_GFP_HIGH | OOMSNAP_GFP_KSWAPD_RECLAIM)
#define GFP_HIGHUSER_MOVABLE (GFP_KERNEL | OOMSNAP_GFP_HARDWALL | \
			      OOMSNAP_GFP_HIGHMEM | OOMSNAP_GFP_MOVABLE)

/* A healthy 64-bit box (DMA + DMA32 + Normal) with user memory filling it. */
static void box64(__u64 normal_free)
{
	struct oomsnap_zone *z;

	z = zone(0, OOMSNAP_ZONE_DMA, 1000, 16, 3840);
	z->lowmem_reserve[OOMSNAP_ZONE_NORMAL] = 2000;
	z->lowmem_reserve[OOMSNAP_ZONE_MOVABLE] = 2000;
	z->lowmem_reserve[OOMSNAP_ZONE_DMA32] = 1900;
	z = zone(0, OOMSNAP_ZONE_DMA32, 3000, 5000, 480000);
	z->lowmem_reserve[OOMSNAP_ZONE_NORMAL] = 100;
	z->lowmem_reserve[OOMSNAP_ZONE_MOVABLE] = 100;
	zone(0, OOMSNAP_ZONE_NORMAL, normal_free, 1000, 25000);
	mem(OOMSNAP_MEM_TOTALRAM, 524288);
	mem(OOMSNAP_MEM_ACTIVE_ANON, 400000);
	mem(OOMSNAP_MEM_INACTIVE_ANON, 50000);
	mem(OOMSNAP_MEM_ACTIVE_FILE, 500);
	mem(OOMSNAP_MEM_INACTIVE_FILE, 500);
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 10000);
	mem(OOMSNAP_MEM_SWAP_TOTAL, 262144);
	mem(OOMSNAP_MEM_SWAP_FREE, 200000);
}

/* ---------------------------------------------------------------------- */
/* watermark replica */

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

	result("wmark_rule_by_era",
	       check(oomsnap_wmark_rule(&rec) == OOMSNAP_WMARK_RULE_CLASSIC, "2.6") &&
	       (rec.kernel_era = OOMSNAP_ERA(4, 4),
		check(oomsnap_wmark_rule(&rec) == OOMSNAP_WMARK_RULE_HARDER, "4.4")) &&
	       (rec.kernel_era = OOMSNAP_ERA(6, 12),
		check(oomsnap_wmark_rule(&rec) == OOMSNAP_WMARK_RULE_RESERVES, "6.12")) &&
	       (rec.kernel_era = 0,
		check(oomsnap_wmark_rule(&rec) == OOMSNAP_WMARK_RULE_RESERVES, "unknown")));
}

/* ---------------------------------------------------------------------- */
/* gfp */

static void test_gfp(void)
{
	unsigned int era = 0;
	char buf[256];

	result("gfp_zone",
	       check(oomsnap_gfp_zone(GFP_KERNEL) == OOMSNAP_ZONE_NORMAL, "kernel") &&
	       check(oomsnap_gfp_zone(GFP_HIGHUSER_MOVABLE) == OOMSNAP_ZONE_MOVABLE, "movable") &&
	       check(oomsnap_gfp_zone(GFP_KERNEL | OOMSNAP_GFP_HIGHMEM) == OOMSNAP_ZONE_HIGHMEM, "highmem") &&
	       check(oomsnap_gfp_zone(GFP_KERNEL | OOMSNAP_GFP_DMA) == OOMSNAP_ZONE_DMA, "dma") &&
	       check(oomsnap_gfp_zone(GFP_KERNEL | OOMSNAP_GFP_DMA32) == OOMSNAP_ZONE_DMA32, "dma32") &&
	       check(oomsnap_gfp_zone(GFP_KERNEL | OOMSNAP_GFP_MOVABLE) == OOMSNAP_ZONE_NORMAL,
		     "__GFP_MOVABLE alone stays in Normal"));
	result("gfp_class",
	       check(oomsnap_gfp_class(GFP_KERNEL) == OOMSNAP_GFP_CLASS_RECLAIM, "kernel") &&
	       check(oomsnap_gfp_class(GFP_ATOMIC) == OOMSNAP_GFP_CLASS_ATOMIC, "atomic") &&
	       check(oomsnap_gfp_class(OOMSNAP_GFP_KSWAPD_RECLAIM) == OOMSNAP_GFP_CLASS_NOWAIT, "nowait") &&
	       check(oomsnap_gfp_class(GFP_KERNEL & ~OOMSNAP_GFP_FS) == OOMSNAP_GFP_CLASS_NOFS, "nofs") &&
	       check(oomsnap_gfp_class(GFP_KERNEL & ~(OOMSNAP_GFP_FS | OOMSNAP_GFP_IO)) ==
		     OOMSNAP_GFP_CLASS_NOIO, "noio"));
	oomsnap_gfp_format(GFP_KERNEL | OOMSNAP_GFP_COMP, buf, sizeof(buf));
	result("gfp_format_composite", check(!strcmp(buf, "GFP_KERNEL|__GFP_COMP"), "%s", buf));
	oomsnap_gfp_format(GFP_HIGHUSER_MOVABLE | OOMSNAP_GFP_ZERO, buf, sizeof(buf));
	result("gfp_format_highuser", check(!strcmp(buf, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO"), "%s", buf));
	oomsnap_gfp_format(0, buf, sizeof(buf));
	result("gfp_format_zero", check(!strcmp(buf, "0"), "%s", buf));
	oomsnap_gfp_format(GFP_KERNEL | OOMSNAP_GFP_COMP, buf, 8);
	result("gfp_format_truncates", check(strlen(buf) == 7, "len %zu", strlen(buf)));
	result("gfp_from_name",
	       check(oomsnap_gfp_from_name("GFP_KERNEL", 10) == GFP_KERNEL, "GFP_KERNEL") &&
	       check(oomsnap_gfp_from_name("__GFP_WAIT", 10) ==
		     (OOMSNAP_GFP_DIRECT_RECLAIM | OOMSNAP_GFP_KSWAPD_RECLAIM), "__GFP_WAIT") &&
	       check(oomsnap_gfp_from_name("GFP_NOPE", 8) == 0, "unknown"));
	result("gfp_raw_2_6_0x44d0",
	       check(oomsnap_gfp_from_raw(0x44d0, &era) ==
		     (GFP_KERNEL | OOMSNAP_GFP_RETRY_MAYFAIL | OOMSNAP_GFP_COMP),
		     "GFP_KERNEL|__GFP_REPEAT|__GFP_COMP") && check(era == 0, "no era hint"));
	result("gfp_raw_2_6_atomic",
	       check(oomsnap_gfp_from_raw(0x20, NULL) == OOMSNAP_GFP_HIGH, "GFP_ATOMIC 2.6") &&
	       check(oomsnap_gfp_class(oomsnap_gfp_from_raw(0x20, NULL)) == OOMSNAP_GFP_CLASS_ATOMIC,
		     "class atomic"));
	result("gfp_raw_4_4_kernel",
	       check(oomsnap_gfp_from_raw(0x24000c0, &era) == GFP_KERNEL, "0x24000c0") &&
	       check(era == OOMSNAP_ERA(4, 4), "era hint 4.4"));
	result("gfp_raw_unknown_bits",
	       check(oomsnap_gfp_from_raw(0x80000000ULL, NULL) & OOMSNAP_GFP_UNKNOWN, "unknown"));
}

/* ---------------------------------------------------------------------- */
/* diagnosis: one case per cause id, factors, missing data */

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
	rec.zones[1].free = 1400;
	result("lowmem_not_above_high", cause(OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE));

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
	rec.nr_zones = 1000;	/* corrupt count: engine must clamp */
	oomsnap_diagnose(&rec, &diag);
	result("diag_clamps_nr_zones", check(true, "-"));

	for (unsigned int c = 0; c < OOMSNAP_CAUSE_NR; c++)
		if (!check(strcmp(oomsnap_cause_name(c), "unknown") || c == OOMSNAP_CAUSE_UNKNOWN,
			   "cause %u has no name", c))
			break;
	result("cause_names", check(!strcmp(oomsnap_cause_name(999), "unknown"), "out of range"));
}

/* ---------------------------------------------------------------------- */
/* record decoding */

static unsigned char buf[OOMSNAP_RECORD_SIZE_VER0 * 3];

static long decode_as(__u32 size, size_t len, const char **err)
{
	struct oomsnap_record out;
	struct oomsnap_record *r = (struct oomsnap_record *)buf;

	memset(buf, 0xa5, sizeof(buf));
	blank(ERA61);
	box64(100);
	rec.size = size;
	memcpy(buf, &rec, sizeof(rec));
	r->size = size;
	return oomsnap_record_decode(buf, len, &out, err);
}

static void test_decode(void)
{
	struct oomsnap_record out;
	const char *err;
	long n;

	n = decode_as(OOMSNAP_RECORD_SIZE_VER0, OOMSNAP_RECORD_SIZE_VER0, &err);
	result("decode_ver0", check(n == OOMSNAP_RECORD_SIZE_VER0, "%ld %s", n, err ? err : ""));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0 + 64, sizeof(buf), &err);
	oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_newer_size", check(n == OOMSNAP_RECORD_SIZE_VER0 + 64 &&
					  out.nr_zones == 3 && out.zones[2].free == 100,
					  "%ld %s", n, err ? err : ""));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0 - 8, sizeof(buf), &err);
	result("decode_older_than_ver0", check(n < 0 && strstr(err, "below"), "%ld", n));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0 + 4, sizeof(buf), &err);
	result("decode_size_not_8", check(n < 0 && strstr(err, "multiple of 8"), "%ld", n));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0, OOMSNAP_RECORD_SIZE_VER0 - 1, &err);
	result("decode_truncated", check(n < 0 && strstr(err, "truncated"), "%ld", n));
	n = decode_as(OOMSNAP_RECORD_SIZE_VER0, 7, &err);
	result("decode_short_header", check(n < 0 && strstr(err, "truncated"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	buf[4] ^= 0xff;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_bad_magic", check(n < 0 && strstr(err, "magic"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	((struct oomsnap_record *)buf)->nr_zones = OOMSNAP_MAX_ZONES + 1;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_absurd_nr_zones", check(n < 0 && strstr(err, "nr_zones"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	((struct oomsnap_record *)buf)->zones[0].nr_orders = 99;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_absurd_nr_orders", check(n < 0 && strstr(err, "nr_orders"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	memset(((struct oomsnap_record *)buf)->task.comm, 'x', OOMSNAP_COMM_LEN);
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_unterminated_comm", check(n < 0 && strstr(err, "NUL"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	((struct oomsnap_record *)buf)->size = 0x7ffffff8;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_absurd_size", check(n < 0 && strstr(err, "large"), "%ld", n));
	decode_as(OOMSNAP_RECORD_SIZE_VER0, 0, &err);
	((struct oomsnap_record *)buf)->page_size = 4095;
	n = oomsnap_record_decode(buf, sizeof(buf), &out, &err);
	result("decode_bad_page_size", check(n < 0 && strstr(err, "page_size"), "%ld", n));
}

/* ---------------------------------------------------------------------- */
/* log parser */

static struct oomsnap_log_event events[8];
static unsigned int nr_events;

static void collect(void *ctx, struct oomsnap_log_event *ev)
{
	(void)ctx;
	if (nr_events < 8)
		events[nr_events] = *ev;
	nr_events++;
}

static void parse_lines(const char *const *lines, unsigned int n)
{
	static struct oomsnap_logparser lp;
	unsigned int i;

	nr_events = 0;
	oomsnap_logparser_init(&lp, collect, NULL);
	for (i = 0; i < n; i++)
		oomsnap_logparser_feed(&lp, lines[i], strlen(lines[i]));
	oomsnap_logparser_finish(&lp);
}

/*
 * oomsnap_logparser_skip() must leave the parser as feeding every line
 * would: a log of lines with anchors at their edges (a line's last bytes,
 * past the 160 bytes "Booting " is looked for in, CRLF, short lines, the
 * benchmark's "memory: usage" decoy) and reports, read both ways.
 */
static const char *const skip_pool[] = {
	"[ 1.000000] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex",
	"[ 1.000001] audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\"",
	"[ 1.000002] memory: usage counters reset by the operator (not an OOM)",
	"[ 1.000003] usb 1-1.2: new high-speed USB device number 2 using ehci-pci\r",
	"x",
	"",
	"ab:",
	"tail ends in free:",
	"tail ends in oom-kill",
	"a line that ends just before its anchor total-v",
	"[ 1.000004] some driver: Booting a helper",
	"[ 1.000005] padding padding padding padding padding padding padding padding padding "
	"padding padding padding padding padding padding padding padding padding Booting late",
	"[ 1.000006] xen-blkback: backend/vbd/1/51712: using 2 queues, protocol 1",
	"[ 1.000007] memory: usage 51200kB, limit 51200kB, failcnt 12",
	"[ 1.000008] Node 0 DMA: 1*4kB (U) 0*8kB = 4kB",
	"[ 1.000009] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
	"[ 1.000010] Node 0 Normal free:1000kB min:2000kB low:2500kB high:3000kB present:8192kB managed:8000kB",
	"[ 1.000011] Out of memory: Killed process 1 (x) total-vm:4kB, anon-rss:4kB, file-rss:0kB",
	"[ 1.000012] y: page allocation failure: order:2, mode:0xcc0(GFP_KERNEL)",
};

struct skip_run {
	unsigned long lines[64];
	unsigned int n;
};

static void collect_line(void *ctx, struct oomsnap_log_event *ev)
{
	struct skip_run *r = ctx;

	if (r->n < 64)
		r->lines[r->n] = ev->line * 1000 + ev->last_line % 1000 + ev->rec.type * 100000000UL;
	r->n++;
}

static void test_parser_skip(void)
{
	static struct oomsnap_logparser a, b;
	static char log[1 << 16];
	struct skip_run ra = { .n = 0 }, rb = { .n = 0 };
	size_t len = 0, off, n;
	unsigned int i, seed = 7, lines = 0;
	bool ok = true;

	for (i = 0; i < 2000 && len < sizeof(log) - 512; i++) {
		const char *l;

		seed = seed * 1103515245 + 12345;
		l = skip_pool[(seed >> 16) % ARRAY_SIZE(skip_pool)];
		n = strlen(l);
		memcpy(log + len, l, n);
		len += n;
		log[len++] = '\n';
		lines++;
	}
	oomsnap_logparser_init(&a, collect_line, &ra);
	oomsnap_logparser_init(&b, collect_line, &rb);
	for (off = 0; off < len; off += n + 1) {
		n = (size_t)((char *)memchr(log + off, '\n', len - off) - (log + off));
		oomsnap_logparser_feed(&a, log + off, n);
	}
	for (off = 0; off < len; off += n + 1) {
		off += oomsnap_logparser_skip(&b, log + off, len - off);
		if (off >= len)
			break;
		n = (size_t)((char *)memchr(log + off, '\n', len - off) - (log + off));
		oomsnap_logparser_feed(&b, log + off, n);
		ok &= b.lineno <= a.lineno;
	}
	oomsnap_logparser_finish(&a);
	oomsnap_logparser_finish(&b);
	ok &= a.lineno == lines && b.lineno == lines && ra.n == rb.n && ra.n > 4 &&
	      !memcmp(ra.lines, rb.lines, sizeof(ra.lines));
	result("parse_skip_same_as_feed",
	       check(ok, "lines %u: fed %lu, skipped %lu; events %u and %u", lines,
		     a.lineno, b.lineno, ra.n, rb.n));
}

static void test_parser(void)
{
	static const char *const prefixes[] = {
		"",
		"[ 1234.567890] ",
		"<4>[ 1234.567890] ",
		"[Mon Nov 23 03:04:05 2026] ",
		"Nov 23 03:04:05 host kernel: ",
		"Nov 23 03:04:05 host kernel: [ 1234.567890] ",
		"2026-11-23T03:04:05.123456+00:00 host kernel: ",
		"kern  :warn  : [ 1234.567890] ",
		"[ 1234.567890] [  T123] ",
	};
	char l1[256], l2[256], l3[256];
	const char *lines[3] = { l1, l2, l3 };
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		snprintf(l1, sizeof(l1), "%shog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=1, oom_score_adj=0", prefixes[i]);
		snprintf(l2, sizeof(l2), "%sNode 0 Normal free:4000kB boost:0kB min:400kB low:500kB high:600kB present:100000kB managed:90000kB", prefixes[i]);
		snprintf(l3, sizeof(l3), "%sNode 0 Normal: 1000*4kB (U) 0*8kB = 4000kB", prefixes[i]);
		parse_lines(lines, 3);
		ok = check(nr_events == 1, "prefix \"%s\": %u events", prefixes[i], nr_events) &&
		     check(!strcmp(events[0].rec.task.comm, "hog"), "prefix \"%s\": comm \"%s\"",
			   prefixes[i], events[0].rec.task.comm) &&
		     check(events[0].rec.gfp == GFP_KERNEL && events[0].rec.order == 1,
			   "prefix \"%s\": gfp/order", prefixes[i]) &&
		     check(events[0].rec.nr_zones == 1 && events[0].rec.zones[0].free == 1000 &&
			   events[0].rec.zones[0].nr_free[0] == 1000, "prefix \"%s\": zone", prefixes[i]);
		if (!ok)
			break;
	}
	result("parse_prefixes", ok);

	{
		static const char *const xen_dom0[] = {
			"[    0.000000] Booting kernel on Xen",
			"[    0.000000] Xen version: 4.17.7 (preserve-AD)",
			"[   30.100000] xen-blkback: backend/vbd/1/51712: using 2 queues, protocol 1 (x86_64-abi) persistent grants",
			"[   40.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
			"[   40.000001] Node 0 DMA32 free:4000kB boost:0kB min:400kB low:500kB high:600kB present:100000kB managed:90000kB",
		};
		static const char *const xen_hvm_late[] = {
			"[    9.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
			"[    9.000001] Node 0 DMA32 free:4000kB boost:0kB min:400kB low:500kB high:600kB present:100000kB managed:90000kB",
			"[    9.000002] Out of memory: Killed process 7 (hog) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
			"[   10.000000] Booting paravirtualized kernel on Xen HVM",
			"[   40.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
			"[   40.000001] Node 0 DMA32 free:4000kB boost:0kB min:400kB low:500kB high:600kB present:100000kB managed:90000kB",
		};
		static const char *const bare[] = {
			"[    0.000000] Booting paravirtualized kernel on bare hardware",
			"[   40.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		};

		static char stat_rows[80][32];
		const char *memcg_v2[90];
		unsigned int n = 0, row;

		memcg_v2[n++] = "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=1000";
		memcg_v2[n++] = "memory: usage 65536kB, limit 65536kB, failcnt 21";
		memcg_v2[n++] = "Memory cgroup stats for /scenario:";
		for (row = 0; row < ARRAY_SIZE(stat_rows); row++) {
			snprintf(stat_rows[row], sizeof(stat_rows[row]), "stat_%u %u", row,
				 row * 4096);
			memcg_v2[n++] = stat_rows[row];
		}
		memcg_v2[n++] = "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/scenario,task_memcg=/scenario,task=memhog,pid=155,uid=0";
		memcg_v2[n++] = "Memory cgroup out of memory: Killed process 155 (memhog) total-vm:66528kB, anon-rss:65280kB, file-rss:0kB, shmem-rss:520kB, UID:0 pgtables:168kB oom_score_adj:1000";
		parse_lines(memcg_v2, n);
		result("parse_memcg_v2_stats_block", check(nr_events == 1, "%u events", nr_events) &&
		       check(events[0].rec.type == OOMSNAP_EVENT_MEMCG_OOM, "type %u",
			     events[0].rec.type) &&
		       check(!strcmp(events[0].rec.victim.comm, "memhog"), "victim \"%s\"",
			     events[0].rec.victim.comm));

		parse_lines(xen_dom0, ARRAY_SIZE(xen_dom0));
		result("parse_xen_dom0_context", check(nr_events == 1, "%u events", nr_events) &&
		       check((events[0].rec.have & OOMSNAP_HAVE_XEN) && !events[0].rec.xen_status &&
			     events[0].rec.xen.domain == OOMSNAP_XEN_PV_DOM0,
			     "domain %u", events[0].rec.xen.domain) &&
		       check(events[0].rec.xen.blkback_status == OOMSNAP_NOT_IN_LOG &&
			     events[0].rec.xen.balloon_status == OOMSNAP_NOT_IN_LOG,
			     "blkback/balloon status"));
		parse_lines(xen_hvm_late, ARRAY_SIZE(xen_hvm_late));
		result("parse_xen_context_only_after", check(nr_events == 2, "%u events", nr_events) &&
		       check(!(events[0].rec.have & OOMSNAP_HAVE_XEN), "first report marked Xen") &&
		       check(events[1].rec.xen.domain == OOMSNAP_XEN_HVM_DOMU, "domain %u",
			     events[1].rec.xen.domain));
		parse_lines(bare, ARRAY_SIZE(bare));
		result("parse_bare_hardware_not_xen", check(nr_events == 1, "%u events", nr_events) &&
		       check(!(events[0].rec.have & OOMSNAP_HAVE_XEN) &&
			     events[0].rec.xen_status == OOMSNAP_NOT_IN_LOG, "marked Xen"));
	}

	{
		static const char *const wrapped[] = {
			"Mar 24 12:40:02 h kernel: oom-killer: gfp_mask=0xd0, order=0",
			"Mar 24 12:40:10 h kernel: Normal free:904kB min:936kB low:1872kB",
			"high:2808kB active:289904kB inactive:380988kB present:901120kB",
			"pages_scanned:962808 all_unreclaimable? yes",
			"Mar 24 12:40:17 h kernel: Out of Memory: Killed process 19248",
			"(iptrap).",
		};
		parse_lines(wrapped, ARRAY_SIZE(wrapped));
		result("parse_wrapped_syslog",
		       check(nr_events == 1, "%u events", nr_events) &&
		       check(events[0].rec.zones[0].wmark_high == 702 &&
			     events[0].rec.zones[0].present == 225280 &&
			     (events[0].rec.zones[0].flags & OOMSNAP_ZONE_ALL_UNRECLAIMABLE),
			     "continuations not joined") &&
		       check(!strcmp(events[0].rec.victim.comm, "iptrap"), "victim \"%s\"",
			     events[0].rec.victim.comm) &&
		       check(events[0].rec.gfp == GFP_KERNEL, "0xd0 is GFP_KERNEL"));
	}
	{
		static const char *const boosted[] = {
			"x invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
			"Node 0 DMA32 free:8000kB boost:4000kB min:6000kB low:7000kB high:8000kB reserved_highatomic:2048KB present:100000kB managed:90000kB",
			"lowmem_reserve[]: 0 0 0 0 0",
			"Node 0 DMA free:16000kB boost:0kB min:100kB low:120kB high:140kB present:16000kB managed:15000kB",
			"lowmem_reserve[]: 0 1800 1900 2000 2100",
		};
		const struct oomsnap_zone *z0, *z1;

		parse_lines(boosted, ARRAY_SIZE(boosted));
		z0 = &events[0].rec.zones[0];
		z1 = &events[0].rec.zones[1];
		result("parse_boost_and_reserve",
		       check(z0->wmark_min == 500 && z0->wmark_boost == 1000,
			     "min without boost: %llu", z0->wmark_min) &&
		       check(z0->reserved_highatomic == 512, "highatomic %llu", z0->reserved_highatomic) &&
		       check(z1->lowmem_reserve[OOMSNAP_ZONE_DMA32] == 1800 &&
			     z1->lowmem_reserve[OOMSNAP_ZONE_NORMAL] == 1900 &&
			     z1->lowmem_reserve[OOMSNAP_ZONE_MOVABLE] == 2000 &&
			     z1->lowmem_reserve[OOMSNAP_ZONE_DEVICE] == 2100 &&
			     z1->lowmem_reserve[OOMSNAP_ZONE_HIGHMEM] == 1900,
			     "lowmem_reserve mapped by zone type") &&
		       check(events[0].rec.kernel_era == OOMSNAP_ERA(5, 0), "era guess from boost"));
	}
	{
		static const char *const big[] = {
			"x: page allocation failure: order:2, mode:0x40cc0(GFP_KERNEL|__GFP_COMP|__GFP_BOGUS), nodemask=0-1,3",
			"Node 0 Normal: 1*4kB (UMEHCI) 2*8kB (M) 3*16kB (H) 0*32kB = 100kB",
		};
		const struct oomsnap_zone *z;

		parse_lines(big, ARRAY_SIZE(big));
		z = &events[0].rec.zones[0];
		result("parse_alloc_failure_fields",
		       check(events[0].rec.type == OOMSNAP_EVENT_ALLOC_FAILURE, "type") &&
		       check(events[0].rec.gfp & OOMSNAP_GFP_UNKNOWN, "unknown name flagged") &&
		       check(events[0].rec.nodemask == 0xb, "nodemask 0x%llx", events[0].rec.nodemask) &&
		       check(z->nr_free_mt[2][OOMSNAP_MT_HIGHATOMIC] && !z->nr_free_mt[2][OOMSNAP_MT_MOVABLE] &&
			     z->nr_free_mt[0][OOMSNAP_MT_ISOLATE] && z->nr_orders == 4, "letters"));
	}
	{
		/* a report among 100000 unrelated lines; line numbers kept */
		static struct oomsnap_logparser lp;
		char line[128];

		nr_events = 0;
		oomsnap_logparser_init(&lp, collect, NULL);
		for (i = 0; i < 100000; i++) {
			snprintf(line, sizeof(line), "[%u.000000] eth0: link up, free:%s", i,
				 i % 7 ? "x" : "no");
			oomsnap_logparser_feed(&lp, line, strlen(line));
		}
		snprintf(line, sizeof(line), "[9.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0");
		oomsnap_logparser_feed(&lp, line, strlen(line));
		oomsnap_logparser_finish(&lp);
		result("parse_stream_line_numbers",
		       check(nr_events == 1 && events[0].line == 100001, "%u events, line %lu",
			     nr_events, nr_events ? events[0].line : 0));
	}
	{
		static char huge[200000];
		const char *one[1] = { huge };

		memset(huge, 'A', sizeof(huge) - 1);
		memcpy(huge, "Normal free:", 12);
		parse_lines(one, 1);
		result("parse_long_line_bounded", check(nr_events == 1, "%u", nr_events));
	}
}

/* ---------------------------------------------------------------------- */
/* renderer */

static char text[65536];
static size_t text_len;

static void text_vprintf(void *ctx, const char *fmt, va_list ap)
{
	int n;

	(void)ctx;
	n = vsnprintf(text + text_len, sizeof(text) - text_len, fmt, ap);
	if (n > 0)
		text_len += (size_t)n < sizeof(text) - text_len ? (size_t)n : sizeof(text) - text_len - 1;
}

static void test_render(void)
{
	struct oomsnap_printer p = { .vprintf = text_vprintf };

	blank(ERA61);
	box64(300);
	request(GFP_KERNEL | OOMSNAP_GFP_COMP, 2);
	rec.have |= OOMSNAP_HAVE_TASK;
	strcpy(rec.task.comm, "hog");
	oomsnap_diagnose(&rec, &diag);
	text_len = 0;
	oomsnap_print_record(&p, &rec, &diag);
	result("render_sections",
	       check(strstr(text, "request:    gfp GFP_KERNEL|__GFP_COMP") != NULL, "request") &&
	       check(strstr(text, "zones (kB)") != NULL, "zone table") &&
	       check(strstr(text, "node0  Normal") != NULL, "zone row") &&
	       check(strstr(text, "free blocks per order") != NULL, "buddy") &&
	       check(strstr(text, "top slab caches\n  not available: not captured") != NULL,
		     "slabs not available") &&
	       check(strstr(text, "diagnosis\n  cause:") != NULL, "diagnosis"));
	blank(0);
	text_len = 0;
	oomsnap_print_record(&p, &rec, NULL);
	result("render_empty_record", check(strstr(text, "request:    not available") != NULL,
					    "empty record"));
}

/* ---------------------------------------------------------------------- */

static int write_raw(const char *path, unsigned int n, unsigned int size,
		     unsigned long long seq0)
{
	static unsigned char out[1 << 16];
	FILE *f = fopen(path, "ab");
	unsigned int i;

	if (!f || size > sizeof(out) || size < sizeof(rec)) {
		perror(path);
		return 1;
	}
	for (i = 0; i < n; i++) {
		blank(ERA61);
		box64(300 + i);
		request(GFP_HIGHUSER_MOVABLE, 0);
		rec.size = size;
		rec.seq = seq0 + i;
		rec.time_ns = 1000000000ULL * (i + 1);
		rec.have |= OOMSNAP_HAVE_TASK;
		snprintf(rec.task.comm, sizeof(rec.task.comm), "task%u", i);
		memset(out, 0, size);
		memcpy(out, &rec, sizeof(rec));
		if (fwrite(out, 1, size, f) != size) {
			perror(path);
			return 1;
		}
	}
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "write-raw"))
		return write_raw(argv[2], (unsigned int)atoi(argv[3]),
				 argc > 4 ? (unsigned int)atoi(argv[4]) : OOMSNAP_RECORD_SIZE_VER0,
				 argc > 5 ? strtoull(argv[5], NULL, 10) : 1);
	test_watermark();
	test_gfp();
	test_diagnosis();
	test_decode();
	test_parser();
	test_parser_skip();
	test_render();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
