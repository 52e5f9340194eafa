// SPDX-License-Identifier: GPL-2.0
/*
 * What a log's carrier puts before the kernel's message, taken off:
 *
 *  pasting    indentation (spaces, tabs) and mail quoting ("> ", ">> ",
 *             "> > ") before anything else;
 *  syslog     "Mon DD hh:mm:ss[.us] host [tag] kernel: " (rsyslog,
 *             journalctl short/short-precise, /var/log/messages),
 *             "Www YYYY-MM-DD hh:mm:ss TZ host kernel: " (short-full),
 *             "YYYY-MM-DDThh:mm:ss[.us]TZ host kernel: " (short-iso,
 *             rsyslog ISO), "NNNNNNNNNN.us host kernel: " (short-unix),
 *             "[ sss.us] host kernel: " (short-monotonic);
 *             "kernel: " alone (the date and host cut by a poster);
 *  RFC 5424   "<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD]|- ";
 *  remote     "host: kern: level: [ISO]: " (remote log collectors);
 *  consoles   "Mon DD hh:mm:ss.us " before a dmesg stamp (serial loggers);
 *  dmesg      "kern  :warn  : " (-x), "<4>", "[ sss.us]", "[ sss.us <
 *             d.us>]" (-d), "[MonDD hh:mm]" and "[  +d.us]" (-H),
 *             "[Www Mon DD hh:mm:ss YYYY]" in any locale (-T),
 *             "YYYY-MM-DDThh:mm:ss,us+TZ " (--time-format=iso), "[ T123]"
 *             (caller id), "[3:  comm:pid]" (Android's per-CPU caller).
 * Each is optional; the ones a line has come in this order. Terminal
 * colour and journal JSON are undone before (see feed.c).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A syslog prefix is shorter than this (host names included). */
#define SYSLOG_PREFIX_MAX	128

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

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Past "hh:mm:ss" and an optional ".us" or ",us", or NULL. */
static const char *skip_clock(const char *p, const char *end)
{
	if (end - p < 8 || !is_digit(p[0]) || !is_digit(p[1]) || p[2] != ':' ||
	    !is_digit(p[3]) || !is_digit(p[4]) || p[5] != ':' ||
	    !is_digit(p[6]) || !is_digit(p[7]))
		return NULL;
	p += 8;
	if (p + 1 < end && (*p == '.' || *p == ',') && is_digit(p[1]))
		for (p++; p < end && is_digit(*p); p++)
			;
	return p;
}

/* Past "YYYY-MM-DD" followed by @sep, or NULL. */
static const char *skip_date(const char *p, const char *end, char sep)
{
	if (end - p < 11 || !is_digit(p[0]) || !is_digit(p[3]) || p[4] != '-' ||
	    !is_digit(p[5]) || p[7] != '-' || !is_digit(p[8]) || p[10] != sep)
		return NULL;
	return p + 11;
}

/* Past an ISO 8601 stamp "YYYY-MM-DDThh:mm:ss[.us][Z|+hh:mm|+hhmm]", or NULL. */
static const char *skip_iso(const char *p, const char *end)
{
	p = skip_date(p, end, 'T');
	if (p)
		p = skip_clock(p, end);
	if (!p)
		return NULL;
	if (p < end && *p == 'Z')
		return p + 1;
	if (p < end && (*p == '+' || *p == '-'))
		for (p++; p < end && (is_digit(*p) || *p == ':'); p++)
			;
	return p;
}

/* Past "host kernel: " or "host kern.warn kernel: " at p, or NULL. */
static const char *skip_host_kernel(const char *p, const char *end)
{
	const char *lim = end - p > SYSLOG_PREFIX_MAX ? p + SYSLOG_PREFIX_MAX : end;

	return find_past(p, lim, " kernel: ");
}

/*
 * A syslog-style line: a date, a host and "kernel: ". Without the tag, a
 * month date followed by a dmesg stamp is a console logger's; any other
 * "tag: " after a month date (another program) is taken off as before.
 */
