// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the module's control parser (module/control.c, the
 * same source, built against libc through tests/fuzz/kshim/) on arbitrary
 * bytes. Beyond "no crash, no out-of-bounds read" (ASan), each input is
 * checked against the grammar of control.h, written here independently:
 *  - a rejected input leaves the command untouched;
 *  - an accepted input is exactly one command of the grammar, with an
 *    optional newline, and the parsed values are the ones written;
 *  - the command, written back canonically, parses to the same values.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"

/* The grammar, independently: 1 and the expected command, or 0. */
static int expect(const char *s, size_t len, struct oomsnap_control_cmd *want)
{
	char buf[OOMSNAP_CONTROL_MAX_LEN + 1];
	unsigned long long ms, burst;
	char *end;

	if (!len || len > OOMSNAP_CONTROL_MAX_LEN)
		return 0;
	if (s[len - 1] == '\n')
		len--;
	if (!len || memchr(s, '\0', len))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(want, 0, sizeof(*want));
	if (!strcmp(buf, "clear")) {
		want->op = OOMSNAP_CONTROL_CLEAR;
		return 1;
	}
	if (!strcmp(buf, "snapshot")) {
		want->op = OOMSNAP_CONTROL_SNAPSHOT;
		return 1;
	}
	if (!strcmp(buf, "capture_nowarn=0") || !strcmp(buf, "capture_nowarn=1")) {
		want->op = OOMSNAP_CONTROL_CAPTURE_NOWARN;
		want->capture_nowarn = buf[15] == '1';
		return 1;
	}
	if (strncmp(buf, "ratelimit=", 10))
		return 0;
	/* digits only, 1..10 of them, on each side of one comma */
	end = buf + 10;
	if (*end < '0' || *end > '9')
		return 0;
	ms = strtoull(end, &end, 10);
	if (*end != ',' || end - (buf + 10) > 10 || ms > OOMSNAP_RATELIMIT_MAX_MS)
		return 0;
	s = end + 1;
	if (*s < '0' || *s > '9')
		return 0;
	burst = strtoull(s, &end, 10);
	if (*end || end - s > 10 || !burst || burst > OOMSNAP_RATELIMIT_MAX_BURST)
		return 0;
	want->op = OOMSNAP_CONTROL_RATELIMIT;
	want->ratelimit_ms = ms;
	want->ratelimit_burst = burst;
	return 1;
}

static int same(const struct oomsnap_control_cmd *a,
		const struct oomsnap_control_cmd *b)
{
	return a->op == b->op && a->capture_nowarn == b->capture_nowarn &&
	       a->ratelimit_ms == b->ratelimit_ms &&
	       a->ratelimit_burst == b->ratelimit_burst;
}

static size_t canonical(const struct oomsnap_control_cmd *c, char *out, size_t n)
{
	switch (c->op) {
	case OOMSNAP_CONTROL_CLEAR:
		return snprintf(out, n, "clear\n");
	case OOMSNAP_CONTROL_SNAPSHOT:
		return snprintf(out, n, "snapshot\n");
	case OOMSNAP_CONTROL_CAPTURE_NOWARN:
		return snprintf(out, n, "capture_nowarn=%d\n", c->capture_nowarn);
	case OOMSNAP_CONTROL_RATELIMIT:
		return snprintf(out, n, "ratelimit=%u,%u\n", c->ratelimit_ms,
				c->ratelimit_burst);
	}
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oomsnap_control_cmd got, want, again;
	char *copy = malloc(size ? size : 1), text[OOMSNAP_CONTROL_MAX_LEN + 1];
	int err, ok;
	size_t n;

	/* an exact-size copy: ASan sees any read past the write */
	memcpy(copy, data, size);
	memset(&got, 0xa5, sizeof(got));
	err = oomsnap_control_parse(size ? copy : NULL, size, &got);
	ok = expect((const char *)data, size, &want);
	if (err) {
		struct oomsnap_control_cmd untouched;

		memset(&untouched, 0xa5, sizeof(untouched));
		if (ok || err != -EINVAL || memcmp(&got, &untouched, sizeof(got)))
			abort();	/* grammar accepts it, or cmd was written */
	} else {
		if (!ok || !same(&got, &want))
			abort();	/* accepted outside the grammar, or wrong */
		n = canonical(&got, text, sizeof(text));
		if (oomsnap_control_parse(text, n, &again) || !same(&got, &again))
			abort();
	}
	free(copy);
	return 0;
}
