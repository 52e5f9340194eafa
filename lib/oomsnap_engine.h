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

/* Cause ids (DESIGN.md); the JSON "cause" is oomsnap_cause_name(). */
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
 * Decode one record from @buf (@len bytes): accepts any size >= VER0's,
 * copies what this build knows, zeroes the rest. Returns the bytes consumed
 * (> 0) or a negative errno with *@err set to a one-line reason.
 */
long oomsnap_record_decode(const void *buf, size_t len,
			   struct oomsnap_record *out, const char **err);

#endif /* OOMSNAP_ENGINE_H */
