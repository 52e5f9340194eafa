// SPDX-License-Identifier: GPL-2.0
/*
 * Xen domain detection and balloon state. The balloon counters are read
 * without balloon_mutex: each is one word, and a snapshot taken while the
 * balloon moves is still a fair picture of that instant.
 *
 * blkback's pools are not visible from here yet: blkback_status says so.
 */
#include <linux/kernel.h>

#ifdef CONFIG_XEN
#include <xen/xen.h>
#ifdef CONFIG_XEN_BALLOON
#include <xen/balloon.h>
#endif
#endif

#include "xen.h"

#ifdef CONFIG_XEN
static u32 domain_kind(void)
{
	bool dom0 = xen_initial_domain();

	if (xen_pv_domain())
		return dom0 ? OOMSNAP_XEN_PV_DOM0 : OOMSNAP_XEN_PV_DOMU;
	if (xen_pvh_domain())
		return dom0 ? OOMSNAP_XEN_PVH_DOM0 : OOMSNAP_XEN_PVH_DOMU;
	return OOMSNAP_XEN_HVM_DOMU;
}

void oomsnap_capture_xen(struct oomsnap_record *rec)
{
	struct oomsnap_xen *x = &rec->xen;

	if (!xen_domain()) {
		rec->xen_status = OOMSNAP_NOT_XEN;
		return;
	}
	x->domain = domain_kind();
#ifdef CONFIG_XEN_BALLOON
	x->balloon_status = OOMSNAP_OK;
	x->balloon_current = READ_ONCE(balloon_stats.current_pages);
	x->balloon_target = READ_ONCE(balloon_stats.target_pages);
	x->balloon_low = READ_ONCE(balloon_stats.balloon_low);
	x->balloon_high = READ_ONCE(balloon_stats.balloon_high);
#else
	x->balloon_status = OOMSNAP_NOT_CONFIGURED;
#endif
	x->blkback_status = OOMSNAP_NOT_CAPTURED;
	rec->xen_status = OOMSNAP_OK;
	rec->have |= OOMSNAP_HAVE_XEN;
}
#else
void oomsnap_capture_xen(struct oomsnap_record *rec)
{
	rec->xen_status = OOMSNAP_NOT_XEN;
}
#endif
