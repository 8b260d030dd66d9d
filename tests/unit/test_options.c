/*
 * test_options.c - the options language (lib/options.c), end to end through table files.
 *
 * Each rule is "sshd: ALL: OPTIONS" in hosts.allow (or hosts.deny), decided for sshd from
 * 192.0.2.1; the answer and every logged message are compared, word for word, with the
 * reference's (behaviour notes §4, §13.4, §13.13-14).  Options that change the process for
 * good (nice, user, group, a real twist) run in a child process.  Deliberate differences:
 * user/group act only outside dry run (setgid before setuid); aclexec's outcome belongs to
 * one decision; an over-long expansion denies instead of exiting.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "helpers.h"
#include "options.h"
#include "table.h"

/* The request every decision uses; tests may change these. */
static int request_fd = -1;
static const char *request_name = "";
static const char *request_user = "";
static struct request_info last_request;

/* decide - hosts_access() for sshd from 192.0.2.1 with the current tables. */
static int decide(void)
{
	request_init(&last_request, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1",
	             RQ_CLIENT_NAME, request_name, RQ_USER, request_user, RQ_FILE, request_fd, 0);
	return hosts_access(&last_request);
}

/* rule_text - "sshd: ALL: OPTIONS\n" ("sshd: ALL:\n" for no options). */
static const char *rule_text(const char *options)
{
	static char text[4096];

	snprintf(text, sizeof(text), "sshd: ALL:%s%s\n", options[0] ? " " : "", options);
	return text;
}

/* in_table_one - the options in hosts.allow (in_deny false) or hosts.deny, the other table
 * holding other_table (NULL: missing): the answer and the whole log. */
static void in_table_one(bool in_deny, const char *options, const char *other_table,
                         int expected, const char *log)
{
	int got;

	if (in_deny)
		tables_write(other_table, rule_text(options));
	else
		tables_write(rule_text(options), other_table);
	log_reset();
	got = decide();
	check_int(got, expected, "\"%s\" in hosts.%s", options, in_deny ? "deny" : "allow");
	check_str(log_text(), log, "log of \"%s\" in hosts.%s", options,
	          in_deny ? "deny" : "allow");
}

/* option_one - the options in hosts.allow, hosts.deny missing. */
static void option_one(const char *options, int expected, const char *log)
{
	in_table_one(false, options, NULL, expected, log);
}

#define AT "<tmp>/allow, line 1: "

/* ---- parsing ---------------------------------------------------------------------------- */

static void test_parse_errors(void **state)
{
	(void)state;
	option_one("allow", 1, "");
	option_one("ALLOW", 1, "");
	option_one("allow=", 1, "");
	option_one("deny", 0, "");
	option_one("", 0, "error: " AT "missing option name");
	option_one(" : allow", 0, "error: " AT "missing option name");
	option_one("bogus", 0, "error: " AT "bad option name: \"bogus\"");
	option_one("Bogus x", 0, "error: " AT "bad option name: \"Bogus\"");
	option_one("spawn", 0, "error: " AT "option \"spawn\" requires value");
	option_one("SPAWN", 0, "error: " AT "option \"SPAWN\" requires value");
	option_one("spawn   ", 0, "error: " AT "option \"spawn\" requires value");
	option_one("spawn=", 0, "error: " AT "option \"spawn\" requires value");
	option_one("allow yes", 0, "error: " AT "option \"allow\" requires no value");
	option_one("deny=yes", 0, "error: " AT "option \"deny\" requires no value");
	option_one("keepalive x", 0, "error: " AT "option \"keepalive\" requires no value");
	option_one("allow : deny", 0, "error: " AT "option \"allow\" must be at end");
	option_one("Allow: spawn true", 0, "error: " AT "option \"Allow\" must be at end");
	option_one("deny : allow", 0, "error: " AT "option \"deny\" must be at end");
	option_one("allow :", 0, "error: " AT "option \"allow\" must be at end");
	option_one("twist echo x : allow", 0, "error: " AT "option \"twist\" must be at end");
	/* A legacy shell-command third field is an option error (§4.7). */
	option_one("(/usr/sbin/safe_finger -l @%h | mail root) &", 0,
	           "error: " AT "bad option name: \"(/usr/sbin/safe_finger\"");
	checks_done();
}

static void test_allow_deny_tables(void **state)
{
	(void)state;
	/* allow in hosts.deny grants; deny in hosts.allow refuses. */
	in_table_one(true, "allow", NULL, 1, "");
	in_table_one(true, "deny", NULL, 0, "");
	in_table_one(false, "deny", NULL, 0, "");
	in_table_one(true, "setenv FOO bar", NULL, 0, "");  /* no verdict: the table's */
	in_table_one(false, "setenv FOO bar", "ALL: ALL\n", 1, "");
	in_table_one(true, "bogus", NULL, 0, "error: <tmp>/deny, line 1: bad option name: \"bogus\"");
	/* An option error in hosts.allow denies at once: hosts.deny is not consulted. */
	in_table_one(false, "bogus", "ALL: ALL: allow\n", 0, "error: " AT "bad option name: \"bogus\"");
	unsetenv("FOO");
	checks_done();
}

