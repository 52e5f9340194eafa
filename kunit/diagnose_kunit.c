// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite oomsnap_diagnose: the engine's verdict (lib/diagnose.c) on
 * synthetic records, one case per cause id of README.md, the contributing
 * factors, and the inputs that lack what a conclusion needs.
 *
 * The base host: 4 GB (1M pages), one node, zones DMA / DMA32 / Normal, all
 * at or below min (an OOM), GFP_KERNEL order 0, nothing special in the
 * counters. Each case changes what makes its cause.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "diagnose.h"
#include "names.h"
#include "watermark.h"
#include "synthetic.h"

#define G(x)		OOMSNAP_GFP_##x
#define GFP_KERNEL_	(G(DIRECT_RECLAIM) | G(KSWAPD_RECLAIM) | G(IO) | G(FS))
#define GFP_ATOMIC_	(G(HIGH) | G(ATOMIC) | G(KSWAPD_RECLAIM))
#define GFP_NOFS_	(G(DIRECT_RECLAIM) | G(KSWAPD_RECLAIM) | G(IO))
#define GFP_NOIO_	(G(DIRECT_RECLAIM) | G(KSWAPD_RECLAIM))
#define GFP_NOWAIT_	G(KSWAPD_RECLAIM)

#define RAM		1048576ULL	/* pages: 4 GB */

static struct oomsnap_record *base_host(struct kunit *test)
{
	struct oomsnap_record *rec = synth_record(test, SYNTH_ERA_6_1);

	synth_request(rec, OOMSNAP_EVENT_OOM, GFP_KERNEL_, 0);
	synth_zone(rec, 0, OOMSNAP_ZONE_DMA, 900, 1000, 3976);
	synth_zone(rec, 0, OOMSNAP_ZONE_DMA32, 5000, 6000, 700000);
	synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 2000, 2500, RAM - 703976);
	synth_mem(rec, OOMSNAP_MEM_TOTALRAM, RAM);
	synth_mem(rec, OOMSNAP_MEM_FREE, 7900);
	synth_mem(rec, OOMSNAP_MEM_ACTIVE_ANON, 600000);
	synth_mem(rec, OOMSNAP_MEM_INACTIVE_ANON, 300000);
	synth_mem(rec, OOMSNAP_MEM_ACTIVE_FILE, 20000);
	synth_mem(rec, OOMSNAP_MEM_INACTIVE_FILE, 10000);
	synth_mem(rec, OOMSNAP_MEM_UNEVICTABLE, 0);
	synth_mem(rec, OOMSNAP_MEM_MLOCKED, 0);
	synth_mem(rec, OOMSNAP_MEM_SHMEM, 5000);
	synth_mem(rec, OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 20000);
	synth_mem(rec, OOMSNAP_MEM_UNACCOUNTED, 10000);
	synth_mem(rec, OOMSNAP_MEM_HUGETLB_TOTAL, 0);
	synth_mem(rec, OOMSNAP_MEM_FREE_CMA, 0);
	synth_mem(rec, OOMSNAP_MEM_SWAP_TOTAL, 262144);
	synth_mem(rec, OOMSNAP_MEM_SWAP_FREE, 100000);
	synth_mem(rec, OOMSNAP_MEM_COMMITTED, 900000);
	synth_mem(rec, OOMSNAP_MEM_COMMIT_LIMIT, 800000);
	return rec;
}

static struct oomsnap_diagnosis *diagnose(struct kunit *test,
					  const struct oomsnap_record *rec)
{
	struct oomsnap_diagnosis *d = kunit_kzalloc(test, sizeof(*d),
						    GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, d);
	/* garbage in: the engine must reset everything */
	memset(d, 0xa5, sizeof(*d));
	oomsnap_diagnose(rec, d);
	KUNIT_EXPECT_LE(test, d->nr_evidence, OOMSNAP_DIAG_MAX_LINES);
	KUNIT_EXPECT_LE(test, d->nr_missing, OOMSNAP_DIAG_MAX_LINES);
	for (i = 0; i < d->nr_evidence && i < OOMSNAP_DIAG_MAX_LINES; i++)
		KUNIT_EXPECT_LT(test, strnlen(d->evidence[i],
					      OOMSNAP_DIAG_LINE_LEN),
				(size_t)OOMSNAP_DIAG_LINE_LEN);
	for (i = 0; i < d->nr_missing && i < OOMSNAP_DIAG_MAX_LINES; i++)
		KUNIT_EXPECT_LT(test, strnlen(d->missing[i],
					      OOMSNAP_DIAG_LINE_LEN),
				(size_t)OOMSNAP_DIAG_LINE_LEN);
	return d;
}

