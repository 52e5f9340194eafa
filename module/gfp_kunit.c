// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite oomsnap_gfp: the module's translation of this kernel's gfp_t
 * into the record's stable OOMSNAP_GFP_* bits, its class for the failure
 * counters, and gfp_zone() as a record zone type (module/gfp.c); then what
 * the engine makes of those bits (lib/names.c): the highest usable zone,
 * the reclaim class the diagnosis uses (NOFS, NOIO, atomic, NOWAIT) and the
 * names it prints and parses ("GFP_KERNEL|__GFP_COMP", as %pGg does).
 *
 * The expected bits are written from the kernel's own __GFP_* names, so the
 * table follows the kernel if it renumbers them.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>

#include "compat.h"
#include "gfp.h"
#include "names.h"

struct bit_case {
	const char *name;
	gfp_t kernel;
	u64 record;
};

#define BIT_CASE(k, r)	{ #k, k, r }

static const struct bit_case bit_cases[] = {
	BIT_CASE(__GFP_DMA, OOMSNAP_GFP_DMA),
	BIT_CASE(__GFP_HIGHMEM, OOMSNAP_GFP_HIGHMEM),
	BIT_CASE(__GFP_DMA32, OOMSNAP_GFP_DMA32),
	BIT_CASE(__GFP_MOVABLE, OOMSNAP_GFP_MOVABLE),
	BIT_CASE(__GFP_RECLAIMABLE, OOMSNAP_GFP_RECLAIMABLE),
	BIT_CASE(__GFP_HIGH, OOMSNAP_GFP_HIGH),
	BIT_CASE(__GFP_IO, OOMSNAP_GFP_IO),
	BIT_CASE(__GFP_FS, OOMSNAP_GFP_FS),
	BIT_CASE(__GFP_ZERO, OOMSNAP_GFP_ZERO),
	BIT_CASE(__GFP_DIRECT_RECLAIM, OOMSNAP_GFP_DIRECT_RECLAIM),
	BIT_CASE(__GFP_KSWAPD_RECLAIM, OOMSNAP_GFP_KSWAPD_RECLAIM),
	BIT_CASE(__GFP_WRITE, OOMSNAP_GFP_WRITE),
	BIT_CASE(__GFP_NOWARN, OOMSNAP_GFP_NOWARN),
	BIT_CASE(__GFP_RETRY_MAYFAIL, OOMSNAP_GFP_RETRY_MAYFAIL),
	BIT_CASE(__GFP_NOFAIL, OOMSNAP_GFP_NOFAIL),
	BIT_CASE(__GFP_NORETRY, OOMSNAP_GFP_NORETRY),
	BIT_CASE(__GFP_MEMALLOC, OOMSNAP_GFP_MEMALLOC),
	BIT_CASE(__GFP_COMP, OOMSNAP_GFP_COMP),
	BIT_CASE(__GFP_NOMEMALLOC, OOMSNAP_GFP_NOMEMALLOC),
	BIT_CASE(__GFP_HARDWALL, OOMSNAP_GFP_HARDWALL),
	BIT_CASE(__GFP_THISNODE, OOMSNAP_GFP_THISNODE),
	BIT_CASE(__GFP_ACCOUNT, OOMSNAP_GFP_ACCOUNT),
	BIT_CASE(__GFP_ZEROTAGS, OOMSNAP_GFP_ZEROTAGS),
#ifdef ___GFP_ATOMIC
	BIT_CASE(__GFP_ATOMIC, OOMSNAP_GFP_ATOMIC),
#endif
};

static void bit_desc(const struct bit_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bit, bit_cases, bit_desc);

static void gfp_translate_each_bit(struct kunit *test)
{
	const struct bit_case *c = test->param_value;

	KUNIT_ASSERT_NE_MSG(test, (__force unsigned long)c->kernel, 0UL,
			    "%s is 0 in this kernel", c->name);
	KUNIT_EXPECT_EQ(test, oomsnap_gfp_translate(c->kernel), c->record);
}

/* No two kernel bits may land on the same record bit. */
static void gfp_translate_bits_distinct(struct kunit *test)
{
	u64 seen = 0, all = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bit_cases); i++) {
		u64 bit = oomsnap_gfp_translate(bit_cases[i].kernel);

		KUNIT_EXPECT_EQ_MSG(test, hweight64(bit), 1U, "%s",
				    bit_cases[i].name);
		KUNIT_EXPECT_FALSE_MSG(test, seen & bit, "%s twice",
				       bit_cases[i].name);
		seen |= bit;
		all |= (__force unsigned long)bit_cases[i].kernel;
	}
	/* and together they translate to the union */
	KUNIT_EXPECT_EQ(test, oomsnap_gfp_translate((__force gfp_t)all), seen);
}

