/*
 * scan.c - one step of the classic first-match scan (see scan.h).
 */
#include "diag.h"
#include "scan.h"

/* report_problems - warn about each part of the rule that can never match. */
static void report_problems(const struct wrap_token *tokens, const struct wrap_rule *rule)
{
	size_t end = rule->clients + rule->n_clients;

	if (rule->n_daemons == 0)
		diag_warn("daemon list is empty: the rule never matches");
	if (rule->n_clients == 0)
		diag_warn("client list is empty: the rule never matches");
	for (size_t i = rule->daemons; i < end; i++)
		if (tokens[i].has_host)
			pattern_report_problem(&tokens[i].host, "");
}

enum scan_step scan_rule(const char *path, const struct wrap_token *tokens,
                         const struct wrap_rule *rule, struct request_info *request)
{
	diag_set_context(path, rule->line);
	switch (rule->kind) {
	case RULE_NO_SEPARATOR:
		diag_warn("missing \":\" separator");
		return STEP_NEXT;
	case RULE_TRUNCATED:
		diag_warn("missing newline or line too long");
		diag_warn("all the subsequent rules will be ignored");
		return STEP_ERROR;
	case RULE_MATCH:
		break;
	}
	if (rule->has_problems)
		report_problems(tokens, rule);
	if (list_match(&tokens[rule->daemons], rule->n_daemons, request) &&
	    list_match(&tokens[rule->clients], rule->n_clients, request))
		return STEP_MATCH;
	return STEP_NEXT;
}
