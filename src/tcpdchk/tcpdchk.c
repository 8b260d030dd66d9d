/*
 * tcpdchk - examine the tcp wrapper setup: inetd.conf, hosts.allow, hosts.deny.
 *
 * usage: tcpdchk [-a] [-d] [-i inet_conf] [-n] [-v] [--json]
 *
 *	-a	report rules of hosts.allow that end without an explicit allow/deny/twist
 *	-d	use hosts.allow and hosts.deny of the current directory
 *	-i	the inetd.conf to read (default /etc/inetd.conf, skipped when missing)
 *	-n	no name service lookups (DenyHosts-sized tables, or no DNS at hand)
 *	-v	list every rule: daemons, clients, options run, the access it gives
 *	--json	one JSON document instead of text (schema in report.c)
 *
 * The tables are compiled by the library's own parser (lib/table.c), so tcpdchk sees exactly
 * the rules, tokens and line numbers the library sees.  The classic checks (daemon and user
 * names, inetd.conf status, netgroups, /file lists, net/mask patterns, DNS names verified in
 * both directions, options run in dry-run mode against a made-up request) come first, rule
 * by rule; then the checks beyond the classic program (lint.c).  Every problem is one line
 * "FILE:LINE: error|warning: message" (report.c).
 *
 * Exit status: 0 when no error was found (warnings allowed); 2 when at least one error was;
 * 1 on a usage error or an -i file that cannot be opened.  (The classic tcpdchk always exits
 * 0 after its checks: docs/COMPATIBILITY.md T1.)
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coverage.h"
#include "diag.h"
#include "explain.h"
#include "export.h"
#include "inetcf.h"
#include "lint.h"
#include "options.h"
#include "pathcheck.h"
#include "report.h"
#include "str.h"
#include "table.h"

#define LIST_TEXT_MAX 65536

/* Debian's tcpdchk takes these daemons as wrapped whatever inetd.conf says (they link
 * libwrap themselves or are not started by inetd). */
static const char *const debian_wrapped[] = {
	"portmap",  "mountd",       "statd",          "ugidd",          "redir",
	"rlinetd",  "sshd",         "atftpd",         "diald",          "esound",
	"gdm",      "gnome-session", "icecast",       "icecast_admin",  "icecast_client",
	"icecast_source", "mysqld", "ntop",           "pptpd",          "rquotad",
	"sendmail", "smail",
};

/* The setup being checked. */
struct setup {
	bool implicit_allow; /* -a */
	bool verbose;        /* -v */
	bool json;           /* --json */
	bool no_lookups;     /* -n */
	const char *inetd_conf;
	bool inetd_scanned;
	struct inet_services services;
	char **reported_daemons; /* daemon names already reported (once per name) */
	size_t n_reported;
};

static _Noreturn void usage(const char *program)
{
	fprintf(stderr, "usage: %s [-a] [-d] [-i inet_conf] [-v]\n", program);
	fprintf(stderr, "\t-a: report rules with implicit \"ALLOW\" at end\n");
	fprintf(stderr, "\t-d: use allow/deny files in current directory\n");
	fprintf(stderr, "\t-i: location of inetd.conf file\n");
	fprintf(stderr, "\t-v: list all rules\n");
	fprintf(stderr, "\t-n: no host name or address lookups\n");
	fprintf(stderr, "\t--json: one JSON document (findings and rules) on stdout\n");
	exit(1);
}

static void parse_arguments(int argc, char **argv, struct setup *s)
{
	int c;

	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			s->json = true;
			for (int j = i; j < argc; j++)
				argv[j] = argv[j + 1];
			argc--;
			i--;
		}
	}
	while ((c = getopt(argc, argv, "adi:nv")) != -1) {
		switch (c) {
		case 'a':
			s->implicit_allow = true;
			break;
		case 'd':
			hosts_allow_table = "hosts.allow";
			hosts_deny_table = "hosts.deny";
			break;
		case 'i':
			s->inetd_conf = optarg;
			break;
		case 'n':
			s->no_lookups = true;
			break;
		case 'v':
			s->verbose = true;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);
}

