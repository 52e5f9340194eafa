#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/check.sh [SUITE...] - every oomsnap test (make check). Suites, in this order:
#   unit       tests/unit/run.sh            the diagnosis engine and the log parser, on the host
#   fuzz       tests/fuzz/run.sh --short    the log parser and record decoder, short run
#   reader     tests/reader/run.sh          the reader's command line, output, man pages, completion
#   build      tests/lib/build-matrix.sh    W=1 + sparse against Debian 6.1/6.12 headers, checkpatch
#   kunit      tests/kunit/run.sh           KUnit suites in a kernel built from linux-source-6.1
#   e2e        tests/e2e/run.sh             real OOMs and failures on Debian's 6.1 and 6.12 kernels
#   scenarios  tests/scenarios/run.sh       the field cases, recreated in QEMU
#   top        tests/reader/top-qemu.sh     oomsnap top on Debian's 6.1 and 6.12 in QEMU: fragmentation, growth to OOM
#   stress     tests/stress/run.sh          storms on a debug kernel (lockdep, KASAN, ...): short form
#   install    tests/install/run.sh         install/DKMS for 6.1 and 6.12, recorder, panic, metrics
#   bpf        tests/bpf/run.sh             the BPF recorder on Debian's 6.1 and 6.12, plain and locked down
# A suite runs only if its runner exists. Each runner ends with "N passed, M failed"; a runner
# that exits non-zero with no failure counted, or without that line, counts as one failure.
# Prints a per-suite summary with elapsed times, then exactly "N passed, M failed".
# Logs: $OOMSNAP_LOGS/check-<suite>.log.
#
# tests/check.sh --repeat N [SUITE...]: the same, N rounds in a row, to show that suites do not
# flake; stops at the first round that fails (its logs are the ones left) and ends with
# "R of N rounds passed in a row". Two repeats at once need an OOMSNAP_LOGS each.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tests/lib/common.sh"

if [ "${1:-}" = --repeat ]; then
	rounds=${2:-}
	[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--repeat takes a number of rounds, not '$rounds'"
	shift 2
	start=$(now)
	for ((i = 1; i <= rounds; i++)); do
		echo "=== round $i of $rounds"
		"$0" "$@" | tee "$OOMSNAP_LOGS/repeat-round.log"
		if [ "${PIPESTATUS[0]}" -ne 0 ]; then
			echo "round $i failed: $(grep -E '^not ok' "$OOMSNAP_LOGS/repeat-round.log" |
				head -n 3 | tr '\n' ' ')"
			echo "$((i - 1)) of $rounds rounds passed in a row ($(($(now) - start))s)"
			exit 1
		fi
		echo "round $i of $rounds passed ($(($(now) - start))s so far)"
	done
	echo "$rounds of $rounds rounds passed in a row ($(($(now) - start))s)"
	exit 0
fi

all_suites=(unit fuzz reader build kunit e2e scenarios top stress install bpf)
default_suites=(unit fuzz reader build kunit e2e scenarios top stress install bpf)
runner_of() {
	case "$1" in
	unit)		echo "tests/unit/run.sh" ;;
	fuzz)		echo "tests/fuzz/run.sh --short" ;;
	reader)		echo "tests/reader/run.sh" ;;
	build)		echo "tests/lib/build-matrix.sh" ;;
	kunit)		echo "tests/kunit/run.sh" ;;
	e2e)		echo "tests/e2e/run.sh" ;;
	scenarios)	echo "tests/scenarios/run.sh" ;;
	top)		echo "tests/reader/top-qemu.sh" ;;
	stress)		echo "tests/stress/run.sh" ;;
	install)	echo "tests/install/run.sh" ;;
	bpf)		echo "tests/bpf/run.sh" ;;
	*)		return 1 ;;
	esac
}

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("${default_suites[@]}")
for s in "${suites[@]}"; do
	runner_of "$s" >/dev/null || die "unknown suite '$s' (${all_suites[*]})"
done

logdir=$OOMSNAP_LOGS
mkdir -p "$logdir"
total_pass=0 total_fail=0 total_skip=0
summary=()
check_start=$(now)
for s in "${suites[@]}"; do
	read -r -a cmd <<<"$(runner_of "$s")"
	if [ ! -f "$root/${cmd[0]}" ]; then
		summary+=("$(printf '%-10s %s' "$s" "not run: ${cmd[0]} does not exist yet")")
		continue
	fi
	log=$logdir/check-$s.log
	echo "=== $s: ${cmd[*]}"
	start=$(now)
	(cd "$root" && bash "${cmd[@]}") 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	secs=$(($(now) - start))
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" | tail -n1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
		f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
		k=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped$/\1/p')
		k=${k:-0}
		note=
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1 note=" (runner exited $rc)"
		fi
	else
		p=0 f=1 k=0 note=" (runner exited $rc without its 'N passed, M failed' line)"
	fi
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_skip=$((total_skip + k))
	summary+=("$(printf '%-10s %4d passed, %3d failed, %3d skipped  %5ds%s' \
		"$s" "$p" "$f" "$k" "$secs" "$note")")
done

echo
echo "=== summary (logs in $logdir)"
printf '%s\n' "${summary[@]}"
printf '%-10s %ds\n' total "$(($(now) - check_start))"
[ "$total_skip" -eq 0 ] || echo "$total_skip skipped"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
