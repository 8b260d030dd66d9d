# rig.sh - the integration test rig: a private network, DNS, ident and syslog, all real.
#
# Sourced by every tests/integration/t_*.sh (bash, as root).  It builds one test world:
#
#   $RIG_SRV  network namespace "server": bridge br0 with 192.0.2.1/24, 198.51.100.1/24,
#             203.0.113.1/24, 2001:db8::1/64; the daemons under test run here.
#   $RIG_C1   client: 192.0.2.10 .66 .67 .68, 2001:db8::10 ::66 (veth into br0)
#   $RIG_C2   client: 198.51.100.20, 203.0.113.30, 2001:db8::20
#
# plus a private mount namespace (the "sandbox", joined in the server network namespace) in
# which /etc and /dev are overlays on a private tmpfs: the files of $RIG_ETC (hosts.allow,
# hosts.deny, hosts, resolv.conf, nsswitch.conf, netgroup, ...) are bind-mounted over /etc,
# and /dev/log is a test-owned datagram socket whose messages land, one per line, in
# $RIG_SYSLOG.  The machine's own /etc and /dev are never written.  Edit a table with
# rig_table (in place: the bind mount keeps following the same inode).
#
# Optional parts a suite adds after rig_world: Debian's oidentd in a client namespace
# (rig_oidentd_up), our hostile ident server (rig_identd_hostile, rig_ident_mode), an nftables
# black hole for port 113 (rig_ident_blackhole), /etc/netgroup (rig_netgroup), and a router
# namespace that forwards IPv4 source-routed packets (rig_source_route_up,
# rig_connect_source_routed).  rig_now gives a monotonic millisecond clock for measuring.
#
# Everything started with rig_bg is killed by PID on exit, every namespace deleted, the
# scratch directory removed.  Only documentation addresses inside the test namespaces are
# ever contacted.  Counting: rig_check / rig_pass / rig_fail, and rig_finish prints the
# closing "N passed, N failed" line and returns non-zero on any failure.

