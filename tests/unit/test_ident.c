/*
 * test_ident.c - the RFC 1413 client (lib/ident.c): the reply parser, and rfc931() against a
 * fake ident server on the loopback of a private network namespace.
 *
 * Expectations follow the behaviour notes §7.2 and B14: "rport , lport : USERID : os : user"
 * with flexible blanks, USERID in capitals, a non-empty os field, both ports echoed, the user
 * being the first word (at most 255 bytes, stored as at most 127), cut at '\r'; a reply
 * without newline, a timeout or any failure gives "unknown".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

/* Declared in lib/ident.c only. */
bool ident_parse(const char *line, unsigned remote_port, unsigned local_port, char *user,
                 size_t user_size);

/* parse_one - ident_parse(line) for the ports 40000 (client) and 22 (server). */
static void parse_one(const char *line, bool ok, const char *user)
{
	char got[256] = "untouched";
	bool result = ident_parse(line, 40000, 22, got, sizeof(got));

	if (check(result == ok, "ident_parse(\"%s\") = %d, expected %d", line, result, ok) && ok)
		check_str(got, user, "user from \"%s\"", line);
}

static void test_parse(void **state)
{
	(void)state;
	parse_one("40000 , 22 : USERID : UNIX : bob\r", true, "bob");
	parse_one("40000,22:USERID:UNIX:bob", true, "bob");
	parse_one("  40000  ,  22  :  USERID  :  UNIX  :  bob  ", true, "bob");
	parse_one("40000,22:USERID:OTHER:bob", true, "bob");
	parse_one("40000,22:USERID:UNIX,US-ASCII:bob", true, "bob");
	parse_one("40000,22:USERID: :bob", true, "bob");       /* a blank os is not empty */
	parse_one("40000,22:USERID:UNIX:bob smith", true, "bob"); /* the first word */
	parse_one("40000,22:USERID:UNIX:bob\tsmith", true, "bob");
	parse_one("40000,22:USERID:UNIX:a:b;c", true, "a:b;c");   /* colons kept */
	parse_one("40000,22:USERID:UNIX:bob\rjunk", true, "bob");
	parse_one("40000,22:USERID:UNIX:\xc3\xa9", true, "\xc3\xa9"); /* raw, unsanitised */
	parse_one("+40000,22:USERID:UNIX:bob", true, "bob");     /* %u takes a sign */
	parse_one("040000,22:USERID:UNIX:bob", true, "bob");     /* and is decimal */
	parse_one("40000,22:userid:UNIX:bob", false, NULL);      /* USERID in capitals only */
	parse_one("40000,22:Userid:UNIX:bob", false, NULL);
	parse_one("40000,22:USERID::bob", false, NULL);          /* empty os */
	parse_one("40000,22:USERID:UNIX:", false, NULL);         /* no user */
	parse_one("40000,22:USERID:UNIX:   ", false, NULL);
	parse_one("40000,22:USERID:UNIX", false, NULL);
	parse_one("40001,22:USERID:UNIX:bob", false, NULL);      /* wrong ports */
	parse_one("40000,23:USERID:UNIX:bob", false, NULL);
	parse_one("22,40000:USERID:UNIX:bob", false, NULL);
	parse_one("40000 22:USERID:UNIX:bob", false, NULL);
	parse_one("40000,22:ERROR:NO-USER", false, NULL);
	parse_one("", false, NULL);
	parse_one("garbage", false, NULL);
	checks_done();
}

static void test_parse_long_user(void **state)
{
	char line[512], user[400], got[256];

	(void)state;
	memset(user, 'x', 300);
	user[300] = '\0';
	snprintf(line, sizeof(line), "40000,22:USERID:UNIX:%s", user);
	/* At most 255 bytes are read ... */
	check(ident_parse(line, 40000, 22, got, sizeof(got)), "a 300-byte user is accepted");
	check_int((long)strlen(got), 255, "length of a 300-byte user");
	/* ... and the caller's buffer bounds the copy (rfc931 keeps 127). */
	check(ident_parse(line, 40000, 22, got, 128), "a 300-byte user into 128 bytes");
	check_int((long)strlen(got), 127, "length of a 300-byte user in 128 bytes");
	check(strspn(got, "x") == 127, "the user's first 127 bytes");
	checks_done();
}

static void test_rfc931_no_query(void **state)
{
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
	struct sockaddr_un_like {
		sa_family_t family;
		char path[32];
	} local = {AF_UNIX, "x"};
	char dest[STRING_LENGTH];

	(void)state;
	memset(&v4, 0, sizeof(v4));
	memset(&v6, 0, sizeof(v6));
	v4.sin_family = AF_INET;
	v6.sin6_family = AF_INET6;
	/* Families that differ, or are not IP: "unknown" at once. */
	strcpy(dest, "x");
	rfc931((struct sockaddr *)&v4, (struct sockaddr *)&v6, dest);
	check_str(dest, "unknown", "rfc931 with mixed families");
	strcpy(dest, "x");
	rfc931((struct sockaddr *)&local, (struct sockaddr *)&local, dest);
	check_str(dest, "unknown", "rfc931 with AF_UNIX");
	checks_done();
}

/* ---- a fake ident server in a private network namespace ----------------------------------- */

enum server_mode { REPLY, REPLY_NO_NEWLINE, SILENT, NO_SERVER };

struct scenario {
	enum server_mode mode;
	const char *reply; /* printf format taking the two queried ports */
	int timeout;
	const char *expected;
};

