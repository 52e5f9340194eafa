#!/bin/sh
# A memory cgroup limit: 64 MB memory.max, a hog inside; the host stays mostly free.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
echo +memory > /sys/fs/cgroup/cgroup.subtree_control || scn_fail "no memory controller"
mkdir /sys/fs/cgroup/scenario || scn_fail "mkdir cgroup"
echo 64M > /sys/fs/cgroup/scenario/memory.max || scn_fail "memory.max"
scn_victim sh -c 'echo $$ > /sys/fs/cgroup/scenario/cgroup.procs && exec memhog'
section memcg-events cat /sys/fs/cgroup/scenario/memory.events
scn_report
