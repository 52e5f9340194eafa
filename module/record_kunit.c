// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite oomsnap_record: the binary record of uapi/oomsnap.h.
 *
 *  - layout: VER0's size, 8-byte multiples, no implicit padding anywhere
 *    (every field starts where the previous one ended);
 *  - the reader's decoder (lib/decode.c): accepts VER0 and longer future
 *    records, rejects every malformed one with a reason;
 *  - every kind of record the module writes (module/capture.c through a
 *    ring slot, also from hard IRQ context) decodes, and every byte it does
 *    not use is zero: reserved fields, unused array entries, string tails;
 *  - the memcg of a child cgroup: path, limit and usage.
 */
#include <kunit/test.h>
#include <linux/hrtimer.h>
#include <linux/memcontrol.h>
#include <linux/stddef.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "capture.h"
#include "decode.h"
#include "watermark.h"
#include "ring.h"
#include "symbols.h"

/* ---------------------------------------------------------------------- */
/* layout                                                                  */

struct field {
	const char *name;
	size_t off;
	size_t size;
};

/*
 * Name, offset and size of member @type of struct type @s. (The member is
 * called "type" because checkpatch lets only an argument of that name recur.)
 */
#define F(s, type)	{ #type, offsetof(s, type), sizeof_field(s, type) }

static const struct field zone_fields[] = {
	F(struct oomsnap_zone, node), F(struct oomsnap_zone, zone_type),
	F(struct oomsnap_zone, name), F(struct oomsnap_zone, have),
	F(struct oomsnap_zone, flags), F(struct oomsnap_zone, nr_orders),
	F(struct oomsnap_zone, nr_migratetypes), F(struct oomsnap_zone, free),
	F(struct oomsnap_zone, wmark_min), F(struct oomsnap_zone, wmark_low),
	F(struct oomsnap_zone, wmark_high), F(struct oomsnap_zone, wmark_boost),
	F(struct oomsnap_zone, reserved_highatomic),
	F(struct oomsnap_zone, managed), F(struct oomsnap_zone, present),
	F(struct oomsnap_zone, spanned), F(struct oomsnap_zone, lowmem_reserve),
	F(struct oomsnap_zone, nr_free), F(struct oomsnap_zone, nr_free_mt),
	F(struct oomsnap_zone, mt_capped), F(struct oomsnap_zone, vmstat),
};

static const struct field task_fields[] = {
	F(struct oomsnap_task, pid), F(struct oomsnap_task, tgid),
	F(struct oomsnap_task, uid), F(struct oomsnap_task, oom_score_adj),
	F(struct oomsnap_task, comm), F(struct oomsnap_task, total_vm),
	F(struct oomsnap_task, rss_anon), F(struct oomsnap_task, rss_file),
	F(struct oomsnap_task, rss_shmem), F(struct oomsnap_task, swapents),
	F(struct oomsnap_task, pgtables_bytes), F(struct oomsnap_task, flags),
	F(struct oomsnap_task, __reserved),
};

static const struct field slab_fields[] = {
	F(struct oomsnap_slab, name), F(struct oomsnap_slab, bytes),
	F(struct oomsnap_slab, active_objs), F(struct oomsnap_slab, num_objs),
	F(struct oomsnap_slab, object_size), F(struct oomsnap_slab, reclaimable),
};

static const struct field xen_fields[] = {
	F(struct oomsnap_xen, domain), F(struct oomsnap_xen, balloon_status),
	F(struct oomsnap_xen, balloon_current),
	F(struct oomsnap_xen, balloon_target),
	F(struct oomsnap_xen, balloon_low), F(struct oomsnap_xen, balloon_high),
	F(struct oomsnap_xen, blkback_status),
	F(struct oomsnap_xen, blkback_vbds),
	F(struct oomsnap_xen, blkback_rings),
	F(struct oomsnap_xen, blkback_max_ring_order),
	F(struct oomsnap_xen, blkback_max_buffer_pages),
	F(struct oomsnap_xen, blkback_max_persistent_grants),
	F(struct oomsnap_xen, blkback_pages_worst),
	F(struct oomsnap_xen, blkback_pages_held),
	F(struct oomsnap_xen, grant_mapped_pages),
	F(struct oomsnap_xen, blkback_held_status),
	F(struct oomsnap_xen, grant_status),
	F(struct oomsnap_xen, __reserved),
};

#define RF(m)	F(struct oomsnap_record, m)

