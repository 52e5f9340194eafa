// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap BPF recorder, kernel side: the module's snapshot, as far as a
 * CO-RE BPF program reaches it, in the same struct oomsnap_record.
 *
 * Hooks:
 *  fentry out_of_memory   every OOM, global or memcg, with its oom_control:
 *                         the snapshot is taken here into the one call slot
 *                         (every out_of_memory() call holds oom_lock);
 *  tp_btf mark_victim     the chosen task, written into that slot, which
 *                         then goes to the ring buffer, complete;
 *  bpf_timer              a call that ends without a victim: its slot goes
 *                         out once oom_lock is no longer its task's;
 *  kprobe warn_alloc      an allocation failure (default: only failures
 *                         pay), or tp_btf mm_page_alloc with page == NULL
 *                         (the module's hook: every allocation pays);
 *                         captured under the module's rate limit, at once.
 *
 * No fexit: its trampoline would stand between out_of_memory() and its
 * caller in the Call Trace the kernel prints of this very OOM; an fentry
 * alone returns before the body runs and leaves the stack as it was.
 *
 * Kernel data that has no BTF variable (node_data[], vm_zone_stat[], ...)
 * is read at the address the loader found in /proc/kallsyms, through its
 * BTF type. Nothing here takes a lock: the free lists are walked without
 * zone->lock, so the per-migratetype counts are kept only when they add up
 * to the free_area's own count (see walk_zone()).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

/*
 * the uapi header wants <linux/types.h>, which vmlinux.h replaces but for
 * its one macro (BTF has no __aligned_u64: it is not a type)
 */
#define _LINUX_TYPES_H
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#include <linux/const.h>
#include "oomsnap.h"
#include "oomsnap_bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define PF_KTHREAD		0x00200000
#define OOM_SCORE_ADJ_MIN	(-1000)
#define PC_SOFTIRQ_OFFSET	0x00000100
#define PC_HARDIRQ_MASK		0x000f0000
#define PC_NMI_MASK		0x00f00000
#define MT_WALK_MAX		4096	/* upper bound of walk_limit */
#define NR_MT_KERNEL		6	/* free_list[] entries walked at most */
#define TASK_SCAN_MAX		65536
#define MUTEX_FLAGS		0x07	/* low bits of struct mutex's owner */
#define CLOCK_MONOTONIC		1
#define CALL_POLL_NS		(20 * 1000 * 1000ULL)	/* is the call over? */
#define CALL_POLL_MAX		3000	/* a minute: then send it anyway */

/* Columns of nr_free_mt[][]: the reader's enum oomsnap_migratetype. */
#define MT_COL_CMA		4
#define MT_COL_ISOLATE		5
#define MT_COL_NR		6

/* Checked against the running kernel: Debian's 6.1 has no MIGRATE_CMA. */
/* struct zone as 6.12 has it: vmlinux.h is 6.1's, which has no nr_free_highatomic */
struct zone___hafree {
	unsigned long nr_free_highatomic;
} __attribute__((preserve_access_index));

enum migratetype___x {
	MIGRATE_CMA___x = 4,
};

/* Filled by the loader before the load. */
const volatile __u64 sym[OOMSNAP_SYM_NR];
const volatile struct oomsnap_bpf_gfp gfpb;
const volatile __u32 walk_limit = 512;
const volatile __u32 task_scan_limit = 4096;
const volatile __u32 capture_nowarn;
const volatile __u64 ratelimit_interval_ns = 5000ULL * 1000000;
const volatile __u32 ratelimit_burst = 10;
const volatile __u32 page_shift = 12;
const volatile __u32 kernel_era;

/* ---------------------------------------------------------------------- */
/* Maps */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* An event being filled, and the oom_control of an OOM's. */
struct oom_slot {
	struct oomsnap_bpf_event ev;
	__u64 oc;
};

/*
 * The OOM call in progress: fentry fills it, the victim's tracepoint or the
 * timer sends it. One is enough: out_of_memory() runs under oom_lock.
 * state moves EMPTY -> FILLING -> FILLED -> SENDING -> SENT; whoever
 * moves it from FILLED to SENDING (the victim, the timer, the next call)
 * sends it.
 */
enum oom_call_state {
	CALL_EMPTY,
	CALL_FILLING,
	CALL_FILLED,
	CALL_SENDING,
	CALL_SENT,
};

struct oom_call {
	struct oom_slot s;
	__u64 task;			/* the caller, oom_lock's owner meanwhile */
	__u32 state;
	__u32 rearmed;			/* timer rounds while the call ran */
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct oom_call);
} oom_call SEC(".maps");

/* Scratch for allocation failures: one per CPU and context level. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct oom_slot);
} scratch SEC(".maps");

/* Never written: the zeroes a fresh slot starts from. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct oom_slot);
} zero SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} levels SEC(".maps");

/* Global data: counters, sequence, rate limit. */
struct oomsnap_bpf_stats stats;
__u64 last_seq;
struct oomsnap_bpf_ratelimit rl = { .tokens = ~0ULL };

static __always_inline void count(int c)
{
	if (c >= 0 && c < OOMSNAP_BPF_COUNTER_NR)
		__sync_fetch_and_add(&stats.counter[c], 1);
}

/* ---------------------------------------------------------------------- */
/* Small readers */

static __always_inline __u64 rd64(__u64 addr)
{
	__u64 v = 0;

	if (addr)
		bpf_probe_read_kernel(&v, sizeof(v), (void *)addr);
	return v;
}

static __always_inline __u32 rd32(__u64 addr)
{
	__u32 v = 0;

	if (addr)
		bpf_probe_read_kernel(&v, sizeof(v), (void *)addr);
	return v;
}

