#!/usr/bin/env bash
# t_tcpd_inetd.sh - our tcpd under Debian's openbsd-inetd, end to end.
#
# inetd runs in the rig's sandbox (server namespace, private /etc and /dev/log) and starts
# build/tcpd for small services; clients connect from the rig's client namespaces.  Checked:
# allow and refuse (IPv4, IPv6, the 5 s hold of a refusal), the daemon found by absolute path
# and by name in REAL_DAEMON_DIR, what the daemon inherits (descriptors, environment, umask),
# a UDP "wait" service, spawn, twist, banners, severity, and a hostile host name (served from
# the sandbox's /etc/hosts) that reaches a spawn command through %h and %n and the verdict
# log line, sanitised, with nothing executed.  Every syslog line is checked exactly.
# The refused probes (5 s each) run concurrently, so the suite takes about 10 s.
. "$(dirname "$0")/lib/rig.sh"

TCPD=$RIG_BUILD/tcpd
[ -x "$TCPD" ] || make -C "$RIG_TOP" --no-print-directory B="$RIG_BUILD" "$TCPD" >/dev/null ||
	rig_die "cannot build $TCPD"
command -v inetd >/dev/null || rig_die "openbsd-inetd is not installed (tests/install-deps.sh)"

[ "$(id -u)" = 0 ] || rig_die "the integration rig needs root"
rig_net_up
rig_etc_defaults
# Host names only from the private /etc/hosts: DNS never carries the hostile names below.
printf 'passwd: files\ngroup: files\nhosts: files\nnetgroup: files\n' >"$RIG_ETC/nsswitch.conf"
hostile='x;touch${IFS}'$RIG_W'/pwned1;$(touch${IFS}'$RIG_W'/pwned2)`touch${IFS}'$RIG_W'/pwned3`'
sanitised=$(printf '%s' "$hostile" | tr -c '0-9a-zA-Z!@%_=+:,./-' '_')
printf '127.0.0.1\tlocalhost\n192.0.2.1\tserver.example\n192.0.2.10\ttrusted.example.com\n192.0.2.67\t%s\n192.0.2.68\t%s.log\n' \
	"$hostile" "$hostile" >"$RIG_ETC/hosts"
rig_sandbox_up

