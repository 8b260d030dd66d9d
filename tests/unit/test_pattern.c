/*
 * test_pattern.c - compiling and matching daemon, client and host patterns (lib/pattern.c).
 *
 * Requests are built from strings, with a fake host-name method that counts its calls and a
 * fake rfc931() (defined below, replacing the library's) that counts ident lookups, so the
 * tests see which lookups each pattern triggers as well as what it matches.  Expectations
 * come from the reference behaviour notes §1.4, §2, §3, with the deliberate differences:
 * address-like wildcards ("1.2.3.*") never match host names, and /file lists allow '#'
 * comments, nest at most 8 deep and refuse to include themselves.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "pattern.h"

/* ---- fakes: host-name lookups and ident lookups ----------------------------------------- */

static const char *fake_client_name, *fake_server_name; /* NULL: the lookup fails */
static int client_lookups, server_lookups;
static const char *fake_ident_user; /* what the ident server says */
static int ident_lookups;

static void fake_hostname(struct host_info *host)
{
	bool client = host == host->request->client;
	const char *name = client ? fake_client_name : fake_server_name;

	if (client)
		client_lookups++;
	else
		server_lookups++;
	if (name != NULL)
		snprintf(host->name, sizeof(host->name), "%s", name);
}

/* rfc931 - replaces the library's ident client for this test program. */
void rfc931(struct sockaddr *remote, struct sockaddr *local, char *dest)
{
	(void)remote;
	(void)local;
	ident_lookups++;
	snprintf(dest, STRING_LENGTH, "%s", fake_ident_user != NULL ? fake_ident_user : "unknown");
}

static void fake_sink(int fd)
{
	(void)fd;
}

static struct sockaddr_in client_sin, server_sin;
static struct sockaddr_in6 server_sin6;

/* request_for - a strings-only request with the fake name method installed.  client_name and
 * server_name are what a lookup would find (NULL: nothing); addresses "" are unknown. */
static void request_for(struct request_info *r, const char *daemon, const char *client_name,
                        const char *client_addr, const char *server_name,
                        const char *server_addr)
{
	request_init(r, RQ_DAEMON, daemon, RQ_CLIENT_ADDR, client_addr, RQ_SERVER_ADDR,
	             server_addr, 0);
	r->hostname = fake_hostname;
	fake_client_name = client_name;
	fake_server_name = server_name;
	client_lookups = server_lookups = ident_lookups = 0;
}

/* A small compiled list: the tokens point into text. */
struct compiled_list {
	char text[2048];
	struct wrap_token tokens[32];
	size_t count;
};

/* compile_list - split like the table reader (", \t\r\n") and compile each token. */
static void compile_list(struct compiled_list *list, const char *text, bool daemons)
{
	char *save = NULL;

	assert_true(strlen(text) < sizeof(list->text));
	strcpy(list->text, text);
	list->count = 0;
	for (char *tok = strtok_r(list->text, ", \t\r\n", &save); tok != NULL;
	     tok = strtok_r(NULL, ", \t\r\n", &save)) {
		assert_true(list->count < sizeof(list->tokens) / sizeof(list->tokens[0]));
		pattern_compile_token(tok, daemons ? TOKEN_DAEMON : TOKEN_CLIENT,
		                      &list->tokens[list->count++]);
	}
}

/* ---- split_at / split_outside_brackets (§1.4) ------------------------------------------- */

/* split_one - cut input at delimiter; tail NULL means "no cut" (the input is unchanged). */
static void split_one(const char *input, int delimiter, const char *head, const char *tail)
{
	char buf[128], legacy[128];
	char *rest;

	strcpy(buf, input);
	rest = split_outside_brackets(buf, delimiter);
	check_str(rest, tail, "split_outside_brackets(\"%s\", '%c') tail", input, delimiter);
	check_str(buf, head, "split_outside_brackets(\"%s\", '%c') head", input, delimiter);
	strcpy(legacy, input);
	rest = split_at(legacy, delimiter);
	check_str(rest, tail, "split_at(\"%s\", '%c') tail", input, delimiter);
	check_str(legacy, head, "split_at(\"%s\", '%c') head", input, delimiter);
}

static void test_split(void **state)
{
	(void)state;
	split_one("a:b", ':', "a", "b");
	split_one("a:b:c", ':', "a", "b:c");
	split_one("[::1]:x", ':', "[::1]", "x");
	split_one("sshd: [2001:db8::1]: allow", ':', "sshd", " [2001:db8::1]: allow");
	split_one(":x", ':', "", "x");
	split_one("x:", ':', "x", "");
	split_one("abc", ':', "abc", NULL);
	split_one("a]b:c", ':', "a]b:c", NULL); /* unbalanced ']' hides the rest */
	split_one("a[b:c", ':', "a[b:c", NULL); /* unbalanced '[' too */
	split_one("[a]]:b", ':', "[a]]:b", NULL);
	split_one("user@host", '@', "user", "host");
	split_one("[1::2]/64", '/', "[1::2]", "64");
	split_one("auth.notice", '.', "auth", "notice");
	checks_done();
}

