// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite oomsnap_ring: the preallocated record ring (module/ring.c).
 *
 * Seq s lives in slot (s - 1) % nr; a writer owns its slot between reserve
 * and commit; a reserve that lands on a slot still being filled is skipped.
 * Readers get records in seq order, each once, waiting for one still being
 * filled rather than skipping it; they skip only what was overwritten or
 * cleared.
 *
 *   nr = 4, after 10 commits:   slot  0    1    2    3
 *                               seq   9   10    7    8    oldest 7, newest 10
 *                               overwritten = 6
 *
 * Slots keep RING_ZONES zones (slot.h), as on the test hosts; readers get
 * whole records back.
 *
 * The concurrency cases write from a kthread on every online CPU and from
 * an hrtimer (hard IRQ context) at once, while this thread reads. Every
 * writer stamps three far-apart fields with a value derived from the seq,
 * so a torn or misplaced copy shows up as a mismatch.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/vmalloc.h>

#include "ring.h"
#include "slot.h"

#define MAX_SLOTS	32
/* zones a slot keeps, as on a two-zone host (DMA32 + Normal) */
#define RING_ZONES	2

struct ring_ctx {
	struct oomsnap_ring ring;
	void *mem;
	struct oomsnap_record *out;
};

static int ring_test_init(struct kunit *test)
{
	struct ring_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->mem = vzalloc(oomsnap_ring_mem_size(MAX_SLOTS, OOMSNAP_MAX_ZONES));
	ctx->out = vzalloc(sizeof(*ctx->out));
	if (!ctx->mem || !ctx->out) {
		vfree(ctx->mem);
		vfree(ctx->out);
		return -ENOMEM;
	}
	test->priv = ctx;
	return 0;
}

static void ring_test_exit(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;

	vfree(ctx->mem);
	vfree(ctx->out);
}

static struct oomsnap_ring *new_ring(struct kunit *test, unsigned int nr)
{
	struct ring_ctx *ctx = test->priv;

	oomsnap_ring_init(&ctx->ring, ctx->mem, nr, RING_ZONES);
	return &ctx->ring;
}

static u64 stamp_of(u64 seq)
{
	return seq * 0x9e3779b97f4a7c15ULL ^ 0x6f6f6d736e6170ULL;
}

/*
 * Three fields at the start, middle and end of the record: before the
 * zones, in the last zone a slot keeps, after the zones.
 */
static void stamp(struct oomsnap_record *rec)
{
	u64 v = stamp_of(rec->seq);

	rec->time_ns = v;
	rec->nr_zones = RING_ZONES;
	rec->zones[RING_ZONES - 1].free = v;
	rec->xen.balloon_target = v;
}

static bool stamped(const struct oomsnap_record *rec)
{
	u64 v = stamp_of(rec->seq);

	return rec->time_ns == v && rec->nr_zones == RING_ZONES &&
	       rec->zones[RING_ZONES - 1].free == v &&
	       rec->xen.balloon_target == v;
}

static u64 write_one(struct oomsnap_ring *ring)
{
	struct oomsnap_record *rec = oomsnap_ring_reserve(ring);
	u64 seq;

	if (!rec)
		return 0;
	seq = rec->seq;
	stamp(rec);
	oomsnap_ring_commit(ring, rec);
	return seq;
}

/* ---------------------------------------------------------------------- */

static void ring_mem_size_whole_slots(struct kunit *test)
{
	struct oomsnap_ring *ring = new_ring(test, 7);
	size_t slot = sizeof(struct oomsnap_slot) +
		      oomsnap_compact_size(RING_ZONES);

	/* a slot of every zone holds the whole record */
	KUNIT_EXPECT_EQ(test, oomsnap_compact_size(OOMSNAP_MAX_ZONES),
			sizeof(struct oomsnap_record));
	KUNIT_EXPECT_EQ(test, oomsnap_compact_size(RING_ZONES),
			sizeof(struct oomsnap_record) -
			(OOMSNAP_MAX_ZONES - RING_ZONES) *
			sizeof(struct oomsnap_zone));
	/* one filler per record up to OOMSNAP_RING_FILLERS, then the slots */
	KUNIT_EXPECT_EQ(test, oomsnap_ring_mem_size(1, RING_ZONES),
			sizeof(struct oomsnap_filler) + slot);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_mem_size(7, RING_ZONES),
			OOMSNAP_RING_FILLERS * sizeof(struct oomsnap_filler) +
			7 * slot);
	KUNIT_EXPECT_EQ(test, ring->slot_size, slot);
	/* records in the arrays stay 8-byte aligned */
	KUNIT_EXPECT_EQ(test, slot % 8, 0UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct oomsnap_slot, rec) % 8, 0UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct oomsnap_filler) % 8, 0UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct oomsnap_filler, rec) % 8, 0UL);
	KUNIT_EXPECT_EQ(test, (unsigned long)ring->slots % 8, 0UL);
}

