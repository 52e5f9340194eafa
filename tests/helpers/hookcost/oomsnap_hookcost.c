// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap_hookcost: one candidate allocation-failure hook alone, so that
 * bench/hook-cost.sh can measure what each costs the page allocator when
 * nothing fails, side by side in one boot, and bench/oom-latency.sh can time
 * an OOM from out_of_memory() to the kill. Test-only; never part of
 * oomsnap.ko. Each hook does what a capturing hook must do at least: tell a
 * failure from a success, and count the failures.
 *
 *   hook=tracepoint   kmem:mm_page_alloc, page == NULL test (oomsnap.ko's)
 *   hook=slowpath     kretprobe on the allocator's slow path (sym= its name
 *                     in kallsyms, e.g. __alloc_pages_slowpath.constprop.0)
 *   hook=warn_alloc   kprobe on warn_alloc() (entered before its NOWARN test)
 *   hook=kmem_charge  kretprobe on __memcg_kmem_charge_page() (non-zero: the
 *                     memcg refused a __GFP_ACCOUNT page)
 *   hook=count        kmem:mm_page_alloc, counting every call (allocations
 *                     per run; not a candidate)
 *   hook=oomtime      kprobe on out_of_memory() and oom:mark_victim: the time
 *                     from the call's entry to its victim, in local_clock()
 *                     ns (under QEMU -icount shift=0: instructions)
 *
 * Read-only parameters report: hits (probe runs; count: allocations),
 * fails (failures seen), oom_ns (oomtime: the last call's entry to victim),
 * ooms (oomtime: victims timed).
 *
 * Load this module after oomsnap.ko for oomtime: a kprobe added later runs
 * first at a shared address, so the entry stamp precedes oomsnap's memcg
 * capture; the victim probe runs before oomsnap's (higher priority), so the
 * stretch ends at the kill signal, before oomsnap publishes its record.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/kmem.h>
#include <trace/events/oom.h>

static char *hook = "tracepoint";
module_param(hook, charp, 0444);
MODULE_PARM_DESC(hook, "tracepoint, slowpath, warn_alloc, kmem_charge, count, oomtime");

static char *sym;
module_param(sym, charp, 0444);
MODULE_PARM_DESC(sym, "the probed function's name (slowpath: required)");

static unsigned long hits;
module_param(hits, ulong, 0444);
MODULE_PARM_DESC(hits, "probe runs (count: allocations)");

static unsigned long fails;
module_param(fails, ulong, 0444);
MODULE_PARM_DESC(fails, "failures seen");

static unsigned long long oom_ns;
module_param(oom_ns, ullong, 0444);
MODULE_PARM_DESC(oom_ns, "oomtime: out_of_memory() entry to the last victim");

static unsigned long ooms;
module_param(ooms, ulong, 0444);
MODULE_PARM_DESC(ooms, "oomtime: victims timed");

/* ---------------------------------------------------------------------- */

static void fail_probe(void *data, struct page *page, unsigned int order,
		       gfp_t gfp, int migratetype)
{
	if (likely(page))
		return;
	fails++;
}

static void count_probe(void *data, struct page *page, unsigned int order,
			gfp_t gfp, int migratetype)
{
	hits++;
	if (!page)
		fails++;
}

static int ret_null_handler(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	hits++;
	if (!regs_return_value(regs))
		fails++;
	return 0;
}

static int ret_error_handler(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	hits++;
	if (regs_return_value(regs))
		fails++;
	return 0;
}

static int warn_alloc_entry(struct kprobe *kp, struct pt_regs *regs)
{
	hits++;
	fails++;
	return 0;
}

/* oomtime: the call being timed, serialised by oom_lock */
static struct task_struct *oom_task;
static u64 oom_start;

static int oom_entry(struct kprobe *kp, struct pt_regs *regs)
{
	oom_start = local_clock();
	WRITE_ONCE(oom_task, current);
	hits++;
	return 0;
}

#ifdef HOOKCOST_MARK_VICTIM_HAS_TASK
static void victim_probe(void *data, struct task_struct *task, uid_t uid)
#else
static void victim_probe(void *data, int pid)
#endif
{
	u64 now = local_clock();

	if (READ_ONCE(oom_task) != current)
		return;
	oom_ns = now - oom_start;
	ooms++;
	WRITE_ONCE(oom_task, NULL);
}

static inline void check_probe_types(void)
{
	check_trace_callback_type_mm_page_alloc(fail_probe);
	check_trace_callback_type_mm_page_alloc(count_probe);
	check_trace_callback_type_mark_victim(victim_probe);
}

/* ---------------------------------------------------------------------- */

struct tp_find {
	const char *name;
	struct tracepoint *tp;
};

static void find_tracepoint(struct tracepoint *tp, void *priv)
{
	struct tp_find *f = priv;

	if (!strcmp(tp->name, f->name))
		f->tp = tp;
}

static struct tracepoint *tp_by_name(const char *name)
{
	struct tp_find f = { .name = name };

	for_each_kernel_tracepoint(find_tracepoint, &f);
	if (!f.tp)
		pr_err("tracepoint %s not found\n", name);
	return f.tp;
}

static struct tracepoint *alloc_tp, *victim_tp;
static void *alloc_probe;
static struct kprobe kp;
static struct kretprobe krp;
static bool kp_on, krp_on;

static int kretprobe_on(const char *name,
			int (*handler)(struct kretprobe_instance *,
				       struct pt_regs *))
{
	int err;

	krp.kp.symbol_name = name;
	krp.handler = handler;
	krp.maxactive = 64;
	err = register_kretprobe(&krp);
	if (err)
		pr_err("kretprobe on %s failed (%d)\n", name, err);
	krp_on = !err;
	return err;
}

static int kprobe_on(const char *name, kprobe_pre_handler_t handler)
{
	int err;

	kp.symbol_name = name;
	kp.pre_handler = handler;
	err = register_kprobe(&kp);
	if (err)
		pr_err("kprobe on %s failed (%d)\n", name, err);
	kp_on = !err;
	return err;
}

static void unhook(void)
{
	if (alloc_tp)
		tracepoint_probe_unregister(alloc_tp, alloc_probe, NULL);
	if (victim_tp)
		tracepoint_probe_unregister(victim_tp, victim_probe, NULL);
	if (kp_on)
		unregister_kprobe(&kp);
	if (krp_on)
		unregister_kretprobe(&krp);
	tracepoint_synchronize_unregister();
}

static int hook_alloc_tp(void *probe)
{
	int err;

	alloc_tp = tp_by_name("mm_page_alloc");
	if (!alloc_tp)
		return -ENOENT;
	alloc_probe = probe;
	err = tracepoint_probe_register(alloc_tp, probe, NULL);
	if (err)
		alloc_tp = NULL;
	return err;
}

static int hook_oomtime(void)
{
	struct tracepoint *tp = tp_by_name("mark_victim");
	int err;

	if (!tp)
		return -ENOENT;
	/* above the default priority: before oomsnap's victim probe */
	err = tracepoint_probe_register_prio(tp, victim_probe, NULL,
					     TRACEPOINT_DEFAULT_PRIO + 1);
	if (err)
		return err;
	victim_tp = tp;
	return kprobe_on("out_of_memory", oom_entry);
}

static int __init hookcost_init(void)
{
	int err;

	check_probe_types();
	if (!strcmp(hook, "tracepoint")) {
		err = hook_alloc_tp(fail_probe);
	} else if (!strcmp(hook, "count")) {
		err = hook_alloc_tp(count_probe);
	} else if (!strcmp(hook, "slowpath")) {
		err = sym ? kretprobe_on(sym, ret_null_handler) : -EINVAL;
	} else if (!strcmp(hook, "warn_alloc")) {
		err = kprobe_on(sym ?: "warn_alloc", warn_alloc_entry);
	} else if (!strcmp(hook, "kmem_charge")) {
		err = kretprobe_on(sym ?: "__memcg_kmem_charge_page",
				   ret_error_handler);
	} else if (!strcmp(hook, "oomtime")) {
		err = hook_oomtime();
	} else {
		pr_err("unknown hook '%s'\n", hook);
		err = -EINVAL;
	}
	if (err) {
		unhook();
		return err;
	}
	pr_info("hook %s%s%s\n", hook, sym ? " on " : "", sym ?: "");
	return 0;
}

static void __exit hookcost_exit(void)
{
	unhook();
	if (krp_on && krp.nmissed)
		pr_info("kretprobe missed %d returns\n", krp.nmissed);
}

module_init(hookcost_init);
module_exit(hookcost_exit);
MODULE_DESCRIPTION("oomsnap test helper: candidate failure hooks, alone");
MODULE_LICENSE("GPL");
