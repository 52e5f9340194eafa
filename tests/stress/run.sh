#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/stress/run.sh [--long] [--kcsan] - oomsnap.ko at the worst moment (make stress).
#
# Boots the debug kernel (tinyconfig + tests/lib/guest-kernel.config + tests/stress/debug.config:
# lockdep with RT nesting, KASAN, KFENCE, UBSAN, kmemleak, debug objects, lockup and hung-task
# detectors, the irqsoff tracer) with 4 vCPUs, loads the module, and runs tests/stress/guest.sh:
# allocation failures from hard IRQ, soft IRQ and task context on every CPU, a global OOM storm
# (a hog per CPU and Debian's stress-ng memory stressors), a memcg storm (100+ groups at their
# limit at once, a global OOM meanwhile), readers and control writes racing the writers, the
# same task OOMing twice with kprobes disarmed between, a comm with ESC and newline, rmmod with
# a reader in poll() (and rmmod -f), and insmod/rmmod cycles under storms. Any splat fails it.
#
#   --long   60 s storms, 200 groups, 1000 load cycles, 10^6+ failures (the figures of
#            BENCHMARKS.md), then the KCSAN kernel; the default is the short form that make
#            check runs (no KCSAN kernel: a third kernel build does not fit CI's cold run)
#   --stock  only the long form's production-kernel guest (its million failures and thousand
#            load cycles), to rerun that part of --long alone
#   --kcsan  only the KCSAN kernel (tests/stress/kcsan.config): data races, not KASAN. It runs
#            the short form's storms: a race shows in seconds of contention, and KCSAN slows
#            every access under TCG. Races between kernel functions with no oomsnap.ko frame
#            in either stack are counted (figure kcsan_races_outside_oomsnap), not failed.
#
# OOMSNAP_STRESS_APPEND adds to the guests' kernel command line, e.g. oomsnap.phases=cycles,twice
# to run only those phases of tests/stress/guest.sh while debugging one.
# Ends with "N passed, M failed". The console log is kept in $OOMSNAP_LOGS/stress-*.log;
# the figures are printed as "figure NAME VALUE" lines.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

mode=short kernels=
for a in "$@"; do
	case "$a" in
	--long)	mode=long ;;
	--kcsan) kernels=kcsan ;;
	--stock) kernels=stock mode=long ;;
	*)	die "usage: $0 [--long] [--kcsan|--stock]" ;;
	esac
done
need_pkgs qemu-system-x86 busybox-static rsync cpio stress-ng python3

passed=0 failed=0
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

logdir=$OOMSNAP_LOGS
# this run's initramfs images and stress-ng copy: its own, so that two runs don't mix them
mkdir -p "$logdir" "$OOMSNAP_CACHE/stress"
work=$(mktemp -d "$OOMSNAP_CACHE/stress/run.XXXXXX") || die "no work directory"
trap 'rm -rf "$work"' EXIT

# Console checks of a guest (tests/lib/console.py): its verdicts as ok/not ok lines named
# PREFIX/NAME, its excerpts on stderr, and a guest that did not finish as a failure.
judge() {	# PREFIX LOG QEMU_EXIT
	local prefix=$1 log=$2 rc=$3
	count_results < <(python3 "$here/../lib/console.py" results "$log" "$prefix/")
	case "$rc" in
	0)	;;
	124)	count_results <<<"not ok - $prefix/guest: timed out (log $log)" ;;
	*)	count_results <<<"not ok - $prefix/guest: did not finish: $(tr -d '\r' <"$log" |
			grep -m1 -E 'Kernel panic|Oops|BUG:' || echo "qemu.sh exit $rc") (log $log)" ;;
	esac
	grep -q '^OOMSNAP-TEST: ' <(tr -d '\r' <"$log") ||
		count_results <<<"not ok - $prefix/guest: no check ran (log $log)"
}

# The guest's verdict (tests/stress/splats.sh) on a known log, with the guest's busybox:
# tests/stress/splats.dmesg holds the first KCSAN run's report of 6.1 compaction's own race,
# made in a timer interrupt that landed in an insmod of oomsnap.ko, and made-up reports around
# it. oomsnap's two races and a WARNING fail the suite; compaction's two races are counted; a
# line of the storm module's own is no report.
verdict=$(cd "$here" && FOREIGN=$work/foreign busybox sh -c \
	'. ./splats.sh; dmesg() { cat splats.dmesg; }; splats; echo --; cat "$FOREIGN"' |
	sed 's/^\[ *[0-9.]*\] //')
expected='BUG: KCSAN: data-race in oomsnap_ring_publish / oomsnap_ring_read
WARNING: CPU: 0 PID: 1 at mm/foo.c:1 bar+0x1
BUG: KCSAN: data-race in oomsnap_stats_peak / oomsnap_stats_show
--
BUG: KCSAN: data-race in kcompactd_do_work / wakeup_kcompactd
BUG: KCSAN: data-race in isolate_migratepages_block / compact_zone'
if [ "$verdict" = "$expected" ]; then
	count_results <<<"ok - stress/verdict"
else
	count_results <<<"not ok - stress/verdict: splats.sh on splats.dmesg gave: $(echo "$verdict" | tr '\n' '|')"
fi

# PREEMPT_RT: Debian's rt kernel must refuse the module, and say why.
if rvars=$("$here/../lib/build-module.sh" 6.1-rt); then
	eval "$rvars"
	rt_initrd=$work/initramfs-rt.cpio.gz rt_log=$logdir/stress-rt.log
	"$here/../lib/initramfs.sh" "$rt_initrd" x86_64 "$here/rt-guest.sh" "$KO" &&
		"$here/../lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$rt_initrd" --log "$rt_log" \
			--mem 256M --smp 2 --timeout 300
	judge stress-rt "$rt_log" $?
