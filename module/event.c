// SPDX-License-Identifier: GPL-2.0
/*
 * The capture pipeline (see event.h).
 *
 * Re-entrancy: a capture may be interrupted by an IRQ whose allocation
 * fails and captures too; that one gets its own slot. What must not
 * happen is a capture re-entering itself at the same level (an allocation
 * failing inside the capture code): a per-CPU mask with one bit per
 * context level (task, softirq, hardirq) catches that. Preemption is off
 * for the whole capture so that the mask stays this CPU's. NMIs never
 * capture: the ring's lock and zone->lock are not NMI-safe.
 */
#include <linux/gfp.h>
#include <linux/irq_work.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/string.h>

#include "event.h"
#include "stats.h"

struct oomsnap_settings oomsnap_settings = {
	.walk_limit		= 512,
	.task_scan_limit	= 4096,
	.capture_nowarn		= false,
};

struct oomsnap_ring oomsnap_ring;
struct oomsnap_ratelimit oomsnap_alloc_ratelimit;
struct oomsnap_ratelimit oomsnap_memcg_oom_ratelimit;
struct oomsnap_ratelimit oomsnap_manual_ratelimit;
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

static struct oomsnap_capture_limits limits_now(const struct oomsnap_request *req)
{
	struct oomsnap_capture_limits lim = {
		.walk_limit = READ_ONCE(oomsnap_settings.walk_limit),
		.task_scan_limit = READ_ONCE(oomsnap_settings.task_scan_limit),
		.may_spin = req->may_spin,
	};

	/* IRQs already off: the whole capture is one IRQs-off stretch */
	if (irqs_disabled())
		lim.walk_limit = min_t(unsigned int, lim.walk_limit,
				       OOMSNAP_ATOMIC_WALK_LIMIT);
	return lim;
}

/*
 * Enter the capture section of this CPU's context level: false (counted)
 * in NMI or when this level is already capturing. On true, preemption is
 * off until capture_exit().
 */
static bool capture_enter(unsigned int *level)
{
	if (in_nmi()) {
		oomsnap_stats_inc(OOMSNAP_COUNTER_SKIPPED_NMI);
		return false;
	}
	preempt_disable();
	*level = context_level();
	if (this_cpu_read(capture_levels) & *level) {
		preempt_enable();
		oomsnap_stats_inc(OOMSNAP_COUNTER_SKIPPED_RECURSION);
		return false;
	}
	this_cpu_or(capture_levels, *level);
	return true;
}

static void capture_exit(unsigned int level)
{
	this_cpu_and(capture_levels, ~level);
	preempt_enable();
}

static void capture_timed(struct oomsnap_record *rec,
			  const struct oomsnap_request *req)
{
	struct oomsnap_capture_limits lim = limits_now(req);
	bool irqs_off = irqs_disabled();
	u64 start = local_clock(), took;

	oomsnap_capture(rec, req, &lim);
	took = local_clock() - start;
	oomsnap_stats_peak(OOMSNAP_PEAK_CAPTURE_NS, took);
	if (irqs_off)
		oomsnap_stats_peak(OOMSNAP_PEAK_IRQOFF_NS, took);
}

static void published(void)
{
	oomsnap_stats_inc(OOMSNAP_COUNTER_CAPTURED);
	irq_work_queue(&wake_work);
}

u64 oomsnap_event_capture(const struct oomsnap_request *req)
{
	struct oomsnap_record *rec;
	unsigned int level;
	u64 seq = 0;

	if (!capture_enter(&level))
		return 0;
	/* a busy slot is counted by the ring */
	rec = oomsnap_ring_reserve(&oomsnap_ring);
	if (rec) {
		capture_timed(rec, req);
		seq = rec->seq;
		oomsnap_ring_commit(&oomsnap_ring, rec);
		published();
	}
	capture_exit(level);
	return seq;
}

bool oomsnap_event_capture_into(struct oomsnap_record *rec,
				const struct oomsnap_request *req)
{
	unsigned int level;

	if (!capture_enter(&level))
		return false;
	memset(rec, 0, sizeof(*rec));
	rec->size = sizeof(*rec);
	rec->magic = OOMSNAP_MAGIC;
	capture_timed(rec, req);
	capture_exit(level);
	return true;
}

u64 oomsnap_event_publish(const struct oomsnap_record *rec)
{
	u64 seq = oomsnap_ring_publish(&oomsnap_ring, rec);

	if (seq)
		published();
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
		/*
		 * A request that may not even wake kswapd may come from
		 * inside the allocator, with a zone->lock held on this CPU
		 * (later kernels' lockless allocations): only trylocks then.
		 */
		.may_spin = !!(gfp & __GFP_RECLAIM),
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

void oomsnap_event_sync(void)
{
	irq_work_sync(&wake_work);
}
