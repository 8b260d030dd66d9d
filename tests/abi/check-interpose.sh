#!/usr/bin/env bash
# check-interpose.sh - part 3 of the ABI suite: programs that replace library symbols.
#
# interpose.c (our header, linked -L$B -lwrap) defines shell_cmd, rfc931, tcpd_warn,
# clean_exit, allow_severity/deny_severity and the syslog entry points; the same binary runs
# against our library (LD_LIBRARY_PATH=$B) and against Debian's, and each must show that the
# program's versions ran.  One honest difference: Debian's library is built with
# _FORTIFY_SOURCE and calls __syslog_chk, so a program's syslog() never sees its messages
# (plain=0 fortified=1); ours calls plain syslog() on purpose (plain=2 fortified=0: at verbose 2
# ours logs the deciding rule's text, "rule:     FILE line N: TEXT", just before the classic
# "matched:" line, docs/COMPATIBILITY.md E1).
# copyreloc.c, a non-PIE "old binary" built against Debian's header and library, has copy
# relocations for every exported variable and must behave identically on both, with no
# symbol-size warning from the dynamic linker.  One "ok ..."/"FAIL ..." line per check.
set -u
B=${B:-build}
REF_LIB=${REF_LIB:-/usr/lib/x86_64-linux-gnu/libwrap.so.0}
OUT=$B/tests/abi
CFLAGS=(-std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror)

ok() { echo "ok   interpose: $*"; }
bad() { echo "FAIL interpose: $*"; }

mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ours_real=$(realpath "$B/libwrap.so.0")
ref_real=$(realpath "$REF_LIB")

# compare WHO FILE EXPECTED: one check per expected line.
compare() {
	local who=$1 file=$2 expected=$3 line
	while IFS= read -r line; do
		if grep -q -x -F -- "$line" "$file"; then
			ok "$who: $line"
		else
			bad "$who: expected '$line'; got: $(grep -F -- "${line%%:*}:" "$file" | head -n 1)"
		fi
	done <<<"$expected"
}

common='shell_cmd: verdict=1 calls=1 command=echo sshd 192.0.2.1
rfc931: verdict=1 calls=1 remote=192.0.2.1:40000 local=192.0.2.254:22 user=bob
tcpd_warn: verdict=1 calls=1 text=missing ":" separator context=hosts.allow:1
severity-initial: allow=3 deny=2
severity-option: verdict=1 allow=131 deny=131
clean_exit: calls=1 priority=2 message=refused connect from 192.0.2.1 (192.0.2.1)'

if gcc "${CFLAGS[@]}" -I include -o "$OUT/interpose" tests/abi/interpose.c -L"$B" -lwrap \
	2>"$OUT/interpose.err"; then
	mkdir -p "$work/ours" "$work/ref"
	LD_LIBRARY_PATH=$B "$OUT/interpose" "$work/ours" >"$OUT/interpose-ours.out" 2>&1
	env -u LD_LIBRARY_PATH -u LD_PRELOAD "$OUT/interpose" "$work/ref" \
		>"$OUT/interpose-ref.out" 2>&1
	compare ours "$OUT/interpose-ours.out" "libwrap: $ours_real
$common
syslog: verdict=1 plain=2 fortified=0 priority=7 message=matched:  hosts.allow line 1"
	compare debian "$OUT/interpose-ref.out" "libwrap: $ref_real
$common
syslog: verdict=1 plain=0 fortified=1 priority=7 message=matched:  hosts.allow line 1"
else
	bad "interpose.c does not build: $(head -n 3 "$OUT/interpose.err")"
fi

# The old binary: non-PIE, Debian's header, linked against Debian's library.
if gcc "${CFLAGS[@]}" -fno-pie -no-pie -I "$(dirname "${REF_HDR:-/usr/include/tcpd.h}")" \
	-o "$OUT/copyreloc" tests/abi/copyreloc.c "$REF_LIB" 2>"$OUT/copyreloc.err"; then
	copies=$(readelf -W -r "$OUT/copyreloc" | awk '$3 == "R_X86_64_COPY" {print $5}' | sort |
		tr '\n' ' ')
	want="allow_severity deny_severity dry_run hosts_access_verbose hosts_allow_table hosts_deny_table paranoid resident rfc931_timeout tcpd_buf tcpd_context unknown "
	if [ "$(tr ' ' '\n' <<<"$copies" | grep -v -e stderr -e '^$' | tr '\n' ' ')" = "$want" ]; then
		ok "copyreloc has copy relocations for all 12 exported variables"
	else
		bad "copyreloc copy relocations: $copies"
	fi
	mkdir -p "$work/cr-ours" "$work/cr-ref"
	LD_LIBRARY_PATH=$B "$OUT/copyreloc" "$work/cr-ours" >"$OUT/copyreloc-ours.out" \
		2>"$OUT/copyreloc-ours.err"
	env -u LD_LIBRARY_PATH -u LD_PRELOAD "$OUT/copyreloc" "$work/cr-ref" \
		>"$OUT/copyreloc-ref.out" 2>"$OUT/copyreloc-ref.err"
	expected='unknown=unknown paranoid=paranoid
hosts_allow_table=/etc/hosts.allow hosts_deny_table=/etc/hosts.deny
resident=-1 rfc931_timeout=10 hosts_access_verbose=0 dry_run=0
allow_severity=6 deny_severity=4
tcpd_context=NULL,0
first=1 resident=0
second=0 resident=1
tcpd_warn=warning: some.table, line 42: context check
tcpd_jump landed value=AC_ERROR message=error: jump 1'
	for who in ours ref; do
		if [ -s "$OUT/copyreloc-$who.err" ]; then
			bad "copyreloc ($who): dynamic linker or program complained: $(head -n 2 "$OUT/copyreloc-$who.err")"
		else
			ok "copyreloc ($who): no symbol-size warning"
		fi
		compare "copyreloc $who" "$OUT/copyreloc-$who.out" "$expected"
	done
	loaded=$(LD_DEBUG=libs LD_LIBRARY_PATH=$B "$OUT/copyreloc" "$work/cr-ours" 2>&1 >/dev/null |
		sed -n 's/.*calling init: \(.*libwrap[^ ]*\).*/\1/p' | head -n 1)
	if [ -n "$loaded" ] && [ "$(realpath "$loaded")" = "$ours_real" ]; then
		ok "copyreloc ran with our library under LD_LIBRARY_PATH (LD_DEBUG=libs)"
	else
		bad "copyreloc did not load $ours_real under LD_LIBRARY_PATH"
	fi
else
	bad "copyreloc.c does not build: $(head -n 3 "$OUT/copyreloc.err")"
fi
