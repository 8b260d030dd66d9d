#!/usr/bin/env bash
# t_identity_tcpd.sh - the identity cases of t_identity.sh once more through tcpd under
# Debian's openbsd-inetd (plain AF_INET "tcp" and AF_INET6 "tcp6" services): our build/tcpd
# (our library inside) and Debian's /usr/sbin/tcpd (Debian's libwrap) side by side, on the
# same tables, started by the same inetd.
#
# tcpd is one process per connection and holds a refused one for 5 s, so every probe runs at
# the same time, and each pattern has its own daemon name (its own rule):
#	who-known: KNOWN    who-unknown: UNKNOWN    who-paranoid: PARANOID    who-local: LOCAL
#	who-domain: .example.com    who-name: trusted.example.com    who-netgroup: @trusted
#	who-user: nobody@ALL    who-identknown: KNOWN@ALL    who-rfc: ALL: rfc931 2
# Checked per probe: the answer (granted or refused), the time it took where it matters (the
# default 10 s ident timeout against a black hole, rfc931 2 against a silent ident server),
# and the verdict line in syslog naming the client as the library saw it.
. "$(dirname "$0")/lib/rig.sh"

TCPD=$RIG_BUILD/tcpd
[ -x "$TCPD" ] || make -C "$RIG_TOP" --no-print-directory B="$RIG_BUILD" "$TCPD" >/dev/null ||
	rig_die "cannot build $TCPD"
command -v inetd >/dev/null || rig_die "openbsd-inetd is not installed (tests/install-deps.sh)"
[ -x /usr/sbin/tcpd ] || rig_die "Debian's tcpd is not installed (tests/install-deps.sh)"

[ "$(id -u)" = 0 ] || rig_die "the integration rig needs root"
rig_net_up
rig_etc_defaults
cat >>"$RIG_ETC/hosts" <<'EOF'
203.0.113.31	localbox
2001:db8::31	localbox6
EOF
rig_netgroup 'trusted (trusted.example.com,-,) (client2.example.com,,)
'
rig_sandbox_up
rig_dns_up
ip -n "$RIG_C2" addr add 203.0.113.31/24 dev eth0
ip -n "$RIG_C2" addr add 2001:db8::31/64 dev eth0 nodad

bin=$RIG_W/bin
mkdir -p "$bin"
printf '#!/bin/sh\necho granted\n' >"$bin/who"
chmod 755 "$bin/who"
services="known unknown paranoid local domain name netgroup user identknown rfc"
{
	port=7300
	for s in $services; do
		ln -s who "$bin/who-$s"
		port=$((port + 1))
		# ours on 73xx (tcp) and 75xx (tcp6), Debian's on 74xx and 76xx
		printf '%s\tstream\ttcp\tnowait\troot\t%s\t%s\n' $port "$TCPD" "$bin/who-$s"
		printf '%s\tstream\ttcp\tnowait\troot\t%s\t%s\n' $((port + 100)) /usr/sbin/tcpd "$bin/who-$s"
		printf '%s\tstream\ttcp6\tnowait\troot\t%s\t%s\n' $((port + 200)) "$TCPD" "$bin/who-$s"
		printf '%s\tstream\ttcp6\tnowait\troot\t%s\t%s\n' $((port + 300)) /usr/sbin/tcpd "$bin/who-$s"
	done
} >"$RIG_W/inetd.conf"
rig_table hosts.allow 'who-known: KNOWN
who-unknown: UNKNOWN
who-paranoid: PARANOID
who-local: LOCAL
who-domain: .example.com
who-name: trusted.example.com
who-netgroup: @trusted
who-user: nobody@ALL
who-identknown: KNOWN@ALL
who-rfc: ALL : rfc931 2
'
rig_table hosts.deny 'ALL: ALL
'
rig_bg rig_sb env -i PATH=/usr/bin:/bin /usr/sbin/inetd -d -E -i "$RIG_W/inetd.conf" \
	2>"$RIG_W/inetd.log"
