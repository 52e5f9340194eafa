#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tests/install, guest side: with vm.panic_on_oom=1 a global OOM panics the machine. The host
# (tests/install/run.sh) reads the console log: oomsnap's summary must come before the panic.
echo -1000 > /proc/self/oom_score_adj
if ! insmod /oomsnap/oomsnap.ko; then
	echo "OOMSNAP-TEST: not ok panic-load - insmod failed"
	exit 0
fi
echo 1 > /proc/sys/vm/panic_on_oom
echo "OOMSNAP-INFO panic_on_oom=$(cat /proc/sys/vm/panic_on_oom), provoking a global OOM"
sh -c 'echo 0 > /proc/self/oom_score_adj; exec memhog -c 4' > /dev/null 2>&1
echo "OOMSNAP-TEST: not ok panic-happened - the OOM did not panic the machine"
