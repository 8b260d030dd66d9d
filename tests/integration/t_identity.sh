#!/usr/bin/env bash
# t_identity.sh - who is the client: host names with double-reverse verification (KNOWN,
# UNKNOWN, PARANOID, LOCAL, .domain, names, case, @netgroup) and ident (user@host, %u,
# rfc931 N) against Debian's oidentd and our hostile ident server, by real connections from
# the client namespaces, for IPv4 (plain AF_INET sockets), IPv6 and IPv4-mapped clients.
#
# Every probe goes to two copies of wrapserv in the sandbox: one running on our
# build/libwrap.so.0 ("ours"), one on Debian's libwrap.so.0 ("ref", the same binary without
# LD_LIBRARY_PATH), both reading the same tables.  Both answers must be the expected one, so
# the expectation is pinned to the reference as well as to us; the library's warnings are
# checked in the captured syslog for both.  Ident timeouts are measured (rfc931 2): the
# decision, and an upper bound well above the timeout.
. "$(dirname "$0")/lib/rig.sh"

rig_world
rig_build_wrapserv
[ -e /usr/lib/x86_64-linux-gnu/libwrap.so.0 ] || rig_die "Debian's libwrap0 is not installed"

# More client addresses, named only in the sandbox's /etc/hosts (consulted before DNS): a name
# without a dot (LOCAL), a mixed-case name, a name with a trailing dot.
ip -n "$RIG_C2" addr add 203.0.113.31/24 dev eth0
ip -n "$RIG_C2" addr add 203.0.113.32/24 dev eth0
ip -n "$RIG_C2" addr add 203.0.113.33/24 dev eth0
for a in 34 35 37; do ip -n "$RIG_C2" addr add 203.0.113.$a/24 dev eth0; done
ip -n "$RIG_C2" addr add 2001:db8::31/64 dev eth0 nodad
# C2 reaches 192.0.2.1 from 203.0.113.30 (same wire): the ident query must then come back
# from 192.0.2.1, the address the client connected to, not from the server's 203.0.113.1.
ip -n "$RIG_C2" route add 192.0.2.0/24 dev eth0
cat >>"$RIG_ETC/hosts" <<'EOF'
203.0.113.31	localbox
2001:db8::31	localbox6
203.0.113.32	Mixed.Example.ORG
203.0.113.33	trailing.example.org.
203.0.113.34	198.51.100.99
EOF
rig_netgroup 'trusted (trusted.example.com,-,) (client2.example.com,,)
byaddr (192.0.2.68,-,) (203.0.113.30,-,)
nested trusted (localbox,-,)
'
rig_table hosts.deny 'ALL: ALL
'

# ours/ref on a dual-stack socket (IPv4 clients are IPv4-mapped), ours4/ref4 on AF_INET.
P_OURS=7101 P_REF=7102 P_OURS4=7103 P_REF4=7104
rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" "$RIG_WRAPSERV" ours $P_OURS 250
rig_bg rig_sb "$RIG_WRAPSERV" ref $P_REF 250
rig_bg rig_sb env WRAPSERV_INET4=1 LD_LIBRARY_PATH="$RIG_BUILD" "$RIG_WRAPSERV" ours4 $P_OURS4 250
rig_bg rig_sb env WRAPSERV_INET4=1 "$RIG_WRAPSERV" ref4 $P_REF4 250
for p in $P_OURS $P_REF $P_OURS4 $P_REF4; do
	rig_wait_listen "$RIG_SRV" $p || rig_die "wrapserv did not listen on $p"
done
rig_check "Debian's libwrap behind ref" "$(readlink -f /usr/lib/x86_64-linux-gnu/libwrap.so.0)" \
	"$(readlink -f "$(rig_sb ldd "$RIG_WRAPSERV" | awk '/libwrap/ {print $3}')")"
rig_check "ours behind ours" "$(readlink -f "$RIG_BUILD/libwrap.so.0")" \
	"$(readlink -f "$(rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" ldd "$RIG_WRAPSERV" | awk '/libwrap/ {print $3}')")"

