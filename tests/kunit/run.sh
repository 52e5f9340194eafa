#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh - the KUnit suites of oomsnap, in QEMU (make kunit).
#
# Builds the KUnit kernel (tests/lib/build-kernel.sh, cached), oomsnap.ko and oomsnap_kunit.ko
# against it from a private copy of the tree (so other builds in the work tree are not
# disturbed), boots the kernel with both modules in a busybox initramfs, loads them, prints the
# KTAP of /sys/kernel/debug/kunit/*/results on the console between markers and parses it here:
#   ok - SUITE.CASE            one line per test case (parameters counted inside it)
#   not ok - SUITE.CASE: why   followed by the case's diagnostics
# and a final "N passed, M failed[, K skipped]". Exit status 1 on any failure, on a missing
# suite, on a module that won't load or unload, on a kernel warning, or on a hung guest.
#
# Environment: OOMSNAP_KUNIT_TIMEOUT (s, default 180), OOMSNAP_KUNIT_LOG (console log path),
# OOMSNAP_STREAM=1 (show the console while it runs).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

# Every suite the test module must run; one missing is a failure.
expected_suites=(
	oomsnap_watermark
	oomsnap_gfp
	oomsnap_ring
	oomsnap_record
	oomsnap_snapshot
	oomsnap_control
	oomsnap_diagnose
)

root=$OOMSNAP_ROOT
lib=$root/tests/lib
timeout_s=${OOMSNAP_KUNIT_TIMEOUT:-180}
need_pkgs rsync qemu-system-x86 busybox-static python3

eval "$("$lib/build-kernel.sh" kunit x86_64 "$lib/guest-kernel.config" \
	"$root/kunit/kunit.config")"
[ -n "${KDIR:-}" ] && [ -f "${BZIMAGE:-}" ] || die "build-kernel.sh gave no kernel"

# Private copies, one per kernel build and clone (a hash of the work tree's path, as in
# build-module.sh: two clones' objects never mix): oomsnap.ko and the test module share lib/
# sources but not their objects.
work=$KDIR.oomsnap-$(printf '%s' "$root" | sha1sum | cut -c1-8)
log=${OOMSNAP_KUNIT_LOG:-$work/console.log}
mkdir -p "$work"
copy_tree() {	# DEST PARTS...
	local dest=$1 part
	shift
	mkdir -p "$dest"
	for part in "$@"; do
		rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
			--exclude='*.mod*' --exclude='modules.order' --exclude='Module.symvers' \
			"$root/$part" "$dest/"
	done
}
copy_tree "$work/oomsnap" Kbuild uapi lib module
copy_tree "$work/test" uapi lib module kunit

start=$(now)
log "building oomsnap.ko and oomsnap_kunit.ko against $KDIR"
make -s -C "$KDIR" M="$work/oomsnap" W=1 -j2 modules >&2 || die "oomsnap.ko does not build"
make -s -C "$KDIR" M="$work/test/kunit" W=1 -j2 modules >&2 ||
	die "oomsnap_kunit.ko does not build"
# the guest's pwrite(2) helper for the control file checks
gcc -static -O2 -Wall -Wextra -Werror -o "$work/ctlwrite" "$root/tests/kunit/ctlwrite.c" ||
	die "ctlwrite.c does not build"
oomsnap_ko=$(find "$work/oomsnap" -name oomsnap.ko | head -n1)
kunit_ko=$work/test/kunit/oomsnap_kunit.ko
[ -f "$oomsnap_ko" ] && [ -f "$kunit_ko" ] || die "modules missing after the build"
log "modules built in $(($(now) - start)) s"

guest=$work/guest.sh
cat >"$guest" <<'GUEST'
# Runs in the KUnit kernel: load, collect KTAP, unload, look for kernel warnings.
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
if insmod /oomsnap/oomsnap.ko; then
	ok "load oomsnap.ko"
else
	notok "load oomsnap.ko" "insmod failed"
fi
# The suites run inside insmod, from a memory cgroup whose path and limit
# oomsnap_record checks (kunit/record_kunit.c: LOADER_MEMCG_*).
memcg=/sys/fs/cgroup/oomsnap-kunit
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p "$memcg"
echo 64M >"$memcg/memory.max"
if sh -c "echo \$\$ >$memcg/cgroup.procs && exec insmod /oomsnap/oomsnap_kunit.ko"; then
	ok "load oomsnap_kunit.ko"
