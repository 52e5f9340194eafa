#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh [--save-fixtures] [NAME...] - the field scenarios, each in QEMU, and
# (NAME "xen", included by default) the Xen dom0 scenarios of tests/xen/run.sh.
#
# Every scenario (a directory here with guest.sh and scenario.conf) boots its host, creates
# its condition for real with the test helper (tests/helpers/oomsnap_hog.ko) or the guest
# programs (tests/guest/), lets the kernel hit the event, and prints its report between
# sections (guest-lib.sh, on tests/lib/guest.sh). The host then checks that
#   (a) oomsnap captured the event (a snapshot of the expected type);
#   (b) the snapshot's diagnosis (oomsnap show --json, in the guest) names the expected
#       cause, the expected contributing factors and evidence;
#   (c) oomsnap explain on the guest's dmesg for the same event agrees;
#   (d) the module's numbers (the record as oomsnap-rawdump decodes it) agree with the
#       kernel's printed report of the same event as explain --json reads it
#       (tests/lib/reports.py): per zone, the watermarks exactly (the report adds the boost,
#       the record does not) and the free pages within max(1 MB, 1% of the zone's managed
#       pages), since the module reads them a moment before the kernel prints; for a memcg
#       OOM the limit exactly and the usage within 1 MB.
# Output: one "ok - NAME (Ts)" / "not ok - NAME: reason" per scenario, then "N passed, M failed".
# Logs and the extracted sections: $OOMSNAP_LOGS/scenarios/NAME/ (a run's own, like its logs).
# --save-fixtures: copy each passing scenario's dmesg and expected answer to
# tests/fixtures/qemu-NAME.{log,expect} (explain fixtures for tests/unit/run.sh), when
# tests/unit/check_fixture.py agrees (the ok line says which were saved).
#
# scenario.conf sets: HOST (6.1, 6.12 or i386), MEM, EVENT (oom, memcg_oom, alloc_failure),
# CAUSE, and optionally CONTRIBUTING (space-separated), EVIDENCE (an extended regex that one
# of the diagnosis' evidence lines must match), STACK (a regex the request's stack must
# match), VICTIM (comm of the OOM victim), ORDER (request order),
# BUDDY_BELOW ("ORDER MB": the kernel's report must show no free block of ORDER or more
# in any zone but DMA, and at least MB in smaller blocks), SWAP_MB (a swap disk as /dev/vda), KMODS (the kernel's own modules to load first, their
# dependencies resolved), QEMU_ARGS, APPEND, SMP, TIMEOUT; and for (c) alone, where a kernel
# log shows less than the snapshot, EXPLAIN_CONTRIBUTING and EXPLAIN_EVIDENCE (default: the
# same as above) and EXPLAIN_MISSING (a regex one of explain's "missing" lines must match).
set -uo pipefail
. "$(dirname "$0")/../lib/common.sh"

here=$OOMSNAP_ROOT/tests/scenarios
lib=$OOMSNAP_ROOT/tests/lib
results=$OOMSNAP_LOGS/scenarios
save_fixtures=0
[ "${1:-}" = --save-fixtures ] && { save_fixtures=1; shift; }

