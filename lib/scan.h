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

/* scan_text - the linear scan of a whole table held by the parser, from its first line to
 * the deciding one, keeping nothing but the line being looked at.  Lines of the commonest
 * shape (plain daemon names or ALL, then numeric addresses or ALL, no options) are decided
 * straight from their text, exactly as their compiled tokens would decide (scan_quick());
 * every other line is compiled and reached with scan_rule().  Returns the step, with the
 * deciding rule in *ret_rule (its options point into the parser's text), or -1 when memory
 * runs out. */
int scan_text(const char *path, struct table_parser *parser, struct request_info *request,
              struct wrap_rule *ret_rule);

/* scan_quick - one logical line (with its '\n') of the commonest shape, decided from its
 * text: QUICK_MATCH or QUICK_NO.  QUICK_OTHER for any line of another shape (comments,
 * options, anything the token compiler treats specially), which the caller compiles.  The
 * subject (daemon, and the client address once a line needed it) is kept across lines. */
struct quick_subject {
	char daemon[STRING_LENGTH]; /* unmapped, lower case */
	size_t daemon_len;
	const char *addr; /* NULL until read */
	size_t addr_len;
};
enum quick_step { QUICK_OTHER, QUICK_NO, QUICK_MATCH };
void scan_quick_init(struct quick_subject *quick, const struct request_info *request);
enum quick_step scan_quick(struct quick_subject *quick, const char *line, size_t len,
                           struct request_info *request);

#endif