/* ---- text patterns ---------------------------------------------------------------------- */

/* kind_one - the kind a text compiles to. */
static void kind_one(const char *text, enum text_kind expected)
{
	char buf[256];
	struct host_pattern pattern;

	strcpy(buf, text);
	pattern_compile_host(buf, &pattern);
	check_int(pattern.text.kind, expected, "kind of \"%s\"", text);
}

static void test_text_kinds(void **state)
{
	(void)state;
	kind_one("ss*", TEXT_WILDCARD);
	kind_one("s?hd", TEXT_WILDCARD);
	kind_one(".example.*", TEXT_WILDCARD); /* wildcards come first: no suffix match */
	kind_one("*.", TEXT_WILDCARD);
	kind_one(".example.com", TEXT_SUFFIX);
	kind_one("ALL", TEXT_ALL);
	kind_one("all", TEXT_ALL);
	kind_one("KNOWN", TEXT_KNOWN);
	kind_one("Known", TEXT_KNOWN);
	kind_one("192.0.2.", TEXT_PREFIX);
	kind_one("ALL.", TEXT_PREFIX);
	kind_one("[2001:db8::1]", TEXT_BRACKET);
	kind_one("[not-v6]", TEXT_NEVER);
	kind_one("[]", TEXT_NEVER);
	kind_one("", TEXT_NEVER);
	kind_one("sshd", TEXT_EXACT);
	kind_one("[", TEXT_EXACT);
	kind_one("UNKNOWN", TEXT_EXACT);
	checks_done();
}

/* text_one - text_match(compiled pattern, subject). */
static void text_one(const char *pattern_text, const char *subject, bool expected)
{
	char buf[256];
	struct host_pattern pattern;
	bool got;

	strcpy(buf, pattern_text);
	pattern_compile_host(buf, &pattern);
	got = text_match(&pattern.text, subject);
	check(got == expected, "text_match(\"%s\", \"%s\") = %d, expected %d", pattern_text,
	      subject, got, expected);
}

static void test_text_wildcard(void **state)
{
	(void)state;
	text_one("ss*", "sshd", true);
	text_one("SS?D", "sshd", true);
	text_one("s?hd", "shd", false);
	text_one("*", "", true);
	text_one("?", "", false);
	text_one("**", "x", true);
	text_one("*a", "bba", true);
	text_one("a*b*c", "aXbYc", true);
	text_one("a*b*c", "aXbY", false);
	text_one("a*b*c", "abcabc", true);
	text_one("*.example.com", "a.example.com", true);
	text_one("*.EXAMPLE.com", "a.example.COM", true);
	text_one("*.example.com", "example.com", false);
	text_one(".example.*", "a.example.com", false); /* anchored glob, not a suffix */
	text_one(".example.*", ".example.org", true);
	text_one("1.2.3.*", "1.2.3.4", true);
	text_one("1.2.3.*", "1.2.3.evil.com", true); /* text level; host patterns refuse names */
	text_one("1.2.3.?", "1.2.3.45", false);
	text_one("1.2.3.*", "::ffff:1.2.3.4", true); /* mapped subjects read as IPv4 */
	checks_done();
}

static void test_text_suffix_prefix(void **state)
{
	(void)state;
	text_one(".example.com", "a.example.com", true);
	text_one(".example.com", "A.EXAMPLE.COM", true);
	text_one(".example.com", "example.com", false);   /* shorter */
	text_one(".example.com", "aexample.com", false);  /* same length: not longer */
	text_one(".example.com", "xaexample.com", false);
	text_one(".example.com", "a.example.com.evil", false);
	text_one(".com", "x.com", true);
	text_one("192.0.2.", "192.0.2.1", true);
	text_one("1.2.", "1.2.3.4", true);
	text_one("1.2.", "1.23.3.4", false);
	text_one("1.2.", "1.2.", true);
	text_one("1.2.", "1.2", false);
	text_one("foo.", "FOO.bar", true);
	text_one("192.0.2.", "::ffff:192.0.2.9", true);
	checks_done();
}

static void test_text_keywords(void **state)
{
	(void)state;
	text_one("ALL", "anything", true);
	text_one("all", "", true);
	text_one("KNOWN", "bob", true);
	text_one("KNOWN", "unknown", false);
	text_one("known", "UNKNOWN", false);
	text_one("KNOWN", "paranoid", true); /* a text KNOWN only refuses "unknown" */
	text_one("UNKNOWN", "unknown", true);
	text_one("UNKNOWN", "bob", false);
	checks_done();
}

