// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks, and why each one:
 *
 *  kretprobe out_of_memory  every OOM, global or memcg, passes here with its
 *                        struct oom_control. Entry: note the call (the
 *                        other hooks trust the note only while the call
 *                        lasts) and capture memcg OOMs, which no notifier
 *                        announces. Return: publish the call's record with
 *                        its victim, then forget the call.
 *  OOM notifier chain    global OOMs, in the allocating task's context, where
 *                        everything may be captured; it gets no oom_control,
 *                        hence the note.
 *  oom:mark_victim       the task the OOM killer chose: kept with the call
 *                        and written into its record before it is published.
 *  kmem:mm_page_alloc    fires at the end of every __alloc_pages(), with
 *                        page == NULL on failure; the success path costs
 *                        one predictable branch.
 *
 * One OOM call at a time: out_of_memory() runs with oom_lock held on every
 * path (the page allocator takes it in __alloc_pages_may_oom(), memcg in
 * mem_cgroup_out_of_memory(), sysrq-f in moom_callback()), so one note and
 * one scratch record are enough. The record enters the ring complete, when
 * the call returns, so a reader gets it once, victim included.
 *
 * Storms: the allocator calls out_of_memory() again and again while a
 * victim dies, and each of those calls aborts (the kernel waits for the
 * victim). Such a call is counted as coalesced, not captured: it would
 * only lengthen the oom_lock hold and push the record of the kill out of
 * the ring. Memcg OOMs, which may come from many groups at once, are also
 * rate limited; global OOMs never are.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/cgroup.h>
#include <linux/kprobes.h>
#include <linux/memcontrol.h>
#include <linux/oom.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/sched/clock.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <trace/events/kmem.h>
#include <trace/events/oom.h>

#include "compat.h"
#include "event.h"
#include "hooks.h"
#include "stats.h"

/*
 * A victim's OOM coalesces later calls at most this long (the OOM reaper
 * gives up on a victim well before).
 */
#define COALESCE_MAX_NS		(10 * NSEC_PER_SEC)

/* The out_of_memory() call in progress; written by the kretprobe only. */
struct oom_call {
	struct task_struct *task;	/* the caller; NULL between calls */
	struct oom_control *oc;		/* the caller's, alive while task is */
	u64 memcg_id;			/* cgroup id of a memcg OOM, 0: global */
	bool filled;			/* scratch holds this call's snapshot */
	bool at_return;			/* capture when the call returns */
	bool have_victim;
	u32 constraint;
	struct pid *victim_pid;		/* a reference, for coalescing */
	struct oomsnap_task victim;
};

/* The last kill of each kind, while its victim dies. */
struct oom_kill {
	struct pid *victim;		/* a reference, or NULL */
	u64 memcg_id;
	u64 at_ns;
};

enum { KILL_GLOBAL, KILL_MEMCG, KILL_KINDS };

static struct oom_call call;
static struct oom_kill last_kill[KILL_KINDS];
static struct oomsnap_record *scratch;

/* The call we are inside of, if the kretprobe saw its entry. */
static struct oom_call *current_call(void)
{
	return READ_ONCE(call.task) == current ? &call : NULL;
}

const struct oomsnap_record *oomsnap_hooks_oom_record(void)
{
	const struct oom_call *c = current_call();

	return c && c->filled ? scratch : NULL;
}

static u64 memcg_id_of(struct mem_cgroup *memcg)
{
	return memcg ? cgroup_id(memcg->css.cgroup) : 0;
}

/* Whether @pid's task was chosen by the OOM killer and is still dying. */
static bool victim_dying(struct pid *pid)
{
	struct task_struct *t;
	struct mm_struct *mm;
	bool dying = false;

	rcu_read_lock();
	t = pid_task(pid, PIDTYPE_PID);
	if (t) {
		mm = READ_ONCE(t->signal->oom_mm);
		dying = mm && !test_bit(MMF_OOM_SKIP, &mm->flags);
	}
	rcu_read_unlock();
	return dying;
}

