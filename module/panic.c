// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot of an OOM that panics the machine, in the kernel log.
 *
 * out_of_memory() calls panic() in two places: check_panic_on_oom()
 * ("Out of memory: ... panic_on_oom is enabled") and when no task is left
 * to kill ("System is deadlocked on memory"). A kprobe on panic() runs
 * before panic() does anything, so before kdump's crash_kexec(), before
 * the other CPUs stop and before kmsg_dump() hands the log to pstore. If
 * the panicking task is inside an out_of_memory() whose snapshot we took
 * (still the hooks' scratch record: it would enter the ring when the
 * victim is marked, which it never will be), that snapshot goes to the
 * log: the text "cat last" shows (event, request, zone table, consumers,
 * diagnosis with its evidence), line by line.
 *
 * The kprobe handler runs with preemption off and may hold oom_lock: no
 * allocation, no sleeping, no lock. The diagnosis is static (one panic per
 * boot; a flag makes a second attempt print nothing), and the output is
 * bounded: at most SUMMARY_MAX_LINES lines, each cut at SUMMARY_LINE_LEN
 * bytes.
 */
#define pr_fmt(fmt) "oomsnap: " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/printk.h>
#include <linux/ptrace.h>
#include <linux/string.h>

#include "hooks.h"
#include "diagnose.h"
#include "names.h"
#include "render.h"
#include "panic.h"

#define SUMMARY_MAX_LINES	160
#define SUMMARY_LINE_LEN	200

/* The two panic() messages of mm/oom_kill.c */
static const char *const oom_panics[] = {
	"Out of memory",
	"System is deadlocked on memory",
};

static struct {
	struct oomsnap_diagnosis diag;
	char line[SUMMARY_LINE_LEN];
	size_t len;
	unsigned int lines;
	bool cut;
} summary;

static atomic_t summary_done = ATOMIC_INIT(0);

static void summary_flush(void)
{
	if (summary.lines < SUMMARY_MAX_LINES)
		pr_emerg("%.*s\n", (int)summary.len, summary.line);
	else if (summary.lines == SUMMARY_MAX_LINES)
		pr_emerg("(summary cut at %d lines)\n", SUMMARY_MAX_LINES);
	summary.lines++;
	summary.len = 0;
	summary.cut = false;
}

/* Text from the renderer: complete lines go out as they form. */
static void summary_put(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n') {
			summary_flush();
			continue;
		}
		if (summary.len < sizeof(summary.line))
			summary.line[summary.len++] = *s;
		else
			summary.cut = true;
	}
}

static __printf(2, 0) void summary_vprintf(void *ctx, const char *fmt,
					   va_list ap)
{
	static char buf[512];

	vscnprintf(buf, sizeof(buf), fmt, ap);
	summary_put(buf);
}

static void summary_print(const struct oomsnap_record *rec)
{
	struct oomsnap_printer p = { .vprintf = summary_vprintf };

	oomsnap_diagnose(rec, &summary.diag);
	pr_emerg("this OOM panics the machine: its snapshot follows (cause %s)\n",
		 oomsnap_cause_name(summary.diag.cause));
	oomsnap_print_record(&p, rec, &summary.diag);
	if (summary.len)
		summary_flush();
	pr_emerg("end of the snapshot\n");
}

static bool is_oom_panic(const char *fmt)
{
	unsigned int i;

	if (!fmt)
		return false;
	for (i = 0; i < ARRAY_SIZE(oom_panics); i++)
		if (!strncmp(fmt, oom_panics[i], strlen(oom_panics[i])))
			return true;
	return false;
}

static int panic_entry(struct kprobe *kp, struct pt_regs *regs)
{
	const char *fmt = (const char *)regs_get_kernel_argument(regs, 0);
	const struct oomsnap_record *rec = oomsnap_hooks_oom_record();

	if (!rec || !is_oom_panic(fmt) || atomic_xchg(&summary_done, 1))
		return 0;
	summary_print(rec);
	return 0;
}

static struct kprobe panic_kprobe = {
	.symbol_name	= "panic",
	.pre_handler	= panic_entry,
};

static bool panic_registered;

void oomsnap_panic_init(void)
{
	int err = register_kprobe(&panic_kprobe);

	if (err) {
		pr_warn("kprobe on panic failed (%d): an OOM that panics leaves no summary in the log\n",
			err);
		return;
	}
	panic_registered = true;
}

void oomsnap_panic_exit(void)
{
	if (panic_registered)
		unregister_kprobe(&panic_kprobe);
	panic_registered = false;
}
