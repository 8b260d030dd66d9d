/*
 * test_table.c - reading and compiling access tables (lib/table.c), and the legacy xgets().
 *
 * A compiled table is described as text, one entry per rule, "LINE:KIND DAEMONS|CLIENTS|OPTIONS"
 * (tokens joined with ',', options escaped, "-" for none), so each table row reads as what
 * the reference's scan would see: logical lines joined without a blank at "\\\n", '#' only in
 * column 1, 2047 bytes at most per logical line, a line without newline ending the table, and
 * line numbers counted as the reference counts them (behaviour notes §1.2, §1.3, §13.2-4).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "table.h"

/* append - add text to buf[size] at *used, escaping control characters in options. */
static void append(char *buf, size_t size, size_t *used, const char *text, bool escape)
{
	for (; *text != '\0' && *used + 5 < size; text++) {
		if (escape && *text == '\n')
			*used += (size_t)snprintf(buf + *used, size - *used, "\\n");
		else if (escape && *text == '\r')
			*used += (size_t)snprintf(buf + *used, size - *used, "\\r");
		else
			buf[(*used)++] = *text;
	}
	buf[*used] = '\0';
}

/* append_token - one compiled token as written. */
static void append_token(char *buf, size_t size, size_t *used, const struct wrap_token *t)
{
	if (t->kind == TOKEN_EXCEPT) {
		append(buf, size, used, "EXCEPT", false);
		return;
	}
	if (t->has_name)
		append(buf, size, used, t->name.text, false);
	if (t->has_name && t->has_host)
		append(buf, size, used, "@", false);
	if (t->has_host)
		append(buf, size, used, t->host.text.text, false);
}

/* describe - the whole compiled table as text (see the top of the file). */
static const char *describe(const struct wrap_table *table)
{
	static char buf[16384];
	static const char *const kinds[] = {"match", "nosep", "truncated"};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < table->n_rules; i++) {
		const struct wrap_rule *rule = &table->rules[i];
		char head[32];

		snprintf(head, sizeof(head), "%s%d:%s", i ? "; " : "", rule->line, kinds[rule->kind]);
		append(buf, sizeof(buf), &used, head, false);
		if (rule->kind != RULE_MATCH)
			continue;
		append(buf, sizeof(buf), &used, " ", false);
		for (size_t j = 0; j < rule->n_daemons; j++) {
			if (j)
				append(buf, sizeof(buf), &used, ",", false);
			append_token(buf, sizeof(buf), &used, &table->tokens[rule->daemons + j]);
		}
		append(buf, sizeof(buf), &used, "|", false);
		for (size_t j = 0; j < rule->n_clients; j++) {
			if (j)
				append(buf, sizeof(buf), &used, ",", false);
			append_token(buf, sizeof(buf), &used, &table->tokens[rule->clients + j]);
		}
		append(buf, sizeof(buf), &used, "|", false);
		append(buf, sizeof(buf), &used, rule->options != NULL ? rule->options : "-", true);
	}
	return buf;
}

/* table_bytes_one - compile size bytes of data; the description must read expected. */
static void table_bytes_one(const char *data, size_t size, const char *expected)
{
	struct wrap_table *table = table_compile_text("t", data, size);

	assert_non_null(table);
	check_str(describe(table), expected, "table from %zu bytes \"%.60s\"", size, data);
	table_free(table);
}

/* table_one - the same for a NUL-free text. */
static void table_one(const char *text, const char *expected)
{
	table_bytes_one(text, strlen(text), expected);
}

static void test_rules(void **state)
{
	(void)state;
	table_one("", "");
	table_one("sshd: ALL\n", "1:match sshd|ALL|-");
	table_one("sshd:ALL\n", "1:match sshd|ALL|-");
	table_one("sshd: ALL: allow\n", "1:match sshd|ALL| allow\\n");
	table_one("sshd : 192.0.2.1, 10.0.0.0/8 ,.example\n",
	          "1:match sshd|192.0.2.1,10.0.0.0/8,.example|-");
	table_one("sshd\tftpd:\tALL\n", "1:match sshd,ftpd|ALL|-");
	table_one("ALL EXCEPT sshd: ALL except 10.\n", "1:match ALL,EXCEPT,sshd|ALL,EXCEPT,10.|-");
	table_one("sshd@192.0.2.1, 22: bob@.example, /etc/list\n",
	          "1:match sshd@192.0.2.1,22|bob@.example,/etc/list|-");
	table_one(": ALL\n", "1:match |ALL|-");
	table_one("sshd:\n", "1:match sshd||-");
	table_one("sshd: ALL:\n", "1:match sshd|ALL|\\n");                     /* empty options */
	table_one("sshd: ALL: spawn echo a:b : allow\n", "1:match sshd|ALL| spawn echo a:b : allow\\n");
	table_one("sshd: ALL: setenv X a\\:b\n", "1:match sshd|ALL| setenv X a\\:b\\n");
	table_one("sshd: [2001:db8::1]: allow\n", "1:match sshd|[2001:db8::1]| allow\\n");
	table_one("sshd@[::1]: [::ffff:1.2.3.0]/120\n", "1:match sshd@[::1]|[::ffff:1.2.3.0]/120|-");
	table_one("sshd: ::1\n", "1:match sshd||:1\\n");        /* unbracketed IPv6: cut up */
	table_one("ss\\:hd: ALL\n", "1:match ss\\|hd| ALL\\n");  /* no escapes before options */
	table_one("\n\n# c\nsshd: ALL\n\nftpd: ALL\n", "4:match sshd|ALL|-; 6:match ftpd|ALL|-");
	checks_done();
}

