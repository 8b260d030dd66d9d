#!/usr/bin/env bash
# preload.sh - what libwrap_preload.so costs nginx per connection (make bench-preload).
#
# One nginx (1 worker) and wrk, both inside a private network namespace (loopback only) and a
# private mount namespace whose /etc is an overlay holding the bench's own hosts.allow (the
# nginx rule after BENCH_RULES rules for other daemons) and hosts.deny ("ALL: ALL"): the
# machine's /etc is never written, and no packet leaves the namespace.  wrk runs three times per
# configuration, alternating with and without the guard (the best run counts, to damp the
# noise of a shared machine), in two modes:
#   close       "Connection: close": every request is a new connection, decided by the guard;
#   keep-alive  wrk's default: few connections, many requests each (the guard's cost all but
#               vanishes: it is paid per connection, not per request).
# Prints a table: requests/s without and with the guard, their ratio and the loss, and the
# nginx worker's CPU time per request without and with it (user + system, from /proc): their
# difference is the guard's own cost per connection in close mode.  On a machine shared with
# other work the CPU figures are the steadier ones.  Root needed.  Environment: B (build dir), BENCH_SECONDS (per run,
# default 8), BENCH_CONNS (wrk -c, default 32), BENCH_RULES (default 20).
set -euo pipefail

cd "$(dirname "$0")/.."
B=${B:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
PRELOAD=$B/libwrap_preload.so
SECONDS_PER_RUN=${BENCH_SECONDS:-8} CONNS=${BENCH_CONNS:-32} RULES=${BENCH_RULES:-20}
for p in nginx wrk unshare; do
	command -v $p >/dev/null || { echo "preload.sh: $p is not installed (tests/install-deps.sh)" >&2; exit 1; }
done
[ -e "$PRELOAD" ] || { echo "preload.sh: build $PRELOAD first (make)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "preload.sh: needs root (namespaces)" >&2; exit 1; }

W=$(mktemp -d /tmp/tw-bench-preload.XXXXXX)
chmod 755 "$W"
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/nginx/logs" "$W/nginx/tmp" "$W/etc"
cat >"$W/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
user nobody nogroup;
pid $W/nginx/nginx.pid;
error_log $W/nginx/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $W/nginx/tmp/body;
	proxy_temp_path $W/nginx/tmp/proxy;
	fastcgi_temp_path $W/nginx/tmp/fastcgi;
	uwsgi_temp_path $W/nginx/tmp/uwsgi;
	scgi_temp_path $W/nginx/tmp/scgi;
	server {
		listen 127.0.0.1:8088 backlog=4096;
		location / { return 200 "hello\n"; }
	}
}
EOF
for ((i = 1; i <= RULES; i++)); do
	printf 'daemon%d: 192.0.2.%d 198.51.100.0/24 .example.org : severity auth.info\n' $i $((i % 250))
done >"$W/etc/hosts.allow"
echo "nginx: 127.0.0.1 [::1]" >>"$W/etc/hosts.allow"
echo "ALL: ALL" >"$W/etc/hosts.deny"

# Everything below runs inside the namespaces (unshare -n -m): loopback only, private /etc.
cat >"$W/inner.sh" <<'INNER'
set -euo pipefail
W=$1 PRELOAD=$2 SECS=$3 CONNS=$4
ip link set lo up
sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.ipv4.tcp_tw_reuse=1
mkdir -p "$W/mnt"
mount -t tmpfs bench "$W/mnt"
mkdir -p "$W/mnt/u" "$W/mnt/w"
mount -t overlay bench-etc -o "lowerdir=/etc,upperdir=$W/mnt/u,workdir=$W/mnt/w" /etc
cp "$W/etc/hosts.allow" "$W/etc/hosts.deny" /etc/

# run GUARD MODE - start nginx (with the guard or not), one wrk run; print "REQ/S CPU_US": the
# requests per second, and the worker's CPU time (user + system, from /proc) per request,
# which a busy shared machine disturbs far less than the throughput.
run() {
	local guard=$1 mode=$2 pid worker out hdr=() t0 t1 tick
	if [ "$guard" = with ]; then
		env LD_PRELOAD="$PRELOAD" nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" &
	else
		nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" &
	fi
	pid=$!
	for _ in $(seq 1 250); do
		(exec 3<>/dev/tcp/127.0.0.1/8088) 2>/dev/null && break
		sleep 0.02
	done
	worker=
	for _ in $(seq 1 250); do
		worker=$(pgrep -P "$pid" | head -n 1) && [ -n "$worker" ] && break
		sleep 0.02
	done
	[ -n "$worker" ] || { echo "preload.sh: nginx started no worker" >&2; exit 1; }
	[ "$mode" = close ] && hdr=(-H "Connection: close")
	tick=$(getconf CLK_TCK)
	t0=$(awk '{print $14 + $15}' /proc/"$worker"/stat)
	out=$(wrk -t1 -c"$CONNS" -d"${SECS}s" "${hdr[@]}" http://127.0.0.1:8088/ 2>&1)
	t1=$(awk '{print $14 + $15}' /proc/"$worker"/stat)
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	if grep -qE 'Non-2xx|Socket errors: connect [1-9]|read [1-9]' <<<"$out"; then
		echo "preload.sh: wrk saw errors ($guard, $mode):" >&2
		echo "$out" >&2
	fi
	awk -v t0="$t0" -v t1="$t1" -v tick="$tick" '
		/ requests in / {n = $1}
		/^Requests\/sec:/ {rps = $2}
		END {printf "%s %.2f\n", rps, (n > 0 ? (t1 - t0) * 1e6 / tick / n : 0)}' <<<"$out"
}
# best COLUMN LINES... - the best run: the highest requests/s, the lowest CPU per request.
best_rps() { printf '%s\n' "$@" | awk '{print $1}' | sort -g | tail -n 1; }
best_cpu() { printf '%s\n' "$@" | awk '{print $2}' | sort -g | head -n 1; }

printf '%-11s %12s %12s %7s %7s %12s %12s %10s\n' mode "req/s (w/o)" "req/s (with)" ratio loss \
	"CPU us/req" "(with)" "guard CPU"
for mode in close keep-alive; do
	runs_a=() runs_b=()
	for round in 1 2 3; do
		runs_a+=("$(run without $mode)")
		runs_b+=("$(run with $mode)")
	done
	a=$(best_rps "${runs_a[@]}") b=$(best_rps "${runs_b[@]}")
	ca=$(best_cpu "${runs_a[@]}") cb=$(best_cpu "${runs_b[@]}")
	awk -v m="$mode" -v a="$a" -v b="$b" -v ca="$ca" -v cb="$cb" 'BEGIN {
		printf "%-11s %12.0f %12.0f %7.3f %6.1f%% %12.1f %12.1f %7.1f us\n", m, a, b, b / a,
		       100 * (1 - b / a), ca, cb, cb - ca
	}'
done
INNER
unshare -n -m --propagation private -- bash "$W/inner.sh" "$W" "$PRELOAD" "$SECONDS_PER_RUN" "$CONNS" </dev/null
echo
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), 1 worker; wrk -t1 -c$CONNS -d${SECONDS_PER_RUN}s, best of 3 runs each;" \
	"hosts.allow: $((RULES + 1)) rules (the nginx rule last), hosts.deny: ALL: ALL."
echo "reproduce: make bench-preload  (or B=$B BENCH_SECONDS=$SECONDS_PER_RUN BENCH_CONNS=$CONNS BENCH_RULES=$RULES bench/preload.sh)"
