// SPDX-License-Identifier: GPL-2.0
/*
 * A report's life: opened by a header or by report content, filled by
 * the section parsers, converted to pages and emitted when it ends; and
 * the Xen context a log gives before its reports.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "diagnose.h"
#include "names.h"
#include "watermark.h"
#include "internal.h"

void set_mem(struct oomsnap_logparser *lp, unsigned int idx, __u64 v,
	     bool in_kb)
{
	oomsnap_mem_set(&lp->ev.rec, idx, v);
	if (in_kb)
		lp->mem_kb |= 1ULL << idx;
	else
		lp->mem_kb &= ~(1ULL << idx);
}

void add_mem(struct oomsnap_logparser *lp, unsigned int idx, __u64 v,
	     bool in_kb)
{
	struct oomsnap_record *rec = &lp->ev.rec;

	if (rec->mem_have & (1ULL << idx))
		v += rec->mem[idx];
	set_mem(lp, idx, v, in_kb);
}

/*
 * lowmem_reserve[] prints one column per kernel zone index. Rebuild the
 * kernel's zone list from the zones shown: DMA and DMA32 when present,
 * Normal, HighMem when present, Movable, Device; trimmed or extended to
 * the number of columns.
 */
static void map_lowmem_reserve(struct oomsnap_logparser *lp)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	unsigned int list[OOMSNAP_MAX_ZONE_TYPES], n = 0, cols = 0, i, t;
	bool seen[OOMSNAP_MAX_ZONE_TYPES] = { false };

	for (i = 0; i < rec->nr_zones; i++) {
		if (rec->zones[i].zone_type < OOMSNAP_MAX_ZONE_TYPES)
			seen[rec->zones[i].zone_type] = true;
		if (lp->nr_reserve[i] > cols)
			cols = lp->nr_reserve[i];
	}
	if (!cols)
		return;
	if (seen[OOMSNAP_ZONE_DMA])
		list[n++] = OOMSNAP_ZONE_DMA;
	if (seen[OOMSNAP_ZONE_DMA32])
		list[n++] = OOMSNAP_ZONE_DMA32;
	list[n++] = OOMSNAP_ZONE_NORMAL;
	if (seen[OOMSNAP_ZONE_HIGHMEM])
		list[n++] = OOMSNAP_ZONE_HIGHMEM;
	list[n++] = OOMSNAP_ZONE_MOVABLE;
	list[n++] = OOMSNAP_ZONE_DEVICE;
	while (n > cols && n > 1)
		n--;
	while (n < cols && n < OOMSNAP_MAX_ZONE_TYPES)
		list[n++] = OOMSNAP_ZONE_UNKNOWN;

	for (i = 0; i < rec->nr_zones; i++) {
		struct oomsnap_zone *z = &rec->zones[i];
		__u64 raw[OOMSNAP_MAX_ZONE_TYPES], last = 0;
		unsigned int c;

		if (!lp->nr_reserve[i])
			continue;
		memcpy(raw, z->lowmem_reserve, sizeof(raw));
		memset(z->lowmem_reserve, 0, sizeof(z->lowmem_reserve));
		for (c = 0; c < lp->nr_reserve[i] && c < n; c++)
			if (list[c] < OOMSNAP_MAX_ZONE_TYPES)
				z->lowmem_reserve[list[c]] = raw[c];
		/* types this kernel lacks behave as the next lower one */
		for (t = 0; t < OOMSNAP_MAX_ZONE_TYPES; t++) {
			bool mapped = false;

			for (c = 0; c < n && c < lp->nr_reserve[i]; c++)
				if (list[c] == t)
					mapped = true;
			if (mapped)
				last = z->lowmem_reserve[t];
			else
				z->lowmem_reserve[t] = last;
		}
		z->have |= OOMSNAP_ZONE_HAVE_RESERVE;
	}
}

static __u64 kb_to_pages(__u64 kb, unsigned int page_kb)
{
	return kb / page_kb;
}

/*
 * An OOM whose paste lacks the memcg lines, with a call trace through a
 * cgroup's charge and no zone short of memory: a memcg OOM.
 */