set -uo pipefail

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RIG_TOP=$(cd "$RIG_DIR/../../.." && pwd)
RIG_BUILD=${B:-build}
case $RIG_BUILD in /*) ;; *) RIG_BUILD=$RIG_TOP/$RIG_BUILD ;; esac

RIG_P=tw$(( $$ % 100000 ))r$(( RANDOM % 100 ))
RIG_SRV=$RIG_P-srv RIG_C1=$RIG_P-c1 RIG_C2=$RIG_P-c2
RIG_W=$(mktemp -d /tmp/tw-rig.XXXXXX)
chmod 755 "$RIG_W"
RIG_ETC=$RIG_W/etc
RIG_SYSLOG=$RIG_W/syslog
RIG_PIDS=()
RIG_NETNS=()
RIG_SANDBOX_PID=
rig_passed=0 rig_failed=0

mkdir -p "$RIG_ETC"
: >"$RIG_SYSLOG"

# rig_cleanup - stop what we started (by PID), delete our namespaces and scratch files.
rig_cleanup() {
	local pid ns
	for pid in "${RIG_PIDS[@]}" $RIG_SANDBOX_PID; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${RIG_PIDS[@]}" $RIG_SANDBOX_PID; do
		wait "$pid" 2>/dev/null
	done
	for ns in "${RIG_NETNS[@]}"; do
		# A namespace with live processes outlives `ip netns del`: kill what is left
		# inside ours (only ours: the namespace is private to this run).
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$RIG_W"
}
trap rig_cleanup EXIT
trap 'exit 130' INT TERM

# --- counting -------------------------------------------------------------------------------

rig_pass() { rig_passed=$((rig_passed + 1)); printf 'ok    %s\n' "$1"; }
rig_fail() { rig_failed=$((rig_failed + 1)); printf 'FAIL  %s\n' "$1"; }

# rig_check NAME EXPECTED ACTUAL
rig_check() {
	if [ "$2" = "$3" ]; then
		rig_pass "$1: $3"
	else
		rig_fail "$1: want [$2] got [$3]"
	fi
}

# rig_finish - the closing line; the exit status says whether everything passed.
rig_finish() {
	echo "$rig_passed passed, $rig_failed failed"
	[ "$rig_failed" = 0 ]
}

# rig_die MESSAGE - the rig itself could not be built: one counted failure, then stop.
rig_die() {
	echo "rig: $*" >&2
	rig_fail "rig setup: $*"
	rig_finish
	exit 1
}

# --- processes --------------------------------------------------------------------------------

# rig_bg CMD... - start a bounded background helper; its PID is killed on exit.
rig_bg() {
	"$@" &
	RIG_PIDS+=($!)
}

# rig_wait_for SECONDS CMD... - poll CMD (every 20 ms) until it succeeds.
rig_wait_for() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 50; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.02
	done
	return 1
}

# --- network ----------------------------------------------------------------------------------

rig_netns_add() {
	ip netns add "$1" || return 1
	RIG_NETNS+=("$1")
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0
}

# rig_client_add NS ADDR/LEN... - a client namespace joined to the server bridge.  The veth is
# created inside the server namespace with its peer directly in the client's, so no interface
# name ever exists in the root namespace and parallel runs cannot clash.
rig_client_add() {
	local ns=$1 a
	shift
	rig_netns_add "$ns" || return 1
	ip -n "$RIG_SRV" link add "v-${ns##*-}" type veth peer name eth0 netns "$ns" || return 1
	ip -n "$RIG_SRV" link set "v-${ns##*-}" master br0 up
	for a in "$@"; do
		case $a in
		*:*) ip -n "$ns" addr add "$a" dev eth0 nodad ;;
		*) ip -n "$ns" addr add "$a" dev eth0 ;;
		esac
	done
	ip -n "$ns" link set eth0 up
}

# rig_net_up - the server and the two clients.
rig_net_up() {
	local a
	rig_netns_add "$RIG_SRV" || rig_die "cannot create network namespaces (root needed)"
	ip -n "$RIG_SRV" link add br0 type bridge
	ip -n "$RIG_SRV" link set br0 up
	for a in 192.0.2.1/24 198.51.100.1/24 203.0.113.1/24; do
		ip -n "$RIG_SRV" addr add "$a" dev br0
	done
	ip -n "$RIG_SRV" addr add 2001:db8::1/64 dev br0 nodad
	rig_client_add "$RIG_C1" 192.0.2.10/24 192.0.2.66/24 192.0.2.67/24 192.0.2.68/24 \
		2001:db8::10/64 2001:db8::66/64 || rig_die "cannot create client $RIG_C1"
	rig_client_add "$RIG_C2" 198.51.100.20/24 203.0.113.30/24 2001:db8::20/64 ||
		rig_die "cannot create client $RIG_C2"
}

# --- the private /etc, /dev/log and the sandbox -------------------------------------------------

# rig_etc_defaults - resolver, NSS and netgroup files for the sandbox (tests may overwrite).
rig_etc_defaults() {
	printf 'nameserver 192.0.2.1\noptions timeout:1 attempts:1\n' >"$RIG_ETC/resolv.conf"
	printf 'passwd: files\ngroup: files\nhosts: files dns\nnetgroup: files\n' \
		>"$RIG_ETC/nsswitch.conf"
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n' >"$RIG_ETC/hosts"
	: >"$RIG_ETC/netgroup"
	: >"$RIG_ETC/hosts.allow"
	: >"$RIG_ETC/hosts.deny"
}

# rig_table NAME TEXT - replace $RIG_ETC/NAME in place (bind mounts follow the inode).
rig_table() {
	printf '%s' "$2" >"$RIG_ETC/$1"
}

# rig_sandbox_up - the private mount namespace, inside the server network namespace, held open
# by one process that every rig_sb call joins with nsenter.  Its /dev/log is served by
# lib/devlog.py into $RIG_SYSLOG.
rig_sandbox_up() {
	local ready=$RIG_W/sandbox.ready
	mkdir -p "$RIG_W/mnt"
	ip netns exec "$RIG_SRV" unshare -m --propagation private -- bash -c '
		set -e
		w=$1 etc=$2 syslog=$3 devlog=$4
		mount -t tmpfs rig "$w/mnt"
		for d in etc dev run; do
			mkdir -p "$w/mnt/$d.u" "$w/mnt/$d.w" "$w/mnt/$d.orig"
			mount --rbind "/$d" "$w/mnt/$d.orig"
			mount -t overlay rig-$d -o "lowerdir=/$d,upperdir=$w/mnt/$d.u,workdir=$w/mnt/$d.w" "/$d"
		done
		# Mounts that lived below /dev and /run (pts, shm, netns) come back on top.
		for d in dev run; do
			for m in $(awk -v p="$w/mnt/$d.orig/" "index(\$2, p) == 1 {print \$2}" /proc/self/mounts); do
				t=/$d/${m#$w/mnt/$d.orig/}
				[ -e "$t" ] || { [ -d "$m" ] && mkdir -p "$t" || : >"$t"; }
				mount --bind "$m" "$t" 2>/dev/null || true
			done
		done
		for f in "$etc"/*; do
			[ -f "$f" ] || continue
			t=/etc/${f##*/}
			[ -L "$t" ] && rm -f "$t"
			[ -e "$t" ] || : >"$t"
			mount --bind "$f" "$t"
		done
		mkdir -p /run/sshd
		python3 "$devlog" /dev/log "$syslog" &
		for i in $(seq 1 250); do [ -S /dev/log ] && break; sleep 0.02; done
		[ -S /dev/log ]
		: >"$w/sandbox.ready"
		wait
	' rig-sandbox "$RIG_W" "$RIG_ETC" "$RIG_SYSLOG" "$RIG_DIR/devlog.py" &
	RIG_SANDBOX_PID=$!
	rig_wait_for 10 test -e "$ready" || rig_die "the sandbox did not come up"
}

