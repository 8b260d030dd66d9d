/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * answer.c - tcpdmatch --json and --batch (see answer.h).
 *
 * Every request goes the same way in both modes: parse "daemon[@server] [user@]client", set
 * up the request as the classic report does (a numeric client is an address whose name is
 * looked up only if a rule needs it; "unknown" and "paranoid" are names; a host name must
 * resolve to exactly one address, since an answer is one decision), decide with
 * hosts_access(), and print what the diagnostics said.  The lookups listed are the request's
 * fields (client and server host names and addresses) that the decision itself filled in.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "answer.h"
#include "diag.h"
#include "export.h"
#include "fakelog.h"
#include "json.h"
#include "str.h"

/* A growable list of strings (options, warnings). */
struct string_list {
	char **items;
	size_t count, capacity;
	bool failed; /* memory ran out: the answer is an error */
};

/* What the library said while deciding one request. */
struct heard {
	char *file;      /* "matched:  FILE line N" */
	int line;
	char *rule;      /* "rule:     FILE line N: TEXT" (the whole message; cut later) */
	struct string_list options;
	struct string_list warnings;
	bool failed;
};

/* The request being decided (the fakelog capture has no context argument). */
static struct heard *listening;

/* list_add - append a copy of text; remembers a failure instead of failing. */
static void list_add(struct string_list *list, const char *text)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 4;
		char **grown = reallocarray(list->items, capacity, sizeof(*grown));

		if (grown == NULL) {
			list->failed = true;
			return;
		}
		list->items = grown;
		list->capacity = capacity;
	}
	if ((list->items[list->count] = strdup(text)) == NULL)
		list->failed = true;
	else
		list->count++;
}

static void list_clear(struct string_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	list->count = 0;
	list->failed = false;
}

static void list_free(struct string_list *list)
{
	list_clear(list);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* parse_matched - "FILE line N" (the file may hold blanks: the number is at the end). */
static void parse_matched(struct heard *h, const char *text)
{
	const char *mark = NULL;
	char *end;
	long line;

	for (const char *p = strstr(text, " line "); p != NULL; p = strstr(p + 1, " line "))
		mark = p;
	if (mark == NULL)
		return;
	errno = 0;
	line = strtol(mark + 6, &end, 10);
	if (errno != 0 || *end != '\0' || line <= 0 || line > 1000000000L)
		return;
	free(h->file);
	if ((h->file = strndup(text, (size_t)(mark - text))) == NULL)
		h->failed = true;
	h->line = (int)line;
}

/* capture - one library message, sorted by its prefix. */
static void capture(const char *text)
{
	struct heard *h = listening;

	if (h == NULL)
		return;
	if (strncmp(text, "matched:  ", 10) == 0) {
		parse_matched(h, text + 10);
	} else if (strncmp(text, "option:   ", 10) == 0) {
		size_t len = strlen(text + 10);
		char *copy;

		while (len > 0 && text[10 + len - 1] == ' ')
			len--;
		if ((copy = strndup(text + 10, len)) == NULL) {
			h->failed = true;
			return;
		}
		list_add(&h->options, copy);
		free(copy);
	} else if (strncmp(text, "rule:     ", 10) == 0) {
		free(h->rule);
		if ((h->rule = strdup(text + 10)) == NULL)
			h->failed = true;
	} else {
		list_add(&h->warnings, text);
	}
}

static void heard_clear(struct heard *h)
{
	free(h->file);
	free(h->rule);
	h->file = h->rule = NULL;
	h->line = 0;
	h->failed = false;
	list_clear(&h->options);
	list_clear(&h->warnings);
}

/* rule_text - the rule of a "rule:" message, once its "FILE line N: " prefix is known. */
static const char *rule_text(const struct heard *h)
{
	char prefix[64];
	size_t flen;
	int n;

	if (h->rule == NULL || h->file == NULL)
		return NULL;
	flen = strlen(h->file);
	n = snprintf(prefix, sizeof(prefix), " line %d: ", h->line);
	if (strncmp(h->rule, h->file, flen) != 0 || strncmp(h->rule + flen, prefix, (size_t)n) != 0)
		return NULL;
	return h->rule + flen + (size_t)n;
}

/* The parts of one request line. */
struct request_text {
	char *daemon, *server, *user, *client;
};

/* split_request - "daemon[@server] [user@]client" (blank separated, exactly two words),
 * cut in place.  NULL, or why the line is not a request. */
static const char *split_request(char *line, struct request_text *ret)
{
	static const char blanks[] = " \t\r\n";
	char *save = NULL, *first, *second, *at;

	first = strtok_r(line, blanks, &save);
	second = first != NULL ? strtok_r(NULL, blanks, &save) : NULL;
	if (first == NULL || second == NULL || strtok_r(NULL, blanks, &save) != NULL)
		return "expected \"daemon[@server] [user@]client\"";
	ret->daemon = first;
	ret->server = unknown;
	if ((at = strchr(first, '@')) != NULL) {
		*at = '\0';
		ret->server = at + 1;
	}
	ret->user = unknown;
	ret->client = second;
	if ((at = strchr(second, '@')) != NULL) {
		*at = '\0';
		ret->user = second;
		ret->client = at + 1;
	}
	if (ret->daemon[0] == '\0' || ret->client[0] == '\0' || ret->server[0] == '\0')
		return "empty daemon, server or client";
	if (ret->daemon[0] == '/') { /* as tcpd names it, and as the classic report warns */
		const char *base = strrchr(ret->daemon, '/') + 1;

		diag_warn("%s: daemon name normalized to: %s", ret->daemon, base);
		ret->daemon = (char *)base;
	}
	return NULL;
}

static bool is_placeholder(const char *host)
{
	return str_is_unknown(host) || str_is_paranoid(host);
}

/* set_endpoint - a host given by text: a placeholder is a name, a numeric address is an
 * address (the client's name is looked up only when a rule needs it, the server's at once,
 * as the classic report does), a host name must resolve to exactly one address, which is
 * then looked up as the classic report does.  NULL, or the error. */
static const char *set_endpoint(struct request_info *request, bool client, const char *host,
                                struct sockaddr_storage *storage)
{
	struct host_info *h = client ? request->client : request->server;
	struct addrinfo hints, *res = NULL;
	int found = 0;

	if (is_placeholder(host)) {
		request_set(request, client ? RQ_CLIENT_NAME : RQ_SERVER_NAME, host, 0);
		return NULL;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(host, NULL, &hints, &res) == 0) {
		if (client) { /* the library works from the text, as for tcpd's peer */
			freeaddrinfo(res);
			request_set(request, RQ_CLIENT_ADDR, host, 0);
			return NULL;
		}
	} else {
		hints.ai_flags = 0;
		if (getaddrinfo(host, NULL, &hints, &res) != 0)
			return "host not found";
	}
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (found++ == 0) {
			memset(storage, 0, sizeof(*storage));
			memcpy(storage, ai->ai_addr, ai->ai_addrlen);
		}
	}
	freeaddrinfo(res);
	if (found != 1)
		return found == 0 ? "no internet address" :
		                    "host has more than one address: give an address instead";
	h->sin = (struct sockaddr *)storage;
	h->name[0] = h->addr[0] = '\0';
	(void)eval_hostname(h); /* looked up before the decision, as in the classic report */
	return NULL;
}

