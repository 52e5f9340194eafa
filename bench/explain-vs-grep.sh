#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/explain-vs-grep.sh [RUNS] - how much slower `oomsnap explain` is
# than `grep -c 'invoked oom-killer'` on the same 1 GB kernel log (target:
# at most 2x). The log, generated once under
# $OOMSNAP_CACHE/bench/, repeats a 16 MB block of unrelated kernel and
# syslog lines with every report of tests/fixtures/*.log spread through it.
# Both run RUNS times (default 5) alternately on the warm page cache;
# prints each time, both medians and the ratio of medians, and writes the
# runs to bench/results/explain-vs-grep.csv (EXPLAIN_CSV overrides). Host
# time, not instructions: read the CPU time (user + sys) on a shared machine.
set -uo pipefail
. "$(dirname "$0")/../tests/lib/common.sh"

runs=${1:-5}
R=$OOMSNAP_ROOT
dir=$OOMSNAP_CACHE/bench
log=$dir/explain-1g.log
mkdir -p "$dir"

# Fixture text and the line mix are part of the file: regenerate on change.
stamp=$( { cat "$R"/tests/fixtures/*.log; echo generator-v1; } | sha1sum | cut -c1-16)
if [ "$(cat "$log.stamp" 2>/dev/null)" != "$stamp" ]; then
	log "generating $log (once)"
	rm -f "$log" "$log.stamp"
	python3 - "$dir/block" "$R"/tests/fixtures/*.log <<'PY' || die "generating the block failed"
import random, sys
random.seed(4)
out, fixtures = sys.argv[1], sys.argv[2:]
reports = [open(f, errors="replace").read() for f in fixtures if not f.endswith("no-report.log")]
noise = [
    "[{t:.6f}] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
    "[{t:.6f}] audit: type=1400 audit({t:.3f}:{n}): apparmor=\"DENIED\" operation=\"open\" profile=\"snap.firefox\" name=\"/proc/{n}/mountinfo\" pid={n} comm=\"firefox\"",
    "[{t:.6f}] EXT4-fs (sda2): mounted filesystem with ordered data mode. Quota mode: none.",
    "[{t:.6f}] usb 1-1.{d}: new high-speed USB device number {d} using ehci-pci",
    "[{t:.6f}] IPv6: ADDRCONF(NETDEV_CHANGE): wlan0: link becomes ready",
    "[{t:.6f}] systemd[1]: Started session-{n}.scope - Session {n} of User admin.",
    "[{t:.6f}] nfs: server fileserver not responding, still trying",
    "[{t:.6f}] TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.",
    "[{t:.6f}] kauditd_printk_skb: {d} callbacks suppressed",
    "[{t:.6f}] perf: interrupt took too long ({n} > {d}), lowering kernel.perf_event_max_sample_rate to {n}",
    "[{t:.6f}] sd 2:0:0:0: [sdb] Write cache: enabled, read cache: enabled, doesn't support DPO or FUA",
    "[{t:.6f}] memory: usage counters reset by the operator (not an OOM)",
]
target = 16 << 20
parts, size, t, i = [], 0, 1000.0, 0
per_report = target // (len(reports) * 2)
while size < target:
    for _ in range(200):
        t += random.random() / 10
        line = random.choice(noise).format(t=t, n=random.randrange(100, 99999), d=random.randrange(1, 9)) + "\n"
        parts.append(line)
        size += len(line)
    if size // per_report > i:
        r = reports[i % len(reports)]
        parts.append(r if r.endswith("\n") else r + "\n")
        size += len(r)
        i += 1
open(out, "w").write("".join(parts))
PY
	: >"$log.tmp"
	while [ "$(stat -c %s "$log.tmp")" -lt $((1 << 30)) ]; do
		cat "$dir/block" >>"$log.tmp"
	done
	rm -f "$dir/block"
	mv "$log.tmp" "$log"
	echo "$stamp" >"$log.stamp"
fi

make -s -C "$R/tools" oomsnap >/dev/null || die "make -C tools failed"
oomsnap=$R/tools/oomsnap
reports=$(grep -c 'invoked oom-killer' "$log")
size=$(stat -c %s "$log")

# Warm the page cache for both, and check explain finds the reports.
cat "$log" >/dev/null
found=$("$oomsnap" explain "$log" | grep -c '^report ')
echo "log: $log ($((size >> 20)) MB, $reports 'invoked oom-killer' lines, explain finds $found reports)"

# Elapsed and CPU (user + sys) seconds of one run: "WALL CPU". Output goes to
# a file, not /dev/null: GNU grep stops at the first match when its output
# is /dev/null.
secs() {	# CMD...
	local TIMEFORMAT='%R %U %S' t
	t=$({ time "$@" >"$dir/out" 2>&1; } 2>&1) || true
	echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

csv=${EXPLAIN_CSV:-$R/bench/results/explain-vs-grep.csv}
mkdir -p "$(dirname "$csv")"
echo "date,run,log_mb,reports_found,grep_wall_s,grep_cpu_s,explain_wall_s,explain_cpu_s" >"$csv"
gw=() gc=() ew=() ec=()
for ((i = 1; i <= runs; i++)); do
	read -r w c < <(secs grep -c 'invoked oom-killer' "$log")
	gw+=("$w") gc+=("$c")
	read -r w c < <(secs "$oomsnap" explain "$log")
	ew+=("$w") ec+=("$c")
	printf 'run %d: grep %s s (cpu %s s), explain %s s (cpu %s s)\n' \
		"$i" "${gw[-1]}" "${gc[-1]}" "${ew[-1]}" "${ec[-1]}"
	echo "$(date -u +%F),$i,$((size >> 20)),$found,${gw[-1]},${gc[-1]},${ew[-1]},${ec[-1]}" >>"$csv"
done
m() { printf '%s\n' "$@" | median; }
gwm=$(m "${gw[@]}") gcm=$(m "${gc[@]}") ewm=$(m "${ew[@]}") ecm=$(m "${ec[@]}")
printf 'median elapsed: grep %.3f s, explain %.3f s, ratio %.2fx (target <= 2x)\n' \
	"$gwm" "$ewm" "$(echo "$ewm / $gwm" | bc -l)"
printf 'median cpu:     grep %.3f s, explain %.3f s, ratio %.2fx\n' \
	"$gcm" "$ecm" "$(echo "$ecm / $gcm" | bc -l)"
