#!/bin/sh
# Fragmentation (LKML 2009): unmovable pages pinned one in every four, so the
# free memory sits in order-0/1 blocks only; then an order-2 GFP_KERNEL request.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
scn_fragment
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