#define R(x)	OOMSNAP_GFP_##x
#define R_RECLAIM	(R(DIRECT_RECLAIM) | R(KSWAPD_RECLAIM))

struct composite_case {
	const char *name;
	gfp_t kernel;
	u64 record;
};

static const struct composite_case composite_cases[] = {
	{ "0", 0, 0 },
	{ "GFP_KERNEL", GFP_KERNEL, R_RECLAIM | R(IO) | R(FS) },
	{ "GFP_NOFS", GFP_NOFS, R_RECLAIM | R(IO) },
	{ "GFP_NOIO", GFP_NOIO, R_RECLAIM },
	{ "GFP_NOWAIT", GFP_NOWAIT, R(KSWAPD_RECLAIM) },
	{ "GFP_USER", GFP_USER, R_RECLAIM | R(IO) | R(FS) | R(HARDWALL) },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE,
	  R_RECLAIM | R(IO) | R(FS) | R(HARDWALL) | R(HIGHMEM) | R(MOVABLE) },
	{ "GFP_KERNEL_ACCOUNT", GFP_KERNEL_ACCOUNT,
	  R_RECLAIM | R(IO) | R(FS) | R(ACCOUNT) },
	{ "GFP_DMA", GFP_DMA, R(DMA) },
	{ "GFP_DMA32", GFP_DMA32, R(DMA32) },
	{ "GFP_KERNEL|__GFP_COMP|__GFP_NOWARN|__GFP_NORETRY",
	  GFP_KERNEL | __GFP_COMP | __GFP_NOWARN | __GFP_NORETRY,
	  R_RECLAIM | R(IO) | R(FS) | R(COMP) | R(NOWARN) | R(NORETRY) },
};

static void composite_desc(const struct composite_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(composite, composite_cases, composite_desc);

static void gfp_translate_composites(struct kunit *test)
{
	const struct composite_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, oomsnap_gfp_translate(c->kernel), c->record);
}

static void gfp_translate_atomic(struct kunit *test)
{
	u64 want = R(HIGH) | R(KSWAPD_RECLAIM);

#ifdef ___GFP_ATOMIC
	want |= R(ATOMIC);	/* GFP_ATOMIC carries __GFP_ATOMIC before 6.3 */
#endif
	KUNIT_EXPECT_EQ(test, oomsnap_gfp_translate(GFP_ATOMIC), want);
}

/* A bit the kernel doesn't define is flagged, never dropped silently. */
static void gfp_translate_unknown_bit(struct kunit *test)
{
	gfp_t beyond = (__force gfp_t)(1UL << __GFP_BITS_SHIFT);

	KUNIT_EXPECT_EQ(test, oomsnap_gfp_translate(beyond), R(UNKNOWN));
	KUNIT_EXPECT_EQ(test, oomsnap_gfp_translate(GFP_KERNEL | beyond),
			R_RECLAIM | R(IO) | R(FS) | R(UNKNOWN));
	KUNIT_EXPECT_EQ(test, oomsnap_gfp_translate((__force gfp_t)(1UL << 31)),
			R(UNKNOWN));
}

struct fail_class_case {
	const char *name;
	gfp_t gfp;
	enum oomsnap_fail_class cls;
};