# probe NAME RULE NS SRC DST FAMILY EXPECTED [USER] - hosts.allow becomes "ALL: RULE"; one
# connection to ours and one to ref (at the same time), as USER; both must answer EXPECTED
# ("granted CLIENT" or REFUSED).  FAMILY v4 uses the AF_INET servers, otherwise the dual-stack
# ones.  Sets PROBE_MS_OURS / PROBE_MS_REF (milliseconds) for measuring.
probe() {
	local name=$1 rule=$2 ns=$3 src=$4 dst=$5 family=$6 expected=$7 user=${8:-root}
	local po=$P_OURS pr=$P_REF t0 a b
	[ "$family" = v4 ] && po=$P_OURS4 pr=$P_REF4
	rig_table hosts.allow "ALL: $rule
"
	t0=$(rig_now)
	(r=$(rig_connect "$ns" "$src" "$dst" $po "$user"); echo "$r|$(($(rig_now) - t0))" >"$RIG_W/p.ours") &
	a=$!
	(r=$(rig_connect "$ns" "$src" "$dst" $pr "$user"); echo "$r|$(($(rig_now) - t0))" >"$RIG_W/p.ref") &
	b=$!
	wait $a $b
	IFS='|' read -r PROBE_OURS PROBE_MS_OURS <"$RIG_W/p.ours"
	IFS='|' read -r PROBE_REF PROBE_MS_REF <"$RIG_W/p.ref"
	[ -n "${PROBE_TRACE:-}" ] && echo "    ($PROBE_MS_OURS ms, $PROBE_MS_REF ms)"
	rig_check "$name [$family] ours" "$expected" "$PROBE_OURS"
	rig_check "$name [$family] ref" "$expected" "$PROBE_REF"
}

# logged NAME REGEX - both libraries logged a line matching REGEX (after the tag's "]: ").
logged() {
	local tag
	for tag in ours ref; do
		if rig_log_wait 5 "$tag[46]?\[[0-9]+\]: $2"; then
			rig_pass "$1: $tag logged"
		else
			rig_fail "$1: $tag did not log /$2/"
			grep -E "(ours|ref)" "$RIG_SYSLOG" | tail -n 5 | sed 's/^/    /'
		fi
	done
}

# not_logged NAME REGEX - neither library logged a line matching REGEX.
not_logged() {
	if grep -qE -- "$2" "$RIG_SYSLOG"; then
		rig_fail "$1: unexpected log line /$2/"
	else
		rig_pass "$1: no log line /$2/"
	fi
}

C1=$RIG_C1 C2=$RIG_C2
M=::ffff: # how IPv4 clients look on the dual-stack servers

echo "# host names: KNOWN, UNKNOWN, PARANOID"
probe "KNOWN, consistent name" KNOWN $C1 192.0.2.10 192.0.2.1 v4m "granted trusted.example.com"
probe "KNOWN, consistent name" KNOWN $C1 192.0.2.10 192.0.2.1 v4 "granted trusted.example.com"
probe "KNOWN, consistent name" KNOWN $C1 2001:db8::10 2001:db8::1 v6 "granted trusted.example.com"
rig_log_clear
probe "KNOWN, PTR to another host's name" KNOWN $C1 192.0.2.66 192.0.2.1 v4m REFUSED
logged "mismatch warning [v4m]" \
	'warning: /etc/hosts.allow, line 1: host name/address mismatch: 192\.0\.2\.66 != trusted\.example\.com$'
rig_log_clear
probe "KNOWN, PTR to another host's name" KNOWN $C1 192.0.2.66 192.0.2.1 v4 REFUSED
logged "mismatch warning [v4]" \
	'warning: /etc/hosts.allow, line 1: host name/address mismatch: 192\.0\.2\.66 != trusted\.example\.com$'
rig_log_clear
probe "KNOWN, PTR to another host's name" KNOWN $C1 2001:db8::66 2001:db8::1 v6 REFUSED
logged "mismatch warning [v6]" \
	'warning: /etc/hosts.allow, line 1: host name/address mismatch: 2001:db8::66 != trusted\.example\.com$'
rig_log_clear
probe "KNOWN, PTR without forward record" KNOWN $C1 192.0.2.67 192.0.2.1 v4m REFUSED
logged "no forward record warning" \
	"warning: /etc/hosts.allow, line 1: can't verify hostname: getaddrinfo\(ghost\.example\.com, AF_INET\) failed$"
probe "KNOWN, no PTR" KNOWN $C1 192.0.2.68 192.0.2.1 v4m REFUSED
probe "KNOWN, no PTR" KNOWN $C1 192.0.2.68 192.0.2.1 v4 REFUSED

