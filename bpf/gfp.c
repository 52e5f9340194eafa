// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's gfp_t, for the BPF recorder's loader: which bit is which on
 * the running kernel, the bits the BPF program tests, and the translation
 * of a raw gfp_t into the record's OOMSNAP_GFP_* bits.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"

struct gfp_bit {
	const char *name;	/* ___GFP_<name>_BIT in the kernel's BTF */
	unsigned long long old;	/* its value in the 6.0-6.2 layout; 0: none */
	unsigned long long oomsnap;
	unsigned long long kernel;	/* this kernel's bit, 0: not there */
};

static struct gfp_bit gfp_bits[] = {
	{ "DMA",		0x01,		OOMSNAP_GFP_DMA },
	{ "HIGHMEM",		0x02,		OOMSNAP_GFP_HIGHMEM },
	{ "DMA32",		0x04,		OOMSNAP_GFP_DMA32 },
	{ "MOVABLE",		0x08,		OOMSNAP_GFP_MOVABLE },
	{ "RECLAIMABLE",	0x10,		OOMSNAP_GFP_RECLAIMABLE },
	{ "HIGH",		0x20,		OOMSNAP_GFP_HIGH },
	{ "IO",			0x40,		OOMSNAP_GFP_IO },
	{ "FS",			0x80,		OOMSNAP_GFP_FS },
	{ "ZERO",		0x100,		OOMSNAP_GFP_ZERO },
	{ "ATOMIC",		0x200,		OOMSNAP_GFP_ATOMIC },
	{ "DIRECT_RECLAIM",	0x400,		OOMSNAP_GFP_DIRECT_RECLAIM },
	{ "KSWAPD_RECLAIM",	0x800,		OOMSNAP_GFP_KSWAPD_RECLAIM },
	{ "WRITE",		0x1000,		OOMSNAP_GFP_WRITE },
	{ "NOWARN",		0x2000,		OOMSNAP_GFP_NOWARN },
	{ "RETRY_MAYFAIL",	0x4000,		OOMSNAP_GFP_RETRY_MAYFAIL },
	{ "NOFAIL",		0x8000,		OOMSNAP_GFP_NOFAIL },
	{ "NORETRY",		0x10000,	OOMSNAP_GFP_NORETRY },
	{ "MEMALLOC",		0x20000,	OOMSNAP_GFP_MEMALLOC },
	{ "COMP",		0x40000,	OOMSNAP_GFP_COMP },
	{ "NOMEMALLOC",		0x80000,	OOMSNAP_GFP_NOMEMALLOC },
	{ "HARDWALL",		0x100000,	OOMSNAP_GFP_HARDWALL },
	{ "THISNODE",		0x200000,	OOMSNAP_GFP_THISNODE },
	{ "ACCOUNT",		0x400000,	OOMSNAP_GFP_ACCOUNT },
	{ "ZEROTAGS",		0x800000,	OOMSNAP_GFP_ZEROTAGS },
	/* 6.0-6.2: only with KASAN_HW_TAGS (arm64), never on x86 */
	{ "SKIP_KASAN",		0,		OOMSNAP_GFP_SKIP_KASAN },
	/* 6.0-6.2: only with LOCKDEP, which Debian's kernels are built without */
	{ "NOLOCKDEP",		0,		OOMSNAP_GFP_NOLOCKDEP },
};

#define NR_GFP_BITS (sizeof(gfp_bits) / sizeof(gfp_bits[0]))

static bool gfp_known;

/* This kernel's bit for ___GFP_<name>_BIT; 0: none, or not known. */
unsigned long long gfp_of(const char *name)
{
	size_t i;

	for (i = 0; i < NR_GFP_BITS; i++)
		if (!strcmp(gfp_bits[i].name, name))
			return gfp_bits[i].kernel;
	return 0;
}

/*
 * Since 6.9 the kernel numbers its gfp bits in an enum (___GFP_*_BIT),
 * which its BTF carries; before, #defines that BTF does not see. For those
 * kernels, the 6.0-6.2 layout (the one with ___GFP_ATOMIC at 0x200, which
 * 6.3 removed) is used for 6.0-6.2 only; other kernels get no translation.
 * True when the bits are known.
 */
bool gfp_setup(const struct btf *btf, int major, int minor)
{
	char want[64];
	size_t i;
	int n = btf__type_cnt(btf), id, found = 0;

	for (id = 1; id < n && !found; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e;
		int k;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (k = 0; k < btf_vlen(t); k++) {
			if (strcmp(btf__name_by_offset(btf, e[k].name_off), "___GFP_DMA_BIT"))
				continue;
			for (k = 0; k < btf_vlen(t); k++) {
				const char *nm = btf__name_by_offset(btf, e[k].name_off);

				for (i = 0; i < NR_GFP_BITS; i++) {
					snprintf(want, sizeof(want), "___GFP_%s_BIT", gfp_bits[i].name);
					if (!strcmp(nm, want) && e[k].val < 64)
						gfp_bits[i].kernel = 1ULL << e[k].val;
				}
			}
			found = 1;
			break;
		}
	}
	if (found) {
		gfp_known = true;
		return true;
	}
	if (major == 6 && minor <= 2) {
		for (i = 0; i < NR_GFP_BITS; i++)
			gfp_bits[i].kernel = gfp_bits[i].old;
		gfp_known = true;
	}
	return gfp_known;
}

bool gfp_bits_known(void)
{
	return gfp_known;
}

/* The record's bits for @raw; false (and nothing) when this kernel's bits are not known. */
bool gfp_translate(unsigned long long raw, unsigned long long *gfp)
{
	unsigned long long out = 0, rest = raw;
	size_t i;

	if (!gfp_known)
		return false;
	for (i = 0; i < NR_GFP_BITS; i++) {
		if (gfp_bits[i].kernel && (rest & gfp_bits[i].kernel)) {
			out |= gfp_bits[i].oomsnap;
			rest &= ~gfp_bits[i].kernel;
		}
	}
	if (rest)
		out |= OOMSNAP_GFP_UNKNOWN;
	*gfp = out;
	return true;
}

/* gfp_zone() of x86-64 (no ZONE_HIGHMEM): GFP_ZONE_TABLE's answer. */
unsigned int gfp_highest_zone(unsigned long long g)
{
	if (g & OOMSNAP_GFP_DMA)
		return OOMSNAP_ZONE_DMA;
	if (g & OOMSNAP_GFP_DMA32)
		return OOMSNAP_ZONE_DMA32;
	if ((g & OOMSNAP_GFP_MOVABLE) && (g & OOMSNAP_GFP_HIGHMEM))
		return OOMSNAP_ZONE_MOVABLE;
	return OOMSNAP_ZONE_NORMAL;
}
