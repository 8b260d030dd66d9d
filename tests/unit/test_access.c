/*
 * test_access.c - hosts_access() and hosts_ctl() end to end, through real table files in a
 * private directory (lib/access.c with the table reader, patterns and diagnostics).
 *
 * Expectations follow the behaviour notes §1 and §13.1-5: hosts.allow first, then hosts.deny,
 * first match wins, missing files are empty, a table whose scan reaches a line without
 * newline is ERR (falls through in hosts.allow, denies in hosts.deny), with the deliberate
 * difference that a table which exists but cannot be read denies at once.  Messages are
 * checked word for word, file and line included ("<tmp>" is the private directory).
 */
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "helpers.h"

/* access_one - write both tables (NULL: missing), decide for daemon/address (and a name,
 * "" for none), and compare the answer and every logged message. */
static void access_one(const char *allow_text, const char *deny_text, const char *daemon,
                       const char *addr, const char *name, int expected, const char *log)
{
	struct request_info r;
	int got;

	tables_write(allow_text, deny_text);
	log_reset();
	request_init(&r, RQ_DAEMON, daemon, RQ_CLIENT_ADDR, addr, RQ_CLIENT_NAME, name, 0);
	got = hosts_access(&r);
	check_int(got, expected, "hosts_access(%s from %s) with allow \"%s\" and deny \"%s\"",
	          daemon, addr, allow_text ? allow_text : "(missing)",
	          deny_text ? deny_text : "(missing)");
	check_str(log_text(), log, "log of %s from %s with allow \"%s\" and deny \"%s\"", daemon,
	          addr, allow_text ? allow_text : "(missing)", deny_text ? deny_text : "(missing)");
}

