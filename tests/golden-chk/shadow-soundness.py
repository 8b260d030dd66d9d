#!/usr/bin/env python3
"""shadow-soundness.py BUILD_DIR DECIDE_LINES - tcpdchk's "never a false positive" claims,
tried on generated tables.

For each of many generated hosts.allow/hosts.deny pairs, tcpdchk --json -n names the rules
it calls shadowed (or duplicates that "can never match") and the EXCEPT parts it says
exclude nothing.  Then the library itself (hosts_access_explain() through DECIDE_LINES)
decides a pool of requests:
  * a rule called unreachable must never be the deciding rule of any request;
  * removing an EXCEPT part said to exclude nothing must change no decision.
Prints one line per table that fails, and "N passed, N failed" (one check per claim)."""
import json, os, random, re, subprocess, sys, tempfile

build, decide = sys.argv[1], sys.argv[2]
rng = random.Random(20261201)
DAEMONS = ["sshd", "in.ftpd", "ALL", "SSHD", "sshd@192.0.2.1", "22", "ALL@198.51.100.100"]
CLIENTS = ["ALL", "192.0.2.1", "192.0.2.", "192.0.2.0/24", "192.0.2.0/25", "192.0.2.128/25",
           "10.0.0.0/8", "10.1.2.3", "10.1.", "[2001:db8::1]", "[2001:db8::]/32",
           "[2001:db8:1::]/48", ".example.test", "bob@ALL", "bob@192.0.2.7", "ALL@10.1.2.3",
           "192.0.2.7", "192.0.2.8", "198.51.100.1", "198.51.100.0/255.255.255.0", "KNOWN"]
OPTIONS = ["", "", "", " : allow", " : deny", " : ALLOW", " : spawn echo %a"]
REQ_DAEMONS = ["sshd", "in.ftpd", "telnetd"]
REQ_CLIENTS = ["192.0.2.1", "192.0.2.7", "192.0.2.8", "192.0.2.200", "10.1.2.3", "10.9.9.9",
               "2001:db8::1", "2001:db8:1::5", "2001:db8:2::5", "198.51.100.1",
               "::ffff:192.0.2.7", "203.0.113.1"]
REQ_USERS = ["bob", "alice"]
REQ_SERVERS = ["192.0.2.1", "198.51.100.100"]
REQUESTS = [f"{d} {c} {u} {s}" for d in REQ_DAEMONS for c in REQ_CLIENTS
            for u in REQ_USERS for s in REQ_SERVERS]

def words(pool, n):
    out = []
    for i in range(n):
        w = rng.choice(pool)
        if i > 0 and rng.random() < 0.15:
            out.append("EXCEPT")
        out.append(w)
    return out

def table():
    lines = []
    for _ in range(rng.randint(1, 7)):
        d = ", ".join(words(DAEMONS, rng.randint(1, 2))).replace(", EXCEPT,", " EXCEPT")
        c = " ".join(words(CLIENTS, rng.randint(1, 3)))
        lines.append(f"{d}: {c}{rng.choice(OPTIONS)}")
    return lines

def decisions(directory, allow, deny):
    with open(os.path.join(directory, "hosts.allow"), "w") as f:
        f.write("".join(l + "\n" for l in allow))
    with open(os.path.join(directory, "hosts.deny"), "w") as f:
        f.write("".join(l + "\n" for l in deny))
    out = subprocess.run([decide, os.path.join(directory, "hosts.allow"),
                          os.path.join(directory, "hosts.deny")], input="\n".join(REQUESTS) + "\n",
                         capture_output=True, text=True, check=True).stdout.split("\n")
    return [l for l in out if l]

passed = failed = 0
with tempfile.TemporaryDirectory() as d:
    for n in range(300):
        allow, deny = table(), table()
        base = decisions(d, allow, deny)
        report = json.loads(subprocess.run([os.path.join(build, "tcpdchk"), "-d", "-n", "--json",
                                            "-i", "/dev/null"], cwd=d, capture_output=True,
                                           text=True).stdout)
        for f in report["findings"]:
            table_name = "allow" if f["file"] == "hosts.allow" else "deny"
            lines = allow if table_name == "allow" else deny
            if f["check"] == "shadowed" or (f["check"] == "duplicate" and "never match" in f["message"]):
                deciding = {b for b in base if b.split()[:2] == [table_name, str(f["line"])]}
                if deciding:
                    failed += 1
                    print(f"FAIL table {n}: {f['file']}:{f['line']} is said to be unreachable "
                          f"({f['message']}) but decides: {sorted(deciding)[:3]}\n  allow={allow}\n  deny={deny}")
                else:
                    passed += 1
            elif f["check"] == "except":
                # Drop the named EXCEPT part from that rule: no decision may change.
                # Only the pattern goes: "EXCEPT X Y" becomes "EXCEPT Y", "EXCEPT X" nothing.
                pattern = f["message"].split(" ")[1]
                rule = lines[f["line"] - 1]
                m = re.search(r"EXCEPT " + re.escape(pattern) + r"(?=$|[ ,:])( +(?!EXCEPT\b)[^ ,:]+)?", rule)
                if m is None or rule.count(pattern) != 1:
                    continue  # a form this test does not rewrite
                changed = rule[:m.start()] + ("EXCEPT" + m.group(1) if m.group(1) else "") + rule[m.end():]
                edited = list(lines)
                edited[f["line"] - 1] = changed
                after = decisions(d, edited if table_name == "allow" else allow,
                                  edited if table_name == "deny" else deny)
                if [a.split()[2] for a in after] != [b.split()[2] for b in base]:
                    failed += 1
                    print(f"FAIL table {n}: {f['file']}:{f['line']}: {f['message']}, yet removing it "
                          f"changes decisions\n  rule={rule}")
                else:
                    passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
