#!/usr/bin/env bash
# run.sh - golden tests of tcpdchk, and Debian's /usr/sbin/tcpdchk on the same tables.
#
#   B=build tests/golden-chk/run.sh            every case; last line "N passed, N failed"
#   B=build tests/golden-chk/run.sh --update   rewrite the .ref files from the current output
#   B=build tests/golden-chk/run.sh NAME...    only the named cases
#
# A case is tests/golden-chk/NAME.in, in the layout of tests/golden/ (see its run.sh; the
# runner code both suites share is tests/golden/lib.sh):
# "key: value" header lines, then files introduced by "=== NAME [-n] [-e]" lines.  Keys:
#
#   # what the case shows
#   args: -a -v                 tcpdchk's arguments after "-d" (shell quoting works)
#   debian: yes | no            also run Debian's tcpdchk and compare (default yes)
#   mode: hosts.allow 0666      chmod a created file
#   owner: hosts.deny 65534     chown a created file
#
# NAME.ref holds stdout, "--- stderr" and stderr if any, then "--- exit N".  The scratch
# directory reads "@DIR@".
#
# The comparison: Debian's tcpdchk sends its library's warnings to syslog (reference bug
# B3), so it runs with syslog-stdout.c preloaded, which prints them on stdout.  Both outputs
# are brought to one form: ours "FILE:LINE: error|warning: TEXT" becomes "FILE, line LINE:
# TEXT", the reference's "warning: FILE, line LINE: TEXT" (or "error: ...") the same (the
# severity words differ on purpose: we rank problems, the reference calls everything a
# warning but option errors).  The lines found on one side only, as sets, must each match an
# entry of expected-differences.txt ("CASE-GLOB<TAB>+|-<TAB>LINE-GLOB<TAB>reason", + for ours,
# - for the reference's), and every entry must be used by some case: no difference goes
# unexplained, and no explanation outlives its difference.  The exit statuses are compared
# too (the reference's is always 0 after the checks, ours 2 when an error was found: T1).
#
# Beyond the cases: shadow-soundness.py checks the claims "can never match" and "excludes
# nothing" against the library's own decisions (hosts_access_explain()) on 300 generated tables.
#
# Hermetic: the suite runs in a private mount namespace whose /etc is an overlay with the
# suite's own hosts, nsswitch.conf (names and netgroups from files only: no DNS, no NIS) and
# netgroup, and no inetd.conf (cases that need one pass -i).
set -u
cd "$(dirname "$0")/../.." || exit 1
SUITE=tests/golden-chk

if [ -z "${GOLDEN_CHK_PRIVATE:-}" ]; then
	priv=$(mktemp -d) || exit 1
	mkdir "$priv/upper" "$priv/work"
	cp "$SUITE/etc/hosts" "$SUITE/etc/nsswitch.conf" "$SUITE/etc/netgroup" "$priv/upper/"
	unshare -m bash -c '
		set -e
		mount --make-rprivate /
		[ -e /etc/inetd.conf ] && mknod "$1/upper/inetd.conf" c 0 0
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc
		shift
		GOLDEN_CHK_PRIVATE=1 exec "$@"' private "$priv" "$0" "$@"
	rc=$?
	rm -rf "$priv"
	exit $rc
fi

