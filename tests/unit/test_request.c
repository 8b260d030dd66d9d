/*
 * test_request.c - building requests and evaluating their fields lazily (lib/request.c):
 * request_init/request_set, the eval_ functions and their fallbacks, and the socket methods
 * for addresses (no name lookups: nothing here touches DNS).
 *
 * Expectations follow the behaviour notes §6.1-6.3 and §11.2; deliberate difference: a NULL
 * string is an empty field instead of a crash.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helpers.h"

static void test_init_defaults(void **state)
{
	struct request_info r;
	char pid[16];

	(void)state;
	memset(&r, 0xa5, sizeof(r));
	check(request_init(&r, 0) == &r, "request_init returns its request");
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	check_int(r.fd, -1, "fd");
	check_str(r.daemon, "unknown", "daemon");
	check_str(r.pid, pid, "pid");
	check_str(r.user, "", "user");
	check(r.client->request == &r && r.server->request == &r, "back pointers");
	check_str(r.client->name, "", "client name");
	check_str(r.client->addr, "", "client addr");
	check_str(r.server->name, "", "server name");
	check_str(r.server->addr, "", "server addr");
	check(r.client->sin == NULL && r.server->sin == NULL, "socket addresses");
	check(r.client->unit == NULL && r.server->unit == NULL, "units");
	check(r.sink == NULL && r.hostname == NULL && r.hostaddr == NULL && r.cleanup == NULL &&
	          r.config == NULL,
	      "methods");
	check(memchr(r.user, 0xa5, sizeof(r.user)) == NULL &&
	          memchr(r.client->name, 0xa5, sizeof(r.client->name)) == NULL,
	      "the whole structure is cleared");
	checks_done();
}

static void test_keys(void **state)
{
	struct request_info r;
	struct sockaddr_in client, server;

	(void)state;
	check(request_init(&r, RQ_FILE, 5, RQ_DAEMON, "sshd", RQ_USER, "bob", RQ_CLIENT_NAME,
	                   "c.example", RQ_CLIENT_ADDR, "192.0.2.1", RQ_CLIENT_SIN, &client,
	                   RQ_SERVER_NAME, "s.example", RQ_SERVER_ADDR, "192.0.2.2", RQ_SERVER_SIN,
	                   &server, 0) == &r,
	      "request_init returns its request");
	check_int(r.fd, 5, "RQ_FILE");
	check_str(r.daemon, "sshd", "RQ_DAEMON");
	check_str(r.user, "bob", "RQ_USER");
	check_str(r.client->name, "c.example", "RQ_CLIENT_NAME");
	check_str(r.client->addr, "192.0.2.1", "RQ_CLIENT_ADDR");
	check(r.client->sin == (struct sockaddr *)&client, "RQ_CLIENT_SIN: the pointer itself");
	check_str(r.server->name, "s.example", "RQ_SERVER_NAME");
	check_str(r.server->addr, "192.0.2.2", "RQ_SERVER_ADDR");
	check(r.server->sin == (struct sockaddr *)&server, "RQ_SERVER_SIN: the pointer itself");
	check_int(RQ_FILE, 1, "RQ_FILE");
	check_int(RQ_SERVER_SIN, 9, "RQ_SERVER_SIN");

	/* request_set changes the fields given and nothing else. */
	check(request_set(&r, RQ_USER, "alice", RQ_FILE, 7, 0) == &r, "request_set returns it");
	check_str(r.user, "alice", "user after request_set");
	check_int(r.fd, 7, "fd after request_set");
	check_str(r.daemon, "sshd", "daemon after request_set");
	check_str(r.client->name, "c.example", "client name after request_set");
	checks_done();
}

/* invalid_key_one - request_init(daemon "d", key, user "bob"): the user and the log. */
static void invalid_key_one(int key, const char *user, const char *log)
{
	struct request_info r;

	log_reset();
	request_init(&r, RQ_DAEMON, "d", key, RQ_USER, "bob", 0);
	check_str(r.daemon, "d", "daemon before key %d", key);
	check_str(r.user, user, "user after key %d", key);
	check_str(log_text(), log, "log for key %d", key);
}

