/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text a person reads with cat (render.c): one renderer for seq_file
 * in the kernel and stdio in the reader, through struct oomsnap_printer.
 */
#ifndef OOMSNAP_RENDER_H
#define OOMSNAP_RENDER_H

#include "base.h"
#include "diagnose.h"
#include "oomsnap.h"

/* Output sink: vprintf(ctx, fmt, ap) is called for every piece of text. */
struct oomsnap_printer {
	__printf(2, 0) void (*vprintf)(void *ctx, const char *fmt, va_list ap);
	void *ctx;
};

/* Event, request, zones, consumers, tasks, slab caches, stack, diagnosis. */
void oomsnap_print_record(struct oomsnap_printer *p,
			  const struct oomsnap_record *rec,
			  const struct oomsnap_diagnosis *diag);

/* The diagnosis alone: cause, contributing factors, evidence, missing. */
void oomsnap_print_diagnosis(struct oomsnap_printer *p,
			     const struct oomsnap_diagnosis *diag);

/*
 * Print up to @max bytes of @s with control bytes and bytes that are not
 * UTF-8 as "\\xNN" (as dmesg does), padded to @width columns (negative:
 * left-justified). Returns the columns printed.
 */
unsigned int oomsnap_print_str(struct oomsnap_printer *p, const char *s,
			       size_t max, int width);

/*
 * Length of the valid UTF-8 sequence (2 to 4 bytes, no overlong forms) at
 * @s, within @n bytes; 0 when there is none.
 */
unsigned int oomsnap_utf8_len(const unsigned char *s, size_t n);

/* @realtime_ns as "2026-12-01T05:50:23Z" (UTC), "-" when 0. */
const char *oomsnap_format_realtime(char *buf, size_t len, __u64 realtime_ns);

#endif /* OOMSNAP_RENDER_H */
