/*
 * fakelog.c - syslog() for tcpdmatch: every message becomes one line on stdout.
 *
 * The library reports through plain syslog() (lib/diag.c never uses the fortified
 * __syslog_chk), so defining syslog, vsyslog, openlog and closelog here puts its warnings,
 * errors, "matched:" and "option:" lines on stdout, in order with the program's own report,
 * as the upstream tcpdmatch did.  The priority is dropped; %m expands to strerror(errno)
 * (glibc's printf does that).
 */
/* The fortified <syslog.h> would turn syslog() into an inline wrapper that cannot be
 * redefined. */
#undef _FORTIFY_SOURCE

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

/* vsyslog - print one message and a newline on stdout. */
void vsyslog(int priority, const char *format, va_list ap)
{
	(void)priority;
	vprintf(format, ap);
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