B=${B:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
OURS=$B/tcpdchk
DEBIAN=/usr/sbin/tcpdchk
SHIM=$B/tests/golden-chk/syslog-stdout.so
EXPECTED=$SUITE/expected-differences.txt
ARGV0=tcpdchk
. tests/golden/lib.sh

update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi

pass=0 fail=0
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT

# The hermetic setup itself is a check: no DNS source, our names, our netgroup.
if grep -q '^hosts: *files$' /etc/nsswitch.conf && [ ! -e /etc/inetd.conf ] &&
	getent hosts good.example.test >/dev/null && ! getent hosts nohost.invalid >/dev/null; then
	ok "private /etc (files only, no inetd.conf)"
else
	not_ok "private /etc" "the mount namespace setup did not take"
fi

mkdir -p "$(dirname "$SHIM")"
if ! gcc -shared -fPIC -o "$SHIM" "$SUITE/syslog-stdout.c" 2>"$scratch/shim.err"; then
	not_ok "syslog-stdout.so" "$(head -n 3 "$scratch/shim.err")"
fi

# normalise_ours / normalise_reference - one form for both (see the top).
normalise_ours() {
	sed -E -e 's/^([^ :][^:]*):([0-9]+): (error|warning): /\1, line \2: /' \
		-e 's/^([^ :][^:]*): (error|warning): /\1: /' -e 's/^tcpdchk: (error|warning): //' "$1"
}
normalise_reference() {
	sed -E -e 's/^(warning|error): //' "$1"
}

# Expected differences: pattern lines, and which of them some case used.
declare -a exp_case exp_side exp_line exp_used
while IFS=$'\t' read -r c side l reason || [ -n "$c" ]; do
	[[ -z $c || $c == '#'* ]] && continue
	if [ -z "${reason:-}" ]; then
		not_ok "expected-differences" "entry without a reason: $c $side $l"
		continue
	fi
	exp_case+=("$c") exp_side+=("$side") exp_line+=("$l") exp_used+=(0)
done <"$EXPECTED"

# explained CASE SIDE LINE - an entry covers this difference (and is marked used).
explained() {
	local i
	for i in "${!exp_case[@]}"; do
		# shellcheck disable=SC2053
		if [[ $1 == ${exp_case[$i]} && $2 == "${exp_side[$i]}" && $3 == ${exp_line[$i]} ]]; then
			exp_used[$i]=1
			return 0
		fi
	done
	return 1
}

debian_check() {
	local name=$1 dir=$2 side line bad=0
	if [ ! -x "$DEBIAN" ] || [ ! -f "$SHIM" ]; then
		not_ok "debian:$name" "$DEBIAN or the preload shim is missing (apt-get install tcpd)"
		return
	fi
	run_program "$OURS" "$dir" "$scratch/ours"
	run_program "$DEBIAN" "$dir" "$scratch/debian" "$SHIM"
	normalise_ours "$scratch/ours" | sort -u >"$scratch/ours.n"
	normalise_reference "$scratch/debian" | sort -u >"$scratch/debian.n"
	: >"$scratch/unexplained"
	while IFS= read -r line; do
		side=${line:0:1} line=${line:1}
		explained "$name" "$side" "$line" || echo "    $side $line" >>"$scratch/unexplained"
	done < <(comm -3 "$scratch/debian.n" "$scratch/ours.n" |
		sed -e 's/^\t/+/' -e 't' -e 's/^/-/')
	if [ -s "$scratch/unexplained" ]; then
		not_ok "debian:$name" "unexplained differences (- reference, + ours):"
		cat "$scratch/unexplained"
	else
		ok "debian:$name"
	fi
}

for tool in "$OURS"; do
	if [ ! -x "$tool" ]; then
		echo "$tool: not built"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

cases=()
if [ $# -gt 0 ]; then
	for name in "$@"; do cases+=("$SUITE/${name%.in}.in"); done
else
	cases=("$SUITE"/*.in)
fi
for file in "${cases[@]}"; do
	name=$(basename "$file" .in)
	dir=$scratch/case
	rm -rf "$dir" && mkdir "$dir"
	setup_case "$file" "$dir"
	golden_check "$name" "$dir"
	[ "$debian" != no ] && debian_check "$name" "$dir"
done

# The claims "can never match" and "excludes nothing" against the library's own decisions on
# generated tables (shadow-soundness.py), when every case runs.
if [ $# -eq 0 ] && [ "$update" = 0 ]; then
	if cc -std=c17 -Wall -Wextra -Werror -Iinclude -o "$scratch/decide-lines" \
		"$SUITE/decide-lines.c" -L"$B" -lwrap 2>"$scratch/decide.err"; then
		LD_LIBRARY_PATH=$B python3 "$SUITE/shadow-soundness.py" "$B" "$scratch/decide-lines" \
			>"$scratch/soundness" 2>&1
		grep '^FAIL' "$scratch/soundness" | head -n 20
		counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$scratch/soundness" | tail -n 1)
		if [ -n "$counts" ]; then
			pass=$((pass + ${counts%% *}))
			f=${counts#*, }
			fail=$((fail + ${f%% *}))
		else
			not_ok "shadow-soundness" "$(tail -n 3 "$scratch/soundness")"
		fi
	else
		not_ok "decide-lines" "$(head -n 3 "$scratch/decide.err")"
	fi
fi

# Every explanation must still be needed (only meaningful when every case ran).
if [ $# -eq 0 ]; then
	stale=0
	for i in "${!exp_case[@]}"; do
		if [ "${exp_used[$i]}" = 0 ]; then
			not_ok "expected-differences" "unused entry: ${exp_case[$i]} ${exp_side[$i]} ${exp_line[$i]}"
			stale=1
		fi
	done
	[ "$stale" = 0 ] && ok "expected-differences: every entry explains a difference"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
