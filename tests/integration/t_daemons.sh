#!/usr/bin/env bash
# t_daemons.sh - unchanged Debian programs that link libwrap.so.0, running on ours.
#
# In the rig's server namespace and sandbox, with our build/libwrap.so.0 first on
# LD_LIBRARY_PATH *and* bind-mounted over the system's file inside the sandbox (so that a
# superserver that clears the environment cannot slip back to Debian's), each program decides
# real connections from the client namespaces: an allowed client is served, a denied one is
# refused, and the log line is captured from the sandbox's /dev/log.  Each one also shows a
# feature of the language beyond plain addresses:
#
#   socat tcpwrap=NAME         host name rule (DNS), a PARANOID (mismatched PTR) client refused
#   socat tcpwrap-etc=DIR      [2001:db8::]/123 rule, tables from DIR
#   socat allow-/deny-table=   net/mask rule with a spawn option (its % expansions checked)
#   sshd                       n.n.n.n/m.m.m.m EXCEPT address; the real ssh client
#   openbsd-inetd -l           .domain rule (DNS); built-in wrapping
#   xinetd (unpacked .deb)     /len EXCEPT address, [v6] literal, IPv4-mapped clients
#   tcpd (Debian's, by inetd)  EXCEPT and spawn with %d %a %c (our shell_cmd, our tables)
#   tcpdmatch, tcpdchk         their own syslog()/shell_cmd()/rfc931() replace ours (A2): our
#                              library's diagnostics reach their stdout
#
# Which library is used is proven three ways: LD_DEBUG=libs shows each program finding
# $B/libwrap.so.0, each running daemon's /proc/PID/maps holds our file's inode, and every
# decision logs a warning only our library gives (L6: the never-matching "10.0.0.0/33" of
# hosts.allow line 1).  xinetd conflicts with openbsd-inetd as a package: its .deb is
# downloaded into build/cache/ and unpacked (tests/install-deps.sh does it too).
. "$(dirname "$0")/lib/rig.sh"

W=$RIG_W
OURS=$RIG_BUILD/libwrap.so.0
FINGERPRINT='warning: /etc/hosts.allow, line 1: bad net/mask pattern "10.0.0.0/33": it never matches'

# probe NS SRC DST PORT - connect from SRC; the first line the server sends, REFUSED when the
# connection was made but the server sent nothing, or "no connection: ..." when socat could not
# connect at all.  Gives up 3 s after the last byte (a refusing tcpd or sshd holds the
# connection 5 s by design).
probe() {
	local addr reply rc err
	case $2 in
	*:*) addr="TCP6:[$3]:$4,bind=[$2]" ;;
	*) addr="TCP4:$3:$4,bind=$2" ;;
	esac
	err=$(mktemp "$W/probe.XXXXXX")
	reply=$(ip netns exec "$1" timeout 20 socat -T3 - "$addr" </dev/null 2>"$err")
	rc=$?
	if [ "$rc" != 0 ]; then
		echo "no connection (socat exit $rc): $(tail -n 1 "$err")"
	else
		reply=$(head -n 1 <<<"$reply" | tr -d '\r')
		echo "${reply:-REFUSED}"
	fi
	rm -f "$err"
}

# log_has NAME REGEX - a captured syslog line matches (waits up to 10 s for it).
log_has() {
	if rig_log_wait 10 "$2"; then
		rig_pass "$1"
	else
		rig_fail "$1: no log line matching [$2]"
		sed 's/^/    log: /' "$RIG_SYSLOG" | tail -n 15
	fi
}

# listener_pid PORT - the PID of the process listening on TCP PORT in the server namespace.
listener_pid() {
	ip netns exec "$RIG_SRV" ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -n 1 |
		cut -d= -f2
}

# maps_ours NAME PORT - the daemon listening on PORT has our libwrap mapped.
maps_ours() {
	local pid
	pid=$(listener_pid "$2")
	rig_check "$1 (pid ${pid:-none}) maps our libwrap" "$(stat -L -c %i "$OURS")" \
		"$(rig_libwrap_of "${pid:-0}")"
}

