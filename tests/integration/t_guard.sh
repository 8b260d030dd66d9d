#!/usr/bin/env bash
# t_guard.sh - libwrap_preload.so in front of real daemons that were never linked with libwrap.
#
# In the rig's sandbox (server namespace, private /etc with the tables, /dev/log captured):
#   nginx         epoll, accept4, a master and 2 worker processes (unprivileged workers), on a
#                 dual-stack socket: IPv4 clients arrive IPv4-mapped; daemon name by default
#                 ("nginx", the name it was started as);
#   redis-server  its own event loop, non-blocking accept(), separate IPv4 and IPv6 sockets,
#                 plus a UNIX socket that must pass untouched; daemon name by default;
#   python3 -m http.server   blocking accept4() in a threading server, dual-stack, daemon name
#                 from TCPWRAP_DAEMON.
# Each serves allowed clients and refuses denied ones (IPv4, IPv6, mapped), with the exact
# "refused connect from" lines; options: spawn runs, twist and the process-wide options
# (setenv here) are refused with their error line.  accept() semantics are checked one call at
# a time (lib/guardsem.py: EAGAIN after a refusal, addrlen, errno, NULL and short address
# buffers, accept4 flags, UNIX sockets, edge-triggered epoll), and a program that links
# libwrap.so.0 itself (wrapserv, on Debian's library and on ours) keeps its own decision
# beside the guard's.  Then a bounded mixed load (300
# connections per daemon, half of them denied) must lose no allowed request and leave every
# server process with as many descriptors as before.
. "$(dirname "$0")/lib/rig.sh"

PRELOAD=$RIG_BUILD/libwrap_preload.so
[ -e "$PRELOAD" ] || make -C "$RIG_TOP" --no-print-directory B="$RIG_BUILD" "$PRELOAD" >/dev/null ||
	rig_die "cannot build $PRELOAD"
for p in nginx redis-server python3 socat; do
	command -v $p >/dev/null || rig_die "$p is not installed (tests/install-deps.sh)"
done
for p in nginx redis-server; do
	ldd "$(command -v $p)" | grep -q libwrap && rig_die "$p is linked with libwrap: not a test"
done

rig_world

P_NGINX=7080 P_REDIS=7079 P_PY=7081
rig_table hosts.allow "nginx: 192.0.2.10 [2001:db8::10]
nginx: 203.0.113.30 : setenv TW_MARK x
redis-server: 192.0.2.10 [2001:db8::10]
redis-server: 198.51.100.20 : twist echo twisted
pyhttp: 192.0.2.10 [2001:db8::10] : spawn echo spawned %d %a >>$RIG_W/spawned
sem: 192.0.2.10
outer: 192.0.2.10 192.0.2.67
inner: 192.0.2.10 192.0.2.68
"
rig_table hosts.deny "ALL: ALL
"

# --- the daemons ------------------------------------------------------------------------------
ng=$RIG_W/nginx
mkdir -p "$ng/logs" "$ng/tmp" "$RIG_W/www" "$RIG_W/redis"
echo "hello from the guarded server" >"$RIG_W/www/index.html"
cat >"$ng/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 2;
user nobody nogroup;
pid $ng/nginx.pid;
error_log $ng/logs/error.log;
events { worker_connections 512; }
http {
	log_format worker '\$pid \$remote_addr \$status';
	access_log $ng/logs/access.log worker;
	client_body_temp_path $ng/tmp/body;
	proxy_temp_path $ng/tmp/proxy;
	fastcgi_temp_path $ng/tmp/fastcgi;
	uwsgi_temp_path $ng/tmp/uwsgi;
	scgi_temp_path $ng/tmp/scgi;
	server {
		listen [::]:$P_NGINX ipv6only=off;
		location / { return 200 "hello from nginx\n"; }
	}
}
EOF
cat >"$RIG_W/redis/redis.conf" <<EOF
port $P_REDIS
bind 192.0.2.1 198.51.100.1 2001:db8::1
unixsocket $RIG_W/redis/redis.sock
protected-mode no
save ""
appendonly no
daemonize no
dir $RIG_W/redis
pidfile $RIG_W/redis/redis.pid
logfile $RIG_W/redis/redis.log
EOF