/* An atomic_long_t counter read as the kernel's *_page_state(): >= 0. */
static __always_inline __u64 stat_at(__u64 addr)
{
	__s64 v = (__s64)rd64(addr);

	return v < 0 ? 0 : v;
}

static __always_inline void mem_set(struct oomsnap_record *rec, __u32 item,
				    __u64 pages)
{
	if (item < OOMSNAP_MAX_MEM) {
		rec->mem[item] = pages;
		rec->mem_have |= 1ULL << item;
	}
}

static __always_inline __u32 preempt_count(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 off, var;

	if (sym[OOMSNAP_SYM_PCPU_HOT]) {
		struct pcpu_hot___x {
			int preempt_count;
		} __attribute__((preserve_access_index));

		var = sym[OOMSNAP_SYM_PCPU_HOT] +
		      bpf_core_field_offset(struct pcpu_hot___x, preempt_count);
	} else if (sym[OOMSNAP_SYM_PREEMPT_COUNT]) {
		var = sym[OOMSNAP_SYM_PREEMPT_COUNT];
	} else {
		return 0;
	}
	if (!sym[OOMSNAP_SYM_PER_CPU_OFFSET] || cpu >= OOMSNAP_BPF_MAX_CPUS * 32)
		return 0;
	off = rd64(sym[OOMSNAP_SYM_PER_CPU_OFFSET] + (__u64)cpu * 8);
	return rd32(off + var);
}

static __always_inline bool have_preempt_count(void)
{
	return sym[OOMSNAP_SYM_PCPU_HOT] || sym[OOMSNAP_SYM_PREEMPT_COUNT];
}

/* ---------------------------------------------------------------------- */
/* Tasks */

static __always_inline __u64 mm_counter(struct mm_struct *mm, int member)
{
	struct mm_rss_stat___old {
		atomic_long_t count[4];
	} __attribute__((preserve_access_index));
	struct mm_struct___old {
		struct mm_rss_stat___old rss_stat;
	} __attribute__((preserve_access_index));
	struct mm_struct___new {
		struct percpu_counter rss_stat[4];
	} __attribute__((preserve_access_index));
	__s64 v;

	if (member < 0 || member >= 4)
		return 0;
	if (bpf_core_type_exists(struct mm_rss_stat___old)) {
		struct mm_struct___old *o = (void *)mm;

		v = BPF_CORE_READ(o, rss_stat.count[member].counter);
	} else {
		struct mm_struct___new *n = (void *)mm;

		v = BPF_CORE_READ(n, rss_stat[member].count);
	}
	return v < 0 ? 0 : v;
}

static __noinline void describe_task(struct oomsnap_task *t,
				     struct task_struct *p, struct mm_struct *mm)
{
	if (!t || !p)
		return;
	t->pid = BPF_CORE_READ(p, pid);
	t->tgid = BPF_CORE_READ(p, tgid);
	t->uid = BPF_CORE_READ(p, cred, uid.val);
	t->oom_score_adj = BPF_CORE_READ(p, signal, oom_score_adj);
	bpf_probe_read_kernel_str(t->comm, sizeof(t->comm), &p->comm);
	if (t->oom_score_adj == OOM_SCORE_ADJ_MIN)
		t->flags |= OOMSNAP_TASK_OOM_UNKILLABLE;
	if (BPF_CORE_READ(p, flags) & PF_KTHREAD)
		t->flags |= OOMSNAP_TASK_KTHREAD;
	if (!mm)
		return;
	t->total_vm = BPF_CORE_READ(mm, total_vm);
	t->rss_anon = mm_counter(mm, MM_ANONPAGES);
	t->rss_file = mm_counter(mm, MM_FILEPAGES);
	t->rss_shmem = mm_counter(mm, MM_SHMEMPAGES);
	t->swapents = mm_counter(mm, MM_SWAPENTS);
	t->pgtables_bytes = BPF_CORE_READ(mm, pgtables_bytes.counter);
}

/* bpf_loop() wants its context on the stack (6.1): a pointer to the map value */
struct loop_ctx {
	void *w;
	struct oomsnap_record *rec;	/* a pointer read from a map is a number */
};

static __always_inline __u64 task_rss(const struct oomsnap_task *t)
{
	return t->rss_anon + t->rss_file + t->rss_shmem;
}

struct task_walk {
	__u64 head;		/* &init_task.tasks */
	__u64 pos;		/* current list_head */
	__u32 scanned;
	struct oomsnap_task desc;
};

/*
 * rec->tasks[] sorted by RSS, largest first, at most TOP_TASKS (the
 * module's consider_task()): into the free or the smallest slot, then
 * bubbled up.
 */
static __noinline void consider_task(struct oomsnap_record *rec,
				     const struct oomsnap_task *t)
{
	struct oomsnap_task tmp;
	__u32 n, slot;
	int i;

	if (!rec || !t)
		return;
	n = rec->nr_tasks;
	if (n < OOMSNAP_TOP_TASKS) {
		slot = n;
		rec->nr_tasks = n + 1;
	} else {
		if (task_rss(&rec->tasks[OOMSNAP_TOP_TASKS - 1]) >= task_rss(t))
			return;
		slot = OOMSNAP_TOP_TASKS - 1;
	}
	slot &= OOMSNAP_TOP_TASKS - 1;
	rec->tasks[slot] = *t;
#pragma unroll
	for (i = OOMSNAP_TOP_TASKS - 1; i > 0; i--) {
		if (i > slot)
			continue;
		if (task_rss(&rec->tasks[i - 1]) >= task_rss(&rec->tasks[i]))
			break;
		tmp = rec->tasks[i - 1];
		rec->tasks[i - 1] = rec->tasks[i];
		rec->tasks[i] = tmp;
	}
}