# loads_ours NAME BINARY - the dynamic loader finds libwrap.so.0 in $RIG_BUILD first.
loads_ours() {
	local trace
	trace=$(LD_DEBUG=libs LD_TRACE_LOADED_OBJECTS=1 LD_LIBRARY_PATH=$RIG_BUILD "$2" 2>&1)
	if grep -q "trying file=$RIG_BUILD/libwrap.so.0\$" <<<"$trace" &&
		grep -q "libwrap.so.0 => $RIG_BUILD/libwrap.so.0 " <<<"$trace"; then
		rig_pass "$1: LD_DEBUG=libs finds $RIG_BUILD/libwrap.so.0"
	else
		rig_fail "$1: LD_DEBUG=libs does not find our libwrap: $(grep -i wrap <<<"$trace" | tail -n 2)"
	fi
}

# xinetd_binary - Debian's xinetd, unpacked from its .deb into build/cache (downloaded once).
xinetd_binary() {
	local cache=$RIG_TOP/build/cache
	if [ ! -x "$cache/xinetd-root/usr/sbin/xinetd" ]; then
		mkdir -p "$cache" &&
			(cd "$cache" && { ls xinetd_*.deb >/dev/null 2>&1 || apt-get download xinetd; }) \
				>/dev/null 2>&1 &&
			dpkg-deb -x "$cache"/xinetd_*.deb "$cache/xinetd-root" || return 1
	fi
	echo "$cache/xinetd-root/usr/sbin/xinetd"
}

[ -x /usr/sbin/sshd ] && [ -x /usr/sbin/inetd ] && [ -x /usr/sbin/tcpd ] &&
	[ -x /usr/bin/ssh ] || rig_die "openssh-server, openssh-client, openbsd-inetd and tcpd are needed"
XINETD=$(xinetd_binary) || rig_die "cannot download and unpack xinetd into build/cache"
[ -e "$OURS" ] || rig_die "build $OURS first"

rig_world
rig_use_our_libwrap
rig_pass "our libwrap is bind-mounted in the sandbox; the machine's own file is Debian's"

for b in /usr/bin/socat /usr/sbin/sshd /usr/sbin/inetd "$XINETD" /usr/sbin/tcpd \
	/usr/sbin/tcpdmatch /usr/sbin/tcpdchk; do
	loads_ours "${b##*/}" "$b"
done

# Shared tables (the sandbox's /etc).  Line 1 is the fingerprint: every scan reaches it, and
# only our library reports it.
rig_table hosts.allow 'ALL: 10.0.0.0/33
sockd: trusted.example.com
sshd: 192.0.2.0/255.255.255.0 EXCEPT 192.0.2.66
inetecho: .example.com
xecho: [2001:db8::10], 192.0.2.64/26 EXCEPT 192.0.2.67
tcpdecho: 198.51.100.0/24 192.0.2.0/24 EXCEPT 192.0.2.67 : spawn echo spawned %d %a %c >>'"$W"'/tcpd-spawn
'
rig_table hosts.deny 'ALL: ALL
'
mkdir -p "$W/bin"
ln -s /bin/echo "$W/bin/inetecho"
ln -s /bin/echo "$W/bin/tcpdecho"

# --- socat -----------------------------------------------------------------------------------
mkdir -p "$W/socat-etc"
printf 'sock6: [2001:db8::]/123\n' >"$W/socat-etc/hosts.allow"
printf 'ALL: ALL\n' >"$W/socat-etc/hosts.deny"
printf 'sockt: 198.51.100.0/255.255.255.0 : spawn echo spawned %%d %%a %%n >%s/socat-spawn\n' \
	"$W" >"$W/t.allow"
printf 'ALL: ALL\n' >"$W/t.deny"
rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" socat \
	TCP4-LISTEN:7021,bind=192.0.2.1,reuseaddr,fork,tcpwrap=sockd SYSTEM:'echo granted-sockd'
rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" socat \
	TCP6-LISTEN:7022,ipv6only=1,reuseaddr,fork,tcpwrap=sock6,tcpwrap-etc="$W/socat-etc" \
	SYSTEM:'echo granted-sock6'
rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" socat \
	TCP4-LISTEN:7023,reuseaddr,fork,tcpwrap=sockt,allow-table="$W/t.allow",deny-table="$W/t.deny" \
	SYSTEM:'echo granted-sockt'

# --- sshd --------------------------------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$W/ssh_host_key" || rig_die "ssh-keygen failed"
cat >"$W/sshd_config" <<EOF
Port 7060
ListenAddress 192.0.2.1
HostKey $W/ssh_host_key
PidFile $W/sshd.pid
UsePAM no
LogLevel ERROR
EOF
rig_sb /usr/sbin/sshd -t -f "$W/sshd_config" || rig_die "sshd rejects its test configuration"
rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" /usr/sbin/sshd -D -e -f "$W/sshd_config"

