/*
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) The tcpwrappers authors
 *
 * test_services.c - the readers behind tcpdchk --coverage: /proc/net socket lines
 * (src/tcpdchk/procnet.c) and the super-server and daemon configurations
 * (src/tcpdchk/services.c: inetd.conf through src/common/inetcf.c, xinetd.conf with
 * includedir, systemd Accept=yes socket units, stunnel, vsftpd).
 *
 * Each service is described as one line "NAME PROTO/PORT SERVER tcpd|direct DAEMON FLAGS",
 * so a table row reads as what coverage will conclude from the configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "procnet.h"
#include "services.h"

/* describe - one service as a line. */
static void describe(const struct service *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s/%u %s %s %s%s%s%s", s->name, s->proto, s->port,
	         s->server != NULL ? s->server : "-", s->via_tcpd ? "tcpd" : "direct",
	         s->daemon != NULL ? s->daemon : "-", s->disabled ? " disabled" : "",
	         s->no_libwrap ? " no-libwrap" : "",
	         s->libwrap_name != NULL ? " libwrap-name" : "");
}

/* expect_services - the list holds exactly these descriptions, in order. */
static void expect_services(const struct service_list *list, const char *const *want,
                            size_t n, const char *what)
{
	char buf[1024];

	check_int((long)list->count, (long)n, "%s: number of services", what);
	for (size_t i = 0; i < list->count && i < n; i++) {
		describe(&list->items[i], buf, sizeof(buf));
		check_str(buf, want[i], "%s: service %zu", what, i);
	}
	check(!list->failed, "%s: no failure", what);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* One /proc/net line and what procnet_parse_line() makes of it. */
struct net_row {
	const char *proto, *line;
	bool listening;
	const char *address;
	unsigned port;
	unsigned long inode;
};

static void test_procnet_lines(void **state)
{
	(void)state;
	static const struct net_row rows[] = {
		/* TCP listening on 127.0.0.1:22 (state 0A), uid 0, inode 12345 */
		{"tcp", "   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0",
		 true, "127.0.0.1", 22, 12345},
		/* an established connection: not a listener */
		{"tcp", "   1: 0100007F:0016 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 12346 1 0000000000000000 20 4 30 10 -1",
		 false, "127.0.0.1", 22, 12346},
		/* IPv6 [::]:7000 listening; words in host byte order */
		{"tcp6", "   0: 00000000000000000000000000000000:1B58 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 100 0 0 10 0",
		 true, "::", 7000, 777},
		/* IPv6 2001:db8::1 */
		{"tcp6", "   0: B80D0120000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 778 1 0000000000000000 100 0 0 10 0",
		 true, "2001:db8::1", 80, 778},
		/* UDP bound to 0.0.0.0:69, unconnected (07) */
		{"udp", "  10: 00000000:0045 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 0",
		 true, "0.0.0.0", 69, 4242},
		/* UDP connected (01): a client */
		{"udp", "  11: 0A00000A:D431 0100000A:0035 01 00000000:00000000 00:00000000 00000000     0        0 4243 2 0000000000000000 0",
		 false, "10.0.0.10", 54321, 4243},
		/* malformed lines */
		{"tcp", "   0: 0100007F:0016", false, "", 0, 0},
		{"tcp", "   0: 0100007G:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1",
		 false, "", 0, 0},
		{"tcp", "", false, "", 0, 0},
	};
	for (size_t i = 0; i < N(rows); i++) {
		struct net_socket s;
		bool got = procnet_parse_line(rows[i].proto, rows[i].line, &s);

		check(got == rows[i].listening, "row %zu: listening %d", i, got);
		if (rows[i].port == 0)
			continue;
		check_str(s.address, rows[i].address, "row %zu: address", i);
		check_int(s.port, rows[i].port, "row %zu: port", i);
		check_int((long)s.inode, (long)rows[i].inode, "row %zu: inode", i);
	}
	checks_done();
}

static void test_procnet_read(void **state)
{
	(void)state;
	struct net_sockets sockets = {0};

	mkdir(tmp_path("net"), 0755);
	tmp_write("net/tcp", "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	          "   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n");
	tmp_write("net/udp6", "  sl  local_address remote_address st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	          "   0: 00000000000000000000000000000000:0045 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 2 2 0 0\n");
	/* tcp6 and udp missing: a kernel without them reads as empty */
	check_int(procnet_read(tmp_path("net"), &sockets), 0, "procnet_read");
	check_int((long)sockets.count, 2, "two listeners");
	if (sockets.count == 2) {
		check_str(sockets.items[0].proto, "tcp", "first in file order");
		check_str(sockets.items[1].proto, "udp6", "then udp6");
		check_int(sockets.items[1].port, 69, "udp6 port");
	}
	procnet_free(&sockets);
	checks_done();
}

static void test_inetd(void **state)
{
	(void)state;
	struct service_list list = {0};
	static const char *const want[] = {
		"7000 tcp/7000 /usr/sbin/tcpd tcpd in.ftpd",
		"ftp tcp/21 /usr/sbin/tcpd tcpd in.ftpd",
		"tftp udp/69 /usr/sbin/tcpd tcpd in.tftpd",
		"7001 tcp/7001 /bin/echo direct echo",
		"telnet tcp/23 /usr/sbin/in.telnetd direct in.telnetd",
		"7002 tcp/7002 /usr/sbin/tcpd tcpd relative",
	};

	tmp_write("inetd.conf",
	          "# comment\n"
	          "7000\tstream\ttcp\tnowait\troot\t/usr/sbin/tcpd\t/usr/sbin/in.ftpd -l\n"
	          "127.0.0.1:ftp stream tcp6 nowait root /usr/sbin/tcpd in.ftpd\n"
	          "tftp dgram udp wait root /usr/sbin/tcpd /usr/sbin/in.tftpd -s /srv\n"
	          "7001 stream tcp nowait root /bin/echo echo hi\n"
	          "echo stream tcp nowait root internal\n"
	          "telnet stream tcp nowait root /usr/sbin/in.telnetd \\\n"
	          "  /usr/sbin/in.telnetd\n"
	          "incomplete stream tcp nowait root /bin/x\n"
	          "7002 stream tcp nowait root /usr/sbin/tcpd relative\n");
	check_int(services_inetd(tmp_path("inetd.conf"), &list), 0, "services_inetd");
	expect_services(&list, want, N(want), "inetd.conf");
	if (list.count >= 5)
		check_int(list.items[4].line, 8, "a continued entry's line is where it ends");
	check_int(log_count(), 0, "no warnings: coverage reads quietly");
	services_free(&list);
	check_int(services_inetd(tmp_path("missing"), &list), -1, "a missing file");
	checks_done();
}

static void test_xinetd(void **state)
{
	(void)state;
	struct service_list list = {0};
	static const char *const want[] = {
		"main tcp/7010 /usr/sbin/tcpd tcpd in.maind",
		"ftp tcp/21 /usr/sbin/vsftpd direct ftp",
		"off tcp/7011 /bin/echo direct off disabled",
		"nolib udp/7012 /bin/echo direct nolib no-libwrap",
		"named tcp/7013 /bin/echo direct other libwrap-name",
	};
	char conf[4096];

	mkdir(tmp_path("xinetd.d"), 0755);
	snprintf(conf, sizeof(conf),
	         "defaults\n{\n\tinstances = 60\n}\n"
	         "service main\n{\n\tport = 7010\n\tsocket_type = stream\n\tprotocol = tcp\n"
	         "\tserver = /usr/sbin/tcpd\n\tserver_args = /usr/sbin/in.maind -v\n}\n"
	         "includedir %s\n", tmp_path("xinetd.d"));
	tmp_write("xinetd.conf", conf);
	tmp_write("xinetd.d/a-ftp", "service ftp\n{\n\tsocket_type = stream\n"
	          "\tserver = /usr/sbin/vsftpd\n}\n");
	tmp_write("xinetd.d/b-off", "service off\n{\n\tport = 7011\n\tdisable = yes\n"
	          "\tserver = /bin/echo\n}\n");
	tmp_write("xinetd.d/c-nolib", "# comment\nservice nolib\n{\n\tport = 7012\n"
	          "\tsocket_type = dgram\n\tflags = IPv6\n\tflags += NOLIBWRAP\n\tserver = /bin/echo\n}\n");
	tmp_write("xinetd.d/d-named", "service named\n{\n\tport = 7013\n\tlibwrap = other\n"
	          "\tserver = /bin/echo\n}\n");
	tmp_write("xinetd.d/skipped.dpkg-old", "service skipped\n{\n\tport = 1\n}\n");
	tmp_write("xinetd.d/skipped~", "service backup\n{\n\tport = 2\n}\n");
	check_int(services_xinetd(tmp_path("xinetd.conf"), &list), 0, "services_xinetd");
	expect_services(&list, want, N(want), "xinetd.conf");
	services_free(&list);
	checks_done();
}

static void test_systemd(void **state)
{
	(void)state;
	struct service_list list = {0};
	const char *dirs[] = {NULL, NULL};
	static const char *const want[] = {
		"finger.socket tcp/79 /usr/sbin/tcpd tcpd in.fingerd",
		"plain.socket tcp/7020 /usr/bin/plaind direct plaind",
	};
	char dir[1024];

	snprintf(dir, sizeof(dir), "%s", tmp_path("units"));
	mkdir(dir, 0755);
	tmp_write("units/finger.socket", "[Socket]\nListenStream=[::]:79\nAccept=yes\n");
	tmp_write("units/finger@.service", "[Service]\nExecStart=-/usr/sbin/tcpd /usr/sbin/in.fingerd\n"
	          "StandardInput=socket\n");
	tmp_write("units/plain.socket", "[Socket]\nListenStream=7020\nAccept=true\nService=p@.service\n");
	tmp_write("units/p@.service", "[Service]\nExecStart=/usr/bin/plaind --inetd\n");
	tmp_write("units/noaccept.socket", "[Socket]\nListenStream=7021\n");
	tmp_write("units/unix.socket", "[Socket]\nListenStream=/run/x.sock\nAccept=yes\n");
	check_int(services_systemd_dir(dir, dirs, &list), 0, "services_systemd_dir");
	/* the unix socket has no port: listed with port 0, never matched to a listener */
	check_int((long)list.count, 3, "three Accept=yes units");
	if (list.count == 3) {
		char buf[512];

		describe(&list.items[0], buf, sizeof(buf));
		check_str(buf, want[0], "finger");
		describe(&list.items[1], buf, sizeof(buf));
		check_str(buf, want[1], "plain");
		check_int(list.items[2].port, 0, "a unix socket has no port");
	}
	services_free(&list);
	check_int(services_systemd_dir(tmp_path("nothing"), dirs, &list), 0, "a missing directory");
	checks_done();
}

static void test_stunnel(void **state)
{
	(void)state;
	struct service_list list = {0};
	static const char *const want[] = {
		"yes tcp/7030 - direct yes",
		"no tcp/7031 - direct no no-libwrap",
		"default tcp/7032 - direct default",
	};

	tmp_write("stunnel.conf", "; global\nforeground = yes\nlibwrap = yes\n"
	          "[yes]\naccept = 192.0.2.1:7030\nconnect = 9\n"
	          "[no]\naccept = 7031\nlibwrap = no\n"
	          "[default]\naccept = [::]:7032\n");
	check_int(services_stunnel(tmp_path("stunnel.conf"), &list), 0, "services_stunnel");
	expect_services(&list, want, N(want), "stunnel.conf (global yes)");
	services_free(&list);

	tmp_write("stunnel2.conf", "[plain]\naccept = 7033\n");
	check_int(services_stunnel(tmp_path("stunnel2.conf"), &list), 0, "services_stunnel");
	static const char *const want2[] = {"plain tcp/7033 - direct plain no-libwrap"};
	expect_services(&list, want2, N(want2), "stunnel.conf (default no)");
	services_free(&list);
	checks_done();
}

static void test_vsftpd(void **state)
{
	(void)state;
	tmp_write("v1", "listen=YES\ntcp_wrappers=YES\n");
	tmp_write("v2", "listen=YES\n");
	tmp_write("v3", "tcp_wrappers=YES\ntcp_wrappers=NO\n");
	check_int(services_vsftpd(tmp_path("v1")), 1, "tcp_wrappers=YES");
	check_int(services_vsftpd(tmp_path("v2")), 0, "default NO");
	check_int(services_vsftpd(tmp_path("v3")), 0, "the last setting wins");
	check_int(services_vsftpd(tmp_path("missing")), -1, "unreadable");
	checks_done();
}

static void test_ports(void **state)
{
	(void)state;
	check_int(services_port("7000", "tcp"), 7000, "numeric");
	check_int(services_port("65536", "tcp"), 0, "out of range");
	check_int(services_port("0", "tcp"), 0, "zero");
	check_int(services_port("no-such-service-name", "tcp"), 0, "unknown name");
	check_int(services_port("7x", "tcp"), 0, "trailing garbage");
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_procnet_lines, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_procnet_read, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_inetd, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_xinetd, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_systemd, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_stunnel, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_vsftpd, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ports, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
