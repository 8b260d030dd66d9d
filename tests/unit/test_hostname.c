/*
 * test_hostname.c - sock_hostname() (lib/request.c): the client's name after double-reverse
 * verification, with the real resolver of glibc reading a private /etc/hosts.
 *
 * The binary runs in its own mount and network namespaces: /etc/hosts and /etc/nsswitch.conf
 * ("hosts: files") are bind-mounted from private files, and no DNS server is reachable, so
 * every lookup is answered by the files backend alone.  Expectations follow the behaviour
 * notes §6.4 (what the reference decides for IPv4, IPv6 and IPv4-mapped addresses, and its
 * warning texts); mismatching PTR and forward records, which a hosts file cannot express,
 * are covered by tests/integration/t_identity.sh with DNS.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helpers.h"

#define LONG_LABEL                                                                               \
	"llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllll" \
	"llllllllllllllllllllllllllllllll" /* 120 bytes */

static const char hosts_file[] = "127.0.0.1\tlocalhost\n"
                                 "192.0.2.10\ttrusted.example.com\n"
                                 "2001:db8::10\ttrusted6.example.com\n"
                                 "192.0.2.11\tMixed.Example.ORG\n"
                                 "192.0.2.12\t198.51.100.99\n"
                                 "2001:db8::12\t2001:db8::99\n"
                                 "192.0.2.13\tdot.example.org.\n"
                                 "192.0.2.14\t" LONG_LABEL ".example\n"
                                 "192.0.2.15\tlocalbox\n";

static const char *namespace_problem; /* NULL: the private resolver is in place */

struct name_case {
	const char *what;
	int family;
	const char *address;
	const char *name;    /* the verdict: a name, "unknown" or "paranoid" */
	const char *warning; /* every logged message */
};

static const struct name_case name_cases[] = {
	{"consistent", AF_INET, "192.0.2.10", "trusted.example.com", ""},
	{"consistent, IPv6", AF_INET6, "2001:db8::10", "trusted6.example.com", ""},
	{"consistent, IPv4-mapped", AF_INET6, "::ffff:192.0.2.10", "trusted.example.com", ""},
	{"the PTR's case is kept", AF_INET, "192.0.2.11", "Mixed.Example.ORG", ""},
	{"a dotless name", AF_INET, "192.0.2.15", "localbox", ""},
	/* The files backend gives the same text back as the canonical name, dot included. */
	{"a trailing dot is kept", AF_INET, "192.0.2.13", "dot.example.org.", ""},
	{"no name", AF_INET, "192.0.2.99", "unknown", ""},
	{"no name, IPv6", AF_INET6, "2001:db8::99", "unknown", ""},
	{"no name, IPv4-mapped", AF_INET6, "::ffff:192.0.2.99", "unknown", ""},
	{"a numeric name", AF_INET, "192.0.2.12", "paranoid",
	 "warning: host name/name mismatch: reverse lookup results in non-FQDN 198.51.100.99"},
	{"a numeric name, IPv4-mapped", AF_INET6, "::ffff:192.0.2.12", "paranoid",
	 "warning: host name/name mismatch: reverse lookup results in non-FQDN 198.51.100.99"},
	{"a numeric name, IPv6", AF_INET6, "2001:db8::12", "paranoid",
	 "warning: host name/name mismatch: reverse lookup results in non-FQDN 2001:db8::99"},
	/* Cut to 127 bytes, as the reference does: the cut name has no address any more. */
	{"a name over 127 bytes", AF_INET, "192.0.2.14", "paranoid",
	 "warning: can't verify hostname: getaddrinfo(" LONG_LABEL ".exampl, AF_INET) failed"},
};

/* request_for - a request whose client is the socket address for `address`. */
static void request_for(struct request_info *r, struct sockaddr_storage *ss, int family,
                        const char *address)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	if (family == AF_INET)
		assert_int_equal(inet_pton(AF_INET, address,
		                           &((struct sockaddr_in *)ss)->sin_addr), 1);
	else
		assert_int_equal(inet_pton(AF_INET6, address,
		                           &((struct sockaddr_in6 *)ss)->sin6_addr), 1);
	request_init(r, RQ_CLIENT_SIN, ss, 0);
	sock_methods(r);
}

