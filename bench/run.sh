#!/usr/bin/env bash
# run.sh - the benchmark behind `make bench`: our libwrap against Debian's, side by side, in
# one run.  Prints a Markdown report (also left in $B/bench/report.md); docs/PERFORMANCE.md
# says what each figure means.  Needs: Debian's libwrap0 + libwrap0-dev + tcpd, valgrind,
# hyperfine, openbsd-inetd, python3 (see docs/PERFORMANCE.md for the install line).  Root is
# needed for the private network and mount namespaces of the tcpdmatch and inetd parts.
set -u
B=${B:-build}
cd "$(dirname "$0")/.." || exit 1
W=$B/bench
T=$W/tables
REF=$W/driver-debian
OURS=$W/driver-ours
REPORT=$W/report.md
QUICK=${BENCH_QUICK:-0} # 1: fewer iterations, for a smoke run
mkdir -p "$W"
python3 bench/gen-tables.py "$T" || exit 1
for f in "$REF" "$OURS"; do [ -x "$f" ] || { echo "missing $f (run make bench)"; exit 1; }; done

exec > >(tee "$REPORT")
echo "# make bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r)"
echo
echo "Reference: Debian libwrap0 $(dpkg-query -W -f='${Version}' libwrap0 2>/dev/null) ($REF);"
echo "ours: $B/libwrap.so.0 ($OURS).  Ratio = reference / ours (higher is better for us)."

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
us() { awk -v n="$1" 'BEGIN { printf "%.2f", n / 1000 }'; }

# iterations N: how many timed calls for a table of N lines (the reference reads it each call).
iterations() {
	local n=$1 it
	if [ "$n" -le 10 ]; then it=20000
	elif [ "$n" -le 1000 ]; then it=2000
	elif [ "$n" -le 10000 ]; then it=200
	elif [ "$n" -le 100000 ]; then it=25
	else it=5; fi
	[ "$QUICK" = 1 ] && it=$(( (it + 9) / 10 ))
	echo "$it"
}

# timed LABEL ALLOW DENY DAEMON ADDR NAME N - one row of the per-call table.
timed() {
	local label=$1 allow=$2 deny=$3 daemon=$4 addr=$5 name=$6 n=$7
	local it; it=$(iterations "$n")
	local ours_it=$(( it > 2000 ? it : 2000 ))
	read -r rm rmin rmax rv < <("$REF" time "$allow" "$deny" "$daemon" "$addr" "$name" "$it")
	read -r om omin omax ov < <("$OURS" time "$allow" "$deny" "$daemon" "$addr" "$name" "$ours_it")
	local same=yes; [ "$rv" = "$ov" ] || same="NO ($rv/$ov)"
	printf '| %s | %s | %s / %s / %s | %s / %s / %s | **%s** | %s |\n' "$label" "$same" \
		"$(us "$rm")" "$(us "$rmin")" "$(us "$rmax")" "$(us "$om")" "$(us "$omin")" \
		"$(us "$omax")" "$(ratio "$rm" "$om")" "$it / $ours_it"
}

echo
echo "## 1. Resident decision: time per hosts_ctl() call (µs: median / min / max)"
echo
echo "hosts.allow empty, hosts.deny as named; after two warm-up calls.  Hit early = the first"
echo "line's address, hit late = the last line's, miss = an address in no rule."
echo
echo "| hosts.deny | same verdict | reference | ours | ratio (median) | calls (ref / ours) |"
echo "| --- | --- | --- | --- | --- | --- |"
timed "no tables (missing files)" "$T/missing" "$T/missing" sshd 192.0.2.200 "" 0
timed "empty files" "$T/empty" "$T/empty" sshd 192.0.2.200 "" 0
for n in 10 1000 10000 100000 1000000; do
	last=$(python3 -c "n=$n; print('10.%d.%d.%d' % (n >> 16, (n >> 8) & 255, n & 255))")
	for style in sshd all; do
		f=$T/deny-$style-$n
		timed "$n × \`$style: addr\`, hit early" "$T/empty" "$f" sshd 10.0.0.1 "" "$n"
		timed "$n × \`$style: addr\`, hit late" "$T/empty" "$f" sshd "$last" "" "$n"
		timed "$n × \`$style: addr\`, miss" "$T/empty" "$f" sshd 192.0.2.200 "" "$n"
	done
done
for n in 1000 100000; do
	timed "\`sshd: /path\`, list of $n, miss" "$T/empty" "$T/deny-path-$n" sshd 192.0.2.200 "" "$n"
