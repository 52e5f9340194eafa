/* SPDX-License-Identifier: GPL-2.0 */
/* /sys/kernel/debug/oomsnap/: last, events, raw, stats, control. */
#ifndef OOMSNAP_DEBUGFS_H
#define OOMSNAP_DEBUGFS_H

void oomsnap_debugfs_init(void);
void oomsnap_debugfs_exit(void);

#endif /* OOMSNAP_DEBUGFS_H */
