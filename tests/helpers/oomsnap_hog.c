// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap_hog: a test-only module that consumes kernel memory the way real
 * drivers do, so that the field scenarios can create their condition for
 * real. It is never part of oomsnap.ko.
 *
 * Driven by /sys/kernel/debug/oomsnap_hog/control, one command per write:
 *
 *   slab SIZE COUNT      leak COUNT objects of SIZE bytes from the named
 *                        cache "oomsnap_hog_leak" (unreclaimable slab)
 *   kmalloc SIZE COUNT   leak COUNT kmalloc(SIZE) objects (kmalloc-N caches)
 *   pages COUNT          hold COUNT order-0 pages from alloc_pages(): memory
 *                        that no counter accounts for (a driver page pool)
 *   fragment COUNT KEEP  allocate up to COUNT unmovable order-0 pages (each
 *                        zone down to its high watermark), free all but
 *                        those whose pfn is a multiple of KEEP, then split
 *                        every free block of order log2(KEEP) or more the
 *                        same way: free memory sits in blocks below that
 *                        order. COUNT 0 splits only blocks merged since.
 *   alloc ORDER GFP      one alloc_pages(GFP, ORDER), freed at once; GFP is
 *                        kernel, atomic, nowait or nofs; atomic requests run
 *                        in softirq context (a timer), like a driver's refill
 *   release              free everything held
 *
 * The leak commands stop early, without error, when an allocation fails or
 * the writer got a fatal signal (the OOM killer chose it): COUNT may be
 * larger than memory ("until OOM"); after a kill they give back 16 MB of
 * what they took, so that the guest can go on. /sys/kernel/debug/oomsnap_hog/status
 * says what is held and what the last command did.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uaccess.h>

#define HOG_CMD_MAX	64
#define HOG_CACHE_NAME	"oomsnap_hog_leak"

/* 6.8 renamed the allocator's order limit (and made it inclusive). */
#ifdef MAX_PAGE_ORDER
#define HOG_MAX_ORDER	MAX_PAGE_ORDER
#else
#define HOG_MAX_ORDER	(MAX_ORDER - 1)
#endif
/* Leaked objects are chained through their first word: no bookkeeping memory. */
struct hog_object {
	struct hog_object *next;
};

static DEFINE_MUTEX(hog_lock);		/* serialises commands and status */
static struct dentry *hog_dir;
static struct kmem_cache *hog_cache;	/* created by the first "slab" */
static unsigned int hog_cache_size;
static struct hog_object *hog_cache_objs;
static unsigned long hog_cache_count;
static struct hog_object *hog_kmalloc_objs;
static unsigned long hog_kmalloc_count;
static unsigned long hog_kmalloc_bytes;
static LIST_HEAD(hog_pages);		/* "pages" and "fragment" pins */
static unsigned long hog_page_count;
static char hog_last[128];		/* what the last command did */

/* ------------------------------------------------------------------ */
/* Leaks                                                               */
/* ------------------------------------------------------------------ */

/*
 * When the OOM killer ends a leak by killing its writer, free memory sits
 * below the min watermark and the victim has eaten into the reserves: the
 * guest could not even fork to release the rest. Give back this much of
 * the newest leak so that it can.
 */
#define HOG_HEADROOM_PAGES	(SZ_16M / PAGE_SIZE)

/* Should a leak loop stop? Also yields: loops run for seconds under TCG. */
static bool hog_should_stop(void)
{
	cond_resched();
	return fatal_signal_pending(current);
}

/*
 * A constructor keeps SLUB from merging this cache into kmalloc-N, so that
 * /proc/slabinfo, the OOM report and oomsnap show its own name.
 */
static void hog_object_init(void *obj)
{
	((struct hog_object *)obj)->next = NULL;
}

/* Free the newest @nr objects (or pages) of each kind: ULONG_MAX for all. */
static void hog_free_cache_objs(unsigned long nr)
{
	struct hog_object *obj;

	while (nr-- && (obj = hog_cache_objs)) {
		hog_cache_objs = obj->next;
		kmem_cache_free(hog_cache, obj);
		hog_cache_count--;
		cond_resched();
	}
}

static void hog_free_kmalloc_objs(unsigned long nr)
{
	struct hog_object *obj;

	while (nr-- && (obj = hog_kmalloc_objs)) {
		hog_kmalloc_objs = obj->next;
		hog_kmalloc_bytes -= ksize(obj);
		kfree(obj);
		hog_kmalloc_count--;
		cond_resched();
	}
}

