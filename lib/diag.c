/*
 * diag.c - diagnostics to syslog, and the classic tcpd_warn/tcpd_jump/percent_m exports.
 */
/* Call plain syslog()/vsyslog(), never the fortified __syslog_chk: programs such as tcpdmatch
 * redirect the library's messages by defining their own syslog(). */
#undef _FORTIFY_SOURCE

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "diag.h"
#include "export.h"
#include "percent.h"
#include "str.h"

/* Large enough for any message the library writes (an option value expands to at most 8 KiB,
 * a rule line holds at most 2 KiB); longer text is cut, never overflowed. */
#define DIAG_MAX 12288

struct tcpd_context tcpd_context;
jmp_buf tcpd_buf;

static _Thread_local struct diag_context current;

/* Serialises writes of the global tcpd_context around calls of tcpd_warn(). */
static pthread_mutex_t context_lock = PTHREAD_MUTEX_INITIALIZER;

struct diag_context diag_set_context(const char *file, int line)
{
	struct diag_context old = current;

	current.file = file;
	current.line = line;
	return old;
}

struct diag_context diag_get_context(void)
{
	return current;
}

/* neutralise_controls - every control byte but tab becomes '?' (no forged log lines). */
static void neutralise_controls(char *text)
{
	for (unsigned char *p = (unsigned char *)text; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			*p = '?';
}

/* format_context - "FILE, line N: " for the given context, or "". */
static void format_context(char *buf, size_t size, const char *file, int line)
{
	if (file != NULL)
		snprintf(buf, size, "%s, line %d: ", file, line);
	else
		buf[0] = '\0';
}

static void diag_emit(bool is_warning, const char *format, va_list ap)
{
	char text[DIAG_MAX];
	int saved_errno = errno; /* what %m refers to; restored for the caller */

	vsnprintf(text, sizeof(text), format, ap);
	neutralise_controls(text);
	/* Without a context of this thread's own, the one a program set in the global
	 * tcpd_context applies (tcpdchk-style callers of process_options()). */
	pthread_mutex_lock(&context_lock);
	struct tcpd_context saved = tcpd_context;
	if (current.file != NULL) {
		tcpd_context.file = (char *)current.file;
		tcpd_context.line = current.line;
	}
	if (is_warning) {
		tcpd_warn("%s", text);
	} else {
		char where[PATH_MAX + 32];

		format_context(where, sizeof(where), tcpd_context.file, tcpd_context.line);
		syslog(LOG_ERR, "error: %s%s", where, text);
	}
	tcpd_context = saved;
	pthread_mutex_unlock(&context_lock);
	errno = saved_errno;
}

void diag_warn(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	diag_emit(true, format, ap);
	va_end(ap);
}

void diag_error(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	diag_emit(false, format, ap);
	va_end(ap);
}

void diag_log(int priority, const char *format, ...)
{
	char text[DIAG_MAX];
	va_list ap;

	va_start(ap, format);
	vsnprintf(text, sizeof(text), format, ap);
	va_end(ap);
	neutralise_controls(text);
	syslog(priority, "%s", text);
}

_Static_assert(DIAG_CLIENT_MAX >= 2 * STRING_LENGTH + 2, "room for user@host");

char *diag_client(char *buf, struct request_info *request)
{
	str_copy(buf, DIAG_CLIENT_MAX, eval_client(request));
	percent_sanitise(buf);
	return buf;
}

void diag_log_verdict(int priority, const char *what, struct request_info *request)
{
	char client[DIAG_CLIENT_MAX], address[STRING_LENGTH];

	str_copy(address, sizeof(address), eval_hostaddr(request->client));
	percent_sanitise(address);
	syslog(priority, "%s %s (%s)", what, diag_client(client, request), address);
}

/* tcpd_diag - the shared body of tcpd_warn and tcpd_jump: context from the global. */
static void tcpd_diag(const char *tag, const char *format, va_list ap)
{
	char text[DIAG_MAX], where[PATH_MAX + 32];

	vsnprintf(text, sizeof(text), format, ap);
	neutralise_controls(text);
	format_context(where, sizeof(where), tcpd_context.file, tcpd_context.line);
	syslog(LOG_ERR, "%s: %s%s", tag, where, text);
}

void tcpd_warn(char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	tcpd_diag("warning", format, ap);
	va_end(ap);
}

/* tcpd_jump - classic contract: report, then longjmp(tcpd_buf, AC_ERROR).  The library
 * itself never calls it; it exists for programs that set tcpd_buf themselves. */
void tcpd_jump(char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	tcpd_diag("error", format, ap);
	va_end(ap);
	longjmp(tcpd_buf, AC_ERROR);
}

/* percent_m - copy ibuf to obuf with each "%m" replaced by strerror(errno).  The caller's
 * obuf must be large enough, as with the classic function; "%%" is kept as is so that the
 * result can still serve as a format. */
char *percent_m(char *obuf, char *ibuf)
{
	char *out = obuf;
	const char *message = strerror(errno);

	while (*ibuf != '\0') {
		if (ibuf[0] == '%' && ibuf[1] == '%') {
			*out++ = *ibuf++;
			*out++ = *ibuf++;
		} else if (ibuf[0] == '%' && ibuf[1] == 'm') {
			out = stpcpy(out, message);
			ibuf += 2;
		} else {
			*out++ = *ibuf++;
		}
	}
	*out = '\0';
	return obuf;
}
