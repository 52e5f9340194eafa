#!/bin/sh
# Huge pages reserved with vm.nr_hugepages hold most of RAM; a hog allocates.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
echo 180 > /proc/sys/vm/nr_hugepages
section hugepages grep -i huge /proc/meminfo
scn_victim memhog
scn_report
