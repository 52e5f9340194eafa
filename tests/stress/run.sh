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
#            BENCHMARKS.md); the default is the short form that make check runs
#   --kcsan  the KCSAN kernel (tests/stress/kcsan.config) instead: data races, not KASAN
#
# Ends with "N passed, M failed". The console log is kept in $OOMSNAP_CACHE/logs/stress-*.log;
# the figures are printed as "figure NAME VALUE" lines. A guest that dies before the module is
# loaded (TCG's cross-CPU code patching, seen at boot) is booted once more, and the output says so.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

mode=short kernel=debug
for a in "$@"; do
	case "$a" in
	--long)	mode=long ;;
	--kcsan) kernel=kcsan ;;
	*)	die "usage: $0 [--long] [--kcsan]" ;;
	esac
done
need_pkgs qemu-system-x86 busybox-static rsync cpio stress-ng

passed=0 failed=0
count() {	# count the ok/not ok lines of stdin, passing them on
	local l
	while IFS= read -r l; do
		echo "$l"
		case "$l" in
		"ok - "*)	passed=$((passed + 1)) ;;
		"not ok - "*)	failed=$((failed + 1)) ;;
		esac
	done
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if ! kvars=$("$here/../lib/build-kernel.sh" "$kernel" x86_64 "$here/../lib/guest-kernel.config" \
	"$here/$kernel.config"); then
	count <<<"not ok - stress/kernel: build-kernel.sh $kernel failed"
	finish
fi
eval "$kvars"
if ! mvars=$("$here/../lib/build-module.sh" --kdir "$KDIR" W=1); then
	count <<<"not ok - stress/build: oomsnap.ko or the helpers do not build against $KDIR"
	finish
fi
eval "$mvars"

# stress-ng is dynamically linked: it goes in with its loader and the libraries ldd names, and
# runs through the loader (the guest's / is busybox only).
logdir=$OOMSNAP_CACHE/logs
work=$OOMSNAP_CACHE/stress
mkdir -p "$logdir" "$work"
rm -rf "$work/sng"
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

initrd=$work/initramfs-$kernel.cpio.gz
if ! "$here/../lib/initramfs.sh" "$initrd" x86_64 "$here/guest.sh" "$KO" "$STORM_KO" "$READER" \
	"$work/stress-ng" "$work/sng"; then
	count <<<"not ok - stress/initramfs: initramfs.sh failed"
	finish
fi

timeout_s=1200
[ "$mode" = long ] && timeout_s=5400
log=$logdir/stress-$kernel-$mode.log
boot() {
	"$here/../lib/qemu.sh" --kernel "$BZIMAGE" --initrd "$initrd" --log "$log" --mem 768M \
		--smp 4 --timeout "$timeout_s" --append "oomsnap.stress=$mode log_buf_len=8M loglevel=1"
}
# loglevel=1: nothing but emergencies reaches the serial console while the kernel boots. 6.1
# prints to it under a raw spinlock (console_owner) with the port's spinlock_t inside, and the
# RT nesting check reports that first thing at boot, which turns lockdep off for the run.
start=$(now)
boot
rc=$?
if ! tr -d '\r' <"$log" | grep -q '^OOMSNAP-TEST: ok load'; then
	reason=$(tr -d '\r' <"$log" | grep -m1 -E 'Kernel panic|Oops|BUG:' || echo "exit $rc")
	log "guest died before the module was loaded ($reason): booting once more"
	echo "# retry: the first boot died before the module was loaded: $reason"
	boot
	rc=$?
fi
log "stress $kernel $mode: guest ran $(($(now) - start))s (qemu.sh exit $rc), log $log"

# Checks, figures and splats from the console.
tr -d '\r' <"$log" | sed -n 's/^OOMSNAP-FIGURE: /figure /p'
tr -d '\r' <"$log" | sed -n 's/^OOMSNAP-DMESG: /    /p' >&2
count < <(tr -d '\r' <"$log" | sed -n \
	-e "s/^OOMSNAP-TEST: ok \(.*\)$/ok - stress-$kernel\/\1/p" \
	-e "s/^OOMSNAP-TEST: not ok \([^ ]*\) - \(.*\)$/not ok - stress-$kernel\/\1: \2/p")
case "$rc" in
0)	;;
124)	count <<<"not ok - stress-$kernel/guest: timed out after ${timeout_s}s (log $log)" ;;
*)	count <<<"not ok - stress-$kernel/guest: did not finish: $(tr -d '\r' <"$log" |
		grep -m1 -E 'Kernel panic|Oops|BUG:' || echo "qemu.sh exit $rc") (log $log)" ;;
esac
grep -q '^OOMSNAP-TEST: ' <(tr -d '\r' <"$log") ||
	count <<<"not ok - stress-$kernel/guest: no check ran (log $log)"
finish
