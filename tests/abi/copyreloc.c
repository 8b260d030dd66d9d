/*
 * copyreloc.c - an "old binary": non-PIE, built against Debian's header and library.
 *
 * A non-PIE executable that uses the library's variables gets copy relocations: the
 * variables live in the executable, sized as the reference library defined them, and the
 * library must use those copies.  check-interpose.sh builds this once (-no-pie, Debian's
 * tcpd.h and libwrap) and runs the same binary against both libraries: the initial values,
 * and the library's use of the program's copies (tables, resident, tcpd_context, tcpd_buf),
 * must be identical, and the dynamic linker must not warn about symbol sizes.
 *
 * Usage: copyreloc WORKDIR
 */
#undef _FORTIFY_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <tcpd.h>

extern jmp_buf tcpd_buf; /* exported, never declared by tcpd.h */

void __syslog_chk(int priority, int flag, const char *format, ...);
void __vsyslog_chk(int priority, int flag, const char *format, va_list ap);

static char last_message[512];

static void remember(const char *format, va_list ap)
{
	vsnprintf(last_message, sizeof(last_message), format, ap);
}

void syslog(int priority, const char *format, ...)
{
	va_list ap;

	(void)priority;
	va_start(ap, format);
	remember(format, ap);
	va_end(ap);
}

void vsyslog(int priority, const char *format, va_list ap)
{
	(void)priority;
	remember(format, ap);
}

void __syslog_chk(int priority, int flag, const char *format, ...)
{
	va_list ap;

	(void)priority;
	(void)flag;
	va_start(ap, format);
	remember(format, ap);
	va_end(ap);
}

void __vsyslog_chk(int priority, int flag, const char *format, va_list ap)
{
	(void)priority;
	(void)flag;
	remember(format, ap);
}

int main(int argc, char **argv)
{
	FILE *f;
	int first, second;

	if (argc != 2 || chdir(argv[1]) != 0) {
		fprintf(stderr, "usage: copyreloc WORKDIR\n");
		return 2;
	}
	/* Initial values, read from the program's copies. */
	printf("unknown=%s paranoid=%s\n", unknown, paranoid);
	printf("hosts_allow_table=%s hosts_deny_table=%s\n", hosts_allow_table, hosts_deny_table);
	printf("resident=%d rfc931_timeout=%d hosts_access_verbose=%d dry_run=%d\n", resident,
	       rfc931_timeout, hosts_access_verbose, dry_run);
	printf("allow_severity=%d deny_severity=%d\n", allow_severity, deny_severity);
	printf("tcpd_context=%s,%d\n", tcpd_context.file ? tcpd_context.file : "NULL",
	       tcpd_context.line);

	/* The library reads the program's table pointers and updates its resident. */
	f = fopen("allow", "w");
	if (f == NULL || fputs("sshd: 192.0.2.1\n", f) == EOF || fclose(f) != 0)
		return 2;
	f = fopen("deny", "w");
	if (f == NULL || fputs("ALL: ALL\n", f) == EOF || fclose(f) != 0)
		return 2;
	hosts_allow_table = "allow";
	hosts_deny_table = "deny";
	first = hosts_ctl("sshd", "", "192.0.2.1", "");
	printf("first=%d resident=%d\n", first, resident);
	second = hosts_ctl("sshd", "", "192.0.2.2", "");
	printf("second=%d resident=%d\n", second, resident);

	/* tcpd_warn() reads the program's tcpd_context. */
	tcpd_context.file = "some.table";
	tcpd_context.line = 42;
	tcpd_warn("context %s", "check");
	printf("tcpd_warn=%s\n", last_message);
	tcpd_context.file = NULL;

	/* tcpd_jump() jumps through the program's tcpd_buf. */
	switch (setjmp(tcpd_buf)) {
	case 0:
		tcpd_jump("jump %d", 1);
		printf("tcpd_jump returned\n");
		break;
	case AC_ERROR:
		printf("tcpd_jump landed value=AC_ERROR message=%s\n", last_message);
		break;
	default:
		printf("tcpd_jump landed with another value\n");
	}
	unlink("allow");
	unlink("deny");
	return 0;
}
