#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/install/run.sh [host] [dkms] [guest] - installing and persisting oomsnap (all three by
# default). Ends with "N passed, M failed".
#   host   the licence files; make install/uninstall into a DESTDIR tree, checked file by file;
#          make modules_install + depmod into a DESTDIR for Debian's 6.1; the systemd unit
#          (systemd-analyze verify); stats --prometheus (promtool check metrics); the recorder
#          on saved rings: resume without duplicates, gaps and module reloads reported, torn
#          lines cut, rotation, one recorder per directory, the journal's native protocol
#   dkms   make dkms-install for Debian's 6.1 and 6.12 (dkms add/build/install, the module
#          signed with the MOK key under /var/lib/dkms: modinfo names its signer), then
#          make dkms-uninstall. Needs root; installs dkms and both kernels' headers.
#   guest  per kernel, the DKMS-built .ko in QEMU: it loads, the recorder is killed and
#          restarted between memory cgroup OOMs and nothing is lost or doubled, the guest's
#          stats --prometheus passes promtool; then a boot with vm.panic_on_oom=1 whose console
#          log holds the snapshot's summary before the panic, and "oomsnap explain" on that
#          log names the same cause; the same for an OOM with nothing left to kill and for a
#          memory cgroup OOM with vm.panic_on_oom=2. Also the lockdown and signature refusals
#          README's troubleshooting describes. Runs dkms first (it needs its modules).
# Logs: $OOMSNAP_LOGS/install-*.log.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
ROOT=$OOMSNAP_ROOT

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(host dkms guest)
for p in "${parts[@]}"; do
	case "$p" in host|dkms|guest) ;; *) die "unknown part '$p' (host dkms guest)" ;; esac
