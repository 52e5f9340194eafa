// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap: read what oomsnap.ko captured, explain saved kernel logs, and
 * show the allocator's headroom live. Commands and options are in usage()
 * and oomsnap(8); exit statuses in cli.h.
 *
 * Every command gathers first, then prints plain text or JSON (bpftool
 * style); in JSON mode errors are {"error": "..."} objects too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oomsnap_engine.h"
#include "oomsnap_version.h"
#include "logparse.h"
#include "cli.h"
#include "json.h"
#include "logsource.h"
#include "logstamp.h"
#include "record.h"

#define READ_CHUNK	(1 << 20)
#ifndef MAX_PHYS_LINE	/* the fuzzer sets a small one */
#define MAX_PHYS_LINE	(1 << 16)	/* longer lines are cut: memory stays bounded */
#endif
/* The "version" of every JSON document: bumped when a key changes meaning. */
#define JSON_SCHEMA_VERSION	1

bool json_mode;
const char *dir = OOMSNAP_DEFAULT_DIR;
static bool verbose;
static const char *raw_file;

void fail(int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(stdout);
	if (json_mode) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "error", msg);
		json_obj_end(&j);
	} else {
		fprintf(stderr, "oomsnap: %s\n", msg);
	}
	exit(status);
}

/* ---------------------------------------------------------------------- */
/* records */

struct records {
	struct oomsnap_record *v;
	size_t n, cap;
};

static void records_push(struct records *r, const struct oomsnap_record *rec)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		if (!r->v)
			fail(EXIT_TROUBLE, "out of memory");
	}
	r->v[r->n++] = *rec;
}

static const char *raw_path(char *buf, size_t len)
{
	if (raw_file)
		return raw_file;
	snprintf(buf, len, "%s/raw", dir);
	return buf;
}

/* Bytes per read(): whole records per read() from debugfs; small in the fuzzer. */
static size_t read_chunk = READ_CHUNK;

/*
 * Decode whole records from fd until read() returns 0. A record cut by the
 * end of one read() waits in *carry for the next call; at the end of a file
 * (final) it is an error: a truncated file. The buffer holds the largest
 * record the decoder accepts plus one read, so whatever size a header
 * claims, a read never runs past it. Returns NULL or a one-line error.
 */
static const char *read_records(int fd, const char *path, struct records *out,
				unsigned char **carry, size_t *carry_len,
				bool final)
{
	static char errbuf[512];
	static unsigned char *buf;
	static size_t cap;
	size_t have = *carry_len, pos = 0;
	ssize_t n;

	if (cap < OOMSNAP_RECORD_SIZE_MAX + read_chunk) {
		free(buf);
		cap = OOMSNAP_RECORD_SIZE_MAX + read_chunk;
		buf = malloc(cap);
		if (!buf)
			fail(EXIT_TROUBLE, "out of memory");
	}
	if (have)
		memcpy(buf, *carry, have);
	for (;;) {
		size_t off = 0;

		/* have < OOMSNAP_RECORD_SIZE_MAX here: see the break below */
		n = read(fd, buf + have, read_chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(errbuf, sizeof(errbuf), "%s: %s", path,
				 strerror(errno));
			return errbuf;
		}
		have += (size_t)n;
		while (have - off >= 8) {
			struct oomsnap_record rec;
			const char *err;
			__u32 size, magic;
			long used;

			memcpy(&size, buf + off, sizeof(size));
			memcpy(&magic, buf + off + 4, sizeof(magic));
			/* a plausible record not read whole yet: wait for more */
			if (size > have - off && magic == OOMSNAP_MAGIC &&
			    size >= OOMSNAP_RECORD_SIZE_VER0 && size % 8 == 0 &&
			    size <= OOMSNAP_RECORD_SIZE_MAX)
				break;
			used = oomsnap_record_decode(buf + off, have - off,
						     &rec, &err);
			if (used < 0) {
				snprintf(errbuf, sizeof(errbuf),
					 "%s: record at offset %zu: %s", path,
					 pos + off, err);
				return errbuf;
			}
			records_push(out, &rec);
			off += (size_t)used;
		}
		have -= off;
		memmove(buf, buf + off, have);
		pos += off;
		if (n == 0)
			break;
	}
	if (final && have) {
		snprintf(errbuf, sizeof(errbuf),
			 "%s: truncated record: %zu stray bytes at the end",
			 path, have);
		return errbuf;
	}
	if (have) {
		*carry = realloc(*carry, have);
		if (!*carry)
			fail(EXIT_TROUBLE, "out of memory");
		memcpy(*carry, buf, have);
	}
	*carry_len = have;
	return NULL;
}