static void test_invalid_keys(void **state)
{
	struct request_info r;

	(void)state;
	/* An unknown key is reported and ends the list; a key <= 0 ends it silently. */
	invalid_key_one(42, "", "warning: request_fill: invalid key: 42");
	invalid_key_one(10, "", "warning: request_fill: invalid key: 10");
	invalid_key_one(-1, "", "");
	invalid_key_one(0, "", "");
	request_init(&r, RQ_DAEMON, "d", 0);
	log_reset();
	request_set(&r, 99, RQ_USER, "bob", 0);
	check_str(r.user, "", "user after request_set with an invalid key");
	check_str(log_text(), "warning: request_fill: invalid key: 99", "request_set log");
	checks_done();
}

/* copy_one - a string of `len` bytes through RQ_CLIENT_NAME: the stored length. */
static void copy_one(size_t len, size_t stored)
{
	struct request_info r;
	char text[512];

	memset(text, 'n', len);
	text[len] = '\0';
	request_init(&r, RQ_CLIENT_NAME, text, RQ_USER, text, RQ_DAEMON, text, 0);
	check_int((long)strlen(r.client->name), (long)stored, "name of %zu bytes", len);
	check_int((long)strlen(r.user), (long)stored, "user of %zu bytes", len);
	check_int((long)strlen(r.daemon), (long)stored, "daemon of %zu bytes", len);
	check(strncmp(r.client->name, text, stored) == 0, "name of %zu bytes: its start", len);
}

static void test_truncation(void **state)
{
	struct request_info r;

	(void)state;
	copy_one(0, 0);
	copy_one(126, 126);
	copy_one(127, 127);
	copy_one(128, 127);
	copy_one(300, 127);
	/* Deliberate difference: NULL is an empty field, not a crash. */
	request_init(&r, RQ_DAEMON, NULL, RQ_USER, NULL, RQ_CLIENT_NAME, NULL, RQ_CLIENT_ADDR,
	             NULL, RQ_SERVER_NAME, NULL, RQ_SERVER_ADDR, NULL, 0);
	check_str(r.daemon, "", "daemon from NULL");
	check_str(r.user, "", "user from NULL");
	check_str(r.client->name, "", "client name from NULL");
	check_str(r.server->addr, "", "server address from NULL");
	request_set(&r, RQ_CLIENT_NAME, "x", 0);
	request_set(&r, RQ_CLIENT_NAME, NULL, 0);
	check_str(r.client->name, "", "client name set to NULL");
	check_str(eval_hostname(r.client), "unknown", "eval_hostname of a NULL name");
	checks_done();
}

static int hostname_calls, hostaddr_calls;

static void count_hostname(struct host_info *host)
{
	hostname_calls++;
	check_str(host->name, "unknown", "name while the method runs");
	snprintf(host->name, sizeof(host->name), "found.example");
}

static void count_hostaddr(struct host_info *host)
{
	hostaddr_calls++;
	snprintf(host->addr, sizeof(host->addr), "198.51.100.7");
}

