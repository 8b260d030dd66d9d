# lib.sh - what the golden runners share (sourced by tests/golden/run.sh and
# tests/golden-chk/run.sh): counting checks, reading a case, running a program on it, and the
# check against NAME.ref.  The case layout is described in tests/golden/run.sh.
#
# The runner sets, before calling these: SUITE (the cases' directory), OURS (our program),
# ARGV0 (the program name it runs as, so usage texts are stable), scratch (a scratch
# directory), update (1: rewrite the .ref files), and pass=0 fail=0.  setup_case() sets the
# globals args, debian, modes and owners.

# ok / not_ok - count one check.
ok() {
	pass=$((pass + 1))
	echo "PASS $1"
}
not_ok() {
	fail=$((fail + 1))
	echo "FAIL $1${2:+: $2}"
}

# setup_case FILE DIR - read the case header into globals, create its files in DIR.
setup_case() {
	local file=$1 dir=$2 line name="" flags="" content="" in_files=0 m
	args="" debian=yes modes=() owners=()
	flush_file() {
		[ -n "$name" ] || return 0
		content=${content//@DIR@/$dir}
		mkdir -p "$(dirname "$dir/$name")"
		if [[ $flags == *-n* ]]; then
			content=${content%$'\n'}
		fi
		if [[ $flags == *-e* ]]; then
			printf '%b' "$content" >"$dir/$name"
		else
			printf '%s' "$content" >"$dir/$name"
		fi
	}
	while IFS= read -r line || [ -n "$line" ]; do
		if [[ $line == "=== "* ]]; then
			flush_file
			in_files=1
			read -r name flags <<<"${line#=== }"
			content=""
		elif [ "$in_files" = 1 ]; then
			content+=$line$'\n'
		else
			case $line in
			args:*) args=${line#args:} ;;
			debian:*) debian=$(echo ${line#debian:}) ;;
			mode:*) modes+=("${line#mode:}") ;;
			owner:*) owners+=("${line#owner:}") ;;
			'#'* | '') ;;
			*) echo "$file: bad header line: $line" >&2 ;;
			esac
		fi
	done <"$file"
	flush_file
	for m in "${modes[@]}"; do
		set -- $m
		chmod "$2" "$dir/$1"
	done
	for m in "${owners[@]}"; do
		set -- $m
		chown "$2" "$dir/$1"
	done
	args=${args//@DIR@/$dir}
}

# run_program PROGRAM DIR OUTFILE [PRELOAD] - run PROGRAM (as ARGV0, in DIR, with -d and the
# case's arguments, PRELOAD as LD_PRELOAD if given) and write its stdout, stderr and exit
# status in the .ref layout.
run_program() {
	local program=$1 dir=$2 out=$3 preload=${4:-} rc
	(
		cd "$dir" || exit 99
		eval "set -- $args"
		if [ -n "$preload" ]; then
			LD_PRELOAD=$preload exec -a "$ARGV0" "$program" -d "$@"
		else
			exec -a "$ARGV0" "$program" -d "$@"
		fi
	) >"$out.stdout" 2>"$out.stderr"
	rc=$?
	{
		cat "$out.stdout"
		if [ -s "$out.stderr" ]; then
			echo "--- stderr"
			cat "$out.stderr"
		fi
		echo "--- exit $rc"
	} | sed "s|$dir|@DIR@|g" >"$out"
}

# golden_check NAME DIR - our output against NAME.ref.
golden_check() {
	local name=$1 dir=$2 ref=$SUITE/$1.ref
	run_program "$OURS" "$dir" "$scratch/ours"
	[ "$update" = 1 ] && cp "$scratch/ours" "$ref"
	if [ ! -f "$ref" ]; then
		not_ok "$name" "no $ref (run with --update)"
	elif diff -u "$ref" "$scratch/ours" >"$scratch/diff"; then
		ok "$name"
	else
		not_ok "$name"
		sed 's/^/    /' "$scratch/diff"
	fi
}