static void load_records(struct records *out)
{
	char pathbuf[4096];
	const char *path = raw_path(pathbuf, sizeof(pathbuf));
	unsigned char *carry = NULL;
	size_t carry_len = 0;
	const char *err;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		fail(EXIT_TROUBLE, "%s: %s%s", path, strerror(errno),
		     errno == ENOENT && !raw_file ? " (is oomsnap.ko loaded and debugfs mounted?)" : "");
	err = read_records(fd, path, out, &carry, &carry_len, true);
	if (err)
		fail(EXIT_TROUBLE, "%s", err);
	free(carry);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* JSON of one record */

static void json_ku64_if(struct json *j, const char *key, bool have, __u64 v)
{
	json_key(j, key);
	if (have)
		json_u64(j, v);
	else
		json_null(j);
}

/*
 * A task. What a kernel log never says is null for a record parsed from
 * one (@from_log): the requester's uid, sizes and swap entries (the report
 * names it and its pid only), and any task's tgid and swap entries.
 */
static void json_task(struct json *j, const char *key,
		      const struct oomsnap_record *rec,
		      const struct oomsnap_task *t, bool from_log)
{
	bool sizes = !from_log || t == &rec->victim;

	json_key(j, key);
	json_obj_begin(j);
	json_ks64(j, "pid", t->pid);
	json_key(j, "tgid");
	if (from_log)
		json_null(j);
	else
		json_s64(j, t->tgid);
	json_ku64_if(j, "uid", sizes, t->uid);
	json_kstr(j, "comm", t->comm);
	json_ks64(j, "oom_score_adj", t->oom_score_adj);
	json_ku64_if(j, "total_vm_kb", sizes, oomsnap_pages_kb(rec, t->total_vm));
	json_ku64_if(j, "rss_anon_kb", sizes, oomsnap_pages_kb(rec, t->rss_anon));
	json_ku64_if(j, "rss_file_kb", sizes, oomsnap_pages_kb(rec, t->rss_file));
	json_ku64_if(j, "rss_shmem_kb", sizes, oomsnap_pages_kb(rec, t->rss_shmem));
	json_ku64_if(j, "swapents", !from_log, t->swapents);
	json_obj_end(j);
}

static void json_lines(struct json *j, const char *key,
		       char (*lines)[OOMSNAP_DIAG_LINE_LEN], unsigned int n)
{
	unsigned int i;

	json_key(j, key);
	json_arr_begin(j);
	for (i = 0; i < n && i < OOMSNAP_DIAG_MAX_LINES; i++)
		json_strn(j, lines[i], strnlen(lines[i], OOMSNAP_DIAG_LINE_LEN));
	json_arr_end(j);
}

static void json_diagnosis(struct json *j, const struct oomsnap_diagnosis *d)
{
	unsigned int i;

	json_kstr(j, "cause", oomsnap_cause_name(d->cause));
	json_key(j, "contributing");
	json_arr_begin(j);
	for (i = 0; i < OOMSNAP_CAUSE_NR; i++)
		if (d->contributing & (1U << i))
			json_str(j, oomsnap_cause_name(i));
	json_arr_end(j);
	json_lines(j, "evidence", (char (*)[OOMSNAP_DIAG_LINE_LEN])d->evidence,
		   d->nr_evidence);
	json_lines(j, "missing", (char (*)[OOMSNAP_DIAG_LINE_LEN])d->missing,
		   d->nr_missing);
}

/* @key: pages of @rec in kB, or null when the record lacks the value. */
static void json_kkb(struct json *j, const char *key,
		     const struct oomsnap_record *rec, bool have, __u64 pages)
{
	json_key(j, key);
	if (have)
		json_u64(j, oomsnap_pages_kb(rec, pages));
	else
		json_null(j);
}

/* The request's watermark check in zone @z: "pass", "fail", "fail_order", "not_allowed". */
static const char *zone_check(const struct oomsnap_record *rec,
			      const struct oomsnap_zone *z)
{
	unsigned int hz = rec->highest_zone < OOMSNAP_MAX_ZONE_TYPES ?
			  rec->highest_zone : OOMSNAP_ZONE_NORMAL;
	struct oomsnap_wmark_check chk;

	if (!(rec->have & OOMSNAP_HAVE_GFP) ||
	    !(z->have & OOMSNAP_ZONE_HAVE_WMARK) ||
	    !(z->have & OOMSNAP_ZONE_HAVE_FREE))
		return NULL;
	if (z->zone_type > hz)
		return "not_allowed";
	if (oomsnap_zone_watermark_ok(rec, z, rec->order,
				      z->wmark_min + z->wmark_boost, hz,
				      oomsnap_alloc_flags(rec, rec->gfp, rec->order),
				      &chk))
		return "pass";
	return chk.order0_ok ? "fail_order" : "fail";
}

static void json_zone(struct json *j, const struct oomsnap_record *rec,
		      const struct oomsnap_zone *z)
{
	unsigned int i, n = z->nr_orders < OOMSNAP_MAX_ORDERS ? z->nr_orders :
							       OOMSNAP_MAX_ORDERS;
	const char *check = zone_check(rec, z);

	json_obj_begin(j);
	json_ku64(j, "node", z->node);
	json_kstr(j, "name", z->name);
	json_kstr(j, "type", oomsnap_zone_type_name(z->zone_type));
	json_kkb(j, "free_kb", rec, z->have & OOMSNAP_ZONE_HAVE_FREE, z->free);
	json_kkb(j, "min_kb", rec, z->have & OOMSNAP_ZONE_HAVE_WMARK, z->wmark_min);
	json_kkb(j, "low_kb", rec, z->have & OOMSNAP_ZONE_HAVE_WMARK, z->wmark_low);
	json_kkb(j, "high_kb", rec, z->have & OOMSNAP_ZONE_HAVE_WMARK, z->wmark_high);
	json_kkb(j, "boost_kb", rec, z->have & OOMSNAP_ZONE_HAVE_BOOST, z->wmark_boost);
	json_kkb(j, "highatomic_kb", rec, z->have & OOMSNAP_ZONE_HAVE_HIGHATOMIC,
		 z->reserved_highatomic);
	json_kkb(j, "managed_kb", rec, z->have & OOMSNAP_ZONE_HAVE_MANAGED, z->managed);
	json_kkb(j, "present_kb", rec, z->have & OOMSNAP_ZONE_HAVE_PRESENT, z->present);
	json_kbool(j, "all_unreclaimable", z->flags & OOMSNAP_ZONE_ALL_UNRECLAIMABLE);
	json_key(j, "check");
	if (check)
		json_str(j, check);
	else
		json_null(j);
	json_key(j, "lowmem_reserve");
	if (z->have & OOMSNAP_ZONE_HAVE_RESERVE) {
		json_obj_begin(j);
		for (i = 0; i <= OOMSNAP_ZONE_DEVICE; i++)
			json_ku64(j, oomsnap_zone_type_name(i), z->lowmem_reserve[i]);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	if (z->have & OOMSNAP_ZONE_HAVE_BUDDY) {
		json_key(j, "nr_free");
		json_arr_begin(j);
		for (i = 0; i < n; i++)
			json_u64(j, z->nr_free[i]);
		json_arr_end(j);
	}
	json_obj_end(j);
}

/* enum oomsnap_status as a JSON token (the text has the sentence). */
static const char *status_token(__u32 status)
{
	static const char *const tokens[] = {
		[OOMSNAP_OK]		 = "ok",
		[OOMSNAP_NOT_CAPTURED]	 = "not_captured",
		[OOMSNAP_NOT_EXPORTED]	 = "not_exported",
		[OOMSNAP_ATOMIC_CONTEXT] = "atomic_context",
		[OOMSNAP_LOCK_BUSY]	 = "lock_busy",
		[OOMSNAP_NOT_IN_LOG]	 = "not_in_log",
		[OOMSNAP_NOT_CONFIGURED] = "not_configured",
		[OOMSNAP_NOT_XEN]	 = "not_xen",
		[OOMSNAP_NOT_LOADED]	 = "not_loaded",
		[OOMSNAP_NOT_DOM0]	 = "not_dom0",
	};

	return status < sizeof(tokens) / sizeof(tokens[0]) && tokens[status] ?
	       tokens[status] : "unknown";
}

/* "status" is "ok" or why the value is missing; values only when present. */
static void json_status(struct json *j, __u32 status)
{
	json_kstr(j, "status", status_token(status));
}

static void json_xen(struct json *j, const struct oomsnap_record *rec)
{
	const struct oomsnap_xen *x = &rec->xen;

	json_key(j, "xen");
	json_obj_begin(j);
	json_status(j, rec->xen_status);
	if (rec->xen_status) {
		json_obj_end(j);
		return;
	}
	json_kstr(j, "domain", oomsnap_xen_domain_name(x->domain));
	json_key(j, "balloon");
	json_obj_begin(j);
	json_status(j, x->balloon_status);
	if (!x->balloon_status) {
		json_ku64(j, "current_kb", oomsnap_pages_kb(rec, x->balloon_current));
		json_ku64(j, "target_kb", oomsnap_pages_kb(rec, x->balloon_target));
		json_ku64(j, "low_kb", oomsnap_pages_kb(rec, x->balloon_low));
		json_ku64(j, "high_kb", oomsnap_pages_kb(rec, x->balloon_high));
	}
	json_obj_end(j);
	json_key(j, "blkback");
	json_obj_begin(j);
	json_status(j, x->blkback_status);
	if (!x->blkback_status) {
		json_ku64(j, "vbds", x->blkback_vbds);
		json_ku64(j, "rings", x->blkback_rings);
		json_ku64(j, "max_ring_order", x->blkback_max_ring_order);
		json_ku64(j, "max_buffer_pages", x->blkback_max_buffer_pages);
		json_ku64(j, "max_persistent_grants", x->blkback_max_persistent_grants);
		json_ku64(j, "pages_worst_kb", oomsnap_pages_kb(rec, x->blkback_pages_worst));
		json_kstr(j, "held_status", status_token(x->blkback_held_status));
		if (!x->blkback_held_status)
			json_ku64(j, "pages_held_kb",
				  oomsnap_pages_kb(rec, x->blkback_pages_held));
	}
	json_obj_end(j);
	json_key(j, "grant");
	json_obj_begin(j);
	json_status(j, x->grant_status);
	if (!x->grant_status)
		json_ku64(j, "mapped_kb", oomsnap_pages_kb(rec, x->grant_mapped_pages));
	json_obj_end(j);
	json_obj_end(j);
}

/*
 * One record's members. A record parsed from a log (@from_log) has no
 * sequence number, clock or CPU of its own: those keys are left out (the
 * log's own stamps are in "log").
 */
static void json_record(struct json *j, const struct oomsnap_record *rec,
			const struct oomsnap_diagnosis *diag, bool from_log)
{
	char buf[256];
	unsigned int i;

	if (!from_log) {
		json_ku64(j, "seq", rec->seq);
		json_ku64(j, "time_ns", rec->time_ns);
		json_key(j, "realtime");
		if (rec->realtime_ns)
			json_str(j, oomsnap_format_realtime(buf, sizeof(buf),
							    rec->realtime_ns));
		else
			json_null(j);
		json_ku64(j, "realtime_ns", rec->realtime_ns);
		json_ku64(j, "cpu", rec->cpu);
		json_kbool(j, "in_irq", rec->in_irq);
		json_kbool(j, "after_kill",
			   !!(rec->have & OOMSNAP_HAVE_AFTER_KILL));
	}
	if (rec->kernel_era) {
		snprintf(buf, sizeof(buf), "%u.%u", rec->kernel_era >> 16,
			 (rec->kernel_era >> 8) & 0xff);
		json_kstr(j, "kernel_era", buf);
	}
	json_ku64(j, "page_size", rec->page_size);
	json_diagnosis(j, diag);
	if (rec->have & OOMSNAP_HAVE_TASK)
		json_task(j, "task", rec, &rec->task, from_log);
	json_key(j, "request");
	json_obj_begin(j);
	if (rec->have & OOMSNAP_HAVE_GFP) {
		oomsnap_gfp_format(rec->gfp, buf, sizeof(buf));
		json_kstr(j, "gfp", buf);
		snprintf(buf, sizeof(buf), "0x%llx", rec->gfp_raw);
		json_kstr(j, "gfp_raw", buf);
		json_kstr(j, "gfp_class", oomsnap_gfp_class_name(oomsnap_gfp_class(rec->gfp)));
		json_kstr(j, "highest_zone", oomsnap_zone_type_name(rec->highest_zone));
	}
	if (rec->have & OOMSNAP_HAVE_ORDER)
		json_ks64(j, "order", rec->order);
	if (rec->have & OOMSNAP_HAVE_NODEMASK) {
		snprintf(buf, sizeof(buf), "0x%llx", rec->nodemask);
		json_kstr(j, "nodemask", buf);
	}
	if (rec->have & OOMSNAP_HAVE_CONSTRAINT)
		json_kstr(j, "constraint", oomsnap_constraint_name(rec->constraint));
	json_obj_end(j);
	if (rec->have & OOMSNAP_HAVE_MEMCG) {
		json_key(j, "memcg");
		json_obj_begin(j);
		json_kstr(j, "path", rec->memcg_path);
		json_ku64(j, "usage_kb", oomsnap_pages_kb(rec, rec->memcg_usage));
		json_key(j, "limit_kb");
		if (rec->memcg_limit == ~0ULL)
			json_null(j);
		else
			json_u64(j, oomsnap_pages_kb(rec, rec->memcg_limit));
		json_ku64(j, "swap_usage_kb", oomsnap_pages_kb(rec, rec->memcg_swap_usage));
		json_key(j, "swap_limit_kb");
		if (rec->memcg_swap_limit == ~0ULL)
			json_null(j);
		else
			json_u64(j, oomsnap_pages_kb(rec, rec->memcg_swap_limit));
		json_obj_end(j);
	}
	if (rec->have & OOMSNAP_HAVE_VICTIM)
		json_task(j, "victim", rec, &rec->victim, from_log);

	json_key(j, "zones");
	json_arr_begin(j);
	for (i = 0; i < rec->nr_zones && i < OOMSNAP_MAX_ZONES; i++)
		json_zone(j, rec, &rec->zones[i]);
	json_arr_end(j);

	json_key(j, "memory_kb");
	json_obj_begin(j);
	for (i = 0; i < OOMSNAP_MEM_NR; i++)
		if (rec->mem_have & (1ULL << i))
			json_ku64(j, oomsnap_mem_name(i),
				  oomsnap_pages_kb(rec, rec->mem[i]));
	json_obj_end(j);

	if ((rec->have & OOMSNAP_HAVE_TASKS) && !rec->tasks_status) {
		json_key(j, "tasks");
		json_arr_begin(j);
		for (i = 0; i < rec->nr_tasks && i < OOMSNAP_TOP_TASKS; i++) {
			const struct oomsnap_task *t = &rec->tasks[i];

			json_obj_begin(j);
			json_ks64(j, "pid", t->pid);
			json_kstr(j, "comm", t->comm);
			json_ku64(j, "rss_kb", oomsnap_pages_kb(rec, t->rss_anon +
								t->rss_file + t->rss_shmem));
			json_ks64(j, "oom_score_adj", t->oom_score_adj);
			json_obj_end(j);
		}
		json_arr_end(j);
	} else {
		json_kstr(j, "tasks_status", status_token(rec->tasks_status ?
					rec->tasks_status : OOMSNAP_NOT_CAPTURED));
	}
	if ((rec->have & OOMSNAP_HAVE_SLABS) && !rec->slabs_status) {
		if (rec->have & OOMSNAP_HAVE_SLABS_AGE)
			json_ku64(j, "slabs_age_ms", rec->slabs_age_ms);
		json_key(j, "slabs");
		json_arr_begin(j);
		for (i = 0; i < rec->nr_slabs && i < OOMSNAP_TOP_SLABS; i++) {
			json_obj_begin(j);
			json_kstr(j, "name", rec->slabs[i].name);
			json_ku64(j, "bytes", rec->slabs[i].bytes);
			json_obj_end(j);
		}
		json_arr_end(j);
	} else {
		json_kstr(j, "slabs_status", status_token(rec->slabs_status ?
					rec->slabs_status : OOMSNAP_NOT_CAPTURED));
	}
	if ((rec->have & OOMSNAP_HAVE_STACK) && !rec->stack_status) {
		json_key(j, "stack");
		json_arr_begin(j);
		for (i = 0; i < rec->stack_depth && i < OOMSNAP_STACK_DEPTH; i++)
			json_str(j, rec->stack[i]);
		json_arr_end(j);
	}
	if (oomsnap_xen_shown(rec))
		json_xen(j, rec);
}

/* ---------------------------------------------------------------------- */
/* plain output */

static void stdout_vprintf(void *ctx, const char *fmt, va_list ap)
{
	(void)ctx;
	vfprintf(stdout, fmt, ap);
}

static struct oomsnap_printer out_printer = { .vprintf = stdout_vprintf };

static void print_plain(const struct oomsnap_record *rec,
			const struct oomsnap_diagnosis *diag)
{
	oomsnap_print_record(&out_printer, rec, diag);
}

static void print_list_line(const struct oomsnap_record *rec,
			    const struct oomsnap_diagnosis *diag)
{
	__u64 sec = rec->time_ns / 1000000000ULL;
	char when[32];

	printf("%6llu  %-13s [%5llu.%06llu] %-20s cpu%-3u ", rec->seq,
	       oomsnap_event_type_name(rec->type), sec,
	       (rec->time_ns % 1000000000ULL) / 1000,
	       oomsnap_format_realtime(when, sizeof(when), rec->realtime_ns),
	       rec->cpu);
	if (rec->have & OOMSNAP_HAVE_TASK)
		oomsnap_print_str(&out_printer, rec->task.comm,
				  sizeof(rec->task.comm), -16);
	else
		printf("%-16s", "-");
	printf(" order %-3d %s\n", rec->order, oomsnap_cause_name(diag->cause));
}

/* ---------------------------------------------------------------------- */
/* commands */

static int cmd_list(int argc, char **argv)
{
	static struct oomsnap_diagnosis diag;
	struct records r = { 0 };
	struct json j;
	size_t i;

	(void)argv;
	if (argc)
		usage_error("list", "unexpected argument '%s'", argv[0]);
	load_records(&r);
	if (json_mode) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_ku64(&j, "version", JSON_SCHEMA_VERSION);
		json_key(&j, "events");
		json_arr_begin(&j);
	} else {
		printf("%6s  %-13s %-14s %-20s %-6s %-16s %-9s %s\n", "seq", "type",
		       "time", "wall clock (UTC)", "cpu", "task", "order", "cause");
	}
	for (i = 0; i < r.n; i++) {
		const struct oomsnap_record *rec = &r.v[i];

		oomsnap_diagnose(rec, &diag);
		if (json_mode) {
			char when[32];

			json_obj_begin(&j);
			json_ku64(&j, "seq", rec->seq);
			json_kstr(&j, "type", oomsnap_event_type_name(rec->type));
			json_ku64(&j, "time_ns", rec->time_ns);
			json_key(&j, "realtime");
			if (rec->realtime_ns)
				json_str(&j, oomsnap_format_realtime(when, sizeof(when),
								     rec->realtime_ns));
			else
				json_null(&j);
			json_ku64(&j, "cpu", rec->cpu);
			json_key(&j, "task");
			if (rec->have & OOMSNAP_HAVE_TASK)
				json_strn(&j, rec->task.comm,
					  strnlen(rec->task.comm, sizeof(rec->task.comm)));
			else
				json_null(&j);
			json_ks64(&j, "order", rec->order);
			json_kstr(&j, "cause", oomsnap_cause_name(diag.cause));
			json_obj_end(&j);
		} else {
			print_list_line(rec, &diag);
		}
	}
	if (json_mode) {
		json_arr_end(&j);
		json_obj_end(&j);
	} else if (!r.n) {
		printf("(no events)\n");
	}
	free(r.v);
	return r.n ? EXIT_FOUND : EXIT_NOTHING;
}

/* One event with its diagnosis: text, or one JSON object. */
static void print_event(const struct oomsnap_record *rec)
{
	static struct oomsnap_diagnosis diag;

	oomsnap_diagnose(rec, &diag);
	if (json_mode) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_ku64(&j, "version", JSON_SCHEMA_VERSION);
		json_kstr(&j, "type", oomsnap_event_type_name(rec->type));
		json_record(&j, rec, &diag, false);
		json_obj_end(&j);
	} else {
		print_plain(rec, &diag);
	}
}