rig_oidentd_up "$RIG_C1" 192.0.2.10 2001:db8::10
rig_identd_hostile "$RIG_C2" 198.51.100.20 2001:db8::20
rig_ident_mode silent
rig_ident_blackhole "$RIG_C1" 192.0.2.67
rig_wait_listen "$RIG_SRV" 7610 || rig_die "inetd did not listen: $(head -c 2000 "$RIG_W/inetd.log")"

# port_of SERVICE FAMILY WHICH - the port of a service (FAMILY v4 or v6, WHICH ours or ref).
port_of() {
	local i=0 s base=7300
	for s in $services; do
		i=$((i + 1))
		[ "$s" = "$1" ] && break
	done
	[ "$2" = v6 ] && base=$((base + 200))
	[ "$3" = ref ] && base=$((base + 100))
	echo $((base + i))
}

# probe ID SERVICE NS SRC DST FAMILY EXPECTED [USER] - start one probe to ours and one to
# Debian's tcpd in the background; results are read by results() once all have finished.
probes=() names=()
probe() {
	local id=$1 svc=$2 ns=$3 src=$4 dst=$5 fam=$6 want=$7 user=${8:-root} which
	for which in ours ref; do
		(
			t0=$(rig_now)
			r=$(rig_connect "$ns" "$src" "$dst" "$(port_of "$svc" "$fam" $which)" "$user")
			echo "$r|$(($(rig_now) - t0))"
		) >"$RIG_W/probe.$id.$which" &
		probes+=($!)
	done
	names+=("$id|$svc|$src|$fam|$want")
}

probe k1 known "$RIG_C1" 192.0.2.10 192.0.2.1 v4 granted
probe k2 known "$RIG_C1" 2001:db8::10 2001:db8::1 v6 granted
probe k3 known "$RIG_C1" 192.0.2.66 192.0.2.1 v4 REFUSED
probe k4 known "$RIG_C1" 2001:db8::66 2001:db8::1 v6 REFUSED
probe k5 known "$RIG_C1" 192.0.2.68 192.0.2.1 v4 REFUSED
probe u1 unknown "$RIG_C1" 192.0.2.68 192.0.2.1 v4 granted
probe u2 unknown "$RIG_C1" 192.0.2.10 192.0.2.1 v4 REFUSED
probe u3 unknown "$RIG_C1" 2001:db8::66 2001:db8::1 v6 REFUSED
probe p1 paranoid "$RIG_C1" 192.0.2.66 192.0.2.1 v4 granted
probe p2 paranoid "$RIG_C1" 2001:db8::66 2001:db8::1 v6 granted
probe p3 paranoid "$RIG_C1" 192.0.2.67 192.0.2.1 v4 granted
probe p4 paranoid "$RIG_C1" 2001:db8::10 2001:db8::1 v6 REFUSED
probe l1 local "$RIG_C2" 203.0.113.31 203.0.113.1 v4 granted
probe l2 local "$RIG_C2" 2001:db8::31 2001:db8::1 v6 granted
probe l3 local "$RIG_C1" 192.0.2.10 192.0.2.1 v4 REFUSED
probe d1 domain "$RIG_C2" 198.51.100.20 198.51.100.1 v4 granted
probe d2 domain "$RIG_C2" 2001:db8::20 2001:db8::1 v6 granted
probe d3 domain "$RIG_C1" 192.0.2.66 192.0.2.1 v4 REFUSED
probe n1 name "$RIG_C1" 192.0.2.10 192.0.2.1 v4 granted
probe n2 name "$RIG_C1" 2001:db8::66 2001:db8::1 v6 REFUSED
probe g1 netgroup "$RIG_C1" 192.0.2.10 192.0.2.1 v4 granted
probe g2 netgroup "$RIG_C2" 2001:db8::20 2001:db8::1 v6 granted
probe g3 netgroup "$RIG_C1" 192.0.2.66 192.0.2.1 v4 REFUSED
probe i1 user "$RIG_C1" 192.0.2.10 192.0.2.1 v4 granted nobody
probe i2 user "$RIG_C1" 2001:db8::10 2001:db8::1 v6 granted nobody
probe i3 user "$RIG_C1" 192.0.2.10 192.0.2.1 v4 REFUSED root
probe t1 identknown "$RIG_C1" 192.0.2.67 192.0.2.1 v4 REFUSED
probe t2 rfc "$RIG_C2" 198.51.100.20 198.51.100.1 v4 granted
probe t3 rfc "$RIG_C2" 2001:db8::20 2001:db8::1 v6 granted
wait "${probes[@]}"

