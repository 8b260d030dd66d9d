#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) The tcpwrappers authors
"""gen.py DIR N SEED - a random corpus for the answers suite: DIR/hosts.allow, DIR/hosts.deny
and DIR/requests (N lines "daemon[@server] [user@]client").

Rules mix every pattern kind the index handles (exact addresses, n.n. prefixes, IPv4 and
IPv6 nets) with ones it does not (EXCEPT lists, user@ patterns, daemon@server, options that
allow, deny, set things or twist), so that the resident path (--batch) and the one-shot path
(one tcpdmatch per request) both get exercised.  No host names: the suite needs no DNS."""
import random
import sys

DAEMONS = ["sshd", "in.ftpd", "vsftpd", "smtpd", "imapd", "rsync", "tftpd"]
USERS = ["alice", "bob", "root"]


def v4(rng):
    return "192.0.2.%d" % rng.randrange(256) if rng.random() < 0.5 else \
        "198.51.100.%d" % rng.randrange(256)


def v6(rng):
    return "2001:db8::%x" % rng.randrange(1, 0xffff)


def client_pattern(rng):
    r = rng.random()
    if r < 0.3:
        return v4(rng)
    if r < 0.45:
        return rng.choice(["192.0.2.", "198.51.100.", "198.51."])
    if r < 0.6:
        return rng.choice(["192.0.2.0/24", "192.0.2.128/25", "198.51.100.0/255.255.255.192",
                           "198.51.100.64/26"])
    if r < 0.7:
        return rng.choice(["[2001:db8::]/32", "[2001:db8::]/120", "[%s]" % v6(rng)])
    if r < 0.8:
        return "%s@%s" % (rng.choice(USERS), rng.choice(["192.0.2.0/24", "ALL"]))
    if r < 0.95:
        return "ALL EXCEPT %s" % v4(rng)
    return "ALL"


def daemon_list(rng):
    r = rng.random()
    if r < 0.6:
        return ",".join(rng.sample(DAEMONS, rng.randrange(1, 3)))
    if r < 0.7:
        return "%s@127.0.0.1" % rng.choice(DAEMONS)
    if r < 0.85:
        return "ALL EXCEPT %s, unlisted" % rng.choice(DAEMONS)
    return rng.choice(DAEMONS).upper()


def options(rng):
    r = rng.random()
    if r < 0.6:
        return ""
    return " : " + rng.choice(["allow", "deny", "severity auth.info", "spawn /bin/echo %d %a",
                               "setenv X %c : allow", "twist /bin/echo no", "nice 5 : deny",
                               "keepalive", "linger 3"])


def table(rng, n):
    lines = []
    for _ in range(n):
        if rng.random() < 0.05:
            lines.append("# comment")
        lines.append("%s : %s%s" % (daemon_list(rng), ", ".join(
            client_pattern(rng) for _ in range(rng.randrange(1, 3))), options(rng)))
    return "\n".join(lines) + "\n"


def request(rng):
    if rng.random() < 0.05:
        return "unlisted %s" % v6(rng)
    d = rng.choice(DAEMONS)
    if rng.random() < 0.1:
        d += "@127.0.0.1"
    c = v4(rng) if rng.random() < 0.8 else v6(rng)
    if rng.random() < 0.1:
        c = rng.choice(["unknown", "paranoid"])
    if rng.random() < 0.2:
        c = "%s@%s" % (rng.choice(USERS), c)
    return "%s %s" % (d, c)


def main():
    out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    with open(out + "/hosts.allow", "w") as f:
        f.write(table(rng, 12))
    with open(out + "/hosts.deny", "w") as f:
        f.write(table(rng, 30) + "ALL : 198.51.100.0/24\n")
    # no rule for "unlisted" from 2001:db8:: in either table: granted by default
    with open(out + "/requests", "w") as f:
        for _ in range(n):
            f.write(request(rng) + "\n")


main()