static long task_cb(__u64 i, void *arg)
{
	struct task_walk *w = ((struct loop_ctx *)arg)->w;
	struct task_struct *p;
	struct mm_struct *mm;
	__u64 next;

	if (!w)
		return 1;
	next = rd64(w->pos);	/* list_head.next */
	if (!next || next == w->head)
		return 1;
	w->pos = next;
	w->scanned++;
	p = (void *)(next - bpf_core_field_offset(struct task_struct, tasks));
	if (BPF_CORE_READ(p, flags) & PF_KTHREAD)
		return 0;
	mm = BPF_CORE_READ(p, mm);
	if (!mm)
		return 0;
	__builtin_memset(&w->desc, 0, sizeof(w->desc));
	describe_task(&w->desc, p, mm);
	consider_task(((struct loop_ctx *)arg)->rec, &w->desc);
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct task_walk);
} task_walks SEC(".maps");

static __always_inline void capture_tasks(struct oomsnap_record *rec, __u32 level)
{
	struct task_walk *w = bpf_map_lookup_elem(&task_walks, &level);
	__u32 limit = task_scan_limit;
	struct loop_ctx lc;
	long n;

	if (!w || !sym[OOMSNAP_SYM_INIT_TASK]) {
		rec->tasks_status = OOMSNAP_NOT_EXPORTED;
		return;
	}
	if (limit > TASK_SCAN_MAX)
		limit = TASK_SCAN_MAX;
	__builtin_memset(w, 0, sizeof(*w));
	w->head = sym[OOMSNAP_SYM_INIT_TASK] +
		  bpf_core_field_offset(struct task_struct, tasks);
	w->pos = w->head;
	lc.w = w;
	lc.rec = rec;
	n = bpf_loop(limit, task_cb, &lc, 0);
	rec->tasks_scanned = w->scanned;
	if (n >= 0 && (__u32)n == limit && w->scanned == limit)
		rec->tasks_capped = 1;
	rec->tasks_status = OOMSNAP_OK;
	rec->have |= OOMSNAP_HAVE_TASKS;
}

/* ---------------------------------------------------------------------- */
/* Memory cgroup */

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

/* ---------------------------------------------------------------------- */
/* Zones */

struct zone_walk {
	__u64 pgdat[OOMSNAP_BPF_MAX_NODES];	/* 0: node offline */
	__u32 nodes;
	__u32 zones_per_node;
	__u64 zptr[OOMSNAP_MAX_ZONES];
	/* the list walk (walk_cb) */
	__u32 z;
	__u32 order, mt, nr_orders, nr_mt;
	__u32 n;
	__u64 head, pos;
	__u64 free_pcp, reserved;
	__u32 ncpus;
	__u32 bad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct zone_walk);
} zone_walks SEC(".maps");

static __always_inline __u32 zone_type_of(__u32 idx)
{
	if (bpf_core_enum_value_exists(enum zone_type, ZONE_DMA) &&
	    idx == bpf_core_enum_value(enum zone_type, ZONE_DMA))
		return OOMSNAP_ZONE_DMA;
	if (bpf_core_enum_value_exists(enum zone_type, ZONE_DMA32) &&
	    idx == bpf_core_enum_value(enum zone_type, ZONE_DMA32))
		return OOMSNAP_ZONE_DMA32;
	if (idx == bpf_core_enum_value(enum zone_type, ZONE_NORMAL))
		return OOMSNAP_ZONE_NORMAL;
	if (idx == bpf_core_enum_value(enum zone_type, ZONE_MOVABLE))
		return OOMSNAP_ZONE_MOVABLE;
	if (bpf_core_enum_value_exists(enum zone_type, ZONE_DEVICE) &&
	    idx == bpf_core_enum_value(enum zone_type, ZONE_DEVICE))
		return OOMSNAP_ZONE_DEVICE;
	return OOMSNAP_ZONE_UNKNOWN;
}

static __always_inline __u64 zone_stat(struct zone *zone, int item)
{
	__s64 v;

	if (item < 0 || item >= 64)
		return 0;
	v = BPF_CORE_READ(zone, vm_stat[item].counter);
	return v < 0 ? 0 : v;
}

#define ZSTAT(z, name) \
	(bpf_core_enum_value_exists(enum zone_stat_item, name) ? \
	 zone_stat(z, bpf_core_enum_value(enum zone_stat_item, name)) : 0)

static __always_inline __u32 nr_zone_types(void)
{
	return bpf_core_enum_value(enum zone_type, __MAX_NR_ZONES);
}

static __always_inline __u32 nr_orders(void)
{
	return bpf_core_field_size(struct zone, free_area) /
	       bpf_core_type_size(struct free_area);
}

static __always_inline __u32 nr_migratetypes(void)
{
	return bpf_core_field_size(struct free_area, free_list) /
	       bpf_core_type_size(struct list_head);
}

