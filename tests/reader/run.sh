#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reader's command line, on the host (no kernel needed), built with
# ASan+UBSan: options anywhere, --help/--version, number checks, exit
# statuses (0 found, 1 nothing found, 2 error), escaping of names a process
# chose, wall-clock times, --pretty, several and compressed logs, the log's
# own stamps, top over a saved headroom file, the man pages (rendered with
# man -l, every option of every usage text in oomsnap(8), every debugfs
# file and parameter in oomsnap(4)) and the bash completion.
# Prints "ok - NAME" / "not ok - NAME: reason" and "N passed, M failed[, K skipped]".
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-cc}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-reader.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FIX=$ROOT/tests/fixtures
pass=0 fail=0 skip=0

ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1: $2"; fail=$((fail + 1)); }
skipped() { echo "ok - $1 # SKIP $2"; skip=$((skip + 1)); }
# expect NAME COMMAND...: ok when the command succeeds
expect() {
	local name=$1
	shift
	if "$@" >"$WORK/expect.out" 2>&1; then ok "$name"; else notok "$name" "$(head -c 300 "$WORK/expect.out")"; fi
}

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
if ! make -s -C "$ROOT/tools" oomsnap CFLAGS="-g -O1 $SAN" EXTRA_CFLAGS="-Werror" \
	CC="$CC" >"$WORK/build.log" 2>&1; then
	notok build-oomsnap "$(head -c 400 "$WORK/build.log")"
	echo "$pass passed, $fail failed"
	exit 1
fi
cp "$ROOT/tools/oomsnap" "$WORK/oomsnap"
make -s -C "$ROOT/tools" clean >/dev/null 2>&1
O=$WORK/oomsnap
if ! $CC -std=gnu11 -g -Wall -Wextra -Werror -I"$ROOT/uapi" -I"$ROOT/lib" \
	-o "$WORK/mkrecord" "$ROOT/tests/reader/mkrecord.c" \
	"$ROOT/lib/names.c" "$ROOT/lib/decode.c" 2>"$WORK/build.log"; then
	notok build-mkrecord "$(head -c 400 "$WORK/build.log")"
	echo "$pass passed, $fail failed"
	exit 1
fi
ok build

# run NAME WANT-RC ARGS...: exit status WANT-RC; output in $WORK/o, $WORK/e
run() {
	local name=$1 want=$2
	shift 2
	"$O" "$@" >"$WORK/o" 2>"$WORK/e" </dev/null
	local rc=$?
	if [ $rc -ne "$want" ]; then
		notok "$name" "exit $rc, expected $want; stderr: $(head -c 200 "$WORK/e")"
		return 1
	fi
	return 0
}
# usage_err NAME PATTERN ARGS...: exit 2, one message line matching PATTERN, then the hint
usage_err() {
	local name=$1 pat=$2
	shift 2
	run "$name" 2 "$@" || return
	if [ -s "$WORK/o" ]; then
		notok "$name" "wrote to stdout: $(head -c 100 "$WORK/o")"
	elif ! head -n1 "$WORK/e" | grep -q -- "$pat"; then
		notok "$name" "first line: $(head -n1 "$WORK/e")"
	elif ! sed -n 2p "$WORK/e" | grep -q "^Try 'oomsnap .*--help'\.$"; then
		notok "$name" "no hint: $(cat "$WORK/e")"
	else
		ok "$name"
	fi
}
json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null; }

# --- records: a process that renamed itself, a cgroup path with a newline
RAW=$WORK/raw
REALTIME=1764567023	# 2025-12-01T05:30:23Z
"$WORK/mkrecord" "$RAW" 1 "plain" "/system.slice" $REALTIME
"$WORK/mkrecord" "$RAW" 2 $'\e]0;pwned\a\e[2J' $'/evil\nevent #9: oom at [ 1.0]' $REALTIME
"$WORK/mkrecord" "$RAW" 3 "Web Content" "/user.slice" $REALTIME
: >"$WORK/empty"

