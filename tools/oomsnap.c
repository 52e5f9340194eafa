// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap: read what oomsnap.ko captured, and explain saved kernel logs.
 *
 *   oomsnap [--json] [--dir DIR | --raw FILE] list | show [SEQ] | stats |
 *           watch [--count N]
 *   oomsnap [--json] [-v] explain [FILE|-]
 *
 * Every command gathers first, then prints plain text or JSON (bpftool
 * style); in JSON mode errors are {"error": "..."} objects too. Bad input
 * is a one-line message and exit status 1; bad usage exits 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oomsnap_engine.h"
#include "logparse.h"
#include "json.h"
#include "record.h"

#define DEFAULT_DIR	"/sys/kernel/debug/oomsnap"
#define READ_CHUNK	(1 << 20)
#ifndef MAX_PHYS_LINE	/* the fuzzer sets a small one */
#define MAX_PHYS_LINE	(1 << 16)	/* longer lines are cut: memory stays bounded */
#endif

static bool json_mode;
static bool verbose;
static const char *dir = DEFAULT_DIR;
static const char *raw_file;

static void __attribute__((noreturn, format(printf, 2, 3)))
fail(int status, const char *fmt, ...)
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

static void usage(void)
{
	fprintf(stderr,
		"usage: oomsnap [--json] [--dir DIR | --raw FILE] list|show [SEQ]|stats|watch [--count N]\n"
		"       oomsnap stats --prometheus\n"
		"       oomsnap record [--file PATH] [--max-size BYTES] [--keep N] [--journal] [--count N]\n"
		"       oomsnap [--json] [-v] explain [FILE|-]\n"
		"  --dir DIR   oomsnap debugfs directory (default " DEFAULT_DIR ")\n"
		"  --raw FILE  read records from a saved copy of DIR/raw\n"
		"  --json      JSON output (errors too)\n"
		"  -v          explain: print the whole parsed state of each report\n");
	exit(2);
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
			fail(1, "out of memory");
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
			fail(1, "out of memory");
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
			fail(1, "out of memory");
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
		fail(1, "%s: %s%s", path, strerror(errno),
		     errno == ENOENT && !raw_file ? " (is oomsnap.ko loaded and debugfs mounted?)" : "");
	err = read_records(fd, path, out, &carry, &carry_len, true);
	if (err)
		fail(1, "%s", err);
	free(carry);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* JSON of one record */

static void json_task(struct json *j, const char *key,
		      const struct oomsnap_record *rec,
		      const struct oomsnap_task *t)
{
	json_key(j, key);
	json_obj_begin(j);
	json_ks64(j, "pid", t->pid);
	json_ks64(j, "tgid", t->tgid);
	json_ku64(j, "uid", t->uid);
	json_kstr(j, "comm", t->comm);
	json_ks64(j, "oom_score_adj", t->oom_score_adj);
	json_ku64(j, "total_vm_kb", oomsnap_pages_kb(rec, t->total_vm));
	json_ku64(j, "rss_anon_kb", oomsnap_pages_kb(rec, t->rss_anon));
	json_ku64(j, "rss_file_kb", oomsnap_pages_kb(rec, t->rss_file));
	json_ku64(j, "rss_shmem_kb", oomsnap_pages_kb(rec, t->rss_shmem));
	json_ku64(j, "swapents", t->swapents);
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

static void json_zone(struct json *j, const struct oomsnap_record *rec,
		      const struct oomsnap_zone *z)
{
	unsigned int i, n = z->nr_orders < OOMSNAP_MAX_ORDERS ? z->nr_orders :
							       OOMSNAP_MAX_ORDERS;

	json_obj_begin(j);
	json_ku64(j, "node", z->node);
	json_kstr(j, "name", z->name);
	json_kstr(j, "type", oomsnap_zone_type_name(z->zone_type));
	json_ku64(j, "free_kb", oomsnap_pages_kb(rec, z->free));
	json_ku64(j, "min_kb", oomsnap_pages_kb(rec, z->wmark_min));
	json_ku64(j, "low_kb", oomsnap_pages_kb(rec, z->wmark_low));
	json_ku64(j, "high_kb", oomsnap_pages_kb(rec, z->wmark_high));
	json_ku64(j, "boost_kb", oomsnap_pages_kb(rec, z->wmark_boost));
	json_ku64(j, "highatomic_kb", oomsnap_pages_kb(rec, z->reserved_highatomic));
	json_ku64(j, "managed_kb", oomsnap_pages_kb(rec, z->managed));
	json_ku64(j, "present_kb", oomsnap_pages_kb(rec, z->present));
	json_kbool(j, "all_unreclaimable", z->flags & OOMSNAP_ZONE_ALL_UNRECLAIMABLE);
	json_key(j, "lowmem_reserve");
	json_obj_begin(j);
	for (i = 0; i <= OOMSNAP_ZONE_DEVICE; i++)
		json_ku64(j, oomsnap_zone_type_name(i), z->lowmem_reserve[i]);
	json_obj_end(j);
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
	json_kstr(j, "status", status ? oomsnap_status_name(status) : "ok");
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
		json_kstr(j, "held_status", x->blkback_held_status ?
			  oomsnap_status_name(x->blkback_held_status) : "ok");
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

static void json_record(struct json *j, const struct oomsnap_record *rec,
			const struct oomsnap_diagnosis *diag)
{
	char buf[256];
	unsigned int i;

	json_ku64(j, "seq", rec->seq);
	json_ku64(j, "time_ns", rec->time_ns);
	json_ku64(j, "cpu", rec->cpu);
	if (rec->kernel_era) {
		snprintf(buf, sizeof(buf), "%u.%u", rec->kernel_era >> 16,
			 (rec->kernel_era >> 8) & 0xff);
		json_kstr(j, "kernel_era", buf);
	}
	json_ku64(j, "page_size", rec->page_size);
	json_diagnosis(j, diag);
	if (rec->have & OOMSNAP_HAVE_TASK)
		json_task(j, "task", rec, &rec->task);
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
		json_obj_end(j);
	}
	if (rec->have & OOMSNAP_HAVE_VICTIM)
		json_task(j, "victim", rec, &rec->victim);

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
		json_kstr(j, "tasks_status", oomsnap_status_name(rec->tasks_status ?
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
		json_kstr(j, "slabs_status", oomsnap_status_name(rec->slabs_status ?
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
	vfprintf(ctx, fmt, ap);
}

static void print_plain(const struct oomsnap_record *rec,
			const struct oomsnap_diagnosis *diag)
{
	struct oomsnap_printer p = { .vprintf = stdout_vprintf, .ctx = stdout };

	oomsnap_print_record(&p, rec, diag);
}

static void print_list_line(const struct oomsnap_record *rec,
			    const struct oomsnap_diagnosis *diag)
{
	__u64 sec = rec->time_ns / 1000000000ULL;

	printf("%6llu  %-13s [%5llu.%06llu] cpu%-3u %-16s order %-3d %s\n",
	       rec->seq, oomsnap_event_type_name(rec->type), sec,
	       (rec->time_ns % 1000000000ULL) / 1000, rec->cpu,
	       (rec->have & OOMSNAP_HAVE_TASK) ? rec->task.comm : "-",
	       rec->order, oomsnap_cause_name(diag->cause));
}

/* ---------------------------------------------------------------------- */
/* commands */

static int cmd_list(void)
{
	static struct oomsnap_diagnosis diag;
	struct records r = { 0 };
	struct json j;
	size_t i;

	load_records(&r);
	if (json_mode) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_key(&j, "events");
		json_arr_begin(&j);
	} else {
		printf("%6s  %-13s %-14s %-6s %-16s %-9s %s\n", "seq", "type",
		       "time", "cpu", "task", "order", "cause");
	}
	for (i = 0; i < r.n; i++) {
		oomsnap_diagnose(&r.v[i], &diag);
		if (json_mode) {
			json_obj_begin(&j);
			json_ku64(&j, "seq", r.v[i].seq);
			json_kstr(&j, "type", oomsnap_event_type_name(r.v[i].type));
			json_ku64(&j, "time_ns", r.v[i].time_ns);
			json_ku64(&j, "cpu", r.v[i].cpu);
			json_kstr(&j, "task", r.v[i].task.comm);
			json_ks64(&j, "order", r.v[i].order);
			json_kstr(&j, "cause", oomsnap_cause_name(diag.cause));
			json_obj_end(&j);
		} else {
			print_list_line(&r.v[i], &diag);
		}
	}
	if (json_mode) {
		json_arr_end(&j);
		json_obj_end(&j);
	} else if (!r.n) {
		printf("(no events)\n");
	}
	free(r.v);
	return 0;
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
		json_kstr(&j, "type", oomsnap_event_type_name(rec->type));
		json_record(&j, rec, &diag);
		json_obj_end(&j);
	} else {
		print_plain(rec, &diag);
	}
}

/* The recorder's line: what "watch --json" prints for @rec, on @f. */
static void event_json_to(FILE *f, const struct oomsnap_record *rec)
{
	static struct oomsnap_diagnosis diag;
	struct json j;

	oomsnap_diagnose(rec, &diag);
	json_init(&j, f);
	json_obj_begin(&j);
	json_kstr(&j, "type", oomsnap_event_type_name(rec->type));
	json_record(&j, rec, &diag);
	json_obj_end(&j);
}

static int cmd_show(int argc, char **argv)
{
	struct records r = { 0 };
	const struct oomsnap_record *rec = NULL;
	unsigned long long seq = 0;
	bool want_seq = false;
	size_t i;

	if (argc > 1)
		usage();
	if (argc == 1) {
		char *end;

		errno = 0;
		seq = strtoull(argv[0], &end, 10);
		if (errno || *end || end == argv[0])
			fail(2, "show: bad sequence number \"%s\"", argv[0]);
		want_seq = true;
	}
	load_records(&r);
	if (!r.n)
		fail(1, "no events captured");
	if (!want_seq)
		rec = &r.v[r.n - 1];
	for (i = 0; want_seq && i < r.n; i++)
		if (r.v[i].seq == seq)
			rec = &r.v[i];
	if (!rec)
		fail(1, "no event with sequence number %llu (retained: %llu..%llu)",
		     seq, r.v[0].seq, r.v[r.n - 1].seq);
	print_event(rec);
	free(r.v);
	return 0;
}

static int cmd_stats(void)
{
	char path[4096], line[512];
	struct json j;
	FILE *f;

	if (raw_file)
		fail(2, "stats: reads DIR/stats; not available with --raw");
	snprintf(path, sizeof(path), "%s/stats", dir);
	f = fopen(path, "r");
	if (!f)
		fail(1, "%s: %s", path, strerror(errno));
	if (json_mode) {
		json_init(&j, stdout);
		json_obj_begin(&j);
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
			fail(1, "%s: unexpected line \"%.*s\"", path,
			     (int)strcspn(line, "\n"), line);
		}
		json_ku64(&j, name, v);
	}
	if (ferror(f))
		fail(1, "%s: %s", path, strerror(errno));
	fclose(f);
	if (json_mode)
		json_obj_end(&j);
	return 0;
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
		fail(1, "%s", err);
}

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
	unsigned long long count = 0, printed = 0, last_seq = 0;
	struct records r = { 0 };
	bool use_poll = true;
	int fd, i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 10);
		else
			usage();
	}
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail(1, "%s: %s", path, strerror(errno));
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
				fail(1, "%s: poll: %s", path, strerror(errno));
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
			if (count && ++printed >= count) {
				close(fd);
				free(r.v);
				free(carry);
				return 0;
			}
		}
	}
}