static long zone_cb(__u64 i, void *arg)
{
	struct zone_walk *w = ((struct loop_ctx *)arg)->w;
	struct oomsnap_record *rec;
	struct oomsnap_zone *z;
	struct zone *zone;
	__u32 nid, zt, k, no, nzt;
	__u64 pgdat, present, managed;
	int cpu;

	rec = ((struct loop_ctx *)arg)->rec;
	if (!w || !rec || !w->zones_per_node)
		return 1;
	nid = i / w->zones_per_node;
	zt = i % w->zones_per_node;
	if (nid >= OOMSNAP_BPF_MAX_NODES)
		return 1;
	pgdat = w->pgdat[nid];
	if (!pgdat)
		return 0;
	zone = (void *)(pgdat + bpf_core_field_offset(struct pglist_data, node_zones) +
			(__u64)zt * bpf_core_type_size(struct zone));
	present = BPF_CORE_READ(zone, present_pages);
	if (!present)
		return 0;	/* !populated_zone() */
	managed = BPF_CORE_READ(zone, managed_pages.counter);
	if (present > managed)
		w->reserved += present - managed;
	if (rec->nr_zones >= OOMSNAP_MAX_ZONES) {
		rec->zones_omitted++;
		return 0;
	}
	k = rec->nr_zones;
	if (k >= OOMSNAP_MAX_ZONES)
		return 1;
	w->zptr[k] = (__u64)zone;
	z = &rec->zones[k];
	rec->nr_zones = k + 1;

	z->node = nid;
	z->zone_type = zone_type_of(zt);
	bpf_probe_read_kernel_str(z->name, sizeof(z->name), BPF_CORE_READ(zone, name));
	z->free = ZSTAT(zone, NR_FREE_PAGES);
	z->wmark_min = BPF_CORE_READ(zone, _watermark[WMARK_MIN]);
	z->wmark_low = BPF_CORE_READ(zone, _watermark[WMARK_LOW]);
	z->wmark_high = BPF_CORE_READ(zone, _watermark[WMARK_HIGH]);
	z->wmark_boost = BPF_CORE_READ(zone, watermark_boost);
	z->reserved_highatomic = BPF_CORE_READ(zone, nr_reserved_highatomic);
	z->managed = managed;
	z->present = present;
	z->spanned = BPF_CORE_READ(zone, spanned_pages);
	nzt = nr_zone_types();
	for (k = 0; k < OOMSNAP_MAX_ZONE_TYPES; k++) {
		__u32 t;

		if (k >= nzt)
			break;
		t = zone_type_of(k);
		if (t < OOMSNAP_MAX_ZONE_TYPES)
			z->lowmem_reserve[t] = BPF_CORE_READ(zone, lowmem_reserve[k]);
	}
	z->vmstat[OOMSNAP_ZV_INACTIVE_ANON] = ZSTAT(zone, NR_ZONE_INACTIVE_ANON);
	z->vmstat[OOMSNAP_ZV_ACTIVE_ANON] = ZSTAT(zone, NR_ZONE_ACTIVE_ANON);
	z->vmstat[OOMSNAP_ZV_INACTIVE_FILE] = ZSTAT(zone, NR_ZONE_INACTIVE_FILE);
	z->vmstat[OOMSNAP_ZV_ACTIVE_FILE] = ZSTAT(zone, NR_ZONE_ACTIVE_FILE);
	z->vmstat[OOMSNAP_ZV_UNEVICTABLE] = ZSTAT(zone, NR_ZONE_UNEVICTABLE);
	z->vmstat[OOMSNAP_ZV_WRITE_PENDING] = ZSTAT(zone, NR_ZONE_WRITE_PENDING);
	z->vmstat[OOMSNAP_ZV_MLOCK] = ZSTAT(zone, NR_MLOCK);
	z->vmstat[OOMSNAP_ZV_BOUNCE] = ZSTAT(zone, NR_BOUNCE);
	z->vmstat[OOMSNAP_ZV_FREE_CMA] = ZSTAT(zone, NR_FREE_CMA_PAGES);
	/* 6.12: the free pages on the HighAtomic lists, which the watermark check subtracts */
	if (bpf_core_field_exists(((struct zone___hafree *)zone)->nr_free_highatomic)) {
		z->vmstat[OOMSNAP_ZV_FREE_HIGHATOMIC] =
			BPF_CORE_READ((struct zone___hafree *)zone, nr_free_highatomic);
		z->have |= OOMSNAP_ZONE_HAVE_FREE_HIGHATOMIC;
	}
	z->have |= OOMSNAP_ZONE_HAVE_FREE | OOMSNAP_ZONE_HAVE_WMARK |
		   OOMSNAP_ZONE_HAVE_BOOST | OOMSNAP_ZONE_HAVE_HIGHATOMIC |
		   OOMSNAP_ZONE_HAVE_RESERVE | OOMSNAP_ZONE_HAVE_MANAGED |
		   OOMSNAP_ZONE_HAVE_PRESENT | OOMSNAP_ZONE_HAVE_VMSTAT |
		   OOMSNAP_ZONE_HAVE_CMA;

	no = nr_orders();
	if (no > OOMSNAP_MAX_ORDERS)
		no = OOMSNAP_MAX_ORDERS;
	z->nr_orders = no;
	for (k = 0; k < OOMSNAP_MAX_ORDERS; k++) {
		if (k >= no)
			break;
		z->nr_free[k] = BPF_CORE_READ(zone, free_area[k].nr_free);
	}
	z->have |= OOMSNAP_ZONE_HAVE_BUDDY;

	/* pages on the per-cpu lists of this zone (mem[FREE_PCP]) */
	if (sym[OOMSNAP_SYM_PER_CPU_OFFSET] && sym[OOMSNAP_SYM_CPU_ONLINE_MASK]) {
		__u64 pcp = (__u64)BPF_CORE_READ(zone, per_cpu_pageset);

		for (cpu = 0; cpu < OOMSNAP_BPF_MAX_CPUS; cpu++) {
			__u64 bits, off;
			int cnt;

			if (cpu >= w->ncpus)
				break;
			bits = rd64(sym[OOMSNAP_SYM_CPU_ONLINE_MASK] + (cpu / 64) * 8);
			if (!(bits & (1ULL << (cpu % 64))))
				continue;
			off = rd64(sym[OOMSNAP_SYM_PER_CPU_OFFSET] + (__u64)cpu * 8);
			cnt = BPF_CORE_READ((struct per_cpu_pages *)(pcp + off), count);
			if (cnt > 0)
				w->free_pcp += cnt;
		}
	}
	return 0;
}