# guarded CMD... - run CMD in the sandbox under the guard; its PID in $RIG_W/NAME.pid first.
rig_bg rig_sb env LD_PRELOAD="$PRELOAD" nginx -p "$ng" -c "$ng/nginx.conf"
rig_bg rig_sb env LD_PRELOAD="$PRELOAD" redis-server "$RIG_W/redis/redis.conf"
rig_bg rig_sb sh -c 'echo $$ >"$1"; cd "$2" && exec env LD_PRELOAD="$3" TCPWRAP_DAEMON=pyhttp \
	python3 -m http.server --bind :: "$4" >"$5" 2>&1' py "$RIG_W/py.pid" "$RIG_W/www" "$PRELOAD" \
	$P_PY "$RIG_W/py.log"
for p in $P_NGINX $P_REDIS $P_PY; do
	rig_wait_listen "$RIG_SRV" $p || rig_die "nothing listens on $p (see $RIG_W)"
done
ng_pid=$(cat "$ng/nginx.pid") redis_pid=$(cat "$RIG_W/redis/redis.pid") py_pid=$(cat "$RIG_W/py.pid")
rig_wait_for 10 sh -c "[ \$(pgrep -c -P $ng_pid) = 2 ]" || rig_die "nginx has no 2 workers"
ng_workers=$(pgrep -P "$ng_pid" | tr '\n' ' ')
rig_check "the guard is loaded in nginx's workers, redis and python" "yes yes yes yes" \
	"$(for p in $ng_workers $redis_pid $py_pid; do
		grep -q libwrap_preload /proc/$p/maps && echo yes || echo no; done | tr '\n' ' ' | sed 's/ $//')"

GET='GET / HTTP/1.0\r\n\r\n'

# refused_line NAME REGEX - a captured syslog line matches REGEX (the guard logs with the host
# program's syslog identity: it never calls openlog(), so nginx's lines carry its process title).
refused_line() {
	if rig_log_wait 10 "$2"; then
		rig_pass "$1: $(grep -E -- "$2" "$RIG_SYSLOG" | head -n 1 | sed -E 's/^<[0-9]+>[A-Z][a-z]+ +[0-9]+ [0-9:]+ //')"
	else
		rig_fail "$1: no line matching [$2] in: $(tail -n 5 "$RIG_SYSLOG")"
	fi
}

# --- nginx ----------------------------------------------------------------------------------------
rig_check "nginx: allowed IPv4 (mapped on its dual-stack socket)" "HTTP/1.1 200 OK" \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 $P_NGINX "$GET")"
rig_check "nginx: allowed IPv6" "HTTP/1.1 200 OK" \
	"$(rig_ask "$RIG_C1" 2001:db8::10 2001:db8::1 $P_NGINX "$GET")"
rig_log_clear
rig_check "nginx: denied IPv4 (mapped)" REFUSED "$(rig_ask "$RIG_C1" 192.0.2.66 192.0.2.1 $P_NGINX "$GET")"
refused_line "nginx: the IPv4-mapped refusal logged" \
	': refused connect from ::ffff:192\.0\.2\.66 \(::ffff:192\.0\.2\.66\)$'
rig_check "nginx: denied IPv6" REFUSED "$(rig_ask "$RIG_C1" 2001:db8::66 2001:db8::1 $P_NGINX "$GET")"
refused_line "nginx: the IPv6 refusal logged" \
	': refused connect from 2001:db8::66 \(2001:db8::66\)$'
rig_check "nginx: setenv in a matching rule refuses" REFUSED \
	"$(rig_ask "$RIG_C2" 203.0.113.30 203.0.113.1 $P_NGINX "$GET")"
refused_line "nginx: setenv is an error in a preloaded daemon" \
	'error: /etc/hosts\.allow, line 2: setenv option in a preloaded daemon$'
rig_check "nginx: still serving after the refusals" "HTTP/1.1 200 OK" \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 $P_NGINX "$GET")"
rig_check "nginx: the process-wide option changed nothing" "" \
	"$(for p in $ng_workers; do tr '\0' '\n' </proc/$p/environ | grep '^TW_MARK='; done)"

# --- redis ----------------------------------------------------------------------------------------
rig_check "redis: allowed IPv4" "+PONG" "$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 $P_REDIS 'PING\r\n')"
rig_check "redis: allowed IPv6" "+PONG" \
	"$(rig_ask "$RIG_C1" 2001:db8::10 2001:db8::1 $P_REDIS 'PING\r\n')"
