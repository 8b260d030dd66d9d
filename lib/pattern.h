/*
 * pattern.h - one pattern of a daemon or client list: compiled once, matched many times.
 *
 * A token from a rule ("sshd@192.0.2.1", "alice@.example.com", "10.0.0.0/8") is compiled
 * into a struct wrap_token whose text pointers refer into the caller's buffer, which must
 * outlive it.  Compiling never allocates; matching never allocates and never changes the
 * token.  Matching reads the request through the eval_ functions, so host name and user
 * lookups happen only when a pattern needs them, exactly in the classic order.
 */
#ifndef WRAP_PATTERN_H
#define WRAP_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "export.h"

/* A pattern compared with one string (daemon name, user, host name or address). */
struct text_pattern {
	enum text_kind {
		TEXT_EXACT,      /* case-insensitive equality */
		TEXT_WILDCARD,   /* anchored glob with * and ? */
		TEXT_SUFFIX,     /* ".example.com" */
		TEXT_PREFIX,     /* "192.0.2." or "host." */
		TEXT_ALL,        /* ALL */
		TEXT_KNOWN,      /* KNOWN: anything but "unknown" */
		TEXT_BRACKET,    /* "[2001:db8::1]": an IPv6 address, any spelling */
		TEXT_NEVER,      /* malformed; matches nothing */
		TEXT_PORT,       /* daemon lists only: the server's port number */
	} kind;
	uint16_t port;         /* TEXT_PORT */
	const char *text;      /* the pattern as written */
	size_t len;
	struct in6_addr addr6; /* TEXT_BRACKET */
};

/* A pattern applied to one endpoint (client, or server in "daemon@host"). */
struct host_pattern {
	enum host_kind {
		HOST_TEXT,     /* text pattern on the address, then (maybe) on the name */
		HOST_NET,      /* net/mask, [v6]/len: address only */
		HOST_KNOWN,    /* address and name both known */
		HOST_LOCAL,    /* a known name without a dot */
		HOST_NETGROUP, /* @group */
		HOST_FILE,     /* /path: a file of further host patterns */
	} kind;
	bool address_only; /* HOST_TEXT: never consult the host name */
	enum pattern_problem {
		PROBLEM_NONE,
		PROBLEM_BAD_NETMASK, /* net/mask that is neither IPv4 nor [IPv6]/len */
		PROBLEM_HOST_BITS,   /* IPv4 net/mask whose network has host bits set */
		PROBLEM_BAD_IPV6,    /* "[...]" that is not an IPv6 address */
	} problem; /* a pattern that can never match, reported when its rule is reached */
	struct text_pattern text;
	struct net_pattern net;
};

/* One list element: a daemon pattern, a client pattern, or the EXCEPT operator. */
struct wrap_token {
	enum token_kind { TOKEN_EXCEPT, TOKEN_DAEMON, TOKEN_CLIENT } kind;
	bool has_name; /* daemon: always; client: "user@host" */
	bool has_host; /* client: always; daemon: "daemon@host" */
	struct text_pattern name; /* daemon name or port, or user */
	struct host_pattern host; /* client host, or server host */
};

/* pattern_compile_token - compile one token of a daemon list (TOKEN_DAEMON) or a client list
 * (TOKEN_CLIENT), in place: the token text may be split with NULs.  "EXCEPT" in any case
 * gives TOKEN_EXCEPT. */
void pattern_compile_token(char *token, enum token_kind list, struct wrap_token *ret);

/* pattern_compile_host - compile a bare host pattern (also used for /file list entries). */
void pattern_compile_host(char *text, struct host_pattern *ret);

/* pattern_report_problem - log why a host pattern can never match (nothing if it can);
 * where is "" or the "LIST, line N: " of a /file list entry. */
void pattern_report_problem(const struct host_pattern *pattern, const char *where);

/* list_match - classic list semantics: first match wins, EXCEPT nests to the right. */
bool list_match(const struct wrap_token *tokens, size_t count, struct request_info *request);

/* pattern_token_match - one list element (not EXCEPT) against the request, as list_match()
 * tries it. */
bool pattern_token_match(const struct wrap_token *token, struct request_info *request);

/* pattern_visit_fn - decide one list element (not EXCEPT) for pattern_list_visit(); it must
 * answer as pattern_token_match() does. */
typedef bool (*pattern_visit_fn)(void *context, const struct wrap_token *token,
                                 struct request_info *request);

/* pattern_list_visit - list_match()'s walk (the same code), each element decided by
 * visit(context, ...): lib/explain.c traces every element it tries this way. */
bool pattern_list_visit(const struct wrap_token *tokens, size_t count,
                        struct request_info *request, pattern_visit_fn visit, void *context);

/* host_match - one host pattern against an endpoint. */
bool host_match(const struct host_pattern *pattern, struct host_info *host);

/* text_match - one text pattern against a string (IPv4-mapped addresses read as IPv4). */
bool text_match(const struct text_pattern *pattern, const char *subject);

/* split_outside_brackets - classic split_at(): cut at the first `delimiter` outside [...]. */
char *split_outside_brackets(char *string, int delimiter);

#endif
