/*
 * layout.c - prints the layout and constants of <tcpd.h>, one "name value" per line.
 *
 * check-layout.sh compiles it against our include/tcpd.h and against Debian's
 * /usr/include/tcpd.h, with and without INET6; every output must equal layout.expected.
 * It also assigns every declared function and variable to a pointer of the exact classic
 * type, so a prototype that differs from the classic header fails to compile (-Werror).
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <tcpd.h>

#define SHOW(name, value) printf("%s %ld\n", name, (long)(value))
#define SIZE_OFF(type, field)                                                             \
	printf("offsetof(%s,%s) %zu size %zu\n", #type, #field, offsetof(struct type, field), \
	       sizeof(((struct type *)0)->field))
#define STRINGIFY2(x) #x
#define STRINGIFY(x) STRINGIFY2(x)

#ifdef INET6
typedef struct sockaddr classic_sa;
#else
typedef struct sockaddr_in classic_sa;
#endif

/* Every declaration of the classic header, with its classic type. */
static void type_check(void)
{
	int (*p_hosts_access)(struct request_info *) = hosts_access;
	int (*p_hosts_ctl)(char *, char *, char *, char *) = hosts_ctl;
	void (*p_shell_cmd)(char *) = shell_cmd;
	char *(*p_percent_x)(char *, int, char *, struct request_info *) = percent_x;
	void (*p_rfc931)(classic_sa *, classic_sa *, char *) = rfc931;
	void (*p_clean_exit)(struct request_info *) = clean_exit;
	void (*p_refuse)(struct request_info *) = refuse;
	char *(*p_xgets)(char *, int, FILE *) = xgets;
	char *(*p_split_at)(char *, int) = split_at;
	unsigned long (*p_dot_quad_addr)(char *) = dot_quad_addr;
	struct request_info *(*p_request_init)(struct request_info *, ...) = request_init;
	struct request_info *(*p_request_set)(struct request_info *, ...) = request_set;
	char *(*p_eval_user)(struct request_info *) = eval_user;
	char *(*p_eval_hostname)(struct host_info *) = eval_hostname;
	char *(*p_eval_hostaddr)(struct host_info *) = eval_hostaddr;
	char *(*p_eval_hostinfo)(struct host_info *) = eval_hostinfo;
	char *(*p_eval_client)(struct request_info *) = eval_client;
	char *(*p_eval_server)(struct request_info *) = eval_server;
	char *(*p_eval_port)(classic_sa *) = eval_port;
	void (*p_sock_host)(struct request_info *) = sock_host;
	void (*p_sock_hostname)(struct host_info *) = sock_hostname;
	void (*p_sock_hostaddr)(struct host_info *) = sock_hostaddr;
	void (*p_process_options)(char *, struct request_info *) = process_options;
	void (*p_tcpd_warn)(char *, ...) = tcpd_warn;
	void (*p_tcpd_jump)(char *, ...) = tcpd_jump;
	int *p_ints[] = {&allow_severity, &deny_severity, &hosts_access_verbose, &rfc931_timeout,
	                 &resident, &dry_run};
	char **p_tables[] = {&hosts_allow_table, &hosts_deny_table};
	char *p_strings[] = {unknown, paranoid};
	struct tcpd_context *p_context = &tcpd_context;
	void (*p_fromhost)(struct request_info *) = fromhost;
	int declarations = !!p_hosts_access + !!p_hosts_ctl + !!p_shell_cmd + !!p_percent_x +
	                   !!p_rfc931 + !!p_clean_exit + !!p_refuse + !!p_xgets + !!p_split_at +
	                   !!p_dot_quad_addr + !!p_request_init + !!p_request_set + !!p_eval_user +
	                   !!p_eval_hostname + !!p_eval_hostaddr + !!p_eval_hostinfo +
	                   !!p_eval_client + !!p_eval_server + !!p_eval_port + !!p_sock_host +
	                   !!p_sock_hostname + !!p_sock_hostaddr + !!p_process_options +
	                   !!p_tcpd_warn + !!p_tcpd_jump + !!p_context + !!p_fromhost;

	for (size_t i = 0; i < sizeof(p_ints) / sizeof(p_ints[0]); i++)
		declarations += !!p_ints[i];
	for (size_t i = 0; i < 2; i++)
		declarations += !!p_tables[i] + !!p_strings[i];
	printf("declarations %d\n", declarations);
}

