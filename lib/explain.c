/*
 * explain.c - hosts_access_explain(): the decision of hosts_access(), with its reasons.
 *
 * A linear walk over each table's compiled rules (table.h: rules in file order) with the
 * semantics of access.c: hosts.allow, then hosts.deny, first match wins, a matching rule's
 * options may decide, a malformed line stops the scan, an unreadable table denies.  Lists
 * are walked by pattern_list_visit(), the very walk (EXCEPT logic included) of list_match(),
 * with each element matched by pattern_token_match(), the function list_match() uses, and
 * traced: the two cannot disagree (tests/unit/test_explain.c checks it on many generated
 * tables and requests).
 *
 * The library's diagnostics (warnings of malformed lines, "matched:", "option:") are
 * emitted exactly as hosts_access() emits them, so a program may call either one.
 * Lookups are seen, not caused: after each pattern the request's lazily filled fields
 * (host names, addresses, user) are compared with what they held before, and whatever a
 * pattern filled in is reported as a lookup it made.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "diag.h"
#include "explain.h"
#include "options.h"
#include "pattern.h"
#include "str.h"
#include "table.h"

/* Room for one rendered pattern or detail line (longer ones are cut, never overflowed). */
#define EXPLAIN_TEXT_MAX 4096

/* The walk's state: where the trace goes and what has been decided. */
struct walk {
	hosts_trace_fn *trace;
	void *context;
	struct hosts_decision decision;
};

/* emit - one trace event, with a printf-style detail. */
__attribute__((format(printf, 7, 8))) static void emit(struct walk *w, enum hosts_trace_kind kind,
                                                       const char *file, int line, int matched,
                                                       const char *text, const char *format, ...)
{
	char detail[EXPLAIN_TEXT_MAX];
	va_list ap;

	if (w->trace == NULL)
		return;
	va_start(ap, format);
	vsnprintf(detail, sizeof(detail), format, ap);
	va_end(ap);
	struct hosts_trace_event event = {kind, file, line, matched, text, detail};
	w->trace(w->context, &event);
}

/* append - add text to buf[size] at *used, cutting at the end. */
static void append(char *buf, size_t size, size_t *used, const char *text)
{
	size_t len = strlen(text);

	if (*used + 1 >= size)
		return;
	if (len > size - 1 - *used)
		len = size - 1 - *used;
	memcpy(buf + *used, text, len);
	*used += len;
	buf[*used] = '\0';
}

void explain_token_text(const struct wrap_token *token, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	if (token->kind == TOKEN_EXCEPT) {
		append(buf, size, &used, "EXCEPT");
		return;
	}
	if (token->has_name) {
		append(buf, size, &used, token->name.text);
		if (token->has_host)
			append(buf, size, &used, "@");
	}
	if (token->has_host)
		append(buf, size, &used, token->host.text.text);
}

void explain_list_text(const struct wrap_token *tokens, size_t count, char *buf, size_t size)
{
	char one[EXPLAIN_TEXT_MAX];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		explain_token_text(&tokens[i], one, sizeof(one));
		if (i > 0)
			append(buf, size, &used, " ");
		append(buf, size, &used, one);
	}
}

char *explain_rule_text(const struct wrap_table *table, const struct wrap_rule *rule)
{
	size_t size = 16, used = 0;
	char one[EXPLAIN_TEXT_MAX], *text;

	for (size_t i = rule->daemons; i < rule->clients + rule->n_clients; i++) {
		explain_token_text(&table->tokens[i], one, sizeof(one));
		size += strlen(one) + 1;
	}
	if (rule->options != NULL)
		size += strlen(rule->options) + 3;
	if ((text = malloc(size)) == NULL)
		return NULL;
	text[0] = '\0';
	for (size_t i = 0; i < rule->n_daemons; i++) {
		explain_token_text(&table->tokens[rule->daemons + i], one, sizeof(one));
		append(text, size, &used, i > 0 ? " " : "");
		append(text, size, &used, one);
	}
	append(text, size, &used, " :");
	for (size_t i = 0; i < rule->n_clients; i++) {
		explain_token_text(&table->tokens[rule->clients + i], one, sizeof(one));
		append(text, size, &used, " ");
		append(text, size, &used, one);
	}
	if (rule->options != NULL) {
		const char *start = rule->options + strspn(rule->options, " \t\r\n");
		size_t len = strlen(start);

		while (len > 0 && strchr(" \t\r\n", start[len - 1]) != NULL)
			len--;
		append(text, size, &used, " : ");
		if (used + len < size) {
			memcpy(text + used, start, len);
			used += len;
			text[used] = '\0';
		}
	}
	return text;
}

