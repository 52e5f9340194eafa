#!/bin/sh
# Overcommit: with vm.overcommit_memory=1 a 4 GB mapping succeeds on a 512 MB
# machine without swap; touching it ends in the OOM killer.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
echo 1 > /proc/sys/vm/overcommit_memory
scn_victim memhog -s 4096
scn_report
