/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels oomsnap builds against (Debian's 6.1 and
 * 6.12), in one place so that the rest of the module reads as plain code.
 */
#ifndef OOMSNAP_COMPAT_H
#define OOMSNAP_COMPAT_H

#include <linux/gfp.h>
#include <linux/mmzone.h>

/*
 * Orders of free_area[]: MAX_ORDER was exclusive up to 6.3, inclusive in
 * 6.4 .. 6.7 ("redefine MAX_ORDER sanely"), and 6.8 renamed it
 * MAX_PAGE_ORDER next to NR_PAGE_ORDERS. Kbuild defines
 * OOMSNAP_MAX_ORDER_INCLUSIVE when mmzone.h says MAX_ORDER_NR_PAGES is
 * 1 << MAX_ORDER.
 */
#ifdef NR_PAGE_ORDERS
#define OOMSNAP_NR_PAGE_ORDERS	NR_PAGE_ORDERS
#elif defined(OOMSNAP_MAX_ORDER_INCLUSIVE)
#define OOMSNAP_NR_PAGE_ORDERS	(MAX_ORDER + 1)
#else
#define OOMSNAP_NR_PAGE_ORDERS	MAX_ORDER
#endif

/*
 * zone->nr_free_highatomic (6.12): the free pages on the HighAtomic lists,
 * which the watermark check subtracts instead of nr_reserved_highatomic.
 * Kbuild defines OOMSNAP_HAVE_NR_FREE_HIGHATOMIC when mmzone.h has it.
 */

/* __GFP_ATOMIC went away in 6.3; its bit is unused afterwards. */
#ifdef ___GFP_ATOMIC
#define OOMSNAP_KERNEL_GFP_ATOMIC	__GFP_ATOMIC
#else
#define OOMSNAP_KERNEL_GFP_ATOMIC	((__force gfp_t)0)
#endif

/* 6.1 has two KASAN skip bits, later kernels one. */
#ifdef ___GFP_SKIP_KASAN_POISON
#define OOMSNAP_KERNEL_GFP_SKIP_KASAN \
	(__GFP_SKIP_KASAN_POISON | __GFP_SKIP_KASAN_UNPOISON)
#else
#define OOMSNAP_KERNEL_GFP_SKIP_KASAN	__GFP_SKIP_KASAN
#endif

/*
 * oom:mark_victim passed only a pid until 6.8 ("mm, oom: add more oom
 * fields to mark_victim"), which stable 6.1.y picked up. Kbuild looks at
 * the header and defines OOMSNAP_MARK_VICTIM_HAS_TASK when the tracepoint
 * passes (struct task_struct *, uid_t).
 */
struct task_struct;
#ifdef OOMSNAP_MARK_VICTIM_HAS_TASK
#define OOMSNAP_MARK_VICTIM_ARGS	struct task_struct *task, uid_t uid
#else
#define OOMSNAP_MARK_VICTIM_ARGS	int pid
#endif

/*
 * SLUB's struct kmem_cache and struct kmem_cache_node, as far as the top
 * slab caches read them. Both are private to mm/ (6.12: mm/slab.h and
 * mm/slub.c; 6.1: slub_def.h, which does not compile outside mm/, and
 * mm/slab.h), so they are mirrored here field for field under the same
 * config conditions. slabs.c checks the mirror against a cache of its own
 * at load and reads nothing through it if the two disagree.
 */
#if defined(CONFIG_SLUB) && defined(CONFIG_SLUB_DEBUG) && \
	!defined(CONFIG_KASAN)
#define OOMSNAP_HAVE_SLUB_MIRROR

#include <linux/kobject.h>
#include <linux/lockdep_types.h>
#include <linux/reciprocal_div.h>

/*
 * Kbuild defines OOMSNAP_KMEM_CACHE_IN_MM when there is no slub_def.h:
 * struct kmem_cache then lives in mm/slab.h (6.12's layout, not 6.1's).
 */

struct oomsnap_kmem_cache_node {
	spinlock_t list_lock;		/* not taken here */
	unsigned long nr_partial;
	struct list_head partial;
	atomic_long_t nr_slabs;		/* CONFIG_SLUB_DEBUG */
	atomic_long_t total_objects;
	struct list_head full;
};

/* kmem_cache_order_objects: order << 16 | objects per slab */
#define OOMSNAP_SLUB_OO_SHIFT	16

struct oomsnap_kmem_cache {
#ifdef OOMSNAP_KMEM_CACHE_IN_MM
#ifndef CONFIG_SLUB_TINY
	void __percpu *cpu_slab;
	struct lock_class_key lock_key;
#endif
#else
	void __percpu *cpu_slab;
#endif
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;
	unsigned int object_size;
	struct reciprocal_value reciprocal_size;
	unsigned int offset;
#ifdef CONFIG_SLUB_CPU_PARTIAL
	unsigned int cpu_partial;
	unsigned int cpu_partial_slabs;
#endif
	unsigned int oo;
	unsigned int min;
	gfp_t allocflags;
	int refcount;
	void (*ctor)(void *object);
	unsigned int inuse;
	unsigned int align;
	unsigned int red_left_pad;
	const char *name;
	struct list_head list;
#ifdef CONFIG_SYSFS
	struct kobject kobj;
#endif
#ifdef CONFIG_SLAB_FREELIST_HARDENED
	unsigned long random;
#endif
#ifdef CONFIG_NUMA
	unsigned int remote_node_defrag_ratio;
#endif
#ifdef CONFIG_SLAB_FREELIST_RANDOM
	unsigned int *random_seq;
#endif
	/* 6.12 keeps these only with CONFIG_HARDENED_USERCOPY */
#if !defined(OOMSNAP_KMEM_CACHE_IN_MM) || defined(CONFIG_HARDENED_USERCOPY)
	unsigned int useroffset;
	unsigned int usersize;
#endif
	struct oomsnap_kmem_cache_node *node[MAX_NUMNODES];
};
#endif /* SLUB with per-node counters */

#endif /* OOMSNAP_COMPAT_H */
