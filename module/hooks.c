// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks, and why each one:
 *
 *  kprobe out_of_memory  every OOM, global or memcg, passes here with its
 *                        struct oom_control: stash it for the other hooks,
 *                        and capture memcg OOMs (no notifier runs for them).
 *  OOM notifier chain    global OOMs, in the allocating task's context;
 *                        gets no oom_control, hence the stash.
 *  oom:mark_victim       the task the OOM killer chose: joined to the
 *                        record of the OOM it was chosen for.
 *  kmem:mm_page_alloc    fires at the end of every __alloc_pages(), with
 *                        page == NULL on failure; the success path costs
 *                        one predictable branch.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/kprobes.h>
#include <linux/oom.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "compat.h"
#include "event.h"
#include "hooks.h"
#include "stats.h"

/*
 * The oom_control of the out_of_memory() call in progress. out_of_memory()
 * runs with oom_lock held on every path (the page allocator takes it in
 * __alloc_pages_may_oom(), memcg in mem_cgroup_out_of_memory(), sysrq-f in
 * moom_callback()), so there is one call at a time and one stash is
 * enough. The notifier and mark_victim only run inside out_of_memory();
 * task and nmissed guard against trusting a stash from an earlier call
 * (the pointer is to the caller's stack and dies with it).
 */
static struct {
	struct oom_control *oc;
	struct task_struct *task;
	unsigned long nmissed;
	u64 seq;			/* the record of this OOM, 0 if none */
} oom_stash;

static int oom_entry(struct kprobe *kp, struct pt_regs *regs);

static struct kprobe oom_kprobe = {
	.symbol_name	= "out_of_memory",
	.pre_handler	= oom_entry,
};

/* The stashed oom_control, if it belongs to the call we are inside of. */
static struct oom_control *current_oc(void)
{
	if (oom_stash.task != current || oom_stash.nmissed != oom_kprobe.nmissed)
		return NULL;
	return oom_stash.oc;
}

u64 oomsnap_hooks_oom_seq(void)
{
	return current_oc() ? oom_stash.seq : 0;
}

static int oom_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct oom_control *oc =
		(struct oom_control *)regs_get_kernel_argument(regs, 0);
	struct oomsnap_request req = {
		.type = OOMSNAP_EVENT_MEMCG_OOM,
		.have_gfp = true,
		.have_nodemask = true,
		/* out_of_memory() may sleep: no spinlock is held here */
		.may_lock = true,
	};

	oom_stash.oc = oc;
	oom_stash.task = current;
	oom_stash.nmissed = kp->nmissed;
	oom_stash.seq = 0;
	if (!oc->memcg)
		return 0;	/* global: the notifier captures it */

	oomsnap_stats_inc(OOMSNAP_COUNTER_MEMCG_OOM);
	req.gfp = oc->gfp_mask;
	req.order = oc->order;
	req.nodemask = oc->nodemask;
	req.memcg = oc->memcg;
	oom_stash.seq = oomsnap_event_capture(&req);
	return 0;
}

static int oom_notify(struct notifier_block *nb, unsigned long unused,
		      void *freed)
{
	struct oom_control *oc = current_oc();
	struct oomsnap_request req = {
		.type = OOMSNAP_EVENT_OOM,
		.may_lock = true,	/* a blocking notifier chain */
	};

	oomsnap_stats_inc(OOMSNAP_COUNTER_OOM);
	if (oc) {
		/* sysrq-f: order -1, gfp 0 */
		req.have_gfp = true;
		req.gfp = oc->gfp_mask;
		req.order = oc->order;
		req.have_nodemask = true;
		req.nodemask = oc->nodemask;
	}
	oom_stash.seq = oomsnap_event_capture(&req);
	return NOTIFY_OK;
}

static struct notifier_block oom_nb = {
	.notifier_call = oom_notify,
};

