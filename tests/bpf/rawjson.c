// SPDX-License-Identifier: GPL-2.0
/*
 * rawjson FILE: every field of every struct oomsnap_record in FILE as one
 * JSON object per line, raw values (pages, the kernel's numbers), no
 * interpretation: the BPF tests' own decoder, independent of tools/oomsnap,
 * so that what the recorder filled can be compared with the kernel's
 * report field by field. Field names follow uapi/oomsnap.h; zone
 * watermarks are "min"/"low"/"high"/"boost" as in tests/guest/oomsnap-rawdump.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomsnap.h"

static void str(const char *key, const char *s, size_t max)
{
	size_t i;

	if (key)
		printf("\"%s\":", key);
	printf("\"");
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

static void u64s(const char *key, const __u64 *v, unsigned int n)
{
	unsigned int i;

	printf("\"%s\":[", key);
	for (i = 0; i < n; i++)
		printf("%s%llu", i ? "," : "", (unsigned long long)v[i]);
	printf("]");
}

static void task(const char *key, const struct oomsnap_task *t)
{
	if (key)
		printf("\"%s\":", key);
	printf("{\"pid\":%d,\"tgid\":%d,\"uid\":%u,\"oom_score_adj\":%d,", t->pid,
	       t->tgid, t->uid, t->oom_score_adj);
	str("comm", t->comm, sizeof(t->comm));
	printf(",\"total_vm\":%llu,\"rss_anon\":%llu,\"rss_file\":%llu,\"rss_shmem\":%llu,"
	       "\"swapents\":%llu,\"pgtables_bytes\":%llu,\"flags\":%u}",
	       (unsigned long long)t->total_vm, (unsigned long long)t->rss_anon,
	       (unsigned long long)t->rss_file, (unsigned long long)t->rss_shmem,
	       (unsigned long long)t->swapents, (unsigned long long)t->pgtables_bytes, t->flags);
}

static void zone(const struct oomsnap_zone *z)
{
	unsigned int o, m;

	printf("{\"node\":%u,\"zone_type\":%u,", z->node, z->zone_type);
	str("name", z->name, sizeof(z->name));
	printf(",\"have\":%u,\"flags\":%u,\"nr_orders\":%u,\"nr_migratetypes\":%u,"
	       "\"free\":%llu,\"min\":%llu,\"low\":%llu,\"high\":%llu,\"boost\":%llu,"
	       "\"reserved_highatomic\":%llu,\"managed\":%llu,\"present\":%llu,\"spanned\":%llu,",
	       z->have, z->flags, z->nr_orders, z->nr_migratetypes,
	       (unsigned long long)z->free, (unsigned long long)z->wmark_min,
	       (unsigned long long)z->wmark_low, (unsigned long long)z->wmark_high,
	       (unsigned long long)z->wmark_boost, (unsigned long long)z->reserved_highatomic,
	       (unsigned long long)z->managed, (unsigned long long)z->present,
	       (unsigned long long)z->spanned);
	u64s("lowmem_reserve", z->lowmem_reserve, OOMSNAP_MAX_ZONE_TYPES);
	printf(",");
	u64s("nr_free", z->nr_free, z->nr_orders <= OOMSNAP_MAX_ORDERS ? z->nr_orders : 0);
	printf(",\"nr_free_mt\":[");
	for (o = 0; o < OOMSNAP_MAX_ORDERS; o++) {
		printf("%s[", o ? "," : "");
		for (m = 0; m < OOMSNAP_MAX_MIGRATETYPES; m++)
			printf("%s%u", m ? "," : "", z->nr_free_mt[o][m]);
		printf("]");
	}
	printf("],\"mt_capped\":[");
	for (o = 0; o < OOMSNAP_MAX_ORDERS; o++)
		printf("%s%u", o ? "," : "", z->mt_capped[o]);
	printf("],");
	u64s("vmstat", z->vmstat, OOMSNAP_ZONE_VMSTAT_SLOTS);
	printf("}");
}

static void record(const struct oomsnap_record *r)
{
	unsigned int i;

	printf("{\"size\":%u,\"seq\":%llu,\"type\":%u,\"cpu\":%u,\"time_ns\":%llu,"
	       "\"realtime_ns\":%llu,\"have\":%llu,\"page_size\":%u,\"kernel_era\":%u,"
	       "\"gfp\":%llu,\"gfp_raw\":%llu,\"order\":%d,\"highest_zone\":%u,"
	       "\"nodemask\":%llu,\"constraint\":%u,\"in_irq\":%u,",
	       r->size, (unsigned long long)r->seq, r->type, r->cpu,
	       (unsigned long long)r->time_ns, (unsigned long long)r->realtime_ns,
	       (unsigned long long)r->have, r->page_size, r->kernel_era,
	       (unsigned long long)r->gfp, (unsigned long long)r->gfp_raw, r->order,
	       r->highest_zone, (unsigned long long)r->nodemask, r->constraint, r->in_irq);
	task("task", &r->task);
	printf(",\"stack_depth\":%u,\"stack_status\":%u,\"stack\":[", r->stack_depth,
	       r->stack_status);
	for (i = 0; i < r->stack_depth && i < OOMSNAP_STACK_DEPTH; i++) {
		printf("%s", i ? "," : "");
		str(NULL, r->stack[i], OOMSNAP_SYM_LEN);
	}
	printf("],");
	str("memcg_path", r->memcg_path, sizeof(r->memcg_path));
	printf(",\"memcg_usage\":%llu,\"memcg_limit\":%llu,\"memcg_swap_usage\":%llu,"
	       "\"memcg_swap_limit\":%llu,", (unsigned long long)r->memcg_usage,
	       (unsigned long long)r->memcg_limit, (unsigned long long)r->memcg_swap_usage,
	       (unsigned long long)r->memcg_swap_limit);
	task("victim", &r->victim);
	printf(",\"victim_seq\":%llu,\"nr_zones\":%u,\"zones_omitted\":%u,\"walk_limit\":%u,"
	       "\"nr_mem\":%u,\"mem_have\":%llu,", (unsigned long long)r->victim_seq,
	       r->nr_zones, r->zones_omitted, r->walk_limit, r->nr_mem,
	       (unsigned long long)r->mem_have);
	u64s("mem", r->mem, OOMSNAP_MEM_NR);
	printf(",\"zones\":[");
	for (i = 0; i < r->nr_zones && i < OOMSNAP_MAX_ZONES; i++) {
		printf("%s", i ? "," : "");
		zone(&r->zones[i]);
	}
	printf("],\"nr_tasks\":%u,\"tasks_status\":%u,\"tasks_scanned\":%u,\"tasks_capped\":%u,"
	       "\"tasks\":[", r->nr_tasks, r->tasks_status, r->tasks_scanned, r->tasks_capped);
	for (i = 0; i < r->nr_tasks && i < OOMSNAP_TOP_TASKS; i++) {
		printf("%s", i ? "," : "");
		task(NULL, &r->tasks[i]);
	}
	printf("],\"nr_slabs\":%u,\"slabs_status\":%u,\"xen_status\":%u}\n", r->nr_slabs,
	       r->slabs_status, r->xen_status);
}

int main(int argc, char **argv)
{
	static struct oomsnap_record r;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: rawjson FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	while (fread(&r, sizeof(r), 1, f) == 1) {
		if (r.magic != OOMSNAP_MAGIC || r.size != sizeof(r)) {
			fprintf(stderr, "rawjson: bad record (size %u magic 0x%x)\n", r.size, r.magic);
			return 1;
		}
		record(&r);
	}
	return ferror(f) ? 1 : 0;
}