done
want() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/oomsnap-install.XXXXXX")
jpid=
cleanup() { [ -n "$jpid" ] && kill "$jpid" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
logdir=$OOMSNAP_LOGS
mkdir -p "$logdir"
pass=0 fail=0
ok()    { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1: $2"; fail=$((fail + 1)); }
# expect NAME CMD...: ok when CMD succeeds
expect() {
	local name=$1
	shift
	if "$@" >"$W/expect.out" 2>&1; then ok "$name"; else
		notok "$name" "$(head -c 300 "$W/expect.out" | tr '\n' ' ')"; fi
}
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

# A copy of the tree (what git tracks, plus new files): builds there leave the work tree alone.
SRC=$W/src
mkdir -p "$SRC"
(cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - 2>/dev/null) |
	tar -C "$SRC" -xf - || die "cannot copy the tree"
VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$ROOT/dkms.conf")

# ------------------------------------------------------------------------------------------
host_licence() {
	if grep -q 'GNU GENERAL PUBLIC LICENSE' "$ROOT/COPYING" &&
	   grep -q 'Version 2, June 1991' "$ROOT/COPYING" &&
	   grep -q 'SPDX-License-Identifier: GPL-2.0' "$ROOT/LICENSE"; then
		ok licence-files
	else
		notok licence-files "COPYING is not the GPL version 2, or LICENSE does not name GPL-2.0"
	fi
	# every SPDX line of the tree claims what COPYING holds
	local other
	other=$(cd "$ROOT" && git grep -h -o 'SPDX-License-Identifier: .*' -- . ':!tests/install/run.sh' |
		sed 's/ *\*\/$//; s/ *-->$//' | sort -u |
		grep -vE '^SPDX-License-Identifier: GPL-2.0( WITH Linux-syscall-note)?$')
	[ -z "$other" ] && ok licence-spdx-consistent ||
		notok licence-spdx-consistent "other identifiers: $(echo "$other" | tr '\n' ' ')"
}

# check_tree DIR EXPECTED: the files under DIR are exactly EXPECTED ("path mode source" lines,
# source compared byte for byte; "-" for none).
check_tree() {
	local dir=$1 expected=$2 path mode src have bad=
	have=$(cd "$dir" && find . -type f -o -type l | sed 's|^\./||' | sort)
	if [ "$have" != "$(cut -d' ' -f1 <<<"$expected" | sort)" ]; then
		echo "files differ: $(diff <(cut -d' ' -f1 <<<"$expected" | sort) <(echo "$have") |
			grep '^[<>]' | tr '\n' ' ')"
		return 1
	fi
	while read -r path mode src; do
		[ "$(stat -c %a "$dir/$path")" = "$mode" ] || bad="$bad $path:mode=$(stat -c %a "$dir/$path")"
		[ "$src" = - ] || cmp -s "$src" "$dir/$path" || bad="$bad $path:content"
	done <<<"$expected"
	[ -z "$bad" ] || { echo "wrong:$bad"; return 1; }
}

host_install() {
	local d=$W/destdir exp m sec comp
	if ! make -s -C "$SRC" install DESTDIR="$d" PREFIX=/usr >"$W/install.log" 2>&1; then
		notok install-destdir "make install failed: $(tail -n 3 "$W/install.log" | tr '\n' ' ')"
		return
	fi
	sed 's|@SBINDIR@|/usr/sbin|g' "$SRC/packaging/oomsnap-recorder.service.in" > "$W/unit.expected"
	exp="usr/sbin/oomsnap 755 $SRC/tools/oomsnap
usr/lib/systemd/system/oomsnap-recorder.service 644 $W/unit.expected
usr/share/doc/oomsnap/examples/modprobe.d/oomsnap.conf 644 $SRC/packaging/oomsnap.conf.modprobe
usr/share/doc/oomsnap/examples/modules-load.d/oomsnap.conf 644 $SRC/packaging/oomsnap.conf.modules-load
usr/share/doc/oomsnap/README.md 644 $SRC/README.md
usr/share/doc/oomsnap/COPYING 644 $SRC/COPYING"
	for m in "$SRC"/man/*.[1-8] "$SRC"/doc/*.[1-8]; do
		[ -f "$m" ] || continue
		sec=${m##*.}
		exp="$exp
usr/share/man/man$sec/${m##*/} 644 $m"
	done
	for comp in tools/oomsnap-completion.bash completion/oomsnap bash-completion/oomsnap \
		contrib/bash-completion/oomsnap; do
		[ -f "$SRC/$comp" ] || continue
		exp="$exp
usr/share/bash-completion/completions/oomsnap 644 $SRC/$comp"
		break
	done
	expect install-destdir-files check_tree "$d" "$exp"
	grep -q '^ExecStart=/usr/sbin/oomsnap record' "$d/usr/lib/systemd/system/oomsnap-recorder.service" &&
		ok install-unit-path || notok install-unit-path "ExecStart does not name /usr/sbin/oomsnap"
	expect install-binary-runs bash -c "'$d/usr/sbin/oomsnap' --raw /dev/null list | grep -q 'no events'"

	# systemd-analyze verify: the unit as installed under a PREFIX that exists on this host, so
	# that ExecStart's binary is there; its man page too once the tree has one.
	need_pkgs systemd man-db
	local p=$W/prefix man_opt=--man=no
	make -s -C "$SRC" install PREFIX="$p" >/dev/null 2>&1
	[ -f "$p/share/man/man8/oomsnap.8" ] && man_opt=--man=yes
	[ "$man_opt" = --man=no ] && echo "# no man/oomsnap.8 in the tree yet: verify runs with --man=no"
	if MANPATH=$p/share/man systemd-analyze verify "$man_opt" \
		"$p/lib/systemd/system/oomsnap-recorder.service" >"$W/verify.out" 2>&1 &&
	   ! grep -q . "$W/verify.out"; then
		ok unit-systemd-analyze-verify
	else
		notok unit-systemd-analyze-verify "$(head -c 400 "$W/verify.out" | tr '\n' ' ')"
	fi
	make -s -C "$SRC" uninstall PREFIX="$p" >/dev/null 2>&1
	grep -q '^Restart=always' "$d/usr/lib/systemd/system/oomsnap-recorder.service" &&
	grep -q '^ProtectSystem=strict' "$d/usr/lib/systemd/system/oomsnap-recorder.service" &&
		ok unit-hardening || notok unit-hardening "no Restart=always or ProtectSystem=strict"

	if make -s -C "$SRC" uninstall DESTDIR="$d" PREFIX=/usr >"$W/uninstall.log" 2>&1 &&
	   [ -z "$(find "$d" -type f)" ]; then
		ok uninstall-destdir
	else
		notok uninstall-destdir "left: $(find "$d" -type f | head -n 5 | tr '\n' ' ')"
	fi
	# PREFIX defaults to /usr/local
	rm -rf "$d"
	make -s -C "$SRC" install DESTDIR="$d" >/dev/null 2>&1
	[ -x "$d/usr/local/sbin/oomsnap" ] &&
		grep -q '^ExecStart=/usr/local/sbin/oomsnap ' "$d/usr/local/lib/systemd/system/oomsnap-recorder.service" &&
		ok install-default-prefix || notok install-default-prefix "not under /usr/local"
	make -s -C "$SRC" uninstall DESTDIR="$d" >/dev/null 2>&1
	[ -z "$(find "$d" -type f)" ] && ok uninstall-default-prefix ||
		notok uninstall-default-prefix "left: $(find "$d" -type f | head -n 5 | tr '\n' ' ')"
	make -s -C "$SRC/tools" clean >/dev/null 2>&1
}