/*
 * One step of the migratetype walk of zone w->z: lists (order, mt) one
 * after the other, each capped at walk_limit entries.
 */
static long walk_cb(__u64 i, void *arg)
{
	struct zone_walk *w = ((struct loop_ctx *)arg)->w;
	struct oomsnap_record *rec = ((struct loop_ctx *)arg)->rec;
	struct oomsnap_zone *z;
	__u32 zi, order, mt, n;
	__u64 next;

	if (!w || !rec)
		return 1;
	zi = w->z & (OOMSNAP_MAX_ZONES - 1);
	order = w->order;
	mt = w->mt;
	if (order >= OOMSNAP_MAX_ORDERS || mt >= OOMSNAP_MAX_MIGRATETYPES)
		return 1;
	z = &rec->zones[zi];
	if (!w->head) {
		/* start list (order, mt) */
		w->head = w->zptr[zi] +
			  bpf_core_field_offset(struct zone, free_area) +
			  (__u64)order * bpf_core_type_size(struct free_area) +
			  bpf_core_field_offset(struct free_area, free_list) +
			  (__u64)mt * bpf_core_type_size(struct list_head);
		w->pos = w->head;
		w->n = 0;
	}
	n = w->n;
	next = rd64(w->pos);
	if (next && next != w->head && n < walk_limit) {
		w->pos = next;
		w->n = n + 1;
		return 0;
	}
	if (next && next != w->head)
		z->mt_capped[order] |= 1U << mt;
	else if (!next)
		w->bad = 1;	/* a list we could not read */
	z->nr_free_mt[order][mt] = n;
	/* next list */
	w->head = 0;
	if (mt + 1 >= w->nr_mt) {
		w->mt = 0;
		w->order = order + 1;
		if (order + 1 >= w->nr_orders)
			return 1;
	} else {
		w->mt = mt + 1;
	}
	return 0;
}

/*
 * The free lists change while they are walked (no zone->lock from BPF):
 * keep the counts of an order only if, uncapped, they add up to the
 * free_area's nr_free read before and after the walk.
 */
static __noinline void walk_zone(struct zone_walk *w, struct oomsnap_record *rec,
			       __u32 zi)
{
	struct oomsnap_zone *z;
	struct zone *zone;
	__u32 o, m, nmt, no;
	struct loop_ctx lc;
	bool ok = true;

	if (!w || !rec || zi >= OOMSNAP_MAX_ZONES)
		return;
	z = &rec->zones[zi];
	zone = (void *)w->zptr[zi];
	no = z->nr_orders;
	nmt = nr_migratetypes();
	if (nmt > NR_MT_KERNEL)
		nmt = NR_MT_KERNEL;
	if (!walk_limit || !zone || !no)
		return;
	w->z = zi;
	w->order = 0;
	w->mt = 0;
	w->nr_orders = no;
	w->nr_mt = nmt;
	w->head = 0;
	w->bad = 0;
	lc.w = w;
	lc.rec = rec;
	bpf_loop(OOMSNAP_MAX_ORDERS * NR_MT_KERNEL * (MT_WALK_MAX + 2), walk_cb, &lc, 0);
	for (o = 0; o < OOMSNAP_MAX_ORDERS; o++) {
		__u64 sum = 0, after;

		if (o >= no)
			break;
		if (z->mt_capped[o])
			continue;
		for (m = 0; m < NR_MT_KERNEL; m++)
			sum += z->nr_free_mt[o][m];
		after = BPF_CORE_READ(zone, free_area[o].nr_free);
		if (sum != z->nr_free[o] || sum != after)
			ok = false;
	}
	if (w->bad || !ok || w->order < no) {
		/* inconsistent: no counts rather than wrong ones */
		__builtin_memset(z->nr_free_mt, 0, sizeof(z->nr_free_mt));
		__builtin_memset(z->mt_capped, 0, sizeof(z->mt_capped));
		return;
	}
	/* kernel migratetype index -> record column (CMA kept at its index) */
	if (!bpf_core_enum_value_exists(enum migratetype___x, MIGRATE_CMA___x) && nmt > 4) {
		for (o = 0; o < OOMSNAP_MAX_ORDERS; o++) {
			z->nr_free_mt[o][MT_COL_ISOLATE] = z->nr_free_mt[o][MT_COL_CMA];
			z->nr_free_mt[o][MT_COL_CMA] = 0;
			if (z->mt_capped[o] & (1U << MT_COL_CMA))
				z->mt_capped[o] = (z->mt_capped[o] & ~(1U << MT_COL_CMA)) |
						  (1U << MT_COL_ISOLATE);
		}
	}
	z->nr_migratetypes = MT_COL_NR;
	z->have |= OOMSNAP_ZONE_HAVE_MT;
}

