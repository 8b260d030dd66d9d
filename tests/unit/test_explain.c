/*
 * test_explain.c - hosts_access_explain() (lib/explain.c) against hosts_access().
 *
 * The explanation walk must take the same decision as hosts_access(), with the same log
 * lines, on any table: test_agreement generates thousands of table pairs from a vocabulary of
 * daemon, client and option patterns (EXCEPT, nets, names, users, malformed patterns and
 * lines, deciding options) and requests, and compares the answers, the logs and the deciding
 * line (which hosts_access() names in its "matched:" log line at verbose 2).  The other tests
 * pin the decision record and the trace's contents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tcpwrappers/explain.h>

#include "helpers.h"

static const char *const daemon_words[] = {
	"sshd", "in.ftpd", "ALL", "ss*", "SSHD", "telnetd", "sshd@192.0.2.100", "ALL@198.51.100.100",
};
static const char *const client_words[] = {
	"ALL", "192.0.2.1", "192.0.2.", "192.0.2.0/24", "198.51.100.0/255.255.255.0",
	"[2001:db8::1]", "[2001:db8::]/32", ".example.com", "h.example.com", "KNOWN", "UNKNOWN",
	"LOCAL", "PARANOID", "bob@ALL", "alice@192.0.2.", "192.0.2.7", "10.0.0.0/33",
	"192.0.2.1/24", "203.0.113.*", "*.example.com", "host", "BOB@KNOWN",
};
static const char *const option_words[] = {
	"", "", "", " : allow", " : deny", " : severity auth.info", " : bogus",
	" : allow : deny", " : setenv X y", " : linger", " : severity local0.notice : deny",
};
static const char *const request_daemons[] = {"sshd", "in.ftpd", "telnetd", "SSHD"};
static const char *const request_addrs[] = {"192.0.2.1", "192.0.2.7", "198.51.100.3",
                                            "2001:db8::1", "203.0.113.9", "::ffff:192.0.2.1"};
static const char *const request_names[] = {"", "h.example.com", "host", "paranoid",
                                            "x.example.org"};
static const char *const request_users[] = {"bob", "alice", "unknown"};
static const char *const server_addrs[] = {"192.0.2.100", "198.51.100.100", "203.0.113.100"};

#define PICK(array, seed) ((array)[(seed) % (sizeof(array) / sizeof((array)[0]))])

/* next_random - a small deterministic generator (the cases are the same on every run). */
static unsigned next_random(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 8) & 0xffffff;
}