/* ---- setenv, escapes, '=' --------------------------------------------------------------- */

/* setenv_one - the options, then what FOO holds (NULL: unset). */
static void setenv_one(const char *options, int expected, const char *value, const char *log)
{
	unsetenv("FOO");
	option_one(options, expected, log);
	check_str(getenv("FOO"), value, "FOO after \"%s\"", options);
	unsetenv("FOO");
}

static void test_setenv(void **state)
{
	(void)state;
	setenv_one("setenv FOO bar", 1, "bar", "");
	setenv_one("SETENV FOO bar", 1, "bar", "");
	setenv_one("setenv FOO", 1, "", "");
	setenv_one("setenv FOO  bar baz ", 1, "bar baz", "");
	setenv_one("setenv\tFOO\tbar", 1, "bar", "");
	setenv_one("setenv FOO bar\r", 1, "bar", "");               /* CRLF tables */
	setenv_one("setenv=FOO bar", 1, "bar", "");
	setenv_one("setenv = FOO bar", 1, "bar", "");
	setenv_one("setenv =FOO bar", 1, "bar", "");
	setenv_one("setenv FOO %d@%a", 1, "sshd@192.0.2.1", "");
	setenv_one("setenv FOO %u", 1, "unknown", "");
	setenv_one("setenv FOO=bar", 0, NULL, "error: " AT "memory allocation failure");
	setenv_one("setenv", 0, NULL, "error: " AT "option \"setenv\" requires value");
	/* '\:' is a literal colon in options; other backslashes stay. */
	setenv_one("setenv FOO a\\:b\\c", 1, "a:b\\c", "");
	setenv_one("setenv FOO a\\:b : allow", 1, "a:b", "");
	setenv_one("setenv FOO a\\:b : deny", 0, "a:b", "");
	/* Options run in order: the side effect stays when a later option fails. */
	setenv_one("setenv FOO x : bogus", 0, "x", "error: " AT "bad option name: \"bogus\"");
	setenv_one("setenv FOO x :", 0, "x", "error: " AT "missing option name");
	checks_done();
}

/* ---- severity --------------------------------------------------------------------------- */

/* severity_one - "severity VALUE": the two severities after it (expected < 0: an error). */
static void severity_one(const char *options, int expected, const char *log)
{
	allow_severity = LOG_INFO;
	deny_severity = LOG_WARNING;
	option_one(options, expected < 0 ? 0 : 1, log);
	check_int(allow_severity, expected < 0 ? LOG_INFO : expected, "allow_severity after \"%s\"",
	          options);
	check_int(deny_severity, expected < 0 ? LOG_WARNING : expected,
	          "deny_severity after \"%s\"", options);
	allow_severity = LOG_INFO;
	deny_severity = LOG_WARNING;
}

static void test_severity(void **state)
{
	(void)state;
	severity_one("severity auth.notice", 37, "");
	severity_one("severity local7.debug", 191, "");
	severity_one("severity AUTH.NOTICE", 37, "");
	severity_one("severity warning", 4, "");
	severity_one("severity emerg", 0, "");
	severity_one("severity kern.emerg", 0, "");
	severity_one("severity daemon.info", 30, "");
	severity_one("severity local0.err", 131, "");
	severity_one("severity mail.crit", 18, "");
	severity_one("severity=auth.notice", 37, "");
	severity_one("severity = auth.notice", 37, "");
	severity_one("severity =auth.notice", 37, "");
	severity_one("severity\tauth.notice", 37, "");
	severity_one("severity==auth.notice", -1,
	             "error: " AT "bad syslog facility or severity: \"=auth\"");
	severity_one("severity bogus", -1, "error: " AT "bad syslog facility or severity: \"bogus\"");
	severity_one("severity auth.bogus", -1,
	             "error: " AT "bad syslog facility or severity: \"bogus\"");
	severity_one("severity auth.Bogus", -1,
	             "error: " AT "bad syslog facility or severity: \"Bogus\"");
	severity_one("severity bogus.notice", -1,
	             "error: " AT "bad syslog facility or severity: \"bogus\"");
	severity_one("severity auth.", -1, "error: " AT "bad syslog facility or severity: \"\"");
	severity_one("severity", -1, "error: " AT "option \"severity\" requires value");
	/* Not skipped in dry run. */
	dry_run = 1;
	severity_one("severity auth.notice", 37, "");
	dry_run = 0;
	checks_done();
}

/* ---- rfc931 ----------------------------------------------------------------------------- */