#define U80 "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu"
#define X80 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static const struct scenario scenarios[] = {
	{REPLY, "%u , %u : USERID : UNIX : bob\r\n", 5, "bob"},
	{REPLY, "%u,%u:USERID:UNIX:alice smith\r\n", 5, "alice"},
	{REPLY, "%u,%u:ERROR:NO-USER\r\n", 5, "unknown"},
	{REPLY, "%u,%u:userid:UNIX:bob\r\n", 5, "unknown"},
	{REPLY, "%u,%u:USERID::bob\r\n", 5, "unknown"},
	{REPLY, "1%u,%u:USERID:UNIX:bob\r\n", 5, "unknown"},
	{REPLY_NO_NEWLINE, "%u,%u:USERID:UNIX:bob", 5, "unknown"},
	{REPLY, "%u,%u:USERID:UNIX:"
	        "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu"
	        "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\n",
	 5, NULL}, /* NULL: the first 127 bytes of that user */
	/* Over 511 bytes before the newline: the first 511 are parsed, as fgets() reads them. */
	{REPLY, "%u,%u:USERID:UNIX:" U80 U80 U80 U80 U80 U80 U80 U80 "\r\n", 5, NULL},
	{REPLY, "%u,%u:USERID:UNIX:bob" X80 X80 X80 X80 X80 X80 X80 "\r\n", 5,
	 "bob" X80 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, /* 127 bytes */
	{REPLY, "%u,%u:" X80 X80 X80 X80 X80 X80 X80 ":USERID:UNIX:bob\r\n", 5, "unknown"},
	{NO_SERVER, NULL, 5, "unknown"},
	{SILENT, NULL, 1, "unknown"},
};

struct server {
	int listen_fd;
	const struct scenario *scenario;
	char query[64];
};

static void *serve_one(void *arg)
{
	struct server *server = arg;
	unsigned rport = 0, lport = 0;
	size_t used = 0;
	int fd = accept(server->listen_fd, NULL, NULL);

	if (fd < 0)
		return NULL;
	while (used + 1 < sizeof(server->query) && memchr(server->query, '\n', used) == NULL) {
		ssize_t got = read(fd, server->query + used, sizeof(server->query) - 1 - used);
		if (got <= 0)
			break;
		used += (size_t)got;
	}
	server->query[used] = '\0';
	if (server->scenario->mode == SILENT) {
		char c;
		while (read(fd, &c, 1) > 0) /* until the client gives up */
			;
	} else if (sscanf(server->query, "%u,%u", &rport, &lport) == 2) {
		dprintf(fd, server->scenario->reply, rport, lport);
	}
	close(fd);
	return NULL;
}

/* run_scenarios - in the child: one line per scenario, "user|query|seconds". */
static void run_scenarios(int report_fd)
{
	struct sockaddr_in remote, local, ident;
	int one = 1;

	if (unshare(CLONE_NEWNET) != 0 || !loopback_up()) {
		dprintf(report_fd, "no namespace: %s\n", strerror(errno));
		return;
	}
	memset(&remote, 0, sizeof(remote));
	remote.sin_family = AF_INET;
	remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	local = ident = remote;
	remote.sin_port = htons(40000);
	local.sin_port = htons(22);
	ident.sin_port = htons(113);
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		struct server server = {-1, &scenarios[i], ""};
		struct timespec start, end;
		pthread_t thread;
		char dest[STRING_LENGTH];
		unsigned pending;

		if (scenarios[i].mode != NO_SERVER) {
			server.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
			setsockopt(server.listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			if (bind(server.listen_fd, (struct sockaddr *)&ident, sizeof(ident)) != 0 ||
			    listen(server.listen_fd, 1) != 0 ||
			    pthread_create(&thread, NULL, serve_one, &server) != 0) {
				dprintf(report_fd, "server: %s\n", strerror(errno));
				return;
			}
		}
		rfc931_timeout = scenarios[i].timeout;
		alarm(100); /* a daemon's own alarm must survive the lookup */
		clock_gettime(CLOCK_MONOTONIC, &start);
		rfc931((struct sockaddr *)&remote, (struct sockaddr *)&local, dest);
		clock_gettime(CLOCK_MONOTONIC, &end);
		pending = alarm(0);
		if (scenarios[i].mode != NO_SERVER) {
			pthread_join(thread, NULL);
			close(server.listen_fd);
		}
		long ms = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
		dprintf(report_fd, "%s|%s|%ld|%s\n", dest, server.query, ms / 1000,
		        pending >= 98 ? "alarm kept" : "alarm lost");
	}
}

static void test_rfc931_server(void **state)
{
	char report[8192], expected[8192], long_user[128];
	size_t used = 0;
	int fds[2], status;
	pid_t child;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(fds[0]);
		run_scenarios(fds[1]);
		_exit(0);
	}
	close(fds[1]);
	read_fd_all(fds[0], report, sizeof(report));
	close(fds[0]);
	assert_int_equal(waitpid(child, &status, 0), child);
	if (strncmp(report, "no namespace", 12) == 0) {
		/* A check that cannot run is a failure, not a skip: the suites run as root. */
		fail_msg("needs root (or user namespaces) for a private loopback: %s", report);
	}
	memset(long_user, 'u', 127);
	long_user[127] = '\0';
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		used += (size_t)snprintf(expected + used, sizeof(expected) - used, "%s|%s|%d|alarm kept\n",
		                         scenarios[i].expected ? scenarios[i].expected : long_user,
		                         scenarios[i].mode == NO_SERVER ? "" : "40000,22\r\n",
		                         scenarios[i].mode == SILENT ? scenarios[i].timeout : 0);
	check_str(report, expected, "rfc931 against the fake ident server");
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_long_user),
		cmocka_unit_test(test_rfc931_no_query),
		cmocka_unit_test(test_rfc931_server),
	};

	return cmocka_run_group_tests_name("ident", tests, NULL, NULL);
}
