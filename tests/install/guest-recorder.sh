#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tests/install, guest side (busybox sh, run by /init from tests/lib/initramfs.sh): load the
# DKMS-built oomsnap.ko, run the recorder while memory cgroup OOMs happen, kill it with SIGKILL
# between OOMs and start it again, then compare the recorded sequence numbers with the ring's.
# Then what README's troubleshooting says: under integrity lockdown the read-only debugfs files
# work and control gets EPERM; a module signed with a key the kernel doesn't trust is refused
# under lockdown (EPERM) and with module.sig_enforce ("Key was rejected by service").
# Prints checks, infos and sections (tests/lib/guest.sh) for the host (tests/install/run.sh).
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
D=/sys/kernel/debug/oomsnap
F=/tmp/state/events.jsonl

echo -1000 > /proc/self/oom_score_adj
echo 0 > /proc/sys/vm/panic_on_oom

if insmod /oomsnap/oomsnap.ko; then
	ok dkms-ko-loads
else
	notok dkms-ko-loads "insmod of the DKMS-built oomsnap.ko failed"
	exit 0
fi
section modinfo-taint cat /proc/sys/kernel/tainted /sys/module/oomsnap/taint

echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/rec
echo 16M > /sys/fs/cgroup/rec/memory.max

# One memory cgroup OOM: a hog in the 16M group, killed by the OOM killer.
oom() {
	before=$(sed -n 's/^oom_kill //p' /sys/fs/cgroup/rec/memory.events)
	sh -c 'echo $$ > /sys/fs/cgroup/rec/cgroup.procs && echo 0 > /proc/self/oom_score_adj &&
	       exec memhog -c 1' > /dev/null 2>&1
	after=$(sed -n 's/^oom_kill //p' /sys/fs/cgroup/rec/memory.events)
	[ "$after" -gt "$before" ] || notok "oom-$1" "no OOM kill (oom_kill $before -> $after)"
}
# Every line of every file (rotated ones too), oldest first; at --max-size 16K the recorder
# rotates every few records, so the current file alone says nothing of what was recorded.
all_lines() { for f in $(ls -r "$F".* 2>/dev/null) "$F"; do [ -f "$f" ] && cat "$f"; done; }
lines() { all_lines | wc -l; }
# wait_lines N: until the file holds N lines (120 s at most: a loaded TCG host is slow)
wait_lines() {
	i=0
	while [ "$(lines)" -lt "$1" ] && [ $i -lt 600 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	[ "$(lines)" -ge "$1" ]
}
ring_seqs() { oomsnap --json list | tr '{' '\n' | sed -n 's/.*"seq":\([0-9]*\),.*/\1/p'; }
start() {
	oomsnap record --file "$F" --max-size 16K --keep 9 2>>/tmp/recorder.err &
	pid=$!
}

start
oom 1
oom 2
wait_lines "$(ring_seqs | wc -l)" && ok recorder-follows || notok recorder-follows "$(lines) lines"
kill -9 "$pid"
wait "$pid" 2>/dev/null
oom 3				# while no recorder runs
oom 4
echo snapshot > "$D/control"	# and a manual capture
start
wait_lines "$(ring_seqs | wc -l)" && ok recorder-catches-up || notok recorder-catches-up "$(lines) lines"
oom 5
wait_lines "$(ring_seqs | wc -l)"
kill -9 "$pid"			# again, right after an event
wait "$pid" 2>/dev/null
start
oom 6
wait_lines "$(ring_seqs | wc -l)"
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] && ok recorder-sigterm-exit-0 || notok recorder-sigterm-exit-0 "exit $rc"

recorded=$(all_lines | sed -n 's/^{"boot_id":"[^"]*",\("version":[0-9]*,\)\{0,1\}"type":"[a-z_]*","seq":\([0-9]*\),.*/\2/p' | tr '\n' ' ')
ring=$(ring_seqs | tr '\n' ' ')
info "recorded: $recorded"
info "ring:     $ring"
nr=$(echo "$ring" | wc -w)
if [ "$recorded" = "$ring" ] && [ "$nr" -ge 7 ]; then
	ok recorder-no-loss-no-duplicate
else
	notok recorder-no-loss-no-duplicate "recorded [$recorded] ring [$ring]"
fi
n_oom=$(all_lines | grep -c '"type":"memcg_oom"')
[ "$n_oom" -ge 6 ] && ok recorder-six-ooms || notok recorder-six-ooms "$n_oom memcg_oom lines"
files=$(ls "$F"* | wc -l)
[ "$files" -ge 2 ] && ok recorder-rotated || notok recorder-rotated "$files files at --max-size 16K"
section recorder-stderr cat /tmp/recorder.err
section events-jsonl all_lines
section prometheus oomsnap stats --prometheus

# --- lockdown and signatures ------------------------------------------------------------------
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
if [ -w /sys/kernel/security/lockdown ] && echo integrity > /sys/kernel/security/lockdown; then
	section lockdown cat /sys/kernel/security/lockdown
	if cat "$D/last" > /tmp/last.ld && grep -q '^event #' /tmp/last.ld &&
	   cat "$D/stats" > /dev/null && oomsnap list > /dev/null; then
		ok lockdown-readonly-files-work
	else
		notok lockdown-readonly-files-work "last/stats/raw unreadable under integrity lockdown"
	fi
	err=$( (echo snapshot > "$D/control") 2>&1)
	case "$err" in
	*"Operation not permitted"*) ok lockdown-control-eperm ;;
	*) notok lockdown-control-eperm "write to control under lockdown: '${err:-succeeded}'" ;;
	esac
	rmmod oomsnap
	err=$(insmod /oomsnap/oomsnap.ko 2>&1)
	case "$err" in
	*"Operation not permitted"*) ok lockdown-untrusted-key-eperm ;;
	*) notok lockdown-untrusted-key-eperm "insmod under lockdown: '${err:-loaded}'" ;;
	esac
	info "insmod under lockdown: $err"
else
	notok lockdown "no /sys/kernel/security/lockdown (lockdown LSM not active?)"
	rmmod oomsnap
fi
if echo 1 > /sys/module/module/parameters/sig_enforce; then
	err=$(insmod /oomsnap/oomsnap.ko 2>&1)
	case "$err" in
	*"Key was rejected by service"*) ok sig-enforce-key-rejected ;;
	*) notok sig-enforce-key-rejected "insmod with sig_enforce=1: '${err:-loaded}'" ;;
	esac
	info "insmod with sig_enforce: $err"
else
	notok sig-enforce-key-rejected "cannot set module.sig_enforce"
fi
section dmesg-tail sh -c 'dmesg | tail -n 15'
