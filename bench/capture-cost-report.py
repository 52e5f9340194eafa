#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# bench/capture-cost-report.py: the report of bench/capture-cost.sh, from the guests' console
# logs on stdin (CAP lines). Times are local_clock() ns of a guest under -icount shift=0, i.e.
# instructions. Writes one CSV row per event and prints, per guest memory and task count, the
# median of each figure and what oomsnap.ko adds to out_of_memory()-to-victim.
import argparse, csv, re, statistics, sys

ap = argparse.ArgumentParser()
ap.add_argument("--kernel", default="?")
ap.add_argument("--csv")
ap.add_argument("--date", default="")
o = ap.parse_args()

events, procs, ring = [], {}, {}
for line in sys.stdin:
    line = line.strip()
    if line.startswith("CAP "):
        ev = dict(kv.split("=", 1) for kv in line[4:].split() if "=" in kv)
        events.append(ev)
    m = re.match(r"^CAP-TASKS (\d+) (\d+) processes", line)
    if m:
        procs[int(m.group(1))] = int(m.group(2))
    m = re.match(r"^CAP-RING (capturing into .*)", line)
    if m:
        ring[m.group(1)] = True
if not events:
    sys.exit("capture-cost: no CAP lines in the logs")

def num(ev, k):
    v = ev.get(k, "")
    return int(v) if v.isdigit() else None

def med(evs, k):
    vals = [num(e, k) for e in evs if num(e, k) is not None]
    return statistics.median(vals) if vals else None

def fmt(v):
    return "-" if v is None else "{:,.0f}".format(v)

print("kernel: %s (QEMU TCG -icount shift=0,sleep=off,align=off: 1 ns = 1 instruction), 1 vCPU"
      % o.kernel)
for r in ring:
    print("ring at load: %s" % r)
keys = sorted({(int(e["mem"]), int(e["tasks"])) for e in events})
print("%6s %6s %7s %-7s %4s %14s %14s %14s %14s %14s" % (
    "MB", "tasks", "procs", "event", "n", "capture", "irqoff", "zone_lock", "oom->kill w/o",
    "oom->kill with"))
summary = []
for mem, tasks in keys:
    for kind in ("alloc", "memcg", "global"):
        sel = [e for e in events if int(e["mem"]) == mem and int(e["tasks"]) == tasks
               and e["event"] == kind]
        w = [e for e in sel if e["state"] == "with"]
        wo = [e for e in sel if e["state"] == "without"]
        if not w:
            continue
        # a timed OOM needs its victim: events whose hook saw none are left out
        okw = [e for e in w if num(e, "ooms")]
        okwo = [e for e in wo if num(e, "ooms")]
        row = dict(mem=mem, tasks=tasks, procs=procs.get(tasks, ""), event=kind, n=len(w),
                   capture=med(w, "capture_ns"), irqoff=med(w, "irqoff_ns"),
                   zone_lock=med(w, "zone_lock_ns"),
                   oom_without=med(okwo, "oom_ns") if kind != "alloc" else None,
                   oom_with=med(okw, "oom_ns") if kind != "alloc" else None)
        summary.append(row)
        print("%6d %6d %7s %-7s %4d %14s %14s %14s %14s %14s" % (
            mem, tasks, row["procs"], kind, len(w), fmt(row["capture"]), fmt(row["irqoff"]),
            fmt(row["zone_lock"]), fmt(row["oom_without"]), fmt(row["oom_with"])))
print("(medians, instructions; capture/irqoff/zone_lock: oomsnap's stats peaks, loaded fresh for")
print(" each event; oom->kill: out_of_memory() entry to oom:mark_victim, oomsnap_hookcost)")
for row in summary:
    if row["oom_with"] and row["oom_without"]:
        print("%d MB, %d tasks, %s OOM: oomsnap.ko adds %s instructions to the kill (%.1fx)" % (
            row["mem"], row["tasks"], row["event"], fmt(row["oom_with"] - row["oom_without"]),
            row["oom_with"] / row["oom_without"]))
if o.csv:
    cols = ["mem", "tasks", "state", "event", "oom_ns", "ooms", "captured", "capture_ns",
            "irqoff_ns", "zone_lock_ns", "capped"]
    with open(o.csv, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["date", "kernel", "procs"] + cols)
        for e in events:
            wr.writerow([o.date, o.kernel, procs.get(int(e["tasks"]), "")] +
                        [e.get(c, "") for c in cols])
    print("csv: %s" % o.csv)
