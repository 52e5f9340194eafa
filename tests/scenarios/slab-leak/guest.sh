#!/bin/sh
# A kernel object leak: the helper leaks 512-byte objects from its own cache
# (oomsnap_hog_leak) until the OOM killer stops it.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
scn_hog slab 512 100000000
scn_report