static const struct fail_class_case fail_class_cases[] = {
	{ "GFP_ATOMIC", GFP_ATOMIC, OOMSNAP_FAIL_CLASS_ATOMIC },
	{ "__GFP_HIGH", __GFP_HIGH, OOMSNAP_FAIL_CLASS_ATOMIC },
	{ "GFP_NOWAIT", GFP_NOWAIT, OOMSNAP_FAIL_CLASS_NOWAIT },
	{ "GFP_KERNEL & ~__GFP_DIRECT_RECLAIM",
	  GFP_KERNEL & ~__GFP_DIRECT_RECLAIM, OOMSNAP_FAIL_CLASS_NOWAIT },
	{ "GFP_TRANSHUGE_LIGHT", GFP_TRANSHUGE_LIGHT, OOMSNAP_FAIL_CLASS_NOWAIT },
	{ "0", 0, OOMSNAP_FAIL_CLASS_NOWAIT },
	{ "GFP_NOIO", GFP_NOIO, OOMSNAP_FAIL_CLASS_NOIO },
	{ "GFP_NOFS", GFP_NOFS, OOMSNAP_FAIL_CLASS_NOFS },
	{ "GFP_KERNEL", GFP_KERNEL, OOMSNAP_FAIL_CLASS_KERNEL },
	{ "GFP_KERNEL_ACCOUNT", GFP_KERNEL_ACCOUNT, OOMSNAP_FAIL_CLASS_KERNEL },
	{ "GFP_USER", GFP_USER, OOMSNAP_FAIL_CLASS_USER },
	{ "GFP_HIGHUSER", GFP_HIGHUSER, OOMSNAP_FAIL_CLASS_USER },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE,
	  OOMSNAP_FAIL_CLASS_HIGHUSER_MOVABLE },
	{ "GFP_TRANSHUGE", GFP_TRANSHUGE, OOMSNAP_FAIL_CLASS_HIGHUSER_MOVABLE },
};

static void fail_class_desc(const struct fail_class_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fail_class, fail_class_cases, fail_class_desc);

static void gfp_fail_classify_masks(struct kunit *test)
{
	const struct fail_class_case *c = test->param_value;

	KUNIT_EXPECT_STREQ(test, oomsnap_fail_class_names[oomsnap_fail_classify(c->gfp)],
			   oomsnap_fail_class_names[c->cls]);
}

static void gfp_fail_class_names_complete(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < OOMSNAP_FAIL_CLASS_NR; i++) {
		KUNIT_ASSERT_NOT_NULL(test, oomsnap_fail_class_names[i]);
		KUNIT_EXPECT_GT(test, strlen(oomsnap_fail_class_names[i]), 0UL);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, oomsnap_fail_class_names[i],
					    oomsnap_fail_class_names[j]);
	}
}

/*
 * gfp_zone() of this x86_64 kernel, by hand: no HighMem zone, so
 * __GFP_HIGHMEM alone means Normal; __GFP_HIGHMEM|__GFP_MOVABLE, Movable.
 */
struct zone_case {
	const char *name;
	gfp_t gfp;
	u32 zone;
};

static const struct zone_case zone_cases[] = {
	{ "GFP_KERNEL", GFP_KERNEL, OOMSNAP_ZONE_NORMAL },
	{ "GFP_DMA", GFP_KERNEL | GFP_DMA, OOMSNAP_ZONE_DMA },
	{ "GFP_DMA32", GFP_KERNEL | GFP_DMA32, OOMSNAP_ZONE_DMA32 },
	{ "__GFP_MOVABLE", GFP_KERNEL | __GFP_MOVABLE, OOMSNAP_ZONE_NORMAL },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE, OOMSNAP_ZONE_MOVABLE },
#ifdef CONFIG_HIGHMEM
	{ "GFP_HIGHUSER", GFP_HIGHUSER, OOMSNAP_ZONE_HIGHMEM },
#else
	{ "GFP_HIGHUSER", GFP_HIGHUSER, OOMSNAP_ZONE_NORMAL },
#endif
	{ "GFP_DMA32|__GFP_MOVABLE", GFP_DMA32 | __GFP_MOVABLE,
	  OOMSNAP_ZONE_DMA32 },
};

static void zone_desc(const struct zone_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(zone, zone_cases, zone_desc);

static void gfp_highest_zone_matches_gfp_zone(struct kunit *test)
{
	const struct zone_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, oomsnap_gfp_highest_zone(c->gfp), c->zone);
	/* and agrees with the kernel's own gfp_zone() */
	KUNIT_EXPECT_EQ(test, oomsnap_zone_type(gfp_zone(c->gfp)), c->zone);
}

static void gfp_zone_type_mapping(struct kunit *test)
{
#ifdef CONFIG_ZONE_DMA
	KUNIT_EXPECT_EQ(test, oomsnap_zone_type(ZONE_DMA), (u32)OOMSNAP_ZONE_DMA);
#endif
#ifdef CONFIG_ZONE_DMA32
	KUNIT_EXPECT_EQ(test, oomsnap_zone_type(ZONE_DMA32),
			(u32)OOMSNAP_ZONE_DMA32);
#endif
	KUNIT_EXPECT_EQ(test, oomsnap_zone_type(ZONE_NORMAL),
			(u32)OOMSNAP_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, oomsnap_zone_type(ZONE_MOVABLE),
			(u32)OOMSNAP_ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, oomsnap_zone_type(MAX_NR_ZONES),
			(u32)OOMSNAP_ZONE_UNKNOWN);
	KUNIT_EXPECT_EQ(test, oomsnap_zone_type(-1), (u32)OOMSNAP_ZONE_UNKNOWN);
}