static bool memcg_by_trace(const struct oomsnap_record *rec)
{
	unsigned int i;

	if (rec->type != OOMSNAP_EVENT_OOM || (rec->have & OOMSNAP_HAVE_MEMCG) ||
	    !oomsnap_memcg_trace(rec))
		return false;
	for (i = 0; i < rec->nr_zones; i++) {
		const struct oomsnap_zone *z = &rec->zones[i];

		/* "far above": twice the high watermark */
		if ((z->have & OOMSNAP_ZONE_HAVE_WMARK) &&
		    z->free <= 2 * z->wmark_high)
			return false;
	}
	return true;
}

static void finish_event(struct oomsnap_logparser *lp)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	unsigned int page_kb = lp->buddy_page_kb ? lp->buddy_page_kb : 4;
	unsigned int i, j;

	rec->page_size = page_kb * 1024;
	for (i = 0; i < rec->nr_zones; i++) {
		struct oomsnap_zone *z = &rec->zones[i];

		z->free = kb_to_pages(z->free, page_kb);
		z->wmark_boost = kb_to_pages(z->wmark_boost, page_kb);
		/* printed marks include the boost (wmark_pages()) */
		z->wmark_min = kb_to_pages(z->wmark_min, page_kb);
		z->wmark_low = kb_to_pages(z->wmark_low, page_kb);
		z->wmark_high = kb_to_pages(z->wmark_high, page_kb);
		if (z->wmark_boost <= z->wmark_min) {
			z->wmark_min -= z->wmark_boost;
			z->wmark_low -= z->wmark_boost;
			z->wmark_high -= z->wmark_boost;
		}
		z->reserved_highatomic = kb_to_pages(z->reserved_highatomic, page_kb);
		z->managed = kb_to_pages(z->managed, page_kb);
		z->present = kb_to_pages(z->present, page_kb);
		for (j = 0; j < OOMSNAP_ZONE_VMSTAT_SLOTS; j++)
			z->vmstat[j] = kb_to_pages(z->vmstat[j], page_kb);
	}
	map_lowmem_reserve(lp);
	for (i = 0; i < OOMSNAP_MAX_MEM; i++)
		if (lp->mem_kb & (1ULL << i))
			rec->mem[i] = kb_to_pages(rec->mem[i], page_kb);
	if (rec->have & OOMSNAP_HAVE_MEMCG) {
		rec->memcg_usage = kb_to_pages(rec->memcg_usage, page_kb);
		if (rec->memcg_limit != ~0ULL)
			rec->memcg_limit = kb_to_pages(rec->memcg_limit, page_kb);
		rec->memcg_swap_usage = kb_to_pages(rec->memcg_swap_usage, page_kb);
		if (rec->memcg_swap_limit != ~0ULL)
			rec->memcg_swap_limit = kb_to_pages(rec->memcg_swap_limit, page_kb);
	}
	if (rec->have & OOMSNAP_HAVE_VICTIM) {
		struct oomsnap_task *v = &rec->victim;

		v->total_vm = kb_to_pages(v->total_vm, page_kb);
		v->rss_anon = kb_to_pages(v->rss_anon, page_kb);
		v->rss_file = kb_to_pages(v->rss_file, page_kb);
		v->rss_shmem = kb_to_pages(v->rss_shmem, page_kb);
	}
	rec->nr_mem = OOMSNAP_MEM_NR;
	if (rec->nr_zones)
		rec->have |= OOMSNAP_HAVE_ZONES;
	if (!(rec->have & OOMSNAP_HAVE_SLABS))
		rec->slabs_status = OOMSNAP_NOT_IN_LOG;
	if (!(rec->have & OOMSNAP_HAVE_TASKS))
		rec->tasks_status = OOMSNAP_NOT_IN_LOG;
	if (!(rec->have & OOMSNAP_HAVE_STACK))
		rec->stack_status = OOMSNAP_NOT_IN_LOG;
	if (!(rec->have & OOMSNAP_HAVE_XEN))
		rec->xen_status = OOMSNAP_NOT_IN_LOG;
	if (rec->have & OOMSNAP_HAVE_GFP)
		rec->highest_zone = oomsnap_gfp_zone(rec->gfp);
	if (memcg_by_trace(rec))
		rec->type = OOMSNAP_EVENT_MEMCG_OOM;
	if (!rec->kernel_era) {
		if (lp->saw_boost)
			rec->kernel_era = OOMSNAP_ERA(5, 0);
		else if (lp->saw_highatomic || lp->gfp_names)
			rec->kernel_era = OOMSNAP_ERA(4, 4);
		else if (lp->saw_letters || lp->saw_managed)
			rec->kernel_era = OOMSNAP_ERA(3, 0);
		else if (rec->nr_zones)
			rec->kernel_era = OOMSNAP_ERA(2, 6);
	}
}

