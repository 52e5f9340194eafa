/* SPDX-License-Identifier: GPL-2.0 */
/* A tiny streaming JSON writer (bpftool's json_writer, reduced). */
#ifndef OOMSNAP_JSON_H
#define OOMSNAP_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include <linux/types.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* no member written yet at this depth */
	bool after_key;
	bool pretty;			/* indented, one member per line */
};

/* Whether json_init() makes indented writers. */
extern bool json_pretty_default;

void json_init(struct json *j, FILE *out);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t len);
void json_u64(struct json *j, __u64 v);
void json_s64(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* key + value shorthands */
void json_kstr(struct json *j, const char *key, const char *s);
void json_ku64(struct json *j, const char *key, __u64 v);
void json_ks64(struct json *j, const char *key, long long v);
void json_kbool(struct json *j, const char *key, bool v);

#endif /* OOMSNAP_JSON_H */
