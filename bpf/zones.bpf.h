/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Part of oomsnap.bpf.c (included there, once): the zones. Every populated
 * zone of every online node: free pages, watermarks, lowmem_reserve[],
 * vmstat, free blocks per order and, from a lock-free walk of the free
 * lists kept only where it adds up (walk_zone()), per migratetype; and the
 * pages on the per-cpu lists and those the kernel never managed.
 */

#define MT_WALK_MAX		4096	/* upper bound of walk_limit */
#define NR_MT_KERNEL		6	/* free_list[] entries walked at most */

/* Columns of nr_free_mt[][]: the reader's enum oomsnap_migratetype. */
#define MT_COL_CMA		4
#define MT_COL_ISOLATE		5
#define MT_COL_NR		6

/* struct zone as 6.12 has it: vmlinux.h is 6.1's, which has no nr_free_highatomic */
struct zone___hafree {
	unsigned long nr_free_highatomic;
} __attribute__((preserve_access_index));

/* Checked against the running kernel: Debian's 6.1 has no MIGRATE_CMA. */
enum migratetype___x {
	MIGRATE_CMA___x = 4,
};

struct zone_walk {
	__u64 pgdat[OOMSNAP_BPF_MAX_NODES];	/* 0: node offline */
	__u32 nodes;
	__u32 zones_per_node;
	__u64 zptr[OOMSNAP_MAX_ZONES];
	/* the list walk (walk_cb) */
	__u32 z;
	__u32 order, mt, nr_orders, nr_mt;
	__u32 n;
	__u64 head, pos;
	__u64 free_pcp, reserved;
	__u32 ncpus;
	__u32 bad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct zone_walk);
} zone_walks SEC(".maps");

static __always_inline __u32 zone_type_of(__u32 idx)
{
	if (bpf_core_enum_value_exists(enum zone_type, ZONE_DMA) &&
	    idx == bpf_core_enum_value(enum zone_type, ZONE_DMA))
		return OOMSNAP_ZONE_DMA;
	if (bpf_core_enum_value_exists(enum zone_type, ZONE_DMA32) &&
	    idx == bpf_core_enum_value(enum zone_type, ZONE_DMA32))
		return OOMSNAP_ZONE_DMA32;
	if (idx == bpf_core_enum_value(enum zone_type, ZONE_NORMAL))
		return OOMSNAP_ZONE_NORMAL;
	if (idx == bpf_core_enum_value(enum zone_type, ZONE_MOVABLE))
		return OOMSNAP_ZONE_MOVABLE;
	if (bpf_core_enum_value_exists(enum zone_type, ZONE_DEVICE) &&
	    idx == bpf_core_enum_value(enum zone_type, ZONE_DEVICE))
		return OOMSNAP_ZONE_DEVICE;
	return OOMSNAP_ZONE_UNKNOWN;
}

static __always_inline __u64 zone_stat(struct zone *zone, int item)
{
	__s64 v;

	if (item < 0 || item >= 64)
		return 0;
	v = BPF_CORE_READ(zone, vm_stat[item].counter);
	return v < 0 ? 0 : v;
}

#define ZSTAT(z, name) \
	(bpf_core_enum_value_exists(enum zone_stat_item, name) ? \
	 zone_stat(z, bpf_core_enum_value(enum zone_stat_item, name)) : 0)

static __always_inline __u32 nr_zone_types(void)
{
	return bpf_core_enum_value(enum zone_type, __MAX_NR_ZONES);
}

static __always_inline __u32 nr_orders(void)
{
	return bpf_core_field_size(struct zone, free_area) /
	       bpf_core_type_size(struct free_area);
}

static __always_inline __u32 nr_migratetypes(void)
{
	return bpf_core_field_size(struct free_area, free_list) /
	       bpf_core_type_size(struct list_head);
}

