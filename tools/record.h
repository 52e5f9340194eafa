/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persistence and monitoring for the reader:
 *
 *   oomsnap record      the recorder: every event as one JSON line, fsynced,
 *                       in a size-bounded, rotated file; and to the journal
 *   oomsnap stats --prometheus
 *                       the counters in the Prometheus text format
 *
 * oomsnap.c hands in how one event is written as JSON, so that a recorded
 * line is exactly what "oomsnap watch --json" prints for that event.
 */
#ifndef OOMSNAP_RECORD_H
#define OOMSNAP_RECORD_H

#include <stdio.h>

#include "oomsnap.h"

/* Write @rec as one JSON object and a newline to @f. */
typedef void (*oomsnap_event_json_fn)(FILE *f,
				      const struct oomsnap_record *rec);

/*
 * "oomsnap record [OPTIONS]", reading records from @raw_path.
 * Returns the exit status; bad usage or input: one-line message on stderr.
 */
int oomsnap_cmd_record(const char *raw_path, int argc, char **argv,
		       oomsnap_event_json_fn event_json);

/*
 * "oomsnap stats --prometheus": DIR/stats and the records of @raw_path as
 * node-exporter textfile metrics on stdout. Returns the exit status.
 */
int oomsnap_cmd_prometheus(const char *dir, const char *raw_path);

#endif /* OOMSNAP_RECORD_H */
