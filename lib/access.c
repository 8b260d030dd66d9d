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
#include <fcntl.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "cache.h"
#include "diag.h"
#include "explain.h"
#include "export.h"
#include "index.h"
#include "options.h"
#include "scan.h"
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

static bool decided_before; /* atomic: some hosts_access() call has been made */

/* table_trouble - a table that cannot be used: say why, and deny (SCAN_FAILURE). */
static enum scan_result table_trouble(const char *path, int error)
{
	diag_set_context(NULL, 0); /* about the file as a whole: no line */
	if (error == ENOMEM) {
		diag_error("%s: out of memory while reading the table: access denied", path);
	} else {
		errno = error;
		diag_warn("cannot open %s: %m", path);
	}
	return SCAN_FAILURE;
}

/* log_match - a rule matched: when asked, log its text (table holds its tokens; NULL when
 * memory ran out) and the classic "matched:" line. */
static void log_match(const char *path, const struct wrap_table *table,
                      const struct wrap_rule *rule)
{
	if (hosts_access_verbose && table != NULL) /* the deciding rule's text (explain.c) */
		explain_log_rule(table, rule);
	if (hosts_access_verbose > 1)
		diag_log(LOG_DEBUG, "matched:  %s line %d", path, rule->line);
}

/* run_options - the matching rule's options, in the rule's file and line context (their
 * errors name it): compiled with the rule when the rule set is kept for many decisions,
 * compiled now when it decides once. */
static void run_options(const char *path, const struct wrap_rule *rule,
                        struct request_info *request, enum options_verdict *ret_verdict)
{
	diag_set_context(path, rule->line);
	if (rule->compiled_options != NULL)
		*ret_verdict = options_apply(rule->compiled_options, request);
	else if (rule->options != NULL)
		*ret_verdict = options_run(rule->options, request);
}

/* rule_at_line - the rule of table that ends on line (rules are in file order). */
static const struct wrap_rule *rule_at_line(const struct wrap_table *table, int line)
{
	size_t low = 0, high = table->n_rules;

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		if (table->rules[mid].line < line)
			low = mid + 1;
		else
			high = mid;
	}
	return low < table->n_rules && table->rules[low].line == line ? &table->rules[low] : NULL;
}

/* scan_once - the one-shot decision: parse the file and reach its rules in order, keeping
 * nothing but the line being looked at.  Runs the matching rule's options. */
static enum scan_result scan_once(const char *path, struct request_info *request,
                                  enum options_verdict *ret_verdict)
{
	struct table_parser parser;
	struct wrap_rule rule;
	enum scan_result result = SCAN_NO_MATCH;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), got;

	if (fd < 0)
		return errno == ENOENT ? SCAN_NO_MATCH : table_trouble(path, errno);
	if (!table_parser_open(&parser, fd)) {
		close(fd);
		return table_trouble(path, ENOMEM);
	}
	got = scan_text(path, &parser, request, &rule);
	int read_errno = got != STEP_MATCH ? parser.read_errno : 0; /* not read to its end */
	if (got == STEP_ERROR)
		result = SCAN_ERROR;
	if (got == STEP_MATCH) {
		/* The parser holds the rule's tokens (scan_text() compiles a quick match when
		 * verbose): a one-rule view of the table for its text. */
		struct wrap_table view = {.path = (char *)path, .tokens = parser.tokens};

		result = SCAN_MATCH;
		log_match(path, &view, &rule);
		run_options(path, &rule, request, ret_verdict);
	}
	table_parser_free(&parser);
	close(fd);
	if (got < 0 || read_errno != 0)
		return table_trouble(path, got < 0 ? ENOMEM : read_errno);
	return result;
}

/* scan_cached - the resident decision: the table's current snapshot, decided through its
 * index.  Runs the matching rule's options while the snapshot is held. */
static enum scan_result scan_cached(const char *path, struct request_info *request,
                                    enum options_verdict *ret_verdict)
{
	struct table_snapshot *snapshot = cache_acquire(path);
	enum scan_result result = SCAN_NO_MATCH;
	struct wrap_rule rule;

	if (snapshot == NULL)
		return table_trouble(path, ENOMEM);
	if (snapshot_open_errno(snapshot) != 0) {
		int saved = snapshot_open_errno(snapshot);
		cache_release(snapshot);
		return table_trouble(path, saved);
	}
	switch (index_decide(snapshot_index(snapshot), request, &rule)) {
	case STEP_NEXT:
		break;
	case STEP_ERROR:
		result = SCAN_ERROR;
		break;
	case STEP_MATCH: {
		/* An indexed rule keeps no tokens: its text comes from the snapshot's full table,
		 * compiled on first need (verbose processes only). */
		const struct wrap_table *table = hosts_access_verbose ? snapshot_table(snapshot) : NULL;
		const struct wrap_rule *text_rule = table != NULL ? rule_at_line(table, rule.line) : NULL;

		result = SCAN_MATCH;
		log_match(path, text_rule != NULL ? table : NULL, text_rule != NULL ? text_rule : &rule);
		run_options(path, &rule, request, ret_verdict);
		break;
	}
	}
	cache_release(snapshot);
	return result;
}

/* decide_table - scan and apply one table.  Returns the scan result, with *ret_verdict set
 * by the matching rule's options (OPTIONS_NONE when they do not decide).  A process's first
 * decision reads the table in one pass and keeps nothing (tcpd, tcpdmatch decide once);
 * later ones use the cache. */
static enum scan_result decide_table(const char *path, struct request_info *request,
                                     bool first_call, enum options_verdict *ret_verdict)
{
	struct diag_context outer = diag_get_context();
	enum scan_result result;

	*ret_verdict = OPTIONS_NONE;
	if (path == NULL)
		return SCAN_NO_MATCH;
	if (first_call)
		result = scan_once(path, request, ret_verdict);
	else
		result = scan_cached(path, request, ret_verdict);
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
	/* The process's first decision reads the tables once and keeps nothing; the flag is
	 * written once, so that later calls only read it. */
	bool first_call = !__atomic_load_n(&decided_before, __ATOMIC_RELAXED) &&
	                  !__atomic_exchange_n(&decided_before, true, __ATOMIC_RELAXED);

	result = decide_table(hosts_allow_table, request, first_call, &verdict);
	if (result == SCAN_FAILURE || verdict == OPTIONS_DENY)
		return 0;
	if (verdict == OPTIONS_ALLOW || (result == SCAN_MATCH && verdict == OPTIONS_NONE))
		return 1;
	/* No match, a malformed hosts.allow (classic ERR), or a failed aclexec: go on. */
	result = decide_table(hosts_deny_table, request, first_call, &verdict);
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