static bool lines_have(const char (*lines)[OOMSNAP_DIAG_LINE_LEN],
		       unsigned int nr, const char *needle)
{
	unsigned int i;

	for (i = 0; i < nr && i < OOMSNAP_DIAG_MAX_LINES; i++)
		if (strstr(lines[i], needle))
			return true;
	return false;
}

static void expect_cause(struct kunit *test,
			 const struct oomsnap_diagnosis *d, unsigned int cause)
{
	KUNIT_EXPECT_STREQ(test, oomsnap_cause_name(d->cause),
			   oomsnap_cause_name(cause));
}

static void expect_contrib(struct kunit *test,
			   const struct oomsnap_diagnosis *d, unsigned int c,
			   bool yes)
{
	KUNIT_EXPECT_EQ_MSG(test, !!(d->contributing & (1U << c)), yes,
			    "%s %scontributing", oomsnap_cause_name(c),
			    yes ? "not " : "");
}

static void expect_evidence(struct kunit *test,
			    const struct oomsnap_diagnosis *d, const char *s)
{
	KUNIT_EXPECT_TRUE_MSG(test, lines_have(d->evidence, d->nr_evidence, s),
			      "no evidence line with \"%s\"", s);
}

static void expect_missing(struct kunit *test,
			   const struct oomsnap_diagnosis *d, const char *s)
{
	KUNIT_EXPECT_TRUE_MSG(test, lines_have(d->missing, d->nr_missing, s),
			      "no missing line with \"%s\"", s);
}

/* ---------------------------------------------------------------------- */
/* one case per cause id                                                   */

static void diagnose_cause_names(struct kunit *test)
{
	static const char * const ids[OOMSNAP_CAUSE_NR] = {
		"unknown", "fragmentation", "lowmem", "memcg_limit",
		"constrained", "no_reclaim", "cma", "slab_unreclaimable",
		"kernel_unaccounted", "mlocked", "shmem", "hugetlb",
		"exhausted", "no_swap", "swap_full", "overcommit",
	};
	unsigned int i;

	for (i = 0; i < OOMSNAP_CAUSE_NR; i++)
		KUNIT_EXPECT_STREQ(test, oomsnap_cause_name(i), ids[i]);
	KUNIT_EXPECT_STREQ(test, oomsnap_cause_name(OOMSNAP_CAUSE_NR),
			   "unknown");
}

static void diagnose_exhausted(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d = diagnose(test, rec);

	expect_cause(test, d, OOMSNAP_CAUSE_EXHAUSTED);
	expect_evidence(test, d, "below its min watermark");
	expect_evidence(test, d, "LRU");
	KUNIT_EXPECT_GT(test, d->nr_evidence, 0U);
}

/*
 * order 3, GFP_KERNEL; zone Normal free 50000 over min 2500, but blocks:
 *   order: 0      1      2     3..10
 *          20000  10000  2500  0          -> fragmentation
 */
static void diagnose_fragmentation(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;
	unsigned int i;

	synth_request(rec, OOMSNAP_EVENT_ALLOC_FAILURE, GFP_KERNEL_, 3);
	for (i = 0; i < rec->nr_zones; i++) {
		struct oomsnap_zone *z = &rec->zones[i];

		z->free = 50000;
		synth_blocks(z, 0, OOMSNAP_MT_MOVABLE, 20000);
		synth_blocks(z, 1, OOMSNAP_MT_UNMOVABLE, 10000);
		synth_blocks(z, 2, OOMSNAP_MT_RECLAIMABLE, 2500);
		/* a HighAtomic block GFP_KERNEL may not take */
		synth_blocks(z, 5, OOMSNAP_MT_HIGHATOMIC, 1);
	}
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_FRAGMENTATION);
	expect_evidence(test, d, "order >= 3");

	/* one order-3 block anywhere and the request would have passed */
	synth_blocks(&rec->zones[2], 3, OOMSNAP_MT_MOVABLE, 1);
	d = diagnose(test, rec);
	KUNIT_EXPECT_NE(test, d->cause, (unsigned int)OOMSNAP_CAUSE_FRAGMENTATION);
}

