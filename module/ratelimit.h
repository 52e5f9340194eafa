/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token bucket for allocation-failure captures: up to @burst captures, one
 * token coming back every @interval / @burst. A failure storm then costs
 * a counter increment per failure instead of a ring full of duplicates.
 */
#ifndef OOMSNAP_RATELIMIT_H
#define OOMSNAP_RATELIMIT_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct oomsnap_ratelimit {
	raw_spinlock_t lock;
	u64 interval_ns;		/* 0: no limit */
	u32 burst;
	u32 tokens;
	u64 refilled_ns;		/* time the tokens were last topped up */
	u64 token_ns;			/* interval_ns / burst: one token back */
};

void oomsnap_ratelimit_init(struct oomsnap_ratelimit *rl,
			    unsigned int interval_ms, unsigned int burst,
			    u64 now_ns);

/* Change the limit at run time (control "ratelimit="); refills the bucket. */
void oomsnap_ratelimit_set(struct oomsnap_ratelimit *rl,
			   unsigned int interval_ms, unsigned int burst,
			   u64 now_ns);

/*
 * Take a token at @now_ns; false when the bucket is empty. An empty bucket
 * is seen without the lock, so that a storm of callers on every CPU costs
 * a read of two shared words each, not a lock round trip.
 */
bool oomsnap_ratelimit_allow(struct oomsnap_ratelimit *rl, u64 now_ns);

#endif /* OOMSNAP_RATELIMIT_H */
