// SPDX-License-Identifier: GPL-2.0
/*
 * oomsnap-bpf: the BPF recorder's loader. Loads oomsnap.bpf.c (CO-RE, one
 * object for every kernel with BTF), finishes each event in user space and
 * writes the module's record stream:
 *
 *   oomsnap-bpf record [-o FILE] [--json] [--count N] [--stats FILE]
 *
 * -o FILE gets struct oomsnap_record after struct oomsnap_record, what
 * debugfs' raw file returns, so that "oomsnap --raw FILE list|show" reads
 * it unchanged. --json prints each record as "oomsnap --json show" does, by
 * the reader's own code (linked in). Runs until SIGINT/SIGTERM or N
 * records; --stats FILE then gets the counters in debugfs' stats format.
 *
 * Finished here rather than in the kernel: the stack (symbolised from
 * /proc/kallsyms as %pS does: "func+0x1c/0x80 [mod]"), the memcg path, the
 * gfp translation (from the kernel's BTF, or the 6.0-6.2 layout for
 * kernels whose BTF has no gfp enum), the derived mem[] slots, and the
 * clocks: time_ns is put on dmesg's clock by a /dev/kmsg calibration.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "oomsnap.h"
#include "oomsnap_bpf.h"
#include "oomsnap.skel.h"

int oomsnap_reader_main(int argc, char **argv);

static volatile sig_atomic_t stop;
static FILE *out;
static bool json;
static unsigned long long max_count, written;
static int json_fd = -1;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "oomsnap-bpf: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* ---------------------------------------------------------------------- */
/* /proc/kallsyms: data symbols for the kernel side, text for the stacks */

struct ksym {
	unsigned long long addr;
	char *name;
	char *mod;		/* NULL: vmlinux */
};

static struct ksym *ksyms;
static size_t nr_ksyms;

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static const char *const sym_names[OOMSNAP_SYM_NR] = {
	[OOMSNAP_SYM_NODE_DATA]		= "node_data",
	[OOMSNAP_SYM_NODE_STATES]	= "node_states",
	[OOMSNAP_SYM_VM_ZONE_STAT]	= "vm_zone_stat",
	[OOMSNAP_SYM_VM_NODE_STAT]	= "vm_node_stat",
	[OOMSNAP_SYM_TOTALRAM_PAGES]	= "_totalram_pages",
	[OOMSNAP_SYM_PER_CPU_OFFSET]	= "__per_cpu_offset",
	[OOMSNAP_SYM_CPU_ONLINE_MASK]	= "__cpu_online_mask",
	[OOMSNAP_SYM_NR_CPU_IDS]	= "nr_cpu_ids",
	[OOMSNAP_SYM_PREEMPT_COUNT]	= "__preempt_count",
	[OOMSNAP_SYM_PCPU_HOT]		= "pcpu_hot",
	[OOMSNAP_SYM_NR_VMALLOC_PAGES]	= "nr_vmalloc_pages",
	[OOMSNAP_SYM_PCPU_NR_POPULATED]	= "pcpu_nr_populated",
	[OOMSNAP_SYM_PCPU_NR_UNITS]	= "pcpu_nr_units",
	[OOMSNAP_SYM_HSTATES]		= "hstates",
	[OOMSNAP_SYM_HUGETLB_MAX_HSTATE] = "hugetlb_max_hstate",
	[OOMSNAP_SYM_TOTAL_SWAP_PAGES]	= "total_swap_pages",
	[OOMSNAP_SYM_NR_SWAP_PAGES]	= "nr_swap_pages",
	[OOMSNAP_SYM_VM_COMMITTED_AS]	= "vm_committed_as",
	[OOMSNAP_SYM_OVERCOMMIT_RATIO]	= "sysctl_overcommit_ratio",
	[OOMSNAP_SYM_OVERCOMMIT_KBYTES]	= "sysctl_overcommit_kbytes",
	[OOMSNAP_SYM_INIT_TASK]		= "init_task",
	[OOMSNAP_SYM_XEN_DOMAIN_TYPE]	= "xen_domain_type",
	[OOMSNAP_SYM_OOM_LOCK]		= "oom_lock",
};

/*
 * Read /proc/kallsyms: text symbols into ksyms[] (sorted), and the data
 * symbols of sym_names[] into sym[]. A name defined twice in vmlinux is
 * ambiguous and left at 0: the kernel side then says it could not read it.
 */