# --- help, version, commands
cmds="list show stats watch explain top"
run help-long 0 --help && { [ -s "$WORK/o" ] && [ ! -s "$WORK/e" ] && ok help-long || notok help-long "help not on stdout"; }
run help-short 0 -h && ok help-short
run help-command 0 help && cmp -s "$WORK/o" <("$O" --help) && ok help-command-same
for c in $cmds; do
	if run "help-$c" 0 "$c" --help && grep -q "^usage: oomsnap $c" "$WORK/o" && [ ! -s "$WORK/e" ]; then
		cp "$WORK/o" "$WORK/help-$c"
		if "$O" help "$c" | cmp -s - "$WORK/help-$c"; then ok "help-$c"; else notok "help-$c" "'help $c' differs from '$c --help'"; fi
	else
		notok "help-$c" "$(head -c 200 "$WORK/o" "$WORK/e")"
	fi
done
ver=$(sed -n 's/^#define OOMSNAP_VERSION[[:space:]]*"\(.*\)"/\1/p' "$ROOT/lib/oomsnap_version.h")
run version 0 --version && { [ "$(cat "$WORK/o")" = "oomsnap $ver" ] && ok version || notok version "$(cat "$WORK/o")"; }
run version-short-after 0 list -V && { [ "$(cat "$WORK/o")" = "oomsnap $ver" ] && ok version-after-command || notok version-after-command "$(cat "$WORK/o")"; }
expect version-in-module grep -q 'MODULE_VERSION(OOMSNAP_VERSION)' "$ROOT/module/version.c"
usage_err unknown-command "unknown command 'frobnicate'" frobnicate
usage_err unknown-option "unknown option '--frob'" list --frob
usage_err unknown-short-option "unknown option '-z'" show -z
usage_err no-command "no command given" 
usage_err missing-argument "needs an argument" watch --count

# --- options anywhere, --
run opt-after-show 0 --raw "$RAW" show 2 -j && json_ok "$WORK/o" && ok show-seq-then-j
run opt-raw-after 0 show --raw="$RAW" 1 --json && python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["seq"]==1' "$WORK/o" && ok options-mixed-with-args
run explain-json-after 0 explain --json "$FIX/qemu-atomic.log" && json_ok "$WORK/o" && ok explain-json-after-command
run explain-json-before 0 --json explain "$FIX/qemu-atomic.log" && json_ok "$WORK/o" && ok explain-json-before-command
cp "$FIX/qemu-atomic.log" "$WORK/-dash.log"
(cd "$WORK" && "$O" explain -- -dash.log >"$WORK/o" 2>&1) && grep -q 'report 1' "$WORK/o" && ok double-dash || notok double-dash "$(head -c 200 "$WORK/o")"
cp "$FIX/qemu-atomic.log" "$WORK/-zdash.log"
(cd "$WORK" && "$O" explain -zdash.log >/dev/null 2>&1); [ $? -eq 2 ] && ok dash-file-without-double-dash-is-option || notok dash-file-without-double-dash-is-option "not a usage error"

# --- numbers
usage_err count-not-number "bad count 'abc'" --raw "$RAW" watch --count abc
usage_err count-equals-not-number "bad count 'x1'" --raw "$RAW" watch --count=x1
usage_err count-zero "bad count '0'" --raw "$RAW" watch -c 0
usage_err count-negative "bad count '-3'" --raw "$RAW" watch --count=-3
usage_err count-overflow "bad count" --raw "$RAW" watch --count 99999999999999999999999
usage_err show-negative "bad number '-1'" --raw "$RAW" show -1
usage_err show-junk "bad sequence number '1x'" --raw "$RAW" show 1x
usage_err show-two "unexpected argument" --raw "$RAW" show 1 2
usage_err top-interval-zero "bad interval '0'" top -i 0
usage_err top-interval-junk "bad interval 'abc'" top --interval=abc
usage_err list-arg "unexpected argument 'x'" --raw "$RAW" list x
usage_err raw-with-top "top: --raw is for list, show and watch" --raw "$RAW" top --once
usage_err raw-with-explain "explain: --raw is for" explain --raw "$RAW" "$FIX/qemu-atomic.log"
run usage-error-json 2 --json watch --count abc && python3 -c 'import json,sys; assert "bad count" in json.load(open(sys.argv[1]))["error"]' "$WORK/o" && ok usage-error-json

