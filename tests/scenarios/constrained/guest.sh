#!/bin/sh
# A task bound to node 0 by its memory policy fills node 0; node 1 stays free.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
section nodes cat /sys/devices/system/node/online
scn_victim memhog -n 0
scn_report