else
	count_results <<<"not ok - stress-rt/build: oomsnap.ko does not build against Debian's 6.1 rt headers"
fi

# stress-ng is dynamically linked: it goes in with its loader and the libraries ldd names, and
# runs through the loader (the guest's / is busybox only).
mkdir -p "$work/sng"
sng=$(command -v stress-ng)
cp -L "$sng" "$work/sng/stress-ng.bin"
ldd "$sng" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' | while read -r lib; do
	cp -L "$lib" "$work/sng/"
done
loader=$(basename "$(ldd "$sng" | awk '/ld-linux/ { print $1 }')")
cat >"$work/stress-ng" <<EOF
#!/bin/sh
exec /oomsnap/sng/$loader --library-path /oomsnap/sng /oomsnap/sng/stress-ng.bin "\$@"
EOF
chmod +x "$work/stress-ng"

# One boot of the stress guest: PREFIX MODE KERNEL_IMAGE MODULE STORM_MODULE READER APPEND
# [QEMU_SH_OPTION...]
stress_guest() {
	local prefix=$1 mode=$2 image=$3 ko=$4 storm_ko=$5 reader=$6 append=$7 rc start
	local qemu_opts=("${@:8}")
	local initrd=$work/initramfs-$prefix.cpio.gz log=$logdir/$prefix-$mode.log
	local timeout_s=1800
	[ "$mode" = long ] && timeout_s=5400
	if ! "$here/../lib/initramfs.sh" "$initrd" x86_64 "$here/guest.sh" "$ko" "$storm_ko" \
		"$reader" "$here/splats.sh" "$work/stress-ng" "$work/sng"; then
		count_results <<<"not ok - $prefix/initramfs: initramfs.sh failed"
		return
	fi
	start=$(now)
	"$here/../lib/qemu.sh" --kernel "$image" --initrd "$initrd" --log "$log" --mem 768M \
		--smp 4 --timeout "$timeout_s" "${qemu_opts[@]}" \
		--append "oomsnap.stress=$mode log_buf_len=8M panic_print=0x20 softlockup_panic=1 softlockup_all_cpu_backtrace=1 $append ${OOMSNAP_STRESS_APPEND:-}"
	rc=$?
	log "$prefix $mode: guest ran $(($(now) - start))s (qemu.sh exit $rc), log $log"
	python3 "$here/../lib/console.py" figures "$log" "$prefix"
	judge "$prefix" "$log" "$rc"
}

# panic_print=0x20: a guest that panics prints its whole kernel log first (the OOM report
# before "System is deadlocked on memory", say), which the console otherwise leaves out.
# softlockup_panic=1: a soft lockup fails the suite anyway (tests/stress/splats.sh), so it ends
# the guest at once, with every CPU's backtrace (softlockup_all_cpu_backtrace=1) in that log,
# instead of a wedged guest keeping the run until its timeout (up to 90 minutes in --long).
# loglevel=1: nothing but emergencies reaches the serial console while the kernel boots. 6.1
# prints to it under a raw spinlock (console_owner) with the port's spinlock_t inside, and the
# RT nesting check reports that first thing at boot, which turns lockdep off for the run.
# The long form's thousand load cycles run on the production kernel below: on the debug kernel
# under TCG one takes seconds.
debug_args=loglevel=1
[ "$mode" = long ] && debug_args="$debug_args oomsnap.cycles=200"

# One debug kernel (built from source, cached by its config's hash), its module, a boot.
debug_kernel() {	# NAME MODE
	local kernel=$1 kmode=$2 KDIR BZIMAGE KO STORM_KO READER
	if ! kvars=$("$here/../lib/build-kernel.sh" "$kernel" x86_64 \
		"$here/../lib/guest-kernel.config" "$here/$kernel.config"); then
		count_results <<<"not ok - stress-$kernel/kernel: build-kernel.sh $kernel failed"
		return
	fi
	eval "$kvars"
	if ! mvars=$("$here/../lib/build-module.sh" --kdir "$KDIR" W=1); then
		count_results <<<"not ok - stress-$kernel/build: oomsnap.ko or the helpers do not build against $KDIR"
		return
	fi
	eval "$mvars"
	stress_guest "stress-$kernel" "$kmode" "$BZIMAGE" "$KO" "$STORM_KO" "$READER" "$debug_args"
}

# The long form's million failures: Debian's production kernel, whose allocator fails far
# faster than the debug kernel's under TCG.
stock_long() {
	local svars
	if svars=$("$here/../lib/build-module.sh" 6.1); then
		eval "$svars"
		# Every vCPU on one host thread (--tcg-single). With a thread per vCPU, this kernel's
		# load cycles wedged 4 runs of 4, also with no oomsnap.ko loaded (an ftrace event
		# toggled instead): after it patched __alloc_pages()'s mm_page_alloc call site, the
		# vCPUs kept trapping on an int3 that memory no longer held (the backtraces' Code:
		# lines), soft lockups on every CPU. On one thread its long form passed whole, 1,000
		# load cycles of 1,000. The debug kernel has never wedged so (BENCHMARKS.md).
		stress_guest stress-stock long "$VMLINUZ" "$KO" "$STORM_KO" "$READER" \
			oomsnap.failures=250000 --tcg-single
	else
		count_results <<<"not ok - stress-stock/build: oomsnap.ko does not build against Debian's 6.1"
	fi
}

case "$kernels" in
kcsan)	debug_kernel kcsan short; finish ;;
stock)	stock_long; finish ;;
esac
debug_kernel debug "$mode"
if [ "$mode" = long ]; then
	stock_long
	debug_kernel kcsan short
fi
finish