static void test_text_bracket_exact(void **state)
{
	(void)state;
	text_one("[2001:db8::1]", "2001:db8::1", true);
	text_one("[2001:db8::1]", "2001:DB8:0:0::1", true);
	text_one("[2001:DB8::0:1]", "2001:db8::1", true);
	text_one("[2001:db8::1]", "2001:db8::2", false);
	text_one("[fe80::1]", "fe80::1%eth0", true);
	text_one("[::ffff:1.2.3.4]", "1.2.3.4", false);        /* IPv4 subjects never match */
	text_one("[::ffff:1.2.3.4]", "::ffff:1.2.3.4", false); /* ... mapped ones neither */
	text_one("[::1]", "[::1]", false);
	text_one("[not-v6]", "[not-v6]", false);
	text_one("", "", false);
	text_one("sshd", "SSHD", true);
	text_one("sshd", "sshd2", false);
	text_one("01.2.3.4", "1.2.3.4", false);
	text_one("1.2.3.4", "::ffff:1.2.3.4", true);
	text_one("1.2.3.4", "::FFFF:1.2.3.4", true);
	text_one("host", "host.example", false);
	checks_done();
}

/* ---- host patterns ---------------------------------------------------------------------- */

/* host_kind_one - the kind of a host pattern, and whether it is address-only. */
static void host_kind_one(const char *text, enum host_kind kind, bool address_only)
{
	char buf[256];
	struct host_pattern pattern;

	strcpy(buf, text);
	pattern_compile_host(buf, &pattern);
	check_int(pattern.kind, kind, "host kind of \"%s\"", text);
	if (kind == HOST_TEXT)
		check(pattern.address_only == address_only, "\"%s\" address_only = %d, expected %d",
		      text, pattern.address_only, address_only);
	check_str(buf, text, "compiling \"%s\" keeps the text", text);
}

static void test_host_kinds(void **state)
{
	(void)state;
	host_kind_one("@group", HOST_NETGROUP, false);
	host_kind_one("/etc/list", HOST_FILE, false);
	host_kind_one("KNOWN", HOST_KNOWN, false);
	host_kind_one("known", HOST_KNOWN, false);
	host_kind_one("LOCAL", HOST_LOCAL, false);
	host_kind_one("Local", HOST_LOCAL, false);
	host_kind_one("192.0.2.0/24", HOST_NET, false);
	host_kind_one("[2001:db8::]/32", HOST_NET, false);
	host_kind_one("192.0.2.", HOST_TEXT, true);
	host_kind_one("123", HOST_TEXT, true);
	host_kind_one("12.3", HOST_TEXT, true);
	host_kind_one("1.2.3.*", HOST_TEXT, true); /* deliberate: never a host name */
	host_kind_one("1.2.?.4", HOST_TEXT, true);
	host_kind_one("1.2.3.*x", HOST_TEXT, false);
	host_kind_one("*", HOST_TEXT, false);
	host_kind_one("*.*", HOST_TEXT, false);
	host_kind_one("host.example", HOST_TEXT, false);
	host_kind_one(".example", HOST_TEXT, false);
	host_kind_one("[2001:db8::1]", HOST_TEXT, false);
	host_kind_one("UNKNOWN", HOST_TEXT, false);
	host_kind_one("PARANOID", HOST_TEXT, false);
	checks_done();
}

/* host_one - a host pattern against a client (name as a lookup would find it, NULL: none;
 * address "" unknown); also how many name lookups it took (lookups < 0: not checked). */
static void host_one(const char *pattern_text, const char *name, const char *addr,
                     bool expected, int lookups)
{
	char buf[2048];
	struct host_pattern pattern;
	struct request_info r;
	bool got;

	strcpy(buf, pattern_text);
	pattern_compile_host(buf, &pattern);
	request_for(&r, "sshd", name, addr, NULL, "");
	got = host_match(&pattern, r.client);
	check(got == expected, "host \"%s\" against name %s addr \"%s\" = %d, expected %d",
	      pattern_text, name != NULL ? name : "(none)", addr, got, expected);
	if (lookups >= 0)
		check_int(client_lookups, lookups, "name lookups for \"%s\" against %s/%s",
		          pattern_text, name != NULL ? name : "(none)", addr);
}