# rig_sb CMD... - run CMD in the sandbox (server network namespace, private /etc and /dev).
rig_sb() {
	# The holder was exec'd from `ip netns exec` through `unshare -m` into bash: same PID.
	nsenter --mount=/proc/"$RIG_SANDBOX_PID"/ns/mnt --net=/proc/"$RIG_SANDBOX_PID"/ns/net -- "$@"
}

# rig_log_wait SECONDS REGEX - wait until a captured syslog line matches (grep -E).
rig_log_wait() {
	rig_wait_for "$1" grep -qE -- "$2" "$RIG_SYSLOG"
}

# rig_log_clear - forget the captured lines (before the step whose lines a test checks).
rig_log_clear() {
	: >"$RIG_SYSLOG"
}

# --- DNS and ident -------------------------------------------------------------------------------

# rig_dns_up [CONF] - dnsmasq (Debian's) in the server namespace, authoritative for the test
# zones only (lib/dns.conf by default); no upstream, no /etc/hosts.
rig_dns_up() {
	local conf=${1:-$RIG_DIR/dns.conf}
	rig_bg ip netns exec "$RIG_SRV" dnsmasq -k -C "$conf" --user=root \
		--pid-file="$RIG_W/dnsmasq.pid" --log-facility="$RIG_W/dnsmasq.log" \
		--listen-address=192.0.2.1 --bind-interfaces
	rig_wait_for 10 rig_sb getent hosts trusted.example.com ||
		rig_die "dnsmasq did not answer (see $RIG_W/dnsmasq.log)"
}

# rig_oidentd_up NS ADDR... - Debian's oidentd in a client namespace, answering on ADDR:113.
# $RIG_OIDENTD_EXTRA, if set, is appended to its configuration.
# It reads that namespace's connection tables, so it names the real owner of the client socket.
rig_oidentd_up() {
	local ns=$1 args=() a
	shift
	for a in "$@"; do args+=(-a "$a"); done
	printf 'default {\n\tdefault {\n\t\tdeny spoof\n\t\tdeny spoof_all\n\t}\n}\n' \
		>"$RIG_W/oidentd.conf"
	# Per-user answers a test wants (oidentd.conf syntax), e.g. forced replies or hidden users.
	printf '%s\n' "${RIG_OIDENTD_EXTRA:-}" >>"$RIG_W/oidentd.conf"
	rig_bg ip netns exec "$ns" oidentd -i -S -q -C "$RIG_W/oidentd.conf" -p 113 "${args[@]}"
	rig_wait_for 10 ip netns exec "$ns" ss -ltnH "sport = :113" ||
		rig_die "oidentd did not start in $ns"
}

