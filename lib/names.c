// SPDX-License-Identifier: GPL-2.0
/*
 * Name tables: cause ids, event types, zone types, gfp flags and classes.
 * The JSON "cause" field and the text renderer both read these, so a name
 * here is part of the interface (docs/causes.md lists the cause ids).
 */
#include "base.h"
#include "diagnose.h"
#include "names.h"

static const char * const cause_names[] = {
	[OOMSNAP_CAUSE_UNKNOWN]			= "unknown",
	[OOMSNAP_CAUSE_FRAGMENTATION]		= "fragmentation",
	[OOMSNAP_CAUSE_LOWMEM]			= "lowmem",
	[OOMSNAP_CAUSE_MEMCG_LIMIT]		= "memcg_limit",
	[OOMSNAP_CAUSE_CONSTRAINED]		= "constrained",
	[OOMSNAP_CAUSE_NO_RECLAIM]		= "no_reclaim",
	[OOMSNAP_CAUSE_CMA]			= "cma",
	[OOMSNAP_CAUSE_SLAB_UNRECLAIMABLE]	= "slab_unreclaimable",
	[OOMSNAP_CAUSE_KERNEL_UNACCOUNTED]	= "kernel_unaccounted",
	[OOMSNAP_CAUSE_MLOCKED]			= "mlocked",
	[OOMSNAP_CAUSE_SHMEM]			= "shmem",
	[OOMSNAP_CAUSE_HUGETLB]			= "hugetlb",
	[OOMSNAP_CAUSE_EXHAUSTED]		= "exhausted",
	[OOMSNAP_FACTOR_NO_SWAP]		= "no_swap",
	[OOMSNAP_FACTOR_SWAP_FULL]		= "swap_full",
	[OOMSNAP_FACTOR_OVERCOMMIT]		= "overcommit",
};

static_assert(ARRAY_SIZE(cause_names) == OOMSNAP_CAUSE_NR,
	      "one name per cause id");

const char *oomsnap_cause_name(unsigned int cause)
{
	if (cause >= ARRAY_SIZE(cause_names) || !cause_names[cause])
		return "unknown";
	return cause_names[cause];
}

const char *oomsnap_event_type_name(unsigned int type)
{
	switch (type) {
	case OOMSNAP_EVENT_OOM:			return "oom";
	case OOMSNAP_EVENT_MEMCG_OOM:		return "memcg_oom";
	case OOMSNAP_EVENT_ALLOC_FAILURE:	return "alloc_failure";
	case OOMSNAP_EVENT_MANUAL:		return "manual";
	default:				return "unknown";
	}
}

const char *oomsnap_zone_type_name(unsigned int type)
{
	switch (type) {
	case OOMSNAP_ZONE_DMA:		return "DMA";
	case OOMSNAP_ZONE_DMA32:	return "DMA32";
	case OOMSNAP_ZONE_NORMAL:	return "Normal";
	case OOMSNAP_ZONE_HIGHMEM:	return "HighMem";
	case OOMSNAP_ZONE_MOVABLE:	return "Movable";
	case OOMSNAP_ZONE_DEVICE:	return "Device";
	default:			return "?";
	}
}

const char *oomsnap_constraint_name(unsigned int constraint)
{
	switch (constraint) {
	case OOMSNAP_CONSTRAINT_NONE:		return "none";
	case OOMSNAP_CONSTRAINT_CPUSET:		return "cpuset";
	case OOMSNAP_CONSTRAINT_MEMORY_POLICY:	return "mempolicy";
	case OOMSNAP_CONSTRAINT_MEMCG:		return "memcg";
	default:				return "unknown";
	}
}

const char *oomsnap_xen_domain_name(unsigned int domain)
{
	switch (domain) {
	case OOMSNAP_XEN_NONE:		return "not a Xen domain";
	case OOMSNAP_XEN_PV_DOM0:	return "dom0 PV";
	case OOMSNAP_XEN_PV_DOMU:	return "domU PV";
	case OOMSNAP_XEN_PVH_DOM0:	return "dom0 PVH";
	case OOMSNAP_XEN_PVH_DOMU:	return "domU PVH";
	case OOMSNAP_XEN_HVM_DOMU:	return "domU HVM";
	case OOMSNAP_XEN_PV:		return "PV (dom0 or domU: not in the log)";
	case OOMSNAP_XEN_PVH:		return "PVH (dom0 or domU: not in the log)";
	case OOMSNAP_XEN_DOM0:		return "dom0 (PV or PVH: not in the log)";
	default:			return "unknown";
	}
}