static const struct field record_fields[] = {
	RF(size), RF(magic), RF(seq), RF(type), RF(cpu), RF(time_ns),
	RF(realtime_ns), RF(have), RF(page_size), RF(kernel_era), RF(gfp),
	RF(gfp_raw), RF(order), RF(highest_zone), RF(nodemask), RF(constraint),
	RF(in_irq), RF(task), RF(stack_depth), RF(stack_status), RF(stack),
	RF(memcg_path), RF(memcg_usage), RF(memcg_limit), RF(memcg_swap_usage),
	RF(memcg_swap_limit), RF(victim), RF(victim_seq), RF(nr_zones),
	RF(zones_omitted), RF(walk_limit), RF(nr_mem), RF(mem_have), RF(mem),
	RF(zones), RF(nr_tasks), RF(tasks_status), RF(tasks_scanned),
	RF(tasks_capped), RF(tasks), RF(nr_slabs), RF(slabs_status), RF(slabs),
	RF(xen_status), RF(__reserved0), RF(xen), RF(slabs_age_ms),
	RF(__reserved1), RF(__reserved),
};

static void expect_packed(struct kunit *test, const char *what,
			  const struct field *f, size_t n, size_t total)
{
	size_t i, end = 0;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, f[i].off, end,
				    "%s.%s: hole before it", what, f[i].name);
		/* naturally aligned: 8-byte fields at 8-byte offsets */
		if (f[i].size % 8 == 0)
			KUNIT_EXPECT_EQ_MSG(test, f[i].off % 8, 0UL, "%s.%s",
					    what, f[i].name);
		end = f[i].off + f[i].size;
	}
	KUNIT_EXPECT_EQ_MSG(test, end, total, "%s: padding at the end", what);
	KUNIT_EXPECT_EQ_MSG(test, total % 8, 0UL, "%s: size not 8-aligned",
			    what);
}

static void record_size_ver0(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct oomsnap_record),
			(size_t)OOMSNAP_RECORD_SIZE_VER0);
	/* the header every version shares */
	KUNIT_EXPECT_EQ(test, offsetof(struct oomsnap_record, size), 0UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct oomsnap_record, magic), 4UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct oomsnap_record, seq), 8UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct oomsnap_record, type), 16UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct oomsnap_record, time_ns), 24UL);
	KUNIT_EXPECT_EQ(test, OOMSNAP_MAGIC, 0x534d4f4fU);
}

static void record_layout_no_padding(struct kunit *test)
{
	expect_packed(test, "oomsnap_zone", zone_fields,
		      ARRAY_SIZE(zone_fields), sizeof(struct oomsnap_zone));
	expect_packed(test, "oomsnap_task", task_fields,
		      ARRAY_SIZE(task_fields), sizeof(struct oomsnap_task));
	expect_packed(test, "oomsnap_slab", slab_fields,
		      ARRAY_SIZE(slab_fields), sizeof(struct oomsnap_slab));
	expect_packed(test, "oomsnap_xen", xen_fields,
		      ARRAY_SIZE(xen_fields), sizeof(struct oomsnap_xen));
	expect_packed(test, "oomsnap_record", record_fields,
		      ARRAY_SIZE(record_fields), sizeof(struct oomsnap_record));
}

/* ---------------------------------------------------------------------- */
/* the decoder                                                             */

struct record_ctx {
	struct oomsnap_record *rec;
	struct oomsnap_record *out;
	u8 *big;			/* a record from a future, longer version */
	void *ring_mem;
	unsigned int zone_cap;
	struct oomsnap_ring ring;
};

#define FUTURE_EXTRA	64

static int record_test_init(struct kunit *test)
{
	struct record_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->rec = vzalloc(sizeof(*ctx->rec));
	ctx->out = vzalloc(sizeof(*ctx->out));
	ctx->big = vzalloc(sizeof(*ctx->rec) + FUTURE_EXTRA);
	/* as the module makes its ring: slots of the zones populated now */
	ctx->zone_cap = clamp(oomsnap_populated_zones(), 1U, OOMSNAP_MAX_ZONES);
	ctx->ring_mem = vzalloc(oomsnap_ring_mem_size(2, ctx->zone_cap));
	test->priv = ctx;
	if (!ctx->rec || !ctx->out || !ctx->big || !ctx->ring_mem)
		return -ENOMEM;
	oomsnap_ring_init(&ctx->ring, ctx->ring_mem, 2, ctx->zone_cap);
	oomsnap_record_init(ctx->rec);
	return 0;
}

