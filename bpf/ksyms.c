// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's symbols, for the BPF recorder's loader: the data symbols
 * the BPF program reads through (from /proc/kallsyms, before the load),
 * and the text symbols a stack is symbolised with, as %pS prints them,
 * read again when /proc/modules changes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

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

/* Once, before the load: the data symbols into @sym, the text symbols and modules kept. */
void ksyms_init(unsigned long long sym[OOMSNAP_SYM_NR])
{
	load_kallsyms(sym);
	modules_seen = read_modules();
	parse_modules(modules_seen);
}

/*
 * r->stack from the @n raw return addresses at @ips: our own frames (BPF
 * program, trampoline) say nothing and are skipped. A frame in a live
 * module the table does not know yet sends it back to /proc/kallsyms once.
 */
void ksyms_stack(struct oomsnap_record *r, const __u64 *ips, int n)
{
	int i, attempt, depth = 0;
	bool skipping;

	refresh_ksyms(false);
	for (attempt = 0; attempt < 2; attempt++) {
		missed_module_frame = false;
		memset(r->stack, 0, sizeof(r->stack));	/* NUL-padded */
		depth = 0;
		skipping = true;
		for (i = 0; i < n && i < OOMSNAP_BPF_STACK_IPS &&
		     depth < OOMSNAP_STACK_DEPTH; i++) {
			char sym[OOMSNAP_SYM_LEN];
			const struct ksym *k = symbolise(ips[i], sym, sizeof(sym));

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
}
