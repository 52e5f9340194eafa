// SPDX-License-Identifier: GPL-2.0
/*
 * What the reader's commands share: the global options, the one-line
 * failure and usage error (text, or {"error": "..."} in JSON mode), and
 * strict number parsing. See cli.h.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "json.h"

bool json_mode;
const char *dir = OOMSNAP_DEFAULT_DIR;
const char *raw_file;
bool verbose;

void fail(int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(stdout);
	if (json_mode) {
		struct json j;

		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "error", msg);
		json_obj_end(&j);
	} else {
		fprintf(stderr, "oomsnap: %s\n", msg);
	}
	exit(status);
}

unsigned long long parse_count(const char *cmd, const char *what,
			       const char *s, unsigned long long min)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno || v < min)
		usage_error(cmd, "bad %s '%s': expected a whole number >= %llu",
			    what, s, min);
	return v;
}

double parse_seconds(const char *cmd, const char *what, const char *s)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (!((s[0] >= '0' && s[0] <= '9') || s[0] == '.') || *end || errno ||
	    !isfinite(v) || v < 0.1 || v > 86400)
		usage_error(cmd, "bad %s '%s': expected seconds from 0.1 to 86400",
			    what, s);
	return v;
}

void usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_mode)
		fail(EXIT_TROUBLE, "%s%s%s", cmd ? cmd : "", cmd ? ": " : "", msg);
	fflush(stdout);
	fprintf(stderr, "oomsnap: %s%s%s\nTry 'oomsnap %s%s--help'.\n",
		cmd ? cmd : "", cmd ? ": " : "", msg, cmd ? cmd : "",
		cmd ? " " : "");
	exit(EXIT_TROUBLE);
}