static __noinline void capture_zones(struct oomsnap_record *rec, __u32 level)
{
	struct zone_walk *w = bpf_map_lookup_elem(&zone_walks, &level);
	struct loop_ctx lc;
	__u32 nid, zi;

	if (!w || !rec)
		return;
	__builtin_memset(w, 0, sizeof(*w));
	if (!sym[OOMSNAP_SYM_NODE_DATA] || !sym[OOMSNAP_SYM_NODE_STATES])
		return;
	/* for_each_online_node(): node_states[N_ONLINE] */
	for (nid = 0; nid < OOMSNAP_BPF_MAX_NODES; nid++) {
		__u64 mask = rd64(sym[OOMSNAP_SYM_NODE_STATES] +
				  bpf_core_enum_value(enum node_states, N_ONLINE) *
				  bpf_core_type_size(nodemask_t) + (nid / 64) * 8);

		if (mask & (1ULL << (nid % 64)))
			w->pgdat[nid] = rd64(sym[OOMSNAP_SYM_NODE_DATA] + nid * 8);
	}
	w->zones_per_node = nr_zone_types();
	w->ncpus = rd32(sym[OOMSNAP_SYM_NR_CPU_IDS]);
	lc.w = w;
	lc.rec = rec;
	bpf_loop(OOMSNAP_BPF_MAX_NODES * 8, zone_cb, &lc, 0);
	rec->walk_limit = walk_limit;
	rec->have |= OOMSNAP_HAVE_ZONES;
	for (zi = 0; zi < OOMSNAP_MAX_ZONES; zi++) {
		if (zi >= rec->nr_zones)
			break;
		walk_zone(w, rec, zi);
	}
	mem_set(rec, OOMSNAP_MEM_FREE_PCP, w->free_pcp);
	mem_set(rec, OOMSNAP_MEM_RESERVED, w->reserved);
}

/* ---------------------------------------------------------------------- */
/* Global counters */

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

/* ---------------------------------------------------------------------- */
/* The whole snapshot */

static __always_inline __u32 context_level(__u32 pc)
{
	if (pc & PC_HARDIRQ_MASK)
		return 2;
	if (pc & PC_SOFTIRQ_OFFSET)
		return 1;
	return 0;
}

#define CAP_IN_IRQ	0x10	/* flags of capture(): level in the low bits */
#define CAP_TASKS	0x20	/* may walk the task list */

static __noinline void capture(struct oomsnap_bpf_event *ev, void *ctx,
			       __u32 type, __u32 flags,
			       struct mem_cgroup *memcg)
{
	struct task_struct *cur = (void *)bpf_get_current_task();
	bool in_irq = flags & CAP_IN_IRQ;
	__u32 level = flags & 3;
	struct oomsnap_record *rec;

	if (!ev)
		return;
	rec = &ev->rec;
	rec->size = sizeof(*rec);
	rec->magic = OOMSNAP_MAGIC;
	rec->seq = __sync_add_and_fetch(&last_seq, 1);
	rec->type = type;
	rec->cpu = bpf_get_smp_processor_id();
	rec->time_ns = bpf_ktime_get_ns();
	rec->page_size = 1U << page_shift;
	rec->kernel_era = kernel_era;
	rec->in_irq = in_irq;
	rec->constraint = OOMSNAP_CONSTRAINT_UNKNOWN;

	describe_task(&rec->task, cur, in_irq ? NULL : BPF_CORE_READ(cur, mm));
	rec->have |= OOMSNAP_HAVE_TASK;

	ev->stack_bytes = bpf_get_stack(ctx, ev->stack_ips, sizeof(ev->stack_ips), 0);

	if (memcg)
		capture_memcg(ev, memcg);
	else if (!in_irq)
		capture_memcg(ev, task_memcg(cur));

	capture_zones(rec, level);
	capture_mem(ev);
	if (flags & CAP_TASKS)
		capture_tasks(rec, level);
	else
		rec->tasks_status = OOMSNAP_ATOMIC_CONTEXT;
	/* slab_caches is walked under slab_mutex: no BPF program may take it */
	rec->slabs_status = OOMSNAP_ATOMIC_CONTEXT;
	rec->xen_status = rd32(sym[OOMSNAP_SYM_XEN_DOMAIN_TYPE]) ?
			  OOMSNAP_NOT_CAPTURED : OOMSNAP_NOT_XEN;
}

static __always_inline void set_request(struct oomsnap_record *rec, __u64 gfp,
					int order)
{
	rec->gfp_raw = gfp;
	rec->order = order;
	rec->have |= OOMSNAP_HAVE_GFP | OOMSNAP_HAVE_ORDER;
}

/* ---------------------------------------------------------------------- */
/* OOMs */

/*
 * Send the call's record, if it is filled and nobody else sends it: the
 * victim's tracepoint, the timer and the next call may all try.
 */
static __always_inline bool send_call(struct oom_call *c)
{
	bool sent;

	if (__sync_val_compare_and_swap(&c->state, CALL_FILLED, CALL_SENDING) !=
	    CALL_FILLED)
		return false;
	sent = !bpf_ringbuf_output(&events, &c->s.ev, sizeof(c->s.ev), 0);
	count(sent ? OOMSNAP_BPF_CAPTURED : OOMSNAP_BPF_SKIPPED_BUSY);
	__sync_lock_test_and_set(&c->state, CALL_SENT);
	return sent;
}

/*
 * Whether the call is still running: its task still owns oom_lock (every
 * caller of out_of_memory() holds it across the call). Where the lock can't
 * be read (no symbol; an RT kernel's mutex has no owner word) a call is
 * taken as over after one round of the timer.
 */
static __always_inline bool call_running(const struct oom_call *c)
{
	struct mutex *lock = (void *)sym[OOMSNAP_SYM_OOM_LOCK];
	__u64 owner;

	if (!lock || !bpf_core_field_exists(lock->owner))
		return false;
	owner = BPF_CORE_READ(lock, owner.counter);
	return (owner & ~MUTEX_FLAGS) == c->task;
}

