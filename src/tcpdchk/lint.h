/*
 * lint.h - tcpdchk's checks beyond the classic program.
 *
 * Each one reports through report.h, with the file and line of the rule (or /file list
 * entry) concerned.  The rule checks are exact and conservative: they only claim what holds
 * for every request (a rule reported as shadowed can never decide anything).
 */
#ifndef TCPDCHK_LINT_H
#define TCPDCHK_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "table.h"

/* lint_permissions - the table (and, for an absolute path, each directory above it) must
 * be owned by root and writable by nobody else. */
void lint_permissions(const char *path);

/* lint_truncated - explain a "missing newline or line too long" line: which of the two,
 * at which physical line, and what the library then does. */
void lint_truncated(const char *path, int line, bool is_allow);

/* lint_host_pattern_text - the checks of one host pattern outside a rule (a /file list
 * entry): address wildcards. */
void lint_host_pattern_text(const char *text, const char *file, int line);

/* lint_tables - every rule of the tables, in evaluation order (hosts.allow, hosts.deny):
 * unbracketed IPv6, address wildcards, patterns that never match, duplicate patterns,
 * EXCEPT lists that exclude nothing, duplicate rules, shadowed rules.  A NULL or unreadable
 * table is skipped. */
void lint_tables(struct wrap_table *const *tables, size_t n_tables);

#endif