done
timed "40-rule admin table, hit early" "$T/admin.allow" "$T/admin.deny" sshd 192.0.2.5 "ws.example.org" 40
timed "40-rule admin table, hit late" "$T/admin.allow" "$T/admin.deny" vsftpd 203.0.113.9 "ws.example.org" 40
timed "40-rule admin table, miss" "$T/admin.allow" "$T/admin.deny" nginx 192.0.2.200 "ws.example.org" 40

echo
echo "## 2. Instructions per call (valgrind callgrind, the calls alone)"
echo
if command -v valgrind >/dev/null; then
	echo "| case | reference | ours | ratio |"
	echo "| --- | --- | --- | --- |"
	# counted DRIVER ITERATIONS ARGS... - instructions per call of the measured loop.
	counted() {
		local driver=$1 it=$2; shift 2
		local total
		total=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \
			'--toggle-collect=measured*' "$driver" count "$@" "$it" 2>&1 |
			sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
		awk -v t="${total:-0}" -v n="$it" 'BEGIN { printf "%.0f", t / n }'
	}
	for c in "empty files|$T/empty|$T/empty|sshd|192.0.2.200||200|2000" \
	         "100000 × sshd: addr, miss|$T/empty|$T/deny-sshd-100000|sshd|192.0.2.200||2|2000" \
	         "40-rule admin table, hit late|$T/admin.allow|$T/admin.deny|vsftpd|203.0.113.9|ws.example.org|100|2000"; do
		IFS='|' read -r label a d dm ad nm rit oit <<<"$c"
		r=$(counted "$REF" "$rit" "$a" "$d" "$dm" "$ad" "$nm")
		o=$(counted "$OURS" "$oit" "$a" "$d" "$dm" "$ad" "$nm")
		printf '| %s | %s | %s | **%s** |\n' "$label" "$r" "$o" "$(ratio "$r" "$o")"
	done
	# The whole of a fresh process that decides once (start, loading, reading, scanning).
	whole() {
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
			sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
	}
	for n in 0 100000; do
		r=$(whole "$REF" once "$T/empty" "$T/deny-sshd-$n" sshd 192.0.2.200 x)
		o=$(whole "$OURS" once "$T/empty" "$T/deny-sshd-$n" sshd 192.0.2.200 x)
		printf '| fresh process, one decision, %s × sshd: addr, miss (whole process) | %s | %s | **%s** |\n' \
			"$n" "$r" "$o" "$(ratio "$r" "$o")"
	done
else
	echo "valgrind not installed: skipped (apt-get install valgrind)"
fi

# isolated CMD... - run without a network (DNS lookups fail at once, nothing leaves the host).
isolated() {
	if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then unshare -n "$@"; else "$@"; fi
}

echo
echo "## 3. One decision in a fresh process (hyperfine, mean ± σ)"
echo
echo "\`driver once\`: the driver program linked with each library makes one hosts_ctl() call"
echo "(process start, library loading, reading and scanning the table).  \`tcpdmatch -d\`:"
echo "Debian's /usr/sbin/tcpdmatch against our $B/tcpdmatch in a directory holding the tables"
echo "(no network: both fail their host name lookup at once)."
echo
if command -v hyperfine >/dev/null; then
	echo "| case | reference | ours | ratio |"
	echo "| --- | --- | --- | --- |"
	# fresh LABEL RUNS CMD_REF CMD_OURS - hyperfine both, one row.
	fresh() {
		local label=$1 runs=$2 json=$W/hyperfine.json
		isolated hyperfine -N -w 3 -r "$runs" --export-json "$json" "$3" "$4" >/dev/null 2>&1 || {
			echo "| $label | hyperfine failed | | |"; return; }
		python3 - "$json" "$label" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
f = lambda x: "%.2f ± %.2f ms" % (x["mean"] * 1e3, (x["stddev"] or 0) * 1e3)
print("| %s | %s | %s | **%.1f** |" % (sys.argv[2], f(r[0]), f(r[1]), r[0]["mean"] / r[1]["mean"]))
PY
	}
	runs=30; [ "$QUICK" = 1 ] && runs=5
	for n in 0 100000 1000000; do
		r=$runs; [ "$n" = 1000000 ] && r=$(( runs / 3 > 3 ? runs / 3 : 3 ))
		fresh "driver once, $n × sshd: addr, miss" "$r" \
			"$REF once $T/empty $T/deny-sshd-$n sshd 192.0.2.200 x" \
			"$OURS once $T/empty $T/deny-sshd-$n sshd 192.0.2.200 x"
	done
	for n in 0 100000; do
		d=$W/tcpdmatch-$n
		mkdir -p "$d" && cp "$T/empty" "$d/hosts.allow" && cp "$T/deny-sshd-$n" "$d/hosts.deny"
		fresh "tcpdmatch -d, $n × sshd: addr, miss" "$runs" \
			"sh -c 'cd $d && exec /usr/sbin/tcpdmatch -d sshd 192.0.2.200'" \
			"sh -c 'cd $d && exec $PWD/$B/tcpdmatch -d sshd 192.0.2.200'"
	done
	# The one-pass scan's throughput: the first decision of a process, timed inside it (the
	# fastest of 5 processes), on the 1,000,000-line table, by both libraries.
	size=$(stat -c %s "$T/deny-sshd-1000000")
	fastest() { for _ in 1 2 3 4 5; do "$@"; done | sort -n | head -n 1; }
	rf=$(fastest "$REF" first "$T/empty" "$T/deny-sshd-1000000" sshd 192.0.2.200 x)
	of=$(fastest "$OURS" first "$T/empty" "$T/deny-sshd-1000000" sshd 192.0.2.200 x)
	echo
	echo "First decision of a process on the 1,000,000-line table ($size bytes, miss: every line"
	echo "read): reference $(us "$rf") µs = $(awk -v s="$size" -v t="$rf" 'BEGIN { printf "%.0f", s / t * 1000 }') MB/s,"
	echo "ours $(us "$of") µs = **$(awk -v s="$size" -v t="$of" 'BEGIN { printf "%.0f", s / t * 1000 }') MB/s** (ratio **$(ratio "$rf" "$of")**)."
