// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite oomsnap_watermark: the engine's replica of the kernel's
 * __zone_watermark_ok() (lib/watermark.c).
 *
 * Expected values come from the kernel's rule, worked by hand below, never
 * from the replica itself:
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
 * The last case runs the kernel's own __zone_watermark_ok() (not exported:
 * found through a kprobe's resolved address) beside the replica on the
 * live zones of this kernel, for every order, highest zone and reserve flag
 * combination, at marks placed on each side of the pass/fail boundary.
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
#include "synthetic.h"

#define ERA	SYNTH_ERA_6_1

#define F_MIN	OOMSNAP_ALLOC_MIN_RESERVE
#define F_NB	OOMSNAP_ALLOC_NON_BLOCK
#define F_HA	OOMSNAP_ALLOC_HIGHATOMIC
#define F_OOM	OOMSNAP_ALLOC_OOM
#define F_CMA	OOMSNAP_ALLOC_CMA
#define F_HARD	OOMSNAP_ALLOC_HARDER

/* A blank record (test-managed memory) for @era. */
static struct oomsnap_record *synth_record(struct kunit *test, unsigned int era)
{
	struct oomsnap_record *rec;

	rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rec);
	synth_blank(rec, era);
	return rec;
}

/* ---------------------------------------------------------------------- */
/* order 0: strictly above min + reserve                                   */

struct boundary_case {
	u64 free;
	u64 mark;
	bool ok;
};

static const struct boundary_case boundary_cases[] = {
	{ 1000, 100, true },
	{ 101, 100, true },
	{ 100, 100, false },	/* free == mark fails: "<=" */
	{ 99, 100, false },
	{ 0, 100, false },
	{ 0, 0, false },	/* an empty zone never passes */
	{ 1, 0, true },
};

static void boundary_desc(const struct boundary_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "free %llu mark %llu",
		 c->free, c->mark);
}

KUNIT_ARRAY_PARAM(boundary, boundary_cases, boundary_desc);

static void zone_watermark_ok_order0_boundary(struct kunit *test)
{
	const struct boundary_case *c = test->param_value;
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_zone *z;
	struct oomsnap_wmark_check chk;
	bool ok;

	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, c->free, c->mark, 1 << 18);
	ok = oomsnap_zone_watermark_ok(rec, z, 0, c->mark, OOMSNAP_ZONE_NORMAL,
				       0, &chk);
	KUNIT_EXPECT_EQ(test, ok, c->ok);
	KUNIT_EXPECT_EQ(test, chk.ok, (int)c->ok);
	KUNIT_EXPECT_EQ(test, chk.order0_ok, (int)c->ok);
	KUNIT_EXPECT_EQ(test, chk.unusable, 0LL);
	KUNIT_EXPECT_EQ(test, chk.min, (s64)c->mark);
	KUNIT_EXPECT_EQ(test, chk.rule, (unsigned int)OOMSNAP_WMARK_RULE_RESERVES);
}

/* ---------------------------------------------------------------------- */
/* lowmem_reserve[] of a DMA32 zone, per highest zone of the request       */
/*
 *   request may use up to:   DMA   DMA32   Normal   Movable
 *   lowmem_reserve[] of DMA32: 0     0      350      400
 *   free 500, min 150:       pass  pass   500<=500  500<=550: fail
 */

struct reserve_case {
	unsigned int highest;
	s64 reserve;
	bool ok;
};

static const struct reserve_case reserve_cases[] = {
	{ OOMSNAP_ZONE_DMA, 0, true },
	{ OOMSNAP_ZONE_DMA32, 0, true },
	{ OOMSNAP_ZONE_NORMAL, 350, false },
	{ OOMSNAP_ZONE_MOVABLE, 400, false },
};

static void reserve_desc(const struct reserve_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "highest zone %s",
		 oomsnap_zone_type_name(c->highest));
}

KUNIT_ARRAY_PARAM(reserve, reserve_cases, reserve_desc);

