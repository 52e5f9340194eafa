/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Part of oomsnap.bpf.c (included there, once): allocation failures, from
 * warn_alloc() or the mm_page_alloc tracepoint, counted by order and class,
 * captured under the module's rate limit into a per-CPU slot per context
 * level and sent at once.
 */

/* Scratch for allocation failures: one per CPU and context level. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct oom_slot);
} scratch SEC(".maps");

/* The context levels of this CPU inside a capture: no recursion into one. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} levels SEC(".maps");

/* The module's token bucket, lock-free: a lost race costs a token at most. */
struct oomsnap_bpf_ratelimit rl = { .tokens = ~0ULL };

static __always_inline bool ratelimit_allow(__u64 now)
{
	__u64 interval = ratelimit_interval_ns, burst = ratelimit_burst;
	__u64 refilled = rl.refilled_ns, tokens = rl.tokens, elapsed, add;
	int i;

	if (!interval)
		return true;
	if (tokens == ~0ULL) {		/* first use */
		rl.tokens = burst;
		rl.refilled_ns = now;
		tokens = burst;
		refilled = now;
	}
	elapsed = now > refilled ? now - refilled : 0;
	if (elapsed >= interval) {
		rl.tokens = burst;
		rl.refilled_ns = now;
	} else if (tokens < burst) {
		add = elapsed * burst / interval;
		if (add) {
			rl.tokens = tokens + add > burst ? burst : tokens + add;
			rl.refilled_ns = refilled + add * interval / burst;
		}
	} else {
		rl.refilled_ns = now;
	}
	for (i = 0; i < 4; i++) {
		tokens = rl.tokens;
		if (!tokens || tokens == ~0ULL)
			return false;
		if (__sync_val_compare_and_swap(&rl.tokens, tokens, tokens - 1) == tokens)
			return true;
	}
	return false;
}

static __always_inline __u32 fail_class(__u64 gfp)
{
	if (!(gfp & gfpb.direct_reclaim))
		return (gfp & gfpb.high) ? 0 : 1;	/* atomic : nowait */
	if (!(gfp & gfpb.io))
		return 2;
	if (!(gfp & gfpb.fs))
		return 3;
	if (gfp & gfpb.hardwall)
		return (gfp & gfpb.movable) ? 6 : 5;
	return 4;
}

static __always_inline int alloc_failure(void *ctx, __u32 order, __u64 gfp)
{
	__u32 pc, level, z = 0, *busy, o = order, cls = fail_class(gfp);
	struct oom_slot *s, *zs;
	bool in_irq;

	count(OOMSNAP_BPF_ALLOC_FAILURE);
	barrier_var(o);
	barrier_var(cls);
	if (o > 15)
		o = 15;
	o &= 15;
	cls &= 7;
	__sync_fetch_and_add(&stats.failures_by_order[o], 1);
	if (cls < OOMSNAP_BPF_FAIL_CLASSES)
		__sync_fetch_and_add(&stats.failures_by_class[cls], 1);
	if (gfp & gfpb.nowarn) {
		count(OOMSNAP_BPF_NOWARN_FAILURES);
		if (!capture_nowarn) {
			count(OOMSNAP_BPF_DROPPED_NOWARN);
			return 0;
		}
	}
	if (!ratelimit_allow(bpf_ktime_get_ns())) {
		count(OOMSNAP_BPF_DROPPED_RATELIMIT);
		return 0;
	}
	pc = preempt_count();
	if (pc & PC_NMI_MASK) {
		count(OOMSNAP_BPF_SKIPPED_RECURSION);
		return 0;
	}
	level = context_level(pc);
	in_irq = (pc & (PC_HARDIRQ_MASK | PC_SOFTIRQ_OFFSET)) != 0;
	busy = bpf_map_lookup_elem(&levels, &z);
	s = bpf_map_lookup_elem(&scratch, &level);
	zs = bpf_map_lookup_elem(&zero, &z);
	if (!busy || !s || !zs || level > 2)
		return 0;
	if (*busy & (1U << level)) {
		count(OOMSNAP_BPF_SKIPPED_RECURSION);
		return 0;
	}
	*busy |= 1U << level;
	bpf_probe_read_kernel(s, sizeof(*s), zs);
	/* the module walks tasks only where it may sleep */
	capture(&s->ev, ctx, OOMSNAP_EVENT_ALLOC_FAILURE,
		level | (in_irq ? CAP_IN_IRQ : 0) |
		(!in_irq && (gfp & gfpb.direct_reclaim) ? CAP_TASKS : 0), NULL);
	set_request(&s->ev.rec, gfp, order);
	if (!have_preempt_count())
		s->ev.rec.in_irq = 0;
	/*
	 * No wakeup: the kernel prints its report of this failure right after;
	 * the reader finds the record at its next poll (200 ms) instead of
	 * running, and changing what is about to be printed, in between.
	 */
	if (bpf_ringbuf_output(&events, &s->ev, sizeof(s->ev), BPF_RB_NO_WAKEUP))
		count(OOMSNAP_BPF_SKIPPED_BUSY);
	else
		count(OOMSNAP_BPF_CAPTURED);
	*busy &= ~(1U << level);
	return 0;
}

/*
 * Allocation failures, default hook: warn_alloc(), which the page allocator
 * calls on every failure it returns from its slow path (with __GFP_NOWARN
 * too: the test is inside), and only then: the success path pays nothing.
 * warn_alloc() also reports vmalloc failures: only "page allocation
 * failure" is one. The order is its first variadic argument (4th register).
 */
/* file scope: a function's static would be "warn_alloc_kp.want" in BTF, a name 6.1 rejects */
const volatile char page_failure_fmt[] = "page allocation failure";

SEC("kprobe/warn_alloc")
int BPF_KPROBE(warn_alloc_kp, gfp_t gfp, void *nodemask, const char *fmt)
{
	char buf[sizeof(page_failure_fmt)];
	int i;

	if (bpf_probe_read_kernel_str(buf, sizeof(buf), fmt) < 0)
		return 0;
	for (i = 0; i < sizeof(page_failure_fmt) - 1; i++)
		if (buf[i] != page_failure_fmt[i])
			return 0;
	return alloc_failure(ctx, (__u32)PT_REGS_PARM4(ctx), gfp);
}

/*
 * The module's hook (--alloc-hook tracepoint): the end of every
 * __alloc_pages(), page == NULL on failure. Every allocation runs it.
 */
SEC("tp_btf/mm_page_alloc")
int BPF_PROG(page_alloc, struct page *page, unsigned int order, gfp_t gfp,
	     int migratetype)
{
	if (page)
		return 0;
	return alloc_failure(ctx, order, gfp);
}
