#!/usr/bin/env bash
# run.sh - `make install` into a staging root (DESTDIR, PREFIX): the files, the links, and a
# program compiled against the installed header and linked with the installed -lwrap.
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${B:-build}
stage=$(mktemp -d) || exit 1
trap 'rm -rf "$stage"' EXIT
pass=0 fail=0

check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		pass=$((pass + 1))
		echo "PASS $what"
	else
		fail=$((fail + 1))
		echo "FAIL $what"
	fi
}

if ! make -s B="$B" install DESTDIR="$stage" PREFIX=/opt/tw >"$stage.log" 2>&1; then
	cat "$stage.log"
	echo "0 passed, 1 failed"
	exit 1
fi
root=$stage/opt/tw
check "library installed" test -f "$root/lib/libwrap.so.0.7.6"
check "SONAME link" test "$(readlink "$root/lib/libwrap.so.0")" = libwrap.so.0.7.6
check "development link" test "$(readlink "$root/lib/libwrap.so")" = libwrap.so.0
check "static library" test -f "$root/lib/libwrap.a"
check "preload guard next to the library" test -f "$root/lib/libwrap_preload.so"
check "header" cmp include/tcpd.h "$root/include/tcpd.h"
check "tcpdmatch" test -x "$root/sbin/tcpdmatch"
for prog in tcpd tcpdchk try-from safe_finger; do
	check "$prog" test -x "$root/sbin/$prog"
done
check "explanation header" cmp include/tcpwrappers/explain.h "$root/include/tcpwrappers/explain.h"
for page in man5/hosts_options.5 man8/tcpd.8 man8/try-from.8 man8/safe_finger.8 \
	man8/tcpdchk.8 man8/tcpdmatch.8 man5/hosts_access.5 man3/hosts_access.3 \
	man8/libwrap_preload.8; do
	check "man page $page" cmp "man/${page#*/}" "$root/share/man/$page"
done
check "nothing outside DESTDIR/PREFIX" test -z "$(find "$stage" -mindepth 1 -maxdepth 1 ! -name opt)"

cat >"$stage/prog.c" <<'C'
#include <stdio.h>
#include <tcpd.h>
int allow_severity = 6, deny_severity = 4;
int main(int argc, char **argv)
{
	(void)argc;
	hosts_allow_table = argv[1];
	hosts_deny_table = argv[2];
	printf("%d %d\n", hosts_ctl("sshd", "", "192.0.2.10", ""), hosts_ctl("sshd", "", "192.0.2.66", ""));
	return 0;
}
C
printf 'sshd: 192.0.2.10\n' >"$stage/allow"
printf 'ALL: ALL\n' >"$stage/deny"
check "program builds against the installed header and library" \
	cc -I"$root/include" -o "$stage/prog" "$stage/prog.c" -L"$root/lib" -lwrap
check "installed library decides" \
	test "$(LD_LIBRARY_PATH=$root/lib "$stage/prog" "$stage/allow" "$stage/deny")" = "1 0"
check "it is the installed library that ran" \
	sh -c "LD_LIBRARY_PATH=$root/lib ldd '$stage/prog' | grep -q '$root/lib/libwrap.so.0'"
# The explanation API through the installed header and library.
cat >"$stage/explain.c" <<'C'
#include <stdio.h>
#include <tcpwrappers/explain.h>
int allow_severity = 6, deny_severity = 4;
int main(int argc, char **argv)
{
	struct request_info request;
	struct hosts_decision decision;
	(void)argc;
	hosts_allow_table = argv[1];
	hosts_deny_table = argv[2];
	request_init(&request, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.66", 0);
	int granted = hosts_access_explain(&request, NULL, NULL, &decision);
	printf("%d %d %s\n", granted, decision.line, decision.rule);
	hosts_decision_free(&decision);
	return 0;
}
C
check "program builds against the installed explanation header" \
	cc -I"$root/include" -o "$stage/explain" "$stage/explain.c" -L"$root/lib" -lwrap
check "installed library explains its decision" \
	test "$(LD_LIBRARY_PATH=$root/lib "$stage/explain" "$stage/allow" "$stage/deny")" = "0 1 ALL : ALL"
rm -f "$stage.log"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
