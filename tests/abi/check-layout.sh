#!/usr/bin/env bash
# check-layout.sh - part 2 of the ABI suite: <tcpd.h> layout and constants.
#
# layout.c is compiled against our include/tcpd.h and against Debian's /usr/include/tcpd.h,
# each with and without INET6 (-std=c17 -pedantic -Wall -Wextra -Werror: a prototype that
# differs from the classic one fails to compile).  Every build must print exactly
# layout.expected (struct sizes and offsets, RQ_*, AC_*, STRING_LENGTH, macros), and the two
# headers' outputs must be identical.  A C++ translation unit must link against our library
# (the header's extern "C" block).  Prints one "ok ..."/"FAIL ..." line per check.
set -u
B=${B:-build}
REF_HDR=${REF_HDR:-/usr/include/tcpd.h}
OUT=$B/tests/abi
EXPECTED=tests/abi/layout.expected
CFLAGS=(-std=c17 -pedantic -D_GNU_SOURCE -Wall -Wextra -Werror)

ok() { echo "ok   layout: $*"; }
bad() { echo "FAIL layout: $*"; }

mkdir -p "$OUT"
if [ ! -e "$REF_HDR" ]; then
	bad "reference header $REF_HDR missing"
	exit 1
fi
refdir=$(dirname "$REF_HDR")

for mode in classic inet6; do
	defs=()
	[ "$mode" = inet6 ] && defs=(-DINET6)
	# Ours: -I include; Debian's: its own directory first (our header is not on the path).
	if ! gcc "${CFLAGS[@]}" "${defs[@]}" -I include -o "$OUT/layout-ours-$mode" tests/abi/layout.c \
		-L"$B" -lwrap 2>"$OUT/layout-ours-$mode.err"; then
		bad "$mode: layout.c does not compile against include/tcpd.h: $(head -n 3 "$OUT/layout-ours-$mode.err")"
		continue
	fi
	if ! gcc "${CFLAGS[@]}" "${defs[@]}" -I "$refdir" -o "$OUT/layout-ref-$mode" tests/abi/layout.c \
		-lwrap 2>"$OUT/layout-ref-$mode.err"; then
		bad "$mode: layout.c does not compile against $REF_HDR: $(head -n 3 "$OUT/layout-ref-$mode.err")"
		continue
	fi
	LD_LIBRARY_PATH=$B "$OUT/layout-ours-$mode" >"$OUT/layout-ours-$mode.out"
	env -u LD_LIBRARY_PATH "$OUT/layout-ref-$mode" >"$OUT/layout-ref-$mode.out"
	for who in ours ref; do
		if diff -u "$EXPECTED" "$OUT/layout-$who-$mode.out" >"$OUT/layout-$who-$mode.diff"; then
			ok "$mode, $who header: $(wc -l <"$EXPECTED") pinned values"
		else
			bad "$mode, $who header differs from layout.expected:"
			sed 's/^/    /' "$OUT/layout-$who-$mode.diff"
		fi
	done
	if cmp -s "$OUT/layout-ours-$mode.out" "$OUT/layout-ref-$mode.out"; then
		ok "$mode: our header and Debian's give identical output"
	else
		bad "$mode: our header and Debian's disagree"
	fi
done

# C++: the declarations must have C linkage (__BEGIN_DECLS), or this does not link.
if command -v g++ >/dev/null; then
	cat >"$OUT/linkage.cc" <<'EOF'
#include <tcpd.h>
int main()
{
	struct request_info r;
	request_init(&r, RQ_DAEMON, "x", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	hosts_allow_table = (char *)"/nonexistent/allow";
	hosts_deny_table = (char *)"/nonexistent/deny";
	return hosts_access(&r) == 1 && hosts_ctl((char *)"d", (char *)"", (char *)"", (char *)"") == 1 ? 0 : 1;
}
EOF
	if g++ -Wall -Wextra -Werror -I include -o "$OUT/linkage" "$OUT/linkage.cc" -L"$B" -lwrap \
		2>"$OUT/linkage.err" && LD_LIBRARY_PATH=$B "$OUT/linkage"; then
		ok "C++ program links and runs against our library (extern \"C\")"
	else
		bad "C++ program does not link or run: $(head -n 3 "$OUT/linkage.err")"
	fi
else
	bad "g++ is not installed: the C++ linkage check cannot run (tests/install-deps.sh installs it)"
fi
