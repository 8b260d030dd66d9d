/*
 * logsink.c - syslog(), vsyslog(), openlog() and closelog() for tcpdchk and tcpdmatch.
 *
 * The library reports through plain syslog() (lib/diag.c never uses the fortified
 * __syslog_chk), so defining these here hands its warnings, errors, "matched:", "option:" and
 * "rule:" lines to the program's logsink_message(), in order with the program's own output.
 * The priority is dropped; %m expands to strerror(errno) (glibc's printf does that).
 * Messages longer than 16 KiB are cut (the library's own are bounded well below that).
 */
/* The fortified <syslog.h> would turn syslog() into an inline wrapper that cannot be
 * redefined. */
#undef _FORTIFY_SOURCE

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "logsink.h"

/* vsyslog - format one message and hand it to the program. */
void vsyslog(int priority, const char *format, va_list ap)
{
	char text[16384];

	(void)priority;
	vsnprintf(text, sizeof(text), format, ap);
	logsink_message(text);
}

/* syslog - see vsyslog. */
void syslog(int priority, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsyslog(priority, format, ap);
	va_end(ap);
}

/* openlog - nothing to open: the program prints the messages. */
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