/*
 * Whether this call's snapshot is worth taking; if not, the reason is
 * counted. The kernel itself aborts an OOM while an earlier victim of the
 * same scope is dying without MMF_OOM_SKIP (oom_evaluate_task()).
 */
static bool want_capture(const struct oom_call *c)
{
	const struct oom_kill *k = &last_kill[c->memcg_id ? KILL_MEMCG :
						    KILL_GLOBAL];
	u64 now = local_clock();

	if (k->victim && k->memcg_id == c->memcg_id &&
	    now - k->at_ns < COALESCE_MAX_NS && victim_dying(k->victim)) {
		oomsnap_stats_inc(OOMSNAP_COUNTER_COALESCED);
		return false;
	}
	if (c->memcg_id &&
	    !oomsnap_ratelimit_allow(&oomsnap_memcg_oom_ratelimit, now)) {
		oomsnap_stats_inc(OOMSNAP_COUNTER_DROPPED_RATELIMIT);
		return false;
	}
	return true;
}

static void oc_request(struct oomsnap_request *req,
		       const struct oom_control *oc)
{
	/* sysrq-f: order -1, gfp 0 */
	req->have_gfp = true;
	req->gfp = oc->gfp_mask;
	req->order = oc->order;
	req->have_nodemask = true;
	req->nodemask = oc->nodemask;
	req->memcg = oc->memcg;
	/* out_of_memory() may sleep: no spinlock is held around it */
	req->may_lock = true;
	req->may_spin = true;
}

static void capture_memcg_oom(struct oom_call *c)
{
	struct oomsnap_request req = { .type = OOMSNAP_EVENT_MEMCG_OOM };

	oc_request(&req, c->oc);
	c->filled = oomsnap_event_capture_into(scratch, &req);
}

static int oom_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct oom_control *oc =
		(struct oom_control *)regs_get_kernel_argument(regs, 0);
	struct oom_call *c = &call;

	memset(c, 0, sizeof(*c));
	c->oc = oc;
	c->memcg_id = memcg_id_of(oc->memcg);
	WRITE_ONCE(c->task, current);
	if (!oc->memcg)
		return 0;	/* global: the notifier decides and captures */

	oomsnap_stats_inc(OOMSNAP_COUNTER_MEMCG_OOM);
	/*
	 * Plain int3 kprobes (no ftrace, not optimized) run this as an NMI:
	 * no lock may be taken here, not even the rate limit's. The call's
	 * return runs in its own context: decide and capture there, after
	 * the kill, and say so.
	 */
	if (in_nmi()) {
		c->at_return = true;
		return 0;
	}
	if (want_capture(c))
		capture_memcg_oom(c);
	return 0;
}

/* Remember the kill of this call for coalescing the calls after it. */
static void remember_kill(struct oom_call *c)
{
	struct oom_kill *k = &last_kill[c->memcg_id ? KILL_MEMCG : KILL_GLOBAL];

	put_pid(k->victim);
	k->victim = c->victim_pid;
	k->memcg_id = c->memcg_id;
	k->at_ns = local_clock();
	c->victim_pid = NULL;
}

static int oom_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct oom_call *c = current_call();
	bool joined = false;

	if (!c)
		return 0;
	if (c->at_return && want_capture(c)) {
		capture_memcg_oom(c);
		if (c->filled)
			scratch->have |= OOMSNAP_HAVE_AFTER_KILL;
	}
	if (c->filled) {
		if (c->have_victim) {
			scratch->victim = c->victim;
			scratch->have |= OOMSNAP_HAVE_VICTIM;
			if (!(scratch->have & OOMSNAP_HAVE_CONSTRAINT)) {
				scratch->constraint = c->constraint;
				scratch->have |= OOMSNAP_HAVE_CONSTRAINT;
			}
		}
		joined = oomsnap_event_publish(scratch) && c->have_victim;
	}
	if (c->have_victim) {
		oomsnap_stats_inc(joined ? OOMSNAP_COUNTER_VICTIMS_JOINED :
				  OOMSNAP_COUNTER_VICTIMS_UNJOINED);
		remember_kill(c);
	}
	put_pid(c->victim_pid);
	WRITE_ONCE(c->task, NULL);
	return 0;
}

