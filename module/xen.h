/* SPDX-License-Identifier: GPL-2.0 */
/* Xen domain state for the record: what kind of domain, and its balloon. */
#ifndef OOMSNAP_XEN_H
#define OOMSNAP_XEN_H

#include "oomsnap.h"

/* Fill rec->xen and rec->xen_status. Lock-free: safe in any context. */
void oomsnap_capture_xen(struct oomsnap_record *rec);

#endif /* OOMSNAP_XEN_H */
