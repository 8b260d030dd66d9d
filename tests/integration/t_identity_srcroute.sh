#!/usr/bin/env bash
# t_identity_srcroute.sh - fix_options() against real IPv4 source-routed connections.
#
# A router namespace forwards loose-source-routed packets (rig_source_route_up); a client in
# $RIG_C1 connects through it with IP_OPTIONS LSRR to wrapserv running fix_options() first,
# as tcpd does, on a plain AF_INET socket and on a dual-stack one (IPv4-mapped client), and
# to our tcpd and Debian's under openbsd-inetd.
# Linux hands the reversed route over with the LSRR option at byte 0.  Ours refuses both
# (docs/COMPATIBILITY.md, S1); Debian's libwrap scans from byte 4, so it misses the route,
# logs the options as "ignored" and grants, and it never looks at AF_INET6 sockets.
. "$(dirname "$0")/lib/rig.sh"

rig_world
rig_build_wrapserv
rig_source_route_up
rig_table hosts.allow 'ALL: ALL
'
rig_table hosts.deny 'ALL: ALL
'
rig_bg rig_sb env WRAPSERV_FIX_OPTIONS=1 WRAPSERV_INET4=1 LD_LIBRARY_PATH="$RIG_BUILD" \
	"$RIG_WRAPSERV" ours4 7201 60
rig_bg rig_sb env WRAPSERV_FIX_OPTIONS=1 WRAPSERV_INET4=1 "$RIG_WRAPSERV" ref4 7202 60
rig_bg rig_sb env WRAPSERV_FIX_OPTIONS=1 LD_LIBRARY_PATH="$RIG_BUILD" "$RIG_WRAPSERV" ours6 7203 60
rig_bg rig_sb env WRAPSERV_FIX_OPTIONS=1 "$RIG_WRAPSERV" ref6 7204 60
TCPD=$RIG_BUILD/tcpd
[ -x "$TCPD" ] || make -C "$RIG_TOP" --no-print-directory B="$RIG_BUILD" "$TCPD" >/dev/null ||
	rig_die "cannot build $TCPD"
command -v inetd >/dev/null || rig_die "openbsd-inetd is not installed (tests/install-deps.sh)"
mkdir -p "$RIG_W/bin"
printf '#!/bin/sh\necho granted\n' >"$RIG_W/bin/routed"
chmod 755 "$RIG_W/bin/routed"
printf '7211\tstream\ttcp\tnowait\troot\t%s\t%s\n7212\tstream\ttcp\tnowait\troot\t%s\t%s\n' \
	"$TCPD" "$RIG_W/bin/routed" /usr/sbin/tcpd "$RIG_W/bin/routed" >"$RIG_W/inetd.conf"
rig_bg rig_sb env -i PATH=/usr/bin:/bin /usr/sbin/inetd -d -E -i "$RIG_W/inetd.conf" \
	2>"$RIG_W/inetd.log"
for p in 7201 7202 7203 7204 7211 7212; do
	rig_wait_listen "$RIG_SRV" $p || rig_die "nothing listens on $p"
done

# Without options every server grants, silently.
rig_check "no options [v4] ours" "granted 192.0.2.10" "$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7201)"
rig_check "no options [v4] ref" "granted 192.0.2.10" "$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7202)"
rig_check "no options [v4m] ours" "granted ::ffff:192.0.2.10" "$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7203)"
rig_check "no options [v4m] ref" "granted ::ffff:192.0.2.10" "$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7204)"
rig_check "no options: nothing about IP options logged" "0" "$(grep -c 'IP \(options\|source\)' "$RIG_SYSLOG")"

# Source-routed, to ours: refused at once (shut down: the client sees the end), and logged.
t0=$(rig_now)
rig_check "source route [v4] ours" REFUSED "$(rig_connect_source_routed 192.0.2.254 192.0.2.10 192.0.2.1 7201)"
rig_check "source route [v4m] ours" REFUSED "$(rig_connect_source_routed 192.0.2.254 192.0.2.10 192.0.2.1 7203)"
ms=$(($(rig_now) - t0))
rig_check "source routes refused at once (both under 10 s)" yes "$([ $ms -lt 10000 ] && echo yes || echo "no: $ms ms")"
for tag in ours4 ours6; do
	addr=192.0.2.10
	[ $tag = ours6 ] && addr=::ffff:192.0.2.10
	if rig_log_wait 5 "^<28>.* $tag\[[0-9]+\]: refused connect from $addr with IP source routing options$"; then
		rig_pass "$tag: refusal logged at daemon.warning"
	else
		rig_fail "$tag: no refusal logged"; grep "$tag" "$RIG_SYSLOG" | sed 's/^/    /'
	fi
