/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer harness glue: the targets link the reader's own units (all of
 * tools/ but oomsnap.c's main), so they run its streaming code
 * (read_records(), explain_fd()) and printers, not a copy. Input reaches
 * them through a memfd, read in chunks whose size the first input byte
 * picks, so record and line boundaries fall everywhere.
 */
#ifndef OOMSNAP_FUZZ_COMMON_H
#define OOMSNAP_FUZZ_COMMON_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "explain.h"
#include "print.h"
#include "raw.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_fd = -1;

/* Every target of the reader (one per binary, each including this once). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* the printers' output is exercised, not read */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	fuzz_fd = memfd_create("oomsnap-fuzz", 0);
	if (fuzz_fd < 0)
		abort();
	return 0;
}

/* Input bytes as a file at offset 0. */
static int fuzz_file(const uint8_t *data, size_t size)
{
	if (ftruncate(fuzz_fd, 0) || lseek(fuzz_fd, 0, SEEK_SET))
		abort();
	while (size) {
		ssize_t n = write(fuzz_fd, data, size);

		if (n <= 0)
			abort();
		data += n;
		size -= (size_t)n;
	}
	if (lseek(fuzz_fd, 0, SEEK_SET))
		abort();
	return fuzz_fd;
}

#endif /* OOMSNAP_FUZZ_COMMON_H */
