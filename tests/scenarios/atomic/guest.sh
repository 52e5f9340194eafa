#!/bin/sh
# High-order GFP_ATOMIC requests under pressure: memory fragmented as in the
# fragmentation scenario, then an order-3 GFP_ATOMIC allocation from softirq
# context (a timer), which may neither reclaim nor compact.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
# As in the fragmentation scenario: nothing may rebuild an order-3 block behind the
# helper's back (slab pages freed whole by reclaim, kcompactd, huge pages).
echo 0 > /proc/sys/vm/vfs_cache_pressure
echo 0 > /proc/sys/vm/compaction_proactiveness
echo never > /sys/kernel/mm/transparent_hugepage/enabled
echo 3 > /proc/sys/vm/drop_caches
scn_hog fragment 100000000 4
section buddyinfo cat /proc/buddyinfo
# The request: its writer first splits again the blocks that frees have merged since,
# then asks, with no exit in between. Without that (the split and two requests, each
# from its own writer), a 20-round check saw the pages freed by exits merge into an
# order-3 block in DMA32 between the failed request and the kernel's report of it (and
# oomsnap's record): both showed a block the request could have had. A request
# that succeeds (a block came meanwhile) reports nothing; the next try takes that block.
try=1
while :; do
	scn_victim sh -c "echo 'fragment 0 4' > $HOG/control && echo 'alloc 3 atomic' > $HOG/control"
	last=$(grep '^last' $HOG/status)
	info "atomic: try $try: $last"
	case "$last" in "last alloc: order 3 atomic failed"*) break ;; esac
	[ $try -lt 5 ] || scn_fail "the order-3 request did not fail in $try tries: $last"
	try=$((try + 1))
done
scn_report