# --- the services ---------------------------------------------------------------------------
bin=$RIG_W/bin sbin=$RIG_W/sbin banners=$RIG_W/banners
mkdir -p "$bin" "$sbin" "$banners"
# hello.sh: one line that shows what it inherited from tcpd.
cat >"$bin/hello.sh" <<'EOF'
#!/bin/sh
if [ -e /proc/$$/fd/9 ]; then fd9=open; else fd9=closed; fi
echo "hello $0 args=$* fd9=$fd9 env=${TW_MARK:-none} umask=$(umask)"
EOF
cp "$bin/hello.sh" "$sbin/byname"
# fds.sh: which of the descriptors 3 and 4 it inherited.
cat >"$bin/fds.sh" <<'EOF'
#!/bin/sh
fd3=closed fd4=closed
[ -e /proc/$$/fd/3 ] && fd3=open
[ -e /proc/$$/fd/4 ] && fd4=open
echo "fd3=$fd3 fd4=$fd4"
EOF
# sd-start.sh MODE TCPD DAEMON: a stand-in for systemd's socket passing (connection on 0 and
# 1, copies on 3 and 4), then tcpd with argv[0] naming the daemon (ExecStart=@tcpd daemon).
cat >"$bin/sd-start.sh" <<'EOF'
#!/bin/bash
exec 3<&0 4<&0
case $1 in
self) export LISTEN_PID=$$ LISTEN_FDS=1 ;;
other) export LISTEN_PID=1 LISTEN_FDS=2 ;;
esac
exec -a "$3" "$2"
EOF
# udpecho.py: a "wait" datagram service; answers the first datagram.
cat >"$bin/udpecho.py" <<'EOF'
#!/usr/bin/env python3
import socket
s = socket.socket(fileno=0)
data, peer = s.recvfrom(512)
s.sendto(b"udp " + data, peer)
EOF
chmod 755 "$bin"/* "$sbin"/*
printf '\0\0Welcome %%a to %%d\n' >"$banners/banner.sh"
cp "$bin/hello.sh" "$bin/banner.sh"
# A tcpd built with another REAL_DAEMON_DIR, for the daemon named without a path.
cc -std=c17 -D_GNU_SOURCE -I"$RIG_TOP/include" -I"$RIG_TOP/lib" -I"$RIG_TOP/src/common" -DREAL_DAEMON_DIR="\"$sbin\"" \
	-o "$RIG_W/tcpd-byname" "$RIG_TOP"/src/tcpd/*.c "$RIG_BUILD/libwrap.a" ||
	rig_die "cannot build tcpd with REAL_DAEMON_DIR=$sbin"

{
	for proto in tcp tcp6; do
		printf '7040\tstream\t%s\tnowait\troot\t%s\t%s a1 a2\n' "$proto" "$TCPD" "$bin/hello.sh"
		printf '7041\tstream\t%s\tnowait\troot\t%s\tbyname b1\n' "$proto" "$RIG_W/tcpd-byname"
		printf '7043\tstream\t%s\tnowait\troot\t%s\t%s\n' "$proto" "$TCPD" "$bin/banner.sh"
		printf '7044\tstream\t%s\tnowait\troot\t%s\ttry-from\n' "$proto" "$RIG_BUILD/try-from"
		printf '7045\tstream\t%s\tnowait\troot\t%s\ttry-from\n' "$proto" /usr/sbin/try-from
	done
	printf '7042\tdgram\tudp\twait\troot\t%s\t%s\n' "$TCPD" "$bin/udpecho.py"
	printf '7049\tstream\ttcp\tnowait\troot\t%s\t%s\n' "$TCPD" "$TCPD"  # a mistake
} >"$RIG_W/inetd.conf"

rig_table hosts.allow "hello.sh: 192.0.2.10 [2001:db8::10] 198.51.100.20 : setenv TW_MARK marked
hello.sh: 203.0.113.30 : spawn echo spawned %a %d %c > $RIG_W/spawned : severity auth.notice
hello.sh: 192.0.2.67 : spawn echo %h %n > $RIG_W/hostile.out
hello.sh: 192.0.2.68 : severity local0.info : allow
hello.sh: [2001:db8::20] : twist echo twisted %a %d
byname: 192.0.2.10
fds.sh: 192.0.2.10
udpecho.py: 192.0.2.10
banner.sh: 192.0.2.10 : banners $banners
"
rig_table hosts.deny "hello.sh: [2001:db8::66] : severity local1.info : deny
ALL: ALL
"

# fd 9 is left open to inetd (and so to tcpd): the daemon must not inherit it.
rig_bg rig_sb env -i PATH=/usr/bin:/bin TW_MARK=inetd /usr/sbin/inetd -d -E -i "$RIG_W/inetd.conf" \
	9>"$RIG_W/leaked-fd" 2>"$RIG_W/inetd.log"
rig_oidentd_up "$RIG_C1" 192.0.2.10
rig_wait_listen "$RIG_SRV" 7045 || rig_die "inetd did not listen: $(head -c 2000 "$RIG_W/inetd.log")"

# conn NS SRC DST PORT - every line the service sends (CRs and NULs shown as \r and \0).
conn() {
	local addr
	case $2 in
	*:*) addr="TCP6:[$3]:$4,bind=[$2]" ;;
	*) addr="TCP4:$3:$4,bind=$2" ;;
	esac
	ip netns exec "$1" timeout 30 socat -t20 -T20 - "$addr" </dev/null 2>/dev/null |
		od -An -c -v | tr -d '\n' | sed -E 's/ +/ /g; s/^ //'
}

# --- refusals first, concurrently: each is held 5 s ----------------------------------------
# refused NAME CMD... - run a refused probe in the background; NAME.out gets its reply and
# the seconds it took.
refused() {
	local name=$1
	shift
	( t0=$(date +%s); r=$("$@"); echo "${r:-REFUSED} $(( $(date +%s) - t0 ))" ) >"$RIG_W/$name.out" &
	probes+=($!)
}
probes=()
refused r1 rig_connect "$RIG_C1" 192.0.2.66 192.0.2.1 7040
refused r2 rig_connect "$RIG_C1" 2001:db8::66 2001:db8::1 7040
refused r3 rig_connect "$RIG_C1" 192.0.2.66 192.0.2.1 7041
refused r6 rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7049
refused r4 sh -c "printf 'ping\n' | ip netns exec $RIG_C1 timeout 20 socat -T8 - UDP4:192.0.2.1:7042,bind=192.0.2.66 2>/dev/null"

# --- meanwhile, the granted ones ----------------------------------------------------------------
rig_check "allowed v4: absolute path, arguments, no leaked fd, setenv, umask" \
	"hello $bin/hello.sh args=a1 a2 fd9=closed env=marked umask=0022" \
	"$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7040)"
rig_check "allowed v6" "hello $bin/hello.sh args=a1 a2 fd9=closed env=marked umask=0022" \
	"$(rig_connect "$RIG_C1" 2001:db8::10 2001:db8::1 7040)"
rig_check "daemon named without a path: found in REAL_DAEMON_DIR" \
	"hello $sbin/byname args=b1 fd9=closed env=inetd umask=0022" \
	"$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7041)"
rig_check "spawn: the service still runs" "hello $bin/hello.sh args=a1 a2 fd9=closed env=inetd umask=0022" \
	"$(rig_connect "$RIG_C2" 203.0.113.30 203.0.113.1 7040)"
rig_check "spawn ran before the daemon, with %a %d %c expanded" \
	"spawned 203.0.113.30 hello.sh 203.0.113.30" "$(cat "$RIG_W/spawned" 2>&1)"
rig_check "twist: the client gets the command's output" "twisted 2001:db8::20 hello.sh" \
	"$(rig_connect "$RIG_C2" 2001:db8::20 2001:db8::1 7040)"
rig_check "banners: NULs, the expanded banner with CRLF, then the daemon" \
	'\0 \0 W e l c o m e 1 9 2 . 0 . 2 . 1 0 t o b a n n e r . s h \r \n h e l l o' \
	"$(conn "$RIG_C1" 192.0.2.10 192.0.2.1 7043 | sed 's/\(h e l l o\).*/\1/')"