/* enum oomsnap_status: the JSON token and the text's sentence */
static const struct {
	const char *token;
	const char *sentence;
} statuses[] = {
	[OOMSNAP_OK]		 = { "ok", "present" },
	[OOMSNAP_NOT_CAPTURED]	 = { "not_captured", "not captured for this event" },
	[OOMSNAP_NOT_EXPORTED]	 = { "not_exported", "the kernel hides it from modules" },
	[OOMSNAP_ATOMIC_CONTEXT] = { "atomic_context",
				     "needs a lock the capture context can't take" },
	[OOMSNAP_LOCK_BUSY]	 = { "lock_busy", "lock busy at capture (trylock failed)" },
	[OOMSNAP_NOT_IN_LOG]	 = { "not_in_log", "not shown in the log" },
	[OOMSNAP_NOT_CONFIGURED] = { "not_configured", "kernel built without it" },
	[OOMSNAP_NOT_XEN]	 = { "not_xen", "not a Xen domain" },
	[OOMSNAP_NOT_LOADED]	 = { "not_loaded", "its kernel module is not loaded" },
	[OOMSNAP_NOT_DOM0]	 = { "not_dom0", "only in dom0" },
};

static_assert(ARRAY_SIZE(statuses) == OOMSNAP_NOT_DOM0 + 1,
	      "a token and a sentence per status, the last one included");

const char *oomsnap_status_name(unsigned int status)
{
	return status < ARRAY_SIZE(statuses) && statuses[status].sentence ?
	       statuses[status].sentence : "unknown status";
}

const char *oomsnap_status_token(unsigned int status)
{
	return status < ARRAY_SIZE(statuses) && statuses[status].token ?
	       statuses[status].token : "unknown";
}

/* ---------------------------------------------------------------------- */
/* gfp */

#define G(x)	OOMSNAP_GFP_##x
#define RECLAIM	(G(DIRECT_RECLAIM) | G(KSWAPD_RECLAIM))
#define KERNEL	(RECLAIM | G(IO) | G(FS))
#define USER	(KERNEL | G(HARDWALL))
#define HIGHUSER_MOVABLE (USER | G(HIGHMEM) | G(MOVABLE))
#define TRANSHUGE_LIGHT ((HIGHUSER_MOVABLE | G(COMP) | G(NOMEMALLOC) | \
			  G(NOWARN)) & ~RECLAIM)

struct gfp_name {
	__u64 mask;
	const char *name;
};

/* Composite names, largest first, as the kernel's %pGg prints them. */
static const struct gfp_name gfp_composites[] = {
	{ TRANSHUGE_LIGHT | G(DIRECT_RECLAIM),	"GFP_TRANSHUGE" },
	{ TRANSHUGE_LIGHT,			"GFP_TRANSHUGE_LIGHT" },
	{ HIGHUSER_MOVABLE,			"GFP_HIGHUSER_MOVABLE" },
	{ USER | G(HIGHMEM),			"GFP_HIGHUSER" },
	{ USER,					"GFP_USER" },
	{ KERNEL | G(ACCOUNT),			"GFP_KERNEL_ACCOUNT" },
	{ KERNEL,				"GFP_KERNEL" },
	{ RECLAIM | G(IO),			"GFP_NOFS" },
	{ G(HIGH) | G(ATOMIC) | G(KSWAPD_RECLAIM), "GFP_ATOMIC" },
	{ G(HIGH) | G(KSWAPD_RECLAIM),		"GFP_ATOMIC" },
	{ RECLAIM,				"GFP_NOIO" },
	{ G(KSWAPD_RECLAIM),			"GFP_NOWAIT" },
	{ G(DMA32),				"GFP_DMA32" },
	{ G(DMA),				"GFP_DMA" },
};

