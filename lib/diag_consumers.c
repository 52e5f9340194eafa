// SPDX-License-Identifier: GPL-2.0
/*
 * Who holds the memory: the consumers weighed against RAM or against the
 * zones the request may use, swap and overcommit, Xen's own pools.
 */
#include "diag.h"
#include "mem.h"

static bool xen_dom0(const struct oomsnap_record *rec)
{
	return (rec->have & OOMSNAP_HAVE_XEN) && !rec->xen_status &&
	       (rec->xen.domain == OOMSNAP_XEN_PV_DOM0 ||
		rec->xen.domain == OOMSNAP_XEN_PVH_DOM0 ||
		rec->xen.domain == OOMSNAP_XEN_DOM0);
}

static bool blkback_held_known(const struct oomsnap_record *rec)
{
	return xen_dom0(rec) && !rec->xen.blkback_status &&
	       !rec->xen.blkback_held_status;
}

static bool grant_known(const struct oomsnap_record *rec)
{
	return (rec->have & OOMSNAP_HAVE_XEN) && !rec->xen_status &&
	       !rec->xen.grant_status && rec->xen.grant_mapped_pages;
}

/*
 * Xen memory the snapshot could put a number on: the pages blkback's pools
 * hold (when observable) and the ballooned-out pages lent for grant
 * mappings. The first is part of what no kernel counter accounts for, so
 * it is taken out of "unaccounted" and named; grant pages left RAM
 * through the balloon, so they are named but were never in unaccounted.
 */
static __u64 xen_named_pages(const struct oomsnap_record *rec)
{
	return blkback_held_known(rec) ? rec->xen.blkback_pages_held : 0;
}

static unsigned int xen_consumers(const struct oomsnap_record *rec,
				  struct consumer *out)
{
	unsigned int n = 0;

	if (blkback_held_known(rec))
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_KERNEL_UNACCOUNTED,
			rec->xen.blkback_pages_held,
			"xen-blkback page pools and persistent grants" };
	if (grant_known(rec))
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_KERNEL_UNACCOUNTED,
			rec->xen.grant_mapped_pages,
			"Xen grant mappings (ballooned-out pages lent to backends)" };
	return n;
}

/*
 * What a dom0 snapshot or log says about Xen's own holders of memory,
 * whatever the cause: the balloon's size and xen-blkback's pools, with
 * what can't be seen said so.
 */
void diag_xen_evidence(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	const struct oomsnap_xen *x = &rec->xen;
	__u64 ram = 0, unacc;

	if (!(rec->have & OOMSNAP_HAVE_XEN) || rec->xen_status)
		return;
	if (!x->balloon_status) {
		if (x->balloon_low + x->balloon_high)
			evidence(c,
				 "Xen balloon: %llukB handed back to Xen (current %llukB, target %llukB): not part of this domain's RAM",
				 kb(c, x->balloon_low + x->balloon_high),
				 kb(c, x->balloon_current), kb(c, x->balloon_target));
		else
			evidence(c,
				 "Xen balloon: current %llukB, target %llukB, nothing ballooned out",
				 kb(c, x->balloon_current), kb(c, x->balloon_target));
	}
	if (x->blkback_status == OOMSNAP_NOT_IN_LOG) {
		evidence(c, "Xen %s", oomsnap_xen_domain_name(x->domain));
		if (xen_dom0(rec) || x->domain == OOMSNAP_XEN_PV ||
		    x->domain == OOMSNAP_XEN_PVH)
			missing(c,
				"Xen: a kernel log never shows the balloon or what xen-blkback's page pools and persistent grants hold (in dom0 they are inside the memory no counter accounts for); oomsnap's snapshot records both");
		return;
	}
	if (!xen_dom0(rec))
		return;
	if (x->blkback_status) {
		evidence(c, "xen-blkback: %s", oomsnap_status_name(x->blkback_status));
		return;
	}
	mem_get(rec, OOMSNAP_MEM_TOTALRAM, &ram);
	if (!x->blkback_held_status) {
		evidence(c,
			 "xen-blkback: %u vbds, %u rings hold %llukB in page pools and persistent grants (limit %llukB)",
			 x->blkback_vbds, x->blkback_rings,
			 kb(c, x->blkback_pages_held), kb(c, x->blkback_pages_worst));
		return;
	}
	evidence(c,
		 "xen-blkback: %u vbds, %u rings; page pools and persistent grants may hold up to %llukB (%u%% of RAM); what they hold now is not observable from a module",
		 x->blkback_vbds, x->blkback_rings, kb(c, x->blkback_pages_worst),
		 pct(x->blkback_pages_worst, ram));
	if (x->grant_status == OOMSNAP_NOT_EXPORTED)
		evidence(c,
			 "xen-blkback: with CONFIG_XEN_UNPOPULATED_ALLOC (Debian's kernels) its pool pages are unused address space, costing RAM only their struct pages");
	else if (mem_get(rec, OOMSNAP_MEM_UNACCOUNTED, &unacc))
		evidence(c,
			 "xen-blkback can explain at most %llukB of the %llukB no counter accounts for",
			 kb(c, x->blkback_pages_worst < unacc ?
			       x->blkback_pages_worst : unacc),
			 kb(c, unacc));
}