else
	echo "hyperfine not installed: skipped (apt-get install hyperfine)"
fi

echo
echo "## 4. Connection rate of an inetd service (openbsd-inetd, loopback of a private network namespace)"
echo
bench/inetd-rate.sh "$B" "$W"

echo
echo "## 5. Resident memory per 100,000 rules (VmRSS after the table is compiled, malloc_trim()ed)"
echo
echo "| table | reference | ours | ours per rule |"
echo "| --- | --- | --- | --- |"
for style in sshd all; do
	r=$("$REF" memory "$T/empty" "$T/deny-$style-100000" sshd 192.0.2.200 "")
	o=$("$OURS" memory "$T/empty" "$T/deny-$style-100000" sshd 192.0.2.200 "")
	printf '| 100000 × %s: addr | %s bytes | %s bytes | **%s bytes** |\n' "$style" "$r" "$o" \
		"$(awk -v o="$o" 'BEGIN { printf "%.1f", o / 100000 }')"
done
echo
echo "(The reference keeps nothing between calls: it re-reads the file every time.)"

echo
echo "## 6. Two threads (calls per second, total)"
echo
echo "| case | reference: 1 thread | 2 threads | scaling | ours: 1 thread | 2 threads | scaling | ratio (2 threads) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for c in "empty files|$T/empty|$T/empty|20000|200000" \
         "10000 × sshd: addr, miss|$T/empty|$T/deny-sshd-10000|100|200000" \
         "100000 × sshd: addr, miss|$T/empty|$T/deny-sshd-100000|10|200000"; do
	IFS='|' read -r label a d rit oit <<<"$c"
	[ "$QUICK" = 1 ] && { rit=$(( (rit + 9) / 10 )); oit=$(( oit / 10 )); }
	r1=$("$REF" threads "$a" "$d" sshd 192.0.2.200 "" "$rit" 1)
	r2=$("$REF" threads "$a" "$d" sshd 192.0.2.200 "" "$rit" 2 || echo 0)
	o1=$("$OURS" threads "$a" "$d" sshd 192.0.2.200 "" "$oit" 1)
	o2=$("$OURS" threads "$a" "$d" sshd 192.0.2.200 "" "$oit" 2)
	printf '| %s | %s | %s | %s | %s | %s | %s | **%s** |\n' "$label" "$r1" "$r2" \
		"$(ratio "$r2" "$r1")" "$o1" "$o2" "$(ratio "$o2" "$o1")" "$(ratio "$o2" "$r2")"
done
s1=$("$OURS" stat "$T/empty" "$T/empty" sshd 192.0.2.200 "" 200000 1)
s2=$("$OURS" stat "$T/empty" "$T/empty" sshd 192.0.2.200 "" 200000 2)
printf '| control: the two stat() calls alone, empty files | | | | %s | %s | %s | |\n' "$s1" "$s2" \
	"$(ratio "$s2" "$s1")"
echo
echo "(Scaling = 2 threads / 1 thread; the machine's $(nproc) CPUs may be shared with other work:"
echo "load average at the end of the run: $(cut -d' ' -f1-3 /proc/loadavg).)"
