#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The Xen scenarios, run in dom0 by dom0-init.sh while the domU keeps xen-blkback busy.
# For each, the state as dom0's own interfaces show it (sysfs, xenstore, xl) is printed
# just before and just after the snapshot, with the snapshot (oomsnap --json show), in
# sections (tests/lib/guest.sh); run.sh compares them. Order: xen-snapshot, xen-balloon, then xen-oom (it may disturb the
# host), and xen-unload; xen-domu's record comes from the domU's console. Sections: NAME-before, NAME-after (xen_state), NAME-show (the record), and for the
# OOM: oom-raw (oomsnap-rawdump), oom-show-SEQ for every retained record, oom-dmesg.
# shellcheck source=tests/lib/guest.sh
. /oomsnap/lib/guest.sh
OS=/sys/kernel/debug/oomsnap
BALLOON=/sys/devices/system/xen_memory/xen_memory0
BLKBACK=/sys/module/xen_blkback/parameters

# (sh has no locals: every function here names its variables apart)

# "key value" lines: what dom0 itself says about the domain, its balloon and blkback.
xen_state() {
	echo "hypervisor_type $(cat /sys/hypervisor/type)"
	echo "guest_type $(cat /sys/hypervisor/guest_type)"
	echo "capabilities $(cat /proc/xen/capabilities)"
	echo "balloon_current_kb $(cat $BALLOON/info/current_kb)"
	echo "balloon_target_kb $(cat $BALLOON/target_kb)"
	echo "balloon_low_kb $(cat $BALLOON/info/low_kb)"
	echo "balloon_high_kb $(cat $BALLOON/info/high_kb)"
	for p in max_buffer_pages max_persistent_grants max_ring_page_order; do
		echo "$p $(cat $BLKBACK/$p)"
	done
	# Backends from xenstore; a connected one (state 4) has the frontend's queues as rings.
	vbds=0 rings=0
	for d in $(xenstore-list /local/domain/0/backend/vbd 2>/dev/null); do
		for v in $(xenstore-list "/local/domain/0/backend/vbd/$d"); do
			be=/local/domain/0/backend/vbd/$d/$v
			vbds=$((vbds + 1))
			[ "$(xenstore-read "$be/state")" = 4 ] || continue
			fe=$(xenstore-read "$be/frontend")
			q=$(xenstore-read "$fe/multi-queue-num-queues" 2>/dev/null || echo 1)
			rings=$((rings + q))
		done
	done
	echo "vbds $vbds"
	echo "rings $rings"
	# xl list: Domain-0's memory in MiB; xl info: the host's, in MiB.
	echo "xl_list_dom0_mb $(xl list 0 | awk 'NR == 2 { print $3 }')"
	xl info | awk '$1 == "total_memory" { print "xl_info_total_mb", $3 }
		       $1 == "free_memory" { print "xl_info_free_mb", $3 }'
	echo "xenstore_target_kb $(xenstore-read /local/domain/0/memory/target 2>/dev/null || echo -)"
	echo "xen_scratch_kb $(xen_scratch_kb)"
}

# Address space the kernel set aside for grant mappings (CONFIG_XEN_UNPOPULATED_ALLOC).
xen_scratch_kb() {
	sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Xen scratch$/\1 \2/p' /proc/iomem |
		while read -r s e; do
			echo $(( (0x$e - 0x$s + 1) / 1024 ))
		done | awk '{ t += $1 } END { print t + 0 }'
}

# A manual snapshot between two readings of the state: NAME-before, NAME-show, NAME-after.
snapshot() {
	snap_name=$1 snap_scenario=$2
	section "$snap_name-before" xen_state
	echo snapshot >$OS/control || notok "$snap_scenario" "$snap_name: writing snapshot to $OS/control failed"
	section "$snap_name-after" xen_state
	section "$snap_name-show" oomsnap --json show
	oomsnap show | sed -n '/^xen/,/^$/p'
}

# ---- xen-domu: the domU's own snapshot, from its console log ----
section domu-show sh -c "tr -d '\r' </var/log/xen/console/guest-domu.log | sed -n 's/^XEN-DOMU-SHOW //p'"
section domu-state sh -c "tr -d '\r' </var/log/xen/console/guest-domu.log | sed -n 's/^XEN-DOMU-STATE //p'"

