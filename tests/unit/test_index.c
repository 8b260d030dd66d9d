/*
 * test_index.c - the indexed decision (lib/index.c) and the one-shot scan from text
 * (scan_text() in lib/scan.c) against the plain linear scan of the compiled table.
 *
 * A property test: random tables built from fragments that cover every kind of pattern the
 * index answers (exact addresses, canonical or not, text prefixes, IPv4 nets with contiguous
 * and non-contiguous masks, IPv6 nets, daemon names in any case, ALL) mixed with everything it
 * must leave to general evaluation (names, wildcards, user@, EXCEPT, daemon@host, ports,
 * missing ':' lines, never-matching patterns, a truncated last line), decided for random
 * requests both ways.  Each pair must agree on the outcome, the deciding line and options,
 * every logged message in order, and every host name lookup (counted through the request's
 * hostname method).  Plus table-driven cases for the classic text semantics the index must
 * keep, and the memory bound for simple address rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "index.h"
#include "scan.h"
#include "table.h"

static const char *const daemons[] = {
	"sshd", "SSHD", "ftpd", "ALL", "sshd", "ftpd", "in.telnetd", "sshd@192.0.2.1", "22", "sshd ftpd", "in.ftpd-x", "sshd.",
	"SSH_D", "sshd, ALL", "EXCEPT", "known", "ss\x01hd", "sshd\xe9", "ss+d", "s[h]d",
	"ss*", "ALL EXCEPT ftpd", "sshd,ftpd", "KNOWN", ".d", "::ffff:1.2.3.4",
};
static const char *const clients[] = {
	"192.0.2.1", "192.0.2.2", "192.0.2.130", "01.2.3.4", "1.2.3.4", "1.2.3", "10.1.2.3",
	"192.0.2.", "192.0.", "10.", "01.", "192.0.2.0/24", "192.0.2.128/25",
	"192.0.2.0/255.255.255.128", "192.0.2.0/255.0.255.0", "10.0.0.0/8", "0.0.0.0/0",
	"[2001:db8::]/32", "[2001:db8::1]/128", "[2001:db8::]/0", "[::ffff:192.0.2.0]/120",
	"[2001:db8::1]", "host.example", ".example", "ALL", "KNOWN", "UNKNOWN", "LOCAL",
	"alice@192.0.2.1", "192.0.2.*", "ALL EXCEPT 192.0.2.1", "192.0.2.1/24", "[::zz]",
	"192.0.2.1, 10.0.0.0/8", "192.0.2.2 192.0.2.1", "2001:db8::1", "PARANOID",
	"192.0.2.1 ALL", "all", ".1.2.3", "1.2.3.", "192.0.2.1,192.0.2.2", "192.0.2.1\t10.1.2.3\r",
	"192.0.2.1 # x", "ALL, 1.2.3.4", "192.0.2.1\x01", "192.0.2.1+", "19[2.0.2.1]",
};
static const char *const options[] = {"", "", "", ": allow", ": deny", ": setenv X 1"};
static const char *const oddities[] = {"sshd 192.0.2.1", "sshd:", ": 192.0.2.1", "# c",
                                       "", "  # sshd: 192.0.2.1", "sshd: 192.0.2.1\\",
                                       "ALL:ALL", "\tsshd :192.0.2.1 ,1.2.3.4"};

static const char *const q_daemons[] = {"sshd", "SSHD", "ftpd", "in.telnetd", "other", "ss\x01hd",
                                        "::ffff:1.2.3.4", "1.2.3.4"};
static const char *const q_addrs[] = {
	"192.0.2.1", "192.0.2.2", "192.0.2.130", "01.2.3.4", "1.2.3.4", "1.2.3", "10.1.2.3",
	"::ffff:192.0.2.1", "::FFFF:192.0.2.130", "2001:db8::1", "2001:DB8::1", "2001:db8:1::5",
	"::ffff:10.1.2.3", "unknown", "198.51.100.7", "010.1.2.3", "192.0.2.1.5", "192.0.2.1\x01",
};
static const char *const q_names[] = {"", "host.example", "a.example", "ws1", "unknown"};

#define PICK(array) (array[(size_t)rand() % (sizeof(array) / sizeof(array[0]))])

/* random_table - lines of the kinds above; sometimes the last line lacks its newline. */
static size_t random_table(char *buf, size_t size, int lines)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < lines && used + 200 < size; i++) {
		if (rand() % 12 == 0)
			used += (size_t)snprintf(buf + used, size - used, "%s\n", PICK(oddities));
		else
			used += (size_t)snprintf(buf + used, size - used, "%s: %s%s\n", PICK(daemons),
			                         PICK(clients), PICK(options));
	}
	if (used > 0 && rand() % 10 == 0)
		buf[--used] = '\0';
	return used;
}

