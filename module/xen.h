/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen domain state for the record: what kind of domain, its balloon and,
 * in dom0, xen-blkback's pool limits and backends. xen.c is built only
 * with CONFIG_XEN; elsewhere these are the inline stubs below.
 */
#ifndef OOMSNAP_XEN_H
#define OOMSNAP_XEN_H

#include "oomsnap.h"

#ifdef CONFIG_XEN

/* dom0: start refreshing the blkback cache. Process context; no-op elsewhere. */
void oomsnap_xen_init(void);
/* Stop the refresh; after it no Xen work runs. */
void oomsnap_xen_exit(void);

/* Fill rec->xen and rec->xen_status. Lock-free: safe in any context. */
void oomsnap_capture_xen(struct oomsnap_record *rec);

#else /* !CONFIG_XEN */

static inline void oomsnap_xen_init(void)
{
}

static inline void oomsnap_xen_exit(void)
{
}

static inline void oomsnap_capture_xen(struct oomsnap_record *rec)
{
	rec->xen_status = OOMSNAP_NOT_XEN;
}

#endif /* CONFIG_XEN */

#endif /* OOMSNAP_XEN_H */