static int cmd_show(int argc, char **argv)
{
	struct records r = { 0 };
	const struct oomsnap_record *rec = NULL;
	unsigned long long seq = 0;
	size_t i;

	if (argc > 1)
		usage_error("show", "unexpected argument '%s'", argv[1]);
	if (argc == 1)
		seq = parse_count("show", "sequence number", argv[0], 1);
	load_records(&r);
	if (!r.n)
		fail(EXIT_NOTHING, "no events captured");
	if (!argc)
		rec = &r.v[r.n - 1];
	for (i = 0; argc && i < r.n; i++)
		if (r.v[i].seq == seq)
			rec = &r.v[i];
	if (!rec)
		fail(EXIT_NOTHING, "no event with sequence number %llu (retained: %llu..%llu)",
		     seq, r.v[0].seq, r.v[r.n - 1].seq);
	print_event(rec);
	free(r.v);
	return EXIT_FOUND;
}

/* The recorder's line: what "watch --json" prints for @rec, on @f. */
static void event_json_to(FILE *f, const struct oomsnap_record *rec)
{
	static struct oomsnap_diagnosis diag;
	struct json j;

	oomsnap_diagnose(rec, &diag);
	json_init(&j, f);
	json_obj_begin(&j);
	json_ku64(&j, "version", JSON_SCHEMA_VERSION);
	json_kstr(&j, "type", oomsnap_event_type_name(rec->type));
	json_record(&j, rec, &diag, false);
	json_obj_end(&j);
}

