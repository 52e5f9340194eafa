#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/reader/top-qemu.sh [6.1] [6.12] - "oomsnap top" against a real kernel: Debian's stock
# kernel of each series (both by default) in QEMU (512 MB, no swap) runs
# tests/reader/top-guest.sh, and the host checks that
#   - the module's version (modinfo) is the reader's (--version);
#   - the headroom file is read by top (text and JSON) on a live kernel;
#   - on a fragmented guest (6.1, as tests/scenarios/fragmentation; on 6.12 the results
#     are printed, not judged: see top_check.py), right before an order-2 GFP_KERNEL
#     request that then fails, the view shows GFP_KERNEL order 0 passing and order 2
#     failing for want of a block (largest order < 2);
#   - while kernel memory grows, the GFP_KERNEL headroom the view shows falls (from
#     more than 64 MB) to under 1 MB, and the OOM that follows is of a class the last
#     view gave at most 256 pages: the view predicted it;
#   - the module's own text escapes a task name with an escape sequence, JSON keeps it whole.
# Console logs: $OOMSNAP_LOGS/top-<series>.log. Ends with "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

series_list=("$@")
[ ${#series_list[@]} -gt 0 ] || series_list=(6.1 6.12)
need_pkgs qemu-system-x86 busybox-static python3 rsync cpio kmod

passed=0 failed=0
result() {	# NAME OK? [REASON]
	if [ "$2" = 0 ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1: $3"
		failed=$((failed + 1))
	fi
}

for series in "${series_list[@]}"; do
	logdir=$OOMSNAP_LOGS
	mkdir -p "$logdir"
	log=$logdir/top-$series.log
	initrd=$logdir/top-$series.cpio.gz
	if ! series_guest "$series" "$initrd" "$here/top-guest.sh"; then
		result "top-$series/${guest_failed%%: *}" 1 "${guest_failed#*: }"
		continue
	fi
	want="oomsnap $(modinfo -F version "$KO")"
	got=$("$READER" --version)
	[ "$got" = "$want" ]
	result "top-$series/version-matches-modinfo" $? "reader '$got', module '$want'"
	start=$(now)
	"$here/../lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$initrd" --log "$log" --mem 512M \
		--smp 2 --timeout 900 --append "log_buf_len=4M"
	rc=$?
	log "top $series: guest ran $(($(now) - start))s (qemu.sh exit $rc), log $log"
	if [ "$rc" -ne 0 ]; then
		result "top-$series/boot" 1 "qemu.sh exit $rc, console log $log"
		continue
	fi
	while IFS= read -r line; do
		case "$line" in
		"ok "*) echo "$line"; passed=$((passed + 1)) ;;
		"not ok "*) echo "$line"; failed=$((failed + 1)) ;;
		*) echo "$line" ;;
		esac
	done < <(python3 "$here/top_check.py" "$log" "top-$series")
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