# --- exit statuses
run found-list 0 --raw "$RAW" list && ok exit-0-list
run found-show 0 --raw "$RAW" show 3 && ok exit-0-show
run nothing-show-seq 1 --raw "$RAW" show 99 && grep -q 'no event with sequence number 99' "$WORK/e" && ok exit-1-no-such-seq
run nothing-list 1 --raw "$WORK/empty" list && grep -q '(no events)' "$WORK/o" && ok exit-1-list-empty
run nothing-list-json 1 --json --raw "$WORK/empty" list && python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["events"]==[]' "$WORK/o" && ok exit-1-list-empty-json
run nothing-show 1 --raw "$WORK/empty" show && ok exit-1-show-empty
run nothing-explain 1 explain "$FIX/no-report.log" && grep -q 'no OOM' "$WORK/e" && ok exit-1-explain-no-report
run trouble-missing 2 explain "$WORK/nope" && grep -q 'No such file' "$WORK/e" && ok exit-2-missing-file
run trouble-missing-raw 2 --raw "$WORK/nope" list && ok exit-2-missing-raw
head -c 100 /dev/urandom >"$WORK/junk"
run trouble-corrupt 2 --raw "$WORK/junk" list && ok exit-2-corrupt-raw
run trouble-dir 2 explain "$WORK" && ok exit-2-directory

# --- escaping: nothing from a record reaches the terminal raw
for c in "show 2" list; do
	# shellcheck disable=SC2086
	"$O" --raw "$RAW" $c >"$WORK/esc" 2>&1
	if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$WORK/esc"; then
		notok "escape-${c%% *}" "control bytes in output"
	elif ! grep -qF '\x1b]0;pwned\x07\x1b[2J' "$WORK/esc"; then
		notok "escape-${c%% *}" "escaped name missing: $(grep -a pwned "$WORK/esc" | head -c 200)"
	else
		ok "escape-${c%% *}"
	fi
done
"$O" --raw "$RAW" show 2 >"$WORK/esc"
if grep -q '^event #9' "$WORK/esc"; then
	notok escape-newline-forges-line "a cgroup path started a line of its own"
elif grep -qF 'memcg:      /evil\x0aevent #9' "$WORK/esc"; then
	ok escape-newline-in-path
else
	notok escape-newline-in-path "$(grep memcg "$WORK/esc")"
fi
"$O" --json --raw "$RAW" show 2 >"$WORK/esc.json"
python3 - "$WORK/esc.json" <<'PY' && ok escape-json-roundtrip || notok escape-json-roundtrip "$(head -c 300 "$WORK/esc.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["task"]["comm"] == "\x1b]0;pwned\x07\x1b[2J", d["task"]["comm"]
assert d["memcg"]["path"].startswith("/evil\nevent #9"), d["memcg"]["path"]
PY
"$O" --raw "$RAW" list >"$WORK/o"
grep -q ' Web Content ' "$WORK/o" && ok name-with-space-list || notok name-with-space-list "$(cat "$WORK/o")"
"$O" --raw "$RAW" show 3 | grep -q '^task:       Web Content pid 4242' && ok name-with-space-show || notok name-with-space-show "not whole"
# ... and in a kernel log: the invoking task and the victim
printf '%s\n' '[  100.000000] Web Content invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0' \
	'[  100.000100] Out of memory: Killed process 1234 (Web Content) total-vm:2000000kB, anon-rss:1500000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:3000kB oom_score_adj:0' \
	>"$WORK/web.log"
