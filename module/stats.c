// SPDX-License-Identifier: GPL-2.0
/*
 * Counters as an enum plus a name table, checked against each other at
 * build time (the way mm/kfence/core.c does it); per-CPU, summed on read.
 */
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/kernel.h>

#include "compat.h"
#include "stats.h"

DEFINE_PER_CPU(struct oomsnap_pcpu_stats, oomsnap_pcpu_stats);

static const char *const counter_names[] = {
	[OOMSNAP_COUNTER_OOM]			= "oom",
	[OOMSNAP_COUNTER_MEMCG_OOM]		= "memcg_oom",
	[OOMSNAP_COUNTER_ALLOC_FAILURE]		= "alloc_failure",
	[OOMSNAP_COUNTER_MANUAL]		= "manual",
	[OOMSNAP_COUNTER_CAPTURED]		= "captured",
	[OOMSNAP_COUNTER_DROPPED_NOWARN]	= "dropped_nowarn",
	[OOMSNAP_COUNTER_DROPPED_RATELIMIT]	= "dropped_ratelimit",
	[OOMSNAP_COUNTER_COALESCED]		= "coalesced",
	[OOMSNAP_COUNTER_SKIPPED_RECURSION]	= "skipped_recursion",
	[OOMSNAP_COUNTER_SKIPPED_NMI]		= "skipped_nmi",
	[OOMSNAP_COUNTER_SKIPPED_BUSY]		= "skipped_busy",
	[OOMSNAP_COUNTER_VICTIMS]		= "victims",
	[OOMSNAP_COUNTER_VICTIMS_JOINED]	= "victims_joined",
	[OOMSNAP_COUNTER_VICTIMS_UNJOINED]	= "victims_unjoined",
	[OOMSNAP_COUNTER_NOWARN_FAILURES]	= "nowarn_failures",
};

static_assert(ARRAY_SIZE(counter_names) == OOMSNAP_COUNTER_NR);

static const char *const peak_names[] = {
	[OOMSNAP_PEAK_CAPTURE_NS]	= "capture_ns_max",
	[OOMSNAP_PEAK_IRQOFF_NS]	= "irqoff_ns_max",
	[OOMSNAP_PEAK_ZONE_LOCK_NS]	= "zone_lock_ns_max",
};

static_assert(ARRAY_SIZE(peak_names) == OOMSNAP_PEAK_NR);

void oomsnap_stats_peak(enum oomsnap_peak p, u64 ns)
{
	u64 old = this_cpu_read(oomsnap_pcpu_stats.peak[p]), prev;

	while (ns > old) {
		prev = this_cpu_cmpxchg(oomsnap_pcpu_stats.peak[p], old, ns);
		if (prev == old)
			break;
		old = prev;
	}
}

void oomsnap_stats_count_failure(unsigned int order, gfp_t gfp)
{
	order = min_t(unsigned int, order, OOMSNAP_MAX_ORDERS - 1);
	this_cpu_inc(oomsnap_pcpu_stats.counter[OOMSNAP_COUNTER_ALLOC_FAILURE]);
	this_cpu_inc(oomsnap_pcpu_stats.failures_by_order[order]);
	this_cpu_inc(oomsnap_pcpu_stats.failures_by_class[oomsnap_fail_classify(gfp)]);
	if (gfp & __GFP_NOWARN)
		this_cpu_inc(oomsnap_pcpu_stats.counter[OOMSNAP_COUNTER_NOWARN_FAILURES]);
}

#define SUM_PCPU(field) ({					\
	unsigned long __sum = 0;				\
	int __cpu;						\
	for_each_possible_cpu(__cpu)				\
		__sum += per_cpu(oomsnap_pcpu_stats.field, __cpu); \
	__sum;							\
})

unsigned long oomsnap_stats_read(enum oomsnap_counter c)
{
	return SUM_PCPU(counter[c]);
}

static u64 peak_read(enum oomsnap_peak p)
{
	u64 max = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		max = max(max, per_cpu(oomsnap_pcpu_stats.peak[p], cpu));
	return max;
}

void oomsnap_stats_show(struct seq_file *m, struct oomsnap_ring *ring)
{
	struct oomsnap_ring_counts rc;
	unsigned int i;

	oomsnap_ring_counts(ring, &rc);
	for (i = 0; i < OOMSNAP_COUNTER_NR; i++) {
		/* the ring counts busy slots under its lock: one source */
		unsigned long v = i == OOMSNAP_COUNTER_SKIPPED_BUSY ?
				  rc.skipped_busy : oomsnap_stats_read(i);

		seq_printf(m, "%-24s %lu\n", counter_names[i], v);
	}
	seq_printf(m, "%-24s %llu\n", "overwritten", rc.overwritten);
	seq_printf(m, "%-24s %llu\n", "cleared", rc.cleared);
	seq_printf(m, "%-24s %llu\n", "last_seq", rc.last_seq);
	seq_printf(m, "%-24s %u\n", "retained", rc.retained);
	seq_printf(m, "%-24s %u\n", "filling", rc.filling);
	seq_printf(m, "%-24s %u\n", "ring_size", ring->nr);
	for (i = 0; i < OOMSNAP_PEAK_NR; i++)
		seq_printf(m, "%-24s %llu\n", peak_names[i], peak_read(i));

	for (i = 0; i < OOMSNAP_NR_PAGE_ORDERS && i < OOMSNAP_MAX_ORDERS; i++)
		seq_printf(m, "alloc_failure_order_%-4u %lu\n", i,
			   SUM_PCPU(failures_by_order[i]));
	for (i = 0; i < OOMSNAP_FAIL_CLASS_NR; i++)
		seq_printf(m, "alloc_failure_%-10s %lu\n",
			   oomsnap_fail_class_names[i],
			   SUM_PCPU(failures_by_class[i]));
}
