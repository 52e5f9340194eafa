# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The guest side of the test harness: what every guest script prints for the host, and the
# helpers more than one guest needs. POSIX sh (busybox in the initramfs guests, dash or bash
# in the Xen dom0). tests/lib/initramfs.sh puts it in every initramfs as /oomsnap/lib/guest.sh
# (tests/xen/run.sh in the dom0's overlay); a guest script sources it first:
#	. /oomsnap/lib/guest.sh
#
# The grammar: a line for the host starts with "OOMSNAP-", a keyword and ": ", at the start
# of a console line (the serial console ends lines in \r, which the host drops):
#   OOMSNAP-TEST: ok NAME               a check the guest judged itself
#   OOMSNAP-TEST: not ok NAME - WHY     NAME never holds " - "; WHY is one line
#   OOMSNAP-INFO: TEXT                  context, shown with the results ("# TEXT")
#   OOMSNAP-FIGURE: NAME VALUE          a measured number (NAME one word)
#   OOMSNAP-DMESG: TEXT                 an excerpt of the kernel log (or other detail) that
#                                       explains a result, shown below the results
#   OOMSNAP-BEGIN: NAME                 a section: every line up to its END is data for the
#   ...                                 host, verbatim (NAME: letters, digits, ".", "_",
#   OOMSNAP-END: NAME rc=N              "-"; N: the exit status of what printed it)
# and the lines of /init (tests/lib/initramfs.sh; tests/xen/dom0-init.sh for the dom0):
# OOMSNAP-GUEST-START KVER ARCH, OOMSNAP-GUEST-EXIT RC, OOMSNAP-GUEST-DONE.
# Kernel messages may land between these lines on the console (the guests keep the console's
# log level low and print dmesg in a section of its own); a section holds only what its
# command printed when the kernel stays quiet. The host reads all of it with tests/lib/console.py.

# ---- the grammar ----------------------------------------------------------------------------

ok()    { echo "OOMSNAP-TEST: ok $1"; }
notok() { echo "OOMSNAP-TEST: not ok $1 - $2"; }
# check NAME WHY CMD...: ok when CMD succeeds, else not ok with WHY.
check() {
	_c_name=$1 _c_why=$2
	shift 2
	if "$@"; then ok "$_c_name"; else notok "$_c_name" "$_c_why"; fi
}
info()   { echo "OOMSNAP-INFO: $*"; }
figure() { echo "OOMSNAP-FIGURE: $1 $2"; }
# excerpt [LABEL]: each line of stdin as an OOMSNAP-DMESG line ("LABEL: " before it).
excerpt() {
	_e_p="OOMSNAP-DMESG: "
	[ $# -gt 0 ] && _e_p="$_e_p$1: "
	while IFS= read -r _e_l || [ -n "$_e_l" ]; do
		printf '%s%s\n' "$_e_p" "$_e_l"
	done
}
# section NAME CMD...: CMD's output (stdout and stderr) as section NAME, with its exit status.
section() {
	_s_name=$1
	shift
	echo "OOMSNAP-BEGIN: $_s_name"
	"$@" 2>&1
	echo "OOMSNAP-END: $_s_name rc=$?"
}

# ---- helpers --------------------------------------------------------------------------------

# wait_for S CMD...: until CMD succeeds, S seconds at most; fails when time ran out.
wait_for() {
	_w_t=$1
	shift
	while [ "$_w_t" -gt 0 ]; do
		"$@" && return 0
		sleep 1
		_w_t=$((_w_t - 1))
	done
	return 1
}
# hog ARGS...: memhog (tests/guest/memhog.c) as a process the OOM killer may choose, when the
# calling script made itself exempt (oom_score_adj -1000).
hog() { sh -c 'echo 0 > /proc/self/oom_score_adj; exec memhog "$@"' memhog "$@"; }
# hog_in CGROUP ARGS...: the same, inside the cgroup v2 directory CGROUP.
hog_in() {
	sh -c 'echo $$ > "$0/cgroup.procs" && echo 0 > /proc/self/oom_score_adj &&
	       exec memhog "$@"' "$@"
}

# ---- events the e2e and BPF guests provoke alike ----------------------------------------------

# provoke_alloc_failure [CMD...]: load the test helper (tests/helpers/oomsnap_hog.ko), fragment
# memory, then ask for order 8, 9, 10 GFP_ATOMIC blocks from a timer (softirq) until one fails
# (not GFP_NOWAIT: since 6.12.y it implies __GFP_NOWARN, which oomsnap counts but by default
# does not capture); release the fragments, run CMD (what must happen while the helper is still
# loaded) and unload the helper. The check alloc-failure-provoked, and the info
# "alloc-failure: STATUS" with the helper's last status ("alloc: order 9 atomic failed"), from
# which the judges take the order.
provoke_alloc_failure() {
	if ! insmod /oomsnap/oomsnap_hog.ko; then
		notok alloc-failure-provoked "insmod oomsnap_hog.ko failed"
		return 1
	fi
	_a_hog=/sys/kernel/debug/oomsnap_hog
	echo "fragment 1000000 16" > "$_a_hog/control"
	alloc_result=
	for _a_order in 8 9 10; do
		echo "alloc $_a_order atomic" > "$_a_hog/control"
		alloc_result=$(sed -n 's/^last //p' "$_a_hog/status")
		case "$alloc_result" in *failed) break ;; esac
	done
	echo release > "$_a_hog/control"
	[ $# -eq 0 ] || "$@"
	rmmod oomsnap_hog
	info "alloc-failure: $alloc_result"
	case "$alloc_result" in
	*failed) ok alloc-failure-provoked ;;
	*)	 notok alloc-failure-provoked "no allocation failed: $alloc_result" ;;
	esac
}

# global_oom: a global OOM: an anonymous memory hog (the guests have no swap) until the OOM
# killer kills it; the check global-oom-provoked.
global_oom() {
	hog -c 4 > /tmp/global-hog.out 2>&1
	_g_rc=$?
	info "global-oom: hog exit $_g_rc"
	if [ "$_g_rc" = 137 ]; then
		ok global-oom-provoked
	else
		notok global-oom-provoked "hog exit $_g_rc, not killed"
	fi
}

# memcg_oom NAME LIMIT: a memory cgroup OOM: a hog in the new cgroup NAME (memory.max LIMIT)
# until the OOM killer kills it; the check memcg-oom-provoked, then the cgroup is removed.
memcg_oom() {
	_m_cg=/sys/fs/cgroup/$1
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	mkdir -p "$_m_cg"
	echo "$2" > "$_m_cg/memory.max"
	hog_in "$_m_cg" -c 1 > /tmp/memcg-hog.out 2>&1
	_m_rc=$?
	_m_kills=$(sed -n 's/^oom_kill //p' "$_m_cg/memory.events")
	info "memcg-oom: hog exit $_m_rc, oom_kill $_m_kills"
	if [ "$_m_rc" = 137 ] && [ "${_m_kills:-0}" -ge 1 ]; then
		ok memcg-oom-provoked
	else
		notok memcg-oom-provoked "hog exit $_m_rc, memory.events oom_kill ${_m_kills:-none}"
	fi
	rmdir "$_m_cg"
}