# rig_identd_hostile NS ADDR... - our misbehaving ident server (lib/identd-hostile.py) in
# client namespace NS on ADDR:113, answering as rig_ident_mode last said (default "error").
# Every query it gets is logged to $RIG_IDENT_LOG as "SOURCE|QUERY|MODE".  It exits by itself
# after 300 s.
RIG_IDENT_MODE=$RIG_W/ident.mode RIG_IDENT_LOG=$RIG_W/ident.log
rig_identd_hostile() {
	local ns=$1 a
	shift
	echo error >"$RIG_IDENT_MODE"
	: >"$RIG_IDENT_LOG"
	rig_bg ip netns exec "$ns" python3 "$RIG_DIR/identd-hostile.py" "$RIG_IDENT_MODE" \
		"$RIG_IDENT_LOG" 300 "$@"
	for a in "$@"; do
		rig_wait_for 10 sh -c "ip netns exec '$ns' ss -ltnH 'sport = :113' | grep -qF '$a'" ||
			rig_die "the hostile ident server did not start on $a"
	done
}

# rig_ident_mode MODE [ARG...] - how the hostile ident server answers from now on (modes:
# see lib/identd-hostile.py: user, os, lower, noos, nonewline, wrongport, error, garbage,
# long, flood, silent, slow, trickle, close).
rig_ident_mode() {
	echo "$*" >"$RIG_IDENT_MODE"
}

# rig_ident_blackhole NS ADDR - drop (no reset, no answer) every TCP segment to ADDR:113 in
# client namespace NS with nftables: an ident query there can only time out.  The table lives
# in NS and goes with it.
rig_ident_blackhole() {
	local family=ip
	case $2 in *:*) family=ip6 ;; esac
	ip netns exec "$1" nft add table inet rig 2>/dev/null
	ip netns exec "$1" nft add chain inet rig input '{ type filter hook input priority 0; }' \
		2>/dev/null
	ip netns exec "$1" nft add rule inet rig input "$family" daddr "$2" tcp dport 113 drop ||
		rig_die "nft could not black-hole $2:113 in $1"
}

# rig_netgroup TEXT - the sandbox's /etc/netgroup (nsswitch already says "netgroup: files").
rig_netgroup() {
	rig_table netgroup "$1"
}

# rig_now - a monotonic clock in milliseconds, for measuring (not sleeping).
rig_now() {
	local up
	read -r up _ </proc/uptime
	echo $(( ${up%.*} * 1000 + 10#${up#*.} * 10 ))
}

# --- clients ---------------------------------------------------------------------------------------

# rig_wait_listen NS PORT - poll until something listens on TCP PORT in NS.
rig_wait_listen() {
	rig_wait_for 10 sh -c "ip netns exec '$1' ss -ltnH 'sport = :$2' | grep -q ."
}

# rig_connect NS SRC DST PORT [USER] - connect from SRC in client namespace NS, as USER
# (default root); print the first line the server sends, or REFUSED when it sends nothing.
rig_connect() {
	local ns=$1 src=$2 dst=$3 port=$4 user=${5:-root} addr reply
	case $src in
	*:*) addr="TCP6:[$dst]:$port,bind=[$src]" ;;
	*) addr="TCP4:$dst:$port,bind=$src" ;;
	esac
	reply=$(ip netns exec "$ns" setpriv --reuid="$user" --regid="$(id -g "$user")" \
		--clear-groups timeout 30 socat -t20 -T20 - "$addr" </dev/null 2>/dev/null |
		head -n 1 | tr -d '\r')
	echo "${reply:-REFUSED}"
}

# rig_source_route_up - a router namespace ($RIG_P-rt, 192.0.2.254 on the server bridge)
# that forwards IPv4 source-routed packets, and the server and $RIG_C1 accepting them (Linux
# drops them by default): the only way a real source-routed connection can be made.  All of
# it is in our own namespaces.
rig_source_route_up() {
	local rt=$RIG_P-rt ns
	rig_netns_add "$rt" || rig_die "cannot create the router namespace"
	ip -n "$RIG_SRV" link add v-rt type veth peer name eth0 netns "$rt" &&
		ip -n "$RIG_SRV" link set v-rt master br0 up &&
		ip -n "$rt" addr add 192.0.2.254/24 dev eth0 && ip -n "$rt" link set eth0 up ||
		rig_die "cannot wire the router namespace"
	ip netns exec "$rt" sysctl -qw net.ipv4.ip_forward=1
	for ns in "$rt" "$RIG_SRV" "$RIG_C1"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.accept_source_route=1 \
			net.ipv4.conf.all.send_redirects=0
		ip netns exec "$ns" sh -c 'for f in /proc/sys/net/ipv4/conf/*/accept_source_route; do
			echo 1 >"$f"; done'
	done
}