static void ring_reserve_zeroed_record(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = &ctx->ring;
	struct oomsnap_record *rec;

	/* a dirty slot must come back zeroed */
	memset(ctx->mem, 0xa5, oomsnap_ring_mem_size(4, RING_ZONES));
	oomsnap_ring_init(ring, ctx->mem, 4, RING_ZONES);
	rec = oomsnap_ring_reserve(ring);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->seq, 1ULL);
	KUNIT_EXPECT_EQ(test, rec->magic, OOMSNAP_MAGIC);
	KUNIT_EXPECT_EQ(test, rec->size, (u32)sizeof(*rec));
	KUNIT_EXPECT_NULL(test, memchr_inv(&rec->type, 0, sizeof(*rec) -
					   offsetof(struct oomsnap_record, type)));
	oomsnap_ring_commit(ring, rec);
}

static void ring_seq_numbers(struct kunit *test)
{
	struct oomsnap_ring *ring = new_ring(test, 8);
	u64 seq;

	struct ring_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_last(ring, ctx->out), 0ULL);
	for (seq = 1; seq <= 20; seq++)
		KUNIT_EXPECT_EQ(test, write_one(ring), seq);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_last(ring, ctx->out), 20ULL);
}

static void ring_wrap_around(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = new_ring(test, 4);
	u64 seq, after = 0, want = 7;
	int i;

	for (i = 0; i < 10; i++)
		write_one(ring);
	/* slot 0 holds seq 9, as the diagram says */
	KUNIT_EXPECT_EQ(test, oomsnap_ring_slot(ring, 0)->seq, 9ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_slot(ring, 2)->seq, 7ULL);
	/* oldest first, 7 .. 10, then nothing */
	while ((seq = oomsnap_ring_copy_next(ring, after, ctx->out))) {
		KUNIT_EXPECT_EQ(test, seq, want);
		KUNIT_EXPECT_EQ(test, ctx->out->seq, seq);
		KUNIT_EXPECT_TRUE(test, stamped(ctx->out));
		after = seq;
		want++;
	}
	KUNIT_EXPECT_EQ(test, want, 11ULL);
	/* a reader that fell behind resumes at the oldest still there */
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, 2, ctx->out), 7ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_last(ring, ctx->out), 10ULL);
	KUNIT_EXPECT_TRUE(test, stamped(ctx->out));
}

static void ring_overwrite_accounting(struct kunit *test)
{
	struct oomsnap_ring *ring = new_ring(test, 4);
	struct oomsnap_ring_counts c;
	int i;

	for (i = 0; i < 4; i++)
		write_one(ring);
	oomsnap_ring_counts(ring, &c);
	KUNIT_EXPECT_EQ(test, c.overwritten, 0ULL);
	KUNIT_EXPECT_EQ(test, c.retained, 4U);
	for (i = 0; i < 6; i++)
		write_one(ring);
	oomsnap_ring_counts(ring, &c);
	KUNIT_EXPECT_EQ(test, c.last_seq, 10ULL);
	KUNIT_EXPECT_EQ(test, c.overwritten, 6ULL);
	KUNIT_EXPECT_EQ(test, c.retained, 4U);
	KUNIT_EXPECT_EQ(test, c.filling, 0U);
	KUNIT_EXPECT_EQ(test, c.skipped_busy, 0ULL);
}