/* rfc931_one - the options, then rfc931_timeout (set back to 10 afterwards). */
static void rfc931_one(const char *options, int expected, int timeout, const char *log)
{
	rfc931_timeout = 10;
	option_one(options, expected, log);
	check_int(rfc931_timeout, timeout, "rfc931_timeout after \"%s\"", options);
	if (expected == 1)
		check_str(last_request.user, "unknown", "user after \"%s\"", options);
	rfc931_timeout = 10;
}

static void test_rfc931(void **state)
{
	(void)state;
	rfc931_one("rfc931", 1, 10, "");
	rfc931_one("rfc931 5", 1, 5, "");
	rfc931_one("rfc931 +5", 1, 5, "");
	rfc931_one("rfc931=3", 1, 3, "");
	rfc931_one("rfc931 0", 0, 10, "error: " AT "bad rfc931 timeout: \"0\"");
	rfc931_one("rfc931 -1", 0, 10, "error: " AT "bad rfc931 timeout: \"-1\"");
	rfc931_one("rfc931 x", 0, 10, "error: " AT "bad rfc931 timeout: \"x\"");
	rfc931_one("rfc931 5x", 0, 10, "error: " AT "bad rfc931 timeout: \"5x\"");
	rfc931_one("rfc931 0x10", 0, 10, "error: " AT "bad rfc931 timeout: \"0x10\"");
	checks_done();
}

/* ---- umask ------------------------------------------------------------------------------ */

/* umask_one - the options, then the process umask (set back afterwards). */
static void umask_one(const char *options, int expected, mode_t mask, const char *log)
{
	mode_t saved = umask(0077);

	option_one(options, expected, log);
	mode_t now = umask(saved);
	check_int((long)now, (long)mask, "umask after \"%s\" (octal %o)", options, (unsigned)now);
}

static void test_umask(void **state)
{
	(void)state;
	umask_one("umask 022", 1, 022, "");
	umask_one("umask 0", 1, 0, "");
	umask_one("umask 777", 1, 0777, "");
	umask_one("umask 0777", 1, 0777, "");
	umask_one("umask=027", 1, 027, "");
	umask_one("umask 08", 0, 0077, "error: " AT "bad umask value: \"08\"");
	umask_one("umask 1777", 0, 0077, "error: " AT "bad umask value: \"1777\"");
	umask_one("umask 022 x", 0, 0077, "error: " AT "bad umask value: \"022 x\"");
	umask_one("umask -1", 0, 0077, "error: " AT "bad umask value: \"-1\"");
	umask_one("umask x", 0, 0077, "error: " AT "bad umask value: \"x\"");
	umask_one("umask", 0, 0077, "error: " AT "option \"umask\" requires value");
	/* Applied even in dry run. */
	dry_run = 1;
	umask_one("umask 022", 1, 022, "");
	dry_run = 0;
	checks_done();
}

static void test_umask_sign(void **state)
{
	(void)state;
	/* The reference reads the value with sscanf("%o%c"), which takes a sign. */
	umask_one("umask +22", 1, 022, "");
	umask_one("umask -0", 1, 0, "");
	checks_done();
}

/* ---- keepalive, linger ------------------------------------------------------------------ */

static void test_socket_options(void **state)
{
	int sock = socket(AF_INET, SOCK_STREAM, 0), value = -1;
	struct linger linger;
	socklen_t len;

	(void)state;
	assert_true(sock >= 0);
	/* Without a connection descriptor the failure is only a warning. */
	option_one("keepalive", 1, "warning: " AT "setsockopt SO_KEEPALIVE: Bad file descriptor");
	option_one("linger 5", 1, "warning: " AT "setsockopt SO_LINGER 5: Bad file descriptor");
	option_one("linger -1", 0, "error: " AT "bad linger value: \"-1\"");
	option_one("linger x", 0, "error: " AT "bad linger value: \"x\"");
	option_one("linger 5x", 0, "error: " AT "bad linger value: \"5x\"");
	option_one("linger", 0, "error: " AT "option \"linger\" requires value");

	request_fd = sock;
	dry_run = 1; /* dry run: nothing is set */
	option_one("keepalive : linger 7", 1, "");
	len = sizeof(value);
	assert_int_equal(getsockopt(sock, SOL_SOCKET, SO_KEEPALIVE, &value, &len), 0);
	check_int(value, 0, "SO_KEEPALIVE after keepalive in dry run");
	dry_run = 0;
	option_one("keepalive : linger 7", 1, "");
	len = sizeof(value);
	assert_int_equal(getsockopt(sock, SOL_SOCKET, SO_KEEPALIVE, &value, &len), 0);
	check_int(value, 1, "SO_KEEPALIVE after keepalive");
	len = sizeof(linger);
	assert_int_equal(getsockopt(sock, SOL_SOCKET, SO_LINGER, &linger, &len), 0);
	check(linger.l_onoff != 0 && linger.l_linger == 7, "SO_LINGER after linger 7: {%d, %d}",
	      linger.l_onoff, linger.l_linger);
	option_one("linger 0", 1, "");
	len = sizeof(linger);
	assert_int_equal(getsockopt(sock, SOL_SOCKET, SO_LINGER, &linger, &len), 0);
	check(linger.l_onoff == 0, "SO_LINGER after linger 0: {%d, %d}", linger.l_onoff,
	      linger.l_linger);
	request_fd = -1;
	close(sock);
	checks_done();
}

