#!/usr/bin/env bash
# t_tcpd_tools.sh - safe_finger, ours side by side with Debian's /usr/sbin/safe_finger.
#
# Each run happens in a private mount namespace in which a test script is bind-mounted over
# /usr/bin/finger (the client safe_finger runs), so that the bytes "finger" prints are known:
# the filtered output and the exit status must be identical, byte for byte, for both
# programs.  Then the real finger client (Debian's "finger") against a finger server of ours
# in the rig's server namespace, the exec failure, and the time limit (ours built with a 2 s
# limit instead of 60 s).
. "$(dirname "$0")/lib/rig.sh"

OURS=$RIG_BUILD/safe_finger
REF=/usr/sbin/safe_finger
[ -x "$OURS" ] || make -C "$RIG_TOP" --no-print-directory B="$RIG_BUILD" "$OURS" >/dev/null ||
	rig_die "cannot build $OURS"
[ -x "$REF" ] || rig_die "Debian's tcpd package is not installed (tests/install-deps.sh)"
[ -x /usr/bin/finger ] || rig_die "Debian's finger package is not installed (tests/install-deps.sh)"
cp "$REF" "$RIG_W/ref_safe_finger" # runnable when /usr/sbin is hidden below

fakes=$RIG_W/fakes
mkdir -p "$fakes"
# ids: who runs finger, with which PATH and arguments; control bytes, 8-bit text, no final newline.
cat >"$fakes/ids" <<'EOF'
#!/bin/sh
id
echo "path=$PATH args: $0 $*"
printf 'ctl:\001\033[1m\177 tab:\t back:\\ hi:\303\251 cr:\r end\n\n'
printf 'no newline at end'
EOF
# columns: line breaking at 128 columns, before and after escapes; a failing finger.
cat >"$fakes/columns" <<'EOF'
#!/usr/bin/env python3
import sys
w = sys.stdout.write
w("a" * 127 + "\n" + "b" * 128 + "\n" + "c" * 126 + "\\\n" + "d" * 126 + "\x01e" * 3 + "\n")
w("\t" * 5 + "x" * 125 + "\n\v\f end\n lead\n" + "f" * 300 + "\n")
sys.exit(3)
EOF
# flood: more than the 100000 bytes safe_finger reads.
cat >"$fakes/flood" <<'EOF'
#!/bin/sh
exec 2>/dev/null
python3 -c 'import sys
for i in range(3000):
    sys.stdout.write("line %05d %s\n" % (i, "z" * 60))'
EOF
# every byte value once, in lines of 16.
cat >"$fakes/bytes" <<'EOF'
#!/usr/bin/env python3
import sys
data = bytes(range(256))
for i in range(0, 256, 16):
    sys.stdout.buffer.write(data[i:i + 16] + b"\n")
EOF
# wedged: a line, then it hangs (the time limit must kill it).
cat >"$fakes/wedged" <<EOF
#!/bin/sh
echo "\$\$" >$RIG_W/pub/wedged.pid
echo before the wedge
exec sleep 40
EOF
mkdir -p "$RIG_W/pub"
chmod 1777 "$RIG_W/pub"
chmod 755 "$RIG_W" "$fakes" "$fakes"/*

# with_finger FAKE CMD... - CMD in a mount namespace where /usr/bin/finger is FAKE; prints
# CMD's stdout and stderr, then "rc=N".
with_finger() {
	local fake=$1
	shift
	unshare -m --propagation private sh -c 'mount --bind "$1" /usr/bin/finger || exit 99
		shift; "$@" 2>&1; echo "rc=$?"' with-finger "$fake" "$@"
}

for fake in ids columns flood bytes; do
	ref=$(with_finger "$fakes/$fake" "$REF" -l @host.example x | od -An -c -v)
	ours=$(with_finger "$fakes/$fake" "$OURS" -l @host.example x | od -An -c -v)
	if [ -n "$ref" ] && [ "$ref" = "$ours" ]; then
		rig_pass "fake finger '$fake': output and status identical to Debian's ($(wc -l <<<"$ours") od lines)"
	else
		rig_fail "fake finger '$fake': output differs from Debian's"
		diff <(echo "$ref") <(echo "$ours") | head -n 20
	fi
done

# What the three defences look like, spelt out.
out=$(with_finger "$fakes/ids" "$OURS" -l @host.example x)
rig_check "finger runs as nobody, not root" \
	"uid=$(id -u nobody)(nobody) gid=$(id -g nobody)($(id -gn nobody)) groups=$(id -g nobody)($(id -gn nobody))" \
	"$(sed -n '1s/^ //p' <<<"$out")"
rig_check "fixed PATH, argv[0] 'finger', arguments passed" \
	"path=/bin:/usr/bin:/sbin:/usr/sbin args: /bin/finger -l @host.example x" \
	"$(sed -n '2s/^ //p' <<<"$out")"
rig_check "control and 8-bit bytes as octal, backslash doubled, first column a space" \
	' ctl:\001\033[1m\177 tab:	 back:\\ hi:\303\251 cr:'$'\r'' end' "$(sed -n '3p' <<<"$out")"
rig_check "an empty line stays empty" "||" "|$(sed -n '4p' <<<"$out")|"
rig_check "no newline added at the end" " no newline at endrc=0" "$(sed -n '5p' <<<"$out")"
out=$(with_finger "$fakes/flood" "$OURS")
rig_check "output truncated after 100000 bytes" " Input truncated to 100000 bytes..." \
	"$(tail -n 2 <<<"$out" | head -n 1)"
rig_check "truncated: finger's status is not 0 (SIGPIPE)" "rc=1" "$(tail -n 1 <<<"$out")"
rig_check "a 300-column line: broken after 128 columns, each part indented" \
	"$(printf ' %s\\\n %s\\\n %s' "$(printf 'f%.0s' {1..127})" "$(printf 'f%.0s' {1..127})" \
		"$(printf 'f%.0s' {1..46})")" \
	"$(with_finger "$fakes/columns" "$OURS" | grep -A2 '^ ffff' | head -n 3)"

# Started by an unprivileged user: nothing to give up, finger runs as that user.
rig_check "started as nobody" "uid=$(id -u nobody)(nobody)" \
	"$(with_finger "$fakes/ids" setpriv --reuid=nobody --regid=nogroup --clear-groups "$OURS" |
		sed -n '1s/^ \([^ ]*\) .*/\1/p')"
