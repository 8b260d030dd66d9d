/*
 * scan.c - one step of the classic first-match scan (see scan.h).
 */
#include <string.h>

#include "diag.h"
#include "scan.h"
#include "str.h"

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

/* Byte classes for the quick lines; 0 for every other byte, which no quick token holds. */
enum {
	C_SEP = 1,    /* a list separator of table.c: ", \t\r\n" */
	C_LETTER = 2,
	C_DIGIT = 4,
	C_DOT = 8,
	C_NAME = 16,  /* '_' and '-': allowed inside a plain daemon name */
	C_COLON = 32,
};

static const unsigned char byte_class[256] = {
	[','] = C_SEP, [' '] = C_SEP, ['\t'] = C_SEP, ['\r'] = C_SEP, ['\n'] = C_SEP,
	['a' ... 'z'] = C_LETTER, ['A' ... 'Z'] = C_LETTER, ['0' ... '9'] = C_DIGIT,
	['.'] = C_DOT, ['_'] = C_NAME, ['-'] = C_NAME, [':'] = C_COLON,
};

void scan_quick_init(struct quick_subject *q, const struct request_info *request)
{
	const char *daemon = addr_unmap(request->daemon);

	q->daemon_len = strnlen(daemon, sizeof(q->daemon) - 1);
	for (size_t i = 0; i < q->daemon_len; i++)
		q->daemon[i] = (char)ascii_lower((unsigned char)daemon[i]);
	q->daemon[q->daemon_len] = '\0';
	q->addr = NULL;
	q->addr_len = 0;
}

/* is_word - [p, p+len) is the upper-case word, in any case. */
static bool is_word(const char *p, size_t len, const char *word)
{
	return len == strlen(word) && str_nieq(p, word, len);
}

/* The client address, read when the scan first compares with it, as a token would. */
static void need_addr(struct quick_subject *q, struct request_info *request)
{
	if (q->addr == NULL) {
		q->addr = addr_unmap(eval_hostaddr(request->client));
		q->addr_len = strlen(q->addr);
	}
}

enum quick_step scan_quick(struct quick_subject *q, const char *line, size_t len,
                           struct request_info *request)
{
	/* The line ends with "\n\0": every loop below stops at the '\n' or the NUL. */
	const unsigned char *p = (const unsigned char *)line, *end = p + len;
	bool daemon_matched = false, client_matched = false;
	size_t daemons = 0, clients = 0;

	if (len == 0 || line[len - 1] != '\n' || line[len] != '\0' || line[0] == '#')
		return QUICK_OTHER;
	/* The daemon list: plain names and ALL. */
	for (;;) {
		while (byte_class[*p] == C_SEP)
			p++;
		if (p == end)
			return QUICK_OTHER; /* no ':' */
		if (*p == ':')
			break;
		const unsigned char *start = p;
		while (byte_class[*p] & (C_LETTER | C_DIGIT | C_DOT | C_NAME))
			p++;
		if ((byte_class[*p] & (C_SEP | C_COLON)) == 0)
			return QUICK_OTHER; /* a byte no plain name holds */
		size_t n = (size_t)(p - start);
		daemons++;
		if (is_word((const char *)start, n, "ALL")) {
			daemon_matched = true;
			continue;
		}
		if (byte_class[*start] != C_LETTER || start[n - 1] == '.' ||
		    is_word((const char *)start, n, "KNOWN") || is_word((const char *)start, n, "EXCEPT"))
			return QUICK_OTHER;
		if (!daemon_matched && n == q->daemon_len) {
			size_t i = 0;
			while (i < n && ascii_lower(start[i]) == (unsigned char)q->daemon[i])
				i++;
			daemon_matched = i == n;
		}
	}
	p++; /* the ':' */
	/* The client list: numeric addresses and ALL, compared only if the daemon matched. */
	for (;;) {
		while (byte_class[*p] == C_SEP)
			p++;
		if (p == end)
			break;
		const unsigned char *start = p;
		while (byte_class[*p] & (C_DIGIT | C_DOT))
			p++;
		bool numeric = byte_class[*p] == C_SEP;
		while (byte_class[*p] != C_SEP)
			p++;
		size_t n = (size_t)(p - start);
		clients++;
		if (!numeric && is_word((const char *)start, n, "ALL")) {
			if (daemon_matched && !client_matched) {
				need_addr(q, request);
				client_matched = true;
			}
			continue;
		}
		if (!numeric || *start == '.' || start[n - 1] == '.')
			return QUICK_OTHER; /* options (a second ':'), names, keywords, ... */
		if (daemon_matched && !client_matched) {
			need_addr(q, request);
			client_matched = n == q->addr_len && memcmp(start, q->addr, n) == 0;
		}
	}
	if (daemons == 0 || clients == 0)
		return QUICK_OTHER; /* an empty list is reported when reached */
	return daemon_matched && client_matched ? QUICK_MATCH : QUICK_NO;
}

int scan_text(const char *path, struct table_parser *parser, struct request_info *request,
              struct wrap_rule *ret_rule)
{
	struct quick_subject quick;
	char *line;
	long len;

	scan_quick_init(&quick, request);
	while ((len = table_parser_line(parser, &line)) >= 0) {
		switch (scan_quick(&quick, line, (size_t)len, request)) {
		case QUICK_NO:
			continue;
		case QUICK_MATCH:
			/* A verbose decision logs the rule's text, which needs its tokens. */
			if (hosts_access_verbose) {
				if (table_parser_compile(parser, line, (size_t)len, ret_rule) < 0)
					return -1;
			} else {
				memset(ret_rule, 0, sizeof(*ret_rule));
				ret_rule->kind = RULE_MATCH;
				ret_rule->line = parser->line;
			}
			diag_set_context(path, ret_rule->line);
			return STEP_MATCH;
		case QUICK_OTHER:
			break;
		}
		int got = table_parser_compile(parser, line, (size_t)len, ret_rule);
		if (got < 0)
			return -1;
		if (got == 0)
			continue;
		enum scan_step step = scan_rule(path, parser->tokens, ret_rule, request);
		if (step != STEP_NEXT)
			return (int)step;
		table_parser_forget(parser);
	}
	return STEP_NEXT;
}