static void record_test_exit(struct kunit *test)
{
	struct record_ctx *ctx = test->priv;

	vfree(ctx->rec);
	vfree(ctx->out);
	vfree(ctx->big);
	vfree(ctx->ring_mem);
}

static void record_decode_accepts_ver0(struct kunit *test)
{
	struct record_ctx *ctx = test->priv;
	const char *err = "unset";

	ctx->rec->seq = 7;
	ctx->rec->type = OOMSNAP_EVENT_OOM;
	KUNIT_EXPECT_EQ(test, oomsnap_record_decode(ctx->rec, sizeof(*ctx->rec),
						    ctx->out, &err),
			(long)OOMSNAP_RECORD_SIZE_VER0);
	KUNIT_EXPECT_NULL(test, err);
	KUNIT_EXPECT_EQ(test, memcmp(ctx->rec, ctx->out, sizeof(*ctx->rec)), 0);
	/* two records back to back: the first one's size is consumed */
	KUNIT_EXPECT_EQ(test, oomsnap_record_decode(ctx->rec, sizeof(*ctx->rec) + 1,
						    ctx->out, &err),
			(long)OOMSNAP_RECORD_SIZE_VER0);
}

static void record_decode_accepts_future_size(struct kunit *test)
{
	struct record_ctx *ctx = test->priv;
	struct oomsnap_record *head = (struct oomsnap_record *)ctx->big;
	const char *err;

	memcpy(ctx->big, ctx->rec, sizeof(*ctx->rec));
	memset(ctx->big + sizeof(*ctx->rec), 0xee, FUTURE_EXTRA);
	head->size = sizeof(*ctx->rec) + FUTURE_EXTRA;
	KUNIT_EXPECT_EQ(test, oomsnap_record_decode(ctx->big,
						    sizeof(*ctx->rec) + FUTURE_EXTRA,
						    ctx->out, &err),
			(long)(sizeof(*ctx->rec) + FUTURE_EXTRA));
	/* what this build knows is copied, the tail is not */
	KUNIT_EXPECT_EQ(test, memcmp(ctx->big, ctx->out, sizeof(*ctx->out)), 0);
}

enum spoil {
	SPOIL_NONE, SPOIL_MAGIC, SPOIL_SMALL, SPOIL_ODD, SPOIL_HUGE,
	SPOIL_LONG, SPOIL_TYPE, SPOIL_PAGE, SPOIL_PAGE0, SPOIL_ORDER,
	SPOIL_ORDER_NEG, SPOIL_HIGHEST, SPOIL_ZONES, SPOIL_MEM, SPOIL_STACK,
	SPOIL_TASKS, SPOIL_SLABS, SPOIL_COMM, SPOIL_VICTIM, SPOIL_TOP_TASK,
	SPOIL_PATH, SPOIL_SYM, SPOIL_SLAB, SPOIL_ZNAME, SPOIL_ZORDERS,
	SPOIL_ZMT, SPOIL_ZTYPE,
};