host_modules_install() {
	local vars d=$W/modroot ko
	if ! vars=$("$here/../lib/debian-kernel.sh" 6.1); then
		notok modules-install "no Debian 6.1 headers"
		return
	fi
	eval "$vars"
	if ! make -C "$SRC" modules_install KDIR="$KDIR" KVER="$KVER" DESTDIR="$d" \
		>"$W/modinst.log" 2>&1; then
		notok modules-install "make modules_install failed: $(tail -n 3 "$W/modinst.log" | tr '\n' ' ')"
		return
	fi
	ko=$(cd "$d/lib/modules/$KVER" && find extra -name 'oomsnap.ko*' | head -n1)
	if [ -n "$ko" ] && grep -q "^$ko:" "$d/lib/modules/$KVER/modules.dep" &&
	   modinfo -b "$d" -k "$KVER" -F vermagic oomsnap | grep -q "^$KVER "; then
		ok modules-install-depmod
	else
		notok modules-install-depmod "no extra/oomsnap.ko in modules.dep, or modinfo can't find it ($ko)"
	fi
	# the modprobe.d example: modprobe reads it, and every parameter it sets exists
	local cmd parms p bad=
	cmd=$(modprobe -d "$d" -S "$KVER" -C "$SRC/packaging/oomsnap.conf.modprobe" --show-depends \
		oomsnap 2>&1)
	parms=$(modinfo -b "$d" -k "$KVER" -F parm oomsnap | cut -d: -f1)
	for p in $(sed -n 's/^options oomsnap //p' "$SRC/packaging/oomsnap.conf.modprobe"); do
		grep -qx "${p%%=*}" <<<"$parms" || bad="$bad ${p%%=*}"
		grep -q " $p\( \|$\)" <<<"$cmd" || bad="$bad $p(not passed)"
	done
	if [ -z "$bad" ] && grep -q "^insmod .*/oomsnap.ko" <<<"$cmd"; then
		ok modprobe-d-example
	else
		notok modprobe-d-example "unknown or unused parameters:$bad; modprobe: $cmd"
	fi
	make -C "$SRC" uninstall KDIR="$KDIR" KVER="$KVER" DESTDIR="$d" >"$W/moduninst.log" 2>&1
	if [ -z "$(find "$d/lib/modules/$KVER" -name 'oomsnap.ko*')" ] &&
	   ! grep -q oomsnap "$d/lib/modules/$KVER/modules.dep"; then
		ok modules-uninstall
	else
		notok modules-uninstall "oomsnap.ko still installed or in modules.dep"
	fi
	make -s -C "$SRC" clean KDIR="$KDIR" >/dev/null 2>&1
}

# The reader and the unit test program with the sanitizers, as tests/unit does.
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=halt_on_error=1:exitcode=99
build_host_reader() {
	local lib
	lib=$(make -s -C "$SRC/tools" engine-srcs)
	# shellcheck disable=SC2086
	cc -std=gnu11 -g -O1 $SAN -I"$SRC/uapi" -I"$SRC/lib" -I"$SRC/tools/logparse" \
		-o "$W/unit" \
		"$SRC/tests/unit/unit.c" $lib >"$W/cc.log" 2>&1 &&
	make -s -C "$SRC/tools" oomsnap CFLAGS="-g -O1 $SAN" EXTRA_CFLAGS=-Werror \
		>>"$W/cc.log" 2>&1 && cp "$SRC/tools/oomsnap" "$W/oomsnap" &&
	make -s -C "$SRC/tools" clean >/dev/null 2>&1
}

host_prometheus() {
	local dbg=$W/dbg out
	mkdir -p "$dbg"
	"$W/unit" write-raw "$dbg/raw" 3 >/dev/null
	cat > "$dbg/stats" <<-'EOF'
	oom                      3
	memcg_oom                1
	alloc_failure            7
	manual                   0
	victims                  3
	victims_joined           2
	victims_unjoined         1
	captured                 3
	dropped_ratelimit        4
	dropped_nowarn           0
	skipped_recursion        0
	nowarn_failures          2
	overwritten              0
	skipped_busy             0
	last_seq                 3
	retained                 3
	ring_size                32
	alloc_failure_order_0    5
	alloc_failure_order_1    0
	alloc_failure_order_2    2
	alloc_failure_atomic     6
	alloc_failure_kernel     1
	coalesced                2
	capture_ns_max           2396383
	ratelimit_interval_ms    5000
	some_future_counter      9
	EOF
	need_pkgs prometheus
	if "$W/oomsnap" --dir "$dbg" stats --prometheus > "$W/prom" 2>"$W/prom.err"; then
		ok prometheus-exit-0
	else
		notok prometheus-exit-0 "$(head -c 300 "$W/prom.err")"
	fi
	if out=$(promtool check metrics < "$W/prom" 2>&1) && [ -z "$out" ]; then
		ok prometheus-promtool
	else
		notok prometheus-promtool "$(echo "$out" | head -n 3 | tr '\n' ' ')"
	fi
	local want
	for want in 'oomsnap_events_total{type="oom"} 3' 'oomsnap_events_total{type="alloc_failure"} 7' \
		'oomsnap_alloc_failures_by_order_total{order="2"} 2' \
		'oomsnap_alloc_failures_by_class_total{class="atomic"} 6' \
		'oomsnap_dropped_total{reason="ratelimit"} 4' 'oomsnap_ring_records 3' \
		'oomsnap_ring_size 32' 'oomsnap_retained_events{type="oom",cause="exhausted"} 3' \
		'oomsnap_stat{name="some_future_counter"} 9' 'oomsnap_dropped_total{reason="coalesced"} 2' \
		'oomsnap_capture_seconds_max 0.002396383' 'oomsnap_ratelimit_interval_seconds 5.000'; do
		grep -qxF "$want" "$W/prom" || { notok prometheus-values "no line '$want'"; return; }
	done
	grep -q 'class="order_' "$W/prom" && { notok prometheus-values "an order counted as a class"; return; }
	ok prometheus-values
	printf 'oom 3\nbroken line here\n' > "$dbg/stats"
	"$W/oomsnap" --dir "$dbg" stats --prometheus > /dev/null 2>"$W/prom.err"
	[ $? -eq 2 ] && [ "$(wc -l < "$W/prom.err")" -eq 1 ] && ok prometheus-bad-stats-one-line-exit-2 ||
		notok prometheus-bad-stats-one-line-exit-2 "$(cat "$W/prom.err")"
	"$W/oomsnap" --dir "$W/nonexistent" stats --prometheus > /dev/null 2>"$W/prom.err"
	[ $? -eq 2 ] && grep -q 'debugfs mounted' "$W/prom.err" && ok prometheus-no-module-exit-2 ||
		notok prometheus-no-module-exit-2 "$(cat "$W/prom.err")"
}