static void zone_watermark_ok_lowmem_reserve(struct kunit *test)
{
	const struct reserve_case *c = test->param_value;
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	z = synth_zone(rec, 0, OOMSNAP_ZONE_DMA32, 500, 150, 1 << 18);
	z->have |= OOMSNAP_ZONE_HAVE_RESERVE;
	z->lowmem_reserve[OOMSNAP_ZONE_NORMAL] = 350;
	z->lowmem_reserve[OOMSNAP_ZONE_HIGHMEM] = 350;
	z->lowmem_reserve[OOMSNAP_ZONE_MOVABLE] = 400;

	KUNIT_EXPECT_EQ(test, oomsnap_zone_watermark_ok(rec, z, 0, 150,
							c->highest, 0, &chk),
			c->ok);
	KUNIT_EXPECT_EQ(test, chk.reserve, c->reserve);
	/* what the diagnosis words as "only through lowmem_reserve" */
	KUNIT_EXPECT_GT(test, chk.free - chk.unusable, chk.min);
}

/* ---------------------------------------------------------------------- */
/* order > 0: (1 << order) - 1 pages are unusable                          */

struct unusable_case {
	u64 free;
	int order;
	bool ok;
};

static const struct unusable_case unusable_cases[] = {
	{ 101, 0, true },
	{ 100, 0, false },
	{ 108, 3, true },	/* 108 - 7 = 101 > 100 */
	{ 107, 3, false },	/* 107 - 7 = 100 */
	{ 1124, 10, true },	/* 1124 - 1023 = 101 */
	{ 1123, 10, false },
};

static void unusable_desc(const struct unusable_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "free %llu order %d",
		 c->free, c->order);
}

KUNIT_ARRAY_PARAM(unusable, unusable_cases, unusable_desc);

static void zone_watermark_ok_order_unusable(struct kunit *test)
{
	const struct unusable_case *c = test->param_value;
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, c->free, 100, 1 << 18);
	synth_blocks(z, 10, OOMSNAP_MT_MOVABLE, 1);
	KUNIT_EXPECT_EQ(test, oomsnap_zone_watermark_ok(rec, z, c->order, 100,
							OOMSNAP_ZONE_NORMAL, 0,
							&chk),
			c->ok);
	KUNIT_EXPECT_EQ(test, chk.unusable, (1LL << c->order) - 1);
	KUNIT_EXPECT_EQ(test, chk.order0_ok, (int)c->ok);
}

/* ---------------------------------------------------------------------- */
/* order > 0: a free block of at least that order must exist               */
/*
 *   order:   0  1  2  3  4 ...  10        request: order 3
 *   blocks:  .  .  .  .  .       .        one block at the order below
 */

static const int block_orders[] = { 0, 1, 2, 3, 4, 7, 10 };

static void block_desc(const int *o, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "only block at order %d", *o);
}

KUNIT_ARRAY_PARAM(block, block_orders, block_desc);

static void zone_watermark_ok_high_order_block(struct kunit *test)
{
	const int *block_order = test->param_value;
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;
	bool ok;

	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 10000, 100, 1 << 18);
	synth_blocks(z, *block_order, OOMSNAP_MT_UNMOVABLE, 1);
	ok = oomsnap_zone_watermark_ok(rec, z, 3, 100, OOMSNAP_ZONE_NORMAL, 0,
				       &chk);
	KUNIT_EXPECT_EQ(test, ok, *block_order >= 3);
	KUNIT_EXPECT_EQ(test, chk.order0_ok, 1);
	KUNIT_EXPECT_EQ(test, chk.walk_known, 1);
	KUNIT_EXPECT_EQ(test, chk.walk_all_blocks, 0);
}

/* ---------------------------------------------------------------------- */
/* order > 0: which free lists the request may take from                  */

struct mt_case {
	unsigned int mt;
	unsigned int flags;
	bool ok;
};

