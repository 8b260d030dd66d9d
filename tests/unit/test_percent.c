/*
 * test_percent.c - %-expansion and its sanitising (lib/percent.c), through percent_x() and
 * percent_sanitise().
 *
 * Expectations follow the behaviour notes §5 and §13.15: every letter with its fallback, no
 * lookup for %h/%c, "unrecognized %X" expanding to nothing, a final lone '%' kept, at most
 * len - 2 characters, and exactly [0-9A-Za-z] plus "!@%-_=+:,./" surviving in expanded values
 * (sanitised where they are cached).  Deliberate differences: an over-long expansion logs and
 * returns an empty result instead of exiting; a value's leading '-' becomes '_' (O5).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "percent.h"

static int name_lookups;

/* fake_hostname - a name method that counts its calls and finds "looked.up". */
static void fake_hostname(struct host_info *host)
{
	name_lookups++;
	snprintf(host->name, sizeof(host->name), "looked.up");
}

/* pct_one - percent_x(len, text) on the request: the result and the whole log. */
static void pct_one(struct request_info *r, const char *text, int len, const char *expected,
                    const char *log)
{
	char result[9000], copy[9000];
	char *ret;

	memset(result, 'Z', sizeof(result));
	strcpy(copy, text);
	log_reset();
	ret = percent_x(result, len, copy, r);
	check(ret == result, "percent_x(\"%s\") returns its buffer", text);
	check_str(result, expected, "percent_x(%d, \"%s\")", len, text);
	check_str(log_text(), log, "log of percent_x(%d, \"%s\")", len, text);
}

/* full_request - every field given as a string. */
static void full_request(struct request_info *r)
{
	request_init(r, RQ_DAEMON, "sshd", RQ_USER, "bob", RQ_CLIENT_NAME, "client.example",
	             RQ_CLIENT_ADDR, "192.0.2.1", RQ_SERVER_NAME, "server.example", RQ_SERVER_ADDR,
	             "192.0.2.2", 0);
}

static void test_letters(void **state)
{
	struct request_info r;
	char pid[16];

	(void)state;
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	full_request(&r);
	pct_one(&r, "%a", 100, "192.0.2.1", "");
	pct_one(&r, "%A", 100, "192.0.2.2", "");
	pct_one(&r, "%c", 100, "bob@client.example", "");
	pct_one(&r, "%d", 100, "sshd", "");
	pct_one(&r, "%h", 100, "client.example", "");
	pct_one(&r, "%H", 100, "server.example", "");
	pct_one(&r, "%n", 100, "client.example", "");
	pct_one(&r, "%N", 100, "server.example", "");
	pct_one(&r, "%p", 100, pid, "");
	pct_one(&r, "%r", 100, "0", "");  /* no socket address */
	pct_one(&r, "%R", 100, "0", "");
	pct_one(&r, "%s", 100, "sshd@server.example", "");
	pct_one(&r, "%u", 100, "bob", "");
	pct_one(&r, "%%", 100, "%", "");
	pct_one(&r, "x %d y %a z", 100, "x sshd y 192.0.2.1 z", "");
	pct_one(&r, "", 100, "", "");
	pct_one(&r, "no percent", 100, "no percent", "");
	checks_done();
}

static void test_fallbacks(void **state)
{
	struct request_info r;

	(void)state;
	request_init(&r, 0);
	pct_one(&r, "%a", 100, "unknown", "");
	pct_one(&r, "%A", 100, "unknown", "");
	pct_one(&r, "%c", 100, "unknown", "");
	pct_one(&r, "%d", 100, "unknown", "");
	pct_one(&r, "%h", 100, "unknown", "");
	pct_one(&r, "%H", 100, "unknown", "");
	pct_one(&r, "%n", 100, "unknown", "");
	pct_one(&r, "%N", 100, "unknown", "");
	pct_one(&r, "%u", 100, "unknown", "");
	pct_one(&r, "%s", 100, "unknown", ""); /* just the daemon */
	pct_one(&r, "%r%R", 100, "00", "");

	/* %s: daemon@server unless the server is unknown. */
	request_init(&r, RQ_DAEMON, "sshd", RQ_SERVER_ADDR, "192.0.2.2", 0);
	pct_one(&r, "%s", 100, "sshd@192.0.2.2", "");
	request_init(&r, RQ_DAEMON, "sshd", 0);
	pct_one(&r, "%s", 100, "sshd", "");
	checks_done();
}