static long zone_cb(__u64 i, void *arg)
{
	struct zone_walk *w = ((struct loop_ctx *)arg)->w;
	struct oomsnap_record *rec;
	struct oomsnap_zone *z;
	struct zone *zone;
	__u32 nid, zt, k, no, nzt;
	__u64 pgdat, present, managed;
	int cpu;

	rec = ((struct loop_ctx *)arg)->rec;
	if (!w || !rec || !w->zones_per_node)
		return 1;
	nid = i / w->zones_per_node;
	zt = i % w->zones_per_node;
	if (nid >= OOMSNAP_BPF_MAX_NODES)
		return 1;
	pgdat = w->pgdat[nid];
	if (!pgdat)
		return 0;
	zone = (void *)(pgdat + bpf_core_field_offset(struct pglist_data, node_zones) +
			(__u64)zt * bpf_core_type_size(struct zone));
	present = BPF_CORE_READ(zone, present_pages);
	if (!present)
		return 0;	/* !populated_zone() */
	managed = BPF_CORE_READ(zone, managed_pages.counter);
	if (present > managed)
		w->reserved += present - managed;
	if (rec->nr_zones >= OOMSNAP_MAX_ZONES) {
		rec->zones_omitted++;
		return 0;
	}
	k = rec->nr_zones;
	if (k >= OOMSNAP_MAX_ZONES)
		return 1;
	w->zptr[k] = (__u64)zone;
	z = &rec->zones[k];
	rec->nr_zones = k + 1;

	z->node = nid;
	z->zone_type = zone_type_of(zt);
	bpf_probe_read_kernel_str(z->name, sizeof(z->name), BPF_CORE_READ(zone, name));
	z->free = ZSTAT(zone, NR_FREE_PAGES);
	z->wmark_min = BPF_CORE_READ(zone, _watermark[WMARK_MIN]);
	z->wmark_low = BPF_CORE_READ(zone, _watermark[WMARK_LOW]);
	z->wmark_high = BPF_CORE_READ(zone, _watermark[WMARK_HIGH]);
	z->wmark_boost = BPF_CORE_READ(zone, watermark_boost);
	z->reserved_highatomic = BPF_CORE_READ(zone, nr_reserved_highatomic);
	z->managed = managed;
	z->present = present;
	z->spanned = BPF_CORE_READ(zone, spanned_pages);
	nzt = nr_zone_types();
	for (k = 0; k < OOMSNAP_MAX_ZONE_TYPES; k++) {
		__u32 t;

		if (k >= nzt)
			break;
		t = zone_type_of(k);
		if (t < OOMSNAP_MAX_ZONE_TYPES)
			z->lowmem_reserve[t] = BPF_CORE_READ(zone, lowmem_reserve[k]);
	}
	z->vmstat[OOMSNAP_ZV_INACTIVE_ANON] = ZSTAT(zone, NR_ZONE_INACTIVE_ANON);
	z->vmstat[OOMSNAP_ZV_ACTIVE_ANON] = ZSTAT(zone, NR_ZONE_ACTIVE_ANON);
	z->vmstat[OOMSNAP_ZV_INACTIVE_FILE] = ZSTAT(zone, NR_ZONE_INACTIVE_FILE);
	z->vmstat[OOMSNAP_ZV_ACTIVE_FILE] = ZSTAT(zone, NR_ZONE_ACTIVE_FILE);
	z->vmstat[OOMSNAP_ZV_UNEVICTABLE] = ZSTAT(zone, NR_ZONE_UNEVICTABLE);
	z->vmstat[OOMSNAP_ZV_WRITE_PENDING] = ZSTAT(zone, NR_ZONE_WRITE_PENDING);
	z->vmstat[OOMSNAP_ZV_MLOCK] = ZSTAT(zone, NR_MLOCK);
	z->vmstat[OOMSNAP_ZV_BOUNCE] = ZSTAT(zone, NR_BOUNCE);
	z->vmstat[OOMSNAP_ZV_FREE_CMA] = ZSTAT(zone, NR_FREE_CMA_PAGES);
	/* 6.12: the free pages on the HighAtomic lists, which the watermark check subtracts */
	if (bpf_core_field_exists(((struct zone___hafree *)zone)->nr_free_highatomic)) {
		z->vmstat[OOMSNAP_ZV_FREE_HIGHATOMIC] =
			BPF_CORE_READ((struct zone___hafree *)zone, nr_free_highatomic);
		z->have |= OOMSNAP_ZONE_HAVE_FREE_HIGHATOMIC;
	}
	z->have |= OOMSNAP_ZONE_HAVE_FREE | OOMSNAP_ZONE_HAVE_WMARK |
		   OOMSNAP_ZONE_HAVE_BOOST | OOMSNAP_ZONE_HAVE_HIGHATOMIC |
		   OOMSNAP_ZONE_HAVE_RESERVE | OOMSNAP_ZONE_HAVE_MANAGED |
		   OOMSNAP_ZONE_HAVE_PRESENT | OOMSNAP_ZONE_HAVE_VMSTAT |
		   OOMSNAP_ZONE_HAVE_CMA;

	no = nr_orders();
	if (no > OOMSNAP_MAX_ORDERS)
		no = OOMSNAP_MAX_ORDERS;
	z->nr_orders = no;
	for (k = 0; k < OOMSNAP_MAX_ORDERS; k++) {
		if (k >= no)
			break;
		z->nr_free[k] = BPF_CORE_READ(zone, free_area[k].nr_free);
	}
	z->have |= OOMSNAP_ZONE_HAVE_BUDDY;

	/* pages on the per-cpu lists of this zone (mem[FREE_PCP]) */
	if (sym[OOMSNAP_SYM_PER_CPU_OFFSET] && sym[OOMSNAP_SYM_CPU_ONLINE_MASK]) {
		__u64 pcp = (__u64)BPF_CORE_READ(zone, per_cpu_pageset);

		for (cpu = 0; cpu < OOMSNAP_BPF_MAX_CPUS; cpu++) {
			__u64 bits, off;
			int cnt;

			if (cpu >= w->ncpus)
				break;
			bits = rd64(sym[OOMSNAP_SYM_CPU_ONLINE_MASK] + (cpu / 64) * 8);
			if (!(bits & (1ULL << (cpu % 64))))
				continue;
			off = rd64(sym[OOMSNAP_SYM_PER_CPU_OFFSET] + (__u64)cpu * 8);
			cnt = BPF_CORE_READ((struct per_cpu_pages *)(pcp + off), count);
			if (cnt > 0)
				w->free_pcp += cnt;
		}
	}
	return 0;
}