void explain_log_rule(const struct wrap_table *table, const struct wrap_rule *rule)
{
	char *text = explain_rule_text(table, rule);

	/* A new line beside the classic "matched:" one, which stays as it was. */
	diag_log(LOG_DEBUG, "rule:     %s line %d: %s", table->path, rule->line,
	         text != NULL ? text : "(out of memory)");
	free(text);
}

/* The request's lazily filled fields, to see which lookups a pattern made. */
struct snapshot {
	bool client_name, client_addr, server_name, server_addr, user;
};

static struct snapshot take_snapshot(const struct request_info *r)
{
	return (struct snapshot){r->client->name[0] != '\0', r->client->addr[0] != '\0',
	                         r->server->name[0] != '\0', r->server->addr[0] != '\0',
	                         r->user[0] != '\0'};
}

/* report_lookups - one LOOKUP event per field filled since the snapshot. */
static void report_lookups(struct walk *w, const char *file, int line, struct snapshot before,
                           const struct request_info *r)
{
	struct snapshot now = take_snapshot(r);

	if (!before.client_addr && now.client_addr)
		emit(w, HOSTS_TRACE_LOOKUP, file, line, 1, "client address", "%s", r->client->addr);
	if (!before.client_name && now.client_name)
		emit(w, HOSTS_TRACE_LOOKUP, file, line, 1, "client host name", "%s%s",
		     r->client->name,
		     str_is_paranoid(r->client->name) ? " (name and address do not agree)" : "");
	if (!before.server_addr && now.server_addr)
		emit(w, HOSTS_TRACE_LOOKUP, file, line, 1, "server address", "%s", r->server->addr);
	if (!before.server_name && now.server_name)
		emit(w, HOSTS_TRACE_LOOKUP, file, line, 1, "server host name", "%s", r->server->name);
	if (!before.user && now.user)
		emit(w, HOSTS_TRACE_LOOKUP, file, line, 1, "user name (ident)", "%s", r->user);
}

/* known - a field's value for a reason text, without causing a lookup. */
static const char *known(const char *field)
{
	return field[0] != '\0' ? field : "(not looked up)";
}

/* say - snprintf() into a reason buffer; long texts are cut (they are only explanations). */
__attribute__((format(printf, 3, 4))) static void say(char *buf, size_t size, const char *format,
                                                      ...)
{
	va_list ap;

	va_start(ap, format);
	vsnprintf(buf, size, format, ap);
	va_end(ap);
}

/* host_reason - why a host pattern did or did not match an endpoint, from what the match
 * looked up (called after the match, so it reads the filled fields only). */
