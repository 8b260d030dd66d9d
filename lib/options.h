/*
 * options.h - the options language of hosts_options(5): the third field of a rule.
 *
 * "spawn cmd : severity auth.notice : allow" is split into fields at unescaped ':' and run in
 * order, with side effects, when the rule matches.  Errors are logged with the rule's file
 * and line and deny.
 */
#ifndef WRAP_OPTIONS_H
#define WRAP_OPTIONS_H

#include "export.h"

enum options_verdict {
	OPTIONS_NONE,     /* no option decided: the table decides */
	OPTIONS_ALLOW,    /* "allow" */
	OPTIONS_DENY,     /* "deny", or an option error */
	OPTIONS_NO_MATCH, /* a failing "aclexec": the rule counts as not matched */
};

/* options_run - run the option text of a matching rule. */
enum options_verdict options_run(const char *text, struct request_info *request);

#endif