static void test_comments_and_blanks(void **state)
{
	(void)state;
	table_one("# sshd: ALL\n", "");
	table_one("#sshd: ALL\nftpd: ALL\n", "2:match ftpd|ALL|-");
	table_one("  # foo: bar\n", "1:match #,foo|bar|-"); /* only column 1 is a comment */
	table_one("\t#foo: bar\n", "1:match #foo|bar|-");
	table_one("sshd: ALL # not a comment\n", "1:match sshd|ALL,#,not,a,comment|-");
	table_one("# comment \\\nsshd: ALL\nftpd: ALL\n", "3:match ftpd|ALL|-"); /* swallowed */
	table_one("\n \t\r\n\n", "");
	table_one("   \nsshd: ALL\n", "2:match sshd|ALL|-");
	checks_done();
}

static void test_continuation(void **state)
{
	(void)state;
	table_one("ss\\\nhd: ALL\n", "2:match sshd|ALL|-"); /* joined without a blank */
	table_one("sshd: a,\\\nb\n", "2:match sshd|a,b|-");
	table_one("sshd: a\\\nb\n", "2:match sshd|ab|-");
	table_one("sshd: \\\n\\\n\\\nALL\n", "4:match sshd|ALL|-");
	table_one("sshd: ALL: spawn a \\\nb\nftpd: ALL\n",
	          "2:match sshd|ALL| spawn a b\\n; 3:match ftpd|ALL|-");
	table_one("sshd: a\\\\\nb: c\n", "2:match sshd|a\\b| c\\n"); /* one '\\' is enough */
	table_one("sshd: ALL\\\n", "1:truncated");      /* continued into the end of the file */
	checks_done();
}

static void test_crlf_and_nul(void **state)
{
	(void)state;
	table_one("sshd: ALL\r\nftpd: 192.0.2.1 : allow\r\n",
	          "1:match sshd|ALL|-; 2:match ftpd|192.0.2.1| allow\\r\\n");
	/* "\\\r\n" is no continuation: the first line has no ':'. */
	table_one("ss\\\r\nhd: ALL\r\n", "1:nosep; 2:match hd|ALL|-");
	/* A NUL cuts its physical line: the rest is lost, its newline is not counted, and the
	 * next physical line continues the same logical line. */
	table_bytes_one("ss\0junk\nhd: ALL\n", 16, "1:match sshd|ALL|-");
	table_bytes_one("a: b\nss\0junk\nhd: ALL\nfoo\n", 25,
	                "1:match a|b|-; 2:match sshd|ALL|-; 3:nosep");
	table_bytes_one("\0\nsshd: ALL\n", 12, "1:match sshd|ALL|-");
	table_bytes_one("sshd: ALL\n\0", 11, "1:match sshd|ALL|-");    /* NUL-only tail: end */
	table_bytes_one("sshd: ALL\nx\0y\n", 14, "1:match sshd|ALL|-; 1:truncated");
	checks_done();
}

static void test_errors(void **state)
{
	(void)state;
	/* No ':' outside brackets: reported at scan time, the scan goes on. */
	table_one("sshd ALL\nftpd: ALL\n", "1:nosep; 2:match ftpd|ALL|-");
	table_one("a]b:c\n", "1:nosep");
	table_one("[x:y\nftpd: ALL\n", "1:nosep; 2:match ftpd|ALL|-");
	/* No final newline: the table ends there, whatever the line holds. */
	table_one("sshd: ALL\nftpd: ALL", "1:match sshd|ALL|-; 1:truncated");
	table_one("sshd: ALL", "0:truncated");
	table_one("sshd: ALL\n   ", "1:match sshd|ALL|-; 1:truncated");
	table_one("sshd: ALL\n# comment", "1:match sshd|ALL|-; 1:truncated");
	table_one("sshd: ALL\nno separator", "1:match sshd|ALL|-; 1:truncated");
	checks_done();
}

