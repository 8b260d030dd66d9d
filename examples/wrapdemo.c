/*
 * wrapdemo.c - show libwrap deciding real loopback connections (run by examples/demo.sh).
 *
 * Usage: wrapdemo ALLOW DENY SOURCE...
 *
 * Listens on 127.0.0.1 and ::1 (ephemeral ports), connects once from each SOURCE address
 * (an IPv4 source connects to 127.0.0.1, an IPv6 one to ::1), accepts, and lets
 * hosts_access() decide with the tables ALLOW and DENY, as a daemon linked with libwrap
 * does.  The client is told the verdict; the library's log lines (with hosts_access_verbose
 * = 2, the rule that matched) and the classic "connect from" lines go to stderr through
 * syslog's LOG_PERROR.  Exits 0 when every connection was decided.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "tcpd.h"

int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

/* listen_on - a listening socket on addr (port 0); returns the fd or -1. */
static int listen_on(int family, const char *addr, struct sockaddr_storage *ret_bound)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &sin->sin_addr);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, addr, &sin6->sin6_addr);
		len = sizeof(*sin6);
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 8) < 0) {
		fprintf(stderr, "wrapdemo: cannot listen on %s: %m\n", addr);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	len = sizeof(*ret_bound);
	getsockname(fd, (struct sockaddr *)ret_bound, &len);
	return fd;
}

/* connect_from - a client socket bound to source, connected to the listener at dest. */
static int connect_from(const char *source, const struct sockaddr_storage *dest)
{
	struct sockaddr_storage src;
	int family = dest->ss_family;
	socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&src, 0, sizeof(src));
	src.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		inet_pton(AF_INET, source, &((struct sockaddr_in *)&src)->sin_addr);
	else
		inet_pton(AF_INET6, source, &((struct sockaddr_in6 *)&src)->sin6_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, len) < 0 ||
	    connect(fd, (const struct sockaddr *)dest, len) < 0) {
		perror(source);
		return -1;
	}
	return fd;
}

/* decide - what a libwrap-linked daemon does with an accepted connection. */
static int decide(int conn)
{
	struct request_info request;

	request_init(&request, RQ_DAEMON, "demo", RQ_FILE, conn, 0);
	fromhost(&request);
	if (!hosts_access(&request)) {
		syslog(deny_severity, "refused connect from %s", eval_client(&request));
		return 0;
	}
	syslog(allow_severity, "connect from %s", eval_client(&request));
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage at4, at6;
	int listen4, listen6, failures = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: %s ALLOW DENY SOURCE...\n", argv[0]);
		return 2;
	}
	hosts_allow_table = argv[1];
	hosts_deny_table = argv[2];
	hosts_access_verbose = 2;
	openlog("demo", LOG_PID | LOG_PERROR, LOG_DAEMON);
	listen4 = listen_on(AF_INET, "127.0.0.1", &at4);
	listen6 = listen_on(AF_INET6, "::1", &at6); /* a host without IPv6 skips those clients */
	if (listen4 < 0)
		return 1;

	for (int i = 3; i < argc; i++) {
		int v6 = strchr(argv[i], ':') != NULL;

		if (v6 && listen6 < 0) {
			printf("client %-12s -> skipped: no IPv6 loopback here\n\n", argv[i]);
			continue;
		}
		int client = connect_from(argv[i], v6 ? &at6 : &at4);
		int conn = client < 0 ? -1 : accept4(v6 ? listen6 : listen4, NULL, NULL, SOCK_CLOEXEC);
		char reply[32] = "";

		if (conn < 0) {
			failures++;
			continue;
		}
		fflush(stdout);
		const char *verdict = decide(conn) ? "granted" : "refused";
		(void)!write(conn, verdict, strlen(verdict));
		close(conn);
		ssize_t got = read(client, reply, sizeof(reply) - 1);
		reply[got > 0 ? got : 0] = '\0';
		printf("client %-12s -> %s\n\n", argv[i], reply[0] ? reply : "(closed)");
		fflush(stdout);
		close(client);
	}
	closelog();
	return failures != 0;
}
