#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# bench/hook-cost-report.py: the report of bench/hook-cost.sh, from the guest's console log on
# stdin. A run's figure is nstime's (ns of the guest's clock = instructions under -icount
# shift=0). Per state: runs, median, minimum, % added to the baseline's median (none, or
# memcg-none for the memcg block) and instructions added per allocation (the median delta over
# the __alloc_pages() calls of one run, counted by hook=count).
import argparse, csv, re, statistics, sys

ap = argparse.ArgumentParser()
ap.add_argument("--kernel", default="?")
ap.add_argument("--args", default="?")
ap.add_argument("--csv")
ap.add_argument("--date", default="")
o = ap.parse_args()

runs, hits, syms, faults, order = {}, {}, {}, {}, []
for line in sys.stdin:
    line = line.strip()
    m = re.match(r"^BENCH-SYM (?:slowpath (\S+)|\S+ \S+ (\S+))$", line)
    if m:
        syms[m.group(1) and "slowpath" or m.group(2)] = m.group(1) or m.group(2)
        continue
    m = re.match(r"^BENCH-HITS (\S+) (\d+) (\d+)$", line)
    if m:
        hits.setdefault(m.group(1), []).append((int(m.group(2)), int(m.group(3))))
        continue
    m = re.match(r"^BENCH (\S+) allocbench: \d+ ms, (\d+) page faults nstime: (\d+) ns$", line)
    if m:
        if m.group(1) not in runs:
            order.append(m.group(1))
        runs.setdefault(m.group(1), []).append(int(m.group(3)))
        faults.setdefault(m.group(1), []).append(int(m.group(2)))
if "none" not in runs or "count" not in hits:
    sys.exit("hook-cost: no runs in the log")
n = len(runs["none"])
if any(len(v) != n for v in runs.values()):
    sys.exit("hook-cost: incomplete runs: %s" % {k: len(v) for k, v in runs.items()})
allocs = {"": hits["count"][0][0], "memcg-": hits.get("count-memcg", [(0, 0)])[0][0]}

print("kernel:    %s (QEMU TCG -icount shift=0,sleep=off,align=off: 1 ns = 1 instruction), 1 vCPU" % o.kernel)
print("workload:  allocbench %s, %d runs per state, alternating; slow path symbol: %s" %
      (o.args, n, syms.get("slowpath", "?")))
print("allocations per run (__alloc_pages() calls, mm_page_alloc): root %d, in a memcg %d" %
      (allocs[""], allocs["memcg-"]))
print("%-18s %-62s %12s %8s %9s %10s %12s %8s" % ("state", "runs (M instructions)", "median",
      "spread", "added", "per alloc", "probe hits", "faults"))
rows = []
for s in order:
    prefix = "memcg-" if s.startswith("memcg-") else ""
    base = statistics.median(runs[prefix + "none"])
    med = statistics.median(runs[s])
    spread = (max(runs[s]) - min(runs[s])) / med * 100
    added = (med - base) / base * 100
    per = (med - base) / allocs[prefix] if allocs[prefix] else float("nan")
    h = hits.get(s)
    if h and s.endswith("tracepoint"):
        # the failure probe counts failures only: it runs on every allocation
        h = [(allocs[prefix], x[1]) for x in h]
    hs = "%d/%d" % (statistics.median(x[0] for x in h), max(x[1] for x in h)) if h else "-"
    fl = statistics.median(faults[s])
    print("%-18s %-62s %9.2f M %7.2f%% %+8.3f%% %+10.1f %12s %8d" % (
        s, " ".join("%.2f" % (r / 1e6) for r in runs[s]), med / 1e6, spread, added, per, hs, fl))
    rows.append([o.date, o.kernel, o.args, s, n, " ".join(map(str, runs[s])), int(med),
                 min(runs[s]), "%.4f" % added, "%.2f" % per, allocs[prefix],
                 h and statistics.median(x[0] for x in h) or "", h and max(x[1] for x in h) or "",
                 int(fl)])
print("(added: state's median vs its block's none; per alloc: that difference in instructions")
print(" per __alloc_pages() call; probe hits: median probe runs / most failures seen in one run;")
print(" faults: allocbench's own page faults, median: the workload itself, not the hook)")
if o.csv:
    with open(o.csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "kernel", "workload", "state", "runs", "instructions", "median",
                    "min", "added_pct", "added_per_alloc", "allocs_per_run", "probe_hits",
                    "failures", "page_faults"])
        w.writerows(rows)
    print("csv: %s" % o.csv)
