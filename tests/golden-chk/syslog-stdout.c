/*
 * syslog-stdout.c - an LD_PRELOAD object for running Debian's /usr/sbin/tcpdchk in the
 * comparison: Debian's libwrap is built with _FORTIFY_SOURCE and logs through
 * __syslog_chk()/__vsyslog_chk(), which its tcpdchk cannot replace (reference bug B3), so its
 * warnings would go to the system log.  These two definitions print each message as one line
 * on stdout instead, in order with the program's own output, as the upstream tcpdchk meant.
 */
#include <stdarg.h>
#include <stdio.h>

void __vsyslog_chk(int priority, int flag, const char *format, va_list ap);
void __syslog_chk(int priority, int flag, const char *format, ...);

void __vsyslog_chk(int priority, int flag, const char *format, va_list ap)
{
	(void)priority;
	(void)flag;
	vprintf(format, ap); /* glibc's printf expands %m as syslog() would */
	putchar('\n');
	fflush(stdout);
}

void __syslog_chk(int priority, int flag, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	__vsyslog_chk(priority, flag, format, ap);
	va_end(ap);
}
