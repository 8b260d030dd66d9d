#!/usr/bin/env bash
# check-exports.sh - part 1 of the ABI suite: the dynamic symbol table of $B/libwrap.so.0.
#
# The unversioned defined dynamic symbols (name, FUNC/OBJECT, object size, binding) must equal
# those of Debian's libwrap.so.0 (the classic 40, pinned by name below too); the only other
# exports are the explanation API's, exactly the names listed here and in lib/libwrap.map, in
# the version node TCPWRAPPERS_EXPLAIN_1; SONAME libwrap.so.0; NEEDED only libc (and
# ld-linux); no -Bsymbolic; the library reaches its interposable functions and all exported
# data through the PLT/GOT.
# Prints one "ok ..." or "FAIL ..." line per check (run.sh counts them).
set -u
B=${B:-build}
REF_LIB=${REF_LIB:-/usr/lib/x86_64-linux-gnu/libwrap.so.0}
OURS=$B/libwrap.so.0
MAP=lib/libwrap.map

ok() { echo "ok   exports: $*"; }
bad() { echo "FAIL exports: $*"; }

for f in "$OURS" "$REF_LIB" "$MAP"; do
	if [ ! -e "$f" ]; then
		bad "missing $f"
		exit 1
	fi
done

# The classic 40, by name: the reference's list must not drift either.
CLASSIC="allow_severity cidr_mask_addr clean_exit deny_severity dot_quad_addr dry_run
eval_client eval_hostaddr eval_hostinfo eval_hostname eval_port eval_server eval_user
fix_options hosts_access hosts_access_verbose hosts_allow_table hosts_ctl hosts_deny_table
paranoid percent_m percent_x process_options refuse request_init request_set resident rfc931
rfc931_timeout shell_cmd sock_host sock_hostaddr sock_hostname split_at tcpd_buf tcpd_context
tcpd_jump tcpd_warn unknown xgets"
# The additions (include/tcpwrappers/explain.h), all in one version node.
EXPLAIN_VERSION=TCPWRAPPERS_EXPLAIN_1
EXPLAIN_NAMES="hosts_access_explain hosts_decision_free"

# defined_symbols LIB - "name TYPE size BIND" per unversioned defined dynamic symbol (size
# only for objects: function sizes are implementation details).
defined_symbols() {
	readelf -W --dyn-syms "$1" | awk '
		$1 ~ /^[0-9]+:$/ && $7 != "UND" && $7 != "ABS" && ($4 == "FUNC" || $4 == "OBJECT") &&
		$8 !~ /@/ {
			size = ($4 == "OBJECT") ? $3 : "-"
			print $8, $4, size, $5
		}' | sort
}

# versioned_symbols LIB - "name@VERSION TYPE BIND" per versioned defined dynamic symbol.
versioned_symbols() {
	readelf -W --dyn-syms "$1" | awk '
		$1 ~ /^[0-9]+:$/ && $7 != "UND" && $7 != "ABS" && $8 ~ /@/ {
			name = $8; sub(/@@?/, "@", name)
			print name, $4, $5
		}' | sort
}

ours_syms=$(defined_symbols "$OURS")
ref_syms=$(defined_symbols "$REF_LIB")

if [ "$(tr ' \n' '\n\n' <<<"$CLASSIC" | grep -v '^$' | sort)" = "$(awk '{print $1}' <<<"$ref_syms")" ] &&
	[ "$(awk '{print $1}' <<<"$ours_syms")" = "$(awk '{print $1}' <<<"$ref_syms")" ]; then
	ok "the classic 40 by name, unversioned, in both libraries"
else
	bad "the unversioned exports are not the classic 40 named here"
fi

# The explanation API: exactly these functions, each in its version node, nothing else
# versioned.
expected_versioned=$(for n in $EXPLAIN_NAMES; do echo "$n@$EXPLAIN_VERSION FUNC GLOBAL"; done | sort)
actual_versioned=$(versioned_symbols "$OURS")
if [ "$actual_versioned" = "$expected_versioned" ]; then
	ok "explanation API exported as $(tr '\n' ' ' <<<"$actual_versioned")"
else
	bad "versioned exports: expected '$expected_versioned', got '$actual_versioned'"
fi
if [ -z "$(versioned_symbols "$REF_LIB")" ]; then
	ok "the reference has no versioned exports (ours add only the explanation node)"
else
	bad "the reference has versioned exports: $(versioned_symbols "$REF_LIB")"
fi