static void host_reason(const struct host_pattern *p, const struct host_info *h, bool matched,
                        const char *who, char *buf, size_t size)
{
	const char *is = matched ? "" : " not";

	if (p->problem != PROBLEM_NONE) {
		say(buf, size, "the pattern can never match (malformed)");
		return;
	}
	switch (p->kind) {
	case HOST_NET:
		say(buf, size, "%s address %s is%s in the network", who, known(h->addr), is);
		break;
	case HOST_KNOWN:
		say(buf, size, "%s address %s and name %s are%s both known", who, known(h->addr),
		         known(h->name), is);
		break;
	case HOST_LOCAL:
		say(buf, size, "%s host name %s is%s a known name without a dot", who,
		         known(h->name), is);
		break;
	case HOST_NETGROUP:
		say(buf, size, "%s host name %s is%s in netgroup %s", who, known(h->name), is,
		         p->text.text + 1);
		break;
	case HOST_FILE:
		say(buf, size, "%s %s a pattern of the list %s", who,
		         matched ? "matches" : "matches no", p->text.text);
		break;
	case HOST_TEXT:
		if (matched && text_match(&p->text, h->addr))
			say(buf, size, "%s address %s matches", who, h->addr);
		else if (matched)
			say(buf, size, "%s host name %s matches", who, h->name);
		else if (p->address_only)
			say(buf, size, "%s address %s does not match (an address pattern: the "
			         "host name is not compared)", who, known(h->addr));
		else
			say(buf, size, "neither %s address %s nor host name %s matches", who,
			         known(h->addr), known(h->name));
		break;
	}
}

/* token_reason - why one daemon or client pattern did or did not match. */
static void token_reason(const struct wrap_token *t, const struct request_info *r, bool matched,
                         char *buf, size_t size)
{
	char host[EXPLAIN_TEXT_MAX];

	if (t->kind == TOKEN_DAEMON) {
		bool name_ok = t->name.kind == TEXT_PORT ? matched || t->has_host
		                                         : text_match(&t->name, r->daemon);
		if (t->name.kind == TEXT_PORT && !name_ok)
			say(buf, size, "the server port is not %u", t->name.port);
		else if (!name_ok)
			say(buf, size, "daemon %s does not match", r->daemon);
		else if (!t->has_host)
			say(buf, size, "daemon %s matches", r->daemon);
		else {
			host_reason(&t->host, r->server, matched, "server", host, sizeof(host));
			say(buf, size, "daemon %s matches; %s", r->daemon, host);
		}
		return;
	}
	host_reason(&t->host, r->client, matched || t->has_name, "client", host, sizeof(host));
	if (!t->has_name || (!matched && r->user[0] == '\0'))
		say(buf, size, "%s", host);
	else
		say(buf, size, "%s; user %s %s", host, known(r->user),
		    matched ? "matches" : "does not match");
}

/* Where the elements of one list are: what traced_token() needs besides the element. */
struct list_site {
	struct walk *w;
	const char *file;
	int line;
};

/* traced_token - match one element and trace it, with the lookups it made (a
 * pattern_visit_fn for pattern_list_visit()). */
static bool traced_token(void *context, const struct wrap_token *t, struct request_info *r)
{
	const struct list_site *site = context;
	struct walk *w = site->w;
	char text[EXPLAIN_TEXT_MAX], reason[EXPLAIN_TEXT_MAX];
	struct snapshot before = take_snapshot(r);
	bool matched = pattern_token_match(t, r);

	if (w->trace == NULL)
		return matched;
	explain_token_text(t, text, sizeof(text));
	token_reason(t, r, matched, reason, sizeof(reason));
	emit(w, HOSTS_TRACE_PATTERN, site->file, site->line, matched, text, "%s", reason);
	report_lookups(w, site->file, site->line, before, r);
	return matched;
}

/* traced_list - list_match() with each element traced: the walk is list_match()'s own
 * (pattern_list_visit()), only the element decisions pass through traced_token(). */
static bool traced_list(struct walk *w, const char *file, int line, const struct wrap_token *tokens,
                        size_t count, struct request_info *r)
{
	struct list_site site = {w, file, line};

	return pattern_list_visit(tokens, count, r, traced_token, &site);
}

/* report_problems - access.c's warnings for a rule with parts that never match. */
static void report_problems(const struct wrap_table *table, const struct wrap_rule *rule)
{
	if (rule->n_daemons == 0)
		diag_warn("daemon list is empty: the rule never matches");
	if (rule->n_clients == 0)
		diag_warn("client list is empty: the rule never matches");
	for (size_t i = rule->daemons; i < rule->clients + rule->n_clients; i++)
		if (table->tokens[i].has_host)
			pattern_report_problem(&table->tokens[i].host, "");
}

