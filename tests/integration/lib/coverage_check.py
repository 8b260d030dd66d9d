#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) The tcpwrappers authors
"""coverage_check.py FILE EXPECT - check one `tcpdchk --coverage --json` document.

FILE must follow the schema tcpdchk(8) documents ("tcpdchk-coverage/1"); EXPECT is a file
of expectations, one per line:
  listener PROTO PORT ENFORCEMENT KIND NAMES RULES   (KIND: ours|other|-; NAMES, RULES:
                                                    comma-separated, or -; RULES as FILE:LINE)
  dead FILE LINE DAEMON                               (exactly these dead rules, no others)
  unknown-note TEXT                                   (some listener is unknown, a note says TEXT)
Prints "ok ..." or "FAIL ..." per check and ends with "N passed, N failed"."""
import json
import sys

ENFORCEMENTS = {"none", "unknown", "libwrap", "preload", "tcpd", "listen"}
LISTENER = {"proto": str, "address": str, "port": int, "pid": (int, type(None)),
            "program": (str, type(None)), "enforcement": str, "library": (str, type(None)),
            "library_kind": (str, type(None)), "daemon_names": list, "rules": list,
            "notes": list}
DEAD = {"file": str, "line": int, "daemon": str}
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok    " + name)
    else:
        failed += 1
        print("FAIL  %s %s" % (name, detail))


def typed(obj, shape):
    return isinstance(obj, dict) and set(obj) == set(shape) and all(
        isinstance(obj[k], t) and not isinstance(obj[k], bool) for k, t in shape.items())


def schema(doc):
    if not isinstance(doc, dict) or set(doc) != {"schema", "complete", "tables", "listeners",
                                                 "dead_rules"}:
        return "top-level keys"
    if doc["schema"] != "tcpdchk-coverage/1" or not isinstance(doc["complete"], bool):
        return "schema/complete"
    if not isinstance(doc["tables"], list) or not all(isinstance(t, str) for t in doc["tables"]):
        return "tables"
    for l in doc["listeners"]:
        if not typed(l, LISTENER):
            return "listener %r" % l
        if l["enforcement"] not in ENFORCEMENTS or l["proto"] not in ("tcp", "tcp6", "udp", "udp6"):
            return "listener values %r" % l
        if l["library_kind"] not in (None, "ours", "other"):
            return "library_kind %r" % l
        for k in ("daemon_names", "rules", "notes"):
            if not all(isinstance(s, str) for s in l[k]):
                return "%s of %r" % (k, l)
        if not 0 < l["port"] < 65536:
            return "port %r" % l
    for d in doc["dead_rules"]:
        if not typed(d, DEAD):
            return "dead rule %r" % d
    # the unprotected first
    order = ["none", "unknown"]
    seen = [l["enforcement"] for l in doc["listeners"]]
    ranks = [order.index(e) if e in order else 2 for e in seen]
    if ranks != sorted(ranks):
        return "not sorted unprotected first: %r" % seen
    return None


def main():
    with open(sys.argv[1]) as f:
        text = f.read()
    try:
        doc = json.loads(text)
    except ValueError as e:
        check("the document is JSON", False, str(e))
        print("%d passed, %d failed" % (passed, failed))
        return
    why = schema(doc)
    check("the document follows tcpdchk-coverage/1", why is None, why or "")
    if why:
        print("%d passed, %d failed" % (passed, failed))
        return
    want_dead = set()
    for line in open(sys.argv[2]):
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        if w[0] == "listener":
            proto, port, enf, kind, names, rules = w[1], int(w[2]), w[3], w[4], w[5], w[6]
            found = [l for l in doc["listeners"] if l["proto"] == proto and l["port"] == port]
            if not found:
                check("%s %d is listed" % (proto, port), False)
                continue
            l = found[0]
            got = (l["enforcement"], l["library_kind"] or "-", ",".join(l["daemon_names"]) or "-",
                   ",".join(l["rules"]) or "-")
            check("%s %d (%s): %s %s names %s rules %s" % (proto, port, l["program"], enf, kind,
                                                         names, rules),
                  got == (enf, kind, names, rules), "got %r; notes %r" % (got, l["notes"]))
        elif w[0] == "dead":
            want_dead.add((w[1], int(w[2]), " ".join(w[3:])))
        elif w[0] == "unknown-note":
            text = " ".join(w[1:])
            check("some listener is unknown because: " + text,
                  any(l["enforcement"] == "unknown" and any(text in n for n in l["notes"])
                      for l in doc["listeners"]),
                  repr([l for l in doc["listeners"] if l["enforcement"] == "unknown"][:2]))
    if want_dead:
        got = {(d["file"], d["line"], d["daemon"]) for d in doc["dead_rules"]}
        check("dead rules are exactly %r" % sorted(want_dead), got == want_dead,
              "got %r" % sorted(got))
    print("%d passed, %d failed" % (passed, failed))


main()
sys.exit(1 if failed else 0)
