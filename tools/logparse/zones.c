// SPDX-License-Identifier: GPL-2.0
/*
 * Zone lines, lowmem_reserve[] and buddy lists.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "watermark.h"
#include "internal.h"

#define ZONE_NAME(name, type)	{ name, sizeof(name) - 1, type }

static int zone_type_of(const char *p, const char *end, const char **after)
{
	static const struct {
		const char *name;
		size_t len;
		unsigned int type;
	} names[] = {
		ZONE_NAME("DMA32", OOMSNAP_ZONE_DMA32), ZONE_NAME("DMA", OOMSNAP_ZONE_DMA),
		ZONE_NAME("Normal", OOMSNAP_ZONE_NORMAL),
		ZONE_NAME("HighMem", OOMSNAP_ZONE_HIGHMEM),
		ZONE_NAME("Movable", OOMSNAP_ZONE_MOVABLE),
		ZONE_NAME("Device", OOMSNAP_ZONE_DEVICE),
	};
	size_t i;

	/* every line of a report comes here: most start with none of these */
	if (p >= end || (*p != 'D' && *p != 'N' && *p != 'H' && *p != 'M'))
		return -1;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if ((size_t)(end - p) >= names[i].len &&
		    !memcmp(p, names[i].name, names[i].len)) {
			*after = p + names[i].len;
			return (int)names[i].type;
		}
	}
	return -1;
}

/* "[Node N ]Zone" at p: node, type; *after points past the name. */
int zone_head(const char *p, const char *end, unsigned int *node,
	      const char **after)
{
	bool ok;

	*node = 0;
	if (starts(p, end, "Node ")) {
		p += 5;
		*node = (unsigned int)parse_u64(&p, end, &ok);
		if (!ok || p >= end || *p != ' ')
			return -1;
		p++;
	}
	return zone_type_of(p, end, after);
}

struct oomsnap_zone *get_zone(struct oomsnap_logparser *lp,
			      unsigned int node, int type,
			      const char *name, const char *name_end,
			      bool create)
{
	struct oomsnap_record *rec = &lp->ev.rec;
	struct oomsnap_zone *z;
	unsigned int i;

	for (i = 0; i < rec->nr_zones; i++) {
		z = &rec->zones[i];
		if (z->node == node && z->zone_type == (unsigned int)type)
			return z;
	}
	if (!create)
		return NULL;
	if (rec->nr_zones >= OOMSNAP_MAX_ZONES) {
		rec->zones_omitted++;
		return NULL;
	}
	z = &rec->zones[rec->nr_zones++];
	z->node = node;
	z->zone_type = (unsigned int)type;
	copy_str(z->name, sizeof(z->name), name, name_end);
	return z;
}

static const struct key_slot zone_vmstat_keys[] = {
	{ "active_anon", OOMSNAP_ZV_ACTIVE_ANON },
	{ "inactive_anon", OOMSNAP_ZV_INACTIVE_ANON },
	{ "active_file", OOMSNAP_ZV_ACTIVE_FILE },
	{ "inactive_file", OOMSNAP_ZV_INACTIVE_FILE },
	{ "active", OOMSNAP_ZV_ACTIVE_ANON },	/* 2.6 before the LRU split */
	{ "inactive", OOMSNAP_ZV_INACTIVE_ANON },
	{ "unevictable", OOMSNAP_ZV_UNEVICTABLE },
	{ "writepending", OOMSNAP_ZV_WRITE_PENDING },
	{ "mlocked", OOMSNAP_ZV_MLOCK },
	{ "bounce", OOMSNAP_ZV_BOUNCE },
	{ "free_cma", OOMSNAP_ZV_FREE_CMA },
	{ "slab_reclaimable", OOMSNAP_ZV_SLAB_RECLAIMABLE },
	{ "slab_unreclaimable", OOMSNAP_ZV_SLAB_UNRECLAIMABLE },
	{ "kernel_stack", OOMSNAP_ZV_KERNEL_STACK },
	{ "pagetables", OOMSNAP_ZV_PAGETABLES },
	{ "shmem", OOMSNAP_ZV_SHMEM },
};

