// SPDX-License-Identifier: GPL-2.0
/*
 * The text a person reads with cat: /sys/kernel/debug/oomsnap/last and
 * "oomsnap show". Sections in the order a reader asks questions: what
 * happened, what was asked for, where memory was (zones, blocks, consumers,
 * tasks, slab caches, Xen), the stack, then why. Sizes in kB in tables (as
 * the kernel's own report), kB/MB in prose; absent sections say why.
 */
#include "base.h"
#include "decode.h"
#include "diagnose.h"
#include "names.h"
#include "render.h"
#include "watermark.h"

static __printf(2, 3)
void out(struct oomsnap_printer *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	p->vprintf(p->ctx, fmt, ap);
	va_end(ap);
}

unsigned int oomsnap_utf8_len(const unsigned char *s, size_t n)
{
	unsigned int len, i;

	if (!n || s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* A UTF-8 sequence that prints: C1 controls (U+0080..U+009F) do not. */
static unsigned int utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned int len = oomsnap_utf8_len(s, n);

	if (len == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return len;
}

/*
 * Bytes a process or an administrator chose (task names, cgroup paths) as
 * dmesg prints them: control bytes, DEL, C1 controls and bytes that are not
 * UTF-8 become "\\xNN", so nothing read from a record can move a terminal's
 * cursor, retitle it or start a line of its own. A backslash is doubled
 * only where "\\x" follows, so the escaping can be undone. Valid UTF-8
 * passes through. Returns the width written; pads to @width (negative:
 * left-justified) like "%-*s".
 */
static unsigned int escaped_str(struct oomsnap_printer *p, const char *str,
				size_t max, bool emit)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned int width = 0;
	size_t i = 0, n = strnlen(str, max);

	while (i < n) {
		size_t run = i;
		unsigned int len;

		while (run < n && s[run] >= 0x20 && s[run] < 0x7f &&
		       !(s[run] == '\\' && run + 1 < n && s[run + 1] == 'x'))
			run++;
		if (run > i) {
			if (emit)
				out(p, "%.*s", (int)(run - i), str + i);
			width += run - i;
			i = run;
			continue;
		}
		len = s[i] >= 0x80 ? utf8_seq_len(s + i, n - i) : 0;
		if (len) {
			if (emit)
				out(p, "%.*s", (int)len, str + i);
			width++;
			i += len;
		} else if (s[i] == '\\') {
			if (emit)
				out(p, "\\\\");
			width += 2;
			i++;
		} else {
			if (emit)
				out(p, "\\x%02x", s[i]);
			width += 4;
			i++;
		}
	}
	return width;
}

unsigned int oomsnap_print_str(struct oomsnap_printer *p, const char *s,
			       size_t max, int width)
{
	unsigned int w = escaped_str(p, s, max, false);
	unsigned int pad = 0;

	if (width > 0 && (unsigned int)width > w)
		pad = width - w;
	if (width < 0 && (unsigned int)-width > w)
		pad = -width - w;
	if (width > 0 && pad)
		out(p, "%*s", (int)pad, "");
	escaped_str(p, s, max, true);
	if (width < 0 && pad)
		out(p, "%*s", (int)pad, "");
	return w + pad;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian, 32-bit math). */
static void civil_from_days(__u32 z, unsigned int *y, unsigned int *m,
			    unsigned int *d)
{
	__u32 era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

const char *oomsnap_format_realtime(char *buf, size_t len, __u64 realtime_ns)
{
	__u64 secs = oomsnap_div64(realtime_ns, 1000000000ULL);
	__u64 days = oomsnap_div64(secs, 86400);
	unsigned int sod = secs - days * 86400, y, m, d;

	if (!realtime_ns) {
		snprintf(buf, len, "-");
		return buf;
	}
	civil_from_days((__u32)days, &y, &m, &d);
	snprintf(buf, len, "%04u-%02u-%02uT%02u:%02u:%02uZ", y, m,
		 d, sod / 3600, sod / 60 % 60, sod % 60);
	return buf;
}

/* "812kB", "31MB", "2048MB": exact kB below 10 MB, whole MB above. */
static const char *size_str(char *buf, size_t len,
			    const struct oomsnap_record *rec, __u64 pages)
{
	__u64 kb = oomsnap_pages_kb(rec, pages);

	if (kb < 10240)
		snprintf(buf, len, "%llukB", kb);
	else
		snprintf(buf, len, "%lluMB", oomsnap_div64(kb, 1024));
	return buf;
}

/* A zone table cell: kB, or "-" for a value the record lacks. */
static void out_kb(struct oomsnap_printer *p, const struct oomsnap_record *rec,
		   bool have, __u64 pages)
{
	if (have)
		out(p, " %9llu", oomsnap_pages_kb(rec, pages));
	else
		out(p, " %9s", "-");
}

static unsigned int nr_zones(const struct oomsnap_record *rec)
{
	return rec->nr_zones < OOMSNAP_MAX_ZONES ? rec->nr_zones :
						   OOMSNAP_MAX_ZONES;
}

static const char *zone_name(const struct oomsnap_zone *z)
{
	return z->name[0] ? z->name : oomsnap_zone_type_name(z->zone_type);
}

static void print_event(struct oomsnap_printer *p,
			const struct oomsnap_record *rec)
{
	__u64 sec = oomsnap_div64(rec->time_ns, 1000000000ULL);
	__u64 usec = oomsnap_div64(rec->time_ns - sec * 1000000000ULL, 1000);

	char when[32];

	out(p, "event #%llu: %s at [%5llu.%06llu] %s on cpu %u%s\n",
	    rec->seq, oomsnap_event_type_name(rec->type), sec, usec,
	    oomsnap_format_realtime(when, sizeof(when), rec->realtime_ns),
	    rec->cpu, rec->in_irq ? " (in interrupt)" : "");
	if (rec->have & OOMSNAP_HAVE_AFTER_KILL)
		out(p, "taken:      %s\n",
		    "when the victim was marked (the entry hook ran as an NMI): after the kill, no task list");
	if (rec->have & OOMSNAP_HAVE_TASK) {
		out(p, "task:       ");
		oomsnap_print_str(p, rec->task.comm, sizeof(rec->task.comm), 0);
		out(p, " pid %d tgid %d oom_score_adj %d\n", rec->task.pid,
		    rec->task.tgid, rec->task.oom_score_adj);
	}
}

static void print_request(struct oomsnap_printer *p,
			  const struct oomsnap_record *rec)
{
	char gfp[160], a[24], b[24];

	if (rec->have & OOMSNAP_HAVE_GFP) {
		oomsnap_gfp_format(rec->gfp, gfp, sizeof(gfp));
		out(p, "request:    gfp %s (0x%llx, %s), order %d, zones up to %s\n",
		    gfp, rec->gfp_raw,
		    oomsnap_gfp_class_name(oomsnap_gfp_class(rec->gfp)),
		    rec->order, oomsnap_zone_type_name(rec->highest_zone));
	} else if (rec->have & OOMSNAP_HAVE_ORDER) {
		out(p, "request:    gfp not available, order %d\n", rec->order);
	} else {
		out(p, "request:    not available (gfp and order not captured)\n");
	}
	if (rec->have & (OOMSNAP_HAVE_NODEMASK | OOMSNAP_HAVE_CONSTRAINT)) {
		if (rec->nodemask)
			out(p, "nodes:      mask 0x%llx, constraint %s\n",
			    rec->nodemask,
			    oomsnap_constraint_name(rec->constraint));
		else
			out(p, "nodes:      all, constraint %s\n",
			    oomsnap_constraint_name(rec->constraint));
	}
	if (rec->have & OOMSNAP_HAVE_MEMCG) {
		out(p, "memcg:      ");
		oomsnap_print_str(p, rec->memcg_path, sizeof(rec->memcg_path), 0);
		if (rec->memcg_limit == ~0ULL)
			out(p, " usage %s, limit max",
			    size_str(a, sizeof(a), rec, rec->memcg_usage));
		else
			out(p, " usage %s of limit %s",
			    size_str(a, sizeof(a), rec, rec->memcg_usage),
			    size_str(b, sizeof(b), rec, rec->memcg_limit));
		/* both 0: no swap accounting, or none shown */
		if (rec->memcg_swap_limit == ~0ULL)
			out(p, "; swap %s, limit max",
			    size_str(a, sizeof(a), rec, rec->memcg_swap_usage));
		else if (rec->memcg_swap_usage || rec->memcg_swap_limit)
			out(p, "; swap %s of limit %s",
			    size_str(a, sizeof(a), rec, rec->memcg_swap_usage),
			    size_str(b, sizeof(b), rec, rec->memcg_swap_limit));
		out(p, "\n");
	}
	if (rec->have & OOMSNAP_HAVE_VICTIM) {
		const struct oomsnap_task *v = &rec->victim;

		out(p, "victim:     ");
		oomsnap_print_str(p, v->comm, sizeof(v->comm), 0);
		out(p, " pid %d, rss anon %s file %s shmem %s, oom_score_adj %d\n",
		    v->pid, size_str(a, sizeof(a), rec, v->rss_anon),
		    size_str(b, sizeof(b), rec, v->rss_file),
		    size_str(gfp, sizeof(gfp), rec, v->rss_shmem),
		    v->oom_score_adj);
	}
}

static void print_zones(struct oomsnap_printer *p,
			const struct oomsnap_record *rec)
{
	unsigned int hz = rec->highest_zone < OOMSNAP_MAX_ZONE_TYPES ?
			  rec->highest_zone : OOMSNAP_ZONE_NORMAL;
	bool have_req = rec->have & OOMSNAP_HAVE_GFP;
	unsigned int i, o;

	out(p,
	    "\nzones (kB)         free       min       low      high     boost  highatom   managed   reserve  check\n");
	for (i = 0; i < nr_zones(rec); i++) {
		const struct oomsnap_zone *z = &rec->zones[i];
		struct oomsnap_wmark_check chk;
		const char *verdict = "-";
		__u64 mark = z->wmark_min + z->wmark_boost;

		if (have_req && (z->have & OOMSNAP_ZONE_HAVE_WMARK) &&
		    (z->have & OOMSNAP_ZONE_HAVE_FREE)) {
			if (z->zone_type > hz)
				verdict = "n/a";
			else if (oomsnap_zone_watermark_ok(rec, z, rec->order, mark,
							   hz,
							   oomsnap_alloc_flags(rec, rec->gfp,
									       rec->order),
							   &chk))
				verdict = "ok";
			else
				verdict = chk.order0_ok ? "FAIL(order)" : "FAIL";
		}
		out(p, "node%-2u %-8s", z->node, zone_name(z));
		out_kb(p, rec, z->have & OOMSNAP_ZONE_HAVE_FREE, z->free);
		out_kb(p, rec, z->have & OOMSNAP_ZONE_HAVE_WMARK, z->wmark_min);
		out_kb(p, rec, z->have & OOMSNAP_ZONE_HAVE_WMARK, z->wmark_low);
		out_kb(p, rec, z->have & OOMSNAP_ZONE_HAVE_WMARK, z->wmark_high);
		out_kb(p, rec, z->have & OOMSNAP_ZONE_HAVE_BOOST, z->wmark_boost);
		out_kb(p, rec, z->have & OOMSNAP_ZONE_HAVE_HIGHATOMIC,
		       z->reserved_highatomic);
		out_kb(p, rec, z->have & (OOMSNAP_ZONE_HAVE_MANAGED |
					  OOMSNAP_ZONE_HAVE_PRESENT),
		       (z->have & OOMSNAP_ZONE_HAVE_MANAGED) ? z->managed :
							       z->present);
		out_kb(p, rec, z->have & OOMSNAP_ZONE_HAVE_RESERVE,
		       z->lowmem_reserve[hz]);
		out(p, "  %s%s\n", verdict,
		    (z->flags & OOMSNAP_ZONE_ALL_UNRECLAIMABLE) ?
		    " all_unreclaimable" : "");
	}
	if (!nr_zones(rec))
		out(p, "  not available\n");
	if (rec->zones_omitted)
		out(p, "  (%u more populated zones not captured)\n",
		    rec->zones_omitted);
	if (have_req)
		out(p,
		    "  check: __zone_watermark_ok() replica (%s) at min+boost for order %d; reserve = lowmem_reserve[%s]\n",
		    oomsnap_wmark_rule_name(oomsnap_wmark_rule(rec)), rec->order,
		    oomsnap_zone_type_name(hz));

	out(p, "\nfree blocks per order (count)\n");
	out(p, "%-15s", "");
	for (o = 0; o < 11; o++)
		out(p, " %6u", o);
	out(p, "\n");
	for (i = 0; i < nr_zones(rec); i++) {
		const struct oomsnap_zone *z = &rec->zones[i];
		unsigned int n = z->nr_orders < OOMSNAP_MAX_ORDERS ?
				 z->nr_orders : OOMSNAP_MAX_ORDERS;

		if (!(z->have & OOMSNAP_ZONE_HAVE_BUDDY))
			continue;
		out(p, "node%-2u %-8s", z->node, zone_name(z));
		for (o = 0; o < n; o++)
			out(p, " %6llu", z->nr_free[o]);
		out(p, "\n");
		if (z->have & OOMSNAP_ZONE_HAVE_MT) {
			static const char letters[] = "UMEHCI";
			unsigned int mt, nmt = z->nr_migratetypes;

			if (nmt > OOMSNAP_MT_NR)
				nmt = OOMSNAP_MT_NR;
			for (mt = 0; mt < nmt; mt++) {
				out(p, "           %c   ", letters[mt]);
				for (o = 0; o < n; o++) {
					bool capped = z->mt_capped[o] & (1U << mt);

					if (z->flags & OOMSNAP_ZONE_MT_LETTERS)
						out(p, " %6s", z->nr_free_mt[o][mt] ? "yes" : "-");
					else
						out(p, " %5u%c", z->nr_free_mt[o][mt],
						    capped ? '+' : ' ');
				}
				out(p, "\n");
			}
		}
	}
	if (rec->walk_limit)
		out(p,
		    "  U/M/E/H/C/I: unmovable, movable, reclaimable, highatomic, CMA, isolate; '+' = walk stopped at %u\n",
		    rec->walk_limit);
}

struct mem_label {
	unsigned int idx;
	const char *label;
};

static const struct mem_label mem_labels[] = {
	{ OOMSNAP_MEM_TOTALRAM,		"total RAM" },
	{ OOMSNAP_MEM_FREE,		"free" },
	{ OOMSNAP_MEM_ACTIVE_ANON,	"active_anon" },
	{ OOMSNAP_MEM_INACTIVE_ANON,	"inactive_anon" },
	{ OOMSNAP_MEM_ACTIVE_FILE,	"active_file" },
	{ OOMSNAP_MEM_INACTIVE_FILE,	"inactive_file" },
	{ OOMSNAP_MEM_UNEVICTABLE,	"unevictable" },
	{ OOMSNAP_MEM_MLOCKED,		"mlocked" },
	{ OOMSNAP_MEM_SHMEM,		"shmem" },
	{ OOMSNAP_MEM_DIRTY,		"dirty" },
	{ OOMSNAP_MEM_WRITEBACK,	"writeback" },
	{ OOMSNAP_MEM_MAPPED,		"mapped" },
	{ OOMSNAP_MEM_SLAB_RECLAIMABLE,	"slab_reclaimable" },
	{ OOMSNAP_MEM_SLAB_UNRECLAIMABLE, "slab_unreclaimable" },
	{ OOMSNAP_MEM_KERNEL_STACK,	"kernel_stack" },
	{ OOMSNAP_MEM_PAGETABLES,	"pagetables" },
	{ OOMSNAP_MEM_PERCPU,		"percpu" },
	{ OOMSNAP_MEM_VMALLOC,		"vmalloc" },
	{ OOMSNAP_MEM_HUGETLB_TOTAL,	"hugetlb total" },
	{ OOMSNAP_MEM_HUGETLB_FREE,	"hugetlb free" },
	{ OOMSNAP_MEM_SWAP_TOTAL,	"swap total" },
	{ OOMSNAP_MEM_SWAP_FREE,	"swap free" },
	{ OOMSNAP_MEM_SWAP_CACHED,	"swap cached" },
	{ OOMSNAP_MEM_COMMITTED,	"committed" },
	{ OOMSNAP_MEM_COMMIT_LIMIT,	"commit limit" },
	{ OOMSNAP_MEM_BOUNCE,		"bounce" },
	{ OOMSNAP_MEM_FREE_CMA,		"free_cma" },
	{ OOMSNAP_MEM_FREE_PCP,		"free_pcp" },
	{ OOMSNAP_MEM_RESERVED,		"reserved" },
	{ OOMSNAP_MEM_ISOLATED,		"isolated" },
	{ OOMSNAP_MEM_SECONDARY_PAGETABLES, "sec_pagetables" },
	{ OOMSNAP_MEM_ANON_THP,		"anon_thp" },
	{ OOMSNAP_MEM_UNACCOUNTED,	"unaccounted" },
};

static_assert(ARRAY_SIZE(mem_labels) == OOMSNAP_MEM_NR,
	      "a label for every oomsnap_mem slot");

static void print_memory(struct oomsnap_printer *p,
			 const struct oomsnap_record *rec)
{
	unsigned int i, col = 0;
	char buf[24];

	out(p, "\nmemory\n");
	for (i = 0; i < ARRAY_SIZE(mem_labels); i++) {
		unsigned int idx = mem_labels[i].idx;

		if (!(rec->mem_have & (1ULL << idx)))
			continue;
		out(p, "  %-18s %10s", mem_labels[i].label,
		    size_str(buf, sizeof(buf), rec, rec->mem[idx]));
		if (++col % 3 == 0)
			out(p, "\n");
	}
	if (col % 3)
		out(p, "\n");
	if (!col)
		out(p, "  not available\n");
}

static void print_tasks(struct oomsnap_printer *p,
			const struct oomsnap_record *rec)
{
	unsigned int i, n = rec->nr_tasks < OOMSNAP_TOP_TASKS ?
			    rec->nr_tasks : OOMSNAP_TOP_TASKS;

	out(p, "\ntop tasks by RSS\n");
	if (!(rec->have & OOMSNAP_HAVE_TASKS) || rec->tasks_status) {
		out(p, "  not available: %s\n",
		    oomsnap_status_name(rec->tasks_status ? rec->tasks_status :
					OOMSNAP_NOT_CAPTURED));
		return;
	}
	out(p, "  %7s %7s %10s %10s %10s %10s %6s  %s\n", "pid", "tgid",
	    "total_vm", "rss_anon", "rss_file", "rss_shmem", "adj", "comm");
	for (i = 0; i < n; i++) {
		const struct oomsnap_task *t = &rec->tasks[i];

		out(p, "  %7d %7d %8llukB %8llukB %8llukB %8llukB %6d  ",
		    t->pid, t->tgid, oomsnap_pages_kb(rec, t->total_vm),
		    oomsnap_pages_kb(rec, t->rss_anon),
		    oomsnap_pages_kb(rec, t->rss_file),
		    oomsnap_pages_kb(rec, t->rss_shmem), t->oom_score_adj);
		oomsnap_print_str(p, t->comm, sizeof(t->comm), 0);
		out(p, "\n");
	}
	if (rec->tasks_capped)
		out(p, "  (scan stopped after %u tasks)\n", rec->tasks_scanned);
}

static void print_slabs(struct oomsnap_printer *p,
			const struct oomsnap_record *rec)
{
	unsigned int i, n = rec->nr_slabs < OOMSNAP_TOP_SLABS ?
			    rec->nr_slabs : OOMSNAP_TOP_SLABS;

	if (rec->have & OOMSNAP_HAVE_SLABS_AGE && rec->slabs_age_ms)
		out(p, "\ntop slab caches (as of %u ms before the event)\n",
		    rec->slabs_age_ms);
	else
		out(p, "\ntop slab caches\n");
	if (!(rec->have & OOMSNAP_HAVE_SLABS) || rec->slabs_status) {
		out(p, "  not available: %s\n",
		    oomsnap_status_name(rec->slabs_status ? rec->slabs_status :
					OOMSNAP_NOT_CAPTURED));
		return;
	}
	for (i = 0; i < n; i++) {
		const struct oomsnap_slab *s = &rec->slabs[i];

		out(p, "  ");
		oomsnap_print_str(p, s->name, sizeof(s->name), -32);
		out(p, " %10llukB %10llu objs of %u B%s\n", s->bytes >> 10,
		    s->num_objs, s->object_size,
		    s->reclaimable ? " (reclaimable)" : "");
	}
}

static void print_xen(struct oomsnap_printer *p,
		      const struct oomsnap_record *rec)
{
	const struct oomsnap_xen *x = &rec->xen;
	char a[24], b[24], c[24], d[24];

	if (!oomsnap_xen_shown(rec))
		return;
	out(p, "\nxen\n");
	if (rec->xen_status) {
		out(p, "  not available: %s\n", oomsnap_status_name(rec->xen_status));
		return;
	}
	out(p, "  domain: %s\n", oomsnap_xen_domain_name(x->domain));
	if (x->balloon_status)
		out(p, "  balloon: not available: %s\n",
		    oomsnap_status_name(x->balloon_status));
	else
		out(p, "  balloon: current %s, target %s; ballooned out %s (low) + %s (high)\n",
		    size_str(a, sizeof(a), rec, x->balloon_current),
		    size_str(b, sizeof(b), rec, x->balloon_target),
		    size_str(c, sizeof(c), rec, x->balloon_low),
		    size_str(d, sizeof(d), rec, x->balloon_high));
	if (x->blkback_status) {
		out(p, "  blkback: not available: %s\n",
		    oomsnap_status_name(x->blkback_status));
	} else {
		out(p,
		    "  blkback: %u vbds, %u rings; limits: max_buffer_pages %llu, max_persistent_grants %llu, max_ring_page_order %u\n",
		    x->blkback_vbds, x->blkback_rings,
		    x->blkback_max_buffer_pages,
		    x->blkback_max_persistent_grants,
		    x->blkback_max_ring_order);
		if (x->blkback_held_status)
			out(p, "  blkback pools: up to %s; held now: %s\n",
			    size_str(a, sizeof(a), rec, x->blkback_pages_worst),
			    oomsnap_status_name(x->blkback_held_status));
		else
			out(p, "  blkback pools: up to %s; held now %s\n",
			    size_str(a, sizeof(a), rec, x->blkback_pages_worst),
			    size_str(b, sizeof(b), rec, x->blkback_pages_held));
	}
	if (x->grant_status)
		out(p, "  grant mappings: %s\n", oomsnap_status_name(x->grant_status));
	else
		out(p, "  grant mappings: %s\n",
		    size_str(a, sizeof(a), rec, x->grant_mapped_pages));
}

static void print_stack(struct oomsnap_printer *p,
			const struct oomsnap_record *rec)
{
	unsigned int i, n = rec->stack_depth < OOMSNAP_STACK_DEPTH ?
			    rec->stack_depth : OOMSNAP_STACK_DEPTH;

	out(p, "\nstack\n");
	if (!(rec->have & OOMSNAP_HAVE_STACK) || rec->stack_status) {
		out(p, "  not available: %s\n",
		    oomsnap_status_name(rec->stack_status ? rec->stack_status :
					OOMSNAP_NOT_CAPTURED));
		return;
	}
	for (i = 0; i < n; i++) {
		out(p, "  ");
		oomsnap_print_str(p, rec->stack[i], sizeof(rec->stack[i]), 0);
		out(p, "\n");
	}
}

void oomsnap_print_diagnosis(struct oomsnap_printer *p,
			     const struct oomsnap_diagnosis *diag)
{
	unsigned int i, n;
	bool any = false;

	out(p, "  cause:        %s\n  contributing:",
	    oomsnap_cause_name(diag->cause));
	for (i = 0; i < OOMSNAP_CAUSE_NR; i++) {
		if (diag->contributing & (1U << i)) {
			out(p, " %s", oomsnap_cause_name(i));
			any = true;
		}
	}
	out(p, "%s\n", any ? "" : " none");
	n = diag->nr_evidence < OOMSNAP_DIAG_MAX_LINES ? diag->nr_evidence :
							 OOMSNAP_DIAG_MAX_LINES;
	if (n)
		out(p, "  evidence:\n");
	for (i = 0; i < n; i++) {
		out(p, "    - ");
		oomsnap_print_str(p, diag->evidence[i], OOMSNAP_DIAG_LINE_LEN, 0);
		out(p, "\n");
	}
	n = diag->nr_missing < OOMSNAP_DIAG_MAX_LINES ? diag->nr_missing :
							OOMSNAP_DIAG_MAX_LINES;
	if (n)
		out(p, "  missing:\n");
	for (i = 0; i < n; i++) {
		out(p, "    - ");
		oomsnap_print_str(p, diag->missing[i], OOMSNAP_DIAG_LINE_LEN, 0);
		out(p, "\n");
	}
}

void oomsnap_print_record(struct oomsnap_printer *p,
			  const struct oomsnap_record *rec,
			  const struct oomsnap_diagnosis *diag)
{
	print_event(p, rec);
	print_request(p, rec);
	print_zones(p, rec);
	print_memory(p, rec);
	print_tasks(p, rec);
	print_slabs(p, rec);
	print_xen(p, rec);
	print_stack(p, rec);
	if (diag) {
		out(p, "\ndiagnosis\n");
		oomsnap_print_diagnosis(p, diag);
	}
}
