#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh - the Xen dom0 scenarios, all in one boot of the Xen test host.
#
# QEMU (TCG) boots Debian's Xen 4.17 with Debian's 6.1 stock kernel as PV dom0 on the cached
# debootstrap root (build-root.sh) plus an overlay: dom0-init.sh as /init, oomsnap.ko, the
# reader, the guest programs, the kernel's Xen modules, and a PV domU (the same vmlinuz, a
# busybox initrd running domu.sh) whose two disks are loop devices served by xen-blkback.
# The domU takes a snapshot of its own first:
#   xen-domu      a PV domU's record: domU PV, its balloon as its sysfs shows it, no blkback
# While the domU keeps blkback busy, dom0-scenarios.sh runs, in this order (the OOM last,
# since it may disturb the host):
#   xen-snapshot  a snapshot on demand matches sysfs, xenstore and xl at the same moment
#   xen-balloon   xl mem-set moves the balloon and the next snapshot shows it
#   xen-oom       dom0 driven into a real OOM: captured, dom0 and blkback named
#   xen-unload    oomsnap.ko unloads cleanly twice while blkback's refresh work runs
# and prints what it saw between section markers; this script checks it.
# Output: "ok - xen-NAME (Ts)" / "not ok - xen-NAME: reason" per scenario, "N passed, M failed".
# Logs and sections: $OOMSNAP_LOGS/xen/ (a run's own). Built parts are cached under
# $OOMSNAP_CACHE/xen/ by content (root-*, domu-*, dom0-*), built by one run at a time.
# Environment: OOMSNAP_XEN_TIMEOUT (s, default 900), OOMSNAP_XEN_CPU (QEMU -cpu; the default
# leaves out AVX, XSAVE and FSGSBASE: with them, TCG under Xen PV corrupts user processes'
# state at random, e.g. awk dying in ld.so), OOMSNAP_XEN_DOM0_SCRIPT (debugging: run this
# script in dom0 in place of dom0-scenarios.sh).
set -uo pipefail
# shellcheck source=tests/lib/common.sh
. "$(dirname "$0")/../lib/common.sh"

here=$OOMSNAP_ROOT/tests/xen
lib=$OOMSNAP_ROOT/tests/lib
xen_cache=$OOMSNAP_CACHE/xen
work=$OOMSNAP_LOGS/xen
TIMEOUT=${OOMSNAP_XEN_TIMEOUT:-900}
scenarios=(xen-domu xen-snapshot xen-balloon xen-oom xen-unload)

need_pkgs jq qemu-system-x86 busybox-static cpio kmod python3

# Every scenario fails with the same reason when the host can't be brought up.
fail_all() {
	local s
	for s in "${scenarios[@]}"; do
		echo "not ok - $s: $*"
	done
	echo "0 passed, ${#scenarios[@]} failed"
	exit 1
}

rm -rf "$work"
mkdir -p "$work"
t_build=$(now)

# ---- the parts ------------------------------------------------------------------------------

vars=$("$lib/build-module.sh" 6.1 2>"$work/build.err") ||
	fail_all "oomsnap build for 6.1: $(tail -n1 "$work/build.err")"
eval "$vars"
vars=$("$here/build-root.sh" 2>"$work/root.err") ||
	fail_all "Xen root: $(tail -n1 "$work/root.err")"
eval "$vars"

kmod_path() {	# NAME: the .ko of the kernel's module NAME
	find "$MODDIR/kernel" -name "$1.ko" | head -n1
}

# Content hash of files, for cache keys.
content_key() {
	sha256sum "$@" | cut -c1-64 | sha256sum | cut -c1-16
}

# The initrds below: one run at a time builds them (another run waits, then finds them built).
mkdir -p "$xen_cache"
exec 8>"$xen_cache/.parts.lock"
flock 8

# The domU's initrd: busybox + domu.sh + xen-blkfront.ko, and oomsnap.ko with the reader for
# the domU's own snapshot.
blkfront=$(kmod_path xen-blkfront)
[ -n "$blkfront" ] || fail_all "no xen-blkfront.ko in $MODDIR"
progs=$("$lib/guest-progs.sh" x86_64 2>"$work/progs.err") ||
	fail_all "guest programs: $(tail -n1 "$work/progs.err")"
