// SPDX-License-Identifier: GPL-2.0
/*
 * Preallocated ring of oomsnap records. See ring.h for the protocol.
 *
 * The record with seq s always lives in slot (s - 1) % nr, and every seq
 * from the oldest retained one to last_seq has its slot: readers, the
 * counts and the newest-record lookup find what they need without a walk.
 */
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "ring.h"
#include "slot.h"

static size_t slot_size(unsigned int zone_cap)
{
	return sizeof(struct oomsnap_slot) + oomsnap_compact_size(zone_cap);
}

static unsigned int nr_fillers(unsigned int nr)
{
	return min_t(unsigned int, nr, OOMSNAP_RING_FILLERS);
}

static_assert(OOMSNAP_RING_FILLERS <= BITS_PER_LONG);
static_assert(sizeof(struct oomsnap_filler) % 8 == 0);

size_t oomsnap_ring_mem_size(unsigned int nr, unsigned int zone_cap)
{
	return nr_fillers(nr) * sizeof(struct oomsnap_filler) +
	       (size_t)nr * slot_size(zone_cap);
}

void oomsnap_ring_init(struct oomsnap_ring *ring, void *mem, unsigned int nr,
		       unsigned int zone_cap)
{
	raw_spin_lock_init(&ring->lock);
	ring->fillers = mem;
	ring->nr_fillers = nr_fillers(nr);
	ring->fillers_busy = 0;
	ring->slots = ring->fillers + ring->nr_fillers;
	ring->slot_size = slot_size(zone_cap);
	ring->nr = nr;
	ring->zone_cap = zone_cap;
	ring->filling = 0;
	ring->last_seq = 0;
	ring->first_seq = 1;
	ring->overwritten = 0;
	ring->cleared = 0;
	ring->skipped_busy = 0;
	memset(mem, 0, oomsnap_ring_mem_size(nr, zone_cap));
}

struct oomsnap_slot *oomsnap_ring_slot(struct oomsnap_ring *ring,
				       unsigned int i)
{
	return (struct oomsnap_slot *)((u8 *)ring->slots +
				       (size_t)i * ring->slot_size);
}

static struct oomsnap_slot *slot_of(struct oomsnap_ring *ring, u64 seq)
{
	u32 slot;

	div_u64_rem(seq - 1, ring->nr, &slot);
	return oomsnap_ring_slot(ring, slot);
}

void oomsnap_ring_expand(const struct oomsnap_ring *ring,
			 const struct oomsnap_slot *slot,
			 struct oomsnap_record *out)
{
	oomsnap_compact_expand(out, slot->rec, ring->zone_cap);
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

/* Under the lock: the next seq's slot, now FILLING; NULL when it is busy. */
static struct oomsnap_slot *reserve_locked(struct oomsnap_ring *ring)
{
	u64 seq = ring->last_seq + 1;
	struct oomsnap_slot *slot = slot_of(ring, seq);

	if (slot->state == OOMSNAP_SLOT_FILLING)
		return NULL;
	/* a slot of a cleared record was counted by clear() already */
	if (slot->seq >= ring->first_seq && slot->seq)
		ring->overwritten++;
	slot->state = OOMSNAP_SLOT_FILLING;
	slot->seq = seq;
	ring->last_seq = seq;
	ring->filling++;
	return slot;
}

/* Publish @slot, now holding its record; @filler, if any, is free again. */
static void commit_slot(struct oomsnap_ring *ring, struct oomsnap_slot *slot,
			struct oomsnap_filler *filler)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ring->lock, flags);
	slot->state = OOMSNAP_SLOT_COMMITTED;
	ring->filling--;
	if (filler)
		__clear_bit(filler - ring->fillers, &ring->fillers_busy);
	raw_spin_unlock_irqrestore(&ring->lock, flags);
}

struct oomsnap_record *oomsnap_ring_reserve(struct oomsnap_ring *ring)
{
	struct oomsnap_filler *filler = NULL;
	struct oomsnap_slot *slot = NULL;
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&ring->lock, flags);
	i = find_first_zero_bit(&ring->fillers_busy, ring->nr_fillers);
	if (i < ring->nr_fillers)
		slot = reserve_locked(ring);
	if (slot) {
		__set_bit(i, &ring->fillers_busy);
		filler = &ring->fillers[i];
		filler->slot = slot;
	} else {
		ring->skipped_busy++;
	}
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	if (!filler)
		return NULL;

	/* Slot and filler are ours alone now: no reader copies a FILLING slot. */
	memset(&filler->rec, 0, sizeof(filler->rec));
	filler->rec.size = sizeof(filler->rec);
	filler->rec.magic = OOMSNAP_MAGIC;
	filler->rec.seq = slot->seq;
	return &filler->rec;
}

void oomsnap_ring_commit(struct oomsnap_ring *ring, struct oomsnap_record *rec)
{
	struct oomsnap_filler *filler = container_of(rec, struct oomsnap_filler,
						     rec);

	oomsnap_compact_pack(filler->slot->rec, ring->zone_cap, rec);
	commit_slot(ring, filler->slot, filler);
}

/*
 * What publish sets in a record, in its slot: this writer's size and magic,
 * the slot's seq, and that seq as victim_seq when a victim was written in
 * before publication (it belongs to this record). All lie before zones[],
 * in the head the slot keeps in the record's own layout.
 */
static_assert(offsetofend(struct oomsnap_record, victim_seq) <=
	      offsetof(struct oomsnap_record, zones));
static_assert(offsetof(struct oomsnap_slot, rec) % 8 == 0);

static void slot_set_header(struct oomsnap_slot *slot, bool victim)
{
	struct oomsnap_record *head = oomsnap_compact_head(slot->rec);

	head->size = sizeof(*head);
	head->magic = OOMSNAP_MAGIC;
	head->seq = slot->seq;
	if (victim)
		head->victim_seq = slot->seq;
}

u64 oomsnap_ring_publish(struct oomsnap_ring *ring,
			 const struct oomsnap_record *rec)
{
	struct oomsnap_slot *slot;
	unsigned long flags;
	u64 seq;

	raw_spin_lock_irqsave(&ring->lock, flags);
	slot = reserve_locked(ring);
	if (!slot)
		ring->skipped_busy++;
	raw_spin_unlock_irqrestore(&ring->lock, flags);
	if (!slot)
		return 0;
	seq = slot->seq;
	oomsnap_compact_pack(slot->rec, ring->zone_cap, rec);
	slot_set_header(slot, rec->have & OOMSNAP_HAVE_VICTIM);
	commit_slot(ring, slot, NULL);
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
		oomsnap_ring_expand(ring, slot_of(ring, seq), out);
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
		oomsnap_ring_expand(ring, slot_of(ring, seq), out);
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
