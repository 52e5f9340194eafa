// SPDX-License-Identifier: GPL-2.0
/*
 * Strict parser of control commands (see control.h). Anything that is not
 * exactly one known command is -EINVAL: no prefixes, no trailing garbage,
 * no signs, no spaces, no embedded NULs.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "control.h"

/* Decimal digits only, no sign, at most @max. */
static int parse_uint(const char *s, size_t len, unsigned int max,
		      unsigned int *out)
{
	unsigned long long v = 0;
	size_t i;

	if (!len || len > 10)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!isdigit(s[i]))
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static bool word_is(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && !memcmp(s, word, len);
}

int oomsnap_control_parse(const char *buf, size_t len,
			  struct oomsnap_control_cmd *cmd)
{
	struct oomsnap_control_cmd parsed = {};
	const char *arg, *comma;
	size_t i, arglen;
	unsigned int v;

	if (!buf || !len || len > OOMSNAP_CONTROL_MAX_LEN)
		return -EINVAL;
	if (buf[len - 1] == '\n')
		len--;
	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++)
		/* printable ASCII only: no spaces, controls, NULs, 8-bit */
		if ((unsigned char)buf[i] > 0x7e || !isgraph(buf[i]))
			return -EINVAL;

	if (word_is(buf, len, "clear")) {
		parsed.op = OOMSNAP_CONTROL_CLEAR;
	} else if (word_is(buf, len, "snapshot")) {
		parsed.op = OOMSNAP_CONTROL_SNAPSHOT;
	} else if (len > 15 && !memcmp(buf, "capture_nowarn=", 15)) {
		arg = buf + 15;
		arglen = len - 15;
		if (arglen != 1 || (arg[0] != '0' && arg[0] != '1'))
			return -EINVAL;
		parsed.op = OOMSNAP_CONTROL_CAPTURE_NOWARN;
		parsed.capture_nowarn = arg[0] == '1';
	} else if (len > 10 && !memcmp(buf, "ratelimit=", 10)) {
		arg = buf + 10;
		arglen = len - 10;
		comma = memchr(arg, ',', arglen);
		if (!comma)
			return -EINVAL;
		if (parse_uint(arg, comma - arg, OOMSNAP_RATELIMIT_MAX_MS, &v))
			return -EINVAL;
		parsed.ratelimit_ms = v;
		if (parse_uint(comma + 1, arg + arglen - comma - 1,
			       OOMSNAP_RATELIMIT_MAX_BURST, &v) || !v)
			return -EINVAL;
		parsed.ratelimit_burst = v;
		parsed.op = OOMSNAP_CONTROL_RATELIMIT;
	} else {
		return -EINVAL;
	}
	*cmd = parsed;
	return 0;
}
