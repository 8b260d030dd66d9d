/*
 * test_threads.c - concurrent decisions: several threads call hosts_access() and hosts_ctl()
 * on their own requests at the same time, with tables that exercise every kind of pattern,
 * warnings (per-thread diagnostic context) and % expansion; every answer must be the one a
 * single thread gets.  Run under ASan here; `make tsan` runs it under ThreadSanitizer.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "export.h"
#include "percent.h"

#define THREADS 8
#define ROUNDS 400

static char dir[64];

struct query {
	const char *daemon, *name, *addr, *user;
	int expected;
};

static const struct query queries[] = {
	{"sshd", "host.example.com", "192.0.2.10", "alice", 1},
	{"sshd", "evil.example.net", "192.0.2.66", "bob", 0},
	{"ftpd", "", "2001:db8::7", "", 1},
	{"ftpd", "", "::ffff:198.51.100.9", "", 1},
	{"ftpd", "", "203.0.113.1", "", 0},
	{"telnetd", "ws1", "10.1.2.3", "carol", 1},
	{"telnetd", "ws1.example.com", "10.1.2.3", "carol", 0},
	{"imapd", "mail.example.org", "192.0.2.200", "dave", 1},
	{"imapd", "mail.example.org", "192.0.2.200", "unknown", 0},
	{"other", "x", "1.2.3.4", "", 0},
};

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/tw-threads-XXXXXX");
	assert_non_null(mkdtemp(dir));
	write_file("list", "# trusted nets\n198.51.100.0/24 [2001:db8::]/32\n");
	char allow[512];
	snprintf(allow, sizeof(allow),
	         "no separator line\n"
	         "sshd: 192.0.2.0/255.255.255.0 EXCEPT 192.0.2.66\n"
	         "ftpd: %s/list\n"
	         "telnetd: LOCAL\n"
	         "imapd: KNOWN@.example.org\n",
	         dir);
	write_file("hosts.allow", allow);
	write_file("hosts.deny", "ALL: ALL\n");
	static char allow_path[128], deny_path[128];
	snprintf(allow_path, sizeof(allow_path), "%s/hosts.allow", dir);
	snprintf(deny_path, sizeof(deny_path), "%s/hosts.deny", dir);
	hosts_allow_table = allow_path;
	hosts_deny_table = deny_path;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void *worker(void *arg)
{
	size_t offset = (size_t)arg, wrong = 0;

	for (int round = 0; round < ROUNDS; round++) {
		const struct query *q = &queries[(offset + (size_t)round) % 10];
		struct request_info request;
		char expanded[256];

		request_init(&request, RQ_DAEMON, q->daemon, RQ_CLIENT_NAME, q->name,
		             RQ_CLIENT_ADDR, q->addr, RQ_USER, q->user, 0);
		if (hosts_access(&request) != q->expected)
			wrong++;
		percent_expand(expanded, sizeof(expanded), "%d %c %s %h", &request);
		if (hosts_ctl((char *)q->daemon, (char *)q->name, (char *)q->addr,
		              (char *)q->user) != q->expected)
			wrong++;
	}
	return (void *)wrong;
}

static void test_single_thread_answers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		const struct query *q = &queries[i];
		assert_int_equal(hosts_ctl((char *)q->daemon, (char *)q->name, (char *)q->addr,
		                           (char *)q->user),
		                 q->expected);
	}
}

static void test_concurrent_answers(void **state)
{
	pthread_t threads[THREADS];
	size_t wrong = 0;

	(void)state;
	for (size_t i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, worker, (void *)i), 0);
	for (size_t i = 0; i < THREADS; i++) {
		void *result;
		assert_int_equal(pthread_join(threads[i], &result), 0);
		wrong += (size_t)result;
	}
	assert_int_equal(wrong, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_thread_answers),
		cmocka_unit_test(test_concurrent_answers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
