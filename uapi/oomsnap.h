/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * oomsnap record format: what /sys/kernel/debug/oomsnap/raw returns, one
 * struct oomsnap_record per captured event. docs/record.md says the same
 * at more length.
 *
 * Growth, as for struct clone_args, and nothing else:
 *  - the record is versioned by its size: oomsnap_record.size is what the
 *    writer filled, one of the OOMSNAP_RECORD_SIZE_VERn below (a newer
 *    writer may write a size this header does not name);
 *  - fields are only ever appended at the end of a struct; a reader copies
 *    min(size, sizeof(its struct)) into a zeroed struct and ignores the rest,
 *    so a field a writer did not have reads as 0;
 *  - every published size gets its own OOMSNAP_RECORD_SIZE_VERn;
 *  - fixed-width types only, 64-bit fields __aligned_u64 (the same layout
 *    for i386 and x86_64 readers), every field naturally aligned, every
 *    struct a multiple of 8 bytes, no implicit padding; __reserved fields
 *    are explicit padding, written as 0 (checked with pahole and with
 *    static_assert on sizes in lib/decode.c);
 *  - every byte the kernel hands out is written: unused entries are zero;
 *  - strings are NUL-terminated and NUL-padded;
 *  - page counts are in pages of oomsnap_record.page_size bytes;
 *  - no kernel addresses: stacks are symbolised ("func+0x1c/0x80 [mod]").
 *
 * What a section holds is said by a "have" bit (OOMSNAP_HAVE_*,
 * OOMSNAP_ZONE_HAVE_*: captured or not) and, when it is absent, why, by
 * its *_status field (enum oomsnap_status).
 *
 * What raw promises a reader: read() returns whole records only, back to
 * back, each starting with its size and magic; a buffer smaller than one
 * record gets EINVAL, so a reader passes one larger than its own struct (a
 * newer writer's records are larger). Each open starts at the oldest
 * record the ring still holds and gets every later one exactly once, in
 * seq order; a jump in seq means the records between were overwritten or
 * cleared before this reader got them. read() returns 0 once caught up;
 * poll() wakes when the next record is complete. seq starts at 1 with each
 * module load.
 *
 * The same struct is the engine's input when the state comes from a parsed
 * kernel log: the "have" bits then say what the log showed.
 */
#ifndef _UAPI_OOMSNAP_H
#define _UAPI_OOMSNAP_H

#include <linux/const.h>
#include <linux/types.h>

#define OOMSNAP_MAGIC		0x534d4f4fU	/* "OOMS" little-endian */

#define OOMSNAP_MAX_ZONES	16	/* populated zones, all nodes */
#define OOMSNAP_MAX_ORDERS	16	/* free_area[] entries (x86: 11) */
#define OOMSNAP_MAX_MIGRATETYPES 8	/* MIGRATE_TYPES (6.1/6.12: 6) */
#define OOMSNAP_MAX_ZONE_TYPES	8	/* lowmem_reserve[] entries */
#define OOMSNAP_STACK_DEPTH	16
#define OOMSNAP_SYM_LEN		64
#define OOMSNAP_COMM_LEN	16
#define OOMSNAP_ZONE_NAME_LEN	16
#define OOMSNAP_SLAB_NAME_LEN	32
#define OOMSNAP_PATH_LEN	128
#define OOMSNAP_TOP_TASKS	8
#define OOMSNAP_TOP_SLABS	8
#define OOMSNAP_MAX_MEM		64	/* slots in oomsnap_record.mem[] */

enum oomsnap_event_type {
	OOMSNAP_EVENT_NONE		= 0,
	OOMSNAP_EVENT_OOM		= 1,	/* global OOM killer */
	OOMSNAP_EVENT_MEMCG_OOM		= 2,	/* memory cgroup OOM killer */
	OOMSNAP_EVENT_ALLOC_FAILURE	= 3,	/* page allocator returned NULL */
	OOMSNAP_EVENT_MANUAL		= 4,	/* "snapshot" written to control */
};

/*
 * Kernel-independent gfp bits. Raw gfp bit positions change between kernel
 * versions; the module translates the kernel's own ___GFP_* constants into
 * these, so that a reader never needs the kernel's headers.
 */
#define OOMSNAP_GFP_DMA			_BITULL(0)
#define OOMSNAP_GFP_HIGHMEM		_BITULL(1)
#define OOMSNAP_GFP_DMA32		_BITULL(2)
#define OOMSNAP_GFP_MOVABLE		_BITULL(3)
#define OOMSNAP_GFP_RECLAIMABLE		_BITULL(4)
#define OOMSNAP_GFP_HIGH		_BITULL(5)
#define OOMSNAP_GFP_IO			_BITULL(6)
#define OOMSNAP_GFP_FS			_BITULL(7)
#define OOMSNAP_GFP_ZERO		_BITULL(8)
#define OOMSNAP_GFP_ATOMIC		_BITULL(9)	/* __GFP_ATOMIC (<= 6.2) */
#define OOMSNAP_GFP_DIRECT_RECLAIM	_BITULL(10)
#define OOMSNAP_GFP_KSWAPD_RECLAIM	_BITULL(11)
#define OOMSNAP_GFP_WRITE		_BITULL(12)
#define OOMSNAP_GFP_NOWARN		_BITULL(13)
#define OOMSNAP_GFP_RETRY_MAYFAIL	_BITULL(14)
#define OOMSNAP_GFP_NOFAIL		_BITULL(15)
#define OOMSNAP_GFP_NORETRY		_BITULL(16)
#define OOMSNAP_GFP_MEMALLOC		_BITULL(17)
#define OOMSNAP_GFP_COMP		_BITULL(18)
#define OOMSNAP_GFP_NOMEMALLOC		_BITULL(19)
#define OOMSNAP_GFP_HARDWALL		_BITULL(20)
#define OOMSNAP_GFP_THISNODE		_BITULL(21)
#define OOMSNAP_GFP_ACCOUNT		_BITULL(22)
#define OOMSNAP_GFP_ZEROTAGS		_BITULL(23)
#define OOMSNAP_GFP_SKIP_KASAN		_BITULL(24)
#define OOMSNAP_GFP_NOLOCKDEP		_BITULL(25)
#define OOMSNAP_GFP_UNKNOWN		_BITULL(63)	/* a bit we can't name */

/* Zone types as the kernel numbers them for this record's kernel. */
enum oomsnap_zone_type {
	OOMSNAP_ZONE_DMA	= 0,
	OOMSNAP_ZONE_DMA32	= 1,
	OOMSNAP_ZONE_NORMAL	= 2,
	OOMSNAP_ZONE_HIGHMEM	= 3,
	OOMSNAP_ZONE_MOVABLE	= 4,
	OOMSNAP_ZONE_DEVICE	= 5,
	OOMSNAP_ZONE_UNKNOWN	= 7,
};

enum oomsnap_constraint {	/* enum oom_constraint, kernel order */
	OOMSNAP_CONSTRAINT_NONE		= 0,
	OOMSNAP_CONSTRAINT_CPUSET	= 1,
	OOMSNAP_CONSTRAINT_MEMORY_POLICY = 2,
	OOMSNAP_CONSTRAINT_MEMCG	= 3,
	OOMSNAP_CONSTRAINT_UNKNOWN	= 0xff,
};

/* Why a section is absent: oomsnap_record.*_status. 0 means present. */
enum oomsnap_status {
	OOMSNAP_OK			= 0,
	OOMSNAP_NOT_CAPTURED		= 1,	/* not part of this event */
	OOMSNAP_NOT_EXPORTED		= 2,	/* the kernel hides it from modules */
	OOMSNAP_ATOMIC_CONTEXT		= 3,	/* needs a lock we can't take here */
	OOMSNAP_LOCK_BUSY		= 4,	/* trylock failed */
	OOMSNAP_NOT_IN_LOG		= 5,	/* parsed log did not show it */
	OOMSNAP_NOT_CONFIGURED		= 6,	/* kernel built without it */
	OOMSNAP_NOT_XEN			= 7,	/* not a Xen domain */
	OOMSNAP_NOT_LOADED		= 8,	/* the module that has it isn't loaded */
	OOMSNAP_NOT_DOM0		= 9,	/* only dom0 has it */
};

/*
 * oomsnap_record.have: which parts were captured (bit set) or not (clear;
 * the part's *_status says why). The one VER0 exception, kept because saved
 * records carry it: OOMSNAP_HAVE_AFTER_KILL says when the record was taken,
 * not whether a part is there. New facts of that kind are appended fields.
 */
#define OOMSNAP_HAVE_GFP		_BITULL(0)
#define OOMSNAP_HAVE_ORDER		_BITULL(1)
#define OOMSNAP_HAVE_NODEMASK		_BITULL(2)
#define OOMSNAP_HAVE_CONSTRAINT		_BITULL(3)
#define OOMSNAP_HAVE_MEMCG		_BITULL(4)
#define OOMSNAP_HAVE_VICTIM		_BITULL(5)
#define OOMSNAP_HAVE_STACK		_BITULL(6)
#define OOMSNAP_HAVE_ZONES		_BITULL(7)
#define OOMSNAP_HAVE_TASKS		_BITULL(8)
#define OOMSNAP_HAVE_SLABS		_BITULL(9)
#define OOMSNAP_HAVE_XEN		_BITULL(10)
#define OOMSNAP_HAVE_HIGHEST_ZONE	_BITULL(11)
#define OOMSNAP_HAVE_TASK		_BITULL(12)	/* requesting task */
#define OOMSNAP_HAVE_SLABS_AGE		_BITULL(13)
/*
 * Taken when the OOM killer marked its victim, not when out_of_memory()
 * began: the hook at its entry ran as an NMI-like int3 handler, where no
 * lock may be taken. The victim was already signalled, and the record has
 * no task list (a task lock may be held there).
 */
#define OOMSNAP_HAVE_AFTER_KILL		_BITULL(14)

/* oomsnap_zone.have */
#define OOMSNAP_ZONE_HAVE_FREE		0x0001U
#define OOMSNAP_ZONE_HAVE_WMARK		0x0002U	/* min/low/high */
#define OOMSNAP_ZONE_HAVE_BOOST		0x0004U
#define OOMSNAP_ZONE_HAVE_HIGHATOMIC	0x0008U
#define OOMSNAP_ZONE_HAVE_RESERVE	0x0010U	/* lowmem_reserve[] */
#define OOMSNAP_ZONE_HAVE_BUDDY		0x0020U	/* nr_free[] per order */
#define OOMSNAP_ZONE_HAVE_MT		0x0040U	/* nr_free_mt[][] */
#define OOMSNAP_ZONE_HAVE_MANAGED	0x0080U
#define OOMSNAP_ZONE_HAVE_PRESENT	0x0100U
#define OOMSNAP_ZONE_HAVE_VMSTAT	0x0200U
#define OOMSNAP_ZONE_HAVE_CMA		0x0400U
#define OOMSNAP_ZONE_HAVE_SLAB		0x0800U	/* per-zone slab (old logs) */
#define OOMSNAP_ZONE_HAVE_FREE_HIGHATOMIC 0x1000U /* vmstat[..FREE_HIGHATOMIC] */

/* oomsnap_zone.flags */
#define OOMSNAP_ZONE_ALL_UNRECLAIMABLE	0x0001U

enum oomsnap_zone_vmstat {	/* oomsnap_zone.vmstat[] */
	OOMSNAP_ZV_INACTIVE_ANON,
	OOMSNAP_ZV_ACTIVE_ANON,
	OOMSNAP_ZV_INACTIVE_FILE,
	OOMSNAP_ZV_ACTIVE_FILE,
	OOMSNAP_ZV_UNEVICTABLE,
	OOMSNAP_ZV_WRITE_PENDING,
	OOMSNAP_ZV_MLOCK,
	OOMSNAP_ZV_BOUNCE,
	OOMSNAP_ZV_FREE_CMA,
	OOMSNAP_ZV_SLAB_RECLAIMABLE,	/* per-zone only in old logs */
	OOMSNAP_ZV_SLAB_UNRECLAIMABLE,	/* per-zone only in old logs */
	OOMSNAP_ZV_KERNEL_STACK,	/* per-zone only in old logs */
	OOMSNAP_ZV_PAGETABLES,		/* per-zone only in old logs */
	OOMSNAP_ZV_SHMEM,		/* per-zone only in old logs */
	/*
	 * Free pages on the HighAtomic lists (zone->nr_free_highatomic):
	 * kernels that keep this count subtract it, not the reserve, in
	 * the watermark check of requests without access to reserves.
	 */
	OOMSNAP_ZV_FREE_HIGHATOMIC,
	OOMSNAP_ZV_NR,
};

#define OOMSNAP_ZONE_VMSTAT_SLOTS	16

struct oomsnap_zone {
	__u32 node;
	__u32 zone_type;		/* enum oomsnap_zone_type */
	char  name[OOMSNAP_ZONE_NAME_LEN];
	__u32 have;			/* OOMSNAP_ZONE_HAVE_* */
	__u32 flags;			/* OOMSNAP_ZONE_* */
	__u32 nr_orders;		/* valid entries of nr_free[] */
	__u32 nr_migratetypes;		/* valid columns of nr_free_mt[][] */
	__aligned_u64 free;		/* NR_FREE_PAGES */
	__aligned_u64 wmark_min;
	__aligned_u64 wmark_low;	/* without boost */
	__aligned_u64 wmark_high;
	__aligned_u64 wmark_boost;
	__aligned_u64 reserved_highatomic;
	__aligned_u64 managed;
	__aligned_u64 present;
	__aligned_u64 spanned;
	__aligned_u64 lowmem_reserve[OOMSNAP_MAX_ZONE_TYPES];
	__aligned_u64 nr_free[OOMSNAP_MAX_ORDERS];	/* free blocks of each order */
	/* free blocks per order per migratetype, from a bounded list walk */
	__u32 nr_free_mt[OOMSNAP_MAX_ORDERS][OOMSNAP_MAX_MIGRATETYPES];
	/* bit mt of mt_capped[order]: that count stopped at the walk limit */
	__u8  mt_capped[OOMSNAP_MAX_ORDERS];
	__aligned_u64 vmstat[OOMSNAP_ZONE_VMSTAT_SLOTS];	/* enum oomsnap_zone_vmstat */
};

enum oomsnap_mem {	/* oomsnap_record.mem[]: global counters, pages */
	OOMSNAP_MEM_TOTALRAM,
	OOMSNAP_MEM_FREE,
	OOMSNAP_MEM_ACTIVE_ANON,
	OOMSNAP_MEM_INACTIVE_ANON,
	OOMSNAP_MEM_ACTIVE_FILE,
	OOMSNAP_MEM_INACTIVE_FILE,
	OOMSNAP_MEM_UNEVICTABLE,
	OOMSNAP_MEM_MLOCKED,
	OOMSNAP_MEM_SHMEM,
	OOMSNAP_MEM_DIRTY,
	OOMSNAP_MEM_WRITEBACK,
	OOMSNAP_MEM_MAPPED,
	OOMSNAP_MEM_SLAB_RECLAIMABLE,
	OOMSNAP_MEM_SLAB_UNRECLAIMABLE,
	OOMSNAP_MEM_KERNEL_STACK,
	OOMSNAP_MEM_PAGETABLES,
	OOMSNAP_MEM_PERCPU,
	OOMSNAP_MEM_VMALLOC,
	OOMSNAP_MEM_HUGETLB_TOTAL,	/* all huge pages, in base pages */
	OOMSNAP_MEM_HUGETLB_FREE,
	OOMSNAP_MEM_SWAP_TOTAL,
	OOMSNAP_MEM_SWAP_FREE,
	OOMSNAP_MEM_SWAP_CACHED,
	OOMSNAP_MEM_COMMITTED,
	OOMSNAP_MEM_COMMIT_LIMIT,
	OOMSNAP_MEM_BOUNCE,
	OOMSNAP_MEM_FREE_CMA,
	OOMSNAP_MEM_FREE_PCP,
	OOMSNAP_MEM_RESERVED,		/* RAM the kernel never managed */
	OOMSNAP_MEM_ISOLATED,
	OOMSNAP_MEM_SECONDARY_PAGETABLES,
	OOMSNAP_MEM_ANON_THP,
	OOMSNAP_MEM_UNACCOUNTED,	/* managed minus every counter above */
	OOMSNAP_MEM_NR,
};

enum oomsnap_task_flags {
	OOMSNAP_TASK_OOM_UNKILLABLE = 1,	/* oom_score_adj == -1000 */
	OOMSNAP_TASK_KTHREAD	    = 2,
};

struct oomsnap_task {
	__s32 pid;
	__s32 tgid;
	__u32 uid;
	__s32 oom_score_adj;
	char  comm[OOMSNAP_COMM_LEN];
	__aligned_u64 total_vm;		/* pages */
	__aligned_u64 rss_anon;
	__aligned_u64 rss_file;
	__aligned_u64 rss_shmem;
	__aligned_u64 swapents;
	__aligned_u64 pgtables_bytes;
	__u32 flags;			/* enum oomsnap_task_flags */
	__u32 __reserved;
};

struct oomsnap_slab {
	char  name[OOMSNAP_SLAB_NAME_LEN];
	__aligned_u64 bytes;		/* slabs * slab size */
	__aligned_u64 active_objs;
	__aligned_u64 num_objs;
	__u32 object_size;
	__u32 reclaimable;		/* SLAB_RECLAIM_ACCOUNT */
};

enum oomsnap_xen_domain {
	OOMSNAP_XEN_NONE	= 0,
	OOMSNAP_XEN_PV_DOM0	= 1,
	OOMSNAP_XEN_PV_DOMU	= 2,
	OOMSNAP_XEN_PVH_DOM0	= 3,
	OOMSNAP_XEN_PVH_DOMU	= 4,
	OOMSNAP_XEN_HVM_DOMU	= 5,
	/* from a log, which may show the mode but not the role, or the reverse */
	OOMSNAP_XEN_PV		= 6,
	OOMSNAP_XEN_PVH		= 7,
	OOMSNAP_XEN_DOM0	= 8,
};

struct oomsnap_xen {
	__u32 domain;			/* enum oomsnap_xen_domain */
	__u32 balloon_status;		/* enum oomsnap_status */
	__aligned_u64 balloon_current;	/* pages */
	__aligned_u64 balloon_target;
	__aligned_u64 balloon_low;
	__aligned_u64 balloon_high;
	__u32 blkback_status;		/* enum oomsnap_status */
	__u32 blkback_vbds;
	__u32 blkback_rings;
	__u32 blkback_max_ring_order;
	__aligned_u64 blkback_max_buffer_pages;
	__aligned_u64 blkback_max_persistent_grants;
	__aligned_u64 blkback_pages_worst;	/* upper bound the pools may hold */
	__aligned_u64 blkback_pages_held;	/* observed, when observable */
	__aligned_u64 grant_mapped_pages;
	__u32 blkback_held_status;	/* enum oomsnap_status of _pages_held */
	__u32 grant_status;		/* enum oomsnap_status of grant_mapped_ */
	__aligned_u64 __reserved[3];
};

struct oomsnap_record {
	/* header: identical in every version */
	__u32 size;			/* bytes the writer filled: the version */
	__u32 magic;			/* OOMSNAP_MAGIC */
	__aligned_u64 seq;		/* 1, 2, ... per module load */
	__u32 type;			/* enum oomsnap_event_type */
	__u32 cpu;
	__aligned_u64 time_ns;		/* local_clock(): dmesg's timestamp */
	__aligned_u64 realtime_ns;	/* CLOCK_REALTIME */
	__aligned_u64 have;		/* OOMSNAP_HAVE_* */
	__u32 page_size;
	__u32 kernel_era;		/* (major << 16) | (minor << 8) */

	/* the request */
	__aligned_u64 gfp;		/* OOMSNAP_GFP_* */
	__aligned_u64 gfp_raw;		/* the kernel's own gfp_t value */
	__s32 order;			/* -1 when the OOM had no order */
	__u32 highest_zone;		/* gfp_zone(): enum oomsnap_zone_type */
	__aligned_u64 nodemask;		/* first 64 nodes; 0 = all */
	__u32 constraint;		/* enum oomsnap_constraint */
	__u32 in_irq;			/* captured in hard/soft IRQ context */
	struct oomsnap_task task;	/* the requesting task */
	__u32 stack_depth;
	__u32 stack_status;		/* enum oomsnap_status */
	char  stack[OOMSNAP_STACK_DEPTH][OOMSNAP_SYM_LEN];

	/* memory cgroup of the OOM (memcg OOM) or of the task */
	char  memcg_path[OOMSNAP_PATH_LEN];
	__aligned_u64 memcg_usage;	/* pages */
	__aligned_u64 memcg_limit;	/* pages; ~0 = max */
	__aligned_u64 memcg_swap_usage;
	__aligned_u64 memcg_swap_limit;

	struct oomsnap_task victim;
	__aligned_u64 victim_seq;	/* 0 unless joined from oom:mark_victim */

	/* allocator state */
	__u32 nr_zones;
	__u32 zones_omitted;		/* populated zones beyond MAX_ZONES */
	__u32 walk_limit;		/* per-list cap of the migratetype walk */
	__u32 nr_mem;			/* valid slots of mem[] */
	__aligned_u64 mem_have;		/* bit i: mem[i] holds data */
	__aligned_u64 mem[OOMSNAP_MAX_MEM];	/* enum oomsnap_mem */
	struct oomsnap_zone zones[OOMSNAP_MAX_ZONES];

	__u32 nr_tasks;
	__u32 tasks_status;		/* enum oomsnap_status */
	__u32 tasks_scanned;
	__u32 tasks_capped;		/* scan stopped at its limit */
	struct oomsnap_task tasks[OOMSNAP_TOP_TASKS];	/* by RSS, largest first */

	__u32 nr_slabs;
	__u32 slabs_status;		/* enum oomsnap_status */
	struct oomsnap_slab slabs[OOMSNAP_TOP_SLABS];	/* by bytes, largest first */

	__u32 xen_status;		/* enum oomsnap_status */
	__u32 __reserved0;
	struct oomsnap_xen xen;

	/*
	 * OOMSNAP_HAVE_SLABS_AGE: how old slabs[] was, in ms rounded up;
	 * 0 = walked at capture.
	 * Added inside VER0, in what was __reserved1: the size did not change,
	 * and a writer before it left 0 here and the bit clear, which is what
	 * the reserved field promised and what "walked at capture" reads as.
	 */
	__u32 slabs_age_ms;
	__u32 __reserved1;
	__aligned_u64 __reserved[7];
	/* VER0 ends here; a VER1 appends below and defines its size */
};

/* Published sizes of struct oomsnap_record, one per version. */
#define OOMSNAP_RECORD_SIZE_VER0	18808	/* first published size */

#endif /* _UAPI_OOMSNAP_H */