/* ---------------------------------------------------------------------- */
/* the engine's reading of the record bits (lib/names.c)                   */

#define E_RECLAIM		(R(DIRECT_RECLAIM) | R(KSWAPD_RECLAIM))
#define E_KERNEL		(E_RECLAIM | R(IO) | R(FS))
#define E_HIGHUSER_MOVABLE (E_KERNEL | R(HARDWALL) | R(HIGHMEM) | R(MOVABLE))

struct engine_zone_case {
	const char *what;
	u64 gfp;
	unsigned int zone;
};

static const struct engine_zone_case engine_zone_cases[] = {
	{ "GFP_KERNEL", E_KERNEL, OOMSNAP_ZONE_NORMAL },
	{ "0", 0, OOMSNAP_ZONE_NORMAL },
	{ "GFP_DMA", E_KERNEL | R(DMA), OOMSNAP_ZONE_DMA },
	{ "GFP_DMA32", E_KERNEL | R(DMA32), OOMSNAP_ZONE_DMA32 },
	{ "GFP_HIGHUSER", E_KERNEL | R(HARDWALL) | R(HIGHMEM),
	  OOMSNAP_ZONE_HIGHMEM },
	{ "GFP_HIGHUSER_MOVABLE", E_HIGHUSER_MOVABLE, OOMSNAP_ZONE_MOVABLE },
	{ "__GFP_MOVABLE alone", E_KERNEL | R(MOVABLE), OOMSNAP_ZONE_NORMAL },
	{ "__GFP_DMA wins", R(DMA) | R(HIGHMEM), OOMSNAP_ZONE_DMA },
	{ "__GFP_DMA32|__GFP_MOVABLE", R(DMA32) | R(MOVABLE),
	  OOMSNAP_ZONE_DMA32 },
};

static void engine_zone_desc(const struct engine_zone_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(engine_zone, engine_zone_cases, engine_zone_desc);

static void gfp_zone_highest_usable(struct kunit *test)
{
	const struct engine_zone_case *c = test->param_value;

	KUNIT_EXPECT_STREQ(test, oomsnap_zone_type_name(oomsnap_gfp_zone(c->gfp)),
			   oomsnap_zone_type_name(c->zone));
}

struct engine_class_case {
	const char *what;
	u64 gfp;
	unsigned int cls;
};

static const struct engine_class_case engine_class_cases[] = {
	{ "GFP_KERNEL", E_KERNEL, OOMSNAP_GFP_CLASS_RECLAIM },
	{ "GFP_HIGHUSER_MOVABLE", E_HIGHUSER_MOVABLE, OOMSNAP_GFP_CLASS_RECLAIM },
	{ "GFP_NOFS", E_RECLAIM | R(IO), OOMSNAP_GFP_CLASS_NOFS },
	{ "GFP_NOIO", E_RECLAIM, OOMSNAP_GFP_CLASS_NOIO },
	{ "__GFP_FS without __GFP_IO", E_RECLAIM | R(FS), OOMSNAP_GFP_CLASS_NOIO },
	{ "GFP_ATOMIC (6.1)", R(HIGH) | R(ATOMIC) | R(KSWAPD_RECLAIM),
	  OOMSNAP_GFP_CLASS_ATOMIC },
	{ "GFP_ATOMIC (6.3+)", R(HIGH) | R(KSWAPD_RECLAIM),
	  OOMSNAP_GFP_CLASS_ATOMIC },
	{ "GFP_ATOMIC (2.6)", R(HIGH), OOMSNAP_GFP_CLASS_ATOMIC },
	{ "__GFP_ATOMIC alone", R(ATOMIC), OOMSNAP_GFP_CLASS_ATOMIC },
	{ "GFP_NOWAIT", R(KSWAPD_RECLAIM), OOMSNAP_GFP_CLASS_NOWAIT },
	{ "GFP_KERNEL without direct reclaim",
	  R(KSWAPD_RECLAIM) | R(IO) | R(FS), OOMSNAP_GFP_CLASS_NOWAIT },
	{ "0", 0, OOMSNAP_GFP_CLASS_NOWAIT },
};

static void engine_class_desc(const struct engine_class_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(engine_class, engine_class_cases, engine_class_desc);

static void gfp_class_reclaim_ability(struct kunit *test)
{
	const struct engine_class_case *c = test->param_value;

	KUNIT_EXPECT_STREQ(test, oomsnap_gfp_class_name(oomsnap_gfp_class(c->gfp)),
			   oomsnap_gfp_class_name(c->cls));
}

static void gfp_class_names_distinct(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < OOMSNAP_GFP_CLASS_NR; i++) {
		KUNIT_EXPECT_STRNEQ(test, oomsnap_gfp_class_name(i), "?");
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, oomsnap_gfp_class_name(i),
					    oomsnap_gfp_class_name(j));
	}
	KUNIT_EXPECT_STREQ(test, oomsnap_gfp_class_name(OOMSNAP_GFP_CLASS_NR),
			   "?");
}