/* The outcome of one table, as in access.c. */
enum scan_result { SCAN_NO_MATCH, SCAN_MATCH, SCAN_ERROR, SCAN_FAILURE };

/* decide - record what decided (the strings are copied; allocation failures leave NULLs). */
static void decide(struct walk *w, int granted, enum hosts_decided_by by, const char *file,
                   int line, const char *rule_text)
{
	w->decision.granted = granted;
	w->decision.decided_by = by;
	w->decision.line = line;
	free(w->decision.file);
	free(w->decision.rule);
	w->decision.file = file != NULL ? strdup(file) : NULL;
	w->decision.rule = rule_text != NULL ? strdup(rule_text) : NULL;
}

/* scan - one table: the first matching rule, its options run; *ret_verdict as access.c. */
static enum scan_result scan(struct walk *w, const char *path, struct request_info *request,
                             enum options_verdict *ret_verdict, char **ret_rule, int *ret_line)
{
	struct diag_context outer = diag_get_context();
	enum scan_result result = SCAN_NO_MATCH;
	struct wrap_table *table;

	*ret_verdict = OPTIONS_NONE;
	*ret_rule = NULL;
	*ret_line = 0;
	if (path == NULL)
		return SCAN_NO_MATCH;
	table = table_load(path);
	if (table == NULL || table->open_errno != 0) {
		diag_set_context(NULL, 0);
		if (table == NULL) {
			diag_error("%s: out of memory while reading the table: access denied", path);
			emit(w, HOSTS_TRACE_TABLE, path, 0, 0, path, "out of memory");
		} else {
			errno = table->open_errno;
			diag_warn("cannot open %s: %m", path);
			emit(w, HOSTS_TRACE_TABLE, path, 0, 0, path, "cannot open: %s",
			     strerror(table->open_errno));
		}
		table_free(table);
		diag_set_context(outer.file, outer.line);
		return SCAN_FAILURE;
	}
	emit(w, HOSTS_TRACE_TABLE, path, 0, 1, path, "%zu rule%s", table->n_rules,
	     table->n_rules == 1 ? "" : "s");
	for (size_t i = 0; i < table->n_rules && result == SCAN_NO_MATCH; i++) {
		const struct wrap_rule *rule = &table->rules[i];

		diag_set_context(table->path, rule->line);
		if (rule->kind == RULE_NO_SEPARATOR) {
			diag_warn("missing \":\" separator");
			emit(w, HOSTS_TRACE_SKIP, path, rule->line, 0, "", "missing \":\" separator: "
			     "the line is skipped");
			continue;
		}
		if (rule->kind == RULE_TRUNCATED) {
			diag_warn("missing newline or line too long");
			diag_warn("all the subsequent rules will be ignored");
			emit(w, HOSTS_TRACE_SKIP, path, rule->line, 0, "", "missing newline or line "
			     "too long: the scan of this table stops here");
			*ret_line = rule->line;
			result = SCAN_ERROR;
			break;
		}
		if (rule->has_problems)
			report_problems(table, rule);
		char *text = w->trace != NULL ? explain_rule_text(table, rule) : NULL;
		bool matched = traced_list(w, path, rule->line, &table->tokens[rule->daemons],
		                           rule->n_daemons, request) &&
		               traced_list(w, path, rule->line, &table->tokens[rule->clients],
		                           rule->n_clients, request);
		emit(w, HOSTS_TRACE_RULE, path, rule->line, matched, text != NULL ? text : "",
		     "%s", matched ? "the rule matches" : "the rule does not match");
		free(text);
		if (!matched)
			continue;
		result = SCAN_MATCH;
		*ret_line = rule->line;
		*ret_rule = explain_rule_text(table, rule);
		if (hosts_access_verbose)
			explain_log_rule(table, rule);
		if (hosts_access_verbose > 1)
			diag_log(LOG_DEBUG, "matched:  %s line %d", table->path, rule->line);
		if (rule->compiled_options != NULL) {
			*ret_verdict = options_apply(rule->compiled_options, request);
			emit(w, HOSTS_TRACE_OPTIONS, path, rule->line, 1, "",
			     "%s", *ret_verdict == OPTIONS_ALLOW      ? "an option grants (allow)"
			           : *ret_verdict == OPTIONS_DENY     ? "an option denies (deny, or an option error)"
			           : *ret_verdict == OPTIONS_NO_MATCH ? "aclexec failed: the rule counts as not matched"
			                                              : "no option decides: the table does");
		}
	}
	table_free(table);
	diag_set_context(outer.file, outer.line);
	return result;
}

