// SPDX-License-Identifier: GPL-2.0
/*
 * The log parser (tools/logparse/): prefixes, wrapping, skipping, and the
 * records it fills from reports.
 *
 * Part of unit.c, which includes it: one program, built from unit.c alone.
 */

static struct oomsnap_log_event events[8];
static unsigned int nr_events;

static void collect(void *ctx, struct oomsnap_log_event *ev)
{
	(void)ctx;
	if (nr_events < 8)
		events[nr_events] = *ev;
	nr_events++;
}

static void parse_lines(const char *const *lines, unsigned int n)
{
	static struct oomsnap_logparser lp;
	unsigned int i;

	nr_events = 0;
	oomsnap_logparser_init(&lp, collect, NULL);
	for (i = 0; i < n; i++)
		oomsnap_logparser_feed(&lp, lines[i], strlen(lines[i]));
	oomsnap_logparser_finish(&lp);
}

/*
 * oomsnap_logparser_skip() must leave the parser as feeding every line
 * would: a log of lines with anchors at their edges (a line's last bytes,
 * past the 160 bytes "Booting " is looked for in, CRLF, short lines, the
 * benchmark's "memory: usage" decoy) and reports, read both ways.
 */
static const char *const skip_pool[] = {
	"[ 1.000000] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex",
	"[ 1.000001] audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"open\"",
	"[ 1.000002] memory: usage counters reset by the operator (not an OOM)",
	"[ 1.000003] usb 1-1.2: new high-speed USB device number 2 using ehci-pci\r",
	"x",
	"",
	"ab:",
	"tail ends in free:",
	"tail ends in oom-kill",
	"a line that ends just before its anchor total-v",
	"[ 1.000004] some driver: Booting a helper",
	"[ 1.000005] padding padding padding padding padding padding padding padding padding "
	"padding padding padding padding padding padding padding padding padding Booting late",
	"[ 1.000006] xen-blkback: backend/vbd/1/51712: using 2 queues, protocol 1",
	"[ 1.000007] memory: usage 51200kB, limit 51200kB, failcnt 12",
	"[ 1.000008] Node 0 DMA: 1*4kB (U) 0*8kB = 4kB",
	"[ 1.000009] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
	"[ 1.000010] Node 0 Normal free:1000kB min:2000kB low:2500kB high:3000kB present:8192kB managed:8000kB",
	"[ 1.000011] Out of memory: Killed process 1 (x) total-vm:4kB, anon-rss:4kB, file-rss:0kB",
	"[ 1.000012] y: page allocation failure: order:2, mode:0xcc0(GFP_KERNEL)",
};

struct skip_run {
	unsigned long lines[64];
	unsigned int n;
};

static void collect_line(void *ctx, struct oomsnap_log_event *ev)
{
	struct skip_run *r = ctx;

	if (r->n < 64)
		r->lines[r->n] = ev->line * 1000 + ev->last_line % 1000 + ev->rec.type * 100000000UL;
	r->n++;
}

static void test_parser_skip(void)
{
	static struct oomsnap_logparser a, b;
	static char log[1 << 16];
	struct skip_run ra = { .n = 0 }, rb = { .n = 0 };
	size_t len = 0, off, n;
	unsigned int i, seed = 7, lines = 0;
	bool ok = true;

	for (i = 0; i < 2000 && len < sizeof(log) - 512; i++) {
		const char *l;

		seed = seed * 1103515245 + 12345;
		l = skip_pool[(seed >> 16) % ARRAY_SIZE(skip_pool)];
		n = strlen(l);
		memcpy(log + len, l, n);
		len += n;
		log[len++] = '\n';
		lines++;
	}
	oomsnap_logparser_init(&a, collect_line, &ra);
	oomsnap_logparser_init(&b, collect_line, &rb);
	for (off = 0; off < len; off += n + 1) {
		n = (size_t)((char *)memchr(log + off, '\n', len - off) - (log + off));
		oomsnap_logparser_feed(&a, log + off, n);
	}
	for (off = 0; off < len; off += n + 1) {
		off += oomsnap_logparser_skip(&b, log + off, len - off);
		if (off >= len)
			break;
		n = (size_t)((char *)memchr(log + off, '\n', len - off) - (log + off));
		oomsnap_logparser_feed(&b, log + off, n);
		ok &= b.lineno <= a.lineno;
	}
	oomsnap_logparser_finish(&a);
	oomsnap_logparser_finish(&b);
	ok &= a.lineno == lines && b.lineno == lines && ra.n == rb.n && ra.n > 4 &&
	      !memcmp(ra.lines, rb.lines, sizeof(ra.lines));
	result("parse_skip_same_as_feed",
	       check(ok, "lines %u: fed %lu, skipped %lu; events %u and %u", lines,
		     a.lineno, b.lineno, ra.n, rb.n));
}

