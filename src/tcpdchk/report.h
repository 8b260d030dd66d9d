/*
 * report.h - tcpdchk's findings: "FILE:LINE: SEVERITY: message", or one JSON document.
 *
 * Every problem goes through report(): the program's own checks call it directly, and the
 * library's diagnostics (inetd.conf checks, DNS name verification, option errors, which the
 * library sends to syslog()) arrive through src/common/logsink.c, which hands each line to
 * this module: "warning: FILE, line N: text" becomes a finding with that file and line.  In
 * text mode each finding is printed at once on stdout (in order with tcpdchk -v's rule
 * listing); with --json they are kept and printed as one document at the end (report_json()).
 */
#ifndef TCPDCHK_REPORT_H
#define TCPDCHK_REPORT_H

#include <stdbool.h>
#include <stdio.h>

enum severity { SEV_WARNING, SEV_ERROR };

/* report_init - text (false) or JSON (true) output; verbose shows the library's "option:"
 * lines in text mode, as the classic tcpdchk -v did. */
void report_init(bool json, bool verbose);

/* report_set_check - the check id given to library diagnostics from now on ("inetd",
 * "dns", "options", ...), and the severity of their warnings (errors stay errors). */
void report_set_check(const char *check, enum severity warnings);

/* report - one finding.  file NULL: about the setup; line 0: about the whole file. */
void report(enum severity severity, const char *check, const char *file, int line,
            const char *format, ...) __attribute__((format(printf, 5, 6)));

/* report_errors - how many errors were reported so far. */
int report_errors(void);

/* report_text - print a line of the -v listing (text mode only; ignored with --json). */
void report_text(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* One rule for the JSON listing. */
struct report_rule {
	const char *file;
	int line;
	const char *daemons, *clients, *options; /* blank-separated; options may be NULL */
	const char *access;                       /* "granted" or "denied" */
};

/* report_rule - remember a rule for the JSON document (nothing in text mode). */
void report_rule(const struct report_rule *rule);

/* report_json - print the JSON document (JSON mode only). */
void report_json(const char *inetd_conf, const char *allow, const char *deny);

#endif
