// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks, and why each one:
 *
 *  kprobe out_of_memory  every OOM, global or memcg, passes here with its
 *                        struct oom_control: note the call (the other hooks
 *                        trust the note only while the call lasts) and
 *                        capture memcg OOMs, which no notifier announces.
 *                        An entry probe only: a return probe would replace
 *                        the call's return address, and the kernel's own OOM
 *                        report would print the probe's trampoline where
 *                        the caller belongs.
 *  OOM notifier chain    global OOMs, in the allocating task's context, where
 *                        everything may be captured; it gets no oom_control,
 *                        hence the note.
 *  oom:mark_victim       the task the OOM killer chose: joined to the call's
 *                        record, which is then complete and published.
 *  kmem:mm_page_alloc    fires at the end of every __alloc_pages(), with
 *                        page == NULL on failure; the success path costs
 *                        one predictable branch.
 *
 * One OOM call at a time: out_of_memory() runs with oom_lock held on every
 * path (the page allocator takes it in __alloc_pages_may_oom(), memcg in
 * mem_cgroup_out_of_memory(), sysrq-f in moom_callback()), so one note and
 * one scratch record are enough. The record enters the ring complete, once:
 * when the victim is marked, or, for a call that killed nothing, as soon as
 * oom_lock is free again (a short delayed work) or the next call begins,
 * whichever comes first.
 *
 * Whether a note is this task's current call is told by the call's frame:
 * the return address the entry found on the stack must still be there,
 * above the stack pointer. A call the entry probe missed (kprobes disarmed)
 * thus never borrows an earlier call's oom_control.
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
#include <linux/irq_work.h>
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
#include <linux/sched/task_stack.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <trace/events/kmem.h>
#include <trace/events/oom.h>

#include "compat.h"
#include "event.h"
#include "hooks.h"
#include "stats.h"
#include "symbols.h"

/*
 * A victim's OOM coalesces later calls at most this long (the OOM reaper
 * gives up on a victim well before).
 */
#define COALESCE_MAX_NS		(10 * NSEC_PER_SEC)

/*
 * The out_of_memory() call noted last. Written by the entry probe, the
 * hooks inside the call and the flush work, which oom_lock serialises: the
 * work touches it only while it holds oom_lock itself.
 */
struct oom_call {
	struct task_struct *task;	/* the caller; NULL: nothing noted */
	unsigned long *ret_slot;	/* the call's return address, on the stack */
	unsigned long ret_addr;		/* what the slot held at entry */
	struct oom_control *oc;		/* the caller's, alive while the call is */
	u64 memcg_id;			/* cgroup id of a memcg OOM, 0: global */
	bool nmi_entry;			/* the entry ran as an NMI: decide later */
	bool decided;			/* a memcg OOM's capture was decided */
	bool filled;			/* scratch holds this call's snapshot */
	bool published;			/* the call's record went out (or none) */
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

/* A record left without a victim is published this soon after its call. */
#define LATE_DELAY		msecs_to_jiffies(20)

static struct oom_call call;
static struct oom_kill last_kill[KILL_KINDS];
static struct oomsnap_record *scratch;

static void publish_late(struct work_struct *work);
static DECLARE_DELAYED_WORK(late_work, publish_late);

/* From an NMI entry, the work is queued through an irq_work. */
static void kick_late(struct irq_work *work)
{
	schedule_delayed_work(&late_work, LATE_DELAY);
}

static DEFINE_IRQ_WORK(late_kick, kick_late);

/*
 * The call the current task is inside of, if the entry probe noted it: the
 * return address it found must still be in its slot, and the slot above
 * our stack pointer (when we run on the task's stack: a kprobe handler may
 * run on an exception stack, where only the slot's content tells).
 */
static struct oom_call *current_call(void)
{
	unsigned long sp = current_stack_pointer;
	unsigned long *slot = call.ret_slot;

