// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel log text -> struct oomsnap_record, one per report, streaming.
 *
 * Formats, and where each lands in the record:
 *
 *  prefixes   "Mon DD hh:mm:ss host kernel: " (syslog, journalctl -k),
 *             "2024-01-02T03:04:05+00:00 host kernel: " (rsyslog ISO),
 *             "kern  :warn  : " (dmesg -x), "<4>", "[ 1234.567890] "
 *             (dmesg), "[Mon Jan  2 03:04:05 2024] " (dmesg -T),
 *             "[ T123] " (printk caller id). All optional, in that order.
 *  wrapping   a line without a prefix after one with a prefix continues it
 *             (pasted syslog); a line that starts with a known zone or
 *             Mem-Info key ("high:2808kB", " active_file:12") continues a
 *             zone or Mem-Info line; "N*SkB" continues a buddy line.
 *  reports    "X invoked oom-killer: gfp_mask=0x..(NAMES), order=N, ..."
 *             (2.6.2x+), "oom-killer: gfp_mask=0xd0, order=0" and a bare
 *             "oom-killer" (2.6.x), "X: page allocation failure[:.] order:N,
 *             mode:0x..(NAMES)[, nodemask=..]", memcg OOMs: "memory: usage
 *             NkB, limit NkB", "Task in /a killed as a result of limit of
 *             /b", "oom-kill:constraint=CONSTRAINT_MEMCG,..oom_memcg=/b",
 *             "Memory cgroup out of memory: Killed process". A dump without
 *             a header line (zone lines, Mem-Info) is a report of unknown
 *             type: the diagnosis says the header is missing.
 *  zones      "[Node N ]Zone free:NkB [boost:NkB ]min:NkB low:NkB high:NkB
 *             [reserved_highatomic:NKB] ... present:NkB [managed:NkB] ...
 *             [all_unreclaimable? yes]"; 5.x+ print min/low/high with the
 *             boost added (wmark_pages()): the record keeps them without.
 *             "lowmem_reserve[]: a b c" (pages, one per kernel zone index;
 *             mapped to zone types from the zones the log shows).
 *  buddy      "[Node N ]Zone: 1*4kB (U) 2*8kB (UM) ... = NkB"; the order-0
 *             block size gives the page size; letters give migratetypes.
 *  global     "active_anon:N inactive_anon:N ..." (pages; 2.6.28+),
 *             "Active:N inactive:N ..." (2.6.x before the LRU split: kept
 *             as the anon LRU), "Node N ... kernel_stack:NkB ...",
 *             "Free swap  = NkB", "Total swap = NkB", "N pages RAM",
 *             "N pages of RAM", "N pages reserved", "N pages in swap
 *             cache", "N pages swap cached", "Node N hugepages_total=N
 *             ... hugepages_size=NkB".
 *  tasks      "[ pid ]   uid  tgid total_vm      rss ..." header names
 *             the columns (every era's set), rows follow; top 8 by rss.
 *  slabs      "Unreclaimable slab info:" then "name  NKB  NKB"; top 8.
 *  victim     "Killed process N (comm)[ total-vm:NkB, anon-rss:NkB, ...]".
 *  version    "CPU: 1 PID: 2 Comm: x Not tainted 6.1.0-56-amd64 ..." or
 *             "Pid: 2, comm: x Not tainted 2.6.32 ..." sets the kernel
 *             era (watermark rule, gfp bits); without it the era is
 *             guessed from the format (boost: 5.x, reserved_highatomic:
 *             4.4+, migratetype letters 3.x, none 2.6).
 *  gfp        names in parentheses when printed (4.5+); otherwise the raw
 *             value through the era's bit table (oomsnap_gfp_from_raw()).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "oomsnap_base.h"
#include "logparse.h"

/* Consecutive unrecognised lines that end a report without a victim line. */
#define REPORT_GAP_LINES	40
#define MESSAGE_START_MAX	160	/* syslog or journal prefix + dmesg time + caller id */

enum line_kind {
	KIND_OTHER,
	KIND_GLOBAL,	/* Mem-Info counters */
	KIND_ZONE,
	KIND_BUDDY,
	KIND_NODE,
};

/* ---------------------------------------------------------------------- */
/* small text helpers over (pointer, end) spans */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

static bool starts(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(end - p) >= n && !memcmp(p, lit, n);
}

/* mem_cgroup_print_oom_meminfo(): "memory: usage 524288kB, limit ..." */
static bool memcg_usage_line(const char *p, const char *end)
{
	static const char lit[] = "memory: usage ";

	return starts(p, end, lit) && end - p > (long)sizeof(lit) - 1 &&
	       is_digit(p[sizeof(lit) - 1]);
}

static const char *find(const char *p, const char *end, const char *lit)
{
	if (p >= end)
		return NULL;
	return memmem(p, end - p, lit, strlen(lit));
}

/* Unsigned decimal (or 0x hex); *ok false when no digit. */
static __u64 parse_u64(const char **pp, const char *end, bool *ok)
{
	const char *p = *pp;
	__u64 v = 0;

	*ok = false;
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		while (p < end) {
			char c = *p;
			unsigned int d;

			if (is_digit(c))
				d = c - '0';
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				break;
			v = v * 16 + d;
			*ok = true;
			p++;
		}
		*pp = p;
		return v;
	}
	while (p < end && is_digit(*p)) {
		v = v * 10 + (__u64)(*p - '0');
		*ok = true;
		p++;
	}
	*pp = p;
	return v;
}

static long long parse_s64(const char **pp, const char *end, bool *ok)
{
	bool neg = false;

	if (*pp < end && **pp == '-') {
		neg = true;
		(*pp)++;
	}
	return neg ? -(long long)parse_u64(pp, end, ok) :
		     (long long)parse_u64(pp, end, ok);
}

/* The number after @key somewhere in [p, end), e.g. "order=" -> 2. */
static bool value_after(const char *p, const char *end, const char *key,
			long long *out)
{
	const char *k = find(p, end, key);
	bool ok;

	if (!k)
		return false;
	k += strlen(key);
	k = skip_spaces(k, end);
	*out = parse_s64(&k, end, &ok);
	return ok;
}

static void copy_str(char *dst, size_t size, const char *s, const char *e)
{
	size_t n = (size_t)(e - s);

	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	memset(dst + n, 0, size - n);
}

/* ---------------------------------------------------------------------- */
/* prefixes */

static bool is_month(const char *p, const char *end)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	if (end - p < 4 || p[3] != ' ')
		return false;
	for (i = 0; i < 12; i++)
		if (!memcmp(p, months + 3 * i, 3))
			return true;
	return false;
}

