/*
 * ident.c - rfc931(): ask the client's ident server (RFC 1413) who owns the connection.
 *
 * One non-blocking TCP connection from our address (port 0) to the client's port 113, a
 * query "client-port,server-port\r\n", and one reply line, all within rfc931_timeout seconds
 * measured with poll() against a monotonic deadline: no alarm(), no signal handlers, no
 * longjmp.  The reply is parsed strictly, as the classic library does: "p1 , p2 : USERID :
 * os : user" with both ports echoed, "USERID" in capitals, a non-empty os field, a newline
 * at the end (or 511 bytes without one, as fgets() reads them), and the user being the first
 * word (at most 255 bytes, stored as at most 127).  Anything else, and every failure, gives
 * "unknown".  The query leaves from the connection's own local address (port 0), so that it
 * reaches the client by the path the connection came, and the client's ident server sees the
 * address it talked to.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "export.h"
#include "str.h"

#define IDENT_PORT 113
#define IDENT_REPLY_MAX 512

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* wait_for - poll fd for events until the deadline; false on timeout or error. */
static bool wait_for(int fd, short events, long long deadline)
{
	struct pollfd pfd = {fd, events, 0};

	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return false;
		int n = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR)
			return false;
	}
}

static unsigned get_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port);
}

/* copy_with_port - a socket address of the same family with another port. */
static socklen_t copy_with_port(const struct sockaddr *sa, unsigned port,
                                struct sockaddr_storage *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (sa->sa_family == AF_INET) {
		memcpy(ret, sa, sizeof(struct sockaddr_in));
		((struct sockaddr_in *)ret)->sin_port = htons((uint16_t)port);
		return sizeof(struct sockaddr_in);
	}
	memcpy(ret, sa, sizeof(struct sockaddr_in6));
	((struct sockaddr_in6 *)ret)->sin6_port = htons((uint16_t)port);
	return sizeof(struct sockaddr_in6);
}

static bool is_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* scan_unsigned - a %u conversion: blanks, an optional sign, digits. */
static bool scan_unsigned(const char **p, unsigned long *ret)
{
	const char *s = *p;
	unsigned long value = 0;
	bool negative = false;

	while (is_blank(*s))
		s++;
	if (*s == '+' || *s == '-')
		negative = *s++ == '-';
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		value = value * 10 + (unsigned long)(*s - '0');
		if (value > 0xffffffffUL)
			value = 0xffffffffUL + 1; /* stays out of any port range */
	}
	*ret = negative ? (0x100000000UL - value) & 0xffffffffUL : value;
	*p = s;
	return true;
}

/* scan_literal - blanks, then the exact text. */
static bool scan_literal(const char **p, const char *literal)
{
	const char *s = *p;
	size_t len = strlen(literal);

	while (is_blank(*s))
		s++;
	if (strncmp(s, literal, len) != 0)
		return false;
	*p = s + len;
	return true;
}

/* ident_parse - a reply line; true with the user (at most 255 bytes) when it is valid for
 * the two ports. */
bool ident_parse(const char *line, unsigned remote_port, unsigned local_port, char *user,
                 size_t user_size);
bool ident_parse(const char *line, unsigned remote_port, unsigned local_port, char *user,
                 size_t user_size)
{
	const char *p = line;
	unsigned long rport, lport;
	size_t len;

	if (!scan_unsigned(&p, &rport) || !scan_literal(&p, ",") || !scan_unsigned(&p, &lport) ||
	    !scan_literal(&p, ":") || !scan_literal(&p, "USERID") || !scan_literal(&p, ":"))
		return false;
	len = strcspn(p, ":"); /* the operating system field: not empty */
	if (len == 0 || p[len] != ':')
		return false;
	p += len + 1;
	while (is_blank(*p))
		p++;
	len = 0;
	while (p[len] != '\0' && !is_blank(p[len]) && len < 255)
		len++;
	if (len == 0 || rport != remote_port || lport != local_port)
		return false;
	if (len >= user_size)
		len = user_size - 1;
	memcpy(user, p, len);
	user[len] = '\0';
	user[strcspn(user, "\r")] = '\0';
	return true;
}

static bool is_v4_mapped(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
}

/* unmap - an IPv4-mapped AF_INET6 address as the AF_INET address it carries (same port). */
static struct sockaddr *unmap(const struct sockaddr *sa, struct sockaddr_in *buf)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)(const void *)sa;

	memset(buf, 0, sizeof(*buf));
	buf->sin_family = AF_INET;
	buf->sin_port = sin6->sin6_port;
	memcpy(&buf->sin_addr, &sin6->sin6_addr.s6_addr[12], 4);
	return (struct sockaddr *)buf;
}

void rfc931(struct sockaddr *remote, struct sockaddr *local, char *dest)
{
	struct sockaddr_storage bind_addr, ident_addr;
	struct sockaddr_in remote_v4, local_v4;
	char reply[IDENT_REPLY_MAX], query[32], user[256];
	long long deadline = now_ms() + (long long)(rfc931_timeout > 0 ? rfc931_timeout : 1) * 1000;
	size_t got = 0;
	socklen_t len;
	int fd, err = 0;

	str_copy(dest, STRING_LENGTH, unknown);
	if (remote == NULL || local == NULL || remote->sa_family != local->sa_family ||
	    (remote->sa_family != AF_INET && remote->sa_family != AF_INET6))
		return;
	/* An IPv4 client on a dual-stack socket: ask over plain IPv4, which works whatever
	 * net.ipv6.bindv6only says. */
	if (is_v4_mapped(remote) && is_v4_mapped(local)) {
		remote = unmap(remote, &remote_v4);
		local = unmap(local, &local_v4);
	}
	fd = socket(local->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		diag_warn("socket: %m");
		return;
	}
	len = copy_with_port(local, 0, &bind_addr);
	if (bind(fd, (struct sockaddr *)&bind_addr, len) < 0)
		goto done;
	len = copy_with_port(remote, IDENT_PORT, &ident_addr);
	if (connect(fd, (struct sockaddr *)&ident_addr, len) < 0) {
		if (errno != EINPROGRESS || !wait_for(fd, POLLOUT, deadline))
			goto done;
		len = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0)
			goto done;
	}
	int query_len = snprintf(query, sizeof(query), "%u,%u\r\n", get_port(remote),
	                         get_port(local));
	if (send(fd, query, (size_t)query_len, MSG_NOSIGNAL) != query_len)
		goto done;
	/*
	 * Read one line as fgets() into 512 bytes does: up to the first newline, or 511 bytes
	 * when none comes sooner (an over-long line is parsed from its start, as the classic
	 * library does).  An end of stream or an error before that rejects the reply.
	 */
	while (got < sizeof(reply) - 1) {
		if (!wait_for(fd, POLLIN, deadline))
			goto done;
		ssize_t n = recv(fd, reply + got, sizeof(reply) - 1 - got, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			goto done;
		char *newline = memchr(reply + got, '\n', (size_t)n);
		got += (size_t)n;
		if (newline != NULL) {
			got = (size_t)(newline - reply);
			break;
		}
	}
	reply[got] = '\0';
	if (ident_parse(reply, get_port(remote), get_port(local), user, sizeof(user)))
		str_copy(dest, STRING_LENGTH, user);
done:
	close(fd);
}