# seqs FILE...: the recorded sequence numbers, one line
seqs() {
	cat "$@" 2>/dev/null | sed -n 's/^{"boot_id":"[^"]*",\("version":[0-9]*,\)\{0,1\}"type":"[a-z_]*","seq":\([0-9]*\),.*/\2/p' |
		tr '\n' ' ' | sed 's/ $//'
}
# ring N [SIZE SEQ0]: a saved ring of N records (write-raw appends: start afresh)
ring() { rm -f "$W/ring"; "$W/unit" write-raw "$W/ring" "$@" >/dev/null; }
rec() { "$W/oomsnap" --raw "$W/ring" record --file "$W/state/events.jsonl" --no-follow "$@"; }

host_recorder() {
	local f=$W/state/events.jsonl rc bid
	bid=$(cat /proc/sys/kernel/random/boot_id)
	ring 3
	rec 2>"$W/rec.err"
	rc=$?
	[ $rc -eq 0 ] && [ "$(seqs "$f")" = "1 2 3" ] && ok recorder-records-all ||
		notok recorder-records-all "exit $rc, seqs [$(seqs "$f")] $(head -c 200 "$W/rec.err")"
	# each line: the object "watch --json" prints, with boot_id in front
	"$W/oomsnap" --json --raw "$W/ring" show 2 > "$W/show2.json"
	if python3 - "$f" "$W/show2.json" "$bid" <<-'EOF'
	import json, sys
	lines = open(sys.argv[1]).read().split("\n")
	assert lines[-1] == "" and len(lines) == 4
	objs = [json.loads(l) for l in lines[:-1]]
	want = json.load(open(sys.argv[2]))
	got = dict(objs[1])
	assert got.pop("boot_id") == sys.argv[3]
	assert got == want, "differs from show --json"
	EOF
	then ok recorder-line-is-watch-json; else notok recorder-line-is-watch-json "see python"; fi
	[ "$(stat -c %a "$f")" = 600 ] && [ "$(stat -c %a "$W/state")" = 700 ] &&
		ok recorder-file-modes || notok recorder-file-modes "$(stat -c %a "$W/state" "$f" | tr '\n' ' ')"

	rec 2>"$W/rec.err"
	[ "$(seqs "$f")" = "1 2 3" ] && ok recorder-restart-no-duplicate ||
		notok recorder-restart-no-duplicate "seqs [$(seqs "$f")]"
	ring 5
	rec 2>"$W/rec.err"
	[ "$(seqs "$f")" = "1 2 3 4 5" ] && ok recorder-resume-after-last ||
		notok recorder-resume-after-last "seqs [$(seqs "$f")]"

	# the ring moved on while no recorder ran: 6 and 7 are lost, and said so
	ring 2 18808 8
	rec 2>"$W/rec.err"
	[ "$(seqs "$f")" = "1 2 3 4 5 8 9" ] && grep -q 'records 6-7 were overwritten' "$W/rec.err" &&
		ok recorder-gap-reported || notok recorder-gap-reported "seqs [$(seqs "$f")] $(cat "$W/rec.err")"

	# the module was reloaded: numbers start at 1 again, below the 9 recorded
	ring 2
	rec 2>"$W/rec.err"
	[ "$(seqs "$f")" = "1 2 3 4 5 8 9 1 2" ] && grep -q 'restarted' "$W/rec.err" &&
		ok recorder-module-reload || notok recorder-module-reload "seqs [$(seqs "$f")] $(cat "$W/rec.err")"

	# a crash in the middle of a line: the torn line is cut, its event written again
	ring 3
	head -c 700 <(sed -n 9p "$f" | sed 's/"seq":2,/"seq":3,/') >> "$f"
	rec 2>"$W/rec.err"
	if [ "$(seqs "$f")" = "1 2 3 4 5 8 9 1 2 3" ] && grep -q 'torn' "$W/rec.err" &&
	   python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$f"; then
		ok recorder-torn-line-cut
	else
		notok recorder-torn-line-cut "seqs [$(seqs "$f")] $(cat "$W/rec.err")"
	fi

	# a line from another boot: everything in the ring is new
	sed -i '$ s/"boot_id":"[^"]*"/"boot_id":"00000000-0000-0000-0000-000000000000"/' "$f"
	rec 2>"$W/rec.err"
	[ "$(seqs "$f")" = "1 2 3 4 5 8 9 1 2 3 1 2 3" ] && ok recorder-new-boot ||
		notok recorder-new-boot "seqs [$(seqs "$f")]"

	# rotation: at most --max-size per file, --keep old files, the oldest dropped
	rm -rf "$W/state"
	ring 20
	rec --max-size 8K --keep 2 2>"$W/rec.err"
	local files big all
	files=$(cd "$W/state" && ls | tr '\n' ' ')
	big=$(find "$W/state" -type f -size +8k | wc -l)
	all=$(seqs "$f.2" "$f.1" "$f")
	if [ "$files" = "events.jsonl events.jsonl.1 events.jsonl.2 " ] && [ "$big" -eq 0 ] &&
	   [ -n "$all" ] && [ "${all##* }" = 20 ] && [ "${all%% *}" -gt 1 ] &&
	   [ "$all" = "$(seq -s ' ' "${all%% *}" 20)" ]; then
		ok recorder-rotation
	else
		notok recorder-rotation "files [$files], $big over 8K, seqs [$all]"
	fi
	# resuming from the rotated file when the current one is empty
	mv "$f" "$f.1"
	: > "$f"
	rec 2>"$W/rec.err"
	[ -z "$(seqs "$f")" ] && ok recorder-resume-from-rotated ||
		notok recorder-resume-from-rotated "wrote [$(seqs "$f")] again"

	# one recorder per directory
	flock "$W/state" sleep 5 &
	sleep 0.5
	rec 2>"$W/rec.err"
	rc=$?
	[ $rc -eq 2 ] && grep -q 'another recorder' "$W/rec.err" && ok recorder-single-instance ||
		notok recorder-single-instance "exit $rc: $(cat "$W/rec.err")"
	wait

	# follow mode: a new record in the ring is written, SIGTERM ends it with status 0
	rm -rf "$W/state"
	ring 1
	"$W/oomsnap" --raw "$W/ring" record --file "$f" 2>"$W/rec.err" &
	local pid=$!
	for _ in $(seq 50); do [ "$(seqs "$f")" = 1 ] && break; sleep 0.1; done
	"$W/unit" write-raw "$W/ring" 1 18808 2 >/dev/null	# appended: the ring moves on
	for _ in $(seq 50); do [ "$(seqs "$f")" = "1 2" ] && break; sleep 0.1; done
	kill -TERM $pid
	wait $pid
	rc=$?
	[ $rc -eq 0 ] && [ "$(seqs "$f")" = "1 2" ] && ok recorder-follow-sigterm ||
		notok recorder-follow-sigterm "exit $rc, seqs [$(seqs "$f")] $(cat "$W/rec.err")"

	# bad usage: one line, status 2; no ring: status 2 too (the reader's convention: trouble)
	local args
	for args in "--max-size 10" "--max-size 1X" "--keep x" "--keep 100" "--count 0" "--bogus" \
		"--file"; do
		# shellcheck disable=SC2086
		rec $args 2>"$W/rec.err" >/dev/null
		rc=$?
		if [ $rc -ne 2 ] || [ "$(wc -l < "$W/rec.err")" -ne 1 ]; then
			notok recorder-bad-usage "'$args': exit $rc, $(wc -l < "$W/rec.err") lines"
			return
		fi
	done
	ok recorder-bad-usage
	"$W/oomsnap" --raw "$W/none" record --file "$f" --no-follow 2>"$W/rec.err"
	[ $? -eq 2 ] && [ "$(wc -l < "$W/rec.err")" -eq 1 ] && ok recorder-no-ring-exit-2 ||
		notok recorder-no-ring-exit-2 "$(cat "$W/rec.err")"
}