else
	notok "load oomsnap_kunit.ko" "insmod failed"
fi
# The KTAP as the kernel printed it: complete, where 6.1's debugfs results keep
# only 512 bytes of each case's log (a long failure loses its own "not ok").
ktap() { dmesg | sed 's/^\[ *[0-9]*\.[0-9]*\] //' | sed -n '/^KTAP version 1$/,$p'; }
section ktap ktap
# Each suite's verdict from /sys/kernel/debug/kunit/<suite>/results.
suite_results() {
	for results in /sys/kernel/debug/kunit/*/results; do
		[ -e "$results" ] && echo "$(basename "$(dirname "$results")") $(tail -n1 "$results")"
	done
	return 0
}
section kunit-results suite_results

# The control file from user space: rejected writes change nothing, every
# accepted command takes effect.
ctl=/sys/kernel/debug/oomsnap/control
stats=/sys/kernel/debug/oomsnap/stats
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
control_case() {	# NAME OFFSET HEX PAD EXPECTED
	got=$(ctlwrite "$ctl" "$2" "$3" "$4" 2>&1)
	if [ "$got" = "$5" ]; then
		ok "control $1"
	else
		notok "control $1" "got '$got', want '$5'"
	fi
}
stats_line() { grep "^$1 " "$stats" | awk '{ print $2 }'; }
if [ -e "$ctl" ] && [ -e "$stats" ]; then
	cat "$stats" >/tmp/stats.before
	control_case "write at offset 1" 1 "$(hex snapshot)" 0 "err EINVAL"
	control_case "second half of a split command" 4 "$(hex shot)" 0 "err EINVAL"
	control_case "partial command" 0 "$(hex snap)" 0 "err EINVAL"
	control_case "empty write" 0 "" 0 "err EINVAL"
	control_case "embedded NUL" 0 "$(hex snap)00$(hex shot)" 0 "err EINVAL"
	control_case "65 bytes" 0 "$(hex clear)" 60 "err EINVAL"
	control_case "two pages" 0 "$(hex snapshot)" 8192 "err EINVAL"
	control_case "unknown command" 0 "$(hex reboot)" 0 "err EINVAL"
	cat "$stats" >/tmp/stats.after
	if cmp -s /tmp/stats.before /tmp/stats.after; then
		ok "control rejected writes change nothing"
	else
		notok "control rejected writes change nothing" "stats differ"
		diff /tmp/stats.before /tmp/stats.after | excerpt
	fi
	control_case "snapshot accepted" 0 "$(hex snapshot)0a" 0 "ret 9"
	control_case "clear accepted" 0 "$(hex clear)" 0 "ret 5"
	control_case "capture_nowarn=1 accepted" 0 "$(hex capture_nowarn=1)" 0 "ret 16"
	control_case "ratelimit=1000,7 accepted" 0 "$(hex ratelimit=1000,7)0a" 0 "ret 17"
	if [ "$(stats_line capture_nowarn)" = 1 ] && [ "$(stats_line ratelimit_burst)" = 7 ] &&
	   [ "$(stats_line ratelimit_interval_ms)" = 1000 ]; then
		ok "control settings reach stats"
	else
		notok "control settings reach stats" "$(grep -E 'capture_nowarn|ratelimit' "$stats" | tr -s ' \n' ' ')"
	fi
else
	notok "control file" "$ctl or $stats missing"
fi
for mod in oomsnap_kunit oomsnap; do
	if rmmod "$mod"; then
		ok "unload $mod"
	else
		notok "unload $mod" "rmmod failed"
	fi
done
warnings=$(dmesg | grep -E 'WARNING:|BUG:|Call Trace:|UBSAN|KASAN|refcount_t' | head -n 5)
if [ -z "$warnings" ]; then
	ok "no kernel warnings"
else
	notok "no kernel warnings" "$(echo "$warnings" | head -n1)"
	echo "$warnings" | excerpt
fi
GUEST

initrd=$work/initramfs.cpio.gz
"$lib/initramfs.sh" "$initrd" x86_64 "$guest" "$oomsnap_ko" "$kunit_ko" "$work/ctlwrite"

start=$(now)
rc=0
# cma=16M: free CMA pages for the watermark checks; movablecore=64M: a Movable zone;
# log_buf_len=1M: the whole KTAP stays in dmesg.
"$lib/qemu.sh" --kernel "$BZIMAGE" --initrd "$initrd" --log "$log" --mem 512M --smp 2 \
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
