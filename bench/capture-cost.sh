#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/capture-cost.sh [ROUNDS] - what one capture costs, and what it adds to an OOM, measured
# by instruction count (QEMU -icount shift=0,sleep=off,align=off: the guest's clock advances
# 1 ns per instruction, so local_clock() stretches are instruction counts) on Debian's 6.1 stock
# kernel, 1 vCPU.
#
# One boot per guest memory size in CAPTURE_MEMS (MB, default "256 512 1024 2048"); in each,
# for each task count (0: only the guest's own; in the boot of CAPTURE_TASKS_MEM MB, default
# 1024, each count of CAPTURE_TASKS, default "0 1000 2500 5000"), that many extra sleeping
# processes (tests/guest/sleepers) are started, then ROUNDS rounds (default 3) of, in turn:
#   alloc   oomsnap.ko loaded fresh; one order-10 GFP_NOWAIT request that fails for real
#           (oomsnap_storm: every top-order block pinned), captured
#   memcg   a memhog in a cgroup with memory.max 32M: a memcg OOM kill; once without oomsnap.ko,
#           once with it
#   global  a memhog without limit: a global OOM kill; once without, once with
# oomsnap.ko is loaded fresh for each event, so its stats peaks (capture_ns_max, irqoff_ns_max,
# zone_lock_ns_max: local_clock() ns) belong to that one capture; oomsnap_hookcost hook=oomtime
# (loaded after oomsnap.ko) times out_of_memory() entry to the victim in both states.
# Prints a table per size, the medians, and writes bench/results/capture-cost.csv (one row per
# event; CAPTURE_CSV overrides).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib/common.sh"

rounds=${1:-3}
mems=${CAPTURE_MEMS:-256 512 1024 2048}
tasks=${CAPTURE_TASKS:-0 1000 2500 5000}
tasks_mem=${CAPTURE_TASKS_MEM:-1024}
csv=${CAPTURE_CSV:-$here/results/capture-cost.csv}
eval "$("$here/build-hookcost.sh" 6.1)"
work=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-capture.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/bench-guest.sh" <<GUEST
S=/sys/kernel/debug/oomsnap_storm
D=/sys/kernel/debug/oomsnap
P=/sys/module/oomsnap_hookcost/parameters
mem=0 tasks=0
for arg in \$(cat /proc/cmdline); do
	case \$arg in bench.tasks=*) tasks=\$(echo \${arg#*=} | tr , ' ') ;;
	bench.mem=*) mem=\${arg#*=} ;;
	esac
done
echo 1 > /proc/sys/vm/oom_dump_tasks
echo -1000 > /proc/self/oom_score_adj
insmod /oomsnap/oomsnap_storm.ko || echo "BENCH-FAILED insmod storm"
mkdir /sys/fs/cgroup/m
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
echo 32M > /sys/fs/cgroup/m/memory.max
stat() { awk -v k=\$1 '\$1 == k { print \$2 }' \$D/stats; }
up() {	# with|without
	if [ \$1 = with ]; then
		insmod /oomsnap/oomsnap.ko || echo "BENCH-FAILED insmod oomsnap"
		[ -n "\$ringinfo" ] || ringinfo=\$(dmesg | grep -o 'capturing into.*' | tail -n 1)
	fi
	insmod /oomsnap/oomsnap_hookcost.ko hook=oomtime || echo "BENCH-FAILED insmod hookcost"
}
down() {	# state event tasks
	line="CAP mem=\$mem tasks=\$3 state=\$1 event=\$2 oom_ns=\$(cat \$P/oom_ns) ooms=\$(cat \$P/ooms)"
	if [ \$1 = with ]; then
		sleep 1	# a record without victim is published from a 20 ms work
		line="\$line captured=\$(stat captured) capture_ns=\$(stat capture_ns_max)"
		line="\$line irqoff_ns=\$(stat irqoff_ns_max) zone_lock_ns=\$(stat zone_lock_ns_max)"
		line="\$line capped=\$(grep -c 'scan stopped after' \$D/last)"
		rmmod oomsnap_hookcost; rmmod oomsnap || echo "BENCH-FAILED rmmod oomsnap"
	else
		rmmod oomsnap_hookcost
	fi
	echo "\$line"
}
alloc_event() {	# tasks
	echo hold > \$S/control
	up with
	echo "storm task 1 nowait" > \$S/control
	while grep -q 'running [1-9]' \$S/status; do sleep 1; done
	down with alloc \$1
	echo release > \$S/control
}
memcg_event() {	# state tasks
	up \$1
	sh -c 'echo \$\$ > /sys/fs/cgroup/m/cgroup.procs; echo 0 > /proc/self/oom_score_adj; exec memhog -c 4' > /dev/null 2>&1
	down \$1 memcg \$2
}
global_event() {	# state tasks
	up \$1
	sh -c 'echo 0 > /proc/self/oom_score_adj; exec memhog -c 4' > /dev/null 2>&1
	down \$1 global \$2
}
# warm-up: one of each, discarded
alloc_event 0 > /dev/null; memcg_event without 0 > /dev/null; global_event without 0 > /dev/null
for n in \$tasks; do
	sp=
	if [ \$n -gt 0 ]; then
		rm -f /tmp/sleepers.out
		sleepers \$n > /tmp/sleepers.out &
		sp=\$!
		while ! grep -q ready /tmp/sleepers.out; do sleep 1; done
	fi
	echo "CAP-TASKS \$n \$(ls -d /proc/[0-9]* | wc -l) processes"
	r=0
	while [ \$r -lt $rounds ]; do
		alloc_event \$n
		for st in without with; do
			memcg_event \$st \$n
			global_event \$st \$n
		done
		r=\$((r + 1))
	done
	[ -n "\$sp" ] && { kill \$sp; wait \$sp; } 2>/dev/null
done
echo "CAP-RING \$ringinfo"
GUEST
"$here/../tests/lib/initramfs.sh" "$work/bench.cpio.gz" x86_64 "$work/bench-guest.sh" "$KO" \
	"$HOOKCOST_KO" "$STORM_KO"
: > "$work/all.log"
for m in $mems; do
	logf=$OOMSNAP_LOGS/bench-capture-cost-${m}M.log
	t=0
	[ "$m" = "$tasks_mem" ] && t=$(echo $tasks | tr ' ' ,)
	start=$(now)
	"$here/../tests/lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$work/bench.cpio.gz" \
		--log "$logf" --mem "${m}M" --smp 1 --timeout 5400 --append "bench.mem=$m bench.tasks=$t" \
		--qemu-args "-icount shift=0,sleep=off,align=off" ||
		die "guest of ${m} MB failed, see $logf"
	grep -q BENCH-FAILED "$logf" && die "insmod/rmmod failed in the guest, see $logf"
	log "${m} MB: guest ran $(( $(now) - start )) s (host time)"
	tr -d '\r' < "$logf" >> "$work/all.log"
done
mkdir -p "$(dirname "$csv")"
python3 "$here/capture-cost-report.py" --kernel "$KVER" --csv "$csv" --date "$(date -u +%F)" \
	< "$work/all.log"
png=${csv%.csv}.png
for py in python3 /usr/bin/python3; do
	if "$py" -c 'import matplotlib' 2>/dev/null; then
		"$py" "$here/plot.py" "$csv" "$png"
		exit 0
	fi
done
warn "matplotlib not available: no plot (the CSV and the table hold the figures)"
