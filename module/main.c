// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap: snapshot the page allocator's state when the OOM killer fires
 * or a page allocation fails, keep a history of these snapshots in a
 * preallocated ring and show them in /sys/kernel/debug/oomsnap/.
 *
 * Load order: resolve kernel internals, allocate the ring, create the
 * debugfs files, then hook the kernel. Unload mirrors it.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/clock.h>
#include <linux/time64.h>
#include <linux/vmalloc.h>

#include "control.h"
#include "debugfs.h"
#include "event.h"
#include "hooks.h"
#include "panic.h"
#include "slabs.h"
#include "symbols.h"
#include "xen.h"

#define RING_SIZE_MAX	4096

static unsigned int ring_size = 32;
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size,
		 "records kept, oldest overwritten first (1-4096, default 32; 3.4 KiB each + 0.9 KiB per populated zone)");

/* Writable limits: a value out of range is -EINVAL and changes nothing. */
static int set_walk_limit(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, OOMSNAP_WALK_LIMIT_MAX);
}

static const struct kernel_param_ops walk_limit_ops = {
	.set = set_walk_limit,
	.get = param_get_uint,
};

module_param_cb(walk_limit, &walk_limit_ops, &oomsnap_settings.walk_limit,
		0644);
MODULE_PARM_DESC(walk_limit,
		 "free-list entries counted per zone, order and migratetype before the count is marked capped (0-4096, default 512; 64 at most when IRQs are off; 0 = no per-migratetype counts)");

static int set_task_scan_limit(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, OOMSNAP_TASK_SCAN_LIMIT_MAX);
}

static const struct kernel_param_ops task_scan_limit_ops = {
	.set = set_task_scan_limit,
	.get = param_get_uint,
};

module_param_cb(task_scan_limit, &task_scan_limit_ops,
		&oomsnap_settings.task_scan_limit, 0644);
MODULE_PARM_DESC(task_scan_limit,
		 "tasks examined for the top tasks by RSS, kernel threads included (1-65536, default 4096)");

module_param_named(capture_nowarn, oomsnap_settings.capture_nowarn, bool,
		   0644);
MODULE_PARM_DESC(capture_nowarn,
		 "also capture allocation failures with __GFP_NOWARN (always counted; default N)");

static unsigned int ratelimit_interval_ms = 5000;
module_param(ratelimit_interval_ms, uint, 0444);
MODULE_PARM_DESC(ratelimit_interval_ms,
		 "allocation-failure captures: at most ratelimit_burst per this many ms (0 = no limit; default 5000)");

static unsigned int ratelimit_burst = 10;
module_param(ratelimit_burst, uint, 0444);
MODULE_PARM_DESC(ratelimit_burst,
		 "allocation-failure captures allowed per ratelimit_interval_ms (default 10)");

/* memcg OOMs captured: at most this many per second, across all groups */
#define MEMCG_OOM_BURST		16
/* "snapshot" written to control: at most this many per second */
#define MANUAL_BURST		10

static void *ring_mem;

static int __init oomsnap_init(void)
{
	u64 now = local_clock();
	unsigned int zone_cap;
	int err;

	/*
	 * On PREEMPT_RT zone->lock, task_lock(), kernfs_rename_lock and the
	 * like are sleeping locks, and tracepoint probes run with
	 * preemption off: a capture there could not take any of them.
	 */
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		pr_err("PREEMPT_RT kernels are not supported: the capture takes zone->lock and task_lock() from tracepoint probes, where RT forbids sleeping locks\n");
		return -EOPNOTSUPP;
	}
	if (!ring_size || ring_size > RING_SIZE_MAX ||
	    ratelimit_interval_ms > OOMSNAP_RATELIMIT_MAX_MS ||
	    !ratelimit_burst || ratelimit_burst > OOMSNAP_RATELIMIT_MAX_BURST) {
		pr_err("invalid parameters\n");
		return -EINVAL;
	}

	oomsnap_symbols_resolve();
	oomsnap_slabs_init();

	/*
	 * A slot keeps the zones populated now; one populated later (memory
	 * hotplug) is counted in its records' zones_omitted (slot.h).
	 */
	zone_cap = clamp(oomsnap_populated_zones(), 1U, OOMSNAP_MAX_ZONES);
	ring_mem = vmalloc(oomsnap_ring_mem_size(ring_size, zone_cap));
	if (!ring_mem) {
		err = -ENOMEM;
		goto exit_slabs;
	}
	oomsnap_ring_init(&oomsnap_ring, ring_mem, ring_size, zone_cap);
	oomsnap_ratelimit_init(&oomsnap_alloc_ratelimit, ratelimit_interval_ms,
			       ratelimit_burst, now);
	oomsnap_ratelimit_init(&oomsnap_memcg_oom_ratelimit, MSEC_PER_SEC,
			       MEMCG_OOM_BURST, now);
	oomsnap_ratelimit_init(&oomsnap_manual_ratelimit, MSEC_PER_SEC,
			       MANUAL_BURST, now);

	oomsnap_debugfs_init();
	oomsnap_xen_init();

	err = oomsnap_hooks_init();
	if (err)
		goto exit_xen;
	oomsnap_panic_init();

	pr_info("capturing into %u records (%zu KiB: %zu bytes per record of %u zones)\n",
		ring_size, oomsnap_ring_mem_size(ring_size, zone_cap) >> 10,
		oomsnap_ring.slot_size, zone_cap);
	return 0;

exit_xen:
	oomsnap_xen_exit();
	/* a hook that fired before the failure may have queued a wake-up */
	oomsnap_event_sync();
	oomsnap_debugfs_exit();
	vfree(ring_mem);
exit_slabs:
	oomsnap_slabs_exit();
	return err;
}

static void __exit oomsnap_exit(void)
{
	oomsnap_panic_exit();
	oomsnap_hooks_exit();
	oomsnap_event_sync();
	oomsnap_xen_exit();
	oomsnap_debugfs_exit();
	vfree(ring_mem);
	oomsnap_slabs_exit();
}

module_init(oomsnap_init);
module_exit(oomsnap_exit);

MODULE_DESCRIPTION("Snapshot the page allocator's state at OOM and allocation failure");
MODULE_LICENSE("GPL");
