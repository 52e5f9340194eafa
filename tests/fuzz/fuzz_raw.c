// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the raw record stream (what `oomsnap --raw FILE list|show`
 * and `watch` read). Byte 0 picks plain or JSON output, one read or
 * watch-style reads with carried partial records, and the read() size; the
 * rest is the stream. Every record oomsnap_record_decode() accepts is
 * diagnosed and printed, as the reader does: the decoder's checks are what
 * keep the engine and the printers inside their arrays.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = { 8, 100, 4096, OOMSNAP_RECORD_SIZE_VER0,
					 READ_CHUNK };
	struct records r = { 0 };
	unsigned char *carry = NULL;
	size_t carry_len = 0, i;
	const char *err;
	uint8_t mode;
	int fd;

	if (!size)
		return 0;
	mode = data[0];
	json_mode = mode & 1;
	read_chunk = chunks[(mode >> 2) % (sizeof(chunks) / sizeof(chunks[0]))];
	fd = fuzz_file(data + 1, size - 1);
	if (mode & 2) {
		/* watch: reads until EOF keep a partial record for later */
		err = read_records(fd, "fuzz", &r, &carry, &carry_len, false);
		if (!err && carry_len > size)
			abort();	/* carried more than it was given */
	} else {
		err = read_records(fd, "fuzz", &r, &carry, &carry_len, true);
	}
	(void)err;
	for (i = 0; i < r.n; i++) {
		static struct oomsnap_diagnosis diag;

		oomsnap_diagnose(&r.v[i], &diag);
		print_list_line(&r.v[i], &diag);
		print_event(&r.v[i]);
		if (json_mode)
			printf("\n");
	}
	fflush(stdout);
	free(r.v);
	free(carry);
	return 0;
}