static bool stats_prometheus;

static int cmd_stats(int argc, char **argv)
{
	char path[4096], line[512];
	struct json j;
	FILE *f;

	if (argc)
		usage_error("stats", "unexpected argument '%s'", argv[0]);
	if (stats_prometheus)
		return oomsnap_cmd_prometheus(dir, raw_path(path, sizeof(path)));
	snprintf(path, sizeof(path), "%s/stats", dir);
	f = fopen(path, "r");
	if (!f)
		fail(EXIT_TROUBLE, "%s: %s", path, strerror(errno));
	if (json_mode) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_ku64(&j, "version", JSON_SCHEMA_VERSION);
	}
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		unsigned long long v;

		if (!json_mode) {
			fputs(line, stdout);
			continue;
		}
		if (sscanf(line, "%127s %llu", name, &v) != 2) {
			fclose(f);
			fail(EXIT_TROUBLE, "%s: unexpected line \"%.*s\"", path,
			     (int)strcspn(line, "\n"), line);
		}
		json_ku64(&j, name, v);
	}
	if (ferror(f))
		fail(EXIT_TROUBLE, "%s: %s", path, strerror(errno));
	fclose(f);
	if (json_mode)
		json_obj_end(&j);
	return EXIT_FOUND;
}

static void print_event_streamed(const struct oomsnap_record *rec)
{
	print_event(rec);
	if (!json_mode)
		printf("\n");
	fflush(stdout);
}

