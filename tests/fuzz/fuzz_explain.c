// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: `oomsnap explain` on arbitrary text. Byte 0 picks plain or
 * JSON output, -v, and the read() size; the rest is the log. Each report
 * found goes through the log parser, oomsnap_diagnose(), and the text or
 * JSON printer, as in the reader.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = { 13, 80, 4096, READ_CHUNK };
	uint8_t mode;

	if (!size)
		return 0;
	mode = data[0];
	json_mode = mode & 1;
	verbose = mode & 2;
	read_chunk = chunks[(mode >> 2) % (sizeof(chunks) / sizeof(chunks[0]))];
	if (explain_fd(fuzz_file(data + 1, size - 1)) < 0)
		abort();
	fflush(stdout);
	return 0;
}