/* Strip syslog/journal/dmesg prefixes; returns the message text. */
static const char *strip_prefix(const char *p, const char *end, bool *prefixed)
{
	const char *k;

	*prefixed = false;
	/* "Mar 24 12:40:02 host kernel: " or ISO "2024-01-02T03:04:05 host kernel: " */
	if (is_month(p, end) ||
	    (end - p > 11 && is_digit(p[0]) && is_digit(p[3]) && p[4] == '-' &&
	     p[10] == 'T')) {
		const char *lim = end - p > 96 ? p + 96 : end;

		k = find(p, lim, " kernel: ");
		if (k) {
			p = k + 9;
			*prefixed = true;
		} else {
			k = find(p, lim, ": ");	/* "host kern.warn kernel[1]: " */
			if (k && is_month(p, end)) {
				p = k + 2;
				*prefixed = true;
			}
		}
	}
	/* dmesg -x: "kern  :warn  : " */
	if (end - p > 6 && p[0] >= 'a' && p[0] <= 'z') {
		const char *q = p;

		while (q < end && *q >= 'a' && *q <= 'z')
			q++;
		q = skip_spaces(q, end);
		if (q < end && *q == ':' && q - p <= 8) {
			const char *r = q + 1;

			while (r < end && *r >= 'a' && *r <= 'z')
				r++;
			r = skip_spaces(r, end);
			if (r + 1 < end && *r == ':' && r[1] == ' ' && r - q <= 10) {
				p = r + 2;
				*prefixed = true;
			}
		}
	}
	/* "<4>" */
	if (end - p >= 3 && p[0] == '<' && is_digit(p[1])) {
		const char *q = p + 1;

		while (q < end && is_digit(*q))
			q++;
		if (q < end && *q == '>') {
			p = q + 1;
			*prefixed = true;
		}
	}
	/* "[ 1234.567890] ", "[Mon Jan  2 03:04:05 2024] ", "[  T123] " */
	while (p < end && *p == '[') {
		size_t span = (size_t)(end - p) < 48 ? (size_t)(end - p) : 48;
		const char *q = memchr(p, ']', span);
		const char *in = skip_spaces(p + 1, end), *r;
		bool stamp = false;

		if (!q || in >= q)
			break;
		if (is_digit(*in)) {		/* seconds.micros */
			for (r = in; r < q && (is_digit(*r) || *r == '.'); r++)
				;
			stamp = r == q && memchr(in, '.', q - in);
		} else if (*in == 'T' || *in == 'C') {	/* caller id */
			for (r = in + 1; r < q && is_digit(*r); r++)
				;
			stamp = r == q && r > in + 1;
		} else if (q - in >= 20 && in[3] == ' ' && is_month(in + 4, q)) {
			stamp = true;		/* dmesg -T */
		}
		if (!stamp)
			break;
		p = q + 1;
		if (p < end && *p == ' ')
			p++;
		*prefixed = true;
	}
	return p;
}

/* ---------------------------------------------------------------------- */
/* gfp */

__u64 oomsnap_gfp_from_raw(__u64 raw, unsigned int *era_hint)
{
	/* 2.6.24 .. 4.3 (__GFP_WAIT era) */
	static const struct { __u64 raw, gfp; } classic[] = {
		{ 0x01, OOMSNAP_GFP_DMA }, { 0x02, OOMSNAP_GFP_HIGHMEM },
		{ 0x04, OOMSNAP_GFP_DMA32 }, { 0x08, OOMSNAP_GFP_MOVABLE },
		{ 0x10, OOMSNAP_GFP_DIRECT_RECLAIM | OOMSNAP_GFP_KSWAPD_RECLAIM },
		{ 0x20, OOMSNAP_GFP_HIGH }, { 0x40, OOMSNAP_GFP_IO },
		{ 0x80, OOMSNAP_GFP_FS }, { 0x200, OOMSNAP_GFP_NOWARN },
		{ 0x400, OOMSNAP_GFP_RETRY_MAYFAIL }, { 0x800, OOMSNAP_GFP_NOFAIL },
		{ 0x1000, OOMSNAP_GFP_NORETRY }, { 0x2000, OOMSNAP_GFP_MEMALLOC },
		{ 0x4000, OOMSNAP_GFP_COMP }, { 0x8000, OOMSNAP_GFP_ZERO },
		{ 0x10000, OOMSNAP_GFP_NOMEMALLOC }, { 0x20000, OOMSNAP_GFP_HARDWALL },
		{ 0x40000, OOMSNAP_GFP_THISNODE }, { 0x80000, OOMSNAP_GFP_RECLAIMABLE },
	};
	/* 4.4 .. 4.9: __GFP_DIRECT_RECLAIM 0x400000, KSWAPD 0x2000000 */
	static const struct { __u64 raw, gfp; } v44[] = {
		{ 0x01, OOMSNAP_GFP_DMA }, { 0x02, OOMSNAP_GFP_HIGHMEM },
		{ 0x04, OOMSNAP_GFP_DMA32 }, { 0x08, OOMSNAP_GFP_MOVABLE },
		{ 0x10, OOMSNAP_GFP_RECLAIMABLE }, { 0x20, OOMSNAP_GFP_HIGH },
		{ 0x40, OOMSNAP_GFP_IO }, { 0x80, OOMSNAP_GFP_FS },
		{ 0x200, OOMSNAP_GFP_NOWARN }, { 0x400, OOMSNAP_GFP_RETRY_MAYFAIL },
		{ 0x800, OOMSNAP_GFP_NOFAIL }, { 0x1000, OOMSNAP_GFP_NORETRY },
		{ 0x2000, OOMSNAP_GFP_MEMALLOC }, { 0x4000, OOMSNAP_GFP_COMP },
		{ 0x8000, OOMSNAP_GFP_ZERO }, { 0x10000, OOMSNAP_GFP_NOMEMALLOC },
		{ 0x20000, OOMSNAP_GFP_HARDWALL }, { 0x40000, OOMSNAP_GFP_THISNODE },
		{ 0x80000, OOMSNAP_GFP_ATOMIC }, { 0x100000, OOMSNAP_GFP_ACCOUNT },
		{ 0x400000, OOMSNAP_GFP_DIRECT_RECLAIM },
		{ 0x1000000, OOMSNAP_GFP_WRITE },
		{ 0x2000000, OOMSNAP_GFP_KSWAPD_RECLAIM },
	};
	__u64 gfp = 0;
	size_t i;

	if (raw & ~0x3ffffffULL)
		return OOMSNAP_GFP_UNKNOWN;
	if (raw & 0x2400000ULL) {	/* reclaim bits of the 4.4 layout */
		for (i = 0; i < ARRAY_SIZE(v44); i++)
			if (raw & v44[i].raw)
				gfp |= v44[i].gfp;
		if (era_hint && !*era_hint)
			*era_hint = OOMSNAP_ERA(4, 4);
		return gfp;
	}
	for (i = 0; i < ARRAY_SIZE(classic); i++)
		if (raw & classic[i].raw)
			gfp |= classic[i].gfp;
	if (raw & ~0xfffffULL)
		gfp |= OOMSNAP_GFP_UNKNOWN;	/* __GFP_NOTRACK and friends */
	return gfp;
}

/* "0x44d0" or "0xcc0(GFP_KERNEL)" or "0x0()" at p. */
static void parse_gfp(struct oomsnap_logparser *lp, const char *p,
		      const char *end)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	__u64 raw, names = 0;
	bool ok, any_name = false;

	raw = parse_u64(&p, end, &ok);
	if (!ok)
		return;
	rec->gfp_raw = raw;
	if (p < end && *p == '(') {
		const char *q = ++p;

		while (q <= end) {
			if (q == end || *q == '|' || *q == ')') {
				if (q > p) {
					__u64 g = oomsnap_gfp_from_name(p, q - p);

					names |= g ? g : OOMSNAP_GFP_UNKNOWN;
					any_name = true;
				}
				if (q == end || *q == ')')
					break;
				p = q + 1;
			}
			q++;
		}
	}
	if (any_name || (raw == 0 && p < end)) {
		rec->gfp = names;
		lp->gfp_names = true;
	} else {
		rec->gfp = oomsnap_gfp_from_raw(raw, &rec->kernel_era);
	}
	rec->have |= OOMSNAP_HAVE_GFP;
}

/* ---------------------------------------------------------------------- */
/* report lifetime */

static void start_event(struct oomsnap_logparser *lp, unsigned int type,
			bool header);

static void set_mem(struct oomsnap_logparser *lp, unsigned int idx, __u64 v,
		    bool in_kb)
{
	struct oomsnap_record *rec = &lp->ev.rec;

	rec->mem[idx] = v;
	rec->mem_have |= 1ULL << idx;
	if (in_kb)
		lp->mem_kb |= 1ULL << idx;
	else
		lp->mem_kb &= ~(1ULL << idx);
}

