// SPDX-License-Identifier: GPL-2.0
/*
 * gfp decoding (lib/names.c): gfp_zone(), the request class, the names.
 *
 * Part of unit.c, which includes it: one program, built from unit.c alone.
 */

static void test_gfp(void)
{
	unsigned int era = 0;
	char buf[256];

	result("gfp_zone",
	       check(oomsnap_gfp_zone(GFP_KERNEL) == OOMSNAP_ZONE_NORMAL, "kernel") &&
	       check(oomsnap_gfp_zone(GFP_HIGHUSER_MOVABLE) == OOMSNAP_ZONE_MOVABLE, "movable") &&
	       check(oomsnap_gfp_zone(GFP_KERNEL | OOMSNAP_GFP_HIGHMEM) == OOMSNAP_ZONE_HIGHMEM, "highmem") &&
	       check(oomsnap_gfp_zone(GFP_KERNEL | OOMSNAP_GFP_DMA) == OOMSNAP_ZONE_DMA, "dma") &&
	       check(oomsnap_gfp_zone(GFP_KERNEL | OOMSNAP_GFP_DMA32) == OOMSNAP_ZONE_DMA32, "dma32") &&
	       check(oomsnap_gfp_zone(GFP_KERNEL | OOMSNAP_GFP_MOVABLE) == OOMSNAP_ZONE_NORMAL,
		     "__GFP_MOVABLE alone stays in Normal"));
	result("gfp_class",
	       check(oomsnap_gfp_class(GFP_KERNEL) == OOMSNAP_GFP_CLASS_RECLAIM, "kernel") &&
	       check(oomsnap_gfp_class(GFP_ATOMIC) == OOMSNAP_GFP_CLASS_ATOMIC, "atomic") &&
	       check(oomsnap_gfp_class(OOMSNAP_GFP_KSWAPD_RECLAIM) == OOMSNAP_GFP_CLASS_NOWAIT, "nowait") &&
	       check(oomsnap_gfp_class(GFP_KERNEL & ~OOMSNAP_GFP_FS) == OOMSNAP_GFP_CLASS_NOFS, "nofs") &&
	       check(oomsnap_gfp_class(GFP_KERNEL & ~(OOMSNAP_GFP_FS | OOMSNAP_GFP_IO)) ==
		     OOMSNAP_GFP_CLASS_NOIO, "noio"));
	oomsnap_gfp_format(GFP_KERNEL | OOMSNAP_GFP_COMP, buf, sizeof(buf));
	result("gfp_format_composite", check(!strcmp(buf, "GFP_KERNEL|__GFP_COMP"), "%s", buf));
	oomsnap_gfp_format(GFP_HIGHUSER_MOVABLE | OOMSNAP_GFP_ZERO, buf, sizeof(buf));
	result("gfp_format_highuser", check(!strcmp(buf, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO"), "%s", buf));
	oomsnap_gfp_format(0, buf, sizeof(buf));
	result("gfp_format_zero", check(!strcmp(buf, "0"), "%s", buf));
	oomsnap_gfp_format(GFP_KERNEL | OOMSNAP_GFP_COMP, buf, 8);
	result("gfp_format_truncates", check(strlen(buf) == 7, "len %zu", strlen(buf)));
	result("gfp_from_name",
	       check(oomsnap_gfp_from_name("GFP_KERNEL", 10) == GFP_KERNEL, "GFP_KERNEL") &&
	       check(oomsnap_gfp_from_name("__GFP_WAIT", 10) ==
		     (OOMSNAP_GFP_DIRECT_RECLAIM | OOMSNAP_GFP_KSWAPD_RECLAIM), "__GFP_WAIT") &&
	       check(oomsnap_gfp_from_name("GFP_NOPE", 8) == 0, "unknown"));
	result("gfp_raw_2_6_0x44d0",
	       check(oomsnap_gfp_from_raw(0x44d0, &era) ==
		     (GFP_KERNEL | OOMSNAP_GFP_RETRY_MAYFAIL | OOMSNAP_GFP_COMP),
		     "GFP_KERNEL|__GFP_REPEAT|__GFP_COMP") && check(era == 0, "no era hint"));
	result("gfp_raw_2_6_atomic",
	       check(oomsnap_gfp_from_raw(0x20, NULL) == OOMSNAP_GFP_HIGH, "GFP_ATOMIC 2.6") &&
	       check(oomsnap_gfp_class(oomsnap_gfp_from_raw(0x20, NULL)) == OOMSNAP_GFP_CLASS_ATOMIC,
		     "class atomic"));
	result("gfp_raw_4_4_kernel",
	       check(oomsnap_gfp_from_raw(0x24000c0, &era) == GFP_KERNEL, "0x24000c0") &&
	       check(era == OOMSNAP_ERA(4, 4), "era hint 4.4"));
	result("gfp_raw_unknown_bits",
	       check(oomsnap_gfp_from_raw(0x80000000ULL, NULL) & OOMSNAP_GFP_UNKNOWN, "unknown"));
}
