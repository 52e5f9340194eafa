#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host side of the oomsnap end-to-end tests: read a guest's console log (tests/e2e/guest.sh;
tests/lib/console.py), pass on the guest's own verdicts and compare what oomsnap recorded (raw,
decoded by the tests' own oomsnap-rawdump) with the kernel's own reports in the guest's dmesg,
as the reader's `explain --json` reads them (tests/lib/reports.py).

    check.py LOG PREFIX READER   prints "ok - PREFIX/NAME" / "not ok - PREFIX/NAME: reason"

READER: an oomsnap (tools/oomsnap) that runs on the host.

Tolerance of the global-OOM comparison (record vs the kernel's OOM report of the same event):
watermarks, boost and lowmem_reserve must agree exactly (they do not change between the two
instants); free pages and free blocks per order may differ, because oomsnap reads them in the
OOM notifier and the kernel prints its report later in out_of_memory() (after it chose the
victim), and in between:
  - every CPU's per-cpu page list of the zone may be refilled from the buddy lists or drained
    back to them: up to pcp high + batch pages per CPU;
  - NR_FREE_PAGES is a global counter with per-CPU deltas folded in lazily: each CPU's delta
    lies within +-threshold ("vm stats threshold"), so two reads may differ by 2 * threshold
    per CPU without a page moving.
So the free tolerance of a zone is the sum over its CPUs of high + batch + 2 * threshold, read
from the guest's /proc/zoneinfo after the OOM (FREE_TOLERANCE when zoneinfo is missing). A
fixed 64 pages was too tight: 128 was seen on DMA32 with two CPUs. The measured differences
are printed as "# " lines.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import console  # noqa: E402
import reports as kreports  # noqa: E402

FREE_TOLERANCE = 64     # pages: |record free - report free| per zone, without zoneinfo
ORDER_TOLERANCE = 32    # blocks: |record nr_free[o] - report count| per zone and order

EVENT_NAMES = {1: ("oom", "global_oom", "global oom", "OOM", "global OOM"),
               2: ("memcg_oom", "memcg oom", "memcg OOM", "memcg"),
               3: ("alloc_failure", "allocation failure", "alloc failure", "page allocation failure"),
               4: ("manual", "snapshot")}

results = []


def ok(name):
    results.append((True, name, ""))


def not_ok(name, reason):
    results.append((False, name, reason))


def check(name, cond, reason):
    (ok if cond else lambda n: not_ok(n, reason))(name)


def info(msg):
    print("# " + msg)


# ---- the kernel's own reports in dmesg: tests/lib/reports.py -----------------------------

def report_for(record, reports, kind):
    """The kernel's report of the record's event. An OOM is captured in the notifier, before
    out_of_memory() prints: the first report at or after the capture. A failed allocation is
    captured when __alloc_pages() returns NULL, after warn_alloc() printed: the last report
    before the capture (within a second)."""
    t = record["time_ns"]
    if kind == "oom":
        after = [r for r in reports if r["kind"] == kind and r["ts"] >= t - 10**6]
        return after[0] if after else None
    before = [r for r in reports if r["kind"] == kind and t - 10**9 <= r["ts"] <= t + 10**6]
    return before[-1] if before else None


# ---- checks ---------------------------------------------------------------------------------

# A frame printed "sym+0xN/0xN" (offset = size: the first byte after a function) is a return
# probe's trampoline the unwinder did not recover.
TRAMPOLINE = re.compile(r".*\+(0x[0-9a-f]+)/\1$")


def check_kernel_trace(name, rep, caller):
    """With oomsnap.ko loaded, the kernel's own OOM report keeps its Call Trace intact: the
    frame after out_of_memory() is its real caller, and no frame is a probe's trampoline."""
    trace = rep["trace"]
    funcs = [s.split("+")[0].split(".")[0] for s in trace]
    info("%s kernel trace: %s" % (name, " ".join(trace[:8])))
    bad = [s for s in trace if TRAMPOLINE.match(s)]
    i = funcs.index("out_of_memory") if "out_of_memory" in funcs else -1
    check(name + "-kernel-trace-intact",
          i >= 0 and i + 1 < len(funcs) and funcs[i + 1] == caller and not bad,
          "after out_of_memory: %s, want %s; trampoline frames: %s" % (
              funcs[i + 1] if 0 <= i < len(funcs) - 1 else "none", caller, bad))


def check_global_oom(records, reports):
    ooms = [r for r in records if r["type"] == 1 and r["victim"]["comm"] == "memhog"]
    check("global-oom-snapshot", ooms, "no global OOM record with victim memhog")
    if not ooms:
        return
    rec = ooms[0]
    rep = report_for(rec, reports, "oom")
    check("global-oom-kernel-report", rep and rep["killed"] and not rep["killed"][2],
          "no kernel OOM report with a kill after the record's time %d" % rec["time_ns"])
    if not (rep and rep["killed"]):
        return
    check("global-oom-victim", rec["victim"]["pid"] == rep["killed"][0]
          and rec["victim"]["comm"] == rep["killed"][1],
          "record victim %d (%s), kernel killed %d (%s)" % (
              rec["victim"]["pid"], rec["victim"]["comm"], rep["killed"][0], rep["killed"][1]))
    if rep["order"] is not None:
        check("global-oom-order", rec["order"] == rep["order"],
              "record order %d, report order %s" % (rec["order"], rep["order"]))
    compare_zones("global-oom", rec, rep)
    check_kernel_trace("global-oom", rep, "__alloc_pages_slowpath")


def zone_free_tolerances(lines):
    """{(node, zone): pages} from /proc/zoneinfo: sum over CPUs of high + batch + 2 * threshold."""
    tol, key, cur = {}, None, {}
    for l in lines:
        m = re.match(r"Node (\d+), zone\s+(\S+)", l)
        if m:
            key = (int(m.group(1)), m.group(2))
            tol[key] = 0
            continue
        if key is None:
            continue
        m = re.match(r"\s+(high|batch):\s+(\d+)", l)
        if m:
            cur[m.group(1)] = int(m.group(2))
            continue
        m = re.match(r"\s+vm stats threshold:\s+(\d+)", l)
        if m:
            tol[key] += cur.get("high", 0) + cur.get("batch", 0) + 2 * int(m.group(1))
            cur = {}
    return {k: v for k, v in tol.items() if v}


FREE_TOLERANCES = {}


def compare_zones(prefix, rec, rep):
    zones = {(z["node"], z["name"]): z for z in rec["zones"]}
    check(prefix + "-zones-match", set(zones) == set(rep["zones"]),
          "record zones %s, report zones %s" % (sorted(zones), sorted(rep["zones"])))
    for key, kz in sorted(rep["zones"].items()):
        z = zones.get(key)
        if z is None:
            continue
        name = "%s-zone-%d-%s" % (prefix, key[0], key[1])
        # The report prints min/low/high with the boost added (min_wmark_pages() & co);
        # explain has taken it off again.
        want = {"min": kz["min"], "low": kz["low"], "high": kz["high"]}
        got = {k: z[k] for k in want}
        check(name + "-watermarks", got == want, "record %s, report %s" % (got, want))
        d = z["free"] - kz["free"]
        info("%s free: record %d, report %d pages (diff %+d)" % (name, z["free"], kz["free"], d))
        tol = FREE_TOLERANCES.get(key, FREE_TOLERANCE)
        check(name + "-free", abs(d) <= tol,
              "record %d, report %d pages: |diff| %d > %d" % (z["free"], kz["free"], abs(d),
                                                             tol))
        bud = rep["buddy"].get(key)
        if bud is None:
            not_ok(name + "-orders", "no buddy line in the report")
            continue
        rec_orders = z["nr_free"][:len(bud)]
        diffs = [a - b for a, b in zip(rec_orders, bud)]
        info("%s per-order: record %s, report %s" % (name, rec_orders, bud))
        check(name + "-orders", len(z["nr_free"]) == len(bud)
              and max(abs(x) for x in diffs) <= ORDER_TOLERANCE,
              "record %s, report %s (tolerance %d)" % (z["nr_free"], bud, ORDER_TOLERANCE))


def check_memcg_oom(records, reports, page_size, group_tasks=True):
    """group_tasks: the record's top tasks are the group's own (oomsnap.ko); the BPF recorder
    lists the host's largest for a memcg OOM, and is not held to it."""
    recs = [r for r in records if r["type"] == 2]
    check("memcg-oom-snapshot", recs, "no memcg OOM record")
    if not recs:
        return
    rec = recs[0]
    limit = 32 * 1024 * 1024 // page_size
    check("memcg-oom-path", rec["memcg_path"] == "/e2e", "memcg path '%s', want '/e2e'" %
          rec["memcg_path"])
    check("memcg-oom-limit", rec["memcg_limit"] == limit,
          "limit %d pages, want %d (32M)" % (rec["memcg_limit"], limit))
    rep = report_for(rec, reports, "oom")
    if rep and rep["memcg"]:
        usage, rlimit = rep["memcg"]
        info("memcg usage: record %d, report %d pages" % (rec["memcg_usage"], usage))
        check("memcg-oom-usage", abs(rec["memcg_usage"] - usage) <= FREE_TOLERANCE
              and rec["memcg_usage"] <= limit,
              "record usage %d, report %d pages, limit %d" % (rec["memcg_usage"], usage, limit))
    else:
        not_ok("memcg-oom-usage", "no 'memory: usage' line in the kernel's memcg OOM report")
    if rep:
        check_kernel_trace("memcg-oom", rep, "mem_cgroup_out_of_memory")
    # Only the group's processes: every top task of the record is in the kernel's task dump of
    # this OOM (which lists the memcg's tasks alone), the largest being the hog.
    if group_tasks:
        if rep and rep["tasks"]:
            tops = [(t["pid"], t["comm"]) for t in rec["tasks"]]
            info("memcg OOM: record's top tasks %s, kernel's task dump %s" % (
                tops, sorted(rep["tasks"].items())))
            check("memcg-oom-tasks", tops and tops[0][1] == "memhog"
                  and all(rep["tasks"].get(pid) == comm for pid, comm in tops),
                  "record's top tasks %s, not all in the kernel's dump %s" % (
                      tops, sorted(rep["tasks"].items())))
        else:
            not_ok("memcg-oom-tasks", "no task dump in the kernel's memcg OOM report")
    check("memcg-oom-victim", rep and rep["killed"] and rep["killed"][2]
          and rec["victim"]["pid"] == rep["killed"][0] and rec["victim"]["comm"] == "memhog",
          "record victim %d (%s), kernel: %s" % (rec["victim"]["pid"], rec["victim"]["comm"],
                                                  rep and rep["killed"]))


def check_alloc_failure(records, reports, infos):
    failed = [i for i in infos if i.startswith("alloc-failure:") and i.endswith("failed")]
    if not failed:
        not_ok("alloc-failure-snapshot", "the guest could not provoke a failure")
        return
    m = re.search(r"order (\d+) (\w+)", failed[0])
    order = int(m.group(1))
    recs = [r for r in records if r["type"] == 3 and r["order"] == order]
    check("alloc-failure-snapshot", recs, "no allocation-failure record of order %d" % order)
    if not recs:
        return
    rec = recs[0]
    rep = report_for(rec, reports, "alloc")
    check("alloc-failure-kernel-report", rep, "no 'page allocation failure' report after it")
    if not rep:
        return
    check("alloc-failure-request", rep["order"] == rec["order"] and rep["gfp_raw"] == rec["gfp_raw"],
          "record order %d gfp 0x%x, report '%s'" % (rec["order"], rec["gfp_raw"], rep["header"]))
    # the guest's "alloc: order N atomic failed": asked for from a timer (softirq)
    if m.group(2) == "atomic":
        check("alloc-failure-in-irq", rec["in_irq"] != 0,
              "the request ran in a timer (softirq); the record says in_irq 0")
    check("alloc-failure-zones", rec["nr_zones"] > 0 and all(z["managed"] > 0 for z in rec["zones"]),
          "no zones in the record")


def parse_events_text(lines):
    events, cur = [], None
    for l in lines:
        m = re.match(r"^event #(\d+): (.*?) at \[", l)
        if m:
            cur = {"seq": int(m.group(1)), "type": m.group(2), "victim": None, "order": None}
            events.append(cur)
            continue
        if cur is None:
            continue
        m = re.match(r"^victim:\s+(.*) pid (-?\d+),", l)
        if m:
            cur["victim"] = (int(m.group(2)), m.group(1))
        m = re.search(r"\border (-?\d+)", l)
        if m and l.startswith("request:"):
            cur["order"] = int(m.group(1))
    return events


def type_matches(num, name):
    return str(name).strip().lower() in [n.lower() for n in EVENT_NAMES.get(num, ())] or \
        str(name) == str(num)


def check_events_text(records, sections):
    lines, rc = sections.get("events", ([], None))
    events = parse_events_text(lines)
    check("events-text-seqs", [e["seq"] for e in events] == [r["seq"] for r in records],
          "events text seqs %s, raw seqs %s" % ([e["seq"] for e in events],
                                                [r["seq"] for r in records]))
    by_seq = {e["seq"]: e for e in events}
    bad = []
    for r in records:
        e = by_seq.get(r["seq"])
        if e is None:
            continue
        if not type_matches(r["type"], e["type"]):
            bad.append("#%d type %d vs '%s'" % (r["seq"], r["type"], e["type"]))
        if r["victim"]["pid"] and e["victim"] != (r["victim"]["pid"], r["victim"]["comm"]):
            bad.append("#%d victim %s vs %s" % (r["seq"], (r["victim"]["pid"],
                                                          r["victim"]["comm"]), e["victim"]))
        if e["order"] is not None and e["order"] != r["order"]:
            bad.append("#%d order %d vs %d" % (r["seq"], r["order"], e["order"]))
    check("events-text-matches-raw", not bad, "; ".join(bad))


def find_key(obj, key):
    """First value of @key in a JSON tree, breadth first."""
    queue = [obj]
    while queue:
        o = queue.pop(0)
        if isinstance(o, dict):
            if key in o:
                return o[key]
            queue.extend(o.values())
        elif isinstance(o, list):
            queue.extend(o)
    return None


def check_reader(records, sections):
    lines, rc = sections.get("reader-list-json", ([], None))
    try:
        listed = json.loads("\n".join(lines))
        ok("reader-list-json-parses")
    except ValueError as e:
        not_ok("reader-list-json-parses", "rc %s: %s: %s" % (rc, e, " ".join(lines)[:200]))
        listed = None
    if listed is not None:
        seqs = []

        def walk(o):
            if isinstance(o, dict):
                if "seq" in o:
                    seqs.append(o["seq"])
                    return
                for v in o.values():
                    walk(v)
            elif isinstance(o, list):
                for v in o:
                    walk(v)
        walk(listed)
        check("reader-list-matches-raw", sorted(seqs) == sorted(r["seq"] for r in records),
              "reader lists %s, raw holds %s" % (seqs, [r["seq"] for r in records]))
    bad = []
    for r in records:
        lines, rc = sections.get("reader-show-json-%d" % r["seq"], (None, None))
        if lines is None:
            bad.append("#%d not shown" % r["seq"])
            continue
        try:
            j = json.loads("\n".join(lines))
        except ValueError as e:
            bad.append("#%d: rc %s, JSON: %s" % (r["seq"], rc, e))
            continue
        if find_key(j, "seq") != r["seq"]:
            bad.append("#%d: seq %s" % (r["seq"], find_key(j, "seq")))
        t = find_key(j, "type")
        if not type_matches(r["type"], t):
            bad.append("#%d: type %s vs %d" % (r["seq"], t, r["type"]))
        if r["victim"]["pid"]:
            v = find_key(j, "victim")
            if not (isinstance(v, dict) and v.get("pid") == r["victim"]["pid"]
                    and v.get("comm") == r["victim"]["comm"]):
                bad.append("#%d: victim %s vs %d %s" % (r["seq"], v, r["victim"]["pid"],
                                                        r["victim"]["comm"]))
        o = find_key(j, "order")
        if o is not None and o != r["order"]:
            bad.append("#%d: order %s vs %d" % (r["seq"], o, r["order"]))
        zones = find_key(j, "zones")
        if isinstance(zones, list) and len(zones) != r["nr_zones"]:
            bad.append("#%d: %d zones vs %d" % (r["seq"], len(zones), r["nr_zones"]))
    check("reader-show-json-matches-raw", records and not bad, "; ".join(bad) or "no records")
    lines, rc = sections.get("reader-explain", ([], None))
    check("reader-explain-runs", rc == 0 and lines, "oomsnap explain exit %s" % rc)


BAD_KERNEL = re.compile(r"(WARNING:|BUG:|Oops|general protection|UBSAN|KASAN|"
                        r"list_(add|del) corruption|sleeping function called|"
                        r"scheduling while atomic|Call Trace:.*oomsnap)")


def print_results(prefix):
    """Every result as "ok - PREFIX/NAME" or "not ok - PREFIX/NAME: reason"; the failures."""
    failed = 0
    for good, name, reason in results:
        if good:
            print("ok - %s/%s" % (prefix, name))
        else:
            failed += 1
            print("not ok - %s/%s: %s" % (prefix, name, reason))
    return failed


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: check.py LOG PREFIX READER")
    path, prefix, reader = sys.argv[1:]
    con = console.read(path)
    sections, infos = con.sections, con.infos
    results.extend(con.tests)
    check("guest-done", con.done, "the guest did not finish (see %s)" % path)
    raw_lines, rc = sections.get("rawdump", ([], None))
    records = []
    try:
        records = [json.loads(l) for l in raw_lines if l.startswith("{")]
        check("raw-decodes", rc == 0 and records, "oomsnap-rawdump exit %s, %d records: %s" %
              (rc, len(records), " ".join(raw_lines)[:200]))
    except ValueError as e:
        not_ok("raw-decodes", str(e))
    seqs = [r["seq"] for r in records]
    check("raw-seqs-increase", seqs and seqs == sorted(set(seqs)), "seqs %s" % seqs)
    page_size = records[0]["page_size"] if records else 4096
    dmesg = kreports.dmesg_lines(con.section("dmesg"))
    FREE_TOLERANCES.update(zone_free_tolerances(sections.get("zoneinfo", ([], None))[0]))
    for key, tol in sorted(FREE_TOLERANCES.items()):
        info("zone %d-%s free tolerance %d pages (zoneinfo)" % (key[0], key[1], tol))
    reports = kreports.parse(con.section("dmesg"), page_size // 1024, reader)
    if records:
        check_alloc_failure(records, reports, infos)
        check_memcg_oom(records, reports, page_size)
        check_global_oom(records, reports)
        check_events_text(records, sections)
        check_reader(records, sections)
    bad = [t for _, t in dmesg if BAD_KERNEL.search(t)]
    check("kernel-log-clean", dmesg and not bad, "; ".join(bad[:3]) or "no dmesg captured")

    return print_results(prefix)


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