static void add_mem(struct oomsnap_logparser *lp, unsigned int idx, __u64 v,
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

static void close_event(struct oomsnap_logparser *lp)
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
static bool xen_context_line(struct oomsnap_logparser *lp, const char *p,
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
static void mark_xen(struct oomsnap_record *rec, unsigned int domain)
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

static void start_event(struct oomsnap_logparser *lp, unsigned int type,
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
	lp->gfp_names = false;
	lp->saw_boost = false;
	lp->saw_highatomic = false;
	lp->saw_letters = false;
	lp->saw_managed = false;
	apply_xen_context(lp);
}

/* ---------------------------------------------------------------------- */
/* zones */

static int zone_type_of(const char *p, const char *end, const char **after)
{
	static const struct { const char *name; unsigned int type; } names[] = {
		{ "DMA32", OOMSNAP_ZONE_DMA32 }, { "DMA", OOMSNAP_ZONE_DMA },
		{ "Normal", OOMSNAP_ZONE_NORMAL }, { "HighMem", OOMSNAP_ZONE_HIGHMEM },
		{ "Movable", OOMSNAP_ZONE_MOVABLE }, { "Device", OOMSNAP_ZONE_DEVICE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (starts(p, end, names[i].name)) {
			*after = p + strlen(names[i].name);
			return (int)names[i].type;
		}
	}
	return -1;
}

/* "[Node N ]Zone" at p: node, type; *after points past the name. */
static int zone_head(const char *p, const char *end, unsigned int *node,
		     const char **after)
{
	bool ok;

	*node = 0;
	if (starts(p, end, "Node ")) {
		p += 5;
		*node = (unsigned int)parse_u64(&p, end, &ok);
		if (!ok || p >= end || *p != ' ')
			return -1;
		p++;
	}
	return zone_type_of(p, end, after);
}

static struct oomsnap_zone *get_zone(struct oomsnap_logparser *lp,
				     unsigned int node, int type,
				     const char *name, const char *name_end,
				     bool create)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	struct oomsnap_zone *z;
	unsigned int i;

	for (i = 0; i < rec->nr_zones; i++) {
		z = &rec->zones[i];
		if (z->node == node && z->zone_type == (unsigned int)type)
			return z;
	}
	if (!create)
		return NULL;
	if (rec->nr_zones >= OOMSNAP_MAX_ZONES) {
		rec->zones_omitted++;
		return NULL;
	}
	z = &rec->zones[rec->nr_zones++];
	z->node = node;
	z->zone_type = (unsigned int)type;
	copy_str(z->name, sizeof(z->name), name, name_end);
	return z;
}

struct kv {
	const char *key, *key_end;
	__u64 val;
	bool has_val;
	bool yes;		/* "key? yes" */
};

/* Next "key:value", "key: value", "key? yes" or "key=value" token. */
static bool next_kv(const char **pp, const char *end, struct kv *kv)
{
	const char *p = skip_spaces(*pp, end);

	while (p < end) {
		const char *k = p, *q;
		bool ok;

		while (p < end && !is_space(*p) && *p != ':' && *p != '?' && *p != '=')
			p++;
		if (p >= end)
			break;
		if (is_space(*p) || p == k) {
			p = skip_spaces(p + (p == k), end);
			continue;
		}
		kv->key = k;
		kv->key_end = p;
		kv->yes = false;
		q = skip_spaces(p + 1, end);
		if (*p == '?') {
			kv->yes = starts(q, end, "yes");
			kv->has_val = false;
			while (q < end && !is_space(*q))
				q++;
			*pp = q;
			return true;
		}
		kv->val = parse_u64(&q, end, &ok);
		kv->has_val = ok;
		while (q < end && !is_space(*q))
			q++;
		*pp = q;
		return true;
	}
	*pp = end;
	return false;
}

static bool key_is(const struct kv *kv, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(kv->key_end - kv->key) == n && !memcmp(kv->key, name, n);
}

struct key_slot {
	const char *name;
	int slot;
};

static const struct key_slot zone_vmstat_keys[] = {
	{ "active_anon", OOMSNAP_ZV_ACTIVE_ANON },
	{ "inactive_anon", OOMSNAP_ZV_INACTIVE_ANON },
	{ "active_file", OOMSNAP_ZV_ACTIVE_FILE },
	{ "inactive_file", OOMSNAP_ZV_INACTIVE_FILE },
	{ "active", OOMSNAP_ZV_ACTIVE_ANON },	/* 2.6 before the LRU split */
	{ "inactive", OOMSNAP_ZV_INACTIVE_ANON },
	{ "unevictable", OOMSNAP_ZV_UNEVICTABLE },
	{ "writepending", OOMSNAP_ZV_WRITE_PENDING },
	{ "mlocked", OOMSNAP_ZV_MLOCK },
	{ "bounce", OOMSNAP_ZV_BOUNCE },
	{ "free_cma", OOMSNAP_ZV_FREE_CMA },
	{ "slab_reclaimable", OOMSNAP_ZV_SLAB_RECLAIMABLE },
	{ "slab_unreclaimable", OOMSNAP_ZV_SLAB_UNRECLAIMABLE },
	{ "kernel_stack", OOMSNAP_ZV_KERNEL_STACK },
	{ "pagetables", OOMSNAP_ZV_PAGETABLES },
	{ "shmem", OOMSNAP_ZV_SHMEM },
};

static void parse_zone_line(struct oomsnap_logparser *lp, const char *p,
			    const char *end, unsigned int node, int type,
			    const char *name)
{
	struct oomsnap_zone *z;
	const char *name_end = name;
	struct kv kv;
	size_t i;

	while (name_end < end && !is_space(*name_end))
		name_end++;
	z = get_zone(lp, node, type, name, name_end, true);
	if (!z)
		return;
	lp->cur_zone = (int)(z - lp->ev.rec.zones);
	p = name_end;
	while (next_kv(&p, end, &kv)) {
		if (key_is(&kv, "all_unreclaimable")) {
			if (kv.yes)
				z->flags |= OOMSNAP_ZONE_ALL_UNRECLAIMABLE;
			continue;
		}
		if (!kv.has_val)
			continue;
		if (key_is(&kv, "free")) {
			z->free = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_FREE;
		} else if (key_is(&kv, "min")) {
			z->wmark_min = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_WMARK;
		} else if (key_is(&kv, "low")) {
			z->wmark_low = kv.val;
		} else if (key_is(&kv, "high")) {
			z->wmark_high = kv.val;
		} else if (key_is(&kv, "boost")) {
			z->wmark_boost = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_BOOST;
			lp->saw_boost = true;
		} else if (key_is(&kv, "reserved_highatomic")) {
			z->reserved_highatomic = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_HIGHATOMIC;
			lp->saw_highatomic = true;
		} else if (key_is(&kv, "present")) {
			z->present = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_PRESENT;
		} else if (key_is(&kv, "managed")) {
			z->managed = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_MANAGED;
			lp->saw_managed = true;
		} else {
			for (i = 0; i < ARRAY_SIZE(zone_vmstat_keys); i++) {
				int slot = zone_vmstat_keys[i].slot;

				if (!key_is(&kv, zone_vmstat_keys[i].name))
					continue;
				z->vmstat[slot] = kv.val;
				z->have |= OOMSNAP_ZONE_HAVE_VMSTAT;
				if (slot == OOMSNAP_ZV_FREE_CMA)
					z->have |= OOMSNAP_ZONE_HAVE_CMA;
				if (slot == OOMSNAP_ZV_SLAB_UNRECLAIMABLE)
					z->have |= OOMSNAP_ZONE_HAVE_SLAB;
				break;
			}
		}
	}
}

static void parse_lowmem_reserve(struct oomsnap_logparser *lp, const char *p,
				 const char *end)
{
	struct oomsnap_zone *z;
	unsigned int n = 0;
	bool ok;

	if (lp->cur_zone < 0)
		return;
	z = &lp->ev.rec.zones[lp->cur_zone];
	while (n < OOMSNAP_MAX_ZONE_TYPES) {
		__u64 v;

		p = skip_spaces(p, end);
		v = parse_u64(&p, end, &ok);
		if (!ok)
			break;
		z->lowmem_reserve[n++] = v;
	}
	lp->nr_reserve[lp->cur_zone] = n;
}

static int log2_u64(__u64 v)
{
	int n = -1;

	while (v) {
		v >>= 1;
		n++;
	}
	return n;
}

/* "1445*4kB 1781*8kB (UM) ... = 20396kB" */
static void parse_buddy(struct oomsnap_logparser *lp, const char *p,
			const char *end, struct oomsnap_zone *z)
{
	static const char letters[] = "UMEHCI";
	unsigned int order;
	bool ok;

	while (p < end) {
		__u64 count, size;
		int o;

		p = skip_spaces(p, end);
		if (p >= end || *p == '=')
			break;
		count = parse_u64(&p, end, &ok);
		if (!ok || p >= end || *p != '*')
			break;
		p++;
		size = parse_u64(&p, end, &ok);
		if (!ok || !size)
			break;
		if (!lp->buddy_page_kb)
			lp->buddy_page_kb = (unsigned int)size;
		o = log2_u64(size / lp->buddy_page_kb);
		if (o < 0 || o >= OOMSNAP_MAX_ORDERS)
			break;
		order = (unsigned int)o;
		z->nr_free[order] = count;
		if (order + 1 > z->nr_orders)
			z->nr_orders = order + 1;
		z->have |= OOMSNAP_ZONE_HAVE_BUDDY;
		while (p < end && !is_space(*p))
			p++;
		p = skip_spaces(p, end);
		if (p < end && *p == '(') {
			for (p++; p < end && *p != ')'; p++) {
				const char *l = memchr(letters, *p, 6);

				if (!l || !*p)
					continue;
				z->nr_free_mt[order][l - letters] = 1;
				z->have |= OOMSNAP_ZONE_HAVE_MT;
				z->flags |= OOMSNAP_ZONE_MT_LETTERS;
				z->nr_migratetypes = OOMSNAP_MT_NR;
				lp->saw_letters = true;
			}
			if (p < end)
				p++;
		}
	}
}

/* ---------------------------------------------------------------------- */
/* Mem-Info counters */

static const struct key_slot global_keys[] = {
	{ "active_anon", OOMSNAP_MEM_ACTIVE_ANON },
	{ "Active_anon", OOMSNAP_MEM_ACTIVE_ANON },
	{ "inactive_anon", OOMSNAP_MEM_INACTIVE_ANON },
	{ "active_file", OOMSNAP_MEM_ACTIVE_FILE },
	{ "inactive_file", OOMSNAP_MEM_INACTIVE_FILE },
	{ "Active", OOMSNAP_MEM_ACTIVE_ANON },		/* 2.6 before the split */
	{ "inactive", OOMSNAP_MEM_INACTIVE_ANON },
	{ "unevictable", OOMSNAP_MEM_UNEVICTABLE },
	{ "dirty", OOMSNAP_MEM_DIRTY },
	{ "writeback", OOMSNAP_MEM_WRITEBACK },
	{ "slab_reclaimable", OOMSNAP_MEM_SLAB_RECLAIMABLE },
	{ "slab_unreclaimable", OOMSNAP_MEM_SLAB_UNRECLAIMABLE },
	{ "mapped", OOMSNAP_MEM_MAPPED },
	{ "shmem", OOMSNAP_MEM_SHMEM },
	{ "pagetables", OOMSNAP_MEM_PAGETABLES },
	{ "sec_pagetables", OOMSNAP_MEM_SECONDARY_PAGETABLES },
	{ "bounce", OOMSNAP_MEM_BOUNCE },
	{ "free", OOMSNAP_MEM_FREE },
	{ "free_pcp", OOMSNAP_MEM_FREE_PCP },
	{ "free_cma", OOMSNAP_MEM_FREE_CMA },
	{ "isolated_anon", OOMSNAP_MEM_ISOLATED },
	{ "isolated_file", OOMSNAP_MEM_ISOLATED },
};

static void parse_global(struct oomsnap_logparser *lp, const char *p,
			 const char *end)
{
	struct kv kv;
	size_t i;

	while (next_kv(&p, end, &kv)) {
		if (!kv.has_val)
			continue;
		for (i = 0; i < ARRAY_SIZE(global_keys); i++) {
			if (!key_is(&kv, global_keys[i].name))
				continue;
			if (global_keys[i].slot == OOMSNAP_MEM_ISOLATED)
				add_mem(lp, OOMSNAP_MEM_ISOLATED, kv.val, false);
			else
				set_mem(lp, global_keys[i].slot, kv.val, false);
			break;
		}
	}
}

/* "Node 0 active_anon:...kB ... kernel_stack:NkB ..." */
static void parse_node(struct oomsnap_logparser *lp, const char *p,
		       const char *end)
{
	struct kv kv;

	while (next_kv(&p, end, &kv)) {
		if (!kv.has_val)
			continue;
		if (key_is(&kv, "kernel_stack"))
			add_mem(lp, OOMSNAP_MEM_KERNEL_STACK, kv.val, true);
		else if (key_is(&kv, "anon_thp"))
			add_mem(lp, OOMSNAP_MEM_ANON_THP, kv.val, true);
	}
}

/* A line that starts with one of these keys continues a zone/Mem-Info line. */
static const char * const continuation_keys[] = {
	"free", "min", "low", "high", "boost", "present", "managed", "mlocked",
	"active", "inactive", "active_anon", "inactive_anon", "active_file",
	"inactive_file", "unevictable", "dirty", "writeback", "unstable",
	"slab", "slab_reclaimable", "slab_unreclaimable", "mapped", "shmem",
	"pagetables", "sec_pagetables", "bounce", "free_pcp", "local_pcp",
	"free_cma", "pages_scanned", "all_unreclaimable", "isolated_anon",
	"isolated_file", "isolated(anon)", "isolated(file)", "kernel_stack",
	"writeback_tmp", "writepending", "reserved_highatomic",
	"kernel_misc_reclaimable", "nr_free_pages",
};

static bool continues_kv(const char *p, const char *end)
{
	const char *k = p;
	size_t i, n;

	while (p < end && *p != ':' && *p != '?' && !is_space(*p))
		p++;
	if (p >= end || is_space(*p))
		return false;
	n = (size_t)(p - k);
	for (i = 0; i < ARRAY_SIZE(continuation_keys); i++)
		if (strlen(continuation_keys[i]) == n &&
		    !memcmp(k, continuation_keys[i], n))
			return true;
	return false;
}

static bool continues_buddy(const char *p, const char *end)
{
	if (p >= end || !is_digit(*p))
		return false;
	while (p < end && is_digit(*p))
		p++;
	return p < end && *p == '*';
}

/* ---------------------------------------------------------------------- */
/* tasks, slabs, victim, stack */

enum task_col {
	TC_PID, TC_UID, TC_TGID, TC_TOTAL_VM, TC_RSS, TC_RSS_ANON, TC_RSS_FILE,
	TC_RSS_SHMEM, TC_PGTABLES, TC_SWAPENTS, TC_ADJ, TC_NAME, TC_OTHER,
};

static void parse_task_header(struct oomsnap_logparser *lp, const char *p,
			      const char *end)
{
	static const struct { const char *name; int col; } cols[] = {
		{ "uid", TC_UID }, { "tgid", TC_TGID }, { "total_vm", TC_TOTAL_VM },
		{ "rss", TC_RSS }, { "rss_anon", TC_RSS_ANON },
		{ "rss_file", TC_RSS_FILE }, { "rss_shmem", TC_RSS_SHMEM },
		{ "pgtables_bytes", TC_PGTABLES }, { "swapents", TC_SWAPENTS },
		{ "oom_score_adj", TC_ADJ }, { "name", TC_NAME },
	};
	const char *q = memchr(p, ']', end - p);
	unsigned int n = 0;
	size_t i;

	lp->block = OOMSNAP_LOG_BLOCK_TASKS;
	lp->task_col[n++] = TC_PID;
	p = q ? q + 1 : end;
	while (p < end && n < OOMSNAP_LOG_TASK_COLS) {
		const char *w;
		int col = TC_OTHER;

		p = skip_spaces(p, end);
		w = p;
		while (p < end && !is_space(*p))
			p++;
		if (p == w)
			break;
		for (i = 0; i < ARRAY_SIZE(cols); i++)
			if ((size_t)(p - w) == strlen(cols[i].name) &&
			    !memcmp(w, cols[i].name, p - w))
				col = cols[i].col;
		lp->task_col[n++] = (signed char)col;
	}
	lp->nr_task_cols = n;
	lp->ev.rec.have |= OOMSNAP_HAVE_TASKS;
	lp->ev.rec.tasks_status = OOMSNAP_OK;
}

static __u64 task_rss(const struct oomsnap_task *t)
{
	return t->rss_anon + t->rss_file + t->rss_shmem;
}

/* Keep the largest tasks, largest first. */
static void keep_task(struct oomsnap_record *rec, const struct oomsnap_task *t)
{
	unsigned int i, n = rec->nr_tasks;

	rec->tasks_scanned++;
	if (n == OOMSNAP_TOP_TASKS) {
		if (task_rss(&rec->tasks[n - 1]) >= task_rss(t))
			return;
		n--;
	}
	for (i = n; i > 0 && task_rss(&rec->tasks[i - 1]) < task_rss(t); i--)
		rec->tasks[i] = rec->tasks[i - 1];
	rec->tasks[i] = *t;
	rec->nr_tasks = n + 1;
}

static bool parse_task_row(struct oomsnap_logparser *lp, const char *p,
			   const char *end)
{
	struct oomsnap_task t;
	__u64 rss = 0;
	unsigned int c;
	bool ok;

	memset(&t, 0, sizeof(t));
	p = skip_spaces(p + 1, end);	/* past '[' */
	for (c = 0; c < lp->nr_task_cols; c++) {
		const char *w;
		long long v;

		p = skip_spaces(p, end);
		if (c == 1 && p < end && *p == ']')
			p = skip_spaces(p + 1, end);
		if (lp->task_col[c] == TC_NAME || c + 1 == lp->nr_task_cols) {
			w = p;
			while (p < end && !is_space(*p))
				p++;
			copy_str(t.comm, sizeof(t.comm), w, p);
			break;
		}
		v = parse_s64(&p, end, &ok);
		if (!ok)
			return false;
		if (c == 0 && p < end && *p == ']')
			p++;
		switch (lp->task_col[c]) {
		case TC_PID:
			t.pid = (__s32)v;
			break;
		case TC_UID:
			t.uid = (__u32)v;
			break;
		case TC_TGID:
			t.tgid = (__s32)v;
			break;
		case TC_TOTAL_VM:
			t.total_vm = (__u64)v;
			break;
		case TC_RSS:
			rss = (__u64)v;
			break;
		case TC_RSS_ANON:
			t.rss_anon = (__u64)v;
			break;
		case TC_RSS_FILE:
			t.rss_file = (__u64)v;
			break;
		case TC_RSS_SHMEM:
			t.rss_shmem = (__u64)v;
			break;
		case TC_PGTABLES:
			t.pgtables_bytes = (__u64)v;
			break;
		case TC_SWAPENTS:
			t.swapents = (__u64)v;
			break;
		case TC_ADJ:
			t.oom_score_adj = (__s32)v;
			break;
		default:
			break;
		}
	}
	if (!task_rss(&t))
		t.rss_anon = rss;	/* only the total is printed: kept as anon */
	if (t.oom_score_adj == -1000)
		t.flags |= OOMSNAP_TASK_OOM_UNKILLABLE;
	keep_task(&lp->ev.rec, &t);
	return true;
}

static void keep_slab(struct oomsnap_record *rec, const struct oomsnap_slab *s)
{
	unsigned int i, n = rec->nr_slabs;

	if (n == OOMSNAP_TOP_SLABS) {
		if (rec->slabs[n - 1].bytes >= s->bytes)
			return;
		n--;
	}
	for (i = n; i > 0 && rec->slabs[i - 1].bytes < s->bytes; i--)
		rec->slabs[i] = rec->slabs[i - 1];
	rec->slabs[i] = *s;
	rec->nr_slabs = n + 1;
}

/* "kmalloc-2048   1234KB   5678KB" */
static bool parse_slab_row(struct oomsnap_logparser *lp, const char *p,
			   const char *end)
{
	struct oomsnap_slab s;
	const char *name = p, *name_end;
	__u64 used, total;
	bool ok;

	memset(&s, 0, sizeof(s));
	while (p < end && !is_space(*p))
		p++;
	name_end = p;
	p = skip_spaces(p, end);
	used = parse_u64(&p, end, &ok);
	if (!ok || !starts(p, end, "KB"))
		return false;
	p = skip_spaces(p + 2, end);
	total = parse_u64(&p, end, &ok);
	if (!ok)
		total = used;
	copy_str(s.name, sizeof(s.name), name, name_end);
	s.bytes = total * 1024;
	s.active_objs = 0;
	keep_slab(&lp->ev.rec, &s);
	lp->ev.rec.have |= OOMSNAP_HAVE_SLABS;
	lp->ev.rec.slabs_status = OOMSNAP_OK;
	return true;
}

/* "Killed process 2491 (stream.cgi) total-vm:..kB, anon-rss:..kB, ..." */
static void parse_victim(struct oomsnap_logparser *lp, const char *p,
			 const char *end)
{
	struct oomsnap_task *v = &lp->ev.rec.victim;
	long long n;
	bool ok;

	p = skip_spaces(p, end);
	v->pid = (__s32)parse_s64(&p, end, &ok);
	v->tgid = v->pid;
	/* "(comm)" follows the pid, or ", UID 500, (comm)" (2.6.x) */
	p = memchr(p, '(', end - p);
	if (p) {
		const char *c = ++p, *close = memchr(p, ')', end - p);

		copy_str(v->comm, sizeof(v->comm), c, close ? close : end);
		p = close ? close + 1 : end;
	} else {
		p = end;
	}
	if (value_after(p, end, "total-vm:", &n))
		v->total_vm = (__u64)n;
	if (value_after(p, end, "anon-rss:", &n))
		v->rss_anon = (__u64)n;
	if (value_after(p, end, "file-rss:", &n))
		v->rss_file = (__u64)n;
	if (value_after(p, end, "shmem-rss:", &n))
		v->rss_shmem = (__u64)n;
	if (value_after(p, end, "UID:", &n))
		v->uid = (__u32)n;
	if (value_after(p, end, "oom_score_adj:", &n))
		v->oom_score_adj = (__s32)n;
	lp->ev.rec.have |= OOMSNAP_HAVE_VICTIM;
	lp->victim_seen = true;
}

/*
 * Stack entries: "[<c00328c8>] (dump_stack+0x0/0x14) from ...",
 * " [<ffff>] foo+0x1/0x2", " foo+0x1/0x2"
 */
static bool parse_stack_line(struct oomsnap_logparser *lp, const char *p,
			     const char *end, bool in_block)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	const char *sym, *q;

	p = skip_spaces(p, end);
	if (starts(p, end, "[<")) {
		q = memchr(p, ']', end - p);
		if (!q)
			return false;
		p = skip_spaces(q + 1, end);
	} else if (!in_block) {
		return false;
	}
	if (starts(p, end, "? "))
		return true;	/* unreliable entry */
	if (p < end && *p == '(')
		p++;
	sym = p;
	while (p < end && !is_space(*p) && *p != ')')
		p++;
	if (p == sym || !memchr(sym, '+', p - sym)) {
		/* "<TASK>", "</TASK>", "<IRQ>": part of the trace, no symbol */
		return in_block && sym < end && *sym == '<';
	}
	if (rec->stack_depth < OOMSNAP_STACK_DEPTH) {
		copy_str(rec->stack[rec->stack_depth], OOMSNAP_SYM_LEN, sym, p);
		rec->stack_depth++;
	}
	rec->have |= OOMSNAP_HAVE_STACK;
	rec->stack_status = OOMSNAP_OK;
	return true;
}

/* "CPU: 1 PID: 2 Comm: x Not tainted 6.1.0-56-amd64 #1" / "Pid: 2, comm: x Tainted: G W 2.6.32" */
static void parse_cpu_line(struct oomsnap_logparser *lp, const char *p,
			   const char *end)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	const char *t, *c;
	long long v;
	bool ok;

	if (value_after(p, end, "CPU:", &v))
		rec->cpu = (__u32)v;
	if (value_after(p, end, "PID:", &v) || value_after(p, end, "Pid:", &v)) {
		rec->task.pid = (__s32)v;
		rec->task.tgid = (__s32)v;
		rec->have |= OOMSNAP_HAVE_TASK;
	}
	c = find(p, end, "Comm: ");
	if (!c)
		c = find(p, end, "comm: ");
	if (c) {
		c += 6;
		t = c;
		while (t < end && !is_space(*t))
			t++;
		copy_str(rec->task.comm, sizeof(rec->task.comm), c, t);
	}
	t = find(p, end, "ainted");
	if (!t)
		return;
	/* first "N.N" token after "tainted" */
	for (t += 6; t < end; t++) {
		if (is_digit(*t) && (t[-1] == ' ')) {
			const char *q = t;
			__u64 major = parse_u64(&q, end, &ok), minor;

			if (q < end && *q == '.' && major >= 2 && major < 100) {
				q++;
				minor = parse_u64(&q, end, &ok);
				if (ok && minor < 256) {
					rec->kernel_era = OOMSNAP_ERA((unsigned int)major,
								      (unsigned int)minor);
					return;
				}
			}
		}
	}
}

