# SPDX-License-Identifier: GPL-2.0
"""The kernel's own OOM and allocation-failure reports in a guest's dmesg, as the e2e and BPF
judges (tests/e2e/check.py, tests/bpf/check.py), the scenarios' check (d) and the Xen host's
(tests/scenarios/run.sh, tests/xen/run.sh: the command below) hold a record against them.

The numbers come from the project's own log parser: `oomsnap explain --json` (tools/logparse)
on the guest's dmesg, one event per report. The record, decoded from raw by a program of the
tests' own (oomsnap-rawdump, tests/bpf/rawjson), stays the independent side. Per report:

    ts       the header line's dmesg time, ns (the event's log.boot_s)
    kind     "oom" (global or memcg) or "alloc" (a page allocation failure)
    order, gfp_raw   the request (request.order, request.gfp_raw)
    zones    {(node, zone): {free, min, low, high, boost, reserved_highatomic, managed}} in
             pages; min/low/high without the boost, which the kernel adds when it prints them
             (explain takes it off again)
    buddy    {(node, zone): [free blocks per order]} (the zone's nr_free)
    killed   (pid, comm, memcg?) of the victim, None when nothing was killed
    memcg    (usage, limit) in pages, None for a global report
    event    explain's JSON event itself (None where explain found no report), for a judge
             that compares more of it

Parsed here, because explain's JSON does not carry them whole:
    header   the header line's text, for the messages and to pair a report with the BPF
             judge's own parse of it
    trace    the Call Trace's reliable frames ("sym+0xoff/0xsize"): JSON's stack keeps the
             first 16 (OOMSNAP_STACK_DEPTH), the trampoline check looks at every frame
    tasks    {pid: comm} of the task dump: JSON's tasks keep the 8 largest
             (OOMSNAP_TOP_TASKS), the memcg check needs every task the kernel listed

As a command (the shell runners):
    reports.py zones READER DMESG EVENT RECORD
        the first report of EVENT's kind (oom, memcg_oom, alloc_failure) in the dmesg file
        DMESG against RECORD, a file holding one record as oomsnap-rawdump prints it: see
        compare_zones(). Prints "N zones" (", memcg limit and usage" for a memcg OOM), or
        the first mismatch and exits 1.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

TS = r"^\[\s*(\d+)\.(\d+)\]\s?"


def dmesg_lines(lines):
    """(ns, text) of each stamped line of a dmesg section."""
    out = []
    for l in lines:
        m = re.match(TS + r"(.*)$", l)
        if m:
            out.append((int(m.group(1)) * 10**9 + int(m.group(2)) * 1000, m.group(3)))
    return out


def boot_ns(boot_s):
    """explain's log.boot_s ("12.345678") as dmesg_lines() times it."""
    sec, _, frac = boot_s.partition(".")
    return int(sec) * 10**9 + int(frac or 0) * 1000


def explain(reader, lines):
    """explain --json's document for the dmesg lines (None when it printed no JSON) and how
    it exited."""
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
        f.write("".join(l + "\n" for l in lines))
    try:
        out = subprocess.run([reader, "explain", "--json", f.name], capture_output=True,
                             text=True)
    finally:
        os.unlink(f.name)
    try:
        return json.loads(out.stdout), out.returncode
    except ValueError:
        return None, out.returncode


def pages(kb, page_kb):
    return None if kb is None else kb // page_kb


def numbers(event, page_kb):
    """What a report says in numbers, from explain's JSON event."""
    req = event.get("request") or {}
    zones, buddy = {}, {}
    for z in event.get("zones") or []:
        key = (z["node"], z["name"])
        zones[key] = {k: pages(z.get(j), page_kb) for k, j in (
            ("free", "free_kb"), ("min", "min_kb"), ("low", "low_kb"), ("high", "high_kb"),
            ("boost", "boost_kb"), ("reserved_highatomic", "highatomic_kb"),
            ("managed", "managed_kb"))}
        if z.get("nr_free") is not None:
            buddy[key] = list(z["nr_free"])
    v = event.get("victim")
    mc = event.get("memcg")
    gfp = req.get("gfp_raw")
    return {"order": req.get("order"), "gfp_raw": int(gfp, 16) if gfp else None,
            "zones": zones, "buddy": buddy,
            "killed": (v["pid"], v["comm"], event["type"] == "memcg_oom") if v else None,
            "memcg": (pages(mc["usage_kb"], page_kb), pages(mc["limit_kb"], page_kb))
            if mc and mc.get("usage_kb") is not None else None}


def text_parts(dmesg):
    """Header, trace and task dump of every report (see the module's comment)."""
    reports, cur = [], None
    for ts, text in dmesg:
        if " invoked oom-killer: " in text or "page allocation failure: " in text:
            cur = {"ts": ts, "header": text, "kind": "oom" if "oom-killer" in text else "alloc",
                   "trace": [], "tasks": {}, "zone_lines": False}
            reports.append(cur)
            continue
        if cur is None:
            continue
        if re.match(r"^Node \d+ \w+ free:\d+kB ", text):
            cur["zone_lines"] = True	# the trace is over
            continue
        # the Call Trace's reliable frames ("? " marks a guess), "sym+0xoff/0xsize"
        m = re.match(r"^\s*([A-Za-z_][\w.]*\+0x[0-9a-f]+/0x[0-9a-f]+)(?: \[\w+\])?$", text)
        if m and not cur["zone_lines"]:
            cur["trace"].append(m.group(1))
            continue
        # dump_tasks(): "[  pid  ]   uid  tgid total_vm  rss ... oom_score_adj name"
        m = re.match(r"^\[\s*(\d+)\]\s+\d+\s+\d+(?:\s+-?\d+)+\s+(.+)$", text)
        if m:
            cur["tasks"][int(m.group(1))] = m.group(2)
    for r in reports:
        del r["zone_lines"]
    return reports


