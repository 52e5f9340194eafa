// SPDX-License-Identifier: GPL-2.0
/*
 * Token bucket (see ratelimit.h). Callers pass the time so that KUnit can
 * drive the clock; the module passes local_clock().
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/time64.h>

#include "ratelimit.h"

void oomsnap_ratelimit_init(struct oomsnap_ratelimit *rl,
			    unsigned int interval_ms, unsigned int burst,
			    u64 now_ns)
{
	raw_spin_lock_init(&rl->lock);
	oomsnap_ratelimit_set(rl, interval_ms, burst, now_ns);
}

void oomsnap_ratelimit_set(struct oomsnap_ratelimit *rl,
			   unsigned int interval_ms, unsigned int burst,
			   u64 now_ns)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&rl->lock, flags);
	rl->interval_ns = (u64)interval_ms * NSEC_PER_MSEC;
	rl->burst = burst;
	rl->token_ns = div_u64(rl->interval_ns, burst);
	rl->tokens = burst;
	rl->refilled_ns = now_ns;
	raw_spin_unlock_irqrestore(&rl->lock, flags);
}

bool oomsnap_ratelimit_allow(struct oomsnap_ratelimit *rl, u64 now_ns)
{
	unsigned long flags;
	u64 elapsed, add;
	bool allow;

	/* empty, and not one token's time since the last refill: no */
	if (!READ_ONCE(rl->tokens) && READ_ONCE(rl->interval_ns) &&
	    now_ns - READ_ONCE(rl->refilled_ns) < READ_ONCE(rl->token_ns))
		return false;

	raw_spin_lock_irqsave(&rl->lock, flags);
	if (!rl->interval_ns) {
		allow = true;
		goto out;
	}
	elapsed = now_ns > rl->refilled_ns ? now_ns - rl->refilled_ns : 0;
	if (elapsed >= rl->interval_ns) {
		rl->tokens = rl->burst;
		rl->refilled_ns = now_ns;
	} else if (rl->tokens < rl->burst) {
		/* elapsed < interval and burst <= 100000: no overflow */
		add = div64_u64(elapsed * rl->burst, rl->interval_ns);
		if (add) {
			rl->tokens = min_t(u64, rl->burst, rl->tokens + add);
			rl->refilled_ns += div64_u64(add * rl->interval_ns,
						     rl->burst);
		}
	} else {
		rl->refilled_ns = now_ns;
	}
	allow = rl->tokens > 0;
	if (allow)
		rl->tokens--;
out:
	raw_spin_unlock_irqrestore(&rl->lock, flags);
	return allow;
}