static void parse_memcg_usage(struct oomsnap_logparser *lp, const char *p,
			      const char *end, bool swap)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	long long usage, limit;

	if (!value_after(p, end, "usage ", &usage) ||
	    !value_after(p, end, "limit ", &limit))
		return;
	/* PAGE_COUNTER_MAX printed in kB: "max" */
	if ((__u64)limit >= (1ULL << 52))
		limit = -1;
	if (swap) {
		rec->memcg_swap_usage = (__u64)usage;
		rec->memcg_swap_limit = (__u64)limit;
	} else {
		rec->memcg_usage = (__u64)usage;
		rec->memcg_limit = (__u64)limit;
		rec->have |= OOMSNAP_HAVE_MEMCG;
	}
}

static void set_memcg_path(struct oomsnap_logparser *lp, const char *p,
			   const char *end)
{
	const char *e = p;

	while (e < end && !is_space(*e) && *e != ',' && *e != ':')
		e++;
	if (e > p)
		copy_str(lp->ev.rec.memcg_path, OOMSNAP_PATH_LEN, p, e);
}

static void parse_nodemask(struct oomsnap_logparser *lp, const char *p,
			   const char *end);

/* "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),...,oom_memcg=/a,..." */
static void parse_oom_kill(struct oomsnap_logparser *lp, const char *p,
			   const char *end)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	const char *m;

	if (find(p, end, "CONSTRAINT_MEMCG"))
		rec->constraint = OOMSNAP_CONSTRAINT_MEMCG;
	else if (find(p, end, "CONSTRAINT_CPUSET"))
		rec->constraint = OOMSNAP_CONSTRAINT_CPUSET;
	else if (find(p, end, "CONSTRAINT_MEMORY_POLICY"))
		rec->constraint = OOMSNAP_CONSTRAINT_MEMORY_POLICY;
	else
		rec->constraint = OOMSNAP_CONSTRAINT_NONE;
	rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	/* the nodes the request could use: the cpuset's or the policy's */
	m = find(p, end, rec->constraint == OOMSNAP_CONSTRAINT_CPUSET ?
		 "mems_allowed=" : "nodemask=");
	if (m && rec->constraint != OOMSNAP_CONSTRAINT_MEMCG &&
	    rec->constraint != OOMSNAP_CONSTRAINT_NONE)
		parse_nodemask(lp, memchr(m, '=', end - m) + 1, end);
	if (rec->constraint == OOMSNAP_CONSTRAINT_MEMCG) {
		rec->type = OOMSNAP_EVENT_MEMCG_OOM;
		m = find(p, end, "oom_memcg=");
		if (m)
			set_memcg_path(lp, m + 10, end);
	}
}

