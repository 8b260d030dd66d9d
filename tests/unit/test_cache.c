/*
 * test_cache.c - compiled tables kept across calls (lib/cache.c), through hosts_access().
 *
 * A table edited between two calls changes the very next decision: in place with the same
 * size, appended (>>), renamed over.  An unchanged table is not read again (counted with
 * cache_loads()); a snapshot loaded while the file's timestamps are still within the racy
 * window is never trusted, so a same-size rewrite in the same timestamp tick is seen too.
 * Concurrent deciding threads and a writer that keeps replacing the table run here and under
 * ThreadSanitizer.  The sleeps only step out of the racy window; nothing is timed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "helpers.h"

/* decide - hosts_ctl() for sshd from addr. */
static int decide(const char *addr)
{
	return hosts_ctl("sshd", "", (char *)addr, "");
}

/* past_racy_window - wait until files written so far are old enough to be trusted. */
static void past_racy_window(void)
{
	struct timespec pause = {0, CACHE_RACY_NS + 50000000L};
	nanosleep(&pause, NULL);
}

/* write_in_place - overwrite the file's bytes without truncating or replacing it. */
static void write_in_place(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, text, strlen(text), 0), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static void append(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static void rename_over(const char *name, const char *text)
{
	tmp_write("new", text);
	assert_int_equal(rename(tmp_path("new"), tmp_path(name)), 0);
}

/* warm_up - past the process's first decision, which never uses the cache. */
static void warm_up(void)
{
	decide("198.51.100.1");
	decide("198.51.100.1");
}

static void test_edits_change_the_next_decision(void **state)
{
	unsigned long loads;

	(void)state;
	tables_write("sshd: 192.0.2.1\n", "ALL: ALL\n");
	warm_up();
	past_racy_window();
	check_int(decide("192.0.2.1"), 1, "first version");
	check_int(decide("192.0.2.2"), 0, "first version, other client");
	loads = cache_loads();
	check_int(decide("192.0.2.1"), 1, "first version again");
	check_int(decide("192.0.2.2"), 0, "first version, other client");
	check_int((long)(cache_loads() - loads), 0, "an unchanged table is not read again");

	/* In place, same size. */
	write_in_place(allow_path(), "sshd: 192.0.2.2\n");
	check_int(decide("192.0.2.1"), 0, "rewritten in place: old client");
	check_int(decide("192.0.2.2"), 1, "rewritten in place: new client");

	/* Appended. */
	past_racy_window();
	append(allow_path(), "sshd: 192.0.2.3\n");
	check_int(decide("192.0.2.3"), 1, "appended rule");
	check_int(decide("192.0.2.2"), 1, "rule before the appended one");

	/* Renamed over. */
	past_racy_window();
	rename_over("allow", "sshd: 192.0.2.4\n");
	check_int(decide("192.0.2.4"), 1, "renamed over: new rule");
	check_int(decide("192.0.2.2"), 0, "renamed over: old rule gone");

	/* Removed, then created again; hosts.deny changes too. */
	unlink(allow_path());
	check_int(decide("192.0.2.4"), 0, "hosts.allow removed");
	tmp_write("allow", "sshd: 192.0.2.4\n");
	check_int(decide("192.0.2.4"), 1, "hosts.allow back");
	write_in_place(deny_path(), "# LL\n");
	check_int(decide("192.0.2.9"), 1, "hosts.deny commented out in place");
	checks_done();
}

static void test_racy_snapshots_are_read_again(void **state)
{
	unsigned long loads;
	int collisions = 0;

	(void)state;
	tables_write("sshd: 192.0.2.1\n", "ALL: ALL\n");
	warm_up();
	/* Just written: every call reads the file again... */
	loads = cache_loads();
	decide("192.0.2.1");
	decide("192.0.2.1");
	check(cache_loads() - loads >= 2, "a racily clean snapshot is read again (%lu loads)",
	      cache_loads() - loads);
	/* ...until it is old enough, and then never. */
	past_racy_window();
	decide("192.0.2.1");
	loads = cache_loads();
	decide("192.0.2.1");
	decide("192.0.2.1");
	check_int((long)(cache_loads() - loads), 0, "a trusted snapshot is kept");

	/* Same-size rewrites right after the load, often within one timestamp tick (then the
	 * file's identity does not change at all): the next decision must see each one. */
	for (int i = 0; i < 200; i++) {
		struct stat before, after;
		const char *addr = i % 2 ? "192.0.2.1" : "192.0.2.2";

		write_in_place(allow_path(), i % 2 ? "sshd: 192.0.2.1\n" : "sshd: 192.0.2.2\n");
		check_int(decide(addr), 1, "round %d: the table just written", i);
		assert_int_equal(stat(allow_path(), &before), 0);
		write_in_place(allow_path(), i % 2 ? "sshd: 192.0.2.3\n" : "sshd: 192.0.2.4\n");
		assert_int_equal(stat(allow_path(), &after), 0);
		if (before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
		    before.st_mtim.tv_nsec == after.st_mtim.tv_nsec &&
		    before.st_ctim.tv_nsec == after.st_ctim.tv_nsec &&
		    before.st_ctim.tv_sec == after.st_ctim.tv_sec)
			collisions++;
		check_int(decide(addr), 0, "round %d: rewritten, same size", i);
	}
	print_message("same-size rewrites with an unchanged identity: %d of 200\n", collisions);
	checks_done();
}

/* racy_one - cache_racy() for timestamps `age` ns before the load (nsec: fine-grained). */
static void racy_one(long long age_ns, bool fine, bool expected)
{
	struct timespec start = {1700000000, fine ? 500000000L : 0};
	long long t = (long long)start.tv_sec * 1000000000LL + start.tv_nsec - age_ns;
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_mtim.tv_sec = st.st_ctim.tv_sec = (time_t)(t / 1000000000LL);
	st.st_mtim.tv_nsec = st.st_ctim.tv_nsec = fine ? (long)(t % 1000000000LL) | 1 : 0;
	if (!fine) /* whole seconds: round the age up to them */
		st.st_mtim.tv_sec = st.st_ctim.tv_sec = (time_t)((t + 999999999LL) / 1000000000LL);
	check_int(cache_racy(&st, &start), expected, "timestamps %lld ns before the load (%s)",
	          age_ns, fine ? "fine" : "whole seconds");
}

static void test_racy_rule(void **state)
{
	(void)state;
	racy_one(0, true, true);
	racy_one(-5000000000LL, true, true); /* in the future */
	racy_one(1000000, true, true);       /* within one jiffy */
	racy_one(CACHE_RACY_NS - 1000, true, true);
	racy_one(CACHE_RACY_NS + 1000, true, false);
	racy_one(3600LL * 1000000000LL, true, false);
	racy_one(1000000000LL, false, true); /* whole-second stamps: one second is not enough */
	racy_one(3000000000LL, false, false);
	checks_done();
}

static void test_snapshot_table(void **state)
{
	struct table_snapshot *snapshot;
	const struct wrap_table *table;

	(void)state;
	tmp_write("allow", "sshd: 192.0.2.1\n# c\nftpd: host.example : allow\nbroken\n");
	snapshot = cache_acquire(allow_path());
	assert_non_null(snapshot);
	table = snapshot_table(snapshot);
	assert_non_null(table);
	check_int((long)table->n_rules, 3, "rules in file order");
	check_int(table->rules[1].line, 3, "second rule's line");
	check_str(table->tokens[table->rules[1].clients].host.text.text, "host.example", "token");
	check_int((long)index_rule_count(snapshot_index(snapshot)), 3, "the index's rules");
	check(snapshot_table(snapshot) == table, "compiled once per snapshot");
	cache_release(snapshot);
	checks_done();
}

/* Threads deciding while another thread keeps replacing hosts.allow. */
#define READERS 3
#define DECISIONS 3000
static int stop_writer;

static void *reader(void *arg)
{
	long wrong = 0;

	(void)arg;
	for (int i = 0; i < DECISIONS; i++) {
		/* Both versions allow 192.0.2.1 at some line and never allow 203.0.113.9. */
		if (decide("192.0.2.1") != 1 || decide("203.0.113.9") != 0)
			wrong++;
	}
	return (void *)wrong;
}

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; !__atomic_load_n(&stop_writer, __ATOMIC_RELAXED); i++) {
		if (i % 2)
			rename_over("allow", "sshd: 192.0.2.1\nsshd: 198.51.100.0/24\n");
		else
			write_in_place(allow_path(), "sshd: 198.51.100.0/24 192.0.2.1\n");
	}
	return NULL;
}

static void test_threads_and_a_writer(void **state)
{
	pthread_t readers[READERS], w;
	long wrong = 0;

	(void)state;
	tables_write("sshd: 192.0.2.1\n", "ALL: ALL\n");
	warm_up();
	stop_writer = 0;
	assert_int_equal(pthread_create(&w, NULL, writer, NULL), 0);
	for (int i = 0; i < READERS; i++)
		assert_int_equal(pthread_create(&readers[i], NULL, reader, NULL), 0);
	for (int i = 0; i < READERS; i++) {
		void *got;
		assert_int_equal(pthread_join(readers[i], &got), 0);
		wrong += (long)got;
	}
	__atomic_store_n(&stop_writer, 1, __ATOMIC_RELAXED);
	assert_int_equal(pthread_join(w, NULL), 0);
	check_int(wrong, 0, "decisions that saw neither version");
	checks_done();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_racy_rule),
		T(test_edits_change_the_next_decision),
		T(test_racy_snapshots_are_read_again),
		T(test_snapshot_table),
		T(test_threads_and_a_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