static void hog_free_pages(unsigned long nr)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &hog_pages, lru) {
		if (!nr--)
			break;
		list_del(&page->lru);
		__free_pages(page, 0);
		hog_page_count--;
		cond_resched();
	}
}

static int hog_leak_slab(unsigned int size, unsigned long count)
{
	unsigned long i;

	if (size < sizeof(struct hog_object) || size > PAGE_SIZE * 8)
		return -EINVAL;
	if (hog_cache && size != hog_cache_size)
		return -EBUSY;	/* one object size per load */
	if (!hog_cache) {
		hog_cache = kmem_cache_create(HOG_CACHE_NAME, size, 0, 0,
					      hog_object_init);
		if (!hog_cache)
			return -ENOMEM;
		hog_cache_size = size;
	}
	for (i = 0; i < count && !hog_should_stop(); i++) {
		struct hog_object *obj = kmem_cache_alloc(hog_cache, GFP_KERNEL);

		if (!obj)
			break;
		obj->next = hog_cache_objs;
		hog_cache_objs = obj;
		hog_cache_count++;
	}
	if (fatal_signal_pending(current))
		hog_free_cache_objs(HOG_HEADROOM_PAGES * PAGE_SIZE / size);
	snprintf(hog_last, sizeof(hog_last), "slab: leaked %lu of %lu%s", i, count,
		 fatal_signal_pending(current) ? ", killed" : "");
	return 0;
}

static int hog_leak_kmalloc(unsigned int size, unsigned long count)
{
	unsigned long i;

	if (size < sizeof(struct hog_object) || size > KMALLOC_MAX_CACHE_SIZE)
		return -EINVAL;
	for (i = 0; i < count && !hog_should_stop(); i++) {
		struct hog_object *obj = kmalloc(size, GFP_KERNEL);

		if (!obj)
			break;
		obj->next = hog_kmalloc_objs;
		hog_kmalloc_objs = obj;
		hog_kmalloc_count++;
		hog_kmalloc_bytes += ksize(obj);
	}
	if (fatal_signal_pending(current))
		hog_free_kmalloc_objs(HOG_HEADROOM_PAGES * PAGE_SIZE / size);
	snprintf(hog_last, sizeof(hog_last), "kmalloc: leaked %lu of %lu%s", i, count,
		 fatal_signal_pending(current) ? ", killed" : "");
	return 0;
}

static int hog_hold_pages(unsigned long count)
{
	unsigned long i;

	for (i = 0; i < count && !hog_should_stop(); i++) {
		struct page *page = alloc_pages(GFP_KERNEL, 0);

		if (!page)
			break;
		list_add(&page->lru, &hog_pages);
		hog_page_count++;
	}
	if (fatal_signal_pending(current))
		hog_free_pages(HOG_HEADROOM_PAGES);
	snprintf(hog_last, sizeof(hog_last), "pages: held %lu of %lu%s", i, count,
		 fatal_signal_pending(current) ? ", killed" : "");
	return 0;
}

/*
 * The zones a GFP_KERNEL request may use, one zone modifier each: the
 * plain request takes its preferred zone first, the others drain the
 * lower zones that it only falls back to above their lowmem reserve.
 */
static const gfp_t hog_zone_gfps[] = {
	0,
#ifdef CONFIG_ZONE_DMA32
	__GFP_DMA32,
#endif
#ifdef CONFIG_ZONE_DMA
	__GFP_DMA,
#endif
};

/* Keep one page in every @keep-aligned block of @page (order @order), free the rest. */
static unsigned long hog_pin_sparse(struct page *page, unsigned int order,
				    unsigned long keep)
{
	unsigned long i, kept = 0;

	if (order)
		split_page(page, order);
	for (i = 0; i < (1UL << order); i++, page++) {
		if (page_to_pfn(page) % keep) {
			__free_pages(page, 0);
			continue;
		}
		list_add(&page->lru, &hog_pages);
		hog_page_count++;
		kept++;
	}
	return kept;
}

/*
 * Take every free block of order >= @order (and every one compaction and
 * reclaim can make, without the OOM killer), pinning one page in every
 * @keep and freeing the others: what it frees can't merge back to @order.
 */
