#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) The tcpwrappers authors
#
# t_coverage.sh - tcpdchk --coverage against real listeners, in the rig's own network and
# mount namespaces (lib/rig.sh): every listener classified, the daemon names and rules found,
# the dead rules found, the JSON checked against the schema of tcpdchk(8)
# (lib/coverage_check.py), and a run as "nobody" reporting "unknown" where it cannot see.
#
#   port  what                                               expected
#   7301  Debian's sshd (links Debian's libwrap)             libwrap other  sshd
#   7302  python3 http.server                                none
#   7303  the same under our libwrap_preload.so              preload        web (TCPWRAP_DAEMON)
#   7304  socat tcpwrap=sockours, our libwrap                libwrap ours   sockours
#   7305  socat tcpwrap=sockdeb, Debian's libwrap            libwrap other  sockdeb
#   7306  socat without tcpwrap (maps Debian's libwrap)     none
#   7307  openbsd-inetd starting our tcpd                    tcpd ours      iours
#   7308  openbsd-inetd starting Debian's tcpd               tcpd other     ideb
#   7309  openbsd-inetd starting /bin/echo directly          none
#   7310  udp: tftpd-hpa by Debian's tcpd under inetd        tcpd other     in.tftpd
#   7311  xinetd (unpacked .deb) starting our tcpd           tcpd ours      xoursd + xours
#   7312  xinetd starting Debian's tcpd                      tcpd other     xdebd + xdeb
#   7313  xinetd, flags = NOLIBWRAP                          none           xnolib
#   7314  xinetd's own check                                 libwrap other  xplain
#   7315  tcpd --listen --name lsvc                          listen         lsvc
#   7316  stunnel4 [styes] libwrap = yes                     libwrap other  styes
#   7317  stunnel4 [stno]  libwrap = no                      none           stno
#   7318  openbsd-inetd -l, a service started directly      libwrap other  ilib
#   7319  a statically linked listener                       unknown (the reason)
# hosts.allow names each, plus "ssdh" (a typo: dead), "stno" (its daemon never checks: dead)
# and "ALL" (never dead).
. "$(dirname "$0")/lib/rig.sh"

W=$RIG_W
TCPDCHK=${TCPDCHK:-$RIG_BUILD/tcpdchk} # TCPDCHK=... runs another build (e.g. under ASan)
OUR_TCPD=$RIG_BUILD/tcpd
PRELOAD=$RIG_BUILD/libwrap_preload.so

# xinetd_binary - Debian's xinetd, unpacked from its .deb into build/cache (downloaded once;
# it conflicts with openbsd-inetd as a package).
xinetd_binary() {
	local cache=$RIG_TOP/build/cache
	if [ ! -x "$cache/xinetd-root/usr/sbin/xinetd" ]; then
		mkdir -p "$cache" &&
			(cd "$cache" && { ls xinetd_*.deb >/dev/null 2>&1 || apt-get download xinetd; }) \
				>/dev/null 2>&1 &&
			dpkg-deb -x "$cache"/xinetd_*.deb "$cache/xinetd-root" || return 1
	fi
	echo "$cache/xinetd-root/usr/sbin/xinetd"
}

for f in /usr/sbin/sshd /usr/sbin/inetd /usr/sbin/tcpd /usr/bin/stunnel4 /usr/sbin/in.tftpd \
	/usr/bin/socat /usr/bin/openssl "$TCPDCHK" "$OUR_TCPD" "$PRELOAD" "$RIG_BUILD/libwrap.so.0"; do
	[ -e "$f" ] || rig_die "missing $f (tests/install-deps.sh, make)"
done
XINETD=$(xinetd_binary) || rig_die "cannot download and unpack xinetd into build/cache"

rig_world

rig_table hosts.allow 'sshd: 192.0.2.0/24
web: 192.0.2.0/24
sockours, sockdeb: 192.0.2.0/24
iours ideb in.tftpd ilib: 192.0.2.0/24
xoursd xdebd xplain: 192.0.2.0/24
lsvc styes: 192.0.2.0/24
ssdh: 192.0.2.0/24
ALL: 10.0.0.1
stno: 192.0.2.0/24
'
rig_table hosts.deny 'ALL: ALL
'
mkdir -p "$W/bin" "$W/tftp" "$W/www"
for n in iours ideb ilib xoursd xdebd; do ln -s /bin/echo "$W/bin/$n"; done

# sshd, Debian's libwrap
ssh-keygen -q -t ed25519 -N '' -f "$W/ssh_host_key" || rig_die "ssh-keygen failed"
printf 'Port 7301\nListenAddress 192.0.2.1\nHostKey %s\nPidFile %s/sshd.pid\nUsePAM no\nLogLevel ERROR\n' \
	"$W/ssh_host_key" "$W" >"$W/sshd_config"
rig_bg rig_sb /usr/sbin/sshd -D -e -f "$W/sshd_config"

