#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# oomsnap end-to-end tests, guest side (busybox sh, run by /init from tests/lib/initramfs.sh).
# Judges what it can see alone with OOMSNAP-TEST lines; prints the rest (dmesg, raw decoded by
# oomsnap-rawdump, events text, the reader's JSON) in sections (tests/lib/guest.sh) for
# tests/e2e/check.py, which compares them on the host.
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
D=/sys/kernel/debug/oomsnap
H=/sys/kernel/debug/oomsnap_hog

mode_of() { stat -c %a "$1" 2>/dev/null; }

echo -1000 > /proc/self/oom_score_adj
echo 0 > /proc/sys/vm/panic_on_oom
echo 0 > /proc/sys/kernel/panic_on_warn 2>/dev/null

# --- load ------------------------------------------------------------------------------------
if insmod /oomsnap/oomsnap.ko; then
	ok load
else
	notok load "insmod failed"
	exit 0
fi
# Root only: the readable files 0400, control 0600 or write-only 0200.
bad=
for f in last:400 events:400 raw:400 stats:400 control:600/200; do
	m=$(mode_of "$D/${f%:*}")
	case "/${f#*:}/" in
	*/"$m"/*) ;;
	*) bad="$bad ${f%:*}=${m:-missing}" ;;
	esac
done
[ -z "$bad" ] && ok debugfs-files || notok debugfs-files "want last/events/raw/stats 0400, control 0600 or 0200:$bad"
section kprobes-loaded cat /sys/kernel/debug/kprobes/list

# --- control: bad writes are rejected and change nothing -----------------------------------------
echo snapshot > "$D/control" && ok control-snapshot || notok control-snapshot "write of 'snapshot' failed"
cat "$D/stats" > /tmp/stats.before
cat "$D/events" > /tmp/events.before
oomsnap-rawdump > /tmp/raw.before
long=$(head -c 5000 /dev/zero | tr '\0' x)
# Each is one write() of the string and a newline; "at5:" writes "clear" at file offset 5.
for cmd in bogus clearx "clear extra" " clear" "CLEAR" "capture_nowarn=7" "capture_nowarn=" \
	   "capture_nowarn=01" "snapshot;clear" "at5:clear" "$long"; do
	case "$cmd" in
	at5:*)	res=$(oomsnap-write -o 5 "$D/control" "${cmd#at5:}") ;;
	*)	res=$(oomsnap-write "$D/control" "$cmd") ;;
	esac
	label=$(printf '%.24s' "$cmd")
	case "$res" in
	"error EINVAL"*) ok "control-rejects '$label'" ;;
	*)		 notok "control-rejects '$label'" "want EINVAL, got: $res" ;;
	esac
done
cat "$D/stats" > /tmp/stats.after
cat "$D/events" > /tmp/events.after
oomsnap-rawdump > /tmp/raw.after
if [ ! -s /tmp/stats.before ] || [ ! -s /tmp/events.before ] || [ ! -s /tmp/raw.before ]; then
	notok control-bad-writes-change-nothing "stats, events or raw empty after a snapshot"
elif cmp -s /tmp/stats.before /tmp/stats.after && cmp -s /tmp/events.before /tmp/events.after &&
   cmp -s /tmp/raw.before /tmp/raw.after; then
	ok control-bad-writes-change-nothing
else
	notok control-bad-writes-change-nothing "stats, events or raw changed"
	section stats-diff diff /tmp/stats.before /tmp/stats.after
fi
echo clear > "$D/control" && ok control-clear || notok control-clear "write of 'clear' failed"
if oomsnap-rawdump > /tmp/raw.cleared; then
	n=$(wc -l < /tmp/raw.cleared)
	[ "$n" = 0 ] && ok control-clear-empties-ring ||
		notok control-clear-empties-ring "$n records after clear"
else
	notok control-clear-empties-ring "raw unreadable after clear"
fi

# --- an allocation failure: order 8+ GFP_ATOMIC, from a timer (softirq), with memory fragmented
# by the hog module.
provoke_alloc_failure

# --- a memory cgroup OOM ------------------------------------------------------------------------
memcg_oom e2e 32M

# --- a global OOM: an anonymous memory hog, no swap ------------------------------------------
global_oom
sleep 1
# per-cpu list sizes and vmstat thresholds: what may move between the capture and the report
section zoneinfo cat /proc/zoneinfo

# --- what the module recorded, for the host-side checks -----------------------------------------
section rawdump oomsnap-rawdump
section events cat "$D/events"
section last cat "$D/last"
section stats cat "$D/stats"
section reader-list oomsnap list
section reader-list-json oomsnap list --json
for seq in $(oomsnap-rawdump | sed -n 's/.*"seq":\([0-9]*\),.*/\1/p'); do
	section "reader-show-json-$seq" oomsnap show "$seq" --json