static void ring_skip_busy_slot(struct kunit *test)
{
	struct oomsnap_ring *ring = new_ring(test, 2);
	struct oomsnap_record *a, *b, *c;
	struct oomsnap_ring_counts n;

	a = oomsnap_ring_reserve(ring);
	b = oomsnap_ring_reserve(ring);
	KUNIT_ASSERT_TRUE(test, a && b);
	/* seq 3 would reuse a's slot while a is still being filled */
	KUNIT_EXPECT_NULL(test, oomsnap_ring_reserve(ring));
	KUNIT_EXPECT_NULL(test, oomsnap_ring_reserve(ring));
	oomsnap_ring_counts(ring, &n);
	KUNIT_EXPECT_EQ(test, n.skipped_busy, 2ULL);
	KUNIT_EXPECT_EQ(test, n.last_seq, 2ULL);
	KUNIT_EXPECT_EQ(test, n.filling, 2U);

	stamp(a);
	oomsnap_ring_commit(ring, a);
	c = oomsnap_ring_reserve(ring);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->seq, 3ULL);
	KUNIT_EXPECT_PTR_EQ(test, c, a);
	oomsnap_ring_commit(ring, c);
	oomsnap_ring_commit(ring, b);
	oomsnap_ring_counts(ring, &n);
	KUNIT_EXPECT_EQ(test, n.overwritten, 1ULL);
	KUNIT_EXPECT_EQ(test, n.retained, 2U);
}

/*
 * A slow writer overtaken by a fast one (a task-context capture by an IRQ
 * capture): the reader's cursor, the one raw's read() keeps, must not move
 * past the record still being filled, or that record is never delivered.
 */
static void ring_reader_waits_for_filling(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = new_ring(test, 8);
	struct oomsnap_record *filling;
	u64 cursor = 0, seq;

	write_one(ring);				/* 1 */
	filling = oomsnap_ring_reserve(ring);		/* 2, left open */
	KUNIT_ASSERT_NOT_NULL(test, filling);
	write_one(ring);				/* 3 */

	/* as raw_read(): advance the cursor by what copy_next returns */
	seq = oomsnap_ring_copy_next(ring, cursor, ctx->out);
	KUNIT_EXPECT_EQ(test, seq, 1ULL);
	cursor = seq ? seq : cursor;
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, cursor, ctx->out), 0ULL);
	KUNIT_EXPECT_FALSE(test, oomsnap_ring_ready(ring, cursor));
	/* the text view shows the newest complete record meanwhile */
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_last(ring, ctx->out), 3ULL);

	/* committed late: delivered next, then 3, each once */
	stamp(filling);
	oomsnap_ring_commit(ring, filling);
	KUNIT_EXPECT_TRUE(test, oomsnap_ring_ready(ring, cursor));
	seq = oomsnap_ring_copy_next(ring, cursor, ctx->out);
	KUNIT_EXPECT_EQ(test, seq, 2ULL);
	KUNIT_EXPECT_TRUE(test, stamped(ctx->out));
	cursor = seq;
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, cursor, ctx->out), 3ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, 3, ctx->out), 0ULL);
}

/* publish: a record filled elsewhere enters whole, with the ring's seq */
static void ring_publish_copies(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = new_ring(test, 4);
	struct oomsnap_record *src = vzalloc(sizeof(*src));

	KUNIT_ASSERT_NOT_NULL(test, src);
	write_one(ring);				/* 1 */
	src->seq = 2;
	stamp(src);
	src->seq = 77;					/* not the ring's */
	src->have = OOMSNAP_HAVE_VICTIM;
	src->victim.pid = 4242;
	KUNIT_EXPECT_EQ(test, oomsnap_ring_publish(ring, src), 2ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, 1, ctx->out), 2ULL);
	KUNIT_EXPECT_EQ(test, ctx->out->seq, 2ULL);
	KUNIT_EXPECT_EQ(test, ctx->out->magic, OOMSNAP_MAGIC);
	KUNIT_EXPECT_EQ(test, ctx->out->victim.pid, 4242);
	KUNIT_EXPECT_EQ(test, ctx->out->victim_seq, 2ULL);
	KUNIT_EXPECT_TRUE(test, stamped(ctx->out));
	vfree(src);
}