static unsigned long hog_take_blocks(unsigned int order, unsigned long keep)
{
	unsigned long blocks = 0;
	unsigned int z;

	for (z = 0; z < ARRAY_SIZE(hog_zone_gfps); z++) {
		gfp_t gfp = GFP_KERNEL | hog_zone_gfps[z] | __GFP_NOWARN;

		/*
		 * Retrying through reclaim and compaction first; then once
		 * more without: a failed attempt has just drained the per-cpu
		 * lists (which hold blocks up to order 3) into the buddy lists.
		 */
		while (!hog_should_stop()) {
			struct page *page = alloc_pages(gfp | __GFP_RETRY_MAYFAIL, order);

			if (!page)
				break;
			hog_pin_sparse(page, order, keep);
			blocks++;
		}
		while (!hog_should_stop()) {
			struct page *page = alloc_pages(gfp | __GFP_NORETRY, order);

			if (!page)
				break;
			hog_pin_sparse(page, order, keep);
			blocks++;
		}
	}
	return blocks;
}

/*
 * Fragment every zone a GFP_KERNEL request may use, with unmovable pages
 * (GFP_KERNEL, so compaction can't undo it): grab free order-0 pages until
 * each zone is down to its high watermark - never below it, so that nobody
 * else's allocation meets the OOM killer meanwhile - pin one page in every
 * @keep-aligned block and free the rest; then take what is left in blocks
 * of order ilog2(@keep) or more the same way. Afterwards the free memory
 * sits in blocks below that order. With @count 0 only the second step runs:
 * it takes the blocks that frees have merged since.
 */
static int hog_fragment(unsigned long count, unsigned long keep)
{
	unsigned int order = ilog2(keep), z;
	unsigned long got = 0, kept = 0, blocks;
	struct page *page, *next;
	LIST_HEAD(grabbed);

	if (keep < 2 || !is_power_of_2(keep) || order > HOG_MAX_ORDER)
		return -EINVAL;
	for (z = 0; z < ARRAY_SIZE(hog_zone_gfps); z++) {
		while (got < count && !hog_should_stop()) {
			struct zone *zone;

			page = alloc_pages(GFP_KERNEL | hog_zone_gfps[z] |
					   __GFP_NORETRY | __GFP_NOWARN, 0);
			if (!page)
				break;
			list_add(&page->lru, &grabbed);
			got++;
			zone = page_zone(page);
			if (zone_page_state(zone, NR_FREE_PAGES) <= high_wmark_pages(zone))
				break;
		}
	}
	list_for_each_entry_safe(page, next, &grabbed, lru) {
		list_del(&page->lru);
		kept += hog_pin_sparse(page, 0, keep);
		cond_resched();
	}
	/*
	 * Frees that wait for a grace period (an exited task's task_struct,
	 * whose slab may be a whole order-3 block) land first, so that they
	 * are split too, not merged behind our back a moment later.
	 */
	rcu_barrier();
	blocks = hog_take_blocks(order, keep);
	snprintf(hog_last, sizeof(hog_last),
		 "fragment: grabbed %lu of %lu, pinned %lu, then split %lu order-%u blocks",
		 got, count, kept, blocks, order);
	return 0;
}

/* ------------------------------------------------------------------ */
/* One allocation                                                      */
/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	gfp_t gfp;
} hog_gfp_names[] = {
	{ "kernel",	GFP_KERNEL },
	{ "atomic",	GFP_ATOMIC },
	{ "nowait",	GFP_NOWAIT },
	{ "nofs",	GFP_NOFS },
};

struct hog_softirq_alloc {
	struct timer_list timer;
	unsigned int order;
	struct page *page;
	struct completion done;
};

static void hog_softirq_alloc_fn(struct timer_list *t)
{
	struct hog_softirq_alloc *req = from_timer(req, t, timer);

	req->page = alloc_pages(GFP_ATOMIC, req->order);
	complete(&req->done);
}

static struct page *hog_alloc_in_softirq(unsigned int order)
{
	struct hog_softirq_alloc req = { .order = order };

	init_completion(&req.done);
	timer_setup_on_stack(&req.timer, hog_softirq_alloc_fn, 0);
	mod_timer(&req.timer, jiffies + 1);
	wait_for_completion(&req.done);
	del_timer_sync(&req.timer);
	destroy_timer_on_stack(&req.timer);
	return req.page;
}