/* check_inetd - read inetd.conf; an explicit -i file must open. */
static void check_inetd(struct setup *s)
{
	report_set_check("inetd", SEV_WARNING);
	s->inetd_scanned = inetcf_load(s->inetd_conf, &s->services);
	if (s->inetd_scanned && s->inetd_conf == NULL)
		s->inetd_conf = DEFAULT_INETD_CONF;
	if (s->verbose)
		report_text("Using network configuration file: %s\n",
		            s->inetd_scanned ? s->inetd_conf : "(none)");
}

/* first_report - true the first time a daemon name is seen. */
static bool first_report(struct setup *s, const char *name)
{
	for (size_t i = 0; i < s->n_reported; i++)
		if (str_ieq(s->reported_daemons[i], name))
			return false;
	char **bigger = reallocarray(s->reported_daemons, s->n_reported + 1, sizeof(*bigger));
	if (bigger == NULL || (bigger[s->n_reported] = strdup(name)) == NULL) {
		fputs("tcpdchk: out of memory\n", stderr);
		exit(1);
	}
	s->reported_daemons = bigger;
	s->n_reported++;
	return true;
}

static bool is_reserved(const char *name)
{
	return str_ieq(name, "unknown") || str_ieq(name, "KNOWN") || str_ieq(name, "paranoid") ||
	       str_ieq(name, "ALL") || str_ieq(name, "LOCAL");
}

/* check_name - the classic checks of a daemon or user name; kind is "daemon" or "user". */
static void check_name(struct setup *s, const char *name, const char *kind)
{
	size_t len = strlen(name);

	if (name[0] == '@')
		diag_warn("%s: %s name begins with \"@\"", name, kind);
	else if (name[0] == '/')
		diag_warn("%s: %s name begins with \"/\"", name, kind);
	else if (name[0] == '.')
		diag_warn("%s: %s name begins with dot", name, kind);
	else if (len > 0 && name[len - 1] == '.')
		diag_warn("%s: %s name ends in dot", name, kind);
	else if (str_ieq(name, "ALL") || str_ieq(name, "unknown") ||
	         (kind[0] == 'u' && str_ieq(name, "KNOWN")))
		return;
	else if (str_ieq(name, "FAIL")) {
		diag_warn("FAIL is no longer recognized");
		diag_warn("(use EXCEPT or DENY instead)");
	} else if (is_reserved(name))
		diag_warn("%s: %s name may be reserved word", name, kind);
	else if (kind[0] == 'd') {
		for (size_t i = 0; i < sizeof(debian_wrapped) / sizeof(debian_wrapped[0]); i++)
			if (strcmp(name, debian_wrapped[i]) == 0)
				return;
		if (!first_report(s, name))
			return;
		inetcf_check_daemon(&s->services, s->inetd_scanned, s->inetd_conf, name);
	}
}

/* -n: no name service lookups at all (set once, before the checks). */
static bool no_lookups;

/* resolve - the addresses of a host (numeric first, then by name with its official name);
 * NULL after "host not found". */
static struct addrinfo *resolve(const char *host, bool alias_warnings)
{
	struct addrinfo hints, *res = NULL;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(host, NULL, &hints, &res) == 0)
		return res;
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(host, NULL, &hints, &res) != 0) {
		diag_warn("%s: host not found", host);
		return NULL;
	}
	if (alias_warnings && res->ai_canonname != NULL && !str_ieq(res->ai_canonname, host)) {
		diag_warn("%s: hostname alias", host);
		diag_warn("(official name: %.*s)", STRING_LENGTH, res->ai_canonname);
	}
	return res;
}

/* check_dns - a host name or address: it must resolve, and each address must map back to a
 * name that maps forward to it (the library's own double-reverse check, with its warnings). */
