#!/usr/bin/env bash
# t_listen.sh - tcpd --listen: the standalone listener (inetd and tcpd in one), in the rig.
#
# In the sandbox: build/tcpd listens itself (IPv4, IPv6 and a dual-stack "*" socket, and a
# socket passed the systemd way, Accept=no), decides each connection and runs a cat-style
# server (a shell script: a greeting, then cat) on descriptors 0-2.  Checked: allowed and
# refused clients with the exact log lines, an option (twist) run in the per-connection
# child, the refusal closed at once while its child keeps the hold and the listener keeps
# serving, --max-per-source (IPv4 and IPv4-mapped counted as one source) and --max-conns,
# --proxy in front of redis-server and of a listener (half-close, 1 MiB both ways), a bounded
# mixed load (no allowed connection lost, no descriptor leaked in the listener), and every
# child reaped: no zombies.
. "$(dirname "$0")/lib/rig.sh"

TCPD=$RIG_BUILD/tcpd
[ -x "$TCPD" ] || make -C "$RIG_TOP" --no-print-directory B="$RIG_BUILD" "$TCPD" >/dev/null ||
	rig_die "cannot build $TCPD"
for p in redis-server socat python3; do
	command -v $p >/dev/null || rig_die "$p is not installed (tests/install-deps.sh)"
done
rig_world

bin=$RIG_W/bin
mkdir -p "$bin" "$RIG_W/redis"
cat >"$bin/hello.sh" <<'EOF'
#!/bin/sh
echo "hello $1"
exec cat
EOF
cat >"$bin/sd.sh" <<'EOF'
#!/bin/sh
echo "hello S LISTEN_FDS=${LISTEN_FDS:-unset} LISTEN_PID=${LISTEN_PID:-unset}"
EOF
chmod 755 "$bin/hello.sh" "$bin/sd.sh"

rig_table hosts.allow "hello.sh: 192.0.2.10 192.0.2.67 [2001:db8::10] 192.0.2.1
hello.sh: 198.51.100.20 : twist echo twisted %d %a
sd.sh: 192.0.2.10
redisproxy: 192.0.2.10 [2001:db8::10]
echoproxy: 192.0.2.10
"
rig_table hosts.deny "ALL: ALL
"

# started NAME CMD... - CMD in the sandbox, its PID in $RIG_W/NAME.pid (it execs: same PID).
started() {
	local name=$1
	shift
	rig_bg rig_sb sh -c 'echo $$ >"$1"; shift; exec "$@" 2>>"${1%.pid}.err"' sh "$RIG_W/$name.pid" "$@"
}
started a "$TCPD" --listen 192.0.2.1:7090 --listen '[2001:db8::1]:7090' --listen '*:7091' \
	--max-per-source 2 -- "$bin/hello.sh" A
started b "$TCPD" --listen 192.0.2.1:7092 --max-conns 1 -- "$bin/hello.sh" B
started c "$TCPD" --listen 192.0.2.1:7098 -- "$bin/hello.sh" C
# Accept=no the systemd way: the listening socket on descriptor 3, LISTEN_PID our own PID.
started s python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 7094)); s.listen(16)
os.dup2(s.fileno(), 3); os.set_inheritable(3, True)
env = dict(os.environ, LISTEN_PID=str(os.getpid()), LISTEN_FDS="1")
os.execve(sys.argv[1], sys.argv[1:], env)
'  "$TCPD" -- "$bin/sd.sh"
# redis-server, not guarded, on the sandbox's loopback only: the proxy's backend.
rig_bg rig_sb redis-server --port 7095 --bind 127.0.0.1 --save '' --appendonly no \
	--daemonize no --dir "$RIG_W/redis" --pidfile "$RIG_W/redis/redis.pid" --logfile "$RIG_W/redis/log"
started p "$TCPD" --listen 192.0.2.1:7096 --listen '[2001:db8::1]:7096' --name redisproxy \
	--proxy 127.0.0.1:7095
started e "$TCPD" --listen 192.0.2.1:7097 --name echoproxy --proxy 192.0.2.1:7090
for p in 7090 7091 7092 7094 7095 7096 7097 7098; do
	rig_wait_listen "$RIG_SRV" $p || rig_die "nothing listens on $p: $(cat "$RIG_W"/*.err 2>/dev/null)"
done
pid_a=$(cat "$RIG_W/a.pid") pid_b=$(cat "$RIG_W/b.pid") pid_c=$(cat "$RIG_W/c.pid")

# logged NAME REGEX - a captured syslog line matches (its text after the timestamp shown).
logged() {
	if rig_log_wait 10 "$2"; then
		rig_pass "$1: $(grep -E -- "$2" "$RIG_SYSLOG" | head -n 1 | sed -E 's/^<[0-9]+>[A-Z][a-z]+ +[0-9]+ [0-9:]+ //')"
	else
		rig_fail "$1: no line matching [$2] in: $(tail -n 5 "$RIG_SYSLOG")"
	fi
}
children() { pgrep -P "$1" | wc -l; }
zombies() { ps -o stat= --ppid "$1" | grep -c Z; }

