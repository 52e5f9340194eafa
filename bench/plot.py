#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# bench/plot.py CSV PNG - the scaling plot of bench/capture-cost.sh's CSV: median instructions
# per capture (oomsnap's capture_ns_max under -icount) for each event kind, one panel per series
# the CSV holds: guest memory (1 vCPU, nothing added), vCPUs, extra processes, memcgs below the
# OOMing one, extra slab caches (the last four in the series' guest size).
import csv, statistics, sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit("plot: matplotlib is not installed (apt-get install python3-matplotlib)")

rows = [r for r in csv.DictReader(open(sys.argv[1]))
        if r["state"] == "with" and r["capture_ns"] and r.get("clock", "icount") == "icount"]
BASE = {"smp": "1", "tasks": "0", "memcgs": "0", "caches": "0"}

def series(xkey, fixed):
    out = {}
    for kind in ("alloc", "memcg", "global"):
        pts = {}
        for r in rows:
            if r["event"] == kind and all(r[k] == v for k, v in fixed.items()):
                pts.setdefault(int(r[xkey]), []).append(int(r["capture_ns"]))
        if len(pts) > 1:
            out[kind] = sorted((x, statistics.median(v)) for x, v in pts.items())
    return out

# the series' guest size: the one with the most points off the base
off = [r for r in rows if any(r[k] != v for k, v in BASE.items())]
smem = statistics.mode([r["mem"] for r in off]) if off else None
panels = [("mem", BASE, "guest memory (MB), 1 vCPU")]
for axis, label in (("smp", "vCPUs"), ("tasks", "extra sleeping processes"),
                    ("memcgs", "memcgs below the OOMing one"), ("caches", "extra slab caches")):
    if smem:
        fixed = dict(BASE, mem=smem)
        del fixed[axis]
        panels.append((axis, fixed, "%s (%s MB guest)" % (label, smem)))
panels = [(x, f, l, s) for x, f, l in panels for s in [series(x, f)] if s]
fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4), squeeze=False)
for ax, (xkey, fixed, label, ser) in zip(axes[0], panels):
    for kind, pts in ser.items():
        ax.plot([p[0] for p in pts], [p[1] / 1e3 for p in pts], marker="o", label=kind)
    ax.set_xlabel(label)
    ax.set_ylabel("thousand instructions per capture (median)")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend()
fig.suptitle("oomsnap.ko: one capture, Debian 6.1, QEMU -icount (bench/capture-cost.sh)")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=80)
print("plot: %s" % sys.argv[2])
