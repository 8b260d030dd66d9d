/*
 * helpers.c - shared fixtures of the unit tests (see helpers.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <net/if.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "helpers.h"

/* ---- expectations ---------------------------------------------------------------------- */

static int failed_checks;

bool check(bool ok, const char *format, ...)
{
	char text[4096];
	va_list ap;

	if (ok)
		return true;
	va_start(ap, format);
	vsnprintf(text, sizeof(text), format, ap);
	va_end(ap);
	print_error("FAIL: %s\n", text);
	failed_checks++;
	return false;
}

bool check_str(const char *got, const char *expected, const char *format, ...)
{
	char text[4096];
	va_list ap;

	if ((got == NULL && expected == NULL) ||
	    (got != NULL && expected != NULL && strcmp(got, expected) == 0))
		return true;
	va_start(ap, format);
	vsnprintf(text, sizeof(text), format, ap);
	va_end(ap);
	print_error("FAIL: %s\n      got:      \"%s\"\n      expected: \"%s\"\n", text,
	            got != NULL ? got : "(null)", expected != NULL ? expected : "(null)");
	failed_checks++;
	return false;
}

bool check_int(long got, long expected, const char *format, ...)
{
	char text[4096];
	va_list ap;

	if (got == expected)
		return true;
	va_start(ap, format);
	vsnprintf(text, sizeof(text), format, ap);
	va_end(ap);
	print_error("FAIL: %s: got %ld, expected %ld\n", text, got, expected);
	failed_checks++;
	return false;
}

void checks_done(void)
{
	int failures = failed_checks;

	failed_checks = 0;
	if (failures != 0)
		fail_msg("%d expectation(s) failed (listed above)", failures);
}

/* ---- the private directory ------------------------------------------------------------- */

static char tmp_dir[64]; /* "/tmp/wrap-unit-XXXXXX" */
static char allow_buf[PATH_MAX], deny_buf[PATH_MAX];

const char *tmp_path(const char *name)
{
	static char ring[16][PATH_MAX];
	static unsigned next;
	char *path = ring[next++ % 16];

	int n = snprintf(path, PATH_MAX, "%s/%s", tmp_dir, name);

	assert_true(n > 0 && n < PATH_MAX);
	return path;
}

void tmp_write_bytes(const char *name, const void *data, size_t size)
{
	const char *path = tmp_path(name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, size, fp), size);
	assert_int_equal(fclose(fp), 0);
}

void tmp_write(const char *name, const char *text)
{
	tmp_write_bytes(name, text, strlen(text));
}

void tables_write(const char *allow_text, const char *deny_text)
{
	unlink(allow_buf);
	unlink(deny_buf);
	if (allow_text != NULL)
		tmp_write("allow", allow_text);
	if (deny_text != NULL)
		tmp_write("deny", deny_text);
}

const char *allow_path(void)
{
	return allow_buf;
}

const char *deny_path(void)
{
	return deny_buf;
}

void globals_reset(void)
{
	hosts_allow_table = allow_buf;
	hosts_deny_table = deny_buf;
	hosts_access_verbose = 0;
	resident = -1;
	dry_run = 0;
	rfc931_timeout = 10;
	allow_severity = LOG_INFO;
	deny_severity = LOG_WARNING;
	tcpd_context.file = NULL;
	tcpd_context.line = 0;
}