	if (READ_ONCE(call.task) != current || !object_is_on_stack(slot))
		return NULL;
	if (object_is_on_stack((void *)sp) && sp >= (unsigned long)slot)
		return NULL;
	return READ_ONCE(*slot) == call.ret_addr ? &call : NULL;
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

static void capture_memcg_oom(struct oom_call *c, bool may_lock)
{
	struct oomsnap_request req = { .type = OOMSNAP_EVENT_MEMCG_OOM };

	oc_request(&req, c->oc);
	req.may_lock = may_lock;
	c->filled = oomsnap_event_capture_into(scratch, &req);
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

/*
 * Publish the call's record, with its victim if there is one, and count the
 * victim as joined to it or not. Not in an NMI (the ring's lock).
 */
static void publish_call(struct oom_call *c)
{
	bool joined = false;

	if (c->published)
		return;
	c->published = true;
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
		c->filled = false;
	}
	if (c->have_victim) {
		oomsnap_stats_inc(joined ? OOMSNAP_COUNTER_VICTIMS_JOINED :
				  OOMSNAP_COUNTER_VICTIMS_UNJOINED);
		remember_kill(c);
	}
}

/*
 * The call is over: publish what it left (in an NMI only its counts: a
 * record left there waits for the work), and count a memcg OOM that an NMI
 * entry left undecided (no victim was marked to decide it at) as skipped.
 */
static void conclude_call(struct oom_call *c)
{
	if (c->nmi_entry && c->memcg_id && !c->decided) {
		oomsnap_stats_inc(OOMSNAP_COUNTER_SKIPPED_NMI);
		c->decided = true;
	}
	if (!in_nmi())
		publish_call(c);
}

/*
 * Once oom_lock is free no out_of_memory() call runs (every one holds it):
 * conclude the last one and forget its note. While a call runs, try again
 * a little later.
 */
static void publish_late(struct work_struct *work)
{
	struct mutex *lock = oomsnap_syms.oom_lock;

	if (!mutex_trylock(lock)) {
		schedule_delayed_work(&late_work, LATE_DELAY);
		return;
	}
	conclude_call(&call);
	WRITE_ONCE(call.task, NULL);
	mutex_unlock(lock);
}

/* After a call that may end without a victim: conclude it even so. */
static void publish_later(void)
{
	if (!oomsnap_syms.oom_lock)
		return;		/* then the next call or the unload does */
	if (in_nmi())
		irq_work_queue(&late_kick);
	else
		schedule_delayed_work(&late_work, LATE_DELAY);
}

static int oom_entry(struct kprobe *kp, struct pt_regs *regs)
{
	struct oom_control *oc =
		(struct oom_control *)regs_get_kernel_argument(regs, 0);
	struct oom_call *c = &call;
	/* at the entry the stack pointer points at the return address */
	unsigned long *slot = (unsigned long *)kernel_stack_pointer(regs);
	bool nmi = in_nmi();

	if (oc->memcg)
		oomsnap_stats_inc(OOMSNAP_COUNTER_MEMCG_OOM);
	/*
	 * Plain int3 kprobes (no ftrace, not optimized) run this as an NMI:
	 * no lock may be taken here, not even the rate limit's or the
	 * ring's. The victim's hook runs in the task's context: a memcg OOM
	 * is decided and captured there, and says so.
	 */
	if (nmi && c->filled) {
		/* the last call's record awaits the work: note nothing */
		WRITE_ONCE(c->task, NULL);
		if (oc->memcg)
			oomsnap_stats_inc(OOMSNAP_COUNTER_SKIPPED_NMI);
		return 0;
	}
	/* the last call is over: we are under oom_lock */
	conclude_call(c);
	/* publish_call() handed the victim's pid on to last_kill */
	memset(c, 0, sizeof(*c));
	c->oc = oc;
	c->memcg_id = memcg_id_of(oc->memcg);
	c->ret_slot = slot;
	c->ret_addr = READ_ONCE(*slot);
	c->nmi_entry = nmi;
	WRITE_ONCE(c->task, current);
	if (!oc->memcg)
		return 0;	/* global: the notifier decides and captures */
	if (nmi) {
		publish_later();
		return 0;
	}
	c->decided = true;
	if (!want_capture(c))
		return 0;
	capture_memcg_oom(c, true);
	if (c->filled)
		publish_later();
	return 0;
}

static struct kprobe oom_kprobe = {
	.symbol_name	= "out_of_memory",
	.pre_handler	= oom_entry,
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
		/* the entry probe missed this call: no oom_control, no victim */
		oomsnap_event_capture(&req);
		return NOTIFY_OK;
	}
	if (!want_capture(c))
		return NOTIFY_OK;
	oc_request(&req, c->oc);
	c->filled = oomsnap_event_capture_into(scratch, &req);
	if (c->filled)
		publish_later();
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
 * it again. The victim's mm is pinned in signal->oom_mm just before. The
 * call's record is complete with its victim: publish it now.
 */
static void victim_probe(void *data, OOMSNAP_MARK_VICTIM_ARGS)
{
	struct oom_call *c = current_call();
	struct task_struct *tsk;

	oomsnap_stats_inc(OOMSNAP_COUNTER_VICTIMS);
	/* a memcg group kill marks several victims: keep the first */
	if (!c || c->have_victim || c->published) {
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
	/*
	 * A memcg OOM whose entry ran as an NMI is captured here, after
	 * the kill signal, and without the task list (task_lock() may be
	 * held): the record says when it was taken.
	 */
	if (c->nmi_entry && c->memcg_id && !c->decided) {
		c->decided = true;
		if (want_capture(c))
			capture_memcg_oom(c, false);
		if (c->filled)
			scratch->have |= OOMSNAP_HAVE_AFTER_KILL;
	}
	publish_call(c);
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

int oomsnap_hooks_init(void)
{
	int err;

	check_probe_types();
	scratch = vmalloc(sizeof(*scratch));
	if (!scratch)
		return -ENOMEM;
	err = register_kprobe(&oom_kprobe);
	if (err) {
		pr_err("kprobe on out_of_memory failed (%d)\n", err);
		goto free_scratch;
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
free_scratch:
	vfree(scratch);
	return err;
}

void oomsnap_hooks_exit(void)
{
	tp_hook_unregister(&alloc_hook);
	tp_hook_unregister(&victim_hook);
	unregister_oom_notifier(&oom_nb);
	unregister_kprobe(&oom_kprobe);
	/* no probe may still be running once we return */
	tracepoint_synchronize_unregister();
	/* nothing queues the work any more; what a call left goes out now */
	irq_work_sync(&late_kick);
	cancel_delayed_work_sync(&late_work);
	conclude_call(&call);
	put_pid(call.victim_pid);
	memset(&call, 0, sizeof(call));
	forget_kills();
	vfree(scratch);
}