static struct kretprobe oom_kretprobe = {
	.kp.symbol_name	= "out_of_memory",
	.entry_handler	= oom_entry,
	.handler	= oom_return,
	/* oom_lock: one call at a time; a few spare for safety */
	.maxactive	= 4,
};

static int oom_notify(struct notifier_block *nb, unsigned long unused,
		      void *freed)
{
	struct oom_call *c = current_call();
	struct oomsnap_request req = {
		.type = OOMSNAP_EVENT_OOM,
		.may_lock = true,	/* a blocking notifier chain */
		.may_spin = true,
	};

	oomsnap_stats_inc(OOMSNAP_COUNTER_OOM);
	if (!c) {
		/* the kretprobe missed this call: no oom_control, no victim */
		oomsnap_event_capture(&req);
		return NOTIFY_OK;
	}
	if (!want_capture(c))
		return NOTIFY_OK;
	oc_request(&req, c->oc);
	c->filled = oomsnap_event_capture_into(scratch, &req);
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
	struct oom_call *c = current_call();
	struct task_struct *tsk;

	oomsnap_stats_inc(OOMSNAP_COUNTER_VICTIMS);
	/* a memcg group kill marks several victims: keep the first */
	if (!c || c->have_victim) {
		oomsnap_stats_inc(OOMSNAP_COUNTER_VICTIMS_UNJOINED);
		return;
	}
	rcu_read_lock();
#ifdef OOMSNAP_MARK_VICTIM_HAS_TASK
	tsk = task;
#else
	tsk = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
#endif
	if (tsk) {
		oomsnap_describe_task(&c->victim, tsk,
				      READ_ONCE(tsk->signal->oom_mm));
		c->victim_pid = get_pid(task_pid(tsk));
	}
	rcu_read_unlock();
	c->constraint = constraint_of(c->oc->constraint);
	c->have_victim = true;
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

/* The probes' prototypes are the tracepoints' (a build error otherwise). */
static inline void check_probe_types(void)
{
	check_trace_callback_type_mark_victim(victim_probe);
	check_trace_callback_type_mm_page_alloc(page_alloc_probe);
}

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

static void forget_kills(void)
{
	int i;

	for (i = 0; i < KILL_KINDS; i++) {
		put_pid(last_kill[i].victim);
		last_kill[i].victim = NULL;
	}
}

int oomsnap_hooks_register(void)
{
	int err;

	check_probe_types();
	scratch = vmalloc(sizeof(*scratch));
	if (!scratch)
		return -ENOMEM;
	err = register_kretprobe(&oom_kretprobe);
	if (err) {
		pr_err("kretprobe on out_of_memory failed (%d)\n", err);
		goto free_scratch;
	}
	err = register_oom_notifier(&oom_nb);
	if (err)
		goto unregister_kretprobe;
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
unregister_kretprobe:
	unregister_kretprobe(&oom_kretprobe);
	tracepoint_synchronize_unregister();
free_scratch:
	vfree(scratch);
	return err;
}

void oomsnap_hooks_unregister(void)
{
	tp_hook_unregister(&alloc_hook);
	tp_hook_unregister(&victim_hook);
	unregister_oom_notifier(&oom_nb);
	unregister_kretprobe(&oom_kretprobe);
	/* no probe may still be running once we return */
	tracepoint_synchronize_unregister();
	put_pid(call.victim_pid);
	call.victim_pid = NULL;
	forget_kills();
	vfree(scratch);
}
