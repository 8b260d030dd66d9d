/*
 * options.h - the options language of hosts_options(5): the third field of a rule.
 *
 * "spawn cmd : severity auth.notice : allow" is split into fields at unescaped ':' and run in
 * order, with side effects, when the rule matches.  Errors are logged with the rule's file
 * and line and deny.
 */
#ifndef WRAP_OPTIONS_H
#define WRAP_OPTIONS_H

#include <stdbool.h>

#include "export.h"

enum options_verdict {
	OPTIONS_NONE,     /* no option decided: the table decides */
	OPTIONS_ALLOW,    /* "allow" */
	OPTIONS_DENY,     /* "deny", or an option error */
	OPTIONS_NO_MATCH, /* a failing "aclexec": the rule counts as not matched */
};

/* A rule's options, compiled once with the rule: fields cut, names looked up, values present
 * or absent as required, allow/deny/twist last.  What is wrong is kept, not reported: the
 * classic library reports option errors (with file and line) only when the rule matches,
 * and only when the scan of its fields reaches the faulty one. */
struct wrap_options;

/* options_in_host_process - set (once, before any decision) by the preload guard
 * (lib/preload/preload.c), whose decisions run inside a daemon serving many connections:
 * the options that would change that whole process (user, group, umask, setenv, nice) are
 * then errors, which deny.  twist is refused there already, as in any resident process. */
extern bool options_in_host_process;

/* options_compile - compile option text (the part after the rule's second ':').  Returns
 * NULL only when memory runs out. */
struct wrap_options *options_compile(const char *text);

/* options_apply - run compiled options for a matching rule, in order: report the first
 * error reached (and deny), %-expand values, run each option. */
enum options_verdict options_apply(const struct wrap_options *compiled,
                                   struct request_info *request);

/* options_free - release compiled options; NULL is fine. */
void options_free(struct wrap_options *compiled);

/* options_run - compile, apply and free: option text run once (process_options()). */
enum options_verdict options_run(const char *text, struct request_info *request);

#endif