/* "nodemask=(null)" or "nodemask=0-1,3" */
static void parse_nodemask(struct oomsnap_logparser *lp, const char *p,
			   const char *end)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	__u64 mask = 0;
	bool ok;

	rec->have |= OOMSNAP_HAVE_NODEMASK;
	if (starts(p, end, "(null)"))
		return;
	while (p < end) {
		__u64 a = parse_u64(&p, end, &ok), b;

		if (!ok)
			break;
		b = a;
		if (p < end && *p == '-') {
			p++;
			b = parse_u64(&p, end, &ok);
		}
		for (; a <= b && a < 64; a++)
			mask |= 1ULL << a;
		if (p >= end || *p != ',' || p + 1 >= end || !is_digit(p[1]))
			break;
		p++;
	}
	rec->nodemask = mask;
}

/* ---------------------------------------------------------------------- */
/* one logical line */

static void header_oom(struct oomsnap_logparser *lp, const char *p,
		       const char *end, const char *hit)
{
	struct oomsnap_record *rec;
	const char *g;
	long long v;

	start_event(lp, OOMSNAP_EVENT_OOM, true);
	rec = &lp->ev.rec;
	if (hit > p) {
		const char *e = hit;

		while (e > p && is_space(e[-1]))
			e--;
		copy_str(rec->task.comm, sizeof(rec->task.comm), p, e);
		rec->have |= OOMSNAP_HAVE_TASK;
	}
	g = find(hit, end, "gfp_mask=");
	if (g)
		parse_gfp(lp, g + 9, end);
	if (value_after(hit, end, "order=", &v) && v >= -1 &&
	    v < OOMSNAP_MAX_ORDERS) {
		rec->order = (__s32)v;
		rec->have |= OOMSNAP_HAVE_ORDER;
	}
	if (value_after(hit, end, "oom_score_adj=", &v) ||
	    value_after(hit, end, "oomkilladj=", &v))
		rec->task.oom_score_adj = (__s32)v;
}