for n in "${names[@]}"; do
	IFS='|' read -r id svc src fam want <<<"$n"
	for which in ours ref; do
		IFS='|' read -r got ms <"$RIG_W/probe.$id.$which"
		rig_check "$id who-$svc from $src [$fam] $which" "$want" "$got"
		eval "ms_${id}_$which=$ms"
	done
done

# within ID LOW HIGH - both tcpds took at least LOW and less than HIGH seconds for probe ID.
within() {
	local which ms out=
	for which in ours ref; do
		eval "ms=\$ms_$1_$which"
		if [ "$ms" -ge $(($2 * 1000 - 100)) ] && [ "$ms" -lt $(($3 * 1000)) ]; then
			out+="ok "
		else
			out+="$which:${ms}ms "
		fi
	done
	echo "${out% }"
}
rig_check "t1: black-holed ident, default timeout 10 s, then the 5 s hold (15 s to 25 s)" \
	"ok ok" "$(within t1 15 25)"
rig_check "t2: rfc931 2 against a silent ident server (2 s to 6 s)" "ok ok" "$(within t2 2 6)"
rig_check "t3: rfc931 2 against a silent ident server [v6] (2 s to 6 s)" "ok ok" "$(within t3 2 6)"
rig_check "refusals are held 5 s (k3)" "ok ok" "$(within k3 5 15)"

# The verdict lines: the client as each library named it (tcpd's "CLIENT (ADDRESS)" for ours,
# the classic "CLIENT" for Debian's).
verdict() { # NAME TAG VERDICT CLIENT ADDRESS
	local line
	if [ "$4" = "$5" ]; then
		line="$3 from $4( \\($5\\))?\$"
	else
		line="$3 from $4 \\($5\\)\$|$3 from $4\$"
	fi
	if rig_log_wait 5 "$2\[[0-9]+\]: ($line)"; then
		local n
		n=$(grep -cE "$2\[[0-9]+\]: ($line)" "$RIG_SYSLOG")
		rig_check "$1: logged by both tcpds" 2 "$n"
	else
		rig_fail "$1: no line /$line/"
		grep "$2\[" "$RIG_SYSLOG" | sed 's/^/    /'
	fi
}
verdict "k1 verified name" who-known "connect" trusted.example.com 192.0.2.10
verdict "k2 verified name [v6]" who-known "connect" trusted.example.com 2001:db8::10
verdict "k3 paranoid" who-known "refused connect" 192.0.2.66 192.0.2.66
verdict "u1 unknown" who-unknown "connect" 192.0.2.68 192.0.2.68
verdict "l1 local name" who-local "connect" localbox 203.0.113.31
verdict "l2 local name [v6]" who-local "connect" localbox6 2001:db8::31
verdict "g2 netgroup member [v6]" who-netgroup "connect" client2.example.com 2001:db8::20
verdict "i1 ident user" who-user "connect" nobody@192.0.2.10 192.0.2.10
verdict "i2 ident user [v6]" who-user "connect" nobody@2001:db8::10 2001:db8::10
verdict "t2 ident timed out" who-rfc "connect" 198.51.100.20 198.51.100.20
rig_check "mismatch warnings (k3, p1, g3, d3: one per tcpd each)" 8 \
	"$(grep -cE 'who-(known|paranoid|netgroup|domain)\[[0-9]+\]: warning: /etc/hosts.allow, line [0-9]+: host name/address mismatch: 192\.0\.2\.66 != trusted\.example\.com$' "$RIG_SYSLOG")"
rig_check "no-forward-record warning (p3, both tcpds)" 2 \
	"$(grep -cE "who-paranoid\[[0-9]+\]: warning: /etc/hosts.allow, line 3: can't verify hostname: getaddrinfo\(ghost\.example\.com, AF_INET\) failed$" "$RIG_SYSLOG")"
rig_finish
