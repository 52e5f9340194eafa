/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/debug/oomsnap/headroom: what the allocator's watermark check
 * says right now, per zone, request class and order (see headroom.c).
 */
#ifndef OOMSNAP_HEADROOM_H
#define OOMSNAP_HEADROOM_H

#include <linux/fs.h>

extern const struct file_operations oomsnap_headroom_fops;

#endif /* OOMSNAP_HEADROOM_H */
