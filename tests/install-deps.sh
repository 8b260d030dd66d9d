#!/bin/sh
# install-deps.sh - install (as root) the Debian 12 packages that the build and every test
# suite need.  The one list, used by the README and by .ci/run.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update
# build: gcc, clang (second compiler, libFuzzer), cmocka; reference: Debian's libwrap0,
# libwrap0-dev and tcpd, compared with ours by the ABI, decision and tcpdmatch suites;
# integration rig (tests/integration/lib/rig.sh): namespaces, real DNS, ident and clients.
# openbsd-inetd starts our tcpd (t_tcpd_inetd.sh); finger is the client safe_finger runs.
# nginx-light and redis-server are the daemons libwrap_preload.so guards (t_guard.sh,
# t_listen.sh); wrk measures the guard's cost (make bench-preload).
# tcpdchk --coverage's listeners (tests/integration/t_coverage.sh): stunnel4 (and openssl for
# its certificate), tftpd-hpa under inetd, python3's http.server, socat, sshd, inetd, xinetd.
# real daemons that link libwrap (tests/integration/t_daemons.sh): sshd, ssh, inetd, xinetd.
apt-get install -y --no-install-recommends \
	build-essential make gcc clang libclang-rt-14-dev libcmocka-dev \
	libwrap0 libwrap0-dev tcpd python3 iproute2 \
	util-linux procps dnsmasq oidentd socat nftables \
	openbsd-inetd finger openssh-server openssh-client \
	nginx-light redis-server wrk stunnel4 openssl tftpd-hpa
# xinetd conflicts with openbsd-inetd as a package: tests/integration/t_daemons.sh runs it
# unpacked from its .deb, fetched here into build/cache/ (the test fetches it too if missing).
cache=$(cd "$(dirname "$0")/.." && pwd)/build/cache
mkdir -p "$cache"
if [ ! -x "$cache/xinetd-root/usr/sbin/xinetd" ]; then
	(cd "$cache" && rm -f xinetd_*.deb && apt-get download xinetd)
	dpkg-deb -x "$cache"/xinetd_*.deb "$cache/xinetd-root"
fi