static void test_parser(void)
{
	static const char *const prefixes[] = {
		"",
		"[ 1234.567890] ",
		"<4>[ 1234.567890] ",
		"[Mon Nov 23 03:04:05 2026] ",
		"Nov 23 03:04:05 host kernel: ",
		"Nov 23 03:04:05 host kernel: [ 1234.567890] ",
		"2026-11-23T03:04:05.123456+00:00 host kernel: ",
		"kern  :warn  : [ 1234.567890] ",
		"[ 1234.567890] [  T123] ",
	};
	char l1[256], l2[256], l3[256];
	const char *lines[3] = { l1, l2, l3 };
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		snprintf(l1, sizeof(l1), "%shog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=1, oom_score_adj=0", prefixes[i]);
		snprintf(l2, sizeof(l2), "%sNode 0 Normal free:4000kB boost:0kB min:400kB low:500kB high:600kB present:100000kB managed:90000kB", prefixes[i]);
		snprintf(l3, sizeof(l3), "%sNode 0 Normal: 1000*4kB (U) 0*8kB = 4000kB", prefixes[i]);
		parse_lines(lines, 3);
		ok = check(nr_events == 1, "prefix \"%s\": %u events", prefixes[i], nr_events) &&
		     check(!strcmp(events[0].rec.task.comm, "hog"), "prefix \"%s\": comm \"%s\"",
			   prefixes[i], events[0].rec.task.comm) &&
		     check(events[0].rec.gfp == GFP_KERNEL && events[0].rec.order == 1,
			   "prefix \"%s\": gfp/order", prefixes[i]) &&
		     check(events[0].rec.nr_zones == 1 && events[0].rec.zones[0].free == 1000 &&
			   events[0].rec.zones[0].nr_free[0] == 1000, "prefix \"%s\": zone", prefixes[i]);
		if (!ok)
			break;
	}
	result("parse_prefixes", ok);

	{
		static const char *const xen_dom0[] = {
			"[    0.000000] Booting kernel on Xen",
			"[    0.000000] Xen version: 4.17.7 (preserve-AD)",
			"[   30.100000] xen-blkback: backend/vbd/1/51712: using 2 queues, protocol 1 (x86_64-abi) persistent grants",
			"[   40.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
			"[   40.000001] Node 0 DMA32 free:4000kB boost:0kB min:400kB low:500kB high:600kB present:100000kB managed:90000kB",
		};
		static const char *const xen_hvm_late[] = {
			"[    9.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
			"[    9.000001] Node 0 DMA32 free:4000kB boost:0kB min:400kB low:500kB high:600kB present:100000kB managed:90000kB",
			"[    9.000002] Out of memory: Killed process 7 (hog) total-vm:1000kB, anon-rss:900kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
			"[   10.000000] Booting paravirtualized kernel on Xen HVM",
			"[   40.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
			"[   40.000001] Node 0 DMA32 free:4000kB boost:0kB min:400kB low:500kB high:600kB present:100000kB managed:90000kB",
		};
		static const char *const bare[] = {
			"[    0.000000] Booting paravirtualized kernel on bare hardware",
			"[   40.000000] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		};

		static char stat_rows[80][32];
		const char *memcg_v2[90];
		unsigned int n = 0, row;

		memcg_v2[n++] = "memhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=1000";
		memcg_v2[n++] = "memory: usage 65536kB, limit 65536kB, failcnt 21";
		memcg_v2[n++] = "Memory cgroup stats for /scenario:";
		for (row = 0; row < ARRAY_SIZE(stat_rows); row++) {
			snprintf(stat_rows[row], sizeof(stat_rows[row]), "stat_%u %u", row,
				 row * 4096);
			memcg_v2[n++] = stat_rows[row];
		}
		memcg_v2[n++] = "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/scenario,task_memcg=/scenario,task=memhog,pid=155,uid=0";
		memcg_v2[n++] = "Memory cgroup out of memory: Killed process 155 (memhog) total-vm:66528kB, anon-rss:65280kB, file-rss:0kB, shmem-rss:520kB, UID:0 pgtables:168kB oom_score_adj:1000";
		parse_lines(memcg_v2, n);
		result("parse_memcg_v2_stats_block", check(nr_events == 1, "%u events", nr_events) &&
		       check(events[0].rec.type == OOMSNAP_EVENT_MEMCG_OOM, "type %u",
			     events[0].rec.type) &&
		       check(!strcmp(events[0].rec.victim.comm, "memhog"), "victim \"%s\"",
			     events[0].rec.victim.comm));

		parse_lines(xen_dom0, ARRAY_SIZE(xen_dom0));
		result("parse_xen_dom0_context", check(nr_events == 1, "%u events", nr_events) &&
		       check((events[0].rec.have & OOMSNAP_HAVE_XEN) && !events[0].rec.xen_status &&
			     events[0].rec.xen.domain == OOMSNAP_XEN_PV_DOM0,
			     "domain %u", events[0].rec.xen.domain) &&
		       check(events[0].rec.xen.blkback_status == OOMSNAP_NOT_IN_LOG &&
			     events[0].rec.xen.balloon_status == OOMSNAP_NOT_IN_LOG,
			     "blkback/balloon status"));
		parse_lines(xen_hvm_late, ARRAY_SIZE(xen_hvm_late));
		result("parse_xen_context_only_after", check(nr_events == 2, "%u events", nr_events) &&
		       check(!(events[0].rec.have & OOMSNAP_HAVE_XEN), "first report marked Xen") &&
		       check(events[1].rec.xen.domain == OOMSNAP_XEN_HVM_DOMU, "domain %u",
			     events[1].rec.xen.domain));
		parse_lines(bare, ARRAY_SIZE(bare));
		result("parse_bare_hardware_not_xen", check(nr_events == 1, "%u events", nr_events) &&
		       check(!(events[0].rec.have & OOMSNAP_HAVE_XEN) &&
			     events[0].rec.xen_status == OOMSNAP_NOT_IN_LOG, "marked Xen"));
	}

	{
		static const char *const wrapped[] = {
			"Mar 24 12:40:02 h kernel: oom-killer: gfp_mask=0xd0, order=0",
			"Mar 24 12:40:10 h kernel: Normal free:904kB min:936kB low:1872kB",
			"high:2808kB active:289904kB inactive:380988kB present:901120kB",
			"pages_scanned:962808 all_unreclaimable? yes",
			"Mar 24 12:40:17 h kernel: Out of Memory: Killed process 19248",
			"(iptrap).",
		};
		parse_lines(wrapped, ARRAY_SIZE(wrapped));
		result("parse_wrapped_syslog",
		       check(nr_events == 1, "%u events", nr_events) &&
		       check(events[0].rec.zones[0].wmark_high == 702 &&
			     events[0].rec.zones[0].present == 225280 &&
			     (events[0].rec.zones[0].flags & OOMSNAP_ZONE_ALL_UNRECLAIMABLE),
			     "continuations not joined") &&
		       check(!strcmp(events[0].rec.victim.comm, "iptrap"), "victim \"%s\"",
			     events[0].rec.victim.comm) &&
		       check(events[0].rec.gfp == GFP_KERNEL, "0xd0 is GFP_KERNEL"));
	}
	{
		static const char *const boosted[] = {
			"x invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
			"Node 0 DMA32 free:8000kB boost:4000kB min:6000kB low:7000kB high:8000kB reserved_highatomic:2048KB present:100000kB managed:90000kB",
			"lowmem_reserve[]: 0 0 0 0 0",
			"Node 0 DMA free:16000kB boost:0kB min:100kB low:120kB high:140kB present:16000kB managed:15000kB",
			"lowmem_reserve[]: 0 1800 1900 2000 2100",
		};
		const struct oomsnap_zone *z0, *z1;

		parse_lines(boosted, ARRAY_SIZE(boosted));
		z0 = &events[0].rec.zones[0];
		z1 = &events[0].rec.zones[1];
		result("parse_boost_and_reserve",
		       check(z0->wmark_min == 500 && z0->wmark_boost == 1000,
			     "min without boost: %llu", z0->wmark_min) &&
		       check(z0->reserved_highatomic == 512, "highatomic %llu", z0->reserved_highatomic) &&
		       check(z1->lowmem_reserve[OOMSNAP_ZONE_DMA32] == 1800 &&
			     z1->lowmem_reserve[OOMSNAP_ZONE_NORMAL] == 1900 &&
			     z1->lowmem_reserve[OOMSNAP_ZONE_MOVABLE] == 2000 &&
			     z1->lowmem_reserve[OOMSNAP_ZONE_DEVICE] == 2100 &&
			     z1->lowmem_reserve[OOMSNAP_ZONE_HIGHMEM] == 1900,
			     "lowmem_reserve mapped by zone type") &&
		       check(events[0].rec.kernel_era == OOMSNAP_ERA(5, 0), "era guess from boost"));
	}
	{
		static const char *const big[] = {
			"x: page allocation failure: order:2, mode:0x40cc0(GFP_KERNEL|__GFP_COMP|__GFP_BOGUS), nodemask=0-1,3",
			"Node 0 Normal: 1*4kB (UMEHCI) 2*8kB (M) 3*16kB (H) 0*32kB = 100kB",
		};
		const struct oomsnap_zone *z;

		parse_lines(big, ARRAY_SIZE(big));
		z = &events[0].rec.zones[0];
		result("parse_alloc_failure_fields",
		       check(events[0].rec.type == OOMSNAP_EVENT_ALLOC_FAILURE, "type") &&
		       check(events[0].rec.gfp & OOMSNAP_GFP_UNKNOWN, "unknown name flagged") &&
		       check(events[0].rec.nodemask == 0xb, "nodemask 0x%llx", events[0].rec.nodemask) &&
		       check(z->nr_free_mt[2][OOMSNAP_MT_HIGHATOMIC] && !z->nr_free_mt[2][OOMSNAP_MT_MOVABLE] &&
			     z->nr_free_mt[0][OOMSNAP_MT_ISOLATE] && z->nr_orders == 4, "letters"));
	}
	{
		/* a report among 100000 unrelated lines; line numbers kept */
		static struct oomsnap_logparser lp;
		char line[128];

		nr_events = 0;
		oomsnap_logparser_init(&lp, collect, NULL);
		for (i = 0; i < 100000; i++) {
			snprintf(line, sizeof(line), "[%u.000000] eth0: link up, free:%s", i,
				 i % 7 ? "x" : "no");
			oomsnap_logparser_feed(&lp, line, strlen(line));
		}
		snprintf(line, sizeof(line), "[9.0] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0");
		oomsnap_logparser_feed(&lp, line, strlen(line));
		oomsnap_logparser_finish(&lp);
		result("parse_stream_line_numbers",
		       check(nr_events == 1 && events[0].line == 100001, "%u events, line %lu",
			     nr_events, nr_events ? events[0].line : 0));
	}
	{
		static char huge[200000];
		const char *one[1] = { huge };

		memset(huge, 'A', sizeof(huge) - 1);
		memcpy(huge, "Normal free:", 12);
		parse_lines(one, 1);
		result("parse_long_line_bounded", check(nr_events == 1, "%u", nr_events));
	}
}