static void load_kallsyms(unsigned long long sym[OOMSNAP_SYM_NR])
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];
	int dup[OOMSNAP_SYM_NR] = { 0 };
	size_t cap = 0;
	bool any = false;
	int i;

	if (!f)
		die("/proc/kallsyms: %s", strerror(errno));
	memset(sym, 0, sizeof(*sym) * OOMSNAP_SYM_NR);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256], mod[128] = "";
		int n = sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod);

		if (n < 3)
			continue;
		if (addr)
			any = true;
		if (!mod[0]) {
			for (i = 0; i < OOMSNAP_SYM_NR; i++) {
				if (strcmp(name, sym_names[i]))
					continue;
				if (sym[i] && sym[i] != addr)
					dup[i] = 1;
				sym[i] = addr;
			}
		}
		if (type != 't' && type != 'T' && type != 'W' && type != 'w')
			continue;
		if (nr_ksyms == cap) {
			cap = cap ? cap * 2 : 65536;
			ksyms = realloc(ksyms, cap * sizeof(*ksyms));
			if (!ksyms)
				die("out of memory");
		}
		ksyms[nr_ksyms].addr = addr;
		ksyms[nr_ksyms].name = strdup(name);
		ksyms[nr_ksyms].mod = mod[0] ? strdup(mod) : NULL;
		nr_ksyms++;
	}
	fclose(f);
	if (!any)
		die("/proc/kallsyms shows no addresses (kernel.kptr_restrict? run as root)");
	for (i = 0; i < OOMSNAP_SYM_NR; i++)
		if (dup[i])
			sym[i] = 0;
	qsort(ksyms, nr_ksyms, sizeof(*ksyms), ksym_cmp);
}

static char *modules_seen;

/* Live modules' text, from /proc/modules: name, base address, size. */
struct modrange {
	char name[64];
	unsigned long long base, size;
};

static struct modrange *mods;
static size_t nr_mods;

static void parse_modules(const char *text)
{
	const char *p = text;

	free(mods);
	mods = NULL;
	nr_mods = 0;
	while (p && *p) {
		struct modrange m;
		const char *nl = strchr(p, '\n');

		if (sscanf(p, "%63s %llu %*s %*s %*s %llx", m.name, &m.size, &m.base) == 3) {
			mods = realloc(mods, (nr_mods + 1) * sizeof(*mods));
			if (!mods)
				die("out of memory");
			mods[nr_mods++] = m;
		}
		p = nl ? nl + 1 : NULL;
	}
}

/*
 * For an address in no live module: is it really inside k, the nearest
 * symbol below it (next: the one after it, or NULL)? kallsyms has no
 * sizes: in vmlinux the next symbol bounds it, but past vmlinux's last text
 * symbol lie the modules and BPF's JIT images, whose symbols kallsyms may
 * not list (bpf_jit_kallsyms off, an image freed since): no function is a
 * megabyte. A BPF program or trampoline must lie within one page of its
 * symbol; a module symbol there is stale (a module unloaded before the
 * event was read): "?", no name beats a wrong one.
 */
static bool ip_inside(const struct ksym *k, const struct ksym *next, unsigned long long ip)
{
	if (!k->mod)
		return (next && !next->mod) || ip - k->addr < (1ULL << 20);
	if (!strcmp(k->mod, "bpf") || !strcmp(k->mod, "__builtin__ftrace"))
		return ip - k->addr < 4096;
	return false;	/* a live module's address is resolved through module_of() */
}

