/* SPDX-License-Identifier: GPL-2.0 */
/* Where events come from: OOM paths, the page allocator, the OOM victim. */
#ifndef OOMSNAP_HOOKS_H
#define OOMSNAP_HOOKS_H

#include "oomsnap.h"

int oomsnap_hooks_init(void);
void oomsnap_hooks_exit(void);
/*
 * The snapshot of the out_of_memory() call the current task is inside of,
 * NULL if none was taken or it is already in the ring (it enters the ring
 * when the victim is marked, or after a call that killed nothing).
 */
const struct oomsnap_record *oomsnap_hooks_oom_record(void);

#endif /* OOMSNAP_HOOKS_H */
