#!/usr/bin/env bash
# inetd-rate.sh B W - connections per second to a small inetd service (openbsd-inetd): the
# service unwrapped, behind Debian's /usr/sbin/tcpd, and behind our $B/tcpd (when built).
# Everything runs in a private network namespace (its own loopback: nothing leaves it) and a
# private mount namespace where /etc/hosts.allow and /etc/hosts.deny are empty files.  Prints
# a Markdown table.
set -u
B=$1 W=$2
SECONDS_PER_CASE=${BENCH_INETD_SECONDS:-3}
D=$(cd "$W" && pwd)/inetd
OUR_TCPD=$(pwd)/$B/tcpd
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || [ ! -x /usr/sbin/inetd ]; then
	echo "skipped: needs root, unshare and openbsd-inetd (/usr/sbin/inetd)"
	exit 0
fi
mkdir -p "$D"
: >"$D/hosts.allow"
: >"$D/hosts.deny"
cat >"$D/client.py" <<'PY'
import socket, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
deadline = time.monotonic() + seconds
done = 0
while time.monotonic() < deadline:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    while s.recv(4096):
        pass
    s.close()
    done += 1
print("%.0f" % (done / seconds))
PY
cat >"$D/run-in-ns.sh" <<'SH'
#!/usr/bin/env bash
# Inside the private namespaces: loopback up, empty tables, then one inetd per case.
set -u
D=$1 SECS=$2 OUR_TCPD=$3
ip link set lo up
for t in hosts.allow hosts.deny; do
	[ -e /etc/$t ] && mount --bind "$D/$t" /etc/$t
done
rate() { # rate CONF - start inetd on CONF, measure, stop it
	/usr/sbin/inetd -i -R 1000000 "$1" 2>"$D/inetd.err" &
	local pid=$! ok=0
	for _ in $(seq 50); do
		if python3 -c 'import socket; socket.create_connection(("127.0.0.1", 7040), timeout=1).close()' 2>/dev/null; then ok=1; break; fi
		sleep 0.1
	done
	if [ "$ok" = 1 ]; then python3 "$D/client.py" 7040 "$SECS"; else echo 0; fi
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
printf '7040\tstream\ttcp\tnowait.1000000\troot\t/bin/echo\techo hi\n' >"$D/plain.conf"
printf '7040\tstream\ttcp\tnowait.1000000\troot\t/usr/sbin/tcpd\t/bin/echo hi\n' >"$D/debian.conf"
printf '7040\tstream\ttcp\tnowait.1000000\troot\t%s\t/bin/echo hi\n' "$OUR_TCPD" >"$D/ours.conf"
plain=$(rate "$D/plain.conf")
debian=$(rate "$D/debian.conf")
if [ -x "$OUR_TCPD" ]; then ours=$(rate "$D/ours.conf"); else ours=none; fi
echo "$plain $debian $ours"
SH
chmod +x "$D/run-in-ns.sh"
read -r plain debian ours < <(unshare -n -m "$D/run-in-ns.sh" "$D" "$SECONDS_PER_CASE" "$OUR_TCPD")
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }
echo "Service \`/bin/echo hi\`, empty tables, one connection at a time for ${SECONDS_PER_CASE} s each."
echo
echo "| service | connections/s | of unwrapped |"
echo "| --- | --- | --- |"
echo "| unwrapped | ${plain:-0} | 100% |"
echo "| behind Debian's /usr/sbin/tcpd | ${debian:-0} | $(pct "${debian:-0}" "${plain:-0}") |"
if [ "${ours:-none}" = none ]; then
	echo "| behind our $B/tcpd | build/tcpd not built | - |"
else
	echo "| behind our $B/tcpd | $ours | $(pct "$ours" "${plain:-0}") |"
fi