# The hostile name: the shell sees it sanitised, and nothing in it runs.
rig_check "hostile name served from /etc/hosts" "$hostile" "$(rig_sb getent hosts 192.0.2.67 | awk '{print $2}')"
rig_check "hostile name: the service runs" "hello $bin/hello.sh args=a1 a2 fd9=closed env=inetd umask=0022" \
	"$(rig_connect "$RIG_C1" 192.0.2.67 192.0.2.1 7040)"
rig_check "hostile name: %h and %n reach the shell sanitised" "$sanitised $sanitised" \
	"$(cat "$RIG_W/hostile.out" 2>&1)"
rig_check "hostile name: nothing was executed" "" "$(ls "$RIG_W" | grep pwned)"
rig_check "hostile name, severity option: granted" \
	"hello $bin/hello.sh args=a1 a2 fd9=closed env=inetd umask=0022" \
	"$(rig_connect "$RIG_C1" 192.0.2.68 192.0.2.1 7040)"

# try-from, ours and Debian's, under inetd: the same eight lines (ident through oidentd).
try_from() {
	ip netns exec "$RIG_C1" setpriv --reuid=nobody --regid=nogroup --clear-groups \
		timeout 30 socat -t20 -T20 - "TCP4:192.0.2.1:$1,bind=$2" </dev/null 2>&1
}
want_try_from="client address  (%a): 192.0.2.10
client hostname (%n): trusted.example.com
client username (%u): nobody
client info     (%c): nobody@trusted.example.com
server address  (%A): 192.0.2.1
server hostname (%N): server.example
server process  (%d): try-from
server info     (%s): try-from@server.example"
rig_check "try-from: what the library learns" "$want_try_from" "$(try_from 7044 192.0.2.10)"
rig_check "try-from: the same as Debian's" "$(try_from 7045 192.0.2.10)" "$(try_from 7044 192.0.2.10)"
rig_check "try-from, hostile name: sanitised, the same as Debian's" \
	"$(try_from 7045 192.0.2.67 | grep hostname)" "$(try_from 7044 192.0.2.67 | grep hostname)"
rig_check "try-from, hostile name" "client hostname (%n): $sanitised" \
	"$(try_from 7044 192.0.2.67 | grep 'client hostname')"

