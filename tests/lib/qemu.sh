#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# qemu.sh --kernel K --initrd I --log LOG [--mem 512M] [--smp 2] [--timeout S]
#         [--arch x86_64|i386] [--append ARGS] [--qemu-args "..."] [--stream]
#         [--tcg-single]
#
# Boot K with initramfs I under QEMU TCG; the serial console goes to LOG (and to stdout with
# --stream or OOMSNAP_STREAM=1). A kernel panic or oops powers the machine off at once
# (panic=-1 oops=panic with -no-reboot). A guest that dies before its init starts the test
# script is booted once more ("# retry: ..." on stdout). Exit status: 0 when the guest printed
# OOMSNAP-GUEST-DONE, 124 on timeout (QEMU killed), 1 otherwise. The log is always kept.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kernel= initrd= logf= mem=512M smp=2 timeout_s=300 arch=x86_64 append= qemu_args= accel=tcg
stream=${OOMSNAP_STREAM:-0}
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel)	kernel=$2; shift ;;
	--initrd)	initrd=$2; shift ;;
	--log)		logf=$2; shift ;;
	--mem)		mem=$2; shift ;;
	--smp)		smp=$2; shift ;;
	--timeout)	timeout_s=$2; shift ;;
	--arch)		arch=$2; shift ;;
	--append)	append=$2; shift ;;
	--qemu-args)	qemu_args=$2; shift ;;
	--stream)	stream=1 ;;
	# every vCPU on one host thread: see tests/stress/run.sh
	--tcg-single)	accel=tcg,thread=single ;;
	*)		die "unknown option $1" ;;
	esac
	shift
done
[ -f "$kernel" ] || die "--kernel: no such file '$kernel'"
[ -f "$initrd" ] || die "--initrd: no such file '$initrd'"
[ -n "$logf" ] || die "--log LOG is required"
case "$arch" in
x86_64)	qemu=qemu-system-x86_64 ;;
i386)	qemu=qemu-system-i386 ;;
*)	die "--arch: x86_64 or i386" ;;
esac
command -v "$qemu" >/dev/null || need_pkgs qemu-system-x86
mkdir -p "$(dirname "$logf")"

# A crash must end the run quickly instead of waiting for the timeout.
# tsc=unstable: sched_clock stays unstable, so the kernel never flips it to stable at run time.
# That flip patches a static branch in sched_clock_cpu() while the other vCPUs run it, and
# under TCG a vCPU executed the half-patched int3 ("Oops: int3" at boot, seen on 6.12).
cmdline="console=ttyS0,115200 panic=-1 oops=panic nmi_watchdog=0 tsc=unstable $append"
# shellcheck disable=SC2206
extra=($qemu_args)
cmd=("$qemu" -accel "$accel" -nographic -no-reboot -monitor none -serial stdio
     -m "$mem" -smp "$smp" -kernel "$kernel" -initrd "$initrd" -append "$cmdline"
     "${extra[@]}")

run() {
	rc=0
	if [ "$stream" = 1 ]; then
		timeout -k 10 "$timeout_s" "${cmd[@]}" </dev/null 2>&1 | tee "$logf" || true
		rc=${PIPESTATUS[0]}
	else
		timeout -k 10 "$timeout_s" "${cmd[@]}" </dev/null >"$logf" 2>&1 || rc=$?
	fi
}
run
# A guest that died before its init ran the test (OOMSNAP-GUEST-START) never reached anything
# of ours: that is the emulator or the kernel's boot, not a test failure. Boot once more, and
# say so on stdout, where the runners' output goes.
if ! grep -q 'OOMSNAP-GUEST-START' "$logf" && [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ]; then
	reason=$(grep -m1 -E 'Kernel panic|Oops|BUG:' "$logf" | tr -d '\r' || true)
	echo "# retry: the guest died while booting (${reason:-qemu exit $rc}); booting once more"
	cp "$logf" "$logf.first-boot"
	run
fi
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	log "timeout after ${timeout_s}s; console log kept in $logf"
	exit 124
fi
# QEMU exits 0 whatever the guest did: judge by the marker.
if grep -q '^OOMSNAP-GUEST-DONE' "$logf"; then
	exit 0
fi
reason=$(grep -m1 -E 'Kernel panic|BUG:|Oops' "$logf" || echo "no OOMSNAP-GUEST-DONE (qemu exit $rc)")
log "guest failed: ${reason//$'\r'/}; console log kept in $logf"
exit 1