static void spoil(struct oomsnap_record *r, enum spoil how)
{
	switch (how) {
	case SPOIL_NONE:
		break;
	case SPOIL_MAGIC:
		r->magic = 0x4f4f4d53;		/* byte-swapped */
		break;
	case SPOIL_SMALL:
		r->size = OOMSNAP_RECORD_SIZE_VER0 - 8;
		break;
	case SPOIL_ODD:
		r->size = OOMSNAP_RECORD_SIZE_VER0 + 4;
		break;
	case SPOIL_HUGE:
		r->size = 1U << 30;
		break;
	case SPOIL_LONG:
		r->size = OOMSNAP_RECORD_SIZE_VER0 + 8;
		break;
	case SPOIL_TYPE:
		r->type = OOMSNAP_EVENT_MANUAL + 1;
		break;
	case SPOIL_PAGE:
		r->page_size = 3000;
		break;
	case SPOIL_PAGE0:
		r->page_size = 0;
		break;
	case SPOIL_ORDER:
		r->order = OOMSNAP_MAX_ORDERS;
		break;
	case SPOIL_ORDER_NEG:
		r->order = -2;
		break;
	case SPOIL_HIGHEST:
		r->highest_zone = OOMSNAP_MAX_ZONE_TYPES;
		break;
	case SPOIL_ZONES:
		r->nr_zones = OOMSNAP_MAX_ZONES + 1;
		break;
	case SPOIL_MEM:
		r->nr_mem = OOMSNAP_MAX_MEM + 1;
		break;
	case SPOIL_STACK:
		r->stack_depth = OOMSNAP_STACK_DEPTH + 1;
		break;
	case SPOIL_TASKS:
		r->nr_tasks = OOMSNAP_TOP_TASKS + 1;
		break;
	case SPOIL_SLABS:
		r->nr_slabs = OOMSNAP_TOP_SLABS + 1;
		break;
	case SPOIL_COMM:
		memset(r->task.comm, 'a', OOMSNAP_COMM_LEN);
		break;
	case SPOIL_VICTIM:
		memset(r->victim.comm, 'a', OOMSNAP_COMM_LEN);
		break;
	case SPOIL_TOP_TASK:
		memset(r->tasks[OOMSNAP_TOP_TASKS - 1].comm, 'a',
		       OOMSNAP_COMM_LEN);
		break;
	case SPOIL_PATH:
		memset(r->memcg_path, '/', OOMSNAP_PATH_LEN);
		break;
	case SPOIL_SYM:
		memset(r->stack[OOMSNAP_STACK_DEPTH - 1], 'f', OOMSNAP_SYM_LEN);
		break;
	case SPOIL_SLAB:
		memset(r->slabs[3].name, 'k', OOMSNAP_SLAB_NAME_LEN);
		break;
	case SPOIL_ZNAME:
		memset(r->zones[OOMSNAP_MAX_ZONES - 1].name, 'N',
		       OOMSNAP_ZONE_NAME_LEN);
		break;
	case SPOIL_ZORDERS:
		r->zones[0].nr_orders = OOMSNAP_MAX_ORDERS + 1;
		break;
	case SPOIL_ZMT:
		r->zones[1].nr_migratetypes = OOMSNAP_MAX_MIGRATETYPES + 1;
		break;
	case SPOIL_ZTYPE:
		r->zones[2].zone_type = OOMSNAP_MAX_ZONE_TYPES;
		break;
	}
}

#define WHOLE	((size_t)-1)

struct bad_case {
	const char *what;
	enum spoil how;
	size_t len;		/* bytes handed to the decoder */
};

static const struct bad_case bad_cases[] = {
	{ "empty buffer", SPOIL_NONE, 0 },
	{ "7 bytes", SPOIL_NONE, 7 },
	{ "half a record", SPOIL_NONE, OOMSNAP_RECORD_SIZE_VER0 / 2 },
	{ "one byte short", SPOIL_NONE, OOMSNAP_RECORD_SIZE_VER0 - 1 },
	{ "bad magic", SPOIL_MAGIC, WHOLE },
	{ "size below VER0", SPOIL_SMALL, WHOLE },
	{ "size not 8-aligned", SPOIL_ODD, WHOLE },
	{ "size absurd", SPOIL_HUGE, WHOLE },
	{ "size beyond the buffer", SPOIL_LONG, WHOLE },
	{ "unknown event type", SPOIL_TYPE, WHOLE },
	{ "page size 3000", SPOIL_PAGE, WHOLE },
	{ "page size 0", SPOIL_PAGE0, WHOLE },
	{ "order 16", SPOIL_ORDER, WHOLE },
	{ "order -2", SPOIL_ORDER_NEG, WHOLE },
	{ "highest zone 8", SPOIL_HIGHEST, WHOLE },
	{ "17 zones", SPOIL_ZONES, WHOLE },
	{ "65 mem slots", SPOIL_MEM, WHOLE },
	{ "stack depth 17", SPOIL_STACK, WHOLE },
	{ "9 tasks", SPOIL_TASKS, WHOLE },
	{ "9 slabs", SPOIL_SLABS, WHOLE },
	{ "task comm unterminated", SPOIL_COMM, WHOLE },
	{ "victim comm unterminated", SPOIL_VICTIM, WHOLE },
	{ "top task comm unterminated", SPOIL_TOP_TASK, WHOLE },
	{ "memcg path unterminated", SPOIL_PATH, WHOLE },
	{ "stack symbol unterminated", SPOIL_SYM, WHOLE },
	{ "slab name unterminated", SPOIL_SLAB, WHOLE },
	{ "zone name unterminated", SPOIL_ZNAME, WHOLE },
	{ "zone nr_orders 17", SPOIL_ZORDERS, WHOLE },
	{ "zone nr_migratetypes 9", SPOIL_ZMT, WHOLE },
	{ "zone type 8", SPOIL_ZTYPE, WHOLE },
};

