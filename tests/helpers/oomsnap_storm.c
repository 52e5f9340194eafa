// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap_storm: a test-only module that makes page allocations fail for
 * real, many times, from every context, so that the stress suite can load
 * oomsnap's failure path on every CPU at once. It is never part of
 * oomsnap.ko.
 *
 * Failures are genuine: "hold" pins every block of the storm's order (the
 * highest the buddy allocator has) with two unmovable pages, one in each
 * half, and frees the rest, so that further requests of that order fail in
 * the allocator itself and pass its mm_page_alloc tracepoint with a NULL
 * page (fault injection would fail them before it), while memory stays
 * free (0.2% of it is held). Driven by
 * /sys/kernel/debug/oomsnap_storm/control, one command per write:
 *
 *   hold                 pin blocks of the top order until none can be had
 *   storm CTX N GFP      N more failing requests of the top order, spread
 *                        over every online CPU (at most half of each CPU's
 *                        time: see storm_fire()); CTX is hardirq (a pinned
 *                        hrtimer), softirq (a soft one) or task (a kthread
 *                        per CPU); GFP is atomic, atomic_nowarn,
 *                        noreclaim (no reclaim bit at all, NOWARN),
 *                        nowait or kernel (task only, __GFP_NORETRY)
 *   eat MB               hold MB more of order-0 kernel pages (no OOM kill
 *                        frees them): the host is full in a second, where
 *                        touching user pages takes minutes under TCG
 *   release              free the pinned and the eaten pages
 *   caches N             keep N slab caches of our own (create or destroy
 *                        to reach N), each holding one object: a host with
 *                        many caches, for the benchmarks' slab series
 *
 * /sys/kernel/debug/oomsnap_storm/status: "held N", "eaten N", "attempts N", "failed N",
 * "running N" (contexts still storming), "caches N".
 *
 * The hardirq timers are plain ones, not HRTIMER_MODE_HARD: on this kernel
 * they expire in hard IRQ context all the same, and lockdep checks them as
 * PREEMPT_RT would run them (threaded), as it does device interrupts. A
 * _HARD timer that allocates breaks RT's rules in the allocator itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#ifdef MAX_PAGE_ORDER
#define STORM_ORDER	MAX_PAGE_ORDER
#else
#define STORM_ORDER	(MAX_ORDER - 1)
#endif
#define PER_FIRE	8		/* requests per timer expiry */
#define FIRE_NS		(50 * NSEC_PER_USEC)

enum storm_ctx { CTX_HARDIRQ, CTX_SOFTIRQ, CTX_TASK };

struct storm_cpu {
	struct hrtimer timer;
	struct task_struct *thread;
	bool armed;
};

static DEFINE_MUTEX(storm_lock);	/* commands */
static DEFINE_SPINLOCK(held_lock);	/* held, nr_held: any context */
static LIST_HEAD(held);			/* pinned order-0 pages, via lru */
static LIST_HEAD(eaten);		/* eaten pages, via lru; storm_lock */
static unsigned long nr_eaten;
static unsigned long nr_held;
static atomic_long_t attempts, failed, budget;
static atomic_t running;
static gfp_t storm_gfp;
static DEFINE_PER_CPU(struct storm_cpu, storm_cpus);
static struct dentry *dir;

#define MAX_CACHES	10000
struct storm_cache {
	struct kmem_cache *cache;
	void *obj;
};

static struct storm_cache *caches;	/* storm_lock */
static unsigned long nr_caches;

/*
 * Keep the first page of each half of a top-order block and free the rest:
 * the block can't be whole again, and next to nothing stays allocated.
 */
static void pin_block(struct page *page)
{
	unsigned long i, n = 1UL << STORM_ORDER, flags;

	split_page(page, STORM_ORDER);
	for (i = 0; i < n; i++) {
		if (i && i != n / 2) {
			__free_page(page + i);
			continue;
		}
		spin_lock_irqsave(&held_lock, flags);
		list_add(&page[i].lru, &held);
		nr_held++;
		spin_unlock_irqrestore(&held_lock, flags);
	}
}

/* One request; false when the budget is spent. */
static bool storm_one(void)
{
	struct page *page;

	if (atomic_long_dec_if_positive(&budget) < 0)
		return false;
	atomic_long_inc(&attempts);
	page = alloc_pages(storm_gfp, STORM_ORDER);
	if (page)
		pin_block(page);	/* one was freed meanwhile: pin it too */
	else
		atomic_long_inc(&failed);
	return true;
}