int fixture_setup(void **state)
{
	(void)state;
	strcpy(tmp_dir, "/tmp/wrap-unit-XXXXXX");
	if (mkdtemp(tmp_dir) == NULL)
		return -1;
	snprintf(allow_buf, sizeof(allow_buf), "%s/allow", tmp_dir);
	snprintf(deny_buf, sizeof(deny_buf), "%s/deny", tmp_dir);
	globals_reset();
	log_reset();
	failed_checks = 0;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

int fixture_teardown(void **state)
{
	(void)state;
	globals_reset();
	hosts_allow_table = "/etc/hosts.allow";
	hosts_deny_table = "/etc/hosts.deny";
	if (tmp_dir[0] != '\0' && nftw(tmp_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return -1;
	tmp_dir[0] = '\0';
	return 0;
}

size_t read_fd_all(int fd, char *buf, size_t size)
{
	size_t used = 0;

	while (used + 1 < size) {
		ssize_t got = read(fd, buf + used, size - 1 - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		used += (size_t)got;
	}
	buf[used] = '\0';
	return used;
}

/* ---- captured syslog -------------------------------------------------------------------- */

#define LOG_MAX_MESSAGES 128
#define LOG_MAX_TEXT 4096

static struct {
	int priority;
	char text[LOG_MAX_TEXT];
} messages[LOG_MAX_MESSAGES];
static size_t n_messages;
static char joined[LOG_MAX_MESSAGES * 256];
/* Tests with threads (test_threads.c) log concurrently. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_reset(void)
{
	n_messages = 0;
}

size_t log_count(void)
{
	return n_messages;
}

const char *log_message(size_t index)
{
	return index < n_messages ? messages[index].text : NULL;
}

int log_priority(size_t index)
{
	return index < n_messages ? messages[index].priority : -1;
}

const char *log_text(void)
{
	size_t used = 0;

	joined[0] = '\0';
	for (size_t i = 0; i < n_messages; i++) {
		int n = snprintf(joined + used, sizeof(joined) - used, "%s%s", i ? "\n" : "",
		                 messages[i].text);
		if (n < 0 || (size_t)n >= sizeof(joined) - used)
			break;
		used += (size_t)n;
	}
	return joined;
}

/* record - keep one message, with the private directory shown as "<tmp>". */
static void record(int priority, const char *format, va_list ap)
{
	char raw[LOG_MAX_TEXT], *out;
	const char *in = raw;
	size_t dir_len = strlen(tmp_dir), left = LOG_MAX_TEXT;

	vsnprintf(raw, sizeof(raw), format, ap); /* glibc's printf knows %m, as syslog does */
	pthread_mutex_lock(&log_lock);
	if (n_messages == LOG_MAX_MESSAGES) {
		pthread_mutex_unlock(&log_lock);
		return;
	}
	out = messages[n_messages].text;
	while (*in != '\0' && left > 6) {
		if (dir_len > 0 && strncmp(in, tmp_dir, dir_len) == 0) {
			memcpy(out, "<tmp>", 5);
			out += 5;
			left -= 5;
			in += dir_len;
		} else {
			*out++ = *in++;
			left--;
		}
	}
	*out = '\0';
	messages[n_messages++].priority = priority;
	pthread_mutex_unlock(&log_lock);
}

/* The library logs through plain syslog(); these definitions replace the C library's. */
void syslog(int priority, const char *format, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, format);
	errno = saved;
	record(priority, format, ap);
	va_end(ap);
	errno = saved;
}

void vsyslog(int priority, const char *format, va_list ap)
{
	int saved = errno;

	record(priority, format, ap);
	errno = saved;
}

/* The fortified entry points, in case the library is ever built with _FORTIFY_SOURCE. */
void __syslog_chk(int priority, int flag, const char *format, ...);
void __vsyslog_chk(int priority, int flag, const char *format, va_list ap);

void __syslog_chk(int priority, int flag, const char *format, ...)
{
	va_list ap;
	int saved = errno;

	(void)flag;
	va_start(ap, format);
	record(priority, format, ap);
	va_end(ap);
	errno = saved;
}

void __vsyslog_chk(int priority, int flag, const char *format, va_list ap)
{
	int saved = errno;

	(void)flag;
	record(priority, format, ap);
	errno = saved;
}

bool loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	bool ok;

	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ok = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
	ifr.ifr_flags |= IFF_UP;
	ok = ok && ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
	close(fd);
	return ok;
}
