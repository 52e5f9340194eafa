# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Sourced by every scenario's guest.sh, in the guest (busybox sh), on top of the harness's
# guest library (tests/lib/guest.sh: the markers, section). It loads the modules, protects the
# script itself from the OOM killer, and prints what the host checks in sections on the console.
# Sections: raw (every retained record, decoded by the tests' own oomsnap-rawdump),
# show-SEQ (oomsnap show SEQ --json, one per retained event), last, stats, dmesg, meminfo,
# hog (the helper's status), and whatever the scenario adds.

# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
OS=/sys/kernel/debug/oomsnap
HOG=/sys/kernel/debug/oomsnap_hog

# Never the OOM killer's choice: the script must live to report.
echo -1000 > /proc/self/oom_score_adj

scn_fail() {
	notok "$SCN" "$*"
	exit 1
}

# The kernel's own modules the scenario needs (kmod/order, in load order), the module
# under test with its parameters ($@), and the test helper.
scn_load() {
	if [ -f /oomsnap/kmod/order ]; then
		while read -r m; do
			insmod "/oomsnap/kmod/$m.ko" || scn_fail "insmod $m.ko failed"
		done < /oomsnap/kmod/order
	fi
	insmod /oomsnap/oomsnap.ko "$@" || scn_fail "insmod oomsnap.ko failed"
	[ -d $OS ] || scn_fail "no $OS after insmod"
	insmod /oomsnap/oomsnap_hog.ko || scn_fail "insmod oomsnap_hog.ko failed"
}

# Run "$@" as the OOM killer's first choice (oom_score_adj 1000), in the foreground.
scn_victim() {
	sh -c 'echo 1000 > /proc/self/oom_score_adj; exec "$@"' victim "$@"
}

# One command to the helper, from a process the OOM killer may take.
scn_hog() {
	scn_victim sh -c "echo '$*' > $HOG/control"
}

# Fragment memory: unmovable pages pinned one in every four, the free memory left in
# order-0/1 blocks. Nothing may rebuild a larger block behind the helper's back: reclaim must
# not free slab pages (dentries, inodes) whole, kcompactd must not compact on its own, and no
# huge page may come or go.
scn_fragment() {
	echo 0 > /proc/sys/vm/vfs_cache_pressure
	echo 0 > /proc/sys/vm/compaction_proactiveness
	echo never > /sys/kernel/mm/transparent_hugepage/enabled
	echo 3 > /proc/sys/vm/drop_caches
	scn_hog fragment 100000000 4
}

# scn_split_and_ask ORDER GFP, on memory scn_fragment fragmented: one writer splits
# again the blocks that frees have merged since (the last writer's exit), then asks for an
# ORDER block, with no exit in between; until the request fails, at most 5 tries, each said.
# A request that succeeds (a block came meanwhile) leaves it taken for the next try; an OOM
# kill that did not end in a failure goes aside (its report and record), so that the host
# compares one pair.
scn_split_and_ask() {
	try=1
	while :; do
		scn_victim sh -c "echo 'fragment 0 4' > $HOG/control && echo 'alloc $1 $2' > $HOG/control"
		last=$(grep '^last' $HOG/status)
		info "$SCN: try $try: $last"
		case "$last" in "last alloc: order $1 $2 failed"*) return ;; esac
		[ $try -lt 5 ] || scn_fail "the order-$1 request did not fail in $try tries: $last"
		if [ -n "$(oomsnap-rawdump)" ]; then
			section "dmesg-try-$try" dmesg -c
			echo clear > $OS/control
		fi
		try=$((try + 1))
	done
}

# Wait until FILE exists (a memhog -r FILE is holding its memory), at most $2 s.
scn_wait_file() {
	i=0
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -le "$2" ] || scn_fail "timed out waiting for $1"
		sleep 1
	done
}

# Everything the host checks. Kernel messages stop going to the console first, so that
# they can't interleave with the sections (dmesg prints them in its own section).
scn_report() {
	dmesg -n 1
	section hog cat $HOG/status
	echo release > $HOG/control
	section raw oomsnap-rawdump
	section stats cat $OS/stats
	section last cat $OS/last
	seq=1
	while [ $seq -le 32 ]; do
		out=$(oomsnap show $seq --json 2>&1) || break
		section "show-$seq" echo "$out"
		seq=$((seq + 1))
	done
	[ $seq -gt 1 ] || section show-error oomsnap show 1 --json
	section meminfo cat /proc/meminfo
	section dmesg dmesg
	ok "$SCN"
}