# One check per reference symbol, then "nothing extra".
while read -r name type size bind; do
	mine=$(awk -v n="$name" '$1 == n' <<<"$ours_syms")
	if [ "$mine" = "$name $type $size $bind" ]; then
		ok "$name $type $size $bind"
	else
		bad "$name: reference '$name $type $size $bind', ours '${mine:-absent}'"
	fi
done <<<"$ref_syms"
extra=$(comm -13 <(awk '{print $1}' <<<"$ref_syms") <(awk '{print $1}' <<<"$ours_syms"))
if [ -z "$extra" ]; then
	ok "no symbol beyond the reference's $(wc -l <<<"$ref_syms")"
else
	bad "extra exported symbols: $(tr '\n' ' ' <<<"$extra")"
fi

# The version script's node is the explanation API, and nothing else.
map_text=$(sed -e 's#/\*.*\*/##g' "$MAP" | grep -v '^ *\*' | tr -d '\n')
map_names=$(sed -e 's/.*global:\([^}]*\)}.*/\1/' <<<"$map_text" | tr ';' '\n' | tr -d ' \t' |
	grep -v '^$' | sort)
if [ "$map_names" = "$(tr ' ' '\n' <<<"$EXPLAIN_NAMES" | sort)" ] &&
	grep -q "$EXPLAIN_VERSION *{" <<<"$map_text"; then
	ok "lib/libwrap.map node $EXPLAIN_VERSION lists exactly: $EXPLAIN_NAMES"
else
	bad "lib/libwrap.map does not list exactly $EXPLAIN_NAMES in $EXPLAIN_VERSION: $map_names"
fi

# The weak severities (programs such as tcpd define their own).
for s in allow_severity deny_severity; do
	if grep -q "^$s OBJECT 4 WEAK$" <<<"$ours_syms"; then
		ok "$s is a weak 4-byte object"
	else
		bad "$s is not a weak 4-byte object: $(grep "^$s " <<<"$ours_syms")"
	fi
done

dynamic=$(readelf -W -d "$OURS")
soname=$(sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p' <<<"$dynamic")
if [ "$soname" = libwrap.so.0 ]; then
	ok "SONAME libwrap.so.0"
else
	bad "SONAME is '$soname'"
fi

needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dynamic" | sort | tr '\n' ' ')
unexpected=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dynamic" |
	grep -v -x -e 'libc.so.6' -e 'ld-linux-x86-64.so.2')
if grep -q 'libc.so.6' <<<"$needed" && [ -z "$unexpected" ]; then
	ok "NEEDED only libc (and ld-linux): $needed"
else
	bad "NEEDED has $needed"
fi
if grep -q -E 'libnsl|libtirpc' <<<"$needed"; then
	bad "NEEDED has libnsl/libtirpc: $needed"
else
	ok "no libnsl/libtirpc dependency"
fi

# The classic names unversioned, like the reference: old binaries bind to plain names, and a
# program linked here records no version for them (it runs on the reference).  The only
# version defined besides the base is the explanation node.
verdefs=$(readelf -W -V "$OURS" | awk '/Version definition/ {on = 1} /Version needs/ {on = 0}
	on && /Name:/ && !/Flags: BASE/ {print $NF}' | tr '\n' ' ')
if [ "$verdefs" = "$EXPLAIN_VERSION " ]; then
	ok "the only symbol version defined is $EXPLAIN_VERSION"
else
	bad "symbol version definitions: '$verdefs'"
fi
if grep -q -E 'SYMBOLIC' <<<"$dynamic"; then
	bad "linked -Bsymbolic: programs cannot interpose library functions"
else
	ok "not linked -Bsymbolic"
fi

# Interposition: the library calls these through the PLT and reads all exported data through
# the GOT, so a program's definition (tcpdmatch's shell_cmd, a copy-relocated variable) wins.
relocs=$(readelf -W -r "$OURS" | awk '{print $3, $5}')
for f in shell_cmd rfc931 clean_exit tcpd_warn eval_user eval_hostname eval_hostaddr; do
	if grep -q -E "^R_X86_64_(JUMP_SLOT|GLOB_DAT) $f$" <<<"$relocs"; then
		ok "internal calls of $f are interposable (PLT)"
	else
		bad "no PLT/GOT relocation against $f: internal calls bypass a program's $f"
	fi
done
for v in allow_severity deny_severity hosts_allow_table hosts_deny_table hosts_access_verbose \
	rfc931_timeout resident dry_run unknown paranoid tcpd_context tcpd_buf; do
	if grep -q -E "^R_X86_64_GLOB_DAT $v$" <<<"$relocs"; then
		ok "$v is read through the GOT (copy relocations work)"
	else
		bad "$v is not accessed through the GOT: a program's copy would be ignored"
	fi
done