# The journal's side of its native protocol: datagrams of KEY=value lines, or KEY, a 64-bit
# little-endian length and the value for values with newlines; one JSON object per datagram.
host_journal() {
	local sock=$W/journal.sock f=$W/jstate/events.jsonl
	python3 - "$sock" "$W/journal.out" <<-'EOF' &
	import json, socket, struct, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind(sys.argv[1])
	out = open(sys.argv[2], "w")
	while True:
	    d = s.recv(1 << 20)
	    fields, i = [], 0
	    while i < len(d):
	        nl = d.index(b"\n", i)
	        line = d[i:nl]
	        if b"=" in line:
	            k, v = line.split(b"=", 1)
	            i = nl + 1
	        else:
	            k = line
	            n = struct.unpack("<Q", d[nl + 1:nl + 9])[0]
	            v = d[nl + 9:nl + 9 + n]
	            assert d[nl + 9 + n:nl + 10 + n] == b"\n"
	            i = nl + 10 + n
	        fields.append([k.decode(), v.decode()])
	    out.write(json.dumps(fields) + "\n")
	    out.flush()
	EOF
	jpid=$!
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	ring 2
	"$W/oomsnap" --raw "$W/ring" record --file "$f" --no-follow --journal-socket "$sock" \
		2>"$W/rec.err"
	for _ in $(seq 50); do [ "$(wc -l < "$W/journal.out" 2>/dev/null)" = 2 ] && break; sleep 0.1; done
	if python3 - "$W/journal.out" <<-'EOF'
	import json, sys
	msgs = [dict((k, v) for k, v in json.loads(l)) for l in open(sys.argv[1])]
	assert len(msgs) == 2, msgs
	for seq, m in zip(("1", "2"), msgs):
	    assert m["SYSLOG_IDENTIFIER"] == "oomsnap", m
	    assert m["OOMSNAP_SEQ"] == seq and m["OOMSNAP_TYPE"] == "oom", m
	    assert m["OOMSNAP_CAUSE"] == "exhausted", m
	    assert m["PRIORITY"] == "4" and "cause exhausted" in m["MESSAGE"], m
	    assert m["OOMSNAP_ORDER"] == "0" and m["OOMSNAP_TASK"].startswith("task"), m
	    assert "\n" in m["OOMSNAP_EVIDENCE"] and "watermark" in m["OOMSNAP_EVIDENCE"], m
	EOF
	then ok recorder-journal-fields; else notok recorder-journal-fields "$(head -c 300 "$W/journal.out")"; fi
	kill "$jpid" 2>/dev/null
	wait "$jpid" 2>/dev/null
	jpid=
	# no journal listening: the file still gets the events, one warning
	rm -rf "$W/jstate"
	"$W/oomsnap" --raw "$W/ring" record --file "$f" --no-follow --journal-socket "$W/nojournal" \
		2>"$W/rec.err"
	[ $? -eq 0 ] && [ "$(seqs "$f")" = "1 2" ] && [ "$(grep -c journal "$W/rec.err")" = 1 ] &&
		ok recorder-journal-absent || notok recorder-journal-absent "$(cat "$W/rec.err")"
}