"$O" explain "$WORK/web.log" >"$WORK/o"
grep -q 'oom by Web Content, ' "$WORK/o" && grep -q 'killed Web Content (1234)' "$WORK/o" &&
	ok name-with-space-explain || notok name-with-space-explain "$(head -n 3 "$WORK/o")"

# --- wall-clock time
"$O" --raw "$RAW" list | grep -q '2025-12-01T05:30:23Z' && ok realtime-list || notok realtime-list "no wall-clock time"
"$O" --raw "$RAW" show 1 | grep -q '^event #1: oom at \[   12.345678\] 2025-12-01T05:30:23Z' && ok realtime-show || notok realtime-show "$("$O" --raw "$RAW" show 1 | head -n1)"
"$O" -j --raw "$RAW" show 1 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["realtime"]=="2025-12-01T05:30:23Z" and d["realtime_ns"]==1764567023*10**9 and d["in_irq"] is False and d["version"]==1' && ok realtime-json || notok realtime-json "json"
# a leap day and a year's end, against date(1)
for t in 951782400 4107542399 0; do
	"$WORK/mkrecord" "$WORK/raw.t" 7 t / $t
	want=$([ $t = 0 ] && echo - || date -u -d @$t +%Y-%m-%dT%H:%M:%SZ)
	got=$("$O" --raw "$WORK/raw.t" show 7 | sed -n '1s/.*\] \([^ ]*\) on cpu.*/\1/p')
	rm -f "$WORK/raw.t"
	[ "$got" = "$want" ] && ok "realtime-$t" || notok "realtime-$t" "got $got, want $want"
done

# --- JSON: pretty, schema version, memcg swap, zone checks
"$O" -p --raw "$RAW" list >"$WORK/p"
"$O" -j --raw "$RAW" list >"$WORK/c"
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert a==b and a["version"]==1' "$WORK/p" "$WORK/c" &&
	[ "$(wc -l <"$WORK/p")" -gt 10 ] && [ "$(wc -l <"$WORK/c")" -eq 1 ] && ok pretty || notok pretty "pretty and compact differ or not indented"
"$O" --pretty explain "$FIX/qemu-atomic.log" | python3 -c '
import json, sys
d = json.load(sys.stdin)
e = d["events"][0]
assert d["version"] == 1 and d["sources"]
assert "seq" not in e and "cpu" not in e and "time_ns" not in e, "a log has no seq, cpu or clock"
assert {z["check"] for z in e["zones"]} <= {"pass", "fail", "fail_order", "not_allowed"}, e["zones"]
assert any(z["check"] == "fail_order" for z in e["zones"])
t = e["task"]
assert t["uid"] is None and t["total_vm_kb"] is None and t["tgid"] is None, t
import re
for k in ("tasks_status", "slabs_status"):
    assert re.fullmatch("[a-z_]+", e.get(k, "ok")), (k, e.get(k))
' && ok json-explain-schema || notok json-explain-schema "schema"
"$O" -j --raw "$RAW" show 1 | python3 -c 'import json,sys; m=json.load(sys.stdin)["memcg"]; assert m["swap_usage_kb"] == 1024 and m["swap_limit_kb"] is None' && ok json-memcg-swap || notok json-memcg-swap "no swap keys"
"$O" --raw "$RAW" show 1 | grep -q '^memcg:      /system.slice usage 4000kB of limit 4096kB; swap 1024kB, limit max$' && ok text-memcg-swap || notok text-memcg-swap "$("$O" --raw "$RAW" show 1 | grep memcg)"
"$O" -j --raw "$RAW" show 1 | python3 -c 'import json,sys; t=json.load(sys.stdin)["task"]; assert t["uid"] == 0 and t["tgid"] == 0 and t["swapents"] == 0' && ok json-record-task-numbers || notok json-record-task-numbers "a record's own numbers became null"
# a value a log lacks is null, never 0 (2.6.18's report has no boost, highatomic or managed)
"$O" -j explain "$FIX/synth-2.6.18-rhel5.log" | python3 -c '
import json, sys
z = json.load(sys.stdin)["events"][0]["zones"][0]
assert z["boost_kb"] is None and z["highatomic_kb"] is None, z
' && ok json-absent-is-null || notok json-absent-is-null "$("$O" -j explain "$FIX/synth-2.6.18-rhel5.log" | head -c 300)"
"$O" -v explain "$FIX/synth-2.6.18-rhel5.log" | grep -E '^node[0-9]+ +Normal' | awk '{ if ($7 != "-" || $8 != "-") exit 1 }' && ok text-absent-is-dash || notok text-absent-is-dash "$("$O" -v explain "$FIX/synth-2.6.18-rhel5.log" | grep -E '^node')"