/* ---- banners ---------------------------------------------------------------------------- */

/* banner_one - the options with the request's descriptor on a pipe: what was written. */
static void banner_one(const char *options, const char *expected, size_t expected_len,
                       const char *log)
{
	int fds[2];
	char out[4096];
	size_t got;

	assert_int_equal(pipe(fds), 0);
	request_fd = fds[1];
	option_one(options, 1, log);
	close(fds[1]);
	request_fd = -1;
	got = read_fd_all(fds[0], out, sizeof(out));
	close(fds[0]);
	check(got == expected_len && memcmp(out, expected, got) == 0,
	      "banner of \"%s\": %zu bytes, expected %zu", options, got, expected_len);
}

static void test_banners(void **state)
{
	static const char banner[] = "\0\0Hello %d from %a\nsecond line\nno newline";
	static const char written[] = "\0\0Hello sshd from 192.0.2.1\r\nsecond line\r\nno newline";
	char options[512];

	(void)state;
	assert_int_equal(mkdir(tmp_path("banners"), 0755), 0);
	tmp_write_bytes("banners/sshd", banner, sizeof(banner) - 1);
	snprintf(options, sizeof(options), "banners %s", tmp_path("banners"));
	banner_one(options, written, sizeof(written) - 1, "");
	/* Written in dry run too. */
	dry_run = 1;
	banner_one(options, written, sizeof(written) - 1, "");
	dry_run = 0;
	/* Expanded values are sanitised; the file's own text is not. */
	tmp_write("banners/sshd", "<%n> $;\n");
	request_name = "a b;c";
	banner_one(options, "<a_b_c> $;\r\n", 12, "");
	request_name = "";
	/* A directory without a file for this daemon: silence. */
	assert_int_equal(unlink(tmp_path("banners/sshd")), 0);
	banner_one(options, "", 0, "");
	/* A directory that does not exist: a warning, and access goes on. */
	snprintf(options, sizeof(options), "banners %s", tmp_path("nodir"));
	banner_one(options, "", 0, "warning: " AT "<tmp>/nodir: No such file or directory");
	option_one("banners", 0, "error: " AT "option \"banners\" requires value");
	checks_done();
}

/* ---- spawn ------------------------------------------------------------------------------ */

/* file_text - the contents of <tmp>/name, or NULL when it does not exist. */
static const char *file_text(const char *name)
{
	static char buf[4096];
	int fd = open(tmp_path(name), O_RDONLY);

	if (fd < 0)
		return NULL;
	read_fd_all(fd, buf, sizeof(buf));
	close(fd);
	return buf;
}

static void test_spawn(void **state)
{
	char options[512];

	(void)state;
	/* spawn waits for the command; values are expanded and sanitised. */
	snprintf(options, sizeof(options), "spawn echo %%d %%a %%n > %s", tmp_path("out"));
	option_one(options, 1, "");
	check_str(file_text("out"), "sshd 192.0.2.1 unknown\n", "output of spawn");
	request_name = "x;touch pwned";
	snprintf(options, sizeof(options), "spawn cd %s && echo %%n > out", tmp_path(""));
	option_one(options, 1, "");
	check_str(file_text("out"), "x_touch_pwned\n", "output of spawn with a hostile name");
	check(file_text("pwned") == NULL, "a hostile host name ran a command");
	request_name = "";
	/* stdin, stdout and stderr are /dev/null. */
	snprintf(options, sizeof(options), "spawn echo visible; echo ok > %s", tmp_path("out2"));
	option_one(options, 1, "");
	check_str(file_text("out2"), "ok\n", "spawn's redirected output");
	/* No descriptor of the caller but 0-2 reaches the command (O7). */
	int inherited = open("/dev/null", O_RDONLY); /* no O_CLOEXEC */
	assert_true(inherited > 2);
	snprintf(options, sizeof(options),
	         "spawn if [ -e /proc/$$/fd/%d ]; then echo leaked; else echo closed; fi > %s",
	         inherited, tmp_path("fds"));
	option_one(options, 1, "");
	check_str(file_text("fds"), "closed\n", "descriptor %d in the spawned command", inherited);
	close(inherited);
	/* Dry run: nothing runs. */
	dry_run = 1;
	snprintf(options, sizeof(options), "spawn touch %s", tmp_path("dry"));
	option_one(options, 1, "");
	check(file_text("dry") == NULL, "spawn ran in dry run");
	dry_run = 0;
	/* Side effects happen before a later error. */
	snprintf(options, sizeof(options), "spawn touch %s : bogus", tmp_path("side"));
	option_one(options, 0, "error: " AT "bad option name: \"bogus\"");
	check(file_text("side") != NULL, "spawn before a bad option did not run");
	/* '\:' reaches the shell as ':'. */
	snprintf(options, sizeof(options), "spawn echo a\\:b > %s", tmp_path("colon"));
	option_one(options, 1, "");
	check_str(file_text("colon"), "a:b\n", "spawn with an escaped colon");
	checks_done();
}

