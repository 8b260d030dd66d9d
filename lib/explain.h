/*
 * explain.h - the explanation API's internal side (the public side is
 * <tcpwrappers/explain.h>): a linear, traced walk over compiled tables with the semantics of
 * access.c, and the helpers the tools share (a rule's text, the verbose log line).
 */
#ifndef WRAP_EXPLAIN_H
#define WRAP_EXPLAIN_H

#include <stddef.h>

#include "export.h"
#include "table.h"

#pragma GCC visibility push(default)
#include <tcpwrappers/explain.h>
#pragma GCC visibility pop

/* explain_token_text - one token as written ("alice@.example.com", "EXCEPT"), into buf. */
void explain_token_text(const struct wrap_token *token, char *buf, size_t size);

/* explain_list_text - tokens joined by single blanks, into buf (truncated to size). */
void explain_list_text(const struct wrap_token *tokens, size_t count, char *buf, size_t size);

/* explain_rule_text - "DAEMONS : CLIENTS[ : OPTIONS]" (options trimmed); a new string, or
 * NULL when memory runs out. */
char *explain_rule_text(const struct wrap_table *table, const struct wrap_rule *rule);

/* explain_log_rule - the verbose log line of a deciding rule: "rule:     FILE line N: TEXT"
 * at LOG_DEBUG (access.c logs it when hosts_access_verbose is set). */
void explain_log_rule(const struct wrap_table *table, const struct wrap_rule *rule);

#endif