# The real journald, alone in a private mount namespace (tmpfs over /run/systemd, /run/log and
# /var/log, so nothing reaches the host's journal): "journalctl -t oomsnap OOMSNAP_CAUSE=..."
# finds what the recorder sent.
host_journald() {
	local jd=/lib/systemd/systemd-journald
	[ -x "$jd" ] || { notok recorder-journald "no $jd"; return; }
	ring 2
	# shellcheck disable=SC2016
	timeout 60 unshare -m --propagation private bash -c '
		set -e
		mkdir -p /run/systemd /run/log
		for d in /run/systemd /run/log /var/log; do mount -t tmpfs tmpfs "$d"; done
		mkdir -p /run/systemd/journal
		"$1" & jpid=$!
		for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.1; done
		"$2" --raw "$3" record --file "$4" --no-follow --journal
		for _ in $(seq 50); do
			journalctl -D /run/log/journal --no-pager -o json -t oomsnap \
				OOMSNAP_CAUSE=exhausted > "$5" 2>/dev/null || true
			[ "$(wc -l < "$5")" -ge 2 ] && break
			sleep 0.1
		done
		kill "$jpid"' bash "$jd" "$W/oomsnap" "$W/ring" "$W/jd/events.jsonl" "$W/journalctl.json" \
		>"$W/jd.log" 2>&1
	if python3 - "$W/journalctl.json" <<-'EOF'
	import json, sys
	msgs = [json.loads(l) for l in open(sys.argv[1])]
	assert [m["OOMSNAP_SEQ"] for m in msgs] == ["1", "2"], msgs
	for m in msgs:
	    assert m["SYSLOG_IDENTIFIER"] == "oomsnap" and m["_TRANSPORT"] == "journal", m
	    assert m["OOMSNAP_TYPE"] == "oom" and m["PRIORITY"] == "4", m
	    assert "min watermark" in m["OOMSNAP_EVIDENCE"], m
	EOF
	then ok recorder-journald-query; else
		notok recorder-journald-query "$(head -c 300 "$W/jd.log" "$W/journalctl.json" | tr '\n' ' ')"; fi
}

if want host; then
	host_licence
	host_install
	host_modules_install
	if build_host_reader; then
		ok build-reader-sanitizers
		host_prometheus
		host_recorder
		host_journal
		host_journald
	else
		notok build-reader-sanitizers "$(head -c 400 "$W/cc.log")"
	fi
fi