/*
 * PER_FIRE requests, then a pause at least as long as they took: at most half
 * of each CPU goes to the storm. A failing top-order request costs some 170 us
 * of a vCPU under TCG, so a fixed 50 us period left a CPU no time but the
 * storm's interrupt, and a storm is not meant to test a host with no time left
 * for anything else. (The wedge this was first taken for was QEMU's: see
 * tests/stress/run.sh, the production kernel's guest.)
 */
static enum hrtimer_restart storm_fire(struct hrtimer *t)
{
	u64 start = local_clock(), spent;
	int i;

	for (i = 0; i < PER_FIRE; i++) {
		if (!storm_one()) {
			atomic_dec(&running);
			return HRTIMER_NORESTART;
		}
	}
	spent = local_clock() - start;
	hrtimer_set_expires(t, ktime_add_ns(hrtimer_cb_get_time(t),
					    max_t(u64, FIRE_NS, spent)));
	return HRTIMER_RESTART;
}

static int storm_thread(void *unused)
{
	while (!kthread_should_stop() && storm_one())
		cond_resched();
	atomic_dec(&running);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static void storm_stop(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct storm_cpu *sc = per_cpu_ptr(&storm_cpus, cpu);

		if (sc->armed)
			hrtimer_cancel(&sc->timer);
		sc->armed = false;
		if (sc->thread)
			kthread_stop(sc->thread);
		sc->thread = NULL;
	}
	atomic_set(&running, 0);
}

/* On the timer's own CPU (an IPI): a pinned timer fires where started. */
static void arm_here(void *arg)
{
	struct storm_cpu *sc = arg;

	hrtimer_start(&sc->timer, ns_to_ktime(FIRE_NS), HRTIMER_MODE_REL_PINNED);
}

static void arm_here_soft(void *arg)
{
	struct storm_cpu *sc = arg;

	hrtimer_start(&sc->timer, ns_to_ktime(FIRE_NS),
		      HRTIMER_MODE_REL_PINNED_SOFT);
}

static int storm_start(enum storm_ctx ctx, long n, gfp_t gfp)
{
	enum hrtimer_mode mode = ctx == CTX_HARDIRQ ?
		HRTIMER_MODE_REL_PINNED : HRTIMER_MODE_REL_PINNED_SOFT;
	int cpu;

	storm_stop();
	storm_gfp = gfp;
	atomic_long_set(&budget, n);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct storm_cpu *sc = per_cpu_ptr(&storm_cpus, cpu);

		atomic_inc(&running);
		if (ctx == CTX_TASK) {
			sc->thread = kthread_create_on_cpu(storm_thread, NULL,
							   cpu, "oomsnap_storm/%u");
			if (IS_ERR(sc->thread)) {
				sc->thread = NULL;
				atomic_dec(&running);
				continue;
			}
			wake_up_process(sc->thread);
			continue;
		}
		/* pinned: the timer fires on the CPU that starts it */
		hrtimer_init(&sc->timer, CLOCK_MONOTONIC, mode);
		sc->timer.function = storm_fire;
		sc->armed = true;
		smp_call_function_single(cpu, ctx == CTX_HARDIRQ ? arm_here :
					 arm_here_soft, sc, 1);
	}
	cpus_read_unlock();
	return 0;
}

/* Take every free block of the top order; the request that fails ends it. */
static void hold_all(void)
{
	struct page *page;

	for (;;) {
		atomic_long_inc(&attempts);
		page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN,
				   STORM_ORDER);
		if (!page) {
			atomic_long_inc(&failed);
			break;
		}
		pin_block(page);
		cond_resched();
	}
}

static void eat(unsigned long mb)
{
	unsigned long n = mb << (20 - PAGE_SHIFT);
	struct page *page;

	while (n-- && !fatal_signal_pending(current)) {
		page = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
		if (!page)
			break;
		list_add(&page->lru, &eaten);
		nr_eaten++;
		cond_resched();
	}
}

/* A constructor keeps a cache from being merged with another: each is its own. */
static void cache_ctor(void *obj)
{
}

