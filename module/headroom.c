// SPDX-License-Identifier: GPL-2.0
/*
 * The headroom file: for every populated zone and a few common request
 * classes, whether __zone_watermark_ok() (the engine's replica, the same
 * that explains events) passes now at the min watermark plus boost, by how
 * many pages, and the largest order that passes; the largest free block per
 * migratetype; then the biggest consumers. "oomsnap top" reads it.
 *
 * Cost per read: counter reads and list_empty() peeks (READ_ONCE), no
 * zone->lock, no free-list walk; the consumers are the capture's own
 * (RCU task scan capped at task_scan_limit, the slab table the module
 * refreshes every few seconds, no slab_mutex). Process context
 * only (a read), one reader at a time: the scratch record is static, and
 * the output goes out an item at a time through seq_file's first page.
 *
 * Format (one item per line, space-separated, counts in pages):
 *   headroom 1
 *   page_size 4096
 *   thp_order 9
 *   zone NODE NAME free F min M low L high H boost B highatomic A managed N
 *   largest NODE NAME U M R H C I   highest order with a free block per
 *                                   migratetype (unmovable, movable,
 *                                   reclaimable, highatomic, CMA, isolate),
 *                                   -1 for none
 *   class NAME GFP_HEX HIGHEST_ZONE
 *   check NODE NAME CLASS ORDER pass|fail|fail_order MARGIN
 *   best NODE NAME CLASS ORDER      largest order that passes, -1 for none
 *   mem NAME PAGES
 *   task PID RSS_PAGES COMM         COMM escaped as in the event text
 *   slab BYTES NAME
 * A zone a class may not use (above its highest zone) has no check lines.
 * MARGIN is free - unusable - (mark + lowmem_reserve): the pages the
 * order-0 part of the check has to spare; <= 0 fails it.
 */
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/version.h>
#include <linux/vmstat.h>

#include "capture.h"
#include "compat.h"
#include "debugfs.h"
#include "event.h"
#include "gfp.h"
#include "headroom.h"
#include "decode.h"
#include "names.h"
#include "render.h"
#include "watermark.h"

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
#define HEADROOM_THP_ORDER	HPAGE_PMD_ORDER
#else
#define HEADROOM_THP_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#endif

#define HEADROOM_ORDERS_SHOWN	5	/* 0..4, then the THP order */

static const struct {
	const char *name;
	gfp_t gfp;
} headroom_classes[] = {
	{ "GFP_KERNEL",			GFP_KERNEL },
	{ "GFP_NOFS",			GFP_NOFS },
	{ "GFP_HIGHUSER_MOVABLE",	GFP_HIGHUSER_MOVABLE },
	{ "GFP_ATOMIC",			GFP_ATOMIC },
	{ "GFP_NOWAIT",			GFP_NOWAIT },
};

/* One reader at a time fills this; too big for the stack. */
static struct oomsnap_record headroom_rec;
static DEFINE_MUTEX(headroom_lock);

/*
 * The zone's counters without zone->lock: nr_free and the free lists move
 * under us, so this is one consistent-enough instant, like /proc/buddyinfo.
 * Per migratetype only whether a list is empty (the watermark check asks
 * no more): nr_free_mt[][] holds 0 or 1, flagged OOMSNAP_ZONE_MT_LETTERS.
 */
static void headroom_zone(struct oomsnap_zone *z, struct zone *zone, int nid,
			  const void *unused)
{
	unsigned int order, nr_orders;
	int mt, col;

	memset(z, 0, sizeof(*z));
	oomsnap_capture_zone_marks(z, zone, nid);

	nr_orders = min_t(unsigned int, OOMSNAP_NR_PAGE_ORDERS,
			  OOMSNAP_MAX_ORDERS);
	for (order = 0; order < nr_orders; order++) {
		struct free_area *area = &zone->free_area[order];

		z->nr_free[order] = READ_ONCE(area->nr_free);
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			col = oomsnap_mt_column(mt);
			if (col >= 0)
				z->nr_free_mt[order][col] =
					!list_empty(&area->free_list[mt]);
		}
	}
	z->nr_orders = nr_orders;
	z->nr_migratetypes = OOMSNAP_MT_NR;
	z->flags |= OOMSNAP_ZONE_MT_LETTERS;
	z->have |= OOMSNAP_ZONE_HAVE_BUDDY | OOMSNAP_ZONE_HAVE_MT;
}

static void show_zone(struct seq_file *m, const struct oomsnap_zone *z)
{
	unsigned int o, col;

	seq_printf(m, "zone %u %s free %llu min %llu low %llu high %llu boost %llu highatomic %llu managed %llu\n",
		   z->node, z->name, z->free, z->wmark_min, z->wmark_low,
		   z->wmark_high, z->wmark_boost, z->reserved_highatomic,
		   z->managed);
	seq_printf(m, "largest %u %s", z->node, z->name);
	for (col = 0; col < OOMSNAP_MT_NR; col++) {
		int best = -1;

		for (o = 0; o < z->nr_orders; o++)
			if (z->nr_free_mt[o][col])
				best = o;
		seq_printf(m, " %d", best);
	}
	seq_puts(m, "\n");
}

/* The replica's verdict for @gfp (OOMSNAP_GFP_*) at @order in @z. */
static const char *headroom_check(const struct oomsnap_record *rec,
				  const struct oomsnap_zone *z, u64 gfp,
				  unsigned int highest, int order, s64 *margin)
{
	struct oomsnap_wmark_check chk;
	bool ok;

	ok = oomsnap_zone_watermark_ok(rec, z, order,
				       z->wmark_min + z->wmark_boost, highest,
				       oomsnap_alloc_flags(rec, gfp, order),
				       &chk);
	*margin = chk.free - chk.unusable - chk.min - chk.reserve;
	if (ok)
		return "pass";
	return chk.order0_ok ? "fail_order" : "fail";
}