static void check_dns(const char *host)
{
	struct addrinfo *res;

	if (no_lookups)
		return;
	res = resolve(host, true);
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		struct sockaddr_storage storage;
		struct request_info request;

		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		memset(&storage, 0, sizeof(storage));
		memcpy(&storage, ai->ai_addr, ai->ai_addrlen);
		request_init(&request, 0);
		sock_methods(&request);
		request.client->sin = (struct sockaddr *)&storage;
		if (str_is_unknown(eval_hostname(request.client)))
			diag_warn("host address %s->name lookup failed", eval_hostaddr(request.client));
	}
	if (res != NULL)
		freeaddrinfo(res);
}

static void check_host(struct setup *s, char *text, int depth);

/* check_server_host - "daemon@host": the classic host checks, and the host should have one
 * address (the classic tcpdchk's advice). */
static void check_server_host(struct setup *s, const struct host_pattern *p)
{
	struct addrinfo hints, *res = NULL;
	char text[LIST_TEXT_MAX];
	int count = 0;

	str_copy(text, sizeof(text), p->text.text);
	check_host(s, text, 0);
	if (no_lookups || p->kind != HOST_TEXT || p->text.kind != TEXT_EXACT || is_reserved(p->text.text))
		return;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(p->text.text, NULL, &hints, &res) != 0)
		return; /* reported by check_host() */
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next)
		count += ai->ai_family == AF_INET || ai->ai_family == AF_INET6;
	freeaddrinfo(res);
	if (count > 1) {
		diag_warn("host %s has more than one address", p->text.text);
		diag_warn("(consider using an address instead)");
	}
}

/* check_netgroup - "@group" should name a netgroup with members. */
static void check_netgroup(const char *group)
{
	char *host, *user, *domain;
	int found;

	setnetgrent(group);
	found = getnetgrent(&host, &user, &domain);
	endnetgrent();
	if (!found)
		diag_warn("%s: unknown or empty netgroup", group);
}

/* check_file_list - every entry of a /file list, with the list's file and line as context
 * ('#' starts a comment, as the library reads lists). */
static void check_file_list(struct setup *s, const char *path, int depth)
{
	struct diag_context outer = diag_get_context();
	char *line = NULL;
	size_t size = 0;
	int number = 0;
	FILE *fp;

	if (depth >= 8) {
		diag_warn("%s: /file lists nested deeper than 8: not checked", path);
		return;
	}
	if ((fp = fopen(path, "re")) == NULL) {
		if (errno != ENOENT)
			diag_warn("open %s: %m", path);
		return;
	}
	while (getline(&line, &size, fp) >= 0) {
		char *save = NULL;

		number++;
		diag_set_context(path, number);
		for (char *tok = strtok_r(line, " \t\r\n\v\f", &save); tok != NULL;
		     tok = strtok_r(NULL, " \t\r\n\v\f", &save)) {
			if (tok[0] == '#')
				break;
			check_host(s, tok, depth + 1);
			lint_host_pattern_text(tok, path, number);
		}
	}
	free(line);
	fclose(fp);
	diag_set_context(outer.file, outer.line);
}

/* check_host - the classic checks of one host pattern (text may be cut by compiling). */
static void check_host(struct setup *s, char *text, int depth)
{
	char copy[LIST_TEXT_MAX];
	struct host_pattern p;
	size_t len = strlen(text);

	str_copy(copy, sizeof(copy), text);
	pattern_compile_host(copy, &p);
	if (p.kind == HOST_NETGROUP) {
		check_netgroup(text + 1);
	} else if (p.kind == HOST_FILE) {
		check_file_list(s, text, depth);
	} else if (p.kind == HOST_NET) {
		if (p.problem == PROBLEM_BAD_NETMASK) {
			report_set_check("netmask", SEV_ERROR); /* it never matches */
			diag_warn("%s: bad net/mask pattern", text);
			report_set_check("client", SEV_WARNING);
		}
	} else if (str_ieq(text, "FAIL")) {
		diag_warn("FAIL is no longer recognized");
		diag_warn("(use EXCEPT or DENY instead)");
	} else if (is_reserved(text) || p.text.kind == TEXT_BRACKET) {
		return;
	} else if (text[strspn(text, "0123456789.")] != '\0') { /* a name */
		if (len > 0 && text[len - 1] == '.')
			diag_warn("%s: domain or host name ends in dot", text);
		else if (text[0] != '.')
			check_dns(text);
	} else { /* numeric */
		if (strcmp(text, "0.0.0.0") == 0 || strcmp(text, "255.255.255.255") == 0)
			return;
		if (text[0] == '.')
			diag_warn("%s: network number begins with dot", text);
		else if (len > 0 && text[len - 1] != '.')
			check_dns(text);
	}
	(void)s;
}

