// SPDX-License-Identifier: GPL-2.0
/*
 * Mem-Info counters: the global vmstat line, per-node lines and the
 * keys that continue a wrapped zone or Mem-Info line.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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
	/* 2.6 before 2.6.19: one total, reclaimable or not; kept as unreclaimable */
	{ "slab", OOMSNAP_MEM_SLAB_UNRECLAIMABLE },
	{ "pagetables", OOMSNAP_MEM_PAGETABLES },
	{ "sec_pagetables", OOMSNAP_MEM_SECONDARY_PAGETABLES },
	{ "bounce", OOMSNAP_MEM_BOUNCE },
	{ "free", OOMSNAP_MEM_FREE },
	{ "free_pcp", OOMSNAP_MEM_FREE_PCP },
	{ "free_cma", OOMSNAP_MEM_FREE_CMA },
	{ "isolated_anon", OOMSNAP_MEM_ISOLATED },
	{ "isolated_file", OOMSNAP_MEM_ISOLATED },
};

void parse_global(struct oomsnap_logparser *lp, const char *p,
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
void parse_node(struct oomsnap_logparser *lp, const char *p,
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

bool continues_kv(const char *p, const char *end)
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