static void header_alloc_failure(struct oomsnap_logparser *lp, const char *p,
				 const char *end, const char *hit)
{
	struct oomsnap_record *rec;
	const char *m;
	long long v;

	start_event(lp, OOMSNAP_EVENT_ALLOC_FAILURE, true);
	rec = &lp->ev.rec;
	if (hit > p) {
		const char *e = hit;

		while (e > p && (is_space(e[-1]) || e[-1] == ':'))
			e--;
		copy_str(rec->task.comm, sizeof(rec->task.comm), p, e);
		rec->have |= OOMSNAP_HAVE_TASK;
	}
	if (value_after(hit, end, "order:", &v) && v >= 0 &&
	    v < OOMSNAP_MAX_ORDERS) {
		rec->order = (__s32)v;
		rec->have |= OOMSNAP_HAVE_ORDER;
	}
	m = find(hit, end, "mode:");
	if (m)
		parse_gfp(lp, m + 5, end);
	m = find(hit, end, "nodemask=");
	if (m)
		parse_nodemask(lp, m + 9, end);
}

/* Report content that may appear before any header (pastes, sysrq-m). */
static bool headerless_start(const char *p, const char *end, unsigned int *type)
{
	unsigned int node;
	const char *after;

	*type = OOMSNAP_EVENT_NONE;
	if (starts(p, end, "Mem-Info") || starts(p, end, "Mem-info") ||
	    starts(p, end, "Free pages:"))
		return true;
	if (zone_head(p, end, &node, &after) >= 0 && starts(after, end, " free:"))
		return true;
	if (memcg_usage_line(p, end) ||
	    find(p, end, "Memory cgroup out of memory")) {
		*type = OOMSNAP_EVENT_MEMCG_OOM;
		return true;
	}
	if (starts(p, end, "Out of memory") || starts(p, end, "Out of Memory")) {
		*type = OOMSNAP_EVENT_OOM;
		return true;
	}
	return false;
}