int main(void)
{
	struct request_info r;

	SHOW("sizeof(struct request_info)", sizeof(struct request_info));
	SHOW("alignof(struct request_info)", _Alignof(struct request_info));
	SIZE_OFF(request_info, fd);
	SIZE_OFF(request_info, user);
	SIZE_OFF(request_info, daemon);
	SIZE_OFF(request_info, pid);
	SIZE_OFF(request_info, client);
	SIZE_OFF(request_info, server);
	SIZE_OFF(request_info, sink);
	SIZE_OFF(request_info, hostname);
	SIZE_OFF(request_info, hostaddr);
	SIZE_OFF(request_info, cleanup);
	SIZE_OFF(request_info, config);
	SHOW("sizeof(struct host_info)", sizeof(struct host_info));
	SHOW("alignof(struct host_info)", _Alignof(struct host_info));
	SIZE_OFF(host_info, name);
	SIZE_OFF(host_info, addr);
	SIZE_OFF(host_info, sin);
	SIZE_OFF(host_info, unit);
	SIZE_OFF(host_info, request);
	/* struct sockaddr * with INET6, struct sockaddr_in * without, as in the classic header. */
	SHOW("host_info.sin has the classic type",
	     _Generic(((struct host_info *)0)->sin, classic_sa *: 1, default: 0));
	SHOW("sizeof(struct tcpd_context)", sizeof(struct tcpd_context));
	SIZE_OFF(tcpd_context, file);
	SIZE_OFF(tcpd_context, line);
	SHOW("STRING_LENGTH", STRING_LENGTH);
	SHOW("RQ_FILE", RQ_FILE);
	SHOW("RQ_DAEMON", RQ_DAEMON);
	SHOW("RQ_USER", RQ_USER);
	SHOW("RQ_CLIENT_NAME", RQ_CLIENT_NAME);
	SHOW("RQ_CLIENT_ADDR", RQ_CLIENT_ADDR);
	SHOW("RQ_CLIENT_SIN", RQ_CLIENT_SIN);
	SHOW("RQ_SERVER_NAME", RQ_SERVER_NAME);
	SHOW("RQ_SERVER_ADDR", RQ_SERVER_ADDR);
	SHOW("RQ_SERVER_SIN", RQ_SERVER_SIN);
	SHOW("AC_PERMIT", AC_PERMIT);
	SHOW("AC_DENY", AC_DENY);
	SHOW("AC_ERROR", AC_ERROR);
	printf("STRING_UNKNOWN %s\n", STRING_UNKNOWN);
	printf("STRING_PARANOID %s\n", STRING_PARANOID);
	printf("fromhost %s\n", STRINGIFY(fromhost));
	SHOW("NOT_INADDR(1.2.3.)", NOT_INADDR("1.2.3."));
	SHOW("NOT_INADDR(1.2/24)", NOT_INADDR("1.2/24"));
	SHOW("NOT_INADDR(a.b)", NOT_INADDR("a.b"));
	SHOW("HOSTNAME_KNOWN(Unknown)", HOSTNAME_KNOWN("Unknown"));
	SHOW("HOSTNAME_KNOWN(PARANOID)", HOSTNAME_KNOWN("PARANOID"));
	SHOW("HOSTNAME_KNOWN(host)", HOSTNAME_KNOWN("host"));
	SHOW("STR_EQ(a,A)", STR_EQ("a", "A"));
	SHOW("STRN_EQ(abc,ABd,2)", STRN_EQ("abc", "ABd", 2));
	memset(&r, 0, sizeof(r));
	STRN_CPY(r.daemon, "0123456789", 4);
	printf("STRN_CPY %s\n", r.daemon);
	printf("eval_daemon %s\n", eval_daemon(&r));
	SHOW("eval_pid is pid", eval_pid(&r) == r.pid);
	sock_methods(&r);
	SHOW("sock_methods hostname", r.hostname == sock_hostname);
	SHOW("sock_methods hostaddr", r.hostaddr == sock_hostaddr);
	type_check();
	return 0;
}