static const char *strip_syslog(const char *p, const char *end, bool *prefixed)
{
	const char *q = NULL, *k;
	bool month = false;

	if (is_month(p, end)) {
		q = skip_spaces(p + 4, end);
		while (q < end && is_digit(*q))
			q++;
		q = skip_clock(skip_spaces(q, end), end);
		month = true;
	} else if (end - p > 15 && is_alpha(p[0]) && p[3] == ' ' && is_digit(p[4])) {
		q = skip_date(p + 4, end, ' ');		/* "Wed 2024-07-31 " */
		if (q)
			q = skip_clock(q, end);
	} else if (end - p > 11 && is_digit(p[0]) && p[4] == '-') {
		q = skip_iso(p, end);
	} else if (end - p > 12 && is_digit(p[0])) {	/* short-unix */
		for (q = p; q < end && is_digit(*q); q++)
			;
		if (q - p < 9 || q >= end || *q != '.')
			return p;
		for (q++; q < end && is_digit(*q); q++)
			;
	}
	if (!q || q >= end || *q != ' ')
		return p;
	k = skip_host_kernel(q, end);
	if (k) {
		*prefixed = true;
		return k;
	}
	q++;
	if (month && q < end && *q == '[') {	/* console logger */
		*prefixed = true;
		return q;
	}
	if (month) {
		const char *lim = end - p > 96 ? p + 96 : end;

		k = find_past(q, lim, ": ");	/* "host kern.warn kernel[1]: " */
		if (k) {
			*prefixed = true;
			return k;
		}
	}
	if (p[4] == '-' && p[10] == 'T') {	/* dmesg --time-format=iso */
		*prefixed = true;
		return q;
	}
	return p;
}

/* "<4>1 2024-07-31T01:56:12.000013+00:00 host kernel - - - " */
static const char *strip_rfc5424(const char *p, const char *end, bool *prefixed)
{
	const char *q = p + 1;
	int field;

	while (q < end && is_digit(*q))
		q++;
	if (q + 2 >= end || *q != '>' || q[1] != '1' || q[2] != ' ')
		return p;
	q += 3;
	for (field = 0; field < 5; field++) {	/* time host app procid msgid */
		while (q < end && *q != ' ')
			q++;
		if (q >= end)
			return p;
		q++;
	}
	if (q < end && *q == '-') {
		q++;
	} else {
		while (q < end && *q == '[') {		/* structured data */
			const char *close = memchr(q, ']', end - q);

			if (!close)
				return p;
			q = close + 1;
		}
	}
	if (q < end && *q == ' ')
		q++;
	*prefixed = true;
	return q;
}

/* "10.0.0.5: kern: warning: [2024-05-01T10:00:00.123Z]: " */
static const char *strip_remote(const char *p, const char *end, bool *prefixed)
{
	const char *lim = end - p > 64 ? p + 64 : end;
	const char *q = find_past(p, lim, ": kern: ");

	if (!q)
		return p;
	while (q < end && is_alpha(*q))
		q++;
	if (q + 1 >= end || *q != ':' || q[1] != ' ')
		return p;
	q += 2;
	if (q < end && *q == '[') {
		const char *t = skip_iso(q + 1, end);

		if (t && t < end && *t == ']') {
			q = t + 1;
			if (q < end && *q == ':')
				q++;
			if (q < end && *q == ' ')
				q++;
		}
	}
	*prefixed = true;
	return q;
}

/* dmesg -x: "kern  :warn  : " */
static const char *strip_facility(const char *p, const char *end, bool *prefixed)
{
	const char *q = p, *r;

	while (q < end && *q >= 'a' && *q <= 'z')
		q++;
	q = skip_spaces(q, end);
	if (q >= end || *q != ':' || q - p > 8)
		return p;
	for (r = q + 1; r < end && *r >= 'a' && *r <= 'z'; r++)
		;
	r = skip_spaces(r, end);
	if (r + 1 < end && *r == ':' && r[1] == ' ' && r - q <= 10) {
		*prefixed = true;
		return r + 2;
	}
	return p;
}

/* Android's per-CPU caller tag: "[3:  Binder:9343_3:22875]", "[4: kswapd0: 1209]" */
static bool android_caller(const char *in, const char *q)
{
	const char *r = in;

	while (r < q && is_digit(*r))
		r++;
	if (r == in || r >= q || *r != ':')
		return false;
	for (r = q; r > in && is_digit(r[-1]); r--)
		;
	if (r == q)
		return false;
	while (r > in && r[-1] == ' ')
		r--;
	return r > in && r[-1] == ':';
}