/* Returns true when the line belonged to the open report. */
/*
 * A row of memory.stat as cgroup v2 prints it after "Memory cgroup stats
 * for": a lowercase name, a space, a number. 6.12 prints over 70 of them,
 * more than the gap that ends a report.
 */
static bool memcg_stat_row(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && ((*q >= 'a' && *q <= 'z') || *q == '_' || is_digit(*q)))
		q++;
	if (q == p || q >= end || *q != ' ')
		return false;
	for (q++; q < end && is_digit(*q); q++)
		;
	return q == end && q[-1] != ' ';
}

static bool report_line(struct oomsnap_logparser *lp, const char *p,
			const char *end)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	unsigned int node;
	const char *after, *k;
	struct oomsnap_zone *z;
	int type;
	bool ok;

	if (lp->block == OOMSNAP_LOG_BLOCK_TASKS && p < end && *p == '[' &&
	    parse_task_row(lp, p, end))
		return true;
	if (lp->block == OOMSNAP_LOG_BLOCK_SLABS) {
		if (starts(p, end, "Name "))
			return true;
		if (parse_slab_row(lp, p, end))
			return true;
	}
	if (lp->block == OOMSNAP_LOG_BLOCK_MEMCG_STATS && memcg_stat_row(p, end))
		return true;
	if (parse_stack_line(lp, p, end, lp->block == OOMSNAP_LOG_BLOCK_STACK))
		return true;
	lp->block = OOMSNAP_LOG_BLOCK_NONE;

	type = zone_head(p, end, &node, &after);
	if (type >= 0) {
		const char *name = after;

		while (name > p && !is_space(name[-1]))
			name--;
		if (starts(after, end, " free:")) {
			lp->line_kind = KIND_ZONE;
			parse_zone_line(lp, after, end, node, type, name);
			return true;
		}
		if (starts(after, end, ": ") &&
		    (continues_buddy(after + 2, end) || starts(after + 2, end, "empty"))) {
			lp->line_kind = KIND_BUDDY;
			z = get_zone(lp, node, type, name, after, true);
			if (z)
				parse_buddy(lp, after + 2, end, z);
			return true;
		}
	}
	if (starts(p, end, "lowmem_reserve[]:")) {
		parse_lowmem_reserve(lp, p + 17, end);
		return true;
	}
	if (starts(p, end, "active_anon:") || starts(p, end, "Active_anon:") ||
	    starts(p, end, "Active:")) {
		lp->line_kind = KIND_GLOBAL;
		parse_global(lp, p, end);
		return true;
	}
	if (starts(p, end, "Node ")) {
		if (find(p, end, "hugepages_total=")) {
			long long total, free_hp, size;

			if (value_after(p, end, "hugepages_total=", &total) &&
			    value_after(p, end, "hugepages_free=", &free_hp) &&
			    value_after(p, end, "hugepages_size=", &size)) {
				add_mem(lp, OOMSNAP_MEM_HUGETLB_TOTAL,
					(__u64)(total * size), true);
				add_mem(lp, OOMSNAP_MEM_HUGETLB_FREE,
					(__u64)(free_hp * size), true);
			}
			return true;
		}
		lp->line_kind = KIND_NODE;
		parse_node(lp, p, end);
		return true;
	}
	if (starts(p, end, "Mem-Info") || starts(p, end, "Mem-info") ||
	    starts(p, end, "Call Trace:") || starts(p, end, "Backtrace:")) {
		if (p[0] != 'M')
			lp->block = OOMSNAP_LOG_BLOCK_STACK;
		return true;
	}
	if (starts(p, end, "CPU: ") || starts(p, end, "Pid: ")) {
		parse_cpu_line(lp, p, end);
		return true;
	}
	if (starts(p, end, "Hardware name: ")) {
		/* DMI of an HVM guest; a PV dom0 shows the real machine's */
		if (find(p, end, "Xen HVM domU"))
			mark_xen(rec, OOMSNAP_XEN_HVM_DOMU);
		return true;
	}
	if (starts(p, end, "Free swap")) {
		k = memchr(p, '=', end - p);
		if (k) {
			k = skip_spaces(k + 1, end);
			set_mem(lp, OOMSNAP_MEM_SWAP_FREE, parse_u64(&k, end, &ok), true);
		}
		return true;
	}
	if (starts(p, end, "Total swap")) {
		k = memchr(p, '=', end - p);
		if (k) {
			k = skip_spaces(k + 1, end);
			set_mem(lp, OOMSNAP_MEM_SWAP_TOTAL, parse_u64(&k, end, &ok), true);
		}
		return true;
	}
	if (starts(p, end, "Free pages:")) {
		k = skip_spaces(p + 11, end);
		set_mem(lp, OOMSNAP_MEM_FREE, parse_u64(&k, end, &ok), true);
		return true;
	}
	if (p < end && is_digit(*p)) {
		__u64 v;

		k = p;
		v = parse_u64(&k, end, &ok);
		k = skip_spaces(k, end);
		if (starts(k, end, "pages RAM") || starts(k, end, "pages of RAM"))
			set_mem(lp, OOMSNAP_MEM_TOTALRAM, v, false);
		else if (starts(k, end, "pages reserved") || starts(k, end, "reserved pages"))
			set_mem(lp, OOMSNAP_MEM_RESERVED, v, false);
		else if (starts(k, end, "pages in swap cache") ||
			 starts(k, end, "pages swap cached"))
			set_mem(lp, OOMSNAP_MEM_SWAP_CACHED, v, false);
		else if (!starts(k, end, "pages") && !starts(k, end, "total pagecache") &&
			 !starts(k, end, "free pages") && !starts(k, end, "slab pages"))
			return false;
		return true;
	}
	if (starts(p, end, "Swap cache stats") || starts(p, end, "Swap cache:") ||
	    find(p, end, " per-cpu:") || starts(p, end, "CPU ") ||
	    starts(p, end, "Hardware name") || starts(p, end, "Modules linked in") ||
	    starts(p, end, "COMPACTION is disabled") ||
	    starts(p, end, "Tasks state") || starts(p, end, "warn_alloc"))
		return true;
	if (starts(p, end, "[ pid ]") || starts(p, end, "[  pid  ]")) {
		parse_task_header(lp, p, end);
		return true;
	}
	if (starts(p, end, "Unreclaimable slab info")) {
		lp->block = OOMSNAP_LOG_BLOCK_SLABS;
		return true;
	}
	if (memcg_usage_line(p, end)) {
		rec->type = OOMSNAP_EVENT_MEMCG_OOM;
		parse_memcg_usage(lp, p, end, false);
		return true;
	}
	if (starts(p, end, "swap: usage ") || starts(p, end, "memory+swap: usage ")) {
		if (p[0] == 's')
			parse_memcg_usage(lp, p, end, true);
		return true;
	}
	if (starts(p, end, "kmem: usage "))
		return true;
	if (starts(p, end, "Memory cgroup stats for ")) {
		if (!rec->memcg_path[0])
			set_memcg_path(lp, p + 24, end);
		lp->block = OOMSNAP_LOG_BLOCK_MEMCG_STATS;
		return true;
	}
	if (starts(p, end, "Task in ")) {
		k = find(p, end, "as a result of limit of ");
		rec->type = OOMSNAP_EVENT_MEMCG_OOM;
		if (k)
			set_memcg_path(lp, k + 24, end);
		return true;
	}
	if (starts(p, end, "oom-kill:")) {
		parse_oom_kill(lp, p, end);
		return true;
	}
	k = find(p, end, "Killed process ");
	if (k) {
		if (find(p, end, "Memory cgroup out of memory"))
			rec->type = OOMSNAP_EVENT_MEMCG_OOM;
		parse_victim(lp, k + 15, end);
		return true;
	}
	if (starts(p, end, "Out of memory") || starts(p, end, "Out of Memory") ||
	    starts(p, end, "oom_reaper:") || find(p, end, "Memory cgroup out of memory"))
		return true;
	return false;
}