static void watch_read(int fd, const char *path, struct records *r,
		       unsigned char **carry, size_t *carry_len)
{
	const char *err = read_records(fd, path, r, carry, carry_len, false);

	if (err)
		fail(EXIT_TROUBLE, "%s", err);
}

static unsigned long long watch_count;

/*
 * Print events newer than those present at start, as they arrive: poll()
 * on raw (the module wakes it per event); where poll() can't wait (a saved
 * file, an older module), re-read every 500 ms.
 */
static int cmd_watch(int argc, char **argv)
{
	char pathbuf[4096];
	const char *path = raw_path(pathbuf, sizeof(pathbuf));
	unsigned char *carry = NULL;
	size_t carry_len = 0;
	unsigned long long printed = 0, last_seq = 0;
	struct records r = { 0 };
	bool use_poll = true;
	int fd;

	if (argc)
		usage_error("watch", "unexpected argument '%s'", argv[0]);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail(EXIT_TROUBLE, "%s: %s", path, strerror(errno));
	watch_read(fd, path, &r, &carry, &carry_len);
	if (r.n)
		last_seq = r.v[r.n - 1].seq;
	for (;;) {
		size_t k;

		r.n = 0;
		if (use_poll) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			int ret = poll(&pfd, 1, -1);

			if (ret < 0 && errno != EINTR)
				fail(EXIT_TROUBLE, "%s: poll: %s", path, strerror(errno));
			/* the module is being unloaded: it waits for us to close */
			if (ret > 0 && (pfd.revents & (POLLHUP | POLLERR)))
				fail(EXIT_TROUBLE, "%s: the module went away", path);
			watch_read(fd, path, &r, &carry, &carry_len);
			if (!r.n)
				use_poll = false;	/* readable without news */
		} else {
			struct timespec ts = { 0, 500 * 1000 * 1000 };

			nanosleep(&ts, NULL);
			watch_read(fd, path, &r, &carry, &carry_len);
		}
		for (k = 0; k < r.n; k++) {
			if (r.v[k].seq <= last_seq && last_seq)
				continue;
			last_seq = r.v[k].seq;
			print_event_streamed(&r.v[k]);
			if (watch_count && ++printed >= watch_count) {
				close(fd);
				free(r.v);
				free(carry);
				return EXIT_FOUND;
			}
		}
	}
}

/* ---------------------------------------------------------------------- */
/* explain */

/* Where the lines of each input start, to name a report's file and line. */
struct input_span {
	const char *name;
	unsigned long first;	/* the parser's number of its first line */
};

#define MAX_INPUTS	256

struct explain_ctx {
	struct json j;
	unsigned long nr;
	struct oomsnap_diagnosis diag;
	struct input_span in[MAX_INPUTS];
	unsigned int nr_in;
	struct logstamps stamps;
};

static const struct input_span *span_of(const struct explain_ctx *x,
					unsigned long line)
{
	unsigned int i = x->nr_in;

	while (i > 1 && x->in[i - 1].first > line)
		i--;
	return &x->in[i - 1];
}

static void json_kstr_or_null(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	if (s && *s)
		json_str(j, s);
	else
		json_null(j);
}

static void explain_json(struct explain_ctx *x, struct oomsnap_log_event *ev,
			 const struct logstamp *st)
{
	const struct input_span *a = span_of(x, ev->line);
	const struct input_span *b = span_of(x, ev->last_line);
	const struct oomsnap_record *rec = &ev->rec;

	json_obj_begin(&x->j);
	json_kstr(&x->j, "type", oomsnap_event_type_name(rec->type));
	json_key(&x->j, "log");
	json_obj_begin(&x->j);
	json_kstr(&x->j, "file", a->name);
	json_ku64(&x->j, "line", ev->line - a->first + 1);
	json_kstr(&x->j, "last_file", b->name);
	json_ku64(&x->j, "last_line", ev->last_line - b->first + 1);
	json_kstr_or_null(&x->j, "time", st ? st->time : NULL);
	json_kstr_or_null(&x->j, "host", st ? st->host : NULL);
	json_key(&x->j, "boot_s");
	if (st && st->boot[0])
		json_str(&x->j, st->boot);
	else
		json_null(&x->j);
	json_obj_end(&x->j);
	json_record(&x->j, rec, &x->diag, true);
	json_obj_end(&x->j);
}

