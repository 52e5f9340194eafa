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
	lp->line_last = lp->lineno;
}

/* oom-killer, oom-kill:, total-vm:, Mem-Info; xen-blkback (Xen context) */
static bool dash_anchor(const char *p, const char *c, const char *end)
{
	if (c[1] == 'k' && end - c >= 5 && !memcmp(c, "-kill", 5))
		return true;
	if (c[1] == 'v' && c[2] == 'm' && c[3] == ':')
		return true;
	if (c[1] == 'b' && c - p >= 3 && end - c >= 9 &&
	    !memcmp(c - 3, "xen-blkback:", 12))
		return true;
	return (c[1] == 'I' || c[1] == 'i') && c - p >= 3 && !memcmp(c - 3, "Mem", 3);
}

/* ": 1*4kB" after a zone's name: a buddy line */
static inline bool buddy_count(const char *c)
{
	return c[1] == ' ' && is_digit(c[2]);
}

/*
 * zone "free:", Mem-Info "slab:", "memory: usage", "swap: usage",
 * "Free pages:", "Memory cgroup stats for /a: cache:0KB rss:0KB" (cgroup
 * v1), buddy "Normal: 1*4kB"; "Out of memory:", "Out of Memory:" (2.6),
 * "page allocation failure[:.] order:" (every era prints the order).
 * Told apart by the letter before the colon: most colons in a log are
 * none of these, and this runs on every line (inlined into both scans).
 */
static inline __attribute__((always_inline)) bool
colon_anchor(const char *p, const char *c, const char *end)
{
	size_t before = (size_t)(c - p);

	if (!before)
		return false;
	switch (c[-1]) {
	case 'e':
		return (before >= 4 && !memcmp(c - 4, "free", 4)) ||
		       (before >= 7 && buddy_count(c) && !memcmp(c - 7, "Movable", 7));
	case 'b':
		return before >= 4 && !memcmp(c - 4, "slab", 4);
	case 'p':
		return before >= 4 && !memcmp(c - 4, "swap", 4);
	case 's':
		return (before >= 4 && !memcmp(c - 4, " rss", 4) && is_digit(c[1])) ||
		       (before >= 6 && !memcmp(c - 5, "pages", 5));
	case 'y':
		if (before < 6 || (memcmp(c - 6, "memory", 6) &&
				   memcmp(c - 6, "Memory", 6)))
			return false;
		/* "memory: usage " is a memcg's line only with its number */
		return end - c < 8 || memcmp(c, ": usage ", 8) ||
		       (end - c > 8 && is_digit(c[8]));
	case 'r':
		return before >= 6 && !memcmp(c - 5, "order", 5);
	case 'A':
		return before >= 3 && buddy_count(c) && !memcmp(c - 3, "DMA", 3);
	case '2':
		return before >= 5 && buddy_count(c) && !memcmp(c - 5, "DMA32", 5);
	case 'l':
		return before >= 6 && buddy_count(c) && !memcmp(c - 6, "Normal", 6);
	case 'm':
		return before >= 7 && buddy_count(c) && !memcmp(c - 7, "HighMem", 7);
	default:
		return false;
	}
}

/* Xen context: "Booting kernel on Xen...", at the start of a message */
static bool boot_anchor(const char *c, const char *end)
{
	return end - c >= 8 && !memcmp(c, "Booting ", 8);
}

/* The end of the span the 'B' of "Booting " is looked for in. */
static const char *boot_last(const char *p, const char *end)
{
	/* the longest prefix strip_prefix() takes is shorter than this */
	return end - p > MESSAGE_START_MAX ? p + MESSAGE_START_MAX : end - 3;
}

/*
 * Cheap test for lines that can't matter while no report is open: memchr()
 * to the few characters every report start's anchors contain, then a look
 * around each. Most lines hold none or one or two of them.
 */
