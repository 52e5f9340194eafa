#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Userspace tests of the engine, the log parser and the reader, all built
# with -Wall -Wextra -Werror and ASan+UBSan (any sanitizer report fails):
#   - tests/unit/unit.c (its parts *_test.c): watermark replica, gfp, one
#     diagnosis per cause, missing-data cases, record decode, parser,
#     renderer;
#   - every tests/fixtures/*.log and tests/fixtures/field/*.log against its
#     .expect (oomsnap --json explain), and in every dressing of dress.py;
#   - JSON validity (python3 -m json.tool) of explain/list/show/stats/errors;
#   - reader behaviour: old/new record sizes, truncated/corrupt raw files,
#     exit codes, stdin, watch.
# Prints "ok - NAME" / "not ok - NAME: reason" and "N passed, M failed".
set -u
shopt -s nullglob

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-cc}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-unit.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
pass=0
fail=0

ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1: $2"; fail=$((fail + 1)); }
# expect NAME CONDITION-COMMAND... : ok when the command succeeds
expect() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else notok "$name" "failed: $*"; fi
}

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Werror -Wshadow -Wformat=2 $SAN"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

# the engine (lib/objs.mk) and the log parser, the reader's only: tools/Makefile's one list
LIB=$(make -s --no-print-directory -C "$ROOT/tools" engine-srcs)
if ! $CC $CFLAGS -I"$ROOT/uapi" -I"$ROOT/lib" -I"$ROOT/tools/logparse" -o "$WORK/unit" "$ROOT/tests/unit/unit.c" $LIB 2>"$WORK/build.log"; then
	notok build-unit "$(head -c 400 "$WORK/build.log")"
	echo "$pass passed, $fail failed"
	exit 1
fi
ok build-unit
if ! make -s -C "$ROOT/tools" oomsnap CFLAGS="-g -O1 $SAN" EXTRA_CFLAGS="-Werror" \
	CC="$CC" >"$WORK/build.log" 2>&1; then
	notok build-oomsnap "$(head -c 400 "$WORK/build.log")"
	echo "$pass passed, $fail failed"
	exit 1
fi
cp "$ROOT/tools/oomsnap" "$WORK/oomsnap"
# leave an ordinary build behind, not the sanitizer one
make -s -C "$ROOT/tools" clean >/dev/null 2>&1
OOMSNAP="$WORK/oomsnap"
ok build-oomsnap

# tally FILE: a program's own ok/not ok lines, printed and counted
tally() {
	local line
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) echo "$line"; pass=$((pass + 1)) ;;
		"not ok - "*) echo "$line"; fail=$((fail + 1)) ;;
		esac
	done <"$1"
}

# 1. unit tests (their own ok/not ok lines)
"$WORK/unit" >"$WORK/unit.out" 2>&1
rc=$?
tally "$WORK/unit.out"
if [ $rc -ne 0 ] && ! grep -q '^not ok' "$WORK/unit.out"; then
	notok unit-exit "exit $rc: $(grep -m3 -E 'ERROR|runtime error' "$WORK/unit.out")"
fi

