// SPDX-License-Identifier: GPL-2.0
/*
 * The lines that say who asked, who was killed and under which limit:
 * CPU/Pid line, call trace, victim, memcg usage and path, oom-kill
 * constraint, nodemask.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "watermark.h"
#include "internal.h"

/* mem_cgroup_print_oom_meminfo(): "memory: usage 524288kB, limit ..." */
bool memcg_usage_line(const char *p, const char *end)
{
	static const char lit[] = "memory: usage ";

	return starts(p, end, lit) && end - p > (long)sizeof(lit) - 1 &&
	       is_digit(p[sizeof(lit) - 1]);
}

/*
 * The ')' that closes "(comm)": the first one followed by a space, a comma,
 * a period or the end; a comm may hold parentheses itself ("(resolved)").
 */
static const char *comm_end(const char *p, const char *end)
{
	for (; (p = memchr(p, ')', end - p)); p++)
		if (p + 1 == end || p[1] == ' ' || p[1] == ',' || p[1] == '.')
			return p;
	return NULL;
}

/* "Killed process 2491 (stream.cgi) total-vm:..kB, anon-rss:..kB, ..." */
void parse_victim(struct oomsnap_logparser *lp, const char *p,
		  const char *end)
{
	struct oomsnap_task *v = &lp->ev.rec.victim;
	long long n;
	bool ok;

	p = skip_spaces(p, end);
	v->pid = (__s32)parse_s64(&p, end, &ok);
	v->tgid = v->pid;
	/* "(comm)" follows the pid, or ", UID 500, (comm)" (2.6.x) */
	p = memchr(p, '(', end - p);
	if (p) {
		const char *c = ++p, *close = comm_end(p, end);

		copy_str(v->comm, sizeof(v->comm), c, close ? close : end);
		p = close ? close + 1 : end;
	} else {
		p = end;
	}
	if (value_after(p, end, "total-vm:", &n))
		v->total_vm = (__u64)n;
	if (value_after(p, end, "anon-rss:", &n))
		v->rss_anon = (__u64)n;
	if (value_after(p, end, "file-rss:", &n))
		v->rss_file = (__u64)n;
	if (value_after(p, end, "shmem-rss:", &n))
		v->rss_shmem = (__u64)n;
	if (value_after(p, end, "UID:", &n))
		v->uid = (__u32)n;
	if (value_after(p, end, "oom_score_adj:", &n))
		v->oom_score_adj = (__s32)n;
	lp->ev.rec.have |= OOMSNAP_HAVE_VICTIM;
	lp->victim_seen = true;
}

/*
 * " (mm/oom_kill.c:468)" after a symbol: where decode_stacktrace.sh puts
 * the source line in place of the "+0x4c/0x22b" it replaces.
 */
static bool source_ref(const char *p, const char *end)
{
	const char *colon;

	if (!skip_lit(p, end, " ("))
		return false;
	for (p += 2, colon = NULL; p < end && !is_space(*p) && *p != ')'; p++)
		if (*p == ':')
			colon = p;
	return colon && colon + 1 < end && is_digit(colon[1]);
}

/*
 * Stack entries: "[<c00328c8>] (dump_stack+0x0/0x14) from ...",
 * " [<ffff>] foo+0x1/0x2", " foo+0x1/0x2", decode_stacktrace.sh's
 * "foo (mm/foo.c:12)"
 */
bool parse_stack_line(struct oomsnap_logparser *lp, const char *p,
		      const char *end, bool in_block)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	const char *sym, *q;

	p = skip_spaces(p, end);
	if (starts(p, end, "[<")) {
		q = memchr(p, ']', end - p);
		if (!q)
			return false;
		p = skip_spaces(q + 1, end);
	} else if (!in_block) {
		return false;
	}
	if (starts(p, end, "? "))
		return true;	/* unreliable entry */
	if (p < end && *p == '(')
		p++;
	sym = p;
	while (p < end && !is_space(*p) && *p != ')')
		p++;
	if (p == sym || (!memchr(sym, '+', p - sym) && !(in_block && source_ref(p, end)))) {
		/* "<TASK>", "</TASK>", "<IRQ>": part of the trace, no symbol */
		return in_block && sym < end && *sym == '<';
	}
	if (rec->stack_depth < OOMSNAP_STACK_DEPTH) {
		copy_str(rec->stack[rec->stack_depth], OOMSNAP_SYM_LEN, sym, p);
		rec->stack_depth++;
	}
	rec->have |= OOMSNAP_HAVE_STACK;
	rec->stack_status = OOMSNAP_OK;
	return true;
}

