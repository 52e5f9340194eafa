// SPDX-License-Identifier: GPL-2.0
/*
 * mkrecord FILE SEQ COMM MEMCG_PATH REALTIME_S: append one OOM record with
 * those bytes as the task's, the victim's and the top task's name and as
 * the memory cgroup's path, stamped REALTIME_S seconds after the epoch:
 * what a process renamed with prctl(PR_SET_NAME) would leave in the ring.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "watermark.h"

int main(int argc, char **argv)
{
	static struct oomsnap_record rec;
	FILE *f;

	if (argc != 6) {
		fprintf(stderr, "usage: mkrecord FILE SEQ COMM MEMCG_PATH REALTIME_S\n");
		return 2;
	}
	oomsnap_record_init(&rec);
	rec.seq = strtoull(argv[2], NULL, 10);
	rec.type = OOMSNAP_EVENT_OOM;
	rec.time_ns = 12345678000ULL;
	rec.realtime_ns = strtoull(argv[5], NULL, 10) * 1000000000ULL;
	rec.kernel_era = OOMSNAP_ERA(6, 1);
	rec.have |= OOMSNAP_HAVE_TASK | OOMSNAP_HAVE_MEMCG | OOMSNAP_HAVE_VICTIM |
		    OOMSNAP_HAVE_TASKS;
	strncpy(rec.task.comm, argv[3], sizeof(rec.task.comm) - 1);
	strncpy(rec.victim.comm, argv[3], sizeof(rec.victim.comm) - 1);
	rec.task.pid = rec.victim.pid = 4242;
	strncpy(rec.memcg_path, argv[4], sizeof(rec.memcg_path) - 1);
	rec.memcg_usage = 1000;
	rec.memcg_limit = 1024;
	rec.memcg_swap_usage = 256;
	rec.memcg_swap_limit = ~0ULL;
	rec.nr_tasks = 1;
	rec.tasks[0] = rec.task;
	rec.tasks[0].rss_anon = 900;
	f = fopen(argv[1], "ab");
	if (!f || fwrite(&rec, sizeof(rec), 1, f) != 1 || fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
