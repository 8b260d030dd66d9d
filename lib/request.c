/*
 * request.c - the request structure: construction, lazy evaluation, socket methods.
 *
 * The request doubles as the lookup cache: an empty field means "not looked up yet", and the
 * eval_ functions fill it on first use through the request's methods (sock_hostname,
 * sock_hostaddr) or rfc931().  Text returned by eval_client/eval_server/eval_port lives in
 * per-thread buffers, valid until the same thread calls the same function again.  sock_host()
 * keeps the endpoint addresses in per-thread storage, as the request holds only pointers.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "diag.h"
#include "export.h"
#include "str.h"

char unknown[] = STRING_UNKNOWN;
char paranoid[] = STRING_PARANOID;

static _Thread_local struct sockaddr_storage client_address, server_address;

/* request_fill - apply key/value pairs until a key <= 0. */
static struct request_info *request_fill(struct request_info *request, va_list ap)
{
	int key;

	while ((key = va_arg(ap, int)) > 0) {
		char *field = NULL;

		switch (key) {
		case RQ_FILE:
			request->fd = va_arg(ap, int);
			continue;
		case RQ_CLIENT_SIN:
			request->client->sin = va_arg(ap, struct sockaddr *);
			continue;
		case RQ_SERVER_SIN:
			request->server->sin = va_arg(ap, struct sockaddr *);
			continue;
		case RQ_DAEMON:
			field = request->daemon;
			break;
		case RQ_USER:
			field = request->user;
			break;
		case RQ_CLIENT_NAME:
			field = request->client->name;
			break;
		case RQ_CLIENT_ADDR:
			field = request->client->addr;
			break;
		case RQ_SERVER_NAME:
			field = request->server->name;
			break;
		case RQ_SERVER_ADDR:
			field = request->server->addr;
			break;
		default:
			diag_warn("request_fill: invalid key: %d", key);
			return request;
		}
		const char *value = va_arg(ap, const char *);
		/* A NULL string crashed the classic library; here it means "not known". */
		str_copy(field, STRING_LENGTH, value != NULL ? value : "");
	}
	return request;
}

struct request_info *request_init(struct request_info *request, ...)
{
	va_list ap;

	memset(request, 0, sizeof(*request));
	request->fd = -1;
	str_copy(request->daemon, sizeof(request->daemon), unknown);
	snprintf(request->pid, sizeof(request->pid), "%d", (int)getpid());
	request->client->request = request;
	request->server->request = request;
	va_start(ap, request);
	request_fill(request, ap);
	va_end(ap);
	return request;
}

struct request_info *request_set(struct request_info *request, ...)
{
	va_list ap;

	va_start(ap, request);
	request_fill(request, ap);
	va_end(ap);
	return request;
}

char *eval_user(struct request_info *request)
{
	if (request->user[0] == '\0') {
		str_copy(request->user, sizeof(request->user), unknown);
		if (request->sink == NULL && request->client->sin != NULL &&
		    request->server->sin != NULL)
			rfc931(request->client->sin, request->server->sin, request->user);
	}
	return request->user;
}

char *eval_hostaddr(struct host_info *host)
{
	if (host->addr[0] == '\0') {
		str_copy(host->addr, sizeof(host->addr), unknown);
		if (host->request != NULL && host->request->hostaddr != NULL)
			host->request->hostaddr(host);
	}
	return host->addr;
}

char *eval_hostname(struct host_info *host)
{
	if (host->name[0] == '\0') {
		str_copy(host->name, sizeof(host->name), unknown);
		if (host->request != NULL && host->request->hostname != NULL)
			host->request->hostname(host);
	}
	return host->name;
}

char *eval_hostinfo(struct host_info *host)
{
	/* Never trigger a name lookup just to print something. */
	if (host->name[0] == '\0')
		return eval_hostaddr(host);
	if (str_name_known(eval_hostname(host)))
		return host->name;
	return eval_hostaddr(host);
}

char *eval_client(struct request_info *request)
{
	static _Thread_local char both[2 * STRING_LENGTH];
	char *hostinfo = eval_hostinfo(request->client);

	if (request->user[0] != '\0' && !str_is_unknown(request->user)) {
		snprintf(both, sizeof(both), "%s@%s", request->user, hostinfo);
		return both;
	}
	return hostinfo;
}

char *eval_server(struct request_info *request)
{
	static _Thread_local char both[2 * STRING_LENGTH];
	char *hostinfo = eval_hostinfo(request->server);

	if (str_is_unknown(hostinfo))
		return request->daemon;
	snprintf(both, sizeof(both), "%s@%s", request->daemon, hostinfo);
	return both;
}

char *eval_port(struct sockaddr *sa)
{
	static _Thread_local char port[16];
	unsigned value = 0;

	if (sa != NULL && sa->sa_family == AF_INET)
		value = ntohs(((struct sockaddr_in *)(void *)sa)->sin_port);
	else if (sa != NULL && sa->sa_family == AF_INET6)
		value = ntohs(((struct sockaddr_in6 *)(void *)sa)->sin6_port);
	snprintf(port, sizeof(port), "%u", value);
	return port;
}

