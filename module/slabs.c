// SPDX-License-Identifier: GPL-2.0
/*
 * Top slab caches by bytes (see slabs.h).
 *
 * Sizes come from SLUB's per-node counters (nr_slabs, total_objects; kept
 * with CONFIG_SLUB_DEBUG, which Debian enables), read through the mirror
 * of struct kmem_cache in compat.h: bytes = slabs << (page shift + the
 * cache's slab order), as /proc/slabinfo counts them. Objects in use would
 * need a walk of every partial list under its list_lock: not done, so
 * active_objs stays 0 (unknown), as in records parsed from a kernel log.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/preempt.h>
#include <linux/sched/clock.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "slabs.h"
#include "symbols.h"
#include "topn.h"

#define SLABS_REFRESH_MIN_MS	1000

/*
 * The most caches a capture walks itself, at some 190 instructions each
 * (6.1, under QEMU's instruction count: 5,000 caches made an OOM capture
 * 1.04 M instructions, against 0.1 M with Debian's 145). A host with more
 * gets the worker's table, as a capture that can't take slab_mutex does;
 * once the worker has counted more, a capture does not even start.
 */
#define SLABS_CAPTURE_WALK_MAX	1024

/*
 * How old the table for captures that can't walk (IRQs, trylock failed)
 * may get: one walk of every cache under slab_mutex per period, in a
 * worker. 0: no worker at all, and such captures go without slabs.
 */
static unsigned int slab_refresh_ms = 5000;
module_param(slab_refresh_ms, uint, 0444);
MODULE_PARM_DESC(slab_refresh_ms,
		 "period of the top-slab-caches table used by captures that can't walk the caches, in ms (0 = no table; else at least 1000; default 5000)");

static struct {
	seqcount_t seq;
	u32 status;			/* enum oomsnap_status */
	u32 nr;
	u64 taken_ns;			/* local_clock() of the walk */
	struct oomsnap_slab top[OOMSNAP_TOP_SLABS];
} table = { .status = OOMSNAP_NOT_CAPTURED };

static u32 mirror_status = OOMSNAP_NOT_CONFIGURED;
static unsigned int caches_seen;	/* by the worker's last walk */
static void slabs_refresh(struct work_struct *work);
static DECLARE_DELAYED_WORK(refresh_work, slabs_refresh);

#ifdef OOMSNAP_HAVE_SLUB_MIRROR

/* @s's size in bytes, as /proc/slabinfo counts it, and its objects in @objs. */
static u64 cache_bytes(const struct oomsnap_kmem_cache *s, unsigned long *objs)
{
	unsigned long slabs = 0;
	int node;

	*objs = 0;
	for_each_node(node) {
		const struct oomsnap_kmem_cache_node *n = s->node[node];

		if (!n)
			continue;
		slabs += atomic_long_read(&n->nr_slabs);
		*objs += atomic_long_read(&n->total_objects);
	}
	return (u64)slabs << (PAGE_SHIFT + (s->oo >> OOMSNAP_SLUB_OO_SHIFT));
}

/*
 * Caller holds slab_mutex. Returns the caches walked, or @max + 1, the
 * table unfinished, if there are more. A cache too small for the full
 * table costs its counters only, not a description (name copied and all),
 * which made the walk some 350 instructions a cache: an OOM capture on a
 * host of 145 caches costs 20,000 fewer.
 */
static unsigned int walk_caches(struct oomsnap_slab *top, u32 *nr,
				unsigned int max)
{
	const struct oomsnap_kmem_cache *s;
	struct oomsnap_slab one;
	unsigned int walked = 0;
	unsigned long objs;
	u64 bytes;

	*nr = 0;
	list_for_each_entry(s, oomsnap_syms.slab_caches, list) {
		if (walked++ == max)
			return walked;
		bytes = cache_bytes(s, &objs);
		if (*nr == OOMSNAP_TOP_SLABS && top[*nr - 1].bytes >= bytes)
			continue;
		memset(&one, 0, sizeof(one));
		strscpy(one.name, s->name, sizeof(one.name));
		one.bytes = bytes;
		one.num_objs = objs;
		one.object_size = s->object_size;
		one.reclaimable = !!(s->flags & SLAB_RECLAIM_ACCOUNT);
		oomsnap_topn_slab(top, nr, &one);
	}
	return walked;
}

static void probe_ctor(void *object)
{
}

/*
 * The per-node counters of @m after one object was allocated from it, a
 * cache of our own: one slab, holding the objects of one slab, on the node
 * of @obj, and none anywhere else. This reads node[] and every field of
 * struct kmem_cache_node the capture reads, at the mirror's offsets.
 */
static bool node_counters_match(const struct oomsnap_kmem_cache *m,
				const void *obj)
{
	unsigned long per_slab = m->oo & ((1U << OOMSNAP_SLUB_OO_SHIFT) - 1);
	unsigned long min_slab = m->min & ((1U << OOMSNAP_SLUB_OO_SHIFT) - 1);
	int obj_node = page_to_nid(virt_to_page(obj)), node;

	for_each_node(node) {
		const struct oomsnap_kmem_cache_node *n = m->node[node];
		long slabs, objs;

		if (!n)
			continue;
		if (n->partial.next->prev != &n->partial ||
		    n->full.next->prev != &n->full)
			return false;
		slabs = atomic_long_read(&n->nr_slabs);
		objs = atomic_long_read(&n->total_objects);
		if (node != obj_node) {
			if (slabs || objs)
				return false;
		} else if (slabs != 1 || (objs != per_slab && objs != min_slab)) {
			return false;
		}
	}
	return m->node[obj_node];
}