void parse_zone_line(struct oomsnap_logparser *lp, const char *p,
		     const char *end, unsigned int node, int type,
		     const char *name)
{
	struct oomsnap_zone *z;
	const char *name_end = name;
	struct kv kv;
	size_t i;

	while (name_end < end && !is_space(*name_end))
		name_end++;
	z = get_zone(lp, node, type, name, name_end, true);
	if (!z)
		return;
	lp->cur_zone = (int)(z - lp->ev.rec.zones);
	p = name_end;
	while (next_kv(&p, end, &kv)) {
		if (key_is(&kv, "all_unreclaimable")) {
			if (kv.yes)
				z->flags |= OOMSNAP_ZONE_ALL_UNRECLAIMABLE;
			continue;
		}
		if (!kv.has_val)
			continue;
		if (key_is(&kv, "free")) {
			z->free = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_FREE;
		} else if (key_is(&kv, "min")) {
			z->wmark_min = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_WMARK;
		} else if (key_is(&kv, "low")) {
			z->wmark_low = kv.val;
		} else if (key_is(&kv, "high")) {
			z->wmark_high = kv.val;
		} else if (key_is(&kv, "boost")) {
			z->wmark_boost = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_BOOST;
			lp->saw_boost = true;
		} else if (key_is(&kv, "reserved_highatomic")) {
			z->reserved_highatomic = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_HIGHATOMIC;
			lp->saw_highatomic = true;
		} else if (key_is(&kv, "present")) {
			z->present = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_PRESENT;
		} else if (key_is(&kv, "managed")) {
			z->managed = kv.val;
			z->have |= OOMSNAP_ZONE_HAVE_MANAGED;
			lp->saw_managed = true;
		} else {
			for (i = 0; i < ARRAY_SIZE(zone_vmstat_keys); i++) {
				int slot = zone_vmstat_keys[i].slot;

				if (!key_is(&kv, zone_vmstat_keys[i].name))
					continue;
				z->vmstat[slot] = kv.val;
				z->have |= OOMSNAP_ZONE_HAVE_VMSTAT;
				if (slot == OOMSNAP_ZV_FREE_CMA)
					z->have |= OOMSNAP_ZONE_HAVE_CMA;
				if (slot == OOMSNAP_ZV_SLAB_UNRECLAIMABLE)
					z->have |= OOMSNAP_ZONE_HAVE_SLAB;
				break;
			}
		}
	}
}

void parse_lowmem_reserve(struct oomsnap_logparser *lp, const char *p,
			  const char *end)
{
	struct oomsnap_zone *z;
	unsigned int n = 0;
	bool ok;

	if (lp->cur_zone < 0)
		return;
	z = &lp->ev.rec.zones[lp->cur_zone];
	while (n < OOMSNAP_MAX_ZONE_TYPES) {
		__u64 v;

		p = skip_spaces(p, end);
		v = parse_u64(&p, end, &ok);
		if (!ok)
			break;
		z->lowmem_reserve[n++] = v;
	}
	lp->nr_reserve[lp->cur_zone] = n;
}

static int log2_u64(__u64 v)
{
	int n = -1;

	while (v) {
		v >>= 1;
		n++;
	}
	return n;
}

/* "1445*4kB 1781*8kB (UM) ... = 20396kB" */
void parse_buddy(struct oomsnap_logparser *lp, const char *p,
		 const char *end, struct oomsnap_zone *z)
{
	static const char letters[] = "UMEHCI";
	unsigned int order;
	bool ok;

	while (p < end) {
		__u64 count, size;
		int o;

		p = skip_spaces(p, end);
		if (p >= end || *p == '=')
			break;
		count = parse_u64(&p, end, &ok);
		if (!ok || p >= end || *p != '*')
			break;
		p++;
		size = parse_u64(&p, end, &ok);
		if (!ok || !size)
			break;
		if (!lp->buddy_page_kb) {
			/* the first block is a page: 4 to 256 kB, a power of two */
			if (size < 4 || size > 256 || (size & (size - 1)))
				break;
			lp->buddy_page_kb = (unsigned int)size;
		}
		o = log2_u64(size / lp->buddy_page_kb);
		if (o < 0 || o >= OOMSNAP_MAX_ORDERS)
			break;
		order = (unsigned int)o;
		z->nr_free[order] = count;
		if (order + 1 > z->nr_orders)
			z->nr_orders = order + 1;
		z->have |= OOMSNAP_ZONE_HAVE_BUDDY;
		while (p < end && !is_space(*p))
			p++;
		p = skip_spaces(p, end);
		if (p < end && *p == '(') {
			for (p++; p < end && *p != ')'; p++) {
				const char *l = memchr(letters, *p, 6);

				if (!l || !*p)
					continue;
				z->nr_free_mt[order][l - letters] = 1;
				z->have |= OOMSNAP_ZONE_HAVE_MT;
				z->flags |= OOMSNAP_ZONE_MT_LETTERS;
				z->nr_migratetypes = OOMSNAP_MT_NR;
				lp->saw_letters = true;
			}
			if (p < end)
				p++;
		}
	}
}

bool continues_buddy(const char *p, const char *end)
{
	/* a wrap may fall between a block and its letters: "(U) 0*256kB" */
	if (p < end && *p == '(') {
		const char *q = memchr(p, ')', end - p);

		if (!q || q - p > 8)
			return false;
		p = skip_spaces(q + 1, end);
	}
	if (p >= end || !is_digit(*p))
		return false;
	while (p < end && is_digit(*p))
		p++;
	return p < end && *p == '*';
}