/* list_of - one to three words, with an EXCEPT now and then. */
static void list_of(char *buf, size_t size, const char *const *words, size_t n_words,
                    unsigned *rng)
{
	size_t used = 0;
	unsigned count = 1 + next_random(rng) % 3;

	buf[0] = '\0';
	for (unsigned i = 0; i < count; i++) {
		const char *word = words[next_random(rng) % n_words];
		bool except = i > 0 && next_random(rng) % 3 == 0;
		int n = snprintf(buf + used, size - used, "%s%s%s", i > 0 ? " " : "",
		                 except ? "EXCEPT " : "", word);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

/* table_of - up to five lines; now and then a line without separator, or no final newline. */
static void table_of(char *buf, size_t size, unsigned *rng)
{
	char daemons[256], clients[256];
	unsigned lines = next_random(rng) % 6;
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < lines; i++) {
		int n;
		if (next_random(rng) % 17 == 0) {
			n = snprintf(buf + used, size - used, "no separator here\n");
		} else {
			list_of(daemons, sizeof(daemons), daemon_words,
			        sizeof(daemon_words) / sizeof(daemon_words[0]), rng);
			list_of(clients, sizeof(clients), client_words,
			        sizeof(client_words) / sizeof(client_words[0]), rng);
			n = snprintf(buf + used, size - used, "%s: %s%s\n", daemons, clients,
			             PICK(option_words, next_random(rng)));
		}
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	if (used > 0 && next_random(rng) % 13 == 0)
		buf[used - 1] = '\0'; /* no final newline */
}

/* make_request - the same request, built afresh (lookups are cached in it). */
static void make_request(struct request_info *r, unsigned seed)
{
	request_init(r, RQ_DAEMON, PICK(request_daemons, seed), RQ_CLIENT_ADDR,
	             PICK(request_addrs, seed / 7), RQ_CLIENT_NAME, PICK(request_names, seed / 43),
	             RQ_USER, PICK(request_users, seed / 211), RQ_SERVER_ADDR,
	             PICK(server_addrs, seed / 631), RQ_SERVER_NAME, "server.example.com", 0);
}

/* matched_line - the N of hosts_access()'s last "matched:  FILE line N" log line, or 0. */
static int matched_line(const char *log, char *file, size_t file_size)
{
	const char *p = log, *last = NULL;
	int line = 0;

	while ((p = strstr(p, "matched:  ")) != NULL)
		last = p++;
	if (last == NULL)
		return 0;
	const char *end = strstr(last, " line ");
	if (end == NULL)
		return 0;
	snprintf(file, file_size, "%.*s", (int)(end - last - 10), last + 10);
	sscanf(end, " line %d", &line);
	return line;
}

struct trace_count {
	int events, decisions, last_granted;
};

static void count_events(void *context, const struct hosts_trace_event *event)
{
	struct trace_count *count = context;

	count->events++;
	if (event->kind == HOSTS_TRACE_DECISION) {
		count->decisions++;
		count->last_granted = event->matched;
	}
}

static void test_agreement(void **state)
{
	char allow[2048], deny[2048], *classic_log, file[512];
	unsigned rng = 7;
	int cases = 0;

	(void)state;
	hosts_access_verbose = 2;
	dry_run = 1;
	for (int t = 0; t < 1500; t++) {
		table_of(allow, sizeof(allow), &rng);
		table_of(deny, sizeof(deny), &rng);
		tables_write(next_random(&rng) % 11 == 0 ? NULL : allow, deny);
		for (int q = 0; q < 4; q++, cases++) {
			unsigned seed = next_random(&rng);
			struct request_info r1, r2;
			struct hosts_decision d;
			struct trace_count count = {0, 0, -1};

			make_request(&r1, seed);
			log_reset();
			int classic = hosts_access(&r1);
			classic_log = strdup(log_text());
			make_request(&r2, seed);
			log_reset();
			int explained = hosts_access_explain(&r2, count_events, &count, &d);
			int line = matched_line(classic_log, file, sizeof(file));

			check_int(explained, classic, "decision, allow \"%s\", deny \"%s\", seed %u",
			          allow, deny, seed);
			check_int(d.granted, classic, "decision record, seed %u", seed);
			check_str(log_text(), classic_log, "log, allow \"%s\", deny \"%s\", seed %u",
			          allow, deny, seed);
			check_int(count.decisions, 1, "one DECISION event, seed %u", seed);
			check_int(count.last_granted, classic, "DECISION event's verdict, seed %u", seed);
			if (d.decided_by == HOSTS_BY_RULE || (d.decided_by == HOSTS_BY_OPTIONS && line)) {
				check_int(d.line, line, "deciding line, allow \"%s\", deny \"%s\", seed %u",
				          allow, deny, seed);
				/* The log shows the private directory as "<tmp>": compare names. */
				check(d.file != NULL && strrchr(file, '/') != NULL &&
				          strcmp(strrchr(file, '/'), strrchr(d.file, '/')) == 0 &&
				          d.rule != NULL && d.rule[0] != '\0',
				      "deciding file and rule, seed %u", seed);
			}
			if (d.decided_by == HOSTS_BY_DEFAULT)
				check(line == 0 && classic == 1 && d.file == NULL,
				      "default decision without a match, seed %u", seed);
			hosts_decision_free(&d);
			free(classic_log);
		}
	}
	check(cases == 6000, "%d cases", cases);
	checks_done();
}

/* A trace recorded as text lines "KIND line matched text | detail". */
static char trace_buf[16384];

static void record(void *context, const struct hosts_trace_event *event)
{
	static const char *const kinds[] = {"table", "skip", "rule", "pattern", "lookup",
	                                    "options", "decision"};
	size_t used = strlen(trace_buf);

	(void)context;
	snprintf(trace_buf + used, sizeof(trace_buf) - used, "%s %d %d %s | %s\n",
	         kinds[event->kind], event->line, event->matched, event->text, event->detail);
}

static void test_decision_record(void **state)
{
	struct request_info r;
	struct hosts_decision d;

	(void)state;
	tables_write("sshd: 192.0.2.1\nin.ftpd, sshd : 192.0.2.0/24 EXCEPT 192.0.2.9 : deny\n",
	             "ALL: ALL\n");
	request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.5", 0);
	check_int(hosts_access_explain(&r, NULL, NULL, &d), 0, "options deny");
	check_int(d.decided_by, HOSTS_BY_OPTIONS, "decided by options");
	check_int(d.line, 2, "line 2");
	check_str(d.rule, "in.ftpd sshd : 192.0.2.0/24 EXCEPT 192.0.2.9 : deny", "rule text");
	check_str(d.file, allow_path(), "in hosts.allow");
	hosts_decision_free(&d);
	hosts_decision_free(&d); /* twice is fine */

	request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.9", 0);
	check_int(hosts_access_explain(&r, NULL, NULL, &d), 0, "hosts.deny decides");
	check_int(d.decided_by, HOSTS_BY_RULE, "by rule");
	check_str(d.file, deny_path(), "in hosts.deny");
	check_str(d.rule, "ALL : ALL", "ALL : ALL");
	hosts_decision_free(&d);

	tables_write("sshd: 192.0.2.1\n", "in.ftpd: ALL\n");
	request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "198.51.100.1", 0);
	check_int(hosts_access_explain(&r, NULL, NULL, &d), 1, "default grant");
	check_int(d.decided_by, HOSTS_BY_DEFAULT, "by default");
	check(d.file == NULL && d.rule == NULL && d.line == 0, "no deciding rule");
	hosts_decision_free(&d);

	tables_write("", "sshd: ALL");
	request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "198.51.100.1", 0);
	log_reset();
	check_int(hosts_access_explain(&r, NULL, NULL, NULL), 0, "truncated hosts.deny denies");
	check_str(log_text(),
	          "warning: <tmp>/deny, line 0: missing newline or line too long\n"
	          "warning: <tmp>/deny, line 0: all the subsequent rules will be ignored",
	          "the classic warnings");
	checks_done();
}

