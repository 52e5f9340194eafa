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
 *
 * One program, one translation unit: its parts are the *.bpf.h files
 * included below, in the order they build on each other (tasks, memcg,
 * zones and the global counters that capture() puts together; then the
 * hooks, OOMs and allocation failures). Every helper stays static, so the
 * verifier checks each with what its caller passes.
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

#define PC_SOFTIRQ_OFFSET	0x00000100
#define PC_HARDIRQ_MASK		0x000f0000
#define PC_NMI_MASK		0x00f00000

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
/* The way out: the ring buffer, and the slots a record is filled in */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* An event being filled, and the oom_control of an OOM's. */
struct oom_slot {
	struct oomsnap_bpf_event ev;
	__u64 oc;
};

/* Never written: the zeroes a fresh slot starts from. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct oom_slot);
} zero SEC(".maps");

/* Global data: counters, sequence. */
struct oomsnap_bpf_stats stats;
__u64 last_seq;

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

/* bpf_loop() wants its context on the stack (6.1): a pointer to the map value */
struct loop_ctx {
	void *w;
	struct oomsnap_record *rec;	/* a pointer read from a map is a number */
};

#include "tasks.bpf.h"
#include "memcg.bpf.h"
#include "zones.bpf.h"
#include "mem.bpf.h"

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

#include "oom.bpf.h"
#include "alloc.bpf.h"
