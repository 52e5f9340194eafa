#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The KUnit guest (busybox sh, run by /init from tests/lib/initramfs.sh in the KUnit kernel):
# loads oomsnap.ko built with its suites (OOMSNAP_KUNIT=1), which KUnit runs while insmod
# loads it; prints their KTAP and each suite's verdict in sections for tests/kunit/run.sh;
# checks the control file from user space, the unload and the kernel log itself.
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh

# The suites run inside insmod, before the module's init. oomsnap_record checks the loader's
# memory cgroup (module/record_kunit.c, LOADER_MEMCG_*): this path, this limit, and insmod
# its only task.
memcg=/sys/fs/cgroup/oomsnap-kunit
echo +memory >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p "$memcg"
echo 64M >"$memcg/memory.max"
check "load oomsnap.ko" "insmod failed" \
	sh -c "echo \$\$ >$memcg/cgroup.procs && exec insmod /oomsnap/oomsnap.ko"

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
check "unload oomsnap" "rmmod failed" rmmod oomsnap
warnings=$(dmesg | grep -E 'WARNING:|BUG:|Call Trace:|UBSAN|KASAN|refcount_t' | head -n 5)
if [ -z "$warnings" ]; then
	ok "no kernel warnings"
else
	notok "no kernel warnings" "$(echo "$warnings" | head -n1)"
	echo "$warnings" | excerpt
fi