/* explain */

struct explain_ctx {
	struct json j;
	unsigned long nr;
	struct oomsnap_diagnosis diag;
};

static void explain_event(void *ctx, struct oomsnap_log_event *ev)
{
	struct explain_ctx *x = ctx;
	struct oomsnap_diagnosis *d = &x->diag;
	const struct oomsnap_record *rec = &ev->rec;

	oomsnap_diagnose(rec, d);
	if (!ev->has_header && d->nr_missing < OOMSNAP_DIAG_MAX_LINES)
		snprintf(d->missing[d->nr_missing++], OOMSNAP_DIAG_LINE_LEN,
			 "no report header (\"invoked oom-killer\", \"page allocation failure\") in input: event type unknown");
	if (json_mode) {
		if (!x->nr) {
			json_init(&x->j, stdout);
			json_obj_begin(&x->j);
			json_key(&x->j, "events");
			json_arr_begin(&x->j);
		}
		json_obj_begin(&x->j);
		json_kstr(&x->j, "type", oomsnap_event_type_name(rec->type));
		json_ku64(&x->j, "line", ev->line);
		json_ku64(&x->j, "last_line", ev->last_line);
		json_record(&x->j, rec, d);
		json_obj_end(&x->j);
	} else {
		unsigned int i;
		char gfp[160];

		printf("%sreport %lu, lines %lu-%lu: %s", x->nr ? "\n" : "",
		       x->nr + 1, ev->line, ev->last_line,
		       oomsnap_event_type_name(rec->type));
		if (rec->have & OOMSNAP_HAVE_TASK)
			printf(" by %s", rec->task.comm);
		if (rec->have & OOMSNAP_HAVE_GFP) {
			oomsnap_gfp_format(rec->gfp, gfp, sizeof(gfp));
			printf(", gfp %s", gfp);
		}
		if (rec->have & OOMSNAP_HAVE_ORDER)
			printf(", order %d", rec->order);
		if (rec->have & OOMSNAP_HAVE_VICTIM)
			printf(", killed %s (%d)", rec->victim.comm, rec->victim.pid);
		printf("\n");
		if (verbose) {
			print_plain(rec, d);
		} else {
			printf("  cause:        %s\n  contributing:", oomsnap_cause_name(d->cause));
			for (i = 0; i < OOMSNAP_CAUSE_NR; i++)
				if (d->contributing & (1U << i))
					printf(" %s", oomsnap_cause_name(i));
			printf("%s\n", d->contributing ? "" : " none");
			if (d->nr_evidence)
				printf("  evidence:\n");
			for (i = 0; i < d->nr_evidence; i++)
				printf("    - %s\n", d->evidence[i]);
			if (d->nr_missing)
				printf("  missing:\n");
			for (i = 0; i < d->nr_missing; i++)
				printf("    - %s\n", d->missing[i]);
		}
	}
	x->nr++;
}