# --- openbsd-inetd: built-in wrapping (-l) on 7040; Debian's tcpd on 7041 -----------------------
printf '7040\tstream\ttcp\tnowait\troot\t%s\tinetecho granted-inetd\n' "$W/bin/inetecho" \
	>"$W/inetd-l.conf"
printf '7041\tstream\ttcp\tnowait\troot\t/usr/sbin/tcpd\t%s granted-tcpd\n' "$W/bin/tcpdecho" \
	>"$W/inetd.conf"
# -l: inetd asks libwrap itself; the second inetd clears the environment (no -E): tcpd finds
# our library only through the sandbox's bind mount.
rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" /usr/sbin/inetd -d -i -l -E "$W/inetd-l.conf" \
	2>"$W/inetd-l.log"
rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" /usr/sbin/inetd -d -i "$W/inetd.conf" \
	2>"$W/inetd.log"

# --- xinetd ------------------------------------------------------------------------------------
cat >"$W/xinetd.conf" <<EOF
service xecho
{
	type        = UNLISTED
	port        = 7050
	socket_type = stream
	protocol    = tcp
	wait        = no
	user        = root
	server      = /bin/echo
	server_args = granted-xinetd
	flags       = IPv6
	libwrap     = xecho
	log_type    = SYSLOG daemon info
	log_on_failure = HOST
}
EOF
rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" "$XINETD" -f "$W/xinetd.conf" -dontfork \
	-pidfile "$W/xinetd.pid"

for port in 7021 7022 7023 7060 7040 7041 7050; do
	rig_wait_listen "$RIG_SRV" "$port" || rig_die "nothing listens on port $port"
done
maps_ours "socat tcpwrap" 7021
maps_ours "socat tcpwrap-etc" 7022
maps_ours "socat allow-table" 7023
maps_ours "sshd" 7060
maps_ours "openbsd-inetd -l" 7040
maps_ours "openbsd-inetd (for tcpd)" 7041
maps_ours "xinetd" 7050

# The refusals of sshd and tcpd hold the connection 5 s: start them first, all at once.
( probe "$RIG_C1" 192.0.2.66 192.0.2.1 7060 >"$W/sshd-refused" ) &
refused_sshd=$!
( probe "$RIG_C1" 192.0.2.67 192.0.2.1 7041 >"$W/tcpd-refused" ) &
refused_tcpd=$!

# socat tcpwrap=sockd: host name rule.  192.0.2.10's PTR and A agree; 192.0.2.66's PTR claims
# trusted.example.com too, but its forward lookup disagrees: paranoid, so the name rule fails.
rig_check "socat tcpwrap: host name rule allows 192.0.2.10" "granted-sockd" \
	"$(probe "$RIG_C1" 192.0.2.10 192.0.2.1 7021)"
rig_check "socat tcpwrap: mismatched PTR (paranoid) 192.0.2.66 refused" "REFUSED" \
	"$(probe "$RIG_C1" 192.0.2.66 192.0.2.1 7021)"
log_has "socat tcpwrap: matched line logged for the allowed client" \
	'socat\[[0-9]+\]: matched:  /etc/hosts.allow line 2$'
log_has "socat tcpwrap: the name/address mismatch is logged" \
	'socat\[[0-9]+\]: warning: /etc/hosts.allow, line 2: host name/address mismatch: 192\.0\.2\.66 != trusted\.example\.com$'
log_has "socat tcpwrap: the refusal matched hosts.deny line 1" \
	'socat\[[0-9]+\]: matched:  /etc/hosts.deny line 1$'
log_has "socat tcpwrap: our library's fingerprint warning" "socat\\[[0-9]+\\]: $FINGERPRINT"

# socat tcpwrap-etc=DIR: an IPv6 prefix rule from DIR's tables.
rig_check "socat tcpwrap-etc: [2001:db8::]/123 allows 2001:db8::10" "granted-sock6" \
	"$(probe "$RIG_C1" 2001:db8::10 2001:db8::1 7022)"
rig_check "socat tcpwrap-etc: 2001:db8::66 is outside the /123" "REFUSED" \
	"$(probe "$RIG_C1" 2001:db8::66 2001:db8::1 7022)"