/*
 * One step of the migratetype walk of zone w->z: lists (order, mt) one
 * after the other, each capped at walk_limit entries.
 */
static long walk_cb(__u64 i, void *arg)
{
	struct zone_walk *w = ((struct loop_ctx *)arg)->w;
	struct oomsnap_record *rec = ((struct loop_ctx *)arg)->rec;
	struct oomsnap_zone *z;
	__u32 zi, order, mt, n;
	__u64 next;

	if (!w || !rec)
		return 1;
	zi = w->z & (OOMSNAP_MAX_ZONES - 1);
	order = w->order;
	mt = w->mt;
	if (order >= OOMSNAP_MAX_ORDERS || mt >= OOMSNAP_MAX_MIGRATETYPES)
		return 1;
	z = &rec->zones[zi];
	if (!w->head) {
		/* start list (order, mt) */
		w->head = w->zptr[zi] +
			  bpf_core_field_offset(struct zone, free_area) +
			  (__u64)order * bpf_core_type_size(struct free_area) +
			  bpf_core_field_offset(struct free_area, free_list) +
			  (__u64)mt * bpf_core_type_size(struct list_head);
		w->pos = w->head;
		w->n = 0;
	}
	n = w->n;
	next = rd64(w->pos);
	if (next && next != w->head && n < walk_limit) {
		w->pos = next;
		w->n = n + 1;
		return 0;
	}
	if (next && next != w->head)
		z->mt_capped[order] |= 1U << mt;
	else if (!next)
		w->bad = 1;	/* a list we could not read */
	z->nr_free_mt[order][mt] = n;
	/* next list */
	w->head = 0;
	if (mt + 1 >= w->nr_mt) {
		w->mt = 0;
		w->order = order + 1;
		if (order + 1 >= w->nr_orders)
			return 1;
	} else {
		w->mt = mt + 1;
	}
	return 0;
}

/*
 * The free lists change while they are walked (no zone->lock from BPF):
 * keep the counts of an order only if, uncapped, they add up to the
 * free_area's nr_free read before and after the walk.
 */