/* The request's host name method: counts lookups, which the two ways must make alike. */
static int name_lookups;
static const char *next_name;

static void fake_hostname(struct host_info *host)
{
	name_lookups++;
	snprintf(host->name, sizeof(host->name), "%s", next_name[0] ? next_name : "unknown");
}

static void make_request(struct request_info *r, const char *daemon, const char *addr,
                         const char *name)
{
	request_init(r, RQ_DAEMON, daemon, RQ_CLIENT_ADDR, addr, RQ_USER, "alice", 0);
	next_name = name;
	r->hostname = fake_hostname;
}

/* linear - the plain first-match scan over the compiled table. */
static enum scan_step linear(const struct wrap_table *t, struct request_info *r,
                             const struct wrap_rule **ret_rule)
{
	for (size_t i = 0; i < t->n_rules; i++) {
		enum scan_step step = scan_rule(t->path, t->tokens, &t->rules[i], r);
		if (step != STEP_NEXT) {
			*ret_rule = &t->rules[i];
			return step;
		}
	}
	return STEP_NEXT;
}

/* compare_one - one table and one request, both ways.  Returns false on a difference. */
static bool compare_one(const char *text, size_t size, const char *daemon, const char *addr,
                        const char *name)
{
	struct wrap_table *table = table_compile_text("t", text, size);
	struct table_index *ix = index_build("t", text, size);
	const struct wrap_rule *lin_rule = NULL;
	struct wrap_rule ix_rule;
	struct request_info r;
	enum scan_step lin, got;
	char lin_log[8192];
	int lin_lookups;
	bool ok;

	assert_non_null(table);
	assert_non_null(ix);
	make_request(&r, daemon, addr, name);
	log_reset();
	name_lookups = 0;
	lin = linear(table, &r, &lin_rule);
	snprintf(lin_log, sizeof(lin_log), "%s", log_text());
	lin_lookups = name_lookups;

	make_request(&r, daemon, addr, name);
	log_reset();
	name_lookups = 0;
	got = index_decide(ix, &r, &ix_rule);

	ok = check_int(got, lin, "outcome for %s from %s (%s) in table:\n%s", daemon, addr, name, text) &&
	     check_str(log_text(), lin_log, "log for %s from %s (%s) in table:\n%s", daemon, addr,
	               name, text) &&
	     check_int(name_lookups, lin_lookups, "name lookups for %s from %s (%s) in table:\n%s",
	               daemon, addr, name, text);
	if (ok && got != STEP_NEXT) {
		ok = check_int(ix_rule.line, lin_rule->line, "deciding line for %s from %s in:\n%s",
		               daemon, addr, text) &&
		     /* Its options, compiled with the rule: the deciding line names the rule. */
		     check_int(ix_rule.compiled_options != NULL, lin_rule->options != NULL,
		               "options for %s from %s in:\n%s", daemon, addr, text);
	}

	/* The one-shot scan straight from the text (quick lines decided uncompiled). */
	struct table_parser parser;
	struct wrap_rule once_rule;
	int once;

	assert_true(table_parser_init(&parser, text, size));
	make_request(&r, daemon, addr, name);
	log_reset();
	name_lookups = 0;
	once = scan_text("t", &parser, &r, &once_rule);
	ok = ok &&
	     check_int(once, lin, "one-shot outcome for %s from %s (%s) in table:\n%s", daemon,
	               addr, name, text) &&
	     check_str(log_text(), lin_log, "one-shot log for %s from %s (%s) in table:\n%s",
	               daemon, addr, name, text) &&
	     check_int(name_lookups, lin_lookups, "one-shot lookups for %s from %s in:\n%s",
	               daemon, addr, text);
	if (ok && once != STEP_NEXT)
		ok = check_int(once_rule.line, lin_rule->line, "one-shot line for %s from %s in:\n%s",
		               daemon, addr, text) &&
		     check_str(once_rule.options, lin_rule->options,
		               "one-shot options for %s from %s in:\n%s", daemon, addr, text);
	table_parser_free(&parser);
	index_free(ix);
	table_free(table);
	return ok;
}