static void test_host_text(void **state)
{
	(void)state;
	host_one("ALL", "h.example", "192.0.2.1", true, 0); /* ALL never looks the name up */
	host_one("192.0.2.1", "h.example", "192.0.2.1", true, 0);
	host_one("192.0.2.2", "h.example", "192.0.2.1", false, 0); /* address-only */
	host_one("192.0.2.", "h.example", "192.0.2.1", true, 0);
	host_one("192.0.3.", "h.example", "192.0.2.1", false, 0);
	host_one("192.0.2.1", "h.example", "::ffff:192.0.2.1", true, 0);
	host_one("192.0.2.", "h.example", "::ffff:192.0.2.1", true, 0);
	host_one("h.example", "h.example", "192.0.2.1", true, 1);
	host_one("H.EXAMPLE", "h.example", "192.0.2.1", true, 1);
	host_one("g.example", "h.example", "192.0.2.1", false, 1);
	host_one(".example", "h.example", "192.0.2.1", true, 1);
	host_one(".example", "example", "192.0.2.1", false, 1);
	host_one("h.", "h.example", "192.0.2.1", true, 1);
	host_one("*.example", "h.example", "192.0.2.1", true, 1);
	host_one("*", "h.example", "192.0.2.1", true, 0);
	checks_done();
}

static void test_host_address_wildcard(void **state)
{
	(void)state;
	/* Deliberate difference (B6): digits, dots and wildcards are an address pattern. */
	host_one("1.2.3.*", "1.2.3.evil.com", "192.0.2.1", false, 0);
	host_one("1.2.3.?", "1.2.3.x", "192.0.2.1", false, 0);
	host_one("1.2.3.*", "1.2.3.evil.com", "1.2.3.4", true, 0);
	host_one("1.2.3.*", "", "::ffff:1.2.3.4", true, 0);
	host_one("1.2.3.*.com", "1.2.3.evil.com", "192.0.2.1", true, 1); /* letters: a name */
	checks_done();
}

static void test_host_keywords(void **state)
{
	(void)state;
	host_one("KNOWN", "h.example", "192.0.2.1", true, 1);
	host_one("KNOWN", NULL, "192.0.2.1", false, 1);          /* name unknown */
	host_one("KNOWN", "paranoid", "192.0.2.1", false, 1);
	host_one("KNOWN", "h.example", "", false, 0);            /* address unknown */
	host_one("UNKNOWN", "h.example", "", true, 0);           /* address unknown */
	host_one("UNKNOWN", NULL, "192.0.2.1", true, 1);         /* name unknown */
	host_one("unknown", NULL, "192.0.2.1", true, 1);
	host_one("UNKNOWN", "paranoid", "192.0.2.1", false, 1);  /* paranoid is not unknown */
	host_one("UNKNOWN", "h.example", "192.0.2.1", false, 1);
	host_one("LOCAL", "localhost", "127.0.0.1", true, 1);
	host_one("local", "localhost", "127.0.0.1", true, 1);
	host_one("LOCAL", "h.example", "192.0.2.1", false, 1);
	host_one("LOCAL", NULL, "192.0.2.1", false, 1);
	host_one("LOCAL", "paranoid", "192.0.2.1", false, 1);
	host_one("PARANOID", "paranoid", "192.0.2.1", true, 1);
	host_one("PARANOID", "h.example", "192.0.2.1", false, 1);
	host_one("PARANOID", NULL, "192.0.2.1", false, 1);
	host_one("FAIL", "fail", "192.0.2.1", true, 1);          /* just a name */
	host_one("FAIL", "h.example", "192.0.2.1", false, 1);
	host_one("@nosuchgroup", "h.example", "192.0.2.1", false, 1);
	checks_done();
}

static void test_host_net(void **state)
{
	(void)state;
	host_one("192.0.2.0/24", "h.example", "192.0.2.1", true, 0);
	host_one("192.0.2.0/255.255.255.0", "h.example", "192.0.2.200", true, 0);
	host_one("192.0.2.0/24", "h.example", "192.0.3.1", false, 0);
	host_one("192.0.2.0/24", "h.example", "::ffff:192.0.2.1", true, 0);
	host_one("192.0.2.0/0", "h.example", "192.0.2.1", false, 0);
	host_one("[2001:db8::]/32", "h.example", "2001:db8::5", true, 0);
	host_one("[2001:db8::]/32", "h.example", "2001:db9::5", false, 0);
	host_one("[::ffff:192.0.2.0]/120", "h.example", "::ffff:192.0.2.1", false, 0);
	host_one("192.0.2.0/24", "h.example", "", false, 0);
	/* Bracketed addresses: any spelling; a failure also tries the name (NOT_INADDR). */
	host_one("[2001:db8::1]", "h.example", "2001:db8:0::1", true, 0);
	host_one("[2001:db8::1]", "h.example", "2001:db8::2", false, 1);
	checks_done();
}

/* ---- /file lists ------------------------------------------------------------------------ */

/* file_one - the host pattern "/<tmp>/name" against a client; the log must read log. */
static void file_one(const char *name, const char *client_name, const char *addr,
                     bool expected, const char *log)
{
	char pattern[512];

	snprintf(pattern, sizeof(pattern), "%s", tmp_path(name));
	log_reset();
	host_one(pattern, client_name, addr, expected, -1);
	check_str(log_text(), log, "log of /file %s against %s", name, addr);
}