/* count_after_except - the classic list count: tokens after the last EXCEPT. */
static size_t count_after_except(const struct wrap_token *tokens, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count = tokens[i].kind == TOKEN_EXCEPT ? 0 : count + 1;
	return count;
}

/* run_options - the rule's options in dry run against a made-up request, as the classic
 * tcpdchk does; returns the access they give ("granted"/"denied") and whether they end in
 * allow, deny or twist. */
static const char *run_options(const struct wrap_rule *rule, bool is_allow, bool *ret_explicit)
{
	struct request_info request;
	enum options_verdict verdict = OPTIONS_NONE;
	bool twisted = false;

	*ret_explicit = false;
	if (rule->options != NULL) {
		request_init(&request, RQ_DAEMON, "daemon_name", RQ_SERVER_NAME, "server_hostname",
		             RQ_SERVER_ADDR, "server_addr", RQ_USER, "user_name", RQ_CLIENT_NAME,
		             "client_hostname", RQ_CLIENT_ADDR, "client_addr", RQ_FILE, -1, 0);
		report_set_check("options", SEV_WARNING);
		dry_run = 1;
		verdict = options_run(rule->options, &request);
		twisted = dry_run == 0;
		dry_run = 1;
	}
	*ret_explicit = verdict == OPTIONS_ALLOW || verdict == OPTIONS_DENY || twisted;
	if (verdict == OPTIONS_ALLOW)
		return "granted";
	if (verdict == OPTIONS_DENY)
		return "denied";
	return is_allow ? "granted" : "denied";
}

/* check_rule - the classic checks of one rule, and its -v listing. */
static void check_rule(struct setup *s, const struct wrap_table *t, const struct wrap_rule *rule,
                       bool is_allow)
{
	static char daemons[LIST_TEXT_MAX], clients[LIST_TEXT_MAX];
	const struct wrap_token *d = &t->tokens[rule->daemons], *c = &t->tokens[rule->clients];
	const char *access;
	bool explicit_end;

	explain_list_text(d, rule->n_daemons, daemons, sizeof(daemons));
	explain_list_text(c, rule->n_clients, clients, sizeof(clients));
	if (s->verbose)
		report_text("\n>>> Rule %s line %d:\ndaemons:  %s\n", t->path, rule->line, daemons);

	report_set_check("daemon", SEV_WARNING);
	if (count_after_except(d, rule->n_daemons) == 0)
		report(rule->n_daemons == 0 ? SEV_ERROR : SEV_WARNING, "daemon", t->path, rule->line,
		       "daemon list is empty or ends in EXCEPT");
	for (size_t i = 0; i < rule->n_daemons; i++) {
		if (d[i].kind == TOKEN_EXCEPT)
			continue;
		if (d[i].has_host) {
			report_set_check("dns", SEV_WARNING);
			check_server_host(s, &d[i].host);
			report_set_check("daemon", SEV_WARNING);
		}
		check_name(s, d[i].name.text, "daemon");
	}

	if (s->verbose)
		report_text("clients:  %s\n", clients);
	if (count_after_except(c, rule->n_clients) == 0)
		report(rule->n_clients == 0 ? SEV_ERROR : SEV_WARNING, "client", t->path, rule->line,
		       "client list is empty or ends in EXCEPT");
	for (size_t i = 0; i < rule->n_clients; i++) {
		char host[LIST_TEXT_MAX];

		if (c[i].kind == TOKEN_EXCEPT)
			continue;
		if (c[i].has_name) {
			report_set_check("user", SEV_WARNING);
			check_name(s, c[i].name.text, "user");
		}
		str_copy(host, sizeof(host), c[i].host.text.text);
		/* Text patterns are looked up in DNS; the other kinds have checks of their own. */
		report_set_check(c[i].host.kind == HOST_TEXT ? "dns" : "client", SEV_WARNING);
		check_host(s, host, 0);
	}

	access = run_options(rule, is_allow, &explicit_end);
	if (s->implicit_allow && is_allow && !explicit_end)
		report(SEV_WARNING, "implicit-allow", t->path, rule->line,
		       "implicit \"allow\" at end of rule");
	if (s->verbose)
		report_text("access:   %s\n", access);

	char *options = NULL;
	if (rule->options != NULL) {
		char *text = explain_rule_text(t, rule), *sep = text;
		/* The options part of "DAEMONS : CLIENTS : OPTIONS". */
		for (int colons = 0; sep != NULL && colons < 2; colons++)
			sep = (sep = strstr(sep, " : ")) != NULL ? sep + 3 : NULL;
		options = sep != NULL ? strdup(sep) : NULL;
		free(text);
	}
	report_rule(&(struct report_rule){t->path, rule->line, daemons, clients, options, access});
	free(options);
}