probe "UNKNOWN, no PTR" UNKNOWN $C1 192.0.2.68 192.0.2.1 v4m "granted ${M}192.0.2.68"
probe "UNKNOWN, no PTR" UNKNOWN $C1 192.0.2.68 192.0.2.1 v4 "granted 192.0.2.68"
probe "UNKNOWN, consistent name" UNKNOWN $C1 192.0.2.10 192.0.2.1 v4m REFUSED
probe "UNKNOWN, consistent name" UNKNOWN $C1 2001:db8::10 2001:db8::1 v6 REFUSED
probe "UNKNOWN, paranoid is not unknown" UNKNOWN $C1 192.0.2.66 192.0.2.1 v4m REFUSED
probe "UNKNOWN, paranoid is not unknown" UNKNOWN $C1 2001:db8::66 2001:db8::1 v6 REFUSED

probe "PARANOID, mismatched PTR" PARANOID $C1 192.0.2.66 192.0.2.1 v4m "granted ${M}192.0.2.66"
probe "PARANOID, mismatched PTR" PARANOID $C1 192.0.2.66 192.0.2.1 v4 "granted 192.0.2.66"
probe "PARANOID, mismatched PTR" PARANOID $C1 2001:db8::66 2001:db8::1 v6 "granted 2001:db8::66"
probe "PARANOID, PTR without forward record" PARANOID $C1 192.0.2.67 192.0.2.1 v4 "granted 192.0.2.67"
rig_log_clear
probe "PARANOID, numeric PTR" PARANOID $C2 203.0.113.34 203.0.113.1 v4 "granted 203.0.113.34"
logged "numeric PTR warning" \
	'warning: /etc/hosts.allow, line 1: host name/name mismatch: reverse lookup results in non-FQDN 198\.51\.100\.99$'
rig_log_clear
probe "PARANOID, PTR to an alias (CNAME)" PARANOID $C2 203.0.113.35 203.0.113.1 v4m "granted ${M}203.0.113.35"
logged "alias warning" \
	'warning: /etc/hosts.allow, line 1: host name/name mismatch: alias\.example\.net != c3\.example\.net$'
probe "KNOWN, client among several forward addresses" KNOWN $C2 203.0.113.37 203.0.113.1 v4m \
	"granted several.example.net"
probe "KNOWN, client among several forward addresses" KNOWN $C2 203.0.113.37 203.0.113.1 v4 \
	"granted several.example.net"
probe "PARANOID, consistent name" PARANOID $C1 192.0.2.10 192.0.2.1 v4m REFUSED
probe "PARANOID, consistent name" PARANOID $C1 2001:db8::10 2001:db8::1 v6 REFUSED
probe "PARANOID, no PTR" PARANOID $C1 192.0.2.68 192.0.2.1 v4 REFUSED
probe "ALL EXCEPT PARANOID, paranoid" "ALL EXCEPT PARANOID" $C1 192.0.2.66 192.0.2.1 v4m REFUSED
probe "ALL EXCEPT PARANOID, consistent" "ALL EXCEPT PARANOID" $C1 2001:db8::10 2001:db8::1 v6 \
	"granted trusted.example.com"

echo "# LOCAL, names, domains, case, trailing dot"
probe "LOCAL, dotless name" LOCAL $C2 203.0.113.31 203.0.113.1 v4m "granted localbox"
probe "LOCAL, dotless name" LOCAL $C2 203.0.113.31 203.0.113.1 v4 "granted localbox"
probe "LOCAL, dotless name" LOCAL $C2 2001:db8::31 2001:db8::1 v6 "granted localbox6"
probe "LOCAL, dotted name" LOCAL $C1 192.0.2.10 192.0.2.1 v4m REFUSED
probe "LOCAL, unknown name" LOCAL $C1 192.0.2.68 192.0.2.1 v4 REFUSED
probe "LOCAL, paranoid name" LOCAL $C1 2001:db8::66 2001:db8::1 v6 REFUSED

