#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# BPF recorder tests, guest side (busybox sh, run by /init from tests/lib/initramfs.sh).
# With "lockdown" in the kernel command line: insmod must be refused, the recorder must still
# capture and explain a global OOM. Otherwise oomsnap.ko and the recorder both run and see the
# same events: an allocation failure, a memcg OOM, a global OOM. Judges what it can see alone
# with OOMSNAP-TEST lines; prints the rest (the recorder's raw file as base64, the reader's
# output for both, dmesg) in sections (tests/lib/guest.sh) for tests/bpf/check.py.
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
D=/sys/kernel/debug/oomsnap

echo -1000 > /proc/self/oom_score_adj
echo 0 > /proc/sys/vm/panic_on_oom
echo 0 > /proc/sys/kernel/panic_on_warn 2>/dev/null
lockdown=
grep -q 'lockdown=' /proc/cmdline && lockdown=1
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
section lockdown cat /sys/kernel/security/lockdown

# --- the module: loaded alongside, or refused under lockdown ----------------------------------
module=
if [ -n "$lockdown" ]; then
	if insmod /oomsnap/oomsnap.ko 2>/tmp/insmod.err; then
		notok insmod-refused "insmod oomsnap.ko succeeded under lockdown"
		module=1
	else
		ok insmod-refused
	fi
	section insmod-error cat /tmp/insmod.err
elif insmod /oomsnap/oomsnap.ko; then
	ok module-load
	module=1
else
	notok module-load "insmod failed"
fi

# --- the recorder -----------------------------------------------------------------------------
OOMSNAP_BPF_DEBUG_SYMS=1 oomsnap-bpf record -o /tmp/bpf.raw --stats /tmp/bpf.stats > /tmp/bpf.json.out \
	2> /tmp/bpf.err.all &
rec_pid=$!
i=0
while ! grep -q recording /tmp/bpf.err.all 2>/dev/null && [ $i -lt 120 ]; do
	sleep 1
	i=$((i + 1))
done
grep -v '^libbpf: ' /tmp/bpf.err.all > /tmp/bpf.err
if grep -q recording /tmp/bpf.err; then
	ok recorder-attached
else
	notok recorder-attached "$(tail -n 3 /tmp/bpf.err | tr '\n' ' ')"
	section recorder-log sh -c 'OOMSNAP_BPF_DEBUG=1 oomsnap-bpf record --check 2>&1 |
		grep -v "^libbpf: CO-RE" | tail -n 60'
	exit 0
fi
# --json straight from the recorder, on its own: one record per event, rendered by the reader
# (plain: two of the three events; lockdown: the one OOM)
json_count=2
[ -n "$lockdown" ] && json_count=1
oomsnap-bpf record --json --count $json_count > /tmp/bpf-live.json 2> /tmp/bpf-live.err &
json_pid=$!
i=0
while ! grep -q recording /tmp/bpf-live.err 2>/dev/null && [ $i -lt 120 ]; do
	sleep 1
	i=$((i + 1))
done

# --- an allocation failure: order 8+ GFP_ATOMIC from a timer, memory fragmented by the hog module
if [ -z "$lockdown" ]; then
	# the recorder names stack frames when it reads the event (at its next 200 ms poll,
	# then /proc/kallsyms, which takes a second or more to read under TCG): a module
	# unloaded before that leaves its frames unnamed ("?")
	before_unload() {
		section modules cat /proc/modules
		sleep 5
	}
	provoke_alloc_failure before_unload

	# --- a memory cgroup OOM ----------------------------------------------------------------
	memcg_oom e2e 32M
fi

# --- a global OOM: an anonymous memory hog, no swap ------------------------------------------
global_oom
sleep 2

kill -INT $rec_pid
wait $rec_pid
rc=$?
[ "$rc" = 0 ] && ok recorder-exit || notok recorder-exit "exit $rc: $(cat /tmp/bpf.err | tr '\n' ' ')"
i=0
while [ -d /proc/$json_pid ] && [ $i -lt 20 ]; do
	sleep 1
	i=$((i + 1))
done
if [ -d /proc/$json_pid ]; then
	notok recorder-json-count "--count still running after the events"
	section recorder-json-hung sh -c "cat /proc/$json_pid/wchan; echo; grep -E 'State|SigCgt' /proc/$json_pid/status; ls /proc/$json_pid/task"
	kill -KILL $json_pid
else
	ok recorder-json-count
fi
section recorder-stderr grep -v '^libbpf: ' /tmp/bpf.err.all
section recorder-stats cat /tmp/bpf.stats
section recorder-raw-base64 base64 /tmp/bpf.raw
section recorder-json cat /tmp/bpf-live.json
section recorder-json-err cat /tmp/bpf-live.err
section bpf-list oomsnap --raw /tmp/bpf.raw list
section bpf-list-json oomsnap --json --raw /tmp/bpf.raw list
for seq in $(oomsnap --raw /tmp/bpf.raw list | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }'); do
	section "bpf-show-json-$seq" oomsnap --json --raw /tmp/bpf.raw show "$seq"
	section "bpf-show-$seq" oomsnap --raw /tmp/bpf.raw show "$seq"
done
if [ -n "$module" ]; then
	section module-list-json oomsnap list --json
	for seq in $(oomsnap list | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }'); do
		section "module-show-json-$seq" oomsnap show "$seq" --json
	done
	section module-stats cat "$D/stats"
	dd if="$D/raw" of=/tmp/module.raw bs=4M count=1 2>/dev/null
	section module-raw-base64 base64 /tmp/module.raw
fi
dmesg > /tmp/dmesg.txt
section explain-dmesg oomsnap --json explain /tmp/dmesg.txt
section dmesg dmesg

# --- a memcg OOM that kills nothing (its one task is exempt): no victim marks the end of the
# call, the record leaves once the task no longer holds oom_lock (the recorder's timer). Last,
# so that its reports stay out of the dmesg judged above.
if [ -z "$lockdown" ]; then
	oomsnap-bpf record --json --count 1 > /tmp/nokill.json 2> /tmp/nokill.err &
	nk_rec=$!
	i=0
	while ! grep -q recording /tmp/nokill.err 2>/dev/null && [ $i -lt 120 ]; do
		sleep 1
		i=$((i + 1))
	done
	mkdir -p /sys/fs/cgroup/e2e-nokill
	echo 16M > /sys/fs/cgroup/e2e-nokill/memory.max
	echo 0 > /sys/fs/cgroup/e2e-nokill/memory.swap.max 2>/dev/null
	sh -c 'echo $$ > /sys/fs/cgroup/e2e-nokill/cgroup.procs && exec memhog -c 1' \
		> /dev/null 2>&1 &
	pid=$!
	i=0
	while [ -d /proc/$nk_rec ] && [ $i -lt 60 ]; do
		sleep 1
		i=$((i + 1))
	done
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	kill -INT $nk_rec 2>/dev/null
	wait $nk_rec
	rmdir /sys/fs/cgroup/e2e-nokill
	section nokill-json cat /tmp/nokill.json
	if ! dmesg | grep -q 'Out of memory and no killable processes'; then
		notok memcg-oom-nokill-sent "the kernel printed no 'no killable processes' OOM"
	elif grep -q '"path":"/e2e-nokill"' /tmp/nokill.json &&
	     grep -q '"type":"memcg_oom"' /tmp/nokill.json &&
	     ! grep -q '"victim"' /tmp/nokill.json; then
		ok memcg-oom-nokill-sent
	else
		notok memcg-oom-nokill-sent "recorder's record: $(head -c 300 /tmp/nokill.json)"
	fi
fi
