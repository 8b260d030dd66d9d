/*
 * interpose.c - a program that replaces library functions, as tcpdmatch and tcpdchk do.
 *
 * Linked with -lwrap; run against our library (LD_LIBRARY_PATH) and against Debian's.  It
 * defines its own shell_cmd(), rfc931(), tcpd_warn(), clean_exit(), allow_severity and
 * deny_severity, plus syslog()/vsyslog() and the fortified __syslog_chk()/__vsyslog_chk(),
 * then makes the library call each of them and prints what it saw, one "name: facts" line
 * per check (check-interpose.sh compares them with the expected lines).
 *
 * Usage: interpose WORKDIR
 */
#undef _FORTIFY_SOURCE
#define INET6 1

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <tcpd.h>

void __syslog_chk(int priority, int flag, const char *format, ...);
void __vsyslog_chk(int priority, int flag, const char *format, va_list ap);

/* The program's own severities: the library's are weak, and options write to these. */
int allow_severity = 3;
int deny_severity = 2;

static int shell_calls, rfc931_calls, warn_calls, clean_exit_calls;
static int plain_syslog_calls, fortified_syslog_calls, last_priority;
static char shell_text[512], rfc931_text[512], warn_text[512], warn_where[512];
static char last_message[512];
static jmp_buf back;

void shell_cmd(char *command)
{
	shell_calls++;
	snprintf(shell_text, sizeof(shell_text), "%s", command);
}

static void endpoint(const struct sockaddr *sa, char *buf, size_t size)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)sa;
	char addr[INET_ADDRSTRLEN] = "?";

	if (sa != NULL && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
	snprintf(buf, size, "%s:%u", addr, sa != NULL ? ntohs(sin->sin_port) : 0);
}

void rfc931(struct sockaddr *remote, struct sockaddr *local, char *dest)
{
	char r[64], l[64];

	rfc931_calls++;
	endpoint(remote, r, sizeof(r));
	endpoint(local, l, sizeof(l));
	snprintf(rfc931_text, sizeof(rfc931_text), "remote=%s local=%s", r, l);
	strcpy(dest, "bob");
}

void tcpd_warn(char *format, ...)
{
	va_list ap;

	warn_calls++;
	va_start(ap, format);
	vsnprintf(warn_text, sizeof(warn_text), format, ap);
	va_end(ap);
	snprintf(warn_where, sizeof(warn_where), "%s:%d",
	         tcpd_context.file ? tcpd_context.file : "(none)", tcpd_context.line);
}

void clean_exit(struct request_info *request)
{
	(void)request;
	clean_exit_calls++;
	longjmp(back, 1);
}

static void remember(int priority, const char *format, va_list ap)
{
	last_priority = priority;
	vsnprintf(last_message, sizeof(last_message), format, ap);
}

void syslog(int priority, const char *format, ...)
{
	va_list ap;

	plain_syslog_calls++;
	va_start(ap, format);
	remember(priority, format, ap);
	va_end(ap);
}

void vsyslog(int priority, const char *format, va_list ap)
{
	plain_syslog_calls++;
	remember(priority, format, ap);
}

void __syslog_chk(int priority, int flag, const char *format, ...)
{
	va_list ap;

	(void)flag;
	fortified_syslog_calls++;
	va_start(ap, format);
	remember(priority, format, ap);
	va_end(ap);
}

void __vsyslog_chk(int priority, int flag, const char *format, va_list ap)
{
	(void)flag;
	fortified_syslog_calls++;
	remember(priority, format, ap);
}

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
		perror(name);
		exit(2);
	}
}

static void tables(const char *allow, const char *deny)
{
	unlink("hosts.allow");
	unlink("hosts.deny");
	if (allow)
		write_file("hosts.allow", allow);
	if (deny)
		write_file("hosts.deny", deny);
}

static void print_libwrap(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[4096];

	while (maps && fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/');

		if (path && strstr(path, "libwrap")) {
			printf("libwrap: %s", path);
			break;
		}
	}
	if (maps)
		fclose(maps);
}

int main(int argc, char **argv)
{
	struct sockaddr_in client = {.sin_family = AF_INET}, server = {.sin_family = AF_INET};
	struct request_info request;
	int verdict;

	if (argc != 2 || chdir(argv[1]) != 0) {
		fprintf(stderr, "usage: interpose WORKDIR\n");
		return 2;
	}
	print_libwrap();
	hosts_allow_table = "hosts.allow";
	hosts_deny_table = "hosts.deny";

	/* spawn: the library expands the command and hands it to (our) shell_cmd(). */
	tables("sshd: ALL: spawn echo %d %a\n", "ALL: ALL\n");
	request_init(&request, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	verdict = hosts_access(&request);
	printf("shell_cmd: verdict=%d calls=%d command=%s\n", verdict, shell_calls, shell_text);

	/* user@host: after the host matched, eval_user() asks (our) rfc931(). */
	client.sin_port = htons(40000);
	inet_pton(AF_INET, "192.0.2.1", &client.sin_addr);
	server.sin_port = htons(22);
	inet_pton(AF_INET, "192.0.2.254", &server.sin_addr);
	tables("sshd: bob@192.0.2.1\n", "ALL: ALL\n");
	request_init(&request, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", RQ_CLIENT_SIN,
	             &client, RQ_SERVER_SIN, &server, 0);
	verdict = hosts_access(&request);
	printf("rfc931: verdict=%d calls=%d %s user=%s\n", verdict, rfc931_calls, rfc931_text,
	       request.user);

	/* A table line without ':' is reported through (our) tcpd_warn(), with its context. */
	tables("this line has no separator\nsshd: ALL\n", "ALL: ALL\n");
	request_init(&request, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	verdict = hosts_access(&request);
	printf("tcpd_warn: verdict=%d calls=%d text=%s context=%s\n", verdict, warn_calls,
	       warn_text, warn_where);

	/* The severity option writes the program's own (strong) severities. */
	printf("severity-initial: allow=%d deny=%d\n", allow_severity, deny_severity);
	tables("sshd: ALL: severity local0.err\n", NULL);
	request_init(&request, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	verdict = hosts_access(&request);
	printf("severity-option: verdict=%d allow=%d deny=%d\n", verdict, allow_severity,
	       deny_severity);

	/* Which syslog entry point the library calls ("matched:" at verbose 2). */
	plain_syslog_calls = fortified_syslog_calls = 0;
	last_message[0] = '\0';
	hosts_access_verbose = 2;
	tables("sshd: ALL\n", NULL);
	request_init(&request, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	verdict = hosts_access(&request);
	hosts_access_verbose = 0;
	printf("syslog: verdict=%d plain=%d fortified=%d priority=%d message=%s\n", verdict,
	       plain_syslog_calls, fortified_syslog_calls, last_priority, last_message);

	/* refuse() logs at the program's deny_severity, then calls (our) clean_exit(). */
	allow_severity = 3;
	deny_severity = 2;
	last_message[0] = '\0';
	request_init(&request, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	if (setjmp(back) == 0) {
		refuse(&request);
		printf("clean_exit: refuse() returned\n");
	} else {
		printf("clean_exit: calls=%d priority=%d message=%s\n", clean_exit_calls,
		       last_priority, last_message);
	}
	unlink("hosts.allow");
	unlink("hosts.deny");
	return 0;
}