/* sockaddr_length - the length that goes with an address family. */
static socklen_t sockaddr_length(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

/* sock_sink - consume the datagram of a refused UDP request. */
static void sock_sink(int fd)
{
	char buf[1];
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	(void)recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &len);
}

void sock_host(struct request_info *request)
{
	socklen_t len = sizeof(client_address);
	int fd = request->fd;

	sock_methods(request);
	memset(&client_address, 0, sizeof(client_address));
	memset(&server_address, 0, sizeof(server_address));
	if (getpeername(fd, (struct sockaddr *)&client_address, &len) < 0) {
		char buf[1];

		/* Not connected: perhaps a datagram service, whose sender a peek reveals. */
		request->sink = sock_sink;
		len = sizeof(client_address);
		if (recvfrom(fd, buf, sizeof(buf), MSG_PEEK, (struct sockaddr *)&client_address,
		             &len) < 0) {
			diag_warn("can't get client address: %m");
			return;
		}
	}
	request->client->sin = (struct sockaddr *)&client_address;
	len = sizeof(server_address);
	if (getsockname(fd, (struct sockaddr *)&server_address, &len) < 0) {
		diag_warn("getsockname: %m");
		return;
	}
	request->server->sin = (struct sockaddr *)&server_address;
}

void sock_hostaddr(struct host_info *host)
{
	const struct sockaddr *sa = host->sin;

	if (sa == NULL)
		return;
	if (getnameinfo(sa, sockaddr_length(sa), host->addr, sizeof(host->addr), NULL, 0,
	                NI_NUMERICHOST) != 0)
		str_copy(host->addr, sizeof(host->addr), unknown);
}

/* unmap_v4 - an IPv4-mapped IPv6 address as the IPv4 address it carries. */
static const struct sockaddr *unmap_v4(const struct sockaddr *sa, struct sockaddr_in *buf)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)(const void *)sa;

	if (sa->sa_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
		return sa;
	memset(buf, 0, sizeof(*buf));
	buf->sin_family = AF_INET;
	buf->sin_port = sin6->sin6_port;
	memcpy(&buf->sin_addr, &sin6->sin6_addr.s6_addr[12], 4);
	return (const struct sockaddr *)buf;
}

/* same_address - equal addresses of one family (IPv6: and equal scope). */
static bool same_address(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)(const void *)b)->sin_addr.s_addr;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)(const void *)a;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)(const void *)b;
	return memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr)) == 0 &&
	       a6->sin6_scope_id == b6->sin6_scope_id;
}

/*
 * sock_hostname - the client's name, believed only after double-reverse verification: the
 * name from the PTR lookup must resolve forward (same family), its canonical name must be that
 * name, and its addresses must include the client's.  Otherwise the name is "paranoid".
 */
void sock_hostname(struct host_info *host)
{
	struct sockaddr_in v4;
	const struct sockaddr *sa;
	char name[NI_MAXHOST], numeric[NI_MAXHOST];
	struct addrinfo hints, *res = NULL;

	if (host->sin == NULL ||
	    (host->sin->sa_family != AF_INET && host->sin->sa_family != AF_INET6))
		return;
	sa = unmap_v4(host->sin, &v4);
	if (getnameinfo(sa, sockaddr_length(sa), name, sizeof(name), NULL, 0, NI_NAMEREQD) != 0)
		return;
	name[STRING_LENGTH - 1] = '\0';

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = sa->sa_family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(name, NULL, &hints, &res) == 0) {
		freeaddrinfo(res);
		diag_warn("host name/name mismatch: reverse lookup results in non-FQDN %s", name);
		str_copy(host->name, sizeof(host->name), paranoid);
		return;
	}
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(name, NULL, &hints, &res) != 0) {
		diag_warn("can't verify hostname: getaddrinfo(%s, %s) failed", name,
		          sa->sa_family == AF_INET ? "AF_INET" : "AF_INET6");
		str_copy(host->name, sizeof(host->name), paranoid);
		return;
	}
	if ((res->ai_canonname == NULL || !str_ieq(res->ai_canonname, name)) &&
	    !str_ieq(name, "localhost")) {
		diag_warn("host name/name mismatch: %s != %.*s", name, STRING_LENGTH,
		          res->ai_canonname != NULL ? res->ai_canonname : "");
		str_copy(host->name, sizeof(host->name), paranoid);
		freeaddrinfo(res);
		return;
	}
	for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_addr != NULL && same_address(ai->ai_addr, sa)) {
			str_copy(host->name, sizeof(host->name), name);
			freeaddrinfo(res);
			return;
		}
	}
	if (getnameinfo(sa, sockaddr_length(sa), numeric, sizeof(numeric), NULL, 0,
	                NI_NUMERICHOST) != 0)
		str_copy(numeric, sizeof(numeric), unknown);
	diag_warn("host name/address mismatch: %s != %.*s", numeric, STRING_LENGTH,
	          res->ai_canonname != NULL ? res->ai_canonname : name);
	str_copy(host->name, sizeof(host->name), paranoid);
	freeaddrinfo(res);
}