/* Every byte of @rec set, differently at every offset. */
static void fill_pattern(struct oomsnap_record *rec, u32 seed)
{
	u8 *p = (u8 *)rec;
	size_t i;

	for (i = 0; i < sizeof(*rec); i++)
		p[i] = (u8)(((u32)i * 2654435761U + seed) >> 13);
}

/* Offset of the first byte where @a and @b differ, or -1. */
static long first_diff(const struct oomsnap_record *a,
		       const struct oomsnap_record *b)
{
	const u8 *p = (const u8 *)a, *q = (const u8 *)b;
	size_t i;

	for (i = 0; i < sizeof(*a); i++)
		if (p[i] != q[i])
			return i;
	return -1;
}

/* @rec as a capture of @nr zones leaves it: the zones past them zero. */
static void zones_past(struct oomsnap_record *rec, unsigned int nr)
{
	rec->nr_zones = nr;
	memset(&rec->zones[nr], 0,
	       (OOMSNAP_MAX_ZONES - nr) * sizeof(rec->zones[0]));
}

/* Reserve, fill with @src (the ring's header kept), commit: the seq. */
static u64 write_copy(struct oomsnap_ring *ring, struct oomsnap_record *src)
{
	struct oomsnap_record *rec = oomsnap_ring_reserve(ring);

	if (!rec)
		return 0;
	src->size = rec->size;
	src->magic = rec->magic;
	src->seq = rec->seq;
	memcpy(rec, src, sizeof(*rec));
	oomsnap_ring_commit(ring, rec);
	return src->seq;
}

/*
 * A compact slot gives back every field of the record it kept: through
 * reserve/fill/commit and through publish, read by copy_next and copy_last.
 */
static void ring_compact_round_trip(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = new_ring(test, 4);
	struct oomsnap_record *src = vzalloc(sizeof(*src));

	KUNIT_ASSERT_NOT_NULL(test, src);
	fill_pattern(src, 1);
	zones_past(src, RING_ZONES);
	src->zones_omitted = 3;		/* kept as it is */
	KUNIT_EXPECT_EQ(test, write_copy(ring, src), 1ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, 0, ctx->out), 1ULL);
	KUNIT_EXPECT_EQ(test, first_diff(ctx->out, src), -1L);

	fill_pattern(src, 2);
	zones_past(src, RING_ZONES);
	src->size = sizeof(*src);
	src->magic = OOMSNAP_MAGIC;
	src->seq = 2;			/* what publish gives it */
	src->have |= OOMSNAP_HAVE_VICTIM;
	src->victim_seq = 2;
	KUNIT_EXPECT_EQ(test, oomsnap_ring_publish(ring, src), 2ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_last(ring, ctx->out), 2ULL);
	KUNIT_EXPECT_EQ(test, first_diff(ctx->out, src), -1L);
	vfree(src);
}

/*
 * A zone past what the slot keeps (one populated after load) is counted in
 * zones_omitted, on top of zones a capture already could not hold; the
 * rest of the record is unchanged.
 */
static void ring_compact_zone_beyond_cap(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = new_ring(test, 4);
	struct oomsnap_record *src = vzalloc(sizeof(*src));
	struct oomsnap_record *out = ctx->out;
	size_t kept = RING_ZONES * sizeof(src->zones[0]);

	KUNIT_ASSERT_NOT_NULL(test, src);
	fill_pattern(src, 3);
	zones_past(src, RING_ZONES + 1);
	src->zones_omitted = 0;
	KUNIT_EXPECT_EQ(test, write_copy(ring, src), 1ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, 0, out), 1ULL);
	KUNIT_EXPECT_EQ(test, out->nr_zones, (u32)RING_ZONES);
	KUNIT_EXPECT_EQ(test, out->zones_omitted, 1U);
	KUNIT_EXPECT_EQ(test, memcmp(out->zones, src->zones, kept), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(&out->zones[RING_ZONES], 0,
					   sizeof(out->zones) - kept));
	/* nothing else changed */
	zones_past(src, RING_ZONES);
	src->zones_omitted = 1;
	KUNIT_EXPECT_EQ(test, first_diff(out, src), -1L);

	/* a capture of 16 zones that left 5 out: 14 more are out now */
	fill_pattern(src, 4);
	src->nr_zones = OOMSNAP_MAX_ZONES;
	src->zones_omitted = 5;
	KUNIT_EXPECT_EQ(test, write_copy(ring, src), 2ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, 1, out), 2ULL);
	KUNIT_EXPECT_EQ(test, out->nr_zones, (u32)RING_ZONES);
	KUNIT_EXPECT_EQ(test, out->zones_omitted,
			5U + OOMSNAP_MAX_ZONES - RING_ZONES);
	KUNIT_EXPECT_EQ(test, memcmp(out->zones, src->zones, kept), 0);
	vfree(src);
}