static void test_random_tables(void **state)
{
	static char text[65536];
	int differences = 0, tables = 0;

	(void)state;
	srand(20261201);
	for (int round = 0; round < 3000 && differences < 5; round++) {
		size_t size = random_table(text, sizeof(text), 1 + rand() % (round % 10 == 0 ? 200 : 12));
		tables++;
		for (int q = 0; q < 8 && differences < 5; q++)
			if (!compare_one(text, size, PICK(q_daemons), PICK(q_addrs), PICK(q_names)))
				differences++;
	}
	print_message("%d random tables, 8 requests each\n", tables);
	checks_done();
}

/* decide_one - a table and a request; the indexed decision's line (0: none, -1: ERR). */
static void decide_one(const char *text, const char *daemon, const char *addr, int expected)
{
	struct table_index *ix = index_build("t", text, strlen(text));
	struct wrap_rule rule;
	struct request_info r;
	int got;

	assert_non_null(ix);
	make_request(&r, daemon, addr, "");
	switch (index_decide(ix, &r, &rule)) {
	case STEP_MATCH:
		got = rule.line;
		break;
	case STEP_ERROR:
		got = -1;
		break;
	default:
		got = 0;
	}
	check_int(got, expected, "%s from %s in \"%s\"", daemon, addr, text);
	/* The same through the linear scan, for the record. */
	compare_one(text, strlen(text), daemon, addr, "");
	index_free(ix);
}

