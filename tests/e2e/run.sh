#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/e2e/run.sh [6.1] [6.12] - end-to-end tests on Debian's stock kernels (both by default):
# build oomsnap.ko, the hog helper module and the reader against the series' headers, boot the
# stock kernel in QEMU (256 MB, no swap) with tests/e2e/guest.sh, and judge its console log with
# tests/e2e/check.py (which reads the kernel's reports with that reader's explain --json, on
# the host). Console logs are kept in $OOMSNAP_LOGS/e2e-<series>.log.
# Ends with "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

series_list=("$@")
[ ${#series_list[@]} -gt 0 ] || series_list=(6.1 6.12)
need_pkgs qemu-system-x86 busybox-static python3 rsync cpio

passed=0 failed=0

for series in "${series_list[@]}"; do
	logdir=$OOMSNAP_LOGS
	mkdir -p "$logdir"
	log=$logdir/e2e-$series.log
	initrd=$logdir/e2e-$series.cpio.gz
	if ! series_guest "$series" "$initrd" "$here/guest.sh"; then
		count_results <<<"not ok - e2e-$series/$guest_failed"
		continue
	fi
	start=$(now)
	"$here/../lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$initrd" --log "$log" --mem 256M \
		--smp 2 --timeout 600 --append "log_buf_len=4M"
	rc=$?
	log "e2e $series: guest ran $(($(now) - start))s (qemu.sh exit $rc), log $log"
	[ "$rc" -eq 124 ] && count_results <<<"not ok - e2e-$series/boot: timeout, console log $log"
	count_results < <(python3 "$here/check.py" "$log" "e2e-$series" "$READER")
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