# ------------------------------------------------------------------------------------------
# DKMS: Debian's dkms and the headers of the two kernels the QEMU tests boot.
declare -A DKMS_KO
dkms_part() {
	local series vars start secs ko signer cn
	[ "$(id -u)" -eq 0 ] || { notok dkms "needs root"; return; }
	need_pkgs dkms openssl kmod
	for series in 6.1 6.12; do
		if ! vars=$("$here/../lib/debian-kernel.sh" "$series"); then
			notok "dkms-$series" "debian-kernel.sh $series failed"
			continue
		fi
		eval "$vars"
		need_pkgs "linux-headers-$KVER"
		start=$(date +%s.%N)
		if ! make -C "$SRC" dkms-install KVER="$KVER" >"$logdir/install-dkms-$series.log" 2>&1; then
			notok "dkms-$series-install" "make dkms-install failed: $(tail -n 5 \
				"$logdir/install-dkms-$series.log" | tr '\n' ' ')"
			continue
		fi
		secs=$(echo "$(date +%s.%N) - $start" | bc)
		echo "# dkms-install for $KVER: ${secs%????????}s"
		if dkms status -m oomsnap -v "$VERSION" -k "$KVER" 2>/dev/null | grep -q ': installed'; then
			ok "dkms-$series-install"
		else
			notok "dkms-$series-install" "dkms status: $(dkms status -m oomsnap -k "$KVER")"
			continue
		fi
		ko=$(find "/lib/modules/$KVER/updates/dkms" -name 'oomsnap.ko*' | head -n1)
		if [ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$KVER " &&
		   modinfo -k "$KVER" -F filename oomsnap | grep -q updates/dkms; then
			ok "dkms-$series-modinfo"
		else
			notok "dkms-$series-modinfo" "no module for $KVER under updates/dkms, or modprobe would not find it"
			continue
		fi
		# Debian's dkms signs with /var/lib/dkms/mok.key (made on first use if missing)
		signer=$(modinfo -F signer "$ko")
		cn=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject -nameopt multiline \
			2>/dev/null | sed -n 's/^ *commonName *= //p')
		echo "# $ko: signer '$signer', sig_hashalgo $(modinfo -F sig_hashalgo "$ko")"
		[ -n "$signer" ] && [ "$signer" = "$cn" ] && ok "dkms-$series-signed-by-mok" ||
			notok "dkms-$series-signed-by-mok" "signer '$signer', mok.pub CN '$cn'"
		case "$ko" in
		*.xz)	xz -dc "$ko" > "$W/oomsnap-$series.ko" ;;
		*.zst)	zstd -qdc "$ko" > "$W/oomsnap-$series.ko" ;;
		*)	cp "$ko" "$W/oomsnap-$series.ko" ;;
		esac
		DKMS_KO[$series]=$W/oomsnap-$series.ko
	done
	make -C "$SRC" dkms-uninstall >"$logdir/install-dkms-uninstall.log" 2>&1
	if ! dkms status -m oomsnap 2>/dev/null | grep -q . && [ ! -e "/usr/src/oomsnap-$VERSION" ] &&
	   [ -z "$(find /lib/modules/*/updates/dkms -name 'oomsnap.ko*' 2>/dev/null)" ]; then
		ok dkms-uninstall
	else
		notok dkms-uninstall "still registered or installed: $(dkms status -m oomsnap)"
	fi
}
want dkms || want guest && dkms_part

# ------------------------------------------------------------------------------------------
# boot LOG QEMU_ARGS...: qemu.sh, once more if the kernel died before the guest script started
# (no OOMSNAP-GUEST-START: nothing of oomsnap had run; seen once as an int3 Oops in
# sched_clock_cpu() while 6.12 patched its static keys at boot under TCG). Returns qemu.sh's
# status.
boot() {
	local log=$1 rc=0
	shift
	"$here/../lib/qemu.sh" --log "$log" "$@" >/dev/null 2>&1 || rc=$?
	if ! grep -q '^OOMSNAP-GUEST-START' "$log"; then
		echo "# $log: the kernel died before the guest started ($(grep -m1 -aE 'Oops|BUG:|panic' \
			"$log" | tr -d '\r')); booting again"
		cp "$log" "$log.first"
		rc=0
		"$here/../lib/qemu.sh" --log "$log" "$@" >/dev/null 2>&1 || rc=$?
	fi
	return "$rc"
}

