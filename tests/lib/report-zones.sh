# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced: the kernel's per-zone report lines against a snapshot's zones (check (d) of the
# scenarios and the Xen host).

# report_zones < REPORT: "node zone free min low high managed" in kB, one line per zone line
# ("Node 0 DMA32 free:2744kB boost:2048kB min:4664kB low:5316kB high:5968kB ... managed:...";
# kernels without CONFIG_NUMA print no "Node N": node 0). The kernel prints the watermarks
# with the boost added; the record holds them without, so it is taken off here.
report_zones() {
	sed -nE 's/.*[] ](Node ([0-9]+) )?([A-Za-z0-9]+) free:([0-9]+)kB boost:([0-9]+)kB min:([0-9]+)kB low:([0-9]+)kB high:([0-9]+)kB.*managed:([0-9]+)kB.*/0\2 \3 \4 \5 \6 \7 \8 \9/p' |
		sed -E 's/^0([0-9])/\1/' |
		while read -r node zone free boost min low high managed; do
			echo "$node $zone $free $((min - boost)) $((low - boost)) $((high - boost)) $managed"
		done
}

# compare_report_zones REPORT LOOKUP RECORD: LOOKUP RECORD NODE ZONE prints the snapshot's
# "free min low high" for that zone in kB (nothing when it has no such zone). Watermarks must be equal,
# free within max(1 MB, 1% of the zone's managed memory): the module reads it a moment
# before the kernel prints. Prints "N zones", or the first mismatch and returns 1.
compare_report_zones() {
	local report=$1 lookup=$2 record=$3 node zone free min low high managed s_free s_min s_low s_high
	local tol n=0
	while read -r node zone free min low high managed; do
		read -r s_free s_min s_low s_high < <("$lookup" "$record" "$node" "$zone")
		[ -n "$s_free" ] || { echo "zone $node/$zone not in the snapshot"; return 1; }
		[ "$s_min $s_low $s_high" = "$min $low $high" ] ||
			{ echo "zone $node/$zone watermarks $s_min/$s_low/$s_high kB, kernel printed $min/$low/$high"; return 1; }
		tol=$(( managed / 100 > 1024 ? managed / 100 : 1024 ))
		if [ $(( s_free > free ? s_free - free : free - s_free )) -gt "$tol" ]; then
			echo "zone $node/$zone free $s_free kB, kernel printed $free kB (tolerance $tol kB)"
			return 1
		fi
		n=$((n + 1))
	done < <(report_zones <<<"$report")
	echo "$n zones"
}
