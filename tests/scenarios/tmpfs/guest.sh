#!/bin/sh
# A tmpfs filled with data (no swap to move it to), then an allocation.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
mkdir -p /mnt/fill
mount -t tmpfs -o size=100% tmpfs /mnt/fill || scn_fail "mount tmpfs"
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
dd if=/dev/zero of=/mnt/fill/data bs=1M count=$((avail - 48)) 2>/dev/null ||
	scn_fail "filling tmpfs"
section df df -k /mnt/fill
scn_victim memhog
scn_report