need_pkgs jq qemu-system-x86 busybox-static rsync python3

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for d in "$here"/*/; do
		[ -f "$d/scenario.conf" ] && names+=("$(basename "$d")")
	done
	names+=(xen)
fi

# ---- builds, once per host ------------------------------------------------------------------

declare -A built_vars=() build_error=()

# i386: the HIGHMEM4G kernel (build-kernel.sh), then oomsnap.ko, the helper and a static
# 32-bit reader built against it in a copy of the tree (one per clone, as build-module.sh
# keeps them) that keeps its objects, so that a warm run rebuilds only what changed.
build_i386() {
	local kvars build log clone
	kvars=$("$lib/build-kernel.sh" i386 i386 "$here/i386.config") || return 1
	eval "$kvars"
	need_pkgs gcc-multilib file
	clone=$(printf '%s' "$OOMSNAP_ROOT" | sha1sum | cut -c1-8)
	build=$OOMSNAP_CACHE/build/$clone/i386-$(basename "$KDIR")
	log=$build.log
	mkdir -p "$build"
	exec 9>"$build.lock"
	flock 9
	sync_tree "$build" || return 1
	{
		make -j2 -C "$KDIR" ARCH=i386 M="$build" modules &&
		make -j2 -C "$KDIR" ARCH=i386 M="$build/tests/helpers" modules &&
		make -C "$build/tools" CC="gcc -m32" LDFLAGS="-m32 -static" oomsnap
	} >"$log" 2>&1 || { tail -n 30 "$log" >&2; return 1; }
	file -L "$build/tools/oomsnap" | grep -q 'ELF 32-bit.*statically linked' ||
		{ echo "$build/tools/oomsnap is not a static 32-bit program" >&2; return 1; }
	printf 'VMLINUZ=%s\nKO=%s\nHOG_KO=%s\nREADER=%s\n' "$BZIMAGE" "$build/module/oomsnap.ko" \
		"$build/tests/helpers/oomsnap_hog.ko" "$build/tools/oomsnap"
}

# Sets VMLINUZ KO HOG_KO READER ARCH for HOST; returns 1 (reason on stderr) when it can't.
prepare_host() {
	local host=$1 vars
	if [ -z "${built_vars[$host]:-}" ] && [ -z "${build_error[$host]:-}" ]; then
		log "building for $host"
		case "$host" in
		6.1|6.12) vars=$("$lib/build-module.sh" "$host" 2>"$results/build-$host.err") ;;
		i386)	  vars=$(build_i386 2>"$results/build-$host.err") ;;
		*)	  vars= ; echo "unknown HOST $host" >"$results/build-$host.err" ;;
		esac
		if [ -n "$vars" ]; then
			built_vars[$host]=$vars
		else
			build_error[$host]=$(grep -v '^\s*$' "$results/build-$host.err" | tail -n1)
			build_error[$host]=${build_error[$host]:-build failed}
		fi
	fi
	[ -n "${built_vars[$host]:-}" ] || return 1
	eval "${built_vars[$host]}"
	ARCH=x86_64
	[ "$host" = i386 ] && ARCH=i386
	return 0
}

# Copy the kernel's modules $2.. and what they depend on from MODDIR into $1/kmod/, with
# kmod/order listing them in load order (dependencies first).
copy_kmods() {
	local dest=$1/kmod m
	shift
	mkdir -p "$dest"
	: >"$dest/order"
	for m in "$@"; do
		add_kmod "$dest" "$m" || return 1
	done
}

add_kmod() {
	local dest=$1 name=$2 ko dep
	grep -qx "$name" "$dest/order" && return 0
	ko=$(find "$MODDIR/kernel" -name "$name.ko" | head -n1)
	[ -n "$ko" ] || { echo "no $name.ko in $MODDIR" >&2; return 1; }
	for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
		add_kmod "$dest" "$dep" || return 1
	done
	cp "$ko" "$dest/"
	echo "$name" >>"$dest/order"
}

# ---- the console log ------------------------------------------------------------------------

# The console log's sections as $work/sec/NAME files (tests/lib/console.py).
split_sections() {
	python3 "$lib/console.py" split "$1/console.log" "$1/sec"
}

# ---- JSON helpers (jq) ----------------------------------------------------------------------

# The reader's JSON (show --json, and each of explain --json's events): "cause",
# "contributing" and "evidence" at the top of the event, or under "diagnosis".
jq_defs='
def diag: (if has("cause") then . else (.diagnosis // {}) end);
def cause: diag.cause // "";
def contributing: [diag.contributing // [] | .[]
	| if type == "object" then (.id // .cause // .name) else . end];
def evidence: [diag.evidence // [] | .[] | if type == "string" then . else tostring end]
	| join("\n");
def missing: [diag.missing // [] | .[] | if type == "string" then . else tostring end]
	| join("\n");
def stack: [.stack // [] | .[] | if type == "string" then . else tostring end] | join("\n");
'

# enum oomsnap_event_type (uapi/oomsnap.h)
event_type_id() {
	case "$1" in
	oom) echo 1 ;;
	memcg_oom) echo 2 ;;
	alloc_failure) echo 3 ;;
	*) echo 0 ;;
	esac
}

# The first retained record of the scenario's event type, as decoded by oomsnap-rawdump in
# the guest (one JSON object per line), into $work/record.json.
find_record() {
	local work=$1 type
	type=$(event_type_id "$EVENT")
	[ -s "$work/sec/raw" ] || return 1
	jq -c --argjson t "$type" 'select(.type == $t)' "$work/sec/raw" 2>/dev/null | head -n1 \
		>"$work/record.json"
	[ -s "$work/record.json" ]
}

# ---- checks ---------------------------------------------------------------------------------

# Prints a reason and returns 1 at the first failed check.
check_diagnosis() {	# FILE WHAT: the diagnosis object in FILE matches the scenario
	local f=$1 what=$2 got c
	got=$(jq -r "$jq_defs cause" "$f")
	[ "$got" = "$CAUSE" ] || { echo "$what: cause '$got', expected '$CAUSE'"; return 1; }
	for c in $CONTRIBUTING; do
		jq -e --arg c "$c" "$jq_defs contributing | index(\$c)" "$f" >/dev/null ||
			{ echo "$what: '$c' not among contributing [$(jq -r "$jq_defs contributing | join(\",\")" "$f")]"; return 1; }
	done
	if [ -n "$EVIDENCE" ] && ! jq -r "$jq_defs evidence" "$f" | grep -qiE -- "$EVIDENCE"; then
		echo "$what: no evidence line matches /$EVIDENCE/"
		return 1
	fi
	if [ -n "$MISSING" ] && ! jq -r "$jq_defs missing" "$f" | grep -qiE -- "$MISSING"; then
		echo "$what: no missing line matches /$MISSING/"
		return 1
	fi
	if [ -n "$STACK" ] && ! jq -r "$jq_defs stack" "$f" | grep -qE -- "$STACK"; then
		echo "$what: the request's stack does not match /$STACK/"
		return 1
	fi
	return 0
}

check_event() {		# RECORD: victim and order as expected
	local f=$1 v o
	if [ -n "$VICTIM" ]; then
		v=$(jq -r '.victim.comm' "$f")
		[ "$v" = "$VICTIM" ] || { echo "(a) record: victim '$v', expected '$VICTIM'"; return 1; }
	fi
	if [ -n "$ORDER" ]; then
		o=$(jq -r '.order' "$f")
		[ "$o" = "$ORDER" ] || { echo "(a) record: order $o, expected $ORDER"; return 1; }
	fi
	return 0
}

# (d): the kernel's report (the first of the event's kind in dmesg) against the record.
check_numbers() {	# RECORD DMESG
	local said
	said=$(python3 "$lib/reports.py" zones "$HOST_READER" "$2" "$EVENT" "$1") ||
		{ echo "numbers: $said"; return 1; }
	echo "$said"
}

# The kernel's own free lists in its report ("Node 0 DMA32: 26157*4kB (UME) 26188*8kB (UME)
# 0*16kB ... = 314132kB"): no block of order >= $BUDDY_BELOW's ORDER outside DMA (whose top
# alone a GFP_KERNEL request may use) and at least its MB in smaller blocks.
check_buddy() {
	local dmesg=$1 order mb start='invoked oom-killer'
	read -r order mb <<<"$BUDDY_BELOW"
	[ "$EVENT" != alloc_failure ] || start='page allocation failure'
	awk -v s="$start" 'index($0, s) { on++ } on == 1' "$dmesg" | awk -v order="$order" -v mb="$mb" '
		match($0, /[] ](Node [0-9]+ )?[A-Za-z0-9]+: [0-9]+\*[0-9]+kB.* = [0-9]+kB/) {
			line = substr($0, RSTART + 1, RLENGTH - 1)
			key = line
			sub(/:.*/, "", key)
			if (key in done)	# the report is over (a warn_alloc() may follow)
				next
			done[key] = 1
			zone = key
			sub(/^Node [0-9]+ /, "", zone)
			seen++
			n = split(line, w, " ")
			for (i = 1; i <= n; i++) {
				if (w[i] !~ /^[0-9]+\*[0-9]+kB$/)
					continue
				split(w[i], nk, "*")
				kb = nk[2] + 0
				if (kb < 4 * 2 ^ order)
					small += nk[1] * kb
				else if (zone != "DMA" && nk[1] > 0)
					big = big " " zone ":" w[i]
			}
		}
		END {
			if (!seen)
				print "no free lists in the kernel report"
			else if (big != "")
				print "free blocks of order >= " order ":" big
			else if (small < mb * 1024)
				print "only " int(small / 1024) " MB free in blocks below order " order
			else
				print "ok " int(small / 1024) " MB in orders < " order
		}' | { read -r line; echo "${line#ok }"; [ "${line%% *}" = ok ]; }
}