static bool idle_irrelevant(const char *p, const char *end)
{
	const char *last = end - 3;	/* anchors are tested on c[0..3] */
	const char *c, *blast;

	if (end - p < 4)
		return true;
	for (c = p; (c = memchr(c, '-', last - c)); c++)
		if (dash_anchor(p, c, end))
			return false;
	for (c = p; (c = memchr(c, ':', last - c)); c++)
		if (colon_anchor(p, c, end))
			return false;
	blast = boot_last(p, end);
	for (c = p; (c = memchr(c, 'B', blast - c)); c++)
		if (boot_anchor(c, end))
			return false;
	return true;
}

/*
 * The block scan below: which of sixteen bytes are a newline or an anchor
 * character ('-', ':', the 'B' of "Booting "), a bit each, in memory
 * order. GCC's vector types (SSE2 on x86_64, NEON on arm64, plain code
 * elsewhere); SSE2's movemask gathers the bits, elsewhere a multiply
 * gathers each half's 0xff bytes into a byte.
 */
typedef unsigned char bytes16 __attribute__((vector_size(16)));
typedef long long words2 __attribute__((vector_size(16)));

#ifdef __SSE2__
#include <emmintrin.h>

static unsigned int hit_bits(words2 hit)
{
	return (unsigned int)_mm_movemask_epi8((__m128i)hit);
}
#else
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BYTE_BIT_MAGIC	0x0102040810204080ULL	/* memory byte i: bit i */
#else
#define BYTE_BIT_MAGIC	0x8040201008040201ULL
#endif

static unsigned int byte_bits(unsigned long long w)
{
	return (unsigned int)(((w & BYTE_BIT_MAGIC) * 0x0101010101010101ULL) >> 56);
}

static unsigned int hit_bits(words2 hit)
{
	return byte_bits((unsigned long long)hit[0]) |
	       byte_bits((unsigned long long)hit[1]) << 8;
}
#endif

static unsigned int scan_bits(const char *c)
{
	bytes16 v;

	memcpy(&v, c, sizeof(v));
	return hit_bits((words2)((v == '\n') | (v == '-') | (v == ':') | (v == 'B')));
}

/* Anchor characters of one line the block scan noted, in order. */
#define SKIP_MARKS	32

struct marks {
	const char *at[SKIP_MARKS];
	unsigned int n;
	bool overflow;		/* more than fit: test the line again */
};

/* idle_irrelevant() of the line [p, nl), from the marks of its anchors. */
static bool marked_irrelevant(const char *p, const char *nl,
			      const struct marks *m)
{
	const char *end = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
	const char *last = end - 3, *blast;
	unsigned int i;

	if (end - p < 4)
		return true;
	if (m->overflow)
		return idle_irrelevant(p, end);
	blast = boot_last(p, end);
	for (i = 0; i < m->n; i++) {
		const char *c = m->at[i];

		if (*c == '-' ? c < last && dash_anchor(p, c, end) :
		    *c == ':' ? c < last && colon_anchor(p, c, end) :
		    c < blast && boot_anchor(c, end))
			return false;
	}
	return true;
}

