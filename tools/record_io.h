/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records from DIR/raw (or a saved copy) for the recorder and the metrics:
 * decoded one at a time, so memory stays one read buffer whatever the ring
 * holds.
 */
#ifndef OOMSNAP_RECORD_IO_H
#define OOMSNAP_RECORD_IO_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "oomsnap.h"

struct oomsnap_reader {
	int fd;
	const char *path;
	unsigned char *buf;
	size_t cap, have;
	bool use_poll;		/* poll() wakes on news; else re-read every 500 ms */
	bool woke;		/* the last wait was a poll() wake-up */
	char err[512];
};

/* Returns 0, or -1 when out of memory. */
int oomsnap_reader_init(struct oomsnap_reader *rd, int fd, const char *path);
void oomsnap_reader_free(struct oomsnap_reader *rd);

/*
 * Every record readable now, oldest first, to @fn; a non-zero return of
 * @fn stops the batch. Returns NULL or a one-line error.
 */
const char *oomsnap_reader_next(struct oomsnap_reader *rd,
				int (*fn)(void *ctx, const struct oomsnap_record *rec),
				void *ctx);

/* Wait for news (or a signal that sets *@stop). Returns 0 or -1 (errno). */
int oomsnap_reader_wait(struct oomsnap_reader *rd, volatile sig_atomic_t *stop);

#endif /* OOMSNAP_RECORD_IO_H */