static const struct mt_case mt_cases[] = {
	{ OOMSNAP_MT_UNMOVABLE, 0, true },
	{ OOMSNAP_MT_MOVABLE, 0, true },
	{ OOMSNAP_MT_RECLAIMABLE, 0, true },
	{ OOMSNAP_MT_HIGHATOMIC, 0, false },
	{ OOMSNAP_MT_HIGHATOMIC, F_HA, true },
	{ OOMSNAP_MT_HIGHATOMIC, F_OOM, true },
	/* GFP_ATOMIC order-0 flags: HighAtomic needs ALLOC_HIGHATOMIC */
	{ OOMSNAP_MT_HIGHATOMIC, F_MIN | F_NB, false },
	{ OOMSNAP_MT_CMA, 0, false },
	{ OOMSNAP_MT_CMA, F_CMA, true },
	{ OOMSNAP_MT_CMA, F_HA | F_OOM | F_MIN | F_NB, false },
	{ OOMSNAP_MT_ISOLATE, F_HA | F_OOM | F_MIN | F_NB | F_CMA, false },
};

static void mt_desc(const struct mt_case *c, char *desc)
{
	static const char * const names[] = {
		"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA",
		"Isolate",
	};

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s list, alloc_flags 0x%x",
		 names[c->mt], c->flags);
}

KUNIT_ARRAY_PARAM(mt, mt_cases, mt_desc);

static void zone_watermark_ok_migratetype_lists(struct kunit *test)
{
	const struct mt_case *c = test->param_value;
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 10000, 100, 1 << 18);
	synth_blocks(z, 4, c->mt, 3);
	KUNIT_EXPECT_EQ(test, oomsnap_zone_watermark_ok(rec, z, 2, 100,
							OOMSNAP_ZONE_NORMAL,
							c->flags, &chk),
			c->ok);
	KUNIT_EXPECT_EQ(test, chk.order0_ok, 1);
}

/* ---------------------------------------------------------------------- */
/* the highatomic reserve: free, but not for requests without reserves    */
/*
 *   free 1000, reserved_highatomic 200, mark 850, order 0
 *   flags 0:           1000 - 200 = 800 <= 850          fail
 *   NON_BLOCK:         1000 > 850 (min not lowered)     pass
 *   MIN_RESERVE:       1000 > 425                       pass
 *   OOM:               1000 > 425                       pass
 *   CMA:               800 <= 850                       fail
 */

struct highatomic_case {
	unsigned int flags;
	s64 unusable;
	s64 min;
	bool ok;
};

static const struct highatomic_case highatomic_cases[] = {
	{ 0, 200, 850, false },
	{ F_NB, 0, 850, true },
	{ F_MIN, 0, 425, true },
	{ F_OOM, 0, 425, true },
	{ F_HA, 0, 850, true },
	{ F_CMA, 200, 850, false },
};

static void highatomic_desc(const struct highatomic_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "alloc_flags 0x%x", c->flags);
}

KUNIT_ARRAY_PARAM(highatomic, highatomic_cases, highatomic_desc);

static void zone_watermark_ok_highatomic_reserve(struct kunit *test)
{
	const struct highatomic_case *c = test->param_value;
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 1000, 850, 1 << 18);
	z->have |= OOMSNAP_ZONE_HAVE_HIGHATOMIC;
	z->reserved_highatomic = 200;
	KUNIT_EXPECT_EQ(test, oomsnap_zone_watermark_ok(rec, z, 0, 850,
							OOMSNAP_ZONE_NORMAL,
							c->flags, &chk),
			c->ok);
	KUNIT_EXPECT_EQ(test, chk.unusable, c->unusable);
	KUNIT_EXPECT_EQ(test, chk.min, c->min);
}

/* ---------------------------------------------------------------------- */
/* how far below min each kind of request may go (mark 1000)               */

struct allowance_case {
	unsigned int era;
	unsigned int flags;
	s64 min;
};