def parse(dmesg_section, page_kb, reader):
    """Every report of the dmesg section's lines: its text parts, with the numbers of the
    explain event that starts at the same line time (a report explain did not find has no
    numbers: no zones, no buddy lines, no kill, no memcg line, no request)."""
    reports = text_parts(dmesg_lines(dmesg_section))
    doc, _ = explain(reader, dmesg_section)
    events = {}
    for e in (doc or {}).get("events", []):
        t = (e.get("log") or {}).get("boot_s")
        if t is not None:
            events.setdefault((boot_ns(t), "alloc" if e["type"] == "alloc_failure" else "oom"),
                              e)
    empty = {"order": None, "gfp_raw": None, "zones": {}, "buddy": {}, "killed": None,
             "memcg": None}
    for r in reports:
        e = events.get((r["ts"], r["kind"]))
        r.update(numbers(e, page_kb) if e else empty)
        r["event"] = e
    return reports


def compare_zones(reader, dmesg_section, event_type, record):
    """The first report of event_type's kind among the dmesg section's lines against record
    (oomsnap-rawdump's JSON: pages, and the page size): every zone the report prints must be
    in the record with the same watermarks (without the boost) and a free count within
    max(1 MB, 1% of the zone's managed memory), since the module reads it a moment before
    the kernel prints; a report other than a memcg OOM's must print zones; a memcg OOM's
    limit must be the record's, its usage within 1 MB. Returns (True, "N zones[, memcg limit
    and usage]") or (False, the first mismatch); sizes in kB."""
    page_kb = record["page_size"] // 1024
    kind, header = (("alloc", "page allocation failure") if event_type == "alloc_failure"
                    else ("oom", "invoked oom-killer"))
    reports = [r for r in parse(dmesg_section, page_kb, reader) if r["kind"] == kind]
    if not reports:
        return False, "no '%s' report in dmesg" % header
    report = reports[0]
    snap = {}
    for z in record.get("zones") or []:
        snap.setdefault((z["node"], z["name"]), z)
    for (node, name), z in report["zones"].items():
        kb = {k: None if v is None else v * page_kb for k, v in z.items()}
        where = "zone %d/%s" % (node, name)
        lacks = [k for k in ("free", "min", "low", "high", "managed") if kb[k] is None]
        if lacks:
            return False, "%s: explain read no %s from the report" % (where, "/".join(lacks))
        s = snap.get((node, name))
        if s is None:
            return False, "%s not in the snapshot" % where
        s_kb = {k: s[k] * record["page_size"] // 1024 for k in ("free", "min", "low", "high")}
        if [s_kb[k] for k in ("min", "low", "high")] != [kb[k] for k in ("min", "low", "high")]:
            return False, "%s watermarks %d/%d/%d kB, kernel printed %d/%d/%d kB" % (
                where, s_kb["min"], s_kb["low"], s_kb["high"], kb["min"], kb["low"], kb["high"])
        tol = max(kb["managed"] // 100, 1024)
        if abs(s_kb["free"] - kb["free"]) > tol:
            return False, "%s free %d kB, kernel printed %d kB (tolerance %d kB)" % (
                where, s_kb["free"], kb["free"], tol)
    said = "%d zones" % len(report["zones"])
    if event_type != "memcg_oom":
        # a memcg OOM report shows the cgroup's counters instead of the zones (no show_mem())
        if not report["zones"]:
            return False, "no per-zone lines in the kernel's report"
        return True, said
    if report["memcg"] is None:
        return False, "no 'memory: usage' line in the memcg report"
    usage, limit = (v * page_kb for v in report["memcg"])
    s_usage, s_limit = (None if record.get(k) is None else record[k] * record["page_size"] // 1024
                        for k in ("memcg_usage", "memcg_limit"))
    if s_limit != limit:
        return False, "memcg limit %s kB, kernel printed %d kB" % (s_limit, limit)
    if s_usage is None or abs(s_usage - usage) > 1024:
        return False, "memcg usage %s kB, kernel printed %d kB (tolerance 1024 kB)" % (
            s_usage, usage)
    return True, said + ", memcg limit and usage"


def main(argv):
    if len(argv) != 6 or argv[1] != "zones":
        sys.exit("usage: reports.py zones READER DMESG EVENT RECORD")
    _, _, reader, dmesg, event_type, record = argv
    with open(dmesg, errors="replace") as f:
        lines = f.read().splitlines()
    with open(record) as f:
        rec = json.load(f)
    good, said = compare_zones(reader, lines, event_type, rec)
    print(said)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
