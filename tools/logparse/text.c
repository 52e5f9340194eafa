// SPDX-License-Identifier: GPL-2.0
/*
 * Text helpers over (pointer, end) spans: search, numbers, "key:value"
 * tokens. Nothing here knows what a kernel report is.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * The first @lit in [p, end), or NULL. memchr() to its first byte (its
 * second when the first is a space, too common to skip by), then a
 * compare: the literals searched here start with bytes rare in log text,
 * and this is most of the parser's time on lines inside a report.
 */
const char *find(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit), a = lit[0] == ' ' && n > 1;
	const char *c, *last;

	if (!n || end - p < (long)n)
		return NULL;
	last = end - n + a;		/* the anchor of the last possible match */
	for (c = p + a; c <= last; c++) {
		c = memchr(c, lit[a], (size_t)(last - c) + 1);
		if (!c)
			return NULL;
		if (!memcmp(c - a, lit, n))
			return c - a;
	}
	return NULL;
}

/* Past the first @lit in [p, end), or NULL. */
const char *find_past(const char *p, const char *end, const char *lit)
{
	const char *k = find(p, end, lit);

	return k ? k + strlen(lit) : NULL;
}

/* Unsigned decimal (or 0x hex); *ok false when no digit. */
__u64 parse_u64(const char **pp, const char *end, bool *ok)
{
	const char *p = *pp;
	__u64 v = 0;

	*ok = false;
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		while (p < end) {
			char c = *p;
			unsigned int d;

			if (is_digit(c))
				d = c - '0';
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				break;
			v = v * 16 + d;
			*ok = true;
			p++;
		}
		*pp = p;
		return v;
	}
	while (p < end && is_digit(*p)) {
		v = v * 10 + (__u64)(*p - '0');
		*ok = true;
		p++;
	}
	*pp = p;
	return v;
}

long long parse_s64(const char **pp, const char *end, bool *ok)
{
	bool neg = false;
	__u64 v;

	if (*pp < end && **pp == '-') {
		neg = true;
		(*pp)++;
	}
	/* negated unsigned: "-9223372036854775808" must not overflow */
	v = parse_u64(pp, end, ok);
	return (long long)(neg ? 0 - v : v);
}

/* The number after @key somewhere in [p, end), e.g. "order=" -> 2. */
bool value_after(const char *p, const char *end, const char *key,
		 long long *out)
{
	const char *k = find(p, end, key);
	bool ok;

	if (!k)
		return false;
	k += strlen(key);
	k = skip_spaces(k, end);
	*out = parse_s64(&k, end, &ok);
	return ok;
}

void copy_str(char *dst, size_t size, const char *s, const char *e)
{
	size_t n = (size_t)(e - s);

	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	memset(dst + n, 0, size - n);
}

/* Next "key:value", "key: value", "key? yes" or "key=value" token. */
bool next_kv(const char **pp, const char *end, struct kv *kv)
{
	const char *p = skip_spaces(*pp, end);

	while (p < end) {
		const char *k = p, *q;
		bool ok;

		while (p < end && !is_space(*p) && *p != ':' && *p != '?' && *p != '=')
			p++;
		if (p >= end)
			break;
		if (is_space(*p) || p == k) {
			p = skip_spaces(p + (p == k), end);
			continue;
		}
		kv->key = k;
		kv->key_end = p;
		kv->yes = false;
		q = skip_spaces(p + 1, end);
		if (*p == '?') {
			kv->yes = starts(q, end, "yes");
			kv->has_val = false;
			while (q < end && !is_space(*q))
				q++;
			*pp = q;
			return true;
		}
		kv->val = parse_u64(&q, end, &ok);
		kv->has_val = ok;
		while (q < end && !is_space(*q))
			q++;
		*pp = q;
		return true;
	}
	*pp = end;
	return false;
}

bool key_is(const struct kv *kv, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(kv->key_end - kv->key) == n && !memcmp(kv->key, name, n);
}
