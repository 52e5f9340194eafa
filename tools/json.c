// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny streaming JSON writer: values are written as they come, commas
 * placed by depth; strings escaped per RFC 8259 (control bytes as \u00XX,
 * bytes >= 0x80 passed through; input that is not UTF-8 is replaced by '?').
 * Compact by default; json_pretty_default makes every writer indent by two
 * spaces, one member per line (bpftool's -p).
 */
#include <string.h>

#include "json.h"
#include "render.h"

bool json_pretty_default;

void json_init(struct json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->first[0] = true;
	j->pretty = json_pretty_default;
}

static void newline(struct json *j, int depth)
{
	if (j->pretty)
		fprintf(j->out, "\n%*s", 2 * depth, "");
}

static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->out);
	if (j->depth)
		newline(j, j->depth);
	j->first[j->depth] = false;
}

static void open_(struct json *j, char c)
{
	sep(j);
	fputc(c, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		newline(j, j->depth);
	fputc(c, j->out);
	if (!j->depth)
		fputc('\n', j->out);
}

void json_obj_begin(struct json *j) { open_(j, '{'); }
void json_obj_end(struct json *j) { close_(j, '}'); }
void json_arr_begin(struct json *j) { open_(j, '['); }
void json_arr_end(struct json *j) { close_(j, ']'); }

void json_strn(struct json *j, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	sep(j);
	fputc('"', j->out);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			fputc('\\', j->out);
			fputc(c, j->out);
		} else if (c == '\n') {
			fputs("\\n", j->out);
		} else if (c == '\t') {
			fputs("\\t", j->out);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(j->out, "\\u%04x", c);
		} else if (c >= 0x80) {
			size_t n = oomsnap_utf8_len(s + i, len - i);

			if (!n) {
				fputc('?', j->out);
			} else {
				fwrite(s + i, 1, n, j->out);
				i += n - 1;
			}
		} else {
			fputc(c, j->out);
		}
	}
	fputc('"', j->out);
}

void json_str(struct json *j, const char *s)
{
	json_strn(j, s, strlen(s));
}

void json_key(struct json *j, const char *key)
{
	json_str(j, key);
	fputs(j->pretty ? ": " : ":", j->out);
	j->after_key = true;
}

void json_u64(struct json *j, __u64 v)
{
	sep(j);
	fprintf(j->out, "%llu", v);
}

void json_s64(struct json *j, long long v)
{
	sep(j);
	fprintf(j->out, "%lld", v);
}

void json_bool(struct json *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	sep(j);
	fputs("null", j->out);
}

void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_ku64(struct json *j, const char *key, __u64 v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_ks64(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_s64(j, v);
}

void json_kbool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
