// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap: read what oomsnap.ko captured, explain saved kernel logs, and
 * show the allocator's headroom live. Commands and options are in usage()
 * and oomsnap(8); exit statuses in cli.h.
 *
 * Every command gathers first, then prints plain text or JSON (bpftool
 * style); in JSON mode errors are {"error": "..."} objects too.
 *
 * This file: main(), the command table and the options. The commands:
 * events.c (list, show, watch), stats.c, explain.c, top.c, record.c.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomsnap_version.h"
#include "cli.h"
#include "json.h"
#include "print.h"
#include "raw.h"
#include "record.h"

#define OPT_ONCE	256
#define OPT_PROMETHEUS	257

/* Options every command takes, before or after its name. */
#define COMMON_OPTIONS \
	"  -j, --json          JSON output (errors too)\n" \
	"  -p, --pretty        indented JSON (implies --json)\n" \
	"  -d, --dir=DIR       oomsnap's debugfs directory (default " OOMSNAP_DEFAULT_DIR ")\n" \
	"  -r, --raw=FILE      list, show, watch: read a saved copy of DIR/raw\n" \
	"  -v, --verbose       explain: print the whole parsed state of each report\n" \
	"  -h, --help          this help, on standard output\n" \
	"  -V, --version       the version (as modinfo oomsnap shows it)\n"

struct command {
	const char *name;
	const char *args;	/* after "oomsnap NAME [OPTIONS]" */
	const char *what;
	const char *options;	/* the command's own, usage lines */
	const char *shortopts;
	struct option longopts[4];
	int (*run)(int argc, char **argv);
	bool reads_raw;		/* --raw FILE may stand for DIR/raw */
};

static const struct command commands[] = {
	{ "list", "", "List every event the module retains, oldest first.",
	  "", "", { { 0 } }, cmd_list, true },
	{ "show", "[SEQ]",
	  "Show one event (the newest without SEQ) with its zones, consumers and diagnosis.",
	  "", "", { { 0 } }, cmd_show, true },
	{ "stats", "", "Print the module's counters (DIR/stats).",
	  "      --prometheus    in the Prometheus text format (node-exporter textfile)\n", "",
	  { { "prometheus", no_argument, NULL, OPT_PROMETHEUS }, { 0 } }, cmd_stats },
	{ "watch", "",
	  "Wait for new events and print each as it arrives.",
	  "  -c, --count=N       exit after N events\n", "c:",
	  { { "count", required_argument, NULL, 'c' }, { 0 } }, cmd_watch, true },
	{ "explain", "[FILE...]",
	  "Explain the OOM and allocation failure reports in kernel logs (dmesg,\n"
	  "journalctl -k, syslog; .gz, .xz and .zst through gzip, xz and zstd).\n"
	  "FILEs are read in order as one log; '-' is standard input. With no FILE,\n"
	  "standard input, or on a terminal the current boot's log (/dev/kmsg).",
	  "", "", { { 0 } }, cmd_explain },
	{ "top", "",
	  "Live headroom: for each zone and common request class, whether the\n"
	  "kernel's watermark check passes now for orders 0-4 and the THP order, by\n"
	  "how many pages, the largest order that passes, the largest free block per\n"
	  "migratetype and the top consumers (DIR/headroom). Ctrl-C quits.",
	  "  -i, --interval=SECS refresh every SECS seconds (default 2)\n"
	  "  -c, --count=N       exit after N refreshes\n"
	  "      --once          print once and exit (--count=1)\n", "i:c:",
	  { { "interval", required_argument, NULL, 'i' },
	    { "count", required_argument, NULL, 'c' },
	    { "once", no_argument, NULL, OPT_ONCE }, { 0 } }, cmd_top },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static void print_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: oomsnap [OPTIONS] COMMAND [ARGS]\n"
		   "       oomsnap help [COMMAND] | COMMAND --help\n\n"
		   "Read what oomsnap.ko captured at OOM and allocation failure, explain\n"
		   "saved kernel logs, and show the allocator's headroom live.\n\n"
		   "Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++) {
		const char *nl = strchr(commands[i].what, '\n');
		int len = nl ? (int)(nl - commands[i].what) : (int)strlen(commands[i].what);

		fprintf(f, "  %-8s %-10s %.*s%s\n", commands[i].name,
			commands[i].args, len, commands[i].what, nl ? " ..." : "");
	}
	fprintf(f, "\nOptions (before or after the command):\n" COMMON_OPTIONS
		"\nCommand options: watch -c N; top -i SECS, -c N, --once.\n"
		"Exit status: 0 found, 1 nothing found (no event, no report), 2 error.\n"
		"See oomsnap(8) and oomsnap(4).\n");
}

