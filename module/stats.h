/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event counters: per-CPU, so that a failure storm on every CPU touches no
 * shared cache line; summed when "stats" is read. Every event seen has
 * exactly one outcome, so that at any quiescent moment
 *
 *	oom + memcg_oom + alloc_failure + manual
 *	  = captured + dropped_nowarn + dropped_ratelimit + coalesced
 *	    + skipped_recursion + skipped_nmi + skipped_busy
 *	captured = retained + overwritten + cleared = last_seq
 */
#ifndef OOMSNAP_STATS_H
#define OOMSNAP_STATS_H

#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "gfp.h"
#include "oomsnap.h"
#include "ring.h"

enum oomsnap_counter {
	/* events seen, by type */
	OOMSNAP_COUNTER_OOM,			/* global OOMs */
	OOMSNAP_COUNTER_MEMCG_OOM,		/* memcg OOMs */
	OOMSNAP_COUNTER_ALLOC_FAILURE,		/* page allocations that failed */
	OOMSNAP_COUNTER_MANUAL,			/* "snapshot" commands */
	/* the outcome of each */
	OOMSNAP_COUNTER_CAPTURED,		/* records committed */
	OOMSNAP_COUNTER_DROPPED_NOWARN,		/* __GFP_NOWARN, not asked for */
	OOMSNAP_COUNTER_DROPPED_RATELIMIT,	/* over the rate limit */
	OOMSNAP_COUNTER_COALESCED,		/* OOM while its last victim dies */
	OOMSNAP_COUNTER_SKIPPED_RECURSION,	/* failure inside a capture */
	OOMSNAP_COUNTER_SKIPPED_NMI,		/* in NMI: no lock may be taken */
	OOMSNAP_COUNTER_SKIPPED_BUSY,		/* next ring slot still filling */
	/* OOM victims */
	OOMSNAP_COUNTER_VICTIMS,		/* oom:mark_victim */
	OOMSNAP_COUNTER_VICTIMS_JOINED,		/* written into their OOM record */
	OOMSNAP_COUNTER_VICTIMS_UNJOINED,	/* their OOM was not captured */
	OOMSNAP_COUNTER_NOWARN_FAILURES,	/* failures with __GFP_NOWARN */
	OOMSNAP_COUNTER_NR,
};

/* Longest stretches seen in a capture, in ns (local_clock()). */
enum oomsnap_peak {
	OOMSNAP_PEAK_CAPTURE_NS,		/* one whole capture */
	OOMSNAP_PEAK_IRQOFF_NS,			/* IRQs off inside a capture */
	OOMSNAP_PEAK_ZONE_LOCK_NS,		/* one zone->lock hold */
	OOMSNAP_PEAK_NR,
};

struct oomsnap_pcpu_stats {
	unsigned long counter[OOMSNAP_COUNTER_NR];
	unsigned long failures_by_order[OOMSNAP_MAX_ORDERS];
	unsigned long failures_by_class[OOMSNAP_FAIL_CLASS_NR];
	u64 peak[OOMSNAP_PEAK_NR];
};

DECLARE_PER_CPU(struct oomsnap_pcpu_stats, oomsnap_pcpu_stats);

static inline void oomsnap_stats_inc(enum oomsnap_counter c)
{
	this_cpu_inc(oomsnap_pcpu_stats.counter[c]);
}

/* Raise this CPU's peak @p to @ns if it is longer; IRQ-safe. */
void oomsnap_stats_peak(enum oomsnap_peak p, u64 ns);

void oomsnap_stats_count_failure(unsigned int order, gfp_t gfp);

/* Sum of counter @c over every CPU. */
unsigned long oomsnap_stats_read(enum oomsnap_counter c);

void oomsnap_stats_show(struct seq_file *m, struct oomsnap_ring *ring);

#endif /* OOMSNAP_STATS_H */