static void bad_desc(const struct bad_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_desc);

static void record_decode_rejects(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct record_ctx *ctx = test->priv;
	const char *err = NULL;
	long ret;

	spoil(ctx->rec, c->how);
	ret = oomsnap_record_decode(ctx->rec, c->len == WHOLE ?
				    sizeof(*ctx->rec) : c->len, ctx->out, &err);
	KUNIT_EXPECT_EQ(test, ret, (long)-EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, err);
	KUNIT_EXPECT_GT(test, strlen(err), 0UL);
}

/* ---------------------------------------------------------------------- */
/* what the module writes                                                  */

struct write_case {
	const char *what;
	u32 type;
	bool have_gfp;
	gfp_t gfp;
	int order;
	bool memcg;
	bool in_irq;
};

static const struct write_case write_cases[] = {
	{ "global OOM", OOMSNAP_EVENT_OOM, true, GFP_KERNEL, 0 },
	{ "sysrq OOM (gfp 0, order -1)", OOMSNAP_EVENT_OOM, true, 0, -1 },
	{ "memcg OOM", OOMSNAP_EVENT_MEMCG_OOM, true, GFP_KERNEL, 0, true },
	{ "allocation failure", OOMSNAP_EVENT_ALLOC_FAILURE, true,
	  GFP_NOWAIT | __GFP_NOWARN, 3 },
	{ "allocation failure in IRQ", OOMSNAP_EVENT_ALLOC_FAILURE, true,
	  GFP_ATOMIC, 2, false, true },
	{ "manual", OOMSNAP_EVENT_MANUAL, false },
};

