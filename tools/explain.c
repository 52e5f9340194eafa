// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap explain: the OOM and allocation failure reports in kernel logs,
 * each parsed (logparse/), diagnosed and printed as it ends. Memory: one
 * read buffer and the parser, whatever the input's size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diagnose.h"
#include "names.h"
#include "render.h"
#include "logparse.h"
#include "cli.h"
#include "explain.h"
#include "json.h"
#include "logsource.h"
#include "logstamp.h"
#include "print.h"
#include "raw.h"

#ifndef MAX_PHYS_LINE	/* the fuzzer sets a small one */
#define MAX_PHYS_LINE	(1 << 16)	/* longer lines are cut: memory stays bounded */
#endif

/* Where the lines of each input start, to name a report's file and line. */
struct input_span {
	const char *name;
	unsigned long first;	/* the parser's number of its first line */
};

#define MAX_INPUTS	256

struct explain_ctx {
	struct json j;
	unsigned long nr;
	struct oomsnap_diagnosis diag;
	struct input_span in[MAX_INPUTS];
	unsigned int nr_in;
	struct logstamps stamps;
};

static const struct input_span *span_of(const struct explain_ctx *x,
					unsigned long line)
{
	unsigned int i = x->nr_in;

	while (i > 1 && x->in[i - 1].first > line)
		i--;
	return &x->in[i - 1];
}

static void json_kstr_or_null(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	if (s && *s)
		json_str(j, s);
	else
		json_null(j);
}

static void explain_json(struct explain_ctx *x, struct oomsnap_log_event *ev,
			 const struct logstamp *st)
{
	const struct input_span *a = span_of(x, ev->line);
	const struct input_span *b = span_of(x, ev->last_line);
	const struct oomsnap_record *rec = &ev->rec;

	json_obj_begin(&x->j);
	json_kstr(&x->j, "type", oomsnap_event_type_name(rec->type));
	json_key(&x->j, "log");
	json_obj_begin(&x->j);
	json_kstr(&x->j, "file", a->name);
	json_ku64(&x->j, "line", ev->line - a->first + 1);
	json_kstr(&x->j, "last_file", b->name);
	json_ku64(&x->j, "last_line", ev->last_line - b->first + 1);
	json_kstr_or_null(&x->j, "time", st ? st->time : NULL);
	json_kstr_or_null(&x->j, "host", st ? st->host : NULL);
	json_key(&x->j, "boot_s");
	if (st && st->boot[0])
		json_str(&x->j, st->boot);
	else
		json_null(&x->j);
	json_obj_end(&x->j);
	json_record(&x->j, rec, &x->diag, true);
	json_obj_end(&x->j);
}

/* "  TITLE:" and one escaped "    - LINE" per line; nothing when there are none. */
static void explain_text(struct explain_ctx *x, struct oomsnap_log_event *ev,
			 const struct logstamp *st)
{
	const struct input_span *a = span_of(x, ev->line);
	const struct input_span *b = span_of(x, ev->last_line);
	const struct oomsnap_record *rec = &ev->rec;
	struct oomsnap_diagnosis *d = &x->diag;
	char gfp[160];

	printf("%sreport %lu, ", x->nr ? "\n" : "", x->nr + 1);
	if (x->nr_in > 1 || a != b)
		oomsnap_print_str(&out_printer, a->name, strlen(a->name), 0);
	if (a == b) {
		printf("%slines %lu-%lu", x->nr_in > 1 ? " " : "",
		       ev->line - a->first + 1, ev->last_line - a->first + 1);
	} else {
		printf(" line %lu to ", ev->line - a->first + 1);
		oomsnap_print_str(&out_printer, b->name, strlen(b->name), 0);
		printf(" line %lu", ev->last_line - b->first + 1);
	}
	printf(": %s", oomsnap_event_type_name(rec->type));
	if (rec->have & OOMSNAP_HAVE_TASK) {
		printf(" by ");
		oomsnap_print_str(&out_printer, rec->task.comm, sizeof(rec->task.comm), 0);
	}
	if (rec->have & OOMSNAP_HAVE_GFP) {
		oomsnap_gfp_format(rec->gfp, gfp, sizeof(gfp));
		printf(", gfp %s", gfp);
	}
	if (rec->have & OOMSNAP_HAVE_ORDER)
		printf(", order %d", rec->order);
	if (rec->have & OOMSNAP_HAVE_VICTIM) {
		printf(", killed ");
		oomsnap_print_str(&out_printer, rec->victim.comm, sizeof(rec->victim.comm), 0);
		printf(" (%d)", rec->victim.pid);
	}
	printf("\n");
	if (st && (st->time[0] || st->host[0] || st->boot[0])) {
		printf("  logged:      ");
		if (st->time[0])
			oomsnap_print_str(&out_printer, st->time, sizeof(st->time), 0);
		if (st->boot[0])
			printf("%s[%s]", st->time[0] ? " " : "", st->boot);
		if (st->host[0]) {
			printf(" on ");
			oomsnap_print_str(&out_printer, st->host, sizeof(st->host), 0);
		}
		printf("\n");
	}
	if (verbose) {
		print_plain(rec, d);
		return;
	}
	oomsnap_print_diagnosis(&out_printer, d);
}

