/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The diagnosis engine: plain, allocation-free C compiled into oomsnap.ko
 * (text of debugfs "last" and "events") and into tools/oomsnap (snapshots
 * and parsed kernel logs). Its input is always a struct oomsnap_record; a
 * parsed log fills one too, with "have" bits for what the log showed.
 */
#ifndef OOMSNAP_ENGINE_H
#define OOMSNAP_ENGINE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stdarg.h>
#else
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#include "oomsnap.h"

/* Cause ids (the table in README.md); the JSON "cause" is oomsnap_cause_name(). */
enum oomsnap_cause {
	OOMSNAP_CAUSE_UNKNOWN,
	OOMSNAP_CAUSE_FRAGMENTATION,
	OOMSNAP_CAUSE_LOWMEM,
	OOMSNAP_CAUSE_MEMCG_LIMIT,
	OOMSNAP_CAUSE_CONSTRAINED,
	OOMSNAP_CAUSE_NO_RECLAIM,
	OOMSNAP_CAUSE_CMA,
	OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE,
	OOMSNAP_CAUSE_KERNEL_UNACCOUNTED,
	OOMSNAP_CAUSE_MLOCKED,
	OOMSNAP_CAUSE_SHMEM,
	OOMSNAP_CAUSE_HUGETLB,
	OOMSNAP_CAUSE_EXHAUSTED,
	/* contributing-only factors */
	OOMSNAP_FACTOR_NO_SWAP,
	OOMSNAP_FACTOR_SWAP_FULL,
	OOMSNAP_FACTOR_OVERCOMMIT,
	OOMSNAP_CAUSE_NR,
};

const char *oomsnap_cause_name(unsigned int cause);

#define OOMSNAP_DIAG_MAX_LINES	16
#define OOMSNAP_DIAG_LINE_LEN	192

struct oomsnap_diagnosis {
	unsigned int cause;			/* enum oomsnap_cause */
	unsigned int contributing;		/* bit c: enum oomsnap_cause c */
	unsigned int nr_evidence;
	unsigned int nr_missing;
	/* the numbers and the kernel rule behind the conclusion */
	char evidence[OOMSNAP_DIAG_MAX_LINES][OOMSNAP_DIAG_LINE_LEN];
	/* checks that could not be made, and why */
	char missing[OOMSNAP_DIAG_MAX_LINES][OOMSNAP_DIAG_LINE_LEN];
};

/* Fill @diag from @rec. No allocation; safe in any context. */
/*
 * The symbol of @rec's call trace that is a memory cgroup's charge path
 * (the cgroup's limit, memory or kmem, failed the request), or NULL.
 */
const char *oomsnap_memcg_trace(const struct oomsnap_record *rec);
void oomsnap_diagnose(const struct oomsnap_record *rec,
		      struct oomsnap_diagnosis *diag);

/*
 * Output sink, so one renderer serves seq_file in the kernel and stdio in
 * the reader.
 */
struct oomsnap_printer {
	void (*vprintf)(void *ctx, const char *fmt, va_list ap);
	void *ctx;
};

/* The text a person reads with cat: event, request, zones, consumers, diagnosis. */
void oomsnap_print_record(struct oomsnap_printer *p,
			  const struct oomsnap_record *rec,
			  const struct oomsnap_diagnosis *diag);

/*
 * Print up to @max bytes of @s with control bytes and bytes that are not
 * UTF-8 as "\\xNN" (as dmesg does), padded to @width columns (negative:
 * left-justified). Returns the columns printed.
 */
unsigned int oomsnap_print_str(struct oomsnap_printer *p, const char *s,
			       size_t max, int width);

/* @realtime_ns as "2026-12-01T05:50:23Z" (UTC), "-" when 0. */
const char *oomsnap_format_realtime(char *buf, size_t len, __u64 realtime_ns);

/* Largest record size accepted from a future writer. */
#define OOMSNAP_RECORD_SIZE_MAX	(1024U * 1024U)

/*
 * Decode one record from @buf (@len bytes): accepts any size >= VER0's,
 * copies what this build knows, zeroes the rest. Returns the bytes consumed
 * (> 0) or a negative errno with *@err set to a one-line reason.
 */
long oomsnap_record_decode(const void *buf, size_t len,
			   struct oomsnap_record *out, const char **err);

/* ---------------------------------------------------------------------- */
/* Helpers shared by the renderer, the reader, the log parser and tests.   */

#define OOMSNAP_ERA(major, minor)	(((major) << 16) | ((minor) << 8))

const char *oomsnap_event_type_name(unsigned int type);	/* "oom"... */
const char *oomsnap_zone_type_name(unsigned int type);	/* "Normal"... */
const char *oomsnap_constraint_name(unsigned int constraint);
const char *oomsnap_status_name(unsigned int status);
const char *oomsnap_xen_domain_name(unsigned int domain);	/* "dom0 PV"... */
/* Whether a record has a Xen section to show: a Xen domain, or a reason why not known. */
static inline bool oomsnap_xen_shown(const struct oomsnap_record *rec)
{
	return rec->xen_status != OOMSNAP_NOT_XEN &&
	       ((rec->have & OOMSNAP_HAVE_XEN) || rec->xen_status);
}

/* oomsnap_record.mem[] slot name ("slab_unreclaimable"), NULL past the end. */
const char *oomsnap_mem_name(unsigned int idx);

