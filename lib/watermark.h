/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's watermark check, replicated per kernel era (watermark.c),
 * and the per-zone vocabulary it reads.
 */
#ifndef OOMSNAP_WATERMARK_H
#define OOMSNAP_WATERMARK_H

#include "base.h"
#include "oomsnap.h"

/* oomsnap_record.kernel_era of kernel major.minor */
#define OOMSNAP_ERA(major, minor)	(((major) << 16) | ((minor) << 8))

/*
 * Migratetype columns of oomsnap_zone.nr_free_mt[][]: the kernel's order
 * (6.1, 6.12) with CMA kept at its index even without CONFIG_CMA.
 */
enum oomsnap_migratetype {
	OOMSNAP_MT_UNMOVABLE,
	OOMSNAP_MT_MOVABLE,
	OOMSNAP_MT_RECLAIMABLE,
	OOMSNAP_MT_HIGHATOMIC,
	OOMSNAP_MT_CMA,
	OOMSNAP_MT_ISOLATE,
	OOMSNAP_MT_NR,
};

/*
 * Engine-only zone flag (never set by the module): nr_free_mt[][] holds
 * presence (1) rather than counts, from a log's "(UMEH)" letters.
 */
#define OOMSNAP_ZONE_MT_LETTERS		0x8000U

/* The allocator's alloc_flags that the watermark check reads (our values). */
#define OOMSNAP_ALLOC_MIN_RESERVE	0x01U	/* ALLOC_HIGH before 6.3 */
#define OOMSNAP_ALLOC_HARDER		0x02U	/* 4.4 .. 6.2 */
#define OOMSNAP_ALLOC_NON_BLOCK		0x04U	/* 6.3+, 6.1.y */
#define OOMSNAP_ALLOC_HIGHATOMIC	0x08U
#define OOMSNAP_ALLOC_OOM		0x10U
#define OOMSNAP_ALLOC_CMA		0x20U

/* Which __zone_watermark_ok() the replica ran. */
enum oomsnap_wmark_rule {
	OOMSNAP_WMARK_RULE_CLASSIC,	/* 2.6.x .. 4.3: min >>= 1 per order */
	OOMSNAP_WMARK_RULE_HARDER,	/* 4.4 .. 6.2: any suitable block */
	OOMSNAP_WMARK_RULE_RESERVES,	/* 6.3+ and 6.1.y: ALLOC_RESERVES */
};

unsigned int oomsnap_wmark_rule(const struct oomsnap_record *rec);
const char *oomsnap_wmark_rule_name(unsigned int rule);

/* gfp_to_alloc_flags() for @rec's era, as far as the watermark check cares. */
unsigned int oomsnap_alloc_flags(const struct oomsnap_record *rec, __u64 gfp,
				 int order);

struct oomsnap_wmark_check {
	__s64 free;		/* NR_FREE_PAGES of the zone */
	__s64 unusable;		/* pages the request may not count */
	__s64 min;		/* the mark after reserve allowances */
	__s64 reserve;		/* lowmem_reserve[highest_zone] */
	int order0_ok;		/* free - unusable > min + reserve */
	int ok;			/* the whole check */
	int walk_known;		/* per-order data was there for order > 0 */
	int walk_all_blocks;	/* no migratetype data: counted every block */
	int classic_fail_order;	/* CLASSIC rule: order where the walk failed */
	__s64 walk_free;	/* CLASSIC rule: free left at that order */
	__s64 walk_min;		/* CLASSIC rule: min >>= 1 at that order */
	unsigned int rule;	/* enum oomsnap_wmark_rule */
};

/*
 * A replica of the kernel's __zone_watermark_ok() for @rec's kernel era:
 * may the request (@order, @highest_zone, @alloc_flags) take pages from @z
 * when the watermark is @mark pages? Fills @chk with the numbers it used.
 */
bool oomsnap_zone_watermark_ok(const struct oomsnap_record *rec,
			       const struct oomsnap_zone *z, int order,
			       __u64 mark, unsigned int highest_zone,
			       unsigned int alloc_flags,
			       struct oomsnap_wmark_check *chk);

#endif /* OOMSNAP_WATERMARK_H */