struct format_case {
	u64 gfp;
	const char *text;
};

static const struct format_case format_cases[] = {
	{ 0, "0" },
	{ E_KERNEL, "GFP_KERNEL" },
	{ E_KERNEL | R(COMP) | R(NOWARN), "GFP_KERNEL|__GFP_NOWARN|__GFP_COMP" },
	{ E_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ E_HIGHUSER_MOVABLE | R(ZERO), "GFP_HIGHUSER_MOVABLE|__GFP_ZERO" },
	{ E_RECLAIM | R(IO), "GFP_NOFS" },
	{ R(HIGH) | R(ATOMIC) | R(KSWAPD_RECLAIM), "GFP_ATOMIC" },
	{ R(KSWAPD_RECLAIM), "GFP_NOWAIT" },
	{ E_KERNEL | R(ACCOUNT), "GFP_KERNEL_ACCOUNT" },
	{ R(NOWARN) | R(UNKNOWN), "__GFP_NOWARN|__GFP_UNKNOWN" },
};

static void format_desc(const struct format_case *c, char *desc)
{
	strscpy(desc, c->text, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(format, format_cases, format_desc);

static void gfp_format_names(struct kunit *test)
{
	const struct format_case *c = test->param_value;
	char buf[128];
	int n;

	n = oomsnap_gfp_format(c->gfp, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, c->text);
	KUNIT_EXPECT_EQ(test, n, (int)strlen(c->text));
}

static void gfp_format_truncates(struct kunit *test)
{
	char buf[8];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = oomsnap_gfp_format(E_HIGHUSER_MOVABLE | R(ZERO), buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, n, (int)sizeof(buf) - 1);
	KUNIT_EXPECT_EQ(test, buf[sizeof(buf) - 1], '\0');
	KUNIT_EXPECT_EQ(test, oomsnap_gfp_format(E_KERNEL, buf, 0), 0);
}

/* Every single bit survives format -> parse. */
static void gfp_from_name_roundtrip(struct kunit *test)
{
	char buf[64];
	unsigned int bit;

	for (bit = 0; bit <= 25; bit++) {
		u64 gfp = 1ULL << bit;
		int n = oomsnap_gfp_format(gfp, buf, sizeof(buf));

		/* single bits that are composites on their own: GFP_NOWAIT... */
		KUNIT_EXPECT_EQ_MSG(test, oomsnap_gfp_from_name(buf, n), gfp,
				    "bit %u printed as %s", bit, buf);
	}
}

static void gfp_from_name_composites_and_aliases(struct kunit *test)
{
	static const struct {
		const char *name;
		u64 gfp;
	} names[] = {
		{ "GFP_KERNEL", E_KERNEL },
		{ "GFP_HIGHUSER_MOVABLE", E_HIGHUSER_MOVABLE },
		{ "GFP_NOIO", E_RECLAIM },
		{ "__GFP_WAIT", E_RECLAIM },	/* before 4.4 */
		{ "__GFP_REPEAT", R(RETRY_MAYFAIL) },
		{ "GFP_TEMPORARY", E_KERNEL | R(RECLAIMABLE) },
		{ "__GFP_SKIP_KASAN_POISON", R(SKIP_KASAN) },
		{ "GFP_BOGUS", 0 },
		{ "", 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_EXPECT_EQ_MSG(test, oomsnap_gfp_from_name(names[i].name,
								strlen(names[i].name)),
				    names[i].gfp, "%s", names[i].name);
	/* the length bounds the name: no prefix match */
	KUNIT_EXPECT_EQ(test, oomsnap_gfp_from_name("GFP_KERNEL_ACCOUNT", 10),
			(u64)E_KERNEL);
	KUNIT_EXPECT_EQ(test, oomsnap_gfp_from_name("GFP_KERNEL", 9), 0ULL);
}

/*
 * The whole path a captured request takes: kernel gfp_t -> record bits ->
 * the engine's gfp_zone() and class, against the kernel's own gfp_zone().
 */
static void gfp_pipeline_matches_kernel(struct kunit *test)
{
	static const struct {
		const char *name;
		gfp_t gfp;
		unsigned int cls;
	} masks[] = {
		{ "GFP_KERNEL", GFP_KERNEL, OOMSNAP_GFP_CLASS_RECLAIM },
		{ "GFP_ATOMIC", GFP_ATOMIC, OOMSNAP_GFP_CLASS_ATOMIC },
		{ "GFP_NOWAIT", GFP_NOWAIT, OOMSNAP_GFP_CLASS_NOWAIT },
		{ "GFP_NOIO", GFP_NOIO, OOMSNAP_GFP_CLASS_NOIO },
		{ "GFP_NOFS", GFP_NOFS, OOMSNAP_GFP_CLASS_NOFS },
		{ "GFP_USER", GFP_USER, OOMSNAP_GFP_CLASS_RECLAIM },
		{ "GFP_DMA", GFP_KERNEL | GFP_DMA, OOMSNAP_GFP_CLASS_RECLAIM },
		{ "GFP_DMA32", GFP_KERNEL | GFP_DMA32, OOMSNAP_GFP_CLASS_RECLAIM },
		{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE,
		  OOMSNAP_GFP_CLASS_RECLAIM },
		{ "GFP_TRANSHUGE_LIGHT", GFP_TRANSHUGE_LIGHT,
		  OOMSNAP_GFP_CLASS_NOWAIT },
	};
	unsigned int i, zone;
	u64 bits;

	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		bits = oomsnap_gfp_translate(masks[i].gfp);
		zone = oomsnap_gfp_zone(bits);
#ifndef CONFIG_HIGHMEM
		/* no HighMem zone here: the kernel's gfp_zone() says Normal */
		if (zone == OOMSNAP_ZONE_HIGHMEM)
			zone = OOMSNAP_ZONE_NORMAL;
#endif
		KUNIT_EXPECT_EQ_MSG(test, zone,
				    oomsnap_zone_type(gfp_zone(masks[i].gfp)),
				    "%s", masks[i].name);
		KUNIT_EXPECT_STREQ_MSG(test,
				       oomsnap_gfp_class_name(oomsnap_gfp_class(bits)),
				       oomsnap_gfp_class_name(masks[i].cls),
				       "%s", masks[i].name);
	}
}

static struct kunit_case gfp_cases[] = {
	KUNIT_CASE_PARAM(gfp_translate_each_bit, bit_gen_params),
	KUNIT_CASE(gfp_translate_bits_distinct),
	KUNIT_CASE_PARAM(gfp_translate_composites, composite_gen_params),
	KUNIT_CASE(gfp_translate_atomic),
	KUNIT_CASE(gfp_translate_unknown_bit),
	KUNIT_CASE_PARAM(gfp_fail_classify_masks, fail_class_gen_params),
	KUNIT_CASE(gfp_fail_class_names_complete),
	KUNIT_CASE_PARAM(gfp_highest_zone_matches_gfp_zone, zone_gen_params),
	KUNIT_CASE(gfp_zone_type_mapping),
	KUNIT_CASE_PARAM(gfp_zone_highest_usable, engine_zone_gen_params),
	KUNIT_CASE_PARAM(gfp_class_reclaim_ability, engine_class_gen_params),
	KUNIT_CASE(gfp_class_names_distinct),
	KUNIT_CASE_PARAM(gfp_format_names, format_gen_params),
	KUNIT_CASE(gfp_format_truncates),
	KUNIT_CASE(gfp_from_name_roundtrip),
	KUNIT_CASE(gfp_from_name_composites_and_aliases),
	KUNIT_CASE(gfp_pipeline_matches_kernel),
	{}
};

static struct kunit_suite gfp_suite = {
	.name = "oomsnap_gfp",
	.test_cases = gfp_cases,
};

kunit_test_suite(gfp_suite);
