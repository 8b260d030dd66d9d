#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) The tcpwrappers authors
"""check.py FILE - every line of FILE is one tcpdmatch answer object as tcpdmatch(8) documents
it (schema tcpdmatch-answer/1).  Prints one "FAIL" line per bad line; exits 1 if any."""
import json
import sys

DECISION = {"request": str, "daemon": str, "server": str, "user": str, "client": str,
            "verdict": str, "file": (str, type(None)), "line": int, "rule": (str, type(None)),
            "options": list, "lookups": list, "warnings": list}
ERROR = {"request": str, "error": str}


def check(obj):
    if not isinstance(obj, dict):
        return "not an object"
    shape = ERROR if "error" in obj else DECISION
    if set(obj) != set(shape):
        return "keys %s, expected %s" % (sorted(obj), sorted(shape))
    for k, t in shape.items():
        if not isinstance(obj[k], t) or isinstance(obj[k], bool):
            return "%s: wrong type" % k
    if shape is ERROR:
        return None
    if obj["verdict"] not in ("granted", "denied", "delegated"):
        return "verdict %r" % obj["verdict"]
    if (obj["file"] is None) != (obj["line"] == 0) or obj["line"] < 0:
        return "file and line disagree"
    if obj["rule"] is not None and obj["file"] is None:
        return "a rule without a file"
    if not all(isinstance(s, str) for s in obj["options"] + obj["warnings"]):
        return "options/warnings: not strings"
    for lk in obj["lookups"]:
        if not isinstance(lk, dict) or set(lk) != {"what", "result"} or \
                not all(isinstance(v, str) for v in lk.values()):
            return "bad lookup %r" % (lk,)
    return None


bad = 0
with open(sys.argv[1], encoding="ascii") as f:
    for n, line in enumerate(f, 1):
        try:
            why = check(json.loads(line))
        except ValueError as e:
            why = "not JSON: %s" % e
        if why:
            bad += 1
            print("FAIL %s line %d: %s: %s" % (sys.argv[1], n, why, line.rstrip()))
sys.exit(1 if bad else 0)
