#!/usr/bin/env bash
# run.sh - the random decision differential: N generated cases, Debian's libwrap vs ours.
#
#   tests/differential/run.sh            N=20000 cases of SEED=20261201 (what make check runs)
#   N=1000000 SEED=7 tests/differential/run.sh     (make difftest N=... SEED=...)
#
# gen.py writes the cases in chunks of CHUNK (default 20000); the one decision driver
# (tests/abi/decide.c, compiled against Debian's tcpd.h, linked with -lwrap) runs each chunk
# on Debian's libwrap.so.0 and, at the same time, on ours (LD_LIBRARY_PATH=$B); compare.py
# accepts only identical reports or the differences docs/COMPATIBILITY.md documents.  Case
# directories live on /dev/shm when it is there (much faster), else under $B.  Ends with
# "N passed, N failed" (one per case); any failure is shown with the case and both reports.
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${B:-build}
N=${N:-20000}
SEED=${SEED:-20261201}
CHUNK=${CHUNK:-20000}
FIRST=${FIRST:-0}
REF_LIB=${REF_LIB:-/usr/lib/x86_64-linux-gnu/libwrap.so.0}
OUT=$B/tests/differential
DECIDE=$OUT/decide

fail_setup() {
	echo "FAIL differential: $*"
	echo "0 passed, 1 failed"
	exit 1
}

[ -e "$REF_LIB" ] || fail_setup "Debian's $REF_LIB is not installed (package libwrap0)"
[ -e "$B/libwrap.so.0" ] || make -s B="$B" "$B/libwrap.so.0" >/dev/null ||
	fail_setup "cannot build $B/libwrap.so.0"
why=$(tests/abi/build-decide.sh "$DECIDE") || fail_setup "$why"

base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=$OUT
work=$(mktemp -d "$base/tw-diff.XXXXXX") || fail_setup "no scratch directory"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
: >"$OUT/failures.log"

# self_test - the comparator must catch what it is for: for one case of the first chunk, that
# it accepts as it is, a verdict flipped in our report and a documented L6 warning quoting a
# pattern the case does not hold must each be a failure.
self_test() {
	local victim kind got want
	victim=$(awk '$2 ~ /^result=(granted|denied)/ {print $1; exit}' "$work/ours.out")
	awk -v v="$victim" '$1 == "case" {keep = ($2 == v)} keep' "$work/cases" >"$work/one.cases"
	for kind in ref ours; do
		awk -v v="$victim" '/^# libwrap / || $1 == v' "$work/$kind.out" >"$work/one.$kind"
	done
	awk '$2 ~ /^result=/ {
		sub(/result=granted/, "result=GRANTED") || sub(/result=denied/, "result=granted") }
		{ print }' "$work/one.ours" >"$work/one.flipped"
	awk '{ print } $2 ~ /^result=/ {
		print $1 " log 3 warning: hosts.allow, line 1: bad net/mask pattern \"9.9.9.9/99x\": it never matches" }' \
		"$work/one.ours" >"$work/one.invented"
	for kind in ours flipped invented; do
		got=$(python3 tests/differential/compare.py "$work/one.cases" "$work/one.ref" \
			"$work/one.$kind" docs/COMPATIBILITY.md | tail -n 1)
		want="0 passed, 1 failed"
		[ "$kind" = ours ] && want="1 passed, 0 failed"
		if [ "$got" = "$want" ]; then
			passed=$((passed + 1))
		else
			echo "FAIL differential self-test: the $kind report of case $victim gave '$got'"
			failed=$((failed + 1))
		fi
	done
}

passed=0 failed=0 first=$FIRST end=$((FIRST + N))
echo "differential: $N cases from seed $SEED (gen.py $SEED $FIRST $N), $CHUNK per chunk"
while [ "$first" -lt "$end" ]; do
	count=$((end - first < CHUNK ? end - first : CHUNK))
	python3 tests/differential/gen.py "$SEED" "$first" "$count" >"$work/cases" ||
		fail_setup "gen.py failed"
	mkdir "$work/ref" "$work/ours"
	env -u LD_LIBRARY_PATH -u LD_PRELOAD "$DECIDE" "$work/cases" "$work/ref" \
		>"$work/ref.out" 2>"$work/ref.err" &
	ref_pid=$!
	LD_LIBRARY_PATH=$B "$DECIDE" "$work/cases" "$work/ours" >"$work/ours.out" 2>"$work/ours.err"
	ours_rc=$?
	wait "$ref_pid"
	ref_rc=$?
	if [ "$ref_rc" != 0 ] || [ "$ours_rc" != 0 ]; then
		fail_setup "decide failed (reference $ref_rc, ours $ours_rc):" \
			"$(head -n 3 "$work/ref.err" "$work/ours.err")"
	fi
	python3 tests/differential/compare.py "$work/cases" "$work/ref.out" "$work/ours.out" \
		docs/COMPATIBILITY.md >"$work/compare.log" 2>&1
	cat "$work/compare.log" >>"$OUT/failures.log"
	line=$(tail -n 1 "$work/compare.log")
	if ! [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		cat "$work/compare.log"
		fail_setup "compare.py reported nothing"
	fi
	grep -v ' passed, .* failed$' "$work/compare.log" | sed "s/^/[$first] /"
	passed=$((passed + BASH_REMATCH[1]))
	failed=$((failed + BASH_REMATCH[2]))
	if [ "$first" = "$FIRST" ]; then
		self_test
	fi
	rm -rf "$work/ref" "$work/ours"
	first=$((first + count))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
