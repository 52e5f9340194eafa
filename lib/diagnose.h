/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The diagnosis (diagnose.c, diag_zones.c, diag_consumers.c): why an
 * allocation failed, from one struct oomsnap_record, with the evidence
 * behind the answer and the checks that could not be made. A parsed kernel
 * log fills a record too, with "have" bits for what the log showed.
 * docs/causes.md explains each cause.
 */
#ifndef OOMSNAP_DIAGNOSE_H
#define OOMSNAP_DIAGNOSE_H

#include "base.h"
#include "oomsnap.h"

/* Cause ids; the JSON "cause" is oomsnap_cause_name() (names.h). */
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
 * The symbol of @rec's call trace that is a memory cgroup's charge path
 * (the cgroup's limit, memory or kmem, failed the request), or NULL.
 */
const char *oomsnap_memcg_trace(const struct oomsnap_record *rec);

#endif /* OOMSNAP_DIAGNOSE_H */
