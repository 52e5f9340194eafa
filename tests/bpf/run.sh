#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/bpf/run.sh [6.1] [6.12] - the BPF recorder (bpf/) on Debian's stock kernels (both by
# default). Builds the recorder once (one CO-RE object for both kernels), oomsnap.ko, the hog
# helper module and the reader against each series' headers, then boots each kernel twice in
# QEMU (256 MB, no swap) with tests/bpf/guest.sh:
#   plain     oomsnap.ko and the recorder side by side: an allocation failure, a memcg OOM and
#             a global OOM; the recorder's records are checked against the kernel's own
#             reports in dmesg and its diagnoses against the module's for the same events;
#   lockdown  lockdown=integrity module.sig_enforce=1: insmod is refused, the recorder still
#             captures and explains the global OOM.
# tests/bpf/check.py judges each console log ($OOMSNAP_LOGS/bpf-<series>-<boot>.log).
# Ends with "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

series_list=("$@")
[ ${#series_list[@]} -gt 0 ] || series_list=(6.1 6.12)
need_pkgs qemu-system-x86 busybox-static python3 rsync cpio clang bpftool libbpf-dev \
	libelf-dev zlib1g-dev

passed=0 failed=0
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

logdir=$OOMSNAP_LOGS
mkdir -p "$logdir"
# The recorder: built once, in a copy of the tree (the work tree stays clean).
clone=$(printf '%s' "$OOMSNAP_ROOT" | sha1sum | cut -c1-8)
bbuild=$OOMSNAP_CACHE/build/$clone/bpf
mkdir -p "$bbuild"
if ! (flock 9 && sync_tree "$bbuild" && make -C "$bbuild/bpf" -j"${OOMSNAP_JOBS:-2}" \
	>"$bbuild.log" 2>&1) 9>"$bbuild.lock"; then
	tail -n 40 "$bbuild.log"
	count_results <<<"not ok - bpf/build: make -C bpf failed (log $bbuild.log)"
	finish
fi
recorder=$bbuild/bpf/oomsnap-bpf
if file -L "$recorder" | grep -q 'statically linked'; then
	count_results <<<"ok - bpf/build-static"
else
	count_results <<<"not ok - bpf/build-static: $recorder is not statically linked"
fi
rawjson=$bbuild/tests/bpf/rawjson
gcc -O2 -Wall -Wextra -Werror -I"$bbuild/uapi" -o "$rawjson" "$bbuild/tests/bpf/rawjson.c" ||
	{ count_results <<<"not ok - bpf/rawjson: build failed"; finish; }

for series in "${series_list[@]}"; do
	initrd=$logdir/bpf-$series.cpio.gz
	if ! series_guest "$series" "$initrd" "$here/guest.sh" "$recorder"; then
		count_results <<<"not ok - bpf-$series/$guest_failed"
		continue
	fi
	for boot in plain lockdown; do
		log=$logdir/bpf-$series-$boot.log
		append="log_buf_len=4M"
		[ "$boot" = lockdown ] && append="$append lockdown=integrity module.sig_enforce=1"
		start=$(now)
		"$here/../lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$initrd" --log "$log" \
			--mem 256M --smp 2 --timeout 900 --append "$append"
		rc=$?
		log "bpf $series $boot: guest ran $(($(now) - start))s (qemu.sh exit $rc), log $log"
		[ "$rc" -eq 124 ] && count_results <<<"not ok - bpf-$series-$boot/boot: timeout, console log $log"
		count_results < <(python3 "$here/check.py" "$log" "bpf-$series-$boot" "$rawjson" "$boot" \
			"$READER")
	done
done
finish
