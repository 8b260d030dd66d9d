/*
 * tcpd.h - public interface of libwrap, the TCP Wrappers access-control library.
 *
 * Layout-compatible with the classic libwrap 7.6 header: programs built against either
 * header run against either library.  The structures below are shared with the library
 * binary, so their field order, sizes and alignment must never change
 * (tests/abi pins every offset).
 */
#ifndef _TCPWRAPPERS_TCPD_H
#define _TCPWRAPPERS_TCPD_H

#include <netinet/in.h>
#include <stdio.h>

#ifndef __BEGIN_DECLS
#ifdef __cplusplus
#define __BEGIN_DECLS extern "C" {
#define __END_DECLS }
#else
#define __BEGIN_DECLS
#define __END_DECLS
#endif
#endif

__BEGIN_DECLS

/* Size of every text field in the structures, terminating NUL included. */
#define STRING_LENGTH 128

/* One endpoint of a connection.  Fields are filled lazily by the eval_ functions. */
struct host_info {
	char name[STRING_LENGTH]; /* read through eval_hostname() */
	char addr[STRING_LENGTH]; /* read through eval_hostaddr() */
#ifdef INET6
	struct sockaddr *sin; /* socket address, or NULL */
#else
	struct sockaddr_in *sin; /* socket address, or NULL (may hold IPv6) */
#endif
	struct t_unitdata *unit;      /* unused on Linux */
	struct request_info *request; /* the request this endpoint belongs to */
};

/* Everything known about one service request; doubles as the lookup cache. */
struct request_info {
	int fd;                      /* connection socket, or -1 */
	char user[STRING_LENGTH];    /* read through eval_user() */
	char daemon[STRING_LENGTH];  /* read through eval_daemon() */
	char pid[10];                /* read through eval_pid() */
	struct host_info client[1];  /* the remote end */
	struct host_info server[1];  /* the local end */
	void (*sink)(int);           /* drains a datagram on refusal, or NULL */
	void (*hostname)(struct host_info *); /* address to host name method */
	void (*hostaddr)(struct host_info *); /* address to printable address method */
	void (*cleanup)(struct request_info *); /* unused */
	struct netconfig *config;              /* unused */
};

/* Case-insensitive string helpers kept for source compatibility. */
#define STRN_CPY(d, s, l)                                                                 \
	{                                                                                 \
		strncpy((d), (s), (l));                                                   \
		(d)[(l)-1] = 0;                                                           \
	}
#define STRN_EQ(x, y, l) (strncasecmp((x), (y), (l)) == 0)
#define STRN_NE(x, y, l) (strncasecmp((x), (y), (l)) != 0)
#define STR_EQ(x, y) (strcasecmp((x), (y)) == 0)
#define STR_NE(x, y) (strcasecmp((x), (y)) != 0)

/*
 * An empty field means "not looked up yet"; "unknown" means the lookup failed; a host name
 * that failed double-reverse verification reads "paranoid".
 */
#define STRING_UNKNOWN "unknown"
#define STRING_PARANOID "paranoid"
extern char unknown[];
extern char paranoid[];

#define HOSTNAME_KNOWN(s) (STR_NE((s), unknown) && STR_NE((s), paranoid))
#define NOT_INADDR(s) (s[strspn(s, "01234567890./")] != 0)

/* Access decision. */
#define fromhost sock_host
extern int hosts_access(struct request_info *request);
extern int hosts_ctl(char *daemon, char *client_name, char *client_addr, char *client_user);

/* Helpers the options language uses; a program may supply its own versions. */
extern void shell_cmd(char *command);
extern char *percent_x(char *result, int result_len, char *text, struct request_info *request);
#ifdef INET6
extern void rfc931(struct sockaddr *remote, struct sockaddr *local, char *dest);
#else
extern void rfc931(struct sockaddr_in *remote, struct sockaddr_in *local, char *dest);
#endif
extern void clean_exit(struct request_info *request);
extern void refuse(struct request_info *request);
extern char *xgets(char *buf, int len, FILE *fp);
extern char *split_at(char *string, int delimiter);
extern unsigned long dot_quad_addr(char *text);

/* Connection logging priorities and table locations; programs may redefine these. */
#ifdef HAVE_WEAKSYMS
extern int allow_severity __attribute__((weak));
extern int deny_severity __attribute__((weak));
#else
extern int allow_severity;
extern int deny_severity;
#endif
extern char *hosts_allow_table;
extern char *hosts_deny_table;
extern int hosts_access_verbose;
extern int rfc931_timeout;
extern int resident; /* > 0 once a process has made more than one decision */

/* Request construction: request_init(r, key, value, ..., 0). */
extern struct request_info *request_init(struct request_info *request, ...);
extern struct request_info *request_set(struct request_info *request, ...);

#define RQ_FILE 1        /* int: connection descriptor */
#define RQ_DAEMON 2      /* char *: server process name */
#define RQ_USER 3        /* char *: client user name */
#define RQ_CLIENT_NAME 4 /* char *: client host name */
#define RQ_CLIENT_ADDR 5 /* char *: client host address */
#define RQ_CLIENT_SIN 6  /* struct sockaddr *: client endpoint, not copied */
#define RQ_SERVER_NAME 7 /* char *: server host name */
#define RQ_SERVER_ADDR 8 /* char *: server host address */
#define RQ_SERVER_SIN 9  /* struct sockaddr *: server endpoint, not copied */

/* Lazy evaluation of request attributes; results are cached in the request. */
extern char *eval_user(struct request_info *request);
extern char *eval_hostname(struct host_info *host);
extern char *eval_hostaddr(struct host_info *host);
extern char *eval_hostinfo(struct host_info *host);
extern char *eval_client(struct request_info *request);
extern char *eval_server(struct request_info *request);
#ifdef INET6
extern char *eval_port(struct sockaddr *sa);
#else
extern char *eval_port(struct sockaddr_in *sa);
#endif
#define eval_daemon(r) ((r)->daemon)
#define eval_pid(r) ((r)->pid)

/* Socket methods: endpoint discovery and host name / address translation. */
extern void sock_host(struct request_info *request);
extern void sock_hostname(struct host_info *host);
extern void sock_hostaddr(struct host_info *host);
#define sock_methods(r)                                                                   \
	{                                                                                 \
		(r)->hostname = sock_hostname;                                            \
		(r)->hostaddr = sock_hostaddr;                                            \
	}

/* Options language and diagnostics. */
extern void process_options(char *options, struct request_info *request);
extern int dry_run; /* non-zero: verify only, run no commands */

extern void tcpd_warn(char *format, ...);
extern void tcpd_jump(char *format, ...);

struct tcpd_context {
	char *file; /* table being read, or NULL */
	int line;   /* current line in that table */
};
extern struct tcpd_context tcpd_context;

/* Return values of hosts_access() through tcpd_jump()/options. */
#define AC_PERMIT 1
#define AC_DENY (-1)
#define AC_ERROR AC_DENY

__END_DECLS

#endif /* _TCPWRAPPERS_TCPD_H */
