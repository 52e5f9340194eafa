// SPDX-License-Identifier: GPL-2.0
/*
 * gfp masks as logs print them: names in parentheses (4.5+), or a raw
 * value read through the bit table of its era.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "watermark.h"
#include "internal.h"

__u64 oomsnap_gfp_from_raw(__u64 raw, unsigned int *era_hint)
{
	/* 2.6.24 .. 4.3 (__GFP_WAIT era) */
	static const struct { __u64 raw, gfp; } classic[] = {
		{ 0x01, OOMSNAP_GFP_DMA }, { 0x02, OOMSNAP_GFP_HIGHMEM },
		{ 0x04, OOMSNAP_GFP_DMA32 }, { 0x08, OOMSNAP_GFP_MOVABLE },
		{ 0x10, OOMSNAP_GFP_DIRECT_RECLAIM | OOMSNAP_GFP_KSWAPD_RECLAIM },
		{ 0x20, OOMSNAP_GFP_HIGH }, { 0x40, OOMSNAP_GFP_IO },
		{ 0x80, OOMSNAP_GFP_FS }, { 0x200, OOMSNAP_GFP_NOWARN },
		{ 0x400, OOMSNAP_GFP_RETRY_MAYFAIL }, { 0x800, OOMSNAP_GFP_NOFAIL },
		{ 0x1000, OOMSNAP_GFP_NORETRY }, { 0x2000, OOMSNAP_GFP_MEMALLOC },
		{ 0x4000, OOMSNAP_GFP_COMP }, { 0x8000, OOMSNAP_GFP_ZERO },
		{ 0x10000, OOMSNAP_GFP_NOMEMALLOC }, { 0x20000, OOMSNAP_GFP_HARDWALL },
		{ 0x40000, OOMSNAP_GFP_THISNODE }, { 0x80000, OOMSNAP_GFP_RECLAIMABLE },
	};
	/* 4.4 .. 4.9: __GFP_DIRECT_RECLAIM 0x400000, KSWAPD 0x2000000 */
	static const struct { __u64 raw, gfp; } v44[] = {
		{ 0x01, OOMSNAP_GFP_DMA }, { 0x02, OOMSNAP_GFP_HIGHMEM },
		{ 0x04, OOMSNAP_GFP_DMA32 }, { 0x08, OOMSNAP_GFP_MOVABLE },
		{ 0x10, OOMSNAP_GFP_RECLAIMABLE }, { 0x20, OOMSNAP_GFP_HIGH },
		{ 0x40, OOMSNAP_GFP_IO }, { 0x80, OOMSNAP_GFP_FS },
		{ 0x200, OOMSNAP_GFP_NOWARN }, { 0x400, OOMSNAP_GFP_RETRY_MAYFAIL },
		{ 0x800, OOMSNAP_GFP_NOFAIL }, { 0x1000, OOMSNAP_GFP_NORETRY },
		{ 0x2000, OOMSNAP_GFP_MEMALLOC }, { 0x4000, OOMSNAP_GFP_COMP },
		{ 0x8000, OOMSNAP_GFP_ZERO }, { 0x10000, OOMSNAP_GFP_NOMEMALLOC },
		{ 0x20000, OOMSNAP_GFP_HARDWALL }, { 0x40000, OOMSNAP_GFP_THISNODE },
		{ 0x80000, OOMSNAP_GFP_ATOMIC }, { 0x100000, OOMSNAP_GFP_ACCOUNT },
		{ 0x400000, OOMSNAP_GFP_DIRECT_RECLAIM },
		{ 0x1000000, OOMSNAP_GFP_WRITE },
		{ 0x2000000, OOMSNAP_GFP_KSWAPD_RECLAIM },
	};
	__u64 gfp = 0;
	size_t i;

	if (raw & ~0x3ffffffULL)
		return OOMSNAP_GFP_UNKNOWN;
	if (raw & 0x2400000ULL) {	/* reclaim bits of the 4.4 layout */
		for (i = 0; i < ARRAY_SIZE(v44); i++)
			if (raw & v44[i].raw)
				gfp |= v44[i].gfp;
		if (era_hint && !*era_hint)
			*era_hint = OOMSNAP_ERA(4, 4);
		return gfp;
	}
	for (i = 0; i < ARRAY_SIZE(classic); i++)
		if (raw & classic[i].raw)
			gfp |= classic[i].gfp;
	if (raw & ~0xfffffULL)
		gfp |= OOMSNAP_GFP_UNKNOWN;	/* __GFP_NOTRACK and friends */
	return gfp;
}

/* "0x44d0" or "0xcc0(GFP_KERNEL)" or "0x0()" at p. */
void parse_gfp(struct oomsnap_logparser *lp, const char *p,
	       const char *end)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	__u64 raw, names = 0;
	bool ok, any_name = false;

	raw = parse_u64(&p, end, &ok);
	if (!ok)
		return;
	rec->gfp_raw = raw;
	if (p < end && *p == '(') {
		const char *q = ++p;

		while (q <= end) {
			if (q == end || *q == '|' || *q == ')') {
				if (q > p) {
					__u64 g = oomsnap_gfp_from_name(p, q - p);

					names |= g ? g : OOMSNAP_GFP_UNKNOWN;
					any_name = true;
				}
				if (q == end || *q == ')')
					break;
				p = q + 1;
			}
			q++;
		}
	}
	if (any_name || (raw == 0 && p < end)) {
		rec->gfp = names;
		lp->gfp_names = true;
	} else {
		rec->gfp = oomsnap_gfp_from_raw(raw, &rec->kernel_era);
	}
	rec->have |= OOMSNAP_HAVE_GFP;
}