# ---- one scenario ---------------------------------------------------------------------------

run_scenario() {
	local name=$1 dir=$here/$1 work=$results/$1
	local HOST MEM SMP EVENT CAUSE CONTRIBUTING EVIDENCE STACK VICTIM ORDER SWAP_MB KMODS
	local QEMU_ARGS APPEND TIMEOUT BUDDY_BELOW MISSING
	local EXPLAIN_CONTRIBUTING EXPLAIN_EVIDENCE EXPLAIN_MISSING
	MEM=512M SMP=2 CONTRIBUTING='' EVIDENCE='' STACK='' VICTIM='' ORDER='' SWAP_MB=0 KMODS=''
	BUDDY_BELOW='' MISSING=''
	QEMU_ARGS=''
	APPEND='' TIMEOUT=300 HOST='' EVENT='' CAUSE=''
	unset EXPLAIN_CONTRIBUTING EXPLAIN_EVIDENCE EXPLAIN_MISSING
	# shellcheck disable=SC1091
	. "$dir/scenario.conf"
	# what a kernel log can show may be less than the snapshot: (c)'s own expectations
	EXPLAIN_CONTRIBUTING=${EXPLAIN_CONTRIBUTING-$CONTRIBUTING}
	EXPLAIN_EVIDENCE=${EXPLAIN_EVIDENCE-$EVIDENCE}
	EXPLAIN_MISSING=${EXPLAIN_MISSING-}
	local VMLINUZ KO HOG_KO READER ARCH
	if ! prepare_host "$HOST"; then
		echo "not ok - $name: no $HOST build: ${build_error[$HOST]}"
		return 1
	fi
	rm -rf "$work"
	mkdir -p "$work/files"
	cp "$KO" "$HOG_KO" "$here/guest-lib.sh" "$work/files/"
	cp "$READER" "$work/files/oomsnap"
	# shellcheck disable=SC2086
	if [ -n "$KMODS" ] && ! copy_kmods "$work/files" $KMODS 2>"$work/kmod.err"; then
		echo "not ok - $name: $(tail -n1 "$work/kmod.err")"
		return 1
	fi
	{ echo "#!/bin/sh"; echo "SCN=$name"; sed 1d "$dir/guest.sh"; } >"$work/guest.sh"
	if ! "$lib/initramfs.sh" "$work/initrd.cpio.gz" "$ARCH" "$work/guest.sh" \
		"$work"/files/* 2>"$work/initramfs.err"; then
		echo "not ok - $name: initramfs: $(tail -n1 "$work/initramfs.err")"
		return 1
	fi
	local qargs=$QEMU_ARGS
	if [ "$SWAP_MB" -gt 0 ]; then
		truncate -s "${SWAP_MB}M" "$work/swap.img"
		qargs="$qargs -drive file=$work/swap.img,if=virtio,format=raw"
	fi
	local t0 rc secs
	t0=$(now)
	"$lib/qemu.sh" --kernel "$VMLINUZ" --initrd "$work/initrd.cpio.gz" --log "$work/console.log" \
		--arch "$ARCH" --mem "$MEM" --smp "$SMP" --timeout "$TIMEOUT" --append "$APPEND" \
		--qemu-args "$qargs" 2>"$work/qemu.err"
	rc=$?
	secs=$(( $(now) - t0 ))
	echo "$secs" >"$work/seconds"
	split_sections "$work"
	local fail
	fail=$(python3 "$lib/console.py" results "$work/console.log" "" 2>/dev/null |
		sed -n 's/^not ok - [^:]*: //p' | head -n1)
	[ -z "$fail" ] || { echo "not ok - $name: guest: $fail (${secs}s, log $work/console.log)"; return 1; }
	if [ "$rc" -ne 0 ]; then
		echo "not ok - $name: $(tail -n1 "$work/qemu.err" | sed 's/^qemu.sh: //') (${secs}s)"
		return 1
	fi
	[ -s "$work/sec/dmesg" ] || { echo "not ok - $name: the guest printed no report (log $work/console.log)"; return 1; }

	# Every check runs; the line carries each failure, separated by "; ".
	local fails=() rec=$work/record.json seq snap reason numbers=
	# (a) captured: a record of the event's type in raw
	if ! find_record "$work"; then
		fails+=("(a) no $EVENT record in raw: $(head -c 200 "$work/sec/raw" 2>/dev/null)")
	else
		reason=$(check_event "$rec") || fails+=("$reason")
		# (b) the diagnosis of that snapshot, from the reader in the guest
		seq=$(jq -r .seq "$rec")
		snap=$work/sec/show-$seq
		if ! jq -e . "$snap" >/dev/null 2>&1; then
			fails+=("(b) no JSON from 'oomsnap show $seq --json': $(cat "$snap" "$work/sec/show-error" 2>/dev/null | head -n1)")
		else
			reason=$(check_diagnosis "$snap" "(b) snapshot") || fails+=("$reason")
		fi
		# (d) the numbers
		if numbers=$(check_numbers "$rec" "$work/sec/dmesg"); then
			numbers="(d) $numbers"
		else
			fails+=("(d) $numbers")
		fi
	fi
	# the condition, as the kernel's report shows it
	if [ -n "$BUDDY_BELOW" ]; then
		if reason=$(check_buddy "$work/sec/dmesg"); then
			numbers="$numbers, $reason"
		else
			fails+=("kernel report: $reason")
		fi
	fi
	# (c) explain on the guest's dmesg, with the host's reader: its first report is the event
	"$HOST_READER" explain "$work/sec/dmesg" --json >"$work/explain.json" 2>"$work/explain.err"
	if ! jq -e . "$work/explain.json" >/dev/null 2>&1; then
		fails+=("(c) explain gave no JSON: $(head -n1 "$work/explain.err")")
	else
		jq "[if type == \"array\" then .[] else (.events // [.]) | .[] end] | first // {}" \
			"$work/explain.json" >"$work/explain-event.json"
		reason=$(CONTRIBUTING=$EXPLAIN_CONTRIBUTING EVIDENCE=$EXPLAIN_EVIDENCE \
			MISSING=$EXPLAIN_MISSING check_diagnosis "$work/explain-event.json" \
			"(c) explain") || fails+=("$reason")
	fi
	if [ ${#fails[@]} -gt 0 ]; then
		local IFS=';'
		echo "not ok - $name: ${fails[*]} (${secs}s; $work)" | sed 's/;/; /g'
		return 1
	fi
	local fixture=
	if [ "$save_fixtures" = 1 ]; then
		fixture="; $(save_fixture "$name" "$work")"
	fi
	echo "ok - $name (${secs}s, $HOST: $CAUSE${CONTRIBUTING:+ + $CONTRIBUTING}; $numbers$fixture)"
	return 0
}

# The guest's dmesg as an explain fixture (tests/fixtures/qemu-NAME.log) with the answer it
# must give in the unit runner's .expect format (tests/unit/check_fixture.py): what the
# scenario asserts of (c), for explain's first report. The format compares contributing
# factors as an exact set where the scenario asks only for some: the set goes in when explain
# found exactly those, else a comment says what is not checked.
save_fixture() {
	local name=$1 work=$2 fx=$OOMSNAP_ROOT/tests/fixtures ev=$2/explain-event.json got match why
	{
		echo "# tests/scenarios/$name on the $HOST host (run.sh --save-fixtures): the guest's dmesg"
		echo "1 type $EVENT"
		echo "1 cause $CAUSE"
		[ -z "$ORDER" ] || echo "1 order $ORDER"
		[ -z "$VICTIM" ] || echo "1 victim $VICTIM"
		got=$(jq -r "$jq_defs contributing | sort | join(\" \")" "$ev")
		if [ -z "$EXPLAIN_CONTRIBUTING" ] && [ -z "$got" ]; then
			echo "1 contributing none"
		elif [ "$(tr ' ' '\n' <<<"$EXPLAIN_CONTRIBUTING" | sort | xargs)" = "$got" ]; then
			echo "1 contributing $got"
		else
			echo "# contributing not checked: the scenario asks for '${EXPLAIN_CONTRIBUTING:-nothing}'" \
				"among explain's '$got' (the format compares exact sets)"
		fi
		if [ -n "$EXPLAIN_EVIDENCE" ]; then
			match=$(jq -r "$jq_defs evidence" "$ev" | grep -oiE -- "$EXPLAIN_EVIDENCE" | head -n1)
			echo "1 evidence $match"
		fi
		if [ -n "$EXPLAIN_MISSING" ]; then
			match=$(jq -r "$jq_defs missing" "$ev" | grep -oiE -- "$EXPLAIN_MISSING" | head -n1)
			echo "1 missing $match"
		fi
	} >"$work/fixture.expect"
	# (c) checks less than the fixture states (the victim, the order): the unit runner's
	# own checker must agree before the fixture is saved.
	if ! why=$(python3 "$OOMSNAP_ROOT/tests/unit/check_fixture.py" "$HOST_READER" \
		"$work/sec/dmesg" "$work/fixture.expect" 2>&1); then
		echo "fixture not saved, explain disagrees: $why"
		return 1
	fi
	mkdir -p "$fx"
	cp "$work/sec/dmesg" "$fx/qemu-$name.log"
	cp "$work/fixture.expect" "$fx/qemu-$name.expect"
	echo "fixture saved"
}

# ---- main -----------------------------------------------------------------------------------

mkdir -p "$results"
# explain runs on the host: the x86_64 reader of the 6.1 build (static, runs anywhere).
HOST_READER=
if prepare_host 6.1; then
	HOST_READER=$READER
fi
passed=0 failed=0 total_t0=$(now)

# "xen": the Xen dom0 host's three scenarios, one boot (tests/xen/run.sh), counted with ours.
run_xen() {
	local out rc ok bad
	out=$(bash "$OOMSNAP_ROOT/tests/xen/run.sh")
	rc=$?
	grep -E '^(not )?ok - ' <<<"$out"
	ok=$(grep -c '^ok - ' <<<"$out") bad=$(grep -c '^not ok - ' <<<"$out")
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		echo "not ok - xen: tests/xen/run.sh exited $rc with no failure counted"
		bad=1
	fi
	passed=$((passed + ok)) failed=$((failed + bad))
}

for name in "${names[@]}"; do
	if [ "$name" = xen ]; then
		run_xen
		continue
	fi
	if [ ! -f "$here/$name/scenario.conf" ]; then
		echo "not ok - $name: no such scenario"
		failed=$((failed + 1))
		continue
	fi
	if [ -z "$HOST_READER" ]; then
		echo "not ok - $name: no reader build: ${build_error[6.1]}"
		failed=$((failed + 1))
		continue
	fi
	if run_scenario "$name"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
log "total $(( $(now) - total_t0 ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
