#!/bin/sh
# A driver page pool (Xen blkback-like): the helper holds order-0 pages taken
# from alloc_pages() directly, counted nowhere, until the OOM killer stops it.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
scn_hog pages 100000000
scn_report
