/*
 * <tcpwrappers/explain.h> - why did libwrap grant or deny a request?
 *
 * An addition to the classic API of <tcpd.h> (which is unchanged): hosts_access_explain()
 * takes the same decision as hosts_access(), with the same side effects (lookups, options),
 * and also says which table, line and rule decided, optionally reporting every step through
 * a trace callback: each rule consulted, each pattern tried and why it did or did not match,
 * each lookup the decision needed and what it returned.
 *
 * The names live in the symbol version TCPWRAPPERS_EXPLAIN_1 of libwrap.so.0, so a program
 * that uses them fails to start, with a clear message, on a classic libwrap that lacks them.
 * Include <tcpd.h> first, or let this header include it.
 */
#ifndef TCPWRAPPERS_EXPLAIN_H
#define TCPWRAPPERS_EXPLAIN_H

#include <tcpd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What one trace event is about. */
enum hosts_trace_kind {
	HOSTS_TRACE_TABLE,    /* a table is read: detail says "no such file", "cannot open: ..." */
	HOSTS_TRACE_SKIP,     /* a line the scan passes over or stops at: detail says why */
	HOSTS_TRACE_RULE,     /* a rule was consulted: text is the rule, matched the outcome */
	HOSTS_TRACE_PATTERN,  /* one pattern of that rule: text is the pattern, detail why */
	HOSTS_TRACE_LOOKUP,   /* a lookup made for the pattern before: text what, detail result */
	HOSTS_TRACE_OPTIONS,  /* the matching rule's options ran: detail is their outcome */
	HOSTS_TRACE_DECISION, /* the last event: text "granted" or "denied", detail why */
};

struct hosts_trace_event {
	enum hosts_trace_kind kind;
	const char *file; /* the table, or NULL */
	int line;         /* the line in it, or 0 */
	int matched;      /* RULE and PATTERN: 1 if it matched, else 0 */
	const char *text;
	const char *detail; /* never NULL (may be "") */
};

/* A trace callback; the event and its strings are valid during the call only. */
typedef void hosts_trace_fn(void *context, const struct hosts_trace_event *event);

/* What decided. */
enum hosts_decided_by {
	HOSTS_BY_DEFAULT, /* no rule matched: granted */
	HOSTS_BY_RULE,    /* a rule matched and the table decided (allow grants, deny denies) */
	HOSTS_BY_OPTIONS, /* the matching rule's options decided (allow, deny, an option error,
	                     a failing aclexec) */
	HOSTS_BY_ERROR,   /* a table that cannot be read, a malformed line, no memory: denied */
};

struct hosts_decision {
	int granted;                     /* what hosts_access() returns: 1 granted, 0 denied */
	enum hosts_decided_by decided_by;
	char *file;                      /* the deciding table, or NULL (default) */
	int line;                        /* the deciding line, or 0 */
	char *rule;                      /* the deciding rule, tokens joined by single blanks:
	                                    "sshd : 192.0.2.1 : allow"; NULL if none */
};

/* hosts_access_explain - decide the request exactly as hosts_access() would, fill *ret
 * (which hosts_decision_free() releases) and call trace (if not NULL) for every step.
 * Returns ret->granted.  ret may be NULL when only the trace is wanted. */
int hosts_access_explain(struct request_info *request, hosts_trace_fn *trace, void *context,
                         struct hosts_decision *ret);

/* hosts_decision_free - release the strings of a decision; the struct itself is the
 * caller's.  Safe on a zeroed or already released decision. */
void hosts_decision_free(struct hosts_decision *decision);

#ifdef __cplusplus
}
#endif

#endif
