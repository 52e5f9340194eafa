// SPDX-License-Identifier: GPL-2.0
/*
 * The derived mem[] slots (see mem.h).
 */
#include "mem.h"

static bool have(const struct oomsnap_record *rec, unsigned int idx)
{
	return rec->mem_have & (1ULL << idx);
}

bool oomsnap_mem_unaccounted(const struct oomsnap_record *rec, __u64 managed,
			     __u64 other, bool stacks_in_vmalloc, __u64 *out)
{
	/* every OOM report since 2.6.32 prints these, every capture reads them */
	static const unsigned char counted[] = {
		OOMSNAP_MEM_FREE,
		OOMSNAP_MEM_ACTIVE_ANON, OOMSNAP_MEM_INACTIVE_ANON,
		OOMSNAP_MEM_ACTIVE_FILE, OOMSNAP_MEM_INACTIVE_FILE,
		OOMSNAP_MEM_SLAB_RECLAIMABLE, OOMSNAP_MEM_SLAB_UNRECLAIMABLE,
		OOMSNAP_MEM_KERNEL_STACK, OOMSNAP_MEM_PAGETABLES,
	};
	/* counted where known */
	static const unsigned char optional[] = {
		OOMSNAP_MEM_FREE_PCP, OOMSNAP_MEM_UNEVICTABLE,
		OOMSNAP_MEM_ISOLATED, OOMSNAP_MEM_SECONDARY_PAGETABLES,
		OOMSNAP_MEM_PERCPU, OOMSNAP_MEM_VMALLOC,
		OOMSNAP_MEM_HUGETLB_TOTAL,
	};
	__u64 used = other;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(counted); i++) {
		if (!have(rec, counted[i]))
			return false;
		/* with VMAP_STACK, stacks are vmalloc pages: count them once */
		if (counted[i] == OOMSNAP_MEM_KERNEL_STACK && stacks_in_vmalloc &&
		    have(rec, OOMSNAP_MEM_VMALLOC))
			continue;
		used += rec->mem[counted[i]];
	}
	for (i = 0; i < ARRAY_SIZE(optional); i++)
		if (have(rec, optional[i]))
			used += rec->mem[optional[i]];
	*out = managed > used ? managed - used : 0;
	return true;
}

bool oomsnap_mem_commit_limit(const struct oomsnap_record *rec,
			      __u64 overcommit_kbytes, __u64 overcommit_ratio,
			      __u64 *out)
{
	const __u64 *m = rec->mem;

	if (!have(rec, OOMSNAP_MEM_TOTALRAM) ||
	    !have(rec, OOMSNAP_MEM_SWAP_TOTAL) ||
	    !have(rec, OOMSNAP_MEM_HUGETLB_TOTAL))
		return false;
	if (overcommit_kbytes)
		*out = oomsnap_div64(overcommit_kbytes, rec->page_size / 1024);
	else
		*out = oomsnap_div64((m[OOMSNAP_MEM_TOTALRAM] -
				      m[OOMSNAP_MEM_HUGETLB_TOTAL]) *
				     overcommit_ratio, 100);
	*out += m[OOMSNAP_MEM_SWAP_TOTAL];
	return true;
}