/* The text of /proc/modules, or NULL. */
static char *read_modules(void)
{
	FILE *f = fopen("/proc/modules", "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/*
 * Modules loaded after the start have text the first read did not see: read
 * again when /proc/modules changed, or when forced (a frame in a live module
 * whose symbols the table lacks).
 */
static void refresh_ksyms(bool force)
{
	unsigned long long unused[OOMSNAP_SYM_NR];
	char *now = read_modules();
	size_t i;

	if (!now || (!force && modules_seen && !strcmp(now, modules_seen))) {
		free(now);
		return;
	}
	free(modules_seen);
	modules_seen = now;
	parse_modules(now);
	for (i = 0; i < nr_ksyms; i++) {
		free(ksyms[i].name);
		free(ksyms[i].mod);
	}
	free(ksyms);
	ksyms = NULL;
	nr_ksyms = 0;
	load_kallsyms(unused);
}

static bool bpf_frame(const struct ksym *k)
{
	return (k->mod && !strcmp(k->mod, "bpf")) ||
	       !strncmp(k->name, "bpf_trampoline_", 15) ||
	       !strncmp(k->name, "__bpf_trace_", 12) ||
	       !strncmp(k->name, "bpf_trace_run", 13) ||
	       !strncmp(k->name, "__bpf_prog_enter", 16) ||
	       !strncmp(k->name, "__bpf_prog_exit", 15);
}

static bool missed_module_frame;

/* The live module whose range holds ip, or NULL. */
static const struct modrange *module_of(unsigned long long ip)
{
	size_t i;

	for (i = 0; i < nr_mods; i++)
		if (ip >= mods[i].base && ip < mods[i].base + mods[i].size)
			return &mods[i];
	return NULL;
}

/*
 * "func+0x1c/0x80 [mod]" as %pS prints it; "?" for an unknown address.
 * Like the kernel, first the module that holds the address, then the
 * nearest symbol of that module: /proc/kallsyms may still list a module's
 * freed init symbols at addresses a later module now occupies.
 */
static const struct ksym *symbolise(unsigned long long ip, char *buf, size_t len)
{
	const struct modrange *owner = module_of(ip);
	size_t lo = 0, hi = nr_ksyms, i, n;
	const struct ksym *k = NULL, *next = NULL;
	unsigned long long size;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (ksyms[mid].addr <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (owner) {
		for (i = lo, n = 0; i > 0 && n < 100000; i--, n++) {
			if (ksyms[i - 1].mod && !strcmp(ksyms[i - 1].mod, owner->name)) {
				k = &ksyms[i - 1];
				break;
			}
		}
		for (i = lo, n = 0; k && i < nr_ksyms && n < 100000; i++, n++) {
			if (ksyms[i].mod && !strcmp(ksyms[i].mod, owner->name)) {
				next = &ksyms[i];
				break;
			}
		}
		size = k ? (next ? next->addr : owner->base + owner->size) - k->addr : 0;
	} else if (lo) {
		next = lo < nr_ksyms ? &ksyms[lo] : NULL;
		if (ip_inside(&ksyms[lo - 1], next, ip)) {
			k = &ksyms[lo - 1];
			size = next ? next->addr - k->addr : 0;
		}
	}
	if (!k) {
		if (owner)
			missed_module_frame = true;
		if (getenv("OOMSNAP_BPF_DEBUG_SYMS"))
			fprintf(stderr, "oomsnap-bpf: 0x%llx: no symbol (module %s, nearest %s [%s])\n",
				ip, owner ? owner->name : "-", lo ? ksyms[lo - 1].name : "-",
				lo && ksyms[lo - 1].mod ? ksyms[lo - 1].mod : "vmlinux");
		snprintf(buf, len, "?");
		return NULL;
	}
	if (k->mod)
		snprintf(buf, len, "%s+0x%llx/0x%llx [%s]", k->name, ip - k->addr, size, k->mod);
	else
		snprintf(buf, len, "%s+0x%llx/0x%llx", k->name, ip - k->addr, size);
	return k;
}

/* ---------------------------------------------------------------------- */
/* gfp_t */

struct gfp_bit {
	const char *name;	/* ___GFP_<name>_BIT in the kernel's BTF */
	unsigned long long old;	/* its value in the 6.0-6.2 layout; 0: none */
	unsigned long long oomsnap;
	unsigned long long kernel;	/* this kernel's bit, 0: not there */
};

static struct gfp_bit gfp_bits[] = {
	{ "DMA",		0x01,		OOMSNAP_GFP_DMA },
	{ "HIGHMEM",		0x02,		OOMSNAP_GFP_HIGHMEM },
	{ "DMA32",		0x04,		OOMSNAP_GFP_DMA32 },
	{ "MOVABLE",		0x08,		OOMSNAP_GFP_MOVABLE },
	{ "RECLAIMABLE",	0x10,		OOMSNAP_GFP_RECLAIMABLE },
	{ "HIGH",		0x20,		OOMSNAP_GFP_HIGH },
	{ "IO",			0x40,		OOMSNAP_GFP_IO },
	{ "FS",			0x80,		OOMSNAP_GFP_FS },
	{ "ZERO",		0x100,		OOMSNAP_GFP_ZERO },
	{ "ATOMIC",		0x200,		OOMSNAP_GFP_ATOMIC },
	{ "DIRECT_RECLAIM",	0x400,		OOMSNAP_GFP_DIRECT_RECLAIM },
	{ "KSWAPD_RECLAIM",	0x800,		OOMSNAP_GFP_KSWAPD_RECLAIM },
	{ "WRITE",		0x1000,		OOMSNAP_GFP_WRITE },
	{ "NOWARN",		0x2000,		OOMSNAP_GFP_NOWARN },
	{ "RETRY_MAYFAIL",	0x4000,		OOMSNAP_GFP_RETRY_MAYFAIL },
	{ "NOFAIL",		0x8000,		OOMSNAP_GFP_NOFAIL },
	{ "NORETRY",		0x10000,	OOMSNAP_GFP_NORETRY },
	{ "MEMALLOC",		0x20000,	OOMSNAP_GFP_MEMALLOC },
	{ "COMP",		0x40000,	OOMSNAP_GFP_COMP },
	{ "NOMEMALLOC",		0x80000,	OOMSNAP_GFP_NOMEMALLOC },
	{ "HARDWALL",		0x100000,	OOMSNAP_GFP_HARDWALL },
	{ "THISNODE",		0x200000,	OOMSNAP_GFP_THISNODE },
	{ "ACCOUNT",		0x400000,	OOMSNAP_GFP_ACCOUNT },
	{ "ZEROTAGS",		0x800000,	OOMSNAP_GFP_ZEROTAGS },
	/* 6.0-6.2: only with KASAN_HW_TAGS (arm64), never on x86 */
	{ "SKIP_KASAN",		0,		OOMSNAP_GFP_SKIP_KASAN },
	/* 6.0-6.2: only with LOCKDEP, which Debian's kernels are built without */
	{ "NOLOCKDEP",		0,		OOMSNAP_GFP_NOLOCKDEP },
};

#define NR_GFP_BITS (sizeof(gfp_bits) / sizeof(gfp_bits[0]))

static bool gfp_known;

static unsigned long long gfp_of(const char *name)
{
	size_t i;

	for (i = 0; i < NR_GFP_BITS; i++)
		if (!strcmp(gfp_bits[i].name, name))
			return gfp_bits[i].kernel;
	return 0;
}

/*
 * Since 6.9 the kernel numbers its gfp bits in an enum (___GFP_*_BIT),
 * which its BTF carries; before, #defines that BTF does not see. For those
 * kernels, the 6.0-6.2 layout (the one with ___GFP_ATOMIC at 0x200, which
 * 6.3 removed) is used for 6.0-6.2 only; other kernels get no translation.
 */
static void gfp_setup(const struct btf *btf, int major, int minor)
{
	char want[64];
	size_t i;
	int n = btf__type_cnt(btf), id, found = 0;

	for (id = 1; id < n && !found; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e;
		int k;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (k = 0; k < btf_vlen(t); k++) {
			if (strcmp(btf__name_by_offset(btf, e[k].name_off), "___GFP_DMA_BIT"))
				continue;
			for (k = 0; k < btf_vlen(t); k++) {
				const char *nm = btf__name_by_offset(btf, e[k].name_off);

				for (i = 0; i < NR_GFP_BITS; i++) {
					snprintf(want, sizeof(want), "___GFP_%s_BIT", gfp_bits[i].name);
					if (!strcmp(nm, want) && e[k].val < 64)
						gfp_bits[i].kernel = 1ULL << e[k].val;
				}
			}
			found = 1;
			break;
		}
	}
	if (found) {
		gfp_known = true;
		return;
	}
	if (major == 6 && minor <= 2) {
		for (i = 0; i < NR_GFP_BITS; i++)
			gfp_bits[i].kernel = gfp_bits[i].old;
		gfp_known = true;
	}
}

static unsigned long long gfp_translate(unsigned long long raw)
{
	unsigned long long out = 0, rest = raw;
	size_t i;

	for (i = 0; i < NR_GFP_BITS; i++) {
		if (gfp_bits[i].kernel && (rest & gfp_bits[i].kernel)) {
			out |= gfp_bits[i].oomsnap;
			rest &= ~gfp_bits[i].kernel;
		}
	}
	if (rest)
		out |= OOMSNAP_GFP_UNKNOWN;
	return out;
}

/* gfp_zone() of x86-64 (no ZONE_HIGHMEM): GFP_ZONE_TABLE's answer. */
static unsigned int highest_zone(unsigned long long g)
{
	if (g & OOMSNAP_GFP_DMA)
		return OOMSNAP_ZONE_DMA;
	if (g & OOMSNAP_GFP_DMA32)
		return OOMSNAP_ZONE_DMA32;
	if ((g & OOMSNAP_GFP_MOVABLE) && (g & OOMSNAP_GFP_HIGHMEM))
		return OOMSNAP_ZONE_MOVABLE;
	return OOMSNAP_ZONE_NORMAL;
}

/* ---------------------------------------------------------------------- */
/* Clocks */

static long long mono_to_dmesg, mono_to_real;

static long long ts_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * The kernel side can read CLOCK_MONOTONIC, dmesg stamps local_clock():
 * write a line to /dev/kmsg between two CLOCK_MONOTONIC reads and read its
 * stamp back (microseconds). Done at start and for every event read (one
 * "oomsnap-bpf: clock calibration" line in the kernel log each time).
 * Without /dev/kmsg time_ns stays monotonic.
 */
/* One write/read-back: the offset, and the width of the window it was taken in. */
static bool calibrate_once(long long *offset, long long *window)
{
	char msg[128], buf[2048];
	long long before, after;
	bool found = false;
	int fd;

	fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK);
	if (fd < 0)
		return false;
	snprintf(msg, sizeof(msg), "oomsnap-bpf: clock calibration %d\n", getpid());
	lseek(fd, 0, SEEK_END);
	before = ts_ns(CLOCK_MONOTONIC);
	if (write(fd, msg, strlen(msg)) < 0) {
		close(fd);
		return false;
	}
	after = ts_ns(CLOCK_MONOTONIC);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		unsigned long long us;
		char *semi;

		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		buf[n] = '\0';
		semi = strchr(buf, ';');
		if (!semi || !strstr(semi, msg) || sscanf(buf, "%*u,%*u,%llu", &us) != 1)
			continue;
		*offset = (long long)us * 1000 - (before + after) / 2;
		*window = after - before;
		found = true;
		break;
	}
	close(fd);
	return found;
}

/*
 * Under memory pressure the write may stall on either side of the stamp:
 * up to four tries, the narrowest window wins (error at most half of it).
 */
static void calibrate_clocks(void)
{
	long long offset, window, best = -1;
	int i;

	mono_to_real = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_MONOTONIC);
	for (i = 0; i < 4; i++) {
		if (!calibrate_once(&offset, &window))
			return;
		if (best < 0 || window < best) {
			best = window;
			mono_to_dmesg = offset;
		}
		if (window < 200000)
			break;
	}
}