static void test_file_lists(void **state)
{
	char text[512];

	(void)state;
	tmp_write("plain", "10.0.0.1\n192.0.2.1\n");
	file_one("plain", NULL, "192.0.2.1", true, "");
	file_one("plain", NULL, "192.0.2.2", false, "");

	tmp_write("blanks", "  10.0.0.1\t192.0.2.0/24   \n\n[2001:db8::]/32");
	file_one("blanks", NULL, "192.0.2.7", true, "");
	file_one("blanks", NULL, "2001:db8::7", true, ""); /* last entry without a newline */

	/* Deliberate difference: '#' starts a comment, to the end of the line. */
	tmp_write("comments", "# 192.0.2.1\n10.0.0.1 # 192.0.2.2\n  #192.0.2.3\n192.0.2.4\n");
	file_one("comments", NULL, "192.0.2.1", false, "");
	file_one("comments", NULL, "192.0.2.2", false, "");
	file_one("comments", NULL, "192.0.2.3", false, "");
	file_one("comments", NULL, "192.0.2.4", true, "");
	file_one("comments", NULL, "10.0.0.1", true, "");

	/* Commas are no separators; EXCEPT and user@ are plain host patterns there. */
	tmp_write("commas", "10.0.0.1,192.0.2.1\nEXCEPT\nbob@192.0.2.2\n");
	file_one("commas", NULL, "192.0.2.1", false, "");
	file_one("commas", NULL, "192.0.2.2", false, "");

	/* Names, wildcards and keywords work inside. */
	tmp_write("names", ".example\n192.0.3.*\nKNOWN\n");
	file_one("names", "h.example", "192.0.2.1", true, "");
	file_one("names", NULL, "192.0.3.9", true, "");
	file_one("names", NULL, "192.0.4.9", false, "");

	/* Nested lists. */
	snprintf(text, sizeof(text), "10.0.0.1\n%s\n", tmp_path("plain"));
	tmp_write("outer", text);
	file_one("outer", NULL, "192.0.2.1", true, "");

	/* A missing list is silently empty. */
	file_one("missing", NULL, "192.0.2.1", false, "");
	checks_done();
}

static void test_file_list_errors(void **state)
{
	char text[512], long_entry[1100], big[2200];

	(void)state;
	/* A list that includes itself is refused; the entries after it still count. */
	snprintf(text, sizeof(text), "%s\n192.0.2.1\n", tmp_path("self"));
	tmp_write("self", text);
	file_one("self", NULL, "192.0.2.1", true,
	         "warning: <tmp>/self, line 1: <tmp>/self: /file list includes itself: skipped");
	file_one("self", NULL, "192.0.2.9", false,
	         "warning: <tmp>/self, line 1: <tmp>/self: /file list includes itself: skipped");

	/* Two lists including each other. */
	snprintf(text, sizeof(text), "\n\n%s\n", tmp_path("ping"));
	tmp_write("pong", text);
	snprintf(text, sizeof(text), "%s 192.0.2.5\n", tmp_path("pong"));
	tmp_write("ping", text);
	file_one("ping", NULL, "192.0.2.5", true,
	         "warning: <tmp>/pong, line 3: <tmp>/ping: /file list includes itself: skipped");

	/* A list that cannot be opened (not ENOENT) is reported and matches nothing (the
	 * exact text, with the table's context, is checked in test_access.c). */
	tmp_write("regular", "192.0.2.1\n");
	log_reset();
	host_one(tmp_path("regular/x"), NULL, "192.0.2.1", false, -1);
	check_int((long)log_count(), 1, "messages for an unreadable /file list");
	check(log_count() == 1 && strstr(log_message(0), "<tmp>/regular/x: Not a directory"),
	      "an unreadable /file list is reported: \"%s\"", log_text());

	/* Only regular files are lists (docs/COMPATIBILITY.md L3): a directory is skipped. */
	assert_int_equal(mkdir(tmp_path("dir"), 0755), 0);
	file_one("dir", NULL, "192.0.2.1", false,
	         "warning: <tmp>/dir: not a regular file: skipped");

	/* Entries longer than 1023 bytes are skipped with a warning; the rest still counts. */
	memset(long_entry, 'a', 1024);
	long_entry[1024] = '\0';
	snprintf(big, sizeof(big), "\n%s 192.0.2.1\n", long_entry);
	tmp_write("long", big);
	file_one("long", NULL, "192.0.2.1", true,
	         "warning: <tmp>/long, line 2: entry longer than 1023 bytes: skipped");
	long_entry[1023] = '\0'; /* 1023 bytes: still an entry */
	snprintf(big, sizeof(big), "%s 192.0.2.1\n", long_entry);
	tmp_write("long", big);
	file_one("long", NULL, "192.0.2.1", true, "");
	checks_done();
}