static int set_caches(unsigned long n)
{
	char name[32];

	if (n > MAX_CACHES)
		return -EINVAL;
	if (!caches) {
		caches = vzalloc(array_size(MAX_CACHES, sizeof(*caches)));
		if (!caches)
			return -ENOMEM;
	}
	while (nr_caches > n) {
		struct storm_cache *c = &caches[--nr_caches];

		kmem_cache_free(c->cache, c->obj);
		kmem_cache_destroy(c->cache);
	}
	while (nr_caches < n) {
		struct storm_cache *c = &caches[nr_caches];

		snprintf(name, sizeof(name), "oomsnap_storm_%lu", nr_caches);
		c->cache = kmem_cache_create(name, 64 + nr_caches % 512, 0, 0, cache_ctor);
		if (!c->cache)
			return -ENOMEM;
		c->obj = kmem_cache_alloc(c->cache, GFP_KERNEL);
		if (!c->obj) {
			kmem_cache_destroy(c->cache);
			return -ENOMEM;
		}
		nr_caches++;
	}
	return 0;
}

static void release_all(void)
{
	struct page *page, *next;
	unsigned long flags;
	LIST_HEAD(pages);

	list_for_each_entry_safe(page, next, &eaten, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	nr_eaten = 0;

	spin_lock_irqsave(&held_lock, flags);
	list_splice_init(&held, &pages);
	nr_held = 0;
	spin_unlock_irqrestore(&held_lock, flags);
	list_for_each_entry_safe(page, next, &pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

static int parse_gfp(const char *name, enum storm_ctx ctx, gfp_t *gfp)
{
	if (!strcmp(name, "atomic"))
		*gfp = GFP_ATOMIC;
	else if (!strcmp(name, "atomic_nowarn"))
		*gfp = GFP_ATOMIC | __GFP_NOWARN;
	else if (!strcmp(name, "noreclaim"))
		*gfp = __GFP_HIGH | __GFP_NOWARN;
	else if (!strcmp(name, "nowait"))
		*gfp = GFP_NOWAIT;
	else if (!strcmp(name, "kernel") && ctx == CTX_TASK)
		*gfp = GFP_KERNEL | __GFP_NORETRY;
	else
		return -EINVAL;
	return 0;
}

static int run_command(char *cmd)
{
	char ctxname[16], gfpname[16];
	enum storm_ctx ctx;
	unsigned long mb, want;
	long n;
	gfp_t gfp;

	if (!strcmp(cmd, "hold")) {
		hold_all();
		return 0;
	}
	/* kstrtoul(), not sscanf(): "eat -20" must not eat all memory */
	if (!strncmp(cmd, "eat ", 4)) {
		if (kstrtoul(cmd + 4, 10, &mb))
			return -EINVAL;
		eat(mb);
		return 0;
	}
	if (!strncmp(cmd, "caches ", 7))
		return kstrtoul(cmd + 7, 10, &want) ?: set_caches(want);
	if (!strcmp(cmd, "release")) {
		storm_stop();
		release_all();
		return 0;
	}
	if (sscanf(cmd, "storm %15s %ld %15s", ctxname, &n, gfpname) != 3 ||
	    n <= 0)
		return -EINVAL;
	if (!strcmp(ctxname, "hardirq"))
		ctx = CTX_HARDIRQ;
	else if (!strcmp(ctxname, "softirq"))
		ctx = CTX_SOFTIRQ;
	else if (!strcmp(ctxname, "task"))
		ctx = CTX_TASK;
	else
		return -EINVAL;
	if (parse_gfp(gfpname, ctx, &gfp))
		return -EINVAL;
	return storm_start(ctx, n, gfp);
}

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	char buf[64];
	int err;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	strim(buf);
	mutex_lock(&storm_lock);
	err = run_command(buf);
	mutex_unlock(&storm_lock);
	return err ? err : count;
}

static const struct file_operations control_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= control_write,
};

static int status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "held %lu\neaten %lu\nattempts %ld\nfailed %ld\nrunning %d\ncaches %lu\n",
		   READ_ONCE(nr_held), READ_ONCE(nr_eaten), atomic_long_read(&attempts),
		   atomic_long_read(&failed), atomic_read(&running), READ_ONCE(nr_caches));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static int __init storm_init(void)
{
	dir = debugfs_create_dir("oomsnap_storm", NULL);
	debugfs_create_file("control", 0200, dir, NULL, &control_fops);
	debugfs_create_file("status", 0400, dir, NULL, &status_fops);
	return 0;
}

static void __exit storm_exit(void)
{
	debugfs_remove(dir);
	mutex_lock(&storm_lock);
	storm_stop();
	release_all();
	set_caches(0);
	vfree(caches);
	mutex_unlock(&storm_lock);
}

module_init(storm_init);
module_exit(storm_exit);
MODULE_DESCRIPTION("oomsnap test helper: genuine page allocation failures from every context");
MODULE_LICENSE("GPL");
