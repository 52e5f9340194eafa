/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record as a ring slot keeps it: struct oomsnap_record with zones[] cut
 * to the zones the host has. Most hosts populate 2-4 of OOMSNAP_MAX_ZONES,
 * and zones[] is 15 of the record's 18.4 KiB. Byte for byte:
 *
 *	[ record before zones[] ][ zones[0 .. zone_cap) ][ record after zones[] ]
 *
 * What a reader gets is the whole struct again (the raw ABI does not
 * change): oomsnap_compact_expand() fills zones[] past the slot's with
 * zeroes, as a record with that many zones has them.
 *
 * Nothing is dropped silently: a record with more zones than the slot holds
 * (a zone that memory hotplug populated after load) keeps the first
 * zone_cap and counts the others in zones_omitted, the mark a record
 * already has for populated zones beyond OOMSNAP_MAX_ZONES.
 */
#ifndef OOMSNAP_SLOT_H
#define OOMSNAP_SLOT_H

#include <linux/types.h>

#include "oomsnap.h"

/**
 * oomsnap_compact_size() - bytes of a record kept with @zone_cap zones
 * @zone_cap: zones the slot holds, 1 .. OOMSNAP_MAX_ZONES
 *
 * Return: a multiple of 8, so that slots in an array stay aligned.
 */
size_t oomsnap_compact_size(unsigned int zone_cap);

/**
 * oomsnap_compact_pack() - keep @rec in @dst
 * @dst: oomsnap_compact_size(@zone_cap) bytes
 * @zone_cap: zones @dst holds
 * @rec: the whole record
 *
 * Zones of @rec past @zone_cap are counted in the kept zones_omitted.
 */
void oomsnap_compact_pack(void *dst, unsigned int zone_cap,
			  const struct oomsnap_record *rec);

/**
 * oomsnap_compact_head() - the record's head in a compact form, in place
 * @compact: what oomsnap_compact_pack() wrote (8-byte aligned, as a slot's)
 *
 * The head, every field before zones[], keeps the record's own layout:
 * those fields, and only those, may be read and set through the pointer.
 *
 * Return: @compact as the record whose head it holds.
 */
static inline struct oomsnap_record *oomsnap_compact_head(void *compact)
{
	return compact;
}

/**
 * oomsnap_compact_expand() - the whole record kept in @src
 * @out: filled entirely
 * @src: what oomsnap_compact_pack() wrote with the same @zone_cap
 * @zone_cap: zones @src holds
 */
void oomsnap_compact_expand(struct oomsnap_record *out, const void *src,
			    unsigned int zone_cap);

#endif /* OOMSNAP_SLOT_H */
