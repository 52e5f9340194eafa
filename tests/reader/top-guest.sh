#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the guest (busybox sh), for tests/reader/top-qemu.sh: what "oomsnap top" shows
#  1. on a fragmented host (as tests/scenarios/fragmentation makes it): sampled right
#     before an order-2 GFP_KERNEL request, which must then fail;
#  2. while kernel memory grows (the test helper's "pages", GFP_KERNEL) until the OOM
#     killer fires: a sample before each step, each step half the headroom the file
#     showed (64 to 4096 pages), so that the last sample before the OOM says how close
#     the view came to zero.
# For the host, in the grammar of tests/lib/guest.sh: sections top-text, frag-status,
# frag-json, frag-text; per growth step N the figure sample-N (the file's GFP_KERNEL margin)
# and the section top-json-N; the figures oom-at-sample and oom-step once the OOM came (or
# oom-at-sample and oom-while-sampling, when it came while sample N was read: N is not printed);
# sections event-json-SEQ and events (the module's text); a not ok on a setup failure.
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
OS=/sys/kernel/debug/oomsnap
HOG=/sys/kernel/debug/oomsnap_hog
echo -1000 > /proc/self/oom_score_adj
fail() {
	notok top-guest "$*"
	exit 1
}
insmod /oomsnap/oomsnap.ko || fail "insmod oomsnap.ko"
insmod /oomsnap/oomsnap_hog.ko || fail "insmod oomsnap_hog.ko"
[ -r $OS/headroom ] || fail "no $OS/headroom"
dmesg -n 1

# GFP class $1: the largest order-0 margin over the zones it may use, from the file itself.
margin() {
	awk -v c="$1" '$1 == "check" && $4 == c && $5 == 0 {
		if (!s || $7 + 0 > m) { m = $7 + 0; s = 1 } }
		END { print s ? m : "none" }' $OS/headroom
}
ooms() {
	awk '$1 == "oom" { print $2 }' $OS/stats
}
hog_cmd() {
	sh -c 'echo 1000 > /proc/self/oom_score_adj; echo "$1" > '$HOG'/control' hog "$1"
}
# A process that named itself with a space and an escape sequence (as prctl(PR_SET_NAME)
# allows) asks for a snapshot: its name in the module's text must come out escaped.
named_snapshot() {
	sh -c 'printf "Web C\033[2J" > /proc/self/comm; echo snapshot > '$OS'/control'
}

section top-text oomsnap top --once

# 1. fragmentation
echo 0 > /proc/sys/vm/vfs_cache_pressure
echo 0 > /proc/sys/vm/compaction_proactiveness
echo never > /sys/kernel/mm/transparent_hugepage/enabled
echo 3 > /proc/sys/vm/drop_caches
hog_cmd "fragment 100000000 4"
# split again what exits merged, read the view, ask: no exit between the last two
sh -c "echo 'fragment 0 4' > $HOG/control && cat $OS/headroom > /tmp/frag.headroom &&
	echo 1000 > /proc/self/oom_score_adj && echo 'alloc 2 kernel' > $HOG/control"
section frag-status grep '^last alloc' $HOG/status
mkdir -p /tmp/frag && cp /tmp/frag.headroom /tmp/frag/headroom
section frag-json oomsnap --dir /tmp/frag top --once --json
section frag-text oomsnap --dir /tmp/frag top --once
echo release > $HOG/control
echo 100 > /proc/sys/vm/vfs_cache_pressure

# 2. growth until the OOM killer fires. A ballast process (8 MB of anonymous memory, the
# OOM killer's first choice) makes sure that, whichever allocation runs out first (the
# helper's or a sampler's), there is something to kill that gives memory back.
sh -c 'echo 1000 > /proc/self/oom_score_adj; x=$(head -c 8388608 /dev/zero | tr "\000" a)
	echo "${#x}" > /tmp/ballast; while :; do sleep 1000; done' &
i=0
while [ ! -s /tmp/ballast ] && [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
[ -s /tmp/ballast ] || fail "the ballast did not start"
seq0=$(awk '$1 == "last_seq" { print $2 }' $OS/stats)
named_snapshot
start=$(ooms)
i=0
while [ $i -lt 600 ]; do
	m=$(margin GFP_KERNEL)
	[ "$m" = none ] && fail "no GFP_KERNEL check in $OS/headroom"
	oomsnap top --once --json >/tmp/top.json 2>&1
	rc=$?
	# Near the watermarks a sampler's own page fault can be the one that OOMs: the file or the
	# view read across that kill shows the host after it (the ballast's 8 MB back). The last
	# sample before the OOM is then the one before this.
	if [ "$(ooms)" != "$start" ]; then
		figure oom-at-sample "$((i - 1))"
		figure oom-while-sampling "$i"
		break
	fi
	figure "sample-$i" "$m"
	section "top-json-$i" sh -c 'cat /tmp/top.json; exit $1' top "$rc"
	step=$((m / 2))
	[ $step -lt 64 ] && step=64
	[ $step -gt 4096 ] && step=4096
	hog_cmd "pages $step"
	if [ "$(ooms)" != "$start" ]; then
		figure oom-at-sample "$i"
		figure oom-step "$step"
		break
	fi
	i=$((i + 1))
done
echo release > $HOG/control
seq=$((seq0 + 1))
last=$(awk '$1 == "last_seq" { print $2 }' $OS/stats)
while [ "$seq" -le "$last" ]; do
	section "event-json-$seq" oomsnap show "$seq" --json
	seq=$((seq + 1))
done
section events cat $OS/events
