/* SPDX-License-Identifier: GPL-2.0 */
/* /sys/kernel/debug/oomsnap/: last, events, raw, stats, control. */
#ifndef OOMSNAP_DEBUGFS_H
#define OOMSNAP_DEBUGFS_H

#include <linux/seq_file.h>

#include "render.h"

void oomsnap_debugfs_init(void);
void oomsnap_debugfs_exit(void);

/* The engine's text into @m, for the files that print records. */
struct oomsnap_printer oomsnap_seq_printer(struct seq_file *m);

#endif /* OOMSNAP_DEBUGFS_H */
