/*
 * wrapserv - the integration tests' server: a daemon linked with -lwrap, as sshd is.
 *
 * usage: wrapserv DAEMON PORT [MAX_SECONDS]
 *
 * Listens on [::]:PORT (dual stack, so IPv4 clients arrive as IPv4-mapped addresses), or on
 * 0.0.0.0:PORT (plain IPv4 sockets) when the environment has WRAPSERV_INET4=1.  With
 * WRAPSERV_FIX_OPTIONS=1 it calls fix_options() first, as tcpd does, and serves nothing on a
 * connection that fix_options() shut down.  For
 * each connection builds the request the classic way (request_init with RQ_DAEMON and
 * RQ_FILE, fromhost), asks hosts_access(), and answers one line:
 *
 *	granted CLIENT		CLIENT is eval_client(): user@host, host or address
 *	(nothing)		refused: the connection is closed at once
 *
 * and logs "connect from" / "refused connect from" at allow_severity / deny_severity, as a
 * real daemon does.  Connections are served one at a time in this process, so the library
 * runs resident.  It exits by itself after MAX_SECONDS (default 300): a test that forgets it
 * cannot leave it behind for long.
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <tcpd.h>

void fix_options(struct request_info *request); /* exported, but not in <tcpd.h> */

int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

int main(int argc, char **argv)
{
	struct sockaddr_in6 addr = {.sin6_family = AF_INET6};
	struct sockaddr_in addr4 = {.sin_family = AF_INET};
	const char *inet4_env = getenv("WRAPSERV_INET4");
	int inet4 = inet4_env != NULL && strcmp(inet4_env, "1") == 0;
	const char *fix_env = getenv("WRAPSERV_FIX_OPTIONS");
	int fix = fix_env != NULL && strcmp(fix_env, "1") == 0;
	int listener, one = 1, zero = 0;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: wrapserv DAEMON PORT [MAX_SECONDS]\n");
		return 2;
	}
	alarm(argc == 4 ? (unsigned)atoi(argv[3]) : 300);
	signal(SIGPIPE, SIG_IGN); /* a client that went away (or a shut-down socket) is no crash */
	openlog(argv[1], LOG_PID, LOG_DAEMON);
	addr.sin6_port = htons((uint16_t)atoi(argv[2]));
	addr4.sin_port = addr.sin6_port;
	listener = socket(inet4 ? AF_INET : AF_INET6, SOCK_STREAM, 0);
	if (listener < 0 ||
	    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    (!inet4 && setsockopt(listener, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) != 0) ||
	    (inet4 ? bind(listener, (struct sockaddr *)&addr4, sizeof addr4)
	           : bind(listener, (struct sockaddr *)&addr, sizeof addr)) != 0 ||
	    listen(listener, 16) != 0) {
		perror("wrapserv: listen");
		return 1;
	}
	for (;;) {
		struct request_info request;
		int fd = accept(listener, NULL, NULL);

		if (fd < 0)
			continue;
		request_init(&request, RQ_DAEMON, argv[1], RQ_FILE, fd, 0);
		fromhost(&request);
		if (fix)
			fix_options(&request);
		if (hosts_access(&request)) {
			syslog(allow_severity, "connect from %s", eval_client(&request));
			dprintf(fd, "granted %s\n", eval_client(&request));
		} else {
			syslog(deny_severity, "refused connect from %s", eval_client(&request));
		}
		close(fd);
	}
}