/* The timer: a call that marked no victim is sent once it is over. */
static int call_over(void *map, __u32 *key, struct oom_call *c)
{
	if (c->state != CALL_FILLED)
		return 0;
	if (call_running(c) && c->rearmed < CALL_POLL_MAX) {
		c->rearmed++;
		bpf_timer_start(&c->timer, CALL_POLL_NS, 0);
		return 0;
	}
	send_call(c);
	return 0;
}

SEC("fentry/out_of_memory")
int BPF_PROG(oom_enter, struct oom_control *oc)
{
	struct mem_cgroup *memcg = BPF_CORE_READ(oc, memcg);
	__u32 z = 0, pc;
	struct oom_slot *zs = bpf_map_lookup_elem(&zero, &z);
	struct oom_call *c = bpf_map_lookup_elem(&oom_call, &z);
	struct oomsnap_record *rec;
	nodemask_t *nm;

	count(memcg ? OOMSNAP_BPF_MEMCG_OOM : OOMSNAP_BPF_OOM);
	if (!zs || !c)
		return 0;
	/* we hold oom_lock: the last call is over, send what it left */
	send_call(c);
	if (c->state == CALL_SENDING) {
		/* the timer is sending it on another CPU right now */
		count(OOMSNAP_BPF_SKIPPED_BUSY);
		return 0;
	}
	c->state = CALL_FILLING;
	bpf_probe_read_kernel(&c->s, sizeof(c->s), zs);
	c->s.oc = (__u64)oc;
	c->task = bpf_get_current_task();
	c->rearmed = 0;
	pc = preempt_count();
	capture(&c->s.ev, ctx,
		memcg ? OOMSNAP_EVENT_MEMCG_OOM : OOMSNAP_EVENT_OOM,
		CAP_TASKS | (pc & (PC_NMI_MASK | PC_HARDIRQ_MASK | PC_SOFTIRQ_OFFSET) ?
			     CAP_IN_IRQ : 0), memcg);
	rec = &c->s.ev.rec;
	set_request(rec, BPF_CORE_READ(oc, gfp_mask), BPF_CORE_READ(oc, order));
	nm = BPF_CORE_READ(oc, nodemask);
	rec->nodemask = nm ? BPF_CORE_READ(nm, bits[0]) : 0;
	rec->have |= OOMSNAP_HAVE_NODEMASK;
	if (memcg) {
		rec->constraint = OOMSNAP_CONSTRAINT_MEMCG;
		rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	}
	c->state = CALL_FILLED;
	/* -EBUSY once initialised: the same timer serves every call */
	bpf_timer_init(&c->timer, &oom_call, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&c->timer, call_over);
	bpf_timer_start(&c->timer, CALL_POLL_NS, 0);
	return 0;
}

static __always_inline __u32 constraint_of(__u32 c)
{
	if (c == bpf_core_enum_value(enum oom_constraint, CONSTRAINT_NONE))
		return OOMSNAP_CONSTRAINT_NONE;
	if (c == bpf_core_enum_value(enum oom_constraint, CONSTRAINT_CPUSET))
		return OOMSNAP_CONSTRAINT_CPUSET;
	if (c == bpf_core_enum_value(enum oom_constraint, CONSTRAINT_MEMORY_POLICY))
		return OOMSNAP_CONSTRAINT_MEMORY_POLICY;
	if (c == bpf_core_enum_value(enum oom_constraint, CONSTRAINT_MEMCG))
		return OOMSNAP_CONSTRAINT_MEMCG;
	return OOMSNAP_CONSTRAINT_UNKNOWN;
}

/*
 * The victim completes the call's record, which goes out at once: the
 * kernel has printed its report of this OOM already, and the kill message
 * follows. A memcg group kill marks several victims: the first is kept.
 */
