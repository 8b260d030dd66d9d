#!/usr/bin/env bash
# check-decisions.sh - part 4 of the ABI suite: the decision differential.
#
# decide.c is compiled against Debian's /usr/include/tcpd.h and linked with plain -lwrap
# (Debian's libwrap.so), like any existing program (build-decide.sh).  The same binary then
# runs cases.txt once as is (Debian's library) and once with LD_LIBRARY_PATH=$B (ours); /proc/self/maps
# proves which library each run mapped.  compare-decisions.awk checks every case against the
# reference, the pinned expectations and expected-differences.txt.  One "ok ..."/"FAIL ..."
# line per check.
set -u
B=${B:-build}
REF_LIB=${REF_LIB:-/usr/lib/x86_64-linux-gnu/libwrap.so.0}
REF_HDR=${REF_HDR:-/usr/include/tcpd.h}
OUT=$B/tests/abi
CASES=tests/abi/cases.txt
DIFFS=tests/abi/expected-differences.txt

ok() { echo "ok   decide: $*"; }
bad() { echo "FAIL decide: $*"; }

mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! why=$(tests/abi/build-decide.sh "$OUT/decide"); then
	bad "$why"
	exit 1
fi
if readelf -d "$OUT/decide" | grep -q 'NEEDED.*\[libwrap.so.0\]'; then
	ok "decide is linked with -lwrap (NEEDED libwrap.so.0)"
else
	bad "decide does not need libwrap.so.0"
fi

mkdir -p "$work/ref" "$work/ours"
env -u LD_LIBRARY_PATH -u LD_PRELOAD "$OUT/decide" "$CASES" "$work/ref" \
	>"$OUT/decide-ref.out" 2>"$OUT/decide-ref.err"
ref_rc=$?
LD_LIBRARY_PATH=$B "$OUT/decide" "$CASES" "$work/ours" >"$OUT/decide-ours.out" \
	2>"$OUT/decide-ours.err"
ours_rc=$?
if [ $ref_rc != 0 ] || [ $ours_rc != 0 ]; then
	bad "decide failed (reference exit $ref_rc, ours exit $ours_rc): $(cat "$OUT/decide-ref.err" "$OUT/decide-ours.err" | head -n 3)"
	exit 1
fi

# Which library did each run really map?
check_loaded() {
	local who=$1 file=$2 want
	want=$(realpath "$3")
	got=$(sed -n 's/^# libwrap //p' "$file")
	if [ -n "$got" ] && [ "$(realpath "$got")" = "$want" ]; then
		ok "the $who run mapped $got"
	else
		bad "the $who run mapped '${got:-no libwrap}', not $want"
	fi
}
check_loaded reference "$OUT/decide-ref.out" "$REF_LIB"
check_loaded ours "$OUT/decide-ours.out" "$B/libwrap.so.0"

awk -f tests/abi/compare-decisions.awk "$CASES" "$DIFFS" "$OUT/decide-ref.out" \
	"$OUT/decide-ours.out" docs/COMPATIBILITY.md

# Once more with a decision before each case: ours then decides from its table cache and
# indexes (the one-shot scan above, the cache here), and must agree just the same.
mkdir -p "$work/ref-warm" "$work/ours-warm"
env -u LD_LIBRARY_PATH -u LD_PRELOAD "$OUT/decide" "$CASES" "$work/ref-warm" --warm \
	>"$OUT/decide-ref-warm.out" 2>"$OUT/decide-ref-warm.err"
ref_rc=$?
LD_LIBRARY_PATH=$B "$OUT/decide" "$CASES" "$work/ours-warm" --warm \
	>"$OUT/decide-ours-warm.out" 2>"$OUT/decide-ours-warm.err"
ours_rc=$?
if [ $ref_rc != 0 ] || [ $ours_rc != 0 ]; then
	bad "decide --warm failed (reference exit $ref_rc, ours exit $ours_rc)"
	exit 1
fi
awk -f tests/abi/compare-decisions.awk "$CASES" "$DIFFS" "$OUT/decide-ref-warm.out" \
	"$OUT/decide-ours-warm.out" docs/COMPATIBILITY.md | sed -E 's/^(ok   |FAIL )decide: /\1decide (cached): /' 