static void test_eval_fallbacks(void **state)
{
	struct request_info r;

	(void)state;
	request_init(&r, 0);
	check_str(eval_user(&r), "unknown", "eval_user with nothing");
	check_str(eval_hostname(r.client), "unknown", "eval_hostname with nothing");
	check_str(eval_hostaddr(r.client), "unknown", "eval_hostaddr with nothing");
	check_str(eval_hostname(r.server), "unknown", "server eval_hostname with nothing");
	check_str(eval_hostaddr(r.server), "unknown", "server eval_hostaddr with nothing");
	check_str(r.client->name, "unknown", "the fallback is cached");

	/* Preset strings are trusted as they are. */
	request_init(&r, RQ_USER, "bob", RQ_CLIENT_NAME, "Host.Example", RQ_CLIENT_ADDR,
	             "192.0.2.1", 0);
	r.hostname = count_hostname;
	r.hostaddr = count_hostaddr;
	hostname_calls = hostaddr_calls = 0;
	check_str(eval_user(&r), "bob", "preset user");
	check_str(eval_hostname(r.client), "Host.Example", "preset name");
	check_str(eval_hostaddr(r.client), "192.0.2.1", "preset address");
	check_int(hostname_calls + hostaddr_calls, 0, "methods called for preset fields");

	/* Empty fields: the method runs once, after "unknown" is stored. */
	check_str(eval_hostname(r.server), "found.example", "method name");
	check_str(eval_hostname(r.server), "found.example", "cached method name");
	check_str(eval_hostaddr(r.server), "198.51.100.7", "method address");
	eval_hostaddr(r.server);
	check_int(hostname_calls, 1, "name method calls");
	check_int(hostaddr_calls, 1, "address method calls");

	/* No ident lookup without both socket addresses (or with a datagram sink). */
	request_init(&r, 0);
	check_str(eval_user(&r), "unknown", "eval_user without sockets");
	checks_done();
}

/* hostinfo_one - eval_hostinfo for a client with this name and address ("" = not set). */
static void hostinfo_one(const char *name, const char *addr, const char *expected)
{
	struct request_info r;

	request_init(&r, RQ_CLIENT_NAME, name, RQ_CLIENT_ADDR, addr, 0);
	check_str(eval_hostinfo(r.client), expected, "eval_hostinfo(name \"%s\", addr \"%s\")", name,
	          addr);
	check_str(r.client->name, name, "eval_hostinfo looked the name up (\"%s\", \"%s\")", name,
	          addr);
}

