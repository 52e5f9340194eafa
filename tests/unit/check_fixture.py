#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check `oomsnap --json explain LOG` against LOG's .expect file.

.expect lines ("#" comments):
  events N                  number of reports found
  K type|cause|gfp|kernel_era VALUE   exact value of report K (1-based)
  K contributing A B ...    exact set ("none" for empty)
  K order N | victim COMM | memcg PATH | slab NAME
  K evidence TEXT           TEXT is a substring of some evidence line
  K missing TEXT            TEXT is a substring of some missing line
  error TEXT                explain must fail (exit != 0) with TEXT in its JSON error
Prints one line of problems and exits 1, or exits 0.
"""
import json
import subprocess
import sys


def main():
    tool, log, expect = sys.argv[1:4]
    proc = subprocess.run([tool, "--json", "explain", log], capture_output=True, text=True)
    try:
        out = json.loads(proc.stdout)
    except ValueError as e:
        print("output is not JSON (%s): %r" % (e, proc.stdout[:200]))
        return 1
    problems = []
    for raw in open(expect):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split(None, 2)
        if words[0] == "error":
            want = line.split(None, 1)[1]
            if proc.returncode == 0:
                problems.append("expected failure, got exit 0")
            elif want not in out.get("error", ""):
                problems.append("error %r lacks %r" % (out.get("error"), want))
            continue
        if proc.returncode != 0:
            problems.append("exit %d: %s" % (proc.returncode, out.get("error")))
            break
        events = out["events"]
        if words[0] == "events":
            if len(events) != int(words[1]):
                problems.append("events: %d, expected %s" % (len(events), words[1]))
            continue
        k, key = int(words[0]), words[1]
        value = words[2] if len(words) > 2 else ""
        if k > len(events):
            problems.append("no report %d" % k)
            continue
        ev = events[k - 1]
        if key in ("type", "cause", "kernel_era"):
            got = ev.get(key)
        elif key == "gfp":
            got = ev.get("request", {}).get("gfp")
        elif key == "order":
            got = str(ev.get("request", {}).get("order"))
        elif key == "victim":
            got = ev.get("victim", {}).get("comm")
        elif key == "memcg":
            got = ev.get("memcg", {}).get("path")
        elif key == "slab":
            got = value if value in [s["name"] for s in ev.get("slabs", [])] else None
        elif key == "contributing":
            want = set() if value == "none" else set(value.split())
            if set(ev["contributing"]) != want:
                problems.append("%d contributing %s, expected %s" % (k, sorted(ev["contributing"]), sorted(want)))
            continue
        elif key in ("evidence", "missing"):
            if not any(value in l for l in ev[key]):
                problems.append("%d %s lacks %r" % (k, key, value))
            continue
        else:
            problems.append("unknown expectation %r" % line)
            continue
        if got != value:
            problems.append("%d %s %r, expected %r" % (k, key, got, value))
    if problems:
        print("; ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
