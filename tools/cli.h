/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the reader's commands share: the output mode, where the module's
 * files are, exit statuses (as grep's) and the one-line failure.
 */
#ifndef OOMSNAP_CLI_H
#define OOMSNAP_CLI_H

#include <stdbool.h>

#define OOMSNAP_DEFAULT_DIR	"/sys/kernel/debug/oomsnap"

/* Exit statuses, as grep's: documented in oomsnap(8). */
#define EXIT_FOUND	0	/* something was found and printed */
#define EXIT_NOTHING	1	/* no event, no report, no such sequence number */
#define EXIT_TROUBLE	2	/* usage error, missing file, I/O or format error */

extern bool json_mode;
extern const char *dir;

/* Print "oomsnap: MSG" (or {"error": MSG} in JSON mode) and exit. */
void __attribute__((noreturn, format(printf, 2, 3)))
fail(int status, const char *fmt, ...);

/* oomsnap top, and its options: seconds between refreshes, refreshes (0: forever) */
int cmd_top(int argc, char **argv);
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