# python3 http.server, alone and under the preload guard
rig_bg rig_sb python3 -m http.server --bind 192.0.2.1 --directory "$W/www" 7302 >/dev/null 2>&1
rig_bg rig_sb env LD_PRELOAD="$PRELOAD" TCPWRAP_DAEMON=web \
	python3 -m http.server --bind 192.0.2.1 --directory "$W/www" 7303 >/dev/null 2>&1

# socat: our libwrap, Debian's, and no tcpwrap option
rig_bg rig_sb env LD_LIBRARY_PATH="$RIG_BUILD" socat \
	TCP4-LISTEN:7304,bind=192.0.2.1,reuseaddr,fork,tcpwrap=sockours SYSTEM:'echo ours'
rig_bg rig_sb socat TCP4-LISTEN:7305,bind=192.0.2.1,reuseaddr,fork,tcpwrap=sockdeb SYSTEM:'echo deb'
rig_bg rig_sb socat TCP4-LISTEN:7306,bind=192.0.2.1,reuseaddr,fork SYSTEM:'echo open'

# openbsd-inetd: our tcpd, Debian's tcpd, a direct daemon, and tftpd-hpa over UDP
{
	printf '7307\tstream\ttcp\tnowait\troot\t%s\t%s/bin/iours\n' "$OUR_TCPD" "$W"
	printf '7308\tstream\ttcp\tnowait\troot\t/usr/sbin/tcpd\t%s/bin/ideb\n' "$W"
	printf '7309\tstream\ttcp\tnowait\troot\t/bin/echo\techo direct\n'
	printf '7310\tdgram\tudp\twait\troot\t/usr/sbin/tcpd\t/usr/sbin/in.tftpd -s %s/tftp\n' "$W"
} >"$W/inetd.conf"
rig_bg rig_sb /usr/sbin/inetd -d -i "$W/inetd.conf" 2>"$W/inetd.log"
# inetd -l: inetd asks libwrap itself for a service it starts directly
printf '7318\tstream\ttcp\tnowait\troot\t%s/bin/ilib\tilib\n' "$W" >"$W/inetd-l.conf"
rig_bg rig_sb /usr/sbin/inetd -d -i -l "$W/inetd-l.conf" 2>"$W/inetd-l.log"

# xinetd (Debian's libwrap): tcpd ours and Debian's, NOLIBWRAP, its own check
xservice() { # NAME PORT SERVER ARGS [FLAGS]
	printf 'service %s\n{\n\ttype = UNLISTED\n\tport = %s\n\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n\tuser = root\n\tserver = %s\n\tserver_args = %s\n%s}\n' \
		"$1" "$2" "$3" "$4" "${5:+	flags = $5
}"
}
{
	xservice xours 7311 "$OUR_TCPD" "$W/bin/xoursd"
	xservice xdeb 7312 /usr/sbin/tcpd "$W/bin/xdebd"
	xservice xnolib 7313 /bin/echo nolib NOLIBWRAP
	xservice xplain 7314 /bin/echo plain
} >"$W/xinetd.conf"
rig_bg rig_sb "$XINETD" -f "$W/xinetd.conf" -dontfork -pidfile "$W/xinetd.pid"

# a statically linked listener: a libwrap linked into it could not be seen
cat >"$W/staticd.c" <<'EOF'
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(7319)};
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 1) < 0)
		return 1;
	pause();
	return 0;
}
EOF
cc -static -o "$W/staticd" "$W/staticd.c" || rig_die "cannot link a static program (libc6-dev)"
rig_bg rig_sb "$W/staticd"

# tcpd --listen
rig_bg rig_sb "$OUR_TCPD" --listen 192.0.2.1:7315 --name lsvc -- /bin/echo listened

# stunnel4: one service with libwrap = yes, one with libwrap = no
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/st.key" -out "$W/st.crt" -days 2 \
	-subj /CN=coverage.test >/dev/null 2>&1 || rig_die "openssl cannot make a certificate"
cat "$W/st.key" "$W/st.crt" >"$W/st.pem"
cat >"$W/stunnel.conf" <<EOF
foreground = yes
pid =
cert = $W/st.pem
[styes]
accept = 192.0.2.1:7316
connect = 127.0.0.1:9
libwrap = yes
[stno]
accept = 192.0.2.1:7317
connect = 127.0.0.1:9
libwrap = no
EOF
rig_bg rig_sb /usr/bin/stunnel4 "$W/stunnel.conf" >"$W/stunnel.log" 2>&1

for port in 7301 7302 7303 7304 7305 7306 7307 7308 7309 7311 7312 7313 7314 7315 7316 7317 7318 7319; do
	rig_wait_listen "$RIG_SRV" "$port" || rig_die "nothing listens on port $port"
done
rig_wait_for 10 sh -c "ip netns exec '$RIG_SRV' ss -lunH 'sport = :7310' | grep -q ." ||
	rig_die "inetd does not listen on udp 7310"

