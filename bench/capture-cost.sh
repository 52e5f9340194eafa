#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/capture-cost.sh [ROUNDS] - what one capture costs, and what it adds to an OOM, measured
# by instruction count (QEMU -icount shift=0,sleep=off,align=off: the guest's clock advances
# 1 ns per instruction, so local_clock() stretches are instruction counts) on Debian's 6.1 stock
# kernel.
#
# The series, each a list (an empty one is skipped); one boot per guest size and per vCPU count:
#   CAPTURE_MEMS    guest memory, MB, 1 vCPU, the guest's own processes
#                   (default "256 512 1024 2048 4096 8192")
#   CAPTURE_SERIES_MEM  the guest size the series below run in (default 1024)
#   CAPTURE_SMPS    vCPUs (default "2 4 8"; 1 is the memory series' point)
#   CAPTURE_TASKS   extra sleeping processes, tests/guest/sleepers (default "1000 2500 5000")
#   CAPTURE_MEMCGS  memcgs below the OOMing one, the memhog in one of them (default "10 100 1000")
#   CAPTURE_CACHES  extra slab caches, oomsnap_storm's "caches N" (default "100 1000 5000")
#   CAPTURE_WALL    1: one more boot of CAPTURE_SERIES_MEM without -icount, whose times are
#                   the TCG host's wall clock (default 1)
# Each point runs ROUNDS rounds (default 3) after a discarded warm-up, each round, in turn:
#   alloc   oomsnap.ko loaded fresh; one order-10 GFP_NOWAIT request that fails for real
#           (oomsnap_storm: every top-order block pinned), captured
#   memcg   a memhog in a cgroup with memory.max 32M: a memcg OOM kill; once without oomsnap.ko,
#           once with it
#   global  a memhog without limit: a global OOM kill; once without, once with
# oomsnap.ko is loaded fresh for each event, so its stats peaks (capture_ns_max, irqoff_ns_max,
# zone_lock_ns_max: local_clock() ns) belong to that one capture; oomsnap_hookcost hook=oomtime
# (loaded after oomsnap.ko) times out_of_memory() entry to the victim in both states.
# Prints a table per point, the medians, and writes bench/results/capture-cost.csv (one row per
# event; CAPTURE_CSV overrides) and its plot, capture-cost.png (one panel per series).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib/common.sh"

