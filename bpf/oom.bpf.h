/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Part of oomsnap.bpf.c (included there, once): OOMs. The call slot that
 * fentry out_of_memory fills, the victim's tracepoint completes and sends,
 * and a timer sends when the call ends without a victim.
 */

#define MUTEX_FLAGS		0x07	/* low bits of struct mutex's owner */
#define CLOCK_MONOTONIC		1
#define CALL_POLL_NS		(20 * 1000 * 1000ULL)	/* is the call over? */
#define CALL_POLL_MAX		3000	/* a minute: then send it anyway */

/*
 * The OOM call in progress: fentry fills it, the victim's tracepoint or the
 * timer sends it. One is enough: out_of_memory() runs under oom_lock.
 * state moves EMPTY -> FILLING -> FILLED -> SENDING -> SENT; whoever
 * moves it from FILLED to SENDING (the victim, the timer, the next call)
 * sends it.
 */
enum oom_call_state {
	CALL_EMPTY,
	CALL_FILLING,
	CALL_FILLED,
	CALL_SENDING,
	CALL_SENT,
};

struct oom_call {
	struct oom_slot s;
	__u64 task;			/* the caller, oom_lock's owner meanwhile */
	__u32 state;
	__u32 rearmed;			/* timer rounds while the call ran */
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct oom_call);
} oom_call SEC(".maps");

/*
 * Send the call's record, if it is filled and nobody else sends it: the
 * victim's tracepoint, the timer and the next call may all try.
 */
static __always_inline bool send_call(struct oom_call *c)
{
	bool sent;

	if (__sync_val_compare_and_swap(&c->state, CALL_FILLED, CALL_SENDING) !=
	    CALL_FILLED)
		return false;
	sent = !bpf_ringbuf_output(&events, &c->s.ev, sizeof(c->s.ev), 0);
	count(sent ? OOMSNAP_BPF_CAPTURED : OOMSNAP_BPF_SKIPPED_BUSY);
	__sync_lock_test_and_set(&c->state, CALL_SENT);
	return sent;
}

/*
 * Whether the call is still running: its task still owns oom_lock (every
 * caller of out_of_memory() holds it across the call). Where the lock can't
 * be read (no symbol; an RT kernel's mutex has no owner word) a call is
 * taken as over after one round of the timer.
 */
static __always_inline bool call_running(const struct oom_call *c)
{
	struct mutex *lock = (void *)sym[OOMSNAP_SYM_OOM_LOCK];
	__u64 owner;

	if (!lock || !bpf_core_field_exists(lock->owner))
		return false;
	owner = BPF_CORE_READ(lock, owner.counter);
	return (owner & ~MUTEX_FLAGS) == c->task;
}

/* The timer: a call that marked no victim is sent once it is over. */
static int call_over(void *map, __u32 *key, struct oom_call *c)
{
	if (c->state != CALL_FILLED)
		return 0;
	if (call_running(c) && c->rearmed < CALL_POLL_MAX) {
		c->rearmed++;
		bpf_timer_start(&c->timer, CALL_POLL_NS, 0);
		return 0;
	}
	send_call(c);
	return 0;
}

