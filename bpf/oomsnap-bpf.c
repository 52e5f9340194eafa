// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap-bpf: the BPF recorder's loader. Loads oomsnap.bpf.c (CO-RE, one
 * object for every kernel with BTF), finishes each event in user space and
 * writes the module's record stream:
 *
 *   oomsnap-bpf record [-o FILE] [--json] [--count N] [--stats FILE]
 *
 * -o FILE gets struct oomsnap_record after struct oomsnap_record, what
 * debugfs' raw file returns, so that "oomsnap --raw FILE list|show" reads
 * it unchanged. --json prints each record as "oomsnap --json show" does, by
 * the reader's own code (linked in). Runs until SIGINT/SIGTERM or N
 * records; --stats FILE then gets the counters in debugfs' stats format.
 *
 * Finished in user space rather than in the kernel (finish.c): the stack (symbolised from
 * /proc/kallsyms as %pS does: "func+0x1c/0x80 [mod]"), the memcg path, the
 * gfp translation (from the kernel's BTF, or the 6.0-6.2 layout for
 * kernels whose BTF has no gfp enum), the derived mem[] slots, and the
 * clocks: time_ns is put on dmesg's clock by a /dev/kmsg calibration.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "loader.h"

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "oomsnap-bpf: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("OOMSNAP_BPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: oomsnap-bpf record [-o FILE] [--json] [--count N] [--stats FILE]\n"
		"  -o FILE       append raw records (read them with: oomsnap --raw FILE list|show)\n"
		"  --json        print each record as \"oomsnap --json show\" does\n"
		"  --count N     stop after N records (default: at SIGINT/SIGTERM)\n"
		"  --stats FILE  at exit, write the counters (debugfs stats format)\n"
		"  --capture-nowarn  capture __GFP_NOWARN failures too (counted either way)\n"
		"  --walk-limit N    free-list entries counted per list (0: no walk; default 512)\n"
		"  --alloc-hook warn_alloc|tracepoint  allocation failures from warn_alloc() (default:\n"
		"                the success path pays nothing) or from kmem:mm_page_alloc as the module\n"
		"  --check       load (the verifier runs) and exit, attaching nothing\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "stats", required_argument, NULL, 's' },
		{ "capture-nowarn", no_argument, NULL, 'n' },
		{ "walk-limit", required_argument, NULL, 'w' },
		{ "check", no_argument, NULL, 'C' },
		{ "alloc-hook", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct loader_opts o = { .walk_limit = 512 };
	unsigned long long syms[OOMSNAP_SYM_NR];
	struct utsname uts;
	struct btf *btf;
	int c, major = 0, minor = 0, status;

	if (argc < 2 || strcmp(argv[1], "record"))
		usage();
	argv++;
	argc--;
	while ((c = getopt_long(argc, argv, "o:jc:s:nw:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': o.out_path = optarg; break;
		case 'j': o.json = true; break;
		case 'c': o.max_count = strtoull(optarg, NULL, 10); break;
		case 's': o.stats_path = optarg; break;
		case 'n': o.capture_nowarn = true; break;
		case 'C': o.check_only = true; break;
		case 'a':
			if (!strcmp(optarg, "tracepoint"))
				o.tracepoint_hook = true;
			else if (strcmp(optarg, "warn_alloc"))
				die("--alloc-hook: warn_alloc or tracepoint");
			break;
		case 'w':
			o.walk_limit = strtol(optarg, NULL, 10);
			if (o.walk_limit < 0 || o.walk_limit > 4096)
				die("--walk-limit: 0..4096");
			break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (!o.out_path && !o.json && !o.check_only)
		die("nothing to do: give -o FILE and/or --json");

	libbpf_set_print(libbpf_log);
	uname(&uts);
	sscanf(uts.release, "%d.%d", &major, &minor);
	ksyms_init(syms);
	btf = btf__load_vmlinux_btf();
	if (!btf)
		die("no kernel BTF (/sys/kernel/btf/vmlinux): %s", strerror(errno));
	gfp_setup(btf, major, minor);
	calibrate_clocks();
	status = run(&o, syms, uts.release, major, minor);
	btf__free(btf);
	return status;
}
