/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A log line's own stamp: the wall-clock time and host a syslog or journal
 * prefix gives, and the boot-relative "[ 12.345678]" dmesg gives, so that
 * explain can say when and where each report was written.
 */
#ifndef OOMSNAP_LOGSTAMP_H
#define OOMSNAP_LOGSTAMP_H

#include <stdbool.h>
#include <stddef.h>

struct logstamp {
	char time[40];		/* "Mar 24 12:40:02", "2024-01-02T03:04:05+00:00"; "" */
	char host[64];		/* "" when the line has none */
	char boot[24];		/* "1234.567890" (seconds since boot); "" */
};

/* Fill @st from the start of @line; false when it has no stamp at all. */
bool logstamp_parse(const char *line, size_t len, struct logstamp *st);

/*
 * The first bytes of the last LOGSTAMP_KEEP lines, by line number: a report
 * is explained when it ends, its first line may be hundreds of lines back.
 * Only that line's stamp is ever parsed, so a line costs one short copy.
 */
#define LOGSTAMP_KEEP	4096
#define LOGSTAMP_HEAD	112	/* longer than any stamp: ISO time, host, tag, [boot] */

struct logstamps {
	unsigned long line[LOGSTAMP_KEEP];
	unsigned char len[LOGSTAMP_KEEP];
	char head[LOGSTAMP_KEEP][LOGSTAMP_HEAD];
	struct logstamp st;	/* the last one logstamps_get() parsed */
};

void logstamps_add(struct logstamps *s, unsigned long line, const char *text,
		   size_t len);
/* The stamp of @line, NULL when it had none or is too far back. */
const struct logstamp *logstamps_get(struct logstamps *s, unsigned long line);

#endif /* OOMSNAP_LOGSTAMP_H */