size_t oomsnap_logparser_skip(struct oomsnap_logparser *lp, const char *buf,
			      size_t len)
{
	const char *line = buf, *c = buf, *end = buf + len;
	struct marks m;

	if (lp->open || lp->have_line)
		return 0;
	m.n = 0;
	m.overflow = false;
	for (; end - c >= 16; c += 16) {
		unsigned int bits;

		for (bits = scan_bits(c); bits; bits &= bits - 1) {
			const char *d = c + __builtin_ctz(bits);

			if (*d != '\n') {
				if (m.n < SKIP_MARKS)
					m.at[m.n++] = d;
				else
					m.overflow = true;
				continue;
			}
			if (!marked_irrelevant(line, d, &m))
				return (size_t)(line - buf);
			lp->lineno++;
			line = d + 1;
			m.n = 0;
			m.overflow = false;
		}
	}
	return (size_t)(line - buf);
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

/*
 * journalctl -o json: the "MESSAGE" string of the entry, unescaped into
 * @out. False when the line is no journal entry or its message is not a
 * string (the journal prints non-UTF-8 messages as byte arrays).
 */
static bool journal_message(const char *p, const char *end, char *out,
			    size_t size, size_t *len)
{
	size_t n = 0;

	p = find_past(p, end, "\"MESSAGE\"");
	if (!p)
		return false;
	p = skip_spaces(p, end);
	if (p >= end || *p != ':')
		return false;
	p = skip_spaces(p + 1, end);
	if (p >= end || *p != '"')
		return false;
	p++;
	while (p < end && *p != '"' && n < size) {
		char c = *p++;

		if (c == '\\' && p < end) {
			c = *p++;
			if (c == 'n' || c == 't') {
				c = ' ';
			} else if (c == 'u') {	/* kernel text is ASCII */
				c = '?';
				p = end - p > 4 ? p + 4 : end;
			}
		}
		out[n++] = c;
	}
	*len = n;
	return true;
}

/* Terminal colour (dmesg --color=always) out of [p, end) into @out. */
static size_t strip_colour(const char *p, const char *end, char *out,
			   size_t size)
{
	size_t n = 0;

	while (p < end && n < size) {
		if (*p != '\x1b') {
			out[n++] = *p++;
			continue;
		}
		p++;
		if (p < end && *p == '[') {	/* CSI: parameters, final byte */
			for (p++; p < end && !(*p >= '@' && *p <= '~'); p++)
				;
		}
		if (p < end)
			p++;
	}
	return n;
}

/* The pending line is a header cut after "invoked oom-killer:". */
static bool header_cut(const struct oomsnap_logparser *lp)
{
	static const char lit[] = "invoked oom-killer:";
	size_t n = sizeof(lit) - 1, len = lp->len;

	while (len && is_space(lp->line[len - 1]))
		len--;
	return len >= n && !memcmp(lp->line + len - n, lit, n);
}

/* One message: @own says it is a record of its own, never a wrap. */
static void feed_message(struct oomsnap_logparser *lp, const char *line,
			 const char *end, bool own)
{
	const char *p;
	bool prefixed;

	p = strip_prefix(line, end, &prefixed);
	prefixed |= own;
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
		else if (skip_lit(t, end, "gfp_mask=") && header_cut(lp))
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

void oomsnap_logparser_feed(struct oomsnap_logparser *lp, const char *line,
			    size_t len)
{
	const char *end = line + len, *p, *cut;
	bool own = false;
	size_t n;

	lp->lineno++;
	if (len && line[len - 1] == '\r')
		end--;
	/* fast path: nothing open, nothing pending, nothing interesting */
	if (!lp->open && !lp->have_line && idle_irrelevant(line, end))
		return;

	p = skip_spaces(line, end);
	if (p < end && *p == '{' &&
	    journal_message(p, end, lp->carrier, sizeof(lp->carrier), &n)) {
		line = lp->carrier;
		end = line + n;
	}
	if (end > line && memchr(line, '\x1b', (size_t)(end - line))) {
		n = strip_colour(line, end, lp->carrier, sizeof(lp->carrier));
		line = lp->carrier;
		end = line + n;
	}
	/* rsyslog: the lines of one record joined by "#012" */
	for (cut = line; end > cut && (cut = memchr(cut, '#', (size_t)(end - cut)));
	     cut++) {
		if (end - cut < 4 || memcmp(cut, "#012", 4))
			continue;
		feed_message(lp, line, cut, own);
		line = cut + 4;
		cut += 3;
		own = true;
	}
	feed_message(lp, line, end, own);
}

void oomsnap_logparser_finish(struct oomsnap_logparser *lp)
{
	flush_line(lp);
	close_event(lp);
}