static void test_verbose(void **state)
{
	(void)state;
	hosts_access_verbose = 1;
	option_one("setenv FOO %d : allow", 1, "option:   setenv FOO sshd\noption:   allow ");
	check_int(log_priority(0), LOG_DEBUG, "priority of option:");
	hosts_access_verbose = 2;
	option_one("deny", 0, "matched:  <tmp>/allow line 1\noption:   deny ");
	hosts_access_verbose = 0;
	unsetenv("FOO");
	checks_done();
}

static void test_expansion_too_long(void **state)
{
	char options[512], user[128];

	(void)state;
	/* 70 copies of a 127-byte user do not fit in the 8192-byte option buffer: logged and
	 * denied, without leaving the process (deliberate difference). */
	memset(user, 'u', 127);
	user[127] = '\0';
	request_user = user;
	strcpy(options, "spawn echo ");
	for (int i = 0; i < 70; i++)
		strcat(options, "%u");
	tables_write(rule_text(options), NULL);
	log_reset();
	check_int(decide(), 0, "an over-long expansion");
	request_user = "";
	check_int((long)log_count(), 2, "messages for an over-long expansion");
	check(log_count() > 0 &&
	          strncmp(log_message(0), "warning: " AT "percent_x: expansion too long: ",
	                  strlen("warning: " AT "percent_x: expansion too long: ")) == 0,
	      "first message: \"%s\"", log_message(0));
	check(log_count() > 1 && strncmp(log_message(1), "error: " AT, strlen("error: " AT)) == 0,
	      "second message: \"%s\"", log_message(1));
	checks_done();
}

/* ---- twist ------------------------------------------------------------------------------ */

/* in_child - run body(report_fd) in a child process; what it writes comes back in out. */
static void in_child(void (*body)(int report_fd), char *out, size_t size)
{
	int fds[2], status;
	pid_t child;

	assert_int_equal(pipe(fds), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(fds[0]);
		body(fds[1]);
		_exit(0);
	}
	close(fds[1]);
	read_fd_all(fds[0], out, size);
	close(fds[0]);
	assert_int_equal(waitpid(child, &status, 0), child);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status 0x%x", status);
}

static void twist_body(int report_fd)
{
	request_fd = report_fd;
	int result = decide();
	dprintf(report_fd, "twist returned %d\n", result);
}

static void test_twist(void **state)
{
	char out[256];

	(void)state;
	/* In dry run twist only hands the request over: dry_run is cleared ("delegated"). */
	dry_run = 1;
	option_one("twist echo hi", 1, "");
	check_int(dry_run, 0, "dry_run after twist in dry run");
	dry_run = 1;
	resident = -1;
	in_table_one(true, "twist echo hi", NULL, 0, "");
	check_int(dry_run, 0, "dry_run after twist in hosts.deny in dry run");
	dry_run = 0;
	/* Refused from the second decision of a process on (resident counts them). */
	resident = -1;
	option_one("allow", 1, "");
	option_one("twist echo hi", 0, "error: " AT "twist option in resident process");
	resident = -1;
	option_one("twist", 0, "error: " AT "option \"twist\" requires value");
	/* For real: the command replaces the process, on the connection's descriptor. */
	resident = -1;
	tables_write(rule_text("twist echo hi %d"), NULL);
	in_child(twist_body, out, sizeof(out));
	check_str(out, "hi sshd\n", "what the twisted command wrote");
	checks_done();
}

/* ---- aclexec ---------------------------------------------------------------------------- */

