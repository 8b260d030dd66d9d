/*
 * tcpdmatch - predict how tcpd, or any libwrap program, would handle one service request.
 *
 * usage: tcpdmatch [-d] [-i inet_conf] [-v|--explain] daemon[@server] [user@]client
 *
 * The program builds the request a real connection would produce and hands it to the
 * library's own hosts_access() in dry-run mode: options only report what they would do, and
 * a twist reads as "delegated".  It prints what the library saw and decided:
 *
 *	client:   hostname NAME       each line only when the value is known;
 *	client:   address  ADDRESS    values are %-expanded, so sanitised as the
 *	client:   username USER       library sanitises them for a shell
 *	server:   hostname NAME
 *	server:   address  ADDRESS
 *	server:   process  DAEMON
 *	access:   granted | denied | delegated
 *
 * The library's own diagnostics (warning:/error: lines, "matched:  FILE line N",
 * "option:   NAME VALUE") appear on stdout in order, through fakelog.c, as with the upstream
 * program (Debian's build loses them to syslog).  Before that come the checks of the setup:
 * REAL_DAEMON_DIR, the daemon's entry in inetd.conf, world-writable tables.
 *
 * The client is a numeric address (its name lookup is then taken to have failed), "unknown"
 * or "paranoid" (taken as the name), or a host name: one report per address of that name,
 * separated by blank lines, each address's name verified by the library's double-reverse
 * lookup.  The server, unless "unknown" or "paranoid", must resolve to one address.
 *
 * -v (or --explain), beyond the classic program: before "access:", the decision explained
 * by the library's hosts_access_explain(): every rule consulted, in order, up to the deciding
 * one, with file and line, each pattern tried and why it did or did not match, the lookups
 * that were made and what they returned, and what decided (lines starting "explain:"):
 *
 *	explain:  hosts.allow line 2: sshd : 10.0.0.0/8
 *	explain:      sshd: yes: daemon sshd matches
 *	explain:      10.0.0.0/8: no: client address 192.0.2.5 is not in the network
 *	explain:      -> the rule does not match
 *	explain:  decision: granted: no rule matched
 *
 * Exit status: 0 after the report(s); 1 on a usage error, an -i file that cannot be opened,
 * a host that does not resolve, or a server with more than one address.
 */
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "answer.h"
#include "diag.h"
#include "explain.h"
#include "export.h"
#include "fakelog.h"
#include "inetcf.h"
#include "pathcheck.h"
#include "str.h"

/* The command line, split into its parts. */
struct arguments {
	const char *inetd_conf; /* -i, or NULL */
	bool explain;           /* -v, --explain */
	char *daemon;
	const char *server; /* "unknown" when not given */
	const char *user;   /* "unknown" when not given; "" for "@client" */
	const char *client;
};

/*
 * rfc931 - the ident lookup, replaced: tcpdmatch never asks the client's ident server,
 * the user is whatever the command line says ("unknown" when it says nothing).
 */
void rfc931(struct sockaddr *remote, struct sockaddr *local, char *dest)
{
	(void)remote;
	(void)local;
	str_copy(dest, STRING_LENGTH, unknown);
}

/* usage - the classic usage text on stderr, then exit 1 (unchanged: -v is in tcpdmatch(8)). */
static _Noreturn void usage(const char *program)
{
	fprintf(stderr, "usage: %s [-d] [-i inet_conf] daemon[@host] [user@]host\n", program);
	fprintf(stderr, "\t-d: use allow/deny files in current directory\n");
	fprintf(stderr, "\t-i: location of inetd.conf file\n");
	exit(1);
}