/*
 * What dmesg puts in brackets: "[ 1234.567890]", "[ 1234.567890 <
 * 0.000013>]", "[  +0.000013]"; dates with a clock ("[Jul31 01:56]",
 * "[Wed Jul 31 01:56:12 2024]", "[mer. juil. 31 01:56:12 2024]",
 * "[2024-05-01T10:00:00Z]"); a caller id "[  T123]".
 */
static bool bracket_stamp(const char *in, const char *q)
{
	const char *r;
	bool colon = false;

	if (android_caller(in, q))
		return true;
	if (is_digit(*in) || *in == '+') {	/* seconds.micros */
		for (r = in; r < q; r++)
			if (!is_digit(*r) && *r != '.' && *r != ' ' && *r != '+' &&
			    *r != '<' && *r != '>')
				return false;
		if (memchr(in, '.', q - in))
			return true;
	}
	if ((*in == 'T' || *in == 'C') && q - in > 1) {	/* caller id */
		for (r = in + 1; r < q && is_digit(*r); r++)
			;
		if (r == q)
			return true;
	}
	/* a date: ends in a digit, holds "d:dd", only date characters */
	if (q - in < 8 || !is_digit(q[-1]))
		return false;
	for (r = in; r < q; r++) {
		if (*r == ':' && r > in && is_digit(r[-1]) && r + 2 < q &&
		    is_digit(r[1]) && is_digit(r[2]))
			colon = true;
		else if (!is_alpha(*r) && !is_digit(*r) && *r != ' ' && *r != '.' &&
			 *r != ',' && *r != '-' && *r != '+' && *r != ':' &&
			 (unsigned char)*r < 0x80)
			return false;
	}
	return colon;
}

/* Past the stamps and caller tags in brackets at p. */
static const char *strip_brackets(const char *p, const char *end, bool *prefixed)
{
	const char *q;

	while (p < end && *p == '[') {
		size_t span = (size_t)(end - p) < 48 ? (size_t)(end - p) : 48;
		const char *in = skip_spaces(p + 1, end);

		q = memchr(p, ']', span);
		if (!q || in >= q || !bracket_stamp(in, q))
			break;
		p = q + 1;
		if (p < end && *p == ' ')
			p++;
		*prefixed = true;
		q = skip_spaces(p, end);	/* "[ 1.2]  [3:  comm:pid] " */
		if (q < end && *q == '[')
			p = q;
	}
	return p;
}

/* Strip carrier and dmesg prefixes; returns the message text. */
const char *strip_prefix(const char *p, const char *end, bool *prefixed)
{
	const char *q;

	*prefixed = false;
	/* pasting: indentation and mail quoting */
	while (p < end && (is_space(*p) || *p == '>'))
		p++;
	if (p >= end)
		return p;
	if (*p == '<' && end - p > 4 && is_digit(p[1]))
		p = strip_rfc5424(p, end, prefixed);
	else if (is_alpha(*p) || is_digit(*p))
		p = strip_syslog(p, end, prefixed);
	if (!*prefixed && is_digit(*p))
		p = strip_remote(p, end, prefixed);
	/* the syslog tag alone, date and host cut by the poster */
	q = *prefixed ? NULL : skip_lit(p, end, "kernel: ");
	if (q) {
		p = q;
		*prefixed = true;
	}
	if (end - p > 6 && p[0] >= 'a' && p[0] <= 'z')
		p = strip_facility(p, end, prefixed);
	/* "<4>" */
	if (end - p >= 3 && p[0] == '<' && is_digit(p[1])) {
		q = p + 1;
		while (q < end && is_digit(*q))
			q++;
		if (q < end && *q == '>') {
			p = q + 1;
			*prefixed = true;
		}
	}
	p = strip_brackets(p, end, prefixed);
	/* journalctl -o short-monotonic: "[ sss.us] host kernel: [ T1] " */
	if (*prefixed && p < end && !is_space(*p)) {
		q = p;
		while (q < end && !is_space(*q) && q - p < 64)
			q++;
		if (skip_lit(q, end, " kernel: "))
			p = strip_brackets(q + 9, end, prefixed);
	}
	return p;
}
