/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel internals that are not exported to modules but that a snapshot
 * wants (swap total, percpu, vmalloc, hugetlb, commit limit, slab caches),
 * the lock that tells when an out_of_memory() call is over (oom_lock) and
 * the one a memcg's task lists are walked under (css_set_lock).
 * Resolved once at load with register_kprobe() as a symbol lookup (see
 * symbols.c). Every pointer may be NULL: the capture then leaves that part
 * out (its mem_have bit clear), never guesses.
 */
#ifndef OOMSNAP_SYMBOLS_H
#define OOMSNAP_SYMBOLS_H

#include <linux/spinlock_types.h>
#include <linux/types.h>

struct hstate;
struct list_head;
struct mutex;

struct oomsnap_symbols {
	atomic_long_t *nr_vmalloc_pages;
	unsigned long *pcpu_nr_populated;
	int *pcpu_nr_units;
	long *total_swap_pages;
	int *sysctl_overcommit_ratio;
	unsigned long *sysctl_overcommit_kbytes;
	struct hstate *hstates;
	int *hugetlb_max_hstate;
	struct list_head *slab_caches;
	struct mutex *slab_mutex;	/* guards slab_caches */
	struct mutex *oom_lock;		/* held by every out_of_memory() call */
	spinlock_t *css_set_lock;	/* guards the css_sets' task lists */
};

/* Filled by oomsnap_symbols_resolve(); all NULL if it was not called. */
extern struct oomsnap_symbols oomsnap_syms;

/* Best effort; returns how many symbols were found. */
int oomsnap_symbols_resolve(void);

#endif /* OOMSNAP_SYMBOLS_H */