rig_log_clear
rig_check "redis: denied IPv4" REFUSED "$(rig_ask "$RIG_C1" 192.0.2.66 192.0.2.1 $P_REDIS 'PING\r\n')"
refused_line "redis: the IPv4 refusal logged" \
	': refused connect from 192\.0\.2\.66 \(192\.0\.2\.66\)$'
rig_check "redis: denied IPv6" REFUSED \
	"$(rig_ask "$RIG_C1" 2001:db8::66 2001:db8::1 $P_REDIS 'PING\r\n')"
refused_line "redis: the IPv6 refusal logged" \
	': refused connect from 2001:db8::66 \(2001:db8::66\)$'
rig_check "redis: twist refuses in a resident process" REFUSED \
	"$(rig_ask "$RIG_C2" 198.51.100.20 198.51.100.1 $P_REDIS 'PING\r\n')"
refused_line "redis: twist is refused" 'error: /etc/hosts\.allow, line 4: twist option in resident process$'
rig_log_clear
rig_check "redis: its UNIX socket passes untouched" "+PONG" \
	"$(printf 'PING\r\n' | rig_sb timeout 20 socat -t5 - UNIX-CONNECT:"$RIG_W/redis/redis.sock" |
		head -n 1 | tr -d '\r')"
rig_check "redis: nothing logged for the UNIX socket" "" "$(cat "$RIG_SYSLOG")"

# --- python http.server ---------------------------------------------------------------------------
rig_check "python: allowed IPv4 (mapped)" "HTTP/1.0 200 OK" \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 $P_PY "$GET")"
rig_check "python: allowed IPv6" "HTTP/1.0 200 OK" "$(rig_ask "$RIG_C1" 2001:db8::10 2001:db8::1 $P_PY "$GET")"
rig_check "python: spawn ran, with the daemon name from TCPWRAP_DAEMON" \
	"spawned pyhttp ::ffff:192.0.2.10|spawned pyhttp 2001:db8::10" \
	"$(tr '\n' '|' <"$RIG_W/spawned" | sed 's/|$//')"
rig_log_clear
rig_check "python: denied IPv4 (mapped)" REFUSED "$(rig_ask "$RIG_C1" 192.0.2.66 192.0.2.1 $P_PY "$GET")"
refused_line "python: the refusal logged" \
	': refused connect from ::ffff:192\.0\.2\.66 \(::ffff:192\.0\.2\.66\)$'
rig_check "python: denied IPv6" REFUSED "$(rig_ask "$RIG_C1" 2001:db8::66 2001:db8::1 $P_PY "$GET")"
rig_check "python: the blocking accept went on to the next connection" "HTTP/1.0 200 OK" \
	"$(rig_ask "$RIG_C1" 192.0.2.10 192.0.2.1 $P_PY "$GET")"

# --- accept() semantics, one call at a time (lib/guardsem.py) --------------------------------
sem_cmds=$RIG_W/sem.cmds sem_out=$RIG_W/sem.out sem_clients=()
mkfifo "$sem_cmds"
: >"$sem_out"
rig_bg rig_sb env LD_PRELOAD="$PRELOAD" TCPWRAP_DAEMON=sem python3 "$RIG_DIR/guardsem.py" \
	"$sem_cmds" "$sem_out" 192.0.2.1 7085 "$RIG_W/sem.sock"
rig_wait_for 10 grep -q ready "$sem_out" || rig_die "guardsem.py did not start"
# queued - how many connections wait in the listener's accept queue.
queued() { ip netns exec "$RIG_SRV" ss -ltnH 'sport = :7085' | awk '{print $2}'; }
# pending SRC... - connections from SRC (in $RIG_C1), in this order, left in the queue.
pending() {
	local src n
	for src; do
		n=$(queued)
		( sleep 20 | ip netns exec "$RIG_C1" timeout 25 socat - "TCP4:192.0.2.1:7085,bind=$src" \
			>/dev/null 2>&1 ) &
		sem_clients+=($!)
		rig_wait_for 10 sh -c "[ \"\$(ip netns exec '$RIG_SRV' ss -ltnH 'sport = :7085' | awk '{print \$2}')\" = $((n + 1)) ]"
	done
}
# sem CMD - one command; its result line.
sem() {
	local n
	n=$(wc -l <"$sem_out")
	echo "$1" >"$sem_cmds"
	rig_wait_for 30 sh -c "[ \$(wc -l <'$sem_out') -gt $n ]"
	tail -n 1 "$sem_out"
}
rig_log_clear
pending 192.0.2.66
rig_check "non-blocking accept(), only a refused client pending: EAGAIN, addrlen restored" \
	"-1 EAGAIN len=128" "$(sem accept)"
