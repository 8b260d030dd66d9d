#!/usr/bin/env python3
"""gen-tables.py DIR - write the benchmark's tables into DIR.

fail2ban/DenyHosts style hosts.deny tables of N lines, "sshd: ADDR" (DenyHosts) and
"ALL: ADDR" (fail2ban), for N in 0, 10, 1,000, 10,000, 100,000, 1,000,000; line i holds
10.A.B.C with i+1 = A*65536 + B*256 + C, so the first line is 10.0.0.1 and the last is known.
Debian "/path" lists ("sshd: /path" naming a file of N addresses), a realistic 40-rule admin
table (hosts.allow + hosts.deny), and an empty table.  The addresses are table contents only:
the benchmark sends no traffic to them.
"""
import os
import sys

SIZES = [0, 10, 1000, 10000, 100000, 1000000]


def addr(i):
    n = i + 1
    return "10.%d.%d.%d" % (n >> 16, (n >> 8) & 255, n & 255)


def write(path, lines):
    with open(path, "w") as f:
        f.writelines(lines)


def main():
    out = os.path.abspath(sys.argv[1])  # /path patterns must be absolute
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, "empty"), [])
    for n in SIZES:
        for style, daemon in (("sshd", "sshd"), ("all", "ALL")):
            write(os.path.join(out, "deny-%s-%d" % (style, n)),
                  ("%s: %s\n" % (daemon, addr(i)) for i in range(n)))
    for n in (1000, 100000):
        lst = os.path.join(out, "list-%d" % n)
        write(lst, ("%s\n" % addr(i) for i in range(n)))
        write(os.path.join(out, "deny-path-%d" % n), ["sshd: %s\n" % lst])
    allow = [
        "# hosts.allow of a small site: 24 rules\n",
        "sshd: 192.0.2.0/255.255.255.0\n",
        "sshd: 198.51.100.10 198.51.100.11 198.51.100.12\n",
        "sshd: [2001:db8:1::]/48\n",
        "sshd: .admin.example.com\n",
        "sshd: 203.0.113.\n",
        "imapd, pop3d: 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16\n",
        "imapd, pop3d: .mail.example.com\n",
        "smtpd: ALL\n",
        "in.ftpd: 192.0.2.64/26 EXCEPT 192.0.2.100\n",
        "in.tftpd: 10.1.2.0/24\n",
        "rsync: 192.0.2.50 192.0.2.51\n",
        "nrpe: 127.0.0.1 [::1]\n",
        "snmpd: 10.20.0.0/16\n",
        "cupsd: LOCAL\n",
        "mysqld: 10.30.0.5 10.30.0.6\n",
        "postgres: 10.30.0.0/24\n",
        "slapd: .example.com EXCEPT .guest.example.com\n",
        "ntpd: ALL EXCEPT 198.51.100.0/24\n",
        "portmap, lockd: 127.0.0.1\n",
        "mountd: 10.40.0.0/255.255.0.0\n",
        "statd: 10.40.0.0/16\n",
        "nfsd: 10.40.0.0/16\n",
        "git-daemon: 192.0.2.0/24 198.51.100.0/24\n",
        "vsftpd: 198.51.100.\n",
    ]
    deny = ["# hosts.deny of a small site: 16 rules\n"]
    deny += ["sshd: 203.0.113.%d\n" % (60 + i) for i in range(10)]
    deny += [
        "ALL: 198.51.100.200 198.51.100.201\n",
        "in.telnetd, rlogind, rshd: ALL\n",
        "ALL: .spam.example.net\n",
        "ALL: [2001:db8:bad::]/48\n",
        "ALL EXCEPT sshd: 192.0.2.250\n",
        "vsftpd: 203.0.113.0/24\n",
    ]
    write(os.path.join(out, "admin.allow"), allow)
    write(os.path.join(out, "admin.deny"), deny)


main()
