// SPDX-License-Identifier: GPL-2.0
/*
 * Stamps of kernel log lines, as dmesg, syslog and journalctl write them:
 *   "[ 1234.567890] text"                          (dmesg)
 *   "Mar 24 12:40:02 host kernel: [ 1234.5] text"  (syslog, journalctl -k)
 *   "2024-01-02T03:04:05.123+00:00 host kernel: "  (rsyslog, journalctl -o short-iso)
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "logstamp.h"

static size_t span(const char *s, size_t n, const char *set)
{
	size_t i = 0;

	while (i < n && s[i] && strchr(set, s[i]))
		i++;
	return i;
}

static size_t word(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	return i;
}

static void copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* "Mmm dd hh:mm:ss" (dd may be " 4"): its length or 0. */
static size_t bsd_time(const char *s, size_t n)
{
	size_t i;

	if (n < 15 || !isupper((unsigned char)s[0]) || !islower((unsigned char)s[1]) ||
	    !islower((unsigned char)s[2]) || s[3] != ' ')
		return 0;
	for (i = 4; i < 15; i++) {
		char c = s[i];

		if (i == 9 || i == 12 ? c != ':' : i == 6 ? c != ' ' :
		    !(isdigit((unsigned char)c) || (i == 4 && c == ' ')))
			return 0;
	}
	return 15;
}

/* "2024-01-02T03:04:05[.frac][zone]": its length or 0. */
static size_t iso_time(const char *s, size_t n)
{
	size_t w = word(s, n);

	if (w < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || span(s, 4, "0123456789") != 4)
		return 0;
	return w;
}

bool logstamp_parse(const char *line, size_t len, struct logstamp *st)
{
	const char *p = line, *end = line + len;
	size_t t, h;

	memset(st, 0, sizeof(*st));
	t = bsd_time(p, len);
	if (!t)
		t = iso_time(p, len);
	if (t) {
		copy(st->time, sizeof(st->time), p, t);
		p += t;
		p += span(p, end - p, " ");
		h = word(p, end - p);
		/* "host kernel:" - a host only when a tag follows it */
		if (h && p + h < end && memchr(p + h, ':', end - p - h)) {
			copy(st->host, sizeof(st->host), p, h);
			p += h;
			p += span(p, end - p, " ");
			p += word(p, end - p);	/* "kernel:" */
			p += span(p, end - p, " ");
		}
	}
	if (p < end && *p == '[') {
		const char *q = p + 1 + span(p + 1, end - p - 1, " ");
		size_t d = span(q, end - q, "0123456789.");

		if (d && q + d < end && q[d] == ']')
			copy(st->boot, sizeof(st->boot), q, d);
	}
	return st->time[0] || st->boot[0];
}

void logstamps_add(struct logstamps *s, unsigned long line, const char *text,
		   size_t len)
{
	unsigned int i = line % LOGSTAMP_KEEP;

	if (len > LOGSTAMP_HEAD)
		len = LOGSTAMP_HEAD;
	memcpy(s->head[i], text, len);
	s->len[i] = (unsigned char)len;
	s->line[i] = line;
}

const struct logstamp *logstamps_get(struct logstamps *s, unsigned long line)
{
	unsigned int i = line % LOGSTAMP_KEEP;

	if (!line || s->line[i] != line ||
	    !logstamp_parse(s->head[i], s->len[i], &s->st))
		return NULL;
	return &s->st;
}
