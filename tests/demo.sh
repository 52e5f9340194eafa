#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/demo.sh (make demo): install what is missing (as root), build oomsnap.ko and the reader
# for Debian's 6.1 stock kernel, boot that kernel in QEMU with 256 MB and no swap, load the
# module, let a memory hog run into the OOM killer, then show what oomsnap saw:
#   cat /sys/kernel/debug/oomsnap/last;  oomsnap show;  oomsnap explain on the guest's dmesg.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"

need_pkgs qemu-system-x86 busybox-static build-essential libelf-dev rsync cpio kmod xz-utils \
	zstd python3
log "building oomsnap.ko and tools/oomsnap for Debian's 6.1 kernel (first run downloads it)"
eval "$("$here/lib/build-module.sh" 6.1)"

work=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/demo-guest.sh" <<'GUEST'
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
say() { printf '\n$ %s\n' "$*"; }
echo -1000 > /proc/self/oom_score_adj
insmod /oomsnap/oomsnap.ko || { notok demo-insmod "insmod failed"; exit 1; }
say "memhog   # allocates and touches memory until the OOM killer stops it (256 MB, no swap)"
hog -c 4 2>&1 | tail -n 2
say "cat /sys/kernel/debug/oomsnap/last"
cat /sys/kernel/debug/oomsnap/last || notok demo-last "cat failed"
say "oomsnap show"
oomsnap show || notok demo-show "oomsnap show failed"
dmesg > /tmp/dmesg.txt
say "oomsnap explain dmesg.txt   # the kernel's own report, explained"
oomsnap explain /tmp/dmesg.txt || notok demo-explain "oomsnap explain failed"
GUEST
"$here/lib/initramfs.sh" "$work/demo.cpio.gz" x86_64 "$work/demo-guest.sh" "$KO" "$READER"
logf=$OOMSNAP_LOGS/demo.log
log "booting Debian $KVER in QEMU (software emulation, about a minute)"
rc=0
"$here/lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$work/demo.cpio.gz" --log "$logf" \
	--mem 256M --smp 2 --timeout 600 || rc=$?
sed -n '/^OOMSNAP-GUEST-START/,/^OOMSNAP-GUEST-DONE/p' "$logf" | tr -d '\r' |
	grep -v '^OOMSNAP-GUEST-'
if [ "$rc" -ne 0 ] || grep -q '^OOMSNAP-TEST: not ok' "$logf"; then
	die "the demo failed (qemu.sh exit $rc); console log: $logf"
fi
log "done; the whole console log is in $logf"
