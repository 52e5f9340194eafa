# SPDX-License-Identifier: GPL-2.0
# The stress suite's guest (tests/stress/run.sh): oomsnap.ko under storms on every CPU of a
# debug kernel. Busybox sh. The length comes from the kernel command line:
# oomsnap.stress=short|long. Prints, in the grammar of tests/lib/guest.sh, a check per
# OOMSNAP-TEST line, what BENCHMARKS.md reports as figures, kernel splats and context as
# OOMSNAP-DMESG excerpts.
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
D=/sys/kernel/debug/oomsnap
S=/sys/kernel/debug/oomsnap_storm
CG=/sys/fs/cgroup
mode=short
failures= phases= cycles=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	oomsnap.stress=*) mode=${arg#*=} ;;
	oomsnap.phases=*) phases=$(echo "${arg#*=}" | tr , ' ') ;;	# a subset, to debug one
	oomsnap.failures=*) failures=${arg#*=} ;;	# per storm context
	oomsnap.cycles=*) cycles=${arg#*=} ;;		# insmod/rmmod cycles
	esac
done
if [ "$mode" = long ]; then
	storm_s=60 memcgs=200 cycles=${cycles:-1000} failures=${failures:-25000}
else
	storm_s=10 memcgs=100 cycles=${cycles:-100} failures=${failures:-2000}
fi

# Whether phase $1 runs: every phase unless oomsnap.phases= names some.
want() {
	[ -z "$phases" ] && return 0
	for ph in $phases; do [ "$ph" = "$1" ] && return 0; done
	return 1
}
stat() { awk -v k="$1" '$1 == k { print $2 }' "$D/stats"; }
storm_stat() { awk -v k="$1" '$1 == k { print $2 }' "$S/status"; }
uptime_s() { cut -d. -f1 /proc/uptime; }
# Wait for the storm module's contexts to finish, saying how far they are every 30 s.
wait_storm() {
	t=0
	while [ "$(storm_stat running)" != 0 ]; do
		[ $((t % 30)) = 29 ] && echo "stress: storm $1: $(tr '\n' ' ' <$S/status)"
		[ $t -ge 900 ] && return 1
		sleep 1
		t=$((t + 1))
	done
}

# splats: the kernel's reports since boot that fail the suite (tests/stress/splats.sh).
# shellcheck source=tests/stress/splats.sh
. /oomsnap/splats.sh

echo "stress: mode $mode, $(nproc) CPUs, $(awk '/MemTotal/ { print $2 }' /proc/meminfo) kB"
# The OOM killer must choose the hogs, never this script or its readers; hogs say so themselves.
echo -1000 >/proc/self/oom_score_adj
# Hundreds of OOM reports, each listing every task, take minutes under TCG: headers only.
echo 0 >/proc/sys/vm/oom_dump_tasks
# A task blocked past the hung-task timeout fails the run. The kernel's default timeout is 120 s
# on hardware; the config's 60 s is met under TCG on a busy 2-core host by waits that do end:
# kprobe (un)optimisation waits for RCU-tasks grace periods, which wait for every vCPU thread,
# and two runs with other guests beside them saw the script's write to kprobes-optimization and
# an insmod blocked past 61 s (and then finish). 240 s keeps a deadlock fatal in a 1,800 s run.
[ -e /proc/sys/kernel/hung_task_timeout_secs ] && echo 240 >/proc/sys/kernel/hung_task_timeout_secs
# Nothing the kernel reported before oomsnap is oomsnap's.
baseline=$(splats | wc -l)
figure baseline_splats "$baseline"
splats | head -n 5 | excerpt "before load"
[ -e /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm
echo +memory >$CG/cgroup.subtree_control

insmod /oomsnap/oomsnap.ko ring_size=1024 capture_nowarn=1
check load "insmod failed" test -e $D/raw

# ---- settings that don't parse change nothing ----------------------------------------------
p=/sys/module/oomsnap/parameters
before=$(cat $p/walk_limit $p/task_scan_limit | tr '\n' ' ')
echo 4097 >$p/walk_limit 2>/dev/null
echo 0 >$p/task_scan_limit 2>/dev/null
echo 99999999999 >$p/walk_limit 2>/dev/null
check param-bounds "walk_limit/task_scan_limit took out-of-range values: $(cat $p/walk_limit $p/task_scan_limit | tr '\n' ' ')" \
	test "$(cat $p/walk_limit $p/task_scan_limit | tr '\n' ' ')" = "$before"

insmod /oomsnap/oomsnap_storm.ko
# Every minute: still alive, and the newest splat or hung-task report, if any.
(while sleep 60; do
	echo "stress: alive at $(uptime_s) s"
	splats | tail -n 2 | excerpt watchdog
done) &
alive_pid=$!

# ---- readers racing the writers ------------------------------------------------------------
rawfollow >/tmp/rawfollow.out 2>&1 &
follow_pid=$!
(while :; do cat $D/events >/dev/null; cat $D/raw >/dev/null; cat $D/last >/dev/null
	cat $D/stats >/dev/null; sleep 0.1; done) 2>/dev/null &
cat_pid=$!
oomsnap watch --count 1000000 >/dev/null 2>&1 &
watch_pid=$!
(while :; do echo snapshot >$D/control; echo capture_nowarn=1 >$D/control
	echo bogus >$D/control; echo ratelimit=5000,10 >$D/control; sleep 0.2; done) 2>/dev/null &
ctl_pid=$!

# ---- allocation failures from every context ---------------------------------------------------
if want alloc; then
echo hold >$S/control
figure storm_pinned_pages "$(storm_stat held)"
# the irqsoff tracer slows every IRQ on/off under TCG: the long form only
[ "$mode" = long ] && [ -e /sys/kernel/debug/tracing/current_tracer ] &&
	echo irqsoff >/sys/kernel/debug/tracing/current_tracer &&
	echo 0 >/sys/kernel/debug/tracing/tracing_max_latency
fail0=$(stat alloc_failure)
t0=$(uptime_s)
for spec in "hardirq atomic" "softirq atomic_nowarn" "hardirq noreclaim" "task nowait" \
	    "softirq noreclaim"; do
	echo "storm $(echo "$spec" | cut -d' ' -f1) $failures $(echo "$spec" | cut -d' ' -f2)" >$S/control
	wait_storm "$spec" || notok "storm $spec" "still running after 900 s"
	echo "stress: storm $spec done: $(tr '\n' ' ' <$S/status)"
done
echo "storm task 50 kernel" >$S/control
wait_storm "task kernel"
t1=$(uptime_s)
if [ "$mode" = long ] && [ -e /sys/kernel/debug/tracing/tracing_max_latency ]; then
	figure irqsoff_tracer_max_us "$(cat /sys/kernel/debug/tracing/tracing_max_latency)"
	grep -m3 -E '^ *[^#].*(=>|\+)' /sys/kernel/debug/tracing/trace | excerpt irqsoff
	echo nop >/sys/kernel/debug/tracing/current_tracer
fi
storm_failed=$(storm_stat failed)
figure storm_failures "$storm_failed"
figure storm_seconds "$((t1 - t0))"
figure storm_failures_per_s "$((storm_failed / (t1 - t0 + 1)))"
order=$(awk '$1 ~ /^alloc_failure_order_/ && $2 > 0 { o = $1 } END { print o }' $D/stats)
seen=$(stat "$order")
check alloc-failures-all-seen "storm failed $storm_failed times at the top order, oomsnap counted $seen ($order)" \
	test "$seen" = "$storm_failed"
echo release >$S/control

fi

# ---- global OOM storm: a hog per CPU, and stress-ng's memory stressors ------------------------
if want global; then
# The storm module eats all but 128 MB: every hog reaches the OOM killer within seconds.
avail_mb=$(($(awk '/MemAvailable/ { print $2 }' /proc/meminfo) / 1024))
echo "eat $((avail_mb - 128))" >$S/control
oom0=$(stat oom)
t0=$(uptime_s)
end=$((t0 + storm_s))
# The storm lasts storm_s, and past that until the first global OOM (a slow or busy host
# reclaims for a long time before it declares one), 120 s more at most.
rm -f /tmp/global-stop
i=0 hog_pids=
while [ $i -lt "$(nproc)" ]; do
	(while [ ! -e /tmp/global-stop ]; do hog -c 8 >/dev/null 2>&1; done) &
	hog_pids="$hog_pids $!"
	i=$((i + 1))
done
if [ -x /oomsnap/stress-ng ]; then
	/oomsnap/stress-ng --timeout "${storm_s}s" --brk 1 --bigheap 1 --stack 1 --vm 1 \
		--vm-bytes 90% --mlock 1 --memfd 1 --shm 1 --oom-pipe 1 --metrics-brief \
		>/tmp/stress-ng.out 2>&1 &
	sng_pid=$!
else
	sng_pid=
	notok stress-ng "not in the guest"
fi
first_oom=
while now=$(uptime_s); [ "$now" -lt $((end + 120)) ]; do
	[ -z "$first_oom" ] && [ "$(stat oom)" -gt "$oom0" ] && first_oom=$((now - t0))
	[ "$now" -ge $end ] && [ -n "$first_oom" ] && break
	sleep 1
done
touch /tmp/global-stop
# the storm ends on time: hogs still filling memory are stopped, not waited for
# shellcheck disable=SC2086
kill $hog_pids 2>/dev/null
killall -9 memhog 2>/dev/null
# shellcheck disable=SC2086
wait $hog_pids
[ -n "$sng_pid" ] && { wait "$sng_pid"; tail -n 3 /tmp/stress-ng.out | excerpt stress-ng; }
# stress-ng's --shm workers killed by the OOM killer leave their segments in /dev/shm, memory
# no kill frees: drop them, or the phases after run on a host already full.
echo "stress: global: $(du -sk /dev/shm | cut -f1) kB left in /dev/shm, removed"
rm -rf /dev/shm/*
sleep 2
echo release >$S/control
t1=$(uptime_s)
figure global_storm_seconds "$((t1 - t0))"
figure global_ooms "$(($(stat oom) - oom0))"
figure global_first_oom_seconds "${first_oom:-none}"
check global-ooms "no global OOM in $((t1 - t0))s of hogs" test "$(($(stat oom) - oom0))" -gt 0

fi

# ---- memcg storm: many groups at their limit at once, and a global OOM meanwhile -----------------
if want memcg; then
# Plain int3 kprobes (no ftrace, not optimized into a jump) run their handlers as NMIs: the
# memcg OOM's capture then happens when the victim is marked. Keep them plain here.
[ -e /proc/sys/debug/kprobes-optimization ] && echo 0 >/proc/sys/debug/kprobes-optimization && sleep 1
memcg0=$(stat memcg_oom)
t0=$(uptime_s)
i=0 hog_pids=
while [ $i -lt $memcgs ]; do
	mkdir -p $CG/storm$i
	echo 2M >$CG/storm$i/memory.max
	echo 0 >$CG/storm$i/memory.swap.max 2>/dev/null
	i=$((i + 1))
done
# all at once: each hog starts only when every group exists
i=0
while [ $i -lt $memcgs ]; do
	sh -c "echo \$\$ >$CG/storm$i/cgroup.procs; echo 0 >/proc/self/oom_score_adj
		exec memhog -c 1 >/dev/null 2>&1" &
	hog_pids="$hog_pids $!"
	i=$((i + 1))
done
hog -c 8 >/dev/null 2>&1 &
hog_pids="$hog_pids $!"
t=0
while :; do
	left=0
	for pid in $hog_pids; do kill -0 "$pid" 2>/dev/null && left=$((left + 1)); done
	[ $left = 0 ] && break
	[ $((t % 30)) = 29 ] && echo "stress: memcg storm: $left hogs left, $(($(stat memcg_oom) - memcg0)) memcg OOMs"
	if [ $t -ge 600 ]; then
		notok memcg-storm-ends "$left hogs still alive after 600 s"
		# shellcheck disable=SC2086
		kill -9 $hog_pids 2>/dev/null
		break
	fi
	sleep 1
	t=$((t + 1))
done
# shellcheck disable=SC2086
wait $hog_pids
t1=$(uptime_s)
figure memcg_storm_seconds "$((t1 - t0))"
figure memcg_ooms "$(($(stat memcg_oom) - memcg0))"
killed=$(dmesg | grep -c 'Memory cgroup out of memory')
check memcg-ooms "$memcgs groups at their limit, $(($(stat memcg_oom) - memcg0)) memcg OOMs seen, $killed in dmesg" \
	test "$(($(stat memcg_oom) - memcg0))" -ge "$memcgs"
i=0
while [ $i -lt $memcgs ]; do rmdir $CG/storm$i; i=$((i + 1)); done
# With plain int3 kprobes (this kernel has no ftrace-based ones, and optimization is off) the
# entry probe runs as an NMI: every memcg record must then have been taken when the victim
# was marked, and say so; with ftrace or optimized kprobes, none.
oomsnap-rawdump >/tmp/raw-memcg.json 2>/dev/null
haves=$(grep '"type":2,' /tmp/raw-memcg.json | sed -n 's/^{[^{]*"have":\([0-9]*\).*/\1/p')
n2=0 late=0
for h in $haves; do
	n2=$((n2 + 1))
	[ $((h & 16384)) = 0 ] || late=$((late + 1))
done
if grep -q 'out_of_memory.*\(FTRACE\|OPTIMIZED\)' /sys/kernel/debug/kprobes/list ||
   [ ! -e /proc/sys/debug/kprobes-optimization ]; then
	check memcg-records-when-taken "$late of $n2 memcg records marked after-kill with ftrace kprobes" \
		test "$n2" -gt 0 -a "$late" = 0
else
	check memcg-records-when-taken "$late of $n2 memcg records marked after-kill (int3 kprobes)" \
		test "$n2" -gt 0 -a "$late" = "$n2"
fi
[ -e /proc/sys/debug/kprobes-optimization ] && echo 1 >/proc/sys/debug/kprobes-optimization

fi

# ---- the same task OOMs twice, with kprobes disarmed in between ------------------------------
# A (unkillable) fills its group, whose OOM kills B; kprobes go off; A, now in the root group,
# allocates again with the host full (kernel pages eaten, C holding the rest) and the global
# OOM kills C: that record must not carry A's first oom_control (a dead stack frame by then).
if want twice; then
mkdir -p $CG/twice
echo 24M >$CG/twice/memory.max
sh -c "echo \$\$ >$CG/twice/cgroup.procs; echo 0 >/proc/self/oom_score_adj
	exec memhog -c 2 -l 16 -r /tmp/b.ready" >/dev/null 2>&1 &
b_pid=$!
wait_for 60 test -e /tmp/b.ready || echo "stress: twice: B not ready"
# A's second allocation, 40 MB, must not fit without an OOM and must fit once C is killed: more
# than is left above the min watermarks when C holds all that is available but 8 MB (8 MB and
# the zones' high - min, 16 MB on Debian's production kernel), less than C holds (the eat below
# leaves 64 MB above the high watermarks: C gets 56 MB or more). With A's old 16 MB the kernel
# sometimes found them by reclaim and reported no global OOM of A's.
a_more=40
sh -c "echo -1000 >/proc/self/oom_score_adj; echo \$\$ >$CG/twice/cgroup.procs
	exec memhog -w $a_more -c 2 -l 16 -r /tmp/a.ready" >/tmp/a.out 2>&1 &
a_pid=$!
wait_for 60 test -e /tmp/a.ready || echo "stress: twice: A not ready: $(cat /tmp/a.out)"
wait $b_pid
echo $a_pid >$CG/cgroup.procs
echo 0 >/sys/kernel/debug/kprobes/enabled
last_before=$(stat last_seq)
# The readers' loops (and the minute's "alive") fork all the time, and once the host is full a
# fork's allocation OOMs as A's does: the first OOM kills C, and if it is not A's, A then finds
# room and never OOMs a second time. A run saw the last OOM after A went on come from "exe"
# (busybox re-executing itself for an applet), which the check, then taking the last report
# with A's oom_score_adj and the last global record, took for A's. The loops pause until the
# phase ends, the script waits for C without forking, and the check takes A's own.
loops="$cat_pid $ctl_pid $alive_pid"
# shellcheck disable=SC2086
kill -STOP $loops
# Eat what is free but the zones' high watermarks and 64 MB: C's fork must find memory, as
# nothing but C may be killed (A and this script are exempt: an OOM before C exists panics the
# kernel, "System is deadlocked on memory"). Watermark boosting is off meanwhile: eating
# unmovable pages steals movable pageblocks, and each theft boosts the zone's watermarks (up to
# 150 % of high), which on Debian's production kernel (THP: min 32 MB of 688 MB) raised DMA32's
# min from 32 to 104 MB while the eat left 64 MB free, and the next fork panicked the kernel.
# A factor of 0 stops new boosts but leaves those in place (the storms before leave DMA32's at
# 150 % of high), and MemAvailable does not see them (it subtracts totalreserve_pages, the
# unboosted high watermarks): C, sized from it, went past the boosted min watermark, never held
# its size (its "ready" never came) and was once OOM-killed itself before A went on, so that A
# found room without an OOM. Rewriting watermark_scale_factor recomputes the watermarks, which
# zeroes every zone's boost (__setup_per_zone_wmarks(), 6.1 and 6.12). C then takes what is
# available but 8 MB.
boost_pages() { awk '$1 == "boost" { t += $2 } END { print t + 0 }' /proc/zoneinfo; }
boost_factor=$(cat /proc/sys/vm/watermark_boost_factor)
echo 0 >/proc/sys/vm/watermark_boost_factor
boost_before=$(boost_pages)
scale_factor=$(cat /proc/sys/vm/watermark_scale_factor)
echo "$scale_factor" >/proc/sys/vm/watermark_scale_factor
echo "stress: twice: watermark boosts $boost_before pages, after the rewrite $(boost_pages)"
free_mb=$(($(awk '/MemFree/ { print $2 }' /proc/meminfo) / 1024))
high_mb=$(awk '$1 == "high" { t += $2 } END { print int(t * 4 / 1024) }' /proc/zoneinfo)
echo "stress: twice: $free_mb MB free before eating, zones' high watermarks $high_mb MB"
[ "$free_mb" -gt $((high_mb + 64)) ] && echo "eat $((free_mb - high_mb - 64))" >$S/control
avail_mb=$(($(awk '/MemAvailable/ { print $2 }' /proc/meminfo) / 1024))
c_mb=$((avail_mb - 8))
sh -c 'echo 1000 >/proc/self/oom_score_adj; exec memhog -c 2 -l '$c_mb' -r /tmp/c.ready' \
	>/dev/null 2>&1 &
c_pid=$!
c_ready=
wait_for 60 test -e /tmp/c.ready && c_ready=yes
[ "$c_ready" ] || echo "stress: twice: C not ready ($avail_mb MB available)"
echo "stress: twice: $(storm_stat eaten) pages eaten, C holds $c_mb MB, A goes on for $a_more MB"
# A's reports from here on: its first (memcg) OOM carries the same oom_score_adj
log_mark=$(dmesg | wc -l)
rm -f /tmp/c.guard
(sleep 60; kill -9 $c_pid 2>/dev/null && echo 60 >/tmp/c.guard) &
guard_pid=$!
sleep 1		# the guard's sleep forks now, not once the host is full
kill -USR1 $a_pid
wait $c_pid 2>/dev/null
kill $guard_pid 2>/dev/null
[ -e /tmp/c.guard ] && echo "stress: twice: C still alive after 60 s, killed"
echo 1 >/sys/kernel/debug/kprobes/enabled
kill -9 $a_pid 2>/dev/null
wait $a_pid $guard_pid 2>/dev/null
# shellcheck disable=SC2086
kill -CONT $loops
echo release >$S/control
echo "$boost_factor" >/proc/sys/vm/watermark_boost_factor
rmdir $CG/twice
# A is the one memhog exempt from the OOM killer (B and C are not)
a_report=$(dmesg | tail -n +$((log_mark + 1)) | grep 'memhog invoked oom-killer' |
	grep 'oom_score_adj=-1000' | tail -n 1)
echo "$a_report" | excerpt twice
oomsnap-rawdump >/tmp/raw.json 2>/tmp/rawdump.err
rd_rc=$?
echo "rawdump exit $rd_rc, $(wc -l </tmp/raw.json) records, $(grep -c '"type":1,' /tmp/raw.json) global OOMs, last seq before $last_before; $(cat /tmp/rawdump.err)" | excerpt twice
# A's last global OOM captured since it went on (records begin {"size":N,"seq":S,"type":T,
# and name their task first)
rec=$(grep '"type":1,' /tmp/raw.json | grep "\"task\":{\"pid\":$a_pid," | awk -v b="$last_before" \
	'match($0, /"seq":[0-9]+/) && substr($0, RSTART + 6, RLENGTH - 6) + 0 > b' | tail -n 1)
gfp_rec=$(echo "$rec" | sed -n 's/^{[^{]*"gfp_raw":\([0-9]*\).*/\1/p')
# the record's own "have", before the first nested object (zones have theirs)
have=$(echo "$rec" | sed -n 's/^{[^{]*"have":\([0-9]*\).*/\1/p')
gfp_log=$(echo "$a_report" | sed -n 's/.*gfp_mask=\(0x[0-9a-f]*\).*/\1/p')
echo "record have=$have gfp_raw=$gfp_rec; the kernel's gfp_mask=$gfp_log" | excerpt twice
if [ -z "$c_ready" ]; then
	# what A met is then not known: C may have been OOM-killed before A went on
	notok stale-oom-control "C never held its $c_mb MB, the phase proves nothing"
elif [ -z "$rec" ] || [ -z "$gfp_log" ]; then
	notok stale-oom-control "no global OOM of A's (record '$rec', report '$a_report')"
elif [ $((have & 1)) = 1 ] && [ "$((gfp_rec))" != "$((gfp_log))" ]; then
	notok stale-oom-control "record gfp $gfp_rec, the kernel printed $gfp_log: a dead oom_control"
else
	ok stale-oom-control
fi

fi

# ---- a comm that tries to forge lines and retitle the terminal ---------------------------------
if want comm; then
sh -c 'printf "\033]0;pwn\007\nforged" >/proc/$$/comm; echo snapshot >'$D'/control' 2>/dev/null
sleep 1
cat $D/events >/tmp/events.txt
if grep -q "$(printf '\033')" /tmp/events.txt || grep -q '^forged' /tmp/events.txt; then
	notok comm-escaped "a raw ESC or a forged line in events"
else
	ok comm-escaped
fi

fi

# ---- the longest IRQs-off stretch: a capture against the kernel's own /proc/pagetypeinfo -----
# Both walk the free lists under zone->lock with IRQs off (pagetypeinfo up to 100000 entries
# per list, dropping the lock between orders; a capture up to walk_limit per list, the same
# way). Under TCG the times are inflated alike: the ratio is the figure.
if want irqoff; then
tr=/sys/kernel/debug/tracing
irqoff_max() {	# SECONDS CMD...: the irqsoff tracer's maximum (us) while CMD loops
	secs=$1
	shift
	echo 0 >$tr/tracing_max_latency
	echo irqsoff >$tr/current_tracer
	end=$(($(uptime_s) + secs))
	while [ "$(uptime_s)" -lt $end ]; do "$@" >/dev/null 2>&1; done
	echo nop >$tr/current_tracer
	cat $tr/tracing_max_latency
}
if [ -e $tr/current_tracer ]; then
	kill $ctl_pid $cat_pid 2>/dev/null
	wait $ctl_pid $cat_pid 2>/dev/null
	echo hold >$S/control		# fragmented free lists: long ones
	figure irqoff_us_pagetypeinfo "$(irqoff_max 5 cat /proc/pagetypeinfo)"
	figure irqoff_us_capture "$(irqoff_max 5 sh -c "echo snapshot >$D/control; sleep 0.1")"
	figure irqoff_us_idle "$(irqoff_max 5 sleep 1)"
	echo release >$S/control
fi

fi

# ---- quiesce, then the accounting must add up exactly ---------------------------------------
kill $ctl_pid $cat_pid 2>/dev/null
wait $ctl_pid $cat_pid 2>/dev/null
sleep 3
kill -TERM $follow_pid
wait $follow_pid
follow=$(cat /tmp/rawfollow.out)
echo "$follow" | excerpt
excerpt stats <$D/stats
seen=$(($(stat oom) + $(stat memcg_oom) + $(stat alloc_failure) + $(stat manual)))
outcomes=$(($(stat captured) + $(stat dropped_nowarn) + $(stat dropped_ratelimit) + \
	    $(stat coalesced) + $(stat skipped_recursion) + $(stat skipped_nmi) + $(stat skipped_busy)))
check accounting-outcomes "seen $seen, outcomes $outcomes" test "$seen" = "$outcomes"
kept=$(($(stat retained) + $(stat overwritten) + $(stat cleared)))
check accounting-ring "captured $(stat captured), last_seq $(stat last_seq), retained+overwritten+cleared $kept" \
	test "$(stat captured)" = "$(stat last_seq)" -a "$kept" = "$(stat last_seq)" -a "$(stat filling)" = 0
check accounting-victims "victims $(stat victims), joined $(stat victims_joined) + unjoined $(stat victims_unjoined)" \
	test "$(stat victims)" = "$(($(stat victims_joined) + $(stat victims_unjoined)))"
n=$(echo "$follow" | awk '{ print $3 }')
missed=$(echo "$follow" | awk '{ print $11 }')
dup=$(echo "$follow" | awk '{ print $13 }')
torn=$(echo "$follow" | awk '{ print $15 }')
check reader-every-record "$follow; overwritten $(stat overwritten), last_seq $(stat last_seq)" \
	test "$dup" = 0 -a "$torn" = 0 -a "$((n + missed))" = "$(stat last_seq)" -a "$missed" -le "$(stat overwritten)"
for k in captured coalesced dropped_ratelimit dropped_nowarn skipped_recursion skipped_nmi \
	 skipped_busy overwritten victims victims_joined capture_ns_max irqoff_ns_max \
	 zone_lock_ns_max; do
	figure "$k" "$(stat $k)"
done

# ---- unload with a reader blocked in poll() -----------------------------------------------
kill $watch_pid 2>/dev/null
wait $watch_pid 2>/dev/null
rawfollow >/tmp/poll.out 2>&1 &
pid=$!
sleep 1
if timeout 30 rmmod oomsnap 2>/dev/null; then
	notok rmmod-while-polled "rmmod succeeded with raw open"
	insmod /oomsnap/oomsnap.ko
else
	check rmmod-while-polled "rmmod hung" kill -0 $pid
fi
kill $pid
wait $pid
if out=$(timeout 30 rmmod oomsnap 2>&1); then
	ok rmmod-after-close
else
	notok rmmod-after-close "rmmod failed after the reader closed (exit $?; 124 or 143: killed after 30 s): $out; refcnt $(cat /sys/module/oomsnap/refcnt 2>/dev/null)"
fi

insmod /oomsnap/oomsnap.ko
rawfollow >/tmp/force.out 2>&1 &
pid=$!
oomsnap watch >/tmp/watch.out 2>&1 &
wpid=$!
sleep 1
timeout 60 rmmod -f oomsnap 2>/tmp/rmmodf.err
rc=$?
wait $pid
wait $wpid
wrc=$?
check watch-exits-on-unload "oomsnap watch exit $wrc: $(tail -n 1 /tmp/watch.out)" \
	test "$wrc" = 2 -a -n "$(grep 'went away' /tmp/watch.out)"
check rmmod-force-polled "rmmod -f exit $rc ($(cat /tmp/rmmodf.err)); reader: $(cat /tmp/force.out)" \
	test "$rc" = 0 -a ! -e $D/raw
grep -q 'hup 1' /tmp/force.out && ok reader-sees-hup || notok reader-sees-hup "$(cat /tmp/force.out)"

# ---- load and unload, again and again, under storms ------------------------------------------
# (Debian's production kernel runs them on one TCG thread: tests/stress/run.sh says why.)
if want cycles; then
echo hold >$S/control
echo "storm softirq 100000000 atomic" >$S/control
(while :; do
	mkdir -p $CG/cycle
	echo 4M >$CG/cycle/memory.max
	sh -c "echo \$\$ >$CG/cycle/cgroup.procs; echo 0 >/proc/self/oom_score_adj
		exec memhog -c 1" >/dev/null 2>&1
done) &
loop_pid=$!
t0=$(uptime_s)
i=0 good=0
while [ $i -lt $cycles ]; do
	if insmod /oomsnap/oomsnap.ko ring_size=8 && cat $D/stats >/dev/null && rmmod oomsnap; then
		good=$((good + 1))
	fi
	i=$((i + 1))
	[ $((i % 10)) = 0 ] && echo "stress: $i load cycles, $good good, $(($(uptime_s) - t0)) s"
done
t1=$(uptime_s)
kill $loop_pid
echo release >$S/control
wait $loop_pid 2>/dev/null
figure load_cycles "$good"
figure load_cycles_seconds "$((t1 - t0))"
check load-cycles "$good of $cycles insmod/rmmod cycles" test "$good" = "$cycles"
rmmod oomsnap_storm

fi

kill $alive_pid 2>/dev/null

# ---- what the debug kernel saw -----------------------------------------------------------------
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak)
	grep -A12 'unreferenced object' /sys/kernel/debug/kmemleak | head -n 30 | excerpt
	check kmemleak "$leaks unreferenced objects" test "$leaks" = 0
fi
after=$(splats | wc -l)		# also writes $FOREIGN
touch $FOREIGN
head -n 5 $FOREIGN | excerpt "not oomsnap's"
figure kcsan_races_outside_oomsnap "$(wc -l <$FOREIGN)"
splats | tail -n +"$((baseline + 1))" | head -n 20 | excerpt
if [ "$after" -gt "$baseline" ]; then
	first=$(splats | tail -n +"$((baseline + 1))" | head -n 1)
	dmesg | grep -B2 -A25 -F "$first" | head -n 60 | excerpt
	notok kernel-clean "$((after - baseline)) splat line(s): $first"
else
	ok kernel-clean
fi