/* ---------------------------------------------------------------------- */
/* Events */

static unsigned long long mem_get(const struct oomsnap_record *r, int i)
{
	return r->mem[i];
}

static bool mem_has(const struct oomsnap_record *r, int i)
{
	return r->mem_have & (1ULL << i);
}

static void mem_put(struct oomsnap_record *r, int i, unsigned long long v)
{
	r->mem[i] = v;
	r->mem_have |= 1ULL << i;
}

/* The module's commit_limit() and unaccounted(), from the same inputs. */
static void derive_mem(struct oomsnap_bpf_event *ev)
{
	static const int consumers[] = {
		OOMSNAP_MEM_FREE, OOMSNAP_MEM_FREE_PCP,
		OOMSNAP_MEM_ACTIVE_ANON, OOMSNAP_MEM_INACTIVE_ANON,
		OOMSNAP_MEM_ACTIVE_FILE, OOMSNAP_MEM_INACTIVE_FILE,
		OOMSNAP_MEM_UNEVICTABLE, OOMSNAP_MEM_ISOLATED,
		OOMSNAP_MEM_SLAB_RECLAIMABLE, OOMSNAP_MEM_SLAB_UNRECLAIMABLE,
		OOMSNAP_MEM_PAGETABLES, OOMSNAP_MEM_SECONDARY_PAGETABLES,
		OOMSNAP_MEM_PERCPU, OOMSNAP_MEM_VMALLOC,
		OOMSNAP_MEM_HUGETLB_TOTAL,
	};
	struct oomsnap_record *r = &ev->rec;
	unsigned long long used = ev->misc_reclaimable, limit;
	unsigned int page_kb = r->page_size / 1024;
	size_t i;

	if (ev->have_overcommit && mem_has(r, OOMSNAP_MEM_SWAP_TOTAL) &&
	    mem_has(r, OOMSNAP_MEM_HUGETLB_TOTAL) && mem_has(r, OOMSNAP_MEM_TOTALRAM)) {
		if (ev->overcommit_kbytes)
			limit = ev->overcommit_kbytes / page_kb;
		else
			limit = (mem_get(r, OOMSNAP_MEM_TOTALRAM) -
				 mem_get(r, OOMSNAP_MEM_HUGETLB_TOTAL)) *
				ev->overcommit_ratio / 100;
		mem_put(r, OOMSNAP_MEM_COMMIT_LIMIT, limit + mem_get(r, OOMSNAP_MEM_SWAP_TOTAL));
	}
	if (mem_has(r, OOMSNAP_MEM_TOTALRAM)) {
		for (i = 0; i < sizeof(consumers) / sizeof(consumers[0]); i++)
			used += mem_get(r, consumers[i]);
		if (!ev->vmap_stack || !mem_has(r, OOMSNAP_MEM_VMALLOC))
			used += mem_get(r, OOMSNAP_MEM_KERNEL_STACK);
		mem_put(r, OOMSNAP_MEM_UNACCOUNTED, mem_get(r, OOMSNAP_MEM_TOTALRAM) > used ?
			mem_get(r, OOMSNAP_MEM_TOTALRAM) - used : 0);
	}
	r->nr_mem = OOMSNAP_MEM_NR;
}

