/*
 * fakelog.c - syslog() for tcpdmatch: every message becomes one line on stdout.
 *
 * The library reports through plain syslog() (lib/diag.c never uses the fortified
 * __syslog_chk), so defining syslog, vsyslog, openlog and closelog here puts its warnings,
 * errors, "matched:" and "option:" lines on stdout, in order with the program's own report,
 * as the upstream tcpdmatch did.  The priority is dropped; %m expands to strerror(errno)
 * (glibc's printf does that).  Messages longer than 16 KiB are cut (the library's own are
 * bounded well below that).
 */
/* The fortified <syslog.h> would turn syslog() into an inline wrapper that cannot be
 * redefined. */
#undef _FORTIFY_SOURCE

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "fakelog.h"

bool fakelog_rule_lines = false;

/* vsyslog - print one message and a newline on stdout.  The library's "rule:" line (the
 * deciding rule's text) only in explain mode: the classic report keeps its classic lines. */
void vsyslog(int priority, const char *format, va_list ap)
{
	char text[16384];

	(void)priority;
	vsnprintf(text, sizeof(text), format, ap);
	if (!fakelog_rule_lines && strncmp(text, "rule:     ", 10) == 0)
		return;
	fputs(text, stdout);
	putchar('\n');
}

/* syslog - see vsyslog. */
void syslog(int priority, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsyslog(priority, format, ap);
	va_end(ap);
}

/* openlog - nothing to open: messages go to stdout. */
void openlog(const char *ident, int option, int facility)
{
	(void)ident;
	(void)option;
	(void)facility;
}

/* closelog - nothing to close. */
void closelog(void)
{
}