done
section reader-show oomsnap show
section reader-stats-json oomsnap stats --json
dmesg > /tmp/dmesg.txt
section reader-explain oomsnap explain /tmp/dmesg.txt

# memcg_records NAME: the memcg OOM records (type 2) of /NAME, as oomsnap-rawdump prints them.
memcg_records() { oomsnap-rawdump | grep '"type":2,' | grep "\"memcg_path\":\"/$1\""; }

# --- a memcg OOM that kills nothing (every task in the group exempt): no victim is marked, so
# each call's record goes out when oom_lock is free again or the next call begins. The hog
# retries its fault until it is killed from outside.
echo clear > "$D/control"
mkdir -p /sys/fs/cgroup/e2e-nokill
echo 16M > /sys/fs/cgroup/e2e-nokill/memory.max
echo 0 > /sys/fs/cgroup/e2e-nokill/memory.swap.max 2>/dev/null
sh -c 'echo $$ > /sys/fs/cgroup/e2e-nokill/cgroup.procs && exec memhog -c 1' > /dev/null 2>&1 &
pid=$!
i=0
while ! dmesg | grep -q 'Out of memory and no killable processes' && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
sleep 1
rmdir /sys/fs/cgroup/e2e-nokill
# type 2 (memcg OOM) records of that group: without a victim (have bit 5), or with the hog
# itself as victim. The kill -9 above may land while the hog is inside the charge's OOM path:
# the kernel's next call then marks the dying task (task_will_free_mem(current)), as it
# should, and that call's record has the hog for victim. Any other victim is wrong.
n=0 self=0 other=0
memcg_records e2e-nokill >/tmp/nokill.json
while read -r line; do
	h=$(echo "$line" | sed -n 's/^{[^{]*"have":\([0-9]*\).*/\1/p')
	if [ $((h & 32)) = 0 ]; then
		n=$((n + 1))
	elif [ "$(echo "$line" | sed -n 's/.*"victim":{"pid":[0-9-]*,"tgid":\([0-9]*\).*/\1/p')" = "$pid" ]; then
		self=$((self + 1))
	else
		other=$((other + 1))
	fi
done </tmp/nokill.json
info "memcg OOM without a victim: $n records; $self with the hog killed from outside, $other with another victim"
if ! dmesg | grep -q 'Out of memory and no killable processes'; then
	notok memcg-oom-nokill-published "the kernel printed no 'no killable processes' OOM"
elif [ "$n" -gt 0 ] && [ "$other" = 0 ]; then
	ok memcg-oom-nokill-published
else
	notok memcg-oom-nokill-published "$n records of /e2e-nokill without a victim, $other with a victim other than the hog"
fi
section stats-nokill cat "$D/stats"