/*
 * 32-bit dom0: DMA and Normal (lowmem) below min, HighMem with 800 MB free;
 * GFP_KERNEL may not use HighMem; slab fills lowmem.
 */
static void diagnose_lowmem(struct kunit *test)
{
	struct oomsnap_record *rec = synth_record(test, SYNTH_ERA_6_1);
	struct oomsnap_diagnosis *d;

	synth_request(rec, OOMSNAP_EVENT_OOM, GFP_KERNEL_, 0);
	synth_zone(rec, 0, OOMSNAP_ZONE_DMA, 800, 1000, 3976);
	synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 3000, 3500, 180000);
	synth_zone(rec, 0, OOMSNAP_ZONE_HIGHMEM, 204800, 500, 340000);
	synth_mem(rec, OOMSNAP_MEM_TOTALRAM, 523976);
	synth_mem(rec, OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 150000);
	synth_mem(rec, OOMSNAP_MEM_SWAP_TOTAL, 0);
	d = diagnose(test, rec);
	/* slab holds most of lowmem (150000 of 183976 pages): it leads */
	expect_cause(test, d, OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE);
	expect_evidence(test, d, "not usable by this request");
	expect_contrib(test, d, OOMSNAP_CAUSE_LOWMEM, true);
	expect_contrib(test, d, OOMSNAP_FACTOR_NO_SWAP, true);

	/* a third or more but not most (80000): lowmem leads, slab contributes */
	synth_mem(rec, OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 80000);
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_LOWMEM);
	expect_contrib(test, d, OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE, true);

	/* the same host for a request that may use HighMem: not lowmem */
	rec->gfp |= G(HIGHMEM);
	d = diagnose(test, rec);
	KUNIT_EXPECT_NE(test, d->cause, (unsigned int)OOMSNAP_CAUSE_LOWMEM);
}

static void diagnose_memcg_limit(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	rec->type = OOMSNAP_EVENT_MEMCG_OOM;
	rec->have |= OOMSNAP_HAVE_MEMCG;
	strscpy(rec->memcg_path, "/system.slice/leak.service",
		sizeof(rec->memcg_path));
	rec->memcg_usage = 25600;
	rec->memcg_limit = 25600;
	/* the host itself has plenty free: irrelevant */
	rec->zones[2].free = 500000;
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_MEMCG_LIMIT);
	expect_evidence(test, d, "/system.slice/leak.service");
	expect_evidence(test, d, "102400kB");
}

static void diagnose_memcg_by_constraint(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* a global OOM record whose constraint says memcg: still the limit */
	rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	rec->constraint = OOMSNAP_CONSTRAINT_MEMCG;
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_MEMCG_LIMIT);
}

static void diagnose_constrained(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* node 1 has 400 MB free, the cpuset allows node 0 only */
	synth_zone(rec, 1, OOMSNAP_ZONE_NORMAL, 102400, 2500, 262144);
	rec->have |= OOMSNAP_HAVE_CONSTRAINT | OOMSNAP_HAVE_NODEMASK;
	rec->constraint = OOMSNAP_CONSTRAINT_CPUSET;
	rec->nodemask = 0x1;
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_CONSTRAINED);
	expect_evidence(test, d, "cpuset");
	/* (102400 - 2500) pages above min on node 1 */
	expect_evidence(test, d, "399600kB");
}

struct no_reclaim_case {
	const char *what;
	u64 gfp;
};

static const struct no_reclaim_case no_reclaim_cases[] = {
	{ "GFP_ATOMIC", GFP_ATOMIC_ },
	{ "GFP_NOWAIT", GFP_NOWAIT_ },
	{ "GFP_NOIO", GFP_NOIO_ },
	{ "GFP_NOFS", GFP_NOFS_ },
};

static void no_reclaim_desc(const struct no_reclaim_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(no_reclaim, no_reclaim_cases, no_reclaim_desc);

static void diagnose_no_reclaim(struct kunit *test)
{
	const struct no_reclaim_case *c = test->param_value;
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	synth_request(rec, OOMSNAP_EVENT_ALLOC_FAILURE, c->gfp, 0);
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_NO_RECLAIM);
	expect_evidence(test, d, "could not");
}