# --- served and refused ------------------------------------------------------------------------
rig_log_clear
rig_check "allowed IPv4" "hello A" "$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 7090 '')"
logged "its connect line, from the child, with the daemon name" \
	'hello\.sh\[[0-9]+\]: connect from 192\.0\.2\.10 \(192\.0\.2\.10\)$'
rig_check "allowed IPv6" "hello A" "$(rig_ask "$RIG_C1" 2001:db8::10 2001:db8::1 7090 '')"
rig_check "the server echoes (cat on descriptors 0-2)" "echoed" \
	"$(printf 'echoed\n' | ip netns exec "$RIG_C1" timeout 30 socat -t10 -T20 - \
		TCP4:192.0.2.1:7090,bind=192.0.2.10 2>/dev/null | sed -n 2p)"
rig_check "allowed IPv4 on the dual-stack listener (mapped)" "hello A" \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 7091 '')"
rig_check "allowed IPv6 on the dual-stack listener" "hello A" \
	"$(rig_ask "$RIG_C1" 2001:db8::10 2001:db8::1 7091 '')"
rig_check "twist runs in the per-connection child" "twisted hello.sh ::ffff:198.51.100.20" \
	"$(rig_ask "$RIG_C2" 198.51.100.20 198.51.100.1 7091 '')"
rig_log_clear
rig_check "refused IPv4" REFUSED "$(rig_ask "$RIG_C1" 192.0.2.66 192.0.2.1 7090 '')"
held=$(children "$pid_a")
rig_check "the listener serves while the refusal is held" "hello A" \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 7090 '')"
rig_check "the refused client was closed at once: its child still holds the slot" yes \
	"$([ "$held" -ge 1 ] && echo yes || echo "no ($held children)")"
logged "the refusal logged" 'hello\.sh\[[0-9]+\]: refused connect from 192\.0\.2\.66 \(192\.0\.2\.66\)$'
rig_check "refused IPv6" REFUSED "$(rig_ask "$RIG_C1" 2001:db8::66 2001:db8::1 7090 '')"
logged "the IPv6 refusal logged" 'hello\.sh\[[0-9]+\]: refused connect from 2001:db8::66 \(2001:db8::66\)$'
rig_check "refused IPv4-mapped" REFUSED "$(rig_ask "$RIG_C1" 192.0.2.66 192.0.2.1 7091 '')"
logged "the mapped refusal logged" \
	'hello\.sh\[[0-9]+\]: refused connect from ::ffff:192\.0\.2\.66 \(::ffff:192\.0\.2\.66\)$'
rig_check "systemd socket activation (Accept=no); LISTEN_* not passed on to the server" \
	"hello S LISTEN_FDS=unset LISTEN_PID=unset" "$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 7094 '')"

# --- limits ----------------------------------------------------------------------------------
# hold N SRC PORT - a connection from SRC kept open (30 s at most); its output in hold.N.
holders=()
hold() {
	( sleep 30 | ip netns exec "$RIG_C1" timeout 40 socat -T40 - "TCP4:192.0.2.1:$3,bind=$2" \
		>"$RIG_W/hold.$1" 2>/dev/null ) &
	holders+=($!)
	rig_wait_for 10 grep -q hello "$RIG_W/hold.$1"
}
rig_wait_for 15 sh -c "[ \$(pgrep -P $pid_a | wc -l) = 0 ]" # the holds of the refusals above
hold 1 192.0.2.10 7090 && hold 2 192.0.2.10 7091
rig_check "two connections from 192.0.2.10 in service" "hello A hello A" \
	"$(cat "$RIG_W/hold.1" "$RIG_W/hold.2" | tr '\n' ' ' | sed 's/ $//')"
rig_log_clear
rig_check "--max-per-source 2: a third one from 192.0.2.10 is closed" REFUSED \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 7090 '')"
logged "the limit logged by the listener" \
	'tcpd\[[0-9]+\]: connection limit reached \(--max-per-source\): refused connect from 192\.0\.2\.10$'
rig_check "--max-per-source: IPv4-mapped counts as the same source" REFUSED \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 7091 '')"
rig_check "--max-per-source: another source is served meanwhile" "hello A" \
	"$(rig_ask "$RIG_C1" 192.0.2.67 192.0.2.1 7090 '')"
hold 3 192.0.2.10 7092
rig_check "--max-conns 1: the one connection in service" "hello B" "$(cat "$RIG_W/hold.3")"
rig_check "--max-conns 1: a second one, from another source, is closed" REFUSED \
	"$(rig_ask "$RIG_C1" 192.0.2.67 192.0.2.1 7092 '')"
logged "the overall limit logged" \
	'tcpd\[[0-9]+\]: connection limit reached \(--max-conns\): refused connect from 192\.0\.2\.67$'
