#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# bench/plot.py CSV PNG - the scaling plot of bench/capture-cost.sh's CSV: median instructions
# per capture (oomsnap's capture_ns_max under -icount) against guest memory, one line per event
# kind, and, when the CSV holds several task counts, against tasks in a second panel.
import csv, statistics, sys

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit("plot: matplotlib is not installed (apt-get install python3-matplotlib)")

rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["state"] == "with" and r["capture_ns"]]
def series(xkey, fixed):
    out = {}
    for kind in ("alloc", "memcg", "global"):
        pts = {}
        for r in rows:
            if r["event"] == kind and all(r[k] == v for k, v in fixed.items()):
                pts.setdefault(int(r[xkey]), []).append(int(r["capture_ns"]))
        if pts:
            out[kind] = sorted((x, statistics.median(v)) for x, v in pts.items())
    return out

mins_tasks = min(int(r["tasks"]) for r in rows)
tasks_vals = sorted({int(r["tasks"]) for r in rows})
panels = [("mem", {"tasks": str(mins_tasks)}, "guest memory (MB)")]
if len(tasks_vals) > 1:
    mem_of_tasks = max({r["mem"] for r in rows},
                       key=lambda m: len({r["tasks"] for r in rows if r["mem"] == m}))
    panels.append(("tasks", {"mem": mem_of_tasks}, "extra sleeping processes (%s MB guest)"
                   % mem_of_tasks))
fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4), squeeze=False)
for ax, (xkey, fixed, label) in zip(axes[0], panels):
    for kind, pts in series(xkey, fixed).items():
        ax.plot([p[0] for p in pts], [p[1] / 1e6 for p in pts], marker="o", label=kind)
    ax.set_xlabel(label)
    ax.set_ylabel("million instructions per capture (median)")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend()
fig.suptitle("oomsnap.ko: one capture, Debian 6.1, QEMU -icount (bench/capture-cost.sh)")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=90)
print("plot: %s" % sys.argv[2])
