// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap top: the allocator's headroom, refreshed like top(1), from
 * DIR/headroom (the module runs the engine's watermark replica there; its
 * format is described in module/headroom.c). Per zone and request class:
 * the check's verdict and margin in pages for orders 0-4 and the THP
 * order, and the largest order that passes; per zone the largest free
 * block of each migratetype; then the biggest consumers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "names.h"
#include "render.h"
#include "cli.h"
#include "json.h"

#define TOP_MAX_ZONES	16
#define TOP_MAX_CLASSES	8
#define TOP_MAX_ORDERS	16
#define TOP_MAX_MEM	64
#define TOP_MAX_TASKS	16
#define TOP_MAX_SLABS	16
#define TOP_FILE_MAX	(256 * 1024)

static const char *const mt_names[] = {
	"unmovable", "movable", "reclaimable", "highatomic", "cma", "isolate",
};
#define NR_MT	(sizeof(mt_names) / sizeof(mt_names[0]))

struct top_check {
	bool shown;
	char status[16];	/* pass, fail, fail_order */
	long long margin;	/* pages */
};

struct top_zone {
	unsigned int node;
	char name[32];
	unsigned long long free, min, low, high, boost, highatomic, managed;
	int largest[NR_MT];
	bool allowed[TOP_MAX_CLASSES];
	int best[TOP_MAX_CLASSES];
	struct top_check check[TOP_MAX_CLASSES][TOP_MAX_ORDERS];
};

struct top_mem {
	char name[32];
	unsigned long long pages;
};

struct top_state {
	unsigned long page_size;
	int thp_order;
	char classes[TOP_MAX_CLASSES][32];
	unsigned int nr_classes;
	struct top_zone zones[TOP_MAX_ZONES];
	unsigned int nr_zones;
	struct top_mem mem[TOP_MAX_MEM];
	unsigned int nr_mem;
	struct { int pid; unsigned long long pages; char comm[80]; } tasks[TOP_MAX_TASKS];
	unsigned int nr_tasks;
	struct { unsigned long long bytes; char name[140]; } slabs[TOP_MAX_SLABS];
	unsigned int nr_slabs;
};

static unsigned long long kb(const struct top_state *s, unsigned long long pages)
{
	return pages * (s->page_size / 1024);
}

static struct top_zone *zone_of(struct top_state *s, unsigned int node,
				const char *name)
{
	unsigned int i;

	for (i = 0; i < s->nr_zones; i++)
		if (s->zones[i].node == node && !strcmp(s->zones[i].name, name))
			return &s->zones[i];
	return NULL;
}

static int class_of(const struct top_state *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->nr_classes; i++)
		if (!strcmp(s->classes[i], name))
			return i;
	return -1;
}

