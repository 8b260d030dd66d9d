/*
 * test_spoof.c - the IPv4 source-route check (lib/spoof.c): the option scanner, and
 * fix_options()/spoof_check() on real TCP connections over the loopback of a private network
 * namespace, with the options put on the accepted socket through setsockopt(IP_OPTIONS): the
 * kernel then reports them exactly as it reports those of a received packet (reversed route
 * first, no BSD first-hop prefix).
 *
 * Expectations follow the behaviour notes §6.7, with the decided differences of
 * docs/COMPATIBILITY.md (S1): the scan starts at byte 0, IPv4-mapped clients on AF_INET6
 * sockets are checked, and the failing call is named getsockname.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "helpers.h"
#include "spoof.h"

/* Declared in lib/spoof.c only. */
enum ip_options_kind { IP_OPTIONS_NONE, IP_OPTIONS_OTHER, IP_OPTIONS_SOURCE_ROUTE };
enum ip_options_kind ip_options_scan(const unsigned char *options, size_t len);

static bool namespace_ready;

static void scan_one(const char *what, const unsigned char *options, size_t len,
                     enum ip_options_kind expected)
{
	check_int(ip_options_scan(options, len), expected, "scan of %s", what);
}

static void test_scan(void **state)
{
	static const unsigned char lsrr[] = {IPOPT_LSRR, 7, 4, 192, 0, 2, 254, IPOPT_EOL};
	static const unsigned char ssrr[] = {IPOPT_SSRR, 7, 4, 192, 0, 2, 254, IPOPT_EOL};
	static const unsigned char nop_lsrr[] = {IPOPT_NOP, IPOPT_LSRR, 7, 4, 1, 2, 3, 4};
	static const unsigned char ts_lsrr[] = {IPOPT_TS, 4, 5, 0, IPOPT_LSRR, 7, 4, 1, 2, 3, 4, 0};
	static const unsigned char rr_ssrr[] = {IPOPT_RR, 7, 4, 0, 0, 0, 0, IPOPT_SSRR, 7, 4, 1, 2,
	                                        3, 4, 0, 0};
	static const unsigned char rr[] = {IPOPT_RR, 7, 4, 0, 0, 0, 0, IPOPT_EOL};
	static const unsigned char eol_lsrr[] = {IPOPT_EOL, IPOPT_LSRR, 7, 4, 1, 2, 3, 4};
	static const unsigned char zero_len[] = {IPOPT_TS, 0, IPOPT_LSRR, 7, 4, 1, 2, 3, 4};
	static const unsigned char truncated[] = {IPOPT_RR};
	static const unsigned char nops[] = {IPOPT_NOP, IPOPT_NOP, IPOPT_NOP, IPOPT_NOP};

	(void)state;
	scan_one("nothing", lsrr, 0, IP_OPTIONS_NONE);
	/* At byte 0, where Linux puts it: the classic scan (from byte 4) missed these two. */
	scan_one("LSRR first", lsrr, sizeof(lsrr), IP_OPTIONS_SOURCE_ROUTE);
	scan_one("SSRR first", ssrr, sizeof(ssrr), IP_OPTIONS_SOURCE_ROUTE);
	scan_one("NOP, LSRR", nop_lsrr, sizeof(nop_lsrr), IP_OPTIONS_SOURCE_ROUTE);
	scan_one("timestamp, LSRR", ts_lsrr, sizeof(ts_lsrr), IP_OPTIONS_SOURCE_ROUTE);
	scan_one("record route, SSRR", rr_ssrr, sizeof(rr_ssrr), IP_OPTIONS_SOURCE_ROUTE);
	scan_one("record route", rr, sizeof(rr), IP_OPTIONS_OTHER);
	scan_one("EOL before LSRR", eol_lsrr, sizeof(eol_lsrr), IP_OPTIONS_OTHER);
	scan_one("length 0 stops the walk", zero_len, sizeof(zero_len), IP_OPTIONS_OTHER);
	scan_one("option cut after its type", truncated, sizeof(truncated), IP_OPTIONS_OTHER);
	scan_one("NOPs only", nops, sizeof(nops), IP_OPTIONS_OTHER);
	checks_done();
}

/* connected_pair - a TCP connection over loopback; *server is the accepted end. */
static bool connected_pair(int family, const char *address, int *client, int *server)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int listener = socket(family, SOCK_STREAM, 0);

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		inet_pton(AF_INET, address, &((struct sockaddr_in *)&ss)->sin_addr);
		len = sizeof(struct sockaddr_in);
	} else {
		inet_pton(AF_INET6, address, &((struct sockaddr_in6 *)&ss)->sin6_addr);
		len = sizeof(struct sockaddr_in6);
	}
	if (listener < 0 || bind(listener, (struct sockaddr *)&ss, len) != 0 ||
	    listen(listener, 1) != 0 || getsockname(listener, (struct sockaddr *)&ss, &len) != 0)
		return false;
	*client = socket(family, SOCK_STREAM, 0);
	if (*client < 0 || connect(*client, (struct sockaddr *)&ss, len) != 0)
		return false;
	*server = accept(listener, NULL, NULL);
	close(listener);
	return *server >= 0;
}

struct connection_case {
	const char *what;
	int family;
	const char *address;
	const unsigned char *options; /* set on the accepted socket; NULL: none */
	size_t len;
	bool allowed;    /* spoof_check() result */
	const char *log; /* every recorded message; %s: the client address */
};