done

# The same to Debian's libwrap: the route at byte 0 escapes its scan.  (Its clearing of the
# options stalls this connection, so only its log is checked, after a short wait.)
rig_connect_source_routed 192.0.2.254 192.0.2.10 192.0.2.1 7202 3 >/dev/null
rig_connect_source_routed 192.0.2.254 192.0.2.10 192.0.2.1 7204 3 >/dev/null
if rig_log_wait 5 '^<29>.* ref4\[[0-9]+\]: connect from 192\.0\.2\.10 with IP options \(ignored\): 83 07 04 c0 00 02 fe 00$'; then
	rig_pass "ref4: the LSRR at byte 0 is missed and only 'ignored' (reference bug B18)"
else
	rig_fail "ref4: expected the 'ignored' notice"; grep ref4 "$RIG_SYSLOG" | sed 's/^/    /'
fi
rig_check "ref4 and ref6 never refuse a source route" 0 \
	"$(grep -E 'ref[46]\[' "$RIG_SYSLOG" | grep -c 'source routing')"
rig_check "ref4 granted both (plain, routed)" 2 "$(grep -cE 'ref4\[[0-9]+\]: connect from 192\.0\.2\.10$' "$RIG_SYSLOG")"
rig_check "ref6 granted the IPv4-mapped routed client without looking" 2 \
	"$(grep -cE 'ref6\[[0-9]+\]: connect from ::ffff:192\.0\.2\.10$' "$RIG_SYSLOG")"
# (wrapserv, unlike tcpd, goes on to its decision on the shut-down socket; the client above
# got nothing, which is what counts.)
rig_check "ours refused each routed connection once" 2 \
	"$(grep -cE 'ours[46]\[[0-9]+\]: refused connect from .* with IP source routing options$' "$RIG_SYSLOG")"
# Through tcpd under inetd: ours refuses (fix_options), Debian's misses the route.
rig_log_clear
rig_check "no options, our tcpd" granted "$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7211)"
rig_check "source route, our tcpd" REFUSED \
	"$(rig_connect_source_routed 192.0.2.254 192.0.2.10 192.0.2.1 7211)"
rig_connect_source_routed 192.0.2.254 192.0.2.10 192.0.2.1 7212 3 >/dev/null
if rig_log_wait 5 '^<28>.* routed\[[0-9]+\]: refused connect from 192\.0\.2\.10 with IP source routing options$'; then
	rig_pass "our tcpd: the source route refused, logged"
else
	rig_fail "our tcpd: no refusal logged"; sed 's/^/    /' "$RIG_SYSLOG"
fi
# The tcpd that refused the route logs nothing else: no decision, no daemon started.
routed_pid=$(sed -nE 's/.* routed\[([0-9]+)\]: refused connect from .* with IP source routing options$/\1/p' \
	"$RIG_SYSLOG" | head -n 1)
rig_check "our tcpd: after the source route, no decision and no daemon" 1 \
	"$(grep -c "routed\[${routed_pid:-none}\]:" "$RIG_SYSLOG")"
if rig_log_wait 5 '^<29>.* routed\[[0-9]+\]: connect from 192\.0\.2\.10 with IP options \(ignored\): 83 07 04 c0 00 02 fe 00$'; then
	rig_pass "Debian's tcpd: the LSRR at byte 0 is missed and only 'ignored'"
else
	rig_fail "Debian's tcpd: expected the 'ignored' notice"; sed 's/^/    /' "$RIG_SYSLOG"
fi
rig_check "one refusal in all (ours)" 1 "$(grep -c 'with IP source routing options' "$RIG_SYSLOG")"
rig_finish