# systemd's socket passing: with LISTEN_PID naming tcpd itself, the LISTEN_FDS descriptors
# from 3 on stay open for the daemon; without (or for another PID) every one above 2 closes.
# socat stands in for systemd: the connection on 0 and 1, copies on 3 and 4.
listen_fds() {
	rig_bg rig_sb socat "TCP4-LISTEN:$1,bind=192.0.2.1,reuseaddr,fork" \
		"SYSTEM:$bin/sd-start.sh $2 $TCPD $bin/fds.sh,nofork" >/dev/null 2>&1
	rig_wait_listen "$RIG_SRV" "$1" || rig_die "socat did not listen on $1"
}
listen_fds 7046 self
listen_fds 7047 other
listen_fds 7048 none
rig_check "LISTEN_FDS=1 for tcpd: fd 3 kept, fd 4 closed" "fd3=open fd4=closed" \
	"$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7046)"
rig_check "LISTEN_FDS for another process: all closed" "fd3=closed fd4=closed" \
	"$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7047)"
rig_check "no LISTEN_FDS: all closed" "fd3=closed fd4=closed" \
	"$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 7048)"

wait "${probes[@]}"
for r in r1 r2 r3 r6; do
	read -r reply secs <"$RIG_W/$r.out"
	rig_check "refused probe $r: nothing sent" REFUSED "$reply"
	# A lower bound (the classic 5 s hold) and a generous upper one.
	if [ "$secs" -ge 5 ] && [ "$secs" -lt 25 ]; then
		rig_pass "refused probe $r: held 5 s (took $secs s)"
	else
		rig_fail "refused probe $r: held $secs s, not the classic 5 s"
	fi
done
read -r reply secs <"$RIG_W/r4.out"
rig_check "UDP wait service: refused datagram gets no answer" REFUSED "$reply"
rig_check "UDP wait service: allowed datagram answered" "udp ping" \
	"$(printf 'ping\n' | ip netns exec "$RIG_C1" timeout 20 socat -T8 - UDP4:192.0.2.1:7042,bind=192.0.2.10 2>/dev/null)"

# Every line the services logged, exactly (priority, tag, text; time and PID dropped).
rig_log_wait 5 'udpecho.py\[[0-9]+\]: connect from' || true
expected="<134> hello.sh: connect from $sanitised.log (192.0.2.68)
<142> hello.sh: refused connect from 2001:db8::66 (2001:db8::66)
<27> tcpd: error: $TCPD is tcpd itself: the first argument must name the daemon
<28> byname: refused connect from 192.0.2.66 (192.0.2.66)
<28> hello.sh: refused connect from 192.0.2.66 (192.0.2.66)
<28> hello.sh: twist 2001:db8::20 to echo twisted 2001:db8::20 hello.sh
<28> udpecho.py: refused connect from 192.0.2.66 (192.0.2.66)
<30> banner.sh: connect from 192.0.2.10 (192.0.2.10)
<30> byname: connect from 192.0.2.10 (192.0.2.10)
<30> fds.sh: connect from 192.0.2.10 (192.0.2.10)
<30> fds.sh: connect from 192.0.2.10 (192.0.2.10)
<30> fds.sh: connect from 192.0.2.10 (192.0.2.10)
<30> hello.sh: connect from $sanitised (192.0.2.67)
<30> hello.sh: connect from 192.0.2.10 (192.0.2.10)
<30> hello.sh: connect from 2001:db8::10 (2001:db8::10)
<30> udpecho.py: connect from 192.0.2.10 (192.0.2.10)
<37> hello.sh: connect from 203.0.113.30 (203.0.113.30)"
actual=$(grep -E '^<[0-9]+>.{16}(hello\.sh|byname|udpecho\.py|banner\.sh|fds\.sh|tcpd)\[' "$RIG_SYSLOG" |
	sed -E 's/^(<[0-9]+>).{16}([^[]+)\[[0-9]+\]:/\1 \2:/' | LC_ALL=C sort)
expected=$(LC_ALL=C sort <<<"$expected")
rig_check "syslog: every verdict line, severity and text" "$expected" "$actual"
[ "$expected" = "$actual" ] || diff <(echo "$expected") <(echo "$actual")
rig_check "the refused datagram was drained: one refusal only" 1 \
	"$(grep -c 'udpecho.py\[[0-9]*\]: refused' "$RIG_SYSLOG")"
rig_finish
