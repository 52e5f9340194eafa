// SPDX-License-Identifier: GPL-2.0
/*
 * What a log's carrier puts before the kernel's message: syslog and
 * journal prefixes, dmesg stamps, mail quoting, terminal colour.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool is_month(const char *p, const char *end)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	if (end - p < 4 || p[3] != ' ')
		return false;
	for (i = 0; i < 12; i++)
		if (!memcmp(p, months + 3 * i, 3))
			return true;
	return false;
}

/* Strip syslog/journal/dmesg prefixes; returns the message text. */
const char *strip_prefix(const char *p, const char *end, bool *prefixed)
{
	const char *k;

	*prefixed = false;
	/* "Mar 24 12:40:02 host kernel: " or ISO "2024-01-02T03:04:05 host kernel: " */
	if (is_month(p, end) ||
	    (end - p > 11 && is_digit(p[0]) && is_digit(p[3]) && p[4] == '-' &&
	     p[10] == 'T')) {
		const char *lim = end - p > 96 ? p + 96 : end;

		k = find(p, lim, " kernel: ");
		if (k) {
			p = k + 9;
			*prefixed = true;
		} else {
			k = find(p, lim, ": ");	/* "host kern.warn kernel[1]: " */
			if (k && is_month(p, end)) {
				p = k + 2;
				*prefixed = true;
			}
		}
	}
	/* dmesg -x: "kern  :warn  : " */
	if (end - p > 6 && p[0] >= 'a' && p[0] <= 'z') {
		const char *q = p;

		while (q < end && *q >= 'a' && *q <= 'z')
			q++;
		q = skip_spaces(q, end);
		if (q < end && *q == ':' && q - p <= 8) {
			const char *r = q + 1;

			while (r < end && *r >= 'a' && *r <= 'z')
				r++;
			r = skip_spaces(r, end);
			if (r + 1 < end && *r == ':' && r[1] == ' ' && r - q <= 10) {
				p = r + 2;
				*prefixed = true;
			}
		}
	}
	/* "<4>" */
	if (end - p >= 3 && p[0] == '<' && is_digit(p[1])) {
		const char *q = p + 1;

		while (q < end && is_digit(*q))
			q++;
		if (q < end && *q == '>') {
			p = q + 1;
			*prefixed = true;
		}
	}
	/* "[ 1234.567890] ", "[Mon Jan  2 03:04:05 2024] ", "[  T123] " */
	while (p < end && *p == '[') {
		size_t span = (size_t)(end - p) < 48 ? (size_t)(end - p) : 48;
		const char *q = memchr(p, ']', span);
		const char *in = skip_spaces(p + 1, end), *r;
		bool stamp = false;

		if (!q || in >= q)
			break;
		if (is_digit(*in)) {		/* seconds.micros */
			for (r = in; r < q && (is_digit(*r) || *r == '.'); r++)
				;
			stamp = r == q && memchr(in, '.', q - in);
		} else if (*in == 'T' || *in == 'C') {	/* caller id */
			for (r = in + 1; r < q && is_digit(*r); r++)
				;
			stamp = r == q && r > in + 1;
		} else if (q - in >= 20 && in[3] == ' ' && is_month(in + 4, q)) {
			stamp = true;		/* dmesg -T */
		}
		if (!stamp)
			break;
		p = q + 1;
		if (p < end && *p == ' ')
			p++;
		*prefixed = true;
	}
	return p;
}
