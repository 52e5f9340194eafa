#!/bin/sh
# Fragmentation (LKML 2009): unmovable pages pinned one in every four, so the
# free memory sits in order-0/1 blocks only; then an order-2 GFP_KERNEL request.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
scn_hog fragment 100000000 4
scn_section buddyinfo cat /proc/buddyinfo
scn_hog alloc 2 kernel
scn_report