static void finish(struct oomsnap_bpf_event *ev)
{
	struct oomsnap_record *r = &ev->rec;
	int i, n, depth = 0;
	bool skipping = true;

	/* stack: our own frames (BPF program, trampoline) say nothing */
	if (ev->stack_bytes > 0) {
		int attempt;

		refresh_ksyms(false);
		for (attempt = 0; attempt < 2; attempt++) {
			missed_module_frame = false;
			memset(r->stack, 0, sizeof(r->stack));	/* NUL-padded */
			depth = 0;
			skipping = true;
			n = ev->stack_bytes / 8;
			for (i = 0; i < n && i < OOMSNAP_BPF_STACK_IPS &&
			     depth < OOMSNAP_STACK_DEPTH; i++) {
				char sym[OOMSNAP_SYM_LEN];
				const struct ksym *k = symbolise(ev->stack_ips[i], sym, sizeof(sym));

				if (skipping && (!k || bpf_frame(k)))
					continue;
				skipping = false;
				snprintf(r->stack[depth++], OOMSNAP_SYM_LEN, "%s", sym);
			}
			if (!missed_module_frame)
				break;
			refresh_ksyms(true);
		}
		r->stack_depth = depth;
		r->stack_status = OOMSNAP_OK;
		r->have |= OOMSNAP_HAVE_STACK;
	} else {
		r->stack_status = OOMSNAP_NOT_CAPTURED;
	}

	/* memcg path: components leaf first */
	if ((r->have & OOMSNAP_HAVE_MEMCG) && !ev->cg_truncated) {
		char path[OOMSNAP_PATH_LEN] = "";
		size_t len = 0;

		for (i = ev->cg_depth - 1; i >= 0 && i < OOMSNAP_BPF_CG_DEPTH; i--) {
			ev->cg_names[i][OOMSNAP_BPF_CG_NAME - 1] = '\0';
			len += snprintf(path + len, len < sizeof(path) ? sizeof(path) - len : 0,
					"/%s", ev->cg_names[i]);
		}
		if (!ev->cg_depth)
			snprintf(path, sizeof(path), "/");
		if (len < sizeof(path))
			memcpy(r->memcg_path, path, sizeof(path));
	}

	if (r->have & OOMSNAP_HAVE_GFP) {
		if (gfp_known) {
			r->gfp = gfp_translate(r->gfp_raw);
			if (r->gfp_raw) {
				r->highest_zone = highest_zone(r->gfp);
				r->have |= OOMSNAP_HAVE_HIGHEST_ZONE;
			}
		} else {
			/* order only: the bits of this kernel's gfp_t are not known */
			r->have &= ~OOMSNAP_HAVE_GFP;
		}
	}
	derive_mem(ev);
	r->time_ns += mono_to_dmesg;
	r->realtime_ns = r->time_ns - mono_to_dmesg + mono_to_real;
}