static const struct allowance_case allowance_cases[] = {
	{ ERA, 0, 1000 },
	{ ERA, F_MIN, 500 },
	{ ERA, F_MIN | F_NB, 375 },		/* GFP_ATOMIC */
	{ ERA, F_NB, 1000 },			/* GFP_NOWAIT: no allowance */
	{ ERA, F_HA, 1000 },
	{ ERA, F_OOM, 500 },
	{ ERA, F_MIN | F_OOM, 250 },
	{ ERA, F_MIN | F_NB | F_OOM, 188 },	/* 375 - 375 / 2 */
	{ SYNTH_ERA_5_10, F_HARD, 750 },
	{ SYNTH_ERA_5_10, F_MIN, 500 },
	{ SYNTH_ERA_5_10, F_MIN | F_HARD, 375 },
	{ SYNTH_ERA_5_10, F_OOM, 500 },
	{ SYNTH_ERA_5_10, F_OOM | F_HARD, 500 },	/* OOM wins over HARDER */
	{ SYNTH_ERA_5_10, F_MIN | F_OOM, 250 },
	{ SYNTH_ERA_3_10, F_MIN | F_HARD, 375 },
};

static void allowance_desc(const struct allowance_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "era %u.%u alloc_flags 0x%x",
		 c->era >> 16, (c->era >> 8) & 0xff, c->flags);
}

KUNIT_ARRAY_PARAM(allowance, allowance_cases, allowance_desc);

static void zone_watermark_ok_reserve_allowances(struct kunit *test)
{
	const struct allowance_case *c = test->param_value;
	struct oomsnap_record *rec = synth_record(test, c->era);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	/* exactly at the lowered mark: fails; one page more: passes */
	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, c->min, 1000, 1 << 18);
	KUNIT_EXPECT_FALSE(test, oomsnap_zone_watermark_ok(rec, z, 0, 1000,
							   OOMSNAP_ZONE_NORMAL,
							   c->flags, &chk));
	KUNIT_EXPECT_EQ(test, chk.min, c->min);
	z->free = c->min + 1;
	KUNIT_EXPECT_TRUE(test, oomsnap_zone_watermark_ok(rec, z, 0, 1000,
							  OOMSNAP_ZONE_NORMAL,
							  c->flags, &chk));
}

/* ---------------------------------------------------------------------- */

static void zone_watermark_ok_cma_pages(struct kunit *test)
{
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	/* free 1000 of which 300 CMA, mark 750: only movable requests pass */
	z = synth_zone(rec, 0, OOMSNAP_ZONE_DMA32, 1000, 750, 1 << 18);
	z->have |= OOMSNAP_ZONE_HAVE_CMA;
	z->vmstat[OOMSNAP_ZV_FREE_CMA] = 300;
	KUNIT_EXPECT_FALSE(test, oomsnap_zone_watermark_ok(rec, z, 0, 750,
							   OOMSNAP_ZONE_NORMAL,
							   0, &chk));
	KUNIT_EXPECT_EQ(test, chk.unusable, 300LL);
	KUNIT_EXPECT_TRUE(test, oomsnap_zone_watermark_ok(rec, z, 0, 750,
							  OOMSNAP_ZONE_NORMAL,
							  F_CMA, &chk));
	KUNIT_EXPECT_EQ(test, chk.unusable, 0LL);
}

static void zone_watermark_ok_no_buddy_data(struct kunit *test)
{
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	/* a log without buddy lines: order 0 decidable, order 2 not */
	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 1000, 100, 1 << 18);
	KUNIT_EXPECT_TRUE(test, oomsnap_zone_watermark_ok(rec, z, 0, 100,
							  OOMSNAP_ZONE_NORMAL,
							  0, &chk));
	KUNIT_EXPECT_FALSE(test, oomsnap_zone_watermark_ok(rec, z, 2, 100,
							   OOMSNAP_ZONE_NORMAL,
							   0, &chk));
	KUNIT_EXPECT_EQ(test, chk.order0_ok, 1);
	KUNIT_EXPECT_EQ(test, chk.walk_known, 0);
}

