/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the record's numbers (names.c): cause ids, event and zone types,
 * statuses, Xen domains, mem[] slots, gfp flags and request classes. The
 * JSON output and the text renderer both print these, so a name here is
 * part of the interface.
 */
#ifndef OOMSNAP_NAMES_H
#define OOMSNAP_NAMES_H

#include "base.h"
#include "oomsnap.h"

const char *oomsnap_cause_name(unsigned int cause);	/* enum oomsnap_cause */
const char *oomsnap_event_type_name(unsigned int type);	/* "oom"... */
const char *oomsnap_zone_type_name(unsigned int type);	/* "Normal"... */
const char *oomsnap_constraint_name(unsigned int constraint);
const char *oomsnap_status_name(unsigned int status);	/* a sentence */
const char *oomsnap_status_token(unsigned int status);	/* its JSON token */
const char *oomsnap_xen_domain_name(unsigned int domain);	/* "dom0 PV"... */

/* Whether a record has a Xen section to show: a Xen domain, or a reason why not known. */
static inline bool oomsnap_xen_shown(const struct oomsnap_record *rec)
{
	return rec->xen_status != OOMSNAP_NOT_XEN &&
	       ((rec->have & OOMSNAP_HAVE_XEN) || rec->xen_status);
}

/* oomsnap_record.mem[] slot name ("slab_unreclaimable"), NULL past the end. */
const char *oomsnap_mem_name(unsigned int idx);

/* gfp_zone(): the highest zone type a request with @gfp may use. */
unsigned int oomsnap_gfp_zone(__u64 gfp);

/* How a request may make room: what the diagnosis calls its gfp class. */
enum oomsnap_gfp_class {
	OOMSNAP_GFP_CLASS_RECLAIM,	/* may enter direct reclaim with IO and FS */
	OOMSNAP_GFP_CLASS_ATOMIC,	/* no direct reclaim, may use reserves */
	OOMSNAP_GFP_CLASS_NOWAIT,	/* no direct reclaim, no reserves */
	OOMSNAP_GFP_CLASS_NOIO,		/* reclaim without IO */
	OOMSNAP_GFP_CLASS_NOFS,		/* reclaim without filesystem calls */
	OOMSNAP_GFP_CLASS_NR,
};

unsigned int oomsnap_gfp_class(__u64 gfp);
const char *oomsnap_gfp_class_name(unsigned int gfp_class);

/* "GFP_KERNEL|__GFP_COMP": composite names first. Returns chars written. */
int oomsnap_gfp_format(__u64 gfp, char *buf, size_t len);
/* Name -> OOMSNAP_GFP_* (composites too, "GFP_KERNEL"); 0 if unknown. */
__u64 oomsnap_gfp_from_name(const char *name, size_t len);

#endif /* OOMSNAP_NAMES_H */