/* line_of - a logical line of exactly `size` bytes including its newline ("sshd: xxx\n"). */
static char *line_of(size_t size)
{
	char *line = malloc(size + 1);

	assert_non_null(line);
	memcpy(line, "sshd: ", 6);
	memset(line + 6, 'x', size - 7);
	line[size - 1] = '\n';
	line[size] = '\0';
	return line;
}

/* length_one - "a: b\n" then a line of `size` bytes then "c: d\n": what compiles. */
static void length_one(size_t size, const char *expected_kinds)
{
	char *line = line_of(size), *text = malloc(size + 16);
	struct wrap_table *table;
	char kinds[256];
	size_t used = 0;

	assert_non_null(text);
	snprintf(text, size + 16, "a: b\n%sc: d\n", line);
	table = table_compile_text("t", text, strlen(text));
	assert_non_null(table);
	kinds[0] = '\0';
	for (size_t i = 0; i < table->n_rules; i++)
		used += (size_t)snprintf(kinds + used, sizeof(kinds) - used, "%s%d:%s", i ? " " : "",
		                         table->rules[i].line,
		                         table->rules[i].kind == RULE_MATCH       ? "match"
		                         : table->rules[i].kind == RULE_TRUNCATED ? "truncated"
		                                                                  : "nosep");
	check_str(kinds, expected_kinds, "a %zu-byte line between two rules", size);
	if (table->n_rules >= 2 && table->rules[1].kind == RULE_MATCH)
		check_int((long)table->tokens[table->rules[1].clients].host.text.len, (long)size - 7,
		          "client token of the %zu-byte line", size);
	table_free(table);
	free(text);
	free(line);
}

static void test_line_length(void **state)
{
	(void)state;
	length_one(2046, "1:match 2:match 3:match");
	length_one(2047, "1:match 2:match 3:match"); /* the longest logical line */
	length_one(2048, "1:match 1:truncated");     /* too long: ends the table */
	length_one(5000, "1:match 1:truncated");
	checks_done();
}

static void test_continuation_length(void **state)
{
	char text[4200];
	struct wrap_table *table;

	(void)state;
	/* Joined lines count towards the limit: 6 + 1000 + 1040 + 1 = 2047 bytes fit ... */
	snprintf(text, sizeof(text), "sshd: %01000d\\\n%01040d\nftpd: ALL\n", 0, 0);
	table = table_compile_text("t", text, strlen(text));
	assert_non_null(table);
	check_int((long)table->n_rules, 2, "rules of a 2047-byte continued line");
	check_int(table->rules[0].kind, RULE_MATCH, "kind of a 2047-byte continued line");
	check_int(table->rules[0].line, 2, "line of a 2047-byte continued line");
	table_free(table);
	/* ... one more byte does not; the line number is that of the last complete line. */
	snprintf(text, sizeof(text), "sshd: %01000d\\\n%01041d\nftpd: ALL\n", 0, 0);
	table = table_compile_text("t", text, strlen(text));
	assert_non_null(table);
	check_int((long)table->n_rules, 1, "rules of a 2048-byte continued line");
	check_int(table->rules[0].kind, RULE_TRUNCATED, "kind of a 2048-byte continued line");
	check_int(table->rules[0].line, 1, "line of a 2048-byte continued line");
	table_free(table);
	checks_done();
}

/* ---- table_load ------------------------------------------------------------------------- */

/* load_one - table_load(path): open_errno and the description. */
static void load_one(const char *path, int open_errno, const char *expected)
{
	struct wrap_table *table = table_load(path);

	assert_non_null(table);
	check_int(table->open_errno, open_errno, "open_errno of %s", path);
	check_str(describe(table), expected, "table %s", path);
	table_free(table);
}

static void test_load(void **state)
{
	(void)state;
	tmp_write("rules", "sshd: ALL\n# c\nftpd: 192.0.2.1: allow\nbroken\n");
	load_one(tmp_path("rules"), 0,
	         "1:match sshd|ALL|-; 3:match ftpd|192.0.2.1| allow\\n; 4:nosep");
	tmp_write_bytes("nul", "ss\0junk\nhd: ALL\nx", 17);
	load_one(tmp_path("nul"), 0, "1:match sshd|ALL|-; 1:truncated");
	load_one(tmp_path("missing"), 0, "");              /* missing: empty */
	load_one(tmp_path("rules/x"), ENOTDIR, "");        /* cannot be read */
	assert_int_equal(mkdir(tmp_path("dir"), 0755), 0);
	load_one(tmp_path("dir"), 0, "");                  /* a directory reads as empty */
	checks_done();
}

/* ---- xgets (legacy export) -------------------------------------------------------------- */

