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

#include "decode.h"
#include "loader.h"
#include "mem.h"

/* The module's derived slots, from the same inputs (lib/mem.c). */
static void derive_mem(struct oomsnap_bpf_event *ev)
{
	struct oomsnap_record *r = &ev->rec;
	__u64 v;

	if (ev->have_overcommit &&
	    oomsnap_mem_commit_limit(r, ev->overcommit_kbytes, ev->overcommit_ratio, &v))
		oomsnap_mem_set(r, OOMSNAP_MEM_COMMIT_LIMIT, v);
	if ((r->mem_have & (1ULL << OOMSNAP_MEM_TOTALRAM)) &&
	    oomsnap_mem_unaccounted(r, r->mem[OOMSNAP_MEM_TOTALRAM], ev->misc_reclaimable,
				    ev->vmap_stack, &v))
		oomsnap_mem_set(r, OOMSNAP_MEM_UNACCOUNTED, v);
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