# small_memcg_oom NAME [CHILDREN]: a memhog in /sys/fs/cgroup/NAME (memory.max 16M, no swap)
# until it is killed, in child c0 with CHILDREN-1 empty siblings if CHILDREN is given; the
# group is removed after, and $rec holds the memcg OOM record of /NAME (oomsnap-rawdump).
small_memcg_oom() {
	_s_cg=/sys/fs/cgroup/$1 _s_in=/sys/fs/cgroup/$1
	mkdir -p "$_s_cg" && echo 16M > "$_s_cg/memory.max"
	echo 0 > "$_s_cg/memory.swap.max" 2>/dev/null
	if [ $# -gt 1 ]; then
		echo +memory > "$_s_cg/cgroup.subtree_control"
		for _s_i in $(seq 0 $(($2 - 1))); do mkdir -p "$_s_cg/c$_s_i"; done
		_s_in=$_s_cg/c0
	fi
	hog_in "$_s_in" -c 1 > /dev/null 2>&1
	_s_rc=$?
	[ $# -gt 1 ] && rmdir "$_s_cg"/c*
	rmdir "$_s_cg"
	rec=$(memcg_records "$1" | tail -n 1)
	[ -n "$rec" ] || info "small_memcg_oom $1: no record (hog exit $_s_rc)"
}
field() { echo "$rec" | sed -n "s/.*\"$1\":\(-*[0-9]*\),.*/\1/p"; }

# --- the memcg walk's bound counts groups too: a memcg OOM above 20 empty child memcgs. Every
# memcg below the OOMing one counts against task_scan_limit, tasks or none; with the limit at 8
# and 22 groups the walk stops, marked capped, having looked at fewer than 8 tasks (without the
# group count it walked all 22, capped never).
echo clear > "$D/control"
P=/sys/module/oomsnap/parameters/task_scan_limit
old_limit=$(cat $P)
echo 8 > $P
small_memcg_oom e2e-tree 21
echo "$old_limit" > $P
scanned=$(field tasks_scanned) capped=$(field tasks_capped)
info "memcg OOM above 20 empty memcgs, task_scan_limit 8: tasks_scanned ${scanned:-none}, tasks_capped ${capped:-none}"
if [ -z "$rec" ]; then
	notok memcg-walk-groups-bounded "no memcg OOM record of /e2e-tree"
elif [ "$capped" = 1 ] && [ "${scanned:-8}" -lt 8 ]; then
	ok memcg-walk-groups-bounded
else
	notok memcg-walk-groups-bounded "tasks_scanned ${scanned:-none}, tasks_capped ${capped:-none}: want capped with fewer than 8 tasks looked at"
fi

# --- the capture's slab walk is bounded: a memcg OOM walks the host's 150 or so caches itself
# (slabs_age_ms 0); with 1100 more (oomsnap_storm's "caches"), past the 1024 a capture may
# walk, it takes the worker's table instead (its age, rounded up: never 0).
S=/sys/kernel/debug/oomsnap_storm
small_memcg_oom e2e-slabs
age_few=$(field slabs_age_ms) nr_few=$(field nr_slabs)
insmod /oomsnap/oomsnap_storm.ko && echo "caches 1100" > $S/control
info "slab caches now: $(($(wc -l < /proc/slabinfo) - 2))"
small_memcg_oom e2e-slabs
age_many=$(field slabs_age_ms) nr_many=$(field nr_slabs)
echo "caches 0" > $S/control
rmmod oomsnap_storm
info "memcg OOM slab tables: ${nr_few:-none} caches, ${age_few:-none} ms old; with 1100 caches more: ${nr_many:-none} caches, ${age_many:-none} ms old"
if [ "$age_few" = 0 ] && [ "${nr_few:-0}" -gt 0 ] && [ "${age_many:-0}" -gt 0 ] &&
   [ "${nr_many:-0}" -gt 0 ]; then
	ok capture-slab-walk-bounded
else
	notok capture-slab-walk-bounded "want a walk (age 0) with the host's caches and a table (age > 0) with 1100 more, both with caches listed"
fi

# --- unload: nothing left behind ------------------------------------------------------------
if rmmod oomsnap; then
	ok unload
else
	notok unload "rmmod failed"
fi
[ ! -e "$D" ] && ok unload-removes-debugfs || notok unload-removes-debugfs "$D still exists"
left=$(grep -c . /sys/kernel/debug/kprobes/list 2>/dev/null)
[ "${left:-0}" = 0 ] && ok unload-no-kprobes-left ||
	notok unload-no-kprobes-left "$left kprobes still registered"
grep -q oomsnap /proc/modules && notok unload-module-gone "still in /proc/modules" ||
	ok unload-module-gone
# A tracepoint probe or notifier left behind would call into freed module text: allocate,
# fail allocations and run the OOM killer again without the module.
insmod /oomsnap/oomsnap_hog.ko && echo "fragment 1000000 16" > "$H/control" &&
	echo "alloc 10 nowait" > "$H/control" && echo release > "$H/control" && rmmod oomsnap_hog
hog -c 4 > /dev/null 2>&1
rc=$?
[ "$rc" = 137 ] && ok after-unload-oom-and-failures-survive ||
	notok after-unload-oom-and-failures-survive "hog exit $rc"
# Load and unload once more: the hooks can be registered again.
insmod /oomsnap/oomsnap.ko && echo snapshot > "$D/control" && rmmod oomsnap &&
	ok reload || notok reload "second insmod/snapshot/rmmod failed"

section dmesg dmesg