/* check_table - every rule of one table, in order, up to where the library stops reading. */
static struct wrap_table *check_table(struct setup *s, const char *path, bool is_allow)
{
	struct wrap_table *t;

	lint_permissions(path);
	t = table_load(path);
	if (t == NULL) {
		fputs("tcpdchk: out of memory\n", stderr);
		exit(1);
	}
	if (t->open_errno != 0) {
		report(SEV_ERROR, "table", path, 0, "cannot open: %s (the library denies every "
		       "request while this table cannot be read)", strerror(t->open_errno));
		return t;
	}
	for (size_t i = 0; i < t->n_rules; i++) {
		const struct wrap_rule *rule = &t->rules[i];

		diag_set_context(t->path, rule->line);
		tcpd_context.file = t->path;
		tcpd_context.line = rule->line;
		switch (rule->kind) {
		case RULE_NO_SEPARATOR:
			report(SEV_ERROR, "syntax", t->path, rule->line, "missing \":\" separator");
			break;
		case RULE_TRUNCATED:
			report(SEV_ERROR, "syntax", t->path, rule->line,
			       "missing newline or line too long");
			lint_truncated(path, rule->line, is_allow);
			break;
		case RULE_MATCH:
			check_rule(s, t, rule, is_allow);
			break;
		}
	}
	diag_set_context(NULL, 0);
	tcpd_context.file = NULL;
	tcpd_context.line = 0;
	return t;
}

int main(int argc, char **argv)
{
	struct setup s;
	struct wrap_table *tables[2];

	if (coverage_wanted(argc, argv))
		return coverage_main(argc, argv);
	memset(&s, 0, sizeof(s));
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_arguments(argc, argv, &s);
	no_lookups = s.no_lookups;
	report_init(s.json, s.verbose);
	hosts_access_verbose = 1; /* the "option:" lines of the -v listing */
	dry_run = 1;

	report_set_check("setup", SEV_WARNING);
	inetcf_check_daemon_dir();
	check_inetd(&s);
	tables[0] = check_table(&s, hosts_allow_table, true);
	tables[1] = check_table(&s, hosts_deny_table, false);
	lint_tables(tables, 2);
	report_json(s.inetd_scanned ? s.inetd_conf : NULL, hosts_allow_table, hosts_deny_table);
	table_free(tables[0]);
	table_free(tables[1]);
	inetcf_free(&s.services);
	for (size_t i = 0; i < s.n_reported; i++)
		free(s.reported_daemons[i]);
	free(s.reported_daemons);
	return report_errors() > 0 ? 2 : 0;
}