/*
 * A cache with a constructor is never merged, so this one is ours alone:
 * its fields, seen through the mirror, must be what we asked for.
 */
static u32 check_mirror(void)
{
	static const char name[] = "oomsnap_layout_probe";
	const unsigned int size = 200;
	const struct oomsnap_kmem_cache *m;
	struct kmem_cache *probe;
	u32 status = OOMSNAP_NOT_EXPORTED;
	int node = first_online_node;
	void *obj;

	if (!oomsnap_syms.slab_caches || !oomsnap_syms.slab_mutex)
		return OOMSNAP_NOT_EXPORTED;
	probe = kmem_cache_create(name, size, 0, 0, probe_ctor);
	if (!probe)
		return OOMSNAP_NOT_EXPORTED;
	m = (const struct oomsnap_kmem_cache *)probe;
	obj = kmem_cache_alloc(probe, GFP_KERNEL);
	if (obj && m->object_size == size && m->size >= size &&
	    m->ctor == probe_ctor && m->name && !strcmp(m->name, name) &&
	    m->list.next->prev == &m->list && m->node[node] &&
	    (m->oo >> OOMSNAP_SLUB_OO_SHIFT) < OOMSNAP_NR_PAGE_ORDERS &&
	    node_counters_match(m, obj))
		status = OOMSNAP_OK;
	else
		pr_warn("struct kmem_cache differs from compat.h: no top slab caches\n");
	if (obj)
		kmem_cache_free(probe, obj);
	kmem_cache_destroy(probe);
	return status;
}

#else /* !OOMSNAP_HAVE_SLUB_MIRROR */

static unsigned int walk_caches(struct oomsnap_slab *top, u32 *nr,
				unsigned int max)
{
	*nr = 0;
	return 0;
}

static u32 check_mirror(void)
{
	return OOMSNAP_NOT_CONFIGURED;
}

#endif

static void slabs_refresh(struct work_struct *work)
{
	struct oomsnap_slab top[OOMSNAP_TOP_SLABS];
	unsigned long flags;
	u64 taken_ns;
	u32 nr;

	mutex_lock(oomsnap_syms.slab_mutex);
	WRITE_ONCE(caches_seen, walk_caches(top, &nr, UINT_MAX - 1));
	mutex_unlock(oomsnap_syms.slab_mutex);
	taken_ns = local_clock();

	/* Single writer (one work item); IRQs off so no reader spins on it. */
	local_irq_save(flags);
	write_seqcount_begin(&table.seq);
	memcpy(table.top, top, sizeof(top[0]) * nr);
	table.nr = nr;
	table.taken_ns = taken_ns;
	table.status = OOMSNAP_OK;
	write_seqcount_end(&table.seq);
	local_irq_restore(flags);

	schedule_delayed_work(&refresh_work,
			      round_jiffies_relative(msecs_to_jiffies(slab_refresh_ms)));
}

void oomsnap_slabs_capture(struct oomsnap_record *rec, bool may_lock)
{
	u64 taken_ns, age_ns;
	unsigned int seq;
	u32 nr;

	rec->nr_slabs = 0;
	if (mirror_status != OOMSNAP_OK) {
		rec->slabs_status = mirror_status;
		return;
	}
	/*
	 * Now, if slab_mutex is free: a trylock never waits, so task context
	 * with IRQs on is enough (the capture runs with preemption off).
	 */
	if (may_lock && in_task() && !irqs_disabled() &&
	    READ_ONCE(caches_seen) <= SLABS_CAPTURE_WALK_MAX &&
	    mutex_trylock(oomsnap_syms.slab_mutex)) {
		unsigned int walked = walk_caches(rec->slabs, &nr,
						  SLABS_CAPTURE_WALK_MAX);

		mutex_unlock(oomsnap_syms.slab_mutex);
		if (walked <= SLABS_CAPTURE_WALK_MAX) {
			rec->nr_slabs = nr;
			rec->slabs_status = OOMSNAP_OK;
			rec->slabs_age_ms = 0;
			rec->have |= OOMSNAP_HAVE_SLABS | OOMSNAP_HAVE_SLABS_AGE;
			return;
		}
	}
	/* Otherwise the table, at most slab_refresh_ms old. */
	do {
		seq = read_seqcount_begin(&table.seq);
		nr = table.nr;
		memcpy(rec->slabs, table.top, sizeof(table.top[0]) * nr);
		rec->slabs_status = table.status;
		taken_ns = table.taken_ns;
	} while (read_seqcount_retry(&table.seq, seq));
	rec->nr_slabs = nr;
	if (rec->slabs_status == OOMSNAP_OK) {
		/*
		 * Rounded up: 0 says "walked at capture". Another CPU's clock
		 * may trail ours a little: never negative.
		 */
		age_ns = local_clock() - taken_ns;
		rec->slabs_age_ms = (s64)age_ns > 0 ?
			(u32)min_t(u64, DIV_ROUND_UP_ULL(age_ns, NSEC_PER_MSEC), U32_MAX) : 1;
		rec->have |= OOMSNAP_HAVE_SLABS | OOMSNAP_HAVE_SLABS_AGE;
	}
}

void oomsnap_slabs_init(void)
{
	seqcount_init(&table.seq);
	mirror_status = check_mirror();
	if (slab_refresh_ms)
		slab_refresh_ms = max(slab_refresh_ms, SLABS_REFRESH_MIN_MS);
	if (mirror_status == OOMSNAP_OK && slab_refresh_ms)
		schedule_delayed_work(&refresh_work, 0);
}

void oomsnap_slabs_exit(void)
{
	if (mirror_status == OOMSNAP_OK && slab_refresh_ms)
		cancel_delayed_work_sync(&refresh_work);
}
