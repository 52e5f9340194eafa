// SPDX-License-Identifier: GPL-2.0
/*
 * The top tasks by RSS of a record (see capture.h). For a memcg OOM the
 * processes of the OOMing memcg and its descendants, the ones the kernel's
 * own task dump lists (dump_tasks() through mem_cgroup_scan_tasks()); for
 * every other event every process of the host (for_each_process(), under
 * RCU).
 *
 * Bound: every task looked at counts against the scan limit, kernel
 * threads, threads that are not a group leader and threads of a process
 * whose leader has exited included; every memcg of the memcg walk counts
 * against a budget of its own, as large. The walk's length is bounded by
 * the limit alone, whatever the task lists and the cgroup tree hold.
 *
 * The memcg walk. mem_cgroup_scan_tasks() and css_task_iter_start/next/end
 * are not exported to modules (6.1, 6.12), and calling kernel text that is
 * not exported through a looked-up address is no option (with IBT, as on
 * Debian's 6.12, such a function has no ENDBR to land on). What the
 * iterator walks is public (cgroup-defs.h) and so is walked here, as it
 * does: the css's cgroup lists in e_csets[memory_cgrp_id] every css_set
 * whose memory css is this one, and each css_set holds its tasks on
 * ->tasks, ->mg_tasks (being migrated) and ->dying_tasks (exiting). Those
 * lists change only under css_set_lock, which symbols.c resolves like the
 * other data symbols; the descendants come from css_next_descendant_pre()
 * (exported) under RCU. Like the kernel's CSS_TASK_ITER_PROCS walk, only
 * group leaders are described, and an exiting leader only while it has
 * live threads.
 *
 * Why css_set_lock is safe to take where this runs: a memcg OOM's capture
 * runs in out_of_memory() in task context, with oom_lock held and no
 * spinlock (out_of_memory() may sleep), so this CPU holds neither
 * css_set_lock nor anyone's task_lock() (other events' captures don't get
 * here: only a memcg OOM passes a memcg). It is taken irqsave, as since 6.2
 * the kernel itself may take it with IRQs already off (BPF's css task
 * iterator), and held for one css at a time. Inside it nothing is waited
 * for: the kernel nests nothing in css_set_lock that could wait for us,
 * and task_lock() is only tried, once (a thread whose lock is busy is
 * passed over, counted against the scan limit as any thread looked at), so
 * no lock order is created and nothing is waited for with IRQs off. IRQs
 * stay off for at most scan_limit tasks; the stretch is timed (stats:
 * irqoff_ns_max). PREEMPT_RT, where css_set_lock sleeps, is refused at
 * load.
 */
#include <linux/cgroup.h>
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "capture.h"
#include "stats.h"
#include "symbols.h"
#include "topn.h"

/*
 * One walk: the record it fills and its budget. The memcg walk's groups
 * (the OOMing memcg and each below it) have a budget of their own, as
 * large as the tasks': a tree of empty memcgs holds no task, yet each
 * costs a css_set_lock round trip. (A memcg's css_sets are not counted:
 * each holds tasks, which are.)
 */
struct task_walk {
	struct oomsnap_record *rec;
	unsigned int scanned;
	unsigned int groups;
	unsigned int limit;
};

/* Describe @t, whose task_lock() is held, if it has an mm. */
static bool describe_locked(struct oomsnap_task *desc, struct task_struct *t)
{
	if (!t->mm)
		return false;
	oomsnap_describe_task(desc, t, t->mm);
	return true;
}

/*
 * Describe @t under its task_lock(), only tried once when @trylock
 * (css_set_lock is held): false for a busy lock as for a thread without mm.
 */
static __always_inline bool describe_thread(struct oomsnap_task *desc,
					    struct task_struct *t,
					    bool trylock)
{
	bool found;

	if (!trylock)
		task_lock(t);
	else if (!spin_trylock(&t->alloc_lock))
		return false;
	found = describe_locked(desc, t);
	task_unlock(t);		/* spin_unlock(&t->alloc_lock) either way */
	return found;
}

/*
 * Consider the process led by @p: its RSS, from its leader or, when the
 * leader has exited, from the first thread that still has an mm. Every
 * thread looked at counts against the walk's budget. Inlined, with
 * @trylock a constant: once per process, calls' prologues and a stack
 * canary cost some 30 instructions (9 % of the walk, under icount).
 */