static void print_command_help(const struct command *c)
{
	printf("usage: oomsnap %s [OPTIONS]%s%s\n\n%s\n\nOptions:\n%s" COMMON_OPTIONS
	       "\nExit status: 0 found, 1 nothing found, 2 error.\n",
	       c->name, c->args[0] ? " " : "", c->args, c->what, c->options);
}

static void print_version(void)
{
	printf("oomsnap " OOMSNAP_VERSION "\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* The options every command shares; false if @c is not one. */
static bool common_option(int c, const char *arg)
{
	switch (c) {
	case 'j':
		json_mode = true;
		return true;
	case 'p':
		json_mode = true;
		json_pretty_default = true;
		return true;
	case 'd':
		dir = arg;
		return true;
	case 'r':
		raw_file = arg;
		return true;
	case 'v':
		verbose = true;
		return true;
	case 'V':
		print_version();
		exit(EXIT_FOUND);
	}
	return false;
}

static const struct option common_longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "dir", required_argument, NULL, 'd' },
	{ "raw", required_argument, NULL, 'r' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};

#define COMMON_SHORTOPTS	":jpd:r:vhV"
#define NR_COMMON		(sizeof(common_longopts) / sizeof(common_longopts[0]))

static void bad_option(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		usage_error(cmd, "option '%s' needs an argument", arg);
	if (optopt >= '0' && optopt <= '9')
		usage_error(cmd, "bad number '%s': expected a whole number >= 0",
			    arg);
	if (optopt)
		usage_error(cmd, "unknown option '-%c'", optopt);
	usage_error(cmd, "unknown option '%s'", arg);
}

/* Parse @c's options anywhere in argv (argv[0] is its name), then run it. */
static int run_command(const struct command *c, int argc, char **argv)
{
	struct option longopts[NR_COMMON + 4];
	char shortopts[64];
	size_t i, n = 0;
	int opt;

	for (i = 0; i < NR_COMMON; i++)
		longopts[n++] = common_longopts[i];
	for (i = 0; c->longopts[i].name; i++)
		longopts[n++] = c->longopts[i];
	memset(&longopts[n], 0, sizeof(longopts[n]));
	snprintf(shortopts, sizeof(shortopts), "%s%s", COMMON_SHORTOPTS,
		 c->shortopts);
	optind = 0;	/* GNU: start over */
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (common_option(opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			print_command_help(c);
			exit(EXIT_FOUND);
		case 'c':
			watch_count = top_count = parse_count(c->name, "count", optarg, 1);
			break;
		case 'i':
			top_interval = parse_seconds(c->name, "interval", optarg);
			break;
		case OPT_ONCE:
			top_count = 1;
			break;
		case OPT_PROMETHEUS:
			stats_prometheus = true;
			break;
		default:
			bad_option(c->name, opt, argv);
		}
	}
	if (raw_file && !c->reads_raw)
		usage_error(c->name, "--raw is for list, show and watch");
	return c->run(argc - optind, argv + optind);
}

int main(int argc, char **argv)
{
	struct option longopts[NR_COMMON + 1] = { { 0 } };
	const struct command *c;
	const char *name;
	int opt;

	memcpy(longopts, common_longopts, sizeof(common_longopts));
	opterr = 0;
	/* options before the command; "+": stop at the command's name */
	while ((opt = getopt_long(argc, argv, "+" COMMON_SHORTOPTS, longopts,
				  NULL)) != -1) {
		if (common_option(opt, optarg))
			continue;
		if (opt == 'h') {
			print_usage(stdout);
			return EXIT_FOUND;
		}
		bad_option(NULL, opt, argv);
	}
	if (optind >= argc)
		usage_error(NULL, "no command given");
	name = argv[optind];
	if (!strcmp(name, "help")) {
		if (optind + 1 >= argc) {
			print_usage(stdout);
			return EXIT_FOUND;
		}
		c = find_command(argv[optind + 1]);
		if (!c)
			usage_error(NULL, "unknown command '%s'", argv[optind + 1]);
		print_command_help(c);
		return EXIT_FOUND;
	}
	if (!strcmp(name, "record")) {	/* the recorder parses its own options */
		char pathbuf[4096];

		return oomsnap_cmd_record(raw_path(pathbuf, sizeof(pathbuf)),
					  argc - optind - 1, argv + optind + 1,
					  event_json_to);
	}
	c = find_command(name);
	if (!c)
		usage_error(NULL, "unknown command '%s'", name);
	return run_command(c, argc - optind, argv + optind);
}