# --- explain: the log's stamps, several files, compressed files, stdin
"$O" -j explain "$FIX/synth-3.10-syslog-shmem.log" | python3 -c '
import json, sys
l = json.load(sys.stdin)["events"][0]["log"]
assert l["time"] == "Nov 23 03:20:34" and l["host"] == "app3" and l["boot_s"] == "1234.500052", l
' && ok explain-syslog-stamp || notok explain-syslog-stamp "stamp"
"$O" explain "$FIX/synth-3.10-syslog-shmem.log" | grep -q '^  logged:      Nov 23 03:20:34 \[1234.500052\] on app3$' && ok explain-syslog-stamp-text || notok explain-syslog-stamp-text "text"
"$O" -j explain "$FIX/qemu-atomic.log" | python3 -c '
import json, sys
l = json.load(sys.stdin)["events"][0]["log"]
assert l["time"] is None and l["host"] is None and l["boot_s"] == "4.412482", l
' && ok explain-dmesg-stamp || notok explain-dmesg-stamp "stamp"
# a report split by logrotate: the two halves read as one
log=$FIX/qemu-atomic.log
head -n 400 "$log" >"$WORK/kern.log.1"
tail -n +401 "$log" >"$WORK/kern.log"
"$O" -j explain "$log" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][0]["cause"])' >"$WORK/whole"
"$O" -j explain "$WORK/kern.log.1" "$WORK/kern.log" >"$WORK/split.json"
python3 - "$WORK/split.json" "$(cat "$WORK/whole")" <<'PY' && ok explain-split-report || notok explain-split-report "$(head -c 300 "$WORK/split.json")"
import json, sys
d = json.load(open(sys.argv[1]))
e = d["events"][0]
assert len(d["sources"]) == 2 and e["cause"] == sys.argv[2], (d["sources"], e["cause"])
assert e["log"]["file"].endswith("kern.log.1") and e["log"]["line"] == 370
assert e["log"]["last_file"].endswith("/kern.log") and e["log"]["last_line"] == 34
PY
"$O" explain "$WORK/kern.log.1" "$WORK/kern.log" | grep -q "^report 1, $WORK/kern.log.1 line 370 to $WORK/kern.log line 34:" && ok explain-split-text || notok explain-split-text "$("$O" explain "$WORK/kern.log.1" "$WORK/kern.log" | head -n1)"
"$O" explain "$log" | sed 1d >"$WORK/plain.txt"
for z in gzip xz zstd; do
	if ! command -v $z >/dev/null; then
		skipped "explain-$z" "$z not installed"
		continue
	fi
	$z -c "$log" >"$WORK/log.$z"	# no telling suffix: the magic decides
	if "$O" explain "$WORK/log.$z" | sed 1d | cmp -s - "$WORK/plain.txt"; then ok "explain-$z"; else notok "explain-$z" "differs"; fi
