/* SPDX-License-Identifier: GPL-2.0 */
/* One version for oomsnap.ko (modinfo's "version:") and the reader (--version). */
#ifndef OOMSNAP_VERSION_H
#define OOMSNAP_VERSION_H

#define OOMSNAP_VERSION		"0.9.0"

#endif /* OOMSNAP_VERSION_H */
