/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF recorder's loader, user space, in parts: oomsnap-bpf.c the
 * command line; run.c the programs' load and attach and the ring buffer's
 * reading; finish.c what an event still needs before it is a record, with
 * ksyms.c (stacks), gfp.c (gfp_t) and clock.c (times); output.c where the
 * record goes (raw file, JSON, the stats file).
 */
#ifndef OOMSNAP_BPF_LOADER_H
#define OOMSNAP_BPF_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include <bpf/btf.h>

#include "oomsnap.h"
#include "oomsnap_bpf.h"

/* What the command line asked for. */
struct loader_opts {
	const char *out_path;		/* -o: raw records appended */
	const char *stats_path;		/* --stats: the counters at exit */
	bool json;			/* --json: each record as "oomsnap --json show" */
	unsigned long long max_count;	/* --count: stop after that many; 0: never */
	bool capture_nowarn;
	long walk_limit;
	bool tracepoint_hook;		/* --alloc-hook tracepoint */
	bool check_only;		/* --check: load, verify, exit */
};

/* oomsnap-bpf.c: "oomsnap-bpf: MSG" on stderr, exit 1. */
void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);

/* run.c: load the programs with the kernel's @sym, attach, record; the exit status. */
int run(const struct loader_opts *o, const unsigned long long sym[OOMSNAP_SYM_NR],
	const char *release, int major, int minor);

/* ksyms.c: /proc/kallsyms and /proc/modules */
void ksyms_init(unsigned long long sym[OOMSNAP_SYM_NR]);
void ksyms_stack(struct oomsnap_record *r, const __u64 *ips, int n);

/* gfp.c: the kernel's gfp_t bits, from its BTF or the 6.0-6.2 layout */
bool gfp_setup(const struct btf *btf, int major, int minor);
bool gfp_bits_known(void);
unsigned long long gfp_of(const char *name);
bool gfp_translate(unsigned long long raw, unsigned long long *out);
unsigned int gfp_highest_zone(unsigned long long gfp);

/* clock.c: time_ns on dmesg's clock, realtime_ns */
void calibrate_clocks(void);
void clocks_stamp(struct oomsnap_record *r);

/* finish.c: an event from the ring buffer made a record */
void finish(struct oomsnap_bpf_event *ev);

/* output.c */
void output_open(const struct loader_opts *o);
void output_record(const struct oomsnap_record *r);
void output_close(void);
void write_stats(const char *path, const struct oomsnap_bpf_stats *s,
		 unsigned long long last_seq, unsigned long long written);

#endif /* OOMSNAP_BPF_LOADER_H */
