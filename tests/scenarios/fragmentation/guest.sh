#!/bin/sh
# Fragmentation (LKML 2009): unmovable pages pinned one in every four, so the
# free memory sits in order-0/1 blocks only; then an order-2 GFP_KERNEL request.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
# Nothing may rebuild an order-2 block behind the helper's back: reclaim must not
# free slab pages (dentries, inodes) whole, kcompactd must not compact on its own,
# and no huge page may come or go.
echo 0 > /proc/sys/vm/vfs_cache_pressure
echo 0 > /proc/sys/vm/compaction_proactiveness
echo never > /sys/kernel/mm/transparent_hugepage/enabled
echo 3 > /proc/sys/vm/drop_caches
scn_hog fragment 100000000 4
# (what this writer's exit and these readers' have merged again shows here)
section buddyinfo cat /proc/buddyinfo
section pagetypeinfo cat /proc/pagetypeinfo
# The request: its writer first splits again the blocks that frees have merged
# since (the last writer's exit), then asks, with no exit in between. Compaction
# may still build an order-2 block out of movable pages (the initramfs's tmpfs
# files, the processes' own): the pinned pages stop it only where they sit, and
# kcompactd, woken through kswapd by the request, compacts beside it. Loaded
# hosts saw the request succeed about once in twenty runs; then nothing is
# reported and the next try takes that block too: at most 5 tries, each said.
section vmstat-before grep -E '^(compact|pgmigrate|pgsteal|slabs_scanned)' /proc/vmstat
try=1
while :; do
	scn_victim sh -c "echo 'fragment 0 4' > $HOG/control && echo 'alloc 2 kernel' > $HOG/control"
	last=$(grep '^last' $HOG/status)
	info "fragmentation: try $try: $last"
	case "$last" in "last alloc: order 2 kernel failed"*) break ;; esac
	[ $try -lt 5 ] || scn_fail "the order-2 request did not fail in $try tries: $last"
	# An OOM kill that did not end in a failure (a block came while the victim
	# retried): its report and record go aside, so the host compares one pair.
	if [ -n "$(oomsnap-rawdump)" ]; then
		section "dmesg-try-$try" dmesg -c
		echo clear > $OS/control
	fi
	try=$((try + 1))
done
section vmstat-after grep -E '^(compact|pgmigrate|pgsteal|slabs_scanned)' /proc/vmstat
scn_report