rounds=${1:-3}
mems=${CAPTURE_MEMS-256 512 1024 2048 4096 8192}
series_mem=${CAPTURE_SERIES_MEM:-1024}
smps=${CAPTURE_SMPS-2 4 8}
tasks=${CAPTURE_TASKS-1000 2500 5000}
memcgs=${CAPTURE_MEMCGS-10 100 1000}
caches=${CAPTURE_CACHES-100 1000 5000}
wall=${CAPTURE_WALL:-1}
csv=${CAPTURE_CSV:-$here/results/capture-cost.csv}
eval "$("$here/build-hookcost.sh" 6.1)"
work=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-capture.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/bench-guest.sh" <<GUEST
S=/sys/kernel/debug/oomsnap_storm
D=/sys/kernel/debug/oomsnap
P=/sys/module/oomsnap_hookcost/parameters
C=/sys/fs/cgroup
mem=0 points=base:0 clock=icount
for arg in \$(cat /proc/cmdline); do
	case \$arg in bench.points=*) points=\$(echo \${arg#*=} | tr , ' ') ;;
	bench.mem=*) mem=\${arg#*=} ;;
	bench.clock=*) clock=\${arg#*=} ;;
	esac
done
# vCPUs past the first come up here: at boot, under -icount, they never do (see boot())
for c in /sys/devices/system/cpu/cpu[1-9]*; do [ -e \$c/online ] && echo 1 > \$c/online; done
smp=\$(grep -c ^processor /proc/cpuinfo)
echo 1 > /proc/sys/vm/oom_dump_tasks
echo -1000 > /proc/self/oom_score_adj
insmod /oomsnap/oomsnap_storm.ko || echo "BENCH-FAILED insmod storm"
echo +memory > \$C/cgroup.subtree_control
mkdir \$C/m
echo 32M > \$C/m/memory.max
mg=\$C/m	# where the memcg OOM's memhog runs
stat() { awk -v k=\$1 '\$1 == k { print \$2 }' \$D/stats; }
up() {	# with|without
	if [ \$1 = with ]; then
		insmod /oomsnap/oomsnap.ko || echo "BENCH-FAILED insmod oomsnap"
		[ -n "\$ringinfo" ] || ringinfo=\$(dmesg | grep -o 'capturing into.*' | tail -n 1)
	fi
	insmod /oomsnap/oomsnap_hookcost.ko hook=oomtime || echo "BENCH-FAILED insmod hookcost"
}
down() {	# state event
	line="CAP clock=\$clock mem=\$mem smp=\$smp tasks=\$ntasks memcgs=\$nmemcgs caches=\$ncaches"
	line="\$line state=\$1 event=\$2 oom_ns=\$(cat \$P/oom_ns) ooms=\$(cat \$P/ooms)"
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
alloc_event() {
	echo hold > \$S/control
	up with
	echo "storm task 1 nowait" > \$S/control
	while grep -q 'running [1-9]' \$S/status; do sleep 1; done
	down with alloc
	echo release > \$S/control
}
memcg_event() {	# state
	up \$1
	MG=\$mg sh -c 'echo \$\$ > \$MG/cgroup.procs; echo 0 > /proc/self/oom_score_adj; exec memhog -c 4' > /dev/null 2>&1
	down \$1 memcg
}
global_event() {	# state
	up \$1
	sh -c 'echo 0 > /proc/self/oom_score_adj; exec memhog -c 4' > /dev/null 2>&1
	down \$1 global
}
# A point: KIND:N, base:0 (the guest as booted), tasks:N extra sleeping processes,
# memcgs:N memcgs below the OOMing one (the memhog in the first), caches:N extra slab caches.
setup() {	# kind n
	case \$1 in
	tasks)
		rm -f /tmp/sleepers.out
		sleepers \$2 > /tmp/sleepers.out &
		sp=\$!
		while ! grep -q ready /tmp/sleepers.out; do sleep 1; done ;;
	memcgs)
		mkdir \$C/g\$2
		echo 32M > \$C/g\$2/memory.max
		echo +memory > \$C/g\$2/cgroup.subtree_control
		i=0
		while [ \$i -lt \$2 ]; do mkdir \$C/g\$2/c\$i; i=\$((i + 1)); done
		mg=\$C/g\$2/c0 ;;
	caches)
		echo "caches \$2" > \$S/control || echo "BENCH-FAILED caches \$2" ;;
	esac
}
teardown() {	# kind n
	case \$1 in
	tasks)	{ kill \$sp; wait \$sp; } 2>/dev/null ;;
	memcgs)	rmdir \$C/g\$2/c* \$C/g\$2; mg=\$C/m ;;
	caches)	echo "caches 0" > \$S/control ;;
	esac
}
# warm-up: one of each, discarded
ntasks=0 nmemcgs=0 ncaches=0
alloc_event > /dev/null; memcg_event without > /dev/null; global_event without > /dev/null
for p in \$points; do
	kind=\${p%%:*} n=\${p#*:}
	ntasks=0 nmemcgs=0 ncaches=0
	case \$kind in tasks) ntasks=\$n ;; memcgs) nmemcgs=\$n ;; caches) ncaches=\$n ;; esac
	setup \$kind \$n
	echo "CAP-POINT clock=\$clock mem=\$mem smp=\$smp tasks=\$ntasks memcgs=\$nmemcgs caches=\$ncaches" \
		"procs=\$(ls -d /proc/[0-9]* | wc -l)" \
		"memcg_groups=\$(awk '\$1 == "memory" { print \$3 }' /proc/cgroups)" \
		"slab_caches=\$((\$(wc -l < /proc/slabinfo) - 2))"
	r=0
	while [ \$r -lt $rounds ]; do
		alloc_event
		for st in without with; do
			memcg_event \$st
			global_event \$st
		done
		r=\$((r + 1))
	done
	teardown \$kind \$n
done
echo "CAP-RING \$ringinfo"
GUEST
"$here/../tests/lib/initramfs.sh" "$work/bench.cpio.gz" x86_64 "$work/bench-guest.sh" "$KO" \
	"$HOOKCOST_KO" "$STORM_KO"
: > "$work/all.log"
# maxcpus=1: with -icount (QEMU 7.2's round-robin TCG) the boot stops at "x86: Booting SMP
# configuration" and the guest's clock with it; CPUs put online after boot come up.
boot() {	# MEM_MB SMP POINTS CLOCK
	local m=$1 smp=$2 points=$3 clock=$4 logf start qargs=
	logf=$OOMSNAP_LOGS/bench-capture-cost-${m}M-${smp}cpu-$clock.log
	[ "$clock" = icount ] && qargs="-icount shift=0,sleep=off,align=off"
	start=$(now)
	"$here/../tests/lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$work/bench.cpio.gz" \
		--log "$logf" --mem "${m}M" --smp "$smp" --timeout 7200 \
		--append "bench.mem=$m bench.points=$points bench.clock=$clock maxcpus=1" \
		--qemu-args "$qargs" || die "guest of ${m} MB, $smp vCPUs failed, see $logf"
	grep -q BENCH-FAILED "$logf" && die "a guest step failed, see $logf"
	log "${m} MB, $smp vCPUs, $clock: guest ran $(( $(now) - start )) s (host time)"
	tr -d '\r' < "$logf" >> "$work/all.log"
}
series=base:0
for n in $tasks; do series="$series,tasks:$n"; done
for n in $memcgs; do series="$series,memcgs:$n"; done
for n in $caches; do series="$series,caches:$n"; done
for m in $mems; do
	if [ "$m" = "$series_mem" ]; then boot "$m" 1 "$series" icount; else boot "$m" 1 base:0 icount; fi
done
for c in $smps; do boot "$series_mem" "$c" base:0 icount; done
[ "$wall" = 1 ] && boot "$series_mem" 1 base:0 wall
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
