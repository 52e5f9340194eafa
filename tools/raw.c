// SPDX-License-Identifier: GPL-2.0
/*
 * The reader's stream of raw records (DIR/raw or a saved copy), decoded
 * whole by oomsnap_record_decode(): all at once for list and show, read
 * after read with a carried partial record for watch. See raw.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "cli.h"
#include "raw.h"

static void records_push(struct records *r, const struct oomsnap_record *rec)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		if (!r->v)
			fail(EXIT_TROUBLE, "out of memory");
	}
	r->v[r->n++] = *rec;
}

const char *raw_path(char *buf, size_t len)
{
	if (raw_file)
		return raw_file;
	snprintf(buf, len, "%s/raw", dir);
	return buf;
}

/* Whole records per read() from debugfs; small in the fuzzer. */
size_t read_chunk = READ_CHUNK;

/*
 * Decode whole records from fd until read() returns 0. A record cut by the
 * end of one read() waits in *carry for the next call; at the end of a file
 * (final) it is an error: a truncated file. The buffer holds the largest
 * record the decoder accepts plus one read, so whatever size a header
 * claims, a read never runs past it. Returns NULL or a one-line error.
 */
const char *read_records(int fd, const char *path, struct records *out,
			 unsigned char **carry, size_t *carry_len, bool final)
{
	static char errbuf[512];
	static unsigned char *buf;
	static size_t cap;
	size_t have = *carry_len, pos = 0;
	ssize_t n;

	if (cap < OOMSNAP_RECORD_SIZE_MAX + read_chunk) {
		free(buf);
		cap = OOMSNAP_RECORD_SIZE_MAX + read_chunk;
		buf = malloc(cap);
		if (!buf)
			fail(EXIT_TROUBLE, "out of memory");
	}
	if (have)
		memcpy(buf, *carry, have);
	for (;;) {
		size_t off = 0;

		/* have < OOMSNAP_RECORD_SIZE_MAX here: see the break below */
		n = read(fd, buf + have, read_chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(errbuf, sizeof(errbuf), "%s: %s", path,
				 strerror(errno));
			return errbuf;
		}
		have += (size_t)n;
		while (have - off >= 8) {
			struct oomsnap_record rec;
			const char *err;
			long used;

			/* a plausible record not read whole yet: wait for more */
			if (oomsnap_record_size(buf + off, have - off) > have - off)
				break;
			used = oomsnap_record_decode(buf + off, have - off,
						     &rec, &err);
			if (used < 0) {
				snprintf(errbuf, sizeof(errbuf),
					 "%s: record at offset %zu: %s", path,
					 pos + off, err);
				return errbuf;
			}
			records_push(out, &rec);
			off += (size_t)used;
		}
		have -= off;
		memmove(buf, buf + off, have);
		pos += off;
		if (n == 0)
			break;
	}
	if (final && have) {
		snprintf(errbuf, sizeof(errbuf),
			 "%s: truncated record: %zu stray bytes at the end",
			 path, have);
		return errbuf;
	}
	if (have) {
		*carry = realloc(*carry, have);
		if (!*carry)
			fail(EXIT_TROUBLE, "out of memory");
		memcpy(*carry, buf, have);
	}
	*carry_len = have;
	return NULL;
}

void load_records(struct records *out)
{
	char pathbuf[4096];
	const char *path = raw_path(pathbuf, sizeof(pathbuf));
	unsigned char *carry = NULL;
	size_t carry_len = 0;
	const char *err;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		fail(EXIT_TROUBLE, "%s: %s%s", path, strerror(errno),
		     errno == ENOENT && !raw_file ? " (is oomsnap.ko loaded and debugfs mounted?)" : "");
	err = read_records(fd, path, out, &carry, &carry_len, true);
	if (err)
		fail(EXIT_TROUBLE, "%s", err);
	free(carry);
	close(fd);
}