# Started with stdin, stdout and stderr closed: they are opened on /dev/null.
rig_check "closed standard descriptors" "rc=0" \
	"$(with_finger "$fakes/ids" sh -c "\"$OURS\" <&- 2>&- | tail -c 0; echo ok" | tail -n 1 | sed 's/ok/rc=0/')"

# No finger at all: the same message and status as Debian's.
nofinger() {
	unshare -m --propagation private sh -c 'mount -t tmpfs none /usr/sbin && mount -t tmpfs none /usr/bin &&
		exec "$@" 2>&1' nofinger "$@"
	echo "rc=$?"
}
rig_check "finger missing" "finger: No such file or directory
rc=1" "$(nofinger "$OURS" @host.example)"
rig_check "finger missing: as Debian's" "$(nofinger "$RIG_W/ref_safe_finger" @host.example)" \
	"$(nofinger "$OURS" @host.example)"

# The time limit: ours built with 2 s (the real one is 60 s, as Debian's).
cc -std=c17 -D_GNU_SOURCE -DFINGER_TIMEOUT=2 -o "$RIG_W/safe_finger_2s" \
	"$RIG_TOP/src/safe_finger/safe_finger.c" || rig_die "cannot build safe_finger with a 2 s limit"
t0=$(date +%s)
out=$(with_finger "$fakes/wedged" "$RIG_W/safe_finger_2s")
took=$(( $(date +%s) - t0 ))
rig_check "wedged finger: output so far, then exit 0" " before the wedge
rc=0" "$out"
if [ "$took" -ge 2 ] && [ "$took" -lt 30 ]; then
	rig_pass "wedged finger: stopped by the time limit ($took s)"
else
	rig_fail "wedged finger: took $took s with a 2 s limit"
fi
wedged=$(cat "$RIG_W/pub/wedged.pid" 2>/dev/null)
if [ -n "$wedged" ] && ! kill -0 "$wedged" 2>/dev/null; then
	rig_pass "wedged finger: killed"
else
	rig_fail "wedged finger: still running (pid ${wedged:-unknown})"
	[ -n "$wedged" ] && kill "$wedged" 2>/dev/null
fi

# The real finger client, in the rig's sandbox (server namespace, private /etc: its resolver
# never reaches beyond the test network), against a finger server of ours that sends hostile
# bytes.
rig_net_up
rig_etc_defaults
printf 'passwd: files\ngroup: files\nhosts: files\n' >"$RIG_ETC/nsswitch.conf"
rig_sandbox_up
cat >"$RIG_W/fingerd.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 79))
s.listen(8)
while True:
    c, _ = s.accept()
    c.recv(512)
    c.sendall(b"Login: root\r\n\x1b]2;owned\x07 |rm -rf / \\ \xff\r\n" + b"w" * 200 + b"\r\n")
    c.close()
EOF
rig_bg ip netns exec "$RIG_SRV" python3 "$RIG_W/fingerd.py"
rig_wait_listen "$RIG_SRV" 79 || rig_die "the test finger server did not start"
real_ref=$(rig_sb "$REF" root@192.0.2.1 2>&1; echo "rc=$?")
real_ours=$(rig_sb "$OURS" root@192.0.2.1 2>&1; echo "rc=$?")
rig_check "real finger client: the same as Debian's" "$real_ref" "$real_ours"
if grep -q '^ Login: root$' <<<"$real_ours" && ! grep -qP '[\x00-\x08\x0e-\x1f\x7f-\xff]' <<<"$real_ours" &&
	! grep -q '^[^ ]' <<<"$(grep -v '^rc=' <<<"$real_ours" | grep .)"; then
	rig_pass "real finger client: every line indented, no control byte left"
else
	rig_fail "real finger client: unsafe output"; echo "$real_ours" | od -c | head -n 20
fi
rig_finish