static void explain_text(struct explain_ctx *x, struct oomsnap_log_event *ev,
			 const struct logstamp *st)
{
	const struct input_span *a = span_of(x, ev->line);
	const struct input_span *b = span_of(x, ev->last_line);
	const struct oomsnap_record *rec = &ev->rec;
	struct oomsnap_diagnosis *d = &x->diag;
	unsigned int i;
	char gfp[160];

	printf("%sreport %lu, ", x->nr ? "\n" : "", x->nr + 1);
	if (x->nr_in > 1 || a != b)
		oomsnap_print_str(&out_printer, a->name, strlen(a->name), 0);
	if (a == b) {
		printf("%slines %lu-%lu", x->nr_in > 1 ? " " : "",
		       ev->line - a->first + 1, ev->last_line - a->first + 1);
	} else {
		printf(" line %lu to ", ev->line - a->first + 1);
		oomsnap_print_str(&out_printer, b->name, strlen(b->name), 0);
		printf(" line %lu", ev->last_line - b->first + 1);
	}
	printf(": %s", oomsnap_event_type_name(rec->type));
	if (rec->have & OOMSNAP_HAVE_TASK) {
		printf(" by ");
		oomsnap_print_str(&out_printer, rec->task.comm, sizeof(rec->task.comm), 0);
	}
	if (rec->have & OOMSNAP_HAVE_GFP) {
		oomsnap_gfp_format(rec->gfp, gfp, sizeof(gfp));
		printf(", gfp %s", gfp);
	}
	if (rec->have & OOMSNAP_HAVE_ORDER)
		printf(", order %d", rec->order);
	if (rec->have & OOMSNAP_HAVE_VICTIM) {
		printf(", killed ");
		oomsnap_print_str(&out_printer, rec->victim.comm, sizeof(rec->victim.comm), 0);
		printf(" (%d)", rec->victim.pid);
	}
	printf("\n");
	if (st && (st->time[0] || st->host[0] || st->boot[0])) {
		printf("  logged:      ");
		if (st->time[0])
			oomsnap_print_str(&out_printer, st->time, sizeof(st->time), 0);
		if (st->boot[0])
			printf("%s[%s]", st->time[0] ? " " : "", st->boot);
		if (st->host[0]) {
			printf(" on ");
			oomsnap_print_str(&out_printer, st->host, sizeof(st->host), 0);
		}
		printf("\n");
	}
	if (verbose) {
		print_plain(rec, d);
		return;
	}
	printf("  cause:        %s\n  contributing:", oomsnap_cause_name(d->cause));
	for (i = 0; i < OOMSNAP_CAUSE_NR; i++)
		if (d->contributing & (1U << i))
			printf(" %s", oomsnap_cause_name(i));
	printf("%s\n", d->contributing ? "" : " none");
	if (d->nr_evidence)
		printf("  evidence:\n");
	for (i = 0; i < d->nr_evidence; i++) {
		printf("    - ");
		oomsnap_print_str(&out_printer, d->evidence[i], OOMSNAP_DIAG_LINE_LEN, 0);
		printf("\n");
	}
	if (d->nr_missing)
		printf("  missing:\n");
	for (i = 0; i < d->nr_missing; i++) {
		printf("    - ");
		oomsnap_print_str(&out_printer, d->missing[i], OOMSNAP_DIAG_LINE_LEN, 0);
		printf("\n");
	}
}

static void explain_event(void *ctx, struct oomsnap_log_event *ev)
{
	struct explain_ctx *x = ctx;
	struct oomsnap_diagnosis *d = &x->diag;
	const struct logstamp *st = logstamps_get(&x->stamps, ev->line);

	oomsnap_diagnose(&ev->rec, d);
	if (!ev->has_header && d->nr_missing < OOMSNAP_DIAG_MAX_LINES)
		snprintf(d->missing[d->nr_missing++], OOMSNAP_DIAG_LINE_LEN,
			 "no report header (\"invoked oom-killer\", \"page allocation failure\") in input: event type unknown");
	if (json_mode)
		explain_json(x, ev, st);
	else
		explain_text(x, ev, st);
	x->nr++;
}

static void feed_line(struct oomsnap_logparser *lp, struct explain_ctx *x,
		      const char *p, size_t len)
{
	oomsnap_logparser_feed(lp, p, len);
	/* a report's stamp is its first line's: keep the lines that began one */
	if (lp->have_line && lp->line_start == lp->lineno)
		logstamps_add(&x->stamps, lp->lineno, p, len);
}

/*
 * Feed one input's lines to the parser, explaining each report as it ends.
 * Memory: one read buffer and the parser, whatever the input's size.
 * Returns NULL or a one-line error.
 */
static const char *explain_source(struct logsource *src,
				  struct oomsnap_logparser *lp,
				  struct explain_ctx *x)
{
	static char errbuf[4200];
	static char *buf;
	static size_t cap;
	bool skipping = false;	/* inside an over-long line */
	size_t have = 0;

	if (cap < read_chunk + MAX_PHYS_LINE) {
		free(buf);
		cap = read_chunk + MAX_PHYS_LINE;
		buf = malloc(cap);
		if (!buf)
			fail(EXIT_TROUBLE, "out of memory");
	}
	for (;;) {
		ssize_t n = logsource_read(src, buf + have, read_chunk);
		char *p, *end, *nl;

		if (n < 0) {
			snprintf(errbuf, sizeof(errbuf), "%s: %s", src->name,
				 strerror(errno));
			return errbuf;
		}
		end = buf + have + n;
		p = buf;
		for (;;) {
			/* runs of lines the parser would drop, in one pass */
			if (!skipping)
				p += oomsnap_logparser_skip(lp, p, (size_t)(end - p));
			nl = memchr(p, '\n', end - p);
			if (!nl)
				break;
			if (!skipping)
				feed_line(lp, x, p, nl - p);
			else
				lp->lineno++;	/* the cut line's end */
			skipping = false;
			p = nl + 1;
		}
		have = end - p;
		if (n == 0) {
			if (have && !skipping)
				feed_line(lp, x, p, have);
			break;
		}
		if (have >= MAX_PHYS_LINE) {
			/* cut: feed the start, drop the rest of the line */
			if (!skipping)
				feed_line(lp, x, p, MAX_PHYS_LINE);
			skipping = true;
			have = 0;
			lp->lineno--;	/* counted again at its newline */
		} else {
			memmove(buf, p, have);
		}
	}
	return NULL;
}

/* Start an explain run over @n inputs named @names. */
static void explain_begin(struct explain_ctx *x, struct oomsnap_logparser *lp,
			  char **names, int n)
{
	int i;

	memset(x, 0, sizeof(*x));
	oomsnap_logparser_init(lp, explain_event, x);
	if (!json_mode)
		return;
	json_init(&x->j, stdout);
	json_obj_begin(&x->j);
	json_ku64(&x->j, "version", JSON_SCHEMA_VERSION);
	json_key(&x->j, "sources");
	json_arr_begin(&x->j);
	for (i = 0; i < n; i++)
		json_str(&x->j, names[i]);
	json_arr_end(&x->j);
	json_key(&x->j, "events");
	json_arr_begin(&x->j);
}

