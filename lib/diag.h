/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the diagnosis engine (diagnose.c, diag_zones.c,
 * diag_consumers.c): the state of one diagnosis and what the files share.
 */
#ifndef OOMSNAP_DIAG_H
#define OOMSNAP_DIAG_H

#include "base.h"
#include "decode.h"
#include "diagnose.h"
#include "names.h"
#include "watermark.h"

#define PRIMARY_SHARE_DIV	3	/* a consumer is the cause at >= 1/3 */
#define CONTRIB_SHARE_DIV	10	/* and contributes at >= 1/10 */
#define SWAP_FULL_PCT		2
#define UNPRINTED_FREE_DIV	100	/* free outside listed zones: > 1% of RAM */
#define MOST_PCT		50	/* a consumer holding more leads lowmem */
#define USER_FILLED_PCT		50	/* exhausted: LRU at least this % of RAM */
#define FRAG_SMALL_BLOCKS	16	/* "plenty" of smaller blocks: 16 requests' worth */
#define DEFAULT_BOOST_PCT	150	/* largest boost, % of high: watermark_boost_factor 15000 */

struct diag_ctx {
	const struct oomsnap_record *rec;
	struct oomsnap_diagnosis *diag;
	bool have_gfp;
	bool have_order;
	int order;
	unsigned int highest;		/* effective gfp_zone() */
	unsigned int alloc_flags;
	unsigned int gfp_class;
	/* zone check results */
	unsigned int nr_zones;		/* zones with free + watermarks */
	unsigned int nr_eligible;
	unsigned int nr_pass;		/* eligible zones passing the full check */
	unsigned int nr_pass_order0;	/* eligible zones passing order 0 */
	unsigned int nr_pass_order0_high; /* ... at the high watermark */
	unsigned int nr_pass_order0_high_any_boost; /* ... plus the largest boost */
	unsigned int nr_walk_unknown;	/* order-0 passed, no buddy data */
	unsigned int nr_below_min;	/* all zones: free <= min */
	unsigned int nr_reserve_blocked; /* eligible, above min, below min + reserve */
	__u64 ineligible_free;		/* pages above min in unusable zones */
	unsigned int nr_cma_blocked;	/* eligible, fail order 0 only for CMA */
	__u64 cma_blocked;		/* their free CMA pages */
	bool lowmem_view;		/* consumers judged over eligible zones */
	/* the consumer that leads, set by diag_consumer_verdict() */
	unsigned int lead_cause;
	unsigned int lead_pct;
};

struct consumer {
	unsigned int cause;
	__u64 pages;
	const char *what;
};

static inline __u64 kb(const struct diag_ctx *c, __u64 pages)
{
	return oomsnap_pages_kb(c->rec, pages);
}

static inline __u64 kb_s(const struct diag_ctx *c, __s64 pages)
{
	return pages > 0 ? kb(c, (__u64)pages) : 0;
}

static inline unsigned int pct(__u64 part, __u64 whole)
{
	return (unsigned int)oomsnap_div64(part * 100, whole);
}

static inline bool mem_get(const struct oomsnap_record *rec,
			   unsigned int idx, __u64 *val)
{
	if (idx >= OOMSNAP_MAX_MEM || !(rec->mem_have & (1ULL << idx)))
		return false;
	*val = rec->mem[idx];
	return true;
}

static inline __u64 mem_or0(const struct oomsnap_record *rec, unsigned int idx)
{
	__u64 v = 0;

	mem_get(rec, idx, &v);
	return v;
}

static inline unsigned int nr_zones(const struct oomsnap_record *rec)
{
	return rec->nr_zones < OOMSNAP_MAX_ZONES ? rec->nr_zones :
						   OOMSNAP_MAX_ZONES;
}

static inline bool has_zone_type(const struct oomsnap_record *rec, unsigned int type)
{
	unsigned int i;

	for (i = 0; i < nr_zones(rec); i++)
		if (rec->zones[i].zone_type == type)
			return true;
	return false;
}

static inline bool zone_checkable(const struct oomsnap_zone *z)
{
	return (z->have & OOMSNAP_ZONE_HAVE_FREE) &&
	       (z->have & OOMSNAP_ZONE_HAVE_WMARK);
}

static inline bool node_allowed(const struct oomsnap_record *rec, __u32 node)
{
	if (!(rec->have & OOMSNAP_HAVE_NODEMASK) || !rec->nodemask)
		return true;
	if (node >= 64)
		return true;
	return rec->nodemask & (1ULL << node);
}

static inline bool zone_eligible(const struct diag_ctx *c, const struct oomsnap_zone *z)
{
	if (z->zone_type == OOMSNAP_ZONE_DEVICE || z->zone_type > c->highest)
		return false;
	return node_allowed(c->rec, z->node);
}

/* The zone's watermark boost, 0 when the input does not give it. */
static inline __u64 zone_boost(const struct oomsnap_zone *z)
{
	return (z->have & OOMSNAP_ZONE_HAVE_BOOST) ? z->wmark_boost : 0;
}

/* A watermark as the kernel's *_wmark_pages() reads it: plus the boost. */
static inline __u64 boosted(const struct oomsnap_zone *z, __u64 wmark)
{
	return wmark + zone_boost(z);
}

static inline __u64 zone_mark(const struct oomsnap_zone *z)
{
	return boosted(z, z->wmark_min);
}

/* diagnose.c: one line of evidence, one of what could not be checked */
__printf(2, 3) void evidence(struct diag_ctx *c, const char *fmt, ...);
__printf(2, 3) void missing(struct diag_ctx *c, const char *fmt, ...);

/* diag_zones.c */
void diag_setup_request(struct diag_ctx *c);
void diag_check_zones(struct diag_ctx *c);
bool diag_zone_passes_high(const struct diag_ctx *c,
			   const struct oomsnap_zone *z);
bool diag_zone_sum(const struct diag_ctx *c, unsigned int have_bit,
		   unsigned int idx, bool eligible_only, __u64 *sum);
__u64 diag_eligible_size(const struct diag_ctx *c);
__u64 diag_all_zones_size(const struct oomsnap_record *rec);

/* diag_consumers.c */
void diag_consumer_verdict(struct diag_ctx *c, bool decide);
void diag_swap_and_commit(struct diag_ctx *c);
void diag_xen_evidence(struct diag_ctx *c);

#endif /* OOMSNAP_DIAG_H */
