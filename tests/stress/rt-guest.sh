# SPDX-License-Identifier: GPL-2.0
# Debian's PREEMPT_RT kernel (tests/stress/run.sh): oomsnap.ko must refuse to load, clearly.
grep -q PREEMPT_RT /proc/version && echo "OOMSNAP-TEST: ok rt-kernel" ||
	echo "OOMSNAP-TEST: not ok rt-kernel - $(cat /proc/version)"
if insmod /oomsnap/oomsnap.ko 2>/tmp/insmod.err; then
	echo "OOMSNAP-TEST: not ok rt-refused - insmod succeeded"
	rmmod oomsnap
else
	echo "OOMSNAP-TEST: ok rt-refused"
fi
msg=$(dmesg | grep 'oomsnap: PREEMPT_RT kernels are not supported')
if [ -n "$msg" ] && [ ! -e /sys/kernel/debug/oomsnap ]; then
	echo "OOMSNAP-TEST: ok rt-says-why"
else
	echo "OOMSNAP-TEST: not ok rt-says-why - dmesg: $(dmesg | grep oomsnap | tail -n 2); insmod: $(cat /tmp/insmod.err)"
fi
echo "OOMSNAP-DMESG: $msg"
