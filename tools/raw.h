/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reader's stream of raw records: DIR/raw, or the saved copy --raw
 * names, decoded into a growing array (list, show, watch).
 */
#ifndef OOMSNAP_RAW_H
#define OOMSNAP_RAW_H

#include <stdbool.h>
#include <stddef.h>

#include "oomsnap.h"

#define READ_CHUNK	(1 << 20)

/* Bytes per read() of a stream, records or log lines: small in the fuzzer. */
extern size_t read_chunk;

struct records {
	struct oomsnap_record *v;
	size_t n, cap;
};

/* --raw FILE, else DIR/raw (written into @buf). */
const char *raw_path(char *buf, size_t len);

/*
 * Decode whole records from @fd until read() returns 0, a partial one
 * carried in *@carry to the next call; at the end of a file (@final) it is
 * an error. Returns NULL or a one-line error.
 */
const char *read_records(int fd, const char *path, struct records *out,
			 unsigned char **carry, size_t *carry_len, bool final);

/* Every record of raw_path() into @out; fail() on any error. */
void load_records(struct records *out);

#endif /* OOMSNAP_RAW_H */