static void test_aclexec(void **state)
{
	(void)state;
	/* In hosts.allow: success grants, failure makes the rule not match. */
	option_one("aclexec true", 1, "");
	option_one("aclexec test %d = sshd", 1, "");
	option_one("aclexec false", 1, "aclexec returned 1");       /* hosts.deny missing */
	check_int(log_priority(0), LOG_INFO, "priority of aclexec returned");
	in_table_one(false, "aclexec false", "ALL: ALL\n", 0, "aclexec returned 1");
	in_table_one(false, "aclexec exit 3", "ALL: ALL\n", 0, "aclexec returned 1");
	/* Per decision (deliberate difference): a failure does not spoil later decisions. */
	in_table_one(false, "aclexec true", "ALL: ALL\n", 1, "");
	in_table_one(false, "setenv FOO x", "ALL: ALL\n", 1, "");
	unsetenv("FOO");
	/* Dry run: not run, the rule matches. */
	dry_run = 1;
	option_one("aclexec false", 1, "");
	in_table_one(false, "aclexec false", "ALL: ALL\n", 1, "");
	dry_run = 0;
	option_one("aclexec", 0, "error: " AT "option \"aclexec\" requires value");
	checks_done();
}

static void test_aclexec_in_deny(void **state)
{
	(void)state;
	/* In hosts.deny: success denies; a failure makes the rule not match (as in hosts.allow),
	 * so the request is granted when nothing else matches (§1.2, §4.2, B2). */
	in_table_one(true, "aclexec true", NULL, 0, "");
	in_table_one(true, "aclexec false", NULL, 1, "aclexec returned 1");
	in_table_one(true, "aclexec exit 2", NULL, 1, "aclexec returned 1");
	checks_done();
}

/* ---- user, group ------------------------------------------------------------------------ */

static void test_user_group_names(void **state)
{
	(void)state;
	option_one("user nosuchuser", 0, "error: " AT "unknown user: \"nosuchuser\"");
	option_one("group nosuchgroup", 0, "error: " AT "unknown group: \"nosuchgroup\"");
	option_one("user nobody.nosuchgroup", 0, "error: " AT "unknown group: \"nosuchgroup\"");
	option_one("user a.b.c", 0, "error: " AT "unknown group: \"b.c\"");
	option_one("user", 0, "error: " AT "option \"user\" requires value");
	option_one("group", 0, "error: " AT "option \"group\" requires value");
	/* Dry run only checks the names (deliberate difference: the reference acts here). */
	uid_t uid = getuid();
	gid_t gid = getgid();
	dry_run = 1;
	option_one("user nobody", 1, "");
	option_one("group nogroup", 1, "");
	option_one("user nobody.nogroup", 1, "");
	dry_run = 0;
	check(getuid() == uid && getgid() == gid, "ids changed in dry run: %d/%d",
	      (int)getuid(), (int)getgid());
	checks_done();
}

static void ids_body(int report_fd)
{
	int result = decide();
	gid_t groups[64];
	int n = getgroups(64, groups);

	dprintf(report_fd, "%d uid=%d gid=%d groups=%d", result, (int)getuid(), (int)getgid(), n);
	for (int i = 0; i < n && i < 64; i++)
		dprintf(report_fd, ",%d", (int)groups[i]);
}

/* ids_one - the options outside dry run, in a child: its verdict and ids afterwards. */
static void ids_one(const char *options, const char *expected)
{
	char out[512];

	tables_write(rule_text(options), NULL);
	in_child(ids_body, out, sizeof(out));
	check_str(out, expected, "ids after \"%s\"", options);
}

static void test_user_group_ids(void **state)
{
	struct passwd *nobody = getpwnam("nobody");
	struct group *nogroup = getgrnam("nogroup");
	char expected[256];

	(void)state;
	/* A check that cannot run is a failure, not a skip: the suites run as root. */
	if (geteuid() != 0 || nobody == NULL || nogroup == NULL)
		fail_msg("needs root and the usual nobody/nogroup");
	/* Outside dry run: group first (and supplementary groups), then the user. */
	snprintf(expected, sizeof(expected), "1 uid=%d gid=%d groups=0", 0, (int)nogroup->gr_gid);
	ids_one("group nogroup", expected);
	snprintf(expected, sizeof(expected), "1 uid=%d gid=%d groups=1,%d", (int)nobody->pw_uid,
	         (int)nobody->pw_gid, (int)nobody->pw_gid);
	ids_one("user nobody", expected);
	snprintf(expected, sizeof(expected), "1 uid=%d gid=0 groups=1,0", (int)nobody->pw_uid);
	ids_one("user nobody.root", expected); /* the group named, plus the user's own */
	checks_done();
}

/* ---- nice ------------------------------------------------------------------------------- */

static void nice_body(int report_fd)
{
	log_reset();
	int result = decide();
	errno = 0;
	int prio = getpriority(PRIO_PROCESS, 0);

	dprintf(report_fd, "%d %d %zu %s", result, prio, log_count(),
	        log_count() ? log_message(0) : "");
}

/* nice_one - the options outside dry run, in a child: verdict, niceness (relative to ours),
 * and the start of the first message. */
