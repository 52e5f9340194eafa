/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From a hook's request to a committed record: recursion guard, rate
 * limit, reserve, capture, commit, wake the readers. Also the module's
 * run-time state that hooks, debugfs and main share.
 */
#ifndef OOMSNAP_EVENT_H
#define OOMSNAP_EVENT_H

#include <linux/wait.h>

#include "capture.h"
#include "ratelimit.h"
#include "ring.h"

struct oomsnap_settings {
	unsigned int walk_limit;
	unsigned int task_scan_limit;
	bool capture_nowarn;		/* capture __GFP_NOWARN failures too */
};

extern struct oomsnap_settings oomsnap_settings;	/* module params */
extern struct oomsnap_ring oomsnap_ring;
extern struct oomsnap_ratelimit oomsnap_alloc_ratelimit;
extern wait_queue_head_t oomsnap_wait;			/* new record */

/* Capture one event now. Returns its seq, or 0 if it was skipped. */
u64 oomsnap_event_capture(const struct oomsnap_request *req);

/* A page allocation failed: count it, capture it if the filters allow. */
void oomsnap_event_alloc_failure(unsigned int order, gfp_t gfp);

/*
 * Write the OOM victim into record @seq (the OOM it was killed for), and
 * the constraint the kernel settled on before choosing it.
 */
void oomsnap_event_join_victim(u64 seq, const struct oomsnap_task *victim,
			       bool have_constraint, u32 constraint);

/* Before freeing the ring: no wake-up may still be pending. */
void oomsnap_event_sync(void);

#endif /* OOMSNAP_EVENT_H */
