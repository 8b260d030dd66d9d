#!/usr/bin/env python3
"""gen.py - random rule tables and requests for the decision differential.

    gen.py SEED FIRST COUNT > cases.txt

Writes COUNT cases, numbered FIRST..FIRST+COUNT-1, in the case-file format of
tests/abi/cases.txt (read by tests/abi/decide.c).  Case n depends only on (SEED, n), so any
case can be regenerated alone: `gen.py SEED n 1`.  The expectation field of each case is "?":
the reference decides, the comparator (compare.py) checks that ours decides the same.

The tables are drawn from the whole classic language, valid and invalid: every daemon and
client pattern kind, EXCEPT nesting, port patterns, daemon@host, user@host, /file lists,
options (allow, deny, severity, setenv, spawn writing a file, rfc931, umask, keepalive,
linger, nice, banners), % expansions, comments, continuations, CRLF, long lines around the 2047-byte
limit, a missing final newline, malformed masks and brackets, stray bytes.  Requests carry
IPv4, IPv6 (also with a %scope) and IPv4-mapped addresses (as strings and/or socket
addresses), known, unknown and paranoid names, preset users or ident answers, now and then an
invalid request key, and sometimes use hosts_ctl() or several calls.

Not generated: %p (the pid differs between the two runs), twist and aclexec (they replace or
fork the process: pinned in tests/abi/cases.txt instead), user/group (O1: they change the
process ids outside dry run, by design).
"""
import random
import sys

V4 = ["192.0.2.1", "192.0.2.10", "192.0.2.66", "192.0.2.255", "198.51.100.20",
      "198.51.100.7", "203.0.113.30", "203.0.113.200", "10.0.0.1", "127.0.0.1", "0.0.0.0"]
V6 = ["2001:db8::1", "2001:db8::10", "2001:db8::66", "2001:db8:1::5", "2001:db8:0:0:0:0:0:10",
      "2001:DB8::A", "::1", "fe80::1", "2001:db8:ffff::ffff"]
NAMES = ["trusted.example.com", "host1.example.com", "HOST1.Example.COM", "a.example.org",
         "example.com", "localhost", "mail", "x.example.com.", "192.0.2.evil.example",
         "1.2.3.evil.com", "host-2.example.net", "aexample.com", "sub.a.example.org", "h"]
DAEMONS = ["sshd", "in.telnetd", "vsftpd", "SSHD", "ftpd", "in.ftpd", "22", "sendmail",
           "@ng", "/usr/sbin/sshd", "unknown", "portmap"]
USERS = ["alice", "bob", "ALICE", "root", "unknown", "al.ice", "-x", "a b", "nobody"]
KEYWORDS = ["ALL", "KNOWN", "UNKNOWN", "PARANOID", "LOCAL", "FAIL", "all", "known",
            "unknown", "paranoid", "local"]
PCT = ["%a", "%A", "%c", "%d", "%h", "%H", "%n", "%N", "%s", "%u", "%%", "%r", "%R",
       "%x", "%"]
FACILITIES = ["kern", "user", "mail", "daemon", "auth", "lpr", "news", "uucp", "cron",
              "local0", "local7", "bogus", "LOCAL3"]
LEVELS = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", "INFO",
          "wrong"]