log_has "socat tcpwrap-etc: DIR/hosts.allow decided" \
	"socat\\[[0-9]+\\]: matched:  $W/socat-etc/hosts.allow line 1\$"
log_has "socat tcpwrap-etc: DIR/hosts.deny refused" \
	"socat\\[[0-9]+\\]: matched:  $W/socat-etc/hosts.deny line 1\$"

# socat allow-table= / deny-table=: the exported table variables, and a spawn option.
rig_check "socat allow-table: 198.51.100.20 allowed" "granted-sockt" \
	"$(probe "$RIG_C2" 198.51.100.20 198.51.100.1 7023)"
rig_check "socat deny-table: 203.0.113.30 refused" "REFUSED" \
	"$(probe "$RIG_C2" 203.0.113.30 203.0.113.1 7023)"
log_has "socat allow-table: the table named by allow-table= decided" \
	"socat\\[[0-9]+\\]: matched:  $W/t.allow line 1\$"
log_has "socat deny-table: the table named by deny-table= refused" \
	"socat\\[[0-9]+\\]: matched:  $W/t.deny line 1\$"
rig_wait_for 10 test -s "$W/socat-spawn"
rig_check "socat allow-table: spawn ran with %d %a %n expanded" \
	"spawned sockt 198.51.100.20 client2.example.com" "$(cat "$W/socat-spawn" 2>/dev/null)"

# sshd: net/mask EXCEPT an address; the real ssh client gets to authentication.
ssh_out=$(ip netns exec "$RIG_C1" timeout 30 ssh -v -b 192.0.2.10 -p 7060 \
	-o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	-o ConnectTimeout=10 nobody@192.0.2.1 true 2>&1)
if grep -q 'remote software version OpenSSH' <<<"$ssh_out" &&
	grep -q 'Permission denied' <<<"$ssh_out"; then
	rig_pass "sshd: 192.0.2.10 (in 192.0.2.0/255.255.255.0) gets the SSH handshake and authentication"
else
	rig_fail "sshd: ssh from 192.0.2.10 did not reach authentication: $(tail -n 3 <<<"$ssh_out")"
fi
wait "$refused_sshd"
rig_check "sshd: 192.0.2.66 (EXCEPT) refused" "REFUSED" "$(cat "$W/sshd-refused")"
log_has "sshd: the refusal is logged by libwrap's refuse()" \
	'sshd(\[[0-9]+\])?: refused connect from 192\.0\.2\.66 \(192\.0\.2\.66\)$'
log_has "sshd: our library's fingerprint warning" "sshd(\\[[0-9]+\\])?: $FINGERPRINT"

# openbsd-inetd -l: .domain rule; 192.0.2.68 has no PTR, so no name.
rig_check "openbsd-inetd -l: .example.com allows 198.51.100.20 (client2.example.com)" \
	"granted-inetd" "$(probe "$RIG_C2" 198.51.100.20 198.51.100.1 7040)"
rig_check "openbsd-inetd -l: 192.0.2.68 (no host name) refused" "REFUSED" \
	"$(probe "$RIG_C1" 192.0.2.68 192.0.2.1 7040)"
log_has "openbsd-inetd -l: the refusal is logged" \
	'inetd\[[0-9]+\]: refused connection from 192\.0\.2\.68, service 7040 \(tcp\)'
log_has "openbsd-inetd -l: our library's fingerprint warning" "inetd\\[[0-9]+\\]: $FINGERPRINT"

# xinetd: /len EXCEPT an address, a [v6] literal; IPv4 clients arrive IPv4-mapped.
rig_check "xinetd: 192.0.2.66 (in 192.0.2.64/26) allowed" "granted-xinetd" \
	"$(probe "$RIG_C1" 192.0.2.66 192.0.2.1 7050)"
rig_check "xinetd: [2001:db8::10] allowed" "granted-xinetd" \
	"$(probe "$RIG_C1" 2001:db8::10 2001:db8::1 7050)"
rig_check "xinetd: 192.0.2.67 (EXCEPT) refused" "REFUSED" \
	"$(probe "$RIG_C1" 192.0.2.67 192.0.2.1 7050)"
rig_check "xinetd: 192.0.2.10 (outside the /26) refused" "REFUSED" \
	"$(probe "$RIG_C1" 192.0.2.10 192.0.2.1 7050)"