void close_event(struct oomsnap_logparser *lp)
{
	if (!lp->open)
		return;
	finish_event(lp);
	lp->open = false;
	lp->nr_events++;
	lp->emit(lp->ctx, &lp->ev);
}

/*
 * Boot and driver lines that say this kernel runs on Xen: "Booting kernel
 * on Xen" (PV; "Xen PVH", "Xen HVM"; paravirt.c's "Booting paravirtualized
 * kernel on ..." too) and xen-blkback's "backend/vbd/...: using N queues"
 * (only a backend domain, dom0 in practice, serves disks). They come
 * before the reports they explain, so the parser keeps them.
 */
bool xen_context_line(struct oomsnap_logparser *lp, const char *p,
		      const char *end)
{
	const char *on;

	if (p < end && *p == 'x') {
		if (!starts(p, end, "xen-blkback: backend/"))
			return false;
		lp->xen_backend = true;
		return true;
	}
	if (!starts(p, end, "Booting kernel on ") &&
	    !starts(p, end, "Booting paravirtualized kernel on "))
		return false;
	on = find(p, end, " on ") + 4;
	if (!starts(on, end, "Xen"))
		lp->xen_mode = OOMSNAP_XEN_NONE;
	else if (starts(on, end, "Xen HVM"))
		lp->xen_mode = OOMSNAP_XEN_HVM_DOMU;
	else if (starts(on, end, "Xen PVH"))
		lp->xen_mode = OOMSNAP_XEN_PVH;
	else
		lp->xen_mode = OOMSNAP_XEN_PV;
	return true;
}

/* A Xen domain, as a log shows one: its kind at most, never its numbers. */
void mark_xen(struct oomsnap_record *rec, unsigned int domain)
{
	rec->have |= OOMSNAP_HAVE_XEN;
	rec->xen_status = OOMSNAP_OK;
	rec->xen.domain = domain;
	rec->xen.balloon_status = OOMSNAP_NOT_IN_LOG;
	rec->xen.blkback_status = OOMSNAP_NOT_IN_LOG;
	rec->xen.blkback_held_status = OOMSNAP_NOT_IN_LOG;
	rec->xen.grant_status = OOMSNAP_NOT_IN_LOG;
}

static void apply_xen_context(struct oomsnap_logparser *lp)
{
	unsigned int domain = lp->xen_mode;

	if (lp->xen_backend)
		domain = domain == OOMSNAP_XEN_PV ? OOMSNAP_XEN_PV_DOM0 :
			 domain == OOMSNAP_XEN_PVH ? OOMSNAP_XEN_PVH_DOM0 :
			 OOMSNAP_XEN_DOM0;
	if (domain != OOMSNAP_XEN_NONE)
		mark_xen(&lp->ev.rec, domain);
}

void start_event(struct oomsnap_logparser *lp, unsigned int type,
		 bool header)
{
	close_event(lp);
	memset(&lp->ev, 0, sizeof(lp->ev));
	oomsnap_record_init(&lp->ev.rec);
	lp->ev.rec.type = type;
	lp->ev.rec.seq = lp->nr_events + 1;
	lp->ev.line = lp->line_start;
	lp->ev.last_line = lp->line_start;
	lp->ev.has_header = header;
	lp->open = true;
	lp->cur_zone = -1;
	memset(lp->nr_reserve, 0, sizeof(lp->nr_reserve));
	lp->block = OOMSNAP_LOG_BLOCK_NONE;
	lp->nr_task_cols = 0;
	lp->mem_kb = 0;
	lp->buddy_page_kb = 0;
	lp->victim_seen = false;
	lp->group_kill = false;
	lp->gfp_names = false;
	lp->saw_boost = false;
	lp->saw_highatomic = false;
	lp->saw_letters = false;
	lp->saw_managed = false;
	apply_xen_context(lp);
}
