// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve non-exported kernel data symbols (see symbols.h).
 *
 * kallsyms_lookup_name() is not exported since 5.7, and on kernels built
 * with IBT (Debian 6.12) it cannot even be called through a pointer (its
 * ENDBR is sealed). register_kprobe() does the lookup for us: it stores
 * the symbol's address in kprobe.addr before it finds that a data symbol
 * is no place for a probe and fails with -EINVAL. Only data is resolved
 * this way, and only read: nothing here calls into the kernel.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/kprobes.h>
#include <linux/printk.h>

#include "symbols.h"

struct oomsnap_symbols oomsnap_syms;

static void *lookup_data(const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	int err;

	err = register_kprobe(&kp);
	if (!err) {
		/* text, not data: not what we asked for */
		unregister_kprobe(&kp);
		return NULL;
	}
	return err == -EINVAL ? (void *)kp.addr : NULL;
}

int oomsnap_symbols_resolve(void)
{
	struct oomsnap_symbols *sy = &oomsnap_syms;
	int found = 0;

#define RESOLVE(field)					\
	do {						\
		sy->field = lookup_data(#field);	\
		found += !!sy->field;			\
	} while (0)

	RESOLVE(nr_vmalloc_pages);
	RESOLVE(pcpu_nr_populated);
	RESOLVE(pcpu_nr_units);
	RESOLVE(total_swap_pages);
	RESOLVE(sysctl_overcommit_ratio);
	RESOLVE(sysctl_overcommit_kbytes);
	RESOLVE(hstates);
	RESOLVE(hugetlb_max_hstate);
#undef RESOLVE

	pr_info("%d of 8 internal counters resolved\n", found);
	return found;
}