static void test_order(void **state)
{
	(void)state;
	access_one(NULL, NULL, "sshd", "192.0.2.1", "", 1, "");   /* no tables: granted */
	access_one("", "", "sshd", "192.0.2.1", "", 1, "");
	access_one("sshd: 192.0.2.1\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 1, "");
	access_one("sshd: 192.0.2.1\n", "ALL: ALL\n", "sshd", "192.0.2.2", "", 0, "");
	access_one("sshd: 192.0.2.1\n", "ALL: ALL\n", "ftpd", "192.0.2.1", "", 0, "");
	access_one(NULL, "ALL: ALL\n", "sshd", "192.0.2.1", "", 0, "");
	access_one("", "sshd: 192.0.2.\n", "sshd", "192.0.2.1", "", 0, "");
	access_one("", "sshd: 192.0.2.\n", "sshd", "198.51.100.1", "", 1, "");
	access_one("SSHD: ALL\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 1, "");
	access_one("sshd: .example\n", "ALL: ALL\n", "sshd", "192.0.2.1", "h.example", 1, "");
	access_one("sshd: .example\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 0, "");
	access_one("sshd: [::1]\n", "ALL: ALL\n", "sshd", "::1", "", 1, "");
	access_one("sshd: [2001:db8::]/32\n", "ALL: ALL\n", "sshd", "2001:db8::9", "", 1, "");
	access_one("sshd: 192.0.2.0/24\n", "ALL: ALL\n", "sshd", "::ffff:192.0.2.9", "", 1, "");
	/* Unbracketed IPv6 splits the rule: an empty client list, reported (L6). */
	access_one("sshd: ::1\n", "ALL: ALL\n", "sshd", "::1", "", 0,
	           "warning: <tmp>/allow, line 1: client list is empty: the rule never matches");
	checks_done();
}

static void test_first_match_wins(void **state)
{
	(void)state;
	/* The first matching rule's options decide; later rules are never looked at. */
	access_one("sshd: 192.0.2.1: deny\nsshd: ALL\n", NULL, "sshd", "192.0.2.1", "", 0, "");
	access_one("sshd: 192.0.2.1: deny\nsshd: ALL\n", NULL, "sshd", "192.0.2.2", "", 1, "");
	access_one(NULL, "sshd: 192.0.2.1: allow\nALL: ALL\n", "sshd", "192.0.2.1", "", 1, "");
	access_one(NULL, "sshd: 192.0.2.1: allow\nALL: ALL\n", "sshd", "192.0.2.2", "", 0, "");
	access_one("sshd: ALL\nsshd: ALL: bogus\n", NULL, "sshd", "192.0.2.1", "", 1, "");
	/* A matching rule in hosts.allow hides hosts.deny, even a broken one. */
	access_one("sshd: ALL\n", "broken", "sshd", "192.0.2.1", "", 1, "");
	checks_done();
}

static void test_comments_crlf(void **state)
{
	(void)state;
	/* An indented '#' is a live rule: its daemons are "#" and "sshd". */
	access_one("  # sshd: ALL\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 1, "");
	access_one("  # sshd: ALL\n", "ALL: ALL\n", "ftpd", "192.0.2.1", "", 0, "");
	access_one("# sshd: ALL\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 0, "");
	access_one("# c \\\nsshd: ALL\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 0, "");
	access_one("ss\\\nhd: 192.0.2.1\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 1, "");
	access_one("sshd: 192.0.2.1\r\n", "ALL: ALL\r\n", "sshd", "192.0.2.1", "", 1, "");
	access_one("sshd: 192.0.2.1 : allow\r\n", "ALL: ALL\r\n", "sshd", "192.0.2.1", "", 1, "");
	checks_done();
}

static void test_missing_separator(void **state)
{
	(void)state;
	/* Reported, skipped, and the scan goes on. */
	access_one("sshd 192.0.2.1\nsshd: 192.0.2.1\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 1,
	           "warning: <tmp>/allow, line 1: missing \":\" separator");
	access_one("\n\nsshd 192.0.2.1\n", "\nALL ALL\n", "sshd", "192.0.2.1", "", 1,
	           "warning: <tmp>/allow, line 3: missing \":\" separator\n"
	           "warning: <tmp>/deny, line 2: missing \":\" separator");
	access_one("a]b: c\n", NULL, "sshd", "192.0.2.1", "", 1,
	           "warning: <tmp>/allow, line 1: missing \":\" separator");
	checks_done();
}

static void test_never_matching_patterns(void **state)
{
	(void)state;
	/* Patterns that can never match are reported when their rule is reached
	 * (docs/COMPATIBILITY.md L6); the decision is the reference's. */
	access_one("sshd: 192.0.2.1/33 [::zz]\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 0,
	           "warning: <tmp>/allow, line 1: bad net/mask pattern \"192.0.2.1/33\": it never "
	           "matches\n"
	           "warning: <tmp>/allow, line 1: bad IPv6 address pattern \"[::zz]\": it never "
	           "matches");
	access_one("sshd: 192.0.2.1/24\n", NULL, "sshd", "192.0.2.1", "", 1,
	           "warning: <tmp>/allow, line 1: net/mask pattern \"192.0.2.1/24\" has host bits "
	           "set and never matches (the network is 192.0.2.0/255.255.255.0)");
	/* In daemon@host too, and even when an earlier pattern of the rule matches. */
	access_one("sshd@10.0.0.0/0: ALL\nsshd: 192.0.2.1 [2001:db8::]/129\n", "ALL: ALL\n",
	           "sshd", "192.0.2.1", "", 1,
	           "warning: <tmp>/allow, line 1: bad net/mask pattern \"10.0.0.0/0\": it never "
	           "matches\n"
	           "warning: <tmp>/allow, line 2: bad net/mask pattern \"[2001:db8::]/129\": it "
	           "never matches");
	/* In /file lists, with the rule and the list's file and line: fail2ban's old unbracketed
	 * IPv6. */
	tmp_write("list", "192.0.2.9\n2001:db8::/32\n");
	char rule[256];
	snprintf(rule, sizeof(rule), "sshd: %s\n", tmp_path("list"));
	access_one(rule, NULL, "sshd", "192.0.2.1", "", 1,
	           "warning: <tmp>/allow, line 1: <tmp>/list, line 2: bad net/mask pattern "
	           "\"2001:db8::/32\": it never matches");
	/* Empty lists. */
	access_one(": ALL\nsshd:\nsshd: ALL\n", NULL, "sshd", "192.0.2.1", "", 1,
	           "warning: <tmp>/allow, line 1: daemon list is empty: the rule never matches\n"
	           "warning: <tmp>/allow, line 2: client list is empty: the rule never matches");
	/* Rules after the deciding one are not reached, so not reported. */
	access_one("sshd: 192.0.2.1\nsshd: 1.2.3.4/40\n", NULL, "sshd", "192.0.2.1", "", 1, "");
	/* Valid patterns say nothing. */
	access_one("sshd: 10.0.0.0/8 [2001:db8::1]/64 [::1] 0.0.0.0/0.0.0.0\n", NULL, "sshd",
	           "192.0.2.1", "", 1, "");
	checks_done();
}

static void test_truncated_tables(void **state)
{
	static const char truncated[] = "warning: <tmp>/%s, line %d: missing newline or line too long\n"
	                                "warning: <tmp>/%s, line %d: all the subsequent rules will "
	                                "be ignored";
	char allow1[256], deny0[256], deny1[256];

	(void)state;
	snprintf(allow1, sizeof(allow1), truncated, "allow", 1, "allow", 1);
	snprintf(deny0, sizeof(deny0), truncated, "deny", 0, "deny", 0);
	snprintf(deny1, sizeof(deny1), truncated, "deny", 1, "deny", 1);
	/* hosts.allow: the scan stops at the defect and goes on with hosts.deny. */
	access_one("ftpd: ALL\nsshd: ALL", NULL, "sshd", "192.0.2.1", "", 1, allow1);
	access_one("ftpd: ALL\nsshd: ALL", "ALL: ALL\n", "sshd", "192.0.2.1", "", 0, allow1);
	access_one("ftpd: ALL\n# comment", NULL, "sshd", "192.0.2.1", "", 1, allow1);
	access_one("sshd: ALL\nftpd: ALL", NULL, "sshd", "192.0.2.1", "", 1, ""); /* matched first */
	/* hosts.deny: the defect denies every request that reaches it. */
	access_one(NULL, "sshd: ALL", "sshd", "192.0.2.1", "", 0, deny0);
	access_one(NULL, "ftpd: 10.\nsshd: 10.", "sshd", "192.0.2.1", "", 0, deny1);
	access_one(NULL, "ftpd: 10.\n   ", "sshd", "192.0.2.1", "", 0, deny1);
	access_one(NULL, "ftpd: ALL\nbroken", "ftpd", "192.0.2.1", "", 0, "");
	checks_done();
}

static void test_long_lines(void **state)
{
	char text[4200], expected[512];

	(void)state;
	/* 2047 bytes with the newline: a rule.  2048: too long, at line 1 (one complete line). */
	snprintf(text, sizeof(text), "a: b\nsshd: 192.0.2.1 %02030d\n", 0);
	assert_int_equal(strlen(text), 5 + 2047);
	access_one(NULL, text, "sshd", "192.0.2.1", "", 0, "");
	snprintf(text, sizeof(text), "a: b\nsshd: 192.0.2.9 %02030d\n", 0);
	access_one(NULL, text, "sshd", "192.0.2.1", "", 1, "");
	snprintf(text, sizeof(text), "a: b\nsshd: 192.0.2.9 %02031d\n", 0);
	snprintf(expected, sizeof(expected),
	         "warning: <tmp>/deny, line 1: missing newline or line too long\n"
	         "warning: <tmp>/deny, line 1: all the subsequent rules will be ignored");
	access_one(NULL, text, "sshd", "192.0.2.1", "", 0, expected);
	checks_done();
}

static void test_unreadable_tables(void **state)
{
	(void)state;
	tmp_write("file", "not a directory\n");
	/* Deliberate difference: a table that exists but cannot be read denies at once, from
	 * either file, with the reference's message. */
	hosts_allow_table = (char *)tmp_path("file/allow");
	access_one(NULL, NULL, "sshd", "192.0.2.1", "", 0,
	           "warning: cannot open <tmp>/file/allow: Not a directory");
	access_one(NULL, "sshd: ALL: allow\n", "sshd", "192.0.2.1", "", 0,
	           "warning: cannot open <tmp>/file/allow: Not a directory");
	globals_reset();
	hosts_deny_table = (char *)tmp_path("file/deny");
	access_one("ftpd: ALL\n", NULL, "sshd", "192.0.2.1", "", 0,
	           "warning: cannot open <tmp>/file/deny: Not a directory");
	access_one("sshd: ALL\n", NULL, "sshd", "192.0.2.1", "", 1, ""); /* never reached */
	globals_reset();
	/* A directory opens and reads as an empty table. */
	assert_int_equal(mkdir(tmp_path("dir"), 0755), 0);
	hosts_allow_table = (char *)tmp_path("dir");
	access_one(NULL, "ALL: ALL\n", "sshd", "192.0.2.1", "", 0, "");
	access_one(NULL, NULL, "sshd", "192.0.2.1", "", 1, "");
	globals_reset();
	hosts_deny_table = (char *)tmp_path("dir");
	access_one(NULL, NULL, "sshd", "192.0.2.1", "", 1, "");
	checks_done();
}

static void test_file_list_diagnostics(void **state)
{
	char allow[512], list[256];

	(void)state;
	/* Warnings from a /file list carry its own file and line; the table's context is
	 * restored afterwards.  An unreadable list reads, in the reference's words,
	 * "open <path>: <error>" with the table's context. */
	snprintf(allow, sizeof(allow), "sshd: %s\nno separator\nsshd: 192.0.2.1\n",
	         tmp_path("self"));
	snprintf(list, sizeof(list), "%s\n", tmp_path("self"));
	tmp_write("self", list);
	access_one(allow, NULL, "sshd", "192.0.2.1", "", 1,
	           "warning: <tmp>/allow, line 1: <tmp>/self, line 1: <tmp>/self: /file list "
	           "includes itself: skipped\n"
	           "warning: <tmp>/allow, line 2: missing \":\" separator");
	check(tcpd_context.file == NULL && tcpd_context.line == 0,
	      "tcpd_context after hosts_access: {%s, %d}", tcpd_context.file, tcpd_context.line);

	tmp_write("plain", "192.0.2.1\n");
	snprintf(allow, sizeof(allow), "sshd: %s\n", tmp_path("plain/x"));
	access_one(allow, NULL, "sshd", "192.0.2.1", "", 1,
	           "warning: <tmp>/allow, line 1: open <tmp>/plain/x: Not a directory");
	snprintf(allow, sizeof(allow), "sshd: %s\n", tmp_path("plain"));
	access_one(NULL, allow, "sshd", "192.0.2.1", "", 0, "");
	access_one(NULL, allow, "sshd", "192.0.2.2", "", 1, "");
	checks_done();
}

static void test_percent_in_path(void **state)
{
	(void)state;
	/* The table path is data, never a format (B8 fixed). */
	assert_int_equal(mkdir(tmp_path("a%s%n%d"), 0755), 0);
	hosts_allow_table = (char *)tmp_path("a%s%n%d/allow");
	tmp_write("a%s%n%d/allow", "no separator\n");
	log_reset();
	{
		struct request_info r;

		request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", 0);
		check_int(hosts_access(&r), 1, "hosts_access with a %% in the table path");
	}
	check_str(log_text(), "warning: <tmp>/a%s%n%d/allow, line 1: missing \":\" separator",
	          "log with a %% in the table path");
	checks_done();
}

static void test_matched_debug(void **state)
{
	(void)state;
	hosts_access_verbose = 2;
	/* The deciding rule's text comes first (E1), then the classic line, unchanged. */
	access_one("\nsshd: ALL\n", NULL, "sshd", "192.0.2.1", "", 1,
	           "rule:     <tmp>/allow line 2: sshd : ALL\nmatched:  <tmp>/allow line 2");
	check_int(log_priority(0), LOG_DEBUG, "priority of the rule: line");
	check_int(log_priority(1), LOG_DEBUG, "priority of the matched: line");
	access_one("ftpd: ALL\n", "\n\n\nALL: ALL : severity auth.info \n", "sshd", "192.0.2.1",
	           "", 0,
	           "rule:     <tmp>/deny line 4: ALL : ALL : severity auth.info\n"
	           "matched:  <tmp>/deny line 4\noption:   severity auth.info");
	access_one("ftpd: ALL\n", NULL, "sshd", "192.0.2.1", "", 1, ""); /* nothing matched */
	hosts_access_verbose = 1;
	access_one("\nsshd, ftpd: 192.0.2.1 EXCEPT x\n", NULL, "sshd", "192.0.2.1", "", 1,
	           "rule:     <tmp>/allow line 2: sshd ftpd : 192.0.2.1 EXCEPT x");
	hosts_access_verbose = 0;
	access_one("\nsshd: ALL\n", NULL, "sshd", "192.0.2.1", "", 1, "");
	checks_done();
}

static void test_resident(void **state)
{
	struct request_info r;

	(void)state;
	tables_write("sshd: ALL\n", NULL);
	request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	check_int(resident, -1, "resident before the first decision");
	hosts_access(&r);
	check_int(resident, 0, "resident after one decision");
	hosts_access(&r);
	check_int(resident, 1, "resident after two decisions");
	hosts_access(&r);
	check_int(resident, 1, "resident after three decisions");
	resident = 5;
	hosts_access(&r);
	check_int(resident, 5, "a positive resident is left alone");
	checks_done();
}

static void test_tables_reread(void **state)
{
	(void)state;
	/* Every decision reads the tables as they are now. */
	access_one("sshd: ALL\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 1, "");
	access_one("sshd: ALL: deny\n", "ALL: ALL\n", "sshd", "192.0.2.1", "", 0, "");
	access_one(NULL, "ALL: ALL\n", "sshd", "192.0.2.1", "", 0, "");
	checks_done();
}

/* ctl_one - hosts_ctl() with the given strings (NULL allowed: an empty field). */
static void ctl_one(const char *allow_text, const char *deny_text, const char *daemon,
                    const char *name, const char *addr, const char *user, int expected)
{
	tables_write(allow_text, deny_text);
	log_reset();
	check_int(hosts_ctl((char *)daemon, (char *)name, (char *)addr, (char *)user), expected,
	          "hosts_ctl(%s, %s, %s, %s) with allow \"%s\" and deny \"%s\"", daemon,
	          name ? name : "NULL", addr ? addr : "NULL", user ? user : "NULL",
	          allow_text ? allow_text : "(missing)", deny_text ? deny_text : "(missing)");
	check_str(log_text(), "", "log of hosts_ctl(%s, %s, %s, %s)", daemon, name ? name : "NULL",
	          addr ? addr : "NULL", user ? user : "NULL");
}

static void test_hosts_ctl(void **state)
{
	(void)state;
	ctl_one("sshd: bob@.example\n", "ALL: ALL\n", "sshd", "h.example", "192.0.2.1", "bob", 1);
	ctl_one("sshd: bob@.example\n", "ALL: ALL\n", "sshd", "h.example", "192.0.2.1", "eve", 0);
	ctl_one("sshd: .example\n", "ALL: ALL\n", "sshd", "", "192.0.2.1", "", 0); /* no DNS */
	ctl_one("sshd: 192.0.2.1\n", "ALL: ALL\n", "sshd", "", "192.0.2.1", "", 1);
	ctl_one(NULL, "ALL: UNKNOWN\n", "sshd", "", "192.0.2.1", "", 0); /* empty name: unknown */
	ctl_one(NULL, "ALL: UNKNOWN\n", "sshd", "h.example", "192.0.2.1", "", 1);
	ctl_one(NULL, "ALL: KNOWN@ALL\n", "sshd", "h.example", "192.0.2.1", "", 1);
	ctl_one(NULL, "ALL: KNOWN@ALL\n", "sshd", "h.example", "192.0.2.1", "bob", 0);
	/* Deliberate difference: NULL strings are empty fields, not a crash. */
	ctl_one(NULL, "ALL: UNKNOWN\n", "sshd", NULL, NULL, NULL, 0);
	ctl_one("sshd: ALL\n", "ALL: ALL\n", "sshd", NULL, NULL, NULL, 1);
	checks_done();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_order),
		T(test_first_match_wins),
		T(test_comments_crlf),
		T(test_missing_separator),
		T(test_never_matching_patterns),
		T(test_truncated_tables),
		T(test_long_lines),
		T(test_unreadable_tables),
		T(test_file_list_diagnostics),
		T(test_percent_in_path),
		T(test_matched_debug),
		T(test_resident),
		T(test_tables_reread),
		T(test_hosts_ctl),
	};
#undef T

	return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