/* An OOM (not a failure) of a can-reclaim request is never no_reclaim. */
static void diagnose_no_reclaim_needs_failure(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	synth_request(rec, OOMSNAP_EVENT_ALLOC_FAILURE, GFP_KERNEL_, 0);
	d = diagnose(test, rec);
	KUNIT_EXPECT_NE(test, d->cause, (unsigned int)OOMSNAP_CAUSE_NO_RECLAIM);
}

struct consumer_case {
	const char *what;
	unsigned int idx;
	u64 pages;
	unsigned int cause;
};

/* each holds at least a third of RAM (349526 pages) */
static const struct consumer_case consumer_cases[] = {
	{ "free CMA", OOMSNAP_MEM_FREE_CMA, 400000, OOMSNAP_CAUSE_CMA },
	{ "unreclaimable slab", OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 500000,
	  OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE },
	{ "unaccounted", OOMSNAP_MEM_UNACCOUNTED, 400000,
	  OOMSNAP_CAUSE_KERNEL_UNACCOUNTED },
	{ "shmem", OOMSNAP_MEM_SHMEM, 500000, OOMSNAP_CAUSE_SHMEM },
	{ "hugetlb", OOMSNAP_MEM_HUGETLB_TOTAL, 524288, OOMSNAP_CAUSE_HUGETLB },
};

static void consumer_desc(const struct consumer_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(consumer, consumer_cases, consumer_desc);

static void diagnose_consumer(struct kunit *test)
{
	const struct consumer_case *c = test->param_value;
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	synth_mem(rec, c->idx, c->pages);
	rec->mem[OOMSNAP_MEM_ACTIVE_ANON] = 100000;
	d = diagnose(test, rec);
	expect_cause(test, d, c->cause);
	expect_evidence(test, d, "% of RAM");
}

static void diagnose_cma_movable_may_use(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* free CMA is no obstacle to a movable request */
	synth_mem(rec, OOMSNAP_MEM_FREE_CMA, 400000);
	rec->gfp |= G(MOVABLE) | G(HIGHMEM) | G(HARDWALL);
	d = diagnose(test, rec);
	KUNIT_EXPECT_NE(test, d->cause, (unsigned int)OOMSNAP_CAUSE_CMA);
}

static void diagnose_mlocked(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* the appliance: mlockall() daemons, free swap it can't use */
	synth_mem(rec, OOMSNAP_MEM_MLOCKED, 600000);
	synth_mem(rec, OOMSNAP_MEM_UNEVICTABLE, 600000);
	synth_mem(rec, OOMSNAP_MEM_SWAP_FREE, 524288);
	synth_mem(rec, OOMSNAP_MEM_SWAP_TOTAL, 524288);
	rec->mem[OOMSNAP_MEM_ACTIVE_ANON] = 100000;
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_MLOCKED);
	expect_contrib(test, d, OOMSNAP_FACTOR_SWAP_FULL, false);
	expect_contrib(test, d, OOMSNAP_CAUSE_SHMEM, false);
}

static void diagnose_ramfs_unevictable_is_shmem(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* unevictable but not mlocked: ramfs or SHM_LOCK */
	synth_mem(rec, OOMSNAP_MEM_UNEVICTABLE, 500000);
	rec->mem[OOMSNAP_MEM_ACTIVE_ANON] = 100000;
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_SHMEM);
	expect_evidence(test, d, "not mlocked");
}

static void diagnose_unknown_on_empty_record(struct kunit *test)
{
	struct oomsnap_record *rec = synth_record(test, 0);
	struct oomsnap_diagnosis *d;

	rec->type = OOMSNAP_EVENT_OOM;
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_UNKNOWN);
	KUNIT_EXPECT_EQ(test, d->contributing, 0U);
	KUNIT_EXPECT_GE(test, d->nr_missing, 3U);
	expect_missing(test, d, "gfp_mask");
	expect_missing(test, d, "zone lines");
	expect_missing(test, d, "swap totals");
}

/* ---------------------------------------------------------------------- */
/* contributing factors                                                    */

static void diagnose_factor_no_swap(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	synth_mem(rec, OOMSNAP_MEM_SWAP_TOTAL, 0);
	synth_mem(rec, OOMSNAP_MEM_SWAP_FREE, 0);
	d = diagnose(test, rec);
	expect_contrib(test, d, OOMSNAP_FACTOR_NO_SWAP, true);
	expect_contrib(test, d, OOMSNAP_FACTOR_SWAP_FULL, false);
	expect_evidence(test, d, "no swap");
}