static const unsigned char lsrr[] = {IPOPT_LSRR, 7, 4, 127, 0, 0, 1, IPOPT_EOL};
static const unsigned char ssrr[] = {IPOPT_NOP, IPOPT_SSRR, 7, 4, 127, 0, 0, 1};
static const unsigned char record_route[] = {IPOPT_RR, 7, 4, 0, 0, 0, 0, IPOPT_EOL};

static const struct connection_case connection_cases[] = {
	{"IPv4, no options", AF_INET, "127.0.0.1", NULL, 0, true, ""},
	{"IPv4, loose source route", AF_INET, "127.0.0.1", lsrr, sizeof(lsrr), false,
	 "refused connect from %s with IP source routing options"},
	{"IPv4, strict source route", AF_INET, "127.0.0.1", ssrr, sizeof(ssrr), false,
	 "refused connect from %s with IP source routing options"},
	{"IPv4, record route", AF_INET, "127.0.0.1", record_route, sizeof(record_route), true,
	 "connect from %s with IP options (ignored): 07 07 04 00 00 00 00 00"},
	{"IPv4-mapped, no options", AF_INET6, "::ffff:127.0.0.1", NULL, 0, true, ""},
	{"IPv4-mapped, loose source route", AF_INET6, "::ffff:127.0.0.1", lsrr, sizeof(lsrr),
	 false, "refused connect from %s with IP source routing options"},
	{"IPv4-mapped, record route", AF_INET6, "::ffff:127.0.0.1", record_route,
	 sizeof(record_route), true,
	 "connect from %s with IP options (ignored): 07 07 04 00 00 00 00 00"},
	/* Native IPv6 has no IPv4 options, whatever the socket was told. */
	{"IPv6, options set on the socket", AF_INET6, "::1", lsrr, sizeof(lsrr), true, ""},
};

static void connection_one(const struct connection_case *c)
{
	struct request_info r;
	unsigned char left[64];
	socklen_t left_len = sizeof(left);
	char expected[256], byte;
	int client = -1, server = -1;

	if (!check(connected_pair(c->family, c->address, &client, &server),
	           "%s: connection: %s", c->what, strerror(errno)))
		return;
	if (c->options != NULL &&
	    !check(setsockopt(server, IPPROTO_IP, IP_OPTIONS, c->options, (socklen_t)c->len) == 0,
	           "%s: setsockopt: %s", c->what, strerror(errno)))
		return;
	request_init(&r, RQ_FILE, server, 0);
	sock_host(&r);
	log_reset();
	check_int(spoof_check(&r), c->allowed, "%s: verdict", c->what);
	snprintf(expected, sizeof(expected), c->log, c->address);
	check_str(log_text(), expected, "%s: log", c->what);
	if (c->allowed) {
		/* Allowed with options: they are cleared, so replies no longer follow them. */
		if (c->family == AF_INET || strchr(c->address, '.') != NULL) {
			check(getsockopt(server, IPPROTO_IP, IP_OPTIONS, left, &left_len) == 0 &&
			          left_len == 0,
			      "%s: options cleared (%u bytes left)", c->what, (unsigned)left_len);
		}
		check(write(server, "x", 1) == 1 && read(client, &byte, 1) == 1,
		      "%s: the connection still works", c->what);
	} else {
		/* Refused: shut down both ways.  (Checked on our end: the FIN itself would carry
		 * the source route, which this namespace's loopback drops.) */
		check(recv(server, &byte, 1, MSG_DONTWAIT) == 0, "%s: nothing more is read",
		      c->what);
		check(send(server, "x", 1, MSG_NOSIGNAL) < 0 && errno == EPIPE, "%s: nothing can be sent",
		      c->what);
	}
	close(client);
	close(server);
}

static void test_connections(void **state)
{
	(void)state;
	if (!namespace_ready)
		fail_msg("needs root (or user namespaces) for a private loopback");
	for (size_t i = 0; i < sizeof(connection_cases) / sizeof(connection_cases[0]); i++)
		connection_one(&connection_cases[i]);
	checks_done();
}

static void test_not_a_socket(void **state)
{
	struct request_info r;
	int fds[2];

	(void)state;
	/* A pipe: reported (the classic text said getpeername), allowed, nothing else done. */
	assert_int_equal(pipe(fds), 0);
	request_init(&r, RQ_FILE, fds[0], 0);
	log_reset();
	check(spoof_check(&r), "a pipe has no IP options");
	check_str(log_text(), "getsockname: Socket operation on non-socket", "log for a pipe");
	check_int(log_priority(0), LOG_ERR, "priority for a pipe");
	close(fds[0]);
	close(fds[1]);
	/* A UNIX socket: not IP, silently allowed. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	request_init(&r, RQ_FILE, fds[0], 0);
	log_reset();
	fix_options(&r);
	check_str(log_text(), "", "log for a UNIX socket");
	check(write(fds[0], "x", 1) == 1, "a UNIX socket is left alone");
	close(fds[0]);
	close(fds[1]);
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_connections, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_not_a_socket, fixture_setup, fixture_teardown),
	};

	/* The whole binary lives in its own network namespace: only its own loopback. */
	namespace_ready = unshare(CLONE_NEWNET) == 0 && loopback_up();
	return cmocka_run_group_tests_name("spoof", tests, NULL, NULL);
}
