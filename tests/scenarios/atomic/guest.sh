#!/bin/sh
# High-order GFP_ATOMIC requests under pressure: memory fragmented as in the
# fragmentation scenario, then an order-3 GFP_ATOMIC allocation from softirq
# context (a timer), which may neither reclaim nor compact.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
scn_fragment
section buddyinfo cat /proc/buddyinfo
# The request (scn_split_and_ask). Before, the split and two requests each had their own
# writer: a 20-round check saw the pages freed by their exits merge into an order-3 block
# in DMA32 between the failed request and the kernel's report of it (and oomsnap's
# record), and both showed a block the request could have had.
scn_split_and_ask 3 atomic
scn_report
