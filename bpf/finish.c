// SPDX-License-Identifier: GPL-2.0
/*
 * An event from the BPF program made a record, in user space: the stack
 * (symbolised from /proc/kallsyms as %pS does: "func+0x1c/0x80 [mod]"),
 * the memcg path, the gfp translation, the derived mem[] slots, and the
 * clocks (time_ns on dmesg's clock).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"

static unsigned long long mem_get(const struct oomsnap_record *r, int i)
{
	return r->mem[i];
}

static bool mem_has(const struct oomsnap_record *r, int i)
{
	return r->mem_have & (1ULL << i);
}

static void mem_put(struct oomsnap_record *r, int i, unsigned long long v)
{
	r->mem[i] = v;
	r->mem_have |= 1ULL << i;
}

/* The module's commit_limit() and unaccounted(), from the same inputs. */
static void derive_mem(struct oomsnap_bpf_event *ev)
{
	static const int consumers[] = {
		OOMSNAP_MEM_FREE, OOMSNAP_MEM_FREE_PCP,
		OOMSNAP_MEM_ACTIVE_ANON, OOMSNAP_MEM_INACTIVE_ANON,
		OOMSNAP_MEM_ACTIVE_FILE, OOMSNAP_MEM_INACTIVE_FILE,
		OOMSNAP_MEM_UNEVICTABLE, OOMSNAP_MEM_ISOLATED,
		OOMSNAP_MEM_SLAB_RECLAIMABLE, OOMSNAP_MEM_SLAB_UNRECLAIMABLE,
		OOMSNAP_MEM_PAGETABLES, OOMSNAP_MEM_SECONDARY_PAGETABLES,
		OOMSNAP_MEM_PERCPU, OOMSNAP_MEM_VMALLOC,
		OOMSNAP_MEM_HUGETLB_TOTAL,
	};
	struct oomsnap_record *r = &ev->rec;
	unsigned long long used = ev->misc_reclaimable, limit;
	unsigned int page_kb = r->page_size / 1024;
	size_t i;

	if (ev->have_overcommit && mem_has(r, OOMSNAP_MEM_SWAP_TOTAL) &&
	    mem_has(r, OOMSNAP_MEM_HUGETLB_TOTAL) && mem_has(r, OOMSNAP_MEM_TOTALRAM)) {
		if (ev->overcommit_kbytes)
			limit = ev->overcommit_kbytes / page_kb;
		else
			limit = (mem_get(r, OOMSNAP_MEM_TOTALRAM) -
				 mem_get(r, OOMSNAP_MEM_HUGETLB_TOTAL)) *
				ev->overcommit_ratio / 100;
		mem_put(r, OOMSNAP_MEM_COMMIT_LIMIT, limit + mem_get(r, OOMSNAP_MEM_SWAP_TOTAL));
	}
	if (mem_has(r, OOMSNAP_MEM_TOTALRAM)) {
		for (i = 0; i < sizeof(consumers) / sizeof(consumers[0]); i++)
			used += mem_get(r, consumers[i]);
		if (!ev->vmap_stack || !mem_has(r, OOMSNAP_MEM_VMALLOC))
			used += mem_get(r, OOMSNAP_MEM_KERNEL_STACK);
		mem_put(r, OOMSNAP_MEM_UNACCOUNTED, mem_get(r, OOMSNAP_MEM_TOTALRAM) > used ?
			mem_get(r, OOMSNAP_MEM_TOTALRAM) - used : 0);
	}
	r->nr_mem = OOMSNAP_MEM_NR;
}

void finish(struct oomsnap_bpf_event *ev)
{
	struct oomsnap_record *r = &ev->rec;
	int i;

	if (ev->stack_bytes > 0) {
		ksyms_stack(r, ev->stack_ips, ev->stack_bytes / 8);
		r->stack_status = OOMSNAP_OK;
		r->have |= OOMSNAP_HAVE_STACK;
	} else {
		r->stack_status = OOMSNAP_NOT_CAPTURED;
	}

	/* memcg path: components leaf first */
	if ((r->have & OOMSNAP_HAVE_MEMCG) && !ev->cg_truncated) {
		char path[OOMSNAP_PATH_LEN] = "";
		size_t len = 0;

		for (i = ev->cg_depth - 1; i >= 0 && i < OOMSNAP_BPF_CG_DEPTH; i--) {
			ev->cg_names[i][OOMSNAP_BPF_CG_NAME - 1] = '\0';
			len += snprintf(path + len, len < sizeof(path) ? sizeof(path) - len : 0,
					"/%s", ev->cg_names[i]);
		}
		if (!ev->cg_depth)
			snprintf(path, sizeof(path), "/");
		if (len < sizeof(path))
			memcpy(r->memcg_path, path, sizeof(path));
	}

	if (r->have & OOMSNAP_HAVE_GFP) {
		if (gfp_translate(r->gfp_raw, &r->gfp)) {
			if (r->gfp_raw) {
				r->highest_zone = gfp_highest_zone(r->gfp);
				r->have |= OOMSNAP_HAVE_HIGHEST_ZONE;
			}
		} else {
			/* order only: the bits of this kernel's gfp_t are not known */
			r->have &= ~OOMSNAP_HAVE_GFP;
		}
	}
	derive_mem(ev);
	clocks_stamp(r);
}
