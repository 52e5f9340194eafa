// SPDX-License-Identifier: GPL-2.0
/*
 * Top-N insertion for the record's slabs[] (tasks[]: topn.h): one insertion
 * step of a stable sort, bounded by the table's size, no allocation.
 */
#include "base.h"
#include "decode.h"
#include "topn.h"

void oomsnap_topn_slab(struct oomsnap_slab *top, __u32 *nr,
		       const struct oomsnap_slab *s)
{
	__u32 i, n = *nr;

	if (n >= OOMSNAP_TOP_SLABS) {
		if (top[OOMSNAP_TOP_SLABS - 1].bytes >= s->bytes)
			return;
		n = OOMSNAP_TOP_SLABS - 1;
	}
	for (i = n; i > 0 && top[i - 1].bytes < s->bytes; i--)
		top[i] = top[i - 1];
	top[i] = *s;
	*nr = n + 1;
}