static int hog_alloc_once(unsigned int order, const char *gfp_name)
{
	struct page *page;
	unsigned int i;

	if (order > HOG_MAX_ORDER)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(hog_gfp_names); i++)
		if (!strcmp(gfp_name, hog_gfp_names[i].name))
			break;
	if (i == ARRAY_SIZE(hog_gfp_names))
		return -EINVAL;

	if (hog_gfp_names[i].gfp == GFP_ATOMIC)
		page = hog_alloc_in_softirq(order);
	else
		page = alloc_pages(hog_gfp_names[i].gfp, order);
	if (page)
		__free_pages(page, order);
	snprintf(hog_last, sizeof(hog_last), "alloc: order %u %s %s",
		 order, gfp_name, page ? "succeeded" : "failed");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Release                                                             */
/* ------------------------------------------------------------------ */

static void hog_release(void)
{
	hog_free_cache_objs(ULONG_MAX);
	hog_free_kmalloc_objs(ULONG_MAX);
	hog_free_pages(ULONG_MAX);
	snprintf(hog_last, sizeof(hog_last), "release: done");
}

/* ------------------------------------------------------------------ */
/* debugfs                                                             */
/* ------------------------------------------------------------------ */

/* Parse one command; the whole line must match, nothing may trail. */
static int hog_run(const char *cmd)
{
	char verb[16], gfp_name[16];
	unsigned long a, b;
	unsigned int u;
	const char *args;
	int n, m = -1;

	if (sscanf(cmd, "%15s%n", verb, &n) != 1)
		return -EINVAL;
	args = cmd + n;

	if (!strcmp(verb, "release") && !*args) {
		hog_release();
		return 0;
	}
	if (!strcmp(verb, "slab") &&
	    sscanf(args, "%u %lu%n", &u, &a, &m) == 2 && !args[m])
		return hog_leak_slab(u, a);
	if (!strcmp(verb, "kmalloc") &&
	    sscanf(args, "%u %lu%n", &u, &a, &m) == 2 && !args[m])
		return hog_leak_kmalloc(u, a);
	if (!strcmp(verb, "pages") &&
	    sscanf(args, "%lu%n", &a, &m) == 1 && !args[m])
		return hog_hold_pages(a);
	if (!strcmp(verb, "fragment") &&
	    sscanf(args, "%lu %lu%n", &a, &b, &m) == 2 && !args[m])
		return hog_fragment(a, b);
	if (!strcmp(verb, "alloc") &&
	    sscanf(args, "%u %15s%n", &u, gfp_name, &m) == 2 && !args[m])
		return hog_alloc_once(u, gfp_name);
	return -EINVAL;
}

static ssize_t hog_control_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char cmd[HOG_CMD_MAX];
	int ret;

	if (*ppos != 0 || len == 0 || len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';

	if (mutex_lock_killable(&hog_lock))
		return -EINTR;
	ret = hog_run(strim(cmd));
	mutex_unlock(&hog_lock);
	return ret ? ret : len;
}

static const struct file_operations hog_control_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= hog_control_write,
	.llseek	= noop_llseek,
};

static int hog_status_show(struct seq_file *m, void *v)
{
	mutex_lock(&hog_lock);
	seq_printf(m, "cache %s\n", hog_cache ? HOG_CACHE_NAME : "-");
	seq_printf(m, "cache_object_size %u\n", hog_cache_size);
	seq_printf(m, "cache_objects %lu\n", hog_cache_count);
	seq_printf(m, "kmalloc_objects %lu\n", hog_kmalloc_count);
	seq_printf(m, "kmalloc_bytes %lu\n", hog_kmalloc_bytes);
	seq_printf(m, "pages %lu\n", hog_page_count);
	seq_printf(m, "last %s\n", hog_last[0] ? hog_last : "-");
	mutex_unlock(&hog_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hog_status);

static int __init hog_init(void)
{
	hog_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("control", 0200, hog_dir, NULL, &hog_control_fops);
	debugfs_create_file("status", 0400, hog_dir, NULL, &hog_status_fops);
	return 0;
}

static void __exit hog_exit(void)
{
	debugfs_remove_recursive(hog_dir);
	hog_release();
	kmem_cache_destroy(hog_cache);
}

module_init(hog_init);
module_exit(hog_exit);
MODULE_DESCRIPTION("oomsnap test helper: consumes kernel memory on command");
MODULE_LICENSE("GPL");
