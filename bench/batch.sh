#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) The tcpwrappers authors
#
# batch.sh - tcpdmatch --batch at scale (part of `make bench`): REQUESTS requests (default
# 1,000,000) decided in one process over a hosts.deny of LINES lines (default 100,000, the
# DenyHosts shape "sshd: 10.A.B.C" plus a few fail2ban "ALL: ADDR" lines) and a small
# hosts.allow.  Half the requests hit a rule somewhere in the table, half miss it entirely.
# Prints the wall time and the rate; the target is under 10 s for the default sizes.
set -u
B=${B:-build}
cd "$(dirname "$0")/.." || exit 1
LINES=${LINES:-100000}
REQUESTS=${REQUESTS:-1000000}
W=$B/bench/batch
mkdir -p "$W" || exit 1
TCPDMATCH=$(pwd)/$B/tcpdmatch
[ -x "$TCPDMATCH" ] || { echo "missing $TCPDMATCH (run make)"; exit 1; }

printf 'sshd : 192.0.2.0/24 : allow\nin.ftpd : 198.51.100.7\n' >"$W/hosts.allow"
awk -v n="$LINES" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "%s: 10.%d.%d.%d\n", (i % 50 == 0 ? "ALL" : "sshd"), int(i / 65536), int(i / 256) % 256, i % 256
}' >"$W/hosts.deny"
awk -v n="$REQUESTS" -v lines="$LINES" 'BEGIN {
	srand(20261205)
	for (r = 0; r < n; r++) {
		d = (r % 3 == 0) ? "in.ftpd" : "sshd"
		if (r % 2 == 0) { i = 1 + int(rand() * lines); a = sprintf("10.%d.%d.%d", int(i / 65536), int(i / 256) % 256, i % 256) }
		else a = sprintf("203.0.113.%d", int(rand() * 256))
		if (r % 97 == 0) a = sprintf("192.0.2.%d", r % 256)
		printf "%s %s\n", d, a
	}
}' >"$W/requests"

# Wall time, and the CPU time of the run (user + system), which a busy machine does not
# inflate: both are reported.
start=$(date +%s.%N)
cpu=$( { TIMEFORMAT='%U %S'; time (cd "$W" && "$TCPDMATCH" -d --batch <requests >answers; echo "$?" >rc); } 2>&1 )
end=$(date +%s.%N)
rc=$(cat "$W/rc")
answers=$(wc -l <"$W/answers")
denied=$(grep -c '"verdict": "denied"' "$W/answers")
awk -v s="$start" -v e="$end" -v n="$REQUESTS" -v l="$LINES" -v a="$answers" -v d="$denied" -v rc="$rc" -v cpu="$cpu" 'BEGIN {
	t = e - s
	split(cpu, c, " ")
	printf "tcpdmatch --batch: %d requests over a %d-line hosts.deny: %.2f s wall (%.0f requests/s, %.2f us each), CPU %.2f s user + %.2f s system; %d answers, %d denied, exit %d\n", n, l, t, n / t, t * 1e6 / n, c[1], c[2], a, d, rc
}'
[ "$rc" = 0 ] && [ "$answers" = "$REQUESTS" ]
