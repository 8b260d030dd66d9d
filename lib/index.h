/*
 * index.h - a table compiled for repeated decisions: first-match order kept exactly, with
 * the rules that only compare the client address answered by hash lookups.
 *
 * A rule is indexed when its daemon list is plain names and ALL, and its client list is
 * address-only patterns: an exact numeric address as text ("192.0.2.1", compared as classic
 * text: "01.2.3.4" is not "1.2.3.4", an IPv4-mapped subject reads as IPv4), a numeric text
 * prefix ("192.0.2."), an IPv4 net with a contiguous mask ("n/len", "n/m") or an IPv6 net
 * ("[v6]/len"); no EXCEPT, no user@, nothing that can never match.  Exact IPv4 addresses and
 * nets live in one hash keyed by (daemon bucket, prefix length, masked address), IPv6 nets in
 * another, text patterns in a third; daemon names map to buckets, ALL has its own.  Every
 * other rule (host names, wildcards, /files, netgroups, user@, EXCEPT, missing ":" lines,
 * truncated lines, never-matching patterns) is "general" and evaluated by scan_rule().
 *
 * A decision finds the lowest-numbered indexed rule that matches, then walks the general
 * rules in file order up to that number: whatever the linear scan would have done before
 * reaching the indexed rule (name or ident lookups, warnings, a truncated line ending the
 * table) happens, in the same order; indexed rules themselves have no side effect beyond
 * reading the client address.
 *
 * Memory: an indexed rule keeps 16 bytes of record and about 18 bytes per hash entry; its
 * line text is kept only if something points into it (options, a new daemon name, a text
 * pattern).  An index is immutable once built, so any number of threads may use it.
 */
#ifndef WRAP_INDEX_H
#define WRAP_INDEX_H

#include <stddef.h>

#include "scan.h"

struct table_index;

/* index_build - compile size bytes of the table at path.  NULL when memory runs out. */
struct table_index *index_build(const char *path, const char *data, size_t size);

/* index_free - release an index; NULL is fine. */
void index_free(struct table_index *index);

/* index_decide - what the linear first-match scan of the table returns for the request,
 * with the same diagnostics: STEP_MATCH with the rule in *ret_rule (kind, line and options
 * are set), STEP_ERROR at a truncated line, STEP_NEXT when no rule matches. */
enum scan_step index_decide(const struct table_index *index, struct request_info *request,
                            struct wrap_rule *ret_rule);

/* index_rule_count - rules of the table (indexed and general), for statistics and tests;
 * index_general_count - how many of them need general evaluation. */
size_t index_rule_count(const struct table_index *index);
size_t index_general_count(const struct table_index *index);

/* index_memory - bytes the index holds (what it allocated), for the benchmark. */
size_t index_memory(const struct table_index *index);

#endif