static __always_inline void consider_process(struct task_walk *w,
					     struct task_struct *p,
					     bool trylock)
{
	struct oomsnap_task desc = {};
	struct task_struct *t;

	for_each_thread(p, t) {
		if (w->scanned == w->limit)
			return;
		w->scanned++;
		if (describe_thread(&desc, t, trylock)) {
			oomsnap_topn_task(w->rec->tasks, &w->rec->nr_tasks, &desc);
			return;
		}
	}
}

/* Whether the walk has looked at as many tasks as it may. */
static bool walk_full(struct task_walk *w)
{
	if (w->scanned < w->limit)
		return false;
	w->rec->tasks_capped = 1;
	return true;
}

static void walk_all(struct task_walk *w)
{
	struct task_struct *p;

	rcu_read_lock();
	for_each_process(p) {
		if (walk_full(w))
			break;
		if (p->flags & PF_KTHREAD) {
			w->scanned++;
			continue;
		}
		consider_process(w, p, false);
	}
	rcu_read_unlock();
}

#ifdef CONFIG_MEMCG
/*
 * The processes on one of a css_set's task lists (css_set_lock held): as
 * CSS_TASK_ITER_PROCS, group leaders only, and on ->dying_tasks only those
 * with live threads. False once the budget is spent.
 */
static bool walk_cset_list(struct task_walk *w, struct list_head *head,
			   bool dying)
{
	struct task_struct *p;

	list_for_each_entry(p, head, cg_list) {
		if (walk_full(w))
			return false;
		if (!thread_group_leader(p) || (p->flags & PF_KTHREAD) ||
		    (dying && !atomic_read(&p->signal->live))) {
			w->scanned++;
			continue;
		}
		consider_process(w, p, true);
	}
	return true;
}

/* Count one group against its budget: false, and the walk capped, once spent. */
static bool group_budget(struct task_walk *w)
{
	if (w->groups < w->limit) {
		w->groups++;
		return true;
	}
	w->rec->tasks_capped = 1;
	return false;
}

/* The tasks whose memory css is @css: false once a budget is spent. */
static bool walk_css(struct task_walk *w, struct cgroup_subsys_state *css,
		     spinlock_t *css_set_lock)
{
	struct list_head *csets = &css->cgroup->e_csets[memory_cgrp_id];
	struct css_set *cset;
	unsigned long flags;
	bool more = true;
	u64 locked;

	spin_lock_irqsave(css_set_lock, flags);
	locked = local_clock();
	list_for_each_entry(cset, csets, e_cset_node[memory_cgrp_id]) {
		more = walk_cset_list(w, &cset->tasks, false) &&
		       walk_cset_list(w, &cset->mg_tasks, false) &&
		       walk_cset_list(w, &cset->dying_tasks, true);
		if (!more)
			break;
	}
	oomsnap_stats_peak(OOMSNAP_PEAK_IRQOFF_NS, local_clock() - locked);
	spin_unlock_irqrestore(css_set_lock, flags);
	return more;
}

/* @memcg's processes and its descendants'; false if out of reach. */
static bool walk_memcg(struct task_walk *w, struct mem_cgroup *memcg)
{
	spinlock_t *css_set_lock = oomsnap_syms.css_set_lock;
	struct cgroup_subsys_state *css;

	if (!css_set_lock)
		return false;
	rcu_read_lock();
	css_for_each_descendant_pre(css, &memcg->css)
		if (!group_budget(w) || !walk_css(w, css, css_set_lock))
			break;
	rcu_read_unlock();
	return true;
}
#else
static bool walk_memcg(struct task_walk *w, struct mem_cgroup *memcg)
{
	return false;
}
#endif

void oomsnap_capture_tasks(struct oomsnap_record *rec,
			   struct mem_cgroup *memcg, bool may_lock,
			   unsigned int scan_limit)
{
	struct task_walk w = { .rec = rec, .limit = scan_limit };

	if (!may_lock) {
		/* task_lock() is not irq-safe, and the caller may hold one */
		rec->tasks_status = OOMSNAP_ATOMIC_CONTEXT;
		return;
	}
	if (!memcg) {
		walk_all(&w);
	} else if (!walk_memcg(&w, memcg)) {
		/* not the host's tasks in place of the group's */
		rec->tasks_status = OOMSNAP_NOT_EXPORTED;
		return;
	}
	rec->tasks_scanned = w.scanned;
	rec->tasks_status = OOMSNAP_OK;
	rec->have |= OOMSNAP_HAVE_TASKS;
}