static void show_class(struct seq_file *m, const struct oomsnap_record *rec,
		       const struct oomsnap_zone *z, unsigned int c)
{
	u64 gfp = oomsnap_gfp_translate(headroom_classes[c].gfp);
	unsigned int highest = oomsnap_gfp_highest_zone(headroom_classes[c].gfp);
	const char *name = headroom_classes[c].name;
	int order, best = -1;
	const char *verdict;
	s64 margin;

	if (z->zone_type > highest)
		return;
	for (order = 0; order < (int)z->nr_orders; order++) {
		verdict = headroom_check(rec, z, gfp, highest, order, &margin);
		if (!strcmp(verdict, "pass"))
			best = order;
		if (order < HEADROOM_ORDERS_SHOWN || order == HEADROOM_THP_ORDER)
			seq_printf(m, "check %u %s %s %d %s %lld\n", z->node,
				   z->name, name, order, verdict, margin);
	}
	seq_printf(m, "best %u %s %s %d\n", z->node, z->name, name, best);
}

static void show_consumers(struct seq_file *m,
			   const struct oomsnap_record *rec)
{
	struct oomsnap_printer p = oomsnap_seq_printer(m);
	unsigned int i, n;

	for (i = 0; i < OOMSNAP_MEM_NR; i++)
		if (rec->mem_have & (1ULL << i))
			seq_printf(m, "mem %s %llu\n", oomsnap_mem_name(i),
				   rec->mem[i]);
	n = rec->tasks_status ? 0 : min_t(u32, rec->nr_tasks, OOMSNAP_TOP_TASKS);
	for (i = 0; i < n; i++) {
		const struct oomsnap_task *t = &rec->tasks[i];

		seq_printf(m, "task %d %llu ", t->pid, oomsnap_task_rss(t));
		oomsnap_print_str(&p, t->comm, sizeof(t->comm), 0);
		seq_puts(m, "\n");
	}
	n = rec->slabs_status ? 0 : min_t(u32, rec->nr_slabs, OOMSNAP_TOP_SLABS);
	for (i = 0; i < n; i++) {
		seq_printf(m, "slab %llu ", rec->slabs[i].bytes);
		oomsnap_print_str(&p, rec->slabs[i].name,
				  sizeof(rec->slabs[i].name), 0);
		seq_puts(m, "\n");
	}
}

static void show_header(struct seq_file *m)
{
	unsigned int c;

	seq_printf(m, "headroom 1\npage_size %lu\nthp_order %d\n", PAGE_SIZE,
		   HEADROOM_THP_ORDER);
	for (c = 0; c < ARRAY_SIZE(headroom_classes); c++) {
		gfp_t gfp = headroom_classes[c].gfp;

		seq_printf(m, "class %s 0x%llx %s\n", headroom_classes[c].name,
			   oomsnap_gfp_translate(gfp),
			   oomsnap_zone_type_name(oomsnap_gfp_highest_zone(gfp)));
	}
}

/* The scratch record: the zones, then the consumers. */
static void headroom_fill(struct oomsnap_record *rec)
{
	oomsnap_record_init(rec);
	rec->page_size = PAGE_SIZE;
	rec->kernel_era = (LINUX_VERSION_MAJOR << 16) |
			  (LINUX_VERSION_PATCHLEVEL << 8);
	oomsnap_fill_zones(rec, headroom_zone, NULL);
	oomsnap_capture_mem(rec);
	oomsnap_capture_tasks(rec, NULL, true,
			      READ_ONCE(oomsnap_settings.task_scan_limit));
	oomsnap_capture_slabs(rec, false);
}

/*
 * Items: the header, each zone (with its checks), the consumers. Each fits
 * in seq_file's first page, so a read never makes it allocate more: a
 * larger buffer is a block of order >= 1, and on a fragmented host asking
 * for one means compaction, which would change what the file reports. The
 * record is filled at item 0 and read under headroom_lock; a reader whose
 * buffer takes several read() calls may see the later items of another
 * reader's newer fill.
 */
static void *headroom_item(loff_t *pos)
{
	return *pos <= (loff_t)headroom_rec.nr_zones + 1 ? pos : NULL;
}

static void *headroom_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&headroom_lock);
	if (!*pos)
		headroom_fill(&headroom_rec);
	return headroom_item(pos);
}

static void *headroom_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return headroom_item(pos);
}

static void headroom_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&headroom_lock);
}

static int headroom_show(struct seq_file *m, void *v)
{
	const struct oomsnap_record *rec = &headroom_rec;
	loff_t item = *(loff_t *)v;
	unsigned int c;

	if (!item) {
		show_header(m);
	} else if (item <= rec->nr_zones) {
		show_zone(m, &rec->zones[item - 1]);
		for (c = 0; c < ARRAY_SIZE(headroom_classes); c++)
			show_class(m, rec, &rec->zones[item - 1], c);
	} else {
		show_consumers(m, rec);
	}
	return 0;
}

static const struct seq_operations headroom_seq_ops = {
	.start	= headroom_start,
	.next	= headroom_next,
	.stop	= headroom_stop,
	.show	= headroom_show,
};

static int headroom_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &headroom_seq_ops);
}

const struct file_operations oomsnap_headroom_fops = {
	.owner		= THIS_MODULE,
	.open		= headroom_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= seq_release,
};
