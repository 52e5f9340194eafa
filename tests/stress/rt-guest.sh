# SPDX-License-Identifier: GPL-2.0
# Debian's PREEMPT_RT kernel (tests/stress/run.sh): oomsnap.ko must refuse to load, clearly.
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
grep -q PREEMPT_RT /proc/version && ok rt-kernel || notok rt-kernel "$(cat /proc/version)"
if insmod /oomsnap/oomsnap.ko 2>/tmp/insmod.err; then
	notok rt-refused "insmod succeeded"
	rmmod oomsnap
else
	ok rt-refused
fi
msg=$(dmesg | grep 'oomsnap: PREEMPT_RT kernels are not supported')
if [ -n "$msg" ] && [ ! -e /sys/kernel/debug/oomsnap ]; then
	ok rt-says-why
else
	notok rt-says-why "dmesg: $(dmesg | grep oomsnap | tail -n 2); insmod: $(cat /tmp/insmod.err)"
fi
echo "$msg" | excerpt