/*
 * A kernel log has no "unaccounted" line: RAM ("pages RAM", every present
 * page) minus the pages it reserved minus every counter the report
 * printed. Whatever it does not print (vmalloc, percpu on most kernels)
 * stays in, so this is an upper bound; stacks are left to vmalloc where a
 * log ever shows both, which keeps it one.
 */
static bool log_unaccounted(const struct oomsnap_record *rec, __u64 *out)
{
	__u64 total, reserved;

	if (!mem_get(rec, OOMSNAP_MEM_TOTALRAM, &total) ||
	    !mem_get(rec, OOMSNAP_MEM_RESERVED, &reserved))
		return false;
	return oomsnap_mem_unaccounted(rec, total > reserved ? total - reserved : 0,
				       0, true, out);
}

/*
 * What holds the memory the request could use. In the lowmem view,
 * per-zone counters (old logs) or the global kernel counters (kernel
 * memory lives in lowmem) are weighed against the eligible zones.
 */
static unsigned int gather_consumers(struct diag_ctx *c, struct consumer *out,
				     __u64 *base, const char **base_what)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 v, unevictable, mlocked;
	bool have_mlocked;
	unsigned int n = 0;

	*base = 0;
	if (c->lowmem_view) {
		*base = diag_eligible_size(c);
		*base_what = "the zones this request may use";
	}
	if (!*base) {
		c->lowmem_view = false;
		if (!mem_get(rec, OOMSNAP_MEM_TOTALRAM, base))
			*base = diag_all_zones_size(rec);
		*base_what = "RAM";
	}

	if (c->lowmem_view && diag_zone_sum(c, OOMSNAP_ZONE_HAVE_SLAB,
					    OOMSNAP_ZV_SLAB_UNRECLAIMABLE, true, &v))
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE, v,
					      "slab_unreclaimable in those zones" };
	else if (mem_get(rec, OOMSNAP_MEM_SLAB_UNRECLAIMABLE, &v) ||
		 /* zone lines alone (an excerpt): their slab counters */
		 diag_zone_sum(c, OOMSNAP_ZONE_HAVE_SLAB,
			       OOMSNAP_ZV_SLAB_UNRECLAIMABLE, false, &v))
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE, v,
					      "slab_unreclaimable" };

	n += xen_consumers(rec, out + n);
	if (mem_get(rec, OOMSNAP_MEM_UNACCOUNTED, &v)) {
		__u64 named = xen_named_pages(rec);

		out[n++] = (struct consumer){ OOMSNAP_CAUSE_KERNEL_UNACCOUNTED,
			v > named ? v - named : 0,
			"memory no counter accounts for (driver pools)" };
	} else if (log_unaccounted(rec, &v)) {
		out[n++] = (struct consumer){
			OOMSNAP_CAUSE_KERNEL_UNACCOUNTED, v,
			"memory no counter in the report accounts for (driver pools; vmalloc, percpu)"
		};
	}

	have_mlocked = false;
	mlocked = 0;
	if (c->lowmem_view && diag_zone_sum(c, OOMSNAP_ZONE_HAVE_VMSTAT,
					    OOMSNAP_ZV_MLOCK, true, &v)) {
		mlocked = v;
		have_mlocked = true;
	} else if (mem_get(rec, OOMSNAP_MEM_MLOCKED, &v) ||
		   /* 4.8+ logs print mlocked per zone only */
		   diag_zone_sum(c, OOMSNAP_ZONE_HAVE_VMSTAT, OOMSNAP_ZV_MLOCK,
				 false, &v)) {
		mlocked = v;
		have_mlocked = true;
	}
	if (have_mlocked)
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_MLOCKED, mlocked,
					      "mlocked" };

	v = mem_or0(rec, OOMSNAP_MEM_SHMEM);
	if (mem_get(rec, OOMSNAP_MEM_UNEVICTABLE, &unevictable) &&
	    unevictable > mlocked) {
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_SHMEM,
			v + unevictable - mlocked,
			have_mlocked ? "shmem + unevictable not mlocked (ramfs, SHM_LOCK)" :
			"shmem + unevictable (ramfs, SHM_LOCK or mlock: the log can't tell)" };
		if (!have_mlocked)
			missing(c,
				"mlocked not in input: unevictable pages counted as ramfs/locked shmem");
	} else if (rec->mem_have & (1ULL << OOMSNAP_MEM_SHMEM)) {
		out[n++] = (struct consumer){ OOMSNAP_CAUSE_SHMEM, v, "shmem" };
	}

	if (mem_get(rec, OOMSNAP_MEM_HUGETLB_TOTAL, &v))
		out[n++] = (struct consumer){
			OOMSNAP_CAUSE_HUGETLB, v,
			"hugetlb pool (free huge pages are not free memory)"
		};

	if (!(c->alloc_flags & OOMSNAP_ALLOC_CMA) &&
	    mem_get(rec, OOMSNAP_MEM_FREE_CMA, &v))
		out[n++] = (struct consumer){
			OOMSNAP_CAUSE_CMA, v,
			"free CMA pages this non-movable request may not use"
		};
	return n;
}

