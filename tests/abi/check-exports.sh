#!/usr/bin/env bash
# check-exports.sh - part 1 of the ABI suite: the dynamic symbol table of $B/libwrap.so.0.
#
# The defined dynamic symbols (name, FUNC/OBJECT, object size, binding) must equal those of
# Debian's libwrap.so.0 and the global list of lib/libwrap.map; SONAME libwrap.so.0; NEEDED
# only libc (and ld-linux); no symbol versions and no -Bsymbolic; the library reaches its
# interposable functions and all exported data through the PLT/GOT.
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

# defined_symbols LIB - "name TYPE size BIND" per defined dynamic symbol (size only for
# objects: function sizes are implementation details).
defined_symbols() {
	readelf -W --dyn-syms "$1" | awk '
		$1 ~ /^[0-9]+:$/ && $7 != "UND" && ($4 == "FUNC" || $4 == "OBJECT") {
			name = $8; sub(/@.*/, "", name)
			size = ($4 == "OBJECT") ? $3 : "-"
			print name, $4, size, $5
		}' | sort
}

ours_syms=$(defined_symbols "$OURS")
ref_syms=$(defined_symbols "$REF_LIB")

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

# The version script's global list is the export list.
map_names=$(sed -e 's#/\*.*\*/##g' "$MAP" | tr -d '\n' | sed -e 's/.*global:\(.*\)local:.*/\1/' |
	tr ';' '\n' | tr -d ' \t' | grep -v '^$' | sort)
if [ "$map_names" = "$(awk '{print $1}' <<<"$ours_syms")" ]; then
	ok "lib/libwrap.map global list equals the exported symbols"
else
	bad "lib/libwrap.map differs from the exports: $(diff <(echo "$map_names") \
		<(awk '{print $1}' <<<"$ours_syms") | grep '^[<>]' | tr '\n' ' ')"
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

# Unversioned, like the reference: old binaries bind to plain names.
if grep -q -E '\((VERDEF|VERDEFNUM)\)' <<<"$dynamic"; then
	bad "the library defines symbol versions"
else
	ok "no symbol version definitions (all exports unversioned)"
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
