// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap-rawdump: the end-to-end tests' own decoder of
 * /sys/kernel/debug/oomsnap/raw, independent of tools/oomsnap, so that the
 * reader can be checked against it. Prints one JSON object per record with
 * the fields the tests compare (raw values, pages; no interpretation).
 *
 *   oomsnap-rawdump [FILE]     (default /sys/kernel/debug/oomsnap/raw)
 *
 * Reads with a buffer far larger than a record and decodes each read's
 * records before the next (raw hands out whole records per read(); a saved
 * file may split one).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oomsnap.h"

#define BUF_SIZE	(4u << 20)

static void print_str(const char *key, const char *s, size_t max)
{
	size_t i;

	printf("\"%s\":\"", key);
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	printf("\"");
}

static void print_task(const char *key, const struct oomsnap_task *t)
{
	if (key)
		printf("\"%s\":", key);
	printf("{\"pid\":%d,\"tgid\":%d,\"oom_score_adj\":%d,",
	       t->pid, t->tgid, t->oom_score_adj);
	print_str("comm", t->comm, sizeof(t->comm));
	printf(",\"rss_anon\":%llu}", (unsigned long long)t->rss_anon);
}

static void print_zone(const struct oomsnap_zone *z)
{
	unsigned int o, n = z->nr_orders;

	if (n > OOMSNAP_MAX_ORDERS)
		n = OOMSNAP_MAX_ORDERS;
	printf("{\"node\":%u,\"zone_type\":%u,", z->node, z->zone_type);
	print_str("name", z->name, sizeof(z->name));
	printf(",\"have\":%u,\"free\":%llu,\"min\":%llu,\"low\":%llu,\"high\":%llu,"
	       "\"boost\":%llu,\"managed\":%llu,\"nr_free\":[",
	       z->have, (unsigned long long)z->free,
	       (unsigned long long)z->wmark_min, (unsigned long long)z->wmark_low,
	       (unsigned long long)z->wmark_high, (unsigned long long)z->wmark_boost,
	       (unsigned long long)z->managed);
	for (o = 0; o < n; o++)
		printf("%s%llu", o ? "," : "", (unsigned long long)z->nr_free[o]);
	printf("]}");
}

static void print_record(const struct oomsnap_record *r)
{
	unsigned int i, nz = r->nr_zones, nt = r->nr_tasks;

	if (nz > OOMSNAP_MAX_ZONES)
		nz = OOMSNAP_MAX_ZONES;
	if (nt > OOMSNAP_TOP_TASKS)
		nt = OOMSNAP_TOP_TASKS;
	printf("{\"size\":%u,\"seq\":%llu,\"type\":%u,\"cpu\":%u,\"time_ns\":%llu,"
	       "\"have\":%llu,\"page_size\":%u,\"gfp\":%llu,\"gfp_raw\":%llu,"
	       "\"order\":%d,\"constraint\":%u,\"in_irq\":%u,",
	       r->size, (unsigned long long)r->seq, r->type, r->cpu,
	       (unsigned long long)r->time_ns, (unsigned long long)r->have,
	       r->page_size, (unsigned long long)r->gfp,
	       (unsigned long long)r->gfp_raw, r->order, r->constraint, r->in_irq);
	print_task("task", &r->task);
	printf(",");
	print_task("victim", &r->victim);
	printf(",\"victim_seq\":%llu,", (unsigned long long)r->victim_seq);
	print_str("memcg_path", r->memcg_path, sizeof(r->memcg_path));
	printf(",\"memcg_usage\":%llu,\"memcg_limit\":%llu,\"mem_free\":%llu,"
	       "\"nr_zones\":%u,\"zones\":[",
	       (unsigned long long)r->memcg_usage, (unsigned long long)r->memcg_limit,
	       (unsigned long long)r->mem[OOMSNAP_MEM_FREE], r->nr_zones);
	for (i = 0; i < nz; i++) {
		if (i)
			printf(",");
		print_zone(&r->zones[i]);
	}
	printf("],\"zones_omitted\":%u,\"slabs_status\":%u,\"nr_slabs\":%u,"
	       "\"slabs_age_ms\":%lld,", r->zones_omitted, r->slabs_status, r->nr_slabs,
	       r->have & OOMSNAP_HAVE_SLABS_AGE ? (long long)r->slabs_age_ms : -1LL);
	printf("\"tasks_status\":%u,\"tasks_scanned\":%u,\"tasks_capped\":%u,\"tasks\":[",
	       r->tasks_status, r->tasks_scanned, r->tasks_capped);
	for (i = 0; i < nt; i++) {
		if (i)
			printf(",");
		print_task(NULL, &r->tasks[i]);
	}
	printf("]}\n");
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/sys/kernel/debug/oomsnap/raw";
	static struct oomsnap_record rec;
	unsigned char *buf = malloc(BUF_SIZE);
	size_t len = 0, off;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (!buf || fd < 0) {
		fprintf(stderr, "oomsnap-rawdump: %s: %s\n", path, strerror(errno));
		return 1;
	}
	/* decode what each read brings: the ring may hold more than the buffer */
	for (;;) {
		n = read(fd, buf + len, BUF_SIZE - len);
		if (n < 0) {
			fprintf(stderr, "oomsnap-rawdump: read %s: %s\n", path, strerror(errno));
			return 1;
		}
		len += n;
		for (off = 0; off + 8 <= len;) {
			__u32 size, magic;

			memcpy(&size, buf + off, 4);
			memcpy(&magic, buf + off + 4, 4);
			if (magic != OOMSNAP_MAGIC || size < OOMSNAP_RECORD_SIZE_VER0 ||
			    size > BUF_SIZE / 2) {
				fprintf(stderr, "oomsnap-rawdump: bad record at offset %zu (size %u magic 0x%x)\n",
					off, size, magic);
				return 1;
			}
			if (off + size > len)
				break;		/* the rest comes with the next read */
			memset(&rec, 0, sizeof(rec));
			memcpy(&rec, buf + off, size < sizeof(rec) ? size : sizeof(rec));
			print_record(&rec);
			off += size;
		}
		memmove(buf, buf + off, len - off);
		len -= off;
		if (!n)
			break;
	}
	if (len) {
		fprintf(stderr, "oomsnap-rawdump: %zu trailing bytes\n", len);
		return 1;
	}
	return 0;
}