/* parse_arguments - options and the two operands; usage() on anything else. */
static void parse_arguments(int argc, char **argv, struct arguments *ret)
{
	int c;
	char *at;

	memset(ret, 0, sizeof(*ret));
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--explain") == 0)
			argv[i] = "-v";
	while ((c = getopt(argc, argv, "di:v")) != -1) {
		switch (c) {
		case 'd':
			hosts_allow_table = "hosts.allow";
			hosts_deny_table = "hosts.deny";
			break;
		case 'i':
			ret->inetd_conf = optarg;
			break;
		case 'v':
			ret->explain = true;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (argc != optind + 2)
		usage(argv[0]);
	ret->daemon = argv[optind];
	ret->server = unknown;
	if ((at = strchr(ret->daemon, '@')) != NULL) {
		*at = '\0';
		ret->server = at + 1;
	}
	ret->client = argv[optind + 1];
	ret->user = unknown;
	if ((at = strchr(argv[optind + 1], '@')) != NULL) {
		*at = '\0';
		ret->user = argv[optind + 1];
		ret->client = at + 1;
	}
}

/* normalise_daemon - "/usr/sbin/in.ftpd" names the process "in.ftpd", as tcpd would. */
static char *normalise_daemon(char *daemon)
{
	char *slash;

	if (daemon[0] != '/')
		return daemon;
	slash = strrchr(daemon, '/');
	diag_warn("%s: daemon name normalized to: %s", daemon, slash + 1);
	return slash + 1;
}

/*
 * check_inetd - look the daemon up in inetd.conf.  An explicit -i file must open; the
 * default one is optional: without it there is nothing to say about most daemons.
 */
static void check_inetd(const char *explicit_path, const char *daemon)
{
	struct inet_services services = {NULL, 0};
	bool scanned = inetcf_load(explicit_path, &services);

	inetcf_check_daemon(&services, scanned,
	                    explicit_path != NULL ? explicit_path : DEFAULT_INETD_CONF, daemon);
	inetcf_free(&services);
}

/*
 * resolve_host - the addresses of a host, one per address: numeric text as such, otherwise
 * through the resolver, with a warning when the name is an alias.  NULL after a warning when
 * the host is not found.
 */
static struct addrinfo *resolve_host(const char *host)
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
	if (res->ai_canonname == NULL) {
		diag_warn("%s: hostname alias", host);
		diag_warn("(cannot obtain official name)");
	} else if (!str_ieq(res->ai_canonname, host)) {
		diag_warn("%s: hostname alias", host);
		diag_warn("(official name: %.*s)", STRING_LENGTH, res->ai_canonname);
	}
	return res;
}

/* is_internet - an IPv4 or IPv6 address; anything else is reported. */
static bool is_internet(const struct addrinfo *ai)
{
	if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
		return true;
	diag_warn("%d: not an internet host", ai->ai_family);
	return false;
}

/*
 * use_address - make one address the endpoint's (copied into storage, which must outlive
 * the request), forget what was known of the previous one, and look its name up now, so that
 * a failed lookup is reported before the report.
 */
static void use_address(struct host_info *host, const struct addrinfo *ai,
                        struct sockaddr_storage *storage)
{
	memset(storage, 0, sizeof(*storage));
	memcpy(storage, ai->ai_addr, ai->ai_addrlen);
	host->sin = (struct sockaddr *)storage;
	host->name[0] = '\0';
	host->addr[0] = '\0';
	if (str_is_unknown(eval_hostname(host)))
		diag_warn("host address %s->name lookup failed", eval_hostaddr(host));
}

/* is_placeholder - "unknown" or "paranoid", which stand for a name and are not resolved. */
static bool is_placeholder(const char *host)
{
	return str_is_unknown(host) || str_is_paranoid(host);
}

/*
 * setup_server - the server endpoint: a placeholder name, or exactly one address.  Every
 * address is looked up (and a failed lookup reported) before more than one is refused.
 */
static void setup_server(struct request_info *request, const char *server,
                         struct sockaddr_storage *storage)
{
	struct addrinfo *res;
	int count = 0;

	if (is_placeholder(server)) {
		request_set(request, RQ_SERVER_NAME, server, 0);
		return;
	}
	if ((res = resolve_host(server)) == NULL)
		exit(1);
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		if (is_internet(ai)) {
			use_address(request->server, ai, storage);
			count++;
		}
	}
	freeaddrinfo(res);
	if (count > 1) {
		fprintf(stderr, "Error: %s has more than one address\n", server);
		fprintf(stderr, "Please specify an address instead\n");
		exit(1);
	}
	if (count == 0)
		exit(1);
}

/* print_known - one report line, unless the %-expansion of spec is "unknown". */
static void print_known(const char *label, char *spec, struct request_info *request)
{
	char value[BUFSIZ];

	percent_x(value, sizeof(value), spec, request);
	if (!str_is_unknown(value))
		printf("%s%s\n", label, value);
}

/* The explanation's pattern lines of the rule being consulted: printed after its header,
 * which the trace gives once the rule's outcome is known. */
struct explain_printer {
	char *pending;
	size_t length;
	FILE *stream;
};

/* short_file - a table path as tcpdmatch shows it. */
static const char *short_file(const char *file)
{
	return file != NULL ? file : "(no table)";
}

/* print_event - one trace event of hosts_access_explain() as "explain:" lines. */
static void print_event(void *context, const struct hosts_trace_event *e)
{
	struct explain_printer *p = context;

	if (p->stream == NULL && (p->stream = open_memstream(&p->pending, &p->length)) == NULL)
		return;
	switch (e->kind) {
	case HOSTS_TRACE_TABLE:
		printf("explain:  %s: %s\n", e->file, e->detail);
		break;
	case HOSTS_TRACE_SKIP:
		printf("explain:  %s line %d: %s\n", e->file, e->line, e->detail);
		break;
	case HOSTS_TRACE_PATTERN:
		fprintf(p->stream, "explain:      %s: %s: %s\n", e->text, e->matched ? "yes" : "no",
		        e->detail);
		break;
	case HOSTS_TRACE_LOOKUP:
		fprintf(p->stream, "explain:      lookup: %s: %s\n", e->text, e->detail);
		break;
	case HOSTS_TRACE_RULE:
		fclose(p->stream);
		p->stream = NULL;
		printf("explain:  %s line %d: %s\n", e->file, e->line, e->text);
		fputs(p->pending != NULL ? p->pending : "", stdout);
		free(p->pending);
		p->pending = NULL;
		printf("explain:      -> %s\n", e->detail);
		break;
	case HOSTS_TRACE_OPTIONS:
		printf("explain:      options: %s\n", e->detail);
		break;
	case HOSTS_TRACE_DECISION:
		if (e->line > 0)
			printf("explain:  decision: %s by %s line %d: %s\n", e->text,
			       short_file(e->file), e->line, e->detail);
		else if (e->file != NULL)
			printf("explain:  decision: %s by %s: %s\n", e->text, e->file, e->detail);
		else
			printf("explain:  decision: %s: %s\n", e->text, e->detail);
		break;
	}
}