done
gzip -c "$log" >"$WORK/kern.log.gz"
PATH=/nonexistent "$O" explain "$WORK/kern.log.gz" >/dev/null 2>"$WORK/e"
[ $? -eq 2 ] && grep -q "is gzip-compressed and 'gzip' is not installed" "$WORK/e" && ok explain-no-decompressor || notok explain-no-decompressor "$(cat "$WORK/e")"
head -c 200 "$WORK/kern.log.gz" >"$WORK/cut.gz"
"$O" explain "$WORK/cut.gz" >/dev/null 2>"$WORK/e"
[ $? -eq 2 ] && grep -q 'corrupt or truncated' "$WORK/e" && ok explain-corrupt-gz || notok explain-corrupt-gz "$(cat "$WORK/e")"
"$O" explain <"$log" | grep -q 'report 1' && ok explain-stdin-default || notok explain-stdin-default "stdin not read"
if [ -r /dev/kmsg ] && command -v script >/dev/null; then
	script -qec "$O explain" /dev/null </dev/null >"$WORK/kmsg" 2>&1
	grep -q '^input: /dev/kmsg' "$WORK/kmsg" && ok explain-terminal-reads-kmsg || notok explain-terminal-reads-kmsg "$(head -c 200 "$WORK/kmsg")"
else
	skipped explain-terminal-reads-kmsg "no readable /dev/kmsg or no script(1)"
fi

# --- top over a saved headroom file (the module's side is proved in QEMU: tests/reader/top-qemu.sh)
mkdir -p "$WORK/dbg"
cat >"$WORK/dbg/headroom" <<'HR'
headroom 1
page_size 4096
thp_order 9
class GFP_KERNEL 0xcc0 Normal
class GFP_HIGHUSER_MOVABLE 0x11ca Movable
zone 0 DMA32 free 5000 min 1000 low 1250 high 1500 boost 0 highatomic 0 managed 60000
largest 0 DMA32 1 0 -1 -1 -1 -1
check 0 DMA32 GFP_KERNEL 0 pass 3900
check 0 DMA32 GFP_KERNEL 1 pass 3899
check 0 DMA32 GFP_KERNEL 2 fail_order 3897
check 0 DMA32 GFP_KERNEL 3 fail_order 3893
check 0 DMA32 GFP_KERNEL 4 fail_order 3885
check 0 DMA32 GFP_KERNEL 9 fail_order 3389
best 0 DMA32 GFP_KERNEL 1
check 0 DMA32 GFP_HIGHUSER_MOVABLE 0 fail -20
best 0 DMA32 GFP_HIGHUSER_MOVABLE -1
mem active_anon 40000
mem slab_unreclaimable 3000
mem free 5000
task 77 39000 Web Content
task 78 10 \x1b]0;x
slab 1048576 kmalloc-64
HR
run top-once 0 --dir "$WORK/dbg" top --once && {
	grep -qE '^  GFP_KERNEL +3900 +3899 +FRAG' "$WORK/o" && grep -q 'FAIL -20' "$WORK/o" &&
		grep -q 'largest free block: unmovable order 1 movable order 0' "$WORK/o" &&
		grep -q 'task 77      Web Content' "$WORK/o" && ok top-text ||
		notok top-text "$(head -c 600 "$WORK/o")"
}
run top-json 0 --dir "$WORK/dbg" top --once --json && python3 - "$WORK/o" <<'PY' && ok top-json-values || notok top-json-values "$(head -c 300 "$WORK/o")"
import json, sys
d = json.load(open(sys.argv[1]))
z = d["zones"][0]
k = {c["class"]: c for c in z["classes"]}
assert d["version"] == 1 and d["thp_order"] == 9
assert k["GFP_KERNEL"]["largest_order"] == 1
assert [o["status"] for o in k["GFP_KERNEL"]["orders"]][:3] == ["pass", "pass", "fail_order"]
assert k["GFP_HIGHUSER_MOVABLE"]["largest_order"] is None
assert k["GFP_HIGHUSER_MOVABLE"]["orders"][0]["margin_pages"] == -20
assert z["largest_free_order"]["movable"] == 0 and z["largest_free_order"]["cma"] is None
assert d["memory_kb"]["active_anon"] == 160000 and d["tasks"][0]["comm"] == "Web Content"
PY
"$O" --dir "$WORK/dbg" top -c 2 -i 0.1 --json >"$WORK/o"
[ "$(wc -l <"$WORK/o")" -eq 2 ] && ok top-count-refreshes || notok top-count-refreshes "$(wc -l <"$WORK/o") documents"
echo "check 0 DMA32 GFP_KERNEL zero pass 1" >>"$WORK/dbg/headroom"
run top-malformed 2 --dir "$WORK/dbg" top --once && grep -q 'line 22: unexpected' "$WORK/e" && ok top-malformed
run top-missing 2 --dir "$WORK/nope" top --once && grep -q 'headroom' "$WORK/e" && ok top-missing-file

