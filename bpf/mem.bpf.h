/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Part of oomsnap.bpf.c (included there, once): the global counters of
 * mem[], read from vm_node_stat[], vm_zone_stat[] and the other kernel data
 * the loader found in /proc/kallsyms, and the inputs of the slots the
 * loader derives (commit limit, unaccounted).
 */

#define NODE_STAT(rec, slot, name) do { \
	if (bpf_core_enum_value_exists(enum node_stat_item, name)) \
		mem_set(rec, slot, stat_at(sym[OOMSNAP_SYM_VM_NODE_STAT] + 8 * \
			bpf_core_enum_value(enum node_stat_item, name))); \
} while (0)

#define ZONE_STAT(rec, slot, name) do { \
	if (bpf_core_enum_value_exists(enum zone_stat_item, name)) \
		mem_set(rec, slot, stat_at(sym[OOMSNAP_SYM_VM_ZONE_STAT] + 8 * \
			bpf_core_enum_value(enum zone_stat_item, name))); \
} while (0)

static __always_inline __u64 node_stat(int item)
{
	return stat_at(sym[OOMSNAP_SYM_VM_NODE_STAT] + 8 * item);
}

static __noinline void capture_mem(struct oomsnap_bpf_event *ev)
{
	struct oomsnap_record *rec;
	__u32 i, n;

	if (!ev)
		return;
	rec = &ev->rec;
	if (sym[OOMSNAP_SYM_TOTALRAM_PAGES])
		mem_set(rec, OOMSNAP_MEM_TOTALRAM, stat_at(sym[OOMSNAP_SYM_TOTALRAM_PAGES]));
	if (sym[OOMSNAP_SYM_VM_NODE_STAT]) {
		NODE_STAT(rec, OOMSNAP_MEM_ACTIVE_ANON, NR_ACTIVE_ANON);
		NODE_STAT(rec, OOMSNAP_MEM_INACTIVE_ANON, NR_INACTIVE_ANON);
		NODE_STAT(rec, OOMSNAP_MEM_ACTIVE_FILE, NR_ACTIVE_FILE);
		NODE_STAT(rec, OOMSNAP_MEM_INACTIVE_FILE, NR_INACTIVE_FILE);
		NODE_STAT(rec, OOMSNAP_MEM_UNEVICTABLE, NR_UNEVICTABLE);
		NODE_STAT(rec, OOMSNAP_MEM_SHMEM, NR_SHMEM);
		NODE_STAT(rec, OOMSNAP_MEM_DIRTY, NR_FILE_DIRTY);
		NODE_STAT(rec, OOMSNAP_MEM_WRITEBACK, NR_WRITEBACK);
		NODE_STAT(rec, OOMSNAP_MEM_MAPPED, NR_FILE_MAPPED);
		NODE_STAT(rec, OOMSNAP_MEM_PAGETABLES, NR_PAGETABLE);
		NODE_STAT(rec, OOMSNAP_MEM_SECONDARY_PAGETABLES, NR_SECONDARY_PAGETABLE);
		NODE_STAT(rec, OOMSNAP_MEM_ANON_THP, NR_ANON_THPS);
		NODE_STAT(rec, OOMSNAP_MEM_SWAP_CACHED, NR_SWAPCACHE);
		/* stored in pages although the names say bytes */
		NODE_STAT(rec, OOMSNAP_MEM_SLAB_RECLAIMABLE, NR_SLAB_RECLAIMABLE_B);
		NODE_STAT(rec, OOMSNAP_MEM_SLAB_UNRECLAIMABLE, NR_SLAB_UNRECLAIMABLE_B);
		if (bpf_core_enum_value_exists(enum node_stat_item, NR_KERNEL_STACK_KB))
			mem_set(rec, OOMSNAP_MEM_KERNEL_STACK,
				node_stat(bpf_core_enum_value(enum node_stat_item,
							      NR_KERNEL_STACK_KB)) >>
				(page_shift - 10));
		mem_set(rec, OOMSNAP_MEM_ISOLATED,
			node_stat(bpf_core_enum_value(enum node_stat_item, NR_ISOLATED_ANON)) +
			node_stat(bpf_core_enum_value(enum node_stat_item, NR_ISOLATED_FILE)));
		if (bpf_core_enum_value_exists(enum node_stat_item, NR_KERNEL_MISC_RECLAIMABLE))
			ev->misc_reclaimable = node_stat(bpf_core_enum_value(
				enum node_stat_item, NR_KERNEL_MISC_RECLAIMABLE));
	}
	if (sym[OOMSNAP_SYM_VM_ZONE_STAT]) {
		ZONE_STAT(rec, OOMSNAP_MEM_FREE, NR_FREE_PAGES);
		ZONE_STAT(rec, OOMSNAP_MEM_MLOCKED, NR_MLOCK);
		ZONE_STAT(rec, OOMSNAP_MEM_BOUNCE, NR_BOUNCE);
		ZONE_STAT(rec, OOMSNAP_MEM_FREE_CMA, NR_FREE_CMA_PAGES);
	}
	if (sym[OOMSNAP_SYM_PCPU_NR_POPULATED] && sym[OOMSNAP_SYM_PCPU_NR_UNITS])
		mem_set(rec, OOMSNAP_MEM_PERCPU,
			(__u64)rd32(sym[OOMSNAP_SYM_PCPU_NR_POPULATED]) *
			rd32(sym[OOMSNAP_SYM_PCPU_NR_UNITS]));
	if (sym[OOMSNAP_SYM_NR_VMALLOC_PAGES])
		mem_set(rec, OOMSNAP_MEM_VMALLOC, stat_at(sym[OOMSNAP_SYM_NR_VMALLOC_PAGES]));
	if (sym[OOMSNAP_SYM_HSTATES] && sym[OOMSNAP_SYM_HUGETLB_MAX_HSTATE]) {
		__u64 total = 0, free = 0;

		n = rd32(sym[OOMSNAP_SYM_HUGETLB_MAX_HSTATE]);
		for (i = 0; i < 4; i++) {
			struct hstate *h;
			__u32 order;

			if (i >= n)
				break;
			h = (void *)(sym[OOMSNAP_SYM_HSTATES] +
				     (__u64)i * bpf_core_type_size(struct hstate));
			order = BPF_CORE_READ(h, order) & 63;
			total += (__u64)BPF_CORE_READ(h, nr_huge_pages) << order;
			free += (__u64)BPF_CORE_READ(h, free_huge_pages) << order;
		}
		mem_set(rec, OOMSNAP_MEM_HUGETLB_TOTAL, total);
		mem_set(rec, OOMSNAP_MEM_HUGETLB_FREE, free);
	}
	if (sym[OOMSNAP_SYM_TOTAL_SWAP_PAGES])
		mem_set(rec, OOMSNAP_MEM_SWAP_TOTAL, stat_at(sym[OOMSNAP_SYM_TOTAL_SWAP_PAGES]));
	if (sym[OOMSNAP_SYM_NR_SWAP_PAGES])
		mem_set(rec, OOMSNAP_MEM_SWAP_FREE, stat_at(sym[OOMSNAP_SYM_NR_SWAP_PAGES]));
	if (sym[OOMSNAP_SYM_VM_COMMITTED_AS]) {
		/* vm_memory_committed(): percpu_counter_sum_positive(), online CPUs */
		struct percpu_counter *pc = (void *)sym[OOMSNAP_SYM_VM_COMMITTED_AS];
		__u64 counters = (__u64)BPF_CORE_READ(pc, counters);
		__u32 ncpus = rd32(sym[OOMSNAP_SYM_NR_CPU_IDS]);
		__s64 v = BPF_CORE_READ(pc, count);
		int cpu;

		for (cpu = 0; cpu < OOMSNAP_BPF_MAX_CPUS; cpu++) {
			__u64 bits, off;

			if (cpu >= ncpus || !sym[OOMSNAP_SYM_PER_CPU_OFFSET] ||
			    !sym[OOMSNAP_SYM_CPU_ONLINE_MASK])
				break;
			bits = rd64(sym[OOMSNAP_SYM_CPU_ONLINE_MASK] + (cpu / 64) * 8);
			if (!(bits & (1ULL << (cpu % 64))))
				continue;
			off = rd64(sym[OOMSNAP_SYM_PER_CPU_OFFSET] + (__u64)cpu * 8);
			v += (__s32)rd32(counters + off);
		}
		mem_set(rec, OOMSNAP_MEM_COMMITTED, v < 0 ? 0 : v);
	}
	if (sym[OOMSNAP_SYM_OVERCOMMIT_RATIO] && sym[OOMSNAP_SYM_OVERCOMMIT_KBYTES]) {
		ev->overcommit_ratio = rd32(sym[OOMSNAP_SYM_OVERCOMMIT_RATIO]);
		ev->overcommit_kbytes = rd64(sym[OOMSNAP_SYM_OVERCOMMIT_KBYTES]);
		ev->have_overcommit = 1;
	}
	ev->vmap_stack = bpf_core_field_exists(struct task_struct, stack_vm_area);
}
