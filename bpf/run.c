// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF recorder's programs in the kernel: the settings filled before
 * the load (the kernel's data symbols, its gfp bits, the limits), the load
 * (the verifier runs), the attach, and the ring buffer read until
 * SIGINT/SIGTERM or --count records, each event finished and written out.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "loader.h"
#include "oomsnap.skel.h"

static volatile sig_atomic_t stop;
static unsigned long long max_count, written;

static int on_event(void *ctx, void *data, size_t len)
{
	static struct oomsnap_bpf_event copy;
	struct oomsnap_bpf_event *ev = &copy;

	(void)ctx;
	if (len < sizeof(*ev) || (max_count && written >= max_count))
		return 0;
	/* the ring buffer is mapped read-only: finish a copy */
	memcpy(ev, data, sizeof(*ev));
	/*
	 * local_clock() and CLOCK_MONOTONIC drift apart where the TSC is
	 * unstable: calibrate again now, a few milliseconds after the event
	 */
	calibrate_clocks();
	finish(ev);
	output_record(&ev->rec);
	written++;
	if (max_count && written >= max_count)
		stop = 1;
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int run(const struct loader_opts *o, const unsigned long long sym[OOMSNAP_SYM_NR],
	const char *release, int major, int minor)
{
	struct oomsnap_bpf *skel;
	struct ring_buffer *rb;
	int err, i;

	max_count = o->max_count;
	skel = oomsnap_bpf__open();
	if (!skel)
		die("opening the BPF object failed");
	for (i = 0; i < OOMSNAP_SYM_NR; i++)
		skel->rodata->sym[i] = sym[i];
	skel->rodata->gfpb.nowarn = gfp_of("NOWARN");
	skel->rodata->gfpb.direct_reclaim = gfp_of("DIRECT_RECLAIM");
	skel->rodata->gfpb.high = gfp_of("HIGH");
	skel->rodata->gfpb.io = gfp_of("IO");
	skel->rodata->gfpb.fs = gfp_of("FS");
	skel->rodata->gfpb.hardwall = gfp_of("HARDWALL");
	skel->rodata->gfpb.movable = gfp_of("MOVABLE");
	skel->rodata->walk_limit = o->walk_limit;
	skel->rodata->kernel_era = (major << 16) | (minor << 8);
	skel->rodata->page_shift = __builtin_ctz(sysconf(_SC_PAGESIZE));
	skel->rodata->capture_nowarn = o->capture_nowarn;
	/* both allocation-failure programs are loaded, one is attached */
	err = oomsnap_bpf__load(skel);
	if (err)
		die("loading the BPF programs failed (%d); OOMSNAP_BPF_DEBUG=1 shows libbpf's log", err);
	if (o->check_only) {
		printf("oomsnap-bpf: loaded and verified on %s\n", release);
		oomsnap_bpf__destroy(skel);
		return 0;
	}
	skel->links.oom_enter = bpf_program__attach(skel->progs.oom_enter);
	skel->links.mark_victim = bpf_program__attach(skel->progs.mark_victim);
	if (o->tracepoint_hook)
		skel->links.page_alloc = bpf_program__attach(skel->progs.page_alloc);
	else
		skel->links.warn_alloc_kp = bpf_program__attach(skel->progs.warn_alloc_kp);
	if (!skel->links.oom_enter || !skel->links.mark_victim ||
	    (o->tracepoint_hook ? !skel->links.page_alloc : !skel->links.warn_alloc_kp))
		die("attaching failed: %s", strerror(errno));

	output_open(o);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
	if (!rb)
		die("ring buffer: %s", strerror(errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "oomsnap-bpf: recording on %s (gfp bits %s)\n", release,
		gfp_bits_known() ? "known" : "unknown: order only");
	while (!stop) {
		err = ring_buffer__poll(rb, 200);
		if (err < 0 && err != -EINTR)
			die("ring buffer poll: %d", err);
		/* allocation failures are handed over without a wakeup: look every 200 ms */
		if (!stop)
			ring_buffer__consume(rb);
	}
	ring_buffer__consume(rb);
	if (o->stats_path)
		write_stats(o->stats_path, &skel->bss->stats, skel->bss->last_seq, written);
	ring_buffer__free(rb);
	oomsnap_bpf__destroy(skel);
	output_close();
	return 0;
}
