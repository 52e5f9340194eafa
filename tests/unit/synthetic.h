/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Synthetic records for the engine's unit tests: a blank record of a given
 * kernel era, and zones with just the fields a test names.
 */
#ifndef OOMSNAP_TESTS_SYNTHETIC_H
#define OOMSNAP_TESTS_SYNTHETIC_H

#include "decode.h"
#include "names.h"
#include "watermark.h"

#define SYNTH_ERA_6_1		OOMSNAP_ERA(6, 1)
#define SYNTH_ERA_5_10		OOMSNAP_ERA(5, 10)
#define SYNTH_ERA_3_10		OOMSNAP_ERA(3, 10)

/* @rec blank (oomsnap_record_init()) for @era; 0 = newest rule. */
static inline void synth_blank(struct oomsnap_record *rec, unsigned int era)
{
	oomsnap_record_init(rec);
	rec->kernel_era = era;
}

/*
 * Append a zone with free pages and watermarks (min, low = min * 5 / 4,
 * high = min * 3 / 2, as the kernel spaces them), @managed pages managed
 * and present, 11 orders: what every test's zone has. Each test adds its
 * own defaults (synth_zone() below, unit.c's zone()).
 */
static inline struct oomsnap_zone *synth_zone_marks(struct oomsnap_record *rec,
						    unsigned int node,
						    unsigned int type,
						    __u64 free, __u64 min,
						    __u64 managed)
{
	struct oomsnap_zone *z = &rec->zones[rec->nr_zones++];

	memset(z, 0, sizeof(*z));
	z->node = node;
	z->zone_type = type;
	snprintf(z->name, sizeof(z->name), "%s", oomsnap_zone_type_name(type));
	z->have = OOMSNAP_ZONE_HAVE_FREE | OOMSNAP_ZONE_HAVE_WMARK |
		  OOMSNAP_ZONE_HAVE_MANAGED;
	z->free = free;
	z->wmark_min = min;
	z->wmark_low = min * 5 / 4;
	z->wmark_high = min * 3 / 2;
	z->managed = managed;
	z->present = managed;
	z->nr_orders = 11;
	rec->have |= OOMSNAP_HAVE_ZONES;
	return z;
}

/* synth_zone_marks(), with the present and spanned size and the migratetype columns. */
static inline struct oomsnap_zone *synth_zone(struct oomsnap_record *rec,
					      unsigned int node,
					      unsigned int type, __u64 free,
					      __u64 min, __u64 managed)
{
	struct oomsnap_zone *z = synth_zone_marks(rec, node, type, free, min,
						  managed);

	z->have |= OOMSNAP_ZONE_HAVE_PRESENT;
	z->spanned = managed;
	z->nr_migratetypes = OOMSNAP_MT_NR;
	return z;
}

/* Put @blocks free blocks of @order on the @mt list (buddy and mt data). */
static inline void synth_blocks(struct oomsnap_zone *z, int order,
				unsigned int mt, __u32 blocks)
{
	z->have |= OOMSNAP_ZONE_HAVE_BUDDY | OOMSNAP_ZONE_HAVE_MT;
	z->nr_free[order] += blocks;
	z->nr_free_mt[order][mt] += blocks;
}

static inline void synth_mem(struct oomsnap_record *rec, unsigned int idx,
			     __u64 pages)
{
	oomsnap_mem_set(rec, idx, pages);
	if (rec->nr_mem < OOMSNAP_MEM_NR)
		rec->nr_mem = OOMSNAP_MEM_NR;
}

static inline void synth_request(struct oomsnap_record *rec, __u32 type,
				 __u64 gfp, int order)
{
	rec->type = type;
	rec->gfp = gfp;
	rec->order = order;
	rec->have |= OOMSNAP_HAVE_GFP | OOMSNAP_HAVE_ORDER;
}

#endif /* OOMSNAP_TESTS_SYNTHETIC_H */