SEC("fentry/out_of_memory")
int BPF_PROG(oom_enter, struct oom_control *oc)
{
	struct mem_cgroup *memcg = BPF_CORE_READ(oc, memcg);
	__u32 z = 0, pc;
	struct oom_slot *zs = bpf_map_lookup_elem(&zero, &z);
	struct oom_call *c = bpf_map_lookup_elem(&oom_call, &z);
	struct oomsnap_record *rec;
	nodemask_t *nm;

	count(memcg ? OOMSNAP_BPF_MEMCG_OOM : OOMSNAP_BPF_OOM);
	if (!zs || !c)
		return 0;
	/* we hold oom_lock: the last call is over, send what it left */
	send_call(c);
	if (c->state == CALL_SENDING) {
		/* the timer is sending it on another CPU right now */
		count(OOMSNAP_BPF_SKIPPED_BUSY);
		return 0;
	}
	c->state = CALL_FILLING;
	bpf_probe_read_kernel(&c->s, sizeof(c->s), zs);
	c->s.oc = (__u64)oc;
	c->task = bpf_get_current_task();
	c->rearmed = 0;
	pc = preempt_count();
	capture(&c->s.ev, ctx,
		memcg ? OOMSNAP_EVENT_MEMCG_OOM : OOMSNAP_EVENT_OOM,
		CAP_TASKS | (pc & (PC_NMI_MASK | PC_HARDIRQ_MASK | PC_SOFTIRQ_OFFSET) ?
			     CAP_IN_IRQ : 0), memcg);
	rec = &c->s.ev.rec;
	set_request(rec, BPF_CORE_READ(oc, gfp_mask), BPF_CORE_READ(oc, order));
	nm = BPF_CORE_READ(oc, nodemask);
	rec->nodemask = nm ? BPF_CORE_READ(nm, bits[0]) : 0;
	rec->have |= OOMSNAP_HAVE_NODEMASK;
	if (memcg) {
		rec->constraint = OOMSNAP_CONSTRAINT_MEMCG;
		rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	}
	c->state = CALL_FILLED;
	/* -EBUSY once initialised: the same timer serves every call */
	bpf_timer_init(&c->timer, &oom_call, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&c->timer, call_over);
	bpf_timer_start(&c->timer, CALL_POLL_NS, 0);
	return 0;
}

static __always_inline __u32 constraint_of(__u32 c)
{
	if (c == bpf_core_enum_value(enum oom_constraint, CONSTRAINT_NONE))
		return OOMSNAP_CONSTRAINT_NONE;
	if (c == bpf_core_enum_value(enum oom_constraint, CONSTRAINT_CPUSET))
		return OOMSNAP_CONSTRAINT_CPUSET;
	if (c == bpf_core_enum_value(enum oom_constraint, CONSTRAINT_MEMORY_POLICY))
		return OOMSNAP_CONSTRAINT_MEMORY_POLICY;
	if (c == bpf_core_enum_value(enum oom_constraint, CONSTRAINT_MEMCG))
		return OOMSNAP_CONSTRAINT_MEMCG;
	return OOMSNAP_CONSTRAINT_UNKNOWN;
}

/*
 * The victim completes the call's record, which goes out at once: the
 * kernel has printed its report of this OOM already, and the kill message
 * follows. A memcg group kill marks several victims: the first is kept.
 */
SEC("tp_btf/mark_victim")
int BPF_PROG(mark_victim, struct task_struct *task)
{
	__u32 z = 0;
	struct oom_call *c = bpf_map_lookup_elem(&oom_call, &z);
	struct oomsnap_record *rec;
	struct oom_control *oc;

	count(OOMSNAP_BPF_VICTIMS);
	if (!c || c->state != CALL_FILLED || c->task != bpf_get_current_task()) {
		count(OOMSNAP_BPF_VICTIMS_UNJOINED);
		return 0;
	}
	rec = &c->s.ev.rec;
	/* mark_oom_victim() pinned the victim's mm in signal->oom_mm */
	describe_task(&rec->victim, task, BPF_CORE_READ(task, signal, oom_mm));
	rec->victim_seq = rec->seq;
	rec->have |= OOMSNAP_HAVE_VICTIM;
	oc = (void *)c->s.oc;
	if (oc && !(rec->have & OOMSNAP_HAVE_CONSTRAINT)) {
		rec->constraint = constraint_of(BPF_CORE_READ(oc, constraint));
		rec->have |= OOMSNAP_HAVE_CONSTRAINT;
	}
	count(send_call(c) ? OOMSNAP_BPF_VICTIMS_JOINED : OOMSNAP_BPF_VICTIMS_UNJOINED);
	return 0;
}