/*
 * Feed fd's lines to the parser, explaining each report as it ends.
 * Memory: one read buffer and the parser, whatever the input's size.
 * Returns the number of reports or -1 with errno set by read().
 */
static long explain_fd(int fd, struct oomsnap_logparser *lp,
		       struct explain_ctx *x)
{
	static char *buf;
	static size_t cap;
	bool skipping = false;	/* inside an over-long line */
	size_t have = 0;

	if (cap < read_chunk + MAX_PHYS_LINE) {
		free(buf);
		cap = read_chunk + MAX_PHYS_LINE;
		buf = malloc(cap);
		if (!buf)
			fail(1, "out of memory");
	}
	memset(x, 0, sizeof(*x));
	oomsnap_logparser_init(lp, explain_event, x);
	for (;;) {
		ssize_t n = read(fd, buf + have, read_chunk);
		char *p, *end, *nl;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		end = buf + have + n;
		p = buf;
		while ((nl = memchr(p, '\n', end - p))) {
			if (!skipping)
				oomsnap_logparser_feed(lp, p, nl - p);
			else
				lp->lineno++;	/* the cut line's end */
			skipping = false;
			p = nl + 1;
		}
		have = end - p;
		if (n == 0) {
			if (have && !skipping)
				oomsnap_logparser_feed(lp, p, have);
			break;
		}
		if (have >= MAX_PHYS_LINE) {
			/* cut: feed the start, drop the rest of the line */
			if (!skipping)
				oomsnap_logparser_feed(lp, p, MAX_PHYS_LINE);
			skipping = true;
			have = 0;
			lp->lineno--;	/* counted again at its newline */
		} else {
			memmove(buf, p, have);
		}
	}
	oomsnap_logparser_finish(lp);
	if (json_mode && x->nr) {
		json_arr_end(&x->j);
		json_obj_end(&x->j);
	}
	return (long)x->nr;
}

