#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tests/install, guest side: an OOM that panics the machine, in one of two ways, by the kernel
# command line's oomsnap.panic=:
#   panic_on_oom  vm.panic_on_oom=1 and a global OOM ("Out of memory: ... panic_on_oom")
#   deadlock      every task exempt from the OOM killer (oom_score_adj -1000), a global OOM:
#                 nothing to kill ("System is deadlocked on memory")
#   memcg         vm.panic_on_oom=2 and a memory cgroup OOM ("... compulsory panic_on_oom")
# The host (tests/install/run.sh) reads the console log: oomsnap's summary must come before the
# panic.
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
mode=panic_on_oom
for arg in $(cat /proc/cmdline); do
	case "$arg" in oomsnap.panic=*) mode=${arg#*=} ;; esac
done
echo -1000 > /proc/self/oom_score_adj
if ! insmod /oomsnap/oomsnap.ko; then
	notok panic-load "insmod failed"
	exit 0
fi
case "$mode" in
panic_on_oom)
	echo 1 > /proc/sys/vm/panic_on_oom
	info "panic_on_oom=$(cat /proc/sys/vm/panic_on_oom), provoking a global OOM"
	sh -c 'echo 0 > /proc/self/oom_score_adj; exec memhog -c 4' > /dev/null 2>&1 ;;
deadlock)
	echo 0 > /proc/sys/vm/panic_on_oom
	info "every task at oom_score_adj -1000, provoking a global OOM"
	memhog -c 4 > /dev/null 2>&1 ;;
memcg)
	echo 2 > /proc/sys/vm/panic_on_oom
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	mkdir -p /sys/fs/cgroup/p
	echo 16M > /sys/fs/cgroup/p/memory.max
	info "panic_on_oom=2, provoking a memory cgroup OOM"
	sh -c 'echo $$ > /sys/fs/cgroup/p/cgroup.procs && echo 0 > /proc/self/oom_score_adj &&
	       exec memhog -c 1' > /dev/null 2>&1 ;;
*)
	notok panic-mode "unknown oomsnap.panic=$mode" ;;
esac
notok panic-happened "the OOM did not panic the machine"
