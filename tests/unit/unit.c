// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the engine (lib/): the watermark replica, gfp decoding, one
 * diagnosis per cause id and the missing-data cases, record decoding of
 * old/new/corrupt records, the log parser's prefixes and wrapping, and the
 * renderer. Prints "ok - NAME" / "not ok - NAME: why", then "N passed, M
 * failed". Also writes raw files for the reader tests:
 *
 *   unit                         run the tests
 *   unit write-raw FILE N [SIZE] [SEQ0]  N records of SIZE bytes (default VER0)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "diagnose.h"
#include "names.h"
#include "render.h"
#include "watermark.h"
#include "logparse.h"
/* the record builders */
#include "synthetic.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static unsigned int passed, failed;
static char why[512];

static void result(const char *name, bool ok)
{
	if (ok) {
		printf("ok - %s\n", name);
		passed++;
	} else {
		printf("not ok - %s: %s\n", name, why);
		failed++;
	}
	why[0] = '\0';
}

static bool check(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool check(bool cond, const char *fmt, ...)
{
	va_list ap;

	if (cond || why[0])
		return cond;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return false;
}

/* ---------------------------------------------------------------------- */
/* record builders (pages of 4 kB) */

static struct oomsnap_record rec;
static struct oomsnap_diagnosis diag;

static void blank(unsigned int era)
{
	synth_blank(&rec, era);
	rec.type = OOMSNAP_EVENT_OOM;
}

static void request(__u64 gfp, int order)
{
	rec.gfp = gfp;
	rec.order = order;
	rec.highest_zone = oomsnap_gfp_zone(gfp);
	rec.have |= OOMSNAP_HAVE_GFP | OOMSNAP_HAVE_ORDER;
}

/* synth_zone_marks(), all free pages order-0 unless a test says otherwise */
static struct oomsnap_zone *zone(unsigned int node, unsigned int type,
				 __u64 free, __u64 min, __u64 managed)
{
	struct oomsnap_zone *z = synth_zone_marks(&rec, node, type, free, min,
						  managed);

	z->nr_free[0] = free;
	z->have |= OOMSNAP_ZONE_HAVE_BUDDY | OOMSNAP_ZONE_HAVE_RESERVE |
		   OOMSNAP_ZONE_HAVE_BOOST | OOMSNAP_ZONE_HAVE_HIGHATOMIC;
	return z;
}

static void mem(unsigned int idx, __u64 pages)
{
	synth_mem(&rec, idx, pages);
}

static bool has_line(char (*lines)[OOMSNAP_DIAG_LINE_LEN], unsigned int n,
		     const char *needle)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strstr(lines[i], needle))
			return true;
	return false;
}

static bool evidence(const char *s)
{
	return check(has_line(diag.evidence, diag.nr_evidence, s),
		     "no evidence line with \"%s\" (first: \"%s\")", s,
		     diag.nr_evidence ? diag.evidence[0] : "");
}

static bool missing(const char *s)
{
	return check(has_line(diag.missing, diag.nr_missing, s),
		     "no missing line with \"%s\"", s);
}

/*
 * The diagnosis of rec into diag, filled with garbage first (the engine
 * must reset all of it): its line counts within bounds, every line ended.
 */
static bool diagnose_rec(void)
{
	unsigned int i;
	bool ok;

	memset(&diag, 0xa5, sizeof(diag));
	oomsnap_diagnose(&rec, &diag);
	ok = check(diag.nr_evidence <= OOMSNAP_DIAG_MAX_LINES &&
		   diag.nr_missing <= OOMSNAP_DIAG_MAX_LINES,
		   "%u evidence, %u missing lines", diag.nr_evidence, diag.nr_missing);
	for (i = 0; ok && i < diag.nr_evidence; i++)
		ok = check(strnlen(diag.evidence[i], OOMSNAP_DIAG_LINE_LEN) <
			   OOMSNAP_DIAG_LINE_LEN, "evidence line %u not ended", i);
	for (i = 0; ok && i < diag.nr_missing; i++)
		ok = check(strnlen(diag.missing[i], OOMSNAP_DIAG_LINE_LEN) <
			   OOMSNAP_DIAG_LINE_LEN, "missing line %u not ended", i);
	return ok;
}

static bool cause(unsigned int want)
{
	if (!diagnose_rec())
		return false;
	return check(diag.cause == want, "cause %s, expected %s (evidence: %s)",
		     oomsnap_cause_name(diag.cause), oomsnap_cause_name(want),
		     diag.nr_evidence ? diag.evidence[diag.nr_evidence - 1] : "-");
}