/* Parse one line; false when it is malformed. */
static bool parse_line(struct top_state *s, const char *line)
{
	char word[32], name[32], cls[32], status[16];
	unsigned int node;
	struct top_zone *z;
	int order, n, c;
	long long margin;

	if (sscanf(line, "%31s", word) != 1)
		return true;
	if (!strcmp(word, "headroom"))
		return sscanf(line, "headroom %d", &n) == 1 && n == 1;
	if (!strcmp(word, "page_size"))
		return sscanf(line, "page_size %lu", &s->page_size) == 1 &&
		       s->page_size >= 1024;
	if (!strcmp(word, "thp_order"))
		return sscanf(line, "thp_order %d", &s->thp_order) == 1;
	if (!strcmp(word, "class")) {
		if (s->nr_classes == TOP_MAX_CLASSES)
			return true;
		return sscanf(line, "class %31s", s->classes[s->nr_classes++]) == 1;
	}
	if (!strcmp(word, "zone")) {
		if (s->nr_zones == TOP_MAX_ZONES)
			return true;
		z = &s->zones[s->nr_zones];
		memset(z, 0, sizeof(*z));
		for (c = 0; c < TOP_MAX_CLASSES; c++)
			z->best[c] = -1;
		if (sscanf(line, "zone %u %31s free %llu min %llu low %llu high %llu boost %llu highatomic %llu managed %llu",
			   &z->node, z->name, &z->free, &z->min, &z->low, &z->high,
			   &z->boost, &z->highatomic, &z->managed) != 9)
			return false;
		s->nr_zones++;
		return true;
	}
	if (!strcmp(word, "largest")) {
		int v[NR_MT];

		if (sscanf(line, "largest %u %31s %d %d %d %d %d %d", &node, name,
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 8)
			return false;
		z = zone_of(s, node, name);
		if (z)
			memcpy(z->largest, v, sizeof(v));
		return z != NULL;
	}
	if (!strcmp(word, "check")) {
		if (sscanf(line, "check %u %31s %31s %d %15s %lld", &node, name, cls,
			   &order, status, &margin) != 6)
			return false;
		z = zone_of(s, node, name);
		c = class_of(s, cls);
		if (!z || c < 0 || order < 0 || order >= TOP_MAX_ORDERS)
			return false;
		z->allowed[c] = true;
		z->check[c][order].shown = true;
		strcpy(z->check[c][order].status, status);
		z->check[c][order].margin = margin;
		return true;
	}
	if (!strcmp(word, "best")) {
		if (sscanf(line, "best %u %31s %31s %d", &node, name, cls, &order) != 4)
			return false;
		z = zone_of(s, node, name);
		c = class_of(s, cls);
		if (!z || c < 0)
			return false;
		z->best[c] = order;
		return true;
	}
	if (!strcmp(word, "mem")) {
		if (s->nr_mem == TOP_MAX_MEM)
			return true;
		n = sscanf(line, "mem %31s %llu", s->mem[s->nr_mem].name,
			   &s->mem[s->nr_mem].pages);
		s->nr_mem++;
		return n == 2;
	}
	if (!strcmp(word, "task")) {
		if (s->nr_tasks == TOP_MAX_TASKS)
			return true;
		n = sscanf(line, "task %d %llu %79[^\n]", &s->tasks[s->nr_tasks].pid,
			   &s->tasks[s->nr_tasks].pages, s->tasks[s->nr_tasks].comm);
		s->nr_tasks++;
		return n == 3;
	}
	if (!strcmp(word, "slab")) {
		if (s->nr_slabs == TOP_MAX_SLABS)
			return true;
		n = sscanf(line, "slab %llu %139[^\n]", &s->slabs[s->nr_slabs].bytes,
			   s->slabs[s->nr_slabs].name);
		s->nr_slabs++;
		return n == 2;
	}
	return true;	/* a later module's line: skip it */
}

static void load(struct top_state *s, const char *path)
{
	static char buf[TOP_FILE_MAX + 1];
	size_t have = 0;
	char *line, *save = NULL;
	unsigned long lineno = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		fail(EXIT_TROUBLE, "%s: %s%s", path, strerror(errno),
		     errno == ENOENT ? " (is oomsnap.ko loaded, and new enough to have it?)" : "");
	while (have < TOP_FILE_MAX &&
	       (n = read(fd, buf + have, TOP_FILE_MAX - have)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail(EXIT_TROUBLE, "%s: %s", path, strerror(errno));
		have += n;
	}
	close(fd);
	buf[have] = '\0';
	memset(s, 0, sizeof(*s));
	s->page_size = 4096;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (!parse_line(s, line))
			fail(EXIT_TROUBLE, "%s: line %lu: unexpected \"%.60s\"", path,
			     lineno, line);
	}
	if (!s->nr_zones)
		fail(EXIT_TROUBLE, "%s: no zones", path);
}

/* Orders the view shows: 0-4 and the THP order. */
static bool order_shown(const struct top_state *s, int o)
{
	return o < 5 || o == s->thp_order;
}

/* Over the zones a class may use: the largest passing order, the best margin at order 0. */
static int class_best(const struct top_state *s, int c, long long *margin)
{
	unsigned int i;
	int best = -1;
	bool any = false;

	*margin = 0;
	for (i = 0; i < s->nr_zones; i++) {
		const struct top_zone *z = &s->zones[i];

		if (!z->allowed[c])
			continue;
		if (z->best[c] > best)
			best = z->best[c];
		if (!any || z->check[c][0].margin > *margin)
			*margin = z->check[c][0].margin;
		any = true;
	}
	return best;
}

/* The mem[] slots top lists as consumers, by the names headroom prints. */
static const unsigned int consumers[] = {
	OOMSNAP_MEM_ACTIVE_ANON, OOMSNAP_MEM_INACTIVE_ANON,
	OOMSNAP_MEM_ACTIVE_FILE, OOMSNAP_MEM_INACTIVE_FILE,
	OOMSNAP_MEM_SHMEM, OOMSNAP_MEM_SLAB_UNRECLAIMABLE,
	OOMSNAP_MEM_SLAB_RECLAIMABLE, OOMSNAP_MEM_KERNEL_STACK,
	OOMSNAP_MEM_PAGETABLES, OOMSNAP_MEM_PERCPU, OOMSNAP_MEM_VMALLOC,
	OOMSNAP_MEM_HUGETLB_TOTAL, OOMSNAP_MEM_UNACCOUNTED,
};

static bool is_consumer(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(consumers); i++)
		if (!strcmp(name, oomsnap_mem_name(consumers[i])))
			return true;
	return false;
}