static void explain_event(void *ctx, struct oomsnap_log_event *ev)
{
	struct explain_ctx *x = ctx;
	struct oomsnap_diagnosis *d = &x->diag;
	const struct logstamp *st = logstamps_get(&x->stamps, ev->line);

	oomsnap_diagnose(&ev->rec, d);
	if (!ev->has_header && d->nr_missing < OOMSNAP_DIAG_MAX_LINES)
		snprintf(d->missing[d->nr_missing++], OOMSNAP_DIAG_LINE_LEN,
			 "no report header (\"invoked oom-killer\", \"page allocation failure\") in input: event type unknown");
	if (json_mode)
		explain_json(x, ev, st);
	else
		explain_text(x, ev, st);
	x->nr++;
}

static void feed_line(struct oomsnap_logparser *lp, struct explain_ctx *x,
		      const char *p, size_t len)
{
	oomsnap_logparser_feed(lp, p, len);
	/* a report's stamp is its first line's: keep the lines that began one */
	if (lp->have_line && lp->line_start == lp->lineno)
		logstamps_add(&x->stamps, lp->lineno, p, len);
}

/*
 * Feed one input's lines to the parser, explaining each report as it ends.
 * Memory: one read buffer and the parser, whatever the input's size.
 * Returns NULL or a one-line error.
 */
static const char *explain_source(struct logsource *src,
				  struct oomsnap_logparser *lp,
				  struct explain_ctx *x)
{
	static char errbuf[4200];
	static char *buf;
	static size_t cap;
	bool skipping = false;	/* inside an over-long line */
	size_t have = 0;

	if (cap < read_chunk + MAX_PHYS_LINE) {
		free(buf);
		cap = read_chunk + MAX_PHYS_LINE;
		buf = malloc(cap);
		if (!buf)
			fail(EXIT_TROUBLE, "out of memory");
	}
	for (;;) {
		ssize_t n = logsource_read(src, buf + have, read_chunk);
		char *p, *end, *nl;

		if (n < 0) {
			snprintf(errbuf, sizeof(errbuf), "%s: %s", src->name,
				 strerror(errno));
			return errbuf;
		}
		end = buf + have + n;
		p = buf;
		for (;;) {
			/* runs of lines the parser would drop, in one pass */
			if (!skipping)
				p += oomsnap_logparser_skip(lp, p, (size_t)(end - p));
			nl = memchr(p, '\n', end - p);
			if (!nl)
				break;
			if (!skipping)
				feed_line(lp, x, p, nl - p);
			else
				lp->lineno++;	/* the cut line's end */
			skipping = false;
			p = nl + 1;
		}
		have = end - p;
		if (n == 0) {
			if (have && !skipping)
				feed_line(lp, x, p, have);
			break;
		}
		if (have >= MAX_PHYS_LINE) {
			/* cut: feed the start, drop the rest of the line */
			if (!skipping)
				feed_line(lp, x, p, MAX_PHYS_LINE);
			skipping = true;
			have = 0;
			lp->lineno--;	/* counted again at its newline */
		} else {
			memmove(buf, p, have);
		}
	}
	return NULL;
}

