/*
 * test_diag.c - diagnostics (lib/diag.c): the library's own warnings and errors with their
 * file/line context, and the classic exports tcpd_warn(), tcpd_jump() and percent_m().
 *
 * Expectations follow the behaviour notes §8.1 ("warning: FILE, line N: text" at LOG_ERR,
 * plain "warning: text" without a context; tcpd_jump longjmps with AC_ERROR), with the fixed
 * B8: a '%' in a path is data, not a format; percent_m() keeps "%%" (docs/COMPATIBILITY.md L5).
 */
#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "diag.h"
#include "helpers.h"

/* warn_one - tcpd_warn("%s", text) with the global context {file, line}. */
static void warn_one(const char *file, int line, const char *text, const char *expected)
{
	tcpd_context.file = (char *)file;
	tcpd_context.line = line;
	log_reset();
	tcpd_warn("%s", text);
	check_str(log_text(), expected, "tcpd_warn with context {%s, %d}", file ? file : "NULL",
	          line);
	check_int(log_priority(0), LOG_ERR, "priority of tcpd_warn");
	tcpd_context.file = NULL;
	tcpd_context.line = 0;
}

static void test_tcpd_warn(void **state)
{
	(void)state;
	warn_one(NULL, 0, "plain", "warning: plain");
	warn_one(NULL, 7, "no file", "warning: no file");
	warn_one("/etc/hosts.allow", 3, "text", "warning: /etc/hosts.allow, line 3: text");
	warn_one("hosts.deny", 0, "x", "warning: hosts.deny, line 0: x");
	warn_one("a%sb%n", 1, "x", "warning: a%sb%n, line 1: x"); /* B8: the path is data */
	log_reset();
	tcpd_warn("%d %s", 42, "args");
	check_str(log_text(), "warning: 42 args", "tcpd_warn formats its arguments");
	errno = ENOENT;
	log_reset();
	tcpd_warn("open x: %m");
	check_str(log_text(), "warning: open x: No such file or directory", "tcpd_warn with %%m");
	checks_done();
}

/* jump_value - call tcpd_jump and return the value it longjmps with (0: it returned). */
static int jump_value(const char *text)
{
	int value = setjmp(tcpd_buf);

	if (value != 0)
		return value;
	tcpd_jump("%s", text);
	return 0;
}

static void test_tcpd_jump(void **state)
{
	(void)state;
	log_reset();
	check_int(jump_value("bad thing"), AC_ERROR, "tcpd_jump's longjmp value");
	check_str(log_text(), "error: bad thing", "tcpd_jump's message");
	tcpd_context.file = "t";
	tcpd_context.line = 9;
	log_reset();
	check_int(jump_value("worse"), -1, "tcpd_jump's longjmp value with a context");
	check_str(log_text(), "error: t, line 9: worse", "tcpd_jump's message with a context");
	tcpd_context.file = NULL;
	tcpd_context.line = 0;
	checks_done();
}

/* diag_one - diag_warn and diag_error with the library's own context {file, line}. */
static void diag_one(const char *file, int line, const char *warning, const char *error)
{
	struct diag_context old = diag_set_context(file, line);

	log_reset();
	diag_warn("w %d", 1);
	diag_error("e %s", "2");
	diag_set_context(old.file, old.line);
	{
		char expected[512];

		snprintf(expected, sizeof(expected), "%s\n%s", warning, error);
		check_str(log_text(), expected, "diagnostics with context {%s, %d}",
		          file ? file : "NULL", line);
	}
	check(log_priority(0) == LOG_ERR && log_priority(1) == LOG_ERR, "priorities %d %d",
	      log_priority(0), log_priority(1));
}

static void test_library_context(void **state)
{
	(void)state;
	diag_one(NULL, 0, "warning: w 1", "error: e 2");
	diag_one("f", 2, "warning: f, line 2: w 1", "error: f, line 2: e 2");
	diag_one("%s%n", 5, "warning: %s%n, line 5: w 1", "error: %s%n, line 5: e 2");
	/* The context is restored, and the global one is left as it was. */
	check(diag_get_context().file == NULL, "context after restoring");
	check(tcpd_context.file == NULL && tcpd_context.line == 0, "tcpd_context left alone");
	checks_done();
}