/* Read one more input into the run; NULL or a one-line error. */
static const char *explain_input(struct explain_ctx *x,
				 struct oomsnap_logparser *lp,
				 struct logsource *src)
{
	const char *err;

	if (x->nr_in < MAX_INPUTS) {
		x->in[x->nr_in].name = src->name;
		x->in[x->nr_in++].first = lp->lineno + 1;
	}
	err = explain_source(src, lp, x);
	return err ? err : logsource_close(src);
}

/* End the run: the number of reports; @none says why there were none. */
static unsigned long explain_end(struct explain_ctx *x,
				 struct oomsnap_logparser *lp, const char *none)
{
	oomsnap_logparser_finish(lp);
	if (json_mode) {
		json_arr_end(&x->j);
		if (!x->nr)	/* as every error: an "error" member */
			json_kstr(&x->j, "error", none);
		json_obj_end(&x->j);
	} else if (!x->nr) {
		fprintf(stderr, "oomsnap: %s\n", none);
	}
	return x->nr;
}

/* The fuzzer's entry (tests/fuzz): one descriptor as a whole explain run. */
static long __attribute__((unused))
explain_fd(int fd, struct oomsnap_logparser *lp, struct explain_ctx *x)
{
	static char *names[] = { "<fuzz>" };
	struct logsource src = { .name = names[0], .fd = fd };

	explain_begin(x, lp, names, 1);
	x->in[0].name = names[0];
	x->in[0].first = 1;
	x->nr_in = 1;
	if (explain_source(&src, lp, x))	/* the fuzzer keeps its fd */
		return -1;
	return (long)explain_end(x, lp, "no report found");
}

static int cmd_explain(int argc, char **argv)
{
	static struct oomsnap_logparser lp;
	static struct explain_ctx x;
	static char *stdin_only[] = { "-" }, *kmsg_only[] = { "/dev/kmsg" };
	static char *shown[MAX_INPUTS];
	char none[4200];
	bool kmsg = false;
	const char *err;
	int i;

	if (argc > MAX_INPUTS)
		usage_error("explain", "at most %d files", MAX_INPUTS);
	if (!argc) {
		/* no file: a terminal reads this boot's log, a pipe is read */
		kmsg = isatty(STDIN_FILENO);
		argc = 1;
		argv = stdin_only;
	}
	for (i = 0; i < argc; i++)
		shown[i] = kmsg ? kmsg_only[0] : strcmp(argv[i], "-") ? argv[i] :
								   "<stdin>";
	explain_begin(&x, &lp, shown, argc);
	if (kmsg && !json_mode)
		printf("input: /dev/kmsg (the kernel log of the current boot)\n\n");
	/* one parser over every input: logrotate may split a report in two */
	for (i = 0; i < argc; i++) {
		struct logsource src;

		err = kmsg ? logsource_open_kmsg(&src) :
			     logsource_open(&src, argv[i]);
		if (!err)
			err = explain_input(&x, &lp, &src);
		if (err)
			fail(EXIT_TROUBLE, "%s", err);
	}
	snprintf(none, sizeof(none),
		 "%s: no OOM, memcg OOM or page allocation failure report found",
		 argc > 1 ? "input" : x.in[0].name);
	return explain_end(&x, &lp, none) ? EXIT_FOUND : EXIT_NOTHING;
}

/* ---------------------------------------------------------------------- */
/* the command line */

unsigned long long parse_count(const char *cmd, const char *what,
			       const char *s, unsigned long long min)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno || v < min)
		usage_error(cmd, "bad %s '%s': expected a whole number >= %llu",
			    what, s, min);
	return v;
}

double parse_seconds(const char *cmd, const char *what, const char *s)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (!((s[0] >= '0' && s[0] <= '9') || s[0] == '.') || *end || errno ||
	    !isfinite(v) || v < 0.1 || v > 86400)
		usage_error(cmd, "bad %s '%s': expected seconds from 0.1 to 86400",
			    what, s);
	return v;
}

void usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_mode)
		fail(EXIT_TROUBLE, "%s%s%s", cmd ? cmd : "", cmd ? ": " : "", msg);
	fflush(stdout);
	fprintf(stderr, "oomsnap: %s%s%s\nTry 'oomsnap %s%s--help'.\n",
		cmd ? cmd : "", cmd ? ": " : "", msg, cmd ? cmd : "",
		cmd ? " " : "");
	exit(EXIT_TROUBLE);
}

#define OPT_ONCE	256
#define OPT_PROMETHEUS	257

/* Options every command takes, before or after its name. */
#define COMMON_OPTIONS \
	"  -j, --json          JSON output (errors too)\n" \
	"  -p, --pretty        indented JSON (implies --json)\n" \
	"  -d, --dir=DIR       oomsnap's debugfs directory (default " OOMSNAP_DEFAULT_DIR ")\n" \
	"  -r, --raw=FILE      list, show, watch: read a saved copy of DIR/raw\n" \
	"  -v, --verbose       explain: print the whole parsed state of each report\n" \
	"  -h, --help          this help, on standard output\n" \
	"  -V, --version       the version (as modinfo oomsnap shows it)\n"

struct command {
	const char *name;
	const char *args;	/* after "oomsnap NAME [OPTIONS]" */
	const char *what;
	const char *options;	/* the command's own, usage lines */
	const char *shortopts;
	struct option longopts[4];
	int (*run)(int argc, char **argv);
	bool reads_raw;		/* --raw FILE may stand for DIR/raw */
};

