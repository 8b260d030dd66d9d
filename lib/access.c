/*
 * access.c - hosts_access() and hosts_ctl(): scan hosts.allow, then hosts.deny.
 *
 * The classic rules: the first matching rule of hosts.allow grants, otherwise the first
 * matching rule of hosts.deny refuses, otherwise access is granted.  A missing table is
 * empty.  A rule's options run when it matches and may decide instead (allow, deny), and an
 * option error denies.  A table that stops with a malformed line ("missing newline or line
 * too long") is classic ERR: in hosts.allow the scan goes on with hosts.deny, in hosts.deny
 * it denies.  Beyond the classic library, a table that exists but cannot be read, and any
 * internal failure, deny at once (fail closed; docs/COMPATIBILITY.md).
 */
#include <errno.h>
#include <syslog.h>

#include "diag.h"
#include "export.h"
#include "options.h"
#include "pattern.h"
#include "table.h"

/* The outcome of scanning one table. */
enum scan_result {
	SCAN_NO_MATCH,
	SCAN_MATCH,   /* a rule matched (its options may still decide) */
	SCAN_ERROR,   /* the table is malformed at the point reached: classic "ERR" */
	SCAN_FAILURE, /* the table could not be read, or memory ran out: deny */
};

char *hosts_allow_table = "/etc/hosts.allow";
char *hosts_deny_table = "/etc/hosts.deny";
int hosts_access_verbose = 0;
int resident = -1;

/* report_problems - warn about each part of the rule that can never match. */
static void report_problems(const struct wrap_table *table, const struct wrap_rule *rule)
{
	size_t end = rule->clients + rule->n_clients;

	if (rule->n_daemons == 0)
		diag_warn("daemon list is empty: the rule never matches");
	if (rule->n_clients == 0)
		diag_warn("client list is empty: the rule never matches");
	for (size_t i = rule->daemons; i < end; i++)
		if (table->tokens[i].has_host)
			pattern_report_problem(&table->tokens[i].host, "");
}

/* scan_table - find the first rule of the table that matches the request. */
static enum scan_result scan_table(const struct wrap_table *table, struct request_info *request,
                                   const struct wrap_rule **ret_rule)
{
	for (size_t i = 0; i < table->n_rules; i++) {
		const struct wrap_rule *rule = &table->rules[i];

		diag_set_context(table->path, rule->line);
		switch (rule->kind) {
		case RULE_NO_SEPARATOR:
			diag_warn("missing \":\" separator");
			continue;
		case RULE_TRUNCATED:
			diag_warn("missing newline or line too long");
			diag_warn("all the subsequent rules will be ignored");
			return SCAN_ERROR;
		case RULE_MATCH:
			if (rule->has_problems)
				report_problems(table, rule);
			if (list_match(&table->tokens[rule->daemons], rule->n_daemons, request) &&
			    list_match(&table->tokens[rule->clients], rule->n_clients, request)) {
				*ret_rule = rule;
				return SCAN_MATCH;
			}
			continue;
		}
	}
	return SCAN_NO_MATCH;
}

/* decide_table - load, scan and apply one table.  Returns the scan result, with *ret_verdict
 * set by the matching rule's options (OPTIONS_NONE when they do not decide). */
static enum scan_result decide_table(const char *path, struct request_info *request,
                                     enum options_verdict *ret_verdict)
{
	struct diag_context outer = diag_get_context();
	const struct wrap_rule *rule = NULL;
	enum scan_result result;
	struct wrap_table *table;

	*ret_verdict = OPTIONS_NONE;
	if (path == NULL)
		return SCAN_NO_MATCH;
	table = table_load(path);
	if (table == NULL || table->open_errno != 0) {
		diag_set_context(NULL, 0); /* about the file as a whole: no line */
		if (table == NULL) {
			diag_error("%s: out of memory while reading the table: access denied", path);
		} else {
			errno = table->open_errno;
			diag_warn("cannot open %s: %m", path);
		}
		table_free(table);
		diag_set_context(outer.file, outer.line);
		return SCAN_FAILURE;
	}
	result = scan_table(table, request, &rule);
	if (result == SCAN_MATCH) {
		if (hosts_access_verbose > 1)
			diag_log(LOG_DEBUG, "matched:  %s line %d", table->path, rule->line);
		if (rule->compiled_options != NULL)
			*ret_verdict = options_apply(rule->compiled_options, request);
	}
	table_free(table);
	diag_set_context(outer.file, outer.line);
	return result;
}

int hosts_access(struct request_info *request)
{
	enum options_verdict verdict;
	enum scan_result result;

	if (request == NULL) {
		diag_error("hosts_access: no request: access denied");
		return 0;
	}
	/* The classic "resident" counter, kept race-free for concurrent callers. */
	int seen = __atomic_load_n(&resident, __ATOMIC_RELAXED);
	while (seen <= 0 && !__atomic_compare_exchange_n(&resident, &seen, seen + 1, false,
	                                                  __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;

	result = decide_table(hosts_allow_table, request, &verdict);
	if (result == SCAN_FAILURE || verdict == OPTIONS_DENY)
		return 0;
	if (verdict == OPTIONS_ALLOW || (result == SCAN_MATCH && verdict == OPTIONS_NONE))
		return 1;
	/* No match, a malformed hosts.allow (classic ERR), or a failed aclexec: go on. */
	result = decide_table(hosts_deny_table, request, &verdict);
	if (verdict == OPTIONS_ALLOW || verdict == OPTIONS_NO_MATCH)
		return 1;
	return verdict != OPTIONS_DENY && result == SCAN_NO_MATCH;
}

int hosts_ctl(char *daemon, char *client_name, char *client_addr, char *client_user)
{
	struct request_info request;

	request_init(&request, RQ_DAEMON, daemon, RQ_CLIENT_NAME, client_name, RQ_CLIENT_ADDR,
	             client_addr, RQ_USER, client_user, 0);
	return hosts_access(&request);
}