static int by_pages_desc(const void *a, const void *b)
{
	const struct top_mem *x = a, *y = b;

	return x->pages < y->pages ? 1 : x->pages > y->pages ? -1 : 0;
}

static void print_text(struct top_state *s, const char *path, bool clear)
{
	char when[32];
	unsigned int i, m;
	int c, o;

	if (clear)
		fputs("\033[H\033[2J", stdout);
	printf("oomsnap top  %s  every %.1fs  %s\n",
	       oomsnap_format_realtime(when, sizeof(when),
				       (unsigned long long)time(NULL) * 1000000000ULL),
	       top_interval, path);
	printf("watermark check (the kernel's, at min+boost): pages to spare at each order\n"
	       "(FAIL: below the mark; FRAG: enough pages, no block of that order; T: the THP order)\n");
	for (i = 0; i < s->nr_zones; i++) {
		struct top_zone *z = &s->zones[i];

		printf("\nnode%u %-8s free %llukB  min %llukB  low %llukB  high %llukB  boost %llukB  managed %llukB\n",
		       z->node, z->name, kb(s, z->free), kb(s, z->min), kb(s, z->low),
		       kb(s, z->high), kb(s, z->boost), kb(s, z->managed));
		printf("  %-22s", "class \\ order");
		for (o = 0; o < TOP_MAX_ORDERS; o++)
			if (order_shown(s, o))
				printf(" %9d%s", o, o == s->thp_order ? "T" : " ");
		printf("  largest\n");
		for (c = 0; c < (int)s->nr_classes; c++) {
			printf("  %-22s", s->classes[c]);
			if (!z->allowed[c]) {
				printf(" (zone not usable by this class)\n");
				continue;
			}
			for (o = 0; o < TOP_MAX_ORDERS; o++) {
				const struct top_check *k = &z->check[c][o];
				char cell[24];

				if (!order_shown(s, o))
					continue;
				if (!k->shown)
					snprintf(cell, sizeof(cell), "-");
				else if (!strcmp(k->status, "pass"))
					snprintf(cell, sizeof(cell), "%lld", k->margin);
				else if (!strcmp(k->status, "fail_order"))
					snprintf(cell, sizeof(cell), "FRAG");
				else
					snprintf(cell, sizeof(cell), "FAIL %lld", k->margin);
				printf(" %9s ", cell);
			}
			if (z->best[c] >= 0)
				printf("  %d\n", z->best[c]);
			else
				printf("  none\n");
		}
		printf("  largest free block:");
		for (m = 0; m < NR_MT; m++)
			if (z->largest[m] >= 0)
				printf(" %s order %d", mt_names[m], z->largest[m]);
		printf("\n");
	}
	printf("\nper class, over the zones it may use\n  %-22s %13s %16s\n", "class",
	       "largest order", "order-0 spare");
	for (c = 0; c < (int)s->nr_classes; c++) {
		long long margin;
		int best = class_best(s, c, &margin);
		char order[16];

		snprintf(order, sizeof(order), best < 0 ? "none" : "%d", best);
		printf("  %-22s %13s %10lld pages\n", s->classes[c], order, margin);
	}
	qsort(s->mem, s->nr_mem, sizeof(s->mem[0]), by_pages_desc);
	printf("\ntop consumers\n");
	for (i = 0, m = 0; i < s->nr_mem && m < 6; i++) {
		if (!is_consumer(s->mem[i].name))
			continue;
		printf("  %-20s %10llukB\n", s->mem[i].name, kb(s, s->mem[i].pages));
		m++;
	}
	for (i = 0; i < s->nr_tasks && i < 5; i++)
		printf("  task %-7d %-16s %10llukB\n", s->tasks[i].pid,
		       s->tasks[i].comm, kb(s, s->tasks[i].pages));
	for (i = 0; i < s->nr_slabs && i < 3; i++)
		printf("  slab %-24s %10llukB\n", s->slabs[i].name,
		       s->slabs[i].bytes >> 10);
	fflush(stdout);
}