/* gfp_zone(): the highest zone type a request with @gfp may use. */
unsigned int oomsnap_gfp_zone(__u64 gfp);

/* How a request may make room: what the diagnosis calls its gfp class. */
enum oomsnap_gfp_class {
	OOMSNAP_GFP_CLASS_RECLAIM,	/* may enter direct reclaim with IO and FS */
	OOMSNAP_GFP_CLASS_ATOMIC,	/* no direct reclaim, may use reserves */
	OOMSNAP_GFP_CLASS_NOWAIT,	/* no direct reclaim, no reserves */
	OOMSNAP_GFP_CLASS_NOIO,		/* reclaim without IO */
	OOMSNAP_GFP_CLASS_NOFS,		/* reclaim without filesystem calls */
	OOMSNAP_GFP_CLASS_NR,
};

unsigned int oomsnap_gfp_class(__u64 gfp);
const char *oomsnap_gfp_class_name(unsigned int gfp_class);

/* "GFP_KERNEL|__GFP_COMP": composite names first. Returns chars written. */
int oomsnap_gfp_format(__u64 gfp, char *buf, size_t len);
/* Name -> OOMSNAP_GFP_* (composites too, "GFP_KERNEL"); 0 if unknown. */
__u64 oomsnap_gfp_from_name(const char *name, size_t len);

/*
 * Migratetype columns of oomsnap_zone.nr_free_mt[][]: the kernel's order
 * (6.1, 6.12) with CMA kept at its index even without CONFIG_CMA.
 */
enum oomsnap_migratetype {
	OOMSNAP_MT_UNMOVABLE,
	OOMSNAP_MT_MOVABLE,
	OOMSNAP_MT_RECLAIMABLE,
	OOMSNAP_MT_HIGHATOMIC,
	OOMSNAP_MT_CMA,
	OOMSNAP_MT_ISOLATE,
	OOMSNAP_MT_NR,
};

/*
 * Engine-only zone flag (never set by the module): nr_free_mt[][] holds
 * presence (1) rather than counts, from a log's "(UMEH)" letters.
 */
#define OOMSNAP_ZONE_MT_LETTERS		0x8000U

/* The allocator's alloc_flags that the watermark check reads (our values). */
#define OOMSNAP_ALLOC_MIN_RESERVE	0x01U	/* ALLOC_HIGH before 6.3 */
#define OOMSNAP_ALLOC_HARDER		0x02U	/* 4.4 .. 6.2 */
#define OOMSNAP_ALLOC_NON_BLOCK		0x04U	/* 6.3+, 6.1.y */
#define OOMSNAP_ALLOC_HIGHATOMIC	0x08U
#define OOMSNAP_ALLOC_OOM		0x10U
#define OOMSNAP_ALLOC_CMA		0x20U

/* Which __zone_watermark_ok() the replica ran. */
enum oomsnap_wmark_rule {
	OOMSNAP_WMARK_RULE_CLASSIC,	/* 2.6.x .. 4.3: min >>= 1 per order */
	OOMSNAP_WMARK_RULE_HARDER,	/* 4.4 .. 6.2: any suitable block */
	OOMSNAP_WMARK_RULE_RESERVES,	/* 6.3+ and 6.1.y: ALLOC_RESERVES */
};

unsigned int oomsnap_wmark_rule(const struct oomsnap_record *rec);
const char *oomsnap_wmark_rule_name(unsigned int rule);

/* gfp_to_alloc_flags() for @rec's era, as far as the watermark check cares. */
unsigned int oomsnap_alloc_flags(const struct oomsnap_record *rec, __u64 gfp,
				 int order);

struct oomsnap_wmark_check {
	__s64 free;		/* NR_FREE_PAGES of the zone */
	__s64 unusable;		/* pages the request may not count */
	__s64 min;		/* the mark after reserve allowances */
	__s64 reserve;		/* lowmem_reserve[highest_zone] */
	int order0_ok;		/* free - unusable > min + reserve */
	int ok;			/* the whole check */
	int walk_known;		/* per-order data was there for order > 0 */
	int walk_all_blocks;	/* no migratetype data: counted every block */
	int classic_fail_order;	/* CLASSIC rule: order where the walk failed */
	__s64 walk_free;	/* CLASSIC rule: free left at that order */
	__s64 walk_min;		/* CLASSIC rule: min >>= 1 at that order */
	unsigned int rule;	/* enum oomsnap_wmark_rule */
};

/*
 * A replica of the kernel's __zone_watermark_ok() for @rec's kernel era:
 * may the request (@order, @highest_zone, @alloc_flags) take pages from @z
 * when the watermark is @mark pages? Fills @chk with the numbers it used.
 */
bool oomsnap_zone_watermark_ok(const struct oomsnap_record *rec,
			       const struct oomsnap_zone *z, int order,
			       __u64 mark, unsigned int highest_zone,
			       unsigned int alloc_flags,
			       struct oomsnap_wmark_check *chk);

/* Page counts to kB for @rec's page size. */
__u64 oomsnap_pages_kb(const struct oomsnap_record *rec, __u64 pages);

/* Zeroed record with magic/size/page_size set: the parser's blank sheet. */
void oomsnap_record_init(struct oomsnap_record *rec);

#endif /* OOMSNAP_ENGINE_H */