static void test_file_list_depth(void **state)
{
	char name[32], next[32], text[512];

	(void)state;
	/* chain1 -> chain2 -> ... -> chain9, and chain9 holds the address: nine lists deep. */
	for (int i = 1; i <= 9; i++) {
		snprintf(name, sizeof(name), "chain%d", i);
		snprintf(next, sizeof(next), "chain%d", i + 1);
		if (i < 9)
			snprintf(text, sizeof(text), "%s\n", tmp_path(next));
		else
			snprintf(text, sizeof(text), "192.0.2.1\n");
		tmp_write(name, text);
	}
	/* Eight lists deep works ... */
	file_one("chain2", NULL, "192.0.2.1", true, "");
	/* ... nine do not. */
	file_one("chain1", NULL, "192.0.2.1", false,
	         "warning: <tmp>/chain8, line 1: <tmp>/chain9: /file lists nested deeper than 8: "
	         "skipped");
	checks_done();
}

/* ---- daemon lists (§2.2) ---------------------------------------------------------------- */

/* daemon_one - a daemon list against a request for daemon, with the server's address and
 * (port >= 0) a server socket address on that port; also the server name lookups. */
static void daemon_one(const char *list_text, const char *daemon, int port,
                       const char *server_addr, bool expected, int lookups)
{
	struct compiled_list list;
	struct request_info r;
	bool got;

	compile_list(&list, list_text, true);
	request_for(&r, daemon, NULL, "192.0.2.1", "server.example", server_addr);
	if (port >= 0) {
		server_sin.sin_family = AF_INET;
		server_sin.sin_port = htons((uint16_t)port);
		request_set(&r, RQ_SERVER_SIN, &server_sin, 0);
	}
	got = list_match(list.tokens, list.count, &r);
	check(got == expected, "daemons \"%s\" against %s port %d server %s = %d, expected %d",
	      list_text, daemon, port, server_addr, got, expected);
	check_int(server_lookups, lookups, "server lookups for \"%s\" against %s", list_text,
	          daemon);
}

static void test_daemon_names(void **state)
{
	(void)state;
	daemon_one("sshd", "sshd", -1, "", true, 0);
	daemon_one("SSHD", "sshd", -1, "", true, 0);
	daemon_one("ss*", "sshd", -1, "", true, 0);
	daemon_one("SS?D", "sshd", -1, "", true, 0);
	daemon_one("ALL", "sshd", -1, "", true, 0);
	daemon_one("KNOWN", "sshd", -1, "", true, 0);
	daemon_one("KNOWN", "unknown", -1, "", false, 0);
	daemon_one(".sshd", "in.sshd", -1, "", true, 0);
	daemon_one(".sshd", "sshd", -1, "", false, 0);
	daemon_one("in.", "in.telnetd", -1, "", true, 0);
	daemon_one("ftpd", "sshd", -1, "", false, 0);
	daemon_one("ftpd, sshd", "sshd", -1, "", true, 0);
	daemon_one("ftpd\tsshd", "sshd", -1, "", true, 0);
	/* No special meaning for daemons: compared literally. */
	daemon_one("@x", "@x", -1, "", true, 0);
	daemon_one("@x", "x", -1, "", false, 0);
	daemon_one("LOCAL", "LOCAL", -1, "", true, 0);
	daemon_one("LOCAL", "sshd", -1, "", false, 0);
	daemon_one("/usr/sbin/sshd", "/usr/sbin/sshd", -1, "", true, 0);
	checks_done();
}

static void test_daemon_ports(void **state)
{
	struct compiled_list list;
	struct request_info r;

	(void)state;
	daemon_one("22", "sshd", 22, "", true, 0);
	daemon_one("22", "sshd", 23, "", false, 0);
	daemon_one("22", "sshd", -1, "", false, 0);  /* no server address */
	daemon_one("22", "22", -1, "", false, 0);    /* never a name comparison */
	daemon_one("+22", "sshd", 22, "", true, 0);  /* %u takes a sign */
	daemon_one("65535", "sshd", 65535, "", true, 0);
	daemon_one("0", "sshd", 0, "", true, 0);
	daemon_one("65536", "65536", -1, "", true, 0); /* too big: a name */
	daemon_one("65536", "sshd", 0, "", false, 0);
	daemon_one("22x", "22x", -1, "", true, 0);
	daemon_one("22x", "sshd", 22, "", false, 0);
	daemon_one("ftpd 22", "sshd", 22, "", true, 0);

	/* An IPv6 server address carries its port at the same offset. */
	compile_list(&list, "443", true);
	request_for(&r, "httpd", NULL, "2001:db8::1", NULL, "");
	server_sin6.sin6_family = AF_INET6;
	server_sin6.sin6_port = htons(443);
	request_set(&r, RQ_SERVER_SIN, &server_sin6, 0);
	check(list_match(list.tokens, list.count, &r), "port 443 on an IPv6 server address");
	checks_done();
}

