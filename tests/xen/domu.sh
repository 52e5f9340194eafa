#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The PV domU's script (busybox initramfs, tests/lib/initramfs.sh): attach its disks through
# xen-blkfront, take one snapshot of its own (oomsnap.ko), and keep xen-blkback busy in dom0 until dom0 powers the host off. One writer
# and one reader per disk, pinned to both vCPUs so that every blk-mq queue (one ring each in
# blkback) carries requests; O_DIRECT so that each request reaches the backend instead of
# the domU's page cache, and the frontend's persistent grants are used again and again.
insmod /oomsnap/xen-blkfront.ko || { echo "XEN-DOMU: insmod xen-blkfront failed"; exit 1; }
i=0
while [ ! -b /dev/xvda ] || [ ! -b /dev/xvdb ]; do
	i=$((i + 1))
	[ $i -le 100 ] || { echo "XEN-DOMU: no /dev/xvda and /dev/xvdb"; exit 1; }
	sleep 0.1
done
cpus=$(grep -c ^processor /proc/cpuinfo)
echo "XEN-DOMU: disks up, $cpus vcpus, queues $(find /sys/block/xvda/mq -mindepth 1 -maxdepth 1 | wc -l)"

# The domU's own snapshot, before the I/O starts: a PV domU, its balloon, no blkback. Its
# state and record go to the console (xenconsoled's log in dom0) on marked lines.
BALLOON=/sys/devices/system/xen_memory/xen_memory0
domu_state() {
	echo "XEN-DOMU-STATE guest_type $(cat /sys/hypervisor/guest_type)"
	echo "XEN-DOMU-STATE capabilities $(cat /proc/xen/capabilities 2>/dev/null || echo -)"
	for f in info/current_kb target_kb info/low_kb info/high_kb; do
		echo "XEN-DOMU-STATE balloon_${f#info/} $(cat $BALLOON/$f)"
	done
}
if insmod /oomsnap/oomsnap.ko; then
	domu_state
	echo snapshot >/sys/kernel/debug/oomsnap/control
	echo "XEN-DOMU-SHOW $(oomsnap --json show 2>&1)"
	domu_state
else
	echo "XEN-DOMU-SHOW {\"error\": \"insmod oomsnap.ko failed in the domU\"}"
fi

# COUNT 64 KiB blocks: sizes in the disk's first half (written) and second half (read).
io_loop() {	# DISK CPU
	blocks=$(( $(cat "/sys/block/${1#/dev/}/size") / 128 / 2 ))
	while :; do
		taskset -c "$2" dd if=/dev/zero of="$1" bs=64k count=$blocks oflag=direct \
			conv=notrunc 2>/dev/null
		taskset -c "$2" dd if="$1" of=/dev/null bs=64k skip=$blocks count=$blocks \
			iflag=direct 2>/dev/null
	done
}
n=0
for disk in /dev/xvda /dev/xvdb; do
	for cpu in $(seq 0 $((cpus - 1))); do
		io_loop "$disk" "$cpu" &
		n=$((n + 1))
	done
done
echo "XEN-DOMU: $n I/O loops running"
wait