static const struct command commands[] = {
	{ "list", "", "List every event the module retains, oldest first.",
	  "", "", { { 0 } }, cmd_list, true },
	{ "show", "[SEQ]",
	  "Show one event (the newest without SEQ) with its zones, consumers and diagnosis.",
	  "", "", { { 0 } }, cmd_show, true },
	{ "stats", "", "Print the module's counters (DIR/stats).",
	  "      --prometheus    in the Prometheus text format (node-exporter textfile)\n", "",
	  { { "prometheus", no_argument, NULL, OPT_PROMETHEUS }, { 0 } }, cmd_stats },
	{ "watch", "",
	  "Wait for new events and print each as it arrives.",
	  "  -c, --count=N       exit after N events\n", "c:",
	  { { "count", required_argument, NULL, 'c' }, { 0 } }, cmd_watch, true },
	{ "explain", "[FILE...]",
	  "Explain the OOM and allocation failure reports in kernel logs (dmesg,\n"
	  "journalctl -k, syslog; .gz, .xz and .zst through gzip, xz and zstd).\n"
	  "FILEs are read in order as one log; '-' is standard input. With no FILE,\n"
	  "standard input, or on a terminal the current boot's log (/dev/kmsg).",
	  "", "", { { 0 } }, cmd_explain },
	{ "top", "",
	  "Live headroom: for each zone and common request class, whether the\n"
	  "kernel's watermark check passes now for orders 0-4 and the THP order, by\n"
	  "how many pages, the largest order that passes, the largest free block per\n"
	  "migratetype and the top consumers (DIR/headroom). Ctrl-C quits.",
	  "  -i, --interval=SECS refresh every SECS seconds (default 2)\n"
	  "  -c, --count=N       exit after N refreshes\n"
	  "      --once          print once and exit (--count=1)\n", "i:c:",
	  { { "interval", required_argument, NULL, 'i' },
	    { "count", required_argument, NULL, 'c' },
	    { "once", no_argument, NULL, OPT_ONCE }, { 0 } }, cmd_top },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

double top_interval = 2.0;
unsigned long long top_count;

static void print_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: oomsnap [OPTIONS] COMMAND [ARGS]\n"
		   "       oomsnap help [COMMAND] | COMMAND --help\n\n"
		   "Read what oomsnap.ko captured at OOM and allocation failure, explain\n"
		   "saved kernel logs, and show the allocator's headroom live.\n\n"
		   "Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++) {
		const char *nl = strchr(commands[i].what, '\n');
		int len = nl ? (int)(nl - commands[i].what) : (int)strlen(commands[i].what);

		fprintf(f, "  %-8s %-10s %.*s%s\n", commands[i].name,
			commands[i].args, len, commands[i].what, nl ? " ..." : "");
	}
	fprintf(f, "\nOptions (before or after the command):\n" COMMON_OPTIONS
		"\nCommand options: watch -c N; top -i SECS, -c N, --once.\n"
		"Exit status: 0 found, 1 nothing found (no event, no report), 2 error.\n"
		"See oomsnap(8) and oomsnap(4).\n");
}

static void print_command_help(const struct command *c)
{
	printf("usage: oomsnap %s [OPTIONS]%s%s\n\n%s\n\nOptions:\n%s" COMMON_OPTIONS
	       "\nExit status: 0 found, 1 nothing found, 2 error.\n",
	       c->name, c->args[0] ? " " : "", c->args, c->what, c->options);
}

static void print_version(void)
{
	printf("oomsnap " OOMSNAP_VERSION "\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* The options every command shares; false if @c is not one. */
static bool common_option(int c, const char *arg)
{
	switch (c) {
	case 'j':
		json_mode = true;
		return true;
	case 'p':
		json_mode = true;
		json_pretty_default = true;
		return true;
	case 'd':
		dir = arg;
		return true;
	case 'r':
		raw_file = arg;
		return true;
	case 'v':
		verbose = true;
		return true;
	case 'V':
		print_version();
		exit(EXIT_FOUND);
	}
	return false;
}

static const struct option common_longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "dir", required_argument, NULL, 'd' },
	{ "raw", required_argument, NULL, 'r' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};

#define COMMON_SHORTOPTS	":jpd:r:vhV"
#define NR_COMMON		(sizeof(common_longopts) / sizeof(common_longopts[0]))

static void bad_option(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		usage_error(cmd, "option '%s' needs an argument", arg);
	if (optopt >= '0' && optopt <= '9')
		usage_error(cmd, "bad number '%s': expected a whole number >= 0",
			    arg);
	if (optopt)
		usage_error(cmd, "unknown option '-%c'", optopt);
	usage_error(cmd, "unknown option '%s'", arg);
}

/* Parse @c's options anywhere in argv (argv[0] is its name), then run it. */
static int run_command(const struct command *c, int argc, char **argv)
{
	struct option longopts[NR_COMMON + 4];
	char shortopts[64];
	size_t i, n = 0;
	int opt;

	for (i = 0; i < NR_COMMON; i++)
		longopts[n++] = common_longopts[i];
	for (i = 0; c->longopts[i].name; i++)
		longopts[n++] = c->longopts[i];
	memset(&longopts[n], 0, sizeof(longopts[n]));
	snprintf(shortopts, sizeof(shortopts), "%s%s", COMMON_SHORTOPTS,
		 c->shortopts);
	optind = 0;	/* GNU: start over */
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (common_option(opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			print_command_help(c);
			exit(EXIT_FOUND);
		case 'c':
			watch_count = top_count = parse_count(c->name, "count", optarg, 1);
			break;
		case 'i':
			top_interval = parse_seconds(c->name, "interval", optarg);
			break;
		case OPT_ONCE:
			top_count = 1;
			break;
		case OPT_PROMETHEUS:
			stats_prometheus = true;
			break;
		default:
			bad_option(c->name, opt, argv);
		}
	}
	if (raw_file && !c->reads_raw)
		usage_error(c->name, "--raw is for list, show and watch");
	return c->run(argc - optind, argv + optind);
}

int main(int argc, char **argv)
{
	struct option longopts[NR_COMMON + 1] = { { 0 } };
	const struct command *c;
	const char *name;
	int opt;

	memcpy(longopts, common_longopts, sizeof(common_longopts));
	opterr = 0;
	/* options before the command; "+": stop at the command's name */
	while ((opt = getopt_long(argc, argv, "+" COMMON_SHORTOPTS, longopts,
				  NULL)) != -1) {
		if (common_option(opt, optarg))
			continue;
		if (opt == 'h') {
			print_usage(stdout);
			return EXIT_FOUND;
		}
		bad_option(NULL, opt, argv);
	}
	if (optind >= argc)
		usage_error(NULL, "no command given");
	name = argv[optind];
	if (!strcmp(name, "help")) {
		if (optind + 1 >= argc) {
			print_usage(stdout);
			return EXIT_FOUND;
		}
		c = find_command(argv[optind + 1]);
		if (!c)
			usage_error(NULL, "unknown command '%s'", argv[optind + 1]);
		print_command_help(c);
		return EXIT_FOUND;
	}
	if (!strcmp(name, "record")) {	/* the recorder parses its own options */
		char pathbuf[4096];

		return oomsnap_cmd_record(raw_path(pathbuf, sizeof(pathbuf)),
					  argc - optind - 1, argv + optind + 1,
					  event_json_to);
	}
	c = find_command(name);
	if (!c)
		usage_error(NULL, "unknown command '%s'", name);
	return run_command(c, argc - optind, argv + optind);
}
