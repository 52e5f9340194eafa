/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the reader's commands share (cli.c): the global options, exit
 * statuses (as grep's), the one-line failure; and the commands that
 * oomsnap.c's table runs, each with its own options.
 */
#ifndef OOMSNAP_CLI_H
#define OOMSNAP_CLI_H

#include <stdbool.h>

#define OOMSNAP_DEFAULT_DIR	"/sys/kernel/debug/oomsnap"

/* Exit statuses, as grep's: documented in oomsnap(8). */
#define EXIT_FOUND	0	/* something was found and printed */
#define EXIT_NOTHING	1	/* no event, no report, no such sequence number */
#define EXIT_TROUBLE	2	/* usage error, missing file, I/O or format error */

/* The "version" of every JSON document: bumped when a key changes meaning. */
#define JSON_SCHEMA_VERSION	1

/* The global options: --json, --dir, --raw (NULL: DIR/raw), --verbose */
extern bool json_mode;
extern const char *dir;
extern const char *raw_file;
extern bool verbose;

/* Print "oomsnap: MSG" (or {"error": MSG} in JSON mode) and exit. */
void __attribute__((noreturn, format(printf, 2, 3)))
fail(int status, const char *fmt, ...);

/* The commands (argv[0] is the first argument); each returns the exit status. */
int cmd_list(int argc, char **argv);		/* events.c */
int cmd_show(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_stats(int argc, char **argv);		/* stats.c */
int cmd_explain(int argc, char **argv);		/* explain.c */
int cmd_top(int argc, char **argv);		/* top.c */

/* Their options: watch and top's --count (0: forever), stats --prometheus, top's seconds */
extern unsigned long long watch_count;
extern bool stats_prometheus;
extern double top_interval;
extern unsigned long long top_count;

/* Strict decimal numbers: one-line usage error (exit 2) otherwise. */
unsigned long long parse_count(const char *cmd, const char *what,
			       const char *s, unsigned long long min);
double parse_seconds(const char *cmd, const char *what, const char *s);

/* "oomsnap CMD: MSG" and "Try 'oomsnap CMD --help'." on stderr, exit 2. */
void __attribute__((noreturn, format(printf, 2, 3)))
usage_error(const char *cmd, const char *fmt, ...);

#endif /* OOMSNAP_CLI_H */
