#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# bench/capture-cost-report.py: the report of bench/capture-cost.sh, from the guests' console
# logs on stdin (CAP and CAP-POINT lines). Times are local_clock() ns: under -icount shift=0
# (clock=icount) instructions, without it (clock=wall) the TCG host's time. Writes one CSV row
# per event and prints, per point (guest memory, vCPUs, extra tasks, memcgs, slab caches), the
# median of each figure and what oomsnap.ko adds to out_of_memory()-to-victim.
import argparse, csv, statistics, sys

AXES = ("clock", "mem", "smp", "tasks", "memcgs", "caches")
HOST = ("procs", "memcg_groups", "slab_caches")	# what the guest had at that point

ap = argparse.ArgumentParser()
ap.add_argument("--kernel", default="?")
ap.add_argument("--csv")
ap.add_argument("--date", default="")
o = ap.parse_args()

def fields(line):
    return dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)

def key(ev):
    return tuple(ev.get(a, "") for a in AXES)

events, points, ring = [], {}, []
for line in sys.stdin:
    line = line.strip()
    if line.startswith("CAP "):
        events.append(fields(line))
    elif line.startswith("CAP-POINT "):
        f = fields(line)
        points[key(f)] = f
    elif line.startswith("CAP-RING capturing into") and line[9:] not in ring:
        ring.append(line[9:])
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

def sortkey(k):
    return (k[0] != "icount",) + tuple(int(x) for x in k[1:])

print("kernel: %s; clock icount: QEMU TCG -icount shift=0,sleep=off,align=off (1 ns = 1 "
      "instruction); clock wall: TCG, the host's time" % o.kernel)
for r in ring:
    print("ring at load: %s" % r)
print("%-6s %5s %3s %5s %6s %6s %6s %-7s %2s %11s %9s %9s %12s %12s" % (
    "clock", "MB", "cpu", "tasks", "memcgs", "caches", "procs", "event", "n", "capture",
    "irqoff", "zone_lock", "oom->kill w/o", "with"))
summary = []
for k in sorted({key(e) for e in events}, key=sortkey):
    pt = points.get(k, {})
    for kind in ("alloc", "memcg", "global"):
        sel = [e for e in events if key(e) == k and e["event"] == kind]
        w = [e for e in sel if e["state"] == "with"]
        if not w:
            continue
        # a timed OOM needs its victim: events whose hook saw none are left out
        okw = [e for e in w if num(e, "ooms")]
        okwo = [e for e in sel if e["state"] == "without" and num(e, "ooms")]
        row = dict(zip(AXES, k), procs=pt.get("procs", ""), event=kind, n=len(w),
                   capture=med(w, "capture_ns"), irqoff=med(w, "irqoff_ns"),
                   zone_lock=med(w, "zone_lock_ns"),
                   oom_without=med(okwo, "oom_ns") if kind != "alloc" else None,
                   oom_with=med(okw, "oom_ns") if kind != "alloc" else None)
        summary.append(row)
        print("%-6s %5s %3s %5s %6s %6s %6s %-7s %2d %11s %9s %9s %12s %12s" % (
            k + (row["procs"], kind, len(w), fmt(row["capture"]), fmt(row["irqoff"]),
                 fmt(row["zone_lock"]), fmt(row["oom_without"]), fmt(row["oom_with"]))))
print("(medians; capture/irqoff/zone_lock: oomsnap's stats peaks, loaded fresh for each event;")
print(" oom->kill: out_of_memory() entry to oom:mark_victim, oomsnap_hookcost)")
for row in summary:
    if row["oom_with"] and row["oom_without"]:
        print("%s, %s MB, %s vCPUs, +%s tasks, %s memcgs, +%s caches, %s OOM: oomsnap.ko adds "
              "%s to the kill (%.2fx)" % (
                  row["clock"], row["mem"], row["smp"], row["tasks"], row["memcgs"],
                  row["caches"], row["event"], fmt(row["oom_with"] - row["oom_without"]),
                  row["oom_with"] / row["oom_without"]))
if o.csv:
    cols = ["state", "event", "oom_ns", "ooms", "captured", "capture_ns", "irqoff_ns",
            "zone_lock_ns", "capped"]
    with open(o.csv, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["date", "kernel"] + list(AXES) + list(HOST) + cols)
        for e in events:
            pt = points.get(key(e), {})
            wr.writerow([o.date, o.kernel] + [e.get(a, "") for a in AXES] +
                        [pt.get(h, "") for h in HOST] + [e.get(c, "") for c in cols])
    print("csv: %s" % o.csv)