static void print_json(const struct oomsnap_record *r)
{
	char path[64], seq[32];
	pid_t pid;
	int st;

	if (ftruncate(json_fd, 0) || pwrite(json_fd, r, sizeof(*r), 0) != sizeof(*r))
		die("json scratch file: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", json_fd);
	snprintf(seq, sizeof(seq), "%llu", (unsigned long long)r->seq);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		char *argv[] = { "oomsnap", "--json", "--raw", path, "show", seq, NULL };

		optind = 0;	/* the reader parses its own argv from the start */
		exit(oomsnap_reader_main(6, argv));
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		fprintf(stderr, "oomsnap-bpf: rendering record %s as JSON failed\n", seq);
}

static int on_event(void *ctx, void *data, size_t len)
{
	static struct oomsnap_bpf_event copy;
	struct oomsnap_bpf_event *ev = &copy;

	(void)ctx;
	if (len < sizeof(*ev) || (max_count && written >= max_count))
		return 0;
	/* the ring buffer is mapped read-only: finish a copy */
	memcpy(ev, data, sizeof(*ev));
	/*
	 * local_clock() and CLOCK_MONOTONIC drift apart where the TSC is
	 * unstable: calibrate again now, a few milliseconds after the event
	 */
	calibrate_clocks();
	finish(ev);
	if (out) {
		if (fwrite(&ev->rec, sizeof(ev->rec), 1, out) != 1 || fflush(out))
			die("write: %s", strerror(errno));
	}
	if (json)
		print_json(&ev->rec);
	written++;
	if (max_count && written >= max_count)
		stop = 1;
	return 0;
}