/* "CPU: 1 PID: 2 Comm: x Not tainted 6.1.0-56-amd64 #1" / "Pid: 2, comm: x Tainted: G W 2.6.32" */
void parse_cpu_line(struct oomsnap_logparser *lp, const char *p,
		    const char *end)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	const char *t, *c;
	long long v;
	bool ok;

	if (value_after(p, end, "CPU:", &v))
		rec->cpu = (__u32)v;
	if (value_after(p, end, "PID:", &v) || value_after(p, end, "Pid:", &v)) {
		rec->task.pid = (__s32)v;
		rec->task.tgid = (__s32)v;
		rec->have |= OOMSNAP_HAVE_TASK;
	}
	c = find(p, end, "Comm: ");
	if (!c)
		c = find(p, end, "comm: ");
	if (c) {
		c += 6;
		t = c;
		while (t < end && !is_space(*t))
			t++;
		copy_str(rec->task.comm, sizeof(rec->task.comm), c, t);
	}
	t = find(p, end, "ainted");
	if (!t)
		return;
	/* first "N.N" token after "tainted" */
	for (t += 6; t < end; t++) {
		if (is_digit(*t) && (t[-1] == ' ')) {
			const char *q = t;
			__u64 major = parse_u64(&q, end, &ok), minor;

			if (q < end && *q == '.' && major >= 2 && major < 100) {
				q++;
				minor = parse_u64(&q, end, &ok);
				if (ok && minor < 256) {
					rec->kernel_era = OOMSNAP_ERA((unsigned int)major,
								      (unsigned int)minor);
					return;
				}
			}
		}
	}
}

void parse_memcg_usage(struct oomsnap_logparser *lp, const char *p,
		       const char *end, bool swap)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	long long usage, limit;

	if (!value_after(p, end, "usage ", &usage) ||
	    !value_after(p, end, "limit ", &limit))
		return;
	/* PAGE_COUNTER_MAX printed in kB: "max" */
	if ((__u64)limit >= (1ULL << 52))
		limit = -1;
	if (swap) {
		rec->memcg_swap_usage = (__u64)usage;
		rec->memcg_swap_limit = (__u64)limit;
	} else {
		rec->memcg_usage = (__u64)usage;
		rec->memcg_limit = (__u64)limit;
		rec->have |= OOMSNAP_HAVE_MEMCG;
	}
}

void set_memcg_path(struct oomsnap_logparser *lp, const char *p,
		    const char *end)
{
	const char *e = p;

	while (e < end && !is_space(*e) && *e != ',' && *e != ':')
		e++;
	if (e > p)
		copy_str(lp->ev.rec.memcg_path, OOMSNAP_PATH_LEN, p, e);
}

/* "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),...,oom_memcg=/a,..." */
void parse_oom_kill(struct oomsnap_logparser *lp, const char *p,
		    const char *end)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	const char *m;

	if (find(p, end, "CONSTRAINT_MEMCG"))
		rec->constraint = OOMSNAP_CONSTRAINT_MEMCG;
	else if (find(p, end, "CONSTRAINT_CPUSET"))
		rec->constraint = OOMSNAP_CONSTRAINT_CPUSET;
	else if (find(p, end, "CONSTRAINT_MEMORY_POLICY"))
		rec->constraint = OOMSNAP_CONSTRAINT_MEMORY_POLICY;
	else
		rec->constraint = OOMSNAP_CONSTRAINT_NONE;
	rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	/* the nodes the request could use: the cpuset's or the policy's */
	m = find(p, end, rec->constraint == OOMSNAP_CONSTRAINT_CPUSET ?
		 "mems_allowed=" : "nodemask=");
	if (m && rec->constraint != OOMSNAP_CONSTRAINT_MEMCG &&
	    rec->constraint != OOMSNAP_CONSTRAINT_NONE)
		parse_nodemask(lp, memchr(m, '=', end - m) + 1, end);
	if (rec->constraint == OOMSNAP_CONSTRAINT_MEMCG) {
		rec->type = OOMSNAP_EVENT_MEMCG_OOM;
		m = find_past(p, end, "oom_memcg=");
		if (m)
			set_memcg_path(lp, m, end);
	}
}

/* "nodemask=(null)" or "nodemask=0-1,3" */
void parse_nodemask(struct oomsnap_logparser *lp, const char *p,
		    const char *end)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	__u64 mask = 0;
	bool ok;

	rec->have |= OOMSNAP_HAVE_NODEMASK;
	if (starts(p, end, "(null)"))
		return;
	while (p < end) {
		__u64 a = parse_u64(&p, end, &ok), b;

		if (!ok)
			break;
		b = a;
		if (p < end && *p == '-') {
			p++;
			b = parse_u64(&p, end, &ok);
		}
		for (; a <= b && a < 64; a++)
			mask |= 1ULL << a;
		if (p >= end || *p != ',' || p + 1 >= end || !is_digit(p[1]))
			break;
		p++;
	}
	rec->nodemask = mask;
}

/*
 * A row of memory.stat as cgroup v2 prints it after "Memory cgroup stats
 * for": a lowercase name, a space, a number. 6.12 prints over 70 of them,
 * more than the gap that ends a report.
 */
bool memcg_stat_row(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && ((*q >= 'a' && *q <= 'z') || *q == '_' || is_digit(*q)))
		q++;
	if (q == p || q >= end || *q != ' ')
		return false;
	for (q++; q < end && is_digit(*q); q++)
		;
	return q == end && q[-1] != ' ';
}