/* A snapshot of the request's lookup fields, to see which the decision filled. */
struct fields {
	bool filled[4];
};

static char *field(struct request_info *r, int i)
{
	switch (i) {
	case 0: return r->client->name;
	case 1: return r->client->addr;
	case 2: return r->server->name;
	default: return r->server->addr;
	}
}

static const char *const field_names[4] = {"client host name", "client address",
                                           "server host name", "server address"};

static void take_fields(struct request_info *r, struct fields *ret)
{
	for (int i = 0; i < 4; i++)
		ret->filled[i] = field(r, i)[0] != '\0';
}

/* print_list - "key": [strings]. */
static void print_list(const char *key, const struct string_list *list)
{
	printf(", \"%s\": [", key);
	for (size_t i = 0; i < list->count; i++) {
		if (i > 0)
			fputs(", ", stdout);
		json_string(stdout, list->items[i]);
	}
	putchar(']');
}

static void print_error(const char *line, const char *error)
{
	putchar('{');
	json_member(stdout, 1, "request", line);
	json_member(stdout, 0, "error", error);
	fputs("}\n", stdout);
}

/* answer_one - decide one request line and print its answer.  Returns 0 granted, 1 denied
 * or delegated, 2 on an error. */
static int answer_one(const char *line, struct heard *h)
{
	char *copy = strdup(line); /* split in place; a line may be any length */
	struct request_text rt;
	struct request_info request;
	struct sockaddr_storage server_storage, client_storage;
	struct fields before, after;
	const char *error;
	const char *verdict;
	int granted;

	heard_clear(h);
	if (copy == NULL) {
		print_error(line, "out of memory");
		return 2;
	}
	listening = h;
	if ((error = split_request(copy, &rt)) != NULL) {
		listening = NULL;
		free(copy);
		print_error(line, error);
		return 2;
	}
	request_init(&request, RQ_DAEMON, rt.daemon, RQ_USER, rt.user, RQ_FILE, -1, 0);
	sock_methods(&request);
	if ((error = set_endpoint(&request, false, rt.server, &server_storage)) != NULL ||
	    (error = set_endpoint(&request, true, rt.client, &client_storage)) != NULL) {
		listening = NULL;
		free(copy);
		print_error(line, error);
		return 2;
	}
	take_fields(&request, &before);
	/* What tcpd starts with, whatever an earlier request's options changed. */
	rfc931_timeout = 10;
	allow_severity = LOG_INFO;
	deny_severity = LOG_WARNING;
	dry_run = 1;
	granted = hosts_access(&request);
	verdict = dry_run == 0 ? "delegated" : granted ? "granted" : "denied";
	dry_run = 1;
	listening = NULL;
	take_fields(&request, &after);
	if (h->failed || h->options.failed || h->warnings.failed) {
		free(copy);
		print_error(line, "out of memory");
		return 2;
	}

	putchar('{');
	json_member(stdout, 1, "request", line);
	json_member(stdout, 0, "daemon", request.daemon);
	json_member(stdout, 0, "server", rt.server);
	json_member(stdout, 0, "user", request.user);
	json_member(stdout, 0, "client", rt.client);
	json_member(stdout, 0, "verdict", verdict);
	json_member(stdout, 0, "file", h->file);
	printf(", \"line\": %d", h->line);
	json_member(stdout, 0, "rule", rule_text(h));
	print_list("options", &h->options);
	fputs(", \"lookups\": [", stdout);
	for (int i = 0, n = 0; i < 4; i++) {
		if (before.filled[i] || !after.filled[i])
			continue;
		fputs(n++ > 0 ? ", {" : "{", stdout);
		json_member(stdout, 1, "what", field_names[i]);
		json_member(stdout, 0, "result", field(&request, i));
		putchar('}');
	}
	putchar(']');
	print_list("warnings", &h->warnings);
	fputs("}\n", stdout);
	free(copy);
	return verdict[0] == 'g' ? 0 : 1;
}

