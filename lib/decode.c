// SPDX-License-Identifier: GPL-2.0
/*
 * Checked decoding of one struct oomsnap_record from untrusted bytes (the
 * reader's raw files, KUnit, the fuzzer). Versioned by size as clone_args:
 * a newer writer's tail is skipped, an older writer can't be older than
 * VER0. Every count is bounded and every string terminated before anyone
 * indexes with it. Also the record's blank sheet for the log parser and
 * its one page-to-kB conversion.
 */
#include "base.h"
#include "decode.h"

/*
 * The record is the latest published size, and its layout the same for
 * every reader: these hold on i386 (tests build the reader -m32) as on
 * x86_64, since every 64-bit field is __aligned_u64.
 */
static_assert(sizeof(struct oomsnap_record) == OOMSNAP_RECORD_SIZE_VER0,
	      "the record is the latest published size");
static_assert(__alignof__(struct oomsnap_record) == 8, "8-byte aligned");
static_assert(sizeof(struct oomsnap_zone) == 960, "zone layout");
static_assert(sizeof(struct oomsnap_task) == 88, "task layout");
static_assert(sizeof(struct oomsnap_slab) == 64, "slab layout");
static_assert(sizeof(struct oomsnap_xen) == 128, "xen layout");
static_assert(offsetof(struct oomsnap_record, zones) == 2008, "zones offset");
static_assert(offsetof(struct oomsnap_record, slabs_age_ms) == 18744,
	      "slabs_age_ms offset");

static bool terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len);
}

static bool task_ok(const struct oomsnap_task *t)
{
	return terminated(t->comm, sizeof(t->comm));
}

static const char *check_zone(const struct oomsnap_zone *z)
{
	if (!terminated(z->name, sizeof(z->name)))
		return "zone name not NUL-terminated";
	if (z->nr_orders > OOMSNAP_MAX_ORDERS)
		return "zone nr_orders above OOMSNAP_MAX_ORDERS";
	if (z->nr_migratetypes > OOMSNAP_MAX_MIGRATETYPES)
		return "zone nr_migratetypes above OOMSNAP_MAX_MIGRATETYPES";
	if (z->zone_type >= OOMSNAP_MAX_ZONE_TYPES)
		return "zone type out of range";
	return NULL;
}

static const char *check_record(const struct oomsnap_record *r)
{
	const char *why;
	__u32 i;

	if (r->type > OOMSNAP_EVENT_MANUAL)
		return "unknown event type";
	if (r->page_size < 1024 || r->page_size > (1U << 24) ||
	    (r->page_size & (r->page_size - 1)))
		return "page_size not a power of two in 1 kB .. 16 MB";
	if (r->order < -1 || r->order >= OOMSNAP_MAX_ORDERS)
		return "order out of range";
	if (r->highest_zone >= OOMSNAP_MAX_ZONE_TYPES)
		return "highest_zone out of range";
	if (r->nr_zones > OOMSNAP_MAX_ZONES)
		return "nr_zones above OOMSNAP_MAX_ZONES";
	if (r->nr_mem > OOMSNAP_MAX_MEM)
		return "nr_mem above OOMSNAP_MAX_MEM";
	if (r->stack_depth > OOMSNAP_STACK_DEPTH)
		return "stack_depth above OOMSNAP_STACK_DEPTH";
	if (r->nr_tasks > OOMSNAP_TOP_TASKS)
		return "nr_tasks above OOMSNAP_TOP_TASKS";
	if (r->nr_slabs > OOMSNAP_TOP_SLABS)
		return "nr_slabs above OOMSNAP_TOP_SLABS";
	if (!task_ok(&r->task) || !task_ok(&r->victim))
		return "task comm not NUL-terminated";
	if (!terminated(r->memcg_path, sizeof(r->memcg_path)))
		return "memcg_path not NUL-terminated";
	for (i = 0; i < OOMSNAP_STACK_DEPTH; i++)
		if (!terminated(r->stack[i], sizeof(r->stack[i])))
			return "stack entry not NUL-terminated";
	for (i = 0; i < OOMSNAP_TOP_TASKS; i++)
		if (!task_ok(&r->tasks[i]))
			return "top task comm not NUL-terminated";
	for (i = 0; i < OOMSNAP_TOP_SLABS; i++)
		if (!terminated(r->slabs[i].name, sizeof(r->slabs[i].name)))
			return "slab name not NUL-terminated";
	for (i = 0; i < OOMSNAP_MAX_ZONES; i++) {
		why = check_zone(&r->zones[i]);
		if (why)
			return why;
	}
	return NULL;
}

/* The header every version shares: size, then magic. */
static const char *check_header(const unsigned char *bytes, __u32 *size)
{
	__u32 magic;

	memcpy(size, bytes, sizeof(*size));
	memcpy(&magic, bytes + 4, sizeof(magic));
	if (magic != OOMSNAP_MAGIC)
		return "bad magic: not an oomsnap record";
	if (*size < OOMSNAP_RECORD_SIZE_VER0)
		return "record size below OOMSNAP_RECORD_SIZE_VER0";
	if (*size % 8)
		return "record size not a multiple of 8";
	if (*size > OOMSNAP_RECORD_SIZE_MAX)
		return "record size absurdly large";
	return NULL;
}

__u32 oomsnap_record_size(const void *buf, size_t len)
{
	__u32 size;

	if (len < 8 || check_header(buf, &size))
		return 0;
	return size;
}

long oomsnap_record_decode(const void *buf, size_t len,
			   struct oomsnap_record *out, const char **err)
{
	const unsigned char *bytes = buf;
	const char *why;
	__u32 size;

	*err = NULL;
	if (len < 8) {
		*err = "truncated record: fewer than 8 bytes of header";
		return -EINVAL;
	}
	why = check_header(bytes, &size);
	if (why) {
		*err = why;
		return -EINVAL;
	}
	if (size > len) {
		*err = "truncated record: fewer bytes than its size";
		return -EINVAL;
	}

	memset(out, 0, sizeof(*out));
	memcpy(out, bytes, size < sizeof(*out) ? size : sizeof(*out));
	why = check_record(out);
	if (why) {
		*err = why;
		return -EINVAL;
	}
	return size;
}

__u64 oomsnap_pages_kb(const struct oomsnap_record *rec, __u64 pages)
{
	__u32 page_size = rec->page_size ? rec->page_size : 4096;

	return pages * (page_size / 1024);
}

void oomsnap_record_init(struct oomsnap_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->size = sizeof(*rec);
	rec->magic = OOMSNAP_MAGIC;
	rec->page_size = 4096;
	rec->order = -1;
	rec->highest_zone = OOMSNAP_ZONE_NORMAL;
}
