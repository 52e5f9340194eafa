#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host side of the BPF recorder tests: read a guest's console log (tests/bpf/guest.sh), decode
the recorder's raw file with tests/bpf/rawjson (not with the reader) and compare every field the
recorder fills with the kernel's own report of the same event in the guest's dmesg, its numbers
as the reader's `explain --json` reads them (READER: an oomsnap that runs on the host; what the
JSON does not carry is parsed here, see parse_extra()):

    check.py LOG PREFIX RAWJSON plain|lockdown READER

Reused from tests/e2e/check.py: the reports (tests/lib/reports.py), the zone comparison (watermarks exact, free
pages and free blocks per order within its tolerances) and the global/memcg OOM and
allocation-failure checks. Added here: lowmem_reserve, reserved_highatomic, managed, the global
counters of show_mem(), the victim's and the top tasks' memory against the kernel's task dump
and kill line, the stack against the report's Call Trace, gfp/order/constraint/task/cpu against
the report's header lines, the module's diagnosis of the same event, and the recorder's counters.
"""
import base64
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import check as e2e  # noqa: E402

ok, not_ok, check, info = e2e.ok, e2e.not_ok, e2e.check, e2e.info

# Between the recorder's read (out_of_memory() entry) and the kernel's print (after the victim
# was chosen) the other CPU keeps allocating and freeing: counters may move by a little.
COUNTER_TOLERANCE = 256  # pages, or 2% of the value, whichever is larger
TASK_TOLERANCE = 64      # pages: a task's counters (it is stopped in the allocator or killed)
# The module's record of the same event is taken at another instant (an allocation failure: the
# recorder at warn_alloc()'s entry, the module when __alloc_pages() returns, the kernel's report
# printed in between, while the guest's two recorders already react to the event - the JSON one
# forks its renderer; measured differences up to 769 pages): counters within 1024 pages or 5 %.
MODULE_TOLERANCE = 1024
# An allocation failure's record precedes the report by the printing of its header and stack:
# a per-cpu list refill or drain (batch 63 pages here) in between moves order-0/1 counts.
ALLOC_ORDER_TOLERANCE = 128

MEM_NAMES = {  # show_mem()'s "name:pages" -> oomsnap_mem slot (uapi/oomsnap.h)
    "active_anon": 2, "inactive_anon": 3, "active_file": 4, "inactive_file": 5,
    "unevictable": 6, "shmem": 8, "dirty": 9, "writeback": 10, "mapped": 11,
    "slab_reclaimable": 12, "slab_unreclaimable": 13, "pagetables": 15, "bounce": 25,
    "free": 1, "free_pcp": 27, "free_cma": 26,
}
MEM_HUGETLB_TOTAL, MEM_HUGETLB_FREE, MEM_SWAP_TOTAL, MEM_SWAP_FREE = 18, 19, 20, 21
STATUS_ATOMIC_CONTEXT, STATUS_NOT_XEN = 3, 7
HAVE_GFP, HAVE_STACK, HAVE_TASKS, HAVE_VICTIM, HAVE_MEMCG = 1, 64, 256, 32, 16
ZONE_HAVE_MT = 0x40


_e2e_report_for = e2e.report_for


def report_for(record, reports, kind):
    """e2e's choice for OOMs. An allocation failure is captured at warn_alloc()'s entry, just
    before the kernel prints its report (or, with --alloc-hook tracepoint, just after): the
    report nearest in time, within a second."""
    if kind == "oom":
        return _e2e_report_for(record, reports, kind)
    t = record["time_ns"]
    near = [r for r in reports if r["kind"] == kind and abs(r["ts"] - t) <= 10**9]
    return min(near, key=lambda r: abs(r["ts"] - t)) if near else None


e2e.report_for = report_for


def close(a, b, tol=COUNTER_TOLERANCE):
    return abs(a - b) <= max(tol, max(a, b) // 50)


def parse_extra(dmesg, page_kb):
    """What the reports of tests/lib/reports.py leave out, per report in the same order, from
    the text where explain's JSON does not carry it (numbers_extra() adds the rest):
      trace   the Call Trace across an IRQ (the interrupted context's RIP is a frame too):
              JSON's stack keeps 16 frames and no RIP line
      mt      the migratetypes holding blocks per order ("(UME)" in a buddy line): not in
              the JSON
      tasks   the task dump with its memory columns: JSON's tasks keep the 8 largest by RSS
      pgtables  the victim's page tables (the "Killed process" line's pgtables:): not in the
              JSON's victim"""
    out, cur, in_trace, in_tasks, cols = [], None, False, False, []
    for ts, text in dmesg:
        if " invoked oom-killer: " in text or "page allocation failure: " in text:
            cur = {"ts": ts, "header": text, "trace": [], "tasks": {}, "mt": {},
                   "pgtables_bytes": None}
            out.append(cur)
            in_trace = in_tasks = False
            continue
        if cur is None:
            continue
        if text.strip() == "Call Trace:":
            in_trace = True
            continue
        if text.startswith("oomsnap-bpf: "):
            continue	# the recorder's clock calibration lines
        if in_trace:
            # frames; "? " unreliable ones skipped; across an IRQ the interrupted context
            # continues after its register dump, whose RIP is a frame too
            t = text.strip()
            if t == "</TASK>":
                in_trace = False
                continue
            m = re.match(r"^RIP: [0-9a-f]{4}:(\S+\+0x[0-9a-f]+/0x[0-9a-f]+)$", t)
            if m:
                cur["trace"].append(m.group(1))
                continue
            if t.startswith("<") or t.startswith("? ") or \
                    re.match(r"^(R[0-9A-Z]{2}|Code|[CDEFGS]S|CR2|DR[0-7]):", t):
                continue
            m = re.match(r"^(\S+\+0x[0-9a-f]+/0x[0-9a-f]+)( \[\S+\])?$", t)
            if m:
                cur["trace"].append(t)
                continue
            in_trace = False
        m = re.match(r"^Node (\d+) (\w+): (.*) = \d+kB$", text)
        if m:
            cur["mt"][(int(m.group(1)), m.group(2))] = re.findall(r"\d+\*\d+kB (?:\((\w+)\))?",
                                                                  m.group(3))
            continue
        if text.startswith("Tasks state (memory values in pages):"):
            in_tasks = True
            continue
        if in_tasks:
            # columns by the header: 6.12 adds rss_anon rss_file rss_shmem
            if text.startswith("[  pid  ]"):
                cols = text.replace("[  pid  ]", "pid").split()
                continue
            m = re.match(r"^\[\s*(\d+)\]\s+(.*)$", text)
            if m and len(m.group(2).split()) == len(cols) - 1:
                vals = [m.group(1)] + m.group(2).split()
                row = dict(zip(cols, vals))
                cur["tasks"][int(m.group(1))] = {
                    k: (row[k] if k == "name" else int(row[k])) for k in row}
                cur["tasks"][int(m.group(1))]["comm"] = row["name"]
                continue
            in_tasks = False
        m = re.search(r"Killed process \d+ \(.*?\) .* pgtables:(\d+)kB ", text)
        if m:
            cur["pgtables_bytes"] = int(m.group(1)) * 1024
    return out