static void nice_one(const char *options, int expected, int increment, const char *log_prefix)
{
	char out[512], head[64];
	int base = getpriority(PRIO_PROCESS, 0), result = -1, prio = -100, n;
	size_t count = 0;

	tables_write(rule_text(options), NULL);
	in_child(nice_body, out, sizeof(out));
	n = sscanf(out, "%d %d %zu", &result, &prio, &count);
	check(n == 3, "report of \"%s\": \"%s\"", options, out);
	check_int(result, expected, "verdict of \"%s\"", options);
	if (increment > 0)
		check_int(prio, base + increment > 19 ? 19 : base + increment, "niceness after \"%s\"",
		          options);
	snprintf(head, sizeof(head), "%d %d %zu ", result, prio, count);
	const char *message = strncmp(out, head, strlen(head)) == 0 ? out + strlen(head) : out;
	check(strncmp(message, log_prefix, strlen(log_prefix)) == 0 &&
	          (log_prefix[0] != '\0' || message[0] == '\0'),
	      "message of \"%s\": \"%s\", expected \"%s...\"", options, message, log_prefix);
}

static void test_nice(void **state)
{
	(void)state;
	nice_one("nice", 1, 10, "");
	nice_one("nice 3", 1, 3, "");
	nice_one("nice=2", 1, 2, "");
	/* A negative value warns even on success (reference: "nice(-5): Success"). */
	nice_one("nice -5", 1, 0, "warning: " AT "nice(-5): ");
	nice_one("nice x", 0, 0, "error: " AT "bad nice value: \"x\"");
	nice_one("nice 5x", 0, 0, "error: " AT "bad nice value: \"5x\"");
	/* Dry run: nothing changes. */
	int base = getpriority(PRIO_PROCESS, 0);
	dry_run = 1;
	option_one("nice 5", 1, "");
	dry_run = 0;
	check_int(getpriority(PRIO_PROCESS, 0), base, "niceness after nice in dry run");
	checks_done();
}

/* ---- every option: missing and extra values ---------------------------------------------- */

static void test_missing_and_extra_values(void **state)
{
	(void)state;
	/* A value where none is allowed. */
	option_one("allow x", 0, "error: " AT "option \"allow\" requires no value");
	option_one("deny x", 0, "error: " AT "option \"deny\" requires no value");
	option_one("keepalive=1", 0, "error: " AT "option \"keepalive\" requires no value");
	/* No value where one is required (those not tested with their option above). */
	option_one("twist=", 0, "error: " AT "option \"twist\" requires value");
	option_one("aclexec  ", 0, "error: " AT "option \"aclexec\" requires value");
	option_one("user=", 0, "error: " AT "option \"user\" requires value");
	option_one("group\t", 0, "error: " AT "option \"group\" requires value");
	option_one("banners =", 0, "error: " AT "option \"banners\" requires value");
	option_one("severity :allow", 0, "error: " AT "option \"severity\" requires value");
	/* One value too many: the whole text is the value, and it is bad. */
	option_one("linger 5 6", 0, "error: " AT "bad linger value: \"5 6\"");
	option_one("rfc931 5 6", 0, "error: " AT "bad rfc931 timeout: \"5 6\"");
	option_one("nice 1 2", 0, "error: " AT "bad nice value: \"1 2\"");
	option_one("umask 022 027", 0, "error: " AT "bad umask value: \"022 027\"");
	option_one("severity auth.notice x", 0,
	           "error: " AT "bad syslog facility or severity: \"notice x\"");
	option_one("severity notice x", 0,
	           "error: " AT "bad syslog facility or severity: \"notice x\"");
	option_one("user nobody extra", 0, "error: " AT "unknown user: \"nobody extra\"");
	option_one("group nogroup extra", 0, "error: " AT "unknown group: \"nogroup extra\"");
	/* Commands take the rest of the field, blanks and all. */
	dry_run = 1;
	option_one("spawn a b c : twist d e f", 1, "");
	dry_run = 0;
	checks_done();
}

/* ---- compiled with the rule ----------------------------------------------------------------- */

