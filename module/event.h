/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From a hook's request to a committed record: NMI and recursion guard,
 * rate limit, capture, commit, wake the readers. Also the module's
 * run-time state that hooks, debugfs and main share.
 */
#ifndef OOMSNAP_EVENT_H
#define OOMSNAP_EVENT_H

#include <linux/wait.h>

#include "capture.h"
#include "ratelimit.h"
#include "ring.h"

/*
 * Bounds of the writable parameters: each keeps one capture's work with
 * IRQs off, or under oom_lock, far below what the lockup detectors and a
 * waiting OOM kill tolerate (see the module's documentation for figures).
 */
#define OOMSNAP_WALK_LIMIT_MAX		4096	/* entries per free list */
#define OOMSNAP_ATOMIC_WALK_LIMIT	64	/* ... when IRQs are already off */
#define OOMSNAP_TASK_SCAN_LIMIT_MAX	65536	/* processes looked at */

struct oomsnap_settings {
	unsigned int walk_limit;	/* 0 .. OOMSNAP_WALK_LIMIT_MAX */
	unsigned int task_scan_limit;	/* 1 .. OOMSNAP_TASK_SCAN_LIMIT_MAX */
	bool capture_nowarn;		/* capture __GFP_NOWARN failures too */
};

extern struct oomsnap_settings oomsnap_settings;	/* module params */
extern struct oomsnap_ring oomsnap_ring;
extern struct oomsnap_ratelimit oomsnap_alloc_ratelimit;
extern struct oomsnap_ratelimit oomsnap_memcg_oom_ratelimit;
extern struct oomsnap_ratelimit oomsnap_manual_ratelimit;
extern wait_queue_head_t oomsnap_wait;			/* new record */

/*
 * Capture straight into the ring. Returns the record's seq, or 0 when it
 * was skipped (NMI, recursion, busy slot); the outcome is counted.
 */
u64 oomsnap_event_capture(const struct oomsnap_request *req);

/*
 * Capture into @rec, a record the caller owns (the OOM path's scratch
 * record, published when the victim is marked). False when skipped
 * (counted); the caller publishes with oomsnap_event_publish().
 */
bool oomsnap_event_capture_into(struct oomsnap_record *rec,
				const struct oomsnap_request *req);

/* Copy @rec into the ring; its seq or 0 (busy). Counts and wakes. */
u64 oomsnap_event_publish(const struct oomsnap_record *rec);

void oomsnap_event_alloc_failure(unsigned int order, gfp_t gfp);

void oomsnap_event_sync(void);

#endif /* OOMSNAP_EVENT_H */
