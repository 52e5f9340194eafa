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
# The request (scn_split_and_ask). Compaction may still build an order-2 block out of
# movable pages (the initramfs's tmpfs files, the processes' own): the pinned pages stop
# it only where they sit, and kcompactd, woken through kswapd by the request, compacts
# beside it. Loaded hosts saw the request succeed about once in twenty runs; then the
# next try takes that block too.
section vmstat-before grep -E '^(compact|pgmigrate|pgsteal|slabs_scanned)' /proc/vmstat
scn_split_and_ask 2 kernel
section vmstat-after grep -E '^(compact|pgmigrate|pgsteal|slabs_scanned)' /proc/vmstat
scn_report
