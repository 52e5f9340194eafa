#!/bin/sh
# Lowmem exhaustion with HighMem free (the XenServer dom0): unreclaimable slab
# fills the ~880 MB of DMA+Normal; GFP_KERNEL may not use the ~1.1 GB HighMem.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
section zones grep -E '^Node|present' /proc/zoneinfo
scn_hog slab 512 100000000
scn_report