probe ".domain" .example.com $C2 198.51.100.20 198.51.100.1 v4m "granted client2.example.com"
probe ".domain" .example.com $C2 198.51.100.20 198.51.100.1 v4 "granted client2.example.com"
probe ".domain" .example.com $C2 2001:db8::20 2001:db8::1 v6 "granted client2.example.com"
probe ".domain, other domain" .example.com $C2 203.0.113.30 203.0.113.1 v4m REFUSED
probe ".domain, paranoid claims it" .example.com $C1 192.0.2.66 192.0.2.1 v4 REFUSED
probe ".domain, paranoid claims it" .example.com $C1 2001:db8::66 2001:db8::1 v6 REFUSED
probe "host name" trusted.example.com $C1 192.0.2.10 192.0.2.1 v4m "granted trusted.example.com"
probe "host name" trusted.example.com $C1 2001:db8::10 2001:db8::1 v6 "granted trusted.example.com"
probe "host name, paranoid claims it" trusted.example.com $C1 192.0.2.66 192.0.2.1 v4m REFUSED
probe "host name, other case" TRUSTED.Example.Com $C1 192.0.2.10 192.0.2.1 v4 "granted trusted.example.com"
probe "host name prefix" trusted. $C1 192.0.2.10 192.0.2.1 v4 "granted trusted.example.com"
probe "host name wildcard" '*.example.net' $C2 203.0.113.30 203.0.113.1 v4m "granted c3.example.net"
probe "mixed-case name keeps its case" mixed.example.org $C2 203.0.113.32 203.0.113.1 v4 \
	"granted Mixed.Example.ORG"
probe "mixed-case name is KNOWN" KNOWN $C2 203.0.113.32 203.0.113.1 v4m "granted Mixed.Example.ORG"
# A trailing dot is part of the name: glibc's files backend gives the same text back as the
# canonical name, so the name is verified and kept with its dot (the reference's notes saw
# "paranoid" only from a resolver that dropped the dot from the canonical name).
rig_log_clear
probe "trailing dot: kept, KNOWN" KNOWN $C2 203.0.113.33 203.0.113.1 v4 "granted trailing.example.org."
not_logged "trailing dot: no mismatch warning" 'mismatch'
probe "trailing dot: no exact match without it" trailing.example.org $C2 203.0.113.33 203.0.113.1 v4m REFUSED
probe "trailing dot: a prefix pattern" trailing.example.org. $C2 203.0.113.33 203.0.113.1 v4m \
	"granted trailing.example.org."
probe "trailing dot: .domain does not match" .example.org $C2 203.0.113.33 203.0.113.1 v4 REFUSED

echo "# lookups only when a pattern needs them"
rig_log_clear
probe "address pattern: no name lookup" 192.0.2.66 $C1 192.0.2.66 192.0.2.1 v4m "granted ${M}192.0.2.66"
probe "ALL: no name lookup" ALL $C1 192.0.2.66 192.0.2.1 v4 "granted 192.0.2.66"
probe "net/mask: no name lookup" 192.0.2.0/24 $C1 192.0.2.66 192.0.2.1 v4m "granted ${M}192.0.2.66"
probe "[v6]: no name lookup" "[2001:db8::66]" $C1 2001:db8::66 2001:db8::1 v6 "granted 2001:db8::66"
not_logged "no lookup, so no mismatch warning" 'mismatch'
probe "name pattern after a failed address: lookup" "192.0.2.99 trusted.example.com" $C1 \
	192.0.2.10 192.0.2.1 v4m "granted trusted.example.com"

echo "# netgroups (host names only)"
probe "@netgroup, member" @trusted $C1 192.0.2.10 192.0.2.1 v4m "granted trusted.example.com"
probe "@netgroup, member" @trusted $C1 192.0.2.10 192.0.2.1 v4 "granted trusted.example.com"
probe "@netgroup, member" @trusted $C2 2001:db8::20 2001:db8::1 v6 "granted client2.example.com"
probe "@netgroup, nested member" @nested $C2 203.0.113.31 203.0.113.1 v4 "granted localbox"
probe "@netgroup, not a member" @trusted $C2 203.0.113.30 203.0.113.1 v4m REFUSED
probe "@netgroup, paranoid claims a member's name" @trusted $C1 192.0.2.66 192.0.2.1 v4m REFUSED
probe "@netgroup, addresses are not names" @byaddr $C2 203.0.113.30 203.0.113.1 v4 REFUSED
probe "@netgroup, unknown group" @nosuchgroup $C1 192.0.2.10 192.0.2.1 v4m REFUSED
probe "@netgroup, case-sensitive group" @TRUSTED $C1 192.0.2.10 192.0.2.1 v4m REFUSED

