#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the Xen test host's dom0 (the cached debootstrap root plus an overlay made by
# run.sh): mount the usual filesystems, load the kernel's Xen modules, start the toolstack
# (oxenstored, xen-init-dom0, xenconsoled), serve two loop devices to a PV domU through
# xen-blkback, wait until the domU's I/O reaches blkback, then run the scenarios
# (/oomsnap/dom0-scenarios.sh), print OOMSNAP-GUEST-DONE and power off.
export PATH=/oomsnap:/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t debugfs debugfs /sys/kernel/debug
# xenconsoled gives every guest console a pty
mkdir -p /dev/pts
mount -t devpts -o ptmxmode=0666 devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /var/log
mount -t tmpfs tmpfs /var/lib
# The block hotplug script spins forever without these.
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mkdir -p /run/xen /run/lock /var/log/xen/console /var/lib/xen /var/lib/xenstored
echo "OOMSNAP-GUEST-START $(uname -r) $(uname -m) dom0"
# The scenarios read dmesg themselves: kernel messages would interleave with the sections.
dmesg -n 1

# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
die() {
	notok xen-host "$*"
	for f in /var/log/xen/*.log /var/log/xen/console/*.log; do
		[ -s "$f" ] || continue
		echo "--- $f"; tail -n 30 "$f"
	done
	dmesg | tail -n 40
	echo OOMSNAP-GUEST-DONE
	busybox poweroff -f
}

# Two queues per disk whatever dom0's vCPU count: blkback's rings then differ from its
# backends in number.
while read -r m; do
	args=
	[ "$m" = xen-blkback ] && args=max_queues=2
	insmod "/oomsnap/kmod/$m.ko" $args || die "insmod $m.ko $args failed"
done </oomsnap/kmod/order
mount -t xenfs xenfs /proc/xen || die "mount xenfs failed"
grep -q control_d /proc/xen/capabilities || die "not dom0: $(cat /proc/xen/capabilities)"

# The toolstack must outlive the OOM scenario: never the OOM killer's choice.
echo -1000 >/proc/self/oom_score_adj
oxenstored --pid-file /run/xenstored.pid || die "oxenstored failed"
i=0
until xenstore-exists / 2>/dev/null; do
	i=$((i + 1)); [ $i -le 100 ] || die "xenstored does not answer"; sleep 0.1
done
xen-init-dom0 >/var/log/xen/init-dom0.log 2>&1 || die "xen-init-dom0 failed"
xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console ||
	die "xenconsoled failed"

# Two disks for the domU, on tmpfs in dom0.
for n in 0 1; do
	dd if=/dev/zero of=/run/disk$n.img bs=1M count=32 2>/dev/null
	losetup /dev/loop$n /run/disk$n.img || die "losetup loop$n failed"
done
cat >/run/domu.cfg <<CFG
name = "domu"
type = "pv"
kernel = "/oomsnap/domu/vmlinuz"
ramdisk = "/oomsnap/domu/initrd.cpio.gz"
extra = "console=hvc0"
memory = 128
vcpus = 2
disk = [ "phy:/dev/loop0,xvda,w", "phy:/dev/loop1,xvdb,w" ]
on_crash = "destroy"
CFG
xl create /run/domu.cfg >/var/log/xen/create.log 2>&1 || { cat /var/log/xen/create.log; die "xl create failed"; }

# Wait until both backends are connected and carry requests.
domid=$(xl domid domu)
i=0
while :; do
	busy=0
	for s in /sys/bus/xen-backend/devices/vbd-"$domid"-*/statistics; do
		[ -r "$s/wr_req" ] && [ "$(cat "$s/wr_req")" -gt 100 ] && busy=$((busy + 1))
	done
	[ $busy -ge 2 ] && break
	i=$((i + 1)); [ $i -le 600 ] || die "the domU's I/O never reached blkback ($busy disks busy)"
	sleep 0.1
done
ok "xen-host (domU $domid doing I/O on 2 disks)"

sh /oomsnap/dom0-scenarios.sh
echo "OOMSNAP-GUEST-EXIT $?"
echo OOMSNAP-GUEST-DONE
busybox poweroff -f
