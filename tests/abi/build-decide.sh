#!/usr/bin/env bash
# build-decide.sh OUT - compile the decision driver tests/abi/decide.c against Debian's
# <tcpd.h> (REF_HDR, default /usr/include/tcpd.h) and link it with plain -lwrap, like any
# existing program.  Used by check-decisions.sh and tests/differential/run.sh; the same binary
# then runs on Debian's libwrap.so.0, or on ours with LD_LIBRARY_PATH.  On failure, prints the
# compiler's first lines and exits non-zero.
set -u
out=$1
hdr=${REF_HDR:-/usr/include/tcpd.h}
mkdir -p "$(dirname "$out")"
if ! gcc -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -I "$(dirname "$hdr")" \
	-o "$out" tests/abi/decide.c -lwrap 2>"$out.err"; then
	echo "decide.c does not build against $hdr: $(head -n 3 "$out.err")"
	exit 1
fi