# --- man pages: render, and name every option, command, file and parameter
for page in oomsnap.8 oomsnap.4; do
	if ! command -v man >/dev/null; then
		skipped "man-$page" "man not installed (apt-get install man-db)"
		continue
	fi
	MANWIDTH=100 man --warnings -l "$ROOT/man/$page" >"$WORK/$page.txt" 2>"$WORK/$page.err" </dev/null
	if [ $? -ne 0 ] || [ -s "$WORK/$page.err" ] || [ "$(wc -l <"$WORK/$page.txt")" -lt 40 ]; then
		notok "man-$page-renders" "$(head -c 300 "$WORK/$page.err")"
	else
		ok "man-$page-renders"
	fi
done
if [ -s "$WORK/oomsnap.8.txt" ]; then
	missing=
	{ "$O" --help; for c in $cmds; do "$O" "$c" --help; done; } >"$WORK/allhelp"
	for opt in $(grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z-]*' "$WORK/allhelp" | tr -d ' ,' | sort -u); do
		grep -qF -- "$opt" "$WORK/oomsnap.8.txt" || missing="$missing $opt"
	done
	for c in $cmds help; do grep -q "^       $c\b" "$WORK/oomsnap.8.txt" || missing="$missing command:$c"; done
	for s in "EXIT STATUS" FILES EXAMPLES JSON OUTPUT; do grep -q "^$s" "$WORK/oomsnap.8.txt" || missing="$missing section:$s"; done
	[ -z "$missing" ] && ok man-8-has-every-option || notok man-8-has-every-option "missing:$missing"
fi
if [ -s "$WORK/oomsnap.4.txt" ]; then
	missing=
	for f in $(grep -ohE 'debugfs_create_file\("[a-z_]+"' "$ROOT/module/"*.c | cut -d'"' -f2); do
		grep -qE "^       $f( |\$)" "$WORK/oomsnap.4.txt" || missing="$missing file:$f"
	done
	for p in $(grep -ohE 'module_param(_named)?\([a-z_]+' "$ROOT/module/"*.c | sed 's/.*(//'); do
		grep -qE "^       $p( |\$)" "$WORK/oomsnap.4.txt" || missing="$missing param:$p"
	done
	[ -z "$missing" ] && ok man-4-has-every-file-and-parameter || notok man-4-has-every-file-and-parameter "missing:$missing"
fi

# --- bash completion
comp=$ROOT/tools/oomsnap-completion.bash
complete_words() {	# WORDS...: the completions of the last word
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_oomsnap; printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@" 2>&1 | sort | tr '\n' ' '
}
expect completion-syntax bash -n "$comp"
got=$(complete_words oomsnap "")
[ "$got" = "explain help list record show stats top watch " ] && ok completion-commands || notok completion-commands "$got"
got=$(complete_words oomsnap top --o)
[ "$got" = "--once " ] && ok completion-top-options || notok completion-top-options "$got"
got=$(complete_words oomsnap --json watch --c)
[ "$got" = "--count " ] && ok completion-after-global-option || notok completion-after-global-option "$got"

if [ $skip -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ $fail -eq 0 ]