/* decide - hosts_access(), or with explain its traced twin, whose answer is the same. */
static int decide(struct request_info *request, bool explain)
{
	struct explain_printer printer = {NULL, 0, NULL};
	int granted;

	if (!explain)
		return hosts_access(request);
	/* What tcpdmatch itself looked up before the rules (the library reuses it). */
	for (int i = 0; i < 2; i++) {
		const struct host_info *h = i == 0 ? request->client : request->server;
		printf("explain:  %s: address %s, host name %s\n", i == 0 ? "client" : "server",
		       h->addr[0] != '\0' ? h->addr : "(none)",
		       h->name[0] != '\0' ? h->name : "(not looked up yet)");
	}
	printf("explain:  user: %s (tcpdmatch never asks the client's ident server)\n",
	       request->user[0] != '\0' ? request->user : "(none)");
	granted = hosts_access_explain(request, print_event, &printer, NULL);
	if (printer.stream != NULL)
		fclose(printer.stream);
	free(printer.pending);
	return granted;
}

/* report - print what the request holds, decide it as tcpd would, print the verdict. */
static void report(struct request_info *request, bool explain)
{
	int granted;

	print_known("client:   hostname ", "%n", request);
	print_known("client:   address  ", "%a", request);
	print_known("client:   username ", "%u", request);
	print_known("server:   hostname ", "%N", request);
	print_known("server:   address  ", "%A", request);
	print_known("server:   process  ", "%d", request);

	/* What tcpd starts with, whatever an earlier report's options changed. */
	rfc931_timeout = 10;
	allow_severity = LOG_INFO;
	deny_severity = LOG_WARNING;
	dry_run = 1;
	granted = decide(request, explain);
	/* A twist, even in hosts.deny, hands the connection over whatever the tables say. */
	printf("access:   %s\n", dry_run == 0 ? "delegated" : granted ? "granted" : "denied");
}

/* is_numeric_client - a four-part dotted IPv4 address, or a numeric IPv6 address. */
static bool is_numeric_client(const char *client)
{
	struct addrinfo hints, *res = NULL;
	uint32_t addr;

	/* As with the classic inet_addr() test, 255.255.255.255 (INADDR_NONE) does not count. */
	if (addr_parse4(client, &addr) && addr != INADDR_NONE)
		return true;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET6;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(client, NULL, &hints, &res) != 0)
		return false;
	freeaddrinfo(res);
	return true;
}

/* report_client - one report for a numeric or placeholder client, one per address of a
 * host name.  Exits 1 when the name does not resolve. */
static void report_client(struct request_info *request, const char *client, bool explain)
{
	struct sockaddr_storage storage;
	struct addrinfo *res;
	bool first = true;

	if (is_numeric_client(client)) {
		request_set(request, RQ_CLIENT_ADDR, client, 0);
		report(request, explain);
		return;
	}
	if (is_placeholder(client)) {
		request_set(request, RQ_CLIENT_NAME, client, 0);
		report(request, explain);
		return;
	}
	if ((res = resolve_host(client)) == NULL)
		exit(1);
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		if (!is_internet(ai))
			continue;
		if (!first)
			printf("\n");
		first = false;
		use_address(request->client, ai, &storage);
		report(request, explain);
	}
	freeaddrinfo(res);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage server_storage;
	struct request_info request;
	struct arguments args;

	/* Line by line, so that the report, the library's messages and whatever an option
	 * writes to descriptor 1 (banners) come out in the order they happen. */
	if (answer_wanted(argc, argv))
		return answer_main(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_arguments(argc, argv, &args);
	fakelog_rule_lines = args.explain;
	hosts_access_verbose = 2;
	inetcf_check_daemon_dir();
	args.daemon = normalise_daemon(args.daemon);
	check_inetd(args.inetd_conf, args.daemon);
	pathcheck_writable(hosts_allow_table);
	pathcheck_writable(hosts_deny_table);

	request_init(&request, RQ_DAEMON, args.daemon, RQ_USER, args.user, RQ_FILE, 1, 0);
	sock_methods(&request);
	setup_server(&request, args.server, &server_storage);
	report_client(&request, args.client, args.explain);
	return 0;
}
