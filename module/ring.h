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
 *
 * Delivery: sequence numbers are handed out at reservation, one per slot,
 * with no holes. A reader asks for the record after the last one it got
 * and receives exactly the next one, in sequence order: when that record
 * is still being filled (a slow capture overtaken by a fast one on another
 * CPU or in an interrupt), the reader waits for it instead of skipping it.
 * It skips only what is gone: overwritten or cleared.
 *
 * Every operation is O(1) but copying one record: the counts are kept, not
 * computed by a scan, so readers never hold the lock for a walk.
 *
 * Memory: a slot keeps its record compact, with only as many zones as the
 * ring was made for (slot.h; the host's populated zones at load), and a
 * reader gets the whole record expanded. A writer fills a whole record in
 * one of OOMSNAP_RING_FILLERS buffers, packed into its slot at commit: a
 * reservation with every buffer in use is skipped like one whose slot is
 * busy. Captures are rate limited and the OOM paths fill a record of their
 * own (published whole), so more writers at once than buffers are rare.
 *
 * Accounting, exact at any quiescent moment:
 *	last_seq = retained + overwritten + cleared
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

/* Whole records being filled, at most: the ring's memory holds them. */
#define OOMSNAP_RING_FILLERS	4

struct oomsnap_slot {
	u32 state;			/* enum oomsnap_slot_state */
	u32 __pad;
	u64 seq;
	u8 rec[];			/* compact record, see slot.h */
};

/* A whole record being filled for a slot, between reserve and commit. */
struct oomsnap_filler {
	struct oomsnap_slot *slot;
	struct oomsnap_record rec;
};

struct oomsnap_ring {
	raw_spinlock_t lock;
	void *slots;			/* nr slots of slot_size bytes */
	size_t slot_size;
	unsigned int nr;
	unsigned int zone_cap;		/* zones a slot keeps */
	struct oomsnap_filler *fillers;
	unsigned int nr_fillers;
	unsigned long fillers_busy;	/* bit i: fillers[i] in use */
	unsigned int filling;		/* slots between reserve and commit */
	u64 last_seq;			/* seq of the newest reservation */
	u64 first_seq;			/* oldest seq not cleared */
	u64 overwritten;		/* records replaced by newer ones */
	u64 cleared;			/* records forgotten by clear */
	u64 skipped_busy;		/* next slot still being filled */
};

/*
 * Bytes of memory oomsnap_ring_init() needs for @nr records of @zone_cap
 * zones each (1 .. OOMSNAP_MAX_ZONES).
 */
size_t oomsnap_ring_mem_size(unsigned int nr, unsigned int zone_cap);

/* @mem: oomsnap_ring_mem_size(@nr, @zone_cap) bytes, owned by the caller. */
void oomsnap_ring_init(struct oomsnap_ring *ring, void *mem, unsigned int nr,
		       unsigned int zone_cap);

/*
 * Reserve the next slot: returns a zeroed record whose size, magic and seq
 * are set, or NULL when that slot is still being filled or every filler is
 * in use (counted in skipped_busy).
 */
struct oomsnap_record *oomsnap_ring_reserve(struct oomsnap_ring *ring);

/* Publish a record returned by oomsnap_ring_reserve(). */
void oomsnap_ring_commit(struct oomsnap_ring *ring,
			 struct oomsnap_record *rec);

/*
 * Reserve, copy @rec (filled elsewhere) and commit: returns the seq it got,
 * or 0 when the slot was busy.
 */
u64 oomsnap_ring_publish(struct oomsnap_ring *ring,
			 const struct oomsnap_record *rec);

/*
 * The record after @after, in sequence order: copies it into @out and
 * returns its seq. Returns 0 when there is none yet, including when the
 * next one is still being filled. A seq larger than @after + 1 means the
 * ones between were overwritten or cleared.
 */
u64 oomsnap_ring_copy_next(struct oomsnap_ring *ring, u64 after,
			   struct oomsnap_record *out);

/* Whether oomsnap_ring_copy_next(@after) would return a record now. */
bool oomsnap_ring_ready(struct oomsnap_ring *ring, u64 after);

/* Copy the newest committed record into @out. Returns its seq or 0. */
u64 oomsnap_ring_copy_last(struct oomsnap_ring *ring,
			   struct oomsnap_record *out);

/*
 * Forget every record reserved so far, including those still being
 * filled (they count as cleared when they commit); seq numbers go on.
 */
void oomsnap_ring_clear(struct oomsnap_ring *ring);

struct oomsnap_ring_counts {
	u64 last_seq;
	u64 overwritten;
	u64 cleared;
	u64 skipped_busy;
	unsigned int retained;		/* seqs still in the ring */
	unsigned int filling;
};

void oomsnap_ring_counts(struct oomsnap_ring *ring,
			 struct oomsnap_ring_counts *counts);

/* Slot @i of @ring (0 .. nr - 1), for tests that look inside. */
struct oomsnap_slot *oomsnap_ring_slot(struct oomsnap_ring *ring,
				       unsigned int i);

/* The whole record @slot of @ring keeps, whatever its state. */
void oomsnap_ring_expand(const struct oomsnap_ring *ring,
			 const struct oomsnap_slot *slot,
			 struct oomsnap_record *out);

#endif /* OOMSNAP_RING_H */
