/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The largest slab caches by bytes. slab_caches can only be walked under
 * slab_mutex, which the capture path may not wait for, so a table of the
 * top caches is refreshed from process context every few seconds and the
 * capture copies it; a capture in task context with IRQs on walks the list
 * itself when mutex_trylock() gets slab_mutex.
 */
#ifndef OOMSNAP_SLABS_H
#define OOMSNAP_SLABS_H

#include <linux/types.h>

#include "oomsnap.h"

/* Check the SLUB mirror against a cache of our own, start the refresh. */
void oomsnap_slabs_init(void);
void oomsnap_slabs_exit(void);

/* Fill rec->slabs, nr_slabs, slabs_status (no allocation, no sleeping). */
void oomsnap_slabs_capture(struct oomsnap_record *rec, bool may_lock);

#endif /* OOMSNAP_SLABS_H */
