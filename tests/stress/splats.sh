# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The stress suite's verdict on a kernel log, sourced by tests/stress/guest.sh in the guest
# and checked on the host by tests/stress/run.sh against tests/stress/splats.dmesg.
# splats prints, one line each, the reports in `dmesg` that fail the suite, and writes the
# first lines of the KCSAN reports that are not oomsnap's to $FOREIGN (busybox awk).
# What the debug kernel reports: lockdep, KASAN, KFENCE, UBSAN, lockups, hung tasks, BUGs.
SPLAT='BUG:|WARNING:|INFO: possible|INFO: task .* blocked|DEBUG_LOCKS_WARN|KASAN|KFENCE|UBSAN|soft lockup|hard LOCKUP|hung_task|Workqueue lockup|BUG: workqueue|ODEBUG|list_add corruption|list_del corruption|refcount_t:'
# A KCSAN report names a data race and prints both accesses' stacks between two lines of '='.
# It is oomsnap's when a frame of oomsnap.ko ("[oomsnap]") is in either access's stack, and then
# fatal like every other report; a race with no oomsnap frame is between two parts of the kernel
# itself (6.1's compaction has such races under any allocation storm): its first line goes to
# $FOREIGN, and the count is printed, not failed. An access made in an interrupt has the
# interrupted task's frames below the entry frame (asm_sysvec_*, asm_common_interrupt,
# asm_exc_*): those did not make the access (the first KCSAN run saw a timer interrupt's
# wakeup_kcompactd() race over an insmod of oomsnap.ko arming its kprobe), so they don't count.
FOREIGN=${FOREIGN:-/tmp/kcsan-foreign}
splats() {
	rm -f $FOREIGN
	dmesg | awk -v re="$SPLAT" -v foreign=$FOREIGN '
	function flush() {
		if (ours) print head
		else print head >foreign
		inr = 0
	}
	/BUG: KCSAN: / { if (inr) flush(); inr = 1; head = $0; ours = 0; below = 0; next }
	inr && / by (task [0-9]+|interrupt) on cpu / { below = 0 }
	inr && / asm_(sysvec_|common_interrupt|exc_)/ { below = 1 }
	inr && !below && /\[oomsnap\]/ { ours = 1 }
	inr && /====================/ { flush(); next }
	inr { next }
	$0 ~ re { print }
	END { if (inr) flush() }' | grep -v 'oomsnap_storm: '
}
