#!/bin/sh
# demo.sh - the main job on the bundled configuration: libwrap decides real loopback
# connections from several source addresses with examples/hosts.allow and hosts.deny, and
# shows each verdict with the log lines (the rule that matched, "connect from ...").
# Run it through "make demo" (it needs build/libwrap.so.0, build/examples/wrapdemo, and for
# the second part build/examples/tcpd and build/examples/inetdemo).
set -e
cd "$(dirname "$0")/.."
B=${B:-build} # the build directory (make demo passes its B=)
echo "== rules: examples/hosts.allow"
grep -v '^#' examples/hosts.allow | grep -v '^$'
echo "== rules: examples/hosts.deny"
grep -v '^#' examples/hosts.deny | grep -v '^$'
echo "== connections (wrapdemo is linked with -lwrap and runs on build/libwrap.so.0)"
LD_LIBRARY_PATH=$B "$B"/examples/wrapdemo examples/hosts.allow examples/hosts.deny \
	127.0.0.1 ::1 127.0.0.5 127.0.0.66 127.0.1.9 127.9.9.9 2>&1

# Part two: tcpd in front of a service, started the way inetd starts it (inetdemo stands in
# for inetd, so that nothing needs installing; the README's walk-through uses the real
# openbsd-inetd).  The tables of examples/inetd/ with their paths filled in, read by a tcpd
# built for the demo; its log lines appear below as "hello[PID]: ...".
case $B in
/*) ex=$B/examples/inetd ;;
*) ex=$PWD/$B/examples/inetd ;;
esac
mkdir -p "$ex/banners"
for f in hosts.allow hosts.deny hello banners/hello; do
	sed "s|@EX@|$ex|g" "examples/inetd/$f" >"$ex/$f"
done
chmod 755 "$ex/hello"
rm -f "$ex/visits"
echo
echo "== tcpd: rules ($B/examples/inetd/hosts.allow, hosts.deny)"
grep -hv '^#' "$ex/hosts.allow" "$ex/hosts.deny" | grep -v '^$'
echo "== tcpd: connections to the service 'hello' (127.0.0.3 is refused: held 5 s)"
"$B/examples/inetdemo" "$B/examples/tcpd" "$ex/hello" greeting 127.0.0.1 127.0.0.2 127.0.0.3 2>&1
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(wc -l <"$ex/visits" 2>/dev/null)" = 2 ] && break
	sleep 0.2
done
echo "== tcpd: what the spawn options wrote ($B/examples/inetd/visits)"
cat "$ex/visits"
