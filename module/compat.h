/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels oomsnap builds against (Debian's 6.1 and
 * 6.12), in one place so that the rest of the module reads as plain code.
 */
#ifndef OOMSNAP_COMPAT_H
#define OOMSNAP_COMPAT_H

#include <linux/mmzone.h>
#include <linux/gfp.h>

/* 6.8 renamed MAX_ORDER (exclusive) to MAX_PAGE_ORDER (inclusive). */
#ifdef NR_PAGE_ORDERS
#define OOMSNAP_NR_PAGE_ORDERS	NR_PAGE_ORDERS
#else
#define OOMSNAP_NR_PAGE_ORDERS	MAX_ORDER
#endif

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

#endif /* OOMSNAP_COMPAT_H */