echo "# ident: Debian's oidentd (real users of the client namespace)"
RIG_OIDENTD_EXTRA='user daemon {
	default {
		force reply "spoofed-daemon"
	}
}
user games {
	default {
		force hide
	}
}'
rig_oidentd_up $C1 192.0.2.10 2001:db8::10
rig_identd_hostile $C2 198.51.100.20 203.0.113.30 2001:db8::20
rig_ident_blackhole $C1 192.0.2.67
rig_ident_blackhole $C1 2001:db8::66

# The rfc931 option: timeout 2 s from now on, for the whole (resident) server process; it
# also looks the user up at once.
probe "rfc931 2 option looks up the user" "192.0.2.10: rfc931 2" $C1 192.0.2.10 192.0.2.1 v4m \
	"granted root@${M}192.0.2.10"
probe "rfc931 2 option looks up the user" "192.0.2.10: rfc931 2" $C1 192.0.2.10 192.0.2.1 v4 \
	"granted root@192.0.2.10"
probe "rfc931 2 option looks up the user" "[2001:db8::10]: rfc931 2" $C1 2001:db8::10 \
	2001:db8::1 v6 "granted root@2001:db8::10"

probe "user@host, root" root@192.0.2.10 $C1 192.0.2.10 192.0.2.1 v4m "granted root@${M}192.0.2.10"
probe "user@host, nobody" nobody@192.0.2.10 $C1 192.0.2.10 192.0.2.1 v4 "granted nobody@192.0.2.10" nobody
probe "user@host, wrong user" nobody@192.0.2.10 $C1 192.0.2.10 192.0.2.1 v4m REFUSED
probe "user@host, nobody" "nobody@[2001:db8::10]" $C1 2001:db8::10 2001:db8::1 v6 \
	"granted nobody@2001:db8::10" nobody
probe "user@host, user case-insensitive" NOBODY@ALL $C1 192.0.2.10 192.0.2.1 v4 "granted nobody@192.0.2.10" nobody
probe "user@host, forced reply" spoofed-daemon@ALL $C1 192.0.2.10 192.0.2.1 v4m \
	"granted spoofed-daemon@${M}192.0.2.10" daemon
probe "KNOWN@host, hidden user" KNOWN@ALL $C1 192.0.2.10 192.0.2.1 v4m REFUSED games
probe "UNKNOWN@host, hidden user" UNKNOWN@ALL $C1 2001:db8::10 2001:db8::1 v6 "granted 2001:db8::10" games
probe "user@.domain (name verified first)" nobody@.example.com $C1 192.0.2.10 192.0.2.1 v4 \
	"granted nobody@trusted.example.com" nobody
probe "user@@netgroup" nobody@@trusted $C1 192.0.2.10 192.0.2.1 v4m \
	"granted nobody@trusted.example.com" nobody
probe "user@KNOWN, paranoid host: no ident needed" nobody@KNOWN $C1 192.0.2.66 192.0.2.1 v4m REFUSED nobody

# %u: the spawned shell sees the ident user.
rm -f "$RIG_W/u.out"
probe "%u in spawn" "192.0.2.10: spawn echo %d=%u >>$RIG_W/u.out" $C1 192.0.2.10 192.0.2.1 v4 \
	"granted nobody@192.0.2.10" nobody
rig_check "%u expanded to the ident user" "ours4=nobody ref4=nobody" \
	"$(sort "$RIG_W/u.out" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"

echo "# ident: our hostile server"
q_before=$(wc -l <"$RIG_IDENT_LOG")
probe "host part fails: no ident query" bob@192.0.2.99 $C2 198.51.100.20 198.51.100.1 v4m REFUSED
rig_check "no ident query when the host part fails" "$q_before" "$(wc -l <"$RIG_IDENT_LOG")"
rig_ident_mode user bob
probe "ALL@ALL still asks" ALL@ALL $C2 198.51.100.20 198.51.100.1 v4m "granted bob@${M}198.51.100.20"
rig_check "query: client port, server port" "1" \
	"$(tail -n 2 "$RIG_IDENT_LOG" | grep -cE "^198\.51\.100\.1\|[0-9]+,$P_REF\|user$")"
probe "well-formed reply" KNOWN@ALL $C2 198.51.100.20 198.51.100.1 v4 "granted bob@198.51.100.20"
probe "well-formed reply" KNOWN@ALL $C2 2001:db8::20 2001:db8::1 v6 "granted bob@2001:db8::20"
: >"$RIG_IDENT_LOG"
probe "query from the connection's local address" bob@ALL $C2 203.0.113.30 192.0.2.1 v4 \
	"granted bob@203.0.113.30"