SEC("tp_btf/mark_victim")
int BPF_PROG(mark_victim, struct task_struct *task)
{
	__u32 z = 0;
	struct oom_call *c = bpf_map_lookup_elem(&oom_call, &z);
	struct oomsnap_record *rec;
	struct oom_control *oc;

	count(OOMSNAP_BPF_VICTIMS);
	if (!c || c->state != CALL_FILLED || c->task != bpf_get_current_task()) {
		count(OOMSNAP_BPF_VICTIMS_UNJOINED);
		return 0;
	}
	rec = &c->s.ev.rec;
	/* mark_oom_victim() pinned the victim's mm in signal->oom_mm */
	describe_task(&rec->victim, task, BPF_CORE_READ(task, signal, oom_mm));
	rec->victim_seq = rec->seq;
	rec->have |= OOMSNAP_HAVE_VICTIM;
	oc = (void *)c->s.oc;
	if (oc && !(rec->have & OOMSNAP_HAVE_CONSTRAINT)) {
		rec->constraint = constraint_of(BPF_CORE_READ(oc, constraint));
		rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	}
	count(send_call(c) ? OOMSNAP_BPF_VICTIMS_JOINED : OOMSNAP_BPF_VICTIMS_UNJOINED);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Allocation failures */

/* The module's token bucket, lock-free: a lost race costs a token at most. */
static __always_inline bool ratelimit_allow(__u64 now)
{
	__u64 interval = ratelimit_interval_ns, burst = ratelimit_burst;
	__u64 refilled = rl.refilled_ns, tokens = rl.tokens, elapsed, add;
	int i;

	if (!interval)
		return true;
	if (tokens == ~0ULL) {		/* first use */
		rl.tokens = burst;
		rl.refilled_ns = now;
		tokens = burst;
		refilled = now;
	}
	elapsed = now > refilled ? now - refilled : 0;
	if (elapsed >= interval) {
		rl.tokens = burst;
		rl.refilled_ns = now;
	} else if (tokens < burst) {
		add = elapsed * burst / interval;
		if (add) {
			rl.tokens = tokens + add > burst ? burst : tokens + add;
			rl.refilled_ns = refilled + add * interval / burst;
		}
	} else {
		rl.refilled_ns = now;
	}
	for (i = 0; i < 4; i++) {
		tokens = rl.tokens;
		if (!tokens || tokens == ~0ULL)
			return false;
		if (__sync_val_compare_and_swap(&rl.tokens, tokens, tokens - 1) == tokens)
			return true;
	}
	return false;
}

static __always_inline __u32 fail_class(__u64 gfp)
{
	if (!(gfp & gfpb.direct_reclaim))
		return (gfp & gfpb.high) ? 0 : 1;	/* atomic : nowait */
	if (!(gfp & gfpb.io))
		return 2;
	if (!(gfp & gfpb.fs))
		return 3;
	if (gfp & gfpb.hardwall)
		return (gfp & gfpb.movable) ? 6 : 5;
	return 4;
}

static __always_inline int alloc_failure(void *ctx, __u32 order, __u64 gfp)
{
	__u32 pc, level, z = 0, *busy, o = order, cls = fail_class(gfp);
	struct oom_slot *s, *zs;
	bool in_irq;

	count(OOMSNAP_BPF_ALLOC_FAILURE);
	barrier_var(o);
	barrier_var(cls);
	if (o > 15)
		o = 15;
	o &= 15;
	cls &= 7;
	__sync_fetch_and_add(&stats.failures_by_order[o], 1);
	if (cls < OOMSNAP_BPF_FAIL_CLASSES)
		__sync_fetch_and_add(&stats.failures_by_class[cls], 1);
	if (gfp & gfpb.nowarn) {
		count(OOMSNAP_BPF_NOWARN_FAILURES);
		if (!capture_nowarn) {
			count(OOMSNAP_BPF_DROPPED_NOWARN);
			return 0;
		}
	}
	if (!ratelimit_allow(bpf_ktime_get_ns())) {
		count(OOMSNAP_BPF_DROPPED_RATELIMIT);
		return 0;
	}
	pc = preempt_count();
	if (pc & PC_NMI_MASK) {
		count(OOMSNAP_BPF_SKIPPED_RECURSION);
		return 0;
	}
	level = context_level(pc);
	in_irq = (pc & (PC_HARDIRQ_MASK | PC_SOFTIRQ_OFFSET)) != 0;
	busy = bpf_map_lookup_elem(&levels, &z);
	s = bpf_map_lookup_elem(&scratch, &level);
	zs = bpf_map_lookup_elem(&zero, &z);
	if (!busy || !s || !zs || level > 2)
		return 0;
	if (*busy & (1U << level)) {
		count(OOMSNAP_BPF_SKIPPED_RECURSION);
		return 0;
	}
	*busy |= 1U << level;
	bpf_probe_read_kernel(s, sizeof(*s), zs);
	/* the module walks tasks only where it may sleep */
	capture(&s->ev, ctx, OOMSNAP_EVENT_ALLOC_FAILURE,
		level | (in_irq ? CAP_IN_IRQ : 0) |
		(!in_irq && (gfp & gfpb.direct_reclaim) ? CAP_TASKS : 0), NULL);
	set_request(&s->ev.rec, gfp, order);
	if (!have_preempt_count())
		s->ev.rec.in_irq = 0;
	/*
	 * No wakeup: the kernel prints its report of this failure right after;
	 * the reader finds the record at its next poll (200 ms) instead of
	 * running, and changing what is about to be printed, in between.
	 */
	if (bpf_ringbuf_output(&events, &s->ev, sizeof(s->ev), BPF_RB_NO_WAKEUP))
		count(OOMSNAP_BPF_SKIPPED_BUSY);
	else
		count(OOMSNAP_BPF_CAPTURED);
	*busy &= ~(1U << level);
	return 0;
}

/*
 * Allocation failures, default hook: warn_alloc(), which the page allocator
 * calls on every failure it returns from its slow path (with __GFP_NOWARN
 * too: the test is inside), and only then: the success path pays nothing.
 * warn_alloc() also reports vmalloc failures: only "page allocation
 * failure" is one. The order is its first variadic argument (4th register).
 */
/* file scope: a function's static would be "warn_alloc_kp.want" in BTF, a name 6.1 rejects */
const volatile char page_failure_fmt[] = "page allocation failure";

SEC("kprobe/warn_alloc")
int BPF_KPROBE(warn_alloc_kp, gfp_t gfp, void *nodemask, const char *fmt)
{
	char buf[sizeof(page_failure_fmt)];
	int i;

	if (bpf_probe_read_kernel_str(buf, sizeof(buf), fmt) < 0)
		return 0;
	for (i = 0; i < sizeof(page_failure_fmt) - 1; i++)
		if (buf[i] != page_failure_fmt[i])
			return 0;
	return alloc_failure(ctx, (__u32)PT_REGS_PARM4(ctx), gfp);
}

/*
 * The module's hook (--alloc-hook tracepoint): the end of every
 * __alloc_pages(), page == NULL on failure. Every allocation runs it.
 */
SEC("tp_btf/mm_page_alloc")
int BPF_PROG(page_alloc, struct page *page, unsigned int order, gfp_t gfp,
	     int migratetype)
{
	if (page)
		return 0;
	return alloc_failure(ctx, order, gfp);
}
