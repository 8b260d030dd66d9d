/*
 * inetdemo.c - a tiny stand-in for inetd, so that "make demo" can show tcpd in front of a
 * service on a machine without inetd (run by examples/demo.sh).
 *
 * Usage: inetdemo TCPD DAEMON ARG SOURCE...
 *
 * Listens on 127.0.0.1 (an ephemeral port).  For each SOURCE address it connects from
 * SOURCE, accepts, and starts TCPD the way inetd does: the connection on descriptors 0 and 1,
 * argv[0] = DAEMON (the real daemon's path), argv[1] = ARG.  Unlike inetd it leaves
 * descriptor 2 on the terminal, where the demo's tcpd (built with TCPD_LOG_STDERR) shows its
 * log lines.  Then it prints everything the client received, and waits for tcpd (a refused
 * connection is held for 5 s).  Exits 0 when every connection was served.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* listen_loopback - a listening socket on 127.0.0.1, port chosen by the kernel. */
static int listen_loopback(struct sockaddr_in *ret_bound)
{
	socklen_t len = sizeof(*ret_bound);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(ret_bound, 0, sizeof(*ret_bound));
	ret_bound->sin_family = AF_INET;
	ret_bound->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)ret_bound, len) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)ret_bound, &len) < 0) {
		perror("inetdemo: listen on 127.0.0.1");
		return -1;
	}
	return fd;
}

/* connect_from - a client socket from source (a 127.x.y.z address) to dest. */
static int connect_from(const char *source, const struct sockaddr_in *dest)
{
	struct sockaddr_in src = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || inet_pton(AF_INET, source, &src.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0 ||
	    connect(fd, (const struct sockaddr *)dest, sizeof(*dest)) < 0) {
		perror(source);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* start_tcpd - what inetd does for a "nowait" service: a child with the connection on 0-1. */
static pid_t start_tcpd(int conn, char *tcpd, char *daemon, char *arg)
{
	pid_t child = fork();

	if (child == 0) {
		char *args[] = {daemon, arg, NULL};

		if (dup2(conn, 0) < 0 || dup2(conn, 1) < 0)
			_exit(1);
		execv(tcpd, args);
		perror(tcpd);
		_exit(1);
	}
	return child;
}

/* show_reply - print what the client receives, line by line (CRs dropped), until EOF. */
static void show_reply(int client)
{
	char buf[4096];
	ssize_t got;
	int at_line_start = 1, any = 0;

	while ((got = read(client, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] == '\r')
				continue;
			if (at_line_start)
				fputs("    client reads: ", stdout);
			putchar(buf[i]);
			at_line_start = buf[i] == '\n';
			any = 1;
		}
	}
	if (!at_line_start)
		putchar('\n');
	if (!any)
		puts("    client reads nothing; the connection closes (tcpd holds a refusal 5 s)");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct sockaddr_in at;
	int listener, failures = 0;

	if (argc < 5) {
		fprintf(stderr, "usage: %s TCPD DAEMON ARG SOURCE...\n", argv[0]);
		return 2;
	}
	if ((listener = listen_loopback(&at)) < 0)
		return 1;
	for (int i = 4; i < argc; i++) {
		int client = connect_from(argv[i], &at), conn, status;
		pid_t child;

		printf("client %s connects:\n", argv[i]);
		fflush(stdout);
		if (client < 0 || (conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC)) < 0) {
			failures++;
			continue;
		}
		child = start_tcpd(conn, argv[1], argv[2], argv[3]);
		close(conn);
		show_reply(client);
		close(client);
		if (child < 0 || waitpid(child, &status, 0) < 0 || !WIFEXITED(status))
			failures++;
		putchar('\n');
	}
	return failures != 0;
}
