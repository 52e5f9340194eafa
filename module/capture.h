/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fill one struct oomsnap_record with the allocator's state at this
 * instant. No allocation, no sleeping, bounded work; callable from any
 * context except NMI. What a context forbids (taking task_lock from an
 * IRQ, for instance) is left out and its *_status says why.
 */
#ifndef OOMSNAP_CAPTURE_H
#define OOMSNAP_CAPTURE_H

#include <linux/gfp.h>
#include <linux/nodemask.h>
#include <linux/types.h>

#include "oomsnap.h"

struct mem_cgroup;
struct zone;
struct task_struct;

/* What the hook knows about the event. */
struct oomsnap_request {
	u32 type;			/* enum oomsnap_event_type */
	bool have_gfp;			/* gfp and order are meaningful */
	gfp_t gfp;
	int order;
	bool have_nodemask;		/* nodemask is meaningful */
	const nodemask_t *nodemask;	/* NULL: all nodes */
	struct mem_cgroup *memcg;	/* the OOMing memcg (memcg OOM) */
	/*
	 * No spinlock held and not in IRQ, so task_lock() is safe: the OOM
	 * paths, a blocking allocation, a write to control.
	 */
	bool may_lock;
	/*
	 * Spinning on a lock is safe: false for requests that may come from
	 * inside the allocator with a zone->lock held (only trylocks then).
	 */
	bool may_spin;
};

struct oomsnap_capture_limits {
	unsigned int walk_limit;	/* per free list, migratetype walk */
	unsigned int task_scan_limit;	/* tasks looked at for top RSS */
	bool may_spin;			/* see oomsnap_request */
};

/* Everything: header, request, task, stack, memcg, zones, mem, tasks, slabs, xen. */
void oomsnap_capture(struct oomsnap_record *rec,
		     const struct oomsnap_request *req,
		     const struct oomsnap_capture_limits *lim);

/* The parts, for KUnit and for the victim join. */
void oomsnap_capture_zones(struct oomsnap_record *rec,
			   const struct oomsnap_capture_limits *lim);
void oomsnap_capture_mem(struct oomsnap_record *rec);
void oomsnap_capture_stack(struct oomsnap_record *rec);
void oomsnap_capture_memcg(struct oomsnap_record *rec,
			   struct mem_cgroup *memcg, bool may_spin);
/**
 * oomsnap_capture_tasks() - the top tasks by RSS into @rec->tasks[]
 * @rec: the record being filled
 * @memcg: the OOMing memcg: only its processes and its descendants' are
 *	looked at (as the kernel's task dump of a memcg OOM); NULL: every
 *	process of the host
 * @may_lock: task_lock() is safe here (task context, no spinlock held)
 * @scan_limit: tasks looked at, at most, whatever kind they are
 *
 * See tasks.c for the locks each walk takes. Sets tasks_status, and
 * tasks_capped when the limit stopped the walk.
 */
void oomsnap_capture_tasks(struct oomsnap_record *rec,
			   struct mem_cgroup *memcg, bool may_lock,
			   unsigned int scan_limit);
void oomsnap_capture_slabs(struct oomsnap_record *rec, bool may_lock);

/**
 * oomsnap_next_zone() - walk every populated zone of every online node
 * @zone: the zone the walk is at; NULL starts it
 * @nid: set to the node of the zone returned
 *
 * The kernel's for_each_populated_zone() needs symbols modules can't
 * reach. Use: for (zone = oomsnap_next_zone(NULL, &nid); zone;
 * zone = oomsnap_next_zone(zone, &nid)).
 *
 * Return: the next populated zone, NULL after the last.
 */
struct zone *oomsnap_next_zone(struct zone *zone, int *nid);

/**
 * oomsnap_fill_zones() - one slot of @rec->zones[] per populated zone
 * @rec: the record being filled
 * @fill: fills slot @z for @zone of node @nid, with the caller's @arg
 * @arg: passed to @fill
 *
 * In oomsnap_next_zone()'s order; zones past the last slot are counted in
 * zones_omitted. Sets OOMSNAP_HAVE_ZONES.
 */
void oomsnap_fill_zones(struct oomsnap_record *rec,
			void (*fill)(struct oomsnap_zone *z, struct zone *zone,
				     int nid, const void *arg),
			const void *arg);

/**
 * oomsnap_populated_zones() - the zones a capture would record now
 *
 * Return: populated zones of every online node (a capture keeps
 * OOMSNAP_MAX_ZONES of them at most).
 */
unsigned int oomsnap_populated_zones(void);

/*
 * A zone's identity, free count, watermarks, reserves and CMA: the
 * lock-free part of a zone's record, as the watermark check needs it.
 */
void oomsnap_capture_zone_marks(struct oomsnap_zone *z, struct zone *zone,
				int nid);

/* enum oomsnap_migratetype of the kernel's MIGRATE_* @mt, -1 for none. */
int oomsnap_mt_column(int mt);

/*
 * Describe @p (a task whose mm the caller keeps alive, or NULL for @mm
 * from elsewhere) into @t.
 */
void oomsnap_describe_task(struct oomsnap_task *t, struct task_struct *p,
			   struct mm_struct *mm);

#endif /* OOMSNAP_CAPTURE_H */