static void zone_watermark_ok_no_migratetype_data(struct kunit *test)
{
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	/* buddy counts without per-list data: every block counts */
	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 1000, 100, 1 << 18);
	z->have |= OOMSNAP_ZONE_HAVE_BUDDY;
	z->nr_free[5] = 1;
	KUNIT_EXPECT_TRUE(test, oomsnap_zone_watermark_ok(rec, z, 4, 100,
							  OOMSNAP_ZONE_NORMAL,
							  0, &chk));
	KUNIT_EXPECT_EQ(test, chk.walk_all_blocks, 1);
	KUNIT_EXPECT_FALSE(test, oomsnap_zone_watermark_ok(rec, z, 6, 100,
							   OOMSNAP_ZONE_NORMAL,
							   0, &chk));
	KUNIT_EXPECT_EQ(test, chk.walk_known, 1);
}

static void zone_watermark_ok_negative_order(struct kunit *test)
{
	struct oomsnap_record *rec = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	/* an OOM without an order (sysrq) is checked as order 0 */
	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 101, 100, 1 << 18);
	KUNIT_EXPECT_TRUE(test, oomsnap_zone_watermark_ok(rec, z, -1, 100,
							  OOMSNAP_ZONE_NORMAL,
							  0, &chk));
	KUNIT_EXPECT_EQ(test, chk.unusable, 0LL);
}

/*
 * 4.4 .. 6.2: highatomic is usable with ALLOC_HARDER, and __GFP_HIGH alone
 * (ALLOC_HIGH) does not exempt a request from the reserve:
 *   free 600, reserve 200, mark 850, ALLOC_HIGH: 600 - 200 = 400 <= 425
 * while the 6.1.y rule lets the same request pass: 600 > 425.
 */
static void zone_watermark_ok_harder_era(struct kunit *test)
{
	struct oomsnap_record *old = synth_record(test, SYNTH_ERA_5_10);
	struct oomsnap_record *new = synth_record(test, ERA);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *zo, *zn;

	zo = synth_zone(old, 0, OOMSNAP_ZONE_NORMAL, 600, 850, 1 << 18);
	zo->reserved_highatomic = 200;
	zn = synth_zone(new, 0, OOMSNAP_ZONE_NORMAL, 600, 850, 1 << 18);
	zn->reserved_highatomic = 200;

	KUNIT_EXPECT_FALSE(test, oomsnap_zone_watermark_ok(old, zo, 0, 850,
							   OOMSNAP_ZONE_NORMAL,
							   F_MIN, &chk));
	KUNIT_EXPECT_EQ(test, chk.rule, (unsigned int)OOMSNAP_WMARK_RULE_HARDER);
	KUNIT_EXPECT_EQ(test, chk.unusable, 200LL);
	KUNIT_EXPECT_TRUE(test, oomsnap_zone_watermark_ok(new, zn, 0, 850,
							  OOMSNAP_ZONE_NORMAL,
							  F_MIN, &chk));

	/* HighAtomic blocks: ALLOC_HARDER in 5.10, ALLOC_HIGHATOMIC later */
	zo->free = 100000;
	zn->free = 100000;
	synth_blocks(zo, 3, OOMSNAP_MT_HIGHATOMIC, 1);
	synth_blocks(zn, 3, OOMSNAP_MT_HIGHATOMIC, 1);
	KUNIT_EXPECT_TRUE(test, oomsnap_zone_watermark_ok(old, zo, 3, 850,
							  OOMSNAP_ZONE_NORMAL,
							  F_HARD, &chk));
	KUNIT_EXPECT_FALSE(test, oomsnap_zone_watermark_ok(new, zn, 3, 850,
							   OOMSNAP_ZONE_NORMAL,
							   F_HARD, &chk));
}