/* percent_m_one - percent_m(input) with errno = err. */
static void percent_m_one(const char *input, int err, const char *expected)
{
	char out[512], in[128];

	strcpy(in, input);
	errno = err;
	check(percent_m(out, in) == out, "percent_m returns its buffer");
	check_str(out, expected, "percent_m(\"%s\")", input);
}

static void test_percent_m(void **state)
{
	(void)state;
	percent_m_one("", ENOENT, "");
	percent_m_one("plain", ENOENT, "plain");
	percent_m_one("open: %m", ENOENT, "open: No such file or directory");
	percent_m_one("%m%m", EACCES, "Permission deniedPermission denied");
	percent_m_one("%d %s %", EACCES, "%d %s %");
	percent_m_one("%%m", ENOENT, "%%m"); /* "%%" kept: the result is still a format */
	percent_m_one("100%", ENOENT, "100%");
	checks_done();
}

/* Control bytes never reach the log (no forged lines); tab and 8-bit text stay. */
static void test_control_bytes(void **state)
{
	(void)state;
	log_reset();
	tcpd_warn("%s", "a\nb\rc\x1b[1md\x7f\te\xc3\xa9");
	check_str(log_text(), "warning: a?b?c?[1md?\te\xc3\xa9", "tcpd_warn with control bytes");
	log_reset();
	diag_warn("x %s", "1\n<13>Jan  1 00:00:00 sshd[1]: forged");
	check_str(log_text(), "warning: x 1?<13>Jan  1 00:00:00 sshd[1]: forged", "diag_warn");
	log_reset();
	diag_error("%s", "\x01");
	check_str(log_text(), "error: ?", "diag_error");
	log_reset();
	diag_log(LOG_INFO, "%s", "line\nline");
	check_str(log_text(), "line?line", "diag_log");
	checks_done();
}

/* verdict_one - the verdict line for a request with these (hostile) values. */
static void verdict_one(const char *user, const char *name, const char *addr, const char *line)
{
	struct request_info r;
	char client[DIAG_CLIENT_MAX], head[DIAG_CLIENT_MAX + 32];

	request_init(&r, RQ_USER, user, RQ_CLIENT_NAME, name, RQ_CLIENT_ADDR, addr, 0);
	log_reset();
	diag_log_verdict(LOG_WARNING, "refused connect from", &r);
	check_str(log_text(), line, "verdict for user \"%s\" name \"%s\"", user, name);
	check_int(log_priority(0), LOG_WARNING, "priority of the verdict line");
	/* diag_client: the same client text, and the request keeps its fields. */
	snprintf(head, sizeof(head), "refused connect from %s (", diag_client(client, &r));
	check(strncmp(line, head, strlen(head)) == 0, "diag_client gives \"%s\"", client);
	check_str(r.user, user, "user field after diag_client");
	check_str(r.client->name, name, "name field after diag_client");
}

static void test_verdict_lines(void **state)
{
	(void)state;
	verdict_one("", "host.example", "192.0.2.1", "refused connect from host.example (192.0.2.1)");
	verdict_one("bob", "host.example", "192.0.2.1",
	            "refused connect from bob@host.example (192.0.2.1)");
	verdict_one("", "", "2001:db8::1", "refused connect from 2001:db8::1 (2001:db8::1)");
	verdict_one("", "", "fe80::1%eth0", "refused connect from fe80::1%eth0 (fe80::1%eth0)");
	/* A name that would fool a log scanner into blaming another address. */
	verdict_one("", "a (192.0.2.99)", "192.0.2.1",
	            "refused connect from a__192.0.2.99_ (192.0.2.1)");
	verdict_one("x y\n<1>z", "h;`id`$(id)", "192.0.2.1",
	            "refused connect from x_y__1_z@h__id___id_ (192.0.2.1)");
	verdict_one("\xc3\xa9", "unknown", "192.0.2.1", "refused connect from __@192.0.2.1 (192.0.2.1)");
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcpd_warn),
		cmocka_unit_test(test_tcpd_jump),
		cmocka_unit_test(test_library_context),
		cmocka_unit_test(test_percent_m),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_verdict_lines),
	};

	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