static void test_trace(void **state)
{
	struct request_info r;

	(void)state;
	tables_write("in.ftpd: ALL\nsshd: 10.0.0.0/8 .example.com\nsshd: bob@192.0.2. : allow\n",
	             "");
	request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.5", RQ_CLIENT_NAME,
	             "h.example.org", RQ_USER, "bob", 0);
	trace_buf[0] = '\0';
	check_int(hosts_access_explain(&r, record, NULL, NULL), 1, "granted");
	char expected[4096];
	snprintf(expected, sizeof(expected),
	         "table 0 1 %s | 3 rules\n"
	         "pattern 1 0 in.ftpd | daemon sshd does not match\n"
	         "rule 1 0 in.ftpd : ALL | the rule does not match\n"
	         "pattern 2 1 sshd | daemon sshd matches\n"
	         "pattern 2 0 10.0.0.0/8 | client address 192.0.2.5 is not in the network\n"
	         "pattern 2 0 .example.com | neither client address 192.0.2.5 nor host name "
	         "h.example.org matches\n"
	         "rule 2 0 sshd : 10.0.0.0/8 .example.com | the rule does not match\n"
	         "pattern 3 1 sshd | daemon sshd matches\n"
	         "pattern 3 1 bob@192.0.2. | client address 192.0.2.5 matches; user bob matches\n"
	         "rule 3 1 sshd : bob@192.0.2. : allow | the rule matches\n"
	         "options 3 1  | an option grants (allow)\n"
	         "decision 3 1 granted | the options of the matching rule decide\n",
	         allow_path());
	check_str(trace_buf, expected, "trace");

	/* A name lookup made by a pattern is reported with what it returned. */
	tables_write("sshd: .example.com\n", NULL);
	request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "192.0.2.5", 0);
	trace_buf[0] = '\0';
	hosts_access_explain(&r, record, NULL, NULL);
	check(strstr(trace_buf, "lookup 1 1 client host name | unknown\n") != NULL,
	      "host name lookup traced: %s", trace_buf);
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_agreement, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_decision_record, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(test_trace, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
