/*
 * preload.c - libwrap_preload.so: hosts.allow and hosts.deny for a daemon never linked with
 * libwrap, through LD_PRELOAD (man/libwrap_preload.8).
 *
 * accept() and accept4() are replaced.  Each connection the real call (dlsym(RTLD_NEXT))
 * returns is decided by hosts_access() under the daemon name of $TCPWRAP_DAEMON, or else the
 * name the program was started as (program_invocation_short_name, copied when the object is
 * loaded: nginx and others later overwrite their argv).  Contract, per call:
 *   - a socket that is not AF_INET or AF_INET6 (AF_UNIX, ...) passes untouched;
 *   - an allowed connection is returned as the real call returned it: the same descriptor,
 *     flags, addr/addrlen written by the kernel itself, errno as it was on entry;
 *   - a refused one ("refused connect from CLIENT (ADDRESS)" at deny_severity, sanitised as
 *     every verdict line) and a source-routed one are closed, and the real call is made again
 *     with the caller's addrlen restored: a blocking socket waits for the next connection, a
 *     non-blocking one returns what the kernel returns then (EAGAIN when nothing is pending),
 *     so event loops (epoll, edge- or level-triggered) and multi-process servers keep working;
 *   - on any internal failure (the client's address cannot be read, memory, an unreadable
 *     table, an option error) the connection is refused and the reason logged; nothing here
 *     exits, longjmps or installs a signal handler.
 * Only accept and accept4 leave this object (preload.map): the library inside it is a private
 * copy, so a libwrap.so.0 the program loads itself keeps its own state and symbols.  Options
 * that would change the whole daemon (user, group, umask, setenv, nice) and twist are refused
 * (options_in_host_process, resident); spawn, banners, severity, rfc931, linger, keepalive,
 * allow, deny and aclexec act on this connection and work.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "diag.h"
#include "export.h"
#include "options.h"
#include "spoof.h"
#include "str.h"

#define GUARD_EXPORT __attribute__((visibility("default")))

typedef int accept_fn(int, struct sockaddr *, socklen_t *);
typedef int accept4_fn(int, struct sockaddr *, socklen_t *, int);

/* Filled once, when the object is loaded (or at the first call, for a program that accepts
 * from a constructor of its own); read-only afterwards. */
static accept_fn *real_accept;
static accept4_fn *real_accept4;
static char daemon_name[STRING_LENGTH];

static void guard_init(void)
{
	const char *name = getenv("TCPWRAP_DAEMON");

	if (name == NULL || name[0] == '\0')
		name = program_invocation_short_name;
	if (name == NULL || name[0] == '\0')
		name = unknown;
	str_copy(daemon_name, sizeof(daemon_name), name);
	/* Every decision here is made in a process that serves many connections. */
	resident = 1;
	options_in_host_process = true;
	__atomic_store_n(&real_accept, (accept_fn *)dlsym(RTLD_NEXT, "accept"), __ATOMIC_RELEASE);
	__atomic_store_n(&real_accept4, (accept4_fn *)dlsym(RTLD_NEXT, "accept4"),
	                 __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void guard_load(void)
{
	guard_init();
}

/* real - the next definition of accept or accept4, or NULL (then ENOSYS). */
static accept_fn *real_accept_fn(void)
{
	accept_fn *fn = __atomic_load_n(&real_accept, __ATOMIC_ACQUIRE);

	if (fn == NULL) {
		guard_init();
		fn = __atomic_load_n(&real_accept, __ATOMIC_ACQUIRE);
	}
	return fn;
}

static accept4_fn *real_accept4_fn(void)
{
	accept4_fn *fn = __atomic_load_n(&real_accept4, __ATOMIC_ACQUIRE);

	if (fn == NULL) {
		guard_init();
		fn = __atomic_load_n(&real_accept4, __ATOMIC_ACQUIRE);
	}
	return fn;
}

/* admitted - decide the accepted connection fd.  known is the client's address when the
 * caller's buffer held all of it (the kernel just wrote it there), or NULL.  True: hand the
 * connection to the program. */
static bool admitted(int fd, const struct sockaddr *known, socklen_t known_len)
{
	struct sockaddr_storage client, server;
	socklen_t client_len = sizeof(client), server_len = sizeof(server);
	struct request_info request;

	if (getsockname(fd, (struct sockaddr *)&server, &server_len) < 0) {
		diag_log(LOG_ERR, "error: %s: getsockname of a new connection: %m: closed",
		         daemon_name);
		return false;
	}
	if (server.ss_family != AF_INET && server.ss_family != AF_INET6)
		return true; /* AF_UNIX and the rest: not ours to judge */
	/* Our own lookup, not sock_host(): when the client is already gone, sock_host() would
	 * fall back to peeking for a datagram, which blocks on a stream socket.  The address the
	 * caller received saves the system call when it is complete. */
	if (known != NULL && known_len >= sizeof(struct sockaddr_in) && known_len <= sizeof(client) &&
	    known->sa_family == server.ss_family) {
		memcpy(&client, known, known_len);
	} else if (getpeername(fd, (struct sockaddr *)&client, &client_len) < 0) {
		diag_log(LOG_ERR, "error: %s: cannot get the client address of a new connection: %m: "
		         "closed", daemon_name);
		return false;
	}
	request_init(&request, RQ_DAEMON, daemon_name, RQ_FILE, fd, RQ_CLIENT_SIN, &client,
	             RQ_SERVER_SIN, &server, 0);
	request.hostname = sock_hostname;
	request.hostaddr = sock_hostaddr;
	if (!spoof_check(&request)) /* logged, and shut down */
		return false;
	if (hosts_access(&request))
		return true;
	diag_log_verdict(deny_severity, "refused connect from", &request);
	return false;
}

/* guarded - the shared body of accept and accept4 (use4 selects which real call). */
static int guarded(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags, bool use4)
{
	int saved_errno = errno;
	/* The kernel writes the address and its length itself (EFAULT, EINVAL and truncation
	 * exactly as without us); between attempts the caller's buffer size is put back. */
	bool has_len = addr != NULL && addrlen != NULL;
	socklen_t len_in = has_len ? *addrlen : 0;
	accept_fn *plain = NULL;
	accept4_fn *four = NULL;

	if (use4)
		four = real_accept4_fn();
	else
		plain = real_accept_fn();
	if (plain == NULL && four == NULL) {
		errno = ENOSYS;
		return -1;
	}
	for (;;) {
		int fd;

		if (has_len)
			*addrlen = len_in;
		fd = use4 ? four(sockfd, addr, addrlen, flags) : plain(sockfd, addr, addrlen);
		if (fd < 0)
			return -1; /* errno is the kernel's */
		/* A complete address in the caller's buffer: the kernel's length fits what it had. */
		bool complete = has_len && *addrlen <= len_in;

		if (admitted(fd, complete ? addr : NULL, complete ? *addrlen : 0)) {
			errno = saved_errno;
			return fd;
		}
		close(fd);
	}
}

GUARD_EXPORT int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen)
{
	return guarded(sockfd, addr, addrlen, 0, false);
}

GUARD_EXPORT int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags)
{
	return guarded(sockfd, addr, addrlen, flags, true);
}