/* Name the largest unreclaimable slab cache, when the input lists caches. */
static void top_slab_evidence(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	unsigned int i;

	if (!(rec->have & OOMSNAP_HAVE_SLABS) || rec->slabs_status)
		return;
	for (i = 0; i < rec->nr_slabs && i < OOMSNAP_TOP_SLABS; i++) {
		const struct oomsnap_slab *s = &rec->slabs[i];

		if (s->reclaimable)
			continue;
		evidence(c, "largest unreclaimable slab cache: %.*s %llukB",
			 (int)sizeof(s->name), s->name,
			 s->bytes >> 10);
		return;
	}
}

void diag_consumer_verdict(struct diag_ctx *c, bool decide)
{
	struct consumer cons[8];
	const char *base_what = "RAM";
	unsigned int i, n, best = 0;
	__u64 base, lru;
	bool have_lru;

	n = gather_consumers(c, cons, &base, &base_what);
	if (!base) {
		missing(c,
			"no RAM size in input (no \"pages of RAM\", zone sizes or totals): can't weigh consumers");
		return;
	}
	for (i = 1; i < n; i++)
		if (cons[i].pages > cons[best].pages)
			best = i;

	if (n && cons[best].pages * PRIMARY_SHARE_DIV >= base) {
		c->lead_cause = cons[best].cause;
		c->lead_pct = pct(cons[best].pages, base);
		if (decide)
			c->diag->cause = cons[best].cause;
		else if (c->diag->cause != cons[best].cause)
			c->diag->contributing |= 1U << cons[best].cause;
		evidence(c, "%s: %llukB = %u%% of %s (%llukB)",
			 cons[best].what, kb(c, cons[best].pages),
			 pct(cons[best].pages, base), base_what, kb(c, base));
		if (cons[best].cause == OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE)
			top_slab_evidence(c);
	} else {
		best = n;	/* none leads */
	}
	for (i = 0; i < n; i++) {
		if (i == best || cons[i].pages * CONTRIB_SHARE_DIV < base)
			continue;
		if (c->diag->cause != cons[i].cause)
			c->diag->contributing |= 1U << cons[i].cause;
		evidence(c, "%s: %llukB = %u%% of %s",
			 cons[i].what, kb(c, cons[i].pages),
			 pct(cons[i].pages, base), base_what);
		if (cons[i].cause == OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE)
			top_slab_evidence(c);
	}
	if (!decide || best < n)
		return;

	have_lru = false;
	lru = 0;
	for (i = OOMSNAP_MEM_ACTIVE_ANON; i <= OOMSNAP_MEM_INACTIVE_FILE; i++) {
		__u64 v;

		if (mem_get(c->rec, i, &v)) {
			lru += v;
			have_lru = true;
		}
	}
	/* a paste of zone lines alone: their LRU counters */
	for (i = OOMSNAP_ZV_INACTIVE_ANON; !have_lru && i <= OOMSNAP_ZV_ACTIVE_FILE; i++) {
		__u64 v;

		if (diag_zone_sum(c, OOMSNAP_ZONE_HAVE_VMSTAT, i, false, &v))
			lru += v;
		if (i == OOMSNAP_ZV_ACTIVE_FILE)
			have_lru = lru > 0;
	}
	if (have_lru && pct(lru, base) >= USER_FILLED_PCT) {
		c->diag->cause = OOMSNAP_CAUSE_EXHAUSTED;
		evidence(c,
			 "no special consumer holds a third of %s; LRU (user) pages %llukB = %u%% of RAM %llukB",
			 base_what, kb(c, lru), pct(lru, base), kb(c, base));
	} else if (have_lru) {
		/* user memory did not fill RAM: something the report misses did */
		evidence(c,
			 "LRU (user) pages %llukB = only %u%% of %s %llukB: user memory did not fill it",
			 kb(c, lru), pct(lru, base), base_what, kb(c, base));
		missing(c,
			"no counter in input names what holds the rest of %s (slab, kernel, driver pages): can't name the consumer",
			base_what);
	} else {
		missing(c, "no LRU or consumer counters in input: can't tell what filled memory");
	}
}

