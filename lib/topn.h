/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record's top-N tables (topn.c): tasks by RSS and slab caches by
 * bytes, largest first, filled one candidate at a time by the module's
 * capture and by the log parser alike.
 */
#ifndef OOMSNAP_TOPN_H
#define OOMSNAP_TOPN_H

#include "base.h"
#include "decode.h"
#include "oomsnap.h"

/*
 * Insert @t into @top (*@nr entries, at most OOMSNAP_TOP_TASKS) by
 * oomsnap_task_rss(), after the entries as large as it; when the table is
 * full, only a task larger than the last one gets in. Inline: the module's
 * task walk calls it once per process, where a call's prologue is a tenth
 * of the walk's cost.
 */
static inline void oomsnap_topn_task(struct oomsnap_task *top, __u32 *nr,
				     const struct oomsnap_task *t)
{
	__u64 rss = oomsnap_task_rss(t);
	__u32 i, n = *nr;

	if (n >= OOMSNAP_TOP_TASKS) {
		if (oomsnap_task_rss(&top[OOMSNAP_TOP_TASKS - 1]) >= rss)
			return;
		n = OOMSNAP_TOP_TASKS - 1;
	}
	for (i = n; i > 0 && oomsnap_task_rss(&top[i - 1]) < rss; i--)
		top[i] = top[i - 1];
	top[i] = *t;
	*nr = n + 1;
}

/* The same for slab caches by bytes, at most OOMSNAP_TOP_SLABS. */
void oomsnap_topn_slab(struct oomsnap_slab *top, __u32 *nr,
		       const struct oomsnap_slab *s);

#endif /* OOMSNAP_TOPN_H */
