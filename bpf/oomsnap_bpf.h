/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF recorder's kernel side (oomsnap.bpf.c) and its loader
 * (oomsnap-bpf.c) share: the event it hands over through the ring buffer,
 * the counters, and the settings the loader fills before the load.
 *
 * The kernel side fills a struct oomsnap_record as far as BPF reaches; what
 * only user space can finish travels next to it in the event: the raw stack
 * (symbolised from /proc/kallsyms), the memcg path as its components, and
 * the inputs of the derived mem[] slots.
 */
#ifndef OOMSNAP_BPF_H
#define OOMSNAP_BPF_H

#define OOMSNAP_BPF_STACK_IPS	32	/* raw frames; ours are skipped later */
#define OOMSNAP_BPF_CG_DEPTH	16	/* memcg path components kept */
#define OOMSNAP_BPF_CG_NAME	64
#define OOMSNAP_BPF_MAX_NODES	64	/* nodes looked at (node_states bits) */
#define OOMSNAP_BPF_MAX_CPUS	256	/* CPUs summed for the pcp free pages */

/* Kernel data symbols the loader resolves from /proc/kallsyms. */
enum oomsnap_bpf_sym {
	OOMSNAP_SYM_NODE_DATA,
	OOMSNAP_SYM_NODE_STATES,
	OOMSNAP_SYM_VM_ZONE_STAT,
	OOMSNAP_SYM_VM_NODE_STAT,
	OOMSNAP_SYM_TOTALRAM_PAGES,
	OOMSNAP_SYM_PER_CPU_OFFSET,
	OOMSNAP_SYM_CPU_ONLINE_MASK,
	OOMSNAP_SYM_NR_CPU_IDS,
	OOMSNAP_SYM_PREEMPT_COUNT,	/* 6.1: __preempt_count (per-cpu) */
	OOMSNAP_SYM_PCPU_HOT,		/* 6.2+: pcpu_hot (per-cpu) */
	OOMSNAP_SYM_NR_VMALLOC_PAGES,
	OOMSNAP_SYM_PCPU_NR_POPULATED,
	OOMSNAP_SYM_PCPU_NR_UNITS,
	OOMSNAP_SYM_HSTATES,
	OOMSNAP_SYM_HUGETLB_MAX_HSTATE,
	OOMSNAP_SYM_TOTAL_SWAP_PAGES,
	OOMSNAP_SYM_NR_SWAP_PAGES,
	OOMSNAP_SYM_VM_COMMITTED_AS,
	OOMSNAP_SYM_OVERCOMMIT_RATIO,
	OOMSNAP_SYM_OVERCOMMIT_KBYTES,
	OOMSNAP_SYM_INIT_TASK,
	OOMSNAP_SYM_XEN_DOMAIN_TYPE,
	OOMSNAP_SYM_OOM_LOCK,
	OOMSNAP_SYM_NR,
};

/* Counters: the module's (same names, same order), then the recorder's own. */
enum oomsnap_bpf_counter {
	OOMSNAP_BPF_OOM,
	OOMSNAP_BPF_MEMCG_OOM,
	OOMSNAP_BPF_ALLOC_FAILURE,
	OOMSNAP_BPF_MANUAL,
	OOMSNAP_BPF_VICTIMS,
	OOMSNAP_BPF_VICTIMS_JOINED,
	OOMSNAP_BPF_VICTIMS_UNJOINED,
	OOMSNAP_BPF_CAPTURED,
	OOMSNAP_BPF_DROPPED_RATELIMIT,
	OOMSNAP_BPF_DROPPED_NOWARN,
	OOMSNAP_BPF_SKIPPED_RECURSION,
	OOMSNAP_BPF_NOWARN_FAILURES,
	OOMSNAP_BPF_SKIPPED_BUSY,	/* ring buffer full or OOM slot taken */
	OOMSNAP_BPF_COUNTER_NR,
};

#define OOMSNAP_BPF_FAIL_CLASSES	7	/* the module's enum oomsnap_fail_class */

/* One array map value: every counter. */
struct oomsnap_bpf_stats {
	__u64 counter[OOMSNAP_BPF_COUNTER_NR];
	__u64 failures_by_order[16];
	__u64 failures_by_class[OOMSNAP_BPF_FAIL_CLASSES];
};

/* The allocation-failure token bucket; tokens ~0: not started. */
struct oomsnap_bpf_ratelimit {
	__u64 refilled_ns;
	__u64 tokens;
};

/* The kernel's gfp bits the kernel side needs, found by the loader. */
struct oomsnap_bpf_gfp {
	__u64 nowarn;
	__u64 direct_reclaim;
	__u64 high;
	__u64 io;
	__u64 fs;
	__u64 hardwall;
	__u64 movable;
};

struct oomsnap_bpf_event {
	struct oomsnap_record rec;
	__u64 stack_ips[OOMSNAP_BPF_STACK_IPS];
	__s64 stack_bytes;		/* bpf_get_stack(): bytes, or -errno */
	__u32 cg_depth;			/* components in cg_names, leaf first */
	__u32 cg_truncated;		/* deeper than OOMSNAP_BPF_CG_DEPTH */
	char  cg_names[OOMSNAP_BPF_CG_DEPTH][OOMSNAP_BPF_CG_NAME];
	__u64 misc_reclaimable;		/* NR_KERNEL_MISC_RECLAIMABLE */
	__u64 overcommit_kbytes;
	__u64 overcommit_ratio;
	__u32 have_overcommit;
	__u32 vmap_stack;		/* CONFIG_VMAP_STACK (task_struct.stack_vm_area exists) */
};

#endif /* OOMSNAP_BPF_H */