static u32 constraint_of(enum oom_constraint c)
{
	switch (c) {
	case CONSTRAINT_NONE:
		return OOMSNAP_CONSTRAINT_NONE;
	case CONSTRAINT_CPUSET:
		return OOMSNAP_CONSTRAINT_CPUSET;
	case CONSTRAINT_MEMORY_POLICY:
		return OOMSNAP_CONSTRAINT_MEMORY_POLICY;
	case CONSTRAINT_MEMCG:
		return OOMSNAP_CONSTRAINT_MEMCG;
	}
	return OOMSNAP_CONSTRAINT_UNKNOWN;
}

/*
 * Called by mark_oom_victim(), often under task_lock(victim): don't take
 * it again. The victim's mm is pinned in signal->oom_mm just before.
 */
static void victim_probe(void *data, OOMSNAP_MARK_VICTIM_ARGS)
{
	struct oom_control *oc = current_oc();
	struct oomsnap_task victim = {};
	struct task_struct *tsk;

#ifdef OOMSNAP_MARK_VICTIM_HAS_TASK
	tsk = task;
#else
	rcu_read_lock();
	tsk = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (!tsk) {
		rcu_read_unlock();
		oomsnap_event_join_victim(0, &victim, false, 0);
		return;
	}
#endif
	oomsnap_describe_task(&victim, tsk, READ_ONCE(tsk->signal->oom_mm));
#ifndef OOMSNAP_MARK_VICTIM_HAS_TASK
	rcu_read_unlock();
#endif
	oomsnap_event_join_victim(oc ? oom_stash.seq : 0, &victim, oc,
				  oc ? constraint_of(oc->constraint) : 0);
}

static void page_alloc_probe(void *data, struct page *page,
			     unsigned int order, gfp_t gfp, int migratetype)
{
	if (likely(page))
		return;
	oomsnap_event_alloc_failure(order, gfp);
}

/* ---------------------------------------------------------------------- */

struct tp_hook {
	const char *name;
	void *probe;
	struct tracepoint *tp;
};

static struct tp_hook victim_hook = {
	.name = "mark_victim", .probe = victim_probe,
};

static struct tp_hook alloc_hook = {
	.name = "mm_page_alloc", .probe = page_alloc_probe,
};

static void find_tracepoint(struct tracepoint *tp, void *priv)
{
	struct tp_hook *hook = priv;

	if (!strcmp(tp->name, hook->name))
		hook->tp = tp;
}

static int tp_hook_register(struct tp_hook *hook)
{
	int err;

	for_each_kernel_tracepoint(find_tracepoint, hook);
	if (!hook->tp) {
		pr_err("tracepoint %s not found\n", hook->name);
		return -ENOENT;
	}
	err = tracepoint_probe_register(hook->tp, hook->probe, NULL);
	if (err)
		pr_err("tracepoint %s: register failed (%d)\n", hook->name, err);
	return err;
}

static void tp_hook_unregister(struct tp_hook *hook)
{
	tracepoint_probe_unregister(hook->tp, hook->probe, NULL);
}

int oomsnap_hooks_register(void)
{
	int err;

	err = register_kprobe(&oom_kprobe);
	if (err) {
		pr_err("kprobe on out_of_memory failed (%d)\n", err);
		return err;
	}
	err = register_oom_notifier(&oom_nb);
	if (err)
		goto unregister_kprobe;
	err = tp_hook_register(&victim_hook);
	if (err)
		goto unregister_notifier;
	err = tp_hook_register(&alloc_hook);
	if (err)
		goto unregister_victim;
	return 0;

unregister_victim:
	tp_hook_unregister(&victim_hook);
unregister_notifier:
	unregister_oom_notifier(&oom_nb);
unregister_kprobe:
	unregister_kprobe(&oom_kprobe);
	tracepoint_synchronize_unregister();
	return err;
}

void oomsnap_hooks_unregister(void)
{
	tp_hook_unregister(&alloc_hook);
	tp_hook_unregister(&victim_hook);
	unregister_oom_notifier(&oom_nb);
	unregister_kprobe(&oom_kprobe);
	/* no probe may still be running once we return */
	tracepoint_synchronize_unregister();
}