static void process_line(struct oomsnap_logparser *lp, const char *p,
			 const char *end)
{
	const char *hit;
	unsigned int type;

	lp->line_kind = KIND_OTHER;
	hit = find(p, end, "invoked oom-killer");
	if (hit) {
		header_oom(lp, p, end, hit);
		return;
	}
	hit = find(p, end, "page allocation failure");
	if (hit) {
		header_alloc_failure(lp, p, end, hit);
		return;
	}
	if (starts(p, end, "oom-killer")) {
		header_oom(lp, p, end, p);
		return;
	}
	if (lp->open) {
		if (report_line(lp, p, end)) {
			lp->ev.last_line = lp->lineno;
			return;
		}
		/* a report ends after its victim, or after a long gap */
		if (lp->victim_seen ||
		    lp->lineno - lp->ev.last_line > REPORT_GAP_LINES)
			close_event(lp);
		else
			return;
	}
	if (headerless_start(p, end, &type)) {
		start_event(lp, type, false);
		if (report_line(lp, p, end))
			lp->ev.last_line = lp->lineno;
	}
}

/* ---------------------------------------------------------------------- */

void oomsnap_logparser_init(struct oomsnap_logparser *lp,
			    oomsnap_log_emit_fn emit, void *ctx)
{
	memset(lp, 0, sizeof(*lp));
	lp->emit = emit;
	lp->ctx = ctx;
	lp->cur_zone = -1;
}

static void flush_line(struct oomsnap_logparser *lp)
{
	if (!lp->have_line)
		return;
	lp->have_line = false;
	process_line(lp, lp->line, lp->line + lp->len);
}

static void append_line(struct oomsnap_logparser *lp, const char *p,
			const char *end, bool space)
{
	size_t n = (size_t)(end - p);

	if (space && lp->len < sizeof(lp->line))
		lp->line[lp->len++] = ' ';
	if (n > sizeof(lp->line) - lp->len)
		n = sizeof(lp->line) - lp->len;
	memcpy(lp->line + lp->len, p, n);
	lp->len += n;
}

/*
 * Cheap test for lines that can't matter while no report is open: memchr()
 * to the few characters every report start's anchors contain, then a look
 * around each. Most lines hold none or one or two of them.
 */
static bool idle_irrelevant(const char *p, const char *end)
{
	const char *last = end - 3;	/* anchors are tested on c[0..3] */
	/* the longest prefix strip_prefix() takes is shorter than this */
	const char *boot_last = end - p > MESSAGE_START_MAX ?
				p + MESSAGE_START_MAX : last;
	const char *c;

	if (end - p < 4)
		return true;
	/* oom-killer, Mem-Info; xen-blkback (Xen context) */
	for (c = p; (c = memchr(c, '-', last - c)); c++) {
		if (c[1] == 'k' && end - c >= 7 && !memcmp(c, "-killer", 7))
			return false;
		if (c[1] == 'b' && c - p >= 3 && end - c >= 9 &&
		    !memcmp(c - 3, "xen-blkback:", 12))
			return false;
		if ((c[1] == 'I' || c[1] == 'i') && c - p >= 3 &&
		    !memcmp(c - 3, "Mem", 3))
			return false;
	}
	/* zone "free:", "memory: usage", "Free pages:" */
	for (c = p; (c = memchr(c, ':', last - c)); c++) {
		if (c - p >= 4 && !memcmp(c - 4, "free", 4))
			return false;
		if (c - p >= 6 && (!memcmp(c - 6, "memory", 6) ||
				   !memcmp(c - 5, "pages", 5)))
			return false;
	}
	/* Xen context: "Booting kernel on Xen...", at the start of a message */
	for (c = p; (c = memchr(c, 'B', boot_last - c)); c++)
		if (end - c >= 8 && !memcmp(c, "Booting ", 8))
			return false;
	/* "allocation failure", "Out of memory", "out of Memory" */
	for (c = p; (c = memchr(c, 'f', end - 1 - c)); c++) {
		if (c - p >= 2 && c[-2] == 'n' && c[-1] == ' ' && c[1] == 'a')
			return false;
		if (c < last && c[1] == ' ' && (c[2] == 'm' || c[2] == 'M') &&
		    c[3] == 'e')
			return false;
	}
	return true;
}

void oomsnap_logparser_feed(struct oomsnap_logparser *lp, const char *line,
			    size_t len)
{
	const char *end = line + len, *p;
	bool prefixed;

	lp->lineno++;
	if (len && line[len - 1] == '\r')
		end--;
	/* fast path: nothing open, nothing pending, nothing interesting */
	if (!lp->open && !lp->have_line && idle_irrelevant(line, end))
		return;

	p = strip_prefix(line, end, &prefixed);
	if (lp->have_line) {
		const char *t = skip_spaces(p, end);
		bool join = false;

		if (!prefixed && lp->line_prefixed && p < end)
			join = true;	/* wrapped paste of a prefixed line */
		else if ((lp->line_kind == KIND_ZONE || lp->line_kind == KIND_GLOBAL ||
			  lp->line_kind == KIND_NODE) && continues_kv(t, end))
			join = true;
		else if (lp->line_kind == KIND_BUDDY && continues_buddy(t, end))
			join = true;
		if (join) {
			append_line(lp, t, end, true);
			return;
		}
		flush_line(lp);
	}
	/* first characters first: this runs on every line of the input */
	if (p < end && (*p == 'B' || *p == 'x') && xen_context_line(lp, p, end)) {
		lp->line_kind = KIND_OTHER;
		return;
	}
	if (!lp->open && idle_irrelevant(p, end)) {
		lp->line_kind = KIND_OTHER;
		return;
	}
	lp->len = 0;
	lp->line_start = lp->lineno;
	lp->line_prefixed = prefixed;
	lp->have_line = true;
	append_line(lp, p, end, false);
	/* classify early, so that continuations can join */
	{
		unsigned int node;
		const char *after;
		int type = zone_head(lp->line, lp->line + lp->len, &node, &after);

		lp->line_kind = KIND_OTHER;
		if (type >= 0 && starts(after, lp->line + lp->len, " free:"))
			lp->line_kind = KIND_ZONE;
		else if (type >= 0 && starts(after, lp->line + lp->len, ": "))
			lp->line_kind = KIND_BUDDY;
		else if (starts(lp->line, lp->line + lp->len, "active_anon:") ||
			 starts(lp->line, lp->line + lp->len, "Active_anon:") ||
			 starts(lp->line, lp->line + lp->len, "Active:"))
			lp->line_kind = KIND_GLOBAL;
		else if (starts(lp->line, lp->line + lp->len, "Node "))
			lp->line_kind = KIND_NODE;
	}
}

void oomsnap_logparser_finish(struct oomsnap_logparser *lp)
{
	flush_line(lp);
	close_event(lp);
}