static __noinline void walk_zone(struct zone_walk *w, struct oomsnap_record *rec,
			       __u32 zi)
{
	struct oomsnap_zone *z;
	struct zone *zone;
	__u32 o, m, nmt, no;
	struct loop_ctx lc;
	bool ok = true;

	if (!w || !rec || zi >= OOMSNAP_MAX_ZONES)
		return;
	z = &rec->zones[zi];
	zone = (void *)w->zptr[zi];
	no = z->nr_orders;
	nmt = nr_migratetypes();
	if (nmt > NR_MT_KERNEL)
		nmt = NR_MT_KERNEL;
	if (!walk_limit || !zone || !no)
		return;
	w->z = zi;
	w->order = 0;
	w->mt = 0;
	w->nr_orders = no;
	w->nr_mt = nmt;
	w->head = 0;
	w->bad = 0;
	lc.w = w;
	lc.rec = rec;
	bpf_loop(OOMSNAP_MAX_ORDERS * NR_MT_KERNEL * (MT_WALK_MAX + 2), walk_cb, &lc, 0);
	for (o = 0; o < OOMSNAP_MAX_ORDERS; o++) {
		__u64 sum = 0, after;

		if (o >= no)
			break;
		if (z->mt_capped[o])
			continue;
		for (m = 0; m < NR_MT_KERNEL; m++)
			sum += z->nr_free_mt[o][m];
		after = BPF_CORE_READ(zone, free_area[o].nr_free);
		if (sum != z->nr_free[o] || sum != after)
			ok = false;
	}
	if (w->bad || !ok || w->order < no) {
		/* inconsistent: no counts rather than wrong ones */
		__builtin_memset(z->nr_free_mt, 0, sizeof(z->nr_free_mt));
		__builtin_memset(z->mt_capped, 0, sizeof(z->mt_capped));
		return;
	}
	/* kernel migratetype index -> record column (CMA kept at its index) */
	if (!bpf_core_enum_value_exists(enum migratetype___x, MIGRATE_CMA___x) && nmt > 4) {
		for (o = 0; o < OOMSNAP_MAX_ORDERS; o++) {
			z->nr_free_mt[o][MT_COL_ISOLATE] = z->nr_free_mt[o][MT_COL_CMA];
			z->nr_free_mt[o][MT_COL_CMA] = 0;
			if (z->mt_capped[o] & (1U << MT_COL_CMA))
				z->mt_capped[o] = (z->mt_capped[o] & ~(1U << MT_COL_CMA)) |
						  (1U << MT_COL_ISOLATE);
		}
	}
	z->nr_migratetypes = MT_COL_NR;
	z->have |= OOMSNAP_ZONE_HAVE_MT;
}

static __noinline void capture_zones(struct oomsnap_record *rec, __u32 level)
{
	struct zone_walk *w = bpf_map_lookup_elem(&zone_walks, &level);
	struct loop_ctx lc;
	__u32 nid, zi;

	if (!w || !rec)
		return;
	__builtin_memset(w, 0, sizeof(*w));
	if (!sym[OOMSNAP_SYM_NODE_DATA] || !sym[OOMSNAP_SYM_NODE_STATES])
		return;
	/* for_each_online_node(): node_states[N_ONLINE] */
	for (nid = 0; nid < OOMSNAP_BPF_MAX_NODES; nid++) {
		__u64 mask = rd64(sym[OOMSNAP_SYM_NODE_STATES] +
				  bpf_core_enum_value(enum node_states, N_ONLINE) *
				  bpf_core_type_size(nodemask_t) + (nid / 64) * 8);

		if (mask & (1ULL << (nid % 64)))
			w->pgdat[nid] = rd64(sym[OOMSNAP_SYM_NODE_DATA] + nid * 8);
	}
	w->zones_per_node = nr_zone_types();
	w->ncpus = rd32(sym[OOMSNAP_SYM_NR_CPU_IDS]);
	lc.w = w;
	lc.rec = rec;
	bpf_loop(OOMSNAP_BPF_MAX_NODES * 8, zone_cb, &lc, 0);
	rec->walk_limit = walk_limit;
	rec->have |= OOMSNAP_HAVE_ZONES;
	for (zi = 0; zi < OOMSNAP_MAX_ZONES; zi++) {
		if (zi >= rec->nr_zones)
			break;
		walk_zone(w, rec, zi);
	}
	mem_set(rec, OOMSNAP_MEM_FREE_PCP, w->free_pcp);
	mem_set(rec, OOMSNAP_MEM_RESERVED, w->reserved);
}