static void test_compiled_with_rule(void **state)
{
	static const char text[] = "sshd: 10.0.0.1: bogus\n"
	                           "sshd: ALL\n"
	                           "sshd: ALL: setenv FOO %d : deny\n";
	struct wrap_table *table = table_compile_text("t", text, sizeof(text) - 1);
	struct request_info r;

	(void)state;
	assert_non_null(table);
	assert_int_equal(table->n_rules, 3);
	check(table->rules[0].compiled_options != NULL, "rule 1 has compiled options");
	check(table->rules[1].compiled_options == NULL, "rule 2 has no options");
	check(table->rules[2].compiled_options != NULL, "rule 3 has compiled options");
	/* An error is kept, not reported, until the rule is applied. */
	check_str(log_text(), "", "compiling reports nothing");
	/* The same compiled options serve any number of requests, each expanded afresh. */
	request_init(&r, RQ_DAEMON, "sshd", 0);
	check_int(options_apply(table->rules[2].compiled_options, &r), OPTIONS_DENY, "apply 1");
	check_str(getenv("FOO"), "sshd", "FOO after apply 1");
	request_init(&r, RQ_DAEMON, "ftpd", 0);
	check_int(options_apply(table->rules[2].compiled_options, &r), OPTIONS_DENY, "apply 2");
	check_str(getenv("FOO"), "ftpd", "FOO after apply 2");
	check_int(options_apply(table->rules[0].compiled_options, &r), OPTIONS_DENY, "apply bad");
	check_str(log_text(), "error: bad option name: \"bogus\"", "log of the bad option");
	unsetenv("FOO");
	table_free(table);

	/* Through the decision: a bad option in a rule that does not match is silent. */
	tables_write("sshd: 10.0.0.1: bogus\nsshd: ALL: allow\n", NULL);
	log_reset();
	check_int(decide(), 1, "bad option in a rule that does not match");
	check_str(log_text(), "", "log of a bad option in a rule that does not match");
	/* Errors come in field order, after the side effects of the fields before them. */
	option_one("setenv FOO 1 : bogus : setenv FOO 2", 0, "error: " AT "bad option name: \"bogus\"");
	check_str(getenv("FOO"), "1", "FOO after an error in the second field");
	unsetenv("FOO");
	/* Empty option text (a rule ending in ':') and text with only blanks. */
	option_one("", 0, "error: " AT "missing option name");
	checks_done();
}

/* ---- process_options (export) ------------------------------------------------------------ */

/* run_process_options - process_options(text): the longjmp value, or 0 when it returns. */
static int run_process_options(char *text, struct request_info *r)
{
	int value = setjmp(tcpd_buf);

	if (value != 0)
		return value;
	process_options(text, r);
	return 0;
}

/* process_one - process_options(text) on a strings-only request: how it ends, and the log. */
static void process_one(const char *text, int expected, const char *log)
{
	struct request_info r;
	char copy[256];

	strcpy(copy, text);
	request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.1", 0);
	log_reset();
	check_int(run_process_options(copy, &r), expected, "process_options(\"%s\")", text);
	check_str(log_text(), log, "log of process_options(\"%s\")", text);
}

static void test_process_options(void **state)
{
	(void)state;
	process_one("allow", AC_PERMIT, "");
	process_one("deny", AC_DENY, "");
	process_one("setenv FOO y", 0, "");
	process_one("setenv FOO y : allow", AC_PERMIT, "");
	process_one("bogus", AC_DENY, "error: bad option name: \"bogus\"");
	process_one("allow :\n", AC_DENY, "error: option \"allow\" must be at end");
	unsetenv("FOO");
	checks_done();
}

static void test_process_options_trailing_colon(void **state)
{
	(void)state;
	/* Only a direct call can end in ':' (rule text ends in a newline): the reference warns
	 * and then runs the option as the last one. */
	process_one("allow:", AC_PERMIT, "warning: rule ends in \":\"");
	process_one("deny :", AC_DENY, "warning: rule ends in \":\"");
	process_one("setenv FOO z:", 0, "warning: rule ends in \":\"");
	check_str(getenv("FOO"), "z", "FOO after \"setenv FOO z:\"");
	unsetenv("FOO");
	checks_done();
}

static void test_process_options_context(void **state)
{
	(void)state;
	/* Programs such as tcpdchk set the classic tcpd_context before calling process_options;
	 * the reference's messages then name that file and line. */
	tcpd_context.file = "hosts.allow";
	tcpd_context.line = 7;
	process_one("bogus", AC_DENY, "error: hosts.allow, line 7: bad option name: \"bogus\"");
	process_one("linger 5", 0, "warning: hosts.allow, line 7: setsockopt SO_LINGER 5: Bad file "
	                           "descriptor");
	tcpd_context.file = NULL;
	tcpd_context.line = 0;
	checks_done();
}

static int options_setup(void **state)
{
	request_fd = -1;
	request_name = "";
	request_user = "";
	return fixture_setup(state);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, options_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_parse_errors),
		T(test_allow_deny_tables),
		T(test_setenv),
		T(test_severity),
		T(test_rfc931),
		T(test_umask),
		T(test_umask_sign),
		T(test_socket_options),
		T(test_banners),
		T(test_spawn),
		T(test_verbose),
		T(test_expansion_too_long),
		T(test_twist),
		T(test_aclexec),
		T(test_aclexec_in_deny),
		T(test_user_group_names),
		T(test_user_group_ids),
		T(test_nice),
		T(test_missing_and_extra_values),
		T(test_compiled_with_rule),
		T(test_process_options),
		T(test_process_options_trailing_colon),
		T(test_process_options_context),
	};
#undef T

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
