#!/usr/bin/env bash
# run.sh - golden tests of tcpdmatch, and a comparison with Debian's /usr/sbin/tcpdmatch.
#
#   B=build tests/golden/run.sh            run every case; last line "N passed, N failed"
#   B=build tests/golden/run.sh --update   rewrite the .ref files from the current output
#   B=build tests/golden/run.sh NAME...    run only the named cases
#
# A case is tests/golden/NAME.in.  Its header holds "key: value" lines (and "#" comments);
# then come the files to create, each introduced by a marker line:
#
#   # what the case shows
#   args: sshd@127.0.0.1 bob@192.0.2.1      the operands, after "-d" (shell quoting works)
#   debian: yes | no | only                 compare with Debian's tcpdmatch? (default yes;
#                                           "only": no .ref, the comparison is the test)
#   mode: hosts.allow 0666                  chmod a created file
#   === hosts.allow                         the file's lines follow, up to the next marker
#   sshd: 192.0.2.1
#   === hosts.deny -n                       -n: no newline after the last line
#   ALL: ALL                                -e: lines go through printf %b (\r, \t, \\)
#
# A file without a marker does not exist.  "@DIR@" in args and files stands for the case's
# scratch directory (the program runs there with -d), and that directory reads "@DIR@" in
# the output.  NAME.ref holds stdout, then "--- stderr" and stderr if there was any, then
# "--- exit N".  The program runs as "tcpdmatch" (argv[0]), so usage texts are stable.
# The runner code shared with tests/golden-chk/ (reading a case, running a program on it,
# the .ref check) is in tests/golden/lib.sh.
#
# The comparison runs /usr/sbin/tcpdmatch on the same files and arguments and compares its
# stdout, stderr and exit status with ours, after removing from ours the library's lines
# (warning:, error:, matched:, option:), which Debian's build sends to syslog instead.  It is
# one more counted check per case; a missing /usr/sbin/tcpdmatch fails it.
#
# Environment assumed (as on a Debian 12 system): /usr/sbin is a directory only root can
# write, and /etc/hosts maps localhost to 127.0.0.1 and back.  Cases without -i need
# /etc/inetd.conf to be absent: where it exists, the suite hides it (below).  No DNS is needed: the
# only names looked up are localhost and 127.0.0.1.
set -u
cd "$(dirname "$0")/../.." || exit 1

# Keep the cases independent of the machine: where /etc/inetd.conf exists (an inetd is
# installed), run again in a private mount namespace whose /etc hides it (an overlay whiteout).
if [ -e /etc/inetd.conf ] && [ -z "${GOLDEN_INETD_HIDDEN:-}" ]; then
	hide=$(mktemp -d) || exit 1
	mkdir "$hide/upper" "$hide/work"
	unshare -m bash -c '
		set -e
		mount --make-rprivate /
		mknod "$1/upper/inetd.conf" c 0 0
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc
		shift
		GOLDEN_INETD_HIDDEN=1 exec "$@"' hide "$hide" "$0" "$@"
	rc=$?
	rm -rf "$hide"
	exit $rc
fi
B=${B:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
OURS=$B/tcpdmatch
DEBIAN=/usr/sbin/tcpdmatch
ARGV0=tcpdmatch
SUITE=tests/golden
. tests/golden/lib.sh

update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi

pass=0 fail=0
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT

# library_lines_removed - ours, as Debian's build would show it.
library_lines_removed() {
	grep -vE '^(warning: |error: |matched:  |option:   )' "$1"
}

# debian_check NAME DIR - our client:/server:/access: lines against Debian's.
debian_check() {
	local name=$1 dir=$2
	if [ ! -x "$DEBIAN" ]; then
		not_ok "debian:$name" "$DEBIAN is missing (apt-get install tcpd)"
		return
	fi
	run_program "$OURS" "$dir" "$scratch/ours"
	run_program "$DEBIAN" "$dir" "$scratch/debian"
	library_lines_removed "$scratch/ours" >"$scratch/ours.filtered"
	if diff -u --label debian --label ours "$scratch/debian" "$scratch/ours.filtered" \
		>"$scratch/diff"; then
		ok "debian:$name"
	else
		not_ok "debian:$name"
		sed 's/^/    /' "$scratch/diff"
	fi
}

if [ ! -x "$OURS" ]; then
	echo "$OURS: not built"
	echo "0 passed, 1 failed"
	exit 1
fi

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
	if [ -e /etc/inetd.conf ] && [[ " $args " != *" -i "* ]]; then
		not_ok "$name" "needs /etc/inetd.conf to be absent (or an -i in its args)"
		continue
	fi
	[ "$debian" != only ] && golden_check "$name" "$dir"
	[ "$debian" != no ] && debian_check "$name" "$dir"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