/* Start an explain run over @n inputs named @names. */
static void explain_begin(struct explain_ctx *x, struct oomsnap_logparser *lp,
			  char **names, int n)
{
	int i;

	memset(x, 0, sizeof(*x));
	oomsnap_logparser_init(lp, explain_event, x);
	if (!json_mode)
		return;
	json_init(&x->j, stdout);
	json_obj_begin(&x->j);
	json_ku64(&x->j, "version", JSON_SCHEMA_VERSION);
	json_key(&x->j, "sources");
	json_arr_begin(&x->j);
	for (i = 0; i < n; i++)
		json_str(&x->j, names[i]);
	json_arr_end(&x->j);
	json_key(&x->j, "events");
	json_arr_begin(&x->j);
}

/* Read one more input into the run; NULL or a one-line error. */
static const char *explain_input(struct explain_ctx *x,
				 struct oomsnap_logparser *lp,
				 struct logsource *src)
{
	const char *err;

	if (x->nr_in < MAX_INPUTS) {
		x->in[x->nr_in].name = src->name;
		x->in[x->nr_in++].first = lp->lineno + 1;
	}
	err = explain_source(src, lp, x);
	return err ? err : logsource_close(src);
}

/* End the run: the number of reports; @none says why there were none. */
static unsigned long explain_end(struct explain_ctx *x,
				 struct oomsnap_logparser *lp, const char *none)
{
	oomsnap_logparser_finish(lp);
	if (json_mode) {
		json_arr_end(&x->j);
		if (!x->nr)	/* as every error: an "error" member */
			json_kstr(&x->j, "error", none);
		json_obj_end(&x->j);
	} else if (!x->nr) {
		fprintf(stderr, "oomsnap: %s\n", none);
	}
	return x->nr;
}

long explain_fd(int fd)
{
	static struct oomsnap_logparser lp;
	static struct explain_ctx x;
	static char *names[] = { "<fuzz>" };
	struct logsource src = { .name = names[0], .fd = fd };

	explain_begin(&x, &lp, names, 1);
	x.in[0].name = names[0];
	x.in[0].first = 1;
	x.nr_in = 1;
	if (explain_source(&src, &lp, &x))	/* the fuzzer keeps its fd */
		return -1;
	return (long)explain_end(&x, &lp, "no report found");
}

int cmd_explain(int argc, char **argv)
{
	static struct oomsnap_logparser lp;
	static struct explain_ctx x;
	static char *stdin_only[] = { "-" }, *kmsg_only[] = { "/dev/kmsg" };
	static char *shown[MAX_INPUTS];
	char none[4200];
	bool kmsg = false;
	const char *err;
	int i;

	if (argc > MAX_INPUTS)
		usage_error("explain", "at most %d files", MAX_INPUTS);
	if (!argc) {
		/* no file: a terminal reads this boot's log, a pipe is read */
		kmsg = isatty(STDIN_FILENO);
		argc = 1;
		argv = stdin_only;
	}
	for (i = 0; i < argc; i++)
		shown[i] = kmsg ? kmsg_only[0] : strcmp(argv[i], "-") ? argv[i] :
								   "<stdin>";
	explain_begin(&x, &lp, shown, argc);
	if (kmsg && !json_mode)
		printf("input: /dev/kmsg (the kernel log of the current boot)\n\n");
	/* one parser over every input: logrotate may split a report in two */
	for (i = 0; i < argc; i++) {
		struct logsource src;

		err = kmsg ? logsource_open_kmsg(&src) :
			     logsource_open(&src, argv[i]);
		if (!err)
			err = explain_input(&x, &lp, &src);
		if (err)
			fail(EXIT_TROUBLE, "%s", err);
	}
	snprintf(none, sizeof(none),
		 "%s: no OOM, memcg OOM or page allocation failure report found",
		 argc > 1 ? "input" : x.in[0].name);
	return explain_end(&x, &lp, none) ? EXIT_FOUND : EXIT_NOTHING;
}
