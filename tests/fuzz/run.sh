#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/fuzz/run.sh [--short|--long|--time SECONDS] [--keep] [TARGET...] - libFuzzer
# runs of the reader's untrusted-input paths (clang-14, ASan + UBSan); every target
# unless some are named:
#   explain  fuzz_explain.c: `oomsnap explain` (log parser, diagnosis, text
#            and JSON printers) on arbitrary text
#   raw      fuzz_raw.c: the raw record stream (read_records(), whole and
#            watch-style reads), oomsnap_record_decode(), then diagnosis and
#            printers on every record it accepts
#   control  fuzz_control.c: the module's control parser (module/control.c,
#            built against libc through tests/fuzz/kshim/) against the
#            grammar of control.h, written out independently
# --short (make check): 20 s per target; --long: 300 s per target.
# Seeds: tests/fixtures/*.log and kernel logs saved by the scenarios for
# explain; records written by tests/unit (VER0, a newer size, several per
# stream) for raw.
#
# Runs add up across machines through the kept corpus in the tree:
# tests/fuzz/corpus/NAME.tar.xz (minimised, read as seeds by every run; a
# tarball, as the inputs are kernel logs of up to 32 KB that xz shrinks
# some 70 times) and
# tests/fuzz/execs ("NAME N": the executions that led to it, over all runs
# kept so far). A run grows $OOMSNAP_CACHE/fuzz/corpus/NAME and counts its
# executions in $OOMSNAP_CACHE/fuzz/execs-NAME; --keep then merges that into
# the kept corpus (libFuzzer -merge=1: only inputs that add coverage), adds
# the count to tests/fuzz/execs and starts the machine's count again: commit
# the two afterwards. A run without --keep never writes to the tree.
# A crash, a leak or a sanitizer report fails the target; its reproducer is
# kept under $OOMSNAP_CACHE/fuzz/crashes/ (run the target binary on it).
# Prints "ok - NAME (N execs, T in all on the kept corpus)" or
# "not ok - NAME: ...", and "N passed, M failed".
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"

usage="usage: $0 [--short|--long|--time SECONDS] [--keep] [explain|raw|control...]"
secs=20 keep='' targets=()
while [ $# -gt 0 ]; do
	case "$1" in
	--short) secs=20 ;;
	--long)	 secs=300 ;;
	--time)	 secs=${2:?--time SECONDS}; shift ;;
	--keep)	 keep=1 ;;
	explain|raw|control) targets+=("$1") ;;
	*)	 die "$usage" ;;
	esac
	shift
