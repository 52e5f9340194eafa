/* SPDX-License-Identifier: GPL-2.0 */
/* One event printed, as text or JSON: what list, show, watch and explain share. */
#ifndef OOMSNAP_PRINT_H
#define OOMSNAP_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "diagnose.h"
#include "render.h"
#include "json.h"

/* lib/render.c's printer onto stdout */
extern struct oomsnap_printer out_printer;

/*
 * @rec's members into the open object of @j. A record parsed from a log
 * (@from_log) leaves out what a log never says.
 */
void json_record(struct json *j, const struct oomsnap_record *rec,
		 const struct oomsnap_diagnosis *diag, bool from_log);

/* @rec with @diag as text (lib/render.c). */
void print_plain(const struct oomsnap_record *rec,
		 const struct oomsnap_diagnosis *diag);

/* @rec's line in "oomsnap list". */
void print_list_line(const struct oomsnap_record *rec,
		     const struct oomsnap_diagnosis *diag);

/* @rec diagnosed, as text or (json_mode) one JSON object on stdout. */
void print_event(const struct oomsnap_record *rec);

/* The recorder's line: what "watch --json" prints for @rec, on @f. */
void event_json_to(FILE *f, const struct oomsnap_record *rec);

#endif /* OOMSNAP_PRINT_H */