static const struct gfp_name gfp_bits[] = {
	{ G(DMA),		"__GFP_DMA" },
	{ G(HIGHMEM),		"__GFP_HIGHMEM" },
	{ G(DMA32),		"__GFP_DMA32" },
	{ G(MOVABLE),		"__GFP_MOVABLE" },
	{ G(RECLAIMABLE),	"__GFP_RECLAIMABLE" },
	{ G(HIGH),		"__GFP_HIGH" },
	{ G(IO),		"__GFP_IO" },
	{ G(FS),		"__GFP_FS" },
	{ G(ZERO),		"__GFP_ZERO" },
	{ G(ATOMIC),		"__GFP_ATOMIC" },
	{ G(DIRECT_RECLAIM),	"__GFP_DIRECT_RECLAIM" },
	{ G(KSWAPD_RECLAIM),	"__GFP_KSWAPD_RECLAIM" },
	{ G(WRITE),		"__GFP_WRITE" },
	{ G(NOWARN),		"__GFP_NOWARN" },
	{ G(RETRY_MAYFAIL),	"__GFP_RETRY_MAYFAIL" },
	{ G(NOFAIL),		"__GFP_NOFAIL" },
	{ G(NORETRY),		"__GFP_NORETRY" },
	{ G(MEMALLOC),		"__GFP_MEMALLOC" },
	{ G(COMP),		"__GFP_COMP" },
	{ G(NOMEMALLOC),	"__GFP_NOMEMALLOC" },
	{ G(HARDWALL),		"__GFP_HARDWALL" },
	{ G(THISNODE),		"__GFP_THISNODE" },
	{ G(ACCOUNT),		"__GFP_ACCOUNT" },
	{ G(ZEROTAGS),		"__GFP_ZEROTAGS" },
	{ G(SKIP_KASAN),	"__GFP_SKIP_KASAN" },
	{ G(NOLOCKDEP),		"__GFP_NOLOCKDEP" },
	{ G(UNKNOWN),		"__GFP_UNKNOWN" },
	/* older kernels' names for the same meaning (parse only) */
	{ RECLAIM,		"__GFP_WAIT" },
	{ RECLAIM,		"__GFP_RECLAIM" },
	{ G(RETRY_MAYFAIL),	"__GFP_REPEAT" },
	{ G(SKIP_KASAN),	"__GFP_SKIP_KASAN_POISON" },
	{ G(SKIP_KASAN),	"__GFP_SKIP_KASAN_UNPOISON" },
};

unsigned int oomsnap_gfp_zone(__u64 gfp)
{
	if (gfp & G(DMA))
		return OOMSNAP_ZONE_DMA;
	if (gfp & G(DMA32))
		return OOMSNAP_ZONE_DMA32;
	if ((gfp & G(HIGHMEM)) && (gfp & G(MOVABLE)))
		return OOMSNAP_ZONE_MOVABLE;
	if (gfp & G(HIGHMEM))
		return OOMSNAP_ZONE_HIGHMEM;
	return OOMSNAP_ZONE_NORMAL;	/* also __GFP_MOVABLE alone */
}

unsigned int oomsnap_gfp_class(__u64 gfp)
{
	if (!(gfp & G(DIRECT_RECLAIM)))
		return (gfp & (G(HIGH) | G(ATOMIC))) ? OOMSNAP_GFP_CLASS_ATOMIC :
						       OOMSNAP_GFP_CLASS_NOWAIT;
	if (!(gfp & G(IO)))
		return OOMSNAP_GFP_CLASS_NOIO;
	if (!(gfp & G(FS)))
		return OOMSNAP_GFP_CLASS_NOFS;
	return OOMSNAP_GFP_CLASS_RECLAIM;
}

const char *oomsnap_gfp_class_name(unsigned int gfp_class)
{
	switch (gfp_class) {
	case OOMSNAP_GFP_CLASS_RECLAIM:	return "can-reclaim";
	case OOMSNAP_GFP_CLASS_ATOMIC:	return "atomic";
	case OOMSNAP_GFP_CLASS_NOWAIT:	return "nowait";
	case OOMSNAP_GFP_CLASS_NOIO:	return "noio";
	case OOMSNAP_GFP_CLASS_NOFS:	return "nofs";
	default:			return "?";
	}
}

static int append(char *buf, size_t len, int pos, const char *name)
{
	int n;

	if (pos < 0 || (size_t)pos >= len)
		return pos;
	n = snprintf(buf + pos, len - pos, "%s%s", pos ? "|" : "", name);
	return n < 0 ? pos : pos + n;
}

