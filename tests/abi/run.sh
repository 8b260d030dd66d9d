#!/usr/bin/env bash
# run.sh - the ABI suite: our libwrap.so.0 against Debian's libwrap0 7.6.q-32.
#
#   1. check-exports.sh    dynamic symbols, SONAME, NEEDED, interposable calls and data
#   2. check-layout.sh     <tcpd.h> struct layout and constants, ours vs Debian's header
#   3. check-interpose.sh  programs replacing shell_cmd/rfc931/tcpd_warn/...; copy relocations
#   4. check-decisions.sh  decide.c (Debian's header, -lwrap) on cases.txt with both libraries
#
# Run from anywhere with B=<build dir> (default "build", relative to the repository root).
# Everything it compiles goes to $B/tests/abi/.  Debian's library and header must be
# installed (packages libwrap0, libwrap0-dev): without them the suite fails, it never skips.
# Ends with "N passed, N failed"; exits non-zero when anything failed.
set -u
cd "$(dirname "$0")/../.." || exit 1
export B=${B:-build}
export REF_LIB=/usr/lib/x86_64-linux-gnu/libwrap.so.0
export REF_HDR=/usr/include/tcpd.h
mkdir -p "$B/tests/abi"

pass=0 fail=0
log=$B/tests/abi/run.log
: >"$log"

# run_part NAME COMMAND... - run one part, echo its lines, count its ok/FAIL lines; a part
# that exits non-zero without reporting a failure counts as one failure.
run_part() {
	local name=$1 out rc oks bads
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | tee -a "$log"
	oks=$(grep -c '^ok ' <<<"$out")
	bads=$(grep -c '^FAIL ' <<<"$out")
	if [ "$rc" != 0 ] && [ "$bads" = 0 ]; then
		echo "FAIL $name: exited with status $rc without reporting why" | tee -a "$log"
		bads=1
	fi
	pass=$((pass + oks))
	fail=$((fail + bads))
}

missing=""
for f in "$REF_LIB" "$REF_HDR"; do
	[ -e "$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then
	echo "FAIL abi: the reference is not installed (missing:$missing);" \
		"install libwrap0 and libwrap0-dev"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -e "$B/libwrap.so.0" ]; then
	echo "abi: $B/libwrap.so.0 not built yet; building it"
	make -s B="$B" "$B/libwrap.so.0" "$B/libwrap.so" >/dev/null || {
		echo "FAIL abi: cannot build $B/libwrap.so.0"
		echo "0 passed, 1 failed"
		exit 1
	}
fi

run_part exports tests/abi/check-exports.sh
run_part layout tests/abi/check-layout.sh
run_part interpose tests/abi/check-interpose.sh
run_part decide tests/abi/check-decisions.sh

if [ "$fail" != 0 ]; then
	echo
	echo "failures:"
	grep '^FAIL ' "$log" | sed 's/^/    /'
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