domu_files=("$blkfront" "$KO" "$READER")
domu_dir=$xen_cache/domu-$(content_key "$here/domu.sh" "${domu_files[@]}" "$progs"/* \
	/bin/busybox "$lib/initramfs.sh" "$lib/guest.sh")
if [ ! -e "$domu_dir/.complete" ]; then
	rm -rf "$xen_cache"/domu-*
	mkdir -p "$domu_dir"
	"$lib/initramfs.sh" "$domu_dir/initrd.cpio.gz" x86_64 "$here/domu.sh" "${domu_files[@]}" \
		2>"$work/domu.err" || fail_all "domU initrd: $(tail -n1 "$work/domu.err")"
	touch "$domu_dir/.complete"
fi

# The overlay on the dom0 root.
stage=$work/overlay
mkdir -p "$stage/oomsnap/kmod" "$stage/oomsnap/domu" "$stage/oomsnap/lib"
cp "$here/dom0-init.sh" "$stage/init"
cp "$lib/guest.sh" "$stage/oomsnap/lib/guest.sh"
# OOMSNAP_XEN_DOM0_SCRIPT: another script in place of dom0-scenarios.sh (to debug the host)
cp "${OOMSNAP_XEN_DOM0_SCRIPT:-$here/dom0-scenarios.sh}" "$stage/oomsnap/dom0-scenarios.sh"
cp "$KO" "$stage/oomsnap/"
cp "$READER" "$stage/oomsnap/oomsnap"
cp "$progs"/* "$stage/oomsnap/"
cp "$VMLINUZ" "$stage/oomsnap/domu/vmlinuz"
cp "$domu_dir/initrd.cpio.gz" "$stage/oomsnap/domu/"
: >"$stage/oomsnap/kmod/order"
add_kmod() {	# NAME: NAME and its dependencies, dependencies first
	local ko dep
	grep -qx "$1" "$stage/oomsnap/kmod/order" && return 0
	ko=$(kmod_path "$1")
	[ -n "$ko" ] || fail_all "no $1.ko in $MODDIR"
	for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
		add_kmod "$dep"
	done
	cp "$ko" "$stage/oomsnap/kmod/"
	echo "$1" >>"$stage/oomsnap/kmod/order"
}
for m in xen-evtchn xenfs xen-privcmd xen-gntdev xen-gntalloc xen-blkback loop; do
	add_kmod "$m"
done

# The dom0 initrd: the root's archive, then the overlay's (the kernel unpacks both, in order).
dom0_key=$( (cd "$stage" && find . -type f | LC_ALL=C sort | xargs sha256sum;
	echo "$DOM0_ROOT") | sha256sum | cut -c1-16)
dom0_dir=$xen_cache/dom0-$dom0_key
if [ ! -e "$dom0_dir/.complete" ]; then
	rm -rf "$xen_cache"/dom0-*
	mkdir -p "$dom0_dir"
	{
		cat "$DOM0_ROOT"
		(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
			cpio -o -H newc --quiet -R 0:0 | gzip -1)
	} >"$dom0_dir/initrd.cpio.gz"
	touch "$dom0_dir/.complete"
fi
flock -u 8
log "parts ready in $(( $(now) - t_build ))s"

# ---- the boot -------------------------------------------------------------------------------

# Xen's command line, then dom0's kernel and initrd as multiboot modules (comma-separated,
# each with its own command line). smap=0: with -cpu max, dom0 dies at its first instruction
# otherwise (the test host's recipe). A dom0 panic makes Xen reboot the machine: -no-reboot ends QEMU then.
xen_cmdline="console=com1 com1=115200,8n1 dom0_mem=768M,max:768M smap=0 loglvl=warning"
dom0_cmdline="console=hvc0 earlyprintk=xen panic=-1 oops=panic nmi_watchdog=0"
t0=$(now)
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu "${OOMSNAP_XEN_CPU:-max,-avx,-avx2,-xsave,-xsaveopt,-xsavec,-xsaves,-fsgsbase}" -m 2048 -smp 2 \
	-nographic -no-reboot -monitor none -serial stdio \
	-kernel "$XEN" -append "$xen_cmdline" \
	-initrd "$VMLINUZ $dom0_cmdline,$dom0_dir/initrd.cpio.gz" \
	</dev/null >"$work/console.log" 2>&1
rc=$?
secs=$(( $(now) - t0 ))
log "boot and scenarios: ${secs}s (qemu exit $rc)"
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	fail_all "timeout after ${TIMEOUT}s (log $work/console.log)"
fi
tr -d '\r' <"$work/console.log" >"$work/console.txt"
grep -q '^OOMSNAP-GUEST-DONE' "$work/console.txt" ||
	fail_all "no OOMSNAP-GUEST-DONE: $(grep -m1 -E 'Kernel panic|BUG:|Oops|FATAL|Panic on CPU' "$work/console.txt" || echo "qemu exit $rc") (log $work/console.log)"
# the guest's own verdicts ("not ok - NAME: WHY"), and its sections as $work/sec/NAME files
python3 "$lib/console.py" results "$work/console.txt" "" >"$work/guest-results" 2>/dev/null
python3 "$lib/console.py" split "$work/console.txt" "$work/sec"
guest_fail() {	# NAME: the first reason the guest gave for NAME failing
	sed -n "s/^not ok - $1: //p" "$work/guest-results" | head -n1
}
host_fail=$(guest_fail xen-host)
[ -z "$host_fail" ] || fail_all "dom0: $host_fail (log $work/console.log)"

# ---- the checks -----------------------------------------------------------------------------

st() {		# SECTION KEY: a value of xen_state
	awk -v k="$2" '$1 == k { print $2; exit }' "$work/sec/$1" 2>/dev/null
}
js() {		# FILE FILTER: a value of a record's JSON (jq -r)
	jq -r "$2" "$1" 2>/dev/null
}
abs() { echo $(( $1 < 0 ? -$1 : $1 )); }

# Keys that must not change between the readings around a snapshot.
stable_keys="balloon_current_kb balloon_target_kb balloon_low_kb balloon_high_kb
	max_buffer_pages max_persistent_grants max_ring_page_order vbds rings"

# The record NAME-show against the state NAME-before/-after; prints a reason, returns 1.
check_record() {
	local name=$1 rec=$work/sec/$1-show k b a
	for k in $stable_keys; do
		b=$(st "$name-before" "$k") a=$(st "$name-after" "$k")
		[ -n "$b" ] || { echo "$name: no '$k' in the state dom0 printed"; return 1; }
		[ "$b" = "$a" ] || { echo "$name: $k moved during the snapshot ($b -> $a)"; return 1; }
	done
	jq -e .xen "$rec" >/dev/null 2>&1 ||
		{ echo "$name: no xen object in 'oomsnap --json show': $(head -c 200 "$rec")"; return 1; }
	check_xen_json "$rec" "$name-after"
}

# A record's "xen" object against a state section: every number must be equal.
check_xen_json() {
	local rec=$1 s=$2 got want pk rings
	[ "$(js "$rec" .xen.status)" = ok ] || { echo "$s: xen status '$(js "$rec" .xen.status)'"; return 1; }
	# dom0 PV: Xen, a PV guest, and the control domain
	want="xen PV control_d"
	got="$(st "$s" hypervisor_type) $(st "$s" guest_type) $(st "$s" capabilities)"
	[ "$got" = "$want" ] || { echo "$s: dom0 says '$got', expected '$want'"; return 1; }
	[ "$(js "$rec" .xen.domain)" = "dom0 PV" ] ||
		{ echo "$s: domain '$(js "$rec" .xen.domain)', expected 'dom0 PV'"; return 1; }
	[ "$(js "$rec" .xen.balloon.status)" = ok ] ||
		{ echo "$s: balloon status '$(js "$rec" .xen.balloon.status)'"; return 1; }
	for k in current target low high; do
		got=$(js "$rec" ".xen.balloon.${k}_kb") want=$(st "$s" "balloon_${k}_kb")
		[ "$got" = "$want" ] || { echo "$s: balloon ${k}_kb $got, sysfs $want"; return 1; }
	done
	[ "$(js "$rec" .xen.blkback.status)" = ok ] ||
		{ echo "$s: blkback status '$(js "$rec" .xen.blkback.status)'"; return 1; }
	for k in vbds:vbds rings:rings max_ring_order:max_ring_page_order \
		 max_buffer_pages:max_buffer_pages max_persistent_grants:max_persistent_grants; do
		got=$(js "$rec" ".xen.blkback.${k%%:*}") want=$(st "$s" "${k#*:}")
		[ "$got" = "$want" ] || { echo "$s: blkback ${k%%:*} $got, dom0 says $want"; return 1; }
	done
	# the test host has two disks, two queues each: a 0 = 0 match proves nothing
	[ "$(st "$s" vbds) $(st "$s" rings)" = "2 4" ] ||
		{ echo "$s: the host shows $(st "$s" vbds) vbds, $(st "$s" rings) rings (expected 2, 4)"; return 1; }
	# worst case: per ring, the free-page cache plus the persistent grants
	pk=$(( $(js "$rec" .page_size) / 1024 ))
	rings=$(st "$s" rings)
	want=$(( rings * ($(st "$s" max_buffer_pages) + $(st "$s" max_persistent_grants)) * pk ))
	got=$(js "$rec" .xen.blkback.pages_worst_kb)
	[ "$got" = "$want" ] || { echo "$s: blkback pages_worst_kb $got, expected $want"; return 1; }
	# what is not observable is said so, with no number
	if [ "$(js "$rec" .xen.blkback.held_status)" != ok ] &&
	   [ "$(js "$rec" '.xen.blkback | has("pages_held_kb")')" != false ]; then
		echo "$s: pages_held_kb given although held_status is '$(js "$rec" .xen.blkback.held_status)'"
		return 1
	fi
	# xl list prints Domain-0's pages in MiB, rounded down; the balloon's current in kB
	got=$(st "$s" xl_list_dom0_mb) want=$(( $(st "$s" balloon_current_kb) / 1024 ))
	[ "$(abs $((got - want)))" -le 1 ] ||
		{ echo "$s: xl list shows Domain-0 at $got MiB, the balloon $want MiB (tolerance 1 MiB)"; return 1; }
	# once the toolstack wrote a target, the balloon driver follows it (PV: no offset)
	got=$(st "$s" xenstore_target_kb)
	if [ "$got" != - ] && [ "$got" != "$(js "$rec" .xen.balloon.target_kb)" ]; then
		echo "$s: xenstore memory/target $got kB, balloon target $(js "$rec" .xen.balloon.target_kb) kB"
		return 1
	fi
	return 0
}

scenario_time() {	# the boot's seconds, shared: the scenarios ran in one boot
	echo "${secs}s in one boot"
}

# (a) xen-snapshot: at rest, and after blkback's limits changed
check_snapshot() {
	local r
	r=$(check_record snap) || { echo "$r"; return 1; }
	r=$(check_record snap2) || { echo "$r"; return 1; }
	[ "$(st snap2-after max_buffer_pages) $(st snap2-after max_persistent_grants)" = "512 600" ] ||
		{ echo "snap2: blkback's parameters were not changed to 512 and 600"; return 1; }
	echo "balloon $(js "$work/sec/snap-show" .xen.balloon.current_kb) kB, blkback $(st snap-after vbds) vbds $(st snap-after rings) rings, limits 1024/1056 then 512/600 seen"
}

# (c) xen-balloon: the record after xl mem-set moved by what sysfs moved, to the target
check_balloon() {
	local r req k d_rec d_sys free_d
	r=$(check_record balloon) || { echo "$r"; return 1; }
	req=$(st balloon-requested balloon_requested_kb)
	[ -n "$req" ] || { echo "no xl mem-set result"; return 1; }
	[ "$(js "$work/sec/balloon-show" .xen.balloon.target_kb)" = "$req" ] ||
		{ echo "target_kb $(js "$work/sec/balloon-show" .xen.balloon.target_kb), xl mem-set asked for $req"; return 1; }
	[ "$(js "$work/sec/balloon-show" .xen.balloon.current_kb)" = "$req" ] ||
		{ echo "current_kb $(js "$work/sec/balloon-show" .xen.balloon.current_kb) after the balloon settled at $req"; return 1; }
	for k in current target low; do
		d_rec=$(( $(js "$work/sec/balloon-show" ".xen.balloon.${k}_kb") - $(js "$work/sec/snap2-show" ".xen.balloon.${k}_kb") ))
		d_sys=$(( $(st balloon-after "balloon_${k}_kb") - $(st snap2-after "balloon_${k}_kb") ))
		[ "$d_rec" = "$d_sys" ] ||
			{ echo "balloon $k moved by $d_rec kB in the records, $d_sys kB in sysfs"; return 1; }
	done
	d_rec=$(( $(js "$work/sec/balloon-show" .xen.balloon.current_kb) - $(js "$work/sec/snap2-show" .xen.balloon.current_kb) ))
	[ "$d_rec" = -131072 ] || { echo "balloon current moved by $d_rec kB, xl mem-set asked for -131072"; return 1; }
	# the pages dom0 gave back are Xen's free memory now (xl info, MiB; 2 MiB of slack)
	free_d=$(( $(st balloon-after xl_info_free_mb) - $(st snap2-after xl_info_free_mb) ))
	[ "$(abs $((free_d - 128)))" -le 2 ] ||
		{ echo "xl info free_memory moved by $free_d MiB, the balloon by 128 MiB"; return 1; }
	echo "current and target $(( req / 1024 )) MiB (-128), low +$(( $(st balloon-after balloon_low_kb) - $(st snap2-after balloon_low_kb) )) kB, xl info free +$free_d MiB"
}

# Evidence and missing lines of a diagnosis (top level, or under "diagnosis"). Callers grep
# them without -q: under pipefail, grep -q quitting early would fail the pipe (SIGPIPE).
diag_lines() {	# FILE KEY...
	local f=$1 k
	shift
	for k in "$@"; do
		jq -r --arg k "$k" '(if has($k) then .[$k] else (.diagnosis // {})[$k] end) // []
			| .[] | if type == "string" then . else tostring end' "$f" 2>/dev/null
	done
}

# The kernel's report of the OOM against the record, per zone, as the scenarios' check (d)
# (tests/lib/reports.py): the report as explain --json reads it, the record as
# oomsnap-rawdump decoded it in dom0.
check_zones() {	# SHOW_JSON DMESG
	local seq
	seq=$(js "$1" .seq)
	jq -c --argjson s "${seq:-null}" 'select(.seq == $s)' "$work/sec/oom-raw" 2>/dev/null |
		head -n1 >"$work/oom-record.json"
	[ -s "$work/oom-record.json" ] || { echo "record $seq not in oomsnap-rawdump's output"; return 1; }
	python3 "$lib/reports.py" zones "$READER" "$2" oom "$work/oom-record.json"
}

# (b) xen-oom: captured, dom0 and blkback named, the log recognised as a Xen dom0's
check_oom() {
	local f rec='' r zones io
	for f in "$work"/sec/oom-show-*; do
		[ "$(js "$f" .type)" = oom ] && { rec=$f; break; }
	done
	[ -n "$rec" ] || { echo "no oom record among the retained ($(tr '\n' ' ' <"$work/sec/oom-stats" 2>/dev/null))"; return 1; }
	for k in $stable_keys; do
		[ "$(st oom-before "$k")" = "$(st oom-after "$k")" ] ||
			{ echo "$k moved during the OOM run ($(st oom-before "$k") -> $(st oom-after "$k"))"; return 1; }
	done
	# the domU's I/O went on through the OOM: blkback's rings were busy while memory ran out
	io=$(sed -n 's/^xen-oom: blkback write requests during the OOM run: //p' "$work/console.txt")
	[ "${io:-0}" -gt 0 ] || { echo "no blkback write request during the OOM run ('$io')"; return 1; }
	r=$(check_xen_json "$rec" oom-after) || { echo "record $(basename "$rec"): $r"; return 1; }
	[ "$(js "$rec" .xen.blkback.vbds)" -ge 1 ] || { echo "no blkback vbds in the record"; return 1; }
	diag_lines "$rec" evidence | grep 'xen-blkback' >/dev/null ||
		{ echo "no evidence line names xen-blkback: $(diag_lines "$rec" evidence | tr '\n' '|')"; return 1; }
	zones=$(check_zones "$rec" "$work/sec/oom-dmesg") || { echo "numbers: $zones"; return 1; }
	# explain, on the host, on dom0's dmesg
	"$READER" --json explain "$work/sec/oom-dmesg" >"$work/explain.json" 2>"$work/explain.err"
	jq -e . "$work/explain.json" >/dev/null 2>&1 ||
		{ echo "explain gave no JSON: $(head -n1 "$work/explain.err")"; return 1; }
	jq '[if type == "array" then .[] else (.events // [.]) | .[] end] | first // {}' \
		"$work/explain.json" >"$work/explain-event.json"
	diag_lines "$work/explain-event.json" evidence missing | grep -iE 'xen|blkback' >/dev/null ||
		{ echo "explain does not recognise a Xen dom0: $(diag_lines "$work/explain-event.json" evidence missing | tr '\n' '|')"; return 1; }
	echo "cause $(js "$rec" '.cause // .diagnosis.cause'), $zones, blkback $(js "$rec" .xen.blkback.vbds) vbds, $io write requests during the OOM run; explain: $(diag_lines "$work/explain-event.json" evidence missing | grep -iE -m1 'xen|blkback')"
}

# xen-domu: the domU's snapshot against the domU's sysfs, read before and after it
check_domu() {
	local rec=$work/sec/domu-show k got want n
	jq -e .xen "$rec" >/dev/null 2>&1 ||
		{ echo "no xen object in the domU's record: $(head -c 200 "$rec" 2>/dev/null)"; return 1; }
	n=$(grep -c '^guest_type ' "$work/sec/domu-state")
	[ "$n" = 2 ] || { echo "the domU printed its state $n times (expected 2)"; return 1; }
	for k in guest_type capabilities balloon_current_kb balloon_target_kb balloon_low_kb balloon_high_kb; do
		[ "$(grep "^$k " "$work/sec/domu-state" | sort -u | wc -l)" = 1 ] ||
			{ echo "domU $k moved during its snapshot"; return 1; }
	done
	[ "$(st domu-state guest_type) $(st domu-state capabilities)" = "PV -" ] ||
		{ echo "the domU says '$(st domu-state guest_type) $(st domu-state capabilities)', expected a PV domU"; return 1; }
	[ "$(js "$rec" .xen.status)/$(js "$rec" .xen.domain)" = "ok/domU PV" ] ||
		{ echo "xen status/domain '$(js "$rec" .xen.status)/$(js "$rec" .xen.domain)', expected 'ok/domU PV'"; return 1; }
	for k in current target low high; do
		got=$(js "$rec" ".xen.balloon.${k}_kb") want=$(st domu-state "balloon_${k}_kb")
		[ "$got" = "$want" ] || { echo "domU balloon ${k}_kb $got, its sysfs $want"; return 1; }
	done
	# blkback is dom0's: in a domU the record has no backends and says why
	[ "$(js "$rec" '.xen.blkback.status == "not_dom0" and (.xen.blkback | has("vbds") | not)')" = true ] ||
		{ echo "the domU's record has blkback data: $(js "$rec" -c .xen.blkback)"; return 1; }
	echo "domU PV, balloon $(js "$rec" .xen.balloon.current_kb) kB, blkback '$(js "$rec" .xen.blkback.status)'"
}

# xen-unload: rmmod twice while the domU's I/O goes on, no warning from the kernel
check_unload() {
	[ -f "$work/sec/unload-dmesg" ] || { echo "dom0 never got to the unload"; return 1; }
	if grep -E 'BUG|WARNING|Oops' "$work/sec/unload-dmesg" >"$work/unload-bad"; then
		echo "the kernel complained: $(head -n1 "$work/unload-bad")"
		return 1
	fi
	echo "rmmod, insmod, rmmod with blkback's refresh running"
}

passed=0 failed=0
report() {	# NAME CHECK
	local out guest
	guest=$(guest_fail "$1")
	if [ -n "$guest" ]; then
		echo "not ok - $1: dom0: $guest ($(scenario_time); $work)"
		failed=$((failed + 1))
	elif out=$("$2"); then
		echo "ok - $1 ($(scenario_time); $out)"
		passed=$((passed + 1))
	else
		echo "not ok - $1: $out ($(scenario_time); $work)"
		failed=$((failed + 1))
	fi
}
report xen-domu check_domu
report xen-snapshot check_snapshot
report xen-balloon check_balloon
report xen-oom check_oom
report xen-unload check_unload
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
