// SPDX-License-Identifier: GPL-2.0
/*
 * Physical lines in, logical lines out: prefix stripping, joining of
 * wrapped continuations, and the fast path for lines that cannot matter.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void oomsnap_logparser_init(struct oomsnap_logparser *lp,
			    oomsnap_log_emit_fn emit, void *ctx)
{
	memset(lp, 0, sizeof(*lp));
	lp->emit = emit;
	lp->ctx = ctx;
	lp->cur_zone = -1;
}

static void flush_line(struct oomsnap_logparser *lp)
{
	if (!lp->have_line)
		return;
	lp->have_line = false;
	process_line(lp, lp->line, lp->line + lp->len);
}

static void append_line(struct oomsnap_logparser *lp, const char *p,
			const char *end, bool space)
{
	size_t n = (size_t)(end - p);

	if (space && lp->len < sizeof(lp->line))
		lp->line[lp->len++] = ' ';
	if (n > sizeof(lp->line) - lp->len)
		n = sizeof(lp->line) - lp->len;
	memcpy(lp->line + lp->len, p, n);
	lp->len += n;
}

/*
 * Cheap test for lines that can't matter while no report is open: memchr()
 * to the few characters every report start's anchors contain, then a look
 * around each. Most lines hold none or one or two of them.
 */
static bool idle_irrelevant(const char *p, const char *end)
{
	const char *last = end - 3;	/* anchors are tested on c[0..3] */
	/* the longest prefix strip_prefix() takes is shorter than this */
	const char *boot_last = end - p > MESSAGE_START_MAX ?
				p + MESSAGE_START_MAX : last;
	const char *c;

	if (end - p < 4)
		return true;
	/* oom-killer, Mem-Info; xen-blkback (Xen context) */
	for (c = p; (c = memchr(c, '-', last - c)); c++) {
		if (c[1] == 'k' && end - c >= 7 && !memcmp(c, "-killer", 7))
			return false;
		if (c[1] == 'b' && c - p >= 3 && end - c >= 9 &&
		    !memcmp(c - 3, "xen-blkback:", 12))
			return false;
		if ((c[1] == 'I' || c[1] == 'i') && c - p >= 3 &&
		    !memcmp(c - 3, "Mem", 3))
			return false;
	}
	/* zone "free:", "memory: usage", "Free pages:" */
	for (c = p; (c = memchr(c, ':', last - c)); c++) {
		if (c - p >= 4 && !memcmp(c - 4, "free", 4))
			return false;
		if (c - p >= 6 && (!memcmp(c - 6, "memory", 6) ||
				   !memcmp(c - 5, "pages", 5)))
			return false;
	}
	/* Xen context: "Booting kernel on Xen...", at the start of a message */
	for (c = p; (c = memchr(c, 'B', boot_last - c)); c++)
		if (end - c >= 8 && !memcmp(c, "Booting ", 8))
			return false;
	/* "allocation failure", "Out of memory", "out of Memory" */
	for (c = p; (c = memchr(c, 'f', end - 1 - c)); c++) {
		if (c - p >= 2 && c[-2] == 'n' && c[-1] == ' ' && c[1] == 'a')
			return false;
		if (c < last && c[1] == ' ' && (c[2] == 'm' || c[2] == 'M') &&
		    c[3] == 'e')
			return false;
	}
	return true;
}

/*
 * What the line is, decided once when it begins: continuations join by it
 * and report_line() reads zone and buddy lines by it.
 */
static void classify_line(struct oomsnap_logparser *lp)
{
	const char *p = lp->line, *end = lp->line + lp->len, *after;
	unsigned int node;
	int type = zone_head(p, end, &node, &after);

	lp->line_kind = KIND_OTHER;
	if (type >= 0 && (skip_lit(after, end, " free:") || skip_lit(after, end, ": "))) {
		lp->line_kind = after[1] == 'f' ? KIND_ZONE : KIND_BUDDY;
		lp->zone_node = node;
		lp->zone_type = type;
		lp->zone_after = (size_t)(after - p);
	} else if (skip_lit(p, end, "active_anon:") || skip_lit(p, end, "Active_anon:") ||
		   skip_lit(p, end, "Active:")) {
		lp->line_kind = KIND_GLOBAL;
	} else if (skip_lit(p, end, "Node ")) {
		lp->line_kind = KIND_NODE;
	}
}

void oomsnap_logparser_feed(struct oomsnap_logparser *lp, const char *line,
			    size_t len)
{
	const char *end = line + len, *p;
	bool prefixed;

	lp->lineno++;
	if (len && line[len - 1] == '\r')
		end--;
	/* fast path: nothing open, nothing pending, nothing interesting */
	if (!lp->open && !lp->have_line && idle_irrelevant(line, end))
		return;

	p = strip_prefix(line, end, &prefixed);
	if (lp->have_line) {
		const char *t = skip_spaces(p, end);
		bool join = false;

		if (!prefixed && lp->line_prefixed && p < end)
			join = true;	/* wrapped paste of a prefixed line */
		else if ((lp->line_kind == KIND_ZONE || lp->line_kind == KIND_GLOBAL ||
			  lp->line_kind == KIND_NODE) && continues_kv(t, end))
			join = true;
		else if (lp->line_kind == KIND_BUDDY && continues_buddy(t, end))
			join = true;
		if (join) {
			append_line(lp, t, end, true);
			return;
		}
		flush_line(lp);
	}
	/* first characters first: this runs on every line of the input */
	if (p < end && (*p == 'B' || *p == 'x') && xen_context_line(lp, p, end)) {
		lp->line_kind = KIND_OTHER;
		return;
	}
	if (!lp->open && idle_irrelevant(p, end)) {
		lp->line_kind = KIND_OTHER;
		return;
	}
	lp->len = 0;
	lp->line_start = lp->lineno;
	lp->line_prefixed = prefixed;
	lp->have_line = true;
	append_line(lp, p, end, false);
	classify_line(lp);
}

void oomsnap_logparser_finish(struct oomsnap_logparser *lp)
{
	flush_line(lp);
	close_event(lp);
}
