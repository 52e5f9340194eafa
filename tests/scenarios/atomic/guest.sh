#!/bin/sh
# High-order GFP_ATOMIC requests under pressure: memory fragmented as in the
# fragmentation scenario, then order-3 GFP_ATOMIC allocations from softirq
# context (a timer), which may neither reclaim nor compact.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
scn_hog fragment 100000000 4
section buddyinfo cat /proc/buddyinfo
scn_hog alloc 3 atomic
scn_hog alloc 3 atomic
scn_report
