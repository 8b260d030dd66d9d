#!/usr/bin/env bash
# t_tcpd_example.sh - the README's inetd walk-through, command for command, on the bundled
# files of examples/inetd/: a tcpd built with the example's tables, Debian's openbsd-inetd
# (plain, laundering the environment, as a newcomer runs it), clients on loopback.  Allow
# with banner, spawn and setenv; twist; deny (after the 5 s hold); the log lines.  Then
# "make demo", whose second part shows the same through a stand-in for inetd.
# Runs in the rig's sandbox (server namespace: its own loopback, private /dev/log).
. "$(dirname "$0")/lib/rig.sh"

[ "$(id -u)" = 0 ] || rig_die "the integration rig needs root"
command -v socat >/dev/null && [ -x /usr/sbin/inetd ] ||
	rig_die "openbsd-inetd and socat are needed (tests/install-deps.sh)"
rig_net_up
rig_etc_defaults
rig_sandbox_up

# The README's steps (with $RIG_W for /tmp, and the build directory under it).
ex=$RIG_W/tcpd-example tcpd=$RIG_W/build-example/tcpd
mkdir -p "$ex/banners"
for f in hosts.allow hosts.deny inetd.conf hello banners/hello; do
	sed "s|@TCPD@|$tcpd|g; s|@EX@|$ex|g" "$RIG_TOP/examples/inetd/$f" >"$ex/$f"
done
chmod 755 "$ex/hello"
make -s -C "$RIG_TOP" B="$RIG_W/build-example" HOSTS_ALLOW="$ex/hosts.allow" \
	HOSTS_DENY="$ex/hosts.deny" "$tcpd" >"$RIG_W/make.log" 2>&1 ||
	rig_die "cannot build the example's tcpd: $(tail -n 5 "$RIG_W/make.log")"
rig_bg rig_sb /usr/sbin/inetd -d -i "$ex/inetd.conf" 2>"$RIG_W/inetd.log"
rig_wait_listen "$RIG_SRV" 7070 || rig_die "inetd did not listen: $(head -c 500 "$RIG_W/inetd.log")"

# client SRC - what the service sends to a client from SRC (CRs shown as \r).
client() {
	rig_sb timeout 30 socat -t20 -T20 - "TCP:127.0.0.1:7070,bind=$1" </dev/null 2>&1 |
		sed 's/\r/\\r/g'
}

t0=$(date +%s)
client 127.0.0.3 >"$RIG_W/refused.out" &
refused=$!
rig_check "127.0.0.1: banner, then the service with the setenv value" \
	'Welcome to hello on 127.0.0.1, client 127.0.0.1.\r
hello: greeting from the real service, running as root; TCPD_EXAMPLE=from-hosts.allow' \
	"$(client 127.0.0.1)"
rig_check "127.0.0.2: twist" "Sorry 127.0.0.2, hello is closed to you." "$(client 127.0.0.2)"
wait "$refused"
took=$(( $(date +%s) - t0 ))
rig_check "127.0.0.3: refused, nothing sent" "" "$(cat "$RIG_W/refused.out")"
if [ "$took" -ge 5 ] && [ "$took" -lt 30 ]; then
	rig_pass "127.0.0.3: held 5 s before the close ($took s)"
else
	rig_fail "127.0.0.3: closed after $took s, not 5 s"
fi
rig_wait_for 10 grep -q refused "$ex/visits" || true
rig_check "spawn noted the visits (in the background)" "hello refused 127.0.0.3
hello visited by 127.0.0.1, pid N" "$(sed -E 's/pid [0-9]+/pid N/' "$ex/visits" | LC_ALL=C sort)"
rig_log_wait 5 'refused connect' || true
want_log=$(cat <<'EOF'
<28> hello: refused connect from 127.0.0.3 (127.0.0.3)
<30> hello: connect from 127.0.0.1 (127.0.0.1)
<37> hello: twist 127.0.0.2 to echo "Sorry 127.0.0.2, hello is closed to you."
EOF
)
rig_check "the log lines" "$want_log" "$(grep -E '^<[0-9]+>.{16}hello\[' "$RIG_SYSLOG" |
	sed -E 's/^(<[0-9]+>).{16}hello\[[0-9]+\]:/\1 hello:/' | LC_ALL=C sort)"
# "make demo" (the README's first command) shows the same with a stand-in for inetd.
demo=$(rig_sb make -s -C "$RIG_TOP" --no-print-directory B="$RIG_BUILD" demo 2>&1)
rig_check "make demo: tcpd's part" "hello[N]: connect from 127.0.0.1 (127.0.0.1)
    client reads: Welcome to hello on 127.0.0.1, client 127.0.0.1.
    client reads: hello: greeting from the real service, running as root; TCPD_EXAMPLE=from-hosts.allow
hello[N]: twist 127.0.0.2 to echo \"Sorry 127.0.0.2, hello is closed to you.\"
    client reads: Sorry 127.0.0.2, hello is closed to you.
hello[N]: refused connect from 127.0.0.3 (127.0.0.3)
    client reads nothing; the connection closes (tcpd holds a refusal 5 s)
hello visited by 127.0.0.1, pid N
hello refused 127.0.0.3" \
	"$(sed -n '/^== tcpd: connections/,$p' <<<"$demo" | grep -E '^(hello|    client)' |
		sed -E 's/\[[0-9]+\]/[N]/; s/pid [0-9]+/pid N/')"
rig_finish