static void test_daemon_at_host(void **state)
{
	(void)state;
	daemon_one("sshd@192.0.2.2", "sshd", -1, "192.0.2.2", true, 0);
	daemon_one("sshd@192.0.2.2", "sshd", -1, "192.0.2.3", false, 0);
	daemon_one("sshd@192.0.2.0/24", "sshd", -1, "192.0.2.3", true, 0);
	daemon_one("sshd@[2001:db8::1]", "sshd", -1, "2001:db8:0::1", true, 0);
	daemon_one("sshd@server.example", "sshd", -1, "192.0.2.2", true, 1);
	daemon_one("sshd@other.example", "sshd", -1, "192.0.2.2", false, 1);
	daemon_one("ftpd@server.example", "sshd", -1, "192.0.2.2", false, 0); /* daemon first */
	daemon_one("sshd@LOCAL", "sshd", -1, "192.0.2.2", false, 1);
	daemon_one("22@192.0.2.2", "sshd", 22, "192.0.2.2", true, 0);
	daemon_one("22@192.0.2.2", "sshd", 23, "192.0.2.2", false, 0);
	daemon_one("sshd@", "sshd", -1, "192.0.2.2", false, 0);        /* empty host: never */
	daemon_one("sshd@c@d", "sshd", -1, "c@d", true, 0);            /* split at the first @ */
	daemon_one("ALL@ALL", "sshd", -1, "", true, 0);
	checks_done();
}

/* ---- list semantics: EXCEPT (§2.1) ------------------------------------------------------ */

/* client_list_one - a client list against a client address (name: what a lookup finds). */
static void client_list_one(const char *list_text, const char *name, const char *addr,
                            bool expected, int lookups)
{
	struct compiled_list list;
	struct request_info r;
	bool got;

	compile_list(&list, list_text, false);
	request_for(&r, "sshd", name, addr, NULL, "");
	got = list_match(list.tokens, list.count, &r);
	check(got == expected, "clients \"%s\" against %s = %d, expected %d", list_text, addr, got,
	      expected);
	check_int(client_lookups, lookups, "name lookups for \"%s\" against %s", list_text, addr);
}

static void test_except(void **state)
{
	const char *nested = "192.0.2. 10. EXCEPT 192.0.2.0/28 10.0.0.0/8 EXCEPT 192.0.2.5";

	(void)state;
	client_list_one("ALL EXCEPT 192.0.2.1", NULL, "192.0.2.1", false, 0);
	client_list_one("ALL EXCEPT 192.0.2.1", NULL, "192.0.2.2", true, 0);
	client_list_one("ALL except 192.0.2.1", NULL, "192.0.2.1", false, 0);
	client_list_one("ALL Except 192.0.2.1", NULL, "192.0.2.1", false, 0);
	/* (a|b) EXCEPT ((c|d) EXCEPT e) */
	client_list_one(nested, NULL, "192.0.2.5", true, 0);
	client_list_one(nested, NULL, "192.0.2.6", false, 0);
	client_list_one(nested, NULL, "192.0.2.100", true, 0);
	client_list_one(nested, NULL, "10.1.1.1", false, 0);
	client_list_one(nested, NULL, "172.16.0.1", false, 0);
	client_list_one("EXCEPT 192.0.2.1", NULL, "192.0.2.2", false, 0); /* leading EXCEPT */
	client_list_one("EXCEPT 192.0.2.1", NULL, "192.0.2.1", false, 0);
	client_list_one("ALL EXCEPT", NULL, "192.0.2.1", true, 0);        /* trailing EXCEPT */
	client_list_one("", NULL, "192.0.2.1", false, 0);                 /* empty list */
	client_list_one("EXCEPT", NULL, "192.0.2.1", false, 0);
	/* Lazy: patterns after the first match are never tried (no name lookup). */
	client_list_one("192.0.2.1 h.example", "h.example", "192.0.2.1", true, 0);
	client_list_one("192.0.2.9 h.example", "h.example", "192.0.2.1", true, 1);
	client_list_one("ALL EXCEPT .example", "h.example", "192.0.2.1", false, 1);
	client_list_one("ALL EXCEPT .example", "h.other", "192.0.2.1", true, 1);
	/* The same rules in daemon lists. */
	daemon_one("ALL EXCEPT sshd", "sshd", -1, "", false, 0);
	daemon_one("ALL EXCEPT sshd", "ftpd", -1, "", true, 0);
	daemon_one("ALL except ss* EXCEPT sshd", "sshd", -1, "", true, 0);
	daemon_one("ALL except ss* EXCEPT sshd", "ssh", -1, "", false, 0);
	checks_done();
}

