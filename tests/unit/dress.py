#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Re-dress every fixture the ways kernel logs reach people; explain must not care.

    dress.py OOMSNAP FIXTURE.log...        one "ok"/"not ok" line per dressing
    dress.py --write STYLE FIXTURE.log     print one dressing (to look at it)

Each fixture is taken back to its messages (the prefix it was saved with
removed; a line without a prefix in a prefixed log is a wrap of the line
before and is joined back, as the tool that printed it never wrapped),
then printed again in each style below. (Text after a blank line is the
poster's own, a message of its own, not a wrap.) `oomsnap --json explain` of every
dressing must give the same events as the fixture itself, field for field,
and each event's first and last line must be the dressed lines that hold
the fixture's first and last line of that report.
"""
import json
import re
import subprocess
import sys
import time

# How each fixture was saved: one of these prefixes, or none.
SAVED = re.compile(
    r"^(?:[ \t]*>+)*[ \t]*"                                          # mail quoting
    r"(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ kernel: )?"   # syslog / journal
    r"(?: *kernel: )?"                                              # the tag alone
    r"(?:kern  :\w+ *: )?"                                         # dmesg -x
    r"(?:<\d>)?"                                                   # console level
    r"(?:\[[ \d]+\.\d+\] ?|\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\] )?"
    r"(?: *\[\d+: +[^\]]*: *\d+\] )?")                                 # Android caller
T0 = 1722390972      # 2024-07-31 01:56:12 UTC
HOST = "web-01"


def stamped(line):
    """The line carries a prefix of its own, not only quoting."""
    m = SAVED.match(line)
    return m.end() > len(re.match(r"(?:[ \t]*>+)*[ \t]*", line).group(0))


def messages(path):
    """[(message, [fixture line numbers])] of a fixture."""
    lines = open(path, encoding="utf-8", errors="surrogateescape").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    prefixed = sum(1 for l in lines if stamped(l)) > len(lines) // 2
    out = []
    prev = ""
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        cut = SAVED.match(line).end()
        # a wrap continues a line; after a blank line text is the poster's own
        wrap = prefixed and not stamped(line) and out and prev.strip() and line.strip()
        prev = line
        if wrap:
            msg, nums = out[-1]
            cont = line.lstrip(" \t")
            out[-1] = (msg + " " + cont if msg else cont, nums + [n])
            continue
        out.append((line[cut:], [n]))
    return out


def stamp(i):
    return 1234.5 + i * 0.000013


def wall(i, fmt):
    return time.strftime(fmt, time.gmtime(T0 + int(stamp(i))))


def micros(i):
    return "%06d" % int(round((stamp(i) % 1) * 1e6))


# One physical line per message: STYLE(i, msg) -> line
LINE_STYLES = {
    "dmesg": lambda i, m: "[%12.6f] %s" % (stamp(i), m),
    "indent-2": lambda i, m: "  [%12.6f] %s" % (stamp(i), m),
    "indent-tab": lambda i, m: "\t[%12.6f] %s" % (stamp(i), m),
    "quote": lambda i, m: "> [%12.6f] %s" % (stamp(i), m),
    "quote-2": lambda i, m: ">> [%12.6f] %s" % (stamp(i), m),
    "quote-spaced": lambda i, m: "> > %s" % m,
    "dmesg-H": lambda i, m: ("[%s] %s" % (wall(i, "%b%d %H:%M"), m) if i == 0
                             else "[  +0.000013] %s" % m),
    "dmesg-d": lambda i, m: "[%12.6f <%12.6f>] %s" % (stamp(i), 0.000013 if i else 0, m),
    "dmesg-iso": lambda i, m: "%s,%s+00:00 %s" % (wall(i, "%Y-%m-%dT%H:%M:%S"), micros(i), m),
    "dmesg-T": lambda i, m: "[%s] %s" % (wall(i, "%a %b %e %H:%M:%S %Y"), m),
    "dmesg-T-de": lambda i, m: "[Mi %s] %s" % (wall(i, "%b %e %H:%M:%S %Y"), m),
    "dmesg-T-fr": lambda i, m: "[mer. juil. %s] %s" % (wall(i, "%e %H:%M:%S %Y"), m),
    "dmesg-color": lambda i, m: "\x1b[32m[%12.6f] \x1b[0m%s" % (stamp(i), colour_subsys(m)),
    "journal-short": lambda i, m: "%s %s kernel: %s" % (wall(i, "%b %e %H:%M:%S"), HOST, m),
    "journal-short-full": lambda i, m: "%s UTC %s kernel: %s" % (wall(i, "%a %Y-%m-%d %H:%M:%S"), HOST, m),
    "journal-short-monotonic": lambda i, m: "[%12.6f] %s kernel: %s" % (stamp(i), HOST, m),
    "journal-short-unix": lambda i, m: "%d.%s %s kernel: %s" % (T0 + int(stamp(i)), micros(i), HOST, m),
    "journal-short-iso": lambda i, m: "%s+0000 %s kernel: %s" % (wall(i, "%Y-%m-%dT%H:%M:%S"), HOST, m),
    "journal-short-iso-precise": lambda i, m: "%s.%s+00:00 %s kernel: %s" % (
        wall(i, "%Y-%m-%dT%H:%M:%S"), micros(i), HOST, m),
    "journal-short-precise": lambda i, m: "%s.%s %s kernel: %s" % (wall(i, "%b %e %H:%M:%S"), micros(i), HOST, m),
    "journal-cat": lambda i, m: m,
    "journal-json": lambda i, m: json.dumps({
        "__CURSOR": "s=8c2f;i=%x" % (0x4000 + i),
        "__REALTIME_TIMESTAMP": "%d%s" % (T0 + int(stamp(i)), micros(i)),
        "__MONOTONIC_TIMESTAMP": "%d" % int(stamp(i) * 1e6),
        "_TRANSPORT": "kernel", "PRIORITY": "4", "SYSLOG_FACILITY": "0",
        "SYSLOG_IDENTIFIER": "kernel", "MESSAGE": m, "_HOSTNAME": HOST,
        "_SOURCE_MONOTONIC_TIMESTAMP": "%d" % int(stamp(i) * 1e6)}, separators=(", ", " : ")),
    "journal-json-compact": lambda i, m: json.dumps({
        "__REALTIME_TIMESTAMP": "%d%s" % (T0 + int(stamp(i)), micros(i)),
        "MESSAGE": m, "_HOSTNAME": HOST}, separators=(",", ":")),
    "rfc5424": lambda i, m: "<4>1 %s.%s+00:00 %s kernel - - - %s" % (
        wall(i, "%Y-%m-%dT%H:%M:%S"), micros(i), HOST, m),
    "rfc5424-sd": lambda i, m: "<4>1 %s.%sZ %s kernel - - [timeQuality tzKnown=\"1\"] %s" % (
        wall(i, "%Y-%m-%dT%H:%M:%S"), micros(i), HOST, m),
    "messages": lambda i, m: "%s %s kernel: [%12.6f] %s" % (wall(i, "%b %e %H:%M:%S"), HOST, stamp(i), m),
    "messages-facility": lambda i, m: "%s %s kernel: [%12.6f] %s" % (
        wall(i, "%b %e %H:%M:%S"), HOST + " kern.warn", stamp(i), m),
    "serial-console": lambda i, m: "%s.%s [%12.6f] %s" % (wall(i, "%b %e %H:%M:%S"), micros(i), stamp(i), m),
    "remote-log": lambda i, m: "10.0.0.5: kern: warning: [%s.%sZ]: %s" % (
        wall(i, "%Y-%m-%dT%H:%M:%S"), micros(i)[:3], m),
}


def colour_subsys(m):
    """dmesg --color=always: the text up to the first ": " in yellow."""
    k = m.find(": ")
    if k <= 0:
        return m
    return "\x1b[33m%s\x1b[0m%s" % (m[:k + 1], m[k + 1:])


def dress(style, msgs):
    """Dressed lines and, for each fixture line, the dressed line holding it."""
    out, where = [], {}
    if style == "rsyslog-012":
        # rsyslog escapes the newlines of a multi-line record as #012:
        # every three messages arrive as one record
        for k in range(0, len(msgs), 3):
            group = msgs[k:k + 3]
            text = "#012".join(m for m, _ in group)
            out.append("%s %s kernel: %s" % (wall(k, "%b %e %H:%M:%S"), HOST, text))
            for _, nums in group:
                for n in nums:
                    where[n] = len(out)
        return out, where
    if style in ("header-wrap", "header-wrap-cat"):
        for i, (m, nums) in enumerate(msgs):
            k = m.find("invoked oom-killer: ")
            head = "[%12.6f] " % stamp(i) if style == "header-wrap" else ""
            if k >= 0:
                out.append(head + m[:k + 19])
                where[nums[0]] = len(out)
                out.append(m[k + 20:])
            else:
                out.append(head + m)
            for n in nums:
                where.setdefault(n, len(out))
        return out, where
    if style == "previous-tail":
        # a paste that starts inside the report before: its last task rows
        tail = [
            "[  1817]     0  1817     2853      223    61440        0         -1000 systemd-udevd",
            "[  2202]  1000  2202   611204   451013  3928064        0             0 java",
            "Out of memory: Killed process 2202 (java) total-vm:2444816kB, anon-rss:1804052kB, "
            "file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:3836kB oom_score_adj:0",
            "oom_reaper: reaped process 2202 (java), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
        ]
        out = ["[%12.6f] %s" % (stamp(i), t) for i, t in enumerate(tail)]
        msgs_style = LINE_STYLES["dmesg"]
        for i, (m, nums) in enumerate(msgs):
            out.append(msgs_style(i + len(tail), m))
            for n in nums:
                where[n] = len(out)
        return out, where
    fmt = LINE_STYLES[style]
    for i, (m, nums) in enumerate(msgs):
        out.append(fmt(i, m))
        for n in nums:
            where[n] = len(out)
    return out, where


STYLES = list(LINE_STYLES) + ["rsyslog-012", "header-wrap", "header-wrap-cat", "previous-tail"]


def explain(tool, text):
    p = subprocess.run([tool, "--json", "explain", "-"], input=text.encode("utf-8", "surrogateescape"),
                       capture_output=True)
    try:
        return p.returncode, json.loads(p.stdout)
    except ValueError:
        return p.returncode, {"error": "not JSON: %r" % p.stdout[:100]}


def strip_lines(ev):
    """The event without "log": where it was (file, lines) and its stamp,
    which a dressing moves and rewrites; the lines are compared apart."""
    return {k: v for k, v in ev.items() if k != "log"}


def compare(style, base, got, where):
    """'' when the dressed answer is the fixture's, else what differs."""
    if "events" not in base and style == "previous-tail":
        return "" if len(got.get("events", [])) == 1 else "expected the tail's event alone"
    if "events" not in base:
        return "" if "events" not in got else "found events in a log without any"
    if "events" not in got:
        return "error: %s" % got.get("error")
    want, have = base["events"], got["events"]
    if style == "previous-tail":
        # the pasted tail is an event of its own, before the fixture's
        if len(have) != len(want) + 1:
            return "%d events, expected %d and the tail's" % (len(have), len(want))
        have = have[1:]
    if len(have) != len(want):
        return "%d events, expected %d" % (len(have), len(want))
    for k, (w, h) in enumerate(zip(want, have), 1):
        sw, sh = strip_lines(w), strip_lines(h)
        if sw != sh:
            diff = [key for key in sw if sw.get(key) != sh.get(key)]
            key = diff[0] if diff else "?"
            return "event %d %s: %s, expected %s" % (k, key, json.dumps(sh.get(key))[:160],
                                                     json.dumps(sw.get(key))[:160])
        for key in ("line", "last_line"):
            if h["log"][key] != where.get(w["log"][key]):
                return "event %d %s %d, expected %s (fixture line %d)" % (
                    k, key, h["log"][key], where.get(w["log"][key]), w["log"][key])
    return ""


def main(argv):
    if argv[1] == "--write":
        lines, _ = dress(argv[2], messages(argv[3]))
        sys.stdout.write("\n".join(lines) + "\n")
        return 0
    tool, fixtures = argv[1], argv[2:]
    bad = 0
    results = {s: [] for s in STYLES}
    for f in fixtures:
        base_rc, base = explain(tool, open(f, encoding="utf-8", errors="surrogateescape").read())
        msgs = messages(f)
        for style in STYLES:
            lines, where = dress(style, msgs)
            rc, got = explain(tool, "\n".join(lines) + "\n")
            why = "exit %d (sanitizer)" % rc if rc >= 90 else compare(style, base, got, where)
            if why:
                results[style].append("%s: %s" % (f.rsplit("/", 1)[-1], why))
    for style in STYLES:
        if results[style]:
            bad += 1
            print("not ok - dress-%s: %d of %d fixtures: %s" % (
                style, len(results[style]), len(fixtures), "; ".join(results[style][:3])))
        else:
            print("ok - dress-%s (%d fixtures)" % (style, len(fixtures)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