static void print_json(struct top_state *s)
{
	char when[32];
	struct json j;
	unsigned int i, m;
	int c, o;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_ku64(&j, "version", 1);
	json_kstr(&j, "realtime", oomsnap_format_realtime(when, sizeof(when),
			(unsigned long long)time(NULL) * 1000000000ULL));
	json_ku64(&j, "page_size", s->page_size);
	json_ks64(&j, "thp_order", s->thp_order);
	json_key(&j, "zones");
	json_arr_begin(&j);
	for (i = 0; i < s->nr_zones; i++) {
		struct top_zone *z = &s->zones[i];

		json_obj_begin(&j);
		json_ku64(&j, "node", z->node);
		json_kstr(&j, "name", z->name);
		json_ku64(&j, "free_kb", kb(s, z->free));
		json_ku64(&j, "min_kb", kb(s, z->min));
		json_ku64(&j, "low_kb", kb(s, z->low));
		json_ku64(&j, "high_kb", kb(s, z->high));
		json_ku64(&j, "boost_kb", kb(s, z->boost));
		json_ku64(&j, "highatomic_kb", kb(s, z->highatomic));
		json_ku64(&j, "managed_kb", kb(s, z->managed));
		json_key(&j, "largest_free_order");
		json_obj_begin(&j);
		for (m = 0; m < NR_MT; m++) {
			json_key(&j, mt_names[m]);
			if (z->largest[m] >= 0)
				json_s64(&j, z->largest[m]);
			else
				json_null(&j);
		}
		json_obj_end(&j);
		json_key(&j, "classes");
		json_arr_begin(&j);
		for (c = 0; c < (int)s->nr_classes; c++) {
			if (!z->allowed[c])
				continue;
			json_obj_begin(&j);
			json_kstr(&j, "class", s->classes[c]);
			json_key(&j, "largest_order");
			if (z->best[c] >= 0)
				json_s64(&j, z->best[c]);
			else
				json_null(&j);
			json_key(&j, "orders");
			json_arr_begin(&j);
			for (o = 0; o < TOP_MAX_ORDERS; o++) {
				if (!z->check[c][o].shown)
					continue;
				json_obj_begin(&j);
				json_ks64(&j, "order", o);
				json_kstr(&j, "status", z->check[c][o].status);
				json_ks64(&j, "margin_pages", z->check[c][o].margin);
				json_obj_end(&j);
			}
			json_arr_end(&j);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "classes");
	json_arr_begin(&j);
	for (c = 0; c < (int)s->nr_classes; c++) {
		long long margin;
		int best = class_best(s, c, &margin);

		json_obj_begin(&j);
		json_kstr(&j, "class", s->classes[c]);
		json_key(&j, "largest_order");
		if (best >= 0)
			json_s64(&j, best);
		else
			json_null(&j);
		json_ks64(&j, "margin_pages", margin);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "memory_kb");
	json_obj_begin(&j);
	for (i = 0; i < s->nr_mem; i++)
		json_ku64(&j, s->mem[i].name, kb(s, s->mem[i].pages));
	json_obj_end(&j);
	json_key(&j, "tasks");
	json_arr_begin(&j);
	for (i = 0; i < s->nr_tasks; i++) {
		json_obj_begin(&j);
		json_ks64(&j, "pid", s->tasks[i].pid);
		json_kstr(&j, "comm", s->tasks[i].comm);
		json_ku64(&j, "rss_kb", kb(s, s->tasks[i].pages));
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "slabs");
	json_arr_begin(&j);
	for (i = 0; i < s->nr_slabs; i++) {
		json_obj_begin(&j);
		json_kstr(&j, "name", s->slabs[i].name);
		json_ku64(&j, "bytes", s->slabs[i].bytes);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	fflush(stdout);
}

double top_interval = 2.0;
unsigned long long top_count;

int cmd_top(int argc, char **argv)
{
	static struct top_state s;
	char path[4096];
	bool clear = !json_mode && isatty(STDOUT_FILENO);
	unsigned long long n;

	if (argc)
		usage_error("top", "unexpected argument '%s'", argv[0]);
	snprintf(path, sizeof(path), "%s/headroom", dir);
	for (n = 0; !top_count || n < top_count; n++) {
		struct timespec ts;

		if (n) {
			ts.tv_sec = (time_t)top_interval;
			ts.tv_nsec = (long)((top_interval - ts.tv_sec) * 1e9);
			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
		}
		load(&s, path);
		if (json_mode)
			print_json(&s);
		else
			print_text(&s, path, clear);
	}
	return EXIT_FOUND;
}
