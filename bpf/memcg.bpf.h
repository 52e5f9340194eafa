/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Part of oomsnap.bpf.c (included there, once): the memory cgroup of an
 * event: usage and limits, and its path as kernfs names for the loader to
 * join (cgroup_path() is out of a BPF program's reach).
 */

static __noinline void capture_memcg(struct oomsnap_bpf_event *ev,
				     struct mem_cgroup *memcg)
{
	struct oomsnap_record *rec;
	struct kernfs_node *kn;
	__u64 max, page_counter_max;
	__u32 d;

	if (!ev || !memcg)
		return;
	rec = &ev->rec;
	/* the root memcg: no limit and, on v2, no usage: no data */
	if (!BPF_CORE_READ(memcg, css.parent))
		return;
	page_counter_max = 0x7fffffffffffffffULL >> page_shift;
	rec->memcg_usage = BPF_CORE_READ(memcg, memory.usage.counter);
	max = BPF_CORE_READ(memcg, memory.max);
	rec->memcg_limit = max >= page_counter_max ? ~0ULL : max;
	rec->memcg_swap_usage = BPF_CORE_READ(memcg, swap.usage.counter);
	max = BPF_CORE_READ(memcg, swap.max);
	rec->memcg_swap_limit = max >= page_counter_max ? ~0ULL : max;
	rec->have |= OOMSNAP_HAVE_MEMCG;

	/* cgroup_path(): the kernfs names up to (not including) the root */
	kn = BPF_CORE_READ(memcg, css.cgroup, kn);
	for (d = 0; d < OOMSNAP_BPF_CG_DEPTH + 1; d++) {
		struct kernfs_node *parent;

		if (!kn)
			break;
		parent = BPF_CORE_READ(kn, parent);
		if (!parent)
			break;
		if (d == OOMSNAP_BPF_CG_DEPTH) {
			ev->cg_truncated = 1;
			break;
		}
		bpf_probe_read_kernel_str(ev->cg_names[d], OOMSNAP_BPF_CG_NAME,
					  BPF_CORE_READ(kn, name));
		ev->cg_depth = d + 1;
		kn = parent;
	}
}

static __always_inline struct mem_cgroup *task_memcg(struct task_struct *p)
{
	int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	struct cgroup_subsys_state *css;

	if (id < 0 || id >= CGROUP_SUBSYS_COUNT)
		return NULL;
	css = BPF_CORE_READ(p, cgroups, subsys[id]);
	/* css is the first member of struct mem_cgroup */
	return (struct mem_cgroup *)((void *)css -
		bpf_core_field_offset(struct mem_cgroup, css));
}
