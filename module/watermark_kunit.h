/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own __zone_watermark_ok(), for suites that check the
 * engine's replica against it on live zones.
 */
#ifndef OOMSNAP_WATERMARK_KUNIT_H
#define OOMSNAP_WATERMARK_KUNIT_H

#include <kunit/test.h>
#include <linux/kprobes.h>
#include <linux/mmzone.h>

typedef bool (*zone_watermark_ok_fn)(struct zone *z, unsigned int order,
				     unsigned long mark, int highest_zoneidx,
				     unsigned int alloc_flags, long free_pages);

/*
 * kallsyms_lookup_name() is not exported, but a kprobe registered by name
 * resolves the address; the probe is removed before the function is used.
 */
static inline zone_watermark_ok_fn resolve_zone_watermark_ok(struct kunit *test)
{
	struct kprobe kp = { .symbol_name = "__zone_watermark_ok" };
	void *addr;
	int err;

	err = register_kprobe(&kp);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "kprobe on __zone_watermark_ok");
	addr = kp.addr;
	unregister_kprobe(&kp);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	return (zone_watermark_ok_fn)addr;
}

#endif /* OOMSNAP_WATERMARK_KUNIT_H */