static void test_no_lookups(void **state)
{
	struct request_info r;

	(void)state;
	/* %h and %c give the address while the name has not been looked up, and never look it
	 * up themselves; %n does. */
	request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	r.hostname = fake_hostname;
	name_lookups = 0;
	pct_one(&r, "%h %c", 100, "192.0.2.1 192.0.2.1", "");
	check_int(name_lookups, 0, "name lookups for %%h %%c");
	check_str(r.client->name, "", "client name after %%h");
	pct_one(&r, "%n", 100, "looked.up", "");
	check_int(name_lookups, 1, "name lookups for %%n");
	pct_one(&r, "%h %c", 100, "looked.up looked.up", "");
	check_int(name_lookups, 1, "name lookups for %%h after %%n");

	/* A name that failed or is paranoid: %h falls back to the address. */
	request_init(&r, RQ_CLIENT_ADDR, "192.0.2.1", RQ_CLIENT_NAME, "paranoid", 0);
	pct_one(&r, "%h", 100, "192.0.2.1", "");
	request_init(&r, RQ_CLIENT_ADDR, "192.0.2.1", 0);
	pct_one(&r, "%n %h", 100, "unknown 192.0.2.1", "");

	/* %c shows the user only once it is known, and never asks for it. */
	request_init(&r, RQ_CLIENT_ADDR, "192.0.2.1", 0);
	pct_one(&r, "%c", 100, "192.0.2.1", "");
	check_str(r.user, "", "user after %%c");
	pct_one(&r, "%u %c", 100, "unknown 192.0.2.1", "");
	request_init(&r, RQ_CLIENT_ADDR, "192.0.2.1", RQ_USER, "alice", 0);
	pct_one(&r, "%c", 100, "alice@192.0.2.1", "");
	checks_done();
}

static void test_ports(void **state)
{
	struct request_info r;
	struct sockaddr_in client;
	struct sockaddr_in6 server;

	(void)state;
	memset(&client, 0, sizeof(client));
	memset(&server, 0, sizeof(server));
	client.sin_family = AF_INET;
	client.sin_port = htons(40000);
	server.sin6_family = AF_INET6;
	server.sin6_port = htons(22);
	request_init(&r, RQ_CLIENT_SIN, &client, RQ_SERVER_SIN, &server, 0);
	pct_one(&r, "%r %R", 100, "40000 22", "");
	checks_done();
}

static void test_unknown_and_trailing(void **state)
{
	struct request_info r;

	(void)state;
	full_request(&r);
	pct_one(&r, "a%Xb", 100, "ab", "warning: unrecognized %X");
	pct_one(&r, "%X%Y", 100, "", "warning: unrecognized %X\nwarning: unrecognized %Y");
	pct_one(&r, "%1", 100, "", "warning: unrecognized %1");
	pct_one(&r, "% d", 100, "d", "warning: unrecognized % ");
	pct_one(&r, "abc%", 100, "abc%", "");
	pct_one(&r, "%", 100, "%", "");
	pct_one(&r, "%%%", 100, "%%", "");
	pct_one(&r, "%d%", 100, "sshd%", "");
	checks_done();
}

static void test_length_one_byte(void **state)
{
	struct request_info r;

	(void)state;
	full_request(&r);
	/* A one-byte buffer holds only the terminator: any text overflows, and says so. */
	pct_one(&r, "", 1, "", "");
	pct_one(&r, "x", 1, "", "warning: percent_x: expansion too long: ...");
	checks_done();
}

static void test_length(void **state)
{
	struct request_info r;

	(void)state;
	full_request(&r);
	/* At most len - 2 characters. */
	pct_one(&r, "12345678", 10, "12345678", "");
	pct_one(&r, "123456789", 10, "", "warning: percent_x: expansion too long: ...");
	pct_one(&r, "%d", 6, "sshd", "");
	pct_one(&r, "%d", 5, "", "warning: percent_x: expansion too long: ...");
	pct_one(&r, "abc%d%d", 11, "", "warning: percent_x: expansion too long: abcsshd...");
	pct_one(&r, "abc%d%d", 13, "abcsshdsshd", "");
	pct_one(&r, "x", 2, "", "warning: percent_x: expansion too long: ...");
	/* The partial text in the message is cut at 30 characters. */
	pct_one(&r, "0123456789012345678901234567890123456789%d", 44, "",
	        "warning: percent_x: expansion too long: 012345678901234567890123456789...");
	/* percent_expand() reports the overflow. */
	{
		char small[4];

		check(!percent_expand(small, sizeof(small), "abc", &r), "percent_expand overflow");
		check_str(small, "", "percent_expand result on overflow");
		check(percent_expand(small, sizeof(small), "ab", &r), "percent_expand fits");
		check_str(small, "ab", "percent_expand result");
	}
	checks_done();
}

/* shell_safe - the set of bytes that survive sanitising (§5.2). */
static bool shell_safe(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       strchr("!@%-_=+:,./", c) != NULL;
}

