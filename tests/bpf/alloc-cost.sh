#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/bpf/alloc-cost.sh [RUNS] - what the BPF recorder costs the page allocator's success path,
# next to oomsnap.ko, measured as bench/alloc-cost.sh measures the module: Debian's 6.1 stock
# kernel in QEMU, tests/guest/allocbench (page faults on fresh anonymous memory and forks) RUNS
# times (default 5) in each state - nothing and oomsnap.ko loaded (alternating), oomsnap-bpf
# recording with its default hook (warn_alloc), with --alloc-hook tracepoint (the module's
# hook), nothing again - after one discarded warm-up run. QEMU runs with -icount shift=0,sleep=off,align=off:
# guest time counts executed instructions (1 ns each), so a run's time does not depend on the
# host's load and the ratios are exact to the run-to-run spread of the guest itself.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

runs=${1:-5}
args=${ALLOCBENCH_ARGS:--m 64 -i 16 -f 64}
eval "$("$here/../lib/build-module.sh" 6.1)"
make -s -C "$BUILD/bpf" >&2 || die "make -C bpf failed"
work=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-bpf-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/bench-guest.sh" <<GUEST
# a recorder is loaded once per block (the verifier runs a minute under TCG): RUNS runs each of
# nothing / module, then with the recorder (default hook), with the recorder (--alloc-hook
# tracepoint, the module's hook), and nothing again (no drift)
start_recorder() {
	oomsnap-bpf record -o /tmp/bench.raw "\$@" 2> /tmp/rec.err &
	pid=\$!
	while ! grep -q recording /tmp/rec.err 2>/dev/null; do
		[ -d /proc/\$pid ] || { echo "BENCH-FAILED recorder"; cat /tmp/rec.err; break; }
		sleep 1
	done
	# loading and attaching leave work behind (kworkers freeing the previous recorder's
	# maps and trampolines): let it finish, it is not the allocator's cost
	sleep 20
}
allocbench $args > /dev/null
i=0
while [ \$i -lt $runs ]; do
	echo "BENCH none \$(allocbench $args)"
	insmod /oomsnap/oomsnap.ko || echo "BENCH-FAILED insmod"
	echo "BENCH module \$(allocbench $args)"
	rmmod oomsnap || echo "BENCH-FAILED rmmod"
	i=\$((i + 1))
done
start_recorder
i=0
while [ \$i -lt $runs ]; do
	echo "BENCH bpf \$(allocbench $args)"
	i=\$((i + 1))
done
kill -INT \$pid; wait \$pid
start_recorder --alloc-hook tracepoint
i=0
while [ \$i -lt $runs ]; do
	echo "BENCH bpf-tp \$(allocbench $args)"
	i=\$((i + 1))
done
kill -INT \$pid; wait \$pid
sleep 2
i=0
while [ \$i -lt $runs ]; do
	echo "BENCH none-after \$(allocbench $args)"
	i=\$((i + 1))
done
GUEST
"$here/../lib/initramfs.sh" "$work/bench.cpio.gz" x86_64 "$work/bench-guest.sh" "$KO" \
	"$BUILD/bpf/oomsnap-bpf"
logf=$OOMSNAP_LOGS/bench-bpf-alloc-cost.log
"$here/../lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$work/bench.cpio.gz" --log "$logf" \
	--mem 512M --smp 1 --timeout 3600 --qemu-args "-icount shift=0,sleep=off,align=off"
grep -q BENCH-FAILED "$logf" && die "insmod/rmmod/recorder failed in the guest, see $logf"
tr -d '\r' < "$logf" | python3 -c '
import re, statistics, sys
runs = {"none": [], "module": [], "bpf": [], "bpf-tp": [], "none-after": []}
for line in sys.stdin:
    m = re.match(r"^BENCH (none|module|bpf|bpf-tp|none-after) allocbench: (\d+) ms", line)
    if m:
        runs[m.group(1)].append(int(m.group(2)))
if not runs["none"] or len(set(len(v) for v in runs.values())) != 1:
    sys.exit("alloc-cost: incomplete runs: %s" % runs)
a = statistics.median(runs["none"])
print("kernel:    '"$KVER"' (QEMU TCG, 1 vCPU, -icount shift=0: 1 ns per instruction)")
print("workload:  allocbench '"$args"' (each run)")
for k in ("none", "module", "bpf", "bpf-tp", "none-after"):
    print("%-9s  %s ms  median %.0f ms  ratio to none %.4f (minima %.4f)" % (
        k + ":", runs[k], statistics.median(runs[k]), statistics.median(runs[k]) / a,
        min(runs[k]) / min(runs["none"])))
'