/* ---- user@host (§3.1) ------------------------------------------------------------------- */

/* user_one - a client token against 192.0.2.1, with an ident server answering ident_user;
 * preset_user (if non-NULL) is given with RQ_USER, sink marks a datagram request. */
static void user_one(const char *token, const char *preset_user, bool sink,
                     const char *ident_user, bool expected, int expected_lookups)
{
	struct compiled_list list;
	struct request_info r;
	bool got;

	compile_list(&list, token, false);
	request_for(&r, "sshd", "h.example", "192.0.2.1", NULL, "192.0.2.2");
	client_sin.sin_family = AF_INET;
	server_sin.sin_family = AF_INET;
	request_set(&r, RQ_CLIENT_SIN, &client_sin, RQ_SERVER_SIN, &server_sin, 0);
	if (preset_user != NULL)
		request_set(&r, RQ_USER, preset_user, 0);
	if (sink)
		r.sink = fake_sink;
	fake_ident_user = ident_user;
	got = list_match(list.tokens, list.count, &r);
	check(got == expected, "\"%s\" with ident %s = %d, expected %d", token, ident_user, got,
	      expected);
	check_int(ident_lookups, expected_lookups, "ident lookups for \"%s\"", token);
}

static void test_user_at_host(void **state)
{
	(void)state;
	user_one("bob@192.0.2.1", NULL, false, "bob", true, 1);
	user_one("BOB@192.0.2.1", NULL, false, "bob", true, 1);
	user_one("bob@192.0.2.2", NULL, false, "bob", false, 0); /* host first: no ident */
	user_one("alice@192.0.2.1", NULL, false, "bob", false, 1);
	user_one("ALL@ALL", NULL, false, "bob", true, 1);        /* still asks */
	user_one("KNOWN@ALL", NULL, false, "bob", true, 1);
	user_one("KNOWN@ALL", NULL, false, "unknown", false, 1);
	user_one("UNKNOWN@ALL", NULL, false, "unknown", true, 1);
	user_one("b*@ALL", NULL, false, "bob", true, 1);
	user_one(".b@ALL", NULL, false, "b.b", true, 1);
	user_one("bob@.example", NULL, false, "bob", true, 1);
	user_one("bob@", NULL, false, "bob", false, 0);          /* empty host: never */
	user_one("bob@ALL", "bob", false, "alice", true, 0);     /* preset user: no ident */
	user_one("ALL@ALL", NULL, true, "bob", true, 0);         /* datagram: no ident */
	user_one("bob@ALL", NULL, true, "bob", false, 0);
	user_one("bob@ALL EXCEPT alice@ALL", NULL, false, "bob", true, 1);
	checks_done();
}

static void test_user_without_sockets(void **state)
{
	struct compiled_list list;
	struct request_info r;

	(void)state;
	/* A strings-only request never looks the user up; the host is evaluated first, so a
	 * failing host leaves the user untouched. */
	compile_list(&list, "bob@192.0.2.9", false);
	request_for(&r, "sshd", NULL, "192.0.2.1", NULL, "");
	check(!list_match(list.tokens, list.count, &r), "bob@192.0.2.9 against 192.0.2.1");
	check_str(r.user, "", "user after a failing host part");
	compile_list(&list, "bob@192.0.2.1", false);
	check(!list_match(list.tokens, list.count, &r), "bob@192.0.2.1 with no user");
	check_str(r.user, "unknown", "user after a matching host part");
	check_int(ident_lookups, 0, "ident lookups without socket addresses");
	checks_done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_text_kinds),
		cmocka_unit_test(test_text_wildcard),
		cmocka_unit_test(test_text_suffix_prefix),
		cmocka_unit_test(test_text_keywords),
		cmocka_unit_test(test_text_bracket_exact),
		cmocka_unit_test(test_host_kinds),
		cmocka_unit_test(test_host_text),
		cmocka_unit_test(test_host_address_wildcard),
		cmocka_unit_test(test_host_keywords),
		cmocka_unit_test(test_host_net),
		cmocka_unit_test_setup_teardown(test_file_lists, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_file_list_errors, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(test_file_list_depth, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test(test_daemon_names),
		cmocka_unit_test(test_daemon_ports),
		cmocka_unit_test(test_daemon_at_host),
		cmocka_unit_test(test_except),
		cmocka_unit_test(test_user_at_host),
		cmocka_unit_test(test_user_without_sockets),
	};

	return cmocka_run_group_tests_name("pattern", tests, NULL, NULL);
}
