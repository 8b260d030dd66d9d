#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) The tcpwrappers authors
#
# run.sh - tcpdmatch's answers for tools (--json, --batch) against the classic program, on a
# generated corpus (gen.py: random tables and requests, no host names):
#  - every answer of one `tcpdmatch --batch` run (one process: the library's resident path,
#    cached and indexed tables, from the second request on) is byte for byte the answer of
#    `tcpdmatch --json` for that request alone (a fresh process: the one-shot scan);
#  - its verdict is the "access:" line of the classic tcpdmatch report for the same request;
#  - the exit status of --json is 0 granted, 1 denied or delegated;
#  - every line is valid JSON of the documented shape (check.py);
#  - malformed requests get an "error" object and --batch exits 2.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${B:-build}
N=${N:-150}
SEED=${SEED:-20261205}
TCPDMATCH=$(pwd)/$B/tcpdmatch
W=$B/tests/answers
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

[ -x "$TCPDMATCH" ] || { echo "FAIL missing $TCPDMATCH"; echo "0 passed, 1 failed"; exit 1; }
rm -rf "$W" && mkdir -p "$W" || exit 1
python3 tests/answers/gen.py "$W" "$N" "$SEED" || { echo "0 passed, 1 failed"; exit 1; }
cd "$W" || exit 1

"$TCPDMATCH" -d --batch <requests >batch.out 2>batch.err
rc=$?
[ "$rc" = 0 ] && ok || bad "--batch exit $rc: $(head -3 batch.err)"
[ "$(wc -l <batch.out)" = "$N" ] && ok || bad "--batch: $(wc -l <batch.out) answers for $N requests"
python3 ../../../tests/answers/check.py batch.out && ok || bad "--batch output does not match the schema"

n=0
exec 3<batch.out
while read -r daemon client; do
	n=$((n + 1))
	IFS= read -r answer <&3
	single=$("$TCPDMATCH" -d --json "$daemon" "$client" 2>&1)
	status=$?
	if [ "$single" != "$answer" ]; then
		bad "request $n ($daemon $client): --batch and --json differ"
		echo "  batch:  $answer"
		echo "  single: $single"
		continue
	fi
	verdict=$(sed -E 's/.*"verdict": "([a-z]+)".*/\1/' <<<"$single")
	case $verdict:$status in
	granted:0 | denied:1 | delegated:1) ;;
	*) bad "request $n ($daemon $client): verdict $verdict, exit $status"; continue ;;
	esac
	classic=$("$TCPDMATCH" -d "$daemon" "$client" 2>/dev/null | sed -n 's/^access: *//p' | tail -n 1)
	if [ "$classic" != "$verdict" ]; then
		bad "request $n ($daemon $client): classic report says '$classic', --json '$verdict'"
		continue
	fi
	ok
done <requests
exec 3<&-

# The corpus must reach every outcome and both tables, or the comparison proves little.
for want in '"verdict": "granted"' '"verdict": "denied"' '"verdict": "delegated"' \
	'"file": "hosts.allow"' '"file": "hosts.deny"' '"file": null' '"options": \["' '"user": "alice"'; do
	grep -q "$want" batch.out && ok || bad "the corpus never produced $want"
done

# Malformed requests: one error object each, the others still answered, exit 2.
printf 'sshd\nsshd 192.0.2.1 extra\nsshd 192.0.2.1\n@ 192.0.2.1\n' >bad.in
"$TCPDMATCH" -d --batch <bad.in >bad.out
rc=$?
[ "$rc" = 2 ] && ok || bad "--batch with bad lines: exit $rc, expected 2"
[ "$(grep -c '"error"' bad.out)" = 3 ] && [ "$(grep -c '"verdict"' bad.out)" = 1 ] && ok ||
	bad "--batch with bad lines: $(cat bad.out)"
python3 ../../../tests/answers/check.py bad.out && ok || bad "error objects do not match the schema"

# --json: an unresolvable host is an error (exit 2); usage errors exit 1.
"$TCPDMATCH" -d --json sshd no-such-host.invalid >err.out 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q '"error": "host not found"' err.out && ok || bad "--json bad host: exit $rc: $(cat err.out)"
"$TCPDMATCH" --json sshd >/dev/null 2>&1
rc=$?
[ "$rc" = 1 ] && ok || bad "--json with one operand: exit $rc, expected 1"
"$TCPDMATCH" --batch sshd 192.0.2.1 </dev/null >/dev/null 2>&1
rc=$?
[ "$rc" = 1 ] && ok || bad "--batch with operands: exit $rc, expected 1"

# Bytes outside printable ASCII are escaped: still one valid line.
printf 'sshd\001x 192.0.2.1\n' | "$TCPDMATCH" -d --batch >esc.out
python3 ../../../tests/answers/check.py esc.out && grep -q 'sshd\\u0001x' esc.out && ok ||
	bad "control byte: $(cat esc.out)"

# A rule that needs the client's host name: the decision looks it up, and says so.
printf 'sshd : KNOWN\n' >lookup.allow
: >lookup.deny
mkdir -p lookup && cp lookup.allow lookup/hosts.allow && cp lookup.deny lookup/hosts.deny
out=$(cd lookup && "$TCPDMATCH" -d --json sshd 127.0.0.1)
grep -q '"lookups": \[{"what": "client host name", "result": ' <<<"$out" && ok ||
	bad "KNOWN: the client host name lookup is not listed: $out"
out=$(cd lookup && "$TCPDMATCH" -d --json ftpd 127.0.0.1)
grep -q '"lookups": \[\]' <<<"$out" && ok || bad "no rule needs a name: no lookup expected: $out"

# Without the new options the classic report and exit status are unchanged.
out=$("$TCPDMATCH" -d sshd 192.0.2.1 2>&1)
rc=$?
[ "$rc" = 0 ] && grep -q '^access:   ' <<<"$out" && ! grep -q '{' <<<"$out" && ok ||
	bad "classic report changed: exit $rc: $out"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