# enum oomsnap_constraint (uapi/oomsnap.h) by explain's token
CONSTRAINT_TOKENS = {"none": 0, "cpuset": 1, "memory_policy": 2, "memcg": 3}
# the kernel's zones by index, as lowmem_reserve[] prints them on x86-64 (no HighMem)
RESERVE_ZONES = ("DMA", "DMA32", "Normal", "Movable", "Device")


def numbers_extra(x, event, page_kb):
    """The numbers of explain's JSON event into the report's extras: zone reserves, managed and
    present pages, boost and highatomic reserve; lowmem_reserve[]; the show_mem() counters
    (pages); the memcg's swap (usage, limit; limit None for "max"); the constraint; the
    victim's memory as its "Killed process" line gives it; the requesting task (pid, comm)."""
    e = event or {}
    x["zone_extra"], x["reserve"] = {}, {}
    for z in e.get("zones") or []:
        key = (z["node"], z["name"])
        x["zone_extra"][key] = {k: z[j] // page_kb for k, j in (
            ("reserved_highatomic", "highatomic_kb"), ("managed", "managed_kb"),
            ("present", "present_kb"), ("boost", "boost_kb")) if z.get(j) is not None}
        if z.get("lowmem_reserve") is not None:
            x["reserve"][key] = [z["lowmem_reserve"][n] for n in RESERVE_ZONES]
    x["mem"] = {k: v // page_kb for k, v in (e.get("memory_kb") or {}).items()
                if k in MEM_NAMES and v is not None}
    mc = e.get("memcg")
    x["swap"] = (mc["swap_usage_kb"] // page_kb, None if mc["swap_limit_kb"] is None else
                 mc["swap_limit_kb"] // page_kb) \
        if mc and mc.get("swap_usage_kb") is not None else None
    x["constraint"] = (e.get("request") or {}).get("constraint")
    v = e.get("victim")
    x["kill"] = None
    if v and v.get("total_vm_kb") is not None:
        x["kill"] = {"pid": v["pid"], "comm": v["comm"], "total_vm": v["total_vm_kb"] // page_kb,
                     "rss_anon": v["rss_anon_kb"] // page_kb,
                     "rss_file": v["rss_file_kb"] // page_kb,
                     "rss_shmem": v["rss_shmem_kb"] // page_kb, "uid": v["uid"],
                     "oom_score_adj": v["oom_score_adj"]}
        if x["pgtables_bytes"] is not None:
            x["kill"]["pgtables_bytes"] = x["pgtables_bytes"]
    t = e.get("task")
    x["task"] = (t["pid"], t["comm"]) if t and t.get("pid") is not None else None
    return x


def extra_for(rep, extras):
    for x in extras:
        if x["ts"] == rep["ts"] and x["header"] == rep["header"]:
            return x
    return None


def check_stack(name, rec, x, anchor):
    """The record's frames below ANCHOR are return addresses the kernel's own Call Trace of the
    same call chain prints too: they must be the same strings, in the same order."""
    stack = rec["stack"]
    check(name + "-stack-present", rec["have"] & HAVE_STACK and rec["stack_depth"] > 0
          and rec["stack_status"] == 0, "stack depth %d status %d" % (rec["stack_depth"],
                                                                      rec["stack_status"]))
    # an address no listed symbol holds is "?", not the last vmlinux symbol a megabyte below it
    offsets = [(s, re.match(r"[^+]+\+0x([0-9a-f]+)/", s)) for s in stack]
    far = [s for s, m in offsets if m and int(m.group(1), 16) >= 1 << 20]
    check(name + "-stack-frames-named", not far, "frames far past their symbol: %s" % far[:3])
    ri = [i for i, s in enumerate(stack) if s.split("+")[0] == anchor]
    ki = [i for i, s in enumerate(x["trace"]) if s.split("+")[0] == anchor]
    if not ri and anchor == "__alloc_pages":	# 6.10+: __alloc_pages_noprof
        return check_stack(name, rec, x, "__alloc_pages_noprof")
    if not ri or not ki:
        not_ok(name + "-stack-matches-trace", "no %s frame: record %s, kernel %s" % (
            anchor, stack[:4], x["trace"][:8]))
        return
    # the frame of ANCHOR called from its caller is the last one
    mine = stack[ri[0] + 1:]
    theirs = x["trace"][ki[-1] + 1:ki[-1] + 1 + len(mine)]
    # A frame printed as "sym+0xN/0xN" (an offset equal to the size: the first byte after a
    # function) is a return probe's trampoline the unwinder did not recover: neither the
    # recorder nor oomsnap.ko may leave one in the kernel's own report.
    tramp = [s for s in x["trace"] if re.match(r".*\+(0x[0-9a-f]+)/\1$", s)]
    check(name + "-kernel-trace-intact", not tramp,
          "the kernel's Call Trace shows a probe's trampoline: %s" % tramp)
    # the kernel may print fewer frames (it stops at the task's entry): compare what both have
    n = min(len(mine), len(theirs))
    info("%s stack below %s: record %s" % (name, anchor, mine[:6]))
    check(name + "-stack-matches-trace", n >= min(4, len(mine)) and mine[:n] == theirs[:n],
          "record %s, kernel %s" % (mine, theirs))


def check_zone_extra(name, rec, x, static_only=False):
    zones = {(z["node"], z["name"]): z for z in rec["zones"]}
    bad = []
    if static_only:
        # another event's report: only what does not change between the two (no boost, no
        # highatomic reserve, no free pages), and the watermarks
        for key, kz in x["zones"].items():
            z = zones.get(key)
            want = {"min": kz["min"], "low": kz["low"], "high": kz["high"]}
            if z is None or {k: z[k] for k in want} != want:
                bad.append("zone %s: record %s, report %s" % (key, z and {k: z[k] for k in want},
                                                              want))
    for key, ze in x["zone_extra"].items():
        z = zones.get(key)
        if z is None:
            bad.append("zone %s missing" % (key,))
            continue
        # an allocation failure's report is printed after the record was taken, while other
        # CPUs allocate: a fallback steal may raise the boost (or the highatomic reserve) in
        # between; OOM records are taken with the allocator stalled and compare exactly
        for k in ("managed", "present") if static_only else \
                ("managed", "present") if name == "alloc-failure" else \
                ("reserved_highatomic", "managed", "present", "boost"):
            if k in ze and z[k] != ze[k]:
                bad.append("%s/%s %s record %d report %d" % (key[0], key[1], k, z[k], ze[k]))
        res = x["reserve"].get(key)
        if res is None:
            bad.append("%s/%s: no lowmem_reserve line" % key)
            continue
        # the report prints lowmem_reserve[] by kernel zone index, in pages; the record by
        # enum oomsnap_zone_type: DMA DMA32 NORMAL (no HIGHMEM on x86-64) MOVABLE DEVICE
        want = res + [0] * (8 - len(res))
        got = z["lowmem_reserve"]
        mapped = [got[0], got[1], got[2], got[4], got[5]][:len(res)]
        if mapped != res:
            bad.append("%s/%s lowmem_reserve record %s report %s" % (key[0], key[1], mapped, res))
        del want
        if z["have"] & ZONE_HAVE_MT and not static_only:
            # per order, the migratetypes holding blocks ("(UME)" in the report's buddy line)
            # and, for uncapped lists, the sum over migratetypes equal to nr_free
            letters = x["mt"].get(key, [])
            diff = 0
            for o, kl in enumerate(letters):
                row = z["nr_free_mt"][o]
                mine = set(L for col, L in enumerate("UMEHCI") if row[col] > 0)
                if mine != set(kl):
                    diff += 1
                    info("%s %s/%s order %d: record types %s, report (%s)" % (
                        name, key[0], key[1], o, "".join(sorted(mine)), kl))
                if not z["mt_capped"][o] and sum(row) != z["nr_free"][o]:
                    bad.append("%s/%s order %d: migratetype counts sum to %d, nr_free %d" % (
                        key[0], key[1], o, sum(row), z["nr_free"][o]))
            if not letters or diff > len(letters) // 3:
                bad.append("%s/%s: migratetypes differ from the report in %d of %d orders" % (
                    key[0], key[1], diff, len(letters)))
    check(name + "-zone-reserves-managed", x["zone_extra"] and not bad, "; ".join(bad) or
          "no zone lines in the report")


def check_mem(name, rec, x):
    bad, n = [], 0
    for k, slot in MEM_NAMES.items():
        if k not in x["mem"]:
            continue
        if not rec["mem_have"] & (1 << slot):
            bad.append("%s not filled" % k)
            continue
        n += 1
        if not close(rec["mem"][slot], x["mem"][k]):
            bad.append("%s record %d report %d" % (k, rec["mem"][slot], x["mem"][k]))
    info("%s: %d show_mem counters compared" % (name, n))
    check(name + "-global-counters", n >= 10 and not bad, "; ".join(bad) or
          "only %d counters in the report" % n)


def check_task_mem(name, t, k, rss_from_parts=True):
    bad = []
    for f in ("total_vm", "rss_anon", "rss_file", "rss_shmem"):
        if f in k and abs(t[f] - k[f]) > TASK_TOLERANCE:
            bad.append("%s record %d kernel %d" % (f, t[f], k[f]))
    if "pgtables_bytes" in k and abs(t["pgtables_bytes"] - k["pgtables_bytes"]) > 64 * 4096:
        bad.append("pgtables record %d kernel %d" % (t["pgtables_bytes"], k["pgtables_bytes"]))
    for f in ("uid", "oom_score_adj"):
        if f in k and t[f] != k[f]:
            bad.append("%s record %d kernel %d" % (f, t[f], k[f]))
    return bad


def check_oom_details(name, rec, rep, x, memcg):
    check(name + "-header-order-gfp", rep["gfp_raw"] == rec["gfp_raw"] and
          rep["order"] == rec["order"],
          "record gfp 0x%x order %d, header '%s'" % (rec["gfp_raw"], rec["order"], rep["header"]))
    t = x["task"]
    # (not the CPU: the task may migrate between out_of_memory()'s entry and the report)
    check(name + "-requesting-task", t and rec["task"]["comm"] == t[1] and
          t[0] == rec["task"]["pid"],
          "record %s pid %d cpu %d, report %s" % (rec["task"]["comm"], rec["task"]["pid"],
                                                  rec["cpu"], t))
    check(name + "-constraint", x["constraint"] and
          CONSTRAINT_TOKENS.get(x["constraint"]) == rec["constraint"],
          "record %d, report %s" % (rec["constraint"], x["constraint"]))
    k = x["kill"]
    v = rec["victim"]
    if k:
        bad = check_task_mem(name, v, k)
        check(name + "-victim-memory", rec["have"] & HAVE_VICTIM and v["pid"] == k["pid"]
              and not bad, "; ".join(bad) or "victim %d vs killed %d" % (v["pid"], k["pid"]))
    else:
        not_ok(name + "-victim-memory", "no 'Killed process' line")
    check_stack(name, rec, x, "out_of_memory")
    if memcg:
        # a memcg OOM report prints no zones: the global OOM's report has the static ones
        glob = [r for r in x["all_reports"] if r["kind"] == "oom" and r["zones"]]
        gx = glob and dict(extra_for(glob[0], x["all_extras"]), zones=glob[0]["zones"])
        if gx:
            check_zone_extra(name, rec, gx, static_only=True)
        else:
            not_ok(name + "-zone-reserves-managed", "no global OOM report to compare with")
    else:
        check_zone_extra(name, rec, x)
        check_mem(name, rec, x)
    # top tasks: every one the kernel listed too must agree with its line of the task dump;
    # the kernel's largest task (global OOM: all tasks) must be among them
    check(name + "-tasks-captured", rec["have"] & HAVE_TASKS and rec["nr_tasks"] > 0
          and rec["tasks_status"] == 0, "nr_tasks %d status %d" % (rec["nr_tasks"],
                                                                    rec["tasks_status"]))
    bad, seen = [], 0
    for t in rec["tasks"]:
        kt = x["tasks"].get(t["pid"])
        if not kt:
            continue
        seen += 1
        rss = t["rss_anon"] + t["rss_file"] + t["rss_shmem"]
        if kt["comm"] != t["comm"][:len(kt["comm"])] or abs(kt["total_vm"] - t["total_vm"]) > \
                TASK_TOLERANCE or abs(kt["rss"] - rss) > TASK_TOLERANCE or \
                kt["oom_score_adj"] != t["oom_score_adj"]:
            bad.append("pid %d: record %s vm %d rss %d adj %d, kernel %s" % (
                t["pid"], t["comm"], t["total_vm"], rss, t["oom_score_adj"], kt))
        for f in ("rss_anon", "rss_file", "rss_shmem", "swapents", "uid", "tgid"):
            if f in kt and abs(kt[f] - t[f]) > (TASK_TOLERANCE if f.startswith("rss") else 0):
                bad.append("pid %d: %s record %d kernel %d" % (t["pid"], f, t[f], kt[f]))
    if x["tasks"] and not memcg:
        top = max(x["tasks"].items(), key=lambda kv: kv[1]["rss"])
        if top[0] not in [t["pid"] for t in rec["tasks"]]:
            bad.append("the kernel's largest task %d (%s, rss %d) is not in the record" % (
                top[0], top[1]["comm"], top[1]["rss"]))
    check(name + "-tasks-match-dump", seen and not bad, "; ".join(bad) or
          "no recorded task in the kernel's task dump")


def check_alloc_details(rec, rep, x):
    name = "alloc-failure"
    check_stack(name, rec, x, "warn_alloc")
    saved = e2e.ORDER_TOLERANCE
    e2e.ORDER_TOLERANCE = ALLOC_ORDER_TOLERANCE
    try:
        e2e.compare_zones(name, rec, rep)
    finally:
        e2e.ORDER_TOLERANCE = saved
    check_zone_extra(name, rec, x)
    check_mem(name, rec, x)
    check(name + "-tasks-status", rec["tasks_status"] == STATUS_ATOMIC_CONTEXT
          and not rec["have"] & HAVE_TASKS,
          "an atomic failure in a timer: want tasks_status ATOMIC_CONTEXT, got %d" %
          rec["tasks_status"])


def decode_raw(sections, name, rawjson):
    raw = base64.b64decode("".join(sections.get(name, ([], None))[0]))
    with tempfile.NamedTemporaryFile(suffix=".raw") as f:
        f.write(raw)
        f.flush()
        out = subprocess.run([rawjson, f.name], capture_output=True, text=True)
    return raw, out, [json.loads(l) for l in out.stdout.splitlines()]


HAVE_SLABS, HAVE_XEN, HAVE_SLABS_AGE = 1 << 9, 1 << 10, 1 << 13


def compare_with_module(b, m):
    """The module's record of the same event: what cannot change between the two captures must
    be equal, counters close; the parts BPF cannot reach are the only differences in 'have'."""
    bad = []
    for f in ("type", "page_size", "kernel_era", "gfp", "gfp_raw", "order", "highest_zone",
              "nodemask", "constraint", "in_irq", "memcg_path", "memcg_limit",
              "memcg_swap_limit", "nr_zones", "nr_mem", "walk_limit"):
        if b[f] != m[f]:
            bad.append("%s: bpf %s module %s" % (f, b[f], m[f]))
    # both probes of a memcg OOM fire at out_of_memory()'s entry, of a failure in the same
    # atomic context: same CPU (a global OOM's notifier may sleep before the module reads it)
    if b["type"] in (2, 3) and b["cpu"] != m["cpu"]:
        bad.append("cpu: bpf %d module %d" % (b["cpu"], m["cpu"]))
    want = m["have"] & ~(HAVE_SLABS | HAVE_XEN | HAVE_SLABS_AGE)
    if b["have"] != want:
        bad.append("have: bpf 0x%x module 0x%x" % (b["have"], m["have"]))
    for f in ("pid", "tgid", "uid", "comm", "oom_score_adj", "flags"):
        if b["task"][f] != m["task"][f]:
            bad.append("task.%s: bpf %s module %s" % (f, b["task"][f], m["task"][f]))
        if b["victim"][f] != m["victim"][f]:
            bad.append("victim.%s: bpf %s module %s" % (f, b["victim"][f], m["victim"][f]))
    for f in ("total_vm", "rss_anon", "rss_file", "rss_shmem", "swapents"):
        if abs(b["victim"][f] - m["victim"][f]) > TASK_TOLERANCE:
            bad.append("victim.%s: bpf %d module %d" % (f, b["victim"][f], m["victim"][f]))
    if b["mem_have"] != m["mem_have"]:
        bad.append("mem_have: bpf 0x%x module 0x%x" % (b["mem_have"], m["mem_have"]))
    for i, (x, y) in enumerate(zip(b["mem"], m["mem"])):
        if abs(x - y) > max(MODULE_TOLERANCE, max(x, y) // 20):
            bad.append("mem[%d]: bpf %d module %d" % (i, x, y))
    for zb, zm in zip(b["zones"], m["zones"]):
        for f in ("node", "zone_type", "name", "min", "low", "high", "managed", "present",
                  "spanned", "lowmem_reserve", "nr_orders"):
            if zb[f] != zm[f]:
                bad.append("zone %s %s: bpf %s module %s" % (zm["name"], f, zb[f], zm[f]))
        if zb["have"] != zm["have"] and zb["have"] != zm["have"] & ~ZONE_HAVE_MT:
            bad.append("zone %s have: bpf 0x%x module 0x%x" % (zm["name"], zb["have"],
                                                                 zm["have"]))
        if not close(zb["free"], zm["free"], e2e.FREE_TOLERANCE):
            bad.append("zone %s free: bpf %d module %d" % (zm["name"], zb["free"], zm["free"]))
    # the stacks: the module's frames from the hooked function down are the recorder's too
    ms = [f for f in m["stack"] if not f.startswith(("blocking_notifier", "oom_notify",
                                                     "notifier_call_chain"))]
    common = [f for f in b["stack"] if f in ms]
    if len(common) < min(4, len(ms)) or common != [f for f in ms if f in common]:
        bad.append("stack: bpf %s module %s" % (b["stack"][:6], m["stack"][:6]))
    if b["tasks_status"] == 0 and m["tasks_status"] == 0:
        bp = [t["pid"] for t in b["tasks"]]
        mp = [t["pid"] for t in m["tasks"]]
        if bp[:1] != mp[:1]:
            bad.append("largest task: bpf %s module %s" % (bp[:3], mp[:3]))
    elif b["tasks_status"] != m["tasks_status"]:
        bad.append("tasks_status: bpf %d module %d" % (b["tasks_status"], m["tasks_status"]))
    return bad


def nearest(rec, others, type_):
    cands = [o for o in others if o["type"] == type_]
    if not cands:
        return None
    best = min(cands, key=lambda o: abs(o["time_ns"] - rec["time_ns"]))
    return best if abs(best["time_ns"] - rec["time_ns"]) < 2 * 10**9 else None


def json_objects(lines):
    text, objs, pos = "\n".join(lines), [], 0
    dec = json.JSONDecoder()
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return objs
        obj, pos = dec.raw_decode(text, pos)
        objs.append(obj)


def main():
    if len(sys.argv) != 6:
        sys.exit("usage: check.py LOG PREFIX RAWJSON plain|lockdown READER")
    path, prefix, rawjson, boot, reader = sys.argv[1:]
    con = e2e.console.read(path)
    sections, infos = con.sections, con.infos
    e2e.results.extend(con.tests)
    check("guest-done", con.done, "the guest did not finish (see %s)" % path)
    b64, rc = sections.get("recorder-raw-base64", ([], None))
    records = []
    try:
        raw = base64.b64decode("".join(b64))
        with tempfile.NamedTemporaryFile(suffix=".raw") as f:
            f.write(raw)
            f.flush()
            out = subprocess.run([rawjson, f.name], capture_output=True, text=True)
        records = [json.loads(l) for l in out.stdout.splitlines()]
        check("raw-decodes", out.returncode == 0 and records and len(raw) % 18808 == 0,
              "rawjson exit %d, %d bytes, %s" % (out.returncode, len(raw), out.stderr[:200]))
    except (ValueError, OSError) as e:
        not_ok("raw-decodes", str(e))
    seqs = [r["seq"] for r in records]
    check("raw-seqs-increase", seqs and seqs == sorted(set(seqs)), "seqs %s" % seqs)
    page_size = records[0]["page_size"] if records else 4096
    dmesg = e2e.kreports.dmesg_lines(con.section("dmesg"))
    reports = e2e.kreports.parse(con.section("dmesg"), page_size // 1024, reader)
    extras = parse_extra(dmesg, page_size // 1024)
    for rep, x in zip(reports, extras):
        numbers_extra(x, rep["event"], page_size // 1024)
    for r in records:
        check("record-%d-common" % r["seq"], r["size"] == 18808 and r["slabs_status"] ==
              STATUS_ATOMIC_CONTEXT and r["xen_status"] == STATUS_NOT_XEN and r["nr_mem"] == 33
              and r["kernel_era"] >> 8 in (0x601, 0x60c) and r["walk_limit"] == 512,
              "size %d slabs_status %d xen_status %d nr_mem %d era 0x%x walk_limit %d" % (
                  r["size"], r["slabs_status"], r["xen_status"], r["nr_mem"], r["kernel_era"],
                  r["walk_limit"]))

    if records:
        if boot == "plain":
            e2e.check_alloc_failure(records, reports, infos)
            # the recorder walks every task for a memcg OOM (the module its group's own only)
            e2e.check_memcg_oom(records, reports, page_size, group_tasks=False)
        e2e.check_global_oom(records, reports)

    # field by field against the report of each event
    for type_, kind, name, memcg in ((1, "oom", "global-oom", False),
                                     (2, "oom", "memcg-oom", True)):
        recs = [r for r in records if r["type"] == type_]
        if not recs or (boot == "lockdown" and memcg):
            continue
        rec = recs[0]
        rep = e2e.report_for(rec, reports, kind)
        x = rep and extra_for(rep, extras)
        if not x:
            not_ok(name + "-report-details", "no kernel report for record #%d" % rec["seq"])
            continue
        x["all_reports"], x["all_extras"] = reports, extras
        check_oom_details(name, rec, rep, x, memcg)
        if memcg:
            sw = x["swap"]
            lim = rec["memcg_swap_limit"]
            # explain says "max" (the kernel prints PAGE_COUNTER_MAX) as a null limit
            check(name + "-swap", sw and rec["have"] & HAVE_MEMCG and sw[0] ==
                  rec["memcg_swap_usage"] and (lim == sw[1] or (lim == 2**64 - 1 and
                                                               sw[1] is None)),
                  "record swap %d/%d, report %s" % (rec["memcg_swap_usage"], lim, sw))
    if boot == "plain":
        recs = [r for r in records if r["type"] == 3]
        rep = recs and report_for(recs[0], reports, "alloc")
        x = rep and extra_for(rep, extras)
        if x:
            check_alloc_details(recs[0], rep, x)
        else:
            not_ok("alloc-failure-report-details", "no kernel report for the failure")

    # the reader reads the recorder's file unchanged
    listed = None
    try:
        listed = json_objects(sections.get("bpf-list-json", ([], None))[0])[0]["events"]
        check("reader-lists-recorder-file", [e["seq"] for e in listed] == seqs,
              "reader lists %s, raw holds %s" % ([e["seq"] for e in listed], seqs))
    except (ValueError, IndexError, KeyError, TypeError) as e:
        not_ok("reader-lists-recorder-file", str(e))
    bad = []
    for r in records:
        tl, trc = sections.get("bpf-show-%d" % r["seq"], ([], None))
        if trc != 0 or not any("cause" in l for l in tl):
            bad.append("#%d: show exit %s, no cause line" % (r["seq"], trc))
        jl, jrc = sections.get("bpf-show-json-%d" % r["seq"], ([], None))
        try:
            j = json_objects(jl)[0]
            if e2e.find_key(j, "seq") != r["seq"] or not e2e.type_matches(
                    r["type"], e2e.find_key(j, "type")):
                bad.append("#%d: JSON seq/type %s/%s" % (r["seq"], e2e.find_key(j, "seq"),
                                                         e2e.find_key(j, "type")))
        except (ValueError, IndexError) as e:
            bad.append("#%d: JSON: %s" % (r["seq"], e))
    check("reader-shows-and-explains-recorder-records", records and not bad, "; ".join(bad))

    # --json straight from the recorder (a second recorder instance, --count 2 or 1)
    try:
        live = json_objects(sections.get("recorder-json", ([], None))[0])
        n = 2 if boot == "plain" else 1
        want = [r["type"] for r in records][:n]
        got = [e2e.find_key(o, "type") for o in live]
        check("recorder-json", len(live) == n and len(want) == n and all(
            e2e.type_matches(t, g) for t, g in zip(want, got)),
            "recorder --json gave %s, the raw file's first records are types %s" % (got, want))
    except (ValueError, IndexError) as e:
        not_ok("recorder-json", str(e))

    # counters
    st = {}
    for l in sections.get("recorder-stats", ([], None))[0]:
        p = l.split()
        if len(p) == 2 and p[1].isdigit():
            st[p[0]] = int(p[1])
    check("recorder-stats", st.get("captured") == len(records) and st.get("written") ==
          len(records) and st.get("oom", 0) >= 1 and st.get("victims_joined", 0) >= 1 and
          st.get("skipped_busy") == 0 and (boot == "lockdown" or (
              st.get("memcg_oom", 0) >= 1 and st.get("alloc_failure", 0) >= 1)),
          "stats %s, %d records" % (st, len(records)))

    if boot == "plain":
        # the module saw the same events: same counts, same diagnosis
        ms = {}
        for l in sections.get("module-stats", ([], None))[0]:
            p = l.split()
            if len(p) == 2 and p[1].isdigit():
                ms[p[0]] = int(p[1])
        check("counters-match-module", st and ms and all(ms.get(k) == st.get(k) for k in
                                           ("oom", "memcg_oom", "victims", "victims_joined")),
              "module %s, recorder %s" % ({k: ms.get(k) for k in ("oom", "memcg_oom", "victims",
                                                                   "victims_joined")},
                                          {k: st.get(k) for k in ("oom", "memcg_oom", "victims",
                                                                  "victims_joined")}))
        try:
            mod = json_objects(sections.get("module-list-json", ([], None))[0])[0]["events"]
            bad, n = [], 0
            for e in listed or []:
                r = [x for x in records if x["seq"] == e["seq"]][0]
                mt = {"oom": 1, "memcg_oom": 2, "alloc_failure": 3}
                cands = [m for m in mod if mt.get(m["type"], e2e.EVENT_NAMES and -1) == r["type"]
                         or e2e.type_matches(r["type"], m["type"])]
                if not cands:
                    bad.append("#%d (%s): the module has no such event" % (e["seq"], e["type"]))
                    continue
                m = min(cands, key=lambda m: abs(m["time_ns"] - r["time_ns"]))
                n += 1
                info("diagnosis #%d %s: recorder %s, module #%d %s (dt %+d us)" % (
                    e["seq"], e["type"], e["cause"], m["seq"], m["cause"],
                    (r["time_ns"] - m["time_ns"]) // 1000))
                if abs(m["time_ns"] - r["time_ns"]) > 10**9 or m["cause"] != e["cause"]:
                    bad.append("#%d %s: recorder %s, module #%d %s" % (
                        e["seq"], e["type"], e["cause"], m["seq"], m["cause"]))
            check("diagnosis-matches-module", n >= 3 and not bad, "; ".join(bad) or
                  "only %d events compared" % n)
        except (ValueError, IndexError, KeyError, TypeError) as e:
            not_ok("diagnosis-matches-module", str(e))
        try:
            _, out, mrecs = decode_raw(sections, "module-raw-base64", rawjson)
            n, bad = 0, []
            for r in records:
                m = nearest(r, mrecs, r["type"])
                if not m:
                    bad.append("#%d: no module record of the same event" % r["seq"])
                    continue
                n += 1
                diffs = compare_with_module(r, m)
                if diffs:
                    bad.append("#%d vs module #%d: %s" % (r["seq"], m["seq"], "; ".join(diffs)))
            check("records-match-module", n == len(records) and n >= 3 and not bad,
                  " | ".join(bad) or "%d records compared" % n)
        except (ValueError, OSError) as e:
            not_ok("records-match-module", str(e))
    else:
        ld = " ".join(sections.get("lockdown", ([], None))[0])
        check("lockdown-integrity", "[integrity]" in ld, "lockdown: %s" % ld)

    bad = [t for _, t in dmesg if e2e.BAD_KERNEL.search(t)]
    check("kernel-log-clean", dmesg and not bad, "; ".join(bad[:3]) or "no dmesg captured")

    return e2e.print_results(prefix)


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
