// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve non-exported kernel symbols (see symbols.h).
 *
 * kallsyms_lookup_name() is not exported since 5.7. register_kprobe() on it
 * resolves its address for us; the probe is removed at once. On kernels
 * built with IBT (Debian 6.12) calling it through a pointer would fault
 * (its ENDBR is sealed), so nothing is resolved there.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/kprobes.h>
#include <linux/printk.h>

#include "compat.h"
#include "symbols.h"

struct oomsnap_symbols oomsnap_syms;

typedef unsigned long (*kallsyms_lookup_name_t)(const char *name);

static kallsyms_lookup_name_t find_kallsyms_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	kallsyms_lookup_name_t fn;

	if (register_kprobe(&kp))
		return NULL;
	fn = (kallsyms_lookup_name_t)kp.addr;
	unregister_kprobe(&kp);
	return fn;
}

#define RESOLVE(lookup, field, name, found)				\
	do {								\
		unsigned long addr = (lookup)(name);			\
		oomsnap_syms.field = (void *)addr;			\
		if (addr)						\
			(found)++;					\
	} while (0)

int oomsnap_symbols_resolve(void)
{
	kallsyms_lookup_name_t lookup;
	int found = 0;

	if (!OOMSNAP_CAN_CALL_UNEXPORTED) {
		pr_info("kernel built with IBT: internal counters not resolved\n");
		return 0;
	}
	lookup = find_kallsyms_lookup_name();
	if (!lookup) {
		pr_info("kallsyms_lookup_name not found: internal counters not resolved\n");
		return 0;
	}

	RESOLVE(lookup, nr_vmalloc_pages, "nr_vmalloc_pages", found);
	RESOLVE(lookup, pcpu_nr_populated, "pcpu_nr_populated", found);
	RESOLVE(lookup, pcpu_nr_units, "pcpu_nr_units", found);
	RESOLVE(lookup, total_swap_pages, "total_swap_pages", found);
	RESOLVE(lookup, sysctl_overcommit_ratio, "sysctl_overcommit_ratio",
		found);
	RESOLVE(lookup, sysctl_overcommit_kbytes, "sysctl_overcommit_kbytes",
		found);
	RESOLVE(lookup, hstates, "hstates", found);
	RESOLVE(lookup, hugetlb_max_hstate, "hugetlb_max_hstate", found);
	return found;
}
