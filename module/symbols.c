// SPDX-License-Identifier: GPL-2.0
/*
 * Resolve non-exported kernel data symbols (see symbols.h).
 *
 * kallsyms_lookup_name() is not exported since 5.7, and on kernels built
 * with IBT (Debian 6.12) it cannot even be called through a pointer (its
 * ENDBR is sealed). register_kprobe() does the lookup for us: it stores
 * the symbol's address in kprobe.addr before it finds that a data symbol
 * is no place for a probe and fails with -EINVAL. Only data is resolved
 * this way, and only read or (css_set_lock) locked as the kernel locks it:
 * nothing here calls into the kernel through a looked-up address.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/build_bug.h>
#include <linux/hugetlb.h>
#include <linux/kprobes.h>
#include <linux/mman.h>
#include <linux/oom.h>
#include <linux/printk.h>
#include <linux/swap.h>

#include "symbols.h"

struct oomsnap_symbols oomsnap_syms;

/*
 * The lookup gives an address, not a type: where a public header declares
 * the symbol, the pointer we read it through must have the declared type.
 * (nr_vmalloc_pages, pcpu_nr_*, slab_caches and slab_mutex are private to
 * mm/; slabs.c checks what it reads through slab_caches at load.)
 */
static_assert(__same_type(oomsnap_syms.total_swap_pages, &total_swap_pages));
static_assert(__same_type(oomsnap_syms.sysctl_overcommit_ratio,
			  &sysctl_overcommit_ratio));
static_assert(__same_type(oomsnap_syms.sysctl_overcommit_kbytes,
			  &sysctl_overcommit_kbytes));
static_assert(__same_type(oomsnap_syms.oom_lock, &oom_lock));
/*
 * css_set_lock is DEFINE_SPINLOCK() in kernel/cgroup/cgroup.c; 6.1's
 * cgroup.h declares it only with CONFIG_PROVE_RCU, so no check here.
 */
#ifdef CONFIG_HUGETLB_PAGE
static_assert(__same_type(oomsnap_syms.hstates, &hstates[0]));
static_assert(__same_type(oomsnap_syms.hugetlb_max_hstate,
			  &hugetlb_max_hstate));
#endif

/* The address of data symbol @name, or NULL; counts successes in *@found. */
static void *lookup_data(const char *name, int *found)
{
	struct kprobe kp = { .symbol_name = name };
	int err;

	err = register_kprobe(&kp);
	if (!err) {
		/* text, not data: not what we asked for */
		unregister_kprobe(&kp);
		return NULL;
	}
	if (err != -EINVAL || !kp.addr)
		return NULL;
	(*found)++;
	return (void *)kp.addr;
}

int oomsnap_symbols_resolve(void)
{
	struct oomsnap_symbols *sy = &oomsnap_syms;
	int found = 0;

	sy->nr_vmalloc_pages = lookup_data("nr_vmalloc_pages", &found);
	sy->pcpu_nr_populated = lookup_data("pcpu_nr_populated", &found);
	sy->pcpu_nr_units = lookup_data("pcpu_nr_units", &found);
	sy->total_swap_pages = lookup_data("total_swap_pages", &found);
	sy->sysctl_overcommit_ratio = lookup_data("sysctl_overcommit_ratio", &found);
	sy->sysctl_overcommit_kbytes = lookup_data("sysctl_overcommit_kbytes", &found);
	sy->hstates = lookup_data("hstates", &found);
	sy->hugetlb_max_hstate = lookup_data("hugetlb_max_hstate", &found);
	sy->slab_caches = lookup_data("slab_caches", &found);
	sy->slab_mutex = lookup_data("slab_mutex", &found);
	sy->oom_lock = lookup_data("oom_lock", &found);
	sy->css_set_lock = lookup_data("css_set_lock", &found);

	pr_info("%d of 12 internal symbols resolved\n", found);
	return found;
}