static void test_text_semantics(void **state)
{
	(void)state;
	/* Exact addresses are classic text: no numeric equivalence. */
	decide_one("sshd: 01.2.3.4\n", "sshd", "1.2.3.4", 0);
	decide_one("sshd: 1.2.3.4\n", "sshd", "01.2.3.4", 0);
	decide_one("sshd: 01.2.3.4\n", "sshd", "01.2.3.4", 1);
	decide_one("sshd: 1.2.3.4\n", "sshd", "::ffff:1.2.3.4", 1);
	decide_one("sshd: 1.2.3.4\n", "sshd", "::FFFF:1.2.3.4", 1);
	decide_one("sshd: 1.2.3\n", "sshd", "1.2.3", 1);
	/* Nets are numeric: inet_aton() spellings included. */
	decide_one("sshd: 1.2.3.0/24\n", "sshd", "01.2.3.4", 1);
	decide_one("sshd: 8.0.0.0/8\n", "sshd", "010.1.2.3", 1);
	decide_one("sshd: 192.0.2.0/255.0.255.0\n", "sshd", "192.9.2.1", 1);
	decide_one("sshd: [2001:db8::]/32\n", "sshd", "2001:DB8:0::7", 1);
	decide_one("sshd: [::ffff:192.0.2.0]/120\n", "sshd", "::ffff:192.0.2.1", 0);
	decide_one("sshd: 192.0.2.0/24\n", "sshd", "::ffff:192.0.2.1", 1);
	/* Prefixes are text. */
	decide_one("sshd: 192.0.2.\n", "sshd", "192.0.2.77", 1);
	decide_one("sshd: 192.0.2.\n", "sshd", "192.0.22.7", 0);
	decide_one("sshd: 192.0.2.\n", "sshd", "::ffff:192.0.2.7", 1);
	/* First match across index and general rules, daemon names in any case. */
	decide_one("sshd: 192.0.2.9\nSSHD: 192.0.2.1\nALL: 192.0.2.1\n", "sshd", "192.0.2.1", 2);
	decide_one("ALL: 192.0.2.1\nsshd: 192.0.2.1\n", "sshd", "192.0.2.1", 1);
	decide_one("sshd: host.example\nsshd: 192.0.2.1\n", "sshd", "192.0.2.1", 2);
	decide_one("sshd: 192.0.2.1\nsshd: ALL\n", "sshd", "192.0.2.1", 1);
	decide_one("sshd: ALL\nsshd: 192.0.2.1\n", "sshd", "192.0.2.1", 1);
	decide_one("ftpd: 192.0.2.1\nsshd: 10.\n", "sshd", "10.0.0.1", 2);
	/* A truncated line ends the table only if it is reached first. */
	decide_one("sshd: 192.0.2.1\nsshd: 10.", "sshd", "192.0.2.1", 1);
	decide_one("sshd: 192.0.2.1\nsshd: 10.", "sshd", "10.0.0.1", -1);
	/* The lowest-numbered of several keys of one rule, and duplicates. */
	decide_one("sshd: 192.0.2.1\nsshd: 192.0.2.1\n", "sshd", "192.0.2.1", 1);
	decide_one("sshd: 192.0.2.0/24\nsshd: 192.0.2.1\n", "sshd", "192.0.2.1", 1);
	decide_one("sshd: 192.0.2.1\nsshd: 192.0.2.0/24\n", "sshd", "192.0.2.1", 1);
	decide_one("sshd: 10.0.0.0/8\nsshd: 192.0.2.0/24\n", "sshd", "192.0.2.1", 2);
	checks_done();
}

static void test_general_rules_counted(void **state)
{
	struct table_index *ix;
	const char *text = "sshd: 192.0.2.1\nALL: 10.0.0.0/8 [2001:db8::]/32\nsshd: host.example\n"
	                   "sshd: alice@192.0.2.1\nsshd 192.0.2.1\nsshd@h: 192.0.2.1\n";

	(void)state;
	ix = index_build("t", text, strlen(text));
	assert_non_null(ix);
	check_int((long)index_rule_count(ix), 6, "rules");
	check_int((long)index_general_count(ix), 4, "general rules");
	index_free(ix);
	checks_done();
}

/* A fail2ban table: the compiled form stays under 100 bytes per rule. */
static void test_memory_per_rule(void **state)
{
	enum { RULES = 20000 };
	char *text = malloc(RULES * 32);
	size_t used = 0;
	struct table_index *ix;

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < RULES; i++)
		used += (size_t)sprintf(text + used, "%s: 10.%d.%d.%d\n", i % 2 ? "sshd" : "ALL",
		                        i >> 16, (i >> 8) & 255, i & 255);
	ix = index_build("t", text, used);
	assert_non_null(ix);
	check_int((long)index_general_count(ix), 0, "general rules");
	print_message("%zu bytes for %d rules: %.1f bytes per rule\n", index_memory(ix), RULES,
	              (double)index_memory(ix) / RULES);
	check(index_memory(ix) < 100 * (size_t)RULES, "under 100 bytes per rule: %zu bytes",
	      index_memory(ix));
	index_free(ix);
	free(text);
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_semantics, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_general_rules_counted, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(test_memory_per_rule, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_random_tables, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