/*
 * Overcommit: more anonymous memory promised (Committed_AS) than RAM and
 * swap together can ever hold, so touching it must end in an OOM. The
 * CommitLimit (swap + overcommit_ratio% of RAM) is only enforced with
 * vm.overcommit_memory=2 and is exceeded on most busy hosts in the
 * default heuristic mode, so it is shown, not judged. A kernel log has
 * neither counter; a victim whose address space alone is larger than
 * RAM + swap is the closest it gets, and is said as such.
 */
static void commit_check(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 committed, limit = 0, ram, swap = 0;

	if (!mem_get(rec, OOMSNAP_MEM_TOTALRAM, &ram))
		return;
	mem_get(rec, OOMSNAP_MEM_SWAP_TOTAL, &swap);
	if (!mem_get(rec, OOMSNAP_MEM_COMMITTED, &committed)) {
		if (!(rec->have & OOMSNAP_HAVE_VICTIM) ||
		    rec->victim.total_vm <= ram + swap)
			return;
		evidence(c,
			 "victim's address space %llukB is larger than RAM %llukB + swap %llukB: it reserved more than exists (overcommit, or sparse mappings)",
			 kb(c, rec->victim.total_vm), kb(c, ram), kb(c, swap));
		missing(c,
			"Committed_AS and CommitLimit are not in a kernel OOM report: can't tell whether memory was overcommitted");
		return;
	}
	if (committed <= ram + swap)
		return;
	c->diag->contributing |= 1U << OOMSNAP_FACTOR_OVERCOMMIT;
	mem_get(rec, OOMSNAP_MEM_COMMIT_LIMIT, &limit);
	evidence(c,
		 "overcommit: committed %llukB > RAM %llukB + swap %llukB (commit limit %llukB, enforced only with vm.overcommit_memory=2)",
		 kb(c, committed), kb(c, ram), kb(c, swap), kb(c, limit));
}

void diag_swap_and_commit(struct diag_ctx *c)
{
	const struct oomsnap_record *rec = c->rec;
	__u64 total, free_swap, cached;

	if (mem_get(rec, OOMSNAP_MEM_SWAP_TOTAL, &total)) {
		if (!total) {
			c->diag->contributing |= 1U << OOMSNAP_FACTOR_NO_SWAP;
			evidence(c, "no swap: anonymous and shmem pages could not be reclaimed");
		} else if (mem_get(rec, OOMSNAP_MEM_SWAP_FREE, &free_swap) &&
			   free_swap * 100 <= total * SWAP_FULL_PCT) {
			c->diag->contributing |= 1U << OOMSNAP_FACTOR_SWAP_FULL;
			evidence(c, "swap full: %llukB free of %llukB",
				 kb(c, free_swap), kb(c, total));
		} else if (mem_get(rec, OOMSNAP_MEM_SWAP_FREE, &free_swap)) {
			/* free swap next to an OOM: what filled RAM can't go there */
			evidence(c, "free swap: %llukB free of %llukB, not what ran out",
				 kb(c, free_swap), kb(c, total));
		}
	} else if (mem_get(rec, OOMSNAP_MEM_SWAP_CACHED, &cached) && cached) {
		evidence(c, "swap in use: %llukB swap cached", kb(c, cached));
		missing(c, "swap totals not in input: can't tell whether swap was full");
	} else {
		missing(c, "swap totals not in input: can't tell whether swap was full or absent");
	}

	commit_check(c);
}

