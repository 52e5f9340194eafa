/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mem[] slots derived from the others (mem.c), one definition for
 * every maker of a record: the module's capture, the BPF recorder's
 * loader, and the diagnosis of a kernel log (which has no such lines).
 */
#ifndef OOMSNAP_MEM_H
#define OOMSNAP_MEM_H

#include "base.h"
#include "oomsnap.h"

/*
 * What no counter accounts for (mem[OOMSNAP_MEM_UNACCOUNTED]): @managed,
 * the pages the page allocator was given, minus every consumer mem[]
 * counts and @other pages counted outside mem[]. Consumers a source can't
 * see (percpu, vmalloc, hugetlb on some kernels; most of them in a log)
 * stay in, their mem_have bits clear: the result is an upper bound.
 * @stacks_in_vmalloc: kernel stacks are vmalloc pages (CONFIG_VMAP_STACK),
 * counted once, in vmalloc, where vmalloc is known.
 *
 * False, and *@out untouched, when one of the counters every source has
 * (free, LRU, slab, kernel stacks, page tables) is missing: memory nobody
 * read must not pass for memory no counter accounts for.
 */
bool oomsnap_mem_unaccounted(const struct oomsnap_record *rec, __u64 managed,
			     __u64 other, bool stacks_in_vmalloc, __u64 *out);

/*
 * vm_commit_limit() from its inputs (mem[OOMSNAP_MEM_COMMIT_LIMIT]): swap
 * plus vm.overcommit_kbytes, or, when that is 0, vm.overcommit_ratio
 * percent of RAM without the huge pages. False when RAM, swap or hugetlb
 * is missing from mem[].
 */
bool oomsnap_mem_commit_limit(const struct oomsnap_record *rec,
			      __u64 overcommit_kbytes, __u64 overcommit_ratio,
			      __u64 *out);

#endif /* OOMSNAP_MEM_H */
