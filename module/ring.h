/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ring of captured records: preallocated, written from any context
 * (including IRQ, and on every CPU at once), read by debugfs.
 *
 *   reserve ──> fill (no lock held) ──> commit
 *
 * A writer reserves the next slot under a raw spinlock and owns it until
 * it commits; readers only ever copy committed slots, whole, under the
 * lock. A slot still being filled is never handed out again: the writer
 * that finds the next slot busy gives up and the event counts as skipped.
 */
#ifndef OOMSNAP_RING_H
#define OOMSNAP_RING_H

#include <linux/spinlock.h>
#include <linux/types.h>

#include "oomsnap.h"

enum oomsnap_slot_state {
	OOMSNAP_SLOT_EMPTY,
	OOMSNAP_SLOT_FILLING,
	OOMSNAP_SLOT_COMMITTED,
};

struct oomsnap_slot {
	u32 state;			/* enum oomsnap_slot_state */
	u32 __pad;
	u64 seq;
	struct oomsnap_record rec;
};

struct oomsnap_ring {
	raw_spinlock_t lock;
	struct oomsnap_slot *slots;
	unsigned int nr;
	u64 last_seq;			/* seq of the newest reservation */
	u64 overwritten;		/* committed records replaced */
	u64 skipped_busy;		/* next slot still being filled */
};

/* Bytes of memory oomsnap_ring_init() needs for @nr records. */
size_t oomsnap_ring_mem_size(unsigned int nr);

/* @mem: oomsnap_ring_mem_size(@nr) bytes, owned by the caller. */
void oomsnap_ring_init(struct oomsnap_ring *ring, void *mem, unsigned int nr);

/*
 * Reserve the next slot: returns a zeroed record whose seq and magic are set,
 * or NULL when that slot is still being filled (counted in skipped_busy).
 */
struct oomsnap_record *oomsnap_ring_reserve(struct oomsnap_ring *ring);

/* Publish a record returned by oomsnap_ring_reserve(). */
void oomsnap_ring_commit(struct oomsnap_ring *ring,
			 struct oomsnap_record *rec);

/*
 * Copy the oldest committed record with seq > @after into @out. Returns its
 * seq, or 0 when there is none.
 */
u64 oomsnap_ring_copy_next(struct oomsnap_ring *ring, u64 after,
			   struct oomsnap_record *out);

/* Copy the newest committed record into @out. Returns its seq or 0. */
u64 oomsnap_ring_copy_last(struct oomsnap_ring *ring,
			   struct oomsnap_record *out);

/* Seq of the newest committed record, 0 if none. */
u64 oomsnap_ring_last_committed(struct oomsnap_ring *ring);

/*
 * Run @update on the committed record @seq under the ring lock (keep it
 * short: a copy). Returns false when @seq is no longer in the ring.
 */
bool oomsnap_ring_update(struct oomsnap_ring *ring, u64 seq,
			 void (*update)(struct oomsnap_record *rec,
					const void *arg),
			 const void *arg);

/* Forget every committed record; seq numbers keep counting. */
void oomsnap_ring_clear(struct oomsnap_ring *ring);

struct oomsnap_ring_counts {
	u64 last_seq;
	u64 overwritten;
	u64 skipped_busy;
	unsigned int committed;
	unsigned int filling;
};

void oomsnap_ring_counts(struct oomsnap_ring *ring,
			 struct oomsnap_ring_counts *counts);

#endif /* OOMSNAP_RING_H */