/*
 * "Node 0 hugepages_total=..." lines: the pool's size in pages, and a line
 * whose product does not fit in 64 bits (found by the explain fuzzer) or
 * that holds a negative count leaves the counter unset instead of wrapping.
 */
static void test_parser_hugepages(void)
{
	static const char *const sane[] = {
		"hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Node 0 hugepages_total=4 hugepages_free=1 hugepages_surp=0 hugepages_size=1048576kB",
	};
	static const char *const huge[] = {
		"hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Node 0 hugepages_total=7677230164176710314 hugepages_free=7677230164176710314 hugepages_surp=0 hugepages_size=1048576kB",
	};
	static const char *const most_negative[] = {
		"hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=-9223372036854775808",
		"Node 0 hugepages_total=-9223372036854775808 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
	};
	static const char *const negative[] = {
		"hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Node 0 hugepages_total=-4 hugepages_free=-1 hugepages_surp=0 hugepages_size=2048kB",
	};
	const struct oomsnap_record *r = &events[0].rec;
	const __u64 total = OOMSNAP_MEM_HUGETLB_TOTAL, free_hp = OOMSNAP_MEM_HUGETLB_FREE;

	parse_lines(sane, ARRAY_SIZE(sane));
	result("parse_hugepages", check(nr_events == 1, "%u events", nr_events) &&
	       check((r->mem_have & (1ULL << total | 1ULL << free_hp)) ==
		     (1ULL << total | 1ULL << free_hp) &&
		     r->mem[total] == 4 * 1048576 / 4 && r->mem[free_hp] == 1048576 / 4,
		     "total %llu free %llu pages", (unsigned long long)r->mem[total],
		     (unsigned long long)r->mem[free_hp]));

	parse_lines(huge, ARRAY_SIZE(huge));
	result("parse_hugepages_overflow", check(nr_events == 1, "%u events", nr_events) &&
	       check(!(r->mem_have & (1ULL << total | 1ULL << free_hp)), "total %llu free %llu",
		     (unsigned long long)r->mem[total], (unsigned long long)r->mem[free_hp]));

	parse_lines(most_negative, ARRAY_SIZE(most_negative));
	result("parse_most_negative", check(nr_events == 1, "%u events", nr_events) &&
	       check(!(r->mem_have & 1ULL << total), "total %llu",
		     (unsigned long long)r->mem[total]));

	parse_lines(negative, ARRAY_SIZE(negative));
	result("parse_hugepages_negative", check(nr_events == 1, "%u events", nr_events) &&
	       check(!(r->mem_have & (1ULL << total | 1ULL << free_hp)), "total %llu free %llu",
		     (unsigned long long)r->mem[total], (unsigned long long)r->mem[free_hp]));
}

