#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The host side of the guest grammar (tests/lib/guest.sh, whose header defines it): read a
guest's console log into its verdicts, infos, figures, kernel-log excerpts and sections.

As a module (the Python judges import it):
    c = console.read(LOG)
    c.lines      every console line, without \\r
    c.tests      [(good, NAME, WHY)] of the OOMSNAP-TEST lines
    c.infos      [TEXT] of OOMSNAP-INFO
    c.figures    [(NAME, VALUE)] of OOMSNAP-FIGURE
    c.dmesg      [TEXT] of OOMSNAP-DMESG
    c.sections   {NAME: (lines, rc)}; rc is None for a section cut off before its END
    c.done       whether /init printed OOMSNAP-GUEST-DONE

As a command (the shell runners):
    console.py split LOG DIR        each section into DIR/NAME (its exit status in
                                    DIR/NAME.rc when it has one)
    console.py results LOG PREFIX   the guest's verdicts as "ok - PREFIXNAME" /
                                    "not ok - PREFIXNAME: WHY", its infos as "# TEXT" (stdout),
                                    its excerpts as "    TEXT" (stderr)
    console.py figures LOG PREFIX   "figure PREFIX NAME VALUE" per figure
"""
import os
import re
import sys

TEST = re.compile(r"^OOMSNAP-TEST: (ok|not ok) (.*?)(?: - (.*))?$")
BEGIN = re.compile(r"^OOMSNAP-BEGIN: ([A-Za-z0-9._-]+)$")
END = re.compile(r"^OOMSNAP-END: ([A-Za-z0-9._-]+) rc=(\d+)$")


class Console:
    def __init__(self, lines):
        self.lines = lines
        self.tests, self.infos, self.figures, self.dmesg = [], [], [], []
        self.sections = {}
        self.done = any(l.startswith("OOMSNAP-GUEST-DONE") for l in lines)
        cur = None
        for l in lines:
            if cur is not None:
                m = END.match(l)
                if m and m.group(1) == cur:
                    self.sections[cur] = (self.sections[cur][0], int(m.group(2)))
                    cur = None
                else:
                    self.sections[cur][0].append(l)
                continue
            m = BEGIN.match(l)
            if m:
                cur = m.group(1)
                self.sections[cur] = ([], None)
                continue
            m = TEST.match(l)
            if m:
                self.tests.append((m.group(1) == "ok", m.group(2), m.group(3) or ""))
            elif l.startswith("OOMSNAP-INFO: "):
                self.infos.append(l[len("OOMSNAP-INFO: "):])
            elif l.startswith("OOMSNAP-FIGURE: "):
                name, _, value = l[len("OOMSNAP-FIGURE: "):].partition(" ")
                self.figures.append((name, value))
            elif l.startswith("OOMSNAP-DMESG: "):
                self.dmesg.append(l[len("OOMSNAP-DMESG: "):])

    def section(self, name):
        """The lines of section NAME ([] when the guest printed none)."""
        return self.sections.get(name, ([], None))[0]


def read(path):
    with open(path, errors="replace") as f:
        return Console([l.rstrip("\r\n").replace("\r", "") for l in f])


def main(argv):
    if len(argv) != 4 or argv[1] not in ("split", "results", "figures"):
        sys.exit("usage: console.py split LOG DIR | results LOG PREFIX | figures LOG PREFIX")
    cmd, c = argv[1], read(argv[2])
    if cmd == "split":
        os.makedirs(argv[3], exist_ok=True)
        for name, (lines, rc) in c.sections.items():
            with open(os.path.join(argv[3], name), "w") as f:
                f.write("".join(l + "\n" for l in lines))
            if rc is not None:
                with open(os.path.join(argv[3], name + ".rc"), "w") as f:
                    f.write("%d\n" % rc)
    elif cmd == "results":
        prefix = argv[3]
        for good, name, why in c.tests:
            print(("ok - %s%s" % (prefix, name)) if good
                  else ("not ok - %s%s: %s" % (prefix, name, why)))
        for text in c.infos:
            print("# " + text)
        for text in c.dmesg:
            print("    " + text, file=sys.stderr)
    else:
        for name, value in c.figures:
            print("figure %s %s %s" % (argv[3], name, value))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