int hosts_access_explain(struct request_info *request, hosts_trace_fn *trace, void *context,
                         struct hosts_decision *ret)
{
	struct walk w = {trace, context, {0, HOSTS_BY_ERROR, NULL, 0, NULL}};
	enum options_verdict verdict;
	enum scan_result result;
	char *rule = NULL;
	int line;

	if (request == NULL) {
		diag_error("hosts_access: no request: access denied");
		decide(&w, 0, HOSTS_BY_ERROR, NULL, 0, NULL);
		goto done;
	}
	/* The classic "resident" counter, as hosts_access() keeps it. */
	int seen = __atomic_load_n(&resident, __ATOMIC_RELAXED);
	while (seen <= 0 && !__atomic_compare_exchange_n(&resident, &seen, seen + 1, false,
	                                                  __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;

	result = scan(&w, hosts_allow_table, request, &verdict, &rule, &line);
	if (result == SCAN_FAILURE) {
		decide(&w, 0, HOSTS_BY_ERROR, hosts_allow_table, 0, NULL);
		goto done;
	}
	if (verdict == OPTIONS_DENY || verdict == OPTIONS_ALLOW) {
		decide(&w, verdict == OPTIONS_ALLOW, HOSTS_BY_OPTIONS, hosts_allow_table, line, rule);
		goto done;
	}
	if (result == SCAN_MATCH && verdict == OPTIONS_NONE) {
		decide(&w, 1, HOSTS_BY_RULE, hosts_allow_table, line, rule);
		goto done;
	}
	/* No match, a malformed hosts.allow (classic ERR), or a failed aclexec: go on. */
	free(rule);
	rule = NULL;
	result = scan(&w, hosts_deny_table, request, &verdict, &rule, &line);
	if (verdict == OPTIONS_ALLOW || verdict == OPTIONS_NO_MATCH || verdict == OPTIONS_DENY)
		decide(&w, verdict != OPTIONS_DENY, HOSTS_BY_OPTIONS, hosts_deny_table, line, rule);
	else if (result == SCAN_NO_MATCH)
		decide(&w, 1, HOSTS_BY_DEFAULT, NULL, 0, NULL);
	else if (result == SCAN_MATCH)
		decide(&w, 0, HOSTS_BY_RULE, hosts_deny_table, line, rule);
	else
		decide(&w, 0, HOSTS_BY_ERROR, hosts_deny_table, line, NULL);
done:
	free(rule);
	{
		static const char *const why[] = {
			[HOSTS_BY_DEFAULT] = "no rule matched",
			[HOSTS_BY_RULE] = "the table of the matching rule decides",
			[HOSTS_BY_OPTIONS] = "the options of the matching rule decide",
			[HOSTS_BY_ERROR] = "an error denies",
		};
		emit(&w, HOSTS_TRACE_DECISION, w.decision.file, w.decision.line, w.decision.granted,
		     w.decision.granted ? "granted" : "denied", "%s", why[w.decision.decided_by]);
	}
	if (ret != NULL)
		*ret = w.decision;
	else
		hosts_decision_free(&w.decision);
	return w.decision.granted;
}

void hosts_decision_free(struct hosts_decision *decision)
{
	if (decision == NULL)
		return;
	free(decision->file);
	free(decision->rule);
	decision->file = NULL;
	decision->rule = NULL;
}