# --- as root: every listener classified ----------------------------------------------------------
rig_sb "$TCPDCHK" --coverage --json >"$W/coverage.json" 2>"$W/coverage.err"
rc=$?
rig_check "tcpdchk --coverage --json exits 1 (some listener is none)" 1 "$rc"
A=/etc/hosts.allow D=/etc/hosts.deny
cat >"$W/expect" <<EOF
listener tcp 7301 libwrap other sshd $A:1,$A:8,$D:1
listener tcp 7302 none - python3 $A:8,$D:1
listener tcp 7303 preload - web $A:2,$A:8,$D:1
listener tcp 7304 libwrap ours sockours $A:3,$A:8,$D:1
listener tcp 7305 libwrap other sockdeb $A:3,$A:8,$D:1
listener tcp 7306 none other socat $A:8,$D:1
listener tcp 7307 tcpd ours iours $A:4,$A:8,$D:1
listener tcp 7308 tcpd other ideb $A:4,$A:8,$D:1
listener tcp 7309 none - echo $A:8,$D:1
listener udp 7310 tcpd other in.tftpd $A:4,$A:8,$D:1
listener tcp6 7311 tcpd ours xoursd,xours $A:5,$A:8,$D:1
listener tcp6 7312 tcpd other xdebd,xdeb $A:5,$A:8,$D:1
listener tcp6 7313 none - xnolib $A:8,$D:1
listener tcp6 7314 libwrap other xplain $A:5,$A:8,$D:1
listener tcp 7315 listen ours lsvc $A:6,$A:8,$D:1
listener tcp 7316 libwrap other styes $A:6,$A:8,$D:1
listener tcp 7317 none other stno $A:8,$A:9,$D:1
listener tcp 7318 libwrap other ilib $A:4,$A:8,$D:1
listener tcp 7319 unknown - - -
unknown-note statically linked: a libwrap linked into it cannot be seen
dead $A 7 ssdh
dead $A 9 stno
EOF
while IFS= read -r line; do
	case $line in
	"ok    "*) rig_pass "${line#ok    }" ;;
	"FAIL  "*) rig_fail "${line#FAIL  }" ;;
	esac
done < <(python3 "$RIG_DIR/coverage_check.py" "$W/coverage.json" "$W/expect")

# The text table: unprotected first, the dead rules as warnings.
rig_sb "$TCPDCHK" --coverage >"$W/coverage.txt" 2>&1
first=$(awk 'NR == 2 {print $4}' "$W/coverage.txt")
rig_check "text: the first listener is an unprotected one" none "$first"
grep -q '^/etc/hosts.allow:7: warning: dead rule: daemon list "ssdh"' "$W/coverage.txt" &&
	rig_pass "text: the typo'd rule is reported as dead" ||
	rig_fail "text: no dead-rule line for ssdh: $(grep -i dead "$W/coverage.txt")"
grep -qE '^tcp +192\.0\.2\.1:7301 +[0-9]+/sshd +libwrap +sshd ' "$W/coverage.txt" &&
	rig_pass "text: sshd's line" || rig_fail "text: sshd's line: $(grep 7301 "$W/coverage.txt")"

# --- as nobody: what it cannot see is unknown, never guessed ---------------------------------------
# A copy in the scratch directory: the build tree may not be readable by nobody.
install -m 0755 "$TCPDCHK" "$W/tcpdchk-copy" || rig_die "cannot copy tcpdchk"
rig_sb setpriv --reuid=nobody --regid=nogroup --clear-groups "$W/tcpdchk-copy" --coverage --json \
	>"$W/nobody.json" 2>"$W/nobody.err"
rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] && rig_pass "as nobody: exit $rc (not an error)" ||
	rig_fail "as nobody: exit $rc: $(cat "$W/nobody.err")"
printf 'unknown-note run as root\n' >"$W/expect-nobody"
while IFS= read -r line; do
	case $line in
	"ok    "*) rig_pass "as nobody: ${line#ok    }" ;;
	"FAIL  "*) rig_fail "as nobody: ${line#FAIL  }" ;;
	esac
done < <(python3 "$RIG_DIR/coverage_check.py" "$W/nobody.json" "$W/expect-nobody")
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ports = {l["port"]: l for l in d["listeners"]}
bad = [p for p in (7301, 7307, 7311, 7315, 7316) if ports[p]["enforcement"] != "unknown"]
sys.exit(1 if bad or d["complete"] or d["dead_rules"] else 0)
' "$W/nobody.json" && rig_pass "as nobody: root's listeners are unknown; incomplete, so no dead rules claimed" ||
	rig_fail "as nobody: root's listeners were classified anyway: $(head -c 600 "$W/nobody.json")"

# COVERAGE_KEEP=DIR keeps the outputs (examples for the documentation).
[ -n "${COVERAGE_KEEP:-}" ] && cp "$W/coverage.json" "$W/coverage.txt" "$W/nobody.json" "$COVERAGE_KEEP/"
rig_finish