# rig_connect_source_routed HOP SRC DST PORT [SECONDS] - like rig_connect from $RIG_C1, but
# the connection carries a loose source route through HOP (IP_OPTIONS LSRR); it waits at
# most SECONDS (default 20) for the first line.
rig_connect_source_routed() {
	ip netns exec "$RIG_C1" timeout 30 python3 -c '
import socket, sys
hop, src, dst, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(float(sys.argv[5]) if len(sys.argv) > 5 else 20)
# LSRR, length 7, pointer 4, the first hop; the kernel adds the destination.  EOL pads.
s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS,
             bytes([131, 7, 4]) + socket.inet_aton(hop) + bytes([0]))
s.bind((src, 0))
s.connect((dst, port))
line = s.makefile("rb").readline().decode("latin-1").strip()
print(line or "REFUSED")
' "$@" 2>/dev/null || echo REFUSED
}

# rig_ask NS SRC DST PORT TEXT - like rig_connect (as root), but send TEXT (printf format,
# e.g. an HTTP request) before the end of file; the first line back, or REFUSED.
rig_ask() {
	local addr reply
	case $2 in
	*:*) addr="TCP6:[$3]:$4,bind=[$2]" ;;
	*) addr="TCP4:$3:$4,bind=$2" ;;
	esac
	reply=$(printf "$5" | ip netns exec "$1" timeout 30 socat -t10 -T20 - "$addr" 2>/dev/null |
		head -n 1 | tr -d '\r')
	echo "${reply:-REFUSED}"
}

# rig_build_wrapserv - build the test server (lib/wrapserv.c) against build/libwrap.so.
rig_build_wrapserv() {
	RIG_WRAPSERV=$RIG_BUILD/tests/integration/wrapserv
	[ -x "$RIG_WRAPSERV" ] ||
		make -C "$RIG_TOP" --no-print-directory B="$RIG_BUILD" "$RIG_WRAPSERV" >/dev/null ||
		rig_die "cannot build wrapserv"
}

# rig_use_our_libwrap - inside the sandbox only, bind-mount $RIG_BUILD's libwrap over the
# system's libwrap.so.0.7.6, so every program started there loads ours, even through a
# superserver that clears LD_LIBRARY_PATH.  Dies unless the machine's own file is still
# Debian's afterwards (the sandbox's mount namespace is private).
RIG_SYS_LIBWRAP=/usr/lib/x86_64-linux-gnu/libwrap.so.0.7.6
rig_use_our_libwrap() {
	local ours
	ours=$(readlink -f "$RIG_BUILD/libwrap.so.0") || rig_die "no $RIG_BUILD/libwrap.so.0"
	rig_sb mount --bind "$ours" "$RIG_SYS_LIBWRAP" || rig_die "cannot bind-mount our libwrap"
	[ "$(rig_sb stat -L -c %i "$RIG_SYS_LIBWRAP")" = "$(stat -L -c %i "$ours")" ] ||
		rig_die "the sandbox does not see our libwrap"
	[ "$(stat -L -c %i "$RIG_SYS_LIBWRAP")" != "$(stat -L -c %i "$ours")" ] ||
		rig_die "our libwrap leaked out of the sandbox"
}

# rig_libwrap_of PID - the inode of the libwrap file that process PID has mapped (or nothing).
rig_libwrap_of() {
	awk '$6 ~ /libwrap/ {print $5; exit}' /proc/"$1"/maps 2>/dev/null
}

# rig_world - the usual start: network, default /etc, sandbox with syslog, DNS.
rig_world() {
	[ "$(id -u)" = 0 ] || rig_die "the integration rig needs root"
	rig_net_up
	rig_etc_defaults
	rig_sandbox_up
	rig_dns_up
}
