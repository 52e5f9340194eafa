/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen domain state for the record: what kind of domain, its balloon and,
 * in dom0, xen-blkback's pool limits and backends.
 */
#ifndef OOMSNAP_XEN_H
#define OOMSNAP_XEN_H

#include "oomsnap.h"

/* dom0: start refreshing the blkback cache. Process context; no-op elsewhere. */
void oomsnap_xen_start(void);
/* Stop the refresh; after it no Xen work runs. */
void oomsnap_xen_stop(void);

/* Fill rec->xen and rec->xen_status. Lock-free: safe in any context. */
void oomsnap_capture_xen(struct oomsnap_record *rec);

#endif /* OOMSNAP_XEN_H */
