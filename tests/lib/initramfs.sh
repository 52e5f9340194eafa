#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh OUT.cpio.gz ARCH GUEST_SCRIPT [FILE...]
#
# A busybox-static initramfs for ARCH (x86_64 or i386). In the guest, /init mounts proc, sys,
# devtmpfs, debugfs, cgroup2 (/sys/fs/cgroup) and tmpfs /tmp, runs GUEST_SCRIPT (as
# /oomsnap/guest.sh, cwd /oomsnap, output on the console), prints OOMSNAP-GUEST-DONE and powers
# off. The console log level is 2 (oomsnap.loglevel=N on the kernel command line
# changes it). FILEs (files or directories) land in /oomsnap/; so do the static helper programs built
# from tests/guest/*.c for ARCH, and the guest library tests/lib/guest.sh as /oomsnap/lib/guest.sh
# (the markers the host reads, and the helpers guests share). /oomsnap is first in PATH.
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ $# -ge 3 ] || die "usage: $0 OUT.cpio.gz x86_64|i386 GUEST_SCRIPT [FILE...]"
out=$1 arch=$2 script=$3
shift 3
[ -f "$script" ] || die "no guest script $script"

# The busybox-static binary for ARCH.
busybox_for() {
	case "$1" in
	x86_64)
		need_pkgs busybox-static
		echo /bin/busybox ;;
	i386)
		local dir=$OOMSNAP_CACHE/busybox/i386
		if [ ! -e "$dir/.complete" ]; then
			need_i386_arch
			rm -rf "$dir"; mkdir -p "$dir/dl"
			(cd "$dir/dl" && apt-get -q -o APT::Sandbox::User=root download \
				busybox-static:i386 >&2) || die "apt-get download busybox-static:i386 failed"
			dpkg -x "$dir"/dl/*.deb "$dir/root"
			rm -rf "$dir/dl"
			touch "$dir/.complete"
		fi
		echo "$dir/root/bin/busybox" ;;
	*)	die "unknown ARCH $1 (x86_64 or i386)" ;;
	esac
}
busybox=$(run_locked "$OOMSNAP_CACHE/busybox/.lock" bash -c \
	"$(declare -f busybox_for need_pkgs pkg_installed need_i386_arch log die); \
	 $(declare -p OOMSNAP_CACHE); busybox_for $arch" "${0##*/}")
progs=$("$(dirname "$0")/guest-progs.sh" "$arch")

stage=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,oomsnap/lib,usr/bin,usr/sbin}
cp "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
cp "$script" "$stage/oomsnap/guest.sh"
chmod +x "$stage/oomsnap/guest.sh"
cp "$(dirname "$0")/guest.sh" "$stage/oomsnap/lib/guest.sh"
for f in "$progs"/*; do
	[ -e "$f" ] && cp -a "$f" "$stage/oomsnap/"
done
for f in "$@"; do
	[ -e "$f" ] || die "no such file: $f"
	cp -a "$f" "$stage/oomsnap/"
done

cat > "$stage/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs tmpfs /tmp
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
# Kernel messages on the console would interleave with the test markers: keep only the
# severest there (guest scripts read dmesg themselves); oomsnap.loglevel=N overrides.
level=2
for arg in $(cat /proc/cmdline); do
	case "$arg" in oomsnap.loglevel=*) level=${arg#*=} ;; esac
done
dmesg -n "$level"
export PATH=/oomsnap:/bin:/sbin:/usr/bin:/usr/sbin HOME=/tmp
cd /oomsnap
echo "OOMSNAP-GUEST-START $(uname -r) $(uname -m)"
sh /oomsnap/guest.sh
echo "OOMSNAP-GUEST-EXIT $?"
sync
echo OOMSNAP-GUEST-DONE
poweroff -f
INIT
chmod +x "$stage/init"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