static void test_sanitise_every_byte(void **state)
{
	int survivors = 0;

	(void)state;
	for (int c = 1; c < 256; c++) {
		char value[4] = {'a', (char)c, 'b', '\0'};

		percent_sanitise(value);
		check(value[0] == 'a' && value[2] == 'b' && value[3] == '\0',
		      "percent_sanitise changed the neighbours of byte 0x%02x", c);
		check(value[1] == (shell_safe(c) ? (char)c : '_'),
		      "percent_sanitise(byte 0x%02x) = 0x%02x", c, (unsigned char)value[1]);
		survivors += value[1] == (char)c;
	}
	check_int(survivors, 10 + 26 + 26 + 11, "bytes that survive");
	checks_done();
}

static void test_sanitise_values(void **state)
{
	struct request_info r;
	char all[128], expected[128];

	(void)state;
	/* Every byte 1..127 in one value. */
	for (int c = 1; c < 128; c++) {
		all[c - 1] = (char)c;
		expected[c - 1] = shell_safe(c) ? (char)c : '_';
	}
	all[127] = expected[127] = '\0';
	request_init(&r, RQ_USER, all, 0);
	{
		char result[300], text[] = "%u";

		percent_x(result, sizeof(result), text, &r);
		check_str(result, expected, "%%u with bytes 1..127");
		check_str(r.user, expected, "user field after %%u with bytes 1..127");
	}
	/* And every byte 128..255, through a host name: none survives. */
	for (int c = 128; c < 256; c++)
		all[c - 128] = (char)c;
	all[127] = '\0'; /* 128..254: a request field holds 127 bytes */
	memset(expected, '_', 127);
	expected[127] = '\0';
	request_init(&r, RQ_CLIENT_NAME, all, 0);
	{
		char result[300], text[] = "%n";

		percent_x(result, sizeof(result), text, &r);
		check_str(result, expected, "%%n with bytes 128..254");
	}
	request_init(&r, RQ_USER, "\xff", 0);
	pct_one(&r, "%u", 100, "_", "");

	/* The examples of §5.2. */
	request_init(&r, RQ_USER, "us'er\"<>&~#*?[]{}\\\\\xc3\xa9", RQ_CLIENT_NAME,
	             "host name;`rm`$(x)", 0);
	pct_one(&r, "%u", 100, "us_er________________", "");
	pct_one(&r, "%n", 100, "host_name__rm___x_", "");
	check_str(r.user, "us_er________________", "user field after %%u");
	check_str(r.client->name, "host_name__rm___x_", "client name after %%n");

	/* Literal text is never sanitised. */
	request_init(&r, RQ_USER, "x", RQ_DAEMON, "a b", 0);
	pct_one(&r, "finger '%u' ; %d $HOME -l", 100, "finger 'x' ; a_b $HOME -l", "");
	check_str(r.daemon, "a_b", "daemon field after %%d");

	/* %c is built in a buffer of its own: the request keeps its fields. */
	request_init(&r, RQ_USER, "b b", RQ_CLIENT_NAME, "h h", 0);
	pct_one(&r, "%c", 100, "b_b@h_h", "");
	check_str(r.user, "b b", "user field after %%c");
	checks_done();
}

/* A value never starts with '-' in the result: no option injection (COMPATIBILITY.md O5). */
static void test_leading_dash(void **state)
{
	struct request_info r;

	(void)state;
	request_init(&r, RQ_USER, "-x", RQ_CLIENT_NAME, "--help", RQ_DAEMON, "-d",
	             RQ_CLIENT_ADDR, "-1", RQ_SERVER_NAME, "-s", RQ_SERVER_ADDR, "-2", 0);
	pct_one(&r, "finger %u", 100, "finger _x", "");
	pct_one(&r, "safe_finger -l @%h", 100, "safe_finger -l @_-help", "");
	pct_one(&r, "%n %N %d %a %A %H", 100, "_-help _s _d _1 _2 _s", "");
	pct_one(&r, "%u%u", 100, "_x_x", "");
	pct_one(&r, "%c", 100, "_x@--help", "");  /* only the first byte of the value */
	pct_one(&r, "%s", 100, "_d@-s", "");
	pct_one(&r, "-%u-", 100, "-_x-", "");     /* literal dashes stay */
	/* The request keeps its values: matching and logging see the real name. */
	check_str(r.user, "-x", "user field after %%u");
	check_str(r.client->name, "--help", "client name after %%n");
	/* A dash inside a value is fine. */
	request_init(&r, RQ_CLIENT_NAME, "a-b.example", RQ_USER, "x-", 0);
	pct_one(&r, "%n %u", 100, "a-b.example x-", "");
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letters),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_no_lookups),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_unknown_and_trailing),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_length_one_byte),
		cmocka_unit_test(test_sanitise_every_byte),
		cmocka_unit_test(test_sanitise_values),
		cmocka_unit_test(test_leading_dash),
	};

	return cmocka_run_group_tests_name("percent", tests, NULL, NULL);
}