pending 192.0.2.66 192.0.2.10
rig_check "refused, then allowed: the allowed one comes back, errno untouched" \
	"fd len=16 192.0.2.10 errno=42" "$(sem accept)"
pending 192.0.2.10
rig_check "a short address buffer: truncated by the kernel, full length reported" "fd len=16 AF_INET" \
	"$(sem short | sed -E 's/head=0200[0-9a-f]{4}$/AF_INET/')"
pending 192.0.2.10
rig_check "accept(fd, NULL, NULL)" "fd" "$(sem null)"
pending 192.0.2.10
rig_check "accept4() flags reach the kernel" "fd nonblock=True cloexec=True" "$(sem flags)"
( sleep 20 | rig_sb timeout 25 socat - UNIX-CONNECT:"$RIG_W/sem.sock" >/dev/null 2>&1 ) &
sem_clients+=($!)
rig_wait_for 10 sh -c "ip netns exec '$RIG_SRV' ss -xlH | grep -F '$RIG_W/sem.sock' | awk '{print \$3}' | grep -qx 1"
rig_check "a UNIX socket: accepted untouched" "fd family=1" "$(sem unix)"
rig_check "nothing pending: the kernel's EAGAIN" "-1 EAGAIN len=128" "$(sem accept)"
pending 192.0.2.66 192.0.2.10
rig_check "edge-triggered epoll: one event, drained to EAGAIN, the allowed one handed over" \
	"event accepted=1 192.0.2.10" "$(sem et)"
pending 192.0.2.66
rig_check "edge-triggered epoll: an event for a refused client only, drained at once" \
	"event accepted=0 " "$(sem et)"
pending 192.0.2.10
rig_check "edge-triggered epoll: the next event still comes" "event accepted=1 192.0.2.10" "$(sem et)"
rig_check "four refusals logged, under the program's syslog identity" 4 \
	"$(grep -cE '^<[0-9]+>[A-Z][a-z]+ +[0-9]+ [0-9:]+ python3: refused connect from 192\.0\.2\.66 \(192\.0\.2\.66\)$' "$RIG_SYSLOG")"
echo quit >"$sem_cmds"
kill "${sem_clients[@]}" 2>/dev/null

# --- a program that links libwrap.so.0 itself (wrapserv, as sshd) -----------------------------
# The guard decides as "outer" on accept(), the program's own library as "inner" afterwards:
# two private copies, no clash, whether the program's library is Debian's or ours.
rig_build_wrapserv
rig_bg rig_sb env LD_PRELOAD="$PRELOAD" TCPWRAP_DAEMON=outer "$RIG_WRAPSERV" inner 7086 250
rig_bg rig_sb env LD_PRELOAD="$PRELOAD" TCPWRAP_DAEMON=outer LD_LIBRARY_PATH="$RIG_BUILD" \
	"$RIG_WRAPSERV" inner 7087 250
for p in 7086 7087; do rig_wait_listen "$RIG_SRV" $p || rig_die "wrapserv did not listen on $p"; done
for p in 7086 7087; do
	pid=$(ip netns exec "$RIG_SRV" ss -ltnpH "sport = :$p" | grep -oE 'pid=[0-9]+' | head -n 1 | cut -d= -f2)
	lib=$(grep -oE '/[^ ]*libwrap\.so\.0[^ ]*' /proc/"$pid"/maps | head -n 1)
	rig_check "port $p: the guard and a libwrap.so.0 in one process" "yes $(readlink -f "$([ $p = 7086 ] &&
		echo /usr/lib/x86_64-linux-gnu/libwrap.so.0 || echo "$RIG_BUILD/libwrap.so.0")")" \
		"$(grep -q libwrap_preload /proc/"$pid"/maps && echo yes || echo no) $(readlink -f "$lib")"
	rig_log_clear
	rig_check "port $p: allowed by both" "granted ::ffff:192.0.2.10" "$(rig_connect "$RIG_C1" 192.0.2.10 192.0.2.1 $p)"
	rig_check "port $p: allowed by the guard, refused by the program's library" REFUSED \
		"$(rig_connect "$RIG_C1" 192.0.2.67 192.0.2.1 $p)"
	refused_line "port $p: the program's own refusal" 'inner\[[0-9]+\]: refused connect from ::ffff:192\.0\.2\.67$'
	rig_check "port $p: refused by the guard: the program never sees it" REFUSED \
		"$(rig_connect "$RIG_C1" 192.0.2.68 192.0.2.1 $p)"
	refused_line "port $p: the guard's refusal" \
		'inner\[[0-9]+\]: refused connect from ::ffff:192\.0\.2\.68 \(::ffff:192\.0\.2\.68\)$'
	rig_check "port $p: one line for .68, none from the program's library" 1 \
		"$(grep -c '192\.0\.2\.68' "$RIG_SYSLOG")"