/* batch - one answer per line of standard input. */
static int batch(struct heard *h)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t got;
	int status = 0;

	while ((got = getline(&line, &size, stdin)) >= 0) {
		if (got > 0 && line[got - 1] == '\n')
			line[--got] = '\0';
		if (got == 0 || line[strspn(line, " \t\r")] == '\0' || line[0] == '#')
			continue; /* blank lines and comments: nothing to answer */
		if (strlen(line) != (size_t)got) {
			print_error("", "NUL byte in request line");
			status = 2;
			continue;
		}
		if (answer_one(line, h) == 2)
			status = 2;
	}
	free(line);
	if (ferror(stdin)) {
		fprintf(stderr, "tcpdmatch: reading standard input: %s\n", strerror(errno));
		status = 2;
	}
	return status;
}

bool answer_wanted(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "--batch") == 0)
			return true;
	return false;
}

static int answer_usage(const char *program)
{
	fprintf(stderr, "usage: %s [-d] --json daemon[@host] [user@]host\n"
	                "       %s [-d] --batch < requests\n", program, program);
	return 1;
}

int answer_main(int argc, char **argv)
{
	struct heard heard;
	bool json = false, want_batch = false;
	const char *operands[2];
	int n_operands = 0, status;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--batch") == 0) {
			want_batch = true;
		} else if (strcmp(argv[i], "-d") == 0) {
			hosts_allow_table = "hosts.allow";
			hosts_deny_table = "hosts.deny";
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return answer_usage(argv[0]);
		} else if (n_operands < 2) {
			operands[n_operands++] = argv[i];
		} else {
			return answer_usage(argv[0]);
		}
	}
	if (want_batch ? n_operands != 0 : (!json || n_operands != 2))
		return answer_usage(argv[0]);

	memset(&heard, 0, sizeof(heard));
	fakelog_capture = capture;
	hosts_access_verbose = 2; /* "matched:" and "option:" lines */
	if (want_batch) {
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
		status = batch(&heard);
	} else {
		size_t len = strlen(operands[0]) + strlen(operands[1]) + 2;
		char *line = malloc(len);

		if (line == NULL) {
			fputs("tcpdmatch: out of memory\n", stderr);
			return 2;
		}
		snprintf(line, len, "%s %s", operands[0], operands[1]);
		status = answer_one(line, &heard);
		free(line);
	}
	heard_clear(&heard);
	list_free(&heard.options);
	list_free(&heard.warnings);
	if (fflush(stdout) != 0)
		status = 2;
	return status;
}