done
[ ${#targets[@]} -gt 0 ] || targets=(explain raw control)

passed=0 failed=0
ok()     { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1: $2"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

need_pkgs clang-14 libclang-rt-14-dev
CC=clang-14
FUZZ=$OOMSNAP_CACHE/fuzz
mkdir -p "$FUZZ/bin" "$FUZZ/crashes"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

R=$OOMSNAP_ROOT
KEPT=$R/tests/fuzz/corpus
# the kept corpus, unpacked for this run: $WORK/kept/NAME
kept_dir() {	# NAME
	local d=$WORK/kept/$1
	if [ ! -d "$d" ]; then
		mkdir -p "$WORK/kept"
		if [ -f "$KEPT/$1.tar.xz" ]; then
			tar -xJf "$KEPT/$1.tar.xz" -C "$WORK/kept" || die "cannot unpack $KEPT/$1.tar.xz"
		fi
		mkdir -p "$d"
	fi
	echo "$d"
}
LEDGER=$R/tests/fuzz/execs
# the engine (lib/objs.mk) and the log parser, as tools/Makefile lists them
read -r -a ENGINE <<<"$(make -s --no-print-directory -C "$R/tools" engine-srcs)"
# the reader but its main, as tools/Makefile lists it
read -r -a LIB <<<"$(make -s --no-print-directory -C "$R/tools" reader-srcs)"
# MAX_PHYS_LINE small, so that over-long lines (cut) are within reach.
CFLAGS=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer -DMAX_PHYS_LINE=512
	-I"$R/uapi" -I"$R/lib" -I"$R/tools/logparse" -I"$R/tools")

build() {	# NAME: rebuilt only when a source or the flags changed
	local stamp
	stamp=$(cat "$R"/lib/*.[ch] "$R"/uapi/*.h "$R"/tools/*.[ch] \
		"$R"/module/control.[ch] "$R"/tests/fuzz/kshim/linux/*.h \
		"$R"/tools/logparse/*.[ch] \
		"$R/tests/fuzz/fuzz_$1.c" "$R/tests/fuzz/fuzz_common.h" |
		{ cat; echo "${CFLAGS[*]}"; } | sha1sum | cut -c1-16)
	if [ -x "$FUZZ/bin/fuzz_$1" ] && [ "$(cat "$FUZZ/bin/fuzz_$1.stamp" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	rm -f "$FUZZ/bin/fuzz_$1.stamp"
	local srcs=("${LIB[@]}") incs=()
	if [ "$1" = control ]; then
		# the module's own parser, against libc through the shims
		srcs=("$R/module/control.c") incs=(-I"$R/tests/fuzz/kshim" -I"$R/module")
	fi
	if ! $CC "${CFLAGS[@]}" "${incs[@]}" -o "$FUZZ/bin/fuzz_$1" "$R/tests/fuzz/fuzz_$1.c" \
			"${srcs[@]}" 2>"$WORK/build-$1.log"; then
		not_ok "build-$1" "$(grep -m2 'error' "$WORK/build-$1.log" | tr '\n' ' ')"
		return 1
	fi
	echo "$stamp" >"$FUZZ/bin/fuzz_$1.stamp"
}

# Seeds: byte 0 is the target's mode byte (see the targets), the rest input.
seed() {	# DIR MODE-BYTE-OCTAL FILE
	local out
	out=$1/$(basename "$3").$2
	{ printf "\\$2"; cat "$3"; } >"$out"
}

seeds_explain() {
	local d=$WORK/seeds-explain f m
	mkdir -p "$d"
	for f in "$R"/tests/fixtures/*.log "$OOMSNAP_CACHE"/scenarios/*/sec/dmesg; do
		[ -s "$f" ] || continue
		# plain one read, JSON one read, -v with 80-byte reads, JSON 13-byte reads
		for m in 014 015 006 001; do
			seed "$d" "$m" "$f"
		done
	done
	echo "$d"
}

seeds_raw() {
	local d=$WORK/seeds-raw u=$WORK/unit f m
	mkdir -p "$d"
	cc -std=gnu11 -O1 -I"$R/uapi" -I"$R/lib" -I"$R/tools/logparse" \
		-o "$u" "$R/tests/unit/unit.c" "${ENGINE[@]}" 2>"$WORK/unit-build.log" || return 1
	"$u" write-raw "$WORK/one" 1 >/dev/null &&
	"$u" write-raw "$WORK/three" 3 >/dev/null &&
	"$u" write-raw "$WORK/newer" 1 18808 1 >/dev/null &&
	"$u" write-raw "$WORK/newer" 1 18872 2 >/dev/null || return 1
	head -c 20000 "$WORK/three" >"$WORK/cut"
	for f in "$WORK"/one "$WORK"/three "$WORK"/newer "$WORK"/cut; do
		# plain one read, JSON one read, watch with 100-byte reads, JSON record-sized reads
		for m in 020 021 006 015; do
			seed "$d" "$m" "$f"
		done
	done
	echo "$d"
}

seeds_control() {
	local d=$WORK/seeds-control
	mkdir -p "$d"
	printf 'clear\n' >"$d/clear"
	printf 'snapshot' >"$d/snapshot"
	printf 'capture_nowarn=1\n' >"$d/nowarn"
	printf 'ratelimit=5000,10\n' >"$d/ratelimit"
	echo "$d"
}

kept_execs() {	# NAME: the executions behind the kept corpus
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' "$LEDGER" 2>/dev/null ||
		echo 0
}

# --keep: the machine's corpus merged into the kept one, its count into the ledger.
keep_target() {	# NAME
	local name=$1 merged=$WORK/merged-$1 mine kept
	kept=$(kept_dir "$name")
	mkdir -p "$merged"
	if ! "$FUZZ/bin/fuzz_$name" -merge=1 -timeout=10 -rss_limit_mb=2048 \
			-max_len="$(max_len "$name")" "$merged" "$kept" "$FUZZ/corpus/$name" \
			>"$WORK/merge-$name.log" 2>&1; then
		not_ok "keep-$name" "libFuzzer -merge failed: $(tail -n1 "$WORK/merge-$name.log")"
		return
	fi
	rm -rf "${kept:?}" && mv "$merged" "$kept" &&
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$WORK/kept" \
		-cf - "$name" | xz -9 -T1 >"$WORK/$name.tar.xz" &&
	mv "$WORK/$name.tar.xz" "$KEPT/$name.tar.xz" ||
		{ not_ok "keep-$name" "could not write $KEPT/$name.tar.xz"; return; }
	# Other runs may end or keep theirs meanwhile: the machine's count moves into the ledger
	# in one step under the lock that run_target() updates it under, so none is lost or doubled.
	{
		flock 9
		mine=$(cat "$FUZZ/execs-$name" 2>/dev/null || echo 0)
		{ grep -v "^$name " "$LEDGER" 2>/dev/null
		  echo "$name $(( $(kept_execs "$name") + mine ))"; } | sort >"$WORK/ledger"
		cp "$WORK/ledger" "$LEDGER"
		echo 0 >"$FUZZ/execs-$name"
	} 9>>"$FUZZ/ledger.lock"
	ok "keep-$name ($(find "$kept" -type f | wc -l) inputs, $(du -sk "$kept" | cut -f1) kB, $(($(stat -c %s "$KEPT/$name.tar.xz") / 1024)) kB packed; $mine execs added, $(kept_execs "$name") in all)"
}

max_len() {	# NAME
	case "$1" in
	raw)	echo 65536 ;;	# three records and change
	*)	echo 32768 ;;
	esac
}

run_target() {	# NAME SEEDDIR
	local name=$1 seeds=$2 corpus=$FUZZ/corpus/$1 log=$WORK/run-$1.log
	local execs mine total crash artifact dirs=("$corpus")
	mkdir -p "$corpus"
	# the first directory gets what the run finds; the kept corpus is read only
	dirs+=("$(kept_dir "$name")")
	"$FUZZ/bin/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$(max_len "$name")" -print_final_stats=1 \
		-artifact_prefix="$FUZZ/crashes/$name-" "${dirs[@]}" "$seeds" >"$log" 2>&1
	local rc=$?
	execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n1)
	[ -n "$execs" ] || execs=$(sed -nE 's/^Done ([0-9]+) runs.*/\1/p' "$log" | tail -n1)
	artifact=$(sed -nE "s/.*Test unit written to (.*)$/\1/p" "$log" | tail -n1)
	# this machine's runs since the last --keep (under keep_target()'s lock), and with the
	# kept corpus's
	{
		flock 9
		mine=$(( $(cat "$FUZZ/execs-$name" 2>/dev/null || echo 0) + ${execs:-0} ))
		echo "$mine" >"$FUZZ/execs-$name"
	} 9>>"$FUZZ/ledger.lock"
	total=$(( $(kept_execs "$name") + mine ))
	if [ "$rc" -eq 0 ] && [ -z "$artifact" ]; then
		ok "$name (${execs:-?} execs, $total in all on the kept corpus)"
		[ -z "$keep" ] || keep_target "$name"
		return
	fi
	crash=$(grep -m1 -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|out-of-memory|timeout' "$log")
	cp "$log" "$FUZZ/crashes/$name-last.log"
	not_ok "$name" "crash after ${execs:-?} execs: ${crash:-exit $rc}; reproducer ${artifact:-none}, log $FUZZ/crashes/$name-last.log"
}

for t in "${targets[@]}"; do
	build "$t" || continue
	if ! seeds=$(seeds_$t); then
		not_ok "$t" "could not write the seed corpus"
		continue
	fi
	run_target "$t" "$seeds"
done
finish
