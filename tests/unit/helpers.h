/*
 * helpers.h - shared fixtures of the unit tests: a private table directory, captured syslog
 * output, and expectations that report every failing table row before failing the test.
 *
 * Every test binary links helpers.c, whose syslog()/vsyslog() replace the C library's: the
 * library's diagnostics are recorded here instead of going to the system log.  Paths under
 * the private directory are recorded as "<tmp>/name", so expected messages stay literal.
 */
#ifndef UNIT_HELPERS_H
#define UNIT_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "export.h" /* <tcpd.h> as the library sees it (INET6 layout) */

/* check - one expectation; a failure is printed and counted, and the test goes on. */
bool check(bool ok, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* check_str - got equals expected (both may be NULL); the format says which row. */
bool check_str(const char *got, const char *expected, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

/* check_int - got equals expected. */
bool check_int(long got, long expected, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

/* checks_done - fail the current test if any check failed since the last call. */
void checks_done(void);

/* log_reset - forget the recorded messages. */
void log_reset(void);

/* log_count - how many messages were recorded. */
size_t log_count(void);

/* log_message / log_priority - one recorded message (the private directory as "<tmp>"). */
const char *log_message(size_t index);
int log_priority(size_t index);

/* log_text - every recorded message, joined with '\n' ("" when there is none). */
const char *log_text(void);

/* fixture_setup / fixture_teardown - cmocka setup and teardown for one test: a fresh private
 * directory, the library's globals at their initial values (tables pointed at "<tmp>/allow"
 * and "<tmp>/deny", both missing), and an empty log. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* globals_reset - the library's exported variables back to their initial values. */
void globals_reset(void);

/* tmp_path - "<private dir>/name"; the result lives until the 16th later call. */
const char *tmp_path(const char *name);

/* tmp_write - create or replace <tmp>/name with the given bytes (text: strlen). */
void tmp_write(const char *name, const char *text);
void tmp_write_bytes(const char *name, const void *data, size_t size);

/* tables_write - the contents of hosts.allow and hosts.deny; NULL leaves a file missing. */
void tables_write(const char *allow_text, const char *deny_text);

/* allow_path / deny_path - where hosts_allow_table and hosts_deny_table point by default. */
const char *allow_path(void);
const char *deny_path(void);

/* read_fd_all - everything readable from fd until EOF, into buf[size] (NUL-terminated);
 * returns the byte count. */
size_t read_fd_all(int fd, char *buf, size_t size);

/* loopback_up - bring "lo" up (in a network namespace of the test's own, after
 * unshare(CLONE_NEWNET)); false when it cannot. */
bool loopback_up(void);

#endif
