# compare-decisions.awk - compare decide's reports from Debian's library and from ours.
#
# awk -f compare-decisions.awk cases.txt expected-differences.txt REF.out OURS.out COMPAT.md
#
# Per case of cases.txt, in order, one line "ok   decide: ID ..." or "FAIL decide: ID: why":
#   * the reference's result must equal the case's pinned expectation;
#   * a case listed in expected-differences.txt must differ between the libraries, with each
#     side's result exactly as listed, and the entry it names ("L1. ...") must be an entry of
#     docs/COMPATIBILITY.md (a "### L1. ..." heading);
#   * any other case must give identical reports (result line, out files, every log line),
#     except our warnings about patterns that can never match (L6), which are set aside.

function result_of(block,    line, r) {
	# The first line of a block is "ID result=VALUE[ ident=...]".
	line = block
	sub(/\n.*/, "", line)
	r = line
	sub(/^[^ ]* result=/, "", r)
	sub(/ ident=.*/, "", r)
	return r
}

function show_diff(a, b,    na, nb, la, lb, i, j, seen) {
	na = split(a, la, "\n")
	nb = split(b, lb, "\n")
	for (i = 1; i <= nb; i++) seen[lb[i]] = 1
	for (i = 1; i <= na; i++)
		if (la[i] != "" && !(la[i] in seen)) print "    reference: " la[i]
	delete seen
	for (i = 1; i <= na; i++) seen[la[i]] = 1
	for (j = 1; j <= nb; j++)
		if (lb[j] != "" && !(lb[j] in seen)) print "    ours:      " lb[j]
}

FILENAME == ARGV[1] && $1 == "case" {
	id = $2
	want = $0
	sub(/^[ \t]*case[ \t]+[^ \t]+[ \t]+/, "", want)
	sub(/[ \t]+$/, "", want)
	if (id in pinned) dup[id] = 1
	pinned[id] = want
	order[++ncases] = id
	next
}
FILENAME == ARGV[1] { next }

FILENAME == ARGV[2] {
	if ($0 ~ /^[ \t]*(#|$)/) next
	n = split($0, f, /[ \t]*\|[ \t]*/)
	for (i = 1; i <= n; i++) { sub(/^[ \t]+/, "", f[i]); sub(/[ \t]+$/, "", f[i]) }
	if (n != 5) { print "FAIL decide: expected-differences.txt: malformed line: " $0; nbad++; next }
	listed[f[1]] = 1
	entry[f[1]] = f[2]
	doc_ref[f[1]] = f[3]
	doc_ours[f[1]] = f[4]
	next
}

FILENAME == ARGV[5] && /^###* [A-Z][0-9]+\. / {
	doc_id = $2
	sub(/\.$/, "", doc_id)
	documented[doc_id] = 1
	next
}
FILENAME == ARGV[5] { next }

FILENAME == ARGV[3] && !/^#/ { ref[$1] = ref[$1] $0 "\n"; next }
# Our warnings about patterns that can never match (docs/COMPATIBILITY.md L6) have no
# counterpart in the reference; exactly these messages are set aside.
FILENAME == ARGV[4] && / log [0-9]+ warning: .*: ((daemon|client) list is empty: the rule never matches|bad net\/mask pattern ".*": it never matches|net\/mask pattern ".*" has host bits set and never matches \(the network is [0-9.]+\/[0-9.]+\)|bad IPv6 address pattern ".*": it never matches)$/ {
	never_matches++
	next
}
# Our log line of the deciding rule's text (docs/COMPATIBILITY.md E1) is new: set aside too.
FILENAME == ARGV[4] && / log [0-9]+ rule:     .* line [0-9]+: / {
	rule_lines++
	next
}
FILENAME == ARGV[4] && !/^#/ { ours[$1] = ours[$1] $0 "\n"; next }

END {
	for (id in dup) { print "FAIL decide: duplicate case id " id; nbad++ }
	for (id in listed) {
		entry_id = entry[id]
		sub(/\..*/, "", entry_id)
		if (!(entry_id in documented)) {
			print "FAIL decide: expected-differences.txt: " id " names \"" entry[id] \
				"\", which is no entry of docs/COMPATIBILITY.md"
			nbad++
		}
	}
	for (id in listed)
		if (!(id in pinned)) {
			print "FAIL decide: expected-differences.txt lists unknown case " id
			nbad++
		}
	for (k = 1; k <= ncases; k++) {
		id = order[k]
		if (!(id in ref) || !(id in ours)) {
			print "FAIL decide: " id ": no report from " (!(id in ref) ? "the reference" : "ours")
			nbad++
			continue
		}
		r = result_of(ref[id])
		o = result_of(ours[id])
		if (r != pinned[id]) {
			print "FAIL decide: " id ": reference gives \"" r "\", cases.txt pins \"" pinned[id] "\""
			nbad++
			continue
		}
		if (id in listed) {
			if (ref[id] == ours[id]) {
				print "FAIL decide: " id ": listed as a deliberate difference, but both libraries agree"
				nbad++
			} else if (r != doc_ref[id] || o != doc_ours[id]) {
				print "FAIL decide: " id ": expected reference \"" doc_ref[id] "\" / ours \"" doc_ours[id] \
					"\", got \"" r "\" / \"" o "\""
				show_diff(ref[id], ours[id])
				nbad++
			} else {
				print "ok   decide: " id ": deliberate difference (" entry[id] "): reference " r ", ours " o
				ngood++
			}
			continue
		}
		if (ref[id] == ours[id]) {
			print "ok   decide: " id ": " r
			ngood++
		} else {
			print "FAIL decide: " id ": reference \"" r "\", ours \"" o "\""
			show_diff(ref[id], ours[id])
			nbad++
			failed = failed " " id
		}
	}
	print "decide: " ncases " cases, " ngood + 0 " agree as expected, " nbad + 0 " problems; " \
		never_matches + 0 " never-matching-pattern warnings set aside (L6), " \
		rule_lines + 0 " deciding-rule lines set aside (E1)"
	if (failed != "") print "decide: undocumented differences:" failed
}
