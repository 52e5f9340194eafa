/* SPDX-License-Identifier: GPL-2.0 */
/* Where events come from: OOM paths, the page allocator, the OOM victim. */
#ifndef OOMSNAP_HOOKS_H
#define OOMSNAP_HOOKS_H

#include <linux/types.h>

int oomsnap_hooks_register(void);
void oomsnap_hooks_unregister(void);
/* The record of the OOM the current task is inside of, 0 if none. */
u64 oomsnap_hooks_oom_seq(void);

#endif /* OOMSNAP_HOOKS_H */
