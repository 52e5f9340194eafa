// SPDX-License-Identifier: GPL-2.0
/*
 * The capture pipeline (see event.h).
 *
 * Re-entrancy: a capture may be interrupted by an IRQ whose allocation
 * fails and captures too; that one gets its own slot. What must not
 * happen is a capture re-entering itself at the same level (an allocation
 * failing inside the capture code): a per-CPU mask with one bit per
 * context level (task, softirq, hardirq) catches that. Preemption is off
 * for the whole capture so that the mask stays this CPU's.
 */
#include <linux/gfp.h>
#include <linux/irq_work.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>

#include "event.h"
#include "stats.h"

struct oomsnap_settings oomsnap_settings = {
	.walk_limit		= 512,
	.task_scan_limit	= 4096,
	.capture_nowarn		= false,
};

struct oomsnap_ring oomsnap_ring;
struct oomsnap_ratelimit oomsnap_alloc_ratelimit;
DECLARE_WAIT_QUEUE_HEAD(oomsnap_wait);

static DEFINE_PER_CPU(unsigned int, capture_levels);

/* Readers are woken from irq_work, never from inside the allocator. */
static void wake_readers(struct irq_work *work)
{
	wake_up_interruptible(&oomsnap_wait);
}

static DEFINE_IRQ_WORK(wake_work, wake_readers);

static unsigned int context_level(void)
{
	if (in_hardirq())
		return 1U << 2;
	if (in_serving_softirq())
		return 1U << 1;
	return 1U << 0;
}

u64 oomsnap_event_capture(const struct oomsnap_request *req)
{
	struct oomsnap_capture_limits lim = {
		.walk_limit = READ_ONCE(oomsnap_settings.walk_limit),
		.task_scan_limit = READ_ONCE(oomsnap_settings.task_scan_limit),
	};
	struct oomsnap_record *rec;
	unsigned int level;
	u64 seq = 0;

	/* the ring's raw spinlock is not NMI-safe; nothing allocates there */
	if (in_nmi()) {
		oomsnap_stats_inc(OOMSNAP_COUNTER_SKIPPED_RECURSION);
		return 0;
	}

	preempt_disable();
	level = context_level();
	if (this_cpu_read(capture_levels) & level) {
		oomsnap_stats_inc(OOMSNAP_COUNTER_SKIPPED_RECURSION);
		goto out;
	}
	this_cpu_or(capture_levels, level);

	rec = oomsnap_ring_reserve(&oomsnap_ring);
	if (rec) {
		oomsnap_capture(rec, req, &lim);
		seq = rec->seq;
		oomsnap_ring_commit(&oomsnap_ring, rec);
		oomsnap_stats_inc(OOMSNAP_COUNTER_CAPTURED);
		irq_work_queue(&wake_work);
	}

	this_cpu_and(capture_levels, ~level);
out:
	preempt_enable();
	return seq;
}

void oomsnap_event_alloc_failure(unsigned int order, gfp_t gfp)
{
	struct oomsnap_request req = {
		.type = OOMSNAP_EVENT_ALLOC_FAILURE,
		.have_gfp = true,
		.gfp = gfp,
		.order = order,
		/* a blocking allocation holds no spinlock (it could sleep) */
		.may_lock = in_task() && gfpflags_allow_blocking(gfp),
	};

	oomsnap_stats_count_failure(order, gfp);
	if ((gfp & __GFP_NOWARN) && !READ_ONCE(oomsnap_settings.capture_nowarn)) {
		oomsnap_stats_inc(OOMSNAP_COUNTER_DROPPED_NOWARN);
		return;
	}
	if (!oomsnap_ratelimit_allow(&oomsnap_alloc_ratelimit, local_clock())) {
		oomsnap_stats_inc(OOMSNAP_COUNTER_DROPPED_RATELIMIT);
		return;
	}
	oomsnap_event_capture(&req);
}

struct victim_join {
	const struct oomsnap_task *victim;
	bool have_constraint;
	u32 constraint;
};

/* Under the ring lock: a copy, nothing more. */
static void write_victim(struct oomsnap_record *rec, const void *arg)
{
	const struct victim_join *j = arg;

	/* a memcg group kill marks several victims: keep the first */
	if (rec->have & OOMSNAP_HAVE_VICTIM)
		return;
	rec->victim = *j->victim;
	rec->victim_seq = rec->seq;
	rec->have |= OOMSNAP_HAVE_VICTIM;
	if (j->have_constraint && !(rec->have & OOMSNAP_HAVE_CONSTRAINT)) {
		rec->constraint = j->constraint;
		rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	}
}

void oomsnap_event_join_victim(u64 seq, const struct oomsnap_task *victim,
			       bool have_constraint, u32 constraint)
{
	struct victim_join j = {
		.victim = victim,
		.have_constraint = have_constraint,
		.constraint = constraint,
	};

	oomsnap_stats_inc(OOMSNAP_COUNTER_VICTIMS);
	if (oomsnap_ring_update(&oomsnap_ring, seq, write_victim, &j))
		oomsnap_stats_inc(OOMSNAP_COUNTER_VICTIMS_JOINED);
	else
		oomsnap_stats_inc(OOMSNAP_COUNTER_VICTIMS_UNJOINED);
}

void oomsnap_event_sync(void)
{
	irq_work_sync(&wake_work);
}