static void ring_clear_keeps_seq(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = new_ring(test, 4);
	struct oomsnap_record *open;
	struct oomsnap_ring_counts c;

	write_one(ring);
	write_one(ring);
	open = oomsnap_ring_reserve(ring);		/* 3, being filled */
	KUNIT_ASSERT_NOT_NULL(test, open);
	oomsnap_ring_clear(ring);
	oomsnap_ring_counts(ring, &c);
	KUNIT_EXPECT_EQ(test, c.retained, 0U);
	KUNIT_EXPECT_EQ(test, c.cleared, 3ULL);
	KUNIT_EXPECT_EQ(test, c.filling, 1U);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_last(ring, ctx->out), 0ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, 0, ctx->out), 0ULL);

	/* the writer inside clear() commits into a forgotten seq */
	stamp(open);
	oomsnap_ring_commit(ring, open);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_last(ring, ctx->out), 0ULL);
	/* numbering goes on, and the accounting adds up */
	KUNIT_EXPECT_EQ(test, write_one(ring), 4ULL);
	KUNIT_EXPECT_EQ(test, oomsnap_ring_copy_next(ring, 0, ctx->out), 4ULL);
	for (int i = 0; i < 4; i++)
		write_one(ring);			/* 5 .. 8: 4 is overwritten */
	oomsnap_ring_counts(ring, &c);
	KUNIT_EXPECT_EQ(test, c.filling, 0U);
	KUNIT_EXPECT_EQ(test, c.overwritten, 1ULL);
	KUNIT_EXPECT_EQ(test, c.last_seq,
			c.retained + c.overwritten + c.cleared);
}

/* ---------------------------------------------------------------------- */
/* concurrency                                                             */

struct writer {
	struct oomsnap_ring *ring;
	unsigned int count;		/* attempts */
	unsigned int written;
	unsigned int skipped;
	unsigned int bad_seq;		/* seq not above this writer's last */
	struct completion done;
	struct task_struct *task;
};

