// SPDX-License-Identifier: GPL-2.0
/*
 * One event printed: its JSON members (as show, watch, explain and the
 * recorder write them), its text through lib/render.c, and its line in
 * list. See print.h.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "diagnose.h"
#include "names.h"
#include "render.h"
#include "watermark.h"
#include "cli.h"
#include "json.h"
#include "print.h"

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

/* "status" is "ok" or why the value is missing; values only when present. */
static void json_status(struct json *j, __u32 status)
{
	json_kstr(j, "status", oomsnap_status_token(status));
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
		json_kstr(j, "held_status", oomsnap_status_token(x->blkback_held_status));
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
void json_record(struct json *j, const struct oomsnap_record *rec,
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
			json_ku64(j, "rss_kb", oomsnap_pages_kb(rec, oomsnap_task_rss(t)));
			json_ks64(j, "oom_score_adj", t->oom_score_adj);
			json_obj_end(j);
		}
		json_arr_end(j);
	} else {
		json_kstr(j, "tasks_status", oomsnap_status_token(rec->tasks_status ?
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
		json_kstr(j, "slabs_status", oomsnap_status_token(rec->slabs_status ?
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

struct oomsnap_printer out_printer = { .vprintf = stdout_vprintf };

void print_plain(const struct oomsnap_record *rec,
		 const struct oomsnap_diagnosis *diag)
{
	oomsnap_print_record(&out_printer, rec, diag);
}

void print_list_line(const struct oomsnap_record *rec,
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
/* one event */

/* @rec with its diagnosis as one JSON object on @f. */
static void event_json(FILE *f, const struct oomsnap_record *rec,
		       const struct oomsnap_diagnosis *diag)
{
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j);
	json_ku64(&j, "version", JSON_SCHEMA_VERSION);
	json_kstr(&j, "type", oomsnap_event_type_name(rec->type));
	json_record(&j, rec, diag, false);
	json_obj_end(&j);
}

/* One event with its diagnosis: text, or one JSON object. */
void print_event(const struct oomsnap_record *rec)
{
	static struct oomsnap_diagnosis diag;

	oomsnap_diagnose(rec, &diag);
	if (json_mode)
		event_json(stdout, rec, &diag);
	else
		print_plain(rec, &diag);
}

/* The recorder's line: what "watch --json" prints for @rec, on @f. */
void event_json_to(FILE *f, const struct oomsnap_record *rec)
{
	static struct oomsnap_diagnosis diag;

	oomsnap_diagnose(rec, &diag);
	event_json(f, rec, &diag);
}