/* ---------------------------------------------------------------------- */

static const char *const counter_names[OOMSNAP_BPF_COUNTER_NR] = {
	"oom", "memcg_oom", "alloc_failure", "manual", "victims", "victims_joined",
	"victims_unjoined", "captured", "dropped_ratelimit", "dropped_nowarn",
	"skipped_recursion", "nowarn_failures", "skipped_busy",
};

static const char *const class_names[OOMSNAP_BPF_FAIL_CLASSES] = {
	"atomic", "nowait", "noio", "nofs", "kernel", "user", "highuser_movable",
};

static void write_stats(const char *path, const struct oomsnap_bpf_stats *s,
			unsigned long long last_seq)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		die("%s: %s", path, strerror(errno));
	for (i = 0; i < OOMSNAP_BPF_COUNTER_NR; i++)
		fprintf(f, "%-24s %llu\n", counter_names[i], (unsigned long long)s->counter[i]);
	fprintf(f, "%-24s %llu\n", "last_seq", last_seq);
	fprintf(f, "%-24s %llu\n", "written", written);
	for (i = 0; i < 11; i++)
		fprintf(f, "alloc_failure_order_%-4d %llu\n", i,
			(unsigned long long)s->failures_by_order[i]);
	for (i = 0; i < OOMSNAP_BPF_FAIL_CLASSES; i++)
		fprintf(f, "alloc_failure_%-10s %llu\n", class_names[i],
			(unsigned long long)s->failures_by_class[i]);
	fclose(f);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("OOMSNAP_BPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: oomsnap-bpf record [-o FILE] [--json] [--count N] [--stats FILE]\n"
		"  -o FILE       append raw records (read them with: oomsnap --raw FILE list|show)\n"
		"  --json        print each record as \"oomsnap --json show\" does\n"
		"  --count N     stop after N records (default: at SIGINT/SIGTERM)\n"
		"  --stats FILE  at exit, write the counters (debugfs stats format)\n"
		"  --capture-nowarn  capture __GFP_NOWARN failures too (counted either way)\n"
		"  --walk-limit N    free-list entries counted per list (0: no walk; default 512)\n"
		"  --alloc-hook warn_alloc|tracepoint  allocation failures from warn_alloc() (default:\n"
		"                the success path pays nothing) or from kmem:mm_page_alloc as the module\n"
		"  --check       load (the verifier runs) and exit, attaching nothing\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "stats", required_argument, NULL, 's' },
		{ "capture-nowarn", no_argument, NULL, 'n' },
		{ "walk-limit", required_argument, NULL, 'w' },
		{ "check", no_argument, NULL, 'C' },
		{ "alloc-hook", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long syms[OOMSNAP_SYM_NR];
	const char *out_path = NULL, *stats_path = NULL;
	struct oomsnap_bpf *skel;
	struct ring_buffer *rb;
	struct utsname uts;
	struct btf *btf;
	int c, major = 0, minor = 0, err, i;
	long walk = 512;
	bool nowarn = false, check_only = false, tp_hook = false;

	if (argc < 2 || strcmp(argv[1], "record"))
		usage();
	argv++;
	argc--;
	while ((c = getopt_long(argc, argv, "o:jc:s:nw:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out_path = optarg; break;
		case 'j': json = true; break;
		case 'c': max_count = strtoull(optarg, NULL, 10); break;
		case 's': stats_path = optarg; break;
		case 'n': nowarn = true; break;
		case 'C': check_only = true; break;
		case 'a':
			if (!strcmp(optarg, "tracepoint"))
				tp_hook = true;
			else if (strcmp(optarg, "warn_alloc"))
				die("--alloc-hook: warn_alloc or tracepoint");
			break;
		case 'w':
			walk = strtol(optarg, NULL, 10);
			if (walk < 0 || walk > 4096)
				die("--walk-limit: 0..4096");
			break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (!out_path && !json && !check_only)
		die("nothing to do: give -o FILE and/or --json");

	libbpf_set_print(libbpf_log);
	uname(&uts);
	sscanf(uts.release, "%d.%d", &major, &minor);
	load_kallsyms(syms);
	modules_seen = read_modules();
	parse_modules(modules_seen);
	btf = btf__load_vmlinux_btf();
	if (!btf)
		die("no kernel BTF (/sys/kernel/btf/vmlinux): %s", strerror(errno));
	gfp_setup(btf, major, minor);
	calibrate_clocks();

	skel = oomsnap_bpf__open();
	if (!skel)
		die("opening the BPF object failed");
	for (i = 0; i < OOMSNAP_SYM_NR; i++)
		skel->rodata->sym[i] = syms[i];
	skel->rodata->gfpb.nowarn = gfp_of("NOWARN");
	skel->rodata->gfpb.direct_reclaim = gfp_of("DIRECT_RECLAIM");
	skel->rodata->gfpb.high = gfp_of("HIGH");
	skel->rodata->gfpb.io = gfp_of("IO");
	skel->rodata->gfpb.fs = gfp_of("FS");
	skel->rodata->gfpb.hardwall = gfp_of("HARDWALL");
	skel->rodata->gfpb.movable = gfp_of("MOVABLE");
	skel->rodata->walk_limit = walk;
	skel->rodata->kernel_era = (major << 16) | (minor << 8);
	skel->rodata->page_shift = __builtin_ctz(sysconf(_SC_PAGESIZE));
	skel->rodata->capture_nowarn = nowarn;
	/* both allocation-failure programs are loaded, one is attached */
	err = oomsnap_bpf__load(skel);
	if (err)
		die("loading the BPF programs failed (%d); OOMSNAP_BPF_DEBUG=1 shows libbpf's log", err);
	if (check_only) {
		printf("oomsnap-bpf: loaded and verified on %s\n", uts.release);
		oomsnap_bpf__destroy(skel);
		return 0;
	}
	skel->links.oom_enter = bpf_program__attach(skel->progs.oom_enter);
	skel->links.mark_victim = bpf_program__attach(skel->progs.mark_victim);
	if (tp_hook)
		skel->links.page_alloc = bpf_program__attach(skel->progs.page_alloc);
	else
		skel->links.warn_alloc_kp = bpf_program__attach(skel->progs.warn_alloc_kp);
	if (!skel->links.oom_enter || !skel->links.mark_victim ||
	    (tp_hook ? !skel->links.page_alloc : !skel->links.warn_alloc_kp))
		die("attaching failed: %s", strerror(errno));

	if (out_path) {
		out = fopen(out_path, "a");
		if (!out)
			die("%s: %s", out_path, strerror(errno));
	}
	if (json) {
		json_fd = memfd_create("oomsnap-bpf-json", 0);
		if (json_fd < 0)
			die("memfd_create: %s", strerror(errno));
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL, NULL);
	if (!rb)
		die("ring buffer: %s", strerror(errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "oomsnap-bpf: recording on %s (gfp bits %s)\n", uts.release,
		gfp_known ? "known" : "unknown: order only");
	while (!stop) {
		err = ring_buffer__poll(rb, 200);
		if (err < 0 && err != -EINTR)
			die("ring buffer poll: %d", err);
		/* allocation failures are handed over without a wakeup: look every 200 ms */
		if (!stop)
			ring_buffer__consume(rb);
	}
	ring_buffer__consume(rb);
	if (stats_path)
		write_stats(stats_path, &skel->bss->stats, skel->bss->last_seq);
	ring_buffer__free(rb);
	oomsnap_bpf__destroy(skel);
	if (out)
		fclose(out);
	btf__free(btf);
	return 0;
}
