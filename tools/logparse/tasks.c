// SPDX-License-Identifier: GPL-2.0
/*
 * The task table and the unreclaimable slab table: the largest entries
 * of each, largest first.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "internal.h"
#include "topn.h"

enum task_col {
	TC_PID, TC_UID, TC_TGID, TC_TOTAL_VM, TC_RSS, TC_RSS_ANON, TC_RSS_FILE,
	TC_RSS_SHMEM, TC_PGTABLES, TC_SWAPENTS, TC_ADJ, TC_NAME, TC_OTHER,
};

void parse_task_header(struct oomsnap_logparser *lp, const char *p,
		       const char *end)
{
	static const struct { const char *name; int col; } cols[] = {
		{ "uid", TC_UID }, { "tgid", TC_TGID }, { "total_vm", TC_TOTAL_VM },
		{ "rss", TC_RSS }, { "rss_anon", TC_RSS_ANON },
		{ "rss_file", TC_RSS_FILE }, { "rss_shmem", TC_RSS_SHMEM },
		{ "pgtables_bytes", TC_PGTABLES }, { "swapents", TC_SWAPENTS },
		{ "oom_score_adj", TC_ADJ }, { "name", TC_NAME },
	};
	const char *q = memchr(p, ']', end - p);
	unsigned int n = 0;
	size_t i;

	lp->block = OOMSNAP_LOG_BLOCK_TASKS;
	lp->task_col[n++] = TC_PID;
	p = q ? q + 1 : end;
	while (p < end && n < OOMSNAP_LOG_TASK_COLS) {
		const char *w;
		int col = TC_OTHER;

		p = skip_spaces(p, end);
		w = p;
		while (p < end && !is_space(*p))
			p++;
		if (p == w)
			break;
		for (i = 0; i < ARRAY_SIZE(cols); i++)
			if ((size_t)(p - w) == strlen(cols[i].name) &&
			    !memcmp(w, cols[i].name, p - w))
				col = cols[i].col;
		lp->task_col[n++] = (signed char)col;
	}
	lp->nr_task_cols = n;
	lp->ev.rec.have |= OOMSNAP_HAVE_TASKS;
	lp->ev.rec.tasks_status = OOMSNAP_OK;
}

bool parse_task_row(struct oomsnap_logparser *lp, const char *p,
		    const char *end)
{
	struct oomsnap_task t;
	__u64 rss = 0;
	unsigned int c;
	bool ok;

	memset(&t, 0, sizeof(t));
	p = skip_spaces(p + 1, end);	/* past '[' */
	for (c = 0; c < lp->nr_task_cols; c++) {
		const char *w;
		long long v;

		p = skip_spaces(p, end);
		if (c == 1 && p < end && *p == ']')
			p = skip_spaces(p + 1, end);
		if (lp->task_col[c] == TC_NAME || c + 1 == lp->nr_task_cols) {
			w = p;
			while (p < end && !is_space(*p))
				p++;
			copy_str(t.comm, sizeof(t.comm), w, p);
			break;
		}
		v = parse_s64(&p, end, &ok);
		if (!ok)
			return false;
		if (c == 0 && p < end && *p == ']')
			p++;
		switch (lp->task_col[c]) {
		case TC_PID:
			t.pid = (__s32)v;
			break;
		case TC_UID:
			t.uid = (__u32)v;
			break;
		case TC_TGID:
			t.tgid = (__s32)v;
			break;
		case TC_TOTAL_VM:
			t.total_vm = (__u64)v;
			break;
		case TC_RSS:
			rss = (__u64)v;
			break;
		case TC_RSS_ANON:
			t.rss_anon = (__u64)v;
			break;
		case TC_RSS_FILE:
			t.rss_file = (__u64)v;
			break;
		case TC_RSS_SHMEM:
			t.rss_shmem = (__u64)v;
			break;
		case TC_PGTABLES:
			t.pgtables_bytes = (__u64)v;
			break;
		case TC_SWAPENTS:
			t.swapents = (__u64)v;
			break;
		case TC_ADJ:
			t.oom_score_adj = (__s32)v;
			break;
		default:
			break;
		}
	}
	if (!oomsnap_task_rss(&t))
		t.rss_anon = rss;	/* only the total is printed: kept as anon */
	if (t.oom_score_adj == -1000)
		t.flags |= OOMSNAP_TASK_OOM_UNKILLABLE;
	lp->ev.rec.tasks_scanned++;
	oomsnap_topn_task(lp->ev.rec.tasks, &lp->ev.rec.nr_tasks, &t);
	return true;
}

/* "kmalloc-2048   1234KB   5678KB" */
bool parse_slab_row(struct oomsnap_logparser *lp, const char *p,
		    const char *end)
{
	struct oomsnap_slab s;
	const char *name = p, *name_end;
	__u64 used, total;
	bool ok;

	memset(&s, 0, sizeof(s));
	while (p < end && !is_space(*p))
		p++;
	name_end = p;
	p = skip_spaces(p, end);
	used = parse_u64(&p, end, &ok);
	if (!ok || !starts(p, end, "KB"))
		return false;
	p = skip_spaces(p + 2, end);
	total = parse_u64(&p, end, &ok);
	if (!ok)
		total = used;
	copy_str(s.name, sizeof(s.name), name, name_end);
	s.bytes = total * 1024;
	s.active_objs = 0;
	oomsnap_topn_slab(lp->ev.rec.slabs, &lp->ev.rec.nr_slabs, &s);
	lp->ev.rec.have |= OOMSNAP_HAVE_SLABS;
	lp->ev.rec.slabs_status = OOMSNAP_OK;
	return true;
}