done

# --- a mixed load: nothing allowed lost, no descriptor leaked -----------------------------------
# fds PID... - the open descriptors of each process, "N N ...".
fds() {
	local p
	for p in "$@"; do ls /proc/$p/fd | wc -l; done | tr '\n' ' ' | sed 's/ $//'
}
# load NAME KIND PORT DST GOOD BAD PIDS... - 300 connections, then the descriptor counts
# must come back to what they were (the servers close their ends when the clients have).
# A first round of 40 is not counted: it lets each process open what it keeps for good (the
# syslog socket glibc opens at the first line, nginx's lazily opened files).
load() {
	local name=$1 kind=$2 port=$3 dst=$4 good=$5 bad=$6 before
	shift 6
	ip netns exec "$RIG_C1" timeout 60 python3 "$RIG_DIR/guardload.py" "$kind" "$dst" "$port" \
		"$good" "$bad" 40 >/dev/null
	rig_wait_for 10 sh -c "[ \"\$(for p in $*; do ls /proc/\$p/fd | wc -l; done | tr '\n' ' ')\" = \
		\"\$(sleep 0.2; for p in $*; do ls /proc/\$p/fd | wc -l; done | tr '\n' ' ')\" ]"
	before=$(fds "$@")
	rig_log_clear
	rig_check "$name: 300 mixed connections" "allowed 150/150 denied 150/150" \
		"$(ip netns exec "$RIG_C1" timeout 120 python3 "$RIG_DIR/guardload.py" "$kind" "$dst" \
			"$port" "$good" "$bad" 300)"
	rig_check "$name: every denied connection logged once" 150 \
		"$(grep -cE ': refused connect from (::ffff:)?(192\.0\.2\.66|2001:db8::66) \((::ffff:)?(192\.0\.2\.66|2001:db8::66)\)$' "$RIG_SYSLOG")"
	rig_wait_for 10 sh -c "[ \"\$(for p in $*; do ls /proc/\$p/fd | wc -l; done | tr '\n' ' ' | sed 's/ \$//')\" = '$before' ]"
	rig_check "$name: descriptors before and after the load" "$before" "$(fds "$@")"
}
load "nginx IPv4" http $P_NGINX 192.0.2.1 192.0.2.10 192.0.2.66 $ng_workers
load "nginx IPv6" http $P_NGINX 2001:db8::1 2001:db8::10 2001:db8::66 $ng_workers
load "redis IPv4" redis $P_REDIS 192.0.2.1 192.0.2.10 192.0.2.66 "$redis_pid"
load "redis IPv6" redis $P_REDIS 2001:db8::1 2001:db8::10 2001:db8::66 "$redis_pid"
load "python" http $P_PY 192.0.2.1 192.0.2.10 192.0.2.66 "$py_pid"
rig_check "both nginx workers served allowed clients" 2 \
	"$(awk '$3 == 200 {print $1}' "$ng/logs/access.log" | sort -u | grep -cxE "$(echo $ng_workers | tr ' ' '|')")"
rig_check "the daemons are still alive" "yes yes yes" \
	"$(for p in "$ng_pid" "$redis_pid" "$py_pid"; do kill -0 "$p" 2>/dev/null && echo yes || echo no; done | tr '\n' ' ' | sed 's/ $//')"
rig_check "nothing crashed in nginx's error log" "" \
	"$(grep -E 'signal|crit|alert|emerg' "$ng/logs/error.log" | head -n 3)"

kill "$ng_pid" "$redis_pid" "$py_pid" 2>/dev/null
rig_finish
