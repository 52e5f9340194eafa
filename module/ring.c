// SPDX-License-Identifier: GPL-2.0
/*
 * Preallocated ring of oomsnap records. See ring.h for the protocol.
 *
 * The record with seq s always lives in slot (s - 1) % nr, and every seq
 * from the oldest retained one to last_seq has its slot: readers, the
 * counts and the newest-record lookup find what they need without a walk.
 */
#include <linux/math64.h>
#include <linux/minmax.h>
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
	ring->filling = 0;
	ring->last_seq = 0;
	ring->first_seq = 1;
	ring->overwritten = 0;
	ring->cleared = 0;
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

/* Oldest seq still in the ring (neither overwritten nor cleared). */
static u64 oldest_seq(const struct oomsnap_ring *ring)
{
	u64 oldest = ring->last_seq >= ring->nr ?
		     ring->last_seq - ring->nr + 1 : 1;

	return max(oldest, ring->first_seq);
}

static unsigned int retained(const struct oomsnap_ring *ring)
{
	return ring->last_seq + 1 - oldest_seq(ring);
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
	/* a slot of a cleared record was counted by clear() already */
	if (slot->seq >= ring->first_seq && slot->seq)
		ring->overwritten++;
	slot->state = OOMSNAP_SLOT_FILLING;
	slot->seq = seq;
	ring->last_seq = seq;
	ring->filling++;
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
	ring->filling--;
	raw_spin_unlock_irqrestore(&ring->lock, flags);
}

u64 oomsnap_ring_publish(struct oomsnap_ring *ring,
			 const struct oomsnap_record *rec)
{
	struct oomsnap_record *dst = oomsnap_ring_reserve(ring);
	u64 seq;

	if (!dst)
		return 0;
	seq = dst->seq;
	memcpy(dst, rec, sizeof(*dst));
	dst->size = sizeof(*dst);
	dst->magic = OOMSNAP_MAGIC;
	dst->seq = seq;
	/* a victim written in before publication belongs to this seq */
	if (dst->have & OOMSNAP_HAVE_VICTIM)
		dst->victim_seq = seq;
	oomsnap_ring_commit(ring, dst);
	return seq;
}

/* The seq a reader after @after gets next, 0 if none yet; under the lock. */
static u64 next_ready(struct oomsnap_ring *ring, u64 after)
{
	u64 seq = max(after + 1, oldest_seq(ring));

	if (seq > ring->last_seq)
		return 0;
	/* in [oldest, last_seq] the slot holds seq: committed yet? */
	return slot_of(ring, seq)->state == OOMSNAP_SLOT_COMMITTED ? seq : 0;
}

u64 oomsnap_ring_copy_next(struct oomsnap_ring *ring, u64 after,
			   struct oomsnap_record *out)
{
	unsigned long flags;
	u64 seq;

	raw_spin_lock_irqsave(&ring->lock, flags);
	seq = next_ready(ring, after);
	if (seq)
		memcpy(out, &slot_of(ring, seq)->rec, sizeof(*out));
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	return seq;
}

bool oomsnap_ring_ready(struct oomsnap_ring *ring, u64 after)
{
	unsigned long flags;
	u64 seq;

	raw_spin_lock_irqsave(&ring->lock, flags);
	seq = next_ready(ring, after);
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	return seq;
}

u64 oomsnap_ring_copy_last(struct oomsnap_ring *ring,
			   struct oomsnap_record *out)
{
	unsigned long flags;
	u64 seq, oldest;

	raw_spin_lock_irqsave(&ring->lock, flags);
	oldest = oldest_seq(ring);
	/* passes over at most ring->filling slots */
	for (seq = ring->last_seq; seq >= oldest && seq; seq--)
		if (slot_of(ring, seq)->state == OOMSNAP_SLOT_COMMITTED)
			break;
	if (seq < oldest)
		seq = 0;
	if (seq)
		memcpy(out, &slot_of(ring, seq)->rec, sizeof(*out));
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	return seq;
}

void oomsnap_ring_clear(struct oomsnap_ring *ring)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ring->lock, flags);
	ring->cleared += retained(ring);
	ring->first_seq = ring->last_seq + 1;
	raw_spin_unlock_irqrestore(&ring->lock, flags);
}

void oomsnap_ring_counts(struct oomsnap_ring *ring,
			 struct oomsnap_ring_counts *counts)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ring->lock, flags);
	counts->last_seq = ring->last_seq;
	counts->overwritten = ring->overwritten;
	counts->cleared = ring->cleared;
	counts->skipped_busy = ring->skipped_busy;
	counts->retained = retained(ring);
	counts->filling = ring->filling;
	raw_spin_unlock_irqrestore(&ring->lock, flags);
}
