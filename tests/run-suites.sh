#!/usr/bin/env bash
# run-suites.sh - run every test suite, keep each one's output in build/tests/logs/, and end
# with one line "N passed, N failed".  Counts come from each suite's own closing line
# ("N passed, N failed") or from cmocka's summary.  A suite that exits non-zero without
# counting a failure, or that reports nothing, counts as one failure: nothing is skipped.
set -u
B=${B:-build}
cd "$(dirname "$0")/.." || exit 1
logs=$B/tests/logs
mkdir -p "$logs"

suites=()
for t in "$B"/tests/unit/test_*; do [ -x "$t" ] && suites+=("unit:${t##*/}|$t"); done
for t in "$B"/tests/asan/test_*; do [ -x "$t" ] && suites+=("asan:${t##*/}|$t"); done
for t in "$B"/tests/tsan/test_*; do [ -x "$t" ] && suites+=("tsan:${t##*/}|$t"); done
for t in "$B"/fuzz/replay_*; do
	[ -x "$t" ] || continue
	name=${t##*/replay_}
	suites+=("fuzz-replay:$name|$t fuzz/corpus/$name")
done
for s in tests/golden/run.sh tests/golden-chk/run.sh tests/abi/run.sh tests/differential/run.sh tests/answers/run.sh \
	tests/install/run.sh tests/integration/t_*.sh; do
	[ -x "$s" ] && suites+=("${s#tests/}|$s")
done

total_pass=0 total_fail=0
for entry in "${suites[@]}"; do
	name=${entry%%|*} cmd=${entry#*|}
	log=$logs/${name//[:\/]/_}.log
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		TSAN_OPTIONS=halt_on_error=1 \
		B=$B bash -c "$cmd" >"$log" 2>&1
	rc=$?
	pass=0 fail=0 counted=0
	if line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1) && [ -n "$line" ]; then
		pass=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
		fail=$(sed -E 's/^([A-Za-z-]+: )?[0-9]+ passed, ([0-9]+) failed.*/\2/' <<<"$line")
		counted=1
	elif grep -q '^\[  PASSED  \]' "$log"; then
		pass=$(grep -E '^\[  PASSED  \]' "$log" | awk '{s+=$4} END {print s+0}')
		fail=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
		counted=1
	fi
	# A skipped test is a check that did not run: it counts as a failure.
	skipped=$(grep -E '^\[  SKIPPED \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
	fail=$((fail + skipped))
	if [ "$counted" = 0 ] || { [ "$rc" != 0 ] && [ "$fail" = 0 ]; }; then
		fail=$((fail + 1))
		echo "SUITE BROKEN: $name (exit $rc, see $log)"
		tail -n 20 "$log" | sed 's/^/    /'
	fi
	printf '%-40s %5d passed, %3d failed\n' "$name" "$pass" "$fail"
	[ "$fail" != 0 ] && grep -E '^\[  FAILED  \]|^FAIL|^not ok' "$log" | head -n 20 | sed 's/^/    /'
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