class Case:
    def __init__(self, rng, number):
        self.r = rng
        self.number = number
        self.files = {}      # name -> bytes
        self.lists = 0       # /file lists made so far
        self.spawns = 0

    # -- helpers -----------------------------------------------------------------------------
    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p):
        return self.r.random() < p

    def addr4(self):
        a = self.pick(V4)
        return a if not self.chance(0.05) else ".".join(str(self.r.randrange(256))
                                                         for _ in range(4))

    # -- host patterns -------------------------------------------------------------------------
    def v4_net(self):
        net = self.pick(["192.0.2.0", "198.51.100.0", "203.0.113.0", "192.0.2.1", "10.0.0.0",
                         "0.0.0.0", "0300.0.2.0", "0xc0.0.2.0", "192.0.2", "192.0.2.0.0",
                         "192.0.2.64", "127.0.0.0"])
        mask = self.pick(["24", "25", "26", "32", "8", "0", "33", "24x", "-1", "4294967320",
                          "255.255.255.0", "255.255.255.192", "255.255.255.255", "0.0.0.0",
                          "255.0.0.0", "255.255.0.255", "", "16"])
        return net + "/" + mask

    def v6_pat(self):
        a = self.pick(V6 + ["::ffff:192.0.2.10", "::ffff:192.0.2.0", "2001:db8::", "::",
                            "2001:db8::1%lo", "2001:db8::1%1", "not-v6", "1.2.3.4"])
        form = self.r.randrange(10)
        if form < 4:
            return "[%s]" % a
        if form < 8:
            return "[%s]/%s" % (a, self.pick(["0", "32", "64", "120", "126", "128", "129",
                                              "-1", "64x", "", "033"]))
        return self.pick(["[%s" % a, "%s]" % a, "[[%s]]" % a, "[]", "[%s]x" % a])

    def name_pat(self):
        form = self.r.randrange(9)
        n = self.pick(NAMES)
        if form == 0:
            return n
        if form == 1:
            return n.upper() if self.chance(0.5) else n.lower()
        if form == 2:
            return self.pick([".example.com", ".com", ".example.org", ".EXAMPLE.COM",
                              ".a.example.org", ".", ".h", ".evil.example"])
        if form == 3:
            return self.pick(["example.", "host1.", "trusted.", "a.", "192.0.2.evil."])
        if form == 4:
            return self.pick(["*.example.com", "host?.example.com", "*", "?", "**", "h*",
                              "*example*", "host**", "*.", "*.EXAMPLE.com"])
        if form == 5:
            return self.pick(["192.0.2.*", "192.0.2.?", "192.0.2.1?", "1.2.3.*", "*.2.*",
                              "19?.0.2.10", "2001:db8::*", "::ffff:192.0.2.*", "192.0.2.**"])
        if form == 6:
            return "@" + self.pick(["ng", "trusted", "", "NG"])
        if form == 7:
            return self.pick(["localhost", "LOCALHOST", "mail", "h", "unknown.", "x.example.com."])
        return self.addr4()[:self.r.randrange(1, 12)]

    def host_pat(self, depth=0):
        k = self.r.randrange(20)
        if k < 4:
            return self.addr4()
        if k < 5:
            return self.pick(V4)[:self.pick([4, 8, 10, 11])]   # "192.", "192.0.2." prefixes
        if k < 8:
            return self.v4_net()
        if k < 11:
            return self.v6_pat()
        if k < 15:
            return self.name_pat()
        if k < 18:
            return self.pick(KEYWORDS)
        if k < 19 and depth < 2:
            return self.file_list(depth)
        return self.pick(["::ffff:192.0.2.10", "2001:db8::1", "%", "EXCEPT", ",", "\\",
                          "a:b", "[::1]:x", "/", "\x01", "\xe9t\xe9"])

    def file_list(self, depth):
        """/path list: a file of whitespace-separated host patterns (no comments, no EXCEPT,
        no user@ in the reference)."""
        self.lists += 1
        if self.chance(0.1):
            return "@DIR@/missing%d" % self.lists
        name = "list%d" % self.lists
        words = []
        for _ in range(self.r.randrange(0, 6)):
            words.append(self.host_pat(depth + 1))
        sep = self.pick(["\n", " ", "\t", "\n\n", " \n"])
        text = sep.join(w for w in words if "\0" not in w)
        if self.chance(0.7):
            text += "\n"
        self.files[name] = text
        return "@DIR@/" + name

    def user_pat(self):
        return self.pick(USERS + ["ALL", "KNOWN", "UNKNOWN", "al*", "?ob", ".ice", "al.",
                                  "", "@ng"])

    def client_token(self):
        if self.chance(0.12):
            return "%s@%s" % (self.user_pat(), self.host_pat())
        return self.host_pat()

    # -- daemon patterns ------------------------------------------------------------------------
    def daemon_token(self):
        k = self.r.randrange(12)
        if k < 4:
            return self.pick(DAEMONS)
        if k < 6:
            return self.pick(["ALL", "KNOWN", "all", "LOCAL", "UNKNOWN"])
        if k < 7:
            return self.pick(["ss*", "s?hd", "*d", "in.", ".telnetd", "*", "SS?D", "in.*"])
        if k < 9:
            return self.pick(["22", "+22", "65536", "2022", "0", "22x", "-22", "4294967318",
                              "65535", "021"])
        if k < 11:
            host = self.pick([self.addr4(), self.v4_net(), self.v6_pat(), self.name_pat(),
                              "ALL", "LOCAL", "KNOWN", "UNKNOWN", "", "c@d"])
            return "%s@%s" % (self.pick(DAEMONS[:6] + ["ALL", "22"]), host)
        return self.pick(["@x", "/bin/x", "EXCEPT", "a]", "[b", "d@"])

    # -- lists with EXCEPT -------------------------------------------------------------------
    def token_list(self, token, max_len):
        seps = [" ", ", ", ",", "\t", " , ", "  ", "\r"]
        parts = []
        n = self.r.randrange(0 if self.chance(0.03) else 1, max_len + 1)
        for i in range(n):
            if i and self.chance(0.15):
                parts.append(self.pick(["EXCEPT", "except", "Except"]))
            parts.append(token())
        if self.chance(0.03):
            parts.insert(0, "EXCEPT")
        if self.chance(0.03):
            parts.append("EXCEPT")
        out = ""
        for i, p in enumerate(parts):
            out += (self.pick(seps) if i else "") + p
        return out

    # -- options ---------------------------------------------------------------------------------
    def pct_text(self, n):
        out = []
        for _ in range(n):
            out.append(self.pick(PCT) if self.chance(0.7) else
                       self.pick(["-", "x", "_", "=", ":", "\\:", " ", "@"]))
        return "".join(out)

    def option(self, last):
        k = self.r.randrange(16)
        kv = self.pick([" ", "=", " = ", " =", "= ", "==", "\t"])
        if k < 2:
            return self.pick(["allow", "deny", "ALLOW", "Deny"]) + \
                self.pick(["", "", "", " x", "="])
        if k < 4:
            sev = self.pick(LEVELS) if self.chance(0.5) else "%s.%s" % (
                self.pick(FACILITIES), self.pick(LEVELS))
            if self.chance(0.05):
                sev = self.pick(["", "37", "auth.", ".info", "a.b.c"])
            return "severity" + kv + sev
        if k < 7:
            return "setenv" + kv + self.pick(["TWENV", "TWENV", "TW=ENV", ""]) + \
                self.pick([" ", "\t", "  ", ""]) + self.pct_text(self.r.randrange(0, 6))
        if k < 10:
            self.spawns += 1
            out = "out%d" % self.spawns
            return "spawn" + kv + "echo " + self.pct_text(self.r.randrange(1, 6)) + \
                self.pick([" > ", " >> ", ">"]) + out
        if k < 11:
            return "rfc931" + self.pick(["", kv + self.pick(["3", "0", "-1", "x", "4294967297",
                                                              "7 8", "05"])])
        if k < 12:
            return "umask" + kv + self.pick(["022", "077", "08", "1777", "0", "777", "x", ""])
        if k < 13:
            if self.chance(0.2):
                # banners: a directory with a file named after the daemon, or none
                self.files.setdefault("sshd", "hello %a %d\n\0x\n")
                return "banners" + kv + self.pick(["@DIR@", "@DIR@/", "/nonexistent", "."])
            return self.pick(["keepalive", "keepalive x", "linger 5", "linger", "linger x",
                              "linger -1", "nice", "nice 3", "nice x", "nice 0"])
        if k < 14:
            return self.pick(["", " ", "bogus", "spawn", "setenv", "severity", "allow deny",
                              "twist", "banners"])
        return self.pick(["setenv TWENV " + "%u" * self.r.randrange(30, 80),
                          "setenv TWENV a\\:b", "spawn echo a\\:b > out9"])

    def options(self):
        opts = [self.option(False) for _ in range(self.r.randrange(1, 4))]
        return self.pick([":", " : ", ": ", " :"]).join(opts)

    # -- lines and tables ---------------------------------------------------------------------------
    def rule(self):
        d = self.token_list(self.daemon_token, 3)
        c = self.token_list(self.client_token, 4)
        colon = lambda: self.pick([":", " : ", ": ", " :", ":\t"])
        line = d + colon() + c
        if self.chance(0.35):
            line += colon() + self.options()
        if self.chance(0.03):
            line = line.replace(":", "", 1)          # missing separator
        if self.chance(0.02):
            line = d + colon() + c + colon()          # empty option field
        return line

    def line(self):
        k = self.r.randrange(30)
        if k < 22:
            text = self.rule()
        elif k < 24:
            text = "#" + self.rule()
        elif k < 25:
            text = self.pick(["  # sshd: ALL", " #: ALL", "", "   ", "\t", "# comment \\"])
        elif k < 26:
            # around the 2047-byte limit for the logical line (with its '\n')
            head = self.rule()
            pad = self.pick([2046, 2045, 2047, 2048, 1500, 4000]) - len(head)
            text = head + (" " * pad if pad > 0 else "")
        elif k < 27:
            text = self.rule() + "\0" + self.rule()
        else:
            text = self.rule()
        # continuations
        if self.chance(0.08) and len(text) > 2:
            cut = self.r.randrange(1, len(text))
            text = text[:cut] + "\\\n" + text[cut:]
        end = "\r\n" if self.chance(0.08) else "\n"
        return text + end

    def table(self):
        if self.chance(0.1):
            return None                               # no file at all
        lines = [self.line() for _ in range(self.r.randrange(0, 5))]
        text = "".join(lines)
        if text and self.chance(0.06):
            text = text[:-1]                          # missing final newline
        if self.chance(0.02):
            text += self.pick(["sshd: ALL", "ALL: ALL: allow", "# x"])
        return text

    # -- the request ------------------------------------------------------------------------------------
    def request(self):
        fields = []
        fields.append(("daemon", self.pick(DAEMONS + ["ALL", "in.telnetd", "sshd", "sshd", ""])))
        fam = self.r.randrange(10)
        if fam < 5:
            a = self.addr4()
            sin = "%s:%d" % (a, self.pick([40000, 1023, 22]))
        elif fam < 8:
            a = self.pick(V6)
            sin = "[%s]:%d" % (a, self.pick([40000, 22]))
        else:
            a = "::ffff:" + self.addr4()
            sin = "[%s]:40000" % a
        if self.chance(0.85):
            scoped = [a + "%lo", a + "%1", a + "%"] if ":" in a else []
            fields.append(("caddr", self.pick([a] * 12 + ["unknown", "", a.upper()] + scoped)))
        nk = self.r.randrange(10)
        if nk < 5:
            fields.append(("cname", self.pick(NAMES)))
        elif nk < 7:
            fields.append(("cname", self.pick(["unknown", "paranoid", "", "PARANOID"])))
        elif nk < 8:
            fields.append(("cname", a))
        server_v6 = "[2001:db8::1]:%d" % self.pick([22, 2022, 23, 65535])
        server_v4 = "192.0.2.1:%d" % self.pick([22, 2022, 23, 65535])
        if self.chance(0.5):
            fields.append(("csin", sin))
        if self.chance(0.5):
            fields.append(("ssin", server_v6 if ":" in a and self.chance(0.9) else server_v4))
        if self.chance(0.4):
            fields.append(("sname", self.pick(NAMES + ["unknown", "paranoid"])))
        if self.chance(0.4):
            fields.append(("saddr", self.pick(["192.0.2.1", "2001:db8::1", "unknown"])))
        if self.chance(0.3):
            fields.append(("user", self.pick(USERS + [""])))
        if self.chance(0.01):
            fields.append(("k%d" % self.pick([10, 11, 99]), "x"))   # invalid request key
        extra = []
        if self.chance(0.3):
            extra.append("ident=" + esc(self.pick(USERS)))
        if self.chance(0.05):
            # hosts_ctl(daemon, name, addr, user); a field not given is a NULL pointer (L4),
            # so usually all four are given
            extra.append("api=ctl")
            have = {k for k, _ in fields}
            for k in ("daemon", "cname", "caddr", "user"):
                if k not in have and self.chance(0.95):
                    fields.append((k, self.pick(["", "unknown", self.pick(NAMES),
                                                 self.pick(V4)])))
        elif self.chance(0.05):
            extra.append("calls=2")
        if self.chance(0.1):
            extra.append("verbose=%d" % self.pick([0, 1, 3]))
        self.r.shuffle(fields)
        return " ".join("%s=%s" % (k, esc(v)) for k, v in fields) + \
            (" " + " ".join(extra) if extra else "")

    def render(self):
        allow = self.table()
        deny = self.table()
        req = self.request()
        out = ["case g%d ?" % self.number]
        if allow is not None:
            out.append("allow " + esc(allow, True) + "\\c")
        if deny is not None:
            out.append("deny " + esc(deny, True) + "\\c")
        for name, text in self.files.items():
            out.append("file %s %s\\c" % (name, esc(text, True)))
        out.append("req " + req)
        return "\n".join(out) + "\n"


def esc(text, blanks=False):
    """Case-file escaping: every byte that is not plain printable ASCII as \\xHH, backslash
    doubled; spaces too unless blanks (req values are split at blanks, table text is not: only
    its first byte must not be a blank)."""
    out = []
    for i, ch in enumerate(text.encode("latin-1")):
        c = chr(ch)
        if c == "\\":
            out.append("\\\\")
        elif 0x21 <= ch < 0x7f or (blanks and i > 0 and ch == 0x20):
            out.append(c)
        else:
            out.append("\\x%02x" % ch)
    return "".join(out)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: gen.py SEED FIRST COUNT")
    seed, first, count = (int(a) for a in sys.argv[1:])
    w = sys.stdout.write
    w("# generated by tests/differential/gen.py %d %d %d\n" % (seed, first, count))
    for n in range(first, first + count):
        w(Case(random.Random("%d/%d" % (seed, n)), n).render())


if __name__ == "__main__":
    main()