static void test_names(void **state)
{
	struct request_info r;
	struct sockaddr_storage ss;

	(void)state;
	if (namespace_problem != NULL)
		fail_msg("needs root for a private /etc/hosts: %s", namespace_problem);
	for (size_t i = 0; i < sizeof(name_cases) / sizeof(name_cases[0]); i++) {
		const struct name_case *c = &name_cases[i];

		request_for(&r, &ss, c->family, c->address);
		log_reset();
		check_str(eval_hostname(r.client), c->name, "%s: name of %s", c->what, c->address);
		check_str(log_text(), c->warning, "%s: log", c->what);
	}
	checks_done();
}

static void test_lookup_once(void **state)
{
	struct request_info r;
	struct sockaddr_storage ss;

	(void)state;
	if (namespace_problem != NULL)
		fail_msg("needs root for a private /etc/hosts: %s", namespace_problem);
	/* The verdict is cached in the request: a second evaluation neither looks up nor
	 * warns again, and %h-style output (eval_hostinfo) then prefers the address. */
	request_for(&r, &ss, AF_INET, "192.0.2.12");
	log_reset();
	check_str(eval_hostinfo(r.client), "192.0.2.12", "hostinfo before the lookup");
	check_int((long)log_count(), 0, "hostinfo alone looks nothing up");
	check_str(eval_hostname(r.client), "paranoid", "first evaluation");
	check_str(eval_hostname(r.client), "paranoid", "second evaluation");
	check_int((long)log_count(), 1, "one warning for two evaluations");
	check_str(eval_hostinfo(r.client), "192.0.2.12", "hostinfo of a paranoid host");
	check_str(eval_client(&r), "192.0.2.12", "client of a paranoid host");
	request_for(&r, &ss, AF_INET, "192.0.2.10");
	check_str(eval_hostinfo(r.client), "192.0.2.10", "hostinfo before the name lookup");
	check_str(eval_hostname(r.client), "trusted.example.com", "verified name");
	check_str(eval_hostinfo(r.client), "trusted.example.com", "hostinfo after it");
	/* Names preset by the caller are trusted as they are: no lookup. */
	request_init(&r, RQ_CLIENT_SIN, &ss, RQ_CLIENT_NAME, "preset.example", 0);
	sock_methods(&r);
	check_str(eval_hostname(r.client), "preset.example", "a preset name is kept");
	checks_done();
}

static void test_not_ip(void **state)
{
	struct request_info r;
	struct sockaddr_storage ss;

	(void)state;
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	request_init(&r, RQ_CLIENT_SIN, &ss, 0);
	sock_methods(&r);
	log_reset();
	check_str(eval_hostname(r.client), "unknown", "name of an AF_UNIX address");
	check_str(log_text(), "", "no log for AF_UNIX");
	checks_done();
}

/* bind_file - bind-mount a private copy of `text` over `target`. */
static const char *bind_file(const char *target, const char *text)
{
	char path[] = "/tmp/tw-hostname.XXXXXX";
	int fd = mkstemp(path);
	size_t len = strlen(text);
	const char *problem = NULL;

	if (fd < 0)
		return "mkstemp failed";
	if (write(fd, text, len) != (ssize_t)len)
		problem = "write failed";
	close(fd);
	if (problem == NULL && mount(path, target, NULL, MS_BIND, NULL) != 0)
		problem = "bind mount failed";
	unlink(path); /* the mount keeps the file alive */
	return problem;
}

/* private_resolver - own mount and network namespaces, and the private files. */
static const char *private_resolver(void)
{
	struct ifreq ifr;
	const char *problem;
	int fd;

	if (unshare(CLONE_NEWNS | CLONE_NEWNET) != 0)
		return "unshare failed";
	/* Nothing mounted here may reach the machine's own mount namespace. */
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return "cannot make mounts private";
	if ((problem = bind_file("/etc/hosts", hosts_file)) != NULL ||
	    (problem = bind_file("/etc/nsswitch.conf", "hosts: files\n")) != NULL)
		return problem;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return "no socket";
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		(void)ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lookup_once, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_not_ip, fixture_setup, fixture_teardown),
	};

	namespace_problem = private_resolver();
	return cmocka_run_group_tests_name("hostname", tests, NULL, NULL);
}
