// SPDX-License-Identifier: GPL-2.0
/*
 * Where the BPF recorder's records go: -o FILE gets struct oomsnap_record
 * after struct oomsnap_record, what debugfs' raw file returns, so that
 * "oomsnap --raw FILE list|show" reads it unchanged; --json prints each as
 * "oomsnap --json show" does, by the reader's own code (linked in, its
 * main() renamed); --stats FILE gets the counters in debugfs' stats format.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader.h"

int oomsnap_reader_main(int argc, char **argv);

static FILE *out;
static int json_fd = -1;

void output_open(const struct loader_opts *o)
{
	if (o->out_path) {
		out = fopen(o->out_path, "a");
		if (!out)
			die("%s: %s", o->out_path, strerror(errno));
	}
	if (o->json) {
		json_fd = memfd_create("oomsnap-bpf-json", 0);
		if (json_fd < 0)
			die("memfd_create: %s", strerror(errno));
	}
}

static void print_json(const struct oomsnap_record *r)
{
	char path[64], seq[32];
	pid_t pid;
	int st;

	if (ftruncate(json_fd, 0) || pwrite(json_fd, r, sizeof(*r), 0) != sizeof(*r))
		die("json scratch file: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", json_fd);
	snprintf(seq, sizeof(seq), "%llu", (unsigned long long)r->seq);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		char *argv[] = { "oomsnap", "--json", "--raw", path, "show", seq, NULL };

		optind = 0;	/* the reader parses its own argv from the start */
		exit(oomsnap_reader_main(6, argv));
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		fprintf(stderr, "oomsnap-bpf: rendering record %s as JSON failed\n", seq);
}

void output_record(const struct oomsnap_record *r)
{
	if (out) {
		if (fwrite(r, sizeof(*r), 1, out) != 1 || fflush(out))
			die("write: %s", strerror(errno));
	}
	if (json_fd >= 0)
		print_json(r);
}

void output_close(void)
{
	if (out)
		fclose(out);
	out = NULL;
}

static const char *const counter_names[OOMSNAP_BPF_COUNTER_NR] = {
	"oom", "memcg_oom", "alloc_failure", "manual", "victims", "victims_joined",
	"victims_unjoined", "captured", "dropped_ratelimit", "dropped_nowarn",
	"skipped_recursion", "nowarn_failures", "skipped_busy",
};

static const char *const class_names[OOMSNAP_BPF_FAIL_CLASSES] = {
	"atomic", "nowait", "noio", "nofs", "kernel", "user", "highuser_movable",
};

void write_stats(const char *path, const struct oomsnap_bpf_stats *s,
		 unsigned long long last_seq, unsigned long long written)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		die("%s: %s", path, strerror(errno));
	for (i = 0; i < OOMSNAP_BPF_COUNTER_NR; i++)
		fprintf(f, "%-24s %llu\n", counter_names[i], (unsigned long long)s->counter[i]);
	fprintf(f, "%-24s %llu\n", "last_seq", last_seq);
	fprintf(f, "%-24s %llu\n", "written", written);
	for (i = 0; i < 11; i++)
		fprintf(f, "alloc_failure_order_%-4d %llu\n", i,
			(unsigned long long)s->failures_by_order[i]);
	for (i = 0; i < OOMSNAP_BPF_FAIL_CLASSES; i++)
		fprintf(f, "alloc_failure_%-10s %llu\n", class_names[i],
			(unsigned long long)s->failures_by_class[i]);
	fclose(f);
}
