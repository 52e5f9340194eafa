/* SPDX-License-Identifier: GPL-2.0 */
/* Where events come from: OOM paths, the page allocator, the OOM victim. */
#ifndef OOMSNAP_HOOKS_H
#define OOMSNAP_HOOKS_H

int oomsnap_hooks_register(void);
void oomsnap_hooks_unregister(void);

#endif /* OOMSNAP_HOOKS_H */
