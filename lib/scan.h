/*
 * scan.h - one step of the classic first-match scan: what happens when the scan reaches a
 * rule.  Its problems are reported ("missing ':' separator", never-matching patterns, a
 * truncated line that ends the table), then its daemon and client lists are matched, with
 * the lookups the patterns need, in the classic order.  The one-shot scan (access.c) and the
 * rules an index cannot answer (index.c) both go through here, so the two cannot drift.
 */
#ifndef WRAP_SCAN_H
#define WRAP_SCAN_H

#include "table.h"

enum scan_step {
	STEP_NEXT,  /* the rule does not match: go on */
	STEP_MATCH, /* the rule matches (its options may still decide) */
	STEP_ERROR, /* a truncated line: the table ends here, classic "ERR" */
};

/* scan_rule - reach one rule of the table at path (tokens: the array its indexes refer to).
 * Sets the diagnostic context to the rule's file and line. */
enum scan_step scan_rule(const char *path, const struct wrap_token *tokens,
                         const struct wrap_rule *rule, struct request_info *request);

#endif