log_has "xinetd: the libwrap refusal is logged" \
	'xinetd\[[0-9]+\]: libwrap refused connection to xecho \(libwrap=xecho\) from ::ffff:192\.0\.2\.67'
log_has "xinetd: our library's fingerprint warning" "xinetd\\[[0-9]+\\]: $FINGERPRINT"

# Debian's tcpd, started by inetd with a cleared environment: EXCEPT, and spawn.
rig_check "tcpd: 198.51.100.20 allowed, the real daemon runs" "granted-tcpd" \
	"$(probe "$RIG_C2" 198.51.100.20 198.51.100.1 7041)"
log_has "tcpd: the grant is logged" \
	'tcpdecho\[[0-9]+\]: connect from 198\.51\.100\.20 \(198\.51\.100\.20\)$'
rig_wait_for 10 test -s "$W/tcpd-spawn"
rig_check "tcpd: spawn ran with %d %a %c expanded" "spawned tcpdecho 198.51.100.20 198.51.100.20" \
	"$(head -n 1 "$W/tcpd-spawn" 2>/dev/null)"
log_has "tcpd: our library's fingerprint warning (tcpd found ours without LD_LIBRARY_PATH)" \
	"tcpdecho\\[[0-9]+\\]: $FINGERPRINT"
wait "$refused_tcpd"
rig_check "tcpd: 192.0.2.67 (EXCEPT) refused" "REFUSED" "$(cat "$W/tcpd-refused")"
log_has "tcpd: the refusal is logged" \
	'tcpdecho\[[0-9]+\]: refused connect from 192\.0\.2\.67 \(192\.0\.2\.67\)$'

# tcpdmatch and tcpdchk: Debian's programs define syslog() (printing to stdout), shell_cmd(),
# rfc931() and clean_exit(); our library calls them, so its diagnostics appear in their output
# (Debian's library sends them to the real syslog instead: A2).
match_out=$(rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" /usr/sbin/tcpdmatch -i "$W/inetd.conf" \
	sockd trusted.example.com 2>&1)
# (trusted.example.com has an IPv4 and an IPv6 address: one report for each)
rig_check "tcpdmatch: a host name client is granted by the name rule, both addresses" \
	"2 access:   granted" "$(grep '^access:' <<<"$match_out" | uniq -c | sed 's/^ *//')"
rig_check "tcpdmatch: our matched: line reaches its stdout" "matched:  /etc/hosts.allow line 2" \
	"$(grep '^matched:' <<<"$match_out" | sort -u)"
rig_check "tcpdmatch: our fingerprint warning reaches its stdout" "$FINGERPRINT" \
	"$(grep '^warning: /etc/hosts.allow, line 1' <<<"$match_out" | sort -u)"
match_out=$(rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" /usr/sbin/tcpdmatch -i "$W/inetd.conf" \
	tcpdecho 192.0.2.67 2>&1)
rig_check "tcpdmatch: an EXCEPT client is denied" "access:   denied" \
	"$(grep '^access:' <<<"$match_out")"
match_out=$(rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" /usr/sbin/tcpdmatch -i "$W/inetd.conf" \
	tcpdecho 198.51.100.20 2>&1)
rig_check "tcpdmatch: the spawn option is shown, not run (dry run)" \
	"option:   spawn echo spawned tcpdecho 198.51.100.20 198.51.100.20 >>$W/tcpd-spawn" \
	"$(grep '^option:' <<<"$match_out")"
chk_out=$(rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" /usr/sbin/tcpdchk -v -i "$W/inetd.conf" 2>&1)
rig_check "tcpdchk: its own check of line 1 reaches stdout through our tcpd_warn" \
	"warning: /etc/hosts.allow, line 1: 10.0.0.0/33: bad net/mask pattern" \
	"$(grep 'line 1: 10.0.0.0/33' <<<"$chk_out")"
rig_check "tcpdchk: the tcpd rule is listed as granted" \
	"clients:  198.51.100.0/24 192.0.2.0/24 EXCEPT 192.0.2.67|access:   granted" \
	"$(grep -A5 '^>>> Rule /etc/hosts.allow line 6:' <<<"$chk_out" | grep -E '^(clients|access):' | paste -sd'|')"
rig_check "tcpdchk: the hosts.deny rule is listed as denied" "access:   denied" \
	"$(grep -A3 '^>>> Rule /etc/hosts.deny line 1:' <<<"$chk_out" | grep '^access:')"
rig_finish