static void write_desc(const struct write_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(write, write_cases, write_desc);

static const struct oomsnap_capture_limits limits = {
	.walk_limit = 256,
	.task_scan_limit = 512,
	.may_spin = true,
};

struct irq_capture {
	struct hrtimer timer;
	struct oomsnap_ring *ring;
	const struct oomsnap_request *req;
	bool done;
	bool was_irq;
};

static enum hrtimer_restart irq_capture_fn(struct hrtimer *t)
{
	struct irq_capture *ic = container_of(t, struct irq_capture, timer);
	struct oomsnap_record *rec = oomsnap_ring_reserve(ic->ring);

	ic->was_irq = in_hardirq();
	if (rec) {
		oomsnap_capture(rec, ic->req, &limits);
		oomsnap_ring_commit(ic->ring, rec);
	}
	WRITE_ONCE(ic->done, true);
	return HRTIMER_NORESTART;
}

/* Capture as the module's event path does: into a ring slot, then copy out. */
static void capture_like_module(struct kunit *test, const struct write_case *c)
{
	struct record_ctx *ctx = test->priv;
	struct oomsnap_request req = {
		.type = c->type,
		.have_gfp = c->have_gfp,
		.gfp = c->gfp,
		.order = c->order,
		.have_nodemask = c->have_gfp,
		.may_lock = !c->in_irq,
		.may_spin = true,
	};
	struct oomsnap_record *rec;

	oomsnap_symbols_resolve();
	if (c->memcg) {
		req.memcg = get_mem_cgroup_from_mm(NULL);
		KUNIT_ASSERT_NOT_NULL(test, req.memcg);
	}
	if (c->in_irq) {
		struct irq_capture ic = { .ring = &ctx->ring, .req = &req };

		hrtimer_init(&ic.timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
		ic.timer.function = irq_capture_fn;
		hrtimer_start(&ic.timer, ns_to_ktime(1000), HRTIMER_MODE_REL_HARD);
		while (!READ_ONCE(ic.done))
			cpu_relax();
		hrtimer_cancel(&ic.timer);
		KUNIT_EXPECT_TRUE(test, ic.was_irq);
	} else {
		rec = oomsnap_ring_reserve(&ctx->ring);
		KUNIT_ASSERT_NOT_NULL(test, rec);
		oomsnap_capture(rec, &req, &limits);
		oomsnap_ring_commit(&ctx->ring, rec);
	}
	if (req.memcg)
		mem_cgroup_put(req.memcg);
	KUNIT_ASSERT_NE(test, oomsnap_ring_copy_last(&ctx->ring, ctx->rec), 0ULL);
}

/* (major << 16) | (minor << 8) of the running kernel, from uname -r */
static u32 running_era(void)
{
	unsigned int major = 0, minor = 0;

	if (sscanf(init_utsname()->release, "%u.%u", &major, &minor) != 2)
		return 0;
	return OOMSNAP_ERA(major, minor);
}

static void record_written_decodes(struct kunit *test)
{
	const struct write_case *c = test->param_value;
	struct record_ctx *ctx = test->priv;
	const char *err = NULL;
	long ret;

	capture_like_module(test, c);
	ret = oomsnap_record_decode(ctx->rec, sizeof(*ctx->rec), ctx->out, &err);
	KUNIT_EXPECT_EQ_MSG(test, ret, (long)sizeof(*ctx->rec), "%s",
			    err ? err : "");
	KUNIT_EXPECT_EQ(test, memcmp(ctx->rec, ctx->out, sizeof(*ctx->rec)), 0);

	KUNIT_EXPECT_EQ(test, ctx->out->type, c->type);
	KUNIT_EXPECT_EQ(test, ctx->out->page_size, (u32)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ctx->out->kernel_era, running_era());
	KUNIT_EXPECT_LT(test, ctx->out->cpu, (u32)nr_cpu_ids);
	KUNIT_EXPECT_EQ(test, ctx->out->in_irq, (u32)c->in_irq);
	KUNIT_EXPECT_TRUE(test, ctx->out->have & OOMSNAP_HAVE_ZONES);
	KUNIT_EXPECT_GT(test, ctx->out->nr_zones, 0U);
	KUNIT_EXPECT_GT(test, ctx->out->nr_mem, 0U);
	if (c->have_gfp) {
		KUNIT_EXPECT_TRUE(test, ctx->out->have & OOMSNAP_HAVE_GFP);
		KUNIT_EXPECT_EQ(test, ctx->out->gfp_raw,
				(u64)(__force unsigned int)c->gfp);
		KUNIT_EXPECT_EQ(test, ctx->out->order, c->order);
	} else {
		KUNIT_EXPECT_FALSE(test, ctx->out->have & OOMSNAP_HAVE_GFP);
	}
	/*
	 * The case's memcg is the root one, which cgroup v2 does not charge:
	 * the module leaves the memcg fields out rather than report usage 0.
	 */
	if (c->memcg) {
		KUNIT_EXPECT_FALSE(test, ctx->out->have & OOMSNAP_HAVE_MEMCG);
		KUNIT_EXPECT_STREQ(test, ctx->out->memcg_path, "");
	}
}

static bool zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

/* After the first NUL, only NULs. */
static bool nul_padded(const char *s, size_t len)
{
	size_t n = strnlen(s, len);

	return n < len && zero(s + n, len - n);
}

static void expect_task_clean(struct kunit *test, const struct oomsnap_task *t,
			      const char *what)
{
	KUNIT_EXPECT_EQ_MSG(test, t->__reserved, 0U, "%s", what);
	KUNIT_EXPECT_TRUE_MSG(test, nul_padded(t->comm, sizeof(t->comm)),
			      "%s comm", what);
}

static void expect_zone_clean(struct kunit *test, const struct oomsnap_zone *z,
			      unsigned int i)
{
	unsigned int o;

	KUNIT_EXPECT_TRUE_MSG(test, nul_padded(z->name, sizeof(z->name)),
			      "zone %u name", i);
	KUNIT_EXPECT_LE(test, z->nr_orders, (u32)OOMSNAP_MAX_ORDERS);
	KUNIT_EXPECT_LE(test, z->nr_migratetypes, (u32)OOMSNAP_MAX_MIGRATETYPES);
	for (o = 0; o < OOMSNAP_MAX_ORDERS; o++) {
		if (o >= z->nr_orders) {
			KUNIT_EXPECT_EQ_MSG(test, z->nr_free[o], 0ULL,
					    "zone %u order %u", i, o);
			KUNIT_EXPECT_TRUE_MSG(test, zero(z->nr_free_mt[o],
							 sizeof(z->nr_free_mt[o])),
					      "zone %u order %u mt", i, o);
			KUNIT_EXPECT_EQ_MSG(test, z->mt_capped[o], 0,
					    "zone %u order %u capped", i, o);
			continue;
		}
		KUNIT_EXPECT_TRUE_MSG(test,
				      zero(&z->nr_free_mt[o][z->nr_migratetypes],
					   (OOMSNAP_MAX_MIGRATETYPES -
					    z->nr_migratetypes) * sizeof(u32)),
				      "zone %u order %u: unused mt columns", i, o);
	}
	KUNIT_EXPECT_TRUE_MSG(test, zero(&z->vmstat[OOMSNAP_ZV_NR],
					 (OOMSNAP_ZONE_VMSTAT_SLOTS - OOMSNAP_ZV_NR) *
					 sizeof(u64)),
			      "zone %u: unused vmstat slots", i);
	KUNIT_EXPECT_TRUE_MSG(test, zero(&z->lowmem_reserve[OOMSNAP_ZONE_DEVICE],
					 (OOMSNAP_MAX_ZONE_TYPES - OOMSNAP_ZONE_DEVICE) *
					 sizeof(u64)),
			      "zone %u: lowmem_reserve beyond the zone types", i);
}

static void record_written_unused_bytes_zero(struct kunit *test)
{
	const struct write_case *c = test->param_value;
	struct record_ctx *ctx = test->priv;
	const struct oomsnap_record *r = ctx->rec;
	unsigned int i;

	capture_like_module(test, c);
	KUNIT_EXPECT_TRUE(test, zero(r->__reserved, sizeof(r->__reserved)));
	KUNIT_EXPECT_EQ(test, r->__reserved0, 0U);
	KUNIT_EXPECT_EQ(test, r->__reserved1, 0U);
	KUNIT_EXPECT_TRUE(test, zero(r->xen.__reserved,
				     sizeof(r->xen.__reserved)));
	expect_task_clean(test, &r->task, "task");
	if (r->have & OOMSNAP_HAVE_VICTIM)
		expect_task_clean(test, &r->victim, "victim");
	else
		KUNIT_EXPECT_TRUE(test, zero(&r->victim, sizeof(r->victim)));
	KUNIT_EXPECT_TRUE(test, nul_padded(r->memcg_path,
					   sizeof(r->memcg_path)));

	for (i = 0; i < OOMSNAP_STACK_DEPTH; i++) {
		if (i < r->stack_depth)
			KUNIT_EXPECT_TRUE_MSG(test, nul_padded(r->stack[i],
							       OOMSNAP_SYM_LEN),
					      "stack %u", i);
		else
			KUNIT_EXPECT_TRUE_MSG(test, zero(r->stack[i],
							 OOMSNAP_SYM_LEN),
					      "stack %u unused", i);
	}
	for (i = 0; i < OOMSNAP_MAX_ZONES; i++) {
		if (i < r->nr_zones)
			expect_zone_clean(test, &r->zones[i], i);
		else
			KUNIT_EXPECT_TRUE_MSG(test, zero(&r->zones[i],
							 sizeof(r->zones[i])),
					      "zone %u unused", i);
	}
	for (i = 0; i < OOMSNAP_MAX_MEM; i++)
		if (i >= r->nr_mem || !(r->mem_have & (1ULL << i)))
			KUNIT_EXPECT_EQ_MSG(test, r->mem[i], 0ULL,
					    "mem[%u] without data", i);
	for (i = 0; i < OOMSNAP_TOP_TASKS; i++) {
		if (i < r->nr_tasks)
			expect_task_clean(test, &r->tasks[i], "top task");
		else
			KUNIT_EXPECT_TRUE_MSG(test, zero(&r->tasks[i],
							 sizeof(r->tasks[i])),
					      "task %u unused", i);
	}
	for (i = 0; i < OOMSNAP_TOP_SLABS; i++) {
		if (i < r->nr_slabs)
			KUNIT_EXPECT_TRUE(test, nul_padded(r->slabs[i].name,
							   OOMSNAP_SLAB_NAME_LEN));
		else
			KUNIT_EXPECT_TRUE_MSG(test, zero(&r->slabs[i],
							 sizeof(r->slabs[i])),
					      "slab %u unused", i);
	}
}

/*
 * The memcg of the task that loads oomsnap.ko. KUnit runs a module's suites
 * while insmod loads it, before the module's init: the suite's init runs in
 * insmod, the cases in kthreads, which have no mm. tests/kunit/guest.sh
 * creates the cgroup LOADER_MEMCG_PATH with memory.max = LOADER_MEMCG_MAX and
 * execs insmod in it, the group's only task.
 */
#define LOADER_MEMCG_PATH	"/oomsnap-kunit"
#define LOADER_MEMCG_MAX	(64ULL << 20)

static struct mem_cgroup *loader_memcg;
static pid_t loader_tgid;

static int record_suite_init(struct kunit_suite *suite)
{
	loader_memcg = get_mem_cgroup_from_mm(current->mm);
	loader_tgid = task_tgid_nr(current);
	return 0;
}

static void record_suite_exit(struct kunit_suite *suite)
{
	mem_cgroup_put(loader_memcg);
	loader_memcg = NULL;
}

/* A memcg OOM in a child cgroup: its path, limit and usage are recorded. */
static void capture_memcg_child(struct kunit *test)
{
	struct record_ctx *ctx = test->priv;
	struct oomsnap_record *r = ctx->rec;

	KUNIT_ASSERT_NOT_NULL(test, loader_memcg);
	memset(r, 0, sizeof(*r));
	oomsnap_capture_memcg(r, loader_memcg, true);
	KUNIT_ASSERT_TRUE(test, r->have & OOMSNAP_HAVE_MEMCG);
	KUNIT_EXPECT_STREQ(test, r->memcg_path, LOADER_MEMCG_PATH);
	KUNIT_EXPECT_TRUE(test, nul_padded(r->memcg_path,
					   sizeof(r->memcg_path)));
	KUNIT_EXPECT_EQ(test, r->memcg_limit, LOADER_MEMCG_MAX / PAGE_SIZE);
	/* insmod read this module into memory charged to the cgroup */
	KUNIT_EXPECT_GT(test, r->memcg_usage, 0ULL);
	KUNIT_EXPECT_LE(test, r->memcg_usage, r->memcg_limit);
	KUNIT_EXPECT_EQ(test, r->memcg_usage,
			(u64)page_counter_read(&loader_memcg->memory));
}

/*
 * A memcg OOM's top tasks are its group's: the loader's cgroup holds
 * insmod alone (guest.sh execs it there), one task looked at; the host's
 * walk looks at more, the bound holds for both.
 */
static void capture_memcg_tasks(struct kunit *test)
{
	struct record_ctx *ctx = test->priv;
	struct oomsnap_record *r = ctx->rec;

	KUNIT_ASSERT_NOT_NULL(test, loader_memcg);
	memset(r, 0, sizeof(*r));
	oomsnap_symbols_resolve();
	oomsnap_capture_tasks(r, loader_memcg, true, 4096);
	KUNIT_ASSERT_EQ(test, r->tasks_status, (u32)OOMSNAP_OK);
	KUNIT_EXPECT_TRUE(test, r->have & OOMSNAP_HAVE_TASKS);
	KUNIT_ASSERT_EQ(test, r->nr_tasks, 1U);
	KUNIT_EXPECT_EQ(test, r->tasks[0].tgid, loader_tgid);
	KUNIT_EXPECT_STREQ(test, r->tasks[0].comm, "insmod");
	KUNIT_EXPECT_EQ(test, r->tasks_scanned, 1U);
	KUNIT_EXPECT_EQ(test, r->tasks_capped, 0U);

	memset(r, 0, sizeof(*r));
	oomsnap_capture_tasks(r, NULL, true, 4096);
	KUNIT_EXPECT_GT(test, r->tasks_scanned, 1U);

	/* every task looked at counts, the group's as the host's */
	memset(r, 0, sizeof(*r));
	oomsnap_capture_tasks(r, loader_memcg, true, 1);
	KUNIT_EXPECT_EQ(test, r->tasks_scanned, 1U);
	memset(r, 0, sizeof(*r));
	oomsnap_capture_tasks(r, NULL, true, 2);
	KUNIT_EXPECT_EQ(test, r->tasks_scanned, 2U);
	KUNIT_EXPECT_EQ(test, r->tasks_capped, 1U);
}

static struct kunit_case record_cases[] = {
	KUNIT_CASE(record_size_ver0),
	KUNIT_CASE(record_layout_no_padding),
	KUNIT_CASE(record_decode_accepts_ver0),
	KUNIT_CASE(record_decode_accepts_future_size),
	KUNIT_CASE_PARAM(record_decode_rejects, bad_gen_params),
	KUNIT_CASE_PARAM(record_written_decodes, write_gen_params),
	KUNIT_CASE_PARAM(record_written_unused_bytes_zero, write_gen_params),
	KUNIT_CASE(capture_memcg_child),
	KUNIT_CASE(capture_memcg_tasks),
	{}
};

static struct kunit_suite record_suite = {
	.name = "oomsnap_record",
	.suite_init = record_suite_init,
	.suite_exit = record_suite_exit,
	.init = record_test_init,
	.exit = record_test_exit,
	.test_cases = record_cases,
};

kunit_test_suite(record_suite);