int oomsnap_gfp_format(__u64 gfp, char *buf, size_t len)
{
	__u64 rest = gfp;
	int pos = 0;
	size_t i;

	if (!len)
		return 0;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(gfp_composites); i++) {
		if ((rest & gfp_composites[i].mask) == gfp_composites[i].mask) {
			pos = append(buf, len, pos, gfp_composites[i].name);
			rest &= ~gfp_composites[i].mask;
			break;	/* one composite, like %pGg */
		}
	}
	for (i = 0; i < ARRAY_SIZE(gfp_bits) && rest; i++) {
		if (rest & gfp_bits[i].mask) {
			pos = append(buf, len, pos, gfp_bits[i].name);
			rest &= ~gfp_bits[i].mask;
		}
	}
	if (!pos)
		pos = append(buf, len, pos, "0");
	if ((size_t)pos >= len)
		pos = (int)len - 1;
	return pos;
}

static bool name_is(const char *name, size_t len, const char *ref)
{
	return strlen(ref) == len && !memcmp(name, ref, len);
}

__u64 oomsnap_gfp_from_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gfp_composites); i++)
		if (name_is(name, len, gfp_composites[i].name))
			return gfp_composites[i].mask;
	for (i = 0; i < ARRAY_SIZE(gfp_bits); i++)
		if (name_is(name, len, gfp_bits[i].name))
			return gfp_bits[i].mask;
	if (name_is(name, len, "GFP_TEMPORARY"))	/* 2.6.24 .. 4.13 */
		return KERNEL | G(RECLAIMABLE);
	return 0;
}

static const char * const mem_names[] = {
	[OOMSNAP_MEM_TOTALRAM]		= "totalram",
	[OOMSNAP_MEM_FREE]		= "free",
	[OOMSNAP_MEM_ACTIVE_ANON]	= "active_anon",
	[OOMSNAP_MEM_INACTIVE_ANON]	= "inactive_anon",
	[OOMSNAP_MEM_ACTIVE_FILE]	= "active_file",
	[OOMSNAP_MEM_INACTIVE_FILE]	= "inactive_file",
	[OOMSNAP_MEM_UNEVICTABLE]	= "unevictable",
	[OOMSNAP_MEM_MLOCKED]		= "mlocked",
	[OOMSNAP_MEM_SHMEM]		= "shmem",
	[OOMSNAP_MEM_DIRTY]		= "dirty",
	[OOMSNAP_MEM_WRITEBACK]		= "writeback",
	[OOMSNAP_MEM_MAPPED]		= "mapped",
	[OOMSNAP_MEM_SLAB_RECLAIMABLE]	= "slab_reclaimable",
	[OOMSNAP_MEM_SLAB_UNRECLAIMABLE] = "slab_unreclaimable",
	[OOMSNAP_MEM_KERNEL_STACK]	= "kernel_stack",
	[OOMSNAP_MEM_PAGETABLES]	= "pagetables",
	[OOMSNAP_MEM_PERCPU]		= "percpu",
	[OOMSNAP_MEM_VMALLOC]		= "vmalloc",
	[OOMSNAP_MEM_HUGETLB_TOTAL]	= "hugetlb_total",
	[OOMSNAP_MEM_HUGETLB_FREE]	= "hugetlb_free",
	[OOMSNAP_MEM_SWAP_TOTAL]	= "swap_total",
	[OOMSNAP_MEM_SWAP_FREE]		= "swap_free",
	[OOMSNAP_MEM_SWAP_CACHED]	= "swap_cached",
	[OOMSNAP_MEM_COMMITTED]		= "committed",
	[OOMSNAP_MEM_COMMIT_LIMIT]	= "commit_limit",
	[OOMSNAP_MEM_BOUNCE]		= "bounce",
	[OOMSNAP_MEM_FREE_CMA]		= "free_cma",
	[OOMSNAP_MEM_FREE_PCP]		= "free_pcp",
	[OOMSNAP_MEM_RESERVED]		= "reserved",
	[OOMSNAP_MEM_ISOLATED]		= "isolated",
	[OOMSNAP_MEM_SECONDARY_PAGETABLES] = "sec_pagetables",
	[OOMSNAP_MEM_ANON_THP]		= "anon_thp",
	[OOMSNAP_MEM_UNACCOUNTED]	= "unaccounted",
};

static_assert(ARRAY_SIZE(mem_names) == OOMSNAP_MEM_NR,
	      "a name for every oomsnap_mem slot");

const char *oomsnap_mem_name(unsigned int idx)
{
	return idx < ARRAY_SIZE(mem_names) ? mem_names[idx] : NULL;
}