/*
 * A buddy line whose first block (the page, the unit of the orders) does not
 * fit in 32 bits or is no page size a kernel has (4 to 256 kB, a power of
 * two): the zone gets no free-block counts, and the parser does not divide by
 * it (a 2^32 kB block truncated to 0: a division by zero, found by the explain
 * fuzzer). A sane line's orders still come from its page size.
 */
static void test_parser_buddy_page(void)
{
	static const char *const bad[] = {
		"Node 0 DMA: 1*4294967296kB (U) 2*8589934592kB = 4kB",
		"Node 0 DMA: 1*12kB (U) 2*24kB = 60kB",
		"Node 0 DMA: 1*1048576kB (U) = 1048576kB",
	};
	const char *lines[] = {
		"hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"Node 0 DMA free:1000kB min:20kB low:25kB high:30kB present:8192kB managed:8000kB",
		"Node 0 DMA: 3*64kB (U) 2*128kB 1*256kB = 704kB",	/* the sane one */
	};
	const struct oomsnap_zone *z = &events[0].rec.zones[0];
	const char *sane = lines[2];
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		lines[2] = bad[i];
		parse_lines(lines, ARRAY_SIZE(lines));
		ok = ok && check(nr_events == 1 && events[0].rec.nr_zones == 1, "line %u: %u events",
				 i, nr_events) &&
		     check(!(z->have & OOMSNAP_ZONE_HAVE_BUDDY) && !z->nr_free[0],
			   "line %u: have %#x, order 0 %llu", i, z->have,
			   (unsigned long long)z->nr_free[0]);
	}
	result("parse_buddy_page_size_bad", ok);

	lines[2] = sane;
	parse_lines(lines, ARRAY_SIZE(lines));
	result("parse_buddy_page_size_64k",
	       check(nr_events == 1 && events[0].rec.nr_zones == 1, "%u events", nr_events) &&
	       check((z->have & OOMSNAP_ZONE_HAVE_BUDDY) && z->nr_free[0] == 3 &&
		     z->nr_free[1] == 2 && z->nr_free[2] == 1 && z->nr_orders == 3,
		     "orders %u: %llu %llu %llu", z->nr_orders, (unsigned long long)z->nr_free[0],
		     (unsigned long long)z->nr_free[1], (unsigned long long)z->nr_free[2]));
}