static int writer_fn(void *data)
{
	struct writer *w = data;
	u64 seq, last = 0;
	unsigned int i;

	for (i = 0; i < w->count; i++) {
		seq = write_one(w->ring);
		if (!seq) {
			w->skipped++;
		} else {
			w->written++;
			w->bad_seq += seq <= last;
			last = seq;
		}
		if (!(i % 64))
			cond_resched();
	}
	complete(&w->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

struct irq_writer {
	struct hrtimer timer;
	struct oomsnap_ring *ring;
	atomic_t fired;
	atomic_t written;
	atomic_t skipped;
	atomic_t not_irq;
	unsigned int limit;
};

static enum hrtimer_restart irq_writer_fn(struct hrtimer *t)
{
	struct irq_writer *iw = container_of(t, struct irq_writer, timer);
	struct oomsnap_record *rec;

	if (!in_hardirq())
		atomic_inc(&iw->not_irq);
	rec = oomsnap_ring_reserve(iw->ring);
	if (rec) {
		rec->in_irq = 1;
		stamp(rec);
		oomsnap_ring_commit(iw->ring, rec);
		atomic_inc(&iw->written);
	} else {
		atomic_inc(&iw->skipped);
	}
	if (atomic_inc_return(&iw->fired) >= iw->limit)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(20 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

struct race {
	struct writer *writers;
	unsigned int nr_writers;
	struct irq_writer irq;
	unsigned long reads;
	unsigned long torn;
	unsigned long order_errors;
};

static void start_writers(struct kunit *test, struct race *r,
			  struct oomsnap_ring *ring, unsigned int per_writer)
{
	unsigned int cpu, i = 0;

	r->nr_writers = num_online_cpus();
	r->writers = kunit_kcalloc(test, r->nr_writers, sizeof(*r->writers),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->writers);
	for_each_online_cpu(cpu) {
		struct writer *w = &r->writers[i];

		if (i >= r->nr_writers)
			break;
		w->ring = ring;
		w->count = per_writer;
		init_completion(&w->done);
		w->task = kthread_create(writer_fn, w, "oomsnap_kunit/%u", cpu);
		KUNIT_ASSERT_FALSE(test, IS_ERR(w->task));
		kthread_bind(w->task, cpu);
		i++;
	}
	r->nr_writers = i;
	for (i = 0; i < r->nr_writers; i++)
		wake_up_process(r->writers[i].task);
}

static void stop_writers(struct race *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_writers; i++) {
		wait_for_completion(&r->writers[i].done);
		kthread_stop(r->writers[i].task);
	}
}

static bool writers_done(struct race *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_writers; i++)
		if (!completion_done(&r->writers[i].done))
			return false;
	return true;
}

/* Read while they write: every copy whole, seqs rising. */
static void read_while_writing(struct race *r, struct oomsnap_ring *ring,
			       struct oomsnap_record *out)
{
	u64 after = 0, seq;

	do {
		seq = oomsnap_ring_copy_next(ring, after, out);
		if (seq) {
			r->reads++;
			r->torn += out->seq != seq || !stamped(out);
			r->order_errors += seq <= after;
			after = seq;
		}
		seq = oomsnap_ring_copy_last(ring, out);
		if (seq) {
			r->reads++;
			r->torn += out->seq != seq || !stamped(out);
		}
		cond_resched();
	} while (!writers_done(r) ||
		 atomic_read(&r->irq.fired) < r->irq.limit);
}

/* After the storm: the accounting adds up and every slot is consistent. */
static void check_ring_after(struct kunit *test, struct race *r,
			     struct oomsnap_ring *ring, unsigned int irq_written,
			     unsigned int irq_skipped)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_record *rec = ctx->out;
	struct oomsnap_ring_counts c;
	u64 written = irq_written, skipped = irq_skipped;
	unsigned int i, bad = 0;

	for (i = 0; i < r->nr_writers; i++) {
		written += r->writers[i].written;
		skipped += r->writers[i].skipped;
		KUNIT_EXPECT_EQ(test, r->writers[i].written +
				r->writers[i].skipped, r->writers[i].count);
		KUNIT_EXPECT_EQ(test, r->writers[i].bad_seq, 0U);
	}
	oomsnap_ring_counts(ring, &c);
	KUNIT_EXPECT_EQ(test, c.last_seq, written);
	KUNIT_EXPECT_EQ(test, c.skipped_busy, skipped);
	KUNIT_EXPECT_EQ(test, c.filling, 0U);
	KUNIT_EXPECT_EQ(test, c.retained, min_t(u64, written, ring->nr));
	KUNIT_EXPECT_EQ(test, c.overwritten, written - c.retained);
	KUNIT_EXPECT_EQ(test, c.cleared, 0ULL);
	for (i = 0; i < ring->nr; i++) {
		const struct oomsnap_slot *s = oomsnap_ring_slot(ring, i);

		oomsnap_ring_expand(ring, s, rec);
		bad += s->seq != rec->seq || (s->seq - 1) % ring->nr != i ||
		       s->seq + ring->nr <= c.last_seq || !stamped(rec);
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	kunit_info(test, "%u writers + IRQ: %llu written, %llu skipped (IRQ %u/%u), %lu reads\n",
		   r->nr_writers, written, skipped, irq_written, irq_skipped,
		   r->reads);
}

static void ring_concurrent_writers(struct kunit *test)
{
	struct oomsnap_ring *ring = new_ring(test, 16);
	struct race r = {};

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs (boot with -smp 2)");
	start_writers(test, &r, ring, 3000);
	stop_writers(&r);
	check_ring_after(test, &r, ring, 0, 0);
}

static void ring_writers_and_irq(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = new_ring(test, 8);
	struct race r = {};

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs (boot with -smp 2)");
	r.irq.ring = ring;
	r.irq.limit = 2000;
	hrtimer_init(&r.irq.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	r.irq.timer.function = irq_writer_fn;
	start_writers(test, &r, ring, 3000);
	hrtimer_start(&r.irq.timer, ns_to_ktime(10 * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_HARD);
	read_while_writing(&r, ring, ctx->out);
	stop_writers(&r);
	hrtimer_cancel(&r.irq.timer);

	KUNIT_EXPECT_EQ(test, atomic_read(&r.irq.not_irq), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.irq.fired), (int)r.irq.limit);
	KUNIT_EXPECT_GT(test, atomic_read(&r.irq.written), 0);
	KUNIT_EXPECT_EQ(test, r.torn, 0UL);
	KUNIT_EXPECT_EQ(test, r.order_errors, 0UL);
	check_ring_after(test, &r, ring, atomic_read(&r.irq.written),
			 atomic_read(&r.irq.skipped));
}

static void ring_readers_race_writers(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = new_ring(test, 4);
	struct race r = {};

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs (boot with -smp 2)");
	start_writers(test, &r, ring, 5000);
	read_while_writing(&r, ring, ctx->out);
	stop_writers(&r);

	KUNIT_EXPECT_GT(test, r.reads, 0UL);
	KUNIT_EXPECT_EQ(test, r.torn, 0UL);
	KUNIT_EXPECT_EQ(test, r.order_errors, 0UL);
	check_ring_after(test, &r, ring, 0, 0);
}

/*
 * With room for every record, a reader racing the writers gets each one,
 * in order, exactly once: no record it can read is ever skipped.
 */
static void ring_reader_gets_every_record(struct kunit *test)
{
	struct ring_ctx *ctx = test->priv;
	struct oomsnap_ring *ring = new_ring(test, MAX_SLOTS);
	struct race r = {};
	u64 after = 0, seq, got = 0, gaps = 0, total;
	unsigned int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs 2 CPUs (boot with -smp 2)");
	/* fewer writes than slots: nothing can be overwritten */
	start_writers(test, &r, ring, MAX_SLOTS / (num_online_cpus() + 1));
	do {
		seq = oomsnap_ring_copy_next(ring, after, ctx->out);
		if (seq) {
			gaps += seq != after + 1;
			KUNIT_EXPECT_TRUE(test, stamped(ctx->out));
			after = seq;
			got++;
		}
		cond_resched();
	} while (!writers_done(&r) || oomsnap_ring_ready(ring, after));
	stop_writers(&r);
	for (total = 0, i = 0; i < r.nr_writers; i++)
		total += r.writers[i].written;
	KUNIT_EXPECT_EQ(test, got, total);
	KUNIT_EXPECT_EQ(test, gaps, 0ULL);
	KUNIT_EXPECT_EQ(test, after, total);
}

static struct kunit_case ring_cases[] = {
	KUNIT_CASE(ring_mem_size_whole_slots),
	KUNIT_CASE(ring_reserve_zeroed_record),
	KUNIT_CASE(ring_seq_numbers),
	KUNIT_CASE(ring_wrap_around),
	KUNIT_CASE(ring_overwrite_accounting),
	KUNIT_CASE(ring_skip_busy_slot),
	KUNIT_CASE(ring_reader_waits_for_filling),
	KUNIT_CASE(ring_publish_copies),
	KUNIT_CASE(ring_compact_round_trip),
	KUNIT_CASE(ring_compact_zone_beyond_cap),
	KUNIT_CASE(ring_clear_keeps_seq),
	KUNIT_CASE(ring_reader_gets_every_record),
	KUNIT_CASE(ring_concurrent_writers),
	KUNIT_CASE(ring_writers_and_irq),
	KUNIT_CASE(ring_readers_race_writers),
	{}
};

static struct kunit_suite ring_suite = {
	.name = "oomsnap_ring",
	.init = ring_test_init,
	.exit = ring_test_exit,
	.test_cases = ring_cases,
};

kunit_test_suite(ring_suite);