static int cmd_explain(int argc, char **argv)
{
	static struct oomsnap_logparser lp;
	static struct explain_ctx x;
	const char *path = argc ? argv[0] : "-";
	long nr;
	int fd;

	if (argc > 1)
		usage();
	if (!strcmp(path, "-")) {
		fd = STDIN_FILENO;
		path = "<stdin>";
	} else {
		struct stat st;

		fd = open(path, O_RDONLY);
		if (fd < 0)
			fail(1, "%s: %s", path, strerror(errno));
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
			fail(1, "%s: is a directory", path);
	}
	nr = explain_fd(fd, &lp, &x);
	if (nr < 0)
		fail(1, "%s: %s", path, strerror(errno));
	if (fd != STDIN_FILENO)
		close(fd);
	if (!nr)
		fail(1, "%s: no OOM, memcg OOM or page allocation failure report found", path);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "dir", required_argument, NULL, 'd' },
		{ "raw", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char pathbuf[4096];
	const char *cmd;
	int c;

	/* options before the command only: "watch --count" is the command's */
	while ((c = getopt_long(argc, argv, "+jd:r:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json_mode = true;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'r':
			raw_file = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	cmd = argv[optind++];
	argc -= optind;
	argv += optind;
	if (argc && !strcmp(argv[argc - 1], "--json")) {	/* "oomsnap list --json" */
		json_mode = true;
		argc--;
	}

	if (!strcmp(cmd, "list") && !argc)
		return cmd_list();
	if (!strcmp(cmd, "show"))
		return cmd_show(argc, argv);
	if (!strcmp(cmd, "stats") && argc == 1 && !strcmp(argv[0], "--prometheus"))
		return oomsnap_cmd_prometheus(dir, raw_path(pathbuf, sizeof(pathbuf)));
	if (!strcmp(cmd, "record"))
		return oomsnap_cmd_record(raw_path(pathbuf, sizeof(pathbuf)), argc, argv,
					  event_json_to);
	if (!strcmp(cmd, "stats") && !argc)
		return cmd_stats();
	if (!strcmp(cmd, "watch"))
		return cmd_watch(argc, argv);
	if (!strcmp(cmd, "explain"))
		return cmd_explain(argc, argv);
	usage();
}