static void test_eval_formats(void **state)
{
	struct request_info r;

	(void)state;
	hostinfo_one("h.example", "192.0.2.1", "h.example");
	hostinfo_one("", "192.0.2.1", "192.0.2.1");    /* no lookup just to print */
	hostinfo_one("unknown", "192.0.2.1", "192.0.2.1");
	hostinfo_one("paranoid", "192.0.2.1", "192.0.2.1");
	hostinfo_one("PARANOID", "192.0.2.1", "192.0.2.1");
	hostinfo_one("", "", "unknown");

	request_init(&r, RQ_CLIENT_NAME, "h.example", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	check_str(eval_client(&r), "h.example", "eval_client, user not looked up");
	check_str(r.user, "", "eval_client does not look the user up");
	request_set(&r, RQ_USER, "bob", 0);
	check_str(eval_client(&r), "bob@h.example", "eval_client with a user");
	request_set(&r, RQ_USER, "unknown", 0);
	check_str(eval_client(&r), "h.example", "eval_client with user unknown");
	request_init(&r, RQ_USER, "bob", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	check_str(eval_client(&r), "bob@192.0.2.1", "eval_client with an address only");
	request_init(&r, RQ_USER, "bob", 0);
	check_str(eval_client(&r), "bob@unknown", "eval_client with nothing known");

	request_init(&r, RQ_DAEMON, "sshd", RQ_SERVER_NAME, "s.example", RQ_SERVER_ADDR,
	             "192.0.2.2", 0);
	check_str(eval_server(&r), "sshd@s.example", "eval_server");
	request_init(&r, RQ_DAEMON, "sshd", RQ_SERVER_ADDR, "192.0.2.2", 0);
	check_str(eval_server(&r), "sshd@192.0.2.2", "eval_server with an address");
	request_init(&r, RQ_DAEMON, "sshd", 0);
	check_str(eval_server(&r), "sshd", "eval_server with an unknown server");
	request_init(&r, 0);
	check_str(eval_server(&r), "unknown", "eval_server with nothing");
	checks_done();
}

static void test_eval_port(void **state)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	(void)state;
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(22);
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(65535);
	check_str(eval_port(NULL), "0", "eval_port(NULL)");
	check_str(eval_port((struct sockaddr *)&sin), "22", "eval_port(IPv4 port 22)");
	check_str(eval_port((struct sockaddr *)&sin6), "65535", "eval_port(IPv6 port 65535)");
	sin.sin_port = 0;
	check_str(eval_port((struct sockaddr *)&sin), "0", "eval_port(port 0)");
	checks_done();
}

/* hostaddr_one - sock_hostaddr on an address of this family and text. */
static void hostaddr_one(int family, const char *text, const char *expected)
{
	struct request_info r;
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		assert_int_equal(inet_pton(AF_INET, text, &((struct sockaddr_in *)&ss)->sin_addr), 1);
	else
		assert_int_equal(inet_pton(AF_INET6, text, &((struct sockaddr_in6 *)&ss)->sin6_addr),
		                 1);
	request_init(&r, RQ_CLIENT_SIN, &ss, 0);
	sock_methods(&r);
	check_str(eval_hostaddr(r.client), expected, "address of %s", text);
}

static void test_sock_hostaddr(void **state)
{
	struct request_info r;

	(void)state;
	hostaddr_one(AF_INET, "192.0.2.1", "192.0.2.1");
	hostaddr_one(AF_INET6, "2001:db8:0::1", "2001:db8::1");
	hostaddr_one(AF_INET6, "::ffff:192.0.2.1", "::ffff:192.0.2.1"); /* shown as mapped */
	hostaddr_one(AF_INET6, "::1", "::1");
	/* No socket address: the address stays unknown. */
	request_init(&r, 0);
	sock_methods(&r);
	check_str(eval_hostaddr(r.client), "unknown", "address without a socket address");
	check_str(eval_hostname(r.client), "unknown", "name without a socket address");
	checks_done();
}

static void test_sock_host(void **state)
{
	struct request_info r;
	struct sockaddr_in a, b;
	socklen_t len = sizeof(a);
	int fds[2], rx, tx;
	char port[16];

	(void)state;
	/* Not a socket: reported, no addresses. */
	assert_int_equal(pipe(fds), 0);
	log_reset();
	request_init(&r, RQ_FILE, fds[0], 0);
	sock_host(&r);
	check_str(log_text(), "warning: can't get client address: Socket operation on non-socket",
	          "sock_host on a pipe");
	check(r.client->sin == NULL && r.server->sin == NULL, "no addresses for a pipe");
	check(r.hostname == sock_hostname && r.hostaddr == sock_hostaddr, "methods installed");
	close(fds[0]);
	close(fds[1]);

	/* A datagram socket: the sender is peeked at, and a sink is set to drain it. */
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(rx >= 0 && tx >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(rx, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&a, &len), 0);
	b = a;
	b.sin_port = 0;
	assert_int_equal(bind(tx, (struct sockaddr *)&b, sizeof(b)), 0);
	len = sizeof(b);
	assert_int_equal(getsockname(tx, (struct sockaddr *)&b, &len), 0);
	assert_int_equal(sendto(tx, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	log_reset();
	request_init(&r, RQ_FILE, rx, 0);
	sock_host(&r);
	check_str(log_text(), "", "sock_host on a datagram socket");
	check(r.sink != NULL, "a datagram request has a sink");
	check_str(eval_hostaddr(r.client), "127.0.0.1", "datagram client address");
	snprintf(port, sizeof(port), "%u", ntohs(b.sin_port));
	check_str(eval_port(r.client->sin), port, "datagram client port");
	snprintf(port, sizeof(port), "%u", ntohs(a.sin_port));
	check_str(eval_port(r.server->sin), port, "datagram server port");
	check_str(eval_user(&r), "unknown", "no ident lookup for a datagram");
	r.sink(rx); /* drains the datagram */
	check(recv(rx, port, sizeof(port), MSG_DONTWAIT) < 0, "the datagram was drained");
	close(rx);
	close(tx);
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_defaults),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_invalid_keys),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_eval_fallbacks),
		cmocka_unit_test(test_eval_formats),
		cmocka_unit_test(test_eval_port),
		cmocka_unit_test(test_sock_hostaddr),
		cmocka_unit_test(test_sock_host),
	};

	return cmocka_run_group_tests_name("request", tests, NULL, NULL);
}
