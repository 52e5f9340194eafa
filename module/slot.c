// SPDX-License-Identifier: GPL-2.0
/*
 * A ring slot's compact form of a record (see slot.h).
 */
#include <linux/build_bug.h>
#include <linux/minmax.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "slot.h"

#define HEAD_SIZE	offsetof(struct oomsnap_record, zones)
#define TAIL_START	offsetofend(struct oomsnap_record, zones)
#define TAIL_SIZE	(sizeof(struct oomsnap_record) - TAIL_START)
#define ZONE_SIZE	sizeof(struct oomsnap_zone)

/* Every part starts 8-byte aligned in the slot as in the record. */
static_assert(HEAD_SIZE % 8 == 0 && ZONE_SIZE % 8 == 0 && TAIL_SIZE % 8 == 0);
/* The zone counts pack() adjusts are in the head. */
static_assert(offsetofend(struct oomsnap_record, zones_omitted) <= HEAD_SIZE);

size_t oomsnap_compact_size(unsigned int zone_cap)
{
	return HEAD_SIZE + (size_t)zone_cap * ZONE_SIZE + TAIL_SIZE;
}

void oomsnap_compact_pack(void *dst, unsigned int zone_cap,
			  const struct oomsnap_record *rec)
{
	u32 nr_zones = min_t(u32, rec->nr_zones, OOMSNAP_MAX_ZONES);
	u32 kept = min(nr_zones, zone_cap);
	u32 omitted = rec->zones_omitted + (nr_zones - kept);
	struct oomsnap_record *head = oomsnap_compact_head(dst);
	u8 *p = dst;

	memcpy(p, rec, HEAD_SIZE);
	head->nr_zones = kept;
	head->zones_omitted = omitted;
	p += HEAD_SIZE;
	memcpy(p, rec->zones, kept * ZONE_SIZE);
	memset(p + kept * ZONE_SIZE, 0, (zone_cap - kept) * ZONE_SIZE);
	p += zone_cap * ZONE_SIZE;
	memcpy(p, (const u8 *)rec + TAIL_START, TAIL_SIZE);
}

void oomsnap_compact_expand(struct oomsnap_record *out, const void *src,
			    unsigned int zone_cap)
{
	const u8 *p = src;

	memcpy(out, p, HEAD_SIZE);
	p += HEAD_SIZE;
	memcpy(out->zones, p, zone_cap * ZONE_SIZE);
	memset(&out->zones[zone_cap], 0,
	       (OOMSNAP_MAX_ZONES - zone_cap) * ZONE_SIZE);
	p += zone_cap * ZONE_SIZE;
	memcpy((u8 *)out + TAIL_START, p, TAIL_SIZE);
}
