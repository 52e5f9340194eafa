// SPDX-License-Identifier: GPL-2.0
/*
 * Counters as an enum plus a name table, checked against each other at
 * build time (the way mm/kfence/core.c does it).
 */
#include <linux/build_bug.h>
#include <linux/gfp.h>
#include <linux/kernel.h>

#include "compat.h"
#include "stats.h"

struct oomsnap_stats oomsnap_stats;

static const char *const counter_names[] = {
	[OOMSNAP_COUNTER_OOM]			= "oom",
	[OOMSNAP_COUNTER_MEMCG_OOM]		= "memcg_oom",
	[OOMSNAP_COUNTER_ALLOC_FAILURE]		= "alloc_failure",
	[OOMSNAP_COUNTER_MANUAL]		= "manual",
	[OOMSNAP_COUNTER_VICTIMS]		= "victims",
	[OOMSNAP_COUNTER_VICTIMS_JOINED]	= "victims_joined",
	[OOMSNAP_COUNTER_VICTIMS_UNJOINED]	= "victims_unjoined",
	[OOMSNAP_COUNTER_CAPTURED]		= "captured",
	[OOMSNAP_COUNTER_DROPPED_RATELIMIT]	= "dropped_ratelimit",
	[OOMSNAP_COUNTER_DROPPED_NOWARN]	= "dropped_nowarn",
	[OOMSNAP_COUNTER_SKIPPED_RECURSION]	= "skipped_recursion",
	[OOMSNAP_COUNTER_NOWARN_FAILURES]	= "nowarn_failures",
};

static_assert(ARRAY_SIZE(counter_names) == OOMSNAP_COUNTER_COUNT);

void oomsnap_stats_count_failure(unsigned int order, gfp_t gfp)
{
	struct oomsnap_stats *st = &oomsnap_stats;

	order = min_t(unsigned int, order, OOMSNAP_MAX_ORDERS - 1);
	atomic_long_inc(&st->counter[OOMSNAP_COUNTER_ALLOC_FAILURE]);
	atomic_long_inc(&st->failures_by_order[order]);
	atomic_long_inc(&st->failures_by_class[oomsnap_fail_classify(gfp)]);
	if (gfp & __GFP_NOWARN)
		atomic_long_inc(&st->counter[OOMSNAP_COUNTER_NOWARN_FAILURES]);
}

void oomsnap_stats_show(struct seq_file *m, struct oomsnap_ring *ring)
{
	struct oomsnap_ring_counts rc;
	unsigned int i;

	for (i = 0; i < OOMSNAP_COUNTER_COUNT; i++)
		seq_printf(m, "%-24s %ld\n", counter_names[i],
			   atomic_long_read(&oomsnap_stats.counter[i]));

	oomsnap_ring_counts(ring, &rc);
	seq_printf(m, "%-24s %llu\n", "overwritten", rc.overwritten);
	seq_printf(m, "%-24s %llu\n", "skipped_busy", rc.skipped_busy);
	seq_printf(m, "%-24s %llu\n", "last_seq", rc.last_seq);
	seq_printf(m, "%-24s %u\n", "retained", rc.committed);
	seq_printf(m, "%-24s %u\n", "ring_size", ring->nr);

	for (i = 0; i < OOMSNAP_NR_PAGE_ORDERS && i < OOMSNAP_MAX_ORDERS; i++)
		seq_printf(m, "alloc_failure_order_%-4u %ld\n", i,
			   atomic_long_read(&oomsnap_stats.failures_by_order[i]));
	for (i = 0; i < OOMSNAP_FAIL_CLASS_COUNT; i++)
		seq_printf(m, "alloc_failure_%-10s %ld\n",
			   oomsnap_fail_class_names[i],
			   atomic_long_read(&oomsnap_stats.failures_by_class[i]));
}