rig_check "both queries came from 192.0.2.1 (not 203.0.113.1)" "2" \
	"$(grep -c '^192\.0\.2\.1|' "$RIG_IDENT_LOG")"
probe "query from the connection's local address" bob@ALL $C2 203.0.113.30 192.0.2.1 v4m \
	"granted bob@${M}203.0.113.30"
rig_check "both queries came from 192.0.2.1 (not 203.0.113.1)" "4" \
	"$(grep -c '^192\.0\.2\.1|' "$RIG_IDENT_LOG")"

rig_ident_mode os OTHER bob
probe "other os field" bob@ALL $C2 198.51.100.20 198.51.100.1 v4m "granted bob@${M}198.51.100.20"
for mode in "lower bob" "noos bob" "nonewline bob" "wrongport bob" "error" "garbage" "close" "flood"; do
	rig_ident_mode $mode
	probe "bad reply: $mode" KNOWN@ALL $C2 198.51.100.20 198.51.100.1 v4 REFUSED
	rig_check "bad reply: $mode costs no timeout" "fast fast" \
		"$([ "$PROBE_MS_OURS" -lt 1500 ] && echo fast || echo "slow:$PROBE_MS_OURS") $([ "$PROBE_MS_REF" -lt 1500 ] && echo fast || echo "slow:$PROBE_MS_REF")"
done
probe "no ident server there (reset): no timeout" KNOWN@ALL $C2 203.0.113.31 203.0.113.1 v4m REFUSED
rig_check "no ident server: answered at once" "fast fast" \
	"$([ "$PROBE_MS_OURS" -lt 1500 ] && echo fast || echo "slow:$PROBE_MS_OURS") $([ "$PROBE_MS_REF" -lt 1500 ] && echo fast || echo "slow:$PROBE_MS_REF")"
rig_ident_mode long 3000
probe "over-long user: the first 127 bytes" "KNOWN@ALL" $C2 198.51.100.20 198.51.100.1 v4 \
	"granted $(printf 'A%.0s' $(seq 127))@198.51.100.20"
rig_ident_mode slow 1 bob
probe "slow reply within the timeout" bob@ALL $C2 198.51.100.20 198.51.100.1 v4m "granted bob@${M}198.51.100.20"

# within SECONDS MS... - every measurement is at least 2 s (the timeout, rfc931 2) and below
# SECONDS (an upper bound well above it).
within() {
	local limit=$1 ms out=
	shift
	for ms in "$@"; do
		if [ "$ms" -ge 1900 ] && [ "$ms" -lt $((limit * 1000)) ]; then out+="ok "; else out+="${ms}ms "; fi
	done
	echo "${out% }"
}
for mode in "silent" "slow 4 bob" "trickle"; do
	rig_ident_mode $mode
	probe "timeout: $mode" KNOWN@ALL $C2 198.51.100.20 198.51.100.1 v4m REFUSED
	rig_check "timeout: $mode takes the timeout, and less than 6 s" "ok ok" \
		"$(within 6 "$PROBE_MS_OURS" "$PROBE_MS_REF")"
done
rig_ident_mode silent
probe "timeout: silent" KNOWN@ALL $C2 2001:db8::20 2001:db8::1 v6 REFUSED
rig_check "timeout: silent [v6] takes the timeout, and less than 6 s" "ok ok" \
	"$(within 6 "$PROBE_MS_OURS" "$PROBE_MS_REF")"
probe "timeout: black hole" KNOWN@ALL $C1 192.0.2.67 192.0.2.1 v4 REFUSED
rig_check "timeout: black hole takes the timeout, and less than 6 s" "ok ok" \
	"$(within 6 "$PROBE_MS_OURS" "$PROBE_MS_REF")"
probe "timeout: black hole" UNKNOWN@ALL $C1 2001:db8::66 2001:db8::1 v6 "granted 2001:db8::66"
rig_check "timeout: black hole [v6] takes the timeout, and less than 6 s" "ok ok" \
	"$(within 6 "$PROBE_MS_OURS" "$PROBE_MS_REF")"
# After all that, the servers still answer at once.
rig_ident_mode user bob
probe "still serving after the hostile replies" bob@ALL $C2 198.51.100.20 198.51.100.1 v4 "granted bob@198.51.100.20"

rig_finish
