#!/bin/sh
# mlockall() daemons with free swap (the slides' appliance): two hold 160 MB
# each, locked; a third locked one allocates until the OOM killer fires. The
# swap device on /dev/vda stays empty: locked pages can't go there.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
scn_wait_file /dev/vda 30
mkswap /dev/vda >/dev/null || scn_fail "mkswap /dev/vda"
swapon /dev/vda || scn_fail "swapon /dev/vda"
memhog -L -l 160 -r /tmp/held1 &
memhog -L -l 160 -r /tmp/held2 &
scn_wait_file /tmp/held1 120
scn_wait_file /tmp/held2 120
section swaps cat /proc/swaps
scn_victim memhog -L
scn_report