static void test_xgets(void **state)
{
	static const char data[] = "a\\\nb\nc\n\\\nd";
	char buf[64];
	FILE *fp = fmemopen((void *)data, sizeof(data) - 1, "r");

	(void)state;
	assert_non_null(fp);
	tcpd_context.line = 0;
	check_str(xgets(buf, sizeof(buf), fp), "ab\n", "xgets: a continued line");
	check_int(tcpd_context.line, 2, "xgets: line after a continued line");
	check_str(xgets(buf, sizeof(buf), fp), "c\n", "xgets: a plain line");
	check_int(tcpd_context.line, 3, "xgets: line after a plain line");
	check_str(xgets(buf, sizeof(buf), fp), "d", "xgets: a final line without newline");
	check_int(tcpd_context.line, 4, "xgets: line at the end");
	check(xgets(buf, sizeof(buf), fp) == NULL, "xgets: NULL at the end");
	fclose(fp);

	fp = fmemopen((void *)"abcdefg\nh\n", 10, "r");
	assert_non_null(fp);
	check_str(xgets(buf, 5, fp), "abcd", "xgets: a line longer than the buffer");
	check_str(xgets(buf, 5, fp), "efg\n", "xgets: its rest");
	fclose(fp);
	tcpd_context.line = 0;
	checks_done();
}

/* rule_summary - one rule as "LINE:KIND d1,d2|c1,c2|options;" appended to out. */
static void rule_summary(char *out, size_t size, const struct wrap_rule *rule,
                         const struct wrap_token *tokens)
{
	size_t used = strlen(out);
	char head[32];

	snprintf(head, sizeof(head), "%d:%d ", rule->line, (int)rule->kind);
	append(out, size, &used, head, false);
	for (size_t j = 0; j < rule->n_daemons; j++)
		append_token(out, size, &used, &tokens[rule->daemons + j]);
	append(out, size, &used, "|", false);
	for (size_t j = 0; j < rule->n_clients; j++)
		append_token(out, size, &used, &tokens[rule->clients + j]);
	append(out, size, &used, "|", false);
	append(out, size, &used, rule->options != NULL ? rule->options : "-", true);
	append(out, size, &used, ";", false);
}

/* The streaming parser (a file read in 64 KiB chunks) cuts lines exactly as the parser over
 * the whole text does: long lines, continuations and NULs across chunk boundaries. */
static void test_streaming_parser(void **state)
{
	enum { SIZE = 300000 };
	static char text[SIZE + 4096], whole[1 << 20], streamed[1 << 20];
	struct table_parser parser;
	struct wrap_rule rule;

	(void)state;
	srand(7);
	for (int round = 0; round < 6; round++) {
		size_t used = 0;

		while (used < SIZE) {
			int kind = rand() % 10;
			if (kind < 5) {
				used += (size_t)sprintf(text + used, "sshd: 10.0.%d.%d\n", rand() % 256,
				                        rand() % 256);
			} else if (kind < 7) { /* a long line, over the 2047-byte limit at the end */
				size_t n = used > SIZE - 3000 && round >= 4 ? 2100 : 1900 + (size_t)(rand() % 130);
				memcpy(text + used, "ftpd: ", 6);
				memset(text + used + 6, 'a', n);
				used += 6 + n;
				text[used++] = '\n';
			} else if (kind < 9) {
				used += (size_t)sprintf(text + used, "ALL: 192.0.2.%d \\\n 198.51.100.%d\n",
				                        rand() % 256, rand() % 256);
			} else {
				used += (size_t)sprintf(text + used, "x: y%cz\n", 0);
			}
		}
		if (round % 2)
			used--; /* no final newline */
		tmp_write_bytes("big", text, used);

		whole[0] = streamed[0] = '\0';
		assert_true(table_parser_init(&parser, text, used));
		while (table_parser_next(&parser, &rule) > 0)
			rule_summary(whole, sizeof(whole), &rule, parser.tokens);
		table_parser_free(&parser);

		int fd = open(tmp_path("big"), O_RDONLY);
		assert_true(fd >= 0);
		assert_true(table_parser_open(&parser, fd));
		while (table_parser_next(&parser, &rule) > 0)
			rule_summary(streamed, sizeof(streamed), &rule, parser.tokens);
		check_int(parser.read_errno, 0, "read to the end");
		table_parser_free(&parser);
		close(fd);
		check(strlen(whole) > 200000, "round %d: a large table (%zu)", round, strlen(whole));
		check(strcmp(whole, streamed) == 0, "round %d: the streamed rules differ", round);
	}
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_comments_and_blanks),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_crlf_and_nul),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_line_length),
		cmocka_unit_test(test_continuation_length),
		cmocka_unit_test_setup_teardown(test_load, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_xgets),
		cmocka_unit_test_setup_teardown(test_streaming_parser, fixture_setup, fixture_teardown),
	};

	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