# 2. fixtures with expected answers
for exp in "$ROOT"/tests/fixtures/*.expect "$ROOT"/tests/fixtures/field/*.expect; do
	log=${exp%.expect}.log
	name=fixture-$(basename "$log" .log)
	if [ ! -f "$log" ]; then
		notok "$name" "no $log"
		continue
	fi
	if why=$(python3 "$ROOT/tests/unit/check_fixture.py" "$OOMSNAP" "$log" "$exp" 2>&1); then
		ok "$name"
	else
		notok "$name" "$why"
	fi
done

# 2b. every fixture re-dressed the ways logs reach people (dress.py): same
# answer, line numbers on the dressed lines
python3 "$ROOT/tests/unit/dress.py" "$OOMSNAP" "$ROOT"/tests/fixtures/*.log \
	"$ROOT"/tests/fixtures/field/*.log >"$WORK/dress.out" 2>&1
rc=$?
tally "$WORK/dress.out"
# a dress.py that dies (a JSON key renamed) must not pass for printing nothing
if [ $rc -ne 0 ] && ! grep -q '^not ok' "$WORK/dress.out"; then
	notok dress "exit $rc: $(tail -n 1 "$WORK/dress.out")"
fi

# 3. JSON validity of every explain output, plain output never empty
for log in "$ROOT"/tests/fixtures/*.log "$ROOT"/tests/fixtures/field/*.log; do
	name=$(basename "$log" .log)
	"$OOMSNAP" --json explain "$log" >"$WORK/out.json" 2>"$WORK/err"
	rc=$?
	if [ $rc -ge 90 ]; then
		notok "json-$name" "sanitizer: $(head -c 300 "$WORK/err")"
	elif python3 -m json.tool "$WORK/out.json" >/dev/null 2>&1; then
		ok "json-$name"
	else
		notok "json-$name" "invalid JSON"
	fi
	"$OOMSNAP" -v explain "$log" >"$WORK/out.txt" 2>"$WORK/err"
	rc=$?
	if [ $rc -ge 90 ]; then
		notok "verbose-$name" "sanitizer: $(head -c 300 "$WORK/err")"
	elif [ $rc -eq 0 ] && grep -q '^diagnosis' "$WORK/out.txt"; then
		ok "verbose-$name"
	elif [ $rc -eq 1 ] && [ "$name" = no-report ]; then
		ok "verbose-$name"
	else
		notok "verbose-$name" "exit $rc"
	fi
done

# 4. the reader on raw files
RAW=$WORK/raw
"$WORK/unit" write-raw "$RAW" 3 >/dev/null
NEWER=$WORK/raw.newer
"$WORK/unit" write-raw "$NEWER" 1 18808 1 >/dev/null
"$WORK/unit" write-raw "$NEWER" 1 18872 2 >/dev/null	# a future, longer record
expect list-ver0 bash -c "'$OOMSNAP' --raw '$RAW' list | grep -c ' task[0-9]' > '$WORK/n'; [ \$(cat '$WORK/n') = 3 ]"
expect list-newer-size bash -c "'$OOMSNAP' --raw '$NEWER' list | grep -c ' task0' > '$WORK/n'; [ \$(cat '$WORK/n') = 2 ]"
expect show-seq bash -c "'$OOMSNAP' --raw '$RAW' show 2 | grep -q '^event #2: oom'"
expect show-last bash -c "'$OOMSNAP' --raw '$RAW' show | grep -q '^event #3: oom'"
expect show-diagnosis bash -c "'$OOMSNAP' --raw '$RAW' show | grep -q '^  cause:        exhausted'"
expect show-json bash -c "'$OOMSNAP' --json --raw '$RAW' show | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"seq\"]==3 and d[\"cause\"]==\"exhausted\"'"
expect list-json bash -c "'$OOMSNAP' --raw '$RAW' list --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[\"events\"])==3'"
mkdir -p "$WORK/dbg"
cp "$RAW" "$WORK/dbg/raw"
printf 'events_oom 3\ncaptured 3\ndropped_ratelimit 0\n' >"$WORK/dbg/stats"
expect dir-list bash -c "'$OOMSNAP' --dir '$WORK/dbg' list | grep -q task2"
expect stats-plain bash -c "'$OOMSNAP' --dir '$WORK/dbg' stats | grep -q '^captured 3'"
expect stats-json bash -c "'$OOMSNAP' --json --dir '$WORK/dbg' stats | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"captured\"]==3'"

# exit codes and one-line errors
err_case() {	# NAME EXPECTED-RC GREP-PATTERN ARGS...
	local name=$1 want=$2 pat=$3
	shift 3
	"$OOMSNAP" "$@" >"$WORK/o" 2>"$WORK/e" </dev/null
	local rc=$? lines
	lines=$(cat "$WORK/e" | wc -l)
	# one line naming the problem (a usage error adds "Try 'oomsnap ... --help'.")
	if [ $rc -ne "$want" ]; then
		notok "$name" "exit $rc, expected $want"
	elif ! head -n1 "$WORK/e" | grep -q "$pat" ||
	     { [ "$lines" -ne 1 ] && ! { [ "$lines" -eq 2 ] && sed -n 2p "$WORK/e" | grep -q "^Try 'oomsnap"; }; }; then
		notok "$name" "stderr: $(head -c 200 "$WORK/e")"
	else
		ok "$name"
	fi
}
head -c 20000 "$RAW" >"$WORK/trunc"
head -c 100 /dev/urandom >"$WORK/junk"
: >"$WORK/empty"
# a valid record, then a header claiming 1 MB followed by 2 MB: the reader
# once read past its buffer here (heap overflow)
python3 -c "
import sys
d = open('$RAW', 'rb').read()
size = int.from_bytes(d[:4], 'little')
hdr = (1 << 20).to_bytes(4, 'little') + d[4:8]
sys.stdout.buffer.write(d[:size] + hdr + bytes(2 << 20))
" >"$WORK/bigclaim"
err_case err-truncated-raw 2 'truncated' --raw "$WORK/trunc" list
err_case err-junk-raw 2 'bad magic' --raw "$WORK/junk" list
err_case err-big-claim-raw 2 'record at offset' --raw "$WORK/bigclaim" list
err_case err-missing-raw 2 'No such file' --raw "$WORK/nope" list
err_case err-show-unknown-seq 1 'no event with sequence number 99' --raw "$RAW" show 99
err_case err-show-bad-seq 2 'bad sequence number' --raw "$RAW" show x1
err_case err-show-empty 1 'no events captured' --raw "$WORK/empty" show
err_case err-explain-missing 2 'No such file' explain "$WORK/nope"
err_case err-explain-dir 2 'is a directory' explain "$WORK"
err_case err-explain-no-report 1 'no OOM' explain "$ROOT/tests/fixtures/no-report.log"
err_case err-explain-empty 1 'no OOM' explain "$WORK/empty"
err_case err-explain-binary 1 'no OOM' explain "$WORK/junk"
printf '[  12.5] memory: usage counters reset by the operator\n' >"$WORK/notmemcg"
err_case err-explain-not-memcg 1 'no OOM' explain "$WORK/notmemcg"
err_case err-stats-with-raw 2 'stats' --raw "$RAW" stats
err_case err-usage-none 2 '' 
err_case err-usage-unknown 2 '' frobnicate
expect err-json-object bash -c "! '$OOMSNAP' --json --raw '$WORK/junk' list > '$WORK/j'; python3 -c 'import json; d=json.load(open(\"$WORK/j\")); assert \"bad magic\" in d[\"error\"]'"
expect explain-stdin bash -c "cat '$ROOT/tests/fixtures/lkml-2009-arm-order2.log' | '$OOMSNAP' explain - | grep -q 'cause:        fragmentation'"
expect explain-crlf bash -c "sed 's/\$/\r/' '$ROOT/tests/fixtures/synth-6.1-slab.log' | '$OOMSNAP' explain | grep -q 'cause:        slab_unreclaimable'"
expect explain-no-trailing-newline bash -c "printf 'x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0' | '$OOMSNAP' explain | grep -q 'report 1'"

# watch: prints only events that arrive after it started
cp "$RAW" "$WORK/live"
timeout 20 "$OOMSNAP" --raw "$WORK/live" watch --count 1 >"$WORK/watch.out" 2>&1 &
wpid=$!
sleep 1
"$WORK/unit" write-raw "$WORK/live" 1 18808 4 >/dev/null
wait $wpid
wrc=$?
if [ $wrc -eq 0 ] && grep -q '^event #4' "$WORK/watch.out" && ! grep -q '^event #3' "$WORK/watch.out"; then
	ok watch-new-event
else
	notok watch-new-event "exit $wrc, output: $(head -c 200 "$WORK/watch.out")"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