/* The diagnosis of rec is not cause @c. */
static bool not_cause(unsigned int c)
{
	return diagnose_rec() &&
	       check(diag.cause != c, "cause %s", oomsnap_cause_name(c));
}

static bool contributing(unsigned int mask)
{
	return check(diag.contributing == mask, "contributing 0x%x, expected 0x%x",
		     diag.contributing, mask);
}

#define BIT(c) (1U << (c))
#define ERA61 OOMSNAP_ERA(6, 1)
#define GFP_KERNEL (OOMSNAP_GFP_DIRECT_RECLAIM | OOMSNAP_GFP_KSWAPD_RECLAIM | \
		    OOMSNAP_GFP_IO | OOMSNAP_GFP_FS)
#define GFP_ATOMIC (OOMSNAP_GFP_HIGH | OOMSNAP_GFP_KSWAPD_RECLAIM)
#define GFP_HIGHUSER_MOVABLE (GFP_KERNEL | OOMSNAP_GFP_HARDWALL | \
			      OOMSNAP_GFP_HIGHMEM | OOMSNAP_GFP_MOVABLE)

/* A healthy 64-bit box (DMA + DMA32 + Normal) with user memory filling it. */
static void box64(__u64 normal_free)
{
	struct oomsnap_zone *z;

	z = zone(0, OOMSNAP_ZONE_DMA, 1000, 16, 3840);
	z->lowmem_reserve[OOMSNAP_ZONE_NORMAL] = 2000;
	z->lowmem_reserve[OOMSNAP_ZONE_MOVABLE] = 2000;
	z->lowmem_reserve[OOMSNAP_ZONE_DMA32] = 1900;
	z = zone(0, OOMSNAP_ZONE_DMA32, 3000, 5000, 480000);
	z->lowmem_reserve[OOMSNAP_ZONE_NORMAL] = 100;
	z->lowmem_reserve[OOMSNAP_ZONE_MOVABLE] = 100;
	zone(0, OOMSNAP_ZONE_NORMAL, normal_free, 1000, 25000);
	mem(OOMSNAP_MEM_TOTALRAM, 524288);
	mem(OOMSNAP_MEM_ACTIVE_ANON, 400000);
	mem(OOMSNAP_MEM_INACTIVE_ANON, 50000);
	mem(OOMSNAP_MEM_ACTIVE_FILE, 500);
	mem(OOMSNAP_MEM_INACTIVE_FILE, 500);
	mem(OOMSNAP_MEM_SLAB_UNRECLAIMABLE, 10000);
	mem(OOMSNAP_MEM_SWAP_TOTAL, 262144);
	mem(OOMSNAP_MEM_SWAP_FREE, 200000);
}

/* ---------------------------------------------------------------------- */
/*
 * The tests, a file per part of the engine. They are parts of this one
 * program, included here rather than linked: every runner that writes raw
 * files with it (tests/unit, tests/fuzz, tests/install) builds it from this
 * file alone.
 */

#include "watermark_test.c"
#include "gfp_test.c"
#include "diagnosis_test.c"
#include "diagnosis_host_test.c"
#include "decode_test.c"
#include "parser_test.c"
#include "render_test.c"

/* ---------------------------------------------------------------------- */

static int write_raw(const char *path, unsigned int n, unsigned int size,
		     unsigned long long seq0)
{
	static unsigned char out[1 << 16];
	FILE *f = fopen(path, "ab");
	unsigned int i;

	if (!f || size > sizeof(out) || size < sizeof(rec)) {
		perror(path);
		return 1;
	}
	for (i = 0; i < n; i++) {
		blank(ERA61);
		box64(300 + i);
		request(GFP_HIGHUSER_MOVABLE, 0);
		rec.size = size;
		rec.seq = seq0 + i;
		rec.time_ns = 1000000000ULL * (i + 1);
		rec.have |= OOMSNAP_HAVE_TASK;
		snprintf(rec.task.comm, sizeof(rec.task.comm), "task%u", i);
		memset(out, 0, size);
		memcpy(out, &rec, sizeof(rec));
		if (fwrite(out, 1, size, f) != size) {
			perror(path);
			return 1;
		}
	}
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "write-raw"))
		return write_raw(argv[2], (unsigned int)atoi(argv[3]),
				 argc > 4 ? (unsigned int)atoi(argv[4]) : OOMSNAP_RECORD_SIZE_VER0,
				 argc > 5 ? strtoull(argv[5], NULL, 10) : 1);
	test_watermark();
	test_alloc_flags();
	test_watermark_cases();
	test_gfp();
	test_diagnosis();
	test_diagnosis_host();
	test_decode();
	test_parser();
	test_parser_skip();
	test_parser_hugepages();
	test_parser_buddy_page();
	test_render();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
