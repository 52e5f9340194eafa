/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When an OOM ends in panic() (vm.panic_on_oom, or no task left to kill),
 * the ring dies with the machine: write the OOM's snapshot to the kernel
 * log first, where the console, netconsole, pstore and kdump find it.
 */
#ifndef OOMSNAP_PANIC_H
#define OOMSNAP_PANIC_H

/* Never fails the load: without the probe there is only no summary. */
void oomsnap_panic_init(void);
void oomsnap_panic_exit(void);

#endif /* OOMSNAP_PANIC_H */