static void diagnose_factor_swap_full(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* 2% free is full; 3% is not (100000 pages of swap) */
	synth_mem(rec, OOMSNAP_MEM_SWAP_TOTAL, 100000);
	synth_mem(rec, OOMSNAP_MEM_SWAP_FREE, 2000);
	d = diagnose(test, rec);
	expect_contrib(test, d, OOMSNAP_FACTOR_SWAP_FULL, true);
	expect_contrib(test, d, OOMSNAP_FACTOR_NO_SWAP, false);

	synth_mem(rec, OOMSNAP_MEM_SWAP_FREE, 3000);
	d = diagnose(test, rec);
	expect_contrib(test, d, OOMSNAP_FACTOR_SWAP_FULL, false);
}

static void diagnose_factor_overcommit(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* above CommitLimit, within RAM + swap: default mode's normal state */
	d = diagnose(test, rec);	/* committed 900000 > limit 800000 */
	expect_contrib(test, d, OOMSNAP_FACTOR_OVERCOMMIT, false);

	/* more promised than RAM and swap can ever hold */
	synth_mem(rec, OOMSNAP_MEM_COMMITTED, RAM + 262144 + 1);
	d = diagnose(test, rec);
	expect_contrib(test, d, OOMSNAP_FACTOR_OVERCOMMIT, true);
	expect_evidence(test, d, "overcommit: committed");

	synth_mem(rec, OOMSNAP_MEM_COMMITTED, RAM + 262144);
	d = diagnose(test, rec);
	expect_contrib(test, d, OOMSNAP_FACTOR_OVERCOMMIT, false);
}

static void diagnose_factor_second_consumer(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* shmem leads (40%), slab (15%) contributes, unaccounted (1%) not */
	synth_mem(rec, OOMSNAP_MEM_SHMEM, 420000);
	synth_mem(rec, OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 160000);
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_SHMEM);
	expect_contrib(test, d, OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE, true);
	expect_contrib(test, d, OOMSNAP_CAUSE_KERNEL_UNACCOUNTED, false);
	expect_contrib(test, d, OOMSNAP_CAUSE_SHMEM, false);
}

/* ---------------------------------------------------------------------- */
/* inputs that lack what a conclusion needs                                */

static void diagnose_missing_gfp(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	rec->have &= ~OOMSNAP_HAVE_GFP;
	d = diagnose(test, rec);
	expect_missing(test, d, "gfp_mask not in input");
}

static void diagnose_missing_order(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	rec->have &= ~OOMSNAP_HAVE_ORDER;
	d = diagnose(test, rec);
	expect_missing(test, d, "order not in input");
	KUNIT_EXPECT_NE(test, d->cause,
			(unsigned int)OOMSNAP_CAUSE_FRAGMENTATION);
}

static void diagnose_missing_zones(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	rec->have &= ~OOMSNAP_HAVE_ZONES;
	d = diagnose(test, rec);
	expect_missing(test, d, "no zone lines");
}

/* Lowmem pattern, but without gfp the tool can't say the zones were off limits. */
static void diagnose_missing_gfp_for_lowmem(struct kunit *test)
{
	struct oomsnap_record *rec = synth_record(test, SYNTH_ERA_6_1);
	struct oomsnap_diagnosis *d;

	rec->type = OOMSNAP_EVENT_OOM;
	synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 3000, 3500, 180000);
	synth_zone(rec, 0, OOMSNAP_ZONE_HIGHMEM, 204800, 500, 340000);
	d = diagnose(test, rec);
	KUNIT_EXPECT_NE(test, d->cause, (unsigned int)OOMSNAP_CAUSE_LOWMEM);
	expect_missing(test, d, "without gfp_mask");
}

static void diagnose_missing_buddy_for_fragmentation(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;
	unsigned int i;

	/* order 4 with free memory but no buddy lines: can't tell */
	synth_request(rec, OOMSNAP_EVENT_ALLOC_FAILURE, GFP_KERNEL_, 4);
	for (i = 0; i < rec->nr_zones; i++)
		rec->zones[i].free = 50000;
	d = diagnose(test, rec);
	KUNIT_EXPECT_NE(test, d->cause,
			(unsigned int)OOMSNAP_CAUSE_FRAGMENTATION);
	expect_missing(test, d, "no buddy lines");
}