# Their children first (timeout passes the signal on to socat), then the subshells: killed
# the other way round, the children would be orphaned before pkill -P could find them.
pkill -P "$(echo "${holders[@]}" | tr ' ' ',')" 2>/dev/null
kill "${holders[@]}" 2>/dev/null
rig_wait_for 15 sh -c "[ \$(pgrep -P $pid_a | wc -l) = 0 ] && [ \$(pgrep -P $pid_b | wc -l) = 0 ]"
rig_check "the limits free up when the connections end" "hello A hello B" \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 7090 '') $(rig_ask "$RIG_C1" 192.0.2.67 192.0.2.1 7092 '')"

# --- the proxy ---------------------------------------------------------------------------------
rig_log_clear
rig_check "proxy to redis-server: allowed IPv4" "+PONG" \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 7096 'PING\r\n')"
rig_check "proxy to redis-server: allowed IPv6" "+PONG" \
	"$(rig_ask "$RIG_C1" 2001:db8::10 2001:db8::1 7096 'PING\r\n')"
rig_check "proxy to redis-server: refused" REFUSED "$(rig_ask "$RIG_C1" 192.0.2.66 192.0.2.1 7096 'PING\r\n')"
logged "the proxy's refusal logged under --name" \
	'redisproxy\[[0-9]+\]: refused connect from 192\.0\.2\.66 \(192\.0\.2\.66\)$'
logged "the proxy's grant logged" 'redisproxy\[[0-9]+\]: connect from 2001:db8::10 \(2001:db8::10\)$'
rig_check "proxy: 1 MiB both ways, the client's half-close reaches the server (cat ends)" \
	"hello A + 1048576 bytes back, end of file" \
	"$(ip netns exec "$RIG_C1" timeout 60 python3 -c '
import os, socket
data = os.urandom(1 << 20)
s = socket.create_connection(("192.0.2.1", 7097), timeout=30, source_address=("192.0.2.10", 0))
got = b""
sent = 0
s.setblocking(False)
import select
while True:
    r, w, _ = select.select([s], [s] if sent < len(data) else [], [], 30)
    if not r and not w:
        break
    if w:
        sent += s.send(data[sent:sent + 65536])
        if sent == len(data):
            s.shutdown(socket.SHUT_WR)
    if r:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
head, _, rest = got.partition(b"\n")
print("%s + %d bytes back, %s" % (head.decode(), len(rest),
      "end of file" if rest == data else "MISMATCH"))
')"

pid_p=$(cat "$RIG_W/p.pid")
rig_check "proxy: a client that resets the connection mid-way" "+PONG" \
	"$(ip netns exec "$RIG_C1" timeout 30 python3 -c '
import socket, struct, time
s = socket.create_connection(("192.0.2.1", 7096), timeout=20, source_address=("192.0.2.10", 0))
s.sendall(b"PING\r\n")
print(s.recv(100).decode().strip())
s.sendall(b"BLPOP nothing 0\r\n")  # the backend now waits for ever; the client goes
time.sleep(0.2)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
')"
rig_wait_for 10 sh -c "[ \$(pgrep -P $pid_p | wc -l) = 0 ]"
rig_check "proxy: its child ends with the reset (the idle backend does not keep it)" 0 "$(children "$pid_p")"

# --- a mixed load ------------------------------------------------------------------------------
fds_c=$(ls /proc/"$pid_c"/fd | wc -l)
rig_check "listener: 200 mixed connections" "allowed 100/100 denied 100/100" \
	"$(ip netns exec "$RIG_C1" timeout 120 python3 "$RIG_DIR/guardload.py" echo 192.0.2.1 7098 \
		192.0.2.10 192.0.2.66 200)"
rig_check "listener: no zombie meanwhile" 0 "$(zombies "$pid_c")"
rig_wait_for 20 sh -c "[ \$(pgrep -P $pid_c | wc -l) = 0 ]"
rig_check "listener: every child reaped once the holds are over" "0 0" \
	"$(children "$pid_c") $(ps -o stat= --ppid "$pid_c" | grep -c Z)"
rig_check "listener: descriptors before and after the load" "$fds_c" "$(ls /proc/"$pid_c"/fd | wc -l)"
rig_check "the listeners are still alive" "yes yes yes" \
	"$(for p in "$pid_a" "$pid_b" "$pid_c"; do kill -0 "$p" 2>/dev/null && echo yes || echo no; done | tr '\n' ' ' | sed 's/ $//')"

# --- the command line ---------------------------------------------------------------------------
rig_check "a bad --listen address is refused with the usage" 2 \
	"$("$TCPD" --listen 192.0.2.1 -- /bin/cat >/dev/null 2>&1; echo $?)"
rig_check "a server and --proxy together are refused" 2 \
	"$("$TCPD" --listen 127.0.0.1:0 --proxy 127.0.0.1:1 -- /bin/cat >/dev/null 2>&1; echo $?)"

kill "$pid_a" "$pid_b" "$pid_c" 2>/dev/null
rig_finish
