#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh - the KUnit suites of oomsnap, in QEMU (make kunit).
#
# Builds the KUnit kernel (tests/lib/build-kernel.sh, cached), then oomsnap.ko against it with
# its suites, module/*_kunit.c (OOMSNAP_KUNIT=1, W=1; tests/lib/build-module.sh, in its copy of
# the tree), boots the kernel with tests/kunit/guest.sh in a busybox initramfs: loading
# oomsnap.ko runs the suites; the guest prints the KTAP and /sys/kernel/debug/kunit/*/results
# in sections (tests/lib/guest.sh), which are parsed here:
#   ok - SUITE.CASE            one line per test case (parameters counted inside it)
#   not ok - SUITE.CASE: why   followed by the case's diagnostics
# and a final "N passed, M failed[, K skipped]". Exit status 1 on any failure, on a missing
# suite, on a module that won't load or unload, on a kernel warning, or on a hung guest.
# The console log, the KTAP and the sections are kept in $OOMSNAP_LOGS/kunit/.
#
# Environment: OOMSNAP_KUNIT_TIMEOUT (s, default 180), OOMSNAP_KUNIT_LOG (console log path),
# OOMSNAP_STREAM=1 (show the console while it runs).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

# Every suite oomsnap.ko must run; one missing is a failure.
expected_suites=(
	oomsnap_watermark
	oomsnap_gfp
	oomsnap_ring
	oomsnap_record
	oomsnap_snapshot
	oomsnap_control
)

root=$OOMSNAP_ROOT
lib=$root/tests/lib
timeout_s=${OOMSNAP_KUNIT_TIMEOUT:-180}
need_pkgs rsync qemu-system-x86 busybox-static python3

eval "$("$lib/build-kernel.sh" kunit x86_64 "$lib/guest-kernel.config" \
	"$root/kunit/kunit.config")"
[ -n "${KDIR:-}" ] && [ -f "${BZIMAGE:-}" ] || die "build-kernel.sh gave no kernel"
kernel=$BZIMAGE

work=$OOMSNAP_LOGS/kunit
log=${OOMSNAP_KUNIT_LOG:-$work/console.log}
mkdir -p "$work"

start=$(now)
log "building oomsnap.ko with its KUnit suites against $KDIR"
vars=$("$lib/build-module.sh" --kdir "$KDIR" OOMSNAP_KUNIT=1 W=1) ||
	die "oomsnap.ko with OOMSNAP_KUNIT=1 does not build"
eval "$vars"
# W=1's warnings, as the build printed them (build-module.sh keeps its output in a log)
grep -E '(warning|error):' "$BUILD.log" >&2 || true
# the guest's pwrite(2) helper for the control file checks
gcc -static -O2 -Wall -Wextra -Werror -o "$work/ctlwrite" "$root/tests/kunit/ctlwrite.c" ||
	die "ctlwrite.c does not build"
log "oomsnap.ko built in $(($(now) - start)) s"

initrd=$work/initramfs.cpio.gz
"$lib/initramfs.sh" "$initrd" x86_64 "$root/tests/kunit/guest.sh" "$KO" "$work/ctlwrite"

start=$(now)
rc=0
# cma=16M: free CMA pages for the watermark checks; movablecore=64M: a Movable zone;
# log_buf_len=1M: the whole KTAP stays in dmesg.
"$lib/qemu.sh" --kernel "$kernel" --initrd "$initrd" --log "$log" --mem 512M --smp 2 \
	--timeout "$timeout_s" --append "cma=16M movablecore=64M log_buf_len=1M" || rc=$?
elapsed=$(($(now) - start))
log "boot + suites: ${elapsed} s (console log: $log)"

# The KTAP and the suites' verdicts from the console's sections (tests/lib/console.py).
rm -rf "$work/sec"
python3 "$lib/console.py" split "$log" "$work/sec"
cp "$work/sec/ktap" "$work/results.ktap" 2>/dev/null || : >"$work/results.ktap"
cp "$work/sec/kunit-results" "$work/results.debugfs" 2>/dev/null || : >"$work/results.debugfs"