# guest_panic SERIES MODE PANIC_MESSAGE: an OOM that panics (guest-panic.sh MODE); the console
# log must hold oomsnap's summary before the panic line, and "oomsnap explain" on the whole
# console log must find the one report and name the summary's cause.
guest_panic() {
	local series=$1 mode=$2 msg=$3 log initrd line cause ecause nrep t=guest-$1-panic-$2
	log=$logdir/install-panic-$mode-$series.log
	initrd=$W/panic-$series.cpio.gz
	"$here/../lib/initramfs.sh" "$initrd" x86_64 "$here/guest-panic.sh" \
		"$W/g$series/oomsnap.ko" || { notok "$t" "initramfs.sh failed"; return; }
	boot "$log" --kernel "$VMLINUZ" --initrd "$initrd" --mem 256M --smp 2 --timeout 600 \
		--append "oomsnap.panic=$mode oomsnap.loglevel=8 log_buf_len=4M"
	tr -d '\r' < "$log" | sed '/Kernel panic - not syncing/q' > "$W/panic.log"
	if ! grep -q "Kernel panic - not syncing: $msg" "$W/panic.log"; then
		notok "$t" "no panic '$msg' in $log"
		return
	fi
	ok "$t"
	line=$(grep -m1 'oomsnap: this OOM panics the machine: its snapshot follows' "$W/panic.log")
	cause=$(echo "$line" | sed -n 's/.*(cause \([a-z_]*\))$/\1/p')
	if [ -n "$cause" ] && grep -q 'oomsnap: end of the snapshot' "$W/panic.log" &&
	   grep -q 'oomsnap: zones (kB)' "$W/panic.log" &&
	   grep -q 'oomsnap: top tasks by RSS' "$W/panic.log" &&
	   grep -q "oomsnap:   cause: *$cause" "$W/panic.log" &&
	   grep -q 'oomsnap:   evidence:' "$W/panic.log"; then
		ok "$t-summary-before-panic"
	else
		notok "$t-summary-before-panic" "no complete summary before the panic line in $log"
	fi
	"$SRC/tools/oomsnap" explain "$log" > "$W/explain.out" 2>&1
	nrep=$(grep -c '^report ' "$W/explain.out")
	ecause=$(sed -n 's/^  cause: *//p' "$W/explain.out")
	echo "# panic $series $mode: summary cause '$cause'; explain on the console log: $nrep report(s), cause '$ecause'"
	[ -n "$cause" ] && [ "$nrep" = 1 ] && [ "$cause" = "$ecause" ] && ok "$t-explain-same-cause" ||
		notok "$t-explain-same-cause" "summary '$cause', explain $nrep reports: '$ecause'"
}

guest_part() {
	local series vars log initrd line out
	need_pkgs qemu-system-x86 busybox-static cpio prometheus python3
	for series in 6.1 6.12; do
		if [ -z "${DKMS_KO[$series]:-}" ]; then
			notok "guest-$series" "no DKMS-built module for $series"
			continue
		fi
		if ! vars=$("$here/../lib/build-module.sh" "$series"); then
			notok "guest-$series" "build-module.sh $series failed (the static reader)"
			continue
		fi
		eval "$vars"
		mkdir -p "$W/g$series"
		cp "${DKMS_KO[$series]}" "$W/g$series/oomsnap.ko"

		# the recorder, killed and restarted between OOMs
		log=$logdir/install-recorder-$series.log
		initrd=$W/rec-$series.cpio.gz
		"$here/../lib/initramfs.sh" "$initrd" x86_64 "$here/guest-recorder.sh" \
			"$W/g$series/oomsnap.ko" "$READER" || { notok "guest-$series" "initramfs.sh failed"; continue; }
		boot "$log" --kernel "$VMLINUZ" --initrd "$initrd" --mem 256M --smp 2 --timeout 600 ||
			notok "guest-$series-boot" "qemu.sh failed, log $log"
		tr -d '\r' < "$log" > "$W/rec-$series.log"
		# the guest's checks and infos (tests/lib/console.py), counted here
		while IFS= read -r line; do
			case "$line" in
			"ok - "*)	ok "${line#ok - }" ;;
			"not ok - "*)
				line=${line#not ok - }
				notok "${line%%: *}" "${line#*: }" ;;
			*)		echo "$line" ;;
			esac
		done < <(python3 "$here/../lib/console.py" results "$W/rec-$series.log" "guest-$series-")
		grep -q '^OOMSNAP-TEST: ok recorder-no-loss-no-duplicate' "$W/rec-$series.log" ||
			grep -q '^OOMSNAP-TEST: not ok recorder-no-loss' "$W/rec-$series.log" ||
			notok "guest-$series-recorder" "the guest did not get to the check, log $log"
		python3 "$here/../lib/console.py" split "$W/rec-$series.log" "$W/rec-$series.sec"
		cp "$W/rec-$series.sec/prometheus" "$W/prom-$series" 2>/dev/null || : >"$W/prom-$series"
		# every line of the real module's stats has a metric of its own (no oomsnap_stat)
		if [ -s "$W/prom-$series" ] && grep -q '^oomsnap_events_total{type="memcg_oom"} [1-9]' "$W/prom-$series" &&
		   ! grep -q '^oomsnap_stat{' "$W/prom-$series" &&
		   out=$(promtool check metrics < "$W/prom-$series" 2>&1) && [ -z "$out" ]; then
			ok "guest-$series-prometheus-promtool"
		else
			notok "guest-$series-prometheus-promtool" "$(head -c 300 "$W/prom-$series") ${out:-}"
		fi

		guest_panic "$series" panic_on_oom 'Out of memory: system-wide panic_on_oom is enabled'
		guest_panic "$series" deadlock 'System is deadlocked on memory'
		guest_panic "$series" memcg 'Out of memory: compulsory panic_on_oom is enabled'
	done
}
if want guest; then
	make -s -C "$SRC/tools" >/dev/null 2>&1 || notok guest "tools/oomsnap does not build"
	guest_part
fi
finish
