/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's gfp_t, translated for the record (OOMSNAP_GFP_*: stable bit
 * positions) and classified for the failure counters.
 */
#ifndef OOMSNAP_GFP_H
#define OOMSNAP_GFP_H

#include <linux/types.h>

/*
 * The allocation's class for the failure counters, as a person would name
 * the gfp mask: the engine's gfp class (lib/names.h, the diagnosis's
 * vocabulary), with its "may reclaim" class split by who asked.
 */
enum oomsnap_fail_class {
	OOMSNAP_FAIL_CLASS_ATOMIC,	/* no reclaim, may dip into reserves */
	OOMSNAP_FAIL_CLASS_NOWAIT,	/* no reclaim, no reserves */
	OOMSNAP_FAIL_CLASS_NOIO,		/* reclaim without starting I/O */
	OOMSNAP_FAIL_CLASS_NOFS,		/* reclaim without calling into fs */
	OOMSNAP_FAIL_CLASS_KERNEL,
	OOMSNAP_FAIL_CLASS_USER,
	OOMSNAP_FAIL_CLASS_HIGHUSER_MOVABLE,
	OOMSNAP_FAIL_CLASS_NR,
};

extern const char *const oomsnap_fail_class_names[OOMSNAP_FAIL_CLASS_NR];

/* OOMSNAP_GFP_* bits of @gfp; bits with no name set OOMSNAP_GFP_UNKNOWN. */
u64 oomsnap_gfp_translate(gfp_t gfp);

/* oomsnap_gfp_class() of the translated mask, reclaiming requests by caller. */
enum oomsnap_fail_class oomsnap_fail_classify(gfp_t gfp);

/* enum oomsnap_zone_type of gfp_zone(@gfp): the highest zone it may use. */
u32 oomsnap_gfp_highest_zone(gfp_t gfp);

/* enum oomsnap_zone_type of the kernel's enum zone_type @zt. */
u32 oomsnap_zone_type(int zt);

#endif /* OOMSNAP_GFP_H */