/*
 * 2.6 .. 4.3: the walk removes each lower order's pages and halves min:
 *   order 2, mark 100; order 0: 300 pages, order 1: 50 blocks (100 pages)
 *   order 2: 10 blocks (40) -> 440 free: 437 > 100; 137 > 50; 37 > 25: pass
 *   order 2:  5 blocks (20) -> 420 free: 417 > 100; 117 > 50; 17 <= 25: fail
 */
static void zone_watermark_ok_classic_era_walk(struct kunit *test)
{
	struct oomsnap_record *rec = synth_record(test, SYNTH_ERA_3_10);
	struct oomsnap_wmark_check chk;
	struct oomsnap_zone *z;

	z = synth_zone(rec, 0, OOMSNAP_ZONE_NORMAL, 440, 100, 1 << 18);
	z->have |= OOMSNAP_ZONE_HAVE_BUDDY;
	z->nr_free[0] = 300;
	z->nr_free[1] = 50;
	z->nr_free[2] = 10;
	KUNIT_EXPECT_TRUE(test, oomsnap_zone_watermark_ok(rec, z, 2, 100,
							  OOMSNAP_ZONE_NORMAL,
							  0, &chk));
	KUNIT_EXPECT_EQ(test, chk.rule, (unsigned int)OOMSNAP_WMARK_RULE_CLASSIC);

	z->free = 420;
	z->nr_free[2] = 5;
	KUNIT_EXPECT_FALSE(test, oomsnap_zone_watermark_ok(rec, z, 2, 100,
							   OOMSNAP_ZONE_NORMAL,
							   0, &chk));
	KUNIT_EXPECT_EQ(test, chk.order0_ok, 1);
	KUNIT_EXPECT_EQ(test, chk.classic_fail_order, 2);
	KUNIT_EXPECT_EQ(test, chk.walk_free, 17LL);
	KUNIT_EXPECT_EQ(test, chk.walk_min, 25LL);
}

/* ---------------------------------------------------------------------- */
/* the replica against this kernel's own __zone_watermark_ok()             */

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
	/* era 0: the newest rule, 6.1.y's, the rule of this kernel */
	struct oomsnap_record *rec = synth_record(test, 0);
	struct oomsnap_zone *z = &rec->zones[0];
	struct cross_stats st = {};
	unsigned int nr_zones = 0;
	int nid, zi, order, highest;

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
	KUNIT_CASE_PARAM(zone_watermark_ok_order0_boundary,
			 boundary_gen_params),
	KUNIT_CASE_PARAM(zone_watermark_ok_lowmem_reserve, reserve_gen_params),
	KUNIT_CASE_PARAM(zone_watermark_ok_order_unusable, unusable_gen_params),
	KUNIT_CASE_PARAM(zone_watermark_ok_high_order_block, block_gen_params),
	KUNIT_CASE_PARAM(zone_watermark_ok_migratetype_lists, mt_gen_params),
	KUNIT_CASE_PARAM(zone_watermark_ok_highatomic_reserve,
			 highatomic_gen_params),
	KUNIT_CASE_PARAM(zone_watermark_ok_reserve_allowances,
			 allowance_gen_params),
	KUNIT_CASE(zone_watermark_ok_cma_pages),
	KUNIT_CASE(zone_watermark_ok_no_buddy_data),
	KUNIT_CASE(zone_watermark_ok_no_migratetype_data),
	KUNIT_CASE(zone_watermark_ok_negative_order),
	KUNIT_CASE(zone_watermark_ok_harder_era),
	KUNIT_CASE(zone_watermark_ok_classic_era_walk),
	KUNIT_CASE(zone_watermark_ok_matches_kernel),
	{}
};

static struct kunit_suite watermark_suite = {
	.name = "oomsnap_watermark",
	.test_cases = watermark_cases,
};

kunit_test_suite(watermark_suite);