static void diagnose_missing_swap_totals(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	rec->mem_have &= ~(1ULL << OOMSNAP_MEM_SWAP_TOTAL);
	d = diagnose(test, rec);
	expect_missing(test, d, "swap totals not in input");
	expect_contrib(test, d, OOMSNAP_FACTOR_NO_SWAP, false);
	expect_contrib(test, d, OOMSNAP_FACTOR_SWAP_FULL, false);
}

static void diagnose_missing_ram_size(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* no totals and no zone sizes: nothing to weigh consumers against */
	rec->mem_have = 0;
	rec->nr_zones = 0;
	rec->have &= ~OOMSNAP_HAVE_ZONES;
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_UNKNOWN);
	expect_missing(test, d, "no RAM size");
}

static void diagnose_missing_memcg_data(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	rec->type = OOMSNAP_EVENT_MEMCG_OOM;
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_MEMCG_LIMIT);
	expect_missing(test, d, "memcg path, usage and limit not in input");
}

static void diagnose_missing_nodemask(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	rec->constraint = OOMSNAP_CONSTRAINT_MEMORY_POLICY;
	d = diagnose(test, rec);
	expect_cause(test, d, OOMSNAP_CAUSE_CONSTRAINED);
	expect_missing(test, d, "nodemask not in input");
}

static void diagnose_mlocked_unknown_from_log(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;

	/* an old log: unevictable shown, mlocked not */
	rec->mem_have &= ~(1ULL << OOMSNAP_MEM_MLOCKED);
	synth_mem(rec, OOMSNAP_MEM_UNEVICTABLE, 500000);
	d = diagnose(test, rec);
	expect_missing(test, d, "mlocked not in input");
}

/* 16 zones, every one writing evidence: lines stop at the cap. */
static void diagnose_evidence_capped(struct kunit *test)
{
	struct oomsnap_record *rec = base_host(test);
	struct oomsnap_diagnosis *d;
	unsigned int node;

	for (node = 1; rec->nr_zones < OOMSNAP_MAX_ZONES; node++)
		synth_zone(rec, node, OOMSNAP_ZONE_NORMAL, 100, 200, 100000);
	d = diagnose(test, rec);
	KUNIT_EXPECT_EQ(test, d->nr_evidence, (unsigned int)OOMSNAP_DIAG_MAX_LINES);
}

static struct kunit_case diagnose_cases[] = {
	KUNIT_CASE(diagnose_cause_names),
	KUNIT_CASE(diagnose_exhausted),
	KUNIT_CASE(diagnose_fragmentation),
	KUNIT_CASE(diagnose_lowmem),
	KUNIT_CASE(diagnose_memcg_limit),
	KUNIT_CASE(diagnose_memcg_by_constraint),
	KUNIT_CASE(diagnose_constrained),
	KUNIT_CASE_PARAM(diagnose_no_reclaim, no_reclaim_gen_params),
	KUNIT_CASE(diagnose_no_reclaim_needs_failure),
	KUNIT_CASE_PARAM(diagnose_consumer, consumer_gen_params),
	KUNIT_CASE(diagnose_cma_movable_may_use),
	KUNIT_CASE(diagnose_mlocked),
	KUNIT_CASE(diagnose_ramfs_unevictable_is_shmem),
	KUNIT_CASE(diagnose_unknown_on_empty_record),
	KUNIT_CASE(diagnose_factor_no_swap),
	KUNIT_CASE(diagnose_factor_swap_full),
	KUNIT_CASE(diagnose_factor_overcommit),
	KUNIT_CASE(diagnose_factor_second_consumer),
	KUNIT_CASE(diagnose_missing_gfp),
	KUNIT_CASE(diagnose_missing_order),
	KUNIT_CASE(diagnose_missing_zones),
	KUNIT_CASE(diagnose_missing_gfp_for_lowmem),
	KUNIT_CASE(diagnose_missing_buddy_for_fragmentation),
	KUNIT_CASE(diagnose_missing_swap_totals),
	KUNIT_CASE(diagnose_missing_ram_size),
	KUNIT_CASE(diagnose_missing_memcg_data),
	KUNIT_CASE(diagnose_missing_nodemask),
	KUNIT_CASE(diagnose_mlocked_unknown_from_log),
	KUNIT_CASE(diagnose_evidence_capped),
	{}
};

static struct kunit_suite diagnose_suite = {
	.name = "oomsnap_diagnose",
	.test_cases = diagnose_cases,
};

kunit_test_suite(diagnose_suite);