# ---- xen-snapshot: on demand, at rest, then with blkback's limits changed ----
insmod /oomsnap/oomsnap.ko xen_refresh_ms=200 || notok xen-snapshot "insmod oomsnap.ko failed"
sleep 1
snapshot snap xen-snapshot
# blkback's limits are re-read from its parameters: change two and snapshot again.
echo 512 >$BLKBACK/max_buffer_pages
echo 600 >$BLKBACK/max_persistent_grants
sleep 1
snapshot snap2 xen-snapshot
echo 1024 >$BLKBACK/max_buffer_pages
echo 1056 >$BLKBACK/max_persistent_grants

# ---- xen-balloon: xl mem-set 128 MiB below the current size, wait, snapshot ----
cur_kb=$(cat $BALLOON/info/current_kb)
new_mb=$((cur_kb / 1024 - 128))
echo "xen-balloon: xl mem-set 0 ${new_mb}m"
if xl mem-set 0 ${new_mb}m; then
	i=0
	while [ "$(cat $BALLOON/info/current_kb)" != $((new_mb * 1024)) ]; do
		i=$((i + 1))
		if [ $i -gt 600 ]; then
			notok xen-balloon "current_kb stuck at $(cat $BALLOON/info/current_kb), target $((new_mb * 1024))"
			break
		fi
		sleep 0.2
	done
	echo "xen-balloon: reached after $((i / 5)) s"
	echo "balloon_requested_kb $((new_mb * 1024))" >/run/balloon-requested
	section balloon-requested cat /run/balloon-requested
	snapshot balloon xen-balloon
else
	notok xen-balloon "xl mem-set 0 ${new_mb}m failed"
fi

# ---- xen-oom: a hog in dom0 while the domU's I/O goes on ----
section oom-before xen_state
stats=$(cat /sys/bus/xen-backend/devices/vbd-*/statistics/wr_req | awk '{ t += $1 } END { print t }')
sh -c 'echo 1000 > /proc/self/oom_score_adj; exec memhog' >/run/memhog.out 2>&1
echo "xen-oom: memhog exited ($(tail -n1 /run/memhog.out))"
now=$(cat /sys/bus/xen-backend/devices/vbd-*/statistics/wr_req | awk '{ t += $1 } END { print t }')
echo "xen-oom: blkback write requests during the OOM run: $((now - stats))"
section oom-after xen_state
section oom-raw oomsnap-rawdump
seq=1
while [ $seq -le 32 ]; do
	out=$(oomsnap --json show $seq 2>&1) || break
	section "oom-show-$seq" echo "$out"
	seq=$((seq + 1))
done
section oom-stats cat $OS/stats
section oom-dmesg dmesg --color=never

# ---- xen-unload: the blkback refresh work stops cleanly, twice, with the domU still busy ----
# A rmmod that lands while a refresh reads xenstore fails (the refresh holds a reference,
# docs/safety.md): kmod's rmmod says "in use" if it reads the reference count first, and the
# kernel's EWOULDBLOCK ("Resource temporarily unavailable") if the refresh takes it after.
# Either way: run again, as a user would. A reference never dropped still fails, 20 times.
unload() {
	tries=0
	until rmmod oomsnap 2>/run/rmmod.err; do
		tries=$((tries + 1))
		grep -qE 'in use|Resource temporarily unavailable' /run/rmmod.err &&
			[ $tries -lt 20 ] || return 1
		sleep 0.25
	done
	[ $tries = 0 ] || echo "xen-unload: rmmod found a refresh in flight $tries time(s)"
}
for i in 1 2; do
	unload || notok xen-unload "rmmod oomsnap failed (round $i): $(cat /run/rmmod.err)"
	[ $i = 2 ] || insmod /oomsnap/oomsnap.ko xen_refresh_ms=100 ||
		notok xen-unload "insmod oomsnap.ko failed again"
	sleep 1
done
section unload-dmesg sh -c 'dmesg --color=never | grep -E "BUG|WARNING|Oops|oomsnap" | tail -n 20'
section domu-console tail -n 20 /var/log/xen/console/guest-domu.log
