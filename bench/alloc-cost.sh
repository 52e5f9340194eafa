#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/alloc-cost.sh [RUNS] - what oomsnap.ko costs the page allocator's success path.
# Boots Debian's 6.1 stock kernel in QEMU once and runs tests/guest/allocbench (page faults on
# fresh anonymous memory and forks: every one allocates pages) RUNS times (default 9) without
# and RUNS times with the module loaded, alternating, after one discarded warm-up run.
# Prints every run and the ratios with/without of the medians and of the minima (the host's
# other load only ever adds time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib/common.sh"

runs=${1:-9}
args=${ALLOCBENCH_ARGS:--m 32 -i 8 -f 32}
eval "$("$here/../tests/lib/build-module.sh" 6.1)"
work=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/bench-guest.sh" <<GUEST
allocbench $args > /dev/null
i=0
while [ \$i -lt $runs ]; do
	echo "BENCH without \$(allocbench $args)"
	insmod /oomsnap/oomsnap.ko || echo "BENCH-FAILED insmod"
	echo "BENCH with \$(allocbench $args)"
	rmmod oomsnap || echo "BENCH-FAILED rmmod"
	i=\$((i + 1))
done
GUEST
"$here/../tests/lib/initramfs.sh" "$work/bench.cpio.gz" x86_64 "$work/bench-guest.sh" "$KO"
logf=$OOMSNAP_LOGS/bench-alloc-cost.log
"$here/../tests/lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$work/bench.cpio.gz" --log "$logf" \
	--mem 512M --smp 1 --timeout 1800
grep -q BENCH-FAILED "$logf" && die "insmod/rmmod failed in the guest, see $logf"
tr -d '\r' < "$logf" | python3 -c '
import re, statistics, sys
runs = {"without": [], "with": []}
for line in sys.stdin:
    m = re.match(r"^BENCH (without|with) allocbench: (\d+) ms", line)
    if m:
        runs[m.group(1)].append(int(m.group(2)))
if not runs["without"] or len(runs["without"]) != len(runs["with"]):
    sys.exit("alloc-cost: incomplete runs: %s" % runs)
a, b = statistics.median(runs["without"]), statistics.median(runs["with"])
print("kernel:         '"$KVER"' (QEMU TCG, 1 vCPU)")
print("workload:       allocbench '"$args"' (each run)")
print("without module: %s ms  median %.0f ms" % (runs["without"], a))
print("with module:    %s ms  median %.0f ms" % (runs["with"], b))
print("ratio with/without (medians): %.3f" % (b / a))
print("ratio with/without (minima):  %.3f" % (min(runs["with"]) / min(runs["without"])))
'
