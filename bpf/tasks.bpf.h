/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Part of oomsnap.bpf.c (included there, once): the tasks. A task as the
 * record describes it (the requester, the victim), and the top tasks by RSS
 * from a lock-free walk of the task list, at most task_scan_limit tasks.
 */

#define PF_KTHREAD		0x00200000
#define OOM_SCORE_ADJ_MIN	(-1000)
#define TASK_SCAN_MAX		65536

static __always_inline __u64 mm_counter(struct mm_struct *mm, int member)
{
	struct mm_rss_stat___old {
		atomic_long_t count[4];
	} __attribute__((preserve_access_index));
	struct mm_struct___old {
		struct mm_rss_stat___old rss_stat;
	} __attribute__((preserve_access_index));
	struct mm_struct___new {
		struct percpu_counter rss_stat[4];
	} __attribute__((preserve_access_index));
	__s64 v;

	if (member < 0 || member >= 4)
		return 0;
	if (bpf_core_type_exists(struct mm_rss_stat___old)) {
		struct mm_struct___old *o = (void *)mm;

		v = BPF_CORE_READ(o, rss_stat.count[member].counter);
	} else {
		struct mm_struct___new *n = (void *)mm;

		v = BPF_CORE_READ(n, rss_stat[member].count);
	}
	return v < 0 ? 0 : v;
}

static __noinline void describe_task(struct oomsnap_task *t,
				     struct task_struct *p, struct mm_struct *mm)
{
	if (!t || !p)
		return;
	t->pid = BPF_CORE_READ(p, pid);
	t->tgid = BPF_CORE_READ(p, tgid);
	t->uid = BPF_CORE_READ(p, cred, uid.val);
	t->oom_score_adj = BPF_CORE_READ(p, signal, oom_score_adj);
	bpf_probe_read_kernel_str(t->comm, sizeof(t->comm), &p->comm);
	if (t->oom_score_adj == OOM_SCORE_ADJ_MIN)
		t->flags |= OOMSNAP_TASK_OOM_UNKILLABLE;
	if (BPF_CORE_READ(p, flags) & PF_KTHREAD)
		t->flags |= OOMSNAP_TASK_KTHREAD;
	if (!mm)
		return;
	t->total_vm = BPF_CORE_READ(mm, total_vm);
	t->rss_anon = mm_counter(mm, MM_ANONPAGES);
	t->rss_file = mm_counter(mm, MM_FILEPAGES);
	t->rss_shmem = mm_counter(mm, MM_SHMEMPAGES);
	t->swapents = mm_counter(mm, MM_SWAPENTS);
	t->pgtables_bytes = BPF_CORE_READ(mm, pgtables_bytes.counter);
}

static __always_inline __u64 task_rss(const struct oomsnap_task *t)
{
	return t->rss_anon + t->rss_file + t->rss_shmem;
}

struct task_walk {
	__u64 head;		/* &init_task.tasks */
	__u64 pos;		/* current list_head */
	__u32 scanned;
	struct oomsnap_task desc;
};

/*
 * rec->tasks[] sorted by RSS, largest first, at most TOP_TASKS, as
 * lib/topn.c's oomsnap_topn_task() keeps it for the module (lib/ is not
 * BPF C): into the free or the smallest slot, then bubbled up.
 */
static __noinline void consider_task(struct oomsnap_record *rec,
				     const struct oomsnap_task *t)
{
	struct oomsnap_task tmp;
	__u32 n, slot;
	int i;

	if (!rec || !t)
		return;
	n = rec->nr_tasks;
	if (n < OOMSNAP_TOP_TASKS) {
		slot = n;
		rec->nr_tasks = n + 1;
	} else {
		if (task_rss(&rec->tasks[OOMSNAP_TOP_TASKS - 1]) >= task_rss(t))
			return;
		slot = OOMSNAP_TOP_TASKS - 1;
	}
	slot &= OOMSNAP_TOP_TASKS - 1;
	rec->tasks[slot] = *t;
#pragma unroll
	for (i = OOMSNAP_TOP_TASKS - 1; i > 0; i--) {
		if (i > slot)
			continue;
		if (task_rss(&rec->tasks[i - 1]) >= task_rss(&rec->tasks[i]))
			break;
		tmp = rec->tasks[i - 1];
		rec->tasks[i - 1] = rec->tasks[i];
		rec->tasks[i] = tmp;
	}
}

static long task_cb(__u64 i, void *arg)
{
	struct task_walk *w = ((struct loop_ctx *)arg)->w;
	struct task_struct *p;
	struct mm_struct *mm;
	__u64 next;

	if (!w)
		return 1;
	next = rd64(w->pos);	/* list_head.next */
	if (!next || next == w->head)
		return 1;
	w->pos = next;
	w->scanned++;
	p = (void *)(next - bpf_core_field_offset(struct task_struct, tasks));
	if (BPF_CORE_READ(p, flags) & PF_KTHREAD)
		return 0;
	mm = BPF_CORE_READ(p, mm);
	if (!mm)
		return 0;
	__builtin_memset(&w->desc, 0, sizeof(w->desc));
	describe_task(&w->desc, p, mm);
	consider_task(((struct loop_ctx *)arg)->rec, &w->desc);
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct task_walk);
} task_walks SEC(".maps");

static __always_inline void capture_tasks(struct oomsnap_record *rec, __u32 level)
{
	struct task_walk *w = bpf_map_lookup_elem(&task_walks, &level);
	__u32 limit = task_scan_limit;
	struct loop_ctx lc;
	long n;

	if (!w || !sym[OOMSNAP_SYM_INIT_TASK]) {
		rec->tasks_status = OOMSNAP_NOT_EXPORTED;
		return;
	}
	if (limit > TASK_SCAN_MAX)
		limit = TASK_SCAN_MAX;
	__builtin_memset(w, 0, sizeof(*w));
	w->head = sym[OOMSNAP_SYM_INIT_TASK] +
		  bpf_core_field_offset(struct task_struct, tasks);
	w->pos = w->head;
	lc.w = w;
	lc.rec = rec;
	n = bpf_loop(limit, task_cb, &lc, 0);
	rec->tasks_scanned = w->scanned;
	if (n >= 0 && (__u32)n == limit && w->scanned == limit)
		rec->tasks_capped = 1;
	rec->tasks_status = OOMSNAP_OK;
	rec->have |= OOMSNAP_HAVE_TASKS;
}
