/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event counters, exact and lock-free: what debugfs "stats" prints. The
 * ring keeps its own overwrite/busy counters (exact under its lock).
 */
#ifndef OOMSNAP_STATS_H
#define OOMSNAP_STATS_H

#include <linux/atomic.h>
#include <linux/seq_file.h>

#include "gfp.h"
#include "oomsnap.h"
#include "ring.h"

enum oomsnap_counter {
	OOMSNAP_COUNTER_OOM,			/* global OOMs seen */
	OOMSNAP_COUNTER_MEMCG_OOM,		/* memcg OOMs seen */
	OOMSNAP_COUNTER_ALLOC_FAILURE,		/* page allocations that failed */
	OOMSNAP_COUNTER_MANUAL,			/* "snapshot" commands */
	OOMSNAP_COUNTER_VICTIMS,		/* oom:mark_victim */
	OOMSNAP_COUNTER_VICTIMS_JOINED,		/* written into their OOM record */
	OOMSNAP_COUNTER_VICTIMS_UNJOINED,	/* record gone or never taken */
	OOMSNAP_COUNTER_CAPTURED,		/* records committed */
	OOMSNAP_COUNTER_DROPPED_RATELIMIT,	/* not captured: rate limit */
	OOMSNAP_COUNTER_DROPPED_NOWARN,		/* not captured: __GFP_NOWARN */
	OOMSNAP_COUNTER_SKIPPED_RECURSION,	/* failure inside a capture */
	OOMSNAP_COUNTER_NOWARN_FAILURES,	/* failures with __GFP_NOWARN */
	OOMSNAP_COUNTER_COUNT,
};

struct oomsnap_stats {
	atomic_long_t counter[OOMSNAP_COUNTER_COUNT];
	atomic_long_t failures_by_order[OOMSNAP_MAX_ORDERS];
	atomic_long_t failures_by_class[OOMSNAP_FAIL_CLASS_COUNT];
};

extern struct oomsnap_stats oomsnap_stats;

static inline void oomsnap_stats_inc(enum oomsnap_counter c)
{
	atomic_long_inc(&oomsnap_stats.counter[c]);
}

void oomsnap_stats_count_failure(unsigned int order, gfp_t gfp);

/* The text of debugfs "stats": one "name value" per line. */
void oomsnap_stats_show(struct seq_file *m, struct oomsnap_ring *ring);

#endif /* OOMSNAP_STATS_H */
