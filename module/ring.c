// SPDX-License-Identifier: GPL-2.0
/*
 * Preallocated ring of oomsnap records. See ring.h for the protocol.
 *
 * Seq numbers are handed out at reservation, one per slot taken, so the
 * record with seq s always lives in slot (s - 1) % nr: readers and the
 * victim join find it without a search.
 */
#include <linux/math64.h>
#include <linux/string.h>

#include "ring.h"

size_t oomsnap_ring_mem_size(unsigned int nr)
{
	return (size_t)nr * sizeof(struct oomsnap_slot);
}

void oomsnap_ring_init(struct oomsnap_ring *ring, void *mem, unsigned int nr)
{
	raw_spin_lock_init(&ring->lock);
	ring->slots = mem;
	ring->nr = nr;
	ring->last_seq = 0;
	ring->overwritten = 0;
	ring->skipped_busy = 0;
	memset(mem, 0, oomsnap_ring_mem_size(nr));
}

static struct oomsnap_slot *slot_of(struct oomsnap_ring *ring, u64 seq)
{
	u32 slot;

	div_u64_rem(seq - 1, ring->nr, &slot);
	return &ring->slots[slot];
}

static struct oomsnap_slot *slot_of_rec(struct oomsnap_record *rec)
{
	return container_of(rec, struct oomsnap_slot, rec);
}

struct oomsnap_record *oomsnap_ring_reserve(struct oomsnap_ring *ring)
{
	struct oomsnap_slot *slot;
	unsigned long flags;
	u64 seq;

	raw_spin_lock_irqsave(&ring->lock, flags);
	seq = ring->last_seq + 1;
	slot = slot_of(ring, seq);
	if (slot->state == OOMSNAP_SLOT_FILLING) {
		ring->skipped_busy++;
		raw_spin_unlock_irqrestore(&ring->lock, flags);
		return NULL;
	}
	if (slot->state == OOMSNAP_SLOT_COMMITTED)
		ring->overwritten++;
	slot->state = OOMSNAP_SLOT_FILLING;
	slot->seq = seq;
	ring->last_seq = seq;
	raw_spin_unlock_irqrestore(&ring->lock, flags);

	/* The slot is ours alone now: no reader copies a FILLING slot. */
	memset(&slot->rec, 0, sizeof(slot->rec));
	slot->rec.size = sizeof(slot->rec);
	slot->rec.magic = OOMSNAP_MAGIC;
	slot->rec.seq = seq;
	return &slot->rec;
}

void oomsnap_ring_commit(struct oomsnap_ring *ring, struct oomsnap_record *rec)
{
	struct oomsnap_slot *slot = slot_of_rec(rec);
	unsigned long flags;

	raw_spin_lock_irqsave(&ring->lock, flags);
	slot->state = OOMSNAP_SLOT_COMMITTED;
	raw_spin_unlock_irqrestore(&ring->lock, flags);
}

/* Oldest seq that may still be in the ring. */
static u64 oldest_seq(const struct oomsnap_ring *ring)
{
	return ring->last_seq >= ring->nr ? ring->last_seq - ring->nr + 1 : 1;
}

/* Whether the slot of @seq still holds @seq's committed record. */
static bool slot_holds(const struct oomsnap_slot *slot, u64 seq)
{
	return slot->state == OOMSNAP_SLOT_COMMITTED && slot->seq == seq;
}

/* The newest committed record's seq, 0 if none; under ring->lock. */
static u64 newest_committed(struct oomsnap_ring *ring)
{
	u64 seq;

	for (seq = ring->last_seq; seq && seq >= oldest_seq(ring); seq--)
		if (slot_holds(slot_of(ring, seq), seq))
			return seq;
	return 0;
}

u64 oomsnap_ring_copy_next(struct oomsnap_ring *ring, u64 after,
			   struct oomsnap_record *out)
{
	struct oomsnap_slot *slot;
	unsigned long flags;
	u64 seq, found = 0;

	raw_spin_lock_irqsave(&ring->lock, flags);
	for (seq = max(after + 1, oldest_seq(ring)); seq <= ring->last_seq;
	     seq++) {
		slot = slot_of(ring, seq);
		if (slot_holds(slot, seq)) {
			memcpy(out, &slot->rec, sizeof(*out));
			found = seq;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	return found;
}

u64 oomsnap_ring_copy_last(struct oomsnap_ring *ring,
			   struct oomsnap_record *out)
{
	unsigned long flags;
	u64 seq;

	raw_spin_lock_irqsave(&ring->lock, flags);
	seq = newest_committed(ring);
	if (seq)
		memcpy(out, &slot_of(ring, seq)->rec, sizeof(*out));
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	return seq;
}

u64 oomsnap_ring_last_committed(struct oomsnap_ring *ring)
{
	unsigned long flags;
	u64 seq;

	raw_spin_lock_irqsave(&ring->lock, flags);
	seq = newest_committed(ring);
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	return seq;
}

bool oomsnap_ring_update(struct oomsnap_ring *ring, u64 seq,
			 void (*update)(struct oomsnap_record *rec,
					const void *arg),
			 const void *arg)
{
	struct oomsnap_slot *slot;
	unsigned long flags;
	bool done = false;

	if (!seq)
		return false;
	raw_spin_lock_irqsave(&ring->lock, flags);
	slot = slot_of(ring, seq);
	if (slot_holds(slot, seq)) {
		update(&slot->rec, arg);
		done = true;
	}
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	return done;
}

void oomsnap_ring_clear(struct oomsnap_ring *ring)
{
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&ring->lock, flags);
	for (i = 0; i < ring->nr; i++)
		if (ring->slots[i].state == OOMSNAP_SLOT_COMMITTED)
			ring->slots[i].state = OOMSNAP_SLOT_EMPTY;
	raw_spin_unlock_irqrestore(&ring->lock, flags);
}

void oomsnap_ring_counts(struct oomsnap_ring *ring,
			 struct oomsnap_ring_counts *counts)
{
	unsigned long flags;
	unsigned int i;

	memset(counts, 0, sizeof(*counts));
	raw_spin_lock_irqsave(&ring->lock, flags);
	counts->last_seq = ring->last_seq;
	counts->overwritten = ring->overwritten;
	counts->skipped_busy = ring->skipped_busy;
	for (i = 0; i < ring->nr; i++) {
		if (ring->slots[i].state == OOMSNAP_SLOT_COMMITTED)
			counts->committed++;
		else if (ring->slots[i].state == OOMSNAP_SLOT_FILLING)
			counts->filling++;
	}
	raw_spin_unlock_irqrestore(&ring->lock, flags);
}