# One line per test case; params and diagnostics folded into it.
awk -v expected="${expected_suites[*]}" -v guest_rc="$rc" -v debugfs="$work/results.debugfs" '
function indent(s) { match(s, /^ */); return RLENGTH }
function reset_case() { diag = ""; failp = ""; nparams = 0 }
BEGIN {
	n = split(expected, want, " ")
	while ((getline l < debugfs) > 0) {	# "SUITE [not ]ok 1 SUITE"
		split(l, w, " ")
		verdict[w[1]] = (w[2] == "not") ? "not ok" : "ok"
	}
	reset_case()
}
{
	line = $0
	lvl = indent(line)
	body = substr(line, lvl + 1)
	if (body ~ /^KTAP version/ || body ~ /^1\.\.[0-9]+$/ || body ~ /^# Totals:/)
		next
	if (lvl == 4 && body ~ /^# Subtest: /) {
		suite = substr(body, 12); seen[suite] = 1; suite_failed[suite] = 0
		reset_case()
		next
	}
	if (lvl == 8 && body ~ /^# Subtest: /)
		next
	if (lvl == 4 && body ~ /^# [^ ]+: pass:[0-9]+ fail:[0-9]+ skip:[0-9]+ total:[0-9]+$/) {
		nparams = body; sub(/.* total:/, "", nparams)	# a parameterised case
		next
	}
	if (lvl == 0 && body ~ /^# [^ ]+: pass:[0-9]+ fail:/)
		next
	if (lvl == 8 && body ~ /^(not )?ok [0-9]+ /) {	# one parameter
		if (body ~ /^not ok/) {
			p = body; sub(/^not ok [0-9]+ (- )?/, "", p)
			failp = failp "\n    failed param: " p
		}
		next
	}
	if (lvl == 4 && body ~ /^(not )?ok [0-9]+ /) {	# one test case
		name = body
		sub(/^(not )?ok [0-9]+ (- )?/, "", name)
		skip = name ~ / # SKIP/
		sub(/ # SKIP.*$/, "", name)
		label = suite "." name (nparams ? " (" nparams " params)" : "")
		if (body ~ /^not ok/) {
			failed++; suite_failed[suite]++
			why = diag
			if (match(why, /(EXPECTATION|ASSERTION) FAILED at [^\n]*/))
				why = substr(why, RSTART, RLENGTH)
			else
				sub(/\n.*/, "", why)
			sub(/at .*\//, "at ", why)
			printf "not ok - %s: %s\n", label, (why != "" ? why : "failed")
			printf "--- %s%s%s\n", label, failp, diag > "/dev/stderr"
		} else if (skip) {
			skipped++
			printf "ok - %s # SKIP\n", label
		} else {
			passed++
			printf "ok - %s\n", label
		}
		reset_case()
		next
	}
	if (lvl == 0 && body ~ /^(not )?ok [0-9]+ /) {	# a suite verdict
		s = body; sub(/^(not )?ok [0-9]+ (- )?/, "", s); sub(/ .*/, "", s)
		if (body ~ /^not ok/ && !suite_failed[s]) {
			failed++
			printf "not ok - %s: suite failed without a failing case (init?)\n", s
		}
		next
	}
	if (length(diag) < 4000)	# diagnostics, and whatever else the kernel said
		diag = diag "\n    " line
}
END {
	for (i = 1; i <= n; i++) {
		if (!(want[i] in seen)) {
			failed++
			printf "not ok - %s: suite missing from the results\n", want[i]
		} else if (!(want[i] in verdict)) {
			failed++
			printf "not ok - %s: no /sys/kernel/debug/kunit/%s/results\n", want[i], want[i]
		} else if (verdict[want[i]] == "not ok" && !suite_failed[want[i]]) {
			failed++
			printf "not ok - %s: debugfs results say not ok\n", want[i]
		}
	}
	if (guest_rc == 124) {
		failed++
		print "not ok - guest: timed out (hung guest)"
	} else if (guest_rc != 0) {
		failed++
		print "not ok - guest: did not finish (crash or early exit)"
	}
}' "$work/results.ktap" >"$work/cases.txt"

# Guest-side checks (module load/unload, control file, kernel warnings) are cases too.
python3 "$lib/console.py" results "$log" "" >"$work/guest-cases.txt"

cat "$work/cases.txt" "$work/guest-cases.txt"
ncases=$(grep -cE '^(not )?ok - oomsnap_' "$work/cases.txt" || true)
log "$ncases KUnit cases in ${#expected_suites[@]} suites; KTAP kept in $work/results.ktap"
cat "$work/cases.txt" "$work/guest-cases.txt" | awk '
	/^not ok - / { failed++; next }
	/^ok - .* # SKIP$/ { skipped++; next }
	/^ok - / { passed++ }
	END {
		printf "%d passed, %d failed", passed, failed
		if (skipped)
			printf ", %d skipped", skipped
		printf "\n"
		exit failed > 0
	}'
