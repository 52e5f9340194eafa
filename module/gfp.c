// SPDX-License-Identifier: GPL-2.0
/*
 * gfp_t translation. Bit positions of gfp_t change between kernels (6.3
 * dropped __GFP_ATOMIC, 6.9 renumbered them from an enum), so the table is
 * built from the kernel's own __GFP_* constants, never from numbers.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mmzone.h>

#include "compat.h"
#include "gfp.h"
#include "names.h"
#include "oomsnap.h"

const char *const oomsnap_fail_class_names[OOMSNAP_FAIL_CLASS_NR] = {
	[OOMSNAP_FAIL_CLASS_ATOMIC]		= "atomic",
	[OOMSNAP_FAIL_CLASS_NOWAIT]		= "nowait",
	[OOMSNAP_FAIL_CLASS_NOIO]		= "noio",
	[OOMSNAP_FAIL_CLASS_NOFS]		= "nofs",
	[OOMSNAP_FAIL_CLASS_KERNEL]		= "kernel",
	[OOMSNAP_FAIL_CLASS_USER]		= "user",
	[OOMSNAP_FAIL_CLASS_HIGHUSER_MOVABLE]	= "highuser_movable",
};

static const struct {
	gfp_t kernel;
	u64 oomsnap;
} gfp_bits[] = {
	{ __GFP_DMA,			OOMSNAP_GFP_DMA },
	{ __GFP_HIGHMEM,		OOMSNAP_GFP_HIGHMEM },
	{ __GFP_DMA32,			OOMSNAP_GFP_DMA32 },
	{ __GFP_MOVABLE,		OOMSNAP_GFP_MOVABLE },
	{ __GFP_RECLAIMABLE,		OOMSNAP_GFP_RECLAIMABLE },
	{ __GFP_HIGH,			OOMSNAP_GFP_HIGH },
	{ __GFP_IO,			OOMSNAP_GFP_IO },
	{ __GFP_FS,			OOMSNAP_GFP_FS },
	{ __GFP_ZERO,			OOMSNAP_GFP_ZERO },
	{ OOMSNAP_KERNEL_GFP_ATOMIC,	OOMSNAP_GFP_ATOMIC },
	{ __GFP_DIRECT_RECLAIM,		OOMSNAP_GFP_DIRECT_RECLAIM },
	{ __GFP_KSWAPD_RECLAIM,		OOMSNAP_GFP_KSWAPD_RECLAIM },
	{ __GFP_WRITE,			OOMSNAP_GFP_WRITE },
	{ __GFP_NOWARN,			OOMSNAP_GFP_NOWARN },
	{ __GFP_RETRY_MAYFAIL,		OOMSNAP_GFP_RETRY_MAYFAIL },
	{ __GFP_NOFAIL,			OOMSNAP_GFP_NOFAIL },
	{ __GFP_NORETRY,		OOMSNAP_GFP_NORETRY },
	{ __GFP_MEMALLOC,		OOMSNAP_GFP_MEMALLOC },
	{ __GFP_COMP,			OOMSNAP_GFP_COMP },
	{ __GFP_NOMEMALLOC,		OOMSNAP_GFP_NOMEMALLOC },
	{ __GFP_HARDWALL,		OOMSNAP_GFP_HARDWALL },
	{ __GFP_THISNODE,		OOMSNAP_GFP_THISNODE },
	{ __GFP_ACCOUNT,		OOMSNAP_GFP_ACCOUNT },
	{ __GFP_ZEROTAGS,		OOMSNAP_GFP_ZEROTAGS },
	{ OOMSNAP_KERNEL_GFP_SKIP_KASAN,	OOMSNAP_GFP_SKIP_KASAN },
	{ __GFP_NOLOCKDEP,		OOMSNAP_GFP_NOLOCKDEP },
};

u64 oomsnap_gfp_translate(gfp_t gfp)
{
	unsigned long rest = (__force unsigned long)gfp;
	u64 out = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gfp_bits); i++) {
		unsigned long bits = (__force unsigned long)gfp_bits[i].kernel;

		/* bits configured out of this kernel are 0: skip them */
		if (bits && (rest & bits)) {
			out |= gfp_bits[i].oomsnap;
			rest &= ~bits;
		}
	}
	if (rest)
		out |= OOMSNAP_GFP_UNKNOWN;
	return out;
}

enum oomsnap_fail_class oomsnap_fail_classify(gfp_t gfp)
{
	u64 bits = oomsnap_gfp_translate(gfp);

	switch (oomsnap_gfp_class(bits)) {
	case OOMSNAP_GFP_CLASS_ATOMIC:
		return OOMSNAP_FAIL_CLASS_ATOMIC;
	case OOMSNAP_GFP_CLASS_NOWAIT:
		return OOMSNAP_FAIL_CLASS_NOWAIT;
	case OOMSNAP_GFP_CLASS_NOIO:
		return OOMSNAP_FAIL_CLASS_NOIO;
	case OOMSNAP_GFP_CLASS_NOFS:
		return OOMSNAP_FAIL_CLASS_NOFS;
	default:	/* may reclaim with IO and FS: who asked */
		break;
	}
	if (!(bits & OOMSNAP_GFP_HARDWALL))
		return OOMSNAP_FAIL_CLASS_KERNEL;
	return (bits & OOMSNAP_GFP_MOVABLE) ?
		OOMSNAP_FAIL_CLASS_HIGHUSER_MOVABLE : OOMSNAP_FAIL_CLASS_USER;
}

u32 oomsnap_zone_type(int zt)
{
	switch (zt) {
#ifdef CONFIG_ZONE_DMA
	case ZONE_DMA:
		return OOMSNAP_ZONE_DMA;
#endif
#ifdef CONFIG_ZONE_DMA32
	case ZONE_DMA32:
		return OOMSNAP_ZONE_DMA32;
#endif
	case ZONE_NORMAL:
		return OOMSNAP_ZONE_NORMAL;
#ifdef CONFIG_HIGHMEM
	case ZONE_HIGHMEM:
		return OOMSNAP_ZONE_HIGHMEM;
#endif
	case ZONE_MOVABLE:
		return OOMSNAP_ZONE_MOVABLE;
#ifdef CONFIG_ZONE_DEVICE
	case ZONE_DEVICE:
		return OOMSNAP_ZONE_DEVICE;
#endif
	default:
		return OOMSNAP_ZONE_UNKNOWN;
	}
}

u32 oomsnap_gfp_highest_zone(gfp_t gfp)
{
	return oomsnap_zone_type(gfp_zone(gfp));
}
